import { holdoutQuestions } from '../support/offline-holdout-questions.ts';
import { describeQuestionSet } from '../support/offline-question-runner.ts';

// The offline model's frozen holdout set (issue 16): written with the practice set before any planner
// change, run only before and after that work, never tuned on. See test/support/offline-holdout-questions.ts.

/**
 * Before any planner change for it: 37 correct, 19 declined, 5 wrong of 61 on PGlite, Postgres and MariaDB alike;
 * after the practice set's work (its second and last run): 42 correct, 17 declined, 2 wrong. The two left wrong
 * are readings the planner still lacks, kept visible rather than tuned away: an average of per-customer sums
 * read as a grouped average, and a top N per group that ranks each diagnosis row instead of each description.
 */
const minimumCorrect = 42;
const maximumWrong = 2;

describeQuestionSet(holdoutQuestions, { name: 'the holdout question set', minimumQuestions: 55, minimumCorrect, maximumWrong });
