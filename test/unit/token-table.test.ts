import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countTokens as referenceCount } from 'gpt-tokenizer';
import {
  buildTokenTable,
  countWithTable,
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

  it('writes a file that reads back as the same table, and counts the same', () => {
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

  it('merges byte pairs by the lowest rank, leftmost first, in a small vocabulary of its own', () => {
    // Ranks: a b c, then "ab" (3), "bc" (4), "abc" (5). "abc" merges a+b first (rank 3 < 4), then ab+c.
    const small = buildTokenTable(['a', 'b', 'c', 'ab', 'bc', 'abc'], /\S+|\s+/gu);
    expect(countWithTable(small, 'abc')).toBe(1);
    // "bcab": b+c (4) and a+b (3): a+b first, then b+c; "bc" and "ab" cannot join: 2.
    expect(countWithTable(small, 'bcab')).toBe(2);
    // "ca": no pair is a token.
    expect(countWithTable(small, 'ca')).toBe(2);
    // Without "ab" (and "abc"), "abc" becomes a + bc.
    const noAb = buildTokenTable(['a', 'b', 'c', undefined, 'bc'], /\S+|\s+/gu);
    expect(countWithTable(noAb, 'abc')).toBe(2);
    expect(() => buildTokenTable(['a', 'b', 'a'], /\S+/gu)).toThrow(/rank 2 repeats/);
  });

  it('round-trips a table whose header leaves the body unaligned', () => {
    const small = buildTokenTable(['x', 'y', 'xy'], /\S+|\s+/gu);
    for (const source of ['s', 'ss', 'sss', 'ssss']) {
      const file = path.join(dir, `small-${source}.tokens`);
      writeFileSync(file, serializeTokenTable(small, source));
      const read = readTokenTable(file, source)!;
      expect(countWithTable(read, 'xy yx xyxy')).toBe(countWithTable(small, 'xy yx xyxy'));
    }
  });
});
