import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli-runner.ts';
import { keylessEnv } from '../support/keyless-env.ts';
import { shopWorkspace, type ShopWorkspace } from '../support/shop-workspace.ts';

const cli = runCliInProcess;

// Commands that check or add open the embedded shop each time; on a busy two-core machine that takes a while.
describe('the knowledge commands', { timeout: 180_000 }, () => {
  let workspace: ShopWorkspace;
  let dir: string;
  let knowledgeDir: string;
  /** The config file for a shop whose knowledge file is `knowledge` (default: the temp copy of the committed one). */
  let configFor: (knowledge?: string) => Promise<Record<string, string>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    workspace = await shopWorkspace('knowledge-cli');
    ({ dir, knowledgeDir } = workspace);
    let configs = 0;
    configFor = async (knowledge) => {
      const file = path.join(dir, `config-${(configs += 1)}.json`);
      const shop = { id: 'shop', url: workspace.shopUrl, ...(knowledge ? { knowledge } : {}) };
      await writeFile(
        file,
        JSON.stringify({ logLevel: 'warn', dataDir: dir, knowledge: { directory: knowledgeDir }, datasources: [shop] }),
      );
      return { SQLAGENT_CONFIG: file, USER: 'cli-user' };
    };
    env = await configFor();
  });
  afterAll(() => workspace?.remove());

  it('check prints the file, what is in use and "no problems" for the shipped shop knowledge', async () => {
    const result = await cli(['knowledge', 'check', 'shop'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`shop: ${path.join(knowledgeDir, 'shop.yaml')} (schema `);
    expect(result.stdout).toMatch(
      /in use: \d+ glossary terms, \d+ metrics, \d+ join hints, examples 0 candidate, \d+ verified, 0 rejected/,
    );
    expect(result.stdout).toContain('no problems');

    const json = await cli(['knowledge', 'check', 'shop', '--json'], env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      datasource: 'shop',
      parses: true,
      problems: [],
      counts: { glossary: expect.any(Number) },
    });
  });

  it('check exits 25 and lists every problem of a file that does not fit, or does not parse', async () => {
    const misfit = path.join(dir, 'misfit.yaml');
    await writeFile(
      misfit,
      'glossary:\n  - {term: client, table: custmers}\n  - {term: buyer, table: customers}\nmetrics:\n  - {name: revenue, table: orders, expression: SUM(orders.totl_amount)}\n',
    );
    const result = await cli(['knowledge', 'check', 'shop'], await configFor(misfit));
    expect(result.code).toBe(25);
    expect(result.stdout).toContain(misfit);
    expect(result.stdout).toContain('in use: 1 glossary terms, 0 metrics');
    expect(result.stdout).toContain('2 problems:');
    expect(result.stdout).toContain('glossary[0] "client": unknown table "custmers"; close matches: customers');
    expect(result.stdout).toMatch(/metrics\[0\] "revenue": the expression does not run: .*totl_amount/);

    const unparsable = path.join(dir, 'unparsable.yaml');
    await writeFile(unparsable, 'glossary:\n  - term: client\n    tabel: customers\n');
    const broken = await cli(['knowledge', 'check', 'shop'], await configFor(unparsable));
    expect(broken.code).toBe(25);
    expect(broken.stdout).toContain('the file does not parse');
    expect(broken.stdout).toContain('glossary[0] "client": Unrecognized key: "tabel"');
  });

  it('an unknown datasource is datasource_not_found (exit 7) for every command', async () => {
    for (const args of [
      ['knowledge', 'check', 'warehouse'],
      ['knowledge', 'examples', 'list', 'warehouse'],
      ['knowledge', 'examples', 'approve', 'warehouse', 'some-id'],
      ['knowledge', 'examples', 'add', 'warehouse', '--question', 'How many?', '--sql', 'SELECT 1'],
    ]) {
      const result = await cli(args, env);
      expect(result.code, args.join(' ')).toBe(7);
      expect(result.stderr).toMatch(/error \[datasource_not_found\]: Unknown datasource "warehouse"/);
    }
  });

  it('lists, adds, rejects and approves examples; the file keeps its comments', async () => {
    const file = path.join(knowledgeDir, 'shop.yaml');
    const shipped = await readFile(file, 'utf8');
    const listed = await cli(['knowledge', 'examples', 'list', 'shop'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^id\s+\| status\s+\| question/m);
    expect(listed.stdout).toMatch(/customers-who-never-ordered\s+\| verified/);
    expect((await cli(['knowledge', 'examples', 'list', 'shop', '--status', 'candidate'], env)).stdout).toContain('(0 examples)');

    const question = 'How many products are in each category?';
    const added = await cli(
      [
        'knowledge',
        'examples',
        'add',
        'shop',
        '--question',
        question,
        '--sql',
        'SELECT category_id, COUNT(*) AS products FROM products GROUP BY category_id',
      ],
      env,
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toBe(`added how-many-products-are-in-each-category (verified by cli-user): ${question}\n`);

    const rejected = await cli(['knowledge', 'examples', 'reject', 'shop', 'how-many-products-are-in-each-category', '--by', 'bo'], env);
    expect(rejected.code, rejected.stderr).toBe(0);
    expect(rejected.stdout).toMatch(/^rejected how-many-products-are-in-each-category \(rejected by bo\)/);
    const afterReject = JSON.parse((await cli(['knowledge', 'examples', 'list', 'shop', '--status', 'rejected', '--json'], env)).stdout);
    expect(afterReject).toEqual([
      expect.objectContaining({ id: 'how-many-products-are-in-each-category', status: 'rejected', verified_by: 'bo' }),
    ]);

    const approved = await cli(['knowledge', 'examples', 'approve', 'shop', 'how-many-products-are-in-each-category'], env);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toMatch(/^approved how-many-products-are-in-each-category \(verified by cli-user\)/);

    const edited = await readFile(file, 'utf8');
    for (const comment of shipped.split('\n').filter((line) => line.startsWith('#'))) expect(edited).toContain(comment);
    expect(edited.startsWith(shipped.slice(0, shipped.indexOf('examples:')))).toBe(true);
  });

  it('names the problem and exits with its code: unknown id 26, duplicate 2, writing SQL 3, empty result 2, bad status 2', async () => {
    const before = await readFile(path.join(knowledgeDir, 'shop.yaml'), 'utf8');
    const cases: Array<[string[], number, RegExp]> = [
      [['approve', 'shop', 'no-such-example'], 26, /error \[example_not_found\]: No example "no-such-example"/],
      [['reject', 'shop', 'no-such-example'], 26, /No example "no-such-example"/],
      [
        ['add', 'shop', '--question', 'How many customers have never placed an order?', '--sql', 'SELECT 1'],
        2,
        /already has this question as example "customers-who-never-ordered"/,
      ],
      [['add', 'shop', '--question', 'Remove the orders', '--sql', 'DELETE FROM orders'], 3, /error \[sql_rejected\]/],
      [['add', 'shop', '--question', 'Orders with no id', '--sql', 'SELECT * FROM orders WHERE id IS NULL'], 2, /returned no rows/],
      [['list', 'shop', '--status', 'approved'], 2, /--status must be one of candidate, verified, rejected; got "approved"/],
    ];
    for (const [args, code, message] of cases) {
      const result = await cli(['knowledge', 'examples', ...args], env);
      expect(result.code, args.join(' ')).toBe(code);
      expect(result.stderr).toMatch(message);
    }
    expect(await readFile(path.join(knowledgeDir, 'shop.yaml'), 'utf8')).toBe(before);
  });
  it('the library grows from use: ask, feedback 1 files a candidate, approve makes it verified', async () => {
    // The offline model answers; spans are spooled by ask and loaded by feedback.
    const askEnv = { ...env, ...keylessEnv };
    const asked = await cli(['ask', 'shop', 'How many regions are there?', '--json'], askEnv);
    expect(asked.code, asked.stderr).toBe(0);
    const { traceId, sql } = JSON.parse(asked.stdout) as { traceId: string; sql: string };

    const feedback = await cli(['feedback', traceId, '1'], askEnv);
    expect(feedback.code, feedback.stderr).toBe(0);
    expect(feedback.stdout).toContain(
      `filed candidate example "how-many-regions-are-there" for review (knowledge examples approve shop how-many-regions-are-there)`,
    );
    const listed = JSON.parse((await cli(['knowledge', 'examples', 'list', 'shop', '--status', 'candidate', '--json'], env)).stdout);
    expect(listed).toEqual([
      expect.objectContaining({ id: 'how-many-regions-are-there', sql: sql.trim().replace(/;\s*$/, ''), source: `feedback:${traceId}` }),
    ]);

    const twice = await cli(['feedback', traceId, '1'], askEnv);
    expect(twice.code, twice.stderr).toBe(0);
    expect(twice.stdout).toMatch(
      /no candidate example filed: The library already has this question as example "how-many-regions-are-there"/,
    );

    const approved = await cli(['knowledge', 'examples', 'approve', 'shop', 'how-many-regions-are-there', '--by', 'ana'], env);
    expect(approved.code, approved.stderr).toBe(0);
    expect(JSON.parse((await cli(['knowledge', 'examples', 'list', 'shop', '--status', 'candidate', '--json'], env)).stdout)).toEqual([]);
  });
});
