import { appendFile, mkdir, open as openFile, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EvalRunNotFoundError, InvalidInputError } from '../../errors/index.ts';
import type { EvalReport } from '../report/eval-report.ts';
import type { EvalItemResult } from './eval-item.ts';
import { isProcessAlive } from '../../process/index.ts';

/** What `run.json` records at the start of a run: enough to resume it. */
export interface RunManifest {
  runId: string;
  createdAt: string;
  mode: 'run' | 'score';
  /** The options the run was started with (database URLs with passwords masked). */
  parameters: EvalReport['parameters'] & { datasourceUrls: Record<string, string>; predictions: string | null; predictionsSha256?: string | null; server: string | null };
  datasets: Array<{ name: string; file: string; sha256: string; cases: number }>;
}

const runIdPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/;

/** Checks a run id before it becomes a path (ids come from HTTP and the command line). */
export function assertRunId(runId: string): void {
  if (!runIdPattern.test(runId) || runId.includes('..')) {
    throw new InvalidInputError(`"${runId.slice(0, 80)}" is not a run id: use letters, digits, _, - and . (as \`eval run\` names them).`, { field: 'runId' });
  }
}

/** A run id: the UTC time and the labels, e.g. `20261206-134512-production-vs-staging`. */
export function newRunId(at: Date, labels: readonly string[], suffix?: string): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const what = (suffix ?? labels.join('-vs-')).replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 120);
  return `${stamp}-${what}`;
}

/**
 * One run's folder under the reports directory: `run.json` (the manifest), `items.jsonl` (one line per
 * finished item, appended as they finish, so an interrupted run can resume), and the reports.
 */
export class RunStore {
  private appending: Promise<void> = Promise.resolve();

  private constructor(readonly directory: string) {}

