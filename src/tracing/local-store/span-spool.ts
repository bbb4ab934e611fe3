import { appendFile, mkdir, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { SpanRecord } from './span-record.ts';
import { isProcessAlive } from '../../process/index.ts';

/** Where finished spans go: the local span store, or a spool file to be loaded into it later. */
export interface SpanSink {
  /** Resolves with what was stored (the local store says how many spans it refused one by one). */
  insert(spans: readonly SpanRecord[]): Promise<{ rejected: number; firstError: string | null } | void>;
}

const spoolExtension = '.jsonl';
const partExtension = '.jsonl.part';

/**
 * Spans of a one-shot command (`sqlagent ask`, `eval run`), kept as JSON lines in the spool folder instead
 * of opening the embedded app database (a second PGlite costs more than the question). The file is
 * written as `<name>.jsonl.part` and renamed to `.jsonl` by `close`; the next process that opens the span
 * store (`serve`, `traces`, `stats`, `feedback`) loads and deletes it (`drainSpanSpool`).
 */
export class SpanSpool implements SpanSink {
  private readonly name: string;
  private written = false;

  constructor(private readonly directory: string) {
    this.name = path.join(directory, `${Date.now()}-${process.pid}-${randomBytes(4).toString('hex')}`);
  }

  async insert(spans: readonly SpanRecord[]): Promise<void> {
    if (spans.length === 0) return;
    await mkdir(this.directory, { recursive: true });
    await appendFile(`${this.name}${partExtension}`, `${spans.map((span) => JSON.stringify(span)).join('\n')}\n`);
    this.written = true;
  }

  /** Hands the file over to the next drain (nothing to do when no span was written). */
  async close(): Promise<void> {
    if (this.written) await rename(`${this.name}${partExtension}`, `${this.name}${spoolExtension}`);
  }
}

/**
 * Loads spooled spans into the store and deletes their files: finished spool files, and the unfinished
 * ones of processes that are gone (a crash). A line that is not a span (a torn last line, a damaged file)
 * is skipped and reported to `onUnreadable` with its file; a span stored twice is stored once (the store
 * ignores a span id it has). When the store fails, the file stays for the next drain. Returns how many
 * spans were loaded.
 */
export async function drainSpanSpool(
  store: SpanSink,
  directory: string,
  onUnreadable: (file: string, lines: number) => void = () => {},
): Promise<number> {
  const entries = await readdir(directory).catch(() => [] as string[]);
  let loaded = 0;
  for (const entry of entries.sort()) {
    const finished = entry.endsWith(spoolExtension);
    const orphaned = entry.endsWith(partExtension) && !isProcessAlive(Number(entry.split('-')[1]));
    if (!finished && !orphaned) continue;
    const file = path.join(directory, entry);
    const spans: SpanRecord[] = [];
    let unreadable = 0;
    for (const line of (await readFile(file, 'utf8')).split('\n')) {
      if (!line.trim()) continue;
      const span = parseSpanLine(line);
      if (span) spans.push(span);
      else unreadable += 1;
    }
    for (let start = 0; start < spans.length; start += 500) await store.insert(spans.slice(start, start + 500));
    await unlink(file);
    if (unreadable > 0) onUnreadable(file, unreadable);
    loaded += spans.length;
  }
  return loaded;
}

/** A spooled line as a span, or null when it is not one (torn by a crash, or damaged). */
function parseSpanLine(line: string): SpanRecord | null {
  try {
    const value = JSON.parse(line) as Partial<SpanRecord> | null;
    const text = (field: unknown) => typeof field === 'string' && field.length > 0;
    return value && text(value.traceId) && text(value.spanId) && text(value.name) && text(value.startTime) && text(value.endTime)
      ? (value as SpanRecord)
      : null;
  } catch {
    return null;
  }
}
