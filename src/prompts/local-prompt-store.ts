import { dictionary } from './dictionary.ts';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { InvalidInputError, PromptNotFoundError, PromptTemplateError } from '../errors/index.ts';
import { checkTemplateSyntax } from './compile-prompt.ts';
import { formatFrontMatter, parseFrontMatter } from './front-matter.ts';
import type { PromptStore } from './prompt-store.ts';
import {
  type LabelHistory,
  assertPromptName,
  assertSettableLabel,
  defaultLabel,
  describeConfigIssues,
  latestLabel,
  promptConfigSchema,
  promptNamePattern,
  type PromptConfig,
  type PromptSelector,
  type PromptSummary,
  type PromptVersion,
} from './prompt-version.ts';

export interface LocalPromptStoreOptions {
  /** The prompts folder: one folder per prompt name, `v<N>.md` per version, `labels.yaml`. */
  directory: string;
  /**
   * How often the store looks at the disk for changes. A new version or a moved label written by anyone
   * (an editor, git, another process) is served within this delay, with no restart. Default 1000 ms.
   */
  reloadIntervalMs?: number;
  now?: () => Date;
}

const labelsFileSchema = z
  .object({
    labels: z.record(z.string(), z.number().int().positive()).default({}),
    history: z.record(z.string(), z.array(z.object({ version: z.number().int().positive(), at: z.string() }))).default({}),
  })
  .strict();
type LabelsFile = z.infer<typeof labelsFileSchema>;

interface StoredVersion {
  version: number;
  template: string;
  config: PromptConfig;
  commitMessage: string | null;
  createdAt: string | null;
}

interface LoadedPrompt {
  signature: string;
  checkedAt: number;
  versions: Map<number, StoredVersion>;
  /** Version files that exist but cannot be read, with the reason. */
  broken: Map<number, string>;
  labels: LabelsFile;
}

const versionFilePattern = /^v([1-9][0-9]*)\.md$/;

/**
 * Prompts as files, the embedded default. Layout: `prompts/agent/db_agent/v1.md` (YAML front matter with
 * `config`, `commitMessage`, `createdAt`, then the template) and `prompts/agent/db_agent/labels.yaml`
 * (each label's version and its history, so rollback knows where to go).
 *
 * Writes are atomic (temporary file, then rename). Reads are cached and re-validated against the disk
 * at most every `reloadIntervalMs`, which bounds how long a change takes to be served.
 */
export class LocalPromptStore implements PromptStore {
  readonly kind = 'local' as const;
  private readonly cache = new Map<string, LoadedPrompt>();
  private readonly reloadIntervalMs: number;
  private readonly now: () => Date;

  constructor(private readonly options: LocalPromptStoreOptions) {
    this.reloadIntervalMs = options.reloadIntervalMs ?? 1000;
    this.now = options.now ?? (() => new Date());
  }

  get directory(): string {
    return this.options.directory;
  }

  async get(name: string, selector: PromptSelector = {}): Promise<PromptVersion> {
    const prompt = await this.load(name);
    if (prompt.versions.size === 0 && prompt.broken.size === 0) {
      const known = (await this.list()).map((summary) => summary.name);
      throw new PromptNotFoundError(`Prompt "${name}" not found in ${this.options.directory}. Known prompts: ${known.join(', ') || '(none)'}.`, { prompt: name });
    }
    const version = selector.version ?? this.versionForLabel(name, prompt, selector.label ?? defaultLabel);
    const broken = prompt.broken.get(version);
    if (broken) throw new PromptTemplateError(`Prompt "${name}" v${version} cannot be read: ${broken}`, { prompt: name, version });
    const stored = prompt.versions.get(version);
    if (!stored) {
      throw new PromptNotFoundError(`Prompt "${name}" has no version ${version}. Versions: ${[...prompt.versions.keys()].sort((a, b) => a - b).join(', ')}.`, { prompt: name, version });
    }
    return this.toPromptVersion(name, prompt, stored);
  }

