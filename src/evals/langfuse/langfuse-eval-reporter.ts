import type { EvalDataset } from '../dataset/eval-case.ts';
import type { EvalReport } from '../report/eval-report.ts';
import type { EvalItemResult } from '../run/eval-item.ts';

export interface LangfuseEvalReporterOptions {
  publicKey: string;
  secretKey: string;
  baseUrl: string;
  /** Per request. */
  timeoutMs: number;
  /** Requests in flight at once. Default 8. */
  concurrency?: number;
}

/** What one upload did, for the command's output and for tests. */
export interface LangfuseUploadSummary {
  datasets: string[];
  items: number;
  runs: string[];
  runItems: number;
  scores: number;
  /** Requests that failed, with the first few messages; the rest of the upload went on. */
  failures: number;
  failureMessages: string[];
}

/** The Langfuse dataset name of an eval dataset. */
export function langfuseDatasetName(dataset: string): string {
  return `sqlagent-eval/${dataset}`;
}

/** The Langfuse dataset item id of a case (item ids are unique per project, across datasets). */
export function langfuseItemId(dataset: string, caseId: string): string {
  return `sqlagent-eval:${dataset}:${caseId}`;
}

/**
 * A finished eval run in Langfuse, so the comparison shows in its UI too: each eval dataset is upserted
 * as a Langfuse dataset (items upserted on a stable id: the question as input, the gold SQL as expected
 * output); each label becomes a dataset run named `<label>@v<version>` whose run items link each case to
 * the trace that answered it; and every trace gets the scores `exec_accuracy` (1 or 0), `latency_ms` and
 * `cost_usd`. Uses the real `@langfuse/client` (its public API); failures are counted, never thrown
 * item by item.
 */
export class LangfuseEvalReporter {
  constructor(private readonly options: LangfuseEvalReporterOptions) {}

  async publish(report: EvalReport, datasets: readonly EvalDataset[]): Promise<string> {
    const summary = await this.upload(report, datasets);
    if (summary.failures && summary.datasets.length === 0) return `Langfuse upload failed: ${summary.failures} requests failed: ${summary.failureMessages.join(' | ')}.`;
    const parts = [
      `datasets ${summary.datasets.join(', ')} (${summary.items} items)`,
      summary.runs.length
        ? `runs ${summary.runs.join(', ')} (${summary.runItems} run items, ${summary.scores} scores)`
        : summary.failures
          ? `no runs (${summary.scores} scores)`
          : 'no runs (items without traces: predictions are scored without any)',
    ];
    return `Langfuse: ${parts.join('; ')}${summary.failures ? `; ${summary.failures} requests failed: ${summary.failureMessages.join(' | ')}` : ''}.`;
  }

  async upload(report: EvalReport, datasets: readonly EvalDataset[]): Promise<LangfuseUploadSummary> {
    const { LangfuseClient } = await import('@langfuse/client');
    const client = new LangfuseClient({ publicKey: this.options.publicKey, secretKey: this.options.secretKey, baseUrl: this.options.baseUrl });
    const api = client.api;
    // Per call: the client's own `timeout` option is never applied to `client.api` requests (they default to 60 s).
    const requestOptions = { timeoutInSeconds: this.options.timeoutMs / 1000 };
    const summary: LangfuseUploadSummary = { datasets: [], items: 0, runs: [], runItems: 0, scores: 0, failures: 0, failureMessages: [] };
    const attempt = async (work: () => Promise<unknown>, what: string): Promise<boolean> => {
      try {
        await work();
        return true;
      } catch (error) {
        summary.failures += 1;
        if (summary.failureMessages.length < 3) summary.failureMessages.push(`${what}: ${(error as Error).message.slice(0, 200)}`);
        return false;
      }
    };
    const casesInRun = new Set(report.cases.filter((evalCase) => !evalCase.goldError).map((evalCase) => `${evalCase.dataset}/${evalCase.id}`));
    for (const dataset of datasets) {
      const name = langfuseDatasetName(dataset.name);
      const created = await attempt(() => api.datasets.create({ name, description: dataset.description ?? `sqlagent eval dataset ${dataset.name} (${dataset.file})`, metadata: { file: dataset.file, sha256: dataset.sha256 } }, requestOptions), `dataset ${name}`);
      if (!created) continue;
      summary.datasets.push(name);
      const reportCases = report.cases.filter((evalCase) => evalCase.dataset === dataset.name && casesInRun.has(`${evalCase.dataset}/${evalCase.id}`));
      await this.concurrently(reportCases, async (evalCase) => {
        const ok = await attempt(
          () =>
            api.datasetItems.create({
              datasetName: name,
              id: langfuseItemId(dataset.name, evalCase.id),
              input: { question: evalCase.question, datasource: evalCase.datasource },
              expectedOutput: { sql: evalCase.goldSql, rowCount: evalCase.goldRowCount, orderMatters: evalCase.orderMatters },
              metadata: { caseId: evalCase.id, difficulty: evalCase.difficulty, tags: evalCase.tags },
            }, requestOptions),
          `item ${evalCase.id}`,
        );
        if (ok) summary.items += 1;
      });
    }

    const traced = report.items.filter((item) => item.traceId && summary.datasets.includes(langfuseDatasetName(item.dataset)));
    const runNames = new Set<string>();
    await this.concurrently(traced, async (item) => {
      const runName = runNameOf(report, item);
      const linked = await attempt(
        () =>
          api.datasetRunItems.create({
            runName,
            runDescription: `sqlagent eval run ${report.runId}: label ${item.label} of ${report.parameters.prompt}`,
            metadata: { evalRunId: report.runId, label: item.label, promptVersion: item.promptVersion, repeat: item.repeat },
            datasetItemId: langfuseItemId(item.dataset, item.caseId),
            traceId: item.traceId!,
          }, requestOptions),
        `run item ${item.key}`,
      );
      if (linked) {
        summary.runItems += 1;
        runNames.add(runName);
      }
      const scores: Array<{ name: string; value: number; comment?: string }> = [
        { name: 'exec_accuracy', value: item.outcome === 'correct' ? 1 : 0, comment: item.outcome === 'correct' ? undefined : `${item.outcome}: ${item.reason ?? ''}`.slice(0, 500) },
        { name: 'latency_ms', value: item.latencyMs },
        ...(item.costUsd === null ? [] : [{ name: 'cost_usd', value: item.costUsd }]),
      ];
      for (const score of scores) {
        const sent = await attempt(() => api.scores.create({ traceId: item.traceId!, name: score.name, value: score.value, dataType: 'NUMERIC', ...(score.comment ? { comment: score.comment } : {}) }, requestOptions), `score ${score.name} of ${item.key}`);
        if (sent) summary.scores += 1;
      }
    });
    summary.runs = [...runNames].sort();
    return summary;
  }

  private async concurrently<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const item = items[next];
        next += 1;
        await work(item);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 8, Math.max(1, items.length)) }, worker));
  }
}

/** `<label>@v<version>` (several versions, if the label moved mid-run: `v2+v3`); repeats after the first get `#k`. */
function runNameOf(report: EvalReport, item: EvalItemResult): string {
  const versions = report.labels.find((label) => label.label === item.label)?.promptVersions ?? [];
  const version = versions.length ? versions.map((number) => `v${number}`).join('+') : 'v?';
  return `${item.label}@${version}${item.repeat > 1 ? `#${item.repeat}` : ''}`;
}
