import { describeQuestionSet, type QuestionCase } from '../support/offline-question-runner.ts';

// A question set of our own for the offline model (issue 16): the shapes it must answer or decline, asked
// as different users would (colloquial, synonyms of the glossary, a few typos), with gold SQL written by
// hand from the fixture definitions and knowledge/*.yaml only. Each question is answered end to end (the
// real tool loop, the production prompt with the glossary and metrics) and compared by executing the gold.
// A decline is better than a wrong answer: the set counts the two apart, and wrong answers must stay at zero.

const revenue = 'SUM(oi.quantity * oi.unit_price * (1 - oi.discount))';

const questionSet: QuestionCase[] = [
  // shop: negation
  {
    datasource: 'shop',
    shape: 'anti-join through a line table',
    question: 'How many products have never been ordered?',
    gold: 'SELECT COUNT(*) FROM products p WHERE NOT EXISTS (SELECT 1 FROM order_items oi WHERE oi.product_id = p.id)',
  },
  {
    datasource: 'shop',
    shape: 'anti-join, listed',
    question: 'List all customers without any orders.',
    gold: 'SELECT first_name, last_name FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)',
  },
  {
    datasource: 'shop',
    shape: 'negated value',
    question: 'How many orders were not delivered?',
    gold: "SELECT COUNT(*) FROM orders WHERE status <> 'delivered'",
  },
  {
    datasource: 'shop',
    shape: 'NULL from a negated column',
    question: 'How many customers have no phone number?',
    gold: 'SELECT COUNT(*) FROM customers WHERE phone IS NULL',
  },
  {
    datasource: 'shop',
    shape: 'NULL meaning from a column comment',
    question: 'How many customers did not provide their birth date?',
    gold: 'SELECT COUNT(*) FROM customers WHERE birth_date IS NULL',
  },
  // shop: HAVING
  {
    datasource: 'shop',
    shape: 'HAVING on a count, listed',
    question: 'Which customers placed at least 40 orders?',
    gold: 'SELECT c.first_name, c.last_name FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.first_name, c.last_name HAVING COUNT(*) >= 40',
  },
  {
    datasource: 'shop',
    shape: 'HAVING on a count, counted (keeping rows with none)',
    question: 'How many customers have fewer than 3 orders?',
    gold: 'SELECT COUNT(*) FROM customers c WHERE (SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.id) < 3',
  },
  {
    datasource: 'shop',
    shape: 'HAVING on a count of a grouped column',
    question: 'Which countries have more than 200 customers?',
    gold: 'SELECT country FROM customers GROUP BY country HAVING COUNT(*) > 200',
  },
  {
    datasource: 'shop',
    shape: 'HAVING on a count of a grouped column',
    question: 'Which payment methods were used more than 1000 times?',
    gold: 'SELECT method FROM payments GROUP BY method HAVING COUNT(*) > 1000',
  },
  {
    datasource: 'shop',
    shape: 'HAVING on a sum',
    question: 'Which categories brought in more than $200,000 of revenue?',
    gold: `SELECT c.name FROM order_items oi JOIN products p ON p.id = oi.product_id JOIN categories c ON c.id = p.category_id GROUP BY c.id, c.name HAVING ${revenue} > 200000`,
  },
  // shop: shares and ratios
  {
    datasource: 'shop',
    shape: 'percentage',
    question: 'What percentage of orders got returned?',
    gold: "SELECT 100.0 * SUM(CASE WHEN status = 'returned' THEN 1 ELSE 0 END) / COUNT(*) FROM orders",
  },
  {
    datasource: 'shop',
    shape: 'share with the column named',
    question: 'What share of customers belong to the corporate segment?',
    gold: "SELECT 1.0 * SUM(CASE WHEN segment = 'corporate' THEN 1 ELSE 0 END) / COUNT(*) FROM customers",
  },
  {
    datasource: 'shop',
    shape: 'share within a filtered subject',
    question: 'What percent of PayPal payments failed?',
    gold: "SELECT 100.0 * SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) / COUNT(*) FROM payments WHERE method = 'paypal'",
  },
  {
    datasource: 'shop',
    shape: 'ratio of two values',
    question: 'What is the ratio of cancelled orders to delivered orders?',
    gold: "SELECT 1.0 * SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END) / SUM(CASE WHEN status = 'delivered' THEN 1 ELSE 0 END) FROM orders",
  },
  {
    datasource: 'shop',
    shape: 'ratio of two measures',
    question: 'What is the ratio of total cost to total price across all products?',
    gold: 'SELECT SUM(cost) / SUM(price) FROM products',
  },
  // shop: averages of per-group aggregates
  {
    datasource: 'shop',
    shape: 'average of per-group counts',
    question: 'What is the average number of orders per customer?',
    gold: 'SELECT AVG(n) FROM (SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY customer_id) t',
  },
  {
    datasource: 'shop',
    shape: 'average of per-group counts',
    question: "What's the avg number of payments per order?",
    gold: 'SELECT AVG(n) FROM (SELECT order_id, COUNT(*) AS n FROM payments GROUP BY order_id) t',
  },
  // shop: trends
  {
    datasource: 'shop',
    shape: 'monthly trend of a metric',
    question: 'Show the monthly revenue for 2024.',
    gold: `SELECT EXTRACT(MONTH FROM o.order_date) AS month, ${revenue} FROM order_items oi JOIN orders o ON o.id = oi.order_id WHERE o.order_date >= '2024-01-01' AND o.order_date < '2025-01-01' GROUP BY EXTRACT(MONTH FROM o.order_date)`,
  },
  {
    datasource: 'shop',
    shape: 'yearly count on the named date column',
    question: 'How many customers signed up each year?',
    gold: 'SELECT EXTRACT(YEAR FROM signup_date), COUNT(*) FROM customers GROUP BY EXTRACT(YEAR FROM signup_date)',
  },
  {
    datasource: 'shop',
    shape: 'month-over-month change',
    question: 'What was the month-over-month change in the number of orders during 2024?',
    gold: "SELECT m, n - LAG(n) OVER (ORDER BY m) FROM (SELECT EXTRACT(MONTH FROM order_date) AS m, COUNT(*) AS n FROM orders WHERE order_date >= '2024-01-01' AND order_date < '2025-01-01' GROUP BY EXTRACT(MONTH FROM order_date)) t",
  },
  // shop: top N per group, numbers as words
  {
    datasource: 'shop',
    shape: 'top N per group',
    question: 'What are the two most expensive products in each category?',
    gold: 'SELECT category, product FROM (SELECT c.name AS category, p.name AS product, p.price, RANK() OVER (PARTITION BY c.id ORDER BY p.price DESC) AS r FROM products p JOIN categories c ON c.id = p.category_id) t WHERE r <= 2',
  },
  {
    datasource: 'shop',
    shape: 'number as a word, ranked',
    question: 'List the four cheapest active products.',
    // Three products share the second-lowest price, so their order is any; the set of four is not.
    gold: 'SELECT name FROM products WHERE is_active = TRUE ORDER BY price ASC LIMIT 4',
  },
  // shop: dates on the column the question names
  {
    datasource: 'shop',
    shape: 'date on the named column (born)',
    question: 'How many customers were born before 1970?',
    gold: "SELECT COUNT(*) FROM customers WHERE birth_date < '1970-01-01'",
  },
  {
    datasource: 'shop',
    shape: 'range of years',
    question: 'How many customers signed up between 2020 and 2022?',
    gold: "SELECT COUNT(*) FROM customers WHERE signup_date >= '2020-01-01' AND signup_date < '2023-01-01'",
  },
  {
    datasource: 'shop',
    shape: 'quarter',
    question: 'What were total sales in the first quarter of 2025?',
    gold: `SELECT ${revenue} FROM order_items oi JOIN orders o ON o.id = oi.order_id WHERE o.order_date >= '2025-01-01' AND o.order_date < '2025-04-01'`,
  },
  {
    datasource: 'shop',
    shape: 'month on a timestamp with a value',
    question: 'How many payments were refunded in March 2025?',
    gold: "SELECT COUNT(*) FROM payments WHERE status = 'refunded' AND paid_at >= '2025-03-01' AND paid_at < '2025-04-01'",
  },
  // shop: joins, synonyms, typos
  {
    datasource: 'shop',
    shape: 'metric through a three-table join, glossary synonym',
    question: 'What is the revenue from buyers in Germany?',
    gold: `SELECT ${revenue} FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN customers c ON c.id = o.customer_id WHERE c.country = 'Germany'`,
  },
  {
    datasource: 'shop',
    shape: 'four-table join, counted once',
    question: 'How many orders contain products from the Audio category?',
    gold: "SELECT COUNT(DISTINCT o.id) FROM orders o JOIN order_items oi ON oi.order_id = o.id JOIN products p ON p.id = oi.product_id JOIN categories c ON c.id = p.category_id WHERE c.name = 'Audio'",
  },
  {
    datasource: 'shop',
    shape: 'glossary synonym for a table',
    question: 'How many shoppers live in Canada?',
    gold: "SELECT COUNT(*) FROM customers WHERE country = 'Canada'",
  },
  {
    datasource: 'shop',
    shape: 'typo in a table name',
    question: 'How many custmers are in Japan?',
    gold: "SELECT COUNT(*) FROM customers WHERE country = 'Japan'",
  },
  {
    datasource: 'shop',
    shape: 'glossary column and value, colloquial',
    question: "what's the average order total for corporate customers?",
    gold: "SELECT AVG(o.total_amount) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.segment = 'corporate'",
  },
  {
    datasource: 'shop',
    shape: 'glossary condition',
    question: 'How many discontinued items are there?',
    gold: 'SELECT COUNT(*) FROM products WHERE is_active = FALSE',
  },
  {
    datasource: 'shop',
    shape: 'money range',
    question: 'How many products cost between $20 and $50?',
    gold: 'SELECT COUNT(*) FROM products WHERE price BETWEEN 20 AND 50',
  },
  {
    datasource: 'shop',
    shape: 'grouped metric by a joined column',
    question: 'What is the total revenue per customer country?',
    gold: `SELECT c.country, ${revenue} FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN customers c ON c.id = o.customer_id GROUP BY c.country`,
  },
  {
    datasource: 'shop',
    shape: 'decline: two products in one basket',
    question: 'Which customers bought both a laptop and a phone?',
    gold: null,
  },
  {
    datasource: 'shop',
    shape: 'decline: a word of no table',
    question: 'How many warehouses ship to Brazil?',
    gold: null,
  },
  // clinic: negation
  {
    datasource: 'clinic',
    shape: 'anti-join',
    question: 'How many patients have never had an appointment?',
    gold: 'SELECT COUNT(*) FROM patients p WHERE NOT EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = p.id)',
  },
  {
    datasource: 'clinic',
    shape: 'anti-join through a verb of the table',
    question: 'Which medications have never been prescribed?',
    gold: 'SELECT name FROM medications m WHERE NOT EXISTS (SELECT 1 FROM prescriptions p WHERE p.medication_id = m.id)',
  },
  {
    datasource: 'clinic',
    shape: 'negated value with a year',
    question: 'How many appointments were not cancelled in 2024?',
    gold: "SELECT COUNT(*) FROM appointments WHERE status <> 'cancelled' AND scheduled_at >= '2024-01-01' AND scheduled_at < '2025-01-01'",
  },
  {
    datasource: 'clinic',
    shape: 'NULL from a negated column',
    question: 'How many patients have no insurance provider?',
    gold: 'SELECT COUNT(*) FROM patients WHERE insurance_provider IS NULL',
  },
  // clinic: HAVING
  {
    datasource: 'clinic',
    shape: 'HAVING on a count, listed',
    question: 'Which patients have had more than 30 appointments?',
    gold: 'SELECT p.first_name, p.last_name FROM patients p JOIN appointments a ON a.patient_id = p.id GROUP BY p.id, p.first_name, p.last_name HAVING COUNT(*) > 30',
  },
  {
    datasource: 'clinic',
    shape: 'HAVING on a count, number as a word',
    question: 'Which departments have at least five doctors?',
    gold: 'SELECT d.name FROM departments d JOIN doctors doc ON doc.department_id = d.id GROUP BY d.id, d.name HAVING COUNT(*) >= 5',
  },
  {
    datasource: 'clinic',
    shape: 'HAVING on a metric',
    question: 'Which departments have a payroll above $1,500,000?',
    gold: 'SELECT d.name FROM doctors doc JOIN departments d ON d.id = doc.department_id GROUP BY d.id, d.name HAVING SUM(doc.salary) > 1500000',
  },
  {
    datasource: 'clinic',
    shape: 'HAVING on a count of a grouped column',
    question: 'Which cities have more than 40 patients?',
    gold: 'SELECT city FROM patients GROUP BY city HAVING COUNT(*) > 40',
  },
  // clinic: shares and ratios
  {
    datasource: 'clinic',
    shape: 'percentage',
    question: 'What percentage of diagnoses are severe?',
    gold: "SELECT 100.0 * SUM(CASE WHEN severity = 'severe' THEN 1 ELSE 0 END) / COUNT(*) FROM diagnoses",
  },
  {
    datasource: 'clinic',
    shape: 'share with a year in the subject',
    question: 'What share of appointments in 2024 were no-shows?',
    gold: "SELECT 1.0 * SUM(CASE WHEN status = 'no_show' THEN 1 ELSE 0 END) / COUNT(*) FROM appointments WHERE scheduled_at >= '2024-01-01' AND scheduled_at < '2025-01-01'",
  },
  {
    datasource: 'clinic',
    shape: 'ratio of two values through the glossary',
    question: 'What is the ratio of female to male patients?',
    gold: "SELECT 1.0 * SUM(CASE WHEN sex = 'F' THEN 1 ELSE 0 END) / SUM(CASE WHEN sex = 'M' THEN 1 ELSE 0 END) FROM patients",
  },
  // clinic: averages of per-group aggregates
  {
    datasource: 'clinic',
    shape: 'average of per-group counts',
    question: 'What is the average number of appointments per patient?',
    gold: 'SELECT AVG(n) FROM (SELECT patient_id, COUNT(*) AS n FROM appointments GROUP BY patient_id) t',
  },
  // clinic: trends
  {
    datasource: 'clinic',
    shape: 'per-month count within a year',
    question: 'How many appointments were there each month in 2025?',
    gold: "SELECT EXTRACT(MONTH FROM scheduled_at), COUNT(*) FROM appointments WHERE scheduled_at >= '2025-01-01' AND scheduled_at < '2026-01-01' GROUP BY EXTRACT(MONTH FROM scheduled_at)",
  },
  {
    datasource: 'clinic',
    shape: 'per-year count on the named date column',
    question: 'How many doctors were hired per year?',
    gold: 'SELECT EXTRACT(YEAR FROM hired_on), COUNT(*) FROM doctors GROUP BY EXTRACT(YEAR FROM hired_on)',
  },
  {
    datasource: 'clinic',
    shape: 'month-over-month change of a metric',
    question: 'Show the month over month change in billed revenue for 2024.',
    gold: "SELECT m, total - LAG(total) OVER (ORDER BY m) FROM (SELECT EXTRACT(MONTH FROM scheduled_at) AS m, SUM(fee) AS total FROM appointments WHERE scheduled_at >= '2024-01-01' AND scheduled_at < '2025-01-01' GROUP BY EXTRACT(MONTH FROM scheduled_at)) t",
  },
  // clinic: top N per group, numbers as words
  {
    datasource: 'clinic',
    shape: 'top N per group by a money column',
    question: 'Who are the 2 highest paid doctors in each department?',
    gold: 'SELECT department, first_name, last_name FROM (SELECT d.name AS department, doc.first_name, doc.last_name, doc.salary, RANK() OVER (PARTITION BY d.id ORDER BY doc.salary DESC) AS r FROM doctors doc JOIN departments d ON d.id = doc.department_id) t WHERE r <= 2',
  },
  {
    datasource: 'clinic',
    shape: 'number as a word after a column',
    question: 'List the departments located on floor two.',
    gold: 'SELECT name FROM departments WHERE floor = 2',
  },
  // clinic: dates on the column the question names
  {
    datasource: 'clinic',
    shape: 'date on the named column (born)',
    question: 'How many patients were born after 1990?',
    gold: "SELECT COUNT(*) FROM patients WHERE birth_date >= '1991-01-01'",
  },
  {
    datasource: 'clinic',
    shape: 'date on the named column (registered)',
    question: 'How many patients registered in 2023?',
    gold: "SELECT COUNT(*) FROM patients WHERE registered_on >= '2023-01-01' AND registered_on < '2024-01-01'",
  },
  {
    datasource: 'clinic',
    shape: 'range of years on a hire date',
    question: 'How many doctors were hired between 2010 and 2015?',
    gold: "SELECT COUNT(*) FROM doctors WHERE hired_on >= '2010-01-01' AND hired_on < '2016-01-01'",
  },
  // clinic: joins, synonyms, typos
  {
    datasource: 'clinic',
    shape: 'four-table join',
    question: 'How many prescriptions were written by doctors in the Cardiology department?',
    gold: "SELECT COUNT(*) FROM prescriptions p JOIN appointments a ON a.id = p.appointment_id JOIN doctors doc ON doc.id = a.doctor_id JOIN departments d ON d.id = doc.department_id WHERE d.name = 'Cardiology'",
  },
  {
    datasource: 'clinic',
    shape: 'grouped average through glossary terms',
    question: 'What is the average treatment length for each drug?',
    gold: 'SELECT m.name, AVG(p.days) FROM prescriptions p JOIN medications m ON m.id = p.medication_id GROUP BY m.id, m.name',
  },
  {
    datasource: 'clinic',
    shape: 'glossary synonym for a table with a joined value',
    question: 'How many clinicians work in Pediatrics?',
    gold: "SELECT COUNT(*) FROM doctors doc JOIN departments d ON d.id = doc.department_id WHERE d.name = 'Pediatrics'",
  },
  {
    datasource: 'clinic',
    shape: 'value, joined value and a year',
    question: 'How many no-shows did the Neurology department have in 2024?',
    gold: "SELECT COUNT(*) FROM appointments a JOIN doctors doc ON doc.id = a.doctor_id JOIN departments d ON d.id = doc.department_id WHERE a.status = 'no_show' AND d.name = 'Neurology' AND a.scheduled_at >= '2024-01-01' AND a.scheduled_at < '2025-01-01'",
  },
  {
    datasource: 'clinic',
    shape: 'typo in a table name',
    question: 'How many apointments were cancelled in 2024?',
    gold: "SELECT COUNT(*) FROM appointments WHERE status = 'cancelled' AND scheduled_at >= '2024-01-01' AND scheduled_at < '2025-01-01'",
  },
  {
    datasource: 'clinic',
    shape: 'metric with a joined value, colloquial',
    question: "what's the payroll for the cardiology ward",
    gold: "SELECT SUM(doc.salary) FROM doctors doc JOIN departments d ON d.id = doc.department_id WHERE d.name = 'Cardiology'",
  },
  {
    datasource: 'clinic',
    shape: 'money range',
    question: 'How many medications cost between $5 and $10?',
    gold: 'SELECT COUNT(*) FROM medications WHERE unit_price BETWEEN 5 AND 10',
  },
  {
    datasource: 'clinic',
    shape: 'decline: a judgement the data does not hold',
    question: 'Which doctor is the best at treating diabetes?',
    gold: null,
  },
  {
    datasource: 'clinic',
    shape: 'decline: a word of no table',
    question: 'How many nurses work night shifts?',
    gold: null,
  },
];

