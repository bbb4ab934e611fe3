import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The o200k vocabulary (current OpenAI models') as flat typed arrays, and a counter over it.
 *
 * The `gpt-tokenizer` package ships the vocabulary as a 2.4 MB JavaScript array literal: loading it (V8
 * parsing the literal, then a Map of 200,000 strings) cost 350–400 ms of one core at every start, the
 * largest single part of a one-shot `sqlagent ask`. At install, `scripts/build.mjs` writes the same
 * vocabulary once as a binary file (`writeTokenTable`): the token bytes in rank order, where each starts,
 * and an open-addressing hash table over them. Loading that is one read and three views. Where the file is
 * missing or was made from another version of the package, the table is built in memory from the package
 * (`tokenTableFromPackage`), and counted by the same code.
 *
 * Only counting is needed (prompt budgets and usage estimates), never encoding or decoding. Text that spells
 * a special token (`<|endoftext|>`) is counted as the ordinary text it is, as a model's API counts message
 * content.
 */
export interface TokenTable {
  /** The pre-tokenizer: the text is cut into pieces by it, and each piece is encoded on its own. */
  readonly pattern: RegExp;
  /** Every token's UTF-8 bytes, in rank order. */
  readonly bytes: Uint8Array;
  /** `starts[rank]` to `starts[rank + 1]`: where rank's bytes are in `bytes` (empty for an unused rank). */
  readonly starts: Uint32Array;
  /** Open addressing, linear probing: a rank, or `emptySlot`. Its length is a power of two. */
  readonly slots: Uint32Array;
}

const emptySlot = 0xffffffff;
/** The file format, hash function and layout included: change it with any of them, so old files are not read. */
const magic = 'sqlagent-token-table 2\n';
const packageName = 'gpt-tokenizer';

/** FNV-1a over `bytes[from, to)`. */
function hashOf(bytes: Uint8Array, from: number, to: number): number {
  let hash = 0x811c9dc5;
  for (let index = from; index < to; index += 1) hash = Math.imul(hash ^ bytes[index], 0x01000193);
  return hash >>> 0;
}

/** The rank of `piece[from, to)`, or -1 when it is not a token. */
function rankOf(table: TokenTable, piece: Uint8Array, from: number, to: number): number {
  const { bytes, starts, slots } = table;
  const mask = slots.length - 1;
  const length = to - from;
  let slot = hashOf(piece, from, to) & mask;
  // At most one pass over the slots: a table without an empty slot (a damaged file) cannot loop forever.
  for (let probes = 0; probes < slots.length; probes += 1, slot = (slot + 1) & mask) {
    const rank = slots[slot];
    if (rank === emptySlot) return -1;
    const start = starts[rank];
    if (starts[rank + 1] - start !== length) continue;
    let same = true;
    for (let offset = 0; offset < length; offset += 1) {
      if (bytes[start + offset] !== piece[from + offset]) {
        same = false;
        break;
      }
    }
    if (same) return rank;
  }
  return -1;
}

/** Builds the table from each rank's token (a string, or its bytes when they are not UTF-8). */
export function buildTokenTable(tokens: ReadonlyArray<string | readonly number[] | undefined>, pattern: RegExp): TokenTable {
  const encoder = new TextEncoder();
  const encoded = Array.from(tokens, (token) =>
    token === undefined ? new Uint8Array(0) : typeof token === 'string' ? encoder.encode(token) : Uint8Array.from(token),
  );
  const starts = new Uint32Array(encoded.length + 1);
  for (let rank = 0; rank < encoded.length; rank += 1) starts[rank + 1] = starts[rank] + encoded[rank].length;
  const bytes = new Uint8Array(starts[encoded.length]);
  encoded.forEach((token, rank) => bytes.set(token, starts[rank]));
  let size = 1;
  while (size < encoded.length * 2) size *= 2;
  const slots = new Uint32Array(size).fill(emptySlot);
  const table: TokenTable = { pattern, bytes, starts, slots };
  for (let rank = 0; rank < encoded.length; rank += 1) {
    if (encoded[rank].length === 0) continue;
    // A token that appeared twice would make counts depend on which copy is found first.
    if (rankOf(table, bytes, starts[rank], starts[rank + 1]) !== -1) throw new Error(`token rank ${rank} repeats an earlier token`);
    let slot = hashOf(bytes, starts[rank], starts[rank + 1]) & (size - 1);
    while (slots[slot] !== emptySlot) slot = (slot + 1) & (size - 1);
    slots[slot] = rank;
  }
  return table;
}

function installedPackage(): { version: string; require: NodeJS.Require } {
  const require = createRequire(import.meta.url);
  const { version } = require(`${packageName}/package.json`) as { version: string };
  return { version, require };
}

/** The o200k table built in memory from the installed `gpt-tokenizer` (a few hundred milliseconds). */
export function tokenTableFromPackage(): TokenTable {
  const { require } = installedPackage();
  const ranks = (require(`${packageName}/cjs/bpeRanks/o200k_base`) as { default: Array<string | number[]> }).default;
  const { O200K_TOKEN_SPLIT_REGEX: pattern } = require(`${packageName}/cjs/encodingParams/constants`) as {
    O200K_TOKEN_SPLIT_REGEX: RegExp;
  };
  return buildTokenTable(ranks, new RegExp(pattern.source, pattern.flags));
}

interface TableHeader {
  source: string;
  pattern: string;
  flags: string;
  ranks: number;
  slots: number;
  bytes: number;
}

/** The file's contents: a header line, then `starts`, `slots` and `bytes`, each 4-byte aligned. */
export function serializeTokenTable(table: TokenTable, source: string): Buffer {
  const header: TableHeader = {
    source,
    pattern: table.pattern.source,
    flags: table.pattern.flags,
    ranks: table.starts.length - 1,
    slots: table.slots.length,
    bytes: table.bytes.length,
  };
  let head = Buffer.from(`${magic}${JSON.stringify(header)}\n`);
  head = Buffer.concat([head, Buffer.alloc((4 - (head.length % 4)) % 4, 0x20)]);
  return Buffer.concat([
    head,
    Buffer.from(table.starts.buffer, table.starts.byteOffset, table.starts.byteLength),
    Buffer.from(table.slots.buffer, table.slots.byteOffset, table.slots.byteLength),
    Buffer.from(table.bytes.buffer, table.bytes.byteOffset, table.bytes.byteLength),
  ]);
}

/**
 * The table in `file`, or null when there is none, when it was made from another version of the package
 * than the one installed (`source`), or when it is not a whole table (a torn or foreign file).
 */
export function readTokenTable(file: string, source = tableSource()): TokenTable | null {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return null;
  }
  return parseTokenTable(data, source);
}

