import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentFailedError } from '../../src/errors/index.ts';
import { compareResults, mysqlArithmeticTolerance } from '../../src/evals/index.ts';
import { KnowledgeService } from '../../src/knowledge/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { oneTargetPerDialect } from './dialects.ts';
import { offlineAgent, openOfflineFixtures, type OfflineFixtures } from './offline-fixtures.ts';

/** A question with the SQL a person would write for it, or none when the right reply is to decline. */
export interface QuestionCase {
  datasource: 'shop' | 'clinic';
  /** The shape the question stands for. */
  shape: string;
  question: string;
  /** Null when the model should decline (no reading of the schema answers it). */
  gold: string | null;
  /** Whether row order counts; by default, as in the eval, when the gold has a top-level ORDER BY. */
  ordered?: boolean;
}

/** What a question set must reach on every engine. */
export interface QuestionSetBounds {
  /** Named in the test titles and the printed counts. */
  name: string;
  minimumQuestions: number;
  minimumCorrect: number;
  maximumWrong: number;
}

type Outcome = 'correct' | 'declined' | 'wrong';

/**
 * The label the sets are asked under: staging, the version under trial (v7 since the rules on the form of the
 * answer), so the sets measure what the next promotion would bring; production's answers are what the held-out
 * eval's label comparison sets against it. `OFFLINE_QUESTION_SET_LABEL=production` measures another label.
 */
const questionSetLabel = process.env.OFFLINE_QUESTION_SET_LABEL || 'staging';

/**
 * Asks every question of a set end to end (the real tool loop, the prompt staging serves with the glossary and
 * metrics, the offline model) on one engine of each dialect, scores each answer against its gold's rows as the eval does
 * (`compareResults`: exactly the gold's columns, in any order; row order when the gold has a top-level ORDER
 * BY or the case says so; MySQL's arithmetic tolerance there), prints the counts (correct, declined, wrong)
 * and the questions not answered right, and holds the bounds.
 */
export function describeQuestionSet(questionSet: readonly QuestionCase[], bounds: QuestionSetBounds): void {
  for (const target of oneTargetPerDialect()) {
    describe.skipIf(target.skipReason !== null)(`the offline model on ${bounds.name}, on ${target.name}`, () => {
      let fixtures: OfflineFixtures;
      const knowledge = new KnowledgeService({
        directory: path.resolve(import.meta.dirname, '../../knowledge'),
        logger: createLogger('error'),
      });
      const agent = () => offlineAgent(fixtures.registry, knowledge);
      beforeAll(async () => {
        fixtures = await openOfflineFixtures(target);
      });
      afterAll(() => fixtures?.close());

      it(
        `answers or declines every question, never wrongly (at least ${bounds.minimumCorrect} correct)`,
        { timeout: 300_000 },
        async () => {
          const outcomes: Array<{ case: QuestionCase; outcome: Outcome; detail: string }> = [];
          /** Input tokens of each answered question, over all its model calls. */
          const inputTokens: number[] = [];
          for (const questionCase of questionSet) {
            const gold = questionCase.gold === null ? null : await fixtures.goldRows(questionCase.datasource, questionCase.gold);
            const orderMatters =
              questionCase.ordered ??
              (questionCase.gold !== null && (await fixtures.goldHasOrder(questionCase.datasource, questionCase.gold)));
            try {
              const result = await agent().ask({
                datasource: questionCase.datasource,
                question: questionCase.question,
                label: questionSetLabel,
                labelAllowed: true,
              });
              const right =
                gold !== null &&
                compareResults(gold, result.rows, {
                  orderMatters,
                  ...(target.dialect === 'mysql' ? { absoluteTolerance: mysqlArithmeticTolerance } : {}),
                }).equal;
              outcomes.push({ case: questionCase, outcome: right ? 'correct' : 'wrong', detail: result.sql ?? '' });
              inputTokens.push(Object.values(result.usage).reduce((sum, usage) => sum + usage.inputTokens, 0));
            } catch (error) {
              if (!(error instanceof AgentFailedError)) throw error;
              const reason = (error.details as { reason?: string }).reason ?? '';
              outcomes.push({
                case: questionCase,
                outcome: gold === null && reason === 'model_declined' ? 'correct' : 'declined',
                detail: `${reason}: ${error.message.slice(0, 200)}`,
              });
            }
          }
          const count = (outcome: Outcome) => outcomes.filter((entry) => entry.outcome === outcome).length;
          console.log(
            `${bounds.name} on ${target.name}: ${count('correct')} correct, ${count('declined')} declined, ${count('wrong')} wrong of ${outcomes.length}; ` +
              `${Math.round(inputTokens.reduce((sum, tokens) => sum + tokens, 0) / Math.max(1, inputTokens.length))} input tokens per answer`,
          );
          for (const entry of outcomes.filter((candidate) => candidate.outcome !== 'correct'))
            console.log(`  ${entry.outcome === 'wrong' ? '✘' : '·'} [${entry.case.shape}] ${entry.case.question} — ${entry.detail}`);
          expect(questionSet.length).toBeGreaterThanOrEqual(bounds.minimumQuestions);
          expect(count('correct')).toBeGreaterThanOrEqual(bounds.minimumCorrect);
          expect(count('wrong')).toBeLessThanOrEqual(bounds.maximumWrong);
        },
      );
    });
  }
}
