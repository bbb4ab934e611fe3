import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCycles, importEdges, loadedBy, sourceFiles, type ImportEdge } from '../support/import-graph.ts';

// The layering of src/, read from the imports themselves (parsed by the TypeScript compiler): what the
// rooms may import of each other, and what loading the agent or the CLI pulls in.

const root = path.resolve(import.meta.dirname, '../..');
const files = sourceFiles(root, 'src');
const edges = importEdges(root, files);
const internal = edges.filter((edge) => edge.to.startsWith('src/'));

/** The room of a file: its first folder under src/ (`src/agent/tools/x.ts` → `agent`), or the file itself. */
const roomOf = (file: string) => file.split('/')[1].replace(/\.ts$/, '');
const describeEdge = (edge: ImportEdge) => `${edge.from} -> ${edge.to}${edge.typeOnly ? ' (type)' : ''}${edge.dynamic ? ' (dynamic)' : ''}`;

describe('the import graph of src/', () => {
  it('is read from every source file, and every relative import names a file that exists', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges).toContainEqual({ from: 'src/agent/db-agent.ts', to: 'src/llm/index.ts', typeOnly: false, dynamic: false });
    expect(edges).toContainEqual({
      from: 'src/llm/offline/conversation-reader.ts',
      to: 'src/agent/tool-results.ts',
      typeOnly: true,
      dynamic: false,
    });
    expect(internal.filter((edge) => !existsSync(path.join(root, edge.to))).map(describeEdge)).toEqual([]);
  });

  it('finds a cycle when there is one (the check below can fail)', () => {
    const edge = (from: string, to: string): ImportEdge => ({ from, to, typeOnly: false, dynamic: false });
    expect(findCycles([edge('a', 'b'), edge('b', 'c'), edge('c', 'a'), edge('c', 'd')])).toEqual([['a', 'b', 'c', 'a']]);
    expect(findCycles([edge('a', 'b'), edge('b', 'c'), edge('a', 'c')])).toEqual([]);
  });

  it('has no cycle between files, counting type-only and dynamic imports too', () => {
    expect(findCycles(internal).map((cycle) => cycle.join(' -> '))).toEqual([]);
  });

  it('has no cycle between rooms through imports that run', () => {
    const running = internal
      .filter((edge) => !edge.typeOnly)
      .map((edge) => ({ ...edge, from: roomOf(edge.from), to: roomOf(edge.to) }))
      .filter((edge) => edge.from !== edge.to);
    expect(findCycles(running).map((cycle) => cycle.join(' -> '))).toEqual([]);
  });

  it('keeps sql/ a leaf of pure rules: nothing of datasource/ or any other room but errors/', () => {
    const outside = internal.filter(
      (edge) => edge.from.startsWith('src/sql/') && !edge.to.startsWith('src/sql/') && !edge.to.startsWith('src/errors/'),
    );
    expect(outside.map(describeEdge)).toEqual([]);
  });

  it('keeps metrics/ free of the agent: it owns its input types', () => {
    expect(internal.filter((edge) => edge.from.startsWith('src/metrics/') && edge.to.startsWith('src/agent/')).map(describeEdge)).toEqual(
      [],
    );
  });

  it("lets the offline model read only the agent's tool-result contract, and only its types", () => {
    const intoAgent = internal.filter((edge) => edge.from.startsWith('src/llm/offline/') && edge.to.startsWith('src/agent/'));
    expect(intoAgent.filter((edge) => edge.to !== 'src/agent/tool-results.ts' || !edge.typeOnly).map(describeEdge)).toEqual([]);
    // The contract itself is types from leaf files, so reading it loads nothing of the agent.
    const contract = internal.filter((edge) => edge.from === 'src/agent/tool-results.ts');
    expect(contract.every((edge) => edge.typeOnly)).toBe(true);
    expect(contract.map((edge) => edge.to).sort()).toEqual([
      'src/agent/schema-search/metadata-hit.ts',
      'src/agent/schema-search/table-description.ts',
    ]);
  });

  it("lets config/ import only the schema files of other rooms, never a room's index", () => {
    const allowed = new Set([
      'src/datasource/datasource-config.ts',
      'src/datasource/dialects.ts',
      'src/llm/tier-config.ts',
      'src/prompts/experiment.ts',
      'src/metrics/alerts/alerts-config.ts',
      'src/errors/index.ts',
    ]);
    const outside = internal.filter((edge) => edge.from.startsWith('src/config/') && !edge.to.startsWith('src/config/'));
    expect(outside.length).toBeGreaterThan(0);
    expect(outside.filter((edge) => !allowed.has(edge.to)).map(describeEdge)).toEqual([]);
  });

  it('loads no tracing backbone, Langfuse, kysely or vendor SDK with the agent or the tracing seam', () => {
    const heavy = (loaded: Set<string>) =>
      [...loaded]
        .filter(
          (name) =>
            /^(@opentelemetry|@langfuse|kysely$|openai$|pg$|mysql2$|@electric-sql)/.test(name) ||
            name.startsWith('src/tracing/otel/') ||
            name.startsWith('src/tracing/local-store/'),
        )
        .sort();
    expect(heavy(loadedBy(edges, 'src/agent/index.ts'))).toEqual([]);
    expect(heavy(loadedBy(edges, 'src/tracing/index.ts'))).toEqual([]);
    expect(loadedBy(edges, 'src/agent/index.ts').has('src/agent/db-agent.ts')).toBe(true);
  });

  it('builds the app without kysely: the span store, alert rules and PGlite catalog reads load it when first used', () => {
    // A one-shot `ask` on an embedded fixture (cached schema, spooled spans) then never loads it.
    expect(loadedBy(edges, 'src/app.ts').has('kysely')).toBe(false);
    expect(loadedBy(edges, 'src/app.ts').has('src/tracing/local-store/local-span-store.ts')).toBe(false);
  });

  it('starts the CLI without the app: each command loads its modules when it runs', () => {
    const loaded = loadedBy(edges, 'src/cli/main.ts');
    expect([...loaded].filter((name) => !name.startsWith('src/') && !name.startsWith('node:')).sort()).toEqual(['commander']);
    expect(
      [...loaded].filter((name) =>
        ['src/app.ts', 'src/agent/index.ts', 'src/datasource/index.ts', 'src/evals/index.ts', 'src/http/index.ts'].includes(name),
      ),
    ).toEqual([]);
  });
});

