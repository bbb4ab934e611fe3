import type { QuestionCase } from './offline-question-runner.ts';

// The practice set of the offline model (issue 16): questions a business user might ask after reading only
// the fixture definitions (fixtures/*/…-tables.ts, the generators for which values exist) and
// knowledge/*.yaml, written together with the holdout set (offline-holdout-questions.ts) before the planner
// work they measure. The planner is developed against this set, in general readings of English and SQL,
// never for one question; the holdout set is run only before and after.

const revenue = 'SUM(oi.quantity * oi.unit_price * (1 - oi.discount))';

/** The practice questions, both datasources. */
export const practiceQuestions: QuestionCase[] = [
  // shop: negation
  {
    datasource: 'shop',
    shape: 'anti-join, synonym of the table',
    question: 'How many registered accounts have no orders at all?',
    gold: 'SELECT COUNT(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)',
  },
  {
    datasource: 'shop',
    shape: 'negated status with a year',
    question: 'How many orders were not cancelled in 2025?',
    gold: "SELECT COUNT(*) FROM orders WHERE status <> 'cancelled' AND order_date >= '2025-01-01' AND order_date < '2026-01-01'",
  },
  {
    datasource: 'shop',
    shape: 'anti-join through a line table with a year',
    question: 'How many products were never part of any order in 2024?',
    gold: "SELECT COUNT(*) FROM products p WHERE NOT EXISTS (SELECT 1 FROM order_items oi JOIN orders o ON o.id = oi.order_id WHERE oi.product_id = p.id AND o.order_date >= '2024-01-01' AND o.order_date < '2025-01-01')",
  },
  {
    datasource: 'shop',
    shape: 'negated value of a joined column',
    question: 'How many customers live outside Europe?',
    gold: "SELECT COUNT(*) FROM customers c JOIN regions r ON r.id = c.region_id WHERE r.continent <> 'Europe'",
  },
  // shop: HAVING, at least / more than / fewer than
  {
    datasource: 'shop',
    shape: 'HAVING on a count, at least',
    question: 'Which cities have at least 60 customers?',
    gold: 'SELECT city FROM customers GROUP BY city HAVING COUNT(*) >= 60',
  },
  {
    datasource: 'shop',
    shape: 'HAVING on a sum of related rows',
    question: 'Which customers have spent over $25,000 in total?',
    gold: 'SELECT c.first_name, c.last_name FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.first_name, c.last_name HAVING SUM(o.total_amount) > 25000',
  },
  {
    datasource: 'shop',
    shape: 'count of groups over a number in words',
    question: 'How many customers have placed more than ten orders?',
    gold: 'SELECT COUNT(*) FROM (SELECT customer_id FROM orders GROUP BY customer_id HAVING COUNT(*) > 10) t',
  },
  {
    datasource: 'shop',
    shape: 'fewer than, number in words',
    question: 'Which subcategories hold fewer than twenty products?',
    gold: 'SELECT c.name FROM categories c JOIN products p ON p.category_id = c.id WHERE c.parent_id IS NOT NULL GROUP BY c.id, c.name HAVING COUNT(*) < 20',
  },
  {
    datasource: 'shop',
    shape: 'HAVING on a metric per group',
    question: 'Which countries brought in more than $350,000 in revenue?',
    gold: `SELECT c.country FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN customers c ON c.id = o.customer_id GROUP BY c.country HAVING ${revenue} > 350000`,
  },
  // shop: percentages, shares, ratios
  {
    datasource: 'shop',
    shape: 'percentage of rows with a value',
    question: 'What percentage of our customers are from Japan?',
    gold: "SELECT 100.0 * SUM(CASE WHEN country = 'Japan' THEN 1 ELSE 0 END) / COUNT(*) FROM customers",
  },
  {
    datasource: 'shop',
    shape: 'share of a glossary value',
    question: 'What share of payments were made by bank transfer?',
    gold: "SELECT 1.0 * SUM(CASE WHEN method = 'bank_transfer' THEN 1 ELSE 0 END) / COUNT(*) FROM payments",
  },
  {
    datasource: 'shop',
    shape: 'percentage within a year',
    question: 'What percentage of orders placed in 2024 were returned?',
    gold: "SELECT 100.0 * SUM(CASE WHEN status = 'returned' THEN 1 ELSE 0 END) / COUNT(*) FROM orders WHERE order_date >= '2024-01-01' AND order_date < '2025-01-01'",
  },
  {
    datasource: 'shop',
    shape: 'ratio of two values of a column',
    question: 'What is the ratio of refunded payments to captured payments?',
    gold: "SELECT 1.0 * SUM(CASE WHEN status = 'refunded' THEN 1 ELSE 0 END) / SUM(CASE WHEN status = 'captured' THEN 1 ELSE 0 END) FROM payments",
  },
  {
    datasource: 'shop',
    shape: 'ratio of two sums',
    question: 'What is the ratio of total page views to total sessions?',
    gold: 'SELECT 1.0 * SUM(page_views) / SUM(sessions) FROM analytics.user_behavior',
  },
  // shop: averages of per-group aggregates
  {
    datasource: 'shop',
    shape: 'average of per-group counts',
    question: 'What is the average number of customers per city?',
    gold: 'SELECT AVG(n) FROM (SELECT city, COUNT(*) AS n FROM customers GROUP BY city) t',
  },
  {
    datasource: 'shop',
    shape: 'average of per-group counts, synonym',
    question: "What's the average number of products per subcategory?",
    gold: 'SELECT AVG(n) FROM (SELECT category_id, COUNT(*) AS n FROM products GROUP BY category_id) t',
  },
  // shop: trends
  {
    datasource: 'shop',
    shape: 'per-month trend on a named date column',
    question: 'Show the number of customer signups per month in 2023.',
    gold: "SELECT EXTRACT(MONTH FROM signup_date), COUNT(*) FROM customers WHERE signup_date >= '2023-01-01' AND signup_date < '2024-01-01' GROUP BY EXTRACT(MONTH FROM signup_date)",
  },
  {
    datasource: 'shop',
    shape: 'per-year trend of a column sum',
    question: 'Total order value by year',
    gold: 'SELECT EXTRACT(YEAR FROM order_date), SUM(total_amount) FROM orders GROUP BY EXTRACT(YEAR FROM order_date)',
  },
  {
    datasource: 'shop',
    shape: 'month-over-month change of a metric',
    question: 'How did revenue change from month to month in 2025?',
    gold: `SELECT m, total - LAG(total) OVER (ORDER BY m) FROM (SELECT EXTRACT(MONTH FROM o.order_date) AS m, ${revenue} AS total FROM order_items oi JOIN orders o ON o.id = oi.order_id WHERE o.order_date >= '2025-01-01' AND o.order_date < '2026-01-01' GROUP BY EXTRACT(MONTH FROM o.order_date)) t`,
  },
  // shop: top N
  {
    datasource: 'shop',
    shape: 'top N by a column, number in words',
    question: 'Which five products have the highest list price?',
    gold: 'SELECT name FROM products ORDER BY price DESC LIMIT 5',
  },
  {
    datasource: 'shop',
    shape: 'top ten by a sum of related rows',
    question: 'Who are the top ten customers by total spend?',
    gold: 'SELECT c.first_name, c.last_name FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.first_name, c.last_name ORDER BY SUM(o.total_amount) DESC LIMIT 10',
  },
  {
    datasource: 'shop',
    shape: 'top N per group',
    question: 'What are the two biggest cities by number of customers in each country?',
    gold: 'SELECT country, city FROM (SELECT country, city, RANK() OVER (PARTITION BY country ORDER BY COUNT(*) DESC) AS r FROM customers GROUP BY country, city) t WHERE r <= 2',
  },
  {
    datasource: 'shop',
    shape: 'bottom 1 of a group',
    question: 'Which continent has the fewest customers?',
    gold: 'SELECT r.continent FROM customers c JOIN regions r ON r.id = c.region_id GROUP BY r.continent ORDER BY COUNT(*) ASC LIMIT 1',
  },
  {
    datasource: 'shop',
    shape: 'top N within a value, number in words',
    question: 'List the three most expensive laptops.',
    gold: "SELECT p.name FROM products p JOIN categories c ON c.id = p.category_id WHERE c.name = 'Laptops & Computers' ORDER BY p.price DESC LIMIT 3",
  },
  // shop: NULL meanings
  {
    datasource: 'shop',
    shape: 'NULL meaning: money never received',
    question: 'How many payments never had any money come in?',
    gold: 'SELECT COUNT(*) FROM payments WHERE paid_at IS NULL',
  },
  {
    datasource: 'shop',
    shape: 'share of NOT NULL',
    question: 'What share of customers gave us their date of birth?',
    gold: 'SELECT 1.0 * COUNT(birth_date) / COUNT(*) FROM customers',
  },
  // shop: dates on named columns
  {
    datasource: 'shop',
    shape: 'month range on a named date column',
    question: 'How many customers created their account between March and June 2021?',
    gold: "SELECT COUNT(*) FROM customers WHERE signup_date >= '2021-03-01' AND signup_date < '2021-07-01'",
  },
  {
    datasource: 'shop',
    shape: 'year on a timestamp column named by a glossary phrase',
    question: 'How many products were added to the catalogue in 2024?',
    gold: "SELECT COUNT(*) FROM products WHERE created_at >= '2024-01-01' AND created_at < '2025-01-01'",
  },
  {
    datasource: 'shop',
    shape: 'month on the payment date',
    question: 'How many payments were received in January 2025?',
    gold: "SELECT COUNT(*) FROM payments WHERE paid_at >= '2025-01-01' AND paid_at < '2025-02-01'",
  },
  // shop: filters on city, status, discount
  {
    datasource: 'shop',
    shape: 'city filter through a join',
    question: "What's the total order value of customers living in Paris?",
    gold: "SELECT SUM(o.total_amount) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.city = 'Paris'",
  },
  {
    datasource: 'shop',
    shape: 'status and destination',
    question: 'How many delivered orders were shipped to the United Kingdom?',
    gold: "SELECT COUNT(*) FROM orders WHERE status = 'delivered' AND shipping_country = 'United Kingdom'",
  },
  {
    datasource: 'shop',
    shape: 'discount as a percentage',
    question: 'How many order lines had a 20% discount?',
    gold: 'SELECT COUNT(*) FROM order_items WHERE discount = 0.20',
  },
  {
    datasource: 'shop',
    shape: 'no discount',
    question: 'What is the revenue from order lines sold without any discount?',
    gold: `SELECT ${revenue} FROM order_items oi WHERE oi.discount = 0`,
  },
  {
    datasource: 'shop',
    shape: 'city of two regions',
    question: 'How many customers live in London?',
    gold: "SELECT COUNT(*) FROM customers WHERE city = 'London'",
  },
  {
    datasource: 'shop',
    shape: 'city whose name holds a region name',
    question: 'How many customers live in New York City?',
    gold: "SELECT COUNT(*) FROM customers WHERE city = 'New York City'",
  },
  // shop: units of counting
  {
    datasource: 'shop',
    shape: 'distinct people among events',
    question: 'How many different customers visited the site on a tablet?',
    gold: "SELECT COUNT(DISTINCT customer_id) FROM analytics.user_behavior WHERE device = 'tablet'",
  },
  {
    datasource: 'shop',
    shape: 'events, not people',
    question: 'How many visit days were recorded on desktop?',
    gold: "SELECT COUNT(*) FROM analytics.user_behavior WHERE device = 'desktop'",
  },
  {
    datasource: 'shop',
    shape: 'distinct buyers in a year',
    question: 'How many customers placed an order in 2025?',
    gold: "SELECT COUNT(DISTINCT customer_id) FROM orders WHERE order_date >= '2025-01-01' AND order_date < '2026-01-01'",
  },
  {
    datasource: 'shop',
    shape: 'events through two joins',
    question: 'How many orders did customers in Bavaria place?',
    gold: "SELECT COUNT(*) FROM orders o JOIN customers c ON c.id = o.customer_id JOIN regions r ON r.id = c.region_id WHERE r.name = 'Bavaria'",
  },
  {
    datasource: 'shop',
    shape: 'distinct people through a glossary value',
    question: 'How many shoppers have paid with a gift card?',
    gold: "SELECT COUNT(DISTINCT o.customer_id) FROM payments pay JOIN orders o ON o.id = pay.order_id WHERE pay.method = 'gift_card'",
  },
  // shop: words that hold a value's letters, and others
  {
    datasource: 'shop',
    shape: 'a word holding a status name',
    question: 'How much were corporate customers spending in 2024?',
    gold: "SELECT SUM(o.total_amount) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.segment = 'corporate' AND o.order_date >= '2024-01-01' AND o.order_date < '2025-01-01'",
  },
  {
    datasource: 'shop',
    shape: 'decline: a verb holding a status name',
    question: 'How many orders were reshipped?',
    gold: null,
  },
  {
    datasource: 'shop',
    shape: 'root categories',
    question: 'How many main categories are there?',
    gold: 'SELECT COUNT(*) FROM categories WHERE parent_id IS NULL',
  },
  {
    datasource: 'shop',
    shape: 'children of a named category',
    question: 'List the subcategories of Electronics.',
    gold: "SELECT c.name FROM categories c JOIN categories parent ON parent.id = c.parent_id WHERE parent.name = 'Electronics'",
  },
  {
    datasource: 'shop',
    shape: 'average of a glossary condition',
    question: 'What is the average price of discontinued products?',
    gold: 'SELECT AVG(price) FROM products WHERE is_active = false',
  },
  {
    datasource: 'shop',
    shape: 'metric, value and year',
    question: 'What was the conversion rate on mobile in 2024?',
    gold: "SELECT ROUND(100.0 * SUM(CASE WHEN converted THEN 1 ELSE 0 END) / COUNT(*), 2) FROM analytics.user_behavior WHERE device = 'mobile' AND event_date >= '2024-01-01' AND event_date < '2025-01-01'",
  },
  {
    datasource: 'shop',
    shape: 'metric with a year on a joined date',
    question: 'What was the basket size of orders placed in 2024?',
    gold: "SELECT ROUND(1.0 * SUM(oi.quantity) / COUNT(DISTINCT oi.order_id), 2) FROM order_items oi JOIN orders o ON o.id = oi.order_id WHERE o.order_date >= '2024-01-01' AND o.order_date < '2025-01-01'",
  },
  {
    datasource: 'shop',
    shape: 'decline: nothing in the schema',
    question: 'What is our average customer satisfaction score?',
    gold: null,
  },
  {
    datasource: 'shop',
    shape: 'decline: stock is not recorded',
    question: 'How many items are in stock in the warehouse right now?',
    gold: null,
  },

  // clinic: negation
  {
    datasource: 'clinic',
    shape: 'anti-join with a status',
    question: 'How many doctors have never had a no-show?',
    gold: "SELECT COUNT(*) FROM doctors d WHERE NOT EXISTS (SELECT 1 FROM appointments a WHERE a.doctor_id = d.id AND a.status = 'no_show')",
  },
  {
    datasource: 'clinic',
    shape: 'negated status with a year',
    question: 'How many appointments in 2025 were not completed?',
    gold: "SELECT COUNT(*) FROM appointments WHERE status <> 'completed' AND scheduled_at >= '2025-01-01' AND scheduled_at < '2026-01-01'",
  },
  {
    datasource: 'clinic',
    shape: 'anti-join, people never prescribed',
    question: 'How many patients have never been prescribed anything?',
    gold: 'SELECT COUNT(*) FROM patients pt WHERE NOT EXISTS (SELECT 1 FROM prescriptions p JOIN appointments a ON a.id = p.appointment_id WHERE a.patient_id = pt.id)',
  },
  // clinic: HAVING
  {
    datasource: 'clinic',
    shape: 'HAVING on a count of events',
    question: 'Which doctors had more than 80 completed appointments?',
    gold: "SELECT d.first_name, d.last_name FROM doctors d JOIN appointments a ON a.doctor_id = d.id WHERE a.status = 'completed' GROUP BY d.id, d.first_name, d.last_name HAVING COUNT(*) > 80",
  },
  {
    datasource: 'clinic',
    shape: 'HAVING on a sum with a year',
    question: 'Which departments billed more than $20,000 in 2024?',
    gold: "SELECT d.name FROM appointments a JOIN doctors doc ON doc.id = a.doctor_id JOIN departments d ON d.id = doc.department_id WHERE a.scheduled_at >= '2024-01-01' AND a.scheduled_at < '2025-01-01' GROUP BY d.id, d.name HAVING SUM(a.fee) > 20000",
  },
  {
    datasource: 'clinic',
    shape: 'count of people with at least N events',
    question: 'How many patients have had at least ten appointments?',
    gold: 'SELECT COUNT(*) FROM (SELECT patient_id FROM appointments GROUP BY patient_id HAVING COUNT(*) >= 10) t',
  },
  {
    datasource: 'clinic',
    shape: 'more than with a year',
    question: 'Which medications were prescribed more than 30 times in 2024?',
    gold: "SELECT m.name FROM medications m JOIN prescriptions p ON p.medication_id = m.id JOIN appointments a ON a.id = p.appointment_id WHERE a.scheduled_at >= '2024-01-01' AND a.scheduled_at < '2025-01-01' GROUP BY m.id, m.name HAVING COUNT(*) > 30",
  },
  // clinic: percentages and ratios
  {
    datasource: 'clinic',
    shape: 'percentage of a glossary value',
    question: 'What percentage of patients are women?',
    gold: "SELECT 100.0 * SUM(CASE WHEN sex = 'F' THEN 1 ELSE 0 END) / COUNT(*) FROM patients",
  },
  {
    datasource: 'clinic',
    shape: 'metric in a year',
    question: 'What was the cancellation rate in 2024?',
    gold: "SELECT ROUND(100.0 * SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END) / COUNT(*), 2) FROM appointments WHERE scheduled_at >= '2024-01-01' AND scheduled_at < '2025-01-01'",
  },
  {
    datasource: 'clinic',
    shape: 'share of a value in a joined table',
    question: 'What share of prescriptions are for Ibuprofen 600 mg tablet?',
    gold: "SELECT 1.0 * SUM(CASE WHEN m.name = 'Ibuprofen 600 mg tablet' THEN 1 ELSE 0 END) / COUNT(*) FROM prescriptions p JOIN medications m ON m.id = p.medication_id",
  },
  {
    datasource: 'clinic',
    shape: 'ratio of two statuses',
    question: 'What is the ratio of completed appointments to no-shows?',
    gold: "SELECT 1.0 * SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END) / SUM(CASE WHEN status = 'no_show' THEN 1 ELSE 0 END) FROM appointments",
  },
  {
    datasource: 'clinic',
    shape: 'ratio of two sums of one table',
    question: 'What is the average fee per minute of completed appointments?',
    gold: "SELECT 1.0 * SUM(fee) / SUM(duration_minutes) FROM appointments WHERE status = 'completed'",
  },
  // clinic: averages of per-group aggregates
  {
    datasource: 'clinic',
    shape: 'average of per-group counts',
    question: 'What is the average number of doctors per department?',
    gold: 'SELECT AVG(n) FROM (SELECT department_id, COUNT(*) AS n FROM doctors GROUP BY department_id) t',
  },
  {
    datasource: 'clinic',
    shape: 'average of per-group counts of events',
    question: "What's the average number of appointments per doctor?",
    gold: 'SELECT AVG(n) FROM (SELECT doctor_id, COUNT(*) AS n FROM appointments GROUP BY doctor_id) t',
  },
  // clinic: trends
  {
    datasource: 'clinic',
    shape: 'per-month trend on a named date column',
    question: 'How many patients registered per month in 2024?',
    gold: "SELECT EXTRACT(MONTH FROM registered_on), COUNT(*) FROM patients WHERE registered_on >= '2024-01-01' AND registered_on < '2025-01-01' GROUP BY EXTRACT(MONTH FROM registered_on)",
  },
  {
    datasource: 'clinic',
    shape: 'per-year trend of a status',
    question: 'Number of completed appointments per year',
    gold: "SELECT EXTRACT(YEAR FROM scheduled_at), COUNT(*) FROM appointments WHERE status = 'completed' GROUP BY EXTRACT(YEAR FROM scheduled_at)",
  },
  {
    datasource: 'clinic',
    shape: 'month-over-month change of a status count',
    question: 'Month-over-month change in the number of no-shows in 2024',
    gold: "SELECT m, n - LAG(n) OVER (ORDER BY m) FROM (SELECT EXTRACT(MONTH FROM scheduled_at) AS m, COUNT(*) AS n FROM appointments WHERE status = 'no_show' AND scheduled_at >= '2024-01-01' AND scheduled_at < '2025-01-01' GROUP BY EXTRACT(MONTH FROM scheduled_at)) t",
  },
  // clinic: top N
  {
    datasource: 'clinic',
    shape: 'top N by a column, number in words',
    question: 'Which three doctors earn the most?',
    gold: 'SELECT first_name, last_name FROM doctors ORDER BY salary DESC LIMIT 3',
  },
  {
    datasource: 'clinic',
    shape: 'top N by a count of related rows, number in words',
    question: 'What are the nine most prescribed medications?',
    // Ranks 9 and 10 tie (53 prescriptions each): without a tie-break the gold itself changed from run to run.
    // By name, as a reader would break the tie.
    gold: 'SELECT m.name FROM medications m JOIN prescriptions p ON p.medication_id = m.id GROUP BY m.id, m.name ORDER BY COUNT(*) DESC, m.name LIMIT 9',
  },
  {
    datasource: 'clinic',
    shape: 'top 1 per group by a date',
    question: 'Who is the longest-serving doctor in each department?',
    gold: 'SELECT department, first_name, last_name FROM (SELECT d.name AS department, doc.first_name, doc.last_name, RANK() OVER (PARTITION BY d.id ORDER BY doc.hired_on) AS r FROM doctors doc JOIN departments d ON d.id = doc.department_id) t WHERE r = 1',
  },
  {
    datasource: 'clinic',
    shape: 'top N by a date, number in words',
    question: 'List the five oldest patients.',
    gold: 'SELECT first_name, last_name FROM patients ORDER BY birth_date ASC LIMIT 5',
  },
  {
    datasource: 'clinic',
    shape: 'top 1 value by count',
    question: 'Which insurer covers the most patients?',
    gold: 'SELECT insurance_provider FROM patients WHERE insurance_provider IS NOT NULL GROUP BY insurance_provider ORDER BY COUNT(*) DESC LIMIT 1',
  },
  // clinic: NULL meanings, numbers as words, dates
  {
    datasource: 'clinic',
    shape: 'NULL meaning and a city',
    question: 'How many self-paying patients live in Somerville?',
    gold: "SELECT COUNT(*) FROM patients WHERE insurance_provider IS NULL AND city = 'Somerville'",
  },
  {
    datasource: 'clinic',
    shape: 'percentage NOT NULL',
    question: 'What percentage of patients have an insurer?',
    gold: 'SELECT 100.0 * COUNT(insurance_provider) / COUNT(*) FROM patients',
  },
  {
    datasource: 'clinic',
    shape: 'ordinal floor',
    question: 'Which departments are on the third floor?',
    gold: 'SELECT name FROM departments WHERE floor = 3',
  },
  {
    datasource: 'clinic',
    shape: 'month range on a named date column',
    question: 'How many patients were registered between January and March 2025?',
    gold: "SELECT COUNT(*) FROM patients WHERE registered_on >= '2025-01-01' AND registered_on < '2025-04-01'",
  },
  {
    datasource: 'clinic',
    shape: 'a decade on the birth date',
    question: 'How many patients were born in the 1980s?',
    gold: "SELECT COUNT(*) FROM patients WHERE birth_date >= '1980-01-01' AND birth_date < '1990-01-01'",
  },
  // clinic: filters and units of counting
  {
    datasource: 'clinic',
    shape: 'events of people from a city in a year',
    question: 'How many appointments did patients from Quincy have in 2024?',
    gold: "SELECT COUNT(*) FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE p.city = 'Quincy' AND a.scheduled_at >= '2024-01-01' AND a.scheduled_at < '2025-01-01'",
  },
  {
    datasource: 'clinic',
    shape: 'distinct people from a city in a year',
    question: 'How many distinct patients from Quincy had an appointment in 2024?',
    gold: "SELECT COUNT(DISTINCT a.patient_id) FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE p.city = 'Quincy' AND a.scheduled_at >= '2024-01-01' AND a.scheduled_at < '2025-01-01'",
  },
  {
    datasource: 'clinic',
    shape: 'sum of a status in a year',
    question: 'Total fees from no-show appointments in 2025',
    gold: "SELECT SUM(fee) FROM appointments WHERE status = 'no_show' AND scheduled_at >= '2025-01-01' AND scheduled_at < '2026-01-01'",
  },
  {
    datasource: 'clinic',
    shape: 'decline: a verb holding a status name',
    question: 'How many appointments were rescheduled?',
    gold: null,
  },
  {
    datasource: 'clinic',
    shape: 'building, not department',
    question: 'How many doctors work in the East Wing?',
    gold: "SELECT COUNT(*) FROM doctors d JOIN departments dep ON dep.id = d.department_id WHERE dep.building = 'East Wing'",
  },
  {
    datasource: 'clinic',
    shape: 'events of a glossary value last year',
    question: 'How many appointments did Medicare patients have last year?',
    gold: "SELECT COUNT(*) FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE p.insurance_provider = 'Medicare' AND a.scheduled_at >= '2024-01-01' AND a.scheduled_at < '2025-01-01'",
  },
  {
    datasource: 'clinic',
    shape: 'average of a department value',
    question: 'What is the average salary of doctors in Cardiology?',
    gold: "SELECT AVG(doc.salary) FROM doctors doc JOIN departments d ON d.id = doc.department_id WHERE d.name = 'Cardiology'",
  },
  {
    datasource: 'clinic',
    shape: 'count of a condition by word in a year',
    question: 'How many hypertension diagnoses were made in 2024?',
    gold: "SELECT COUNT(*) FROM diagnoses dg JOIN appointments a ON a.id = dg.appointment_id WHERE dg.description = 'Essential (primary) hypertension' AND a.scheduled_at >= '2024-01-01' AND a.scheduled_at < '2025-01-01'",
  },
  {
    datasource: 'clinic',
    shape: 'decline: nothing in the schema',
    question: 'What is the average waiting time in the emergency room?',
    gold: null,
  },
  {
    datasource: 'clinic',
    shape: 'decline: nurses are not recorded',
    question: 'Which nurse assisted in the most appointments?',
    gold: null,
  },
];
