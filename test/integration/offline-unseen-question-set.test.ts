import { describeQuestionSet, type QuestionCase } from '../support/offline-question-runner.ts';

// A second question set for the offline model (issue 16), written before the planner work it measures and
// never tuned on: questions as varied users would ask them (plain, colloquial, synonyms, typos, relative
// dates, joins of two to four tables, grouping, HAVING, ratios, monthly trends, top-N, NULL meanings,
// negation), with gold SQL written by hand from the fixture definitions (fixtures/*/…-tables.ts, the
// generators for which values exist) and knowledge/*.yaml only. Many name values beyond the five sampled per
// column (a country, a department, an insurer, a product or medication name). The planner is changed in
// general ways, never for one of these questions; a decline is better than a wrong answer.

const revenue = 'SUM(oi.quantity * oi.unit_price * (1 - oi.discount))';

const questionSet: QuestionCase[] = [
  // shop: values beyond the sampled five
  {
    datasource: 'shop',
    shape: 'unsampled value, lower case',
    question: 'how many customers are from canada',
    gold: "SELECT COUNT(*) FROM customers WHERE country = 'Canada'",
  },
  {
    datasource: 'shop',
    shape: 'unsampled value of a named column',
    question: 'How many orders were shipped to Australia?',
    gold: "SELECT COUNT(*) FROM orders WHERE shipping_country = 'Australia'",
  },
  {
    datasource: 'shop',
    shape: 'unsampled value in a joined table, metric',
    question: 'Total revenue from the Fiction category',
    gold: `SELECT ${revenue} FROM order_items oi JOIN products p ON p.id = oi.product_id JOIN categories c ON c.id = p.category_id WHERE c.name = 'Fiction'`,
  },
  {
    datasource: 'shop',
    shape: 'unsampled value in a joined table, count',
    question: 'How many products are in the Cookware category?',
    gold: "SELECT COUNT(*) FROM products p JOIN categories c ON c.id = p.category_id WHERE c.name = 'Cookware'",
  },
  {
    datasource: 'shop',
    shape: 'unsampled city',
    question: 'How many customers live in Toronto?',
    gold: "SELECT COUNT(*) FROM customers WHERE city = 'Toronto'",
  },
  {
    datasource: 'shop',
    shape: 'unsampled region name',
    question: 'How many customers are in the Ontario region?',
    gold: "SELECT COUNT(*) FROM customers c JOIN regions r ON r.id = c.region_id WHERE r.name = 'Ontario'",
  },
  {
    datasource: 'shop',
    shape: 'unsampled value with a year, two tables',
    question: 'How many orders did customers from Brazil place in 2024?',
    gold: "SELECT COUNT(*) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.country = 'Brazil' AND o.order_date >= '2024-01-01' AND o.order_date < '2025-01-01'",
  },
  {
    datasource: 'shop',
    shape: 'top 1 within an unsampled category',
    question: 'Whats the most expensive product in Fragrances?',
    gold: "SELECT p.name FROM products p JOIN categories c ON c.id = p.category_id WHERE c.name = 'Fragrances' ORDER BY p.price DESC LIMIT 1",
  },
  {
    datasource: 'shop',
    shape: 'metric with an unsampled destination',
    question: 'What is the average order value for orders shipped to Brazil?',
    gold: "SELECT ROUND(AVG(total_amount), 2) FROM orders WHERE shipping_country = 'Brazil'",
  },
  {
    datasource: 'shop',
    shape: 'units of an unsampled category in a year, four tables',
    question: 'How many units of Cycling products were sold in 2024?',
    gold: "SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN products p ON p.id = oi.product_id JOIN categories c ON c.id = p.category_id WHERE c.name = 'Cycling' AND o.order_date >= '2024-01-01' AND o.order_date < '2025-01-01'",
  },
  {
    datasource: 'shop',
    shape: 'a top-level category holds no products itself',
    question: 'What is the total revenue of the Books category?',
    gold: `SELECT ${revenue} FROM order_items oi JOIN products p ON p.id = oi.product_id JOIN categories c ON c.id = p.category_id JOIN categories parent ON parent.id = c.parent_id WHERE parent.name = 'Books'`,
  },
  {
    datasource: 'shop',
    shape: 'two unsampled values',
    question: 'How many small business customers live in Brazil?',
    gold: "SELECT COUNT(*) FROM customers WHERE segment = 'small_business' AND country = 'Brazil'",
  },
  // shop: relative dates
  {
    datasource: 'shop',
    shape: 'last month, metric',
    question: 'What was the revenue last month?',
    gold: `SELECT ${revenue} FROM order_items oi JOIN orders o ON o.id = oi.order_id WHERE o.order_date >= '2025-06-01' AND o.order_date < '2025-07-01'`,
  },
  {
    datasource: 'shop',
    shape: 'this year',
    question: 'How many orders have been placed this year?',
    gold: "SELECT COUNT(*) FROM orders WHERE order_date >= '2025-01-01' AND order_date < '2026-01-01'",
  },
  {
    datasource: 'shop',
    shape: 'last year',
    question: 'how many orders were placed last year',
    gold: "SELECT COUNT(*) FROM orders WHERE order_date >= '2024-01-01' AND order_date < '2025-01-01'",
  },
  {
    datasource: 'shop',
    shape: 'refunds in a year, on the payment date',
    question: 'How much money was refunded in 2025?',
    gold: "SELECT SUM(amount) FROM payments WHERE status = 'refunded' AND paid_at >= '2025-01-01' AND paid_at < '2026-01-01'",
  },
  // shop: plain filters and aggregates
  {
    datasource: 'shop',
    shape: 'status value',
    question: 'How many pending orders are there?',
    gold: "SELECT COUNT(*) FROM orders WHERE status = 'pending'",
  },
  {
    datasource: 'shop',
    shape: 'two values of one table',
    question: 'How many gift card payments failed?',
    gold: "SELECT COUNT(*) FROM payments WHERE method = 'gift_card' AND status = 'failed'",
  },
  {
    datasource: 'shop',
    shape: 'average of a joined filter',
    question: 'What is the average price of products in the Smartphones category?',
    gold: "SELECT AVG(p.price) FROM products p JOIN categories c ON c.id = p.category_id WHERE c.name = 'Smartphones'",
  },
  {
    datasource: 'shop',
    shape: 'average of a column',
    question: 'What is the average discount on order lines?',
    gold: 'SELECT AVG(discount) FROM order_items',
  },
  {
    datasource: 'shop',
    shape: 'NOT NULL meaning',
    question: 'How many customers have a phone number?',
    gold: 'SELECT COUNT(*) FROM customers WHERE phone IS NOT NULL',
  },
  {
    datasource: 'shop',
    shape: 'value and year',
    question: 'How many corporate customers signed up in 2021?',
    gold: "SELECT COUNT(*) FROM customers WHERE segment = 'corporate' AND signup_date >= '2021-01-01' AND signup_date < '2022-01-01'",
  },
  {
    datasource: 'shop',
    shape: 'distinct count',
    question: 'How many different cities do our customers come from?',
    gold: 'SELECT COUNT(DISTINCT city) FROM customers',
  },
  {
    datasource: 'shop',
    shape: 'sum with a value of another schema',
    question: 'What is the total number of page views on mobile?',
    gold: "SELECT SUM(page_views) FROM analytics.user_behavior WHERE device = 'mobile'",
  },
  {
    datasource: 'shop',
    shape: 'boolean and money bound',
    question: 'How many active products are priced under $10?',
    gold: 'SELECT COUNT(*) FROM products WHERE is_active = true AND price < 10',
  },
  // shop: grouping, HAVING, ranking
  {
    datasource: 'shop',
    shape: 'count per value',
    question: 'Number of customers per segment',
    gold: 'SELECT segment, COUNT(*) FROM customers GROUP BY segment',
  },
  {
    datasource: 'shop',
    shape: 'count per status',
    question: 'How many orders are in each status?',
    gold: 'SELECT status, COUNT(*) FROM orders GROUP BY status',
  },
  {
    datasource: 'shop',
    shape: 'metric by a column three joins away',
    question: 'Revenue by continent',
    gold: `SELECT r.continent, ${revenue} FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN customers c ON c.id = o.customer_id JOIN regions r ON r.id = c.region_id GROUP BY r.continent`,
  },
  {
    datasource: 'shop',
    shape: 'metric per value',
    question: 'conversion rate by device',
    gold: 'SELECT device, ROUND(100.0 * SUM(CASE WHEN converted THEN 1 ELSE 0 END) / COUNT(*), 2) FROM analytics.user_behavior GROUP BY device',
  },
  {
    datasource: 'shop',
    shape: 'top 1 by a count of related rows',
    question: 'Which category has the most products?',
    gold: 'SELECT c.name FROM categories c JOIN products p ON p.category_id = c.id GROUP BY c.id, c.name ORDER BY COUNT(*) DESC LIMIT 1',
  },
  {
    datasource: 'shop',
    shape: 'top 1 value of a column',
    question: 'Which country has the most customers?',
    gold: 'SELECT country FROM customers GROUP BY country ORDER BY COUNT(*) DESC LIMIT 1',
  },
  {
    datasource: 'shop',
    shape: 'HAVING on an average',
    question: 'Which categories have an average product price above $100?',
    gold: 'SELECT c.name FROM categories c JOIN products p ON p.category_id = c.id GROUP BY c.id, c.name HAVING AVG(p.price) > 100',
  },
  {
    datasource: 'shop',
    shape: 'HAVING on a count, counted',
    question: 'How many customers ordered more than 20 times?',
    gold: 'SELECT COUNT(*) FROM customers c WHERE (SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.id) > 20',
  },
  // shop: trends and per-period averages
  {
    datasource: 'shop',
    shape: 'count per month of a year',
    question: 'Monthly number of orders in 2025',
    gold: "SELECT EXTRACT(MONTH FROM order_date), COUNT(*) FROM orders WHERE order_date >= '2025-01-01' AND order_date < '2026-01-01' GROUP BY EXTRACT(MONTH FROM order_date)",
  },
  {
    datasource: 'shop',
    shape: 'average of per-month totals',
    question: "What's the average monthly revenue in 2024?",
    gold: `SELECT AVG(total) FROM (SELECT EXTRACT(MONTH FROM o.order_date) AS month, ${revenue} AS total FROM order_items oi JOIN orders o ON o.id = oi.order_id WHERE o.order_date >= '2024-01-01' AND o.order_date < '2025-01-01' GROUP BY EXTRACT(MONTH FROM o.order_date)) t`,
  },
  // shop: negation and ratios across tables
  {
    datasource: 'shop',
    shape: 'NOT EXISTS two steps away',
    question: 'How many customers have never made a payment?',
    gold: 'SELECT COUNT(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o JOIN payments p ON p.order_id = o.id WHERE o.customer_id = c.id)',
  },
  {
    datasource: 'shop',
    shape: 'negation with a date inside',
    question: "How many customers didn't order anything in 2025?",
    gold: "SELECT COUNT(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.order_date >= '2025-01-01' AND o.order_date < '2026-01-01')",
  },
  {
    datasource: 'shop',
    shape: 'share of a value',
    question: 'What percentage of payments were made with paypal?',
    gold: "SELECT 100.0 * SUM(CASE WHEN method = 'paypal' THEN 1 ELSE 0 END) / COUNT(*) FROM payments",
  },
  {
    datasource: 'shop',
    shape: 'ratio of two tables',
    question: 'What is the ratio of orders to customers?',
    gold: 'SELECT 1.0 * (SELECT COUNT(*) FROM orders) / (SELECT COUNT(*) FROM customers)',
  },
  {
    datasource: 'shop',
    shape: 'decline: nothing in the schema',
    question: 'Which suppliers deliver the most late shipments?',
    gold: null,
  },
  {
    datasource: 'shop',
    shape: 'decline: a judgement',
    question: 'Which customers are the happiest with our service?',
    gold: null,
  },
  // clinic: values beyond the sampled five
  {
    datasource: 'clinic',
    shape: 'unsampled department',
    question: 'How many doctors are in the Pediatrics department?',
    gold: "SELECT COUNT(*) FROM doctors doc JOIN departments d ON d.id = doc.department_id WHERE d.name = 'Pediatrics'",
  },
  {
    datasource: 'clinic',
    shape: 'unsampled insurer',
    question: 'How many patients are insured by Aetna?',
    gold: "SELECT COUNT(*) FROM patients WHERE insurance_provider = 'Aetna'",
  },
  {
    datasource: 'clinic',
    shape: 'unsampled city, lower case',
    question: 'how many patients live in medford',
    gold: "SELECT COUNT(*) FROM patients WHERE city = 'Medford'",
  },
  {
    datasource: 'clinic',
    shape: 'unsampled medication name',
    question: 'How many prescriptions were written for Amoxicillin 500 mg capsule?',
    gold: "SELECT COUNT(*) FROM prescriptions p JOIN medications m ON m.id = p.medication_id WHERE m.name = 'Amoxicillin 500 mg capsule'",
  },
  {
    datasource: 'clinic',
    shape: 'unsampled department, status, relative year',
    question: 'How many no-shows did Orthopedics have last year?',
    gold: "SELECT COUNT(*) FROM appointments a JOIN doctors doc ON doc.id = a.doctor_id JOIN departments d ON d.id = doc.department_id WHERE d.name = 'Orthopedics' AND a.status = 'no_show' AND a.scheduled_at >= '2024-01-01' AND a.scheduled_at < '2025-01-01'",
  },
  {
    datasource: 'clinic',
    shape: 'metric of an unsampled department',
    question: 'Total fees billed by Psychiatry',
    gold: "SELECT SUM(a.fee) FROM appointments a JOIN doctors doc ON doc.id = a.doctor_id JOIN departments d ON d.id = doc.department_id WHERE d.name = 'Psychiatry'",
  },
  {
    datasource: 'clinic',
    shape: 'two values, one sampled',
    question: 'How many female patients live in Boston?',
    gold: "SELECT COUNT(*) FROM patients WHERE sex = 'F' AND city = 'Boston'",
  },
  {
    datasource: 'clinic',
    shape: 'unsampled value, joined status',
    question: 'How many cancelled appointments were there for patients from Cambridge?',
    gold: "SELECT COUNT(*) FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE a.status = 'cancelled' AND p.city = 'Cambridge'",
  },
  {
    datasource: 'clinic',
    shape: 'a word of a longer value only',
    question: 'How many patients have hypertension?',
    gold: "SELECT COUNT(DISTINCT a.patient_id) FROM diagnoses dg JOIN appointments a ON a.id = dg.appointment_id WHERE dg.description LIKE '%hypertension%'",
  },
  // clinic: relative dates
  {
    datasource: 'clinic',
    shape: 'next month',
    question: 'How many appointments are booked for next month?',
    // Today is 2025-07-01: next month is August, when nothing is booked yet (the gold first said July, wrongly).
    gold: "SELECT COUNT(*) FROM appointments WHERE status = 'scheduled' AND scheduled_at >= '2025-08-01' AND scheduled_at < '2025-09-01'",
  },
  {
    datasource: 'clinic',
    shape: 'metric last year',
    question: 'What was the total billed revenue last year?',
    gold: "SELECT SUM(fee) FROM appointments WHERE scheduled_at >= '2024-01-01' AND scheduled_at < '2025-01-01'",
  },
  {
    datasource: 'clinic',
    shape: 'this year, on the hire date',
    question: 'How many doctors were hired this year?',
    gold: "SELECT COUNT(*) FROM doctors WHERE hired_on >= '2025-01-01' AND hired_on < '2026-01-01'",
  },
  // clinic: aggregates, grouping, ranking
  {
    datasource: 'clinic',
    shape: 'average per group',
    question: 'Average salary per department',
    gold: 'SELECT d.name, AVG(doc.salary) FROM doctors doc JOIN departments d ON d.id = doc.department_id GROUP BY d.id, d.name',
  },
  {
    datasource: 'clinic',
    shape: 'top 1 group by an average',
    question: 'Which department has the highest average salary?',
    gold: 'SELECT d.name FROM doctors doc JOIN departments d ON d.id = doc.department_id GROUP BY d.id, d.name ORDER BY AVG(doc.salary) DESC LIMIT 1',
  },
  {
    datasource: 'clinic',
    shape: 'value with a year through a join',
    question: 'How many severe diagnoses were made in 2024?',
    gold: "SELECT COUNT(*) FROM diagnoses dg JOIN appointments a ON a.id = dg.appointment_id WHERE dg.severity = 'severe' AND a.scheduled_at >= '2024-01-01' AND a.scheduled_at < '2025-01-01'",
  },
  {
    datasource: 'clinic',
    shape: 'share of a boolean',
    question: 'What percentage of medications require a prescription?',
    gold: 'SELECT 100.0 * SUM(CASE WHEN requires_prescription THEN 1 ELSE 0 END) / COUNT(*) FROM medications',
  },
  {
    datasource: 'clinic',
    shape: 'count per group with a year, three tables',
    question: 'How many appointments did each department have in 2024?',
    gold: "SELECT d.name, COUNT(*) FROM appointments a JOIN doctors doc ON doc.id = a.doctor_id JOIN departments d ON d.id = doc.department_id WHERE a.scheduled_at >= '2024-01-01' AND a.scheduled_at < '2025-01-01' GROUP BY d.id, d.name",
  },
  {
    datasource: 'clinic',
    shape: 'top 1 by a count of related rows',
    question: 'What is the most commonly prescribed medication?',
    gold: 'SELECT m.name FROM prescriptions p JOIN medications m ON m.id = p.medication_id GROUP BY m.id, m.name ORDER BY COUNT(*) DESC LIMIT 1',
  },
  {
    datasource: 'clinic',
    shape: 'list by a sampled value of a joined table',
    question: 'Which doctors work in the West Wing?',
    gold: "SELECT doc.first_name, doc.last_name FROM doctors doc JOIN departments d ON d.id = doc.department_id WHERE d.building = 'West Wing'",
  },
  {
    datasource: 'clinic',
    shape: 'average with a status',
    question: "What's the average appointment length for completed visits?",
    gold: "SELECT AVG(duration_minutes) FROM appointments WHERE status = 'completed'",
  },
  {
    datasource: 'clinic',
    shape: 'HAVING on a count of a grouped column',
    question: 'List the insurers with more than 70 patients',
    gold: 'SELECT insurance_provider FROM patients WHERE insurance_provider IS NOT NULL GROUP BY insurance_provider HAVING COUNT(*) > 70',
  },
  {
    datasource: 'clinic',
    shape: 'top 1 month of a year',
    question: 'Which month of 2024 had the most appointments?',
    gold: "SELECT EXTRACT(MONTH FROM scheduled_at) FROM appointments WHERE scheduled_at >= '2024-01-01' AND scheduled_at < '2025-01-01' GROUP BY EXTRACT(MONTH FROM scheduled_at) ORDER BY COUNT(*) DESC LIMIT 1",
  },
  {
    datasource: 'clinic',
    shape: 'glossary condition',
    question: 'how many new patients do we have',
    gold: "SELECT COUNT(*) FROM patients WHERE registered_on >= '2025-04-02'",
  },
  // clinic: per-period averages, negation, ratios across tables
  {
    datasource: 'clinic',
    shape: 'average of per-month counts',
    question: 'What was the average number of appointments per month in 2024?',
    gold: "SELECT AVG(n) FROM (SELECT EXTRACT(MONTH FROM scheduled_at) AS month, COUNT(*) AS n FROM appointments WHERE scheduled_at >= '2024-01-01' AND scheduled_at < '2025-01-01' GROUP BY EXTRACT(MONTH FROM scheduled_at)) t",
  },
  {
    datasource: 'clinic',
    shape: 'NOT EXISTS two steps away',
    question: 'How many patients have never received a prescription?',
    gold: 'SELECT COUNT(*) FROM patients pt WHERE NOT EXISTS (SELECT 1 FROM appointments a JOIN prescriptions p ON p.appointment_id = a.id WHERE a.patient_id = pt.id)',
  },
  {
    datasource: 'clinic',
    shape: 'negation with a date inside',
    question: 'How many patients had no appointments in 2025?',
    gold: "SELECT COUNT(*) FROM patients pt WHERE NOT EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = pt.id AND a.scheduled_at >= '2025-01-01' AND a.scheduled_at < '2026-01-01')",
  },
  {
    datasource: 'clinic',
    shape: 'ratio of two tables',
    question: 'What is the ratio of prescriptions to appointments?',
    gold: 'SELECT 1.0 * (SELECT COUNT(*) FROM prescriptions) / (SELECT COUNT(*) FROM appointments)',
  },
  {
    datasource: 'clinic',
    shape: 'decline: nothing in the schema',
    question: 'How long do patients wait in the lobby on average?',
    gold: null,
  },
  {
    datasource: 'clinic',
    shape: 'decline: a word of no table',
    question: 'How many surgeries were performed by residents?',
    gold: null,
  },
];