/**
 * Measured on this set: before the planner work of issue 16, 35 correct, 29 declined, 1 wrong of 65 on each
 * engine; after it, 63 correct, 2 declined (values beyond the sampled five: "Canada", "Pediatrics"), 0 wrong;
 * with the value lookup (value-lookup.ts), 65 correct. Until then the set was scored by `matchesGold` (extra
 * columns allowed, numbers to cents); scored as the eval scores (`compareResults`: exactly the gold's columns,
 * numbers to 1e-6, 5e-5 on MariaDB), the same answers under production (v6) are 59 correct, 0 declined, 6 wrong
 * on PGlite and Postgres, 60, 0, 5 on MariaDB: the answers that turned wrong add the ranking's measure next to the ranked items, round an average or a ratio to cents where the gold does not, or add each period's figure next to a month-over-month change. Then the golds were held to the eval datasets' public rules (evals/README.md: round only where the question asks; a percentage is 0–100, a share 0–1; exactly the asked columns): ROUND(…, 2) left out of 10 golds, 2 of them shares made fractions, and the measure left out of 3 rankings that do not ask for it; the rates named by a knowledge metric keep the metric's rounding.
 * With the corrected golds, production (v6): 47, 0, 18; staging (v7, the rules on the form of the answer, which the
 * offline model follows): 64, 0, 1 on PGlite and Postgres, 65, 0, 0 on MariaDB (the wrong one: the gold's order among
 * products tied on price). The bounds hold what is reached: no more wrong answers, and
 * no fewer correct ones.
 */
const minimumCorrect = 64;
const maximumWrong = 1;

describeQuestionSet(questionSet, { name: 'our own question set', minimumQuestions: 40, minimumCorrect, maximumWrong });
