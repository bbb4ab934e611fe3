import { describe, expect, it } from 'vitest';
import { SchemaCatalogue } from '../../src/llm/offline/schema-catalogue.ts';
import { column, planOn, sqlOn, table } from '../support/offline-tables.ts';

// "How many findings of dermatitis were there?": the word stands inside longer descriptions a value lookup found
// ("Flea allergy dermatitis", "Atopic dermatitis, unspecified"), not at their start. A veterinary practice of its
// own, not a fixture.

const vet = () => [
  table('pets', 'Pets', [column('id', 'integer'), column('name', 'text'), column('city', 'text')]),
  table('visits', 'Visits', [
    column('id', 'integer'),
    column('pet_id', 'integer', { references: 'public.pets(id)' }),
    column('visited_on', 'date'),
  ]),
  table('findings', 'Findings of a visit', [
    column('id', 'integer'),
    column('visit_id', 'integer', { references: 'public.visits(id)' }),
    column('description', 'text', { sampleValues: ['Acute otitis externa', 'Chronic kidney disease'] }),
  ]),
];
const found = (column: string, ...values: string[]) =>
  values.map((value) => ({ table: column.split('.').slice(0, 2).join('.'), column: column.split('.')[2], value }));

describe('a word inside descriptions a lookup found', () => {
  it('names every description it stands in as a whole word', () => {
    expect(
      sqlOn(vet(), 'How many findings of dermatitis were there?', {
        found: found('public.findings.description', 'Flea allergy dermatitis', 'Atopic dermatitis, unspecified'),
      }),
    ).toBe(
      "SELECT COUNT(*) AS findings_count FROM findings WHERE description IN ('Flea allergy dermatitis', 'Atopic dermatitis, unspecified')",
    );
  });

  it('does not read a word inside names or titles so', () => {
    const outcome = planOn(vet(), 'How many pets live in York?', { found: found('public.pets.city', 'New York') });
    expect(outcome).toMatchObject({ kind: 'cannot', unplaced: ['York'] });
    const titled = planOn(vet(), 'How many pets are called Harbor?', { found: found('public.pets.name', 'The Long Harbor Dog') });
    expect(titled).toMatchObject({ kind: 'cannot' });
  });

  it('does not add what a lookup found to the tables the conversation described', () => {
    const tables = vet();
    new SchemaCatalogue(tables, found('public.findings.description', 'Atopic dermatitis, unspecified'));
    expect(tables[2].columns[2].sampleValues).toEqual(['Acute otitis externa', 'Chronic kidney disease']);
  });
});