  async list(): Promise<PromptSummary[]> {
    const names: string[] = [];
    const walk = async (folder: string, prefix: string[]) => {
      const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
      if (entries.some((entry) => entry.isFile() && versionFilePattern.test(entry.name))) names.push(prefix.join('/'));
      for (const entry of entries) if (entry.isDirectory()) await walk(path.join(folder, entry.name), [...prefix, entry.name]);
    };
    await walk(this.options.directory, []);
    const summaries: PromptSummary[] = [];
    for (const name of names.filter((candidate) => promptNamePattern.test(candidate)).sort()) {
      const prompt = await this.load(name);
      const versions = [...prompt.versions.keys()].sort((a, b) => a - b);
      const labels: Record<string, number> = { ...prompt.labels.labels };
      if (versions.length) labels[latestLabel] = versions[versions.length - 1];
      summaries.push({ name, versions, labels });
    }
    return summaries;
  }

  async versions(name: string): Promise<PromptVersion[]> {
    const prompt = await this.load(name);
    if (prompt.versions.size === 0) throw new PromptNotFoundError(`Prompt "${name}" not found in ${this.options.directory}.`, { prompt: name });
    return [...prompt.versions.values()].sort((a, b) => a.version - b.version).map((stored) => this.toPromptVersion(name, prompt, stored));
  }

  async createVersion(name: string, template: string, config: PromptConfig, commitMessage: string): Promise<PromptVersion> {
    const folder = this.folderOf(name);
    const parsedConfig = promptConfigSchema.safeParse(config);
    if (!parsedConfig.success) throw new InvalidInputError(`The config of the new version is invalid: ${describeConfigIssues(parsedConfig.error)}`, { field: 'config' });
    checkTemplateSyntax(name, 'new', template);
    await mkdir(folder, { recursive: true });
    const prompt = await this.load(name, true);
    let version = Math.max(0, ...prompt.versions.keys(), ...prompt.broken.keys()) + 1;
    const createdAt = this.now().toISOString();
    const text = formatFrontMatter({ version, createdAt, commitMessage, config: parsedConfig.data }, template);
    // `wx` refuses to overwrite: if another writer took this number first, take the next one.
    for (;;) {
      try {
        await writeFile(path.join(folder, `v${version}.md`), text.replace(/^version: \d+$/m, `version: ${version}`), { flag: 'wx' });
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        version += 1;
      }
    }
    this.invalidate(name);
    return this.get(name, { version });
  }

  async setLabel(name: string, label: string, version: number): Promise<void> {
    assertSettableLabel(label);
    const prompt = await this.load(name, true);
    if (!prompt.versions.has(version)) {
      throw new PromptNotFoundError(`Prompt "${name}" has no version ${version}. Versions: ${[...prompt.versions.keys()].sort((a, b) => a - b).join(', ') || '(none)'}.`, { prompt: name, version });
    }
    const labels = labelsDictionaries(structuredClone(prompt.labels));
    const history = (labels.history[label] ??= labels.labels[label] ? [{ version: labels.labels[label], at: 'unknown' }] : []);
    if (labels.labels[label] === version) return;
    labels.labels[label] = version;
    history.push({ version, at: this.now().toISOString() });
    await this.writeLabels(name, labels);
  }

  async labelHistory(name: string): Promise<LabelHistory> {
    const { labels } = await this.load(name);
    return Object.fromEntries(
      Object.entries(labels.history).map(([label, moves]) => [label, moves.map((move) => ({ version: move.version, at: move.at === 'unknown' ? null : move.at }))]),
    );
  }

  async rollback(name: string, label: string): Promise<number> {
    assertSettableLabel(label);
    const prompt = await this.load(name, true);
    const labels = labelsDictionaries(structuredClone(prompt.labels));
    const history = labels.history[label] ?? [];
    if (history.length < 2) {
      throw new PromptNotFoundError(`Label "${label}" of prompt "${name}" has no earlier version to roll back to.`, { prompt: name, label });
    }
    history.pop();
    const previous = history[history.length - 1].version;
    labels.labels[label] = previous;
    await this.writeLabels(name, labels);
    return previous;
  }

  invalidate(name: string): void {
    this.cache.delete(name);
  }

  private versionForLabel(name: string, prompt: LoadedPrompt, label: string): number {
    if (label === latestLabel) return Math.max(...prompt.versions.keys());
    const version = prompt.labels.labels[label];
    if (version === undefined) {
      const known = Object.entries(prompt.labels.labels).map(([known, number]) => `${known} -> v${number}`);
      throw new PromptNotFoundError(`No version of prompt "${name}" has the label "${label}". Labels: ${[...known, `latest -> v${Math.max(...prompt.versions.keys())}`].join(', ')}.`, { prompt: name, label });
    }
    return version;
  }

