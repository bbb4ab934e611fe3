/**
 * Legitimate read-only queries against the `shop` fixture.
 *
 * Every case must be accepted by the SQL guard and must actually run on each listed dialect:
 * 'postgres' covers Postgres 15+ and PGlite (Postgres 17); 'mysql' covers MariaDB 10.11 and MySQL 8.
 * Queries keep to portable syntax where they are marked for both dialects (no `::`, no `||` for
 * concatenation, no double-quoted identifiers, no FILTER / DISTINCT ON / NULLS LAST, every
 * non-aggregated column listed in GROUP BY so MySQL's ONLY_FULL_GROUP_BY is satisfied, no MySQL 8
 * reserved words such as `rank` or `rows` as aliases).
 *
 * MySQL cases touch only the public tables, unqualified: the analytics schema is a sibling database
 * whose name is not known in advance there.
 *
 * Catalog reads (information_schema, pg_catalog) are not legitimate: the guard refuses them and the
 * agent's search_metadata and show_table tools describe the schema instead (see the hostile corpus).
 *
 * Every query is bounded (LIMIT, a selective WHERE, or aggregation to a few rows) and avoids
 * cartesian products, so it finishes well under a second on the fixture.
 */

import type { CorpusDialect } from './hostile-sql.ts';

export interface LegitCase {
  id: string;
  dialects: Array<CorpusDialect>;
  sql: string;
  what: string;
}