describe('the room table of docs/architecture.md', () => {
  const doc = readFileSync(path.join(root, 'docs/architecture.md'), 'utf8');
  const rows = doc
    .split('\n')
    .map((line) => /^\| `(src\/[^`]+)` \| (.*) \| (.*) \|$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ folder: match[1], surface: match[3] }));

  it('names every room of src/, and nothing that is not there', () => {
    const rooms = readdirSync(path.join(root, 'src'), { withFileTypes: true }).map((entry) =>
      entry.isDirectory() ? `src/${entry.name}/` : `src/${entry.name}`,
    );
    const named = new Set(rows.map((row) => row.folder));
    expect(rooms.filter((room) => !named.has(room))).toEqual([]);
    expect(rows.filter((row) => !existsSync(path.join(root, row.folder))).map((row) => row.folder)).toEqual([]);
  });

  it("lists as public surface only names the room's index.ts exports", () => {
    const missing: string[] = [];
    for (const { folder, surface } of rows) {
      const index = path.join(root, folder, 'index.ts');
      if (!folder.endsWith('/') || !existsSync(index)) continue;
      const exported = readFileSync(index, 'utf8');
      // A parenthesis explains a name (a method, a file) and is not itself a claimed export.
      for (const [, name] of surface.replace(/\([^)]*\)/g, '').matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)) {
        if (!new RegExp(`\\b${name}\\b`).test(exported)) missing.push(`${folder}: ${name}`);
      }
    }
    expect(rows.length).toBeGreaterThan(15);
    expect(missing).toEqual([]);
  });
});
