import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import type { App } from '../app.ts';
import { InvalidInputError } from '../errors/index.ts';

/** `feedback <traceId> <score>`: records a user's feedback in the local store and, when on, in Langfuse. */
export function registerFeedbackCommand(program: Command, context: CliContext): void {
  const { print, withApp } = context;
  program
    .command('feedback <traceId> <score>')
    .description(
      'record feedback on an answer: score from -1 (wrong) to 1 (right); stored locally and sent to Langfuse as user_feedback; a 1 files the answer as a candidate example',
    )
    .option('--comment <text>', 'what was right or wrong')
    .option('--json', 'print the result as JSON')
    .action(async (traceId: string, scoreText: string, options: { comment?: string; json?: boolean }) =>
      withApp(async (app) => {
        const score = Number(scoreText);
        if (scoreText.trim() === '' || !Number.isFinite(score)) {
          throw new InvalidInputError(`The score must be a number from -1 to 1; got "${scoreText}".`, { field: 'score' });
        }
        const result = await app.recordFeedback({ traceId, score, comment: options.comment ?? null });
        if (options.json) {
          print(JSON.stringify(result, null, 2));
          return;
        }
        const local = result.local ? `stored locally (#${result.local.id})` : 'no local store';
        const langfuse =
          result.langfuse === 'sent'
            ? 'sent to Langfuse'
            : result.langfuse === 'disabled'
              ? 'Langfuse off'
              : `not sent to Langfuse: ${result.error ?? 'unknown error'}`;
        const candidate = !result.candidate
          ? ''
          : 'id' in result.candidate
            ? `; filed candidate example "${result.candidate.id}" for review (knowledge examples approve ${result.candidate.datasource} ${result.candidate.id})`
            : `; no candidate example filed: ${result.candidate.skipped}`;
        print(`feedback ${score} on ${traceId}: ${local}; ${langfuse}${candidate}`);
      }),
    );
}
