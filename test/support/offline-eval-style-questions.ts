/**
 * A blind question set in the style of the evaluation dataset: questions a business user or an analyst would ask
 * of the `shop` and `clinic` fixtures, written from the fixture schemas, their column comments, the data
 * generators and the business glossaries only (not from the offline model, its prompts or the other question
 * sets), with the SQL a careful analyst would write. A `null` gold means the data cannot answer the question
 * and the right reply is to decline.
 *
 * Each `shape` is a space-separated list of tags: count, group-by, date, filter, subquery, join, multi-join (three
 * or more tables), synonym, sum, avg, top-n, relative-date, analytics, colloquial, distinct, having, negation,
 * min-max, percentage, boolean, trend, typo, window, null, top-n-per-group, ratio, view, order, empty and
 * unanswerable.
 *
 * Relative dates: "today" is 2025-07-01 (a Tuesday), as the tests pin it.
 * - "last month" is June 2025 (>= '2025-06-01' and < '2025-07-01'); "this month" is July 2025.
 * - "this year" / "so far this year" is 2025 up to today (>= '2025-01-01'); "last year" is 2024.
 * - "last quarter" is Q2 2025 (>= '2025-04-01' and < '2025-07-01').
 * - "in the last / past N days" is on or after today minus N days and before today: 30 days is >= '2025-06-01',
 *   90 days is >= '2025-04-02'.
 * - "the last N months" are the N whole calendar months before this month: 6 months is >= '2025-01-01', 12 months
 *   is >= '2024-07-01', both before '2025-07-01'.
 * - "next week" is the Monday-to-Sunday week after this one: >= '2025-07-07' and < '2025-07-14'.
 * - An age ("65 or older", "children") is the age today: 65 or older is birth_date <= '1960-07-01', under 18 is
 *   birth_date > '2007-07-01'.
 * Dates are string literals compared with the date or timestamp column, which both Postgres and MariaDB accept.
 */

import type { QuestionCase } from './offline-question-runner.ts';