/** `readTokenTable` on a file's bytes. */
export function parseTokenTable(data: Buffer, source: string): TokenTable | null {
  if (data.subarray(0, magic.length).toString() !== magic) return null;
  const headerEnd = data.indexOf(0x0a, magic.length);
  if (headerEnd < 0) return null;
  let header: TableHeader;
  try {
    header = JSON.parse(data.subarray(magic.length, headerEnd).toString()) as TableHeader;
  } catch {
    return null;
  }
  if (header.source !== source) return null;
  const bodyStart = headerEnd + 1 + ((4 - ((headerEnd + 1) % 4)) % 4);
  const length = 4 * (header.ranks + 1) + 4 * header.slots + header.bytes;
  if (data.length !== bodyStart + length || header.slots < 2 || (header.slots & (header.slots - 1)) !== 0) return null;
  // Typed views need 4-byte alignment: a copy when the bytes do not start on it (a read from the pool may not).
  const body = (data.byteOffset + bodyStart) % 4 === 0 ? data : Buffer.from(data);
  const at = body.byteOffset + bodyStart;
  const starts = new Uint32Array(body.buffer, at, header.ranks + 1);
  const slots = new Uint32Array(body.buffer, at + starts.byteLength, header.slots);
  const bytes = new Uint8Array(body.buffer, at + starts.byteLength + slots.byteLength, header.bytes);
  const table: TokenTable = { pattern: new RegExp(header.pattern, header.flags), bytes, starts, slots };
  return findsItself(table) ? table : null;
}

