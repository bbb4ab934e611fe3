import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { EvalDatasetError } from '../../errors/index.ts';
import { datasetFileSchema, evalCaseSchema, type EvalCase, type EvalDataset } from './eval-case.ts';

const extensions = ['.yaml', '.yml', '.jsonl'] as const;

/** The dataset files in a folder, by name (file name without extension), sorted. */
export async function listDatasetFiles(directory: string): Promise<Array<{ name: string; file: string }>> {
  const entries = await readdir(directory).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new EvalDatasetError(`The datasets folder ${directory} does not exist.`, { directory });
    throw error;
  });
  return entries
    .filter((entry) => extensions.some((extension) => entry.endsWith(extension)))
    .sort()
    .map((entry) => ({ name: datasetNameOf(entry), file: path.join(directory, entry) }));
}

/**
 * Finds a dataset by name in `directory` (`shop` → `shop.yaml`, `shop.yml` or `shop.jsonl`), or takes
 * `reference` as a path when it names a file.
 */
export async function resolveDatasetFile(reference: string, directory: string): Promise<string> {
  if (extensions.some((extension) => reference.endsWith(extension))) return reference;
  const files = await listDatasetFiles(directory);
  const found = files.filter((entry) => entry.name === reference);
  if (found.length === 1) return found[0].file;
  if (found.length > 1) throw new EvalDatasetError(`The dataset name "${reference}" is ambiguous in ${directory}: ${found.map((entry) => path.basename(entry.file)).join(', ')}.`, { dataset: reference });
  const known = files.map((entry) => entry.name);
  throw new EvalDatasetError(`No dataset "${reference}" in ${directory}${known.length ? ` (there are: ${known.join(', ')})` : ' (it has no .yaml, .yml or .jsonl files)'}.`, { dataset: reference });
}

/** Loads and validates datasets by name or path; every error names the file and the case. */
export async function loadDatasets(references: readonly string[], directory: string): Promise<EvalDataset[]> {
  const datasets: EvalDataset[] = [];
  for (const reference of references) datasets.push(await loadDatasetFile(await resolveDatasetFile(reference, directory)));
  const names = new Set<string>();
  for (const dataset of datasets) {
    if (names.has(dataset.name)) throw new EvalDatasetError(`The dataset "${dataset.name}" was given twice.`, { dataset: dataset.name });
    names.add(dataset.name);
  }
  return datasets;
}

/** Reads one dataset file (YAML: a list of cases or `{description, cases}`; JSONL: one case per line). */
export async function loadDatasetFile(file: string): Promise<EvalDataset> {
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new EvalDatasetError(`${file}: cannot read the dataset (${error.code ?? error.message}).`, { file });
  });
  const text = bytes.toString('utf8');
  const name = datasetNameOf(path.basename(file));
  const { description, records } = file.endsWith('.jsonl') ? readJsonLines(file, text) : readYaml(file, text);
  return { name, file, description, cases: parseCases(file, name, records), sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Validates raw case records: the zod schema, then unique ids. */
export function parseCases(file: string, dataset: string, records: ReadonlyArray<{ value: unknown; where: string }>): EvalCase[] {
  if (records.length === 0) throw new EvalDatasetError(`${file}: the dataset has no cases.`, { file });
  const seen = new Map<string, string>();
  return records.map(({ value, where }) => {
    const id = typeof (value as { id?: unknown })?.id === 'string' ? (value as { id: string }).id : null;
    const label = `${where}${id ? ` (id ${id})` : ''}`;
    const parsed = evalCaseSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || 'case';
      throw new EvalDatasetError(`${file}: ${label}: ${field}: ${issue?.message}.`, { file, case: id, field });
    }
    const record = parsed.data;
    const previous = seen.get(record.id);
    if (previous) throw new EvalDatasetError(`${file}: ${label}: the id ${record.id} is already used by ${previous}.`, { file, case: record.id, field: 'id' });
    seen.set(record.id, where);
    return {
      id: record.id,
      dataset,
      datasource: record.datasource,
      question: record.question,
      gold: { postgres: record.sql_postgres ?? record.sql ?? null, mysql: record.sql_mysql ?? record.sql ?? null },
      difficulty: record.difficulty,
      tags: record.tags,
      orderMatters: record.order_matters ?? null,
      today: record.today ?? null,
      expectEmpty: record.expect_empty,
    };
  });
}

function readYaml(file: string, text: string): { description: string | null; records: Array<{ value: unknown; where: string }> } {
  let document: unknown;
  try {
    // Dates stay strings (`today: 2025-03-15`), as the schema expects.
    document = parseYaml(text, { schema: 'core', prettyErrors: true });
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` at line ${error.linePos[0].line}` : '';
    throw new EvalDatasetError(`${file}: not valid YAML${where}: ${(error as Error).message.split('\n')[0]}`, { file });
  }
  const shape = datasetFileSchema.safeParse(document);
  if (!shape.success) throw new EvalDatasetError(`${file}: expected a list of cases, or an object with "description" and "cases".`, { file });
  const cases = Array.isArray(shape.data) ? shape.data : shape.data.cases;
  const description = Array.isArray(shape.data) ? null : (shape.data.description ?? null);
  return { description, records: cases.map((value, index) => ({ value, where: `case ${index + 1}` })) };
}

function readJsonLines(file: string, text: string): { description: null; records: Array<{ value: unknown; where: string }> } {
  const records: Array<{ value: unknown; where: string }> = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      records.push({ value: JSON.parse(line), where: `line ${index + 1}` });
    } catch (error) {
      throw new EvalDatasetError(`${file}: line ${index + 1}: not valid JSON (${(error as Error).message}).`, { file, line: index + 1 });
    }
  });
  return { description: null, records };
}

function datasetNameOf(fileName: string): string {
  return fileName.replace(/\.(yaml|yml|jsonl)$/, '');
}
