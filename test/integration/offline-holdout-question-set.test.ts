import { holdoutQuestions } from '../support/offline-holdout-questions.ts';
import { describeQuestionSet } from '../support/offline-question-runner.ts';

// The offline model's frozen holdout set (issue 16): written with the practice set before any planner
// change, run only before and after that work, never tuned on. See test/support/offline-holdout-questions.ts.

/**
 * Before any planner change for it: 37 correct, 19 declined, 5 wrong of 61 on PGlite, Postgres and MariaDB alike;
 * after the practice set's work (its second and last run): 42 correct, 17 declined, 2 wrong. The two left wrong
 * are readings the planner still lacks, kept visible rather than tuned away: an average of per-customer sums
 * read as a grouped average, and a top N per group that ranks each diagnosis row instead of each description.
 * Until then the set was scored by `matchesGold` (extra columns allowed, numbers to cents); scored as the eval
 * scores (`compareResults`: exactly the gold's columns, numbers to 1e-6), the same answers under production (v6)
 * are 34 correct, 17 declined, 10 wrong on every engine: the answers that turned wrong add the ranking's measure next to the ranked items, round an average or a ratio to cents where the gold does not, or add each period's figure next to a month-over-month change. Then the golds were held to the eval datasets' public rules (evals/README.md: round only where the question asks; a percentage is 0–100, a share 0–1; exactly the asked columns): ROUND(…, 2) left out of 5 golds, 2 of them shares made fractions; the rates named by a knowledge metric keep the metric's rounding.
 * With the corrected golds, production (v6): 29, 17, 15; staging (v7, the rules on the form of the answer, which the
 * offline model follows): 41, 17, 3 on PGlite and Postgres, 40, 17, 4 on MariaDB. Two of the wrong ones are a tie
 * in the gold's order (five cities, two at 79 customers) and a top N per group that ranks diagnosis rows.
 */
// Run again after the colloquial set's work (filler words, typos, bare "X per Y", negated glossary terms,
// nearest dates), not tuned on: 42, 17, 2 on PGlite and Postgres, 41, 17, 3 on MariaDB; with "newest" / "most
// recent", chat shorthand and acronyms of values: 43, 16, 2 (MariaDB 42, 16, 3). With quarters and halves as
// periods, "first" as the earliest, and a participle before a period naming its date column ("were scheduled for
// the second half of 2024"): 44, 15, 2 (MariaDB 43, 15, 3). With the grouping set's work (issue 16: how grouping
// questions are asked, aggregates of groups, periods ranked by a total, a summary table's own column; not tuned
// on): 47, 13, 1 on Postgres and 46 or 47, 13, 2 or 1 on MariaDB (the average of per-customer sums now right; the
// gold of the five cities ties at the cut, whose order MariaDB gives either way from run to run). Then the golds
// whose rows tie (five cities at the cut, two shoes at the same price) broke the tie by name, as the planner and a
// reader do, so the gold no longer changes from run to run: 48, 13, 0 on Postgres and MariaDB. With days written
// out as periods ("after June 30, 2025", "on 2025-03-14"; not tuned on): 49, 12, 0.
const minimumCorrect = 49;
const maximumWrong = 0;

describeQuestionSet(holdoutQuestions, { name: 'the holdout question set', minimumQuestions: 55, minimumCorrect, maximumWrong });
