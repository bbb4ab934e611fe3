import path from 'node:path';
import type { ReadOnlyResult, SchemaMeta } from '../datasource/index.ts';
import { ExampleNotFoundError, InvalidInputError, KnowledgeInvalidError } from '../errors/index.ts';
import type { Logger } from '../logging/index.ts';
import { checkKnowledge, type CheckedKnowledge } from './check-knowledge.ts';
import { ExampleIndex, type RetrievedExample } from './example-retrieval.ts';
import { editExamples, knowledgeSignature, readKnowledgeFile, type ReadKnowledge } from './knowledge-file.ts';
import { exampleSchema, type ExampleStatus, type KnowledgeExample } from './knowledge-schema.ts';

/** What the knowledge needs of a datasource: its id, where its file is, and a read-only way to probe it. */
export interface KnowledgeDatasource {
  readonly id: string;
  readonly config: { readonly knowledge?: string; readonly fixture?: string };
  executeReadOnly(sql: string, options?: { rowCap?: number }): Promise<ReadOnlyResult>;
}

export interface KnowledgeServiceOptions {
  /** The folder of `<datasource>.yaml` files. Default `knowledge`. */
  directory: string;
  /** Most time before a change on disk is used. Default 1000 ms. */
  reloadIntervalMs?: number;
  /** Where parsed files are kept as JSON between processes (`readKnowledgeFile`); none by default. */
  cacheDirectory?: string;
  logger: Logger;
  now?: () => Date;
}

/** A datasource's knowledge, checked against one schema version, with its example index. */
export interface LoadedKnowledge {
  readonly file: string;
  readonly checked: CheckedKnowledge;
  /** The verified examples closest to a question, best first. */
  retrieve(question: string, limit: number): RetrievedExample[];
}

interface CacheEntry {
  signature: string;
  schemaVersion: string;
  checkedAt: number;
  loaded: LoadedKnowledge;
}

const emptyChecked = (): CheckedKnowledge => ({ glossary: [], metrics: [], joinHints: [], examples: [], problems: [] });

/**
 * The knowledge layer: per datasource, a YAML file of glossary terms, metrics, join hints and examples
 * (`knowledge/<datasource>.yaml`, or the datasource's `knowledge` path), checked against the live schema
 * and hot-reloaded like prompt files. Entries that do not fit the schema are left out and logged (the
 * rest is used); a file that does not parse keeps the last good version in use. The example library
 * grows from use: positive feedback files a candidate, and `approve` makes it a verified example.
 */
export class KnowledgeService {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly loading = new Map<string, Promise<LoadedKnowledge>>();
  private readonly reloadIntervalMs: number;
  private readonly now: () => Date;
  /** Edits of one file run one after another (read, change, write). */
  private readonly editQueue = new Map<string, Promise<unknown>>();
  /** Parsed files by path, used while their signature holds: what `preload` parsed, the next check uses. */
  private readonly parsed = new Map<string, Promise<ReadKnowledge>>();

  constructor(private readonly options: KnowledgeServiceOptions) {
    this.reloadIntervalMs = options.reloadIntervalMs ?? 1000;
    this.now = options.now ?? (() => new Date());
  }

  /** The knowledge file of a datasource: its configured path, else `<directory>/<id>.yaml`, else its fixture's. */
  async fileFor(datasource: Pick<KnowledgeDatasource, 'id' | 'config'>): Promise<string> {
    if (datasource.config.knowledge) return path.resolve(datasource.config.knowledge);
    const own = path.resolve(this.options.directory, `${datasource.id}.yaml`);
    if (datasource.config.fixture && (await knowledgeSignature(own)) === 'absent') {
      const fixture = path.resolve(this.options.directory, `${datasource.config.fixture}.yaml`);
      if ((await knowledgeSignature(fixture)) !== 'absent') return fixture;
    }
    return own;
  }

  /**
   * Reads and parses a datasource's file ahead of its first question, without checking it against the
   * schema (that needs the database): a one-shot command does this while its database opens, instead of
   * after. Settles once parsed, and never rejects: a bad file is reported when a question checks it.
   */
  preload(datasource: Pick<KnowledgeDatasource, 'id' | 'config'>): Promise<void> {
    return this.fileFor(datasource)
      .then((file) => this.read(file))
      .then(
        () => undefined,
        () => undefined,
      );
  }

