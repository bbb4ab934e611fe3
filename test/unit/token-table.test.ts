import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countTokens as referenceCount } from 'gpt-tokenizer';
import {
  buildTokenTable,
  countWithTable,
  parseTokenTable,
  readTokenTable,
  serializeTokenTable,
  tableSource,
  tokenTableFromPackage,
  writeTokenTable,
  type TokenTable,
} from '../../src/text/token-table.ts';
import { countTokens } from '../../src/text/index.ts';

const root = path.resolve(import.meta.dirname, '../..');
/** The package's count of `text` as ordinary text (special-token spellings included). */
const reference = (text: string) => referenceCount(text, { disallowedSpecial: new Set() });

/** Texts of every kind the service counts: prompts, knowledge, docs, SQL, and awkward Unicode. */
function corpus(): string[] {
  const texts: string[] = [];
  for (const folder of ['prompts', 'knowledge', 'docs']) {
    for (const entry of readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) texts.push(readFileSync(path.join(entry.parentPath, entry.name), 'utf8'));
    }
  }
  texts.push(
    'Zürich naïve café 日本語のテキスト 한국어 العربية 😀👍🏽 👨‍👩‍👧 ÆØÅ',
    '\u0000\u0001\u007f lone surrogate \ud800 end',
    "I'm sure we'LL see they'RE here, isn't it, O'Neil's",
    '1234567890 3.14159 1,000,000 -42 1e10',
    'SELECT COUNT(*) AS n FROM "customers" c WHERE c.country <> \'DE\' AND x >= 10;\n\t\t  -- comment',
    '   leading spaces\r\n\r\n\n   \ttabs\t\t\n',
    'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  );
  return texts;
}

describe('the o200k token table', () => {
  let dir: string;
  let fromPackage: TokenTable;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-tokens-'));
    fromPackage = tokenTableFromPackage();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('counts exactly as the tokenizer package does, text by text and line by line', () => {
    let compared = 0;
    for (const text of corpus()) {
      for (const piece of [text, ...text.split('\n')]) {
        expect(countWithTable(fromPackage, piece), JSON.stringify(piece.slice(0, 60))).toBe(reference(piece));
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it('counts text that spells a special token as the ordinary text it is, where the package refuses it', () => {
    const text = 'How many regions are there? <|endoftext|><|endofprompt|>';
    expect(() => referenceCount(text)).toThrow(/special token/);
    expect(countWithTable(fromPackage, text)).toBe(reference(text));
    expect(countTokens(text)).toBe(reference(text));
  });

  // About 18 s alone on two cores (the whole corpus is counted twice), and past 30 s with the rest of the suite
  // beside it: a generous timeout, since the test is about what the file holds, not how fast it is written.
  it('writes a file that reads back as the same table, and counts the same', { timeout: 180_000 }, () => {
    const file = path.join(dir, 'o200k.tokens');
    writeTokenTable(file);
    const read = readTokenTable(file)!;
    expect(read).not.toBeNull();
    expect(read.pattern.source).toBe(fromPackage.pattern.source);
    expect(read.pattern.flags).toBe(fromPackage.pattern.flags);
    expect(Buffer.from(read.starts.buffer, read.starts.byteOffset, read.starts.byteLength)).toEqual(Buffer.from(fromPackage.starts.buffer));
    expect(Buffer.from(read.bytes.buffer, read.bytes.byteOffset, read.bytes.byteLength)).toEqual(Buffer.from(fromPackage.bytes.buffer));
    const text = corpus().join('\n');
    expect(countWithTable(read, text)).toBe(reference(text));
  });

  it('ignores a file made from another version of the package, a torn file and a foreign one', () => {
    const file = path.join(dir, 'o200k.tokens');
    writeTokenTable(file);
    expect(readTokenTable(file, tableSource())).not.toBeNull();
    expect(readTokenTable(file, 'gpt-tokenizer@0.0.1 o200k_base')).toBeNull();
    const whole = readFileSync(file);
    writeFileSync(path.join(dir, 'torn.tokens'), whole.subarray(0, whole.length - 1000));
    expect(readTokenTable(path.join(dir, 'torn.tokens'))).toBeNull();
    writeFileSync(path.join(dir, 'foreign.tokens'), 'not a table at all\n');
    expect(readTokenTable(path.join(dir, 'foreign.tokens'))).toBeNull();
    expect(readTokenTable(path.join(dir, 'missing.tokens'))).toBeNull();
  });

  it('merges the pair of lowest rank first, not the leftmost, in a small vocabulary of its own', () => {
    // "abcd": b+c has the lowest rank (4), so a | bc | d, and neither "abc" nor "bcd" is a token: 3. Merging
    // the leftmost pair first would give ab | cd: 2.
    const small = buildTokenTable(['a', 'b', 'c', 'd', 'bc', 'ab', 'cd'], /\S+|\s+/gu);
    expect(countWithTable(small, 'abcd')).toBe(3);
    // "dab": a+b (5) joins, then "dab" is no token: d | ab.
    expect(countWithTable(small, 'dab')).toBe(2);
    // No pair of "ca" is a token.
    expect(countWithTable(small, 'ca')).toBe(2);
    // A piece that is a token is one, whatever its parts.
    expect(countWithTable(buildTokenTable(['a', 'b', 'c', 'abc'], /\S+/gu), 'abc')).toBe(1);
    expect(() => buildTokenTable(['a', 'b', 'a'], /\S+/gu)).toThrow(/rank 2 repeats/);
  });

  it('keeps the counts of merged pieces per table: one vocabulary never answers for another', () => {
    const piece = 'qzxqzxqzx';
    expect(countWithTable(fromPackage, piece)).toBe(reference(piece));
    const tiny = buildTokenTable(['q', 'z', 'x', 'qz'], /\S+/gu);
    // q z x three times, with "qz" joined each time: 6.
    expect(countWithTable(tiny, piece)).toBe(6);
    expect(countWithTable(fromPackage, piece)).toBe(reference(piece));
  });

  it('reads a table whose bytes do not start on a 4-byte boundary, and refuses a damaged body', () => {
    const small = buildTokenTable(['x', 'y', 'xy', 'yx', 'xyx'], /\S+|\s+/gu);
    const data = serializeTokenTable(small, 'test');
    const shifted = Buffer.concat([Buffer.alloc(1), data]).subarray(1);
    expect(shifted.byteOffset % 4).not.toBe(0);
    const read = parseTokenTable(shifted, 'test')!;
    expect(read).not.toBeNull();
    expect(countWithTable(read, 'xy yx xyxy')).toBe(countWithTable(small, 'xy yx xyxy'));
    // Every slot filled with rank 0: the sample of tokens is not found at its ranks.
    const damaged = Buffer.from(data);
    const slotsAt = data.length - small.bytes.length - small.slots.byteLength;
    damaged.fill(0, slotsAt, slotsAt + small.slots.byteLength);
    expect(parseTokenTable(damaged, 'test')).toBeNull();
  });
});
