import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchemaMeta } from '../../src/datasource/index.ts';
import { PromptTemplateError } from '../../src/errors/index.ts';
import { LocalPromptStore, PromptService, allTables, compilePrompt, type PromptVersion } from '../../src/prompts/index.ts';
import { dialectTargets, type OpenedTarget } from '../support/dialects.ts';
import path from 'node:path';

const store = new LocalPromptStore({ directory: path.resolve(import.meta.dirname, '../../prompts') });
const service = new PromptService(store, { experiments: [], defaultLabel: 'production', today: '2025-07-01' });
const version = (template: string, number = 9): PromptVersion => ({
  name: 'test/prompt',
  version: number,
  labels: [],
  template,
  config: {},
  commitMessage: null,
  createdAt: null,
  source: 'local',
  isFallback: false,
});

describe("compiling prompts against the shop fixture's real SchemaMeta", () => {
  let opened: OpenedTarget;
  let meta: SchemaMeta;
  beforeAll(async () => {
    opened = await dialectTargets()[0].open('shop', { sampleValues: true });
    // Named as the demo datasource, since prompt examples are tied to a datasource id.
    meta = { ...(await opened.datasource.introspect({ sampleBudgetMs: 10_000 })), datasource: 'shop' };
  });
  afterAll(() => opened?.close());
  const variables = () => ({ meta, dialect: 'postgres', row_limit: 100 });

  it('renders v1, v2 and v3 with what each promises, v3 far leaner than v2', async () => {
    const [v1, v2, v3] = await Promise.all(
      [1, 2, 3].map(async (number) => service.compile(await store.get('agent/db_agent', { version: number }), variables())),
    );
    expect(v1.text).toContain('- public.orders(id, customer_id, order_date, status, total_amount, shipping_country, created_at)');
    expect(v2.text).toContain('Today is 2025-07-01.');
    expect(v2.text).toContain('LIMIT 100');
    expect(v2.text).toMatch(/"last month" is the whole previous calendar month/);
    expect(v2.text).toMatch(/- customer_id integer, references public\.customers\(id\), not null\. /);
    expect(v2.text).toMatch(/- country character varying\(100\), not null\. .*Values include: .*Germany/);
    expect(v2.text).toContain("date_trunc('month', DATE '2025-07-01') - INTERVAL '1 month'");
    expect(v2.text).toContain('Which payment method brought in the most captured money?');
    expect(v2.text).not.toContain('How many appointments did each department have?');
    expect(v3.text).toContain('public: categories(id,name,parent_id); customers(');
    expect(v3.text).toMatch(/call show_table/);
    // v3 carries rules v1 lacks, but a quarter of v2's schema detail.
    expect(v3.tokenCount * 4).toBeLessThan(v2.tokenCount);
    expect(v1.tokenCount).toBeLessThan(v2.tokenCount);
    expect(v2.tokenCount).toBeGreaterThan(1000);
  });

  it('renders the MySQL worked example for a mysql dialect', async () => {
    const compiled = service.compile(await store.get('agent/db_agent', { version: 2 }), { ...variables(), dialect: 'mysql' });
    expect(compiled.text).toContain("DATE_FORMAT(DATE_SUB('2025-07-01', INTERVAL 1 MONTH), '%Y-%m-01')");
  });

  /** Every variable a template gets, with no knowledge. */
  const allVariables = () => ({
    ...variables(),
    today: '2025-07-01',
    examples: [],
    glossary: [],
    metrics: [],
    join_hints: [],
    question_tables: allTables(variables().meta),
    question_glossary: [],
    question_metrics: [],
    knowledge_omitted: 0,
  });

  it('supports a seed-style Jinja loop with map(attribute=…) | join and selectattr tests', () => {
    const template = [
      '{% for schema in meta.schemas %}',
      '{{ schema.name }}:',
      '{% for table in schema.tables | selectattr("kind", "equalto", "table") %}',
      '  {{ table.name }}: {{ table.columns | map(attribute="name") | join(", ") }}',
      '{% endfor %}',
      '{% endfor %}',
      'views: {{ meta.schemas | map(attribute="tables") | first | selectattr("kind", "equalto", "view") | map(attribute="name") | join(",") }}',
    ].join('\n');
    const text = compilePrompt(version(template), allVariables()).text;
    expect(text).toContain('analytics:\n  sales_summary: summary_month, region_id, category_id, orders_count, revenue\n');
    expect(text).toContain('  regions: id, name, country, continent');
    expect(text).not.toMatch(/^ {2}customer_order_counts/m);
    expect(text).toContain('views: customer_order_counts');
  });

  it('fails on an undefined variable or attribute, naming the prompt, version and line', () => {
    const render = (template: string) => () => compilePrompt(version(template, 7), allVariables());
    expect(render('line one\nline two {{ nope }}')).toThrow(PromptTemplateError);
    expect(render('line one\nline two {{ nope }}')).toThrow(/Prompt "test\/prompt" v7 failed to compile at template line 2: .*undefined/);
    expect(render('{{ meta.no_such_thing }}')).toThrow(/line 1/);
    expect(render('{% for x in meta.schemas %}{{ x.name }')).toThrow(/failed to compile/);
    const error = (() => {
      try {
        render('a\nb\n{{ missing }}')();
      } catch (caught) {
        return caught as PromptTemplateError;
      }
    })();
    expect(error?.details).toMatchObject({ prompt: 'test/prompt', version: 7, line: 3 });
  });
});