const shopQuestions: QuestionCase[] = [
  // --- simple counts and filters ---
  {
    datasource: 'shop',
    shape: 'count',
    question: 'How many customers do we have?',
    gold: 'SELECT COUNT(*) AS customers FROM customers',
  },
  {
    datasource: 'shop',
    shape: 'count filter boolean',
    question: 'How many products are currently active?',
    gold: 'SELECT COUNT(*) AS active_products FROM products WHERE is_active = TRUE',
  },
  {
    datasource: 'shop',
    shape: 'count date filter',
    question: 'How many orders were placed in 2024?',
    gold: "SELECT COUNT(*) AS orders FROM orders WHERE order_date >= '2024-01-01' AND order_date < '2025-01-01'",
  },
  {
    datasource: 'shop',
    shape: 'count filter date relative-date',
    question: 'How many orders were cancelled last month?',
    gold: "SELECT COUNT(*) AS cancelled_orders FROM orders WHERE status = 'cancelled' AND order_date >= '2025-06-01' AND order_date < '2025-07-01'",
  },
  {
    datasource: 'shop',
    shape: 'count date relative-date colloquial',
    question: 'how many ppl signed up this year',
    gold: "SELECT COUNT(*) AS signups FROM customers WHERE signup_date >= '2025-01-01'",
  },
  {
    datasource: 'shop',
    shape: 'count filter colloquial',
    question: 'how many orders r still pending',
    gold: "SELECT COUNT(*) AS pending_orders FROM orders WHERE status = 'pending'",
  },
  {
    datasource: 'shop',
    shape: 'count filter colloquial',
    question: '# of custs in japan?',
    gold: "SELECT COUNT(*) AS customers FROM customers WHERE country = 'Japan'",
  },
  {
    datasource: 'shop',
    shape: 'count filter date relative-date colloquial',
    question: 'how many orders went to brazil in the last 30 days',
    gold: "SELECT COUNT(*) AS orders FROM orders WHERE shipping_country = 'Brazil' AND order_date >= '2025-06-01' AND order_date < '2025-07-01'",
  },
  {
    datasource: 'shop',
    shape: 'count filter typo date',
    question: 'How many custmers signed up in 2023?',
    gold: "SELECT COUNT(*) AS customers FROM customers WHERE signup_date >= '2023-01-01' AND signup_date < '2024-01-01'",
  },
  {
    datasource: 'shop',
    shape: 'count filter synonym',
    question: 'How many corporate clients do we have?',
    gold: "SELECT COUNT(*) AS customers FROM customers WHERE segment = 'corporate'",
  },
  {
    datasource: 'shop',
    shape: 'count filter synonym date relative-date',
    question: 'How many shoppers from Britain signed up in the past 90 days?',
    gold: "SELECT COUNT(*) AS customers FROM customers WHERE country = 'United Kingdom' AND signup_date >= '2025-04-02'",
  },
  {
    datasource: 'shop',
    shape: 'count synonym',
    question: 'How many items are in our catalogue?',
    gold: 'SELECT COUNT(*) AS products FROM products',
  },
  {
    datasource: 'shop',
    shape: 'filter order',
    question: 'List the regions in Europe, sorted alphabetically.',
    gold: "SELECT name FROM regions WHERE continent = 'Europe' ORDER BY name",
  },

  // --- null and negation ---
  {
    datasource: 'shop',
    shape: 'count null',
    question: "How many customers don't have a phone number on file?",
    gold: 'SELECT COUNT(*) AS customers FROM customers WHERE phone IS NULL',
  },
  {
    datasource: 'shop',
    shape: 'null percentage',
    question: 'What percentage of customers gave us their date of birth?',
    gold: 'SELECT ROUND(100.0 * COUNT(birth_date) / COUNT(*), 2) AS percentage_with_birth_date FROM customers',
  },
  {
    datasource: 'shop',
    shape: 'negation subquery',
    question: 'Which customers have never placed an order? Show their first and last names.',
    gold: 'SELECT c.first_name, c.last_name FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)',
  },
  {
    datasource: 'shop',
    shape: 'count negation subquery',
    question: 'How many products have never been ordered?',
    gold: 'SELECT COUNT(*) AS products FROM products p WHERE NOT EXISTS (SELECT 1 FROM order_items oi WHERE oi.product_id = p.id)',
  },
  {
    datasource: 'shop',
    shape: 'count negation subquery date filter boolean',
    question: 'How many active products have not sold a single unit since the start of 2025?',
    gold: "SELECT COUNT(*) AS products FROM products p WHERE p.is_active = TRUE AND NOT EXISTS (SELECT 1 FROM order_items oi JOIN orders o ON o.id = oi.order_id WHERE oi.product_id = p.id AND o.order_date >= '2025-01-01')",
  },

  // --- group-by ---
  {
    datasource: 'shop',
    shape: 'count group-by',
    question: 'Show the number of orders per status.',
    gold: 'SELECT status, COUNT(*) AS orders FROM orders GROUP BY status',
  },
  {
    datasource: 'shop',
    shape: 'count group-by join null',
    question: 'For each top-level category, how many subcategories does it have?',
    gold: 'SELECT parent.name AS category, COUNT(child.id) AS subcategories FROM categories parent JOIN categories child ON child.parent_id = parent.id WHERE parent.parent_id IS NULL GROUP BY parent.id, parent.name',
  },
  {
    datasource: 'shop',
    shape: 'avg group-by multi-join',
    question: 'What is the average list price of products in each top-level category, to 2 decimals?',
    gold: 'SELECT parent.name AS category, ROUND(AVG(p.price), 2) AS average_price FROM products p JOIN categories c ON c.id = p.category_id JOIN categories parent ON parent.id = c.parent_id GROUP BY parent.id, parent.name',
  },
  {
    datasource: 'shop',
    shape: 'sum group-by multi-join date order synonym',
    question: 'Show 2024 revenue by top-level category, highest first, rounded to cents.',
    gold: "SELECT parent.name AS category, ROUND(SUM(oi.quantity * oi.unit_price * (1 - oi.discount)), 2) AS revenue FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN products p ON p.id = oi.product_id JOIN categories c ON c.id = p.category_id JOIN categories parent ON parent.id = c.parent_id WHERE o.order_date >= '2024-01-01' AND o.order_date < '2025-01-01' GROUP BY parent.id, parent.name ORDER BY revenue DESC",
  },
  {
    datasource: 'shop',
    shape: 'count group-by typo date',
    question: 'number of ordres per shipping country in 2024',
    gold: "SELECT shipping_country, COUNT(*) AS orders FROM orders WHERE order_date >= '2024-01-01' AND order_date < '2025-01-01' GROUP BY shipping_country",
  },

  // --- sums, averages, min-max ---
  {
    datasource: 'shop',
    shape: 'avg date relative-date synonym',
    question: 'What is our average order value so far this year, rounded to 2 decimals?',
    gold: "SELECT ROUND(AVG(total_amount), 2) AS average_order_value FROM orders WHERE order_date >= '2025-01-01'",
  },
  {
    datasource: 'shop',
    shape: 'min-max subquery',
    question: "What's the most expensive product, and what does it cost?",
    gold: 'SELECT name, price FROM products WHERE price = (SELECT MAX(price) FROM products)',
  },
  {
    datasource: 'shop',
    shape: 'min-max join filter boolean subquery',
    question: 'Which active product in the Audio subcategory is the cheapest? Give its name and price.',
    gold: "SELECT p.name, p.price FROM products p JOIN categories c ON c.id = p.category_id WHERE c.name = 'Audio' AND p.is_active = TRUE AND p.price = (SELECT MIN(p2.price) FROM products p2 JOIN categories c2 ON c2.id = p2.category_id WHERE c2.name = 'Audio' AND p2.is_active = TRUE)",
  },
  {
    datasource: 'shop',
    shape: 'min-max subquery colloquial',
    question: 'whats our biggest order ever? id and amount',
    gold: 'SELECT id, total_amount FROM orders WHERE total_amount = (SELECT MAX(total_amount) FROM orders)',
  },
  {
    datasource: 'shop',
    shape: 'min-max date',
    question: 'When was the first order placed and when was the most recent one?',
    gold: 'SELECT MIN(order_date) AS first_order_date, MAX(order_date) AS last_order_date FROM orders',
  },
  {
    datasource: 'shop',
    shape: 'avg join filter colloquial synonym',
    question: 'whats the avg basket value for customers in the US',
    gold: "SELECT AVG(o.total_amount) AS average_order_value FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.country = 'United States'",
  },
  {
    datasource: 'shop',
    shape: 'avg join date typo',
    question: 'averge quantity per order line in 2025, to two decimals',
    gold: "SELECT ROUND(AVG(oi.quantity), 2) AS average_quantity FROM order_items oi JOIN orders o ON o.id = oi.order_id WHERE o.order_date >= '2025-01-01'",
  },
  {
    datasource: 'shop',
    shape: 'sum filter synonym date relative-date',
    question: 'How much money did we collect through wire transfers last quarter?',
    gold: "SELECT SUM(amount) AS collected FROM payments WHERE method = 'bank_transfer' AND status = 'captured' AND paid_at >= '2025-04-01' AND paid_at < '2025-07-01'",
  },

  // --- distinct ---
  {
    datasource: 'shop',
    shape: 'count distinct date',
    question: 'How many distinct customers placed an order in May 2025?',
    gold: "SELECT COUNT(DISTINCT customer_id) AS customers FROM orders WHERE order_date >= '2025-05-01' AND order_date < '2025-06-01'",
  },
  {
    datasource: 'shop',
    shape: 'distinct',
    question: 'Which countries have we shipped orders to?',
    gold: 'SELECT DISTINCT shipping_country FROM orders',
  },
  {
    datasource: 'shop',
    shape: 'distinct filter synonym',
    question: 'Which payment methods have been used for refunds?',
    gold: "SELECT DISTINCT method FROM payments WHERE status = 'refunded'",
  },

  // --- having ---
  {
    datasource: 'shop',
    shape: 'having group-by sum multi-join date',
    question: 'Which subcategories sold more than 1,000 units in 2024?',
    gold: "SELECT c.name AS subcategory FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN products p ON p.id = oi.product_id JOIN categories c ON c.id = p.category_id WHERE o.order_date >= '2024-01-01' AND o.order_date < '2025-01-01' GROUP BY c.id, c.name HAVING SUM(oi.quantity) > 1000",
  },
  {
    datasource: 'shop',
    shape: 'having group-by count join date',
    question: 'Which customers placed at least 10 orders in 2024? List first name, last name and number of orders.',
    gold: "SELECT c.first_name, c.last_name, COUNT(*) AS orders FROM customers c JOIN orders o ON o.customer_id = c.id WHERE o.order_date >= '2024-01-01' AND o.order_date < '2025-01-01' GROUP BY c.id, c.first_name, c.last_name HAVING COUNT(*) >= 10",
  },
  {
    datasource: 'shop',
    shape: 'having avg multi-join',
    question: 'Which regions have an average order value above $250?',
    gold: 'SELECT r.name AS region FROM orders o JOIN customers c ON c.id = o.customer_id JOIN regions r ON r.id = c.region_id GROUP BY r.id, r.name HAVING AVG(o.total_amount) > 250',
  },
  {
    datasource: 'shop',
    shape: 'having distinct count multi-join',
    question: 'Which products have been bought by more than 30 different customers?',
    gold: 'SELECT p.name AS product FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN products p ON p.id = oi.product_id GROUP BY p.id, p.name HAVING COUNT(DISTINCT o.customer_id) > 30',
  },
  {
    datasource: 'shop',
    shape: 'count subquery having date',
    question: 'How many customers placed their very first order in 2025?',
    gold: "SELECT COUNT(*) AS customers FROM (SELECT customer_id FROM orders GROUP BY customer_id HAVING MIN(order_date) >= '2025-01-01') first_orders",
  },
  {
    datasource: 'shop',
    shape: 'count subquery having sum',
    question: 'How many customers have a lifetime order total of more than $10,000?',
    gold: 'SELECT COUNT(*) AS customers FROM (SELECT customer_id FROM orders GROUP BY customer_id HAVING SUM(total_amount) > 10000) big_spenders',
  },

  // --- top-n ---
  {
    datasource: 'shop',
    shape: 'top-n sum multi-join date synonym group-by',
    question: 'Which 10 products generated the most revenue in 2024? Show each product name with its revenue.',
    gold: "SELECT p.name AS product, SUM(oi.quantity * oi.unit_price * (1 - oi.discount)) AS revenue FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN products p ON p.id = oi.product_id WHERE o.order_date >= '2024-01-01' AND o.order_date < '2025-01-01' GROUP BY p.id, p.name ORDER BY revenue DESC, p.id LIMIT 10",
  },
  {
    datasource: 'shop',
    shape: 'top-n group-by count',
    question: 'List the top 5 cities by number of customers, with the country and the customer count.',
    gold: 'SELECT city, country, COUNT(*) AS customers FROM customers GROUP BY city, country ORDER BY customers DESC, city LIMIT 5',
  },
  {
    datasource: 'shop',
    shape: 'top-n sum multi-join date relative-date colloquial group-by',
    question: 'gimme the top 5 best selling products this yr by units sold',
    gold: "SELECT p.name AS product, SUM(oi.quantity) AS units_sold FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN products p ON p.id = oi.product_id WHERE o.order_date >= '2025-01-01' GROUP BY p.id, p.name ORDER BY units_sold DESC, p.name LIMIT 5",
  },
  {
    datasource: 'shop',
    shape: 'top-n join sum date relative-date group-by',
    question: 'Who were our 3 biggest customers by order value over the last 12 months? First and last name plus the amount.',
    gold: "SELECT c.first_name, c.last_name, SUM(o.total_amount) AS order_value FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.order_date >= '2024-07-01' AND o.order_date < '2025-07-01' GROUP BY c.id, c.first_name, c.last_name ORDER BY order_value DESC, c.id LIMIT 3",
  },
  {
    datasource: 'shop',
    shape: 'top-n filter order typo',
    question: 'Show the five most expensive actve prodcuts with their prices.',
    gold: 'SELECT name, price FROM products WHERE is_active = TRUE ORDER BY price DESC, name LIMIT 5',
  },

  // --- joins ---
  {
    datasource: 'shop',
    shape: 'count join filter',
    question: "How many orders were shipped to a country other than the customer's home country?",
    gold: 'SELECT COUNT(*) AS orders FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.shipping_country <> c.country',
  },
  {
    datasource: 'shop',
    shape: 'join filter date',
    question: "List the orders over $2,000 placed in June 2025, with the order id, the customer's first and last name and the order total.",
    gold: "SELECT o.id, c.first_name, c.last_name, o.total_amount FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.total_amount > 2000 AND o.order_date >= '2025-06-01' AND o.order_date < '2025-07-01'",
  },
  {
    datasource: 'shop',
    shape: 'count multi-join filter synonym',
    question: 'How many orders placed by customers from Bavaria had a successful PayPal payment?',
    gold: "SELECT COUNT(DISTINCT o.id) AS orders FROM orders o JOIN customers c ON c.id = o.customer_id JOIN regions r ON r.id = c.region_id JOIN payments pay ON pay.order_id = o.id WHERE r.name = 'Bavaria' AND pay.method = 'paypal' AND pay.status = 'captured'",
  },
  {
    datasource: 'shop',
    shape: 'sum group-by multi-join date synonym',
    question: 'Which subcategories did small-business customers buy from in Q1 2025, and how many units of each?',
    gold: "SELECT cat.name AS subcategory, SUM(oi.quantity) AS units FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN customers c ON c.id = o.customer_id JOIN products p ON p.id = oi.product_id JOIN categories cat ON cat.id = p.category_id WHERE c.segment = 'small_business' AND o.order_date >= '2025-01-01' AND o.order_date < '2025-04-01' GROUP BY cat.id, cat.name",
  },
  {
    datasource: 'shop',
    shape: 'join filter boolean typo synonym',
    question: 'Which prodcuts in the Fiction category are discontinued?',
    gold: "SELECT p.name AS product FROM products p JOIN categories c ON c.id = p.category_id WHERE c.name = 'Fiction' AND p.is_active = FALSE",
  },
  {
    datasource: 'shop',
    shape: 'count multi-join boolean synonym',
    question: 'How many retired items are there in the tech product line?',
    gold: "SELECT COUNT(*) AS products FROM products p JOIN categories c ON c.id = p.category_id JOIN categories parent ON parent.id = c.parent_id WHERE parent.name = 'Electronics' AND p.is_active = FALSE",
  },

  // --- subqueries ---
  {
    datasource: 'shop',
    shape: 'count subquery',
    question: 'How many orders had a total higher than the average order total?',
    gold: 'SELECT COUNT(*) AS orders FROM orders WHERE total_amount > (SELECT AVG(total_amount) FROM orders)',
  },
  {
    datasource: 'shop',
    shape: 'subquery join filter',
    question: 'Which products cost more than the average price of their own subcategory? Give product and subcategory names.',
    gold: 'SELECT p.name AS product, c.name AS subcategory FROM products p JOIN categories c ON c.id = p.category_id WHERE p.price > (SELECT AVG(p2.price) FROM products p2 WHERE p2.category_id = p.category_id)',
  },

  // --- percentages and ratios ---
  {
    datasource: 'shop',
    shape: 'percentage date filter',
    question: 'What percentage of orders placed in 2024 were returned?',
    gold: "SELECT ROUND(100.0 * SUM(CASE WHEN status = 'returned' THEN 1 ELSE 0 END) / COUNT(*), 2) AS returned_percentage FROM orders WHERE order_date >= '2024-01-01' AND order_date < '2025-01-01'",
  },
  {
    datasource: 'shop',
    shape: 'percentage filter synonym',
    question: 'What percent of our customers are small businesses?',
    gold: "SELECT ROUND(100.0 * SUM(CASE WHEN segment = 'small_business' THEN 1 ELSE 0 END) / COUNT(*), 2) AS percentage FROM customers",
  },
  {
    datasource: 'shop',
    shape: 'ratio filter',
    question: 'What is the ratio of refunded to captured payments, by count, to 2 decimals?',
    gold: "SELECT ROUND(1.0 * SUM(CASE WHEN status = 'refunded' THEN 1 ELSE 0 END) / SUM(CASE WHEN status = 'captured' THEN 1 ELSE 0 END), 2) AS refunded_to_captured FROM payments",
  },
  {
    datasource: 'shop',
    shape: 'ratio distinct date',
    question: 'What was the revenue per ordering customer in 2024, to 2 decimals?',
    gold: "SELECT ROUND(SUM(total_amount) / COUNT(DISTINCT customer_id), 2) AS revenue_per_customer FROM orders WHERE order_date >= '2024-01-01' AND order_date < '2025-01-01'",
  },

  // --- trends and windows ---
  {
    datasource: 'shop',
    shape: 'trend count date relative-date group-by',
    question: 'Monthly order counts for the last 6 months, please.',
    gold: "SELECT EXTRACT(MONTH FROM order_date) AS month, COUNT(*) AS orders FROM orders WHERE order_date >= '2025-01-01' AND order_date < '2025-07-01' GROUP BY EXTRACT(MONTH FROM order_date) ORDER BY month",
  },
  {
    datasource: 'shop',
    shape: 'trend sum date group-by',
    question: 'Show the total order value per year.',
    gold: 'SELECT EXTRACT(YEAR FROM order_date) AS year, SUM(total_amount) AS total_order_value FROM orders GROUP BY EXTRACT(YEAR FROM order_date) ORDER BY year',
  },
  {
    datasource: 'shop',
    shape: 'trend count date colloquial group-by',
    question: 'new signups per month in 2024?',
    gold: "SELECT EXTRACT(MONTH FROM signup_date) AS month, COUNT(*) AS signups FROM customers WHERE signup_date >= '2024-01-01' AND signup_date < '2025-01-01' GROUP BY EXTRACT(MONTH FROM signup_date) ORDER BY month",
  },
  {
    datasource: 'shop',
    shape: 'window trend count date group-by subquery',
    question: 'For each month of 2024, show the number of orders and a running total of orders for the year.',
    gold: "SELECT month, orders, SUM(orders) OVER (ORDER BY month) AS running_total FROM (SELECT EXTRACT(MONTH FROM order_date) AS month, COUNT(*) AS orders FROM orders WHERE order_date >= '2024-01-01' AND order_date < '2025-01-01' GROUP BY EXTRACT(MONTH FROM order_date)) monthly ORDER BY month",
  },
  {
    datasource: 'shop',
    shape: 'window trend count date group-by subquery',
    question: 'For each month of 2025, show the number of orders and the change from the previous month.',
    gold: 'SELECT month, orders, orders - previous_orders AS change_from_previous_month FROM (SELECT year, month, orders, LAG(orders) OVER (ORDER BY year, month) AS previous_orders FROM (SELECT EXTRACT(YEAR FROM order_date) AS year, EXTRACT(MONTH FROM order_date) AS month, COUNT(*) AS orders FROM orders GROUP BY EXTRACT(YEAR FROM order_date), EXTRACT(MONTH FROM order_date)) monthly) with_previous WHERE year = 2025 ORDER BY month',
  },
  {
    datasource: 'shop',
    shape: 'window filter join order',
    question: 'Rank the products in the Smartphones subcategory by price, most expensive first, showing name, price and rank.',
    gold: "SELECT p.name, p.price, RANK() OVER (ORDER BY p.price DESC) AS price_rank FROM products p JOIN categories c ON c.id = p.category_id WHERE c.name = 'Smartphones' ORDER BY p.price DESC, p.name",
  },
  {
    datasource: 'shop',
    shape: 'window percentage multi-join date sum group-by subquery',
    question: "What share of its country's 2024 order value did each region contribute, in percent?",
    gold: "SELECT region, ROUND(100.0 * order_value / SUM(order_value) OVER (PARTITION BY country), 2) AS share_percentage FROM (SELECT r.name AS region, r.country, SUM(o.total_amount) AS order_value FROM orders o JOIN customers c ON c.id = o.customer_id JOIN regions r ON r.id = c.region_id WHERE o.order_date >= '2024-01-01' AND o.order_date < '2025-01-01' GROUP BY r.id, r.name, r.country) per_region",
  },
  {
    datasource: 'shop',
    shape: 'top-n-per-group window join sum filter group-by subquery',
    question:
      'Who is the biggest spender in each customer segment, ignoring cancelled orders? Give the segment, first name, last name and total spent.',
    gold: "SELECT segment, first_name, last_name, total_spent FROM (SELECT c.segment, c.first_name, c.last_name, SUM(o.total_amount) AS total_spent, RANK() OVER (PARTITION BY c.segment ORDER BY SUM(o.total_amount) DESC) AS spend_rank FROM customers c JOIN orders o ON o.customer_id = c.id WHERE o.status <> 'cancelled' GROUP BY c.id, c.segment, c.first_name, c.last_name) ranked WHERE spend_rank = 1",
  },
  {
    datasource: 'shop',
    shape: 'top-n-per-group window multi-join sum group-by subquery',
    question: 'For each top-level category, which product sold the most units? Show category, product and units.',
    gold: 'SELECT category, product, units FROM (SELECT parent.name AS category, p.name AS product, SUM(oi.quantity) AS units, RANK() OVER (PARTITION BY parent.id ORDER BY SUM(oi.quantity) DESC) AS unit_rank FROM order_items oi JOIN products p ON p.id = oi.product_id JOIN categories c ON c.id = p.category_id JOIN categories parent ON parent.id = c.parent_id GROUP BY parent.id, parent.name, p.id, p.name) ranked WHERE unit_rank = 1',
  },
  {
    datasource: 'shop',
    shape: 'top-n-per-group window multi-join count group-by subquery',
    question: 'For each customer country, what are the 2 most used payment methods? Show country, method and number of payments.',
    gold: 'SELECT country, method, payments FROM (SELECT c.country, pay.method, COUNT(*) AS payments, RANK() OVER (PARTITION BY c.country ORDER BY COUNT(*) DESC) AS method_rank FROM payments pay JOIN orders o ON o.id = pay.order_id JOIN customers c ON c.id = o.customer_id GROUP BY c.country, pay.method) ranked WHERE method_rank <= 2',
  },

  // --- analytics schema and view ---
  {
    datasource: 'shop',
    shape: 'analytics sum group-by trend date',
    question: 'Using the sales summary table, what was total revenue per month in 2024?',
    gold: "SELECT summary_month, SUM(revenue) AS revenue FROM analytics.sales_summary WHERE summary_month >= '2024-01-01' AND summary_month < '2025-01-01' GROUP BY summary_month ORDER BY summary_month",
  },
  {
    datasource: 'shop',
    shape: 'analytics top-n join date',
    question: 'According to the sales summary, which region had the highest revenue in Q1 2025?',
    gold: "SELECT r.name AS region FROM analytics.sales_summary s JOIN regions r ON r.id = s.region_id WHERE s.summary_month >= '2025-01-01' AND s.summary_month < '2025-04-01' GROUP BY r.id, r.name ORDER BY SUM(s.revenue) DESC LIMIT 1",
  },
  {
    datasource: 'shop',
    shape: 'analytics multi-join group-by sum date',
    question: 'Using the sales summary, show 2024 revenue by continent and top-level category.',
    gold: "SELECT r.continent, cat.name AS category, SUM(s.revenue) AS revenue FROM analytics.sales_summary s JOIN regions r ON r.id = s.region_id JOIN categories cat ON cat.id = s.category_id WHERE s.summary_month >= '2024-01-01' AND s.summary_month < '2025-01-01' GROUP BY r.continent, cat.id, cat.name",
  },
  {
    datasource: 'shop',
    shape: 'analytics having sum date',
    question: 'In the sales summary, which months of 2024 had more than $150,000 in revenue?',
    gold: "SELECT summary_month FROM analytics.sales_summary WHERE summary_month >= '2024-01-01' AND summary_month < '2025-01-01' GROUP BY summary_month HAVING SUM(revenue) > 150000",
  },
  {
    datasource: 'shop',
    shape: 'analytics count filter date relative-date synonym',
    question: 'How many site visits were on mobile last month?',
    gold: "SELECT COUNT(*) AS visits FROM analytics.user_behavior WHERE device = 'mobile' AND event_date >= '2025-06-01' AND event_date < '2025-07-01'",
  },
  {
    datasource: 'shop',
    shape: 'analytics percentage group-by boolean',
    question: 'What is the conversion rate for each device type, as a percentage?',
    gold: 'SELECT device, ROUND(100.0 * SUM(CASE WHEN converted = TRUE THEN 1 ELSE 0 END) / COUNT(*), 2) AS conversion_rate FROM analytics.user_behavior GROUP BY device',
  },
  {
    datasource: 'shop',
    shape: 'analytics avg group-by',
    question: 'Average page views per visit day by device, rounded to 2 decimals.',
    gold: 'SELECT device, ROUND(AVG(page_views), 2) AS average_page_views FROM analytics.user_behavior GROUP BY device',
  },
  {
    datasource: 'shop',
    shape: 'analytics avg date relative-date',
    question: 'What was the average number of sessions per visit day over the past 90 days, to 2 decimals?',
    gold: "SELECT ROUND(AVG(sessions), 2) AS average_sessions FROM analytics.user_behavior WHERE event_date >= '2025-04-02' AND event_date < '2025-07-01'",
  },
  {
    datasource: 'shop',
    shape: 'analytics count distinct group-by join date',
    question: 'How many different customers from each segment visited the website in 2025?',
    gold: "SELECT c.segment, COUNT(DISTINCT ub.customer_id) AS customers FROM analytics.user_behavior ub JOIN customers c ON c.id = ub.customer_id WHERE ub.event_date >= '2025-01-01' GROUP BY c.segment",
  },
  {
    datasource: 'shop',
    shape: 'analytics trend count date filter boolean group-by',
    question: 'How many visit days with a conversion did we have each month in the first half of 2025?',
    gold: "SELECT EXTRACT(MONTH FROM event_date) AS month, COUNT(*) AS converting_days FROM analytics.user_behavior WHERE converted = TRUE AND event_date >= '2025-01-01' AND event_date < '2025-07-01' GROUP BY EXTRACT(MONTH FROM event_date) ORDER BY month",
  },
  {
    datasource: 'shop',
    shape: 'analytics ratio',
    question: 'What is the ratio of mobile visit days to desktop visit days in the web traffic data, to 2 decimals?',
    gold: "SELECT ROUND(1.0 * SUM(CASE WHEN device = 'mobile' THEN 1 ELSE 0 END) / SUM(CASE WHEN device = 'desktop' THEN 1 ELSE 0 END), 2) AS mobile_to_desktop FROM analytics.user_behavior",
  },
  {
    datasource: 'shop',
    shape: 'view analytics count negation',
    question: 'According to the customer order counts view, how many customers have never ordered?',
    gold: 'SELECT COUNT(*) AS customers FROM analytics.customer_order_counts WHERE order_count = 0',
  },
  {
    datasource: 'shop',
    shape: 'view analytics avg group-by',
    question:
      'What is the average number of orders per customer in each country, counting customers with no orders too? Round to 2 decimals.',
    gold: 'SELECT country, ROUND(AVG(order_count), 2) AS average_orders FROM analytics.customer_order_counts GROUP BY country',
  },
  {
    datasource: 'shop',
    shape: 'view analytics join filter',
    question: 'Which customers have placed more than 20 orders? Give first name, last name and their number of orders.',
    gold: 'SELECT c.first_name, c.last_name, v.order_count FROM analytics.customer_order_counts v JOIN customers c ON c.id = v.customer_id WHERE v.order_count > 20',
  },
  {
    datasource: 'shop',
    shape: 'view analytics count group-by filter',
    question: 'For each country, how many customers have placed at least 5 orders?',
    gold: 'SELECT country, COUNT(*) AS customers FROM analytics.customer_order_counts WHERE order_count >= 5 GROUP BY country',
  },

  // --- more aggregates and rankings ---
  {
    datasource: 'shop',
    shape: 'avg group-by join',
    question: 'What is the average order total by customer segment, rounded to 2 decimals?',
    gold: 'SELECT c.segment, ROUND(AVG(o.total_amount), 2) AS average_order_total FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY c.segment',
  },
  {
    datasource: 'shop',
    shape: 'avg filter percentage',
    question: 'On order lines that got a discount, what is the average discount as a percentage?',
    gold: 'SELECT ROUND(100 * AVG(discount), 2) AS average_discount_percentage FROM order_items WHERE discount > 0',
  },
  {
    datasource: 'shop',
    shape: 'distinct count filter',
    question: 'In how many different cities do our customers in Canada live?',
    gold: "SELECT COUNT(DISTINCT city) AS cities FROM customers WHERE country = 'Canada'",
  },
  {
    datasource: 'shop',
    shape: 'having group-by count',
    question: 'Which countries have more than 200 customers?',
    gold: 'SELECT country FROM customers GROUP BY country HAVING COUNT(*) > 200',
  },
  {
    datasource: 'shop',
    shape: 'top-n join sum filter',
    question: 'Which 5 customers have spent the most, not counting cancelled orders? Show their first and last names and total spend.',
    gold: "SELECT c.first_name, c.last_name, SUM(o.total_amount) AS total_spend FROM customers c JOIN orders o ON o.customer_id = c.id WHERE o.status <> 'cancelled' GROUP BY c.id, c.first_name, c.last_name ORDER BY total_spend DESC, c.id LIMIT 5",
  },
  {
    datasource: 'shop',
    shape: 'top-n group-by count filter synonym',
    question: 'What are the top 3 payment methods by number of successful payments? Show the counts too.',
    gold: "SELECT method, COUNT(*) AS payments FROM payments WHERE status = 'captured' GROUP BY method ORDER BY payments DESC, method LIMIT 3",
  },
  {
    datasource: 'shop',
    shape: 'top-n order date synonym',
    question: 'Show the 10 products most recently added to the catalogue, with the date each was added.',
    gold: 'SELECT name, created_at FROM products ORDER BY created_at DESC LIMIT 10',
  },
  {
    datasource: 'shop',
    shape: 'percentage group-by filter',
    question: 'For each payment method, what percentage of payment attempts failed?',
    gold: "SELECT method, ROUND(100.0 * SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) / COUNT(*), 2) AS failed_percentage FROM payments GROUP BY method",
  },
  {
    datasource: 'shop',
    shape: 'top-n sum group-by join date relative-date colloquial',
    question: 'top 3 customer countries by sales last yr?',
    gold: "SELECT c.country, SUM(o.total_amount) AS sales FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.order_date >= '2024-01-01' AND o.order_date < '2025-01-01' GROUP BY c.country ORDER BY sales DESC LIMIT 3",
  },

  // --- empty results ---
  {
    datasource: 'shop',
    shape: 'count empty date',
    question: 'How many orders were placed in 2022?',
    gold: "SELECT COUNT(*) AS orders FROM orders WHERE order_date >= '2022-01-01' AND order_date < '2023-01-01'",
  },
  {
    datasource: 'shop',
    shape: 'empty filter date',
    question: 'Which customers signed up after June 30, 2025? Show their names.',
    gold: "SELECT first_name, last_name FROM customers WHERE signup_date > '2025-06-30'",
  },

  // --- not answerable from the schema ---
  {
    datasource: 'shop',
    shape: 'unanswerable',
    question: 'What is the average delivery time in days from order to delivery?',
    gold: null,
  },
  {
    datasource: 'shop',
    shape: 'unanswerable',
    question: 'Which marketing channel brought in the most new customers last year?',
    gold: null,
  },
  {
    datasource: 'shop',
    shape: 'unanswerable',
    question: 'How many Smartphones do we have in stock in the warehouse right now?',
    gold: null,
  },
  {
    datasource: 'shop',
    shape: 'unanswerable',
    question: 'What is the average star rating customers give our Audio products?',
    gold: null,
  },
  {
    datasource: 'shop',
    shape: 'unanswerable',
    question: 'How many customers opened our newsletter in June 2025?',
    gold: null,
  },
];

