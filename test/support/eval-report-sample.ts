import type { Difficulty } from '../../src/evals/dataset/eval-case.ts';
import type {
  AccuracyCell,
  EvalReport,
  FlippedItem,
  LabelComparison,
  LabelSummary,
  ReasonCount,
  ReportCase,
} from '../../src/evals/report/eval-report.ts';
import type { EvalItemResult, ItemOutcome } from '../../src/evals/run/eval-item.ts';
import { mcnemarExactP } from '../../src/evals/statistics/mcnemar-test.ts';
import { wilsonInterval } from '../../src/evals/statistics/wilson-interval.ts';

/** A question with markup in it, to prove the report escapes what it shows. */
export const markupQuestion = 'Which products have <script>alert(1)</script> in their name?';
/** A question with an ampersand and double quotes. */
export const ampersandQuestion = 'How many customers are in segment a & b "quoted"?';
/** SQL with markup in a string literal. */
export const markupSql = "SELECT name FROM products WHERE name LIKE '%<script>alert(1)</script>%'";
/** SQL with an ampersand and double quotes. */
export const ampersandSql = `SELECT count(*) AS "a & b" FROM customers WHERE segment IN ('a & b "quoted"', 'corporate')`;

export interface EvalReportSampleOptions {
  /** The labels compared, the baseline first. Default `['production', 'candidate']`. */
  labels?: string[];
  /** How many cases, split over the `shop` and `clinic` datasets. Default 12; more repeat the 12 templates. */
  caseCount?: number;
  /** Every item costs 0 USD, as with the offline model. Default false. */
  zeroCost?: boolean;
  /** The `--fail-under` threshold; null for a run without a gate. Default 0.7. */
  failUnder?: number | null;
}

interface CaseTemplate {
  dataset: 'shop' | 'clinic';
  question: string;
  goldSql: string;
  difficulty: Difficulty;
  tags: string[];
}

const templates: CaseTemplate[] = [
  {
    dataset: 'shop',
    question: 'How many customers do we have?',
    goldSql: 'SELECT count(*) FROM customers',
    difficulty: 'simple',
    tags: ['count'],
  },
  {
    dataset: 'shop',
    question: 'List the five most expensive active products.',
    goldSql: 'SELECT name, price FROM products WHERE is_active ORDER BY price DESC LIMIT 5',
    difficulty: 'simple',
    tags: ['ranking'],
  },
  {
    dataset: 'shop',
    question: 'What was the total order amount per continent in 2024?',
    goldSql:
      "SELECT r.continent, sum(o.total_amount) FROM orders o JOIN customers c ON c.id = o.customer_id JOIN regions r ON r.id = c.region_id WHERE o.order_date >= '2024-01-01' AND o.order_date < '2025-01-01' GROUP BY r.continent",
    difficulty: 'medium',
    tags: ['aggregation', 'join', 'dates'],
  },
  { dataset: 'shop', question: markupQuestion, goldSql: markupSql, difficulty: 'simple', tags: ['filter'] },
  { dataset: 'shop', question: ampersandQuestion, goldSql: ampersandSql, difficulty: 'medium', tags: ['count', 'filter'] },
  {
    dataset: 'shop',
    question: 'Which customers ordered in every month of 2024?',
    goldSql:
      "SELECT c.id, c.first_name, c.last_name FROM customers c JOIN orders o ON o.customer_id = c.id WHERE o.order_date >= '2024-01-01' AND o.order_date < '2025-01-01' GROUP BY c.id, c.first_name, c.last_name HAVING count(DISTINCT extract(month FROM o.order_date)) = 12",
    difficulty: 'hard',
    tags: ['aggregation', 'dates'],
  },
  {
    dataset: 'clinic',
    question: 'How many doctors work in Cardiology?',
    goldSql: "SELECT count(*) FROM doctors d JOIN departments p ON p.id = d.department_id WHERE p.name = 'Cardiology'",
    difficulty: 'simple',
    tags: ['count', 'join'],
  },
  {
    dataset: 'clinic',
    question: 'What is the average salary per department, highest first?',
    goldSql:
      'SELECT p.name, avg(d.salary) AS average_salary FROM doctors d JOIN departments p ON p.id = d.department_id GROUP BY p.name ORDER BY average_salary DESC',
    difficulty: 'medium',
    tags: ['aggregation', 'join', 'ranking'],
  },
  {
    dataset: 'clinic',
    question: 'Which prescription-only medications cost more than 2 dollars per unit?',
    goldSql: 'SELECT name, unit_price FROM medications WHERE requires_prescription AND unit_price > 2',
    difficulty: 'simple',
    tags: ['filter'],
  },
  {
    dataset: 'clinic',
    question: 'How many patients registered each year since 2020?',
    goldSql:
      "SELECT extract(year FROM registered_on) AS year, count(*) FROM patients WHERE registered_on >= '2020-01-01' GROUP BY year ORDER BY year",
    difficulty: 'medium',
    tags: ['aggregation', 'dates'],
  },
  {
    dataset: 'clinic',
    question: 'Which doctors saw more patients than the average doctor in their department last year?',
    goldSql:
      "WITH seen AS (SELECT a.doctor_id, count(DISTINCT a.patient_id) AS patients FROM appointments a WHERE a.scheduled_at >= '2024-01-01' AND a.scheduled_at < '2025-01-01' GROUP BY a.doctor_id) SELECT d.first_name, d.last_name FROM doctors d JOIN seen s ON s.doctor_id = d.id WHERE s.patients > (SELECT avg(s2.patients) FROM seen s2 JOIN doctors d2 ON d2.id = s2.doctor_id WHERE d2.department_id = d.department_id)",
    difficulty: 'hard',
    tags: ['subquery', 'join'],
  },
  {
    dataset: 'clinic',
    question: 'What share of appointments were cancelled, per insurance provider?',
    goldSql:
      "SELECT p.insurance_provider, avg(CASE WHEN a.status = 'cancelled' THEN 1.0 ELSE 0 END) AS cancelled_share FROM appointments a JOIN patients p ON p.id = a.patient_id GROUP BY p.insurance_provider",
    difficulty: 'hard',
    tags: ['aggregation', 'join'],
  },
];

