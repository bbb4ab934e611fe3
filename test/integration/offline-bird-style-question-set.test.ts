import { birdStyleQuestions } from '../support/offline-bird-style-questions.ts';
import { describeQuestionSet } from '../support/offline-question-runner.ts';

// The offline model's BIRD-style set: 150 questions (95 on shop, 55 on clinic, 12 of them unanswerable) phrased the
// way the Spider and BIRD benchmarks and analysts in chat phrase theirs, written blind from the fixture definitions
// and the knowledge files, before the model was run on them. See test/support/offline-bird-style-questions.ts.

/**
 * First measurement, before any planner change for it, under staging (v7), on the working tree of 2026-12-07: 82
 * correct, 63 declined, 5 wrong of 150 on Postgres and on MariaDB alike (the 82 include the 12 right declines; 8534
 * input tokens per answer on Postgres, 9191 on MariaDB). By datasource: shop 41 declined and 5 wrong of 95, clinic 22
 * declined and 0 wrong of 55. Right on every ratio (4/4) and nearly every percentage (8/9); declined on every top N per
 * group (4/4), most min/max (8/9), subqueries (16/22), negations (7/9: "never" and "not" read as not expressible),
 * colloquial phrasings (12/15: "folks", "ppl", "gimme", "stuck", "busy", "booked"), distinct counts of people (11/15)
 * and the analytics questions about visit days and page views (9/15). Words the plan could not place: "full" (of
 * "full name", 5 times), "Dr", "Indicate", "Provide", "belong", "later", "onward", "accounts", "browsed", "ended",
 * "diagnosed", "Scotland" (a region's name), "average" next to "all-time"; and readings declined: "which rows" read as
 * one number, "the question does not say what to list / rank by" (a list of names, a most-per-group), a number
 * compared with no column ("more than 50 failed payments"), "no rows match" (a category's parent, "top-level").
 * Wrong: "above the average list price of all Fragrances" answered with the average alone, "the last 30 days" taken
 * as 2025-06-02 to 2025-07-01 (the gold counts from today minus 30 days, 2025-06-01), "which top-level category had
 * the highest revenue" in the sales summary answered with the highest revenue, "the 5 Smartphones products that
 * generated the most revenue in 2024" grouped by category and dated by the product's launch, and "money collected
 * through PayPal" without the captured-money metric's status filter.
 * With the benchmarks' phrasings read ("the full name of" as the name, "Dr." before a name as a doctor of that name,
 * "Indicate", "Provide", "State", "as well", "Indicate its SKU" after a ranking, "the SKU of the most expensive …",
 * "units" as the column documented as the number of units rather than `unit_price`), and with two readings that were
 * wrong made declines ("an order worth more than $1,500" is one order, not a total; "the customer who placed the order
 * with the highest total" ranks one order): 90 correct, 55 declined, 5 wrong on both engines (the same 5 wrong).
 * With the rows counted per listed value filtered by a value before their name ("more than 50 failed payments"), a
 * value negated after "do not work in", "never" on rows whose own period comes first ("customers who signed up in 2025
 * but have never placed an order"), "appeared in" as a verb of containing, and a capitalised plural before its noun
 * read as a name ("Fragrances products"): 95 correct, 50 declined, 5 wrong on both engines. With related rows named
 * with a value of a table they point at ("at least one Audio product"): 96 correct, 49 declined, 5 wrong. With "the
 * last 30 days" read as the SQL idiom reads it (from today minus 30 days): 97 correct, 49 declined, 4 wrong. With
 * "Give its name and country" read after a ranking, of the ranked rows: 98 correct, 48 declined, 4 wrong. With a
 * comparison with the average of a column over all rows ("earn more than the average doctor salary", "above the
 * all-time average order total"), declined where the rows averaged are filtered: 100 correct, 47 declined, 3 wrong.
 * With "have an insurance provider on file" read as the value being there: 101 correct, 46 declined, 3 wrong. With
 * open-ended years ("since 2020", "from 2020 onward", "2020 or later"): 102 correct, 45 declined, 3 wrong. With what
 * stands before "with the <superlative>" ranked ("For each country, name the city with the most customers"): 105
 * correct, 43 declined, 2 wrong. With periods ranked by a verb of money ("In which year did customers in the United
 * Kingdom spend the most?"): 106 correct, 42 declined, 2 wrong. With "Among the X …, how many of them …" counting the X
 * (and the later rules: "When was the first …", "SKUs", two side-by-side values declined): 107 correct, 41 declined,
 * 2 wrong. With a category's subcategories counted in it: 108 correct, 40 declined, 2 wrong. With the glossary terms
 * search_metadata matched taken as the prompt's own: 109 correct, 39 declined, 2 wrong. With lists of rows that have
 * related rows named after them ("Which customers placed an order in 2025?": `key IN (SELECT fk …)`): 110 correct, 38
 * declined, 2 wrong on both engines. With up to six tables looked at instead of four (a question through order lines,
 * products, categories, orders, customers and regions needs them all; with four, the way through the analytics
 * summary repeated the rows and was declined, or taken): 112 correct, 37 declined, 1 wrong on both engines.
 */
const minimumCorrect = 112;
const maximumWrong = 1;

describeQuestionSet(birdStyleQuestions, { name: 'the BIRD-style question set', minimumQuestions: 150, minimumCorrect, maximumWrong });