/**
 * Measured on this set before any planner change for it: 33 correct, 34 declined, 3 wrong of 70 on PGlite,
 * Postgres and MariaDB alike; with the value lookup (values beyond the sampled five), 46, 21, 3; declining one number for a "which" question and an aggregate of no rows, 46, 23, 1; with "next month" and contractions, 47, 22, 1; looking up a joined value that a like-named column of the base may hold, 48, 22, 0; with the practice set's work (issue 16: tables the plan drops declined, NOT EXISTS within a period, "outside", shares of known values), 53, 17, 0; with HAVING on counts of related rows that meet a value or a period, 54, 16, 0. Until then the set was scored by `matchesGold` (extra columns allowed, numbers to cents); scored as the eval scores (`compareResults`: exactly the gold's columns, numbers to 1e-6), the same answers under production (v6) are 48, 16, 6 on every engine: the answers that turned wrong add the ranking's measure next to the ranked items, round an average or a ratio to cents where the gold does not, or add each period's figure next to a month-over-month change. Then the golds were held to the eval datasets' public rules (evals/README.md: round only where the question asks; a percentage is 0–100, a share 0–1; exactly the asked columns): ROUND(…, 2) left out of 4 golds; the rates named by a knowledge metric keep the metric's rounding. With the corrected golds, production (v6): 46, 16, 8; staging (v7, the rules on the form of the answer, which the offline model follows): 53, 16, 1 on every engine (the wrong one: a metric whose definition rounds an average). The bounds hold what is reached: no more wrong answers, and no fewer correct ones.
 */
// After the colloquial set's work (filler words, typos, bare "X per Y", negated glossary terms, nearest dates): 55, 14, 1;
// with "newest" / "most recent", chat shorthand, acronyms of values ("the US"): 56, 13, 1; with periods ranked by
// a count ("which month had the most …"), quarters and "first" as the earliest: 57, 12, 1; with the grouping set's
// work (issue 16: how grouping questions are asked, aggregates of groups): 59, 10, 1; with the BIRD-style set's work
// (2026-12-07: the benchmarks' phrasings, "have a … on file", averages over all rows): 60, 9, 1; later that day 61, 8, 1;
// with rankings by a count of the rows a participle names ("the most commonly prescribed"): 62, 7, 1.
const minimumCorrect = 62;
const maximumWrong = 1;

describeQuestionSet(questionSet, { name: 'the unseen question set', minimumQuestions: 60, minimumCorrect, maximumWrong });
