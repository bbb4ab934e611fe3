import { practiceQuestions } from '../support/offline-practice-questions.ts';
import { describeQuestionSet } from '../support/offline-question-runner.ts';

// The offline model's practice set (issue 16): the questions the planner work is developed against, written
// with the holdout set before any change. See test/support/offline-practice-questions.ts.

/** Before any planner change for it: 52 correct, 27 declined, 7 wrong of 86 on PGlite, Postgres and MariaDB alike; with
 * the wrong answers fixed or declined (a value inside another word, a table the plan dropped, dates and units of
 * counting), 59, 27, 0; with "outside", "by" a value, month ranges, shares of known values, percents of
 * fractions, age and money superlatives, 70, 16, 0; with NOT EXISTS over a related value, through a table
 * in between and within a period, 73, 13, 0; with HAVING on counts of related rows that meet a value or a
 * period, 75, 11, 0; with "how did X change from month to month" and "by number of", 77, 9, 0; after probing
 * the new rules with questions of no set (several wrong readings declined), still 77, 9, 0. Until then the set was
 * scored by `matchesGold` (extra columns allowed, numbers to cents); scored as the eval scores (`compareResults`:
 * exactly the gold's columns, numbers to 1e-6), the same answers under production (v6) are 60, 9, 17 on every
 * engine: the answers that turned wrong add the ranking's measure next to the ranked items, round an average or a ratio to cents where the gold does not, or add each period's figure next to a month-over-month change. Then the golds were held to the eval datasets' public rules (evals/README.md: round only where the question asks; a percentage is 0–100, a share 0–1; exactly the asked columns): ROUND(…, 2) left out of 7 golds, 3 of them shares made fractions; the rates named by a knowledge metric keep the metric's rounding.
 * With the corrected golds, production (v6): 54, 9, 23; staging (v7, the rules on the form of the answer, which
 * the offline model follows): 76, 9, 1 on PGlite and Postgres, 77, 9, 0 on MariaDB (the wrong one: the gold's
 * order among medications tied on their count of prescriptions).
 */
// The gold of the nine most prescribed medications then broke its tie at ranks 9 and 10 by name, so it no longer
// changes from run to run: 77, 9, 0 on Postgres and MariaDB. With "longest-serving" read as the earliest to join
// (2026-12-07, eighth session; not tuned on): 78, 8, 0. With a lower-case word inside descriptions a lookup found
// ("hypertension" for "Essential (primary) hypertension"; ninth session, not tuned on): 79, 7, 0. With the rows under a
// parent of a tree ("subcategories of Electronics"; not tuned on): 80, 6, 0.
const minimumCorrect = 80;
const maximumWrong = 0;

describeQuestionSet(practiceQuestions, { name: 'the practice question set', minimumQuestions: 80, minimumCorrect, maximumWrong });