  /** Starts a run folder, and holds its lock until `release` (one process writes a run at a time). */
  static async create(reportsDirectory: string, manifest: RunManifest): Promise<RunStore> {
    assertRunId(manifest.runId);
    const directory = path.join(reportsDirectory, manifest.runId);
    await mkdir(directory, { recursive: true });
    if (await exists(path.join(directory, 'run.json'))) throw new InvalidInputError(`The run ${manifest.runId} already exists in ${reportsDirectory}; resume it with --resume ${manifest.runId}.`, { runId: manifest.runId });
    await lockRun(directory, manifest.runId);
    await writeAtomically(path.join(directory, 'run.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return new RunStore(directory);
  }

  /** Opens an earlier run: its manifest and the items it finished (a torn last line is dropped). */
  static async open(reportsDirectory: string, runId: string): Promise<{ store: RunStore; manifest: RunManifest; items: EvalItemResult[] }> {
    assertRunId(runId);
    const directory = path.join(reportsDirectory, runId);
    const manifestText = await readFile(path.join(directory, 'run.json'), 'utf8').catch(() => null);
    if (manifestText === null) throw new EvalRunNotFoundError(`No run ${runId} in ${reportsDirectory} (it has no run.json).`, { runId });
    const manifest = JSON.parse(manifestText) as RunManifest;
    await lockRun(directory, runId);
    const itemsText = await readFile(path.join(directory, 'items.jsonl'), 'utf8').catch(() => '');
    const items: EvalItemResult[] = [];
    const keys = new Set<string>();
    for (const line of itemsText.split('\n')) {
      if (line.trim() === '') continue;
      try {
        const item = JSON.parse(line) as EvalItemResult;
        // A key recorded twice (a file edited, or two writers before the lock) counts once: the first.
        if (typeof item?.key !== 'string' || keys.has(item.key)) continue;
        keys.add(item.key);
        items.push(item);
      } catch {
        // The process died mid-write: that item is simply run again.
      }
    }
    return { store: new RunStore(directory), manifest, items };
  }

  /** Gives up the run's lock (the session ends). */
  async release(): Promise<void> {
    await this.appending.catch(() => undefined);
    await unlink(path.join(this.directory, 'run.lock')).catch(() => undefined);
  }

  /** Appends one finished item; appends are serialized so lines never interleave. */
  append(item: EvalItemResult): Promise<void> {
    this.appending = this.appending.then(() => appendFile(path.join(this.directory, 'items.jsonl'), `${JSON.stringify(item)}\n`));
    return this.appending;
  }

  /** Writes the reports: `report.json`, and the rendered files given (`report.md`, `report.html`). */
  async writeReport(report: EvalReport, rendered: Record<string, string>): Promise<void> {
    await this.appending;
    await writeAtomically(path.join(this.directory, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    for (const [name, text] of Object.entries(rendered)) await writeAtomically(path.join(this.directory, name), text);
  }
}

/** A run as the list of runs shows it. */
export interface RunListing {
  runId: string;
  createdAt: string;
  finishedAt: string | null;
  complete: boolean;
  mode: 'run' | 'score';
  datasets: string[];
  labels: Array<{ label: string; promptVersions: number[]; accuracy: number | null; items: number }>;
  comparisons: Array<{ first: string; second: string; verdict: string; pValue: number }>;
  /** False while a run has a manifest but no report yet (running, or interrupted before any report). */
  hasReport: boolean;
}

/** Every run in the reports folder, newest first. */
export async function listRuns(reportsDirectory: string): Promise<RunListing[]> {
  const entries = await readdir(reportsDirectory, { withFileTypes: true }).catch(() => []);
  const runs: RunListing[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !runIdPattern.test(entry.name)) continue;
    const report = await readJson<EvalReport>(path.join(reportsDirectory, entry.name, 'report.json'));
    // A copy of another run (`latest/`, published from it) is listed once, under the run's own name.
    if (report && report.runId !== entry.name && entries.some((other) => other.isDirectory() && other.name === report.runId)) continue;
    const manifest = report ? null : await readJson<RunManifest>(path.join(reportsDirectory, entry.name, 'run.json'));
    // A folder someone edited by hand is left out rather than failing the whole listing.
    try {
      if (report) runs.push(listingOfReport(entry.name, report));
      else if (manifest) runs.push(listingOfManifest(entry.name, manifest));
    } catch {
      continue;
    }
  }
  return runs.sort((left, right) => (left.createdAt < right.createdAt ? 1 : left.createdAt > right.createdAt ? -1 : left.runId < right.runId ? 1 : -1));
}

function listingOfReport(runId: string, report: EvalReport): RunListing {
  return {
    runId,
    createdAt: String(report.createdAt),
    finishedAt: report.finishedAt,
    complete: report.complete,
    mode: report.mode,
    datasets: report.parameters.datasets,
    labels: report.labels.map((label) => ({ label: label.label, promptVersions: label.promptVersions, accuracy: label.overall.accuracy, items: label.overall.items })),
    comparisons: report.comparisons.map((comparison) => ({ first: comparison.first, second: comparison.second, verdict: comparison.verdict, pValue: comparison.pValue })),
    hasReport: true,
  };
}

function listingOfManifest(runId: string, manifest: RunManifest): RunListing {
  return {
    runId,
    createdAt: String(manifest.createdAt),
    finishedAt: null,
    complete: false,
    mode: manifest.mode,
    datasets: [...manifest.parameters.datasets],
    labels: manifest.parameters.labels.map((label) => ({ label, promptVersions: [], accuracy: null, items: 0 })),
    comparisons: [],
    hasReport: false,
  };
}

/** The report of one run. */
export async function readReport(reportsDirectory: string, runId: string): Promise<EvalReport> {
  assertRunId(runId);
  const report = await readJson<EvalReport>(path.join(reportsDirectory, runId, 'report.json'));
  if (!report) {
    const started = await exists(path.join(reportsDirectory, runId, 'run.json'));
    throw new EvalRunNotFoundError(started ? `The run ${runId} has no report yet (it is running, or was interrupted: resume it with \`eval run --resume ${runId}\`).` : `No run ${runId} in ${reportsDirectory}.`, { runId });
  }
  return report;
}

/**
 * Takes `run.lock` in a run folder (holding the pid): a second process resuming a run that is still
 * going is refused, naming the holder; a lock left by a process that is gone is taken over.
 */
async function lockRun(directory: string, runId: string): Promise<void> {
  const lock = path.join(directory, 'run.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await openFile(lock, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && isProcessAlive(holder)) {
        throw new InvalidInputError(`The run ${runId} is being written by process ${holder}${holder === process.pid ? ' (this one)' : ''}; wait for it to finish or stop it first.`, { runId });
      }
      await unlink(lock).catch(() => undefined);
    }
  }
  throw new InvalidInputError(`The run ${runId} could not be locked (another process took it at the same moment).`, { runId });
}


async function readJson<T>(file: string): Promise<T | null> {
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(() => true, () => false);
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}
