import { readFile } from 'node:fs/promises';
import { EvalDatasetError } from '../../errors/index.ts';
import type { EvalCase } from '../dataset/eval-case.ts';
import { failedAnswer, type TargetAnswer } from './eval-item.ts';
import type { EvalTarget } from './eval-target.ts';

/**
 * SQL written by any other system, one `{"id": …, "sql": …}` per line (`sql` null or missing: it declined).
 * The scorer runs each statement on the eval database and compares it with the gold.
 */
export class PredictionsTarget implements EvalTarget {
  readonly usesLabels = false;
  readonly description: string;

  private constructor(
    private readonly file: string,
    private readonly predictions: Map<string, string | null>,
    private readonly cases: readonly EvalCase[],
  ) {
    this.description = `predictions ${file}`;
  }

  /**
   * Reads the predictions for these cases. An id is `<dataset>/<case id>`, or the bare case id when no two
   * of the cases share it.
   */
  static async load(file: string, cases: readonly EvalCase[]): Promise<PredictionsTarget> {
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new EvalDatasetError(`${file}: cannot read the predictions (${error.code ?? error.message}).`, { file });
    });
    const predictions = new Map<string, string | null>();
    text.split('\n').forEach((line, index) => {
      if (line.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw new EvalDatasetError(`${file}: line ${index + 1}: not valid JSON (${(error as Error).message}).`, { file, line: index + 1 });
      }
      const record = value as { id?: unknown; sql?: unknown };
      if (typeof record?.id !== 'string' || record.id === '') throw new EvalDatasetError(`${file}: line ${index + 1}: expected {"id": "<case id>", "sql": "<statement>"}; the id is missing.`, { file, line: index + 1 });
      if (record.sql !== undefined && record.sql !== null && typeof record.sql !== 'string') throw new EvalDatasetError(`${file}: line ${index + 1} (id ${record.id}): "sql" must be a string or null.`, { file, line: index + 1 });
      if (predictions.has(record.id)) throw new EvalDatasetError(`${file}: line ${index + 1}: the id ${record.id} appears twice.`, { file, line: index + 1 });
      predictions.set(record.id, typeof record.sql === 'string' && record.sql.trim() !== '' ? record.sql : null);
    });
    return new PredictionsTarget(file, predictions, cases);
  }

  /** Prediction ids that match none of the cases (they are ignored; the caller warns about them). */
  unmatchedIds(): string[] {
    const known = new Set(this.cases.flatMap((evalCase) => [evalCase.id, `${evalCase.dataset}/${evalCase.id}`]));
    return [...this.predictions.keys()].filter((id) => !known.has(id));
  }

  async answer(evalCase: EvalCase): Promise<TargetAnswer> {
    const qualified = `${evalCase.dataset}/${evalCase.id}`;
    let key: string | null = this.predictions.has(qualified) ? qualified : this.predictions.has(evalCase.id) ? evalCase.id : null;
    if (key === evalCase.id && this.cases.filter((other) => other.id === evalCase.id).length > 1) {
      return failedAnswer('error', 'ambiguous_prediction', `${this.file} names case ${evalCase.id} without its dataset, but more than one dataset has that id: write it as ${qualified}.`);
    }
    if (key === null) return failedAnswer('error', 'no_prediction', `${this.file} has no prediction for case ${qualified}.`);
    const sql = this.predictions.get(key) ?? null;
    if (sql === null) return failedAnswer('declined', 'no_sql', 'The prediction has no SQL.');
    return { ...failedAnswer('error', '', ''), status: 'answered', sql, errorCode: null, message: null };
  }

  async close(): Promise<void> {}
}
