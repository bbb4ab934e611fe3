import { stem } from '../../text/index.ts';
import type { PlanDraft } from './plan-draft.ts';
import { PlanningGap } from './planning-errors.ts';
import type { CatalogueTable } from './schema-catalogue.ts';
import { verbNamesTable } from './schema-linker.ts';

/**
 * The table of rows related to `from` whose name is the root of the verb at `index` ("ordered" for `orders`, else
 * for `order_items`): the table named by it whole first. Tables of the base's schema in the prompt that would match and
 * are not shown yet are looked at first.
 */
export function verbTable(draft: PlanDraft, index: number, from: string): CatalogueTable | undefined {
  const { words, catalogue } = draft;
  const verb = words[index];
  if (!verb || verb.lower === verb.root || verb.root.length < 4) return undefined;
  const matches = (name: string) => verbNamesTable(verb.root, name);
  const unshown = [...(draft.input.knowledge?.tableSchemas?.entries() ?? [])]
    .filter(([name, schema]) => matches(name) && from.startsWith(`${schema}.`))
    .map(([name, schema]) => `${schema}.${name}`)
    .filter((name) => !catalogue.table(name) && !draft.input.requested.includes(name));
  if (unshown.length > 0 && unshown.length <= 2)
    throw new PlanningGap(unshown, `The question counts ${verb.lower} rows, and their table is not shown yet.`);
  const related = catalogue.tables.filter(
    (table) => table.qualifiedName !== from && matches(table.name) && catalogue.joinPath(from, table.qualifiedName) !== null,
  );
  const whole = related.filter((table) => stem(table.name) === verb.root);
  return whole.length === 1 ? whole[0] : related.length === 1 ? related[0] : undefined;
}