export const legitQueries: LegitCase[] = [
  // ---------------------------------------------------------------------------------------------
  // Basics
  // ---------------------------------------------------------------------------------------------
  {
    id: 'literal-select',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT 1 AS one`,
    what: 'Constant select without a table.',
  },
  {
    id: 'trailing-semicolon',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT 1;`,
    what: 'A single statement with a trailing semicolon.',
  },
  {
    id: 'trailing-semicolon-and-whitespace',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT COUNT(*) AS order_count FROM orders ;  \n`,
    what: 'Trailing semicolon followed by whitespace and a newline.',
  },
  {
    id: 'simple-filter',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT id, first_name, last_name, email FROM customers WHERE country = 'Germany' ORDER BY id LIMIT 20`,
    what: 'Customers in one country.',
  },
  {
    id: 'limit-offset',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT id, order_date, total_amount FROM orders ORDER BY order_date DESC, id DESC LIMIT 10 OFFSET 20`,
    what: 'Third page of the most recent orders.',
  },
  {
    id: 'distinct-values',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT DISTINCT status FROM orders ORDER BY status`,
    what: 'The distinct order statuses.',
  },
  {
    id: 'in-list',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT id, customer_id, status, total_amount FROM orders WHERE status IN ('shipped', 'delivered') AND total_amount > 1500 ORDER BY total_amount DESC, id LIMIT 25`,
    what: 'Large orders that have shipped or been delivered.',
  },
  {
    id: 'between-range',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT id, name, price FROM products WHERE price BETWEEN 100 AND 200 ORDER BY price, id`,
    what: 'Products in a price band.',
  },
  {
    id: 'date-literal-range',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT COUNT(*) AS q1_orders, SUM(total_amount) AS q1_revenue FROM orders WHERE order_date >= DATE '2024-01-01' AND order_date < DATE '2024-04-01'`,
    what: 'Orders and revenue in the first quarter of 2024, with ANSI date literals.',
  },
  {
    id: 'count-nulls',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT COUNT(*) AS customers, COUNT(birth_date) AS with_birth_date, COUNT(phone) AS with_phone FROM customers`,
    what: 'How many customers have the optional columns filled.',
  },
  {
    id: 'boolean-filter',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT COUNT(*) AS active_products FROM products WHERE is_active = TRUE`,
    what: 'Active products; boolean compared with TRUE.',
  },
  {
    id: 'is-null-filter',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT status, COUNT(*) AS unpaid FROM payments WHERE paid_at IS NULL GROUP BY status ORDER BY status`,
    what: 'Payments without a paid_at timestamp, per status.',
  },
  {
    id: 'greatest-least',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT id, price, cost, GREATEST(price - cost, 0) AS margin, LEAST(price, 100) AS capped_price FROM products ORDER BY id LIMIT 15`,
    what: 'GREATEST and LEAST.',
  },

  // ---------------------------------------------------------------------------------------------
  // Joins
  // ---------------------------------------------------------------------------------------------
  {
    id: 'join-two-tables',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT o.id, o.order_date, c.first_name, c.last_name, o.total_amount FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.status = 'delivered' ORDER BY o.order_date DESC, o.id LIMIT 25`,
    what: 'Delivered orders with customer names.',
  },
  {
    id: 'join-three-tables-revenue-by-category',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT cat.name AS category, SUM(oi.quantity * oi.unit_price) AS gross_revenue, SUM(oi.quantity) AS units FROM order_items oi JOIN products p ON p.id = oi.product_id JOIN categories cat ON cat.id = p.category_id GROUP BY cat.name ORDER BY gross_revenue DESC LIMIT 10`,
    what: 'Top categories by line-item revenue.',
  },
  {
    id: 'join-four-tables',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT c.id AS customer_id, c.email, SUM(oi.quantity) AS units_bought, COUNT(DISTINCT o.id) AS order_count
FROM customers c
JOIN orders o ON o.customer_id = c.id
JOIN order_items oi ON oi.order_id = o.id
JOIN products p ON p.id = oi.product_id
WHERE p.is_active = TRUE AND o.order_date >= DATE '2024-01-01' AND o.order_date < DATE '2025-01-01'
GROUP BY c.id, c.email
ORDER BY units_bought DESC, c.id
LIMIT 10`,
    what: 'Customers who bought the most units of active products in 2024 (four-table join).',
  },
  {
    id: 'join-region-continent-revenue',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT r.continent, COUNT(o.id) AS order_count, SUM(o.total_amount) AS revenue FROM regions r JOIN customers c ON c.region_id = r.id JOIN orders o ON o.customer_id = c.id WHERE o.status <> 'cancelled' GROUP BY r.continent ORDER BY revenue DESC`,
    what: 'Revenue per continent.',
  },
  {
    id: 'left-join-anti',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT c.id, c.email FROM customers c LEFT JOIN orders o ON o.customer_id = c.id WHERE o.id IS NULL ORDER BY c.id LIMIT 50`,
    what: 'Customers without any order (LEFT JOIN … IS NULL).',
  },
  {
    id: 'self-join-categories',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT child.id, child.name AS category, parent.name AS parent_category FROM categories child LEFT JOIN categories parent ON parent.id = child.parent_id ORDER BY child.id`,
    what: 'Each category with its parent.',
  },
  {
    id: 'join-payments-orders',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT p.method, p.status, COUNT(*) AS payments, SUM(p.amount) AS amount FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.order_date >= DATE '2025-01-01' GROUP BY p.method, p.status ORDER BY p.method, p.status`,
    what: 'Payment methods and outcomes for 2025 orders.',
  },

  // ---------------------------------------------------------------------------------------------
  // Aggregation
  // ---------------------------------------------------------------------------------------------
  {
    id: 'group-by-having',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT customer_id, COUNT(*) AS order_count, SUM(total_amount) AS total_spent FROM orders GROUP BY customer_id HAVING COUNT(*) >= 5 ORDER BY total_spent DESC LIMIT 20`,
    what: 'Repeat customers by spend.',
  },
  {
    id: 'group-by-two-columns',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT shipping_country, status, COUNT(*) AS order_count FROM orders GROUP BY shipping_country, status ORDER BY shipping_country, status`,
    what: 'Order counts per country and status.',
  },
  {
    id: 'avg-round',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT c.segment, ROUND(AVG(o.total_amount), 2) AS avg_order_value, COUNT(*) AS order_count FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.segment ORDER BY c.segment`,
    what: 'Average order value per customer segment.',
  },
  {
    id: 'min-max',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT MIN(order_date) AS first_order, MAX(order_date) AS last_order, COUNT(*) AS order_count FROM orders`,
    what: 'Date range of the orders.',
  },
  {
    id: 'count-distinct',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT shipping_country, COUNT(DISTINCT customer_id) AS buyers FROM orders GROUP BY shipping_country ORDER BY buyers DESC, shipping_country`,
    what: 'Distinct buyers per shipping country.',
  },
  {
    id: 'having-avg-price',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT category_id, COUNT(*) AS product_count, AVG(price) AS avg_price FROM products GROUP BY category_id HAVING AVG(price) > 100 AND COUNT(*) > 2 ORDER BY avg_price DESC`,
    what: 'Categories with a high average price.',
  },
  {
    id: 'conditional-aggregation',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT method,
  SUM(CASE WHEN status = 'captured' THEN amount ELSE 0 END) AS captured,
  SUM(CASE WHEN status = 'refunded' THEN amount ELSE 0 END) AS refunded,
  SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed_count
FROM payments
GROUP BY method
ORDER BY method`,
    what: 'Pivot of payment outcomes per method with SUM(CASE …).',
  },
  {
    id: 'margin-nullif',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT id, name, price, cost, ROUND((price - cost) / NULLIF(price, 0) * 100, 1) AS margin_pct FROM products WHERE is_active = TRUE ORDER BY margin_pct DESC, id LIMIT 20`,
    what: 'Product margin, NULLIF guarding the division.',
  },
  {
    id: 'discount-weighted-revenue',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT p.id, p.name, SUM(oi.quantity * oi.unit_price * (1 - oi.discount)) AS net_revenue FROM order_items oi JOIN products p ON p.id = oi.product_id GROUP BY p.id, p.name ORDER BY net_revenue DESC LIMIT 10`,
    what: 'Net revenue per product after line discounts.',
  },

  // ---------------------------------------------------------------------------------------------
  // Window functions
  // ---------------------------------------------------------------------------------------------
  {
    id: 'window-row-number-top-n',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT customer_id, id AS order_id, total_amount, rn
FROM (
  SELECT o.customer_id, o.id, o.total_amount,
         ROW_NUMBER() OVER (PARTITION BY o.customer_id ORDER BY o.total_amount DESC, o.id) AS rn
  FROM orders o
) ranked
WHERE rn <= 3
ORDER BY customer_id, rn
LIMIT 100`,
    what: 'Top three orders per customer with ROW_NUMBER.',
  },
  {
    id: 'window-rank-over-aggregate',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT p.category_id, p.id AS product_id, SUM(oi.quantity) AS units,
  RANK() OVER (PARTITION BY p.category_id ORDER BY SUM(oi.quantity) DESC) AS units_rank
FROM order_items oi JOIN products p ON p.id = oi.product_id
GROUP BY p.category_id, p.id
ORDER BY p.category_id, units_rank, p.id
LIMIT 60`,
    what: 'RANK over an aggregate: best sellers within each category.',
  },
  {
    id: 'window-dense-rank',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT customer_id, total_spent, DENSE_RANK() OVER (ORDER BY total_spent DESC) AS spend_rank
FROM (SELECT customer_id, SUM(total_amount) AS total_spent FROM orders GROUP BY customer_id) t
ORDER BY spend_rank, customer_id
LIMIT 20`,
    what: 'DENSE_RANK of customers by lifetime spend.',
  },
  {
    id: 'window-lag-monthly',
    dialects: ['postgres', 'mysql'],
    sql: `WITH monthly AS (
  SELECT EXTRACT(YEAR FROM order_date) AS order_year, EXTRACT(MONTH FROM order_date) AS order_month, SUM(total_amount) AS revenue
  FROM orders
  WHERE status <> 'cancelled'
  GROUP BY EXTRACT(YEAR FROM order_date), EXTRACT(MONTH FROM order_date)
)
SELECT order_year, order_month, revenue,
  LAG(revenue) OVER (ORDER BY order_year, order_month) AS prev_revenue,
  revenue - LAG(revenue) OVER (ORDER BY order_year, order_month) AS change_amount
FROM monthly
ORDER BY order_year, order_month`,
    what: 'Month-over-month revenue change with LAG.',
  },
  {
    id: 'window-running-sum-frame',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT customer_id, id, order_date, total_amount,
  SUM(total_amount) OVER (PARTITION BY customer_id ORDER BY order_date, id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_total
FROM orders
WHERE customer_id <= 50
ORDER BY customer_id, order_date, id`,
    what: 'Running total per customer with an explicit ROWS frame.',
  },
  {
    id: 'window-moving-average',
    dialects: ['postgres', 'mysql'],
    sql: `WITH daily AS (
  SELECT order_date, SUM(total_amount) AS day_total FROM orders GROUP BY order_date
)
SELECT order_date, day_total,
  AVG(day_total) OVER (ORDER BY order_date ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS avg_7_days
FROM daily
ORDER BY order_date DESC
LIMIT 30`,
    what: 'Seven-day moving average of daily revenue.',
  },
  {
    id: 'window-ntile-first-value',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT id, customer_id, total_amount,
  NTILE(4) OVER (ORDER BY total_amount) AS quartile,
  FIRST_VALUE(id) OVER (PARTITION BY customer_id ORDER BY order_date, id) AS first_order_id
FROM orders
WHERE customer_id BETWEEN 100 AND 120
ORDER BY customer_id, id`,
    what: 'NTILE and FIRST_VALUE.',
  },
  {
    id: 'window-share-of-total',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT shipping_country, SUM(total_amount) AS revenue,
  ROUND(100 * SUM(total_amount) / SUM(SUM(total_amount)) OVER (), 2) AS pct_of_total
FROM orders
GROUP BY shipping_country
ORDER BY revenue DESC`,
    what: 'Each country’s share of total revenue with an empty OVER ().',
  },
  {
    id: 'window-count-partition',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT id, status, total_amount, COUNT(*) OVER (PARTITION BY status) AS orders_with_status FROM orders WHERE order_date = DATE '2024-11-29' ORDER BY id`,
    what: 'COUNT(*) OVER a partition.',
  },

  // ---------------------------------------------------------------------------------------------
  // CTEs
  // ---------------------------------------------------------------------------------------------
  {
    id: 'cte-simple',
    dialects: ['postgres', 'mysql'],
    sql: `WITH big_orders AS (SELECT id, customer_id, total_amount FROM orders WHERE total_amount > 1000)
SELECT customer_id, COUNT(*) AS big_order_count FROM big_orders GROUP BY customer_id ORDER BY big_order_count DESC, customer_id LIMIT 10`,
    what: 'Simple CTE.',
  },
  {
    id: 'cte-multiple',
    dialects: ['postgres', 'mysql'],
    sql: `WITH spend AS (
  SELECT customer_id, SUM(total_amount) AS total_spent FROM orders GROUP BY customer_id
), avg_spend AS (
  SELECT AVG(total_spent) AS avg_total FROM spend
)
SELECT c.id, c.email, s.total_spent
FROM spend s
JOIN customers c ON c.id = s.customer_id
CROSS JOIN avg_spend a
WHERE s.total_spent > 2 * a.avg_total
ORDER BY s.total_spent DESC
LIMIT 20`,
    what: 'Two CTEs, the second built on the first; cross join with a one-row CTE.',
  },
  {
    id: 'cte-recursive-category-depth',
    dialects: ['postgres', 'mysql'],
    sql: `WITH RECURSIVE tree AS (
  SELECT id, name, parent_id, 1 AS depth FROM categories WHERE parent_id IS NULL
  UNION ALL
  SELECT c.id, c.name, c.parent_id, t.depth + 1 FROM categories c JOIN tree t ON c.parent_id = t.id
)
SELECT id, name, parent_id, depth FROM tree ORDER BY depth, id`,
    what: 'WITH RECURSIVE walk of the category tree with depth.',
  },
  {
    id: 'cte-recursive-descendant-products',
    dialects: ['postgres', 'mysql'],
    sql: `WITH RECURSIVE subtree AS (
  SELECT id FROM categories WHERE id = 1
  UNION ALL
  SELECT c.id FROM categories c JOIN subtree s ON c.parent_id = s.id
)
SELECT COUNT(*) AS product_count, MIN(p.price) AS min_price, MAX(p.price) AS max_price
FROM products p
WHERE p.category_id IN (SELECT id FROM subtree)`,
    what: 'Products anywhere below category 1 (recursive CTE used in IN).',
  },
  {
    id: 'cte-recursive-number-series',
    dialects: ['postgres', 'mysql'],
    sql: `WITH RECURSIVE n AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM n WHERE i < 12)
SELECT i AS month_number FROM n ORDER BY i`,
    what: 'Recursive CTE as a portable number generator.',
  },

  // ---------------------------------------------------------------------------------------------
  // Subqueries
  // ---------------------------------------------------------------------------------------------
  {
    id: 'scalar-subquery',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT id, total_amount, (SELECT AVG(total_amount) FROM orders) AS overall_avg FROM orders WHERE total_amount > (SELECT AVG(total_amount) FROM orders) ORDER BY total_amount DESC, id LIMIT 10`,
    what: 'Uncorrelated scalar subqueries in the select list and WHERE.',
  },
  {
    id: 'correlated-subquery-select-list',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT c.id, c.email, (SELECT MAX(o.order_date) FROM orders o WHERE o.customer_id = c.id) AS last_order_date FROM customers c WHERE c.id <= 40 ORDER BY c.id`,
    what: 'Correlated scalar subquery: last order date per customer.',
  },
  {
    id: 'correlated-subquery-where',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT c.id AS customer_id, o.id AS order_id, o.total_amount FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.id <= 20 AND o.total_amount > (SELECT AVG(o2.total_amount) FROM orders o2 WHERE o2.customer_id = c.id) ORDER BY c.id, o.id`,
    what: 'Orders above that customer’s own average (correlated subquery in WHERE).',
  },
  {
    id: 'exists',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT c.id, c.email FROM customers c WHERE EXISTS (SELECT 1 FROM orders o JOIN payments p ON p.order_id = o.id WHERE o.customer_id = c.id AND p.status = 'refunded') ORDER BY c.id LIMIT 50`,
    what: 'Customers with at least one refunded payment.',
  },
  {
    id: 'not-exists',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT p.id, p.name FROM products p WHERE NOT EXISTS (SELECT 1 FROM order_items oi WHERE oi.product_id = p.id) ORDER BY p.id`,
    what: 'Products that were never ordered.',
  },
  {
    id: 'in-subquery',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT COUNT(*) AS european_customers FROM customers WHERE region_id IN (SELECT id FROM regions WHERE continent = 'Europe')`,
    what: 'IN with a subquery.',
  },
  {
    id: 'not-in-subquery',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT id, name FROM categories WHERE id NOT IN (SELECT category_id FROM products) ORDER BY id`,
    what: 'Categories without products directly attached (products.category_id is NOT NULL).',
  },
  {
    id: 'derived-table',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT segment, AVG(order_count) AS avg_orders_per_customer FROM (SELECT c.id, c.segment, COUNT(o.id) AS order_count FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.segment) per_customer GROUP BY segment ORDER BY segment`,
    what: 'Aggregate over a derived table.',
  },

  // ---------------------------------------------------------------------------------------------
  // CASE, casts, functions
  // ---------------------------------------------------------------------------------------------
  {
    id: 'case-buckets',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT size_bucket, COUNT(*) AS order_count
FROM (
  SELECT CASE
    WHEN total_amount < 100 THEN 'small'
    WHEN total_amount < 500 THEN 'medium'
    WHEN total_amount < 1000 THEN 'large'
    ELSE 'huge'
  END AS size_bucket
  FROM orders
) b
GROUP BY size_bucket
ORDER BY size_bucket`,
    what: 'Searched CASE to bucket orders by size.',
  },
  {
    id: 'case-simple-form',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT id, CASE status WHEN 'pending' THEN 'open' WHEN 'shipped' THEN 'open' ELSE 'closed' END AS lifecycle FROM orders ORDER BY id LIMIT 20`,
    what: 'Simple CASE form.',
  },
  {
    id: 'cast-standard',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT id, CAST(total_amount AS DECIMAL(12,0)) AS rounded_total, CAST(order_date AS CHAR(10)) AS order_date_text, CAST(created_at AS DATE) AS created_day FROM orders ORDER BY id LIMIT 10`,
    what: 'Standard CAST … AS to DECIMAL, CHAR and DATE.',
  },
  {
    id: 'coalesce-nullif',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT id, COALESCE(phone, 'no phone') AS phone, COALESCE(CAST(birth_date AS CHAR(10)), 'unknown') AS birth, NULLIF(city, '') AS city FROM customers ORDER BY id LIMIT 20`,
    what: 'COALESCE and NULLIF.',
  },
  {
    id: 'string-functions',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT LOWER(email) AS email_lower, CONCAT(first_name, ' ', last_name) AS full_name, UPPER(SUBSTRING(last_name, 1, 3)) AS prefix, CHAR_LENGTH(email) AS email_length, TRIM(city) AS city FROM customers WHERE email LIKE '%@%' ORDER BY id LIMIT 10`,
    what: 'LOWER, UPPER, CONCAT, SUBSTRING, CHAR_LENGTH, TRIM and LIKE.',
  },
  {
    id: 'like-patterns',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT id, name, sku FROM products WHERE name LIKE 'Lumina%' AND sku NOT LIKE 'EL-%' ORDER BY id LIMIT 25`,
    what: 'LIKE and NOT LIKE.',
  },
  {
    id: 'replace-function',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT id, sku, REPLACE(sku, '-', '') AS sku_compact FROM products ORDER BY id LIMIT 10`,
    what: 'The REPLACE() string function (not the MySQL REPLACE statement).',
  },
  {
    id: 'extract-year',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT EXTRACT(YEAR FROM order_date) AS order_year, COUNT(*) AS order_count, SUM(total_amount) AS revenue FROM orders GROUP BY EXTRACT(YEAR FROM order_date) ORDER BY order_year`,
    what: 'EXTRACT(YEAR FROM …), portable across both dialects.',
  },
  {
    id: 'current-date',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT COUNT(*) AS orders_before_today FROM orders WHERE order_date <= CURRENT_DATE`,
    what: 'CURRENT_DATE.',
  },

  // ---------------------------------------------------------------------------------------------
  // Set operations
  // ---------------------------------------------------------------------------------------------
  {
    id: 'union',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT country FROM customers UNION SELECT shipping_country FROM orders ORDER BY 1`,
    what: 'UNION removing duplicates.',
  },
  {
    id: 'union-all-counts',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT 'orders' AS source, COUNT(*) AS n FROM orders
UNION ALL SELECT 'order_items', COUNT(*) FROM order_items
UNION ALL SELECT 'payments', COUNT(*) FROM payments`,
    what: 'UNION ALL of row counts.',
  },
  {
    id: 'union-parenthesized-limits',
    dialects: ['postgres', 'mysql'],
    sql: `(SELECT id, total_amount, 'top' AS kind FROM orders ORDER BY total_amount DESC, id LIMIT 3)
UNION ALL
(SELECT id, total_amount, 'bottom' AS kind FROM orders ORDER BY total_amount ASC, id LIMIT 3)`,
    what: 'UNION ALL of parenthesized selects with their own ORDER BY / LIMIT.',
  },

  // ---------------------------------------------------------------------------------------------
  // Keywords inside literals and comments, formatting
  // ---------------------------------------------------------------------------------------------
  {
    id: 'literal-drop-and-comment-marker',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT 'DROP TABLE orders; --' AS note`,
    what: 'String literal containing DROP, a semicolon and --.',
  },
  {
    id: 'literal-write-keywords',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT 'UPDATE orders SET status = ''x''' AS a, 'INSERT INTO regions VALUES (1)' AS b, 'DELETE FROM payments; TRUNCATE orders' AS c`,
    what: 'Literals with write keywords and doubled quotes.',
  },
  {
    id: 'literal-in-where',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT COUNT(*) AS n FROM customers WHERE last_name = 'O''Brien; DROP TABLE customers; --'`,
    what: 'Injection-looking text used as a plain comparison value.',
  },
  {
    id: 'block-comment-with-delete',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT id FROM orders /* delete later; */ WHERE status = 'cancelled' ORDER BY id LIMIT 10`,
    what: 'Block comment containing DELETE and a semicolon.',
  },
  {
    id: 'trailing-line-comment',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT COUNT(*) AS n FROM orders -- drop this later`,
    what: 'Trailing -- line comment mentioning drop, no newline after it.',
  },
  {
    id: 'leading-line-comment',
    dialects: ['postgres', 'mysql'],
    sql: `-- weekly report; do not UPDATE\nSELECT status, COUNT(*) AS n FROM orders GROUP BY status ORDER BY status`,
    what: 'Leading line comment with a semicolon and UPDATE.',
  },
  {
    id: 'leading-block-comment',
    dialects: ['postgres', 'mysql'],
    sql: `/* INSERT INTO audit; DROP TABLE x */ SELECT MAX(order_date) AS latest FROM orders`,
    what: 'Leading block comment with write keywords.',
  },
  {
    id: 'comment-then-semicolon',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT id, name FROM regions ORDER BY id; -- end of query`,
    what: 'Trailing semicolon followed by a line comment.',
  },
  {
    id: 'multiline-tabs-crlf',
    dialects: ['postgres', 'mysql'],
    sql: `\r\n\tSELECT\r\n\t\tid,\r\n\t\tname\r\n\tFROM\tcategories\r\n\tWHERE\tparent_id IS NULL\r\n\tORDER BY id\r\n`,
    what: 'Tabs and CRLF line endings.',
  },
  {
    id: 'lowercase-keywords',
    dialects: ['postgres', 'mysql'],
    sql: `select c.country, count(*) as n from customers c where c.segment = 'small_business' group by c.country order by n desc, c.country limit 5`,
    what: 'Lower-case keywords.',
  },
  {
    id: 'column-named-like-keyword-values',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT id, status FROM orders WHERE status IN ('cancelled', 'returned') AND shipping_country <> 'delete' ORDER BY id LIMIT 10`,
    what: 'Data values that look like statuses and keywords.',
  },

  // ---------------------------------------------------------------------------------------------
  // Postgres only
  // ---------------------------------------------------------------------------------------------
  {
    id: 'pg-distinct-on',
    dialects: ['postgres'],
    sql: `SELECT DISTINCT ON (customer_id) customer_id, id AS order_id, order_date, total_amount FROM orders WHERE customer_id <= 100 ORDER BY customer_id, order_date DESC, id DESC`,
    what: 'Latest order per customer with DISTINCT ON.',
  },
  {
    id: 'pg-aggregate-filter',
    dialects: ['postgres'],
    sql: `SELECT shipping_country, count(*) AS total, count(*) FILTER (WHERE status = 'cancelled') AS cancelled, sum(total_amount) FILTER (WHERE status = 'delivered') AS delivered_revenue FROM orders GROUP BY shipping_country ORDER BY shipping_country`,
    what: 'Aggregate FILTER clauses.',
  },
  {
    id: 'pg-double-colon-casts',
    dialects: ['postgres'],
    sql: `SELECT id, total_amount::numeric(12,0) AS whole_amount, (total_amount * 100)::bigint AS cents, order_date::text AS order_day, created_at::date AS created_day FROM orders ORDER BY id LIMIT 10`,
    what: 'Postgres :: casts.',
  },
  {
    id: 'pg-numeric-cast-ratio',
    dialects: ['postgres'],
    sql: `SELECT status, round(count(*)::numeric / (SELECT count(*) FROM orders) * 100, 2) AS pct FROM orders GROUP BY status ORDER BY pct DESC`,
    what: '::numeric to avoid integer division.',
  },
  {
    id: 'pg-date-trunc-month',
    dialects: ['postgres'],
    sql: `SELECT date_trunc('month', order_date)::date AS month_start, count(*) AS order_count, sum(total_amount) AS revenue FROM orders GROUP BY 1 ORDER BY 1`,
    what: 'Monthly revenue with date_trunc.',
  },
  {
    id: 'pg-extract-dow',
    dialects: ['postgres'],
    sql: `SELECT extract(dow FROM order_date) AS weekday, count(*) AS order_count FROM orders GROUP BY 1 ORDER BY 1`,
    what: 'Orders per weekday with extract(dow …).',
  },
  {
    id: 'pg-interval-arithmetic',
    dialects: ['postgres'],
    sql: `SELECT count(*) AS last_90_days FROM orders WHERE order_date > DATE '2025-06-30' - INTERVAL '90 days'`,
    what: 'Date minus interval.',
  },
  {
    id: 'pg-age-function',
    dialects: ['postgres'],
    sql: `SELECT id, birth_date, date_part('year', age(DATE '2025-06-30', birth_date)) AS age_years FROM customers WHERE birth_date IS NOT NULL ORDER BY id LIMIT 20`,
    what: 'age() and date_part().',
  },
  {
    id: 'pg-to-char',
    dialects: ['postgres'],
    sql: `SELECT to_char(order_date, 'YYYY-MM') AS ym, count(*) AS n FROM orders WHERE order_date >= DATE '2025-01-01' GROUP BY 1 ORDER BY 1`,
    what: 'to_char formatting.',
  },
  {
    id: 'pg-paid-latency-interval',
    dialects: ['postgres'],
    sql: `SELECT p.method, avg(p.paid_at - o.created_at) AS avg_time_to_pay FROM payments p JOIN orders o ON o.id = p.order_id WHERE p.paid_at IS NOT NULL GROUP BY p.method ORDER BY p.method`,
    what: 'Average of timestamp differences (interval).',
  },
  {
    id: 'pg-generate-series-months',
    dialects: ['postgres'],
    sql: `SELECT m::date AS month_start, count(o.id) AS order_count
FROM generate_series(DATE '2023-07-01', DATE '2025-06-01', INTERVAL '1 month') AS m
LEFT JOIN orders o ON date_trunc('month', o.order_date) = m
GROUP BY m
ORDER BY m`,
    what: 'generate_series of months left-joined to orders (no gaps).',
  },
  {
    id: 'pg-generate-series-numbers',
    dialects: ['postgres'],
    sql: `SELECT n, n * n AS square FROM generate_series(1, 10) AS n`,
    what: 'generate_series over integers.',
  },
  {
    id: 'pg-ilike',
    dialects: ['postgres'],
    sql: `SELECT id, email FROM customers WHERE email ILIKE '%@YAHOO.%' ORDER BY id LIMIT 10`,
    what: 'Case-insensitive ILIKE.',
  },
  {
    id: 'pg-nulls-last',
    dialects: ['postgres'],
    sql: `SELECT id, first_name, birth_date FROM customers ORDER BY birth_date DESC NULLS LAST, id LIMIT 20`,
    what: 'ORDER BY … NULLS LAST.',
  },
  {
    id: 'pg-values',
    dialects: ['postgres'],
    sql: `VALUES (1, 'a'), (2, 'b')`,
    what: 'A bare VALUES statement.',
  },
  {
    id: 'pg-values-join',
    dialects: ['postgres'],
    sql: `SELECT v.status, v.label, count(o.id) AS order_count
FROM (VALUES ('pending', 'Awaiting shipment'), ('shipped', 'In transit'), ('delivered', 'Done')) AS v(status, label)
LEFT JOIN orders o ON o.status = v.status
GROUP BY v.status, v.label
ORDER BY v.status`,
    what: 'VALUES list as a lookup table.',
  },
  {
    id: 'pg-intersect',
    dialects: ['postgres'],
    sql: `SELECT country FROM customers INTERSECT SELECT shipping_country FROM orders ORDER BY 1`,
    what: 'INTERSECT.',
  },
  {
    id: 'pg-except',
    dialects: ['postgres'],
    sql: `SELECT id FROM customers EXCEPT SELECT customer_id FROM orders ORDER BY 1 LIMIT 50`,
    what: 'EXCEPT: customers without orders.',
  },
  {
    id: 'pg-double-quoted-identifiers',
    dialects: ['postgres'],
    sql: `SELECT "o"."id", "o"."total_amount" AS "Order Total" FROM "public"."orders" AS "o" WHERE "o"."status" = 'shipped' ORDER BY "o"."id" LIMIT 5`,
    what: 'Double-quoted identifiers and a quoted alias with a space.',
  },
  {
    id: 'pg-schema-qualified-public',
    dialects: ['postgres'],
    sql: `SELECT c.name, count(p.id) AS products FROM public.categories c LEFT JOIN public.products p ON p.category_id = c.id GROUP BY c.id, c.name ORDER BY products DESC, c.id LIMIT 10`,
    what: 'public.-qualified table names.',
  },
  {
    id: 'pg-string-agg',
    dialects: ['postgres'],
    sql: `SELECT category_id, string_agg(name, ', ' ORDER BY name) AS product_names FROM products WHERE category_id BETWEEN 7 AND 11 GROUP BY category_id ORDER BY category_id`,
    what: 'string_agg with ORDER BY inside the aggregate.',
  },
  {
    id: 'pg-concat-operator',
    dialects: ['postgres'],
    sql: `SELECT first_name || ' ' || last_name AS full_name, upper(left(country, 3)) AS cc FROM customers ORDER BY id LIMIT 10`,
    what: 'The || concatenation operator.',
  },
  {
    id: 'pg-recursive-category-path',
    dialects: ['postgres'],
    sql: `WITH RECURSIVE tree AS (
  SELECT id, name, parent_id, name::text AS path, 1 AS depth FROM categories WHERE parent_id IS NULL
  UNION ALL
  SELECT c.id, c.name, c.parent_id, t.path || ' > ' || c.name, t.depth + 1 FROM categories c JOIN tree t ON c.parent_id = t.id
)
SELECT id, path, depth FROM tree ORDER BY path`,
    what: 'Recursive CTE building a breadcrumb path.',
  },
  {
    id: 'pg-lateral-top-items',
    dialects: ['postgres'],
    sql: `SELECT o.id AS order_id, li.product_id, li.unit_price
FROM orders o
CROSS JOIN LATERAL (
  SELECT oi.product_id, oi.unit_price FROM order_items oi WHERE oi.order_id = o.id ORDER BY oi.unit_price DESC LIMIT 2
) li
WHERE o.id <= 20
ORDER BY o.id, li.unit_price DESC`,
    what: 'LATERAL subquery: two most expensive lines of each of a few orders.',
  },
  {
    id: 'pg-percentile',
    dialects: ['postgres'],
    sql: `SELECT status, percentile_cont(0.5) WITHIN GROUP (ORDER BY total_amount) AS median_amount FROM orders GROUP BY status ORDER BY status`,
    what: 'Ordered-set aggregate percentile_cont.',
  },
  {
    id: 'pg-rollup',
    dialects: ['postgres'],
    sql: `SELECT r.continent, r.country, count(c.id) AS customers FROM regions r JOIN customers c ON c.region_id = r.id GROUP BY ROLLUP (r.continent, r.country) ORDER BY r.continent NULLS LAST, r.country NULLS LAST`,
    what: 'GROUP BY ROLLUP with subtotals.',
  },
  {
    id: 'pg-bool-aggregates',
    dialects: ['postgres'],
    sql: `SELECT category_id, bool_and(is_active) AS all_active, bool_or(is_active) AS any_active FROM products GROUP BY category_id ORDER BY category_id`,
    what: 'bool_and / bool_or over a boolean column.',
  },
  {
    id: 'pg-range-frame-interval',
    dialects: ['postgres'],
    sql: `WITH daily AS (SELECT order_date, sum(total_amount) AS day_total FROM orders GROUP BY order_date)
SELECT order_date, day_total, sum(day_total) OVER (ORDER BY order_date RANGE BETWEEN INTERVAL '6 days' PRECEDING AND CURRENT ROW) AS week_total
FROM daily ORDER BY order_date LIMIT 30`,
    what: 'RANGE frame with an interval offset.',
  },
  {
    id: 'pg-named-window',
    dialects: ['postgres'],
    sql: `SELECT id, customer_id, total_amount, row_number() OVER w AS rn, lag(total_amount) OVER w AS prev_amount FROM orders WHERE customer_id <= 10 WINDOW w AS (PARTITION BY customer_id ORDER BY order_date, id) ORDER BY customer_id, rn`,
    what: 'Named WINDOW clause shared by two window functions.',
  },
  {
    id: 'pg-dollar-quoted-literal',
    dialects: ['postgres'],
    sql: `SELECT $$DROP TABLE orders; DELETE FROM payments$$ AS note`,
    what: 'Dollar-quoted literal with write keywords and a semicolon.',
  },
  {
    id: 'pg-nested-block-comment',
    dialects: ['postgres'],
    sql: `SELECT count(*) AS n /* outer /* inner; DROP TABLE orders */ still a comment; */ FROM payments`,
    what: 'Nested block comments (Postgres) containing a semicolon and DROP.',
  },
  {
    id: 'pg-analytics-sales-summary-quarterly',
    dialects: ['postgres'],
    sql: `SELECT date_trunc('quarter', summary_month)::date AS quarter, sum(orders_count) AS orders, sum(revenue) AS revenue FROM analytics.sales_summary GROUP BY 1 ORDER BY 1`,
    what: 'Quarterly totals from analytics.sales_summary.',
  },
  {
    id: 'pg-analytics-join-public',
    dialects: ['postgres'],
    sql: `SELECT r.name AS region, cat.name AS category, sum(s.revenue) AS revenue
FROM analytics.sales_summary s
JOIN public.regions r ON r.id = s.region_id
JOIN public.categories cat ON cat.id = s.category_id
WHERE s.summary_month >= DATE '2025-01-01'
GROUP BY r.name, cat.name
ORDER BY revenue DESC
LIMIT 10`,
    what: 'Join across the analytics and public schemas.',
  },
  {
    id: 'pg-analytics-view',
    dialects: ['postgres'],
    sql: `SELECT country, sum(order_count) AS orders, count(*) AS customers FROM analytics.customer_order_counts GROUP BY country ORDER BY orders DESC, country`,
    what: 'Read from the analytics.customer_order_counts view.',
  },
  {
    id: 'pg-analytics-user-behavior-conversion',
    dialects: ['postgres'],
    sql: `SELECT device, count(*) AS days, round(avg(CASE WHEN converted THEN 1 ELSE 0 END) * 100, 2) AS conversion_pct, sum(page_views) AS page_views FROM analytics.user_behavior GROUP BY device ORDER BY device`,
    what: 'Conversion rate per device from analytics.user_behavior.',
  },

  // ---------------------------------------------------------------------------------------------
  // MySQL / MariaDB only
  // ---------------------------------------------------------------------------------------------
  {
    id: 'my-date-format-month',
    dialects: ['mysql'],
    sql: `SELECT DATE_FORMAT(order_date, '%Y-%m') AS order_month, COUNT(*) AS order_count, SUM(total_amount) AS revenue FROM orders GROUP BY DATE_FORMAT(order_date, '%Y-%m') ORDER BY order_month`,
    what: 'Monthly revenue with DATE_FORMAT.',
  },
  {
    id: 'my-year-month-functions',
    dialects: ['mysql'],
    sql: `SELECT YEAR(order_date) AS order_year, MONTH(order_date) AS order_month, COUNT(*) AS order_count FROM orders GROUP BY YEAR(order_date), MONTH(order_date) ORDER BY order_year, order_month`,
    what: 'YEAR() and MONTH().',
  },
  {
    id: 'my-date-sub-interval',
    dialects: ['mysql'],
    sql: `SELECT COUNT(*) AS last_90_days FROM orders WHERE order_date > DATE_SUB(DATE '2025-06-30', INTERVAL 90 DAY)`,
    what: 'DATE_SUB with INTERVAL.',
  },
  {
    id: 'my-interval-arithmetic',
    dialects: ['mysql'],
    sql: `SELECT id, order_date, order_date + INTERVAL 30 DAY AS due_date, DATE_ADD(order_date, INTERVAL 1 MONTH) AS follow_up FROM orders ORDER BY id LIMIT 10`,
    what: 'Date + INTERVAL and DATE_ADD.',
  },
  {
    id: 'my-timestampdiff',
    dialects: ['mysql'],
    sql: `SELECT p.method, AVG(TIMESTAMPDIFF(MINUTE, o.created_at, p.paid_at)) AS avg_minutes_to_pay FROM payments p JOIN orders o ON o.id = p.order_id WHERE p.paid_at IS NOT NULL GROUP BY p.method ORDER BY p.method`,
    what: 'TIMESTAMPDIFF between two timestamps.',
  },
  {
    id: 'my-datediff-last-day',
    dialects: ['mysql'],
    sql: `SELECT id, order_date, LAST_DAY(order_date) AS month_end, DATEDIFF(LAST_DAY(order_date), order_date) AS days_left_in_month FROM orders ORDER BY id LIMIT 10`,
    what: 'LAST_DAY and DATEDIFF.',
  },
  {
    id: 'my-backtick-identifiers',
    dialects: ['mysql'],
    sql: "SELECT `o`.`id`, `o`.`total_amount` AS `Order Total` FROM `orders` AS `o` WHERE `o`.`status` = 'shipped' ORDER BY `o`.`id` LIMIT 5",
    what: 'Backtick-quoted identifiers and an alias with a space.',
  },
  {
    id: 'my-group-concat',
    dialects: ['mysql'],
    sql: `SELECT category_id, GROUP_CONCAT(name ORDER BY name SEPARATOR ', ') AS product_names FROM products WHERE category_id BETWEEN 7 AND 11 GROUP BY category_id ORDER BY category_id`,
    what: 'GROUP_CONCAT with ORDER BY and SEPARATOR.',
  },
  {
    id: 'my-ifnull-if',
    dialects: ['mysql'],
    sql: `SELECT id, IFNULL(phone, 'n/a') AS phone, IF(birth_date IS NULL, 'unknown', 'known') AS birth_date_state FROM customers ORDER BY id LIMIT 20`,
    what: 'IFNULL and IF.',
  },
  {
    id: 'my-cast-signed-char',
    dialects: ['mysql'],
    sql: `SELECT id, CAST(total_amount AS SIGNED) AS whole_amount, CAST(id AS CHAR) AS id_text, CONCAT('#', CAST(id AS CHAR)) AS label FROM orders ORDER BY id LIMIT 10`,
    what: 'CAST AS SIGNED and CAST AS CHAR.',
  },
  {
    id: 'my-nulls-last-emulation',
    dialects: ['mysql'],
    sql: `SELECT id, first_name, birth_date FROM customers ORDER BY birth_date IS NULL, birth_date DESC, id LIMIT 20`,
    what: 'NULLS LAST emulated with ORDER BY col IS NULL.',
  },
  {
    id: 'my-with-rollup',
    dialects: ['mysql'],
    sql: `SELECT r.continent, COUNT(c.id) AS customers FROM regions r JOIN customers c ON c.region_id = r.id GROUP BY r.continent WITH ROLLUP`,
    what: 'GROUP BY … WITH ROLLUP.',
  },
  {
    id: 'my-hash-comment',
    dialects: ['mysql'],
    sql: `SELECT COUNT(*) AS n FROM orders # drop table later`,
    what: 'Trailing # comment mentioning drop.',
  },
  {
    id: 'my-select-union-instead-of-values',
    dialects: ['mysql'],
    sql: `SELECT 1 AS id, 'a' AS label UNION ALL SELECT 2, 'b'`,
    what: 'Inline rows built with SELECT … UNION ALL (portable replacement for VALUES).',
  },
  {
    id: 'my-derived-lookup-join',
    dialects: ['mysql'],
    sql: `SELECT v.status, v.label, COUNT(o.id) AS order_count
FROM (SELECT 'pending' AS status, 'Awaiting shipment' AS label UNION ALL SELECT 'shipped', 'In transit' UNION ALL SELECT 'delivered', 'Done') v
LEFT JOIN orders o ON o.status = v.status
GROUP BY v.status, v.label
ORDER BY v.status`,
    what: 'Lookup table from a UNION ALL derived table.',
  },
  {
    id: 'my-limit-comma',
    dialects: ['mysql'],
    sql: `SELECT id, email FROM customers ORDER BY id LIMIT 20, 10`,
    what: 'MySQL LIMIT offset, count.',
  },
  {
    id: 'my-recursive-category-path',
    dialects: ['mysql'],
    sql: `WITH RECURSIVE tree AS (
  SELECT id, parent_id, CAST(name AS CHAR(1000)) AS path, 1 AS depth FROM categories WHERE parent_id IS NULL
  UNION ALL
  SELECT c.id, c.parent_id, CONCAT(t.path, ' > ', c.name), t.depth + 1 FROM categories c JOIN tree t ON c.parent_id = t.id
)
SELECT id, path, depth FROM tree ORDER BY path`,
    what: 'Recursive CTE breadcrumb path (CAST widens the column for the recursive part).',
  },
  {
    id: 'my-concat-ws-locate',
    dialects: ['mysql'],
    sql: `SELECT id, CONCAT_WS(' ', first_name, last_name) AS full_name, SUBSTRING(email, LOCATE('@', email) + 1) AS email_domain FROM customers ORDER BY id LIMIT 10`,
    what: 'CONCAT_WS and LOCATE.',
  },
  {
    id: 'my-div-operator',
    dialects: ['mysql'],
    sql: `SELECT total_amount DIV 500 AS bucket, COUNT(*) AS order_count FROM orders GROUP BY total_amount DIV 500 ORDER BY bucket`,
    what: 'Integer division with DIV.',
  },
];