/**
 * Whether a sample of the tokens (every 97th, and the last) is found at its own rank: a file with the right
 * header but a damaged body (or made by another hash function) would otherwise count every piece as bytes.
 */
function findsItself(table: TokenTable): boolean {
  const ranks = table.starts.length - 1;
  const found = (rank: number) => {
    const from = table.starts[rank];
    const to = table.starts[rank + 1];
    if (to < from || to > table.bytes.length) return false;
    return to === from || rankOf(table, table.bytes, from, to) === rank;
  };
  for (let rank = 0; rank < ranks; rank += 97) if (!found(rank)) return false;
  return ranks === 0 || found(ranks - 1);
}

/** What a table file says it was made from: the package and its version. */
export function tableSource(): string {
  return `${packageName}@${installedPackage().version} o200k_base`;
}

/** Writes the o200k table of the installed package to `file` (through a temporary file, so never torn). */
export function writeTokenTable(file: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, serializeTokenTable(tokenTableFromPackage(), tableSource()));
  renameSync(temporary, file);
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(1024);
/** Per table, counts of pieces that are not tokens themselves (byte-pair merging is the slow part); bounded. */
const mergedCountsOf = new WeakMap<TokenTable, Map<string, number>>();
const mergedCountsLimit = 8192;

/** Tokens of `text` by `table`'s vocabulary. */
export function countWithTable(table: TokenTable, text: string): number {
  let total = 0;
  for (const [piece] of text.matchAll(table.pattern)) total += countPiece(table, piece);
  return total;
}

function countPiece(table: TokenTable, piece: string): number {
  if (scratch.length < piece.length * 3) scratch = new Uint8Array(piece.length * 3);
  const { written: length } = encoder.encodeInto(piece, scratch);
  if (length <= 1 || rankOf(table, scratch, 0, length) !== -1) return length === 0 ? 0 : 1;
  let mergedCounts = mergedCountsOf.get(table);
  if (!mergedCounts) mergedCountsOf.set(table, (mergedCounts = new Map()));
  const known = mergedCounts.get(piece);
  if (known !== undefined) return known;
  const count = mergedCount(table, scratch, length);
  if (mergedCounts.size >= mergedCountsLimit) mergedCounts.delete(mergedCounts.keys().next().value!);
  mergedCounts.set(piece, count);
  return count;
}

/**
 * Byte-pair merging, counting the parts: start from single bytes, and merge the adjacent pair whose joined
 * bytes have the lowest rank (the leftmost of equals) until no joined pair is a token.
 */
function mergedCount(table: TokenTable, piece: Uint8Array, length: number): number {
  // starts[i] is where part i begins; ranks[i] the rank of parts i and i + 1 joined (Infinity: not a token).
  const starts: number[] = [];
  const ranks: number[] = [];
  const joinedRank = (part: number) => {
    if (part + 2 >= starts.length) return Infinity;
    const rank = rankOf(table, piece, starts[part], starts[part + 2]);
    return rank === -1 ? Infinity : rank;
  };
  for (let index = 0; index <= length; index += 1) starts.push(index);
  for (let part = 0; part < length; part += 1) ranks.push(joinedRank(part));
  while (starts.length > 2) {
    let lowest = Infinity;
    let at = -1;
    for (let part = 0; part < ranks.length; part += 1) {
      if (ranks[part] < lowest) {
        lowest = ranks[part];
        at = part;
      }
    }
    if (at === -1) break;
    starts.splice(at + 1, 1);
    ranks.splice(at + 1, 1);
    ranks[at] = joinedRank(at);
    if (at > 0) ranks[at - 1] = joinedRank(at - 1);
  }
  return starts.length - 1;
}
