import type { QuestionCase } from './offline-question-runner.ts';

// The offline model's grouping set (issue 16): written from the fixture definitions (fixtures/shop/shop-tables.ts,
// fixtures/clinic/clinic-tables.ts, the generators for which values exist) and knowledge/*.yaml, before any
// planner change for it. Questions that group: a dimension named by "for each", "per", "by", "broken down by",
// "in each", "across"; "which X has the most / highest / lowest Y"; averages per group; counts over joins; HAVING
// ("X with more than N Y"); monthly and yearly totals; top N by a total; the top row in each group; averages of
// per-group aggregates; month-over-month change; the shop's `analytics` tables. The gold returns exactly the
// columns asked for: the group's label and the measure for a breakdown, the label alone for "which X" and "top N
// X", people as first and last name. Ties in a ranking are kept (RANK) where a per-group top is asked, and the
// rankings with a LIMIT were checked to have no tie at the cut. Null where declining is right: a measure or a
// dimension that no table holds.

const revenue = 'SUM(oi.quantity * oi.unit_price * (1 - oi.discount))';

export const groupingQuestions: QuestionCase[] = [
  // shop: a count per a column of one table
  {
    datasource: 'shop',
    shape: 'count "in each" column',
    question: 'How many customers are there in each segment?',
    gold: 'SELECT segment, COUNT(*) FROM customers GROUP BY segment',
  },
  {
    datasource: 'shop',
    shape: 'count "per" column, bare',
    question: 'number of orders per status',
    gold: 'SELECT status, COUNT(*) FROM orders GROUP BY status',
  },
  {
    datasource: 'shop',
    shape: 'count "for each" column, glossary column',
    question: 'For each payment method, how many payment attempts were there?',
    gold: 'SELECT method, COUNT(*) FROM payments GROUP BY method',
  },
  {
    datasource: 'shop',
    shape: 'count "broken down by" column',
    question: 'Show the number of regions broken down by country',
    gold: 'SELECT country, COUNT(*) FROM regions GROUP BY country',
  },
  {
    datasource: 'shop',
    shape: 'count "by" column with a year condition',
    question: 'How many customers signed up in 2024, by segment?',
    gold: "SELECT segment, COUNT(*) FROM customers WHERE signup_date >= '2024-01-01' AND signup_date < '2025-01-01' GROUP BY segment",
  },
  {
    datasource: 'shop',
    shape: 'count per two columns',
    question: 'number of orders per status and year',
    gold: 'SELECT status, EXTRACT(YEAR FROM order_date), COUNT(*) FROM orders GROUP BY status, EXTRACT(YEAR FROM order_date)',
  },
  // shop: a sum or an average per a column
  {
    datasource: 'shop',
    shape: 'sum of a column "by" column',
    question: 'total order amount by shipping country',
    gold: 'SELECT shipping_country, SUM(total_amount) FROM orders GROUP BY shipping_country',
  },
  {
    datasource: 'shop',
    shape: 'sum "per" column with a year',
    question: 'What was the total payment amount per payment method in 2025?',
    gold: "SELECT method, SUM(amount) FROM payments WHERE paid_at >= '2025-01-01' AND paid_at < '2026-01-01' GROUP BY method",
  },
  {
    datasource: 'shop',
    shape: 'average per joined group',
    question: 'What is the average product price per category?',
    gold: 'SELECT c.name, AVG(p.price) FROM products p JOIN categories c ON c.id = p.category_id GROUP BY c.id, c.name',
  },
  {
    datasource: 'shop',
    shape: 'average "across" joined groups',
    question: 'Compare the average order total across customer segments',
    gold: 'SELECT c.segment, AVG(o.total_amount) FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY c.segment',
  },
  {
    datasource: 'shop',
    shape: 'count over a join "by" a joined column',
    question: 'How many orders did we get from each customer segment?',
    gold: 'SELECT c.segment, COUNT(*) FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY c.segment',
  },
  {
    datasource: 'shop',
    shape: 'count per group through the parent category',
    question: 'How many products are in each top-level category?',
    gold: 'SELECT parent.name, COUNT(*) FROM products p JOIN categories c ON c.id = p.category_id JOIN categories parent ON parent.id = c.parent_id GROUP BY parent.id, parent.name',
  },
  {
    datasource: 'shop',
    shape: 'count with a condition "per" joined group',
    question: 'number of active products per category',
    gold: 'SELECT c.name, COUNT(*) FROM products p JOIN categories c ON c.id = p.category_id WHERE p.is_active = true GROUP BY c.id, c.name',
  },
  {
    datasource: 'shop',
    shape: 'average of a fraction per joined group',
    question: 'average discount per product category',
    gold: 'SELECT c.name, AVG(oi.discount) FROM order_items oi JOIN products p ON p.id = oi.product_id JOIN categories c ON c.id = p.category_id GROUP BY c.id, c.name',
  },
  {
    datasource: 'shop',
    shape: 'glossary sum per group in a year',
    question: 'Units sold per product category in 2024',
    gold: "SELECT c.name, SUM(oi.quantity) FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN products p ON p.id = oi.product_id JOIN categories c ON c.id = p.category_id WHERE o.order_date >= '2024-01-01' AND o.order_date < '2025-01-01' GROUP BY c.id, c.name",
  },
  {
    datasource: 'shop',
    shape: 'count per joined column, possessive',
    question: "How many orders were placed per customer's country?",
    gold: 'SELECT c.country, COUNT(*) FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY c.country',
  },
  // shop: which X has the most / least
  {
    datasource: 'shop',
    shape: 'which value has the most rows',
    question: 'Which country has the most customers?',
    gold: 'SELECT country FROM customers GROUP BY country ORDER BY COUNT(*) DESC LIMIT 1',
  },
  {
    datasource: 'shop',
    shape: 'which value has the fewest rows',
    question: 'Which payment method is used the least?',
    gold: 'SELECT method FROM payments GROUP BY method ORDER BY COUNT(*) ASC LIMIT 1',
  },
  {
    datasource: 'shop',
    shape: 'which joined group has the fewest rows',
    question: 'Which region has the fewest customers?',
    gold: 'SELECT r.name FROM regions r JOIN customers c ON c.region_id = r.id GROUP BY r.id, r.name ORDER BY COUNT(*) ASC LIMIT 1',
  },
  {
    datasource: 'shop',
    shape: 'which joined group has the highest average',
    question: 'Which customer segment has the highest average order value?',
    gold: 'SELECT c.segment FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY c.segment ORDER BY AVG(o.total_amount) DESC LIMIT 1',
  },
  {
    datasource: 'shop',
    shape: 'which group has the highest average of a column',
    question: 'which top-level category has the highest average product price',
    gold: 'SELECT parent.name FROM products p JOIN categories c ON c.id = p.category_id JOIN categories parent ON parent.id = c.parent_id GROUP BY parent.id, parent.name ORDER BY AVG(p.price) DESC LIMIT 1',
  },
  {
    datasource: 'shop',
    shape: 'which period has the highest total',
    question: 'Which month of 2024 had the highest total order amount?',
    gold: "SELECT EXTRACT(MONTH FROM order_date) FROM orders WHERE order_date >= '2024-01-01' AND order_date < '2025-01-01' GROUP BY EXTRACT(MONTH FROM order_date) ORDER BY SUM(total_amount) DESC LIMIT 1",
  },
  // shop: top N by a total
  {
    datasource: 'shop',
    shape: 'top N by a glossary sum',
    question: 'top 3 products by units sold',
    gold: 'SELECT p.name FROM order_items oi JOIN products p ON p.id = oi.product_id GROUP BY p.id, p.name ORDER BY SUM(oi.quantity) DESC LIMIT 3',
  },
  {
    datasource: 'shop',
    shape: 'top N people by a sum of related rows',
    question: 'Who are the top 5 customers by total order amount?',
    gold: 'SELECT c.first_name, c.last_name FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.first_name, c.last_name ORDER BY SUM(o.total_amount) DESC LIMIT 5',
  },
  {
    datasource: 'shop',
    shape: 'top N values by count',
    question: 'What are the 3 cities with the most customers?',
    gold: 'SELECT city FROM customers GROUP BY city ORDER BY COUNT(*) DESC LIMIT 3',
  },
  {
    datasource: 'shop',
    shape: 'top N by a count of related rows, "most often"',
    question: 'Which 3 products were ordered most often?',
    // Two products tie for second place: without the name as a tie-break, their order was the engine's (MariaDB's differs).
    gold: 'SELECT p.name FROM order_items oi JOIN products p ON p.id = oi.product_id GROUP BY p.id, p.name ORDER BY COUNT(*) DESC, p.name LIMIT 3',
  },
  // shop: HAVING
  {
    datasource: 'shop',
    shape: 'HAVING on a count of related rows, people',
    question: 'customers with more than 15 orders',
    gold: 'SELECT c.first_name, c.last_name FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.first_name, c.last_name HAVING COUNT(*) > 15',
  },
  {
    datasource: 'shop',
    shape: 'HAVING on a count of rows per value',
    question: 'Which cities have more than 70 customers?',
    gold: 'SELECT city FROM customers GROUP BY city HAVING COUNT(*) > 70',
  },
  {
    datasource: 'shop',
    shape: 'HAVING on an average per joined group',
    question: 'Which top-level categories have an average product price above 100?',
    gold: 'SELECT parent.name FROM products p JOIN categories c ON c.id = p.category_id JOIN categories parent ON parent.id = c.parent_id GROUP BY parent.id, parent.name HAVING AVG(p.price) > 100',
  },
  {
    datasource: 'shop',
    shape: 'HAVING on a count, "at least"',
    question: 'Which segments have at least 200 customers?',
    gold: 'SELECT segment FROM customers GROUP BY segment HAVING COUNT(*) >= 200',
  },
  {
    datasource: 'shop',
    shape: 'HAVING on a glossary sum',
    question: 'products with more than 1000 units sold',
    gold: 'SELECT p.name FROM order_items oi JOIN products p ON p.id = oi.product_id GROUP BY p.id, p.name HAVING SUM(oi.quantity) > 1000',
  },
  // shop: periods
  {
    datasource: 'shop',
    shape: 'monthly totals of a glossary column in a year',
    question: 'monthly order totals in 2024',
    gold: "SELECT EXTRACT(MONTH FROM order_date), SUM(total_amount) FROM orders WHERE order_date >= '2024-01-01' AND order_date < '2025-01-01' GROUP BY EXTRACT(MONTH FROM order_date)",
  },
  {
    datasource: 'shop',
    shape: 'yearly count on a date column',
    question: 'How many new customers signed up per year?',
    gold: 'SELECT EXTRACT(YEAR FROM signup_date), COUNT(*) FROM customers GROUP BY EXTRACT(YEAR FROM signup_date)',
  },
  {
    datasource: 'shop',
    shape: 'count of a value per month in a year',
    question: 'number of cancelled orders per month in 2025',
    gold: "SELECT EXTRACT(MONTH FROM order_date), COUNT(*) FROM orders WHERE status = 'cancelled' AND order_date >= '2025-01-01' AND order_date < '2026-01-01' GROUP BY EXTRACT(MONTH FROM order_date)",
  },
  {
    datasource: 'shop',
    shape: 'yearly metric',
    question: 'What was the revenue for each year?',
    gold: `SELECT EXTRACT(YEAR FROM o.order_date), ${revenue} FROM order_items oi JOIN orders o ON o.id = oi.order_id GROUP BY EXTRACT(YEAR FROM o.order_date)`,
  },
  {
    datasource: 'shop',
    shape: 'month-over-month change of a sum',
    question: 'Month-over-month change in total order amount during 2024',
    gold: "SELECT m, total - LAG(total) OVER (ORDER BY m) FROM (SELECT EXTRACT(MONTH FROM order_date) AS m, SUM(total_amount) AS total FROM orders WHERE order_date >= '2024-01-01' AND order_date < '2025-01-01' GROUP BY EXTRACT(MONTH FROM order_date)) t",
  },
  // shop: top per group, averages of per-group aggregates
  {
    datasource: 'shop',
    shape: 'top 1 per group by a column',
    question: 'What is the most expensive product in each category?',
    gold: 'SELECT category, product FROM (SELECT c.name AS category, p.name AS product, RANK() OVER (PARTITION BY c.id ORDER BY p.price DESC) AS r FROM products p JOIN categories c ON c.id = p.category_id) t WHERE r = 1',
  },
  {
    datasource: 'shop',
    shape: 'top 1 per group by a count of related rows, people',
    question: 'Which customer placed the most orders in each country?',
    gold: 'SELECT country, first_name, last_name FROM (SELECT c.country, c.first_name, c.last_name, RANK() OVER (PARTITION BY c.country ORDER BY COUNT(*) DESC) AS r FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.country, c.first_name, c.last_name) t WHERE r = 1',
  },
  {
    datasource: 'shop',
    shape: 'top N per group by a count',
    question: 'the top 2 cities by number of customers in each country',
    gold: 'SELECT country, city FROM (SELECT country, city, RANK() OVER (PARTITION BY country ORDER BY COUNT(*) DESC) AS r FROM customers GROUP BY country, city) t WHERE r <= 2',
  },
  {
    datasource: 'shop',
    shape: 'average of per-group counts',
    question: 'What is the average number of orders per customer?',
    gold: 'SELECT AVG(n) FROM (SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY customer_id) t',
  },
  {
    datasource: 'shop',
    shape: 'average of per-group sums',
    question: 'average total spent per customer',
    gold: 'SELECT AVG(s) FROM (SELECT customer_id, SUM(total_amount) AS s FROM orders GROUP BY customer_id) t',
  },
  // shop: the analytics schema
  {
    datasource: 'shop',
    shape: 'analytics: sum per a column',
    question: 'total page views by device',
    gold: 'SELECT device, SUM(page_views) FROM analytics.user_behavior GROUP BY device',
  },
  {
    datasource: 'shop',
    shape: 'analytics: average per a column',
    question: 'What is the average number of sessions per day for each device?',
    gold: 'SELECT device, AVG(sessions) FROM analytics.user_behavior GROUP BY device',
  },
  {
    datasource: 'shop',
    shape: 'analytics: metric per a column',
    question: 'conversion rate by device',
    gold: 'SELECT device, ROUND(100.0 * SUM(CASE WHEN converted THEN 1 ELSE 0 END) / COUNT(*), 2) FROM analytics.user_behavior GROUP BY device',
  },
  {
    datasource: 'shop',
    shape: 'analytics: sum per month in a year',
    question: 'total sessions per month in 2025 from the user behavior data',
    gold: "SELECT EXTRACT(MONTH FROM event_date), SUM(sessions) FROM analytics.user_behavior WHERE event_date >= '2025-01-01' AND event_date < '2026-01-01' GROUP BY EXTRACT(MONTH FROM event_date)",
  },
  {
    datasource: 'shop',
    shape: 'analytics: summary table per a joined name',
    question: 'Total revenue per region according to the sales summary',
    gold: 'SELECT r.name, SUM(s.revenue) FROM analytics.sales_summary s JOIN regions r ON r.id = s.region_id GROUP BY r.id, r.name',
  },
  {
    datasource: 'shop',
    shape: 'analytics: top N on a summary table in a year',
    question: 'Top 3 regions by revenue in the sales summary for 2024',
    gold: "SELECT r.name FROM analytics.sales_summary s JOIN regions r ON r.id = s.region_id WHERE s.summary_month >= '2024-01-01' AND s.summary_month < '2025-01-01' GROUP BY r.id, r.name ORDER BY SUM(s.revenue) DESC LIMIT 3",
  },
  {
    datasource: 'shop',
    shape: 'analytics: view averaged per a column',
    question: 'average order count per country from the customer order counts view',
    gold: 'SELECT country, AVG(order_count) FROM analytics.customer_order_counts GROUP BY country',
  },
  {
    datasource: 'shop',
    shape: 'analytics: summary per month, trend',
    question: 'Show the monthly trend of orders count in the sales summary',
    gold: 'SELECT summary_month, SUM(orders_count) FROM analytics.sales_summary GROUP BY summary_month ORDER BY summary_month',
  },
  // shop: phrased as Spider and BIRD write them
  {
    datasource: 'shop',
    shape: 'Spider: list each X and the number of Y in it',
    question: 'List each customer segment and the number of customers in it.',
    gold: 'SELECT segment, COUNT(*) FROM customers GROUP BY segment',
  },
  {
    datasource: 'shop',
    shape: 'Spider: show all X and the number of Y in each, joined',
    question: 'Show all continents and the number of customers in each.',
    gold: 'SELECT r.continent, COUNT(*) FROM customers c JOIN regions r ON r.id = c.region_id GROUP BY r.continent',
  },
  {
    datasource: 'shop',
    shape: 'Spider: the name of the X that has the largest number of Y',
    question: 'Find the name of the category that has the largest number of products.',
    gold: 'SELECT c.name FROM categories c JOIN products p ON p.category_id = c.id GROUP BY c.id, c.name ORDER BY COUNT(*) DESC LIMIT 1',
  },
  {
    datasource: 'shop',
    shape: 'Spider: the name of the person who has the most Y',
    question: 'What is the name of the customer who has placed the most orders?',
    gold: 'SELECT c.first_name, c.last_name FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.first_name, c.last_name ORDER BY COUNT(*) DESC LIMIT 1',
  },
  {
    datasource: 'shop',
    shape: 'Spider: the count for each X, sorted by the count',
    question: 'Give the number of orders for each status, sorted by the count in descending order.',
    gold: 'SELECT status, COUNT(*) FROM orders GROUP BY status ORDER BY COUNT(*) DESC',
  },
  {
    datasource: 'shop',
    shape: "Spider: for every X, its name and the total of its Y's Z",
    question: "For every region, give its name and the total amount of its customers' orders.",
    gold: 'SELECT r.name, SUM(o.total_amount) FROM regions r JOIN customers c ON c.region_id = r.id JOIN orders o ON o.customer_id = c.id GROUP BY r.id, r.name',
  },
  {
    datasource: 'shop',
    shape: 'Spider: count the number of X for each Y',
    question: 'Count the number of payments for each payment status.',
    gold: 'SELECT status, COUNT(*) FROM payments GROUP BY status',
  },
  {
    datasource: 'shop',
    shape: 'BIRD: the total of each X within a value',
    question: 'What is the total quantity ordered of each product in the Audio category?',
    gold: "SELECT p.name, SUM(oi.quantity) FROM order_items oi JOIN products p ON p.id = oi.product_id JOIN categories c ON c.id = p.category_id WHERE c.name = 'Audio' GROUP BY p.id, p.name",
  },
  {
    datasource: 'shop',
    shape: 'distributed across',
    question: 'How are customers distributed across segments?',
    gold: 'SELECT segment, COUNT(*) FROM customers GROUP BY segment',
  },
  // shop: declines
  {
    datasource: 'shop',
    shape: 'decline: a dimension no table has',
    question: 'How many orders were delivered by each carrier?',
    gold: null,
  },
  {
    datasource: 'shop',
    shape: 'decline: a measure no table has',
    question: 'What is the average product rating per category?',
    gold: null,
  },
  {
    datasource: 'shop',
    shape: 'decline: a dimension no table has, "per"',
    question: 'revenue per sales rep',
    gold: null,
  },
  {
    datasource: 'shop',
    shape: 'decline: a dimension no table has, "which"',
    question: 'Which warehouse shipped the most orders?',
    gold: null,
  },
  {
    datasource: 'shop',
    shape: 'decline: a measure no column holds, "per"',
    question: 'average delivery time per region',
    gold: null,
  },
  // clinic: a count per a column
  {
    datasource: 'clinic',
    shape: 'count "by" column, glossary',
    question: 'number of diagnoses by severity',
    gold: 'SELECT severity, COUNT(*) FROM diagnoses GROUP BY severity',
  },
  {
    datasource: 'clinic',
    shape: 'count "per" glossary column',
    question: 'How many patients per gender?',
    gold: 'SELECT sex, COUNT(*) FROM patients GROUP BY sex',
  },
  {
    datasource: 'clinic',
    shape: 'count per joined column',
    question: 'How many doctors work in each building?',
    gold: 'SELECT dp.building, COUNT(*) FROM doctors d JOIN departments dp ON dp.id = d.department_id GROUP BY dp.building',
  },
  {
    datasource: 'clinic',
    shape: 'count per person of a joined table',
    question: 'How many appointments does each doctor have?',
    gold: 'SELECT d.first_name, d.last_name, COUNT(*) FROM appointments a JOIN doctors d ON d.id = a.doctor_id GROUP BY d.id, d.first_name, d.last_name',
  },
  {
    datasource: 'clinic',
    shape: 'count per group two joins away, with a year',
    question: 'How many appointments did each department have in 2024?',
    gold: "SELECT dp.name, COUNT(*) FROM appointments a JOIN doctors d ON d.id = a.doctor_id JOIN departments dp ON dp.id = d.department_id WHERE a.scheduled_at >= '2024-01-01' AND a.scheduled_at < '2025-01-01' GROUP BY dp.id, dp.name",
  },
  {
    datasource: 'clinic',
    shape: 'distinct count per person',
    question: 'number of distinct patients seen by each doctor',
    gold: 'SELECT d.first_name, d.last_name, COUNT(DISTINCT a.patient_id) FROM appointments a JOIN doctors d ON d.id = a.doctor_id GROUP BY d.id, d.first_name, d.last_name',
  },
  {
    datasource: 'clinic',
    shape: 'sum per joined name',
    question: 'total treatment days per medication',
    gold: 'SELECT m.name, SUM(p.days) FROM prescriptions p JOIN medications m ON m.id = p.medication_id GROUP BY m.id, m.name',
  },
  {
    datasource: 'clinic',
    shape: 'average per joined group, "mean"',
    question: 'mean visit length by department',
    gold: 'SELECT dp.name, AVG(a.duration_minutes) FROM appointments a JOIN doctors d ON d.id = a.doctor_id JOIN departments dp ON dp.id = d.department_id GROUP BY dp.id, dp.name',
  },
  {
    datasource: 'clinic',
    shape: 'average "across" groups',
    question: 'Compare the average doctor salary across buildings',
    gold: 'SELECT dp.building, AVG(d.salary) FROM doctors d JOIN departments dp ON dp.id = d.department_id GROUP BY dp.building',
  },
  // clinic: which X has the most
  {
    datasource: 'clinic',
    shape: 'which joined group has the highest metric',
    question: 'Which department has the highest payroll?',
    gold: 'SELECT dp.name FROM doctors d JOIN departments dp ON dp.id = d.department_id GROUP BY dp.id, dp.name ORDER BY SUM(d.salary) DESC LIMIT 1',
  },
  {
    datasource: 'clinic',
    shape: 'which person has the most related rows of a value',
    question: 'Which doctor has the most completed appointments?',
    gold: "SELECT d.first_name, d.last_name FROM appointments a JOIN doctors d ON d.id = a.doctor_id WHERE a.status = 'completed' GROUP BY d.id, d.first_name, d.last_name ORDER BY COUNT(*) DESC LIMIT 1",
  },
  {
    datasource: 'clinic',
    shape: 'which value has the most rows, "do most X come from"',
    question: 'Which city do most patients come from?',
    gold: 'SELECT city FROM patients GROUP BY city ORDER BY COUNT(*) DESC LIMIT 1',
  },
  {
    datasource: 'clinic',
    shape: 'which month has the most rows',
    question: 'In which month of 2024 did we have the most appointments?',
    gold: "SELECT EXTRACT(MONTH FROM scheduled_at) FROM appointments WHERE scheduled_at >= '2024-01-01' AND scheduled_at < '2025-01-01' GROUP BY EXTRACT(MONTH FROM scheduled_at) ORDER BY COUNT(*) DESC LIMIT 1",
  },
  {
    datasource: 'clinic',
    shape: 'top N by a count of related rows',
    question: 'What are the 3 most prescribed medications?',
    gold: 'SELECT m.name FROM prescriptions p JOIN medications m ON m.id = p.medication_id GROUP BY m.id, m.name ORDER BY COUNT(*) DESC LIMIT 3',
  },
  // clinic: HAVING
  {
    datasource: 'clinic',
    shape: 'HAVING on a count two joins away',
    question: 'Which departments have more than 200 appointments?',
    gold: 'SELECT dp.name FROM appointments a JOIN doctors d ON d.id = a.doctor_id JOIN departments dp ON dp.id = d.department_id GROUP BY dp.id, dp.name HAVING COUNT(*) > 200',
  },
  {
    datasource: 'clinic',
    shape: 'HAVING on a count, people, "at least"',
    question: 'patients with at least 8 appointments',
    gold: 'SELECT p.first_name, p.last_name FROM patients p JOIN appointments a ON a.patient_id = p.id GROUP BY p.id, p.first_name, p.last_name HAVING COUNT(*) >= 8',
  },
  {
    datasource: 'clinic',
    shape: 'HAVING on an average per column',
    question: 'Which specialties have an average salary above 300000?',
    gold: 'SELECT specialty FROM doctors GROUP BY specialty HAVING AVG(salary) > 300000',
  },
  // clinic: periods
  {
    datasource: 'clinic',
    shape: 'monthly counts in a year, adjective',
    question: 'monthly appointment counts for 2024',
    gold: "SELECT EXTRACT(MONTH FROM scheduled_at), COUNT(*) FROM appointments WHERE scheduled_at >= '2024-01-01' AND scheduled_at < '2025-01-01' GROUP BY EXTRACT(MONTH FROM scheduled_at)",
  },
  {
    datasource: 'clinic',
    shape: 'yearly metric',
    question: 'total fees billed per year',
    gold: 'SELECT EXTRACT(YEAR FROM scheduled_at), SUM(fee) FROM appointments GROUP BY EXTRACT(YEAR FROM scheduled_at)',
  },
  {
    datasource: 'clinic',
    shape: 'rate metric per month in a year',
    question: 'no-show rate per month in 2024',
    gold: "SELECT EXTRACT(MONTH FROM scheduled_at), ROUND(100.0 * SUM(CASE WHEN status = 'no_show' THEN 1 ELSE 0 END) / COUNT(*), 2) FROM appointments WHERE status <> 'scheduled' AND scheduled_at >= '2024-01-01' AND scheduled_at < '2025-01-01' GROUP BY EXTRACT(MONTH FROM scheduled_at)",
  },
  {
    datasource: 'clinic',
    shape: 'month-over-month change of a count',
    question: 'month over month change in the number of appointments in 2024',
    gold: "SELECT m, n - LAG(n) OVER (ORDER BY m) FROM (SELECT EXTRACT(MONTH FROM scheduled_at) AS m, COUNT(*) AS n FROM appointments WHERE scheduled_at >= '2024-01-01' AND scheduled_at < '2025-01-01' GROUP BY EXTRACT(MONTH FROM scheduled_at)) t",
  },
  {
    datasource: 'clinic',
    shape: 'yearly count through a join of a value',
    question: 'How many severe diagnoses were made each year?',
    gold: "SELECT EXTRACT(YEAR FROM a.scheduled_at), COUNT(*) FROM diagnoses dg JOIN appointments a ON a.id = dg.appointment_id WHERE dg.severity = 'severe' GROUP BY EXTRACT(YEAR FROM a.scheduled_at)",
  },
  // clinic: top per group, averages of per-group aggregates
  {
    datasource: 'clinic',
    shape: 'top 1 per group by a date',
    question: 'Who is the most recently hired doctor in each department?',
    gold: 'SELECT department, first_name, last_name FROM (SELECT dp.name AS department, d.first_name, d.last_name, RANK() OVER (PARTITION BY dp.id ORDER BY d.hired_on DESC) AS r FROM doctors d JOIN departments dp ON dp.id = d.department_id) t WHERE r = 1',
  },
  {
    datasource: 'clinic',
    shape: 'top 1 per group by a count',
    question: 'the most common diagnosis for each severity',
    gold: 'SELECT severity, description FROM (SELECT severity, description, RANK() OVER (PARTITION BY severity ORDER BY COUNT(*) DESC) AS r FROM diagnoses GROUP BY severity, description) t WHERE r = 1',
  },
  {
    datasource: 'clinic',
    shape: 'average of per-group counts',
    question: 'What is the average number of appointments per patient?',
    gold: 'SELECT AVG(n) FROM (SELECT patient_id, COUNT(*) AS n FROM appointments GROUP BY patient_id) t',
  },
  {
    datasource: 'clinic',
    shape: 'average of per-group counts, "on average"',
    question: 'On average, how many diagnoses are recorded per appointment?',
    gold: 'SELECT AVG(n) FROM (SELECT appointment_id, COUNT(*) AS n FROM diagnoses GROUP BY appointment_id) t',
  },
  {
    datasource: 'clinic',
    shape: 'average of per-group sums',
    question: 'What is the average payroll per department?',
    gold: 'SELECT AVG(s) FROM (SELECT department_id, SUM(salary) AS s FROM doctors GROUP BY department_id) t',
  },
  // clinic: phrased as Spider and BIRD write them
  {
    datasource: 'clinic',
    shape: 'Spider: the name of the X with the largest number of Y',
    question: 'Find the name of the department with the largest number of doctors.',
    gold: 'SELECT dp.name FROM departments dp JOIN doctors d ON d.department_id = dp.id GROUP BY dp.id, dp.name ORDER BY COUNT(*) DESC LIMIT 1',
  },
  {
    datasource: 'clinic',
    shape: 'Spider: each X along with its average Y',
    question: 'Show each department name along with its average doctor salary.',
    gold: 'SELECT dp.name, AVG(d.salary) FROM departments dp JOIN doctors d ON d.department_id = dp.id GROUP BY dp.id, dp.name',
  },
  {
    datasource: 'clinic',
    shape: 'Spider: the first and last name of each X and how many Y',
    question: 'List the first and last name of each doctor and how many prescriptions they wrote.',
    gold: 'SELECT d.first_name, d.last_name, COUNT(*) FROM prescriptions p JOIN appointments a ON a.id = p.appointment_id JOIN doctors d ON d.id = a.doctor_id GROUP BY d.id, d.first_name, d.last_name',
  },
  {
    datasource: 'clinic',
    shape: 'BIRD: among the rows of a value, how many of each',
    question: 'Among the patients from Boston, how many are there of each sex?',
    gold: "SELECT sex, COUNT(*) FROM patients WHERE city = 'Boston' GROUP BY sex",
  },
  {
    datasource: 'clinic',
    shape: 'BIRD: calculate the average for each joined group',
    question: 'Calculate the average fee of completed appointments for each department.',
    gold: "SELECT dp.name, AVG(a.fee) FROM appointments a JOIN doctors d ON d.id = a.doctor_id JOIN departments dp ON dp.id = d.department_id WHERE a.status = 'completed' GROUP BY dp.id, dp.name",
  },
  {
    datasource: 'clinic',
    shape: 'HAVING on a count of a nullable column',
    question: 'Which insurance providers cover more than 100 patients?',
    gold: 'SELECT insurance_provider FROM patients WHERE insurance_provider IS NOT NULL GROUP BY insurance_provider HAVING COUNT(*) > 100',
  },
  {
    datasource: 'clinic',
    shape: 'count "in each" column with a year',
    question: 'How many appointments were there in each status in 2025?',
    gold: "SELECT status, COUNT(*) FROM appointments WHERE scheduled_at >= '2025-01-01' AND scheduled_at < '2026-01-01' GROUP BY status",
  },
  // clinic: declines
  {
    datasource: 'clinic',
    shape: 'decline: a measure no table has',
    question: 'What is the average patient satisfaction score per department?',
    gold: null,
  },
  {
    datasource: 'clinic',
    shape: 'decline: a measure no table has, "per"',
    question: 'number of beds per ward',
    gold: null,
  },
  {
    datasource: 'clinic',
    shape: 'decline: a dimension no table has',
    question: 'How many appointments were booked through each referral source?',
    gold: null,
  },
  {
    datasource: 'clinic',
    shape: 'decline: a measure no column holds, "for each"',
    question: 'total number of refills for each medication',
    gold: null,
  },
  {
    datasource: 'clinic',
    shape: 'decline: a person no table holds, "which ... most"',
    question: 'Which nurse handled the most appointments?',
    gold: null,
  },
];
