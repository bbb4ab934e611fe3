import type { QuestionCase } from './offline-question-runner.ts';

// The offline model's picked-rows set (issue 16), written on 2026-12-08 from the fixture definitions beside the
// planner's rules for it (so it checks the rules on both engines; it measures nothing held out): rows that belong to
// the rows a superlative picks ("the customer who spent the most", "the 3 most expensive products", "the country
// with the most customers"), one row named by its key ("customer 42"), rows said to be over an amount, lists of rows
// with related rows (in a period, in each of two years), and two columns compared ("a different country than the
// customer's country"), rows above the average of their group ("the average salary of their department"), and a
// measure's share of its total per group. The gold
// breaks ties by key (or by the value), as a ranking that names one row must; null where declining is right.

export const pickedQuestions: QuestionCase[] = [
  {
    datasource: 'shop',
    shape: 'count, the row a relative clause picks',
    question: 'How many orders were placed by the customer who spent the most?',
    gold: 'SELECT COUNT(*) FROM orders WHERE customer_id = (SELECT customer_id FROM orders GROUP BY customer_id ORDER BY SUM(total_amount) DESC, customer_id LIMIT 1)',
  },
  {
    datasource: 'shop',
    shape: 'count, the value of a column "with the most"',
    question: 'How many customers live in the country with the most customers?',
    gold: 'SELECT COUNT(*) FROM customers WHERE country = (SELECT country FROM customers GROUP BY country ORDER BY COUNT(*) DESC, country LIMIT 1)',
  },
  {
    datasource: 'shop',
    shape: 'count, the row "with the most"',
    question: 'How many products are in the category with the most products?',
    gold: 'SELECT COUNT(*) FROM products WHERE category_id = (SELECT category_id FROM products GROUP BY category_id ORDER BY COUNT(*) DESC, category_id LIMIT 1)',
  },
  {
    datasource: 'shop',
    shape: 'sum, the top N rows before their noun',
    question: 'What is the total revenue of the 3 most expensive products?',
    gold: 'SELECT SUM(oi.quantity * oi.unit_price * (1 - oi.discount)) FROM order_items oi WHERE oi.product_id IN (SELECT id FROM (SELECT id FROM products ORDER BY price DESC, id LIMIT 3) AS top_products)',
  },
  {
    datasource: 'shop',
    shape: 'count, "largest" of rows with one amount',
    question: 'How many payments were made for the largest order?',
    gold: 'SELECT COUNT(*) FROM payments WHERE order_id = (SELECT id FROM orders ORDER BY total_amount DESC, id LIMIT 1)',
  },
  {
    datasource: 'shop',
    shape: 'count, top N "by" a measure',
    question: 'How many orders were placed by the top 5 customers by total spent?',
    gold: 'SELECT COUNT(*) FROM orders WHERE customer_id IN (SELECT customer_id FROM (SELECT customer_id FROM orders GROUP BY customer_id ORDER BY SUM(total_amount) DESC, customer_id LIMIT 5) AS top_customers)',
  },
  {
    datasource: 'shop',
    shape: 'count, one row by its key',
    question: 'How many orders did customer 42 place?',
    gold: 'SELECT COUNT(*) FROM orders WHERE customer_id = 42',
  },
  {
    datasource: 'shop',
    shape: 'column of one row by its key',
    question: 'What is the email of customer number 7?',
    gold: 'SELECT email FROM customers WHERE id = 7',
  },
  {
    datasource: 'shop',
    shape: 'rows "over" an amount, with a status',
    question: 'How many orders over 1000 were cancelled?',
    gold: "SELECT COUNT(*) FROM orders WHERE status = 'cancelled' AND total_amount > 1000",
  },
  {
    datasource: 'shop',
    shape: 'comparison with the picked row (declined)',
    question: 'How many products are cheaper than the most expensive product?',
    gold: null,
  },
  {
    datasource: 'clinic',
    shape: 'count, the row a superlative adjective picks',
    question: 'How many prescriptions were written for the most expensive medication?',
    gold: 'SELECT COUNT(*) FROM prescriptions WHERE medication_id = (SELECT id FROM medications ORDER BY unit_price DESC, id LIMIT 1)',
  },
  {
    datasource: 'clinic',
    shape: 'count, the row "with the highest" column',
    question: 'How many appointments did the doctor with the highest salary have?',
    gold: 'SELECT COUNT(*) FROM appointments WHERE doctor_id = (SELECT id FROM doctors ORDER BY salary DESC, id LIMIT 1)',
  },
  {
    datasource: 'clinic',
    shape: 'count, the row with the most related rows two joins away',
    question: 'How many doctors work in the department with the most appointments?',
    gold: 'SELECT COUNT(*) FROM doctors WHERE department_id = (SELECT d.department_id FROM appointments a JOIN doctors d ON a.doctor_id = d.id GROUP BY d.department_id ORDER BY COUNT(*) DESC, d.department_id LIMIT 1)',
  },
  {
    datasource: 'clinic',
    shape: 'count, "the most recently hired"',
    question: 'How many appointments did the most recently hired doctor have?',
    gold: 'SELECT COUNT(*) FROM appointments WHERE doctor_id = (SELECT id FROM doctors ORDER BY hired_on DESC, id LIMIT 1)',
  },
  {
    datasource: 'clinic',
    shape: 'count two joins away, "the oldest"',
    question: 'How many diagnoses were recorded for the oldest patient?',
    gold: 'SELECT COUNT(*) FROM diagnoses dg JOIN appointments a ON dg.appointment_id = a.id WHERE a.patient_id = (SELECT id FROM patients ORDER BY birth_date, id LIMIT 1)',
  },
  {
    datasource: 'clinic',
    shape: 'count, one row by its key',
    question: 'How many appointments did patient 17 have?',
    gold: 'SELECT COUNT(*) FROM appointments WHERE patient_id = 17',
  },
  {
    datasource: 'clinic',
    shape: 'count, the value of a column "with the most"',
    question: 'How many patients live in the city with the most patients?',
    gold: 'SELECT COUNT(*) FROM patients WHERE city = (SELECT city FROM patients GROUP BY city ORDER BY COUNT(*) DESC, city LIMIT 1)',
  },
  {
    datasource: 'clinic',
    shape: 'comparison with the picked row (declined)',
    question: 'How many doctors earn more than the doctor with the highest salary?',
    gold: null,
  },
  {
    datasource: 'shop',
    shape: 'list of rows with related rows in a period',
    question: 'Which customers placed a cancelled order in March 2025?',
    gold: "SELECT first_name, last_name FROM customers WHERE id IN (SELECT customer_id FROM orders WHERE status = 'cancelled' AND order_date >= '2025-03-01' AND order_date < '2025-04-01')",
  },
  {
    datasource: 'shop',
    shape: 'count of rows with related rows in each of two years',
    question: 'How many customers placed orders in both 2023 and 2024?',
    gold: "SELECT COUNT(*) FROM customers WHERE id IN (SELECT customer_id FROM orders WHERE order_date >= '2023-01-01' AND order_date < '2024-01-01') AND id IN (SELECT customer_id FROM orders WHERE order_date >= '2024-01-01' AND order_date < '2025-01-01')",
  },
  {
    datasource: 'shop',
    shape: 'two columns compared, "a different … than the …\'s …"',
    question: "How many orders were shipped to a different country than the customer's country?",
    gold: 'SELECT COUNT(*) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.shipping_country <> c.country',
  },
  {
    datasource: 'clinic',
    shape: 'list of rows with related rows two tables away',
    question: 'Which doctors wrote a prescription in June 2025?',
    gold: "SELECT first_name, last_name FROM doctors WHERE id IN (SELECT a.doctor_id FROM appointments a JOIN prescriptions p ON p.appointment_id = a.id WHERE a.scheduled_at >= '2025-06-01' AND a.scheduled_at < '2025-07-01')",
  },
  {
    datasource: 'clinic',
    shape: 'above the average of their group',
    question: 'Which doctors have a salary above the average salary of their department?',
    gold: 'SELECT d.first_name, d.last_name FROM doctors d WHERE d.salary > (SELECT AVG(d2.salary) FROM doctors d2 WHERE d2.department_id = d.department_id)',
  },
  {
    datasource: 'shop',
    shape: 'count above the average of their group',
    question: 'How many products are priced higher than the average for their category?',
    gold: 'SELECT COUNT(*) FROM products p WHERE p.price > (SELECT AVG(p2.price) FROM products p2 WHERE p2.category_id = p.category_id)',
  },
  {
    datasource: 'shop',
    shape: "a measure's share of its total per group",
    question: 'What is the share of revenue by continent?',
    gold: 'SELECT r.continent, 100.0 * SUM(oi.quantity * oi.unit_price * (1 - oi.discount)) / SUM(SUM(oi.quantity * oi.unit_price * (1 - oi.discount))) OVER () FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN customers c ON c.id = o.customer_id JOIN regions r ON r.id = c.region_id GROUP BY r.continent',
  },
];