const clinicQuestions: QuestionCase[] = [
  // --- simple counts and filters ---
  {
    datasource: 'clinic',
    shape: 'count',
    question: 'How many doctors work at the clinic?',
    gold: 'SELECT COUNT(*) AS doctors FROM doctors',
  },
  {
    datasource: 'clinic',
    shape: 'count null',
    question: 'How many patients have no insurance provider on record?',
    gold: 'SELECT COUNT(*) AS patients FROM patients WHERE insurance_provider IS NULL',
  },
  {
    datasource: 'clinic',
    shape: 'count date relative-date',
    question: 'How many appointments are booked for next week?',
    gold: "SELECT COUNT(*) AS appointments FROM appointments WHERE scheduled_at >= '2025-07-07' AND scheduled_at < '2025-07-14'",
  },
  {
    datasource: 'clinic',
    shape: 'count filter date relative-date synonym',
    question: 'How many completed visits did we have last month?',
    gold: "SELECT COUNT(*) AS completed_visits FROM appointments WHERE status = 'completed' AND scheduled_at >= '2025-06-01' AND scheduled_at < '2025-07-01'",
  },
  {
    datasource: 'clinic',
    shape: 'count filter',
    question: 'How many patients live in Cambridge?',
    gold: "SELECT COUNT(*) AS patients FROM patients WHERE city = 'Cambridge'",
  },
  {
    datasource: 'clinic',
    shape: 'count filter date',
    question: 'How many female patients are 65 or older?',
    gold: "SELECT COUNT(*) AS patients FROM patients WHERE sex = 'F' AND birth_date <= '1960-07-01'",
  },
  {
    datasource: 'clinic',
    shape: 'filter boolean colloquial synonym',
    question: 'which meds are otc',
    gold: 'SELECT name FROM medications WHERE requires_prescription = FALSE',
  },
  {
    datasource: 'clinic',
    shape: 'count date relative-date colloquial',
    question: 'how many pts registered this year',
    gold: "SELECT COUNT(*) AS patients FROM patients WHERE registered_on >= '2025-01-01'",
  },
  {
    datasource: 'clinic',
    shape: 'count filter date relative-date colloquial',
    question: 'no shows last month?',
    gold: "SELECT COUNT(*) AS no_shows FROM appointments WHERE status = 'no_show' AND scheduled_at >= '2025-06-01' AND scheduled_at < '2025-07-01'",
  },
  {
    datasource: 'clinic',
    shape: 'count date relative-date',
    question: 'How many new patients registered in the past 30 days?',
    gold: "SELECT COUNT(*) AS patients FROM patients WHERE registered_on >= '2025-06-01' AND registered_on < '2025-07-01'",
  },
  {
    datasource: 'clinic',
    shape: 'count filter date typo',
    question: 'How many appoitments were cancelled in 2025?',
    gold: "SELECT COUNT(*) AS cancelled_appointments FROM appointments WHERE status = 'cancelled' AND scheduled_at >= '2025-01-01' AND scheduled_at < '2026-01-01'",
  },
  {
    datasource: 'clinic',
    shape: 'filter null typo',
    question: 'List pateints without insurance who live in Boston',
    gold: "SELECT first_name, last_name FROM patients WHERE insurance_provider IS NULL AND city = 'Boston'",
  },

  // --- joins ---
  {
    datasource: 'clinic',
    shape: 'count group-by join synonym',
    question: 'How many physicians are there in each department?',
    gold: 'SELECT d.name AS department, COUNT(*) AS physicians FROM doctors doc JOIN departments d ON d.id = doc.department_id GROUP BY d.id, d.name',
  },
  {
    datasource: 'clinic',
    shape: 'count join filter colloquial synonym',
    question: 'how many docs in peds',
    gold: "SELECT COUNT(*) AS doctors FROM doctors doc JOIN departments d ON d.id = doc.department_id WHERE d.name = 'Pediatrics'",
  },
  {
    datasource: 'clinic',
    shape: 'avg join filter colloquial synonym',
    question: 'whats the avg salary in neuro',
    gold: "SELECT AVG(doc.salary) AS average_salary FROM doctors doc JOIN departments d ON d.id = doc.department_id WHERE d.name = 'Neurology'",
  },
  {
    datasource: 'clinic',
    shape: 'count join filter synonym',
    question: 'How many scripts were written for Amoxicillin 500 mg capsules?',
    gold: "SELECT COUNT(*) AS prescriptions FROM prescriptions p JOIN medications m ON m.id = p.medication_id WHERE m.name = 'Amoxicillin 500 mg capsule'",
  },
  {
    datasource: 'clinic',
    shape: 'filter date order',
    question: 'List the doctors hired since 2023, newest first, with their hire dates.',
    gold: "SELECT first_name, last_name, hired_on FROM doctors WHERE hired_on >= '2023-01-01' ORDER BY hired_on DESC",
  },

  // --- multi-table joins ---
  {
    datasource: 'clinic',
    shape: 'avg group-by multi-join',
    question: 'What is the average appointment length in each department, in minutes, to 2 decimals?',
    gold: 'SELECT d.name AS department, ROUND(AVG(a.duration_minutes), 2) AS average_minutes FROM appointments a JOIN doctors doc ON doc.id = a.doctor_id JOIN departments d ON d.id = doc.department_id GROUP BY d.id, d.name',
  },
  {
    datasource: 'clinic',
    shape: 'count distinct multi-join filter date',
    question: 'How many different patients were seen in Pediatrics in 2024?',
    gold: "SELECT COUNT(DISTINCT a.patient_id) AS patients FROM appointments a JOIN doctors doc ON doc.id = a.doctor_id JOIN departments d ON d.id = doc.department_id WHERE d.name = 'Pediatrics' AND a.status = 'completed' AND a.scheduled_at >= '2024-01-01' AND a.scheduled_at < '2025-01-01'",
  },
  {
    datasource: 'clinic',
    shape: 'count distinct multi-join filter',
    question: 'How many distinct patients have been prescribed Sertraline?',
    gold: "SELECT COUNT(DISTINCT a.patient_id) AS patients FROM prescriptions p JOIN medications m ON m.id = p.medication_id JOIN appointments a ON a.id = p.appointment_id WHERE m.name LIKE 'Sertraline%'",
  },
  {
    datasource: 'clinic',
    shape: 'top-n multi-join filter',
    question: 'What is the most frequently recorded diagnosis in Dermatology?',
    gold: "SELECT dg.description FROM diagnoses dg JOIN appointments a ON a.id = dg.appointment_id JOIN doctors doc ON doc.id = a.doctor_id JOIN departments d ON d.id = doc.department_id WHERE d.name = 'Dermatology' GROUP BY dg.icd10_code, dg.description ORDER BY COUNT(*) DESC LIMIT 1",
  },
  {
    datasource: 'clinic',
    shape: 'percentage group-by multi-join boolean',
    question: 'For each department, what percentage of its prescriptions are for prescription-only drugs?',
    gold: 'SELECT d.name AS department, ROUND(100.0 * SUM(CASE WHEN m.requires_prescription = TRUE THEN 1 ELSE 0 END) / COUNT(*), 2) AS prescription_only_percentage FROM prescriptions p JOIN medications m ON m.id = p.medication_id JOIN appointments a ON a.id = p.appointment_id JOIN doctors doc ON doc.id = a.doctor_id JOIN departments d ON d.id = doc.department_id GROUP BY d.id, d.name',
  },
  {
    datasource: 'clinic',
    shape: 'sum group-by multi-join filter date relative-date synonym',
    question: 'What did each department bill for no-shows over the last 6 months?',
    gold: "SELECT d.name AS department, SUM(a.fee) AS no_show_fees FROM appointments a JOIN doctors doc ON doc.id = a.doctor_id JOIN departments d ON d.id = doc.department_id WHERE a.status = 'no_show' AND a.scheduled_at >= '2025-01-01' AND a.scheduled_at < '2025-07-01' GROUP BY d.id, d.name",
  },

  // --- group-by, sums, averages, min-max ---
  {
    datasource: 'clinic',
    shape: 'group-by count null synonym',
    question: 'How many patients does each insurer cover? Include uninsured patients as their own group.',
    gold: 'SELECT insurance_provider, COUNT(*) AS patients FROM patients GROUP BY insurance_provider',
  },
  {
    datasource: 'clinic',
    shape: 'sum group-by join synonym',
    question: 'Show the wage bill per wing.',
    gold: 'SELECT d.building, SUM(doc.salary) AS wage_bill FROM doctors doc JOIN departments d ON d.id = doc.department_id GROUP BY d.building',
  },
  {
    datasource: 'clinic',
    shape: 'avg group-by boolean',
    question: 'Compare the average unit price of prescription-only and over-the-counter medications, to 2 decimals.',
    gold: 'SELECT requires_prescription, ROUND(AVG(unit_price), 2) AS average_unit_price FROM medications GROUP BY requires_prescription',
  },
  {
    datasource: 'clinic',
    shape: 'avg filter date typo',
    question: 'average salary of doctrs hired before 2015',
    gold: "SELECT AVG(salary) AS average_salary FROM doctors WHERE hired_on < '2015-01-01'",
  },
  {
    datasource: 'clinic',
    shape: 'min-max',
    question: 'What is the highest fee ever billed for a single appointment?',
    gold: 'SELECT MAX(fee) AS highest_fee FROM appointments',
  },
  {
    datasource: 'clinic',
    shape: 'min-max subquery date',
    question: 'Who is our longest-serving doctor?',
    gold: 'SELECT first_name, last_name FROM doctors WHERE hired_on = (SELECT MIN(hired_on) FROM doctors)',
  },
  {
    datasource: 'clinic',
    shape: 'min-max synonym',
    question: 'What are the lowest and highest drug prices in the formulary?',
    gold: 'SELECT MIN(unit_price) AS lowest_price, MAX(unit_price) AS highest_price FROM medications',
  },
  {
    datasource: 'clinic',
    shape: 'top-n join sum synonym group-by',
    question: 'Which department has the largest wage bill?',
    gold: 'SELECT d.name AS department FROM doctors doc JOIN departments d ON d.id = doc.department_id GROUP BY d.id, d.name ORDER BY SUM(doc.salary) DESC LIMIT 1',
  },
  {
    datasource: 'clinic',
    shape: 'top-n multi-join count date group-by',
    question: 'What were the 5 most prescribed medications in 2025, with how many times each was prescribed?',
    gold: "SELECT m.name AS medication, COUNT(*) AS prescriptions FROM prescriptions p JOIN medications m ON m.id = p.medication_id JOIN appointments a ON a.id = p.appointment_id WHERE a.scheduled_at >= '2025-01-01' GROUP BY m.id, m.name ORDER BY prescriptions DESC, m.name LIMIT 5",
  },
  {
    datasource: 'clinic',
    shape: 'top-n multi-join filter synonym group-by',
    question: 'What are the 3 most common diagnoses among children, with their counts?',
    gold: "SELECT dg.description AS diagnosis, COUNT(*) AS diagnoses FROM diagnoses dg JOIN appointments a ON a.id = dg.appointment_id JOIN patients pt ON pt.id = a.patient_id WHERE pt.birth_date > '2007-07-01' GROUP BY dg.icd10_code, dg.description ORDER BY diagnoses DESC, dg.description LIMIT 3",
  },

  // --- having ---
  {
    datasource: 'clinic',
    shape: 'having count join filter',
    question: 'Which doctors had more than 60 completed appointments? Show their names and the number.',
    gold: "SELECT doc.first_name, doc.last_name, COUNT(*) AS completed_appointments FROM appointments a JOIN doctors doc ON doc.id = a.doctor_id WHERE a.status = 'completed' GROUP BY doc.id, doc.first_name, doc.last_name HAVING COUNT(*) > 60",
  },
  {
    datasource: 'clinic',
    shape: 'having avg multi-join filter date',
    question: 'Which departments had an average fee above $150 for completed visits in 2024?',
    gold: "SELECT d.name AS department FROM appointments a JOIN doctors doc ON doc.id = a.doctor_id JOIN departments d ON d.id = doc.department_id WHERE a.status = 'completed' AND a.scheduled_at >= '2024-01-01' AND a.scheduled_at < '2025-01-01' GROUP BY d.id, d.name HAVING AVG(a.fee) > 150",
  },
  {
    datasource: 'clinic',
    shape: 'having count join filter',
    question: 'Which patients missed more than 3 appointments? List their names and number of no-shows.',
    gold: "SELECT pt.first_name, pt.last_name, COUNT(*) AS no_shows FROM appointments a JOIN patients pt ON pt.id = a.patient_id WHERE a.status = 'no_show' GROUP BY pt.id, pt.first_name, pt.last_name HAVING COUNT(*) > 3",
  },
  {
    datasource: 'clinic',
    shape: 'count subquery having distinct join',
    question: 'How many patients have had completed visits in more than one department?',
    gold: "SELECT COUNT(*) AS patients FROM (SELECT a.patient_id FROM appointments a JOIN doctors doc ON doc.id = a.doctor_id WHERE a.status = 'completed' GROUP BY a.patient_id HAVING COUNT(DISTINCT doc.department_id) > 1) multi_department",
  },

  // --- distinct, negation, subqueries ---
  {
    datasource: 'clinic',
    shape: 'count distinct',
    question: 'How many different diagnosis codes have been recorded?',
    gold: 'SELECT COUNT(DISTINCT icd10_code) AS diagnosis_codes FROM diagnoses',
  },
  {
    datasource: 'clinic',
    shape: 'distinct filter',
    question: 'Which cities do our Medicare patients live in?',
    gold: "SELECT DISTINCT city FROM patients WHERE insurance_provider = 'Medicare'",
  },
  {
    datasource: 'clinic',
    shape: 'count negation subquery boolean synonym',
    question: 'How many over-the-counter drugs have never been prescribed?',
    gold: 'SELECT COUNT(*) AS medications FROM medications m WHERE m.requires_prescription = FALSE AND NOT EXISTS (SELECT 1 FROM prescriptions p WHERE p.medication_id = m.id)',
  },
  {
    datasource: 'clinic',
    shape: 'count negation subquery',
    question: 'How many registered patients have never booked an appointment?',
    gold: 'SELECT COUNT(*) AS patients FROM patients pt WHERE NOT EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = pt.id)',
  },
  {
    datasource: 'clinic',
    shape: 'negation subquery',
    question: 'Which doctors have never had a no-show? Give their names.',
    gold: "SELECT doc.first_name, doc.last_name FROM doctors doc WHERE NOT EXISTS (SELECT 1 FROM appointments a WHERE a.doctor_id = doc.id AND a.status = 'no_show')",
  },
  {
    datasource: 'clinic',
    shape: 'count negation subquery date filter',
    question: 'How many patients seen in 2024 have had no appointment of any kind in 2025?',
    gold: "SELECT COUNT(DISTINCT a.patient_id) AS patients FROM appointments a WHERE a.status = 'completed' AND a.scheduled_at >= '2024-01-01' AND a.scheduled_at < '2025-01-01' AND NOT EXISTS (SELECT 1 FROM appointments a2 WHERE a2.patient_id = a.patient_id AND a2.scheduled_at >= '2025-01-01')",
  },
  {
    datasource: 'clinic',
    shape: 'subquery join',
    question: 'Which doctors earn more than the average salary of their own department?',
    gold: 'SELECT doc.first_name, doc.last_name FROM doctors doc WHERE doc.salary > (SELECT AVG(d2.salary) FROM doctors d2 WHERE d2.department_id = doc.department_id)',
  },
  {
    datasource: 'clinic',
    shape: 'subquery filter synonym',
    question: 'Which drugs cost more per unit than the formulary average?',
    gold: 'SELECT name FROM medications WHERE unit_price > (SELECT AVG(unit_price) FROM medications)',
  },

  // --- percentages and ratios ---
  {
    datasource: 'clinic',
    shape: 'null percentage filter date',
    question: 'What percentage of patients under 18 are uninsured?',
    gold: "SELECT ROUND(100.0 * SUM(CASE WHEN insurance_provider IS NULL THEN 1 ELSE 0 END) / COUNT(*), 2) AS uninsured_percentage FROM patients WHERE birth_date > '2007-07-01'",
  },
  {
    datasource: 'clinic',
    shape: 'ratio',
    question: 'What is the ratio of female to male patients, to 2 decimals?',
    gold: "SELECT ROUND(1.0 * SUM(CASE WHEN sex = 'F' THEN 1 ELSE 0 END) / SUM(CASE WHEN sex = 'M' THEN 1 ELSE 0 END), 2) AS female_to_male FROM patients",
  },
  {
    datasource: 'clinic',
    shape: 'ratio subquery join date',
    question: 'How many prescriptions were written per completed appointment in 2024, on average? Two decimals.',
    gold: "SELECT ROUND(1.0 * (SELECT COUNT(*) FROM prescriptions p JOIN appointments a ON a.id = p.appointment_id WHERE a.scheduled_at >= '2024-01-01' AND a.scheduled_at < '2025-01-01') / (SELECT COUNT(*) FROM appointments WHERE status = 'completed' AND scheduled_at >= '2024-01-01' AND scheduled_at < '2025-01-01'), 2) AS prescriptions_per_visit",
  },

  // --- trends and windows ---
  {
    datasource: 'clinic',
    shape: 'trend sum group-by date',
    question: 'Total fees billed per month in 2024.',
    gold: "SELECT EXTRACT(MONTH FROM scheduled_at) AS month, SUM(fee) AS fees FROM appointments WHERE scheduled_at >= '2024-01-01' AND scheduled_at < '2025-01-01' GROUP BY EXTRACT(MONTH FROM scheduled_at) ORDER BY month",
  },
  {
    datasource: 'clinic',
    shape: 'trend count filter date relative-date group-by',
    question: 'Monthly number of completed appointments over the last 12 months.',
    gold: "SELECT EXTRACT(YEAR FROM scheduled_at) AS year, EXTRACT(MONTH FROM scheduled_at) AS month, COUNT(*) AS completed_appointments FROM appointments WHERE status = 'completed' AND scheduled_at >= '2024-07-01' AND scheduled_at < '2025-07-01' GROUP BY EXTRACT(YEAR FROM scheduled_at), EXTRACT(MONTH FROM scheduled_at) ORDER BY year, month",
  },
  {
    datasource: 'clinic',
    shape: 'window trend sum date group-by subquery',
    question: 'Give a running total of fees billed by month for the first half of 2025.',
    gold: "SELECT month, fees, SUM(fees) OVER (ORDER BY month) AS running_total FROM (SELECT EXTRACT(MONTH FROM scheduled_at) AS month, SUM(fee) AS fees FROM appointments WHERE scheduled_at >= '2025-01-01' AND scheduled_at < '2025-07-01' GROUP BY EXTRACT(MONTH FROM scheduled_at)) monthly ORDER BY month",
  },
  {
    datasource: 'clinic',
    shape: 'window trend count filter date group-by subquery',
    question: 'For each month in 2024, show the number of completed visits and the change from the month before.',
    gold: "SELECT month, visits, visits - previous_visits AS change_from_previous_month FROM (SELECT year, month, visits, LAG(visits) OVER (ORDER BY year, month) AS previous_visits FROM (SELECT EXTRACT(YEAR FROM scheduled_at) AS year, EXTRACT(MONTH FROM scheduled_at) AS month, COUNT(*) AS visits FROM appointments WHERE status = 'completed' GROUP BY EXTRACT(YEAR FROM scheduled_at), EXTRACT(MONTH FROM scheduled_at)) monthly) with_previous WHERE year = 2024 ORDER BY month",
  },
  {
    datasource: 'clinic',
    shape: 'window join',
    question: "Show every doctor's name, department and salary, along with their salary rank within the department (1 = highest paid).",
    gold: 'SELECT doc.first_name, doc.last_name, d.name AS department, doc.salary, RANK() OVER (PARTITION BY d.id ORDER BY doc.salary DESC) AS salary_rank FROM doctors doc JOIN departments d ON d.id = doc.department_id',
  },
  {
    datasource: 'clinic',
    shape: 'top-n-per-group window multi-join count filter group-by subquery',
    question: 'For each department, which doctor has the most completed appointments? Show department, first name and last name.',
    gold: "SELECT department, first_name, last_name FROM (SELECT d.name AS department, doc.first_name, doc.last_name, RANK() OVER (PARTITION BY d.id ORDER BY COUNT(*) DESC) AS visit_rank FROM appointments a JOIN doctors doc ON doc.id = a.doctor_id JOIN departments d ON d.id = doc.department_id WHERE a.status = 'completed' GROUP BY d.id, d.name, doc.id, doc.first_name, doc.last_name) ranked WHERE visit_rank = 1",
  },
  {
    datasource: 'clinic',
    shape: 'top-n-per-group window multi-join synonym group-by subquery',
    question: 'For each insurer, what is the most commonly diagnosed condition among its patients? Leave out uninsured patients.',
    gold: 'SELECT insurer, diagnosis FROM (SELECT pt.insurance_provider AS insurer, dg.description AS diagnosis, RANK() OVER (PARTITION BY pt.insurance_provider ORDER BY COUNT(*) DESC) AS diagnosis_rank FROM diagnoses dg JOIN appointments a ON a.id = dg.appointment_id JOIN patients pt ON pt.id = a.patient_id WHERE pt.insurance_provider IS NOT NULL GROUP BY pt.insurance_provider, dg.icd10_code, dg.description) ranked WHERE diagnosis_rank = 1',
  },

  // --- more aggregates and rankings ---
  {
    datasource: 'clinic',
    shape: 'avg group-by join synonym',
    question: 'What is the average treatment length in days for each medication, to 2 decimals?',
    gold: 'SELECT m.name AS medication, ROUND(AVG(p.days), 2) AS average_days FROM prescriptions p JOIN medications m ON m.id = p.medication_id GROUP BY m.id, m.name',
  },
  {
    datasource: 'clinic',
    shape: 'having group-by count synonym',
    question: 'Which insurers cover more than 50 of our patients?',
    gold: 'SELECT insurance_provider FROM patients WHERE insurance_provider IS NOT NULL GROUP BY insurance_provider HAVING COUNT(*) > 50',
  },
  {
    datasource: 'clinic',
    shape: 'distinct join filter',
    question: 'Which specialties are represented among the Orthopedics doctors?',
    gold: "SELECT DISTINCT doc.specialty FROM doctors doc JOIN departments d ON d.id = doc.department_id WHERE d.name = 'Orthopedics'",
  },
  {
    datasource: 'clinic',
    shape: 'avg multi-join filter colloquial synonym',
    question: 'avg visit length in derm?',
    gold: "SELECT AVG(a.duration_minutes) AS average_minutes FROM appointments a JOIN doctors doc ON doc.id = a.doctor_id JOIN departments d ON d.id = doc.department_id WHERE d.name = 'Dermatology'",
  },
  {
    datasource: 'clinic',
    shape: 'top-n group-by count synonym',
    question: 'Which 3 towns do most of our patients live in? Include the patient counts.',
    gold: 'SELECT city, COUNT(*) AS patients FROM patients GROUP BY city ORDER BY patients DESC, city LIMIT 3',
  },
  {
    datasource: 'clinic',
    shape: 'top-n join sum date group-by',
    question: 'Top 5 doctors by total fees billed in 2024, with the amount.',
    gold: "SELECT doc.first_name, doc.last_name, SUM(a.fee) AS fees FROM appointments a JOIN doctors doc ON doc.id = a.doctor_id WHERE a.scheduled_at >= '2024-01-01' AND a.scheduled_at < '2025-01-01' GROUP BY doc.id, doc.first_name, doc.last_name ORDER BY fees DESC, doc.id LIMIT 5",
  },
  {
    datasource: 'clinic',
    shape: 'min-max date',
    question: 'When did our earliest-registered patient register?',
    gold: 'SELECT MIN(registered_on) AS first_registration FROM patients',
  },
  {
    datasource: 'clinic',
    shape: 'count negation subquery join',
    question: 'How many patients have never been prescribed anything?',
    gold: 'SELECT COUNT(*) AS patients FROM patients pt WHERE NOT EXISTS (SELECT 1 FROM prescriptions p JOIN appointments a ON a.id = p.appointment_id WHERE a.patient_id = pt.id)',
  },

  // --- empty results ---
  {
    datasource: 'clinic',
    shape: 'count empty date',
    question: 'How many appointments took place on Christmas Day 2024?',
    gold: "SELECT COUNT(*) AS appointments FROM appointments WHERE scheduled_at >= '2024-12-25' AND scheduled_at < '2024-12-26'",
  },

  // --- not answerable from the schema ---
  {
    datasource: 'clinic',
    shape: 'unanswerable',
    question: 'What is the average time patients spend in the waiting room in Cardiology?',
    gold: null,
  },
  {
    datasource: 'clinic',
    shape: 'unanswerable',
    question: 'How many nurses work in the Pediatrics department?',
    gold: null,
  },
  {
    datasource: 'clinic',
    shape: 'unanswerable',
    question: 'Which doctors got the best patient satisfaction scores last year?',
    gold: null,
  },
];

/** The blind eval-style set: the shop questions, then the clinic ones. */
export const evalStyleQuestions: QuestionCase[] = [...shopQuestions, ...clinicQuestions];
