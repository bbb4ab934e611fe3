import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { KnowledgeInvalidError } from '../errors/index.ts';
import { knowledgeFileSchema, type KnowledgeExample, type KnowledgeFile } from './knowledge-schema.ts';

/** A knowledge file as read: its content and a signature that changes whenever the file does. */
export interface ReadKnowledge {
  file: KnowledgeFile;
  /** `mtime:ctime:inode:size`, or `absent` when there is no file (an empty knowledge). */
  signature: string;
}

const emptyKnowledge = (): KnowledgeFile => ({ glossary: [], metrics: [], join_hints: [], examples: [] });

/**
 * The file's signature without reading it: cheap enough to check on every question. The inode changes when
 * a file is replaced (an edit written beside it and renamed over it, as `editExamples` and most editors do),
 * and the change time on any write, so a rewrite of the same size within one tick of the clock still shows.
 */
export async function knowledgeSignature(file: string): Promise<string> {
  try {
    const info = await stat(file);
    return `${info.mtimeMs}:${info.ctimeMs}:${info.ino}:${info.size}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw error;
  }
}

/**
 * Reads and validates a knowledge file. A missing file is an empty knowledge, not an error (a datasource
 * need not have one). A file that is not YAML, or whose content breaks the schema, throws
 * `KnowledgeInvalidError` naming the file, the entry (`glossary[3] "ward"`) and the field.
 *
 * With `cacheDirectory`, the parsed YAML is kept there as JSON, keyed by the file's path and checked
 * against a hash of its content: parsing 45 kB of YAML took 60–90 ms of a one-shot command's start, reading
 * the JSON under 1 ms. The content is validated either way; a missing, damaged or unwritable cache only
 * means the YAML is parsed.
 */
export async function readKnowledgeFile(file: string, options: { cacheDirectory?: string } = {}): Promise<ReadKnowledge> {
  const signature = await knowledgeSignature(file);
  if (signature === 'absent') return { file: emptyKnowledge(), signature };
  const text = await readFile(file, 'utf8');
  if (!options.cacheDirectory) return { file: parseKnowledge(text, file), signature };
  const cacheFile = path.join(options.cacheDirectory, `${createHash('sha256').update(path.resolve(file)).digest('hex').slice(0, 24)}.json`);
  // The parser's version and options are part of the key: another parse of the same text is not reused.
  const contentHash = createHash('sha256').update(`${cacheFormat}\n${yamlVersion()}\n${text}`).digest('hex');
  const cached = await readFile(cacheFile, 'utf8')
    .then((json) => JSON.parse(json) as { contentHash?: unknown; raw?: unknown } | null)
    .catch(() => null);
  if (cached?.contentHash === contentHash) {
    // An entry that does not validate is damaged (the YAML it came from did): the YAML decides.
    try {
      return { file: validateKnowledge(cached.raw ?? {}, file), signature };
    } catch {
      // parsed again below
    }
  }
  const raw = parseKnowledgeYaml(text, file);
  const knowledge = validateKnowledge(raw, file);
  // Only what JSON holds exactly is cached (a YAML `.inf` would come back as null).
  const json = JSON.stringify({ contentHash, source: path.resolve(file), raw });
  if (isDeepStrictEqual(JSON.parse(json).raw, raw)) {
    await writeAtomically(cacheFile, json).catch(() => undefined);
    await pruneCache(options.cacheDirectory).catch(() => undefined);
  }
  return { file: knowledge, signature };
}

/**
 * Removes the entries of knowledge files that no longer exist (moved or deleted), when an entry is written:
 * one file per knowledge file ever read would otherwise stay for ever. Entries without a source are older
 * ones, and go too (they are parsed again if still wanted).
 */
async function pruneCache(directory: string): Promise<void> {
  for (const name of await readdir(directory)) {
    if (!name.endsWith('.json')) continue;
    const entry = path.join(directory, name);
    const source = await readFile(entry, 'utf8')
      .then((json) => (JSON.parse(json) as { source?: unknown }).source)
      .catch(() => undefined);
    const exists = typeof source === 'string' && (await knowledgeSignature(source).catch(() => 'absent')) !== 'absent';
    if (!exists) await unlink(entry).catch(() => undefined);
  }
}

/** What the cache holds: the YAML parsed with `parseDocument(text, { prettyErrors: false }).toJS()`. */
const cacheFormat = 'knowledge-yaml-tojs-1';

let installedYamlVersion: string | null = null;
/** The installed `yaml` package's version ('unknown' if it cannot be read). */
function yamlVersion(): string {
  if (installedYamlVersion === null) {
    try {
      installedYamlVersion = (createRequire(import.meta.url)('yaml/package.json') as { version: string }).version;
    } catch {
      installedYamlVersion = 'unknown';
    }
  }
  return installedYamlVersion;
}

/** Writes beside `file` and renames over it, so a reader sees the old content or the new, never half. */
async function writeAtomically(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, content);
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** Parses and validates knowledge YAML; `file` names the source in errors. */
export function parseKnowledge(text: string, file: string): KnowledgeFile {
  return validateKnowledge(parseKnowledgeYaml(text, file), file);
}

/** The YAML's content as plain values; throws `KnowledgeInvalidError` at the first syntax error. */
function parseKnowledgeYaml(text: string, file: string): unknown {
  const document = parseDocument(text, { prettyErrors: false });
  if (document.errors.length > 0) {
    const first = document.errors[0];
    // Without pretty errors the parser gives an offset, not a line.
    const line = first.linePos?.[0]?.line ?? text.slice(0, first.pos[0]).split('\n').length;
    throw new KnowledgeInvalidError(`${file}${line ? `:${line}` : ''}: not valid YAML: ${first.message.split('\n')[0]}`, {
      file,
      problems: [first.message.split('\n')[0]],
    });
  }
  return (document.toJS() as unknown) ?? {};
}

/** Checks parsed content against the knowledge schema; `file` names the source in errors. */
function validateKnowledge(raw: unknown, file: string): KnowledgeFile {
  const parsed = knowledgeFileSchema.safeParse(raw);
  if (parsed.success) {
    const duplicates = duplicateIds(parsed.data.examples);
    if (duplicates.length > 0)
      throw new KnowledgeInvalidError(`${file}: example ids must be unique; repeated: ${duplicates.join(', ')}`, {
        file,
        problems: duplicates.map((id) => `examples: id "${id}" is used more than once`),
      });
    return parsed.data;
  }
  const problems = parsed.error.issues.slice(0, 20).map((issue) => describeIssue(raw, issue));
  throw new KnowledgeInvalidError(`${file}: ${problems.join('; ')}`, { file, problems });
}

function duplicateIds(examples: readonly KnowledgeExample[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const example of examples) (seen.has(example.id) ? repeated : seen).add(example.id);
  return [...repeated];
}

/** `glossary[2] "ward": column: …`: the list, the index, the entry's own name, then the field. */
function describeIssue(raw: unknown, issue: z.core.$ZodIssue): string {
  const [section, index, ...field] = issue.path;
  let where = String(section ?? '(top level)');
  if (typeof index === 'number') {
    const entry = (raw as Record<string, unknown[]>)[String(section)]?.[index] as Record<string, unknown> | undefined;
    const label = entry?.term ?? entry?.name ?? entry?.id ?? entry?.from;
    where += `[${index}]${typeof label === 'string' ? ` "${label}"` : ''}`;
  } else if (index !== undefined) field.unshift(index);
  const fieldText = field.length ? `${field.join('.')}: ` : '';
  return `${where}: ${fieldText}${issue.message}`;
}

/**
 * Changes the `examples` list of a knowledge file in place and writes it back atomically, keeping every
 * comment and the layout of the rest (the YAML document is edited, not re-serialized from data). The
 * result is validated before it is written, so a bad edit leaves the file as it was.
 */
export async function editExamples(file: string, edit: (examples: ExampleListEditor) => void): Promise<KnowledgeFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    text = `# Business knowledge for the agent: glossary, metrics, join hints and verified examples.\n# See README "Business knowledge".\nexamples: []\n`;
  }
  parseKnowledge(text, file); // the file as it stands must be valid before it is changed
  const document = parseDocument(text);
  if (!isMap(document.contents)) throw new KnowledgeInvalidError(`${file}: the top level must be a mapping`, { file, problems: [] });
  if (!isSeq(document.get('examples'))) document.set('examples', document.createNode([]));
  edit(new ExampleListEditor(document));
  // Flow lists stay as people write them (`[a, b]`, not the library's `[ a, b ]`), so an edit changes only the examples.
  const updated = document.toString({ lineWidth: 0, flowCollectionPadding: false });
  const result = parseKnowledge(updated, file);
  await writeAtomically(file, updated);
  return result;
}

/** The edits the example commands make, on the YAML document. */
export class ExampleListEditor {
  constructor(private readonly document: Document) {}

  private list(): Array<Record<string, unknown>> {
    return (this.document.toJS() as KnowledgeFile).examples ?? [];
  }

  /** The index of an example by id, or -1. */
  indexOf(id: string): number {
    return this.list().findIndex((example) => example.id === id);
  }

  has(id: string): boolean {
    return this.indexOf(id) >= 0;
  }

  add(example: KnowledgeExample): void {
    const plain = Object.fromEntries(Object.entries(example).filter(([, value]) => value !== undefined));
    this.document.addIn(['examples'], this.document.createNode(plain));
  }

  set(id: string, fields: Partial<KnowledgeExample>): void {
    const index = this.indexOf(id);
    if (index < 0) throw new Error(`no example ${id}`);
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) this.document.setIn(['examples', index, key], value);
  }
}