  /** The parsed file, parsed again only when its signature changed (or its last read failed). */
  private async read(file: string): Promise<ReadKnowledge> {
    const signature = await knowledgeSignature(file);
    const known = await this.parsed.get(file)?.catch(() => null);
    if (known && known.signature === signature) return known;
    const reading = readKnowledgeFile(file, { cacheDirectory: this.options.cacheDirectory });
    this.parsed.set(file, reading);
    reading.catch(() => {
      if (this.parsed.get(file) === reading) this.parsed.delete(file);
    });
    return reading;
  }

  /**
   * The datasource's knowledge for this schema version, from cache while the file is unchanged (the disk
   * is looked at most every `reloadIntervalMs`). Never throws for a bad file: it logs and serves the last
   * good knowledge, or none.
   */
  async forDatasource(datasource: KnowledgeDatasource, meta: SchemaMeta): Promise<LoadedKnowledge> {
    const cached = this.cache.get(datasource.id);
    const nowMs = this.now().getTime();
    if (cached && cached.schemaVersion === meta.schemaVersion && nowMs - cached.checkedAt < this.reloadIntervalMs) return cached.loaded;
    const pending = this.loading.get(datasource.id);
    if (pending) return pending;
    const load = this.load(datasource, meta, cached).finally(() => this.loading.delete(datasource.id));
    this.loading.set(datasource.id, load);
    return load;
  }

  private async load(datasource: KnowledgeDatasource, meta: SchemaMeta, cached: CacheEntry | undefined): Promise<LoadedKnowledge> {
    const file = await this.fileFor(datasource);
    const signature = await knowledgeSignature(file).catch(() => 'unreadable');
    const nowMs = this.now().getTime();
    if (cached && cached.signature === signature && cached.schemaVersion === meta.schemaVersion) {
      cached.checkedAt = nowMs;
      return cached.loaded;
    }
    let checked: CheckedKnowledge;
    try {
      checked = await this.check(datasource, meta, file);
    } catch (error) {
      // A file that does not parse stays refused until it changes; a database that could not be asked
      // (busy, unreachable) is asked again after the next interval.
      const fileAtFault = error instanceof KnowledgeInvalidError;
      this.options.logger.error(fileAtFault ? 'knowledge file not used' : 'knowledge file not checked yet: the database did not answer', {
        datasource: datasource.id,
        file,
        error: (error as Error).message,
      });
      const fallback = cached?.loaded ?? loadedFrom(file, emptyChecked());
      this.cache.set(datasource.id, {
        signature: fileAtFault ? signature : `unchecked:${signature}`,
        schemaVersion: meta.schemaVersion,
        checkedAt: nowMs,
        loaded: fallback,
      });
      return fallback;
    }
    if (checked.problems.length > 0)
      this.options.logger.warn('knowledge entries left out: they do not fit the live schema', {
        datasource: datasource.id,
        file,
        problems: checked.problems,
      });
    const loaded = loadedFrom(file, checked);
    this.cache.set(datasource.id, { signature, schemaVersion: meta.schemaVersion, checkedAt: nowMs, loaded });
    return loaded;
  }

  /**
   * Checks the file against the schema now (the parse is reused while the file's signature holds): what
   * `knowledge check` reports. Throws `KnowledgeInvalidError` for a file that does not parse.
   */
  async check(datasource: KnowledgeDatasource, meta: SchemaMeta, file?: string): Promise<CheckedKnowledge & { file: string }> {
    const target = file ?? (await this.fileFor(datasource));
    const { file: content } = await this.read(target);
    const checked = await checkKnowledge(content, meta, async (sql) => (await datasource.executeReadOnly(sql, { rowCap: 1 })).rows);
    return { ...checked, file: target };
  }