/** Each label's outcome on the 12 templates: `c` correct, `w` wrong, `d` declined, `e` error. */
const outcomePatterns = [
  'ccwwccwcecdc', // the baseline: 7 of 12
  'cwccwccceccd', // the candidate: 8 of 12, with 4 improvements and 3 regressions
  'cwccccdcwcwc',
];
const outcomeByLetter: Record<string, ItemOutcome> = { c: 'correct', w: 'wrong', d: 'declined', e: 'error' };

const wrongReasons = [
  'the gold result has 5 rows; the prediction has 7',
  'no predicted column has the values of gold column 2 (12.5, 14, 9.75)',
  'the same rows in a different order, and the order matters',
];
const declineReason = {
  errorCode: 'agent_failed:model_declined',
  reason: 'model_declined: the question is ambiguous ("last year" needs a date)',
};
const errorReason = { errorCode: 'timeout', reason: 'timeout: no answer within 60000 ms' };

/** A small deterministic generator (mulberry32), so the sample is the same on every call. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

function hexId(random: () => number, length: number): string {
  return Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
}

function cell(items: EvalItemResult[]): AccuracyCell {
  const correct = items.filter((item) => item.outcome === 'correct').length;
  return {
    items: items.length,
    correct,
    accuracy: items.length === 0 ? null : correct / items.length,
    interval: wilsonInterval(correct, items.length),
  };
}

function percentile(sorted: number[], share: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

function summarize(label: string, items: EvalItemResult[], cases: ReportCase[]): LabelSummary {
  const caseOf = (item: EvalItemResult) => cases.find((entry) => entry.id === item.caseId && entry.dataset === item.dataset) as ReportCase;
  const group = (key: (item: EvalItemResult) => string[]) => {
    const groups: Record<string, EvalItemResult[]> = {};
    for (const item of items) for (const name of key(item)) (groups[name] ??= []).push(item);
    return Object.fromEntries(
      Object.entries(groups)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, members]) => [name, cell(members)]),
    );
  };
  const latencies = items.map((item) => item.latencyMs).sort((a, b) => a - b);
  const priced = items.filter((item) => item.costUsd !== null).map((item) => item.costUsd as number);
  const reasons = new Map<string, ReasonCount>();
  for (const item of items) {
    if (item.outcome === 'correct') continue;
    const key = `${item.outcome}\u0000${item.reason}`;
    const entry = reasons.get(key) ?? { outcome: item.outcome, reason: item.reason ?? '', count: 0 };
    entry.count += 1;
    reasons.set(key, entry);
  }
  return {
    label,
    promptVersions: [...new Set(items.map((item) => item.promptVersion).filter((version): version is number => version !== null))].sort(
      (a, b) => a - b,
    ),
    overall: cell(items),
    byDifficulty: {
      simple: cell(items.filter((item) => caseOf(item).difficulty === 'simple')),
      medium: cell(items.filter((item) => caseOf(item).difficulty === 'medium')),
      hard: cell(items.filter((item) => caseOf(item).difficulty === 'hard')),
    },
    byTag: group((item) => caseOf(item).tags),
    byDataset: group((item) => [item.dataset]),
    outcomes: { correct: 0, wrong: 0, declined: 0, error: 0, ...countBy(items.map((item) => item.outcome)) },
    latencyMs: { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), mean: mean(latencies) },
    tokens: { meanInput: mean(items.map((item) => item.inputTokens)), meanOutput: mean(items.map((item) => item.outputTokens)) },
    cost: { meanUsd: mean(priced), totalUsd: priced.reduce((sum, value) => sum + value, 0), unpricedItems: items.length - priced.length },
    meanSteps: mean(items.map((item) => item.steps)),
    escalationRate: mean(items.map((item) => (item.escalated ? 1 : 0))),
    answeringTiers: countBy(items.map((item) => item.tier ?? 'none')),
    cacheStatus: countBy(items.map((item) => item.cacheStatus ?? 'none')),
    reasons: [...reasons.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    repeats: null,
  };
}

function flipped(first: EvalItemResult, second: EvalItemResult, reportCase: ReportCase): FlippedItem {
  const side = (item: EvalItemResult) => ({ sql: item.sql, outcome: item.outcome, reason: item.reason, traceId: item.traceId });
  return { caseId: reportCase.id, dataset: reportCase.dataset, question: reportCase.question, first: side(first), second: side(second) };
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

function compare(first: string, second: string, items: EvalItemResult[], cases: ReportCase[]): LabelComparison {
  const counts = { bothCorrect: 0, onlyFirst: 0, onlySecond: 0, bothWrong: 0 };
  const improvements: FlippedItem[] = [];
  const regressions: FlippedItem[] = [];
  let identicalSql = 0;
  let bothWithoutSql = 0;
  for (const reportCase of cases) {
    const find = (label: string) =>
      items.find((item) => item.label === label && item.caseId === reportCase.id && item.dataset === reportCase.dataset) as EvalItemResult;
    const [a, b] = [find(first), find(second)];
    const [aRight, bRight] = [a.outcome === 'correct', b.outcome === 'correct'];
    if (a.sql !== null && a.sql === b.sql) identicalSql += 1;
    if (a.sql === null && b.sql === null) bothWithoutSql += 1;
    if (aRight && bRight) counts.bothCorrect += 1;
    else if (aRight) ((counts.onlyFirst += 1), regressions.push(flipped(a, b, reportCase)));
    else if (bRight) ((counts.onlySecond += 1), improvements.push(flipped(a, b, reportCase)));
    else counts.bothWrong += 1;
  }
  const firstAccuracy = (counts.bothCorrect + counts.onlyFirst) / cases.length;
  const secondAccuracy = (counts.bothCorrect + counts.onlySecond) / cases.length;
  const pValue = mcnemarExactP(counts.onlyFirst, counts.onlySecond);
  const verdict = pValue >= 0.05 ? 'not_distinguishable' : secondAccuracy > firstAccuracy ? 'better' : 'worse';
  const judgement =
    verdict === 'not_distinguishable' ? 'the difference is not distinguishable from chance' : `${second} is ${verdict} than ${first}`;
  return {
    first,
    second,
    cases: cases.length,
    ...counts,
    accuracyDifference: secondAccuracy - firstAccuracy,
    pValue,
    verdict,
    identicalVerdicts: counts.onlyFirst + counts.onlySecond === 0,
    identicalSql,
    bothWithoutSql,
    sentence: `${second} answered ${counts.bothCorrect + counts.onlySecond} of ${cases.length} cases correctly (${percent(secondAccuracy)}) against ${percent(firstAccuracy)} for ${first}: ${judgement} (exact McNemar p = ${pValue.toFixed(3)}).`,
    improvements,
    regressions,
  };
}

function buildCases(caseCount: number): ReportCase[] {
  const perDataset: Record<string, number> = {};
  return Array.from({ length: caseCount }, (_, index) => {
    const template = templates[index % templates.length];
    const number = (perDataset[template.dataset] = (perDataset[template.dataset] ?? 0) + 1);
    return {
      id: `${template.dataset}-${String(number).padStart(3, '0')}`,
      dataset: template.dataset,
      datasource: template.dataset,
      question: template.question,
      difficulty: template.difficulty,
      tags: template.tags,
      goldSql: template.goldSql,
      orderMatters: /ORDER BY/i.test(template.goldSql),
      goldRowCount: 3 + (index % 9),
      goldError: null,
    };
  });
}

function outcomeFor(labelIndex: number, caseIndex: number, random: () => number): ItemOutcome {
  const pattern = outcomePatterns[labelIndex % outcomePatterns.length];
  const planned = outcomeByLetter[pattern[caseIndex % pattern.length]];
  // Past the first round of templates, shake the outcomes a little so larger samples are not exact copies.
  if (caseIndex >= templates.length && random() < 0.15) return planned === 'correct' ? 'wrong' : 'correct';
  return planned;
}

function buildItem(
  label: string,
  labelIndex: number,
  reportCase: ReportCase,
  caseIndex: number,
  random: () => number,
  options: Required<EvalReportSampleOptions>,
): EvalItemResult {
  const outcome = outcomeFor(labelIndex, caseIndex, random);
  const answered = outcome === 'correct' || outcome === 'wrong';
  const escalated = outcome !== 'error' && random() < 0.2;
  const steps = outcome === 'error' ? 1 : 2 + Math.floor(random() * 4);
  const inputTokens = outcome === 'error' ? 900 : 1800 + Math.floor(random() * 2400) * (escalated ? 2 : 1);
  const outputTokens = outcome === 'error' ? 0 : 120 + Math.floor(random() * 380);
  // Log-normal around 2.5 s, with the timeouts at the item limit.
  const latencyMs = outcome === 'error' ? 60_000 : Math.round(2500 * Math.exp((random() + random() + random() - 1.5) * 1.4));
  const model = options.zeroCost ? 'offline' : escalated ? 'gpt-4o' : 'gpt-4o-mini';
  const price = options.zeroCost
    ? { input: 0, output: 0 }
    : escalated
      ? { input: 2.5e-6, output: 10e-6 }
      : { input: 0.15e-6, output: 0.6e-6 };
  const sql = !answered ? null : outcome === 'correct' ? reportCase.goldSql : `${reportCase.goldSql.replace(/ LIMIT \d+$/, '')} LIMIT 7`;
  const wrong = wrongReasons[caseIndex % wrongReasons.length];
  const failure = outcome === 'declined' ? declineReason : outcome === 'error' ? errorReason : null;
  const promptVersion = labelIndex === 0 ? 3 : labelIndex === 1 ? (caseIndex < options.caseCount / 2 ? 4 : 5) : 1;
  return {
    key: `${reportCase.dataset}/${reportCase.id}@${label}#1`,
    dataset: reportCase.dataset,
    caseId: reportCase.id,
    label,
    repeat: 1,
    outcome,
    reason: outcome === 'correct' ? null : outcome === 'wrong' ? wrong : (failure?.reason ?? null),
    errorCode: failure?.errorCode ?? null,
    sql,
    answer: answered ? 'Here is what I found.' : null,
    rowCount: answered ? (reportCase.goldRowCount ?? 0) + (outcome === 'wrong' ? 2 : 0) : null,
    promptVersion,
    model,
    tier: outcome === 'error' ? null : escalated ? 'strong' : 'fast',
    escalated,
    attempts: escalated
      ? [
          { tier: 'fast', model: 'gpt-4o-mini', outcome: 'escalated', reason: 'the SQL failed twice' },
          { tier: 'strong', model, outcome: 'answered', reason: null },
        ]
      : [{ tier: 'fast', model, outcome: outcome === 'error' ? 'error' : 'answered', reason: null }],
    steps,
    inputTokens,
    outputTokens,
    costUsd: inputTokens * price.input + outputTokens * price.output,
    latencyMs,
    cacheStatus: 'bypass',
    traceId: outcome === 'error' && caseIndex % 2 === 0 ? null : hexId(random, 32),
    startedAt: new Date(Date.UTC(2025, 4, 12, 9, 30, 0) + (labelIndex * options.caseCount + caseIndex) * 4000).toISOString(),
  };
}

/**
 * A realistic synthetic eval report: two labels (by default) over cases from the `shop` and `clinic`
 * datasets, every difficulty, some declines and errors, a comparison with improvements and regressions,
 * and questions and SQL with markup, ampersands and quotes. The figures are computed from the items, so
 * they agree with each other. Each call builds a fresh report.
 */