  private toPromptVersion(name: string, prompt: LoadedPrompt, stored: StoredVersion): PromptVersion {
    const highest = Math.max(...prompt.versions.keys());
    const labels = Object.entries(prompt.labels.labels).filter(([, version]) => version === stored.version).map(([label]) => label).sort();
    if (stored.version === highest) labels.push(latestLabel);
    return { name, version: stored.version, labels, template: stored.template, config: stored.config, commitMessage: stored.commitMessage, createdAt: stored.createdAt, source: 'local', isFallback: false };
  }

  private folderOf(name: string): string {
    assertPromptName(name);
    return path.join(this.options.directory, ...name.split('/'));
  }

  private async load(name: string, force = false): Promise<LoadedPrompt> {
    const folder = this.folderOf(name);
    const cached = this.cache.get(name);
    const now = Date.now();
    if (cached && !force && now - cached.checkedAt < this.reloadIntervalMs) return cached;
    const signature = await signatureOf(folder);
    if (cached && cached.signature === signature) {
      cached.checkedAt = now;
      return cached;
    }
    const loaded: LoadedPrompt = { signature, checkedAt: now, versions: new Map(), broken: new Map(), labels: labelsDictionaries({ labels: {}, history: {} }) };
    const entries = await readdir(folder).catch(() => [] as string[]);
    for (const entry of entries) {
      const match = versionFilePattern.exec(entry);
      if (!match) continue;
      const version = Number(match[1]);
      try {
        loaded.versions.set(version, parseVersionFile(await readFile(path.join(folder, entry), 'utf8'), version));
      } catch (error) {
        loaded.broken.set(version, `${entry}: ${(error as Error).message}`);
      }
    }
    const labelsText = await readFile(path.join(folder, 'labels.yaml'), 'utf8').catch(() => null);
    if (labelsText !== null) {
      const parsed = labelsFileSchema.safeParse(parseYaml(labelsText) ?? {});
      if (!parsed.success) throw new PromptTemplateError(`The labels file of prompt "${name}" is invalid: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`, { prompt: name });
      loaded.labels = labelsDictionaries(parsed.data);
    }
    this.cache.set(name, loaded);
    return loaded;
  }

  private async writeLabels(name: string, labels: LabelsFile): Promise<void> {
    const file = path.join(this.folderOf(name), 'labels.yaml');
    const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
    const header = '# Which version each label serves, and each label\'s history (the last entry is current).\n# Written by `sqlagent prompts promote|rollback`; safe to edit by hand.\n';
    await writeFile(temporary, header + stringifyYaml(labels));
    await rename(temporary, file);
    this.invalidate(name);
  }
}

function parseVersionFile(text: string, version: number): StoredVersion {
  const { data, body } = parseFrontMatter(text);
  if (data.version !== undefined && data.version !== version) throw new Error(`its front matter says version ${String(data.version)}`);
  const config = promptConfigSchema.safeParse(data.config ?? {});
  if (!config.success) throw new Error(`invalid config: ${describeConfigIssues(config.error)}`);
  const createdAt = data.createdAt instanceof Date ? data.createdAt.toISOString() : typeof data.createdAt === 'string' ? data.createdAt : null;
  return { version, template: body, config: config.data, commitMessage: typeof data.commitMessage === 'string' ? data.commitMessage : null, createdAt };
}

/** What changes when anything in the folder changes: names, sizes and modification times. */
async function signatureOf(folder: string): Promise<string> {
  const entries = await readdir(folder).catch(() => null);
  if (entries === null) return 'missing';
  const parts: string[] = [];
  for (const entry of entries.sort()) {
    if (!versionFilePattern.test(entry) && entry !== 'labels.yaml') continue;
    const info = await stat(path.join(folder, entry)).catch(() => null);
    if (info) parts.push(`${entry}:${info.size}:${info.mtimeMs}`);
  }
  return parts.join('|');
}

/** The labels file with prototype-free maps, so any label name looks up as an ordinary key. */
function labelsDictionaries(file: LabelsFile): LabelsFile {
  return { labels: dictionary(file.labels), history: dictionary(file.history) };
}