  /** The examples of a datasource's file, optionally of one status. */
  async listExamples(datasource: Pick<KnowledgeDatasource, 'id' | 'config'>, status?: ExampleStatus): Promise<KnowledgeExample[]> {
    const { file } = await this.read(await this.fileFor(datasource));
    return file.examples.filter((example) => !status || example.status === status);
  }

  /**
   * Adds an example. Its SQL must run read-only through the datasource's guard and return rows; a
   * question already in the library (same words, any status) is refused, so feedback cannot pile up copies.
   */
  async addExample(
    datasource: KnowledgeDatasource,
    input: { question: string; sql: string; status: ExampleStatus; by?: string | null; source?: string | null },
  ): Promise<KnowledgeExample> {
    const question = input.question.trim();
    const sql = input.sql.trim().replace(/;\s*$/, '');
    if (question.length < 3) throw new InvalidInputError('The question is empty or too short.', { field: 'question' });
    if (!sql) throw new InvalidInputError('The SQL is empty.', { field: 'sql' });
    const result = await datasource.executeReadOnly(sql, { rowCap: 1 });
    if (result.rows.length === 0)
      throw new InvalidInputError('The SQL returned no rows; an example must show an answer.', { field: 'sql' });
    const file = await this.fileFor(datasource);
    const example = exampleSchema.parse({
      id: exampleId(question),
      question,
      sql,
      status: input.status,
      ...(input.status === 'verified' ? { verified_by: input.by ?? 'unknown', verified_at: this.now().toISOString() } : {}),
      ...(input.source ? { source: input.source } : {}),
    });
    await this.edit(file, (editor, current) => {
      const same = current.find((other) => normalizeQuestion(other.question) === normalizeQuestion(question));
      if (same)
        throw new InvalidInputError(`The library already has this question as example "${same.id}" (${same.status}).`, {
          field: 'question',
          id: same.id,
        });
      let id = example.id;
      for (let suffix = 2; editor.has(id); suffix += 1) id = `${example.id.slice(0, 75)}-${suffix}`;
      example.id = id;
      editor.add(example);
    });
    return example;
  }

  /** Approves (verified, with who and when) or rejects an example by id. */
  async setStatus(
    datasource: Pick<KnowledgeDatasource, 'id' | 'config'>,
    id: string,
    status: 'verified' | 'rejected',
    by: string | null,
  ): Promise<KnowledgeExample> {
    const file = await this.fileFor(datasource);
    let updated: KnowledgeExample | null = null;
    await this.edit(file, (editor, current) => {
      const example = current.find((candidate) => candidate.id === id);
      if (!example) throw new ExampleNotFoundError(`No example "${id}" in ${file}.`, { id, datasource: datasource.id });
      // A rejection records who decided and when in the same fields, so the library says why an example is out.
      const fields: Partial<KnowledgeExample> = { status, verified_by: by ?? 'unknown', verified_at: this.now().toISOString() };
      editor.set(id, fields);
      updated = { ...example, ...fields };
    });
    return updated!;
  }

  /** Forgets the cached knowledge of a datasource (or all), so the next question reads the file again. */
  invalidate(datasourceId?: string): void {
    if (datasourceId) this.cache.delete(datasourceId);
    else this.cache.clear();
  }

  private edit(file: string, change: (editor: Parameters<Parameters<typeof editExamples>[1]>[0], current: KnowledgeExample[]) => void) {
    const previous = this.editQueue.get(file) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        const { file: content } = await readKnowledgeFile(file);
        await editExamples(file, (editor) => change(editor, content.examples));
        for (const [id, entry] of this.cache) if (entry.loaded.file === file) this.cache.delete(id);
      });
    this.editQueue.set(file, next);
    return next;
  }
}

function loadedFrom(file: string, checked: CheckedKnowledge): LoadedKnowledge {
  const index = new ExampleIndex(checked.examples.filter((example) => example.status === 'verified'));
  return { file, checked, retrieve: (question, limit) => index.search(question, limit) };
}

/** A readable, stable id from the question's first words. */
function exampleId(question: string): string {
  const slug = question
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .split('-')
    .slice(0, 8)
    .join('-')
    .slice(0, 60);
  return slug || 'example';
}

function normalizeQuestion(question: string): string {
  return question
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