export function buildEvalReportSample(options: EvalReportSampleOptions = {}): EvalReport {
  const settings: Required<EvalReportSampleOptions> = {
    labels: options.labels ?? ['production', 'candidate'],
    caseCount: options.caseCount ?? 12,
    zeroCost: options.zeroCost ?? false,
    failUnder: options.failUnder === undefined ? 0.7 : options.failUnder,
  };
  const random = seededRandom(20250512);
  const cases = buildCases(settings.caseCount);
  const items = settings.labels.flatMap((label, labelIndex) =>
    cases.map((reportCase, caseIndex) => buildItem(label, labelIndex, reportCase, caseIndex, random, settings)),
  );
  const labels = settings.labels.map((label) =>
    summarize(
      label,
      items.filter((item) => item.label === label),
      cases,
    ),
  );
  const comparisons = settings.labels.slice(1).map((second) => compare(settings.labels[0], second, items, cases));
  const failing = labels.filter((summary) => (summary.overall.accuracy ?? 0) < (settings.failUnder ?? 0)).map((summary) => summary.label);
  const datasetNames = ['shop', 'clinic'];
  const notes = labels
    .filter((summary) => summary.promptVersions.length > 1)
    .map((summary) => `Label "${summary.label}" moved during the run: it served prompt versions ${summary.promptVersions.join(' and ')}.`);
  notes.push('Every item ran with the cache bypassed, so latencies include the model calls.');
  if (settings.zeroCost) notes.push('The run used the offline model: every cost is zero.');
  return {
    format: 1,
    runId: '20250512-093000-7f3a',
    createdAt: '2025-05-12T09:30:00.000Z',
    finishedAt: '2025-05-12T09:41:27.000Z',
    complete: true,
    stoppedBy: null,
    mode: 'run',
    parameters: {
      datasets: datasetNames,
      labels: settings.labels,
      prompt: 'sql-agent',
      target: 'in-process',
      engine: 'pglite',
      databases: { shop: 'pglite:.data/eval/shop', clinic: 'pglite:.data/eval/clinic' },
      concurrency: 4,
      repeat: 1,
      limit: null,
      tags: [],
      failUnder: settings.failUnder,
      itemTimeoutMs: 60_000,
    },
    datasets: datasetNames.map((name, index) => ({
      name,
      file: `evals/datasets/${name}.yaml`,
      sha256:
        index === 0
          ? '9f2c4e8a1b7d3f60c5e2a9d8b4f1e7c3a6d0b9e2f5c8a1d4e7b0c3f6a9d2e5b8'
          : '3b8e1f4a7c0d2e5b9f6a3c8d1e4b7a0f2c5e8b1d4a7f0c3e6b9d2a5f8c1e4b7a',
      cases: cases.filter((reportCase) => reportCase.dataset === name).length,
    })),
    labels,
    comparisons,
    gate: settings.failUnder === null ? null : { threshold: settings.failUnder, passed: failing.length === 0, failing },
    notes,
    cases,
    items,
    durationMs: 687_000,
  };
}
