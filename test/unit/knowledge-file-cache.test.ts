import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readKnowledgeFile } from '../../src/knowledge/index.ts';

// One-shot commands read the knowledge file on every start; the parsed YAML is kept as JSON between them.
describe('the knowledge file cache', () => {
  let dir: string;
  let file: string;
  let cacheDirectory: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-knowledge-cache-'));
    file = path.join(dir, 'clinic.yaml');
    cacheDirectory = path.join(dir, 'cache');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const glossary = (term: string) => `glossary:\n  - term: ${term}\n    table: doctors\n`;
  const cacheFiles = async () => (await readdir(cacheDirectory).catch(() => [] as string[])).filter((name) => name.endsWith('.json'));

  it('keeps the parsed file and reads it back while the content is unchanged', async () => {
    await writeFile(file, glossary('physicians'));
    const first = await readKnowledgeFile(file, { cacheDirectory });
    expect(first.file.glossary.map((entry) => entry.term)).toEqual(['physicians']);
    const [cached] = await cacheFiles();
    expect(cached).toBeDefined();
    // Proof that a second read uses the cache and not the YAML: a doctored cache entry with the same
    // content hash is what comes back.
    const entry = JSON.parse(await readFile(path.join(cacheDirectory, cached), 'utf8'));
    entry.raw.glossary[0].term = 'from the cache';
    await writeFile(path.join(cacheDirectory, cached), JSON.stringify(entry));
    expect((await readKnowledgeFile(file, { cacheDirectory })).file.glossary[0].term).toBe('from the cache');
  });

  it('parses the YAML again when the content changes, and replaces the entry instead of adding one', async () => {
    await writeFile(file, glossary('physicians'));
    await readKnowledgeFile(file, { cacheDirectory });
    await writeFile(file, glossary('medics'));
    expect((await readKnowledgeFile(file, { cacheDirectory })).file.glossary[0].term).toBe('medics');
    expect(await cacheFiles()).toHaveLength(1);
  });

  it('writing an entry removes those of knowledge files that no longer exist', async () => {
    const other = path.join(dir, 'shop.yaml');
    await writeFile(other, glossary('buyers'));
    await readKnowledgeFile(other, { cacheDirectory });
    await writeFile(file, glossary('physicians'));
    await readKnowledgeFile(file, { cacheDirectory });
    expect(await cacheFiles()).toHaveLength(2);
    await rm(other);
    await writeFile(file, glossary('medics'));
    await readKnowledgeFile(file, { cacheDirectory });
    const left = await cacheFiles();
    expect(left).toHaveLength(1);
    expect(JSON.parse(await readFile(path.join(cacheDirectory, left[0]), 'utf8')).source).toBe(path.resolve(file));
  });

  it('a damaged cache entry is ignored and rewritten', async () => {
    await writeFile(file, glossary('physicians'));
    await readKnowledgeFile(file, { cacheDirectory });
    const [cached] = await cacheFiles();
    await writeFile(path.join(cacheDirectory, cached), '{"contentHash": "trunc');
    expect((await readKnowledgeFile(file, { cacheDirectory })).file.glossary[0].term).toBe('physicians');
    expect(JSON.parse(await readFile(path.join(cacheDirectory, cached), 'utf8')).raw.glossary[0].term).toBe('physicians');
  });

  it('content from the cache is validated like the YAML: an entry that breaks the schema is damaged, and the YAML decides', async () => {
    await writeFile(file, glossary('physicians'));
    await readKnowledgeFile(file, { cacheDirectory });
    const [cached] = await cacheFiles();
    const entry = JSON.parse(await readFile(path.join(cacheDirectory, cached), 'utf8'));
    entry.raw.glossary[0].colum = entry.raw.glossary[0].table;
    delete entry.raw.glossary[0].table;
    await writeFile(path.join(cacheDirectory, cached), JSON.stringify(entry));
    expect((await readKnowledgeFile(file, { cacheDirectory })).file.glossary[0]).toMatchObject({ term: 'physicians', table: 'doctors' });
    // ... and the entry is written again from the YAML.
    expect(JSON.parse(await readFile(path.join(cacheDirectory, cached), 'utf8')).raw.glossary[0].table).toBe('doctors');
  });

  it('an invalid file is an error naming it, and caches nothing; an unwritable cache folder only costs the parse', async () => {
    await writeFile(file, 'glossary:\n  - [unclosed\n');
    await expect(readKnowledgeFile(file, { cacheDirectory })).rejects.toThrow(/clinic\.yaml:\d+: not valid YAML/);
    expect(await cacheFiles()).toEqual([]);

    await writeFile(file, glossary('physicians'));
    const blocked = path.join(dir, 'not-a-folder');
    await writeFile(blocked, 'a file where the cache folder would be');
    expect((await readKnowledgeFile(file, { cacheDirectory: blocked })).file.glossary[0].term).toBe('physicians');
  });

  it('what JSON cannot hold exactly is not cached (a YAML -0.0 would come back as 0)', async () => {
    await writeFile(file, 'glossary:\n  - term: unpaid\n    column: doctors.salary\n    value: -0.0\n');
    const read = await readKnowledgeFile(file, { cacheDirectory });
    expect(Object.is(read.file.glossary[0].value, -0)).toBe(true);
    expect(await cacheFiles()).toEqual([]);
  });
});
