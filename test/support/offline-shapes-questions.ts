import type { QuestionCase } from './offline-question-runner.ts';

// The offline model's shapes set (issue 16): written on 2026-12-07 from the fixture definitions
// (fixtures/shop/shop-tables.ts, fixtures/clinic/clinic-tables.ts, the generators for which values exist) and
// knowledge/*.yaml, before any planner change for it. Two shapes the planner declined most: a comparison with a
// number whose column is not named but implied by a unit or a word (money, age, a duration, units, a percentage,
// a total per entity), and a column named as something to show next to a list ("with their email", "and what
// city", "each department's floor"); plus a few of both with joins, groups and periods. The gold returns exactly
// the columns the question asks for (people as first and last name, other things by name); ages are compared on
// the birth date against the fixtures' today (2025-07-01), so that the gold runs on Postgres and MariaDB alike:
// "older than N" is a whole age above N, i.e. born on or before today minus N + 1 years. Null where declining
// is right: a number that fits two columns, a currency the data is not in, a column no table has.

export const shapesQuestions: QuestionCase[] = [
  // shop: a number compared with a column the question does not name
  {
    datasource: 'shop',
    shape: 'money word, count',
    question: 'how many orders over 100 dollars',
    gold: 'SELECT COUNT(*) FROM orders WHERE total_amount > 100',
  },
  {
    datasource: 'shop',
    shape: 'dollar sign, "under"',
    question: 'How many orders came in under $50?',
    gold: 'SELECT COUNT(*) FROM orders WHERE total_amount < 50',
  },
  {
    datasource: 'shop',
    shape: 'money verb "cost", list',
    question: 'which products cost more than $1500',
    gold: 'SELECT name FROM products WHERE price > 1500',
  },
  {
    datasource: 'shop',
    shape: 'money slang, "cheaper than"',
    question: 'list products cheaper than 10 bucks',
    gold: 'SELECT name FROM products WHERE price < 10',
  },
  {
    datasource: 'shop',
    shape: 'money with a thousands comma',
    question: 'how many payments were for more than $2,000?',
    gold: 'SELECT COUNT(*) FROM payments WHERE amount > 2000',
  },
  {
    datasource: 'shop',
    shape: 'money participle "priced"',
    question: 'How many products are priced above 300?',
    gold: 'SELECT COUNT(*) FROM products WHERE price > 300',
  },
  {
    datasource: 'shop',
    shape: 'total per entity, list',
    question: 'customers who spent over 10000 in total',
    gold: 'SELECT c.first_name, c.last_name FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.first_name, c.last_name HAVING SUM(o.total_amount) > 10000',
  },
  {
    datasource: 'shop',
    shape: 'total per entity, counted, "5k"',
    question: 'how many customers have spent more than $5k overall',
    gold: 'SELECT COUNT(*) FROM (SELECT customer_id FROM orders GROUP BY customer_id HAVING SUM(total_amount) > 5000) t',
  },
  {
    datasource: 'shop',
    shape: 'percentage against a fraction column',
    question: 'how many order lines had a discount above 10%',
    gold: 'SELECT COUNT(*) FROM order_items WHERE discount > 0.10',
  },
  {
    datasource: 'shop',
    shape: 'percentage "% off"',
    question: 'How many order lines got more than 5% off?',
    gold: 'SELECT COUNT(*) FROM order_items WHERE discount > 0.05',
  },
  {
    datasource: 'shop',
    shape: 'units',
    question: 'how many order lines with at least 5 units',
    gold: 'SELECT COUNT(*) FROM order_items WHERE quantity >= 5',
  },
  {
    datasource: 'shop',
    shape: 'age, "older than"',
    question: 'How many customers are older than 60?',
    gold: "SELECT COUNT(*) FROM customers WHERE birth_date <= '1964-07-01'",
  },
  {
    datasource: 'shop',
    shape: 'age, "younger than", typo',
    question: 'count the custmers younger than 25',
    gold: "SELECT COUNT(*) FROM customers WHERE birth_date > '2000-07-01'",
  },
  {
    datasource: 'shop',
    shape: 'margin in percent, derived',
    question: 'how many products have a margin over 60%',
    gold: 'SELECT COUNT(*) FROM products WHERE (price - cost) / price > 0.6',
  },
  {
    datasource: 'shop',
    shape: 'days between two timestamps',
    question: 'how many payments were received more than 3 days after the order was placed',
    gold: "SELECT COUNT(*) FROM payments p JOIN orders o ON o.id = p.order_id WHERE p.paid_at > o.created_at + INTERVAL '3' DAY",
  },
  {
    datasource: 'shop',
    shape: 'decline: a currency the data is not in',
    question: 'how many orders were worth more than 1000 euros',
    gold: null,
  },
  {
    datasource: 'shop',
    shape: 'decline: a number that fits price and cost',
    question: 'how many products are over 50',
    gold: null,
  },
  // shop: a column named as something to show
  {
    datasource: 'shop',
    shape: 'list with "with their"',
    question: 'list the customers in Munich with their email',
    gold: "SELECT first_name, last_name, email FROM customers WHERE city = 'Munich'",
  },
  {
    datasource: 'shop',
    shape: 'list with "and their", two values',
    question: 'show me corporate customers from Japan and their phone numbers',
    gold: "SELECT first_name, last_name, phone FROM customers WHERE segment = 'corporate' AND country = 'Japan'",
  },
  {
    datasource: 'shop',
    shape: '"name and price of", joined value',
    question: 'give me the name and price of the products in the Cycling category',
    gold: "SELECT p.name, p.price FROM products p JOIN categories c ON c.id = p.category_id WHERE c.name = 'Cycling'",
  },
  {
    datasource: 'shop',
    shape: 'glossary condition, "and what was their"',
    question: 'Which products are discontinued, and what was their price?',
    gold: 'SELECT name, price FROM products WHERE is_active = FALSE',
  },
  {
    datasource: 'shop',
    shape: '"along with"',
    question: 'list all regions along with their country',
    gold: 'SELECT name, country FROM regions',
  },
  {
    datasource: 'shop',
    shape: 'possessive "each region\'s"',
    question: "Show each region's continent",
    gold: 'SELECT name, continent FROM regions',
  },
  {
    datasource: 'shop',
    shape: 'only the column, "what are the emails of"',
    question: 'what are the emails of the customers in Toronto?',
    gold: "SELECT email FROM customers WHERE city = 'Toronto'",
  },
  {
    datasource: 'shop',
    shape: 'joined value, "with their", no verb',
    question: 'skincare products with their sku',
    gold: "SELECT p.name, p.sku FROM products p JOIN categories c ON c.id = p.category_id WHERE c.name = 'Skincare'",
  },
  {
    datasource: 'shop',
    shape: '"and when did they"',
    question: 'customers in Vincennes and when did they sign up',
    gold: "SELECT first_name, last_name, signup_date FROM customers WHERE city = 'Vincennes'",
  },
  {
    datasource: 'shop',
    shape: 'value of a joined table, glossary value, "with their city"',
    question: 'list small business customers in Bavaria with their city',
    gold: "SELECT c.first_name, c.last_name, c.city FROM customers c JOIN regions r ON r.id = c.region_id WHERE r.name = 'Bavaria' AND c.segment = 'small_business'",
  },
  {
    datasource: 'shop',
    shape: '"names and birth dates"',
    question: 'show customer names and birth dates for customers living in Kyoto',
    gold: "SELECT first_name, last_name, birth_date FROM customers WHERE city = 'Kyoto'",
  },
  {
    datasource: 'shop',
    shape: 'missing value and a column to show',
    question: "which customers in Tokyo have no phone number, and what's their email",
    gold: "SELECT first_name, last_name, email FROM customers WHERE city = 'Tokyo' AND phone IS NULL",
  },
  // shop: mixed with joins, groups and periods
  {
    datasource: 'shop',
    shape: 'money and a year',
    question: 'How many orders over $1,000 were placed in 2024?',
    gold: "SELECT COUNT(*) FROM orders WHERE total_amount > 1000 AND order_date >= '2024-01-01' AND order_date < '2025-01-01'",
  },
  {
    datasource: 'shop',
    shape: 'money, grouped',
    question: 'number of orders above 200 dollars per shipping country',
    gold: 'SELECT shipping_country, COUNT(*) FROM orders WHERE total_amount > 200 GROUP BY shipping_country',
  },
  {
    datasource: 'shop',
    shape: 'total per entity with a value',
    question: 'which customers in Germany spent more than 3000 dollars in total',
    gold: "SELECT c.first_name, c.last_name FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.country = 'Germany' GROUP BY c.id, c.first_name, c.last_name HAVING SUM(o.total_amount) > 3000",
  },
  {
    datasource: 'shop',
    shape: 'average under a money bound, joined value',
    question: 'average price of Audio products under $100',
    gold: "SELECT AVG(p.price) FROM products p JOIN categories c ON c.id = p.category_id WHERE c.name = 'Audio' AND p.price < 100",
  },
  {
    datasource: 'shop',
    shape: 'money, value and last year',
    question: 'how many orders over 500 dollars were cancelled last year',
    gold: "SELECT COUNT(*) FROM orders WHERE total_amount > 500 AND status = 'cancelled' AND order_date >= '2024-01-01' AND order_date < '2025-01-01'",
  },
  {
    datasource: 'shop',
    shape: 'money, grouped by a glossary column',
    question: 'payments over $1000 by payment method, how many of each',
    gold: 'SELECT method, COUNT(*) FROM payments WHERE amount > 1000 GROUP BY method',
  },

  // clinic: a number compared with a column the question does not name
  {
    datasource: 'clinic',
    shape: 'age, "older than"',
    question: 'how many patients are older than 60',
    gold: "SELECT COUNT(*) FROM patients WHERE birth_date <= '1964-07-01'",
  },
  {
    datasource: 'clinic',
    shape: 'age, "aged over", list',
    question: 'list the patients aged over 90',
    gold: "SELECT first_name, last_name FROM patients WHERE birth_date <= '1934-07-01'",
  },
  {
    datasource: 'clinic',
    shape: 'age "under" and a value',
    question: 'How many patients under 18 live in Cambridge?',
    gold: "SELECT COUNT(*) FROM patients WHERE birth_date > '2007-07-01' AND city = 'Cambridge'",
  },
  {
    datasource: 'clinic',
    shape: 'age "N years old or older"',
    question: 'number of patients who are 65 years old or older',
    gold: "SELECT COUNT(*) FROM patients WHERE birth_date <= '1960-07-01'",
  },
  {
    datasource: 'clinic',
    shape: 'duration in minutes',
    question: 'how many appointments were longer than 30 minutes?',
    gold: 'SELECT COUNT(*) FROM appointments WHERE duration_minutes > 30',
  },
  {
    datasource: 'clinic',
    shape: 'duration in hours',
    question: 'How many appointments last an hour or more?',
    gold: 'SELECT COUNT(*) FROM appointments WHERE duration_minutes >= 60',
  },
  {
    datasource: 'clinic',
    shape: 'duration "shorter than", abbreviated unit',
    question: 'how many appts were shorter than 20 min',
    gold: 'SELECT COUNT(*) FROM appointments WHERE duration_minutes < 20',
  },
  {
    datasource: 'clinic',
    shape: 'money verb "cost", list',
    question: 'which meds cost more than $40',
    gold: 'SELECT name FROM medications WHERE unit_price > 40',
  },
  {
    datasource: 'clinic',
    shape: 'money "a dollar"',
    question: 'list medications under a dollar',
    gold: 'SELECT name FROM medications WHERE unit_price < 1',
  },
  {
    datasource: 'clinic',
    shape: 'money verb "billed"',
    question: 'how many visits were billed under $50',
    gold: 'SELECT COUNT(*) FROM appointments WHERE fee < 50',
  },
  {
    datasource: 'clinic',
    shape: 'money verb "earn", "500k"',
    question: 'how many doctors earn more than 500k',
    gold: 'SELECT COUNT(*) FROM doctors WHERE salary > 500000',
  },
  {
    datasource: 'clinic',
    shape: 'money verb "making", list',
    question: 'doctors making under $230,000 a year',
    gold: 'SELECT first_name, last_name FROM doctors WHERE salary < 230000',
  },
  {
    datasource: 'clinic',
    shape: 'duration in days',
    question: 'how many prescriptions are for longer than 30 days',
    gold: 'SELECT COUNT(*) FROM prescriptions WHERE days > 30',
  },
  {
    datasource: 'clinic',
    shape: 'total per entity, list',
    question: 'which patients were billed more than 2000 dollars in total',
    gold: 'SELECT p.first_name, p.last_name FROM patients p JOIN appointments a ON a.patient_id = p.id GROUP BY p.id, p.first_name, p.last_name HAVING SUM(a.fee) > 2000',
  },
  {
    datasource: 'clinic',
    shape: 'total per entity, "13k"',
    question: 'doctors who billed over 13k in total',
    gold: 'SELECT d.first_name, d.last_name FROM doctors d JOIN appointments a ON a.doctor_id = d.id GROUP BY d.id, d.first_name, d.last_name HAVING SUM(a.fee) > 13000',
  },
  {
    datasource: 'clinic',
    shape: 'decline: a number that fits minutes and dollars',
    question: 'how many appointments over 30',
    gold: null,
  },
  {
    datasource: 'clinic',
    shape: 'decline: a number of nothing',
    question: 'which doctors have more than 20',
    gold: null,
  },
  // clinic: a column named as something to show
  {
    datasource: 'clinic',
    shape: 'glossary condition, "what city do they live in"',
    question: 'which patients have no insurance, and what city do they live in',
    gold: 'SELECT first_name, last_name, city FROM patients WHERE insurance_provider IS NULL',
  },
  {
    datasource: 'clinic',
    shape: 'joined value, "with their"',
    question: 'list the cardiology doctors with their specialty',
    gold: "SELECT doc.first_name, doc.last_name, doc.specialty FROM doctors doc JOIN departments d ON d.id = doc.department_id WHERE d.name = 'Cardiology'",
  },
  {
    datasource: 'clinic',
    shape: 'possessive "each department\'s"',
    question: "show each department's floor",
    gold: 'SELECT name, floor FROM departments',
  },
  {
    datasource: 'clinic',
    shape: '"and the building they\'re in"',
    question: "departments and the building they're in",
    gold: 'SELECT name, building FROM departments',
  },
  {
    datasource: 'clinic',
    shape: 'slang, "and their salaries"',
    question: 'give me the neurology docs and their salaries',
    gold: "SELECT doc.first_name, doc.last_name, doc.salary FROM doctors doc JOIN departments d ON d.id = doc.department_id WHERE d.name = 'Neurology'",
  },
  {
    datasource: 'clinic',
    shape: 'boolean, "along with their"',
    question: 'medications that need a prescription along with their unit price',
    gold: 'SELECT name, unit_price FROM medications WHERE requires_prescription = TRUE',
  },
  {
    datasource: 'clinic',
    shape: 'two values, "with their birth date"',
    question: 'list Medicare patients in Quincy with their birth date',
    gold: "SELECT first_name, last_name, birth_date FROM patients WHERE insurance_provider = 'Medicare' AND city = 'Quincy'",
  },
  {
    datasource: 'clinic',
    shape: 'glossary column, "and their hire dates"',
    question: 'doctors in Pediatrics and their hire dates',
    gold: "SELECT doc.first_name, doc.last_name, doc.hired_on FROM doctors doc JOIN departments d ON d.id = doc.department_id WHERE d.name = 'Pediatrics'",
  },
  {
    datasource: 'clinic',
    shape: 'glossary condition, "with prices"',
    question: 'list the over-the-counter meds with prices',
    gold: 'SELECT name, unit_price FROM medications WHERE requires_prescription = FALSE',
  },
  {
    datasource: 'clinic',
    shape: 'glossary column "insurer"',
    question: 'list patients from Milton with their insurer',
    gold: "SELECT first_name, last_name, insurance_provider FROM patients WHERE city = 'Milton'",
  },
  {
    datasource: 'clinic',
    shape: 'two columns, "with their salary and hire date"',
    question: 'dermatology doctors, with their salary and hire date',
    gold: "SELECT doc.first_name, doc.last_name, doc.salary, doc.hired_on FROM doctors doc JOIN departments d ON d.id = doc.department_id WHERE d.name = 'Dermatology'",
  },
  {
    datasource: 'clinic',
    shape: 'decline: a column no table has',
    question: "show each doctor's name and phone",
    gold: null,
  },
  // clinic: mixed with joins, groups and periods
  {
    datasource: 'clinic',
    shape: 'duration, grouped by a joined table',
    question: 'how many appointments longer than 30 minutes did each department have',
    gold: 'SELECT d.name, COUNT(*) FROM appointments a JOIN doctors doc ON doc.id = a.doctor_id JOIN departments d ON d.id = doc.department_id WHERE a.duration_minutes > 30 GROUP BY d.id, d.name',
  },
  {
    datasource: 'clinic',
    shape: 'average under a duration bound',
    question: 'average fee for visits longer than 45 minutes',
    gold: 'SELECT AVG(fee) FROM appointments WHERE duration_minutes > 45',
  },
  {
    datasource: 'clinic',
    shape: 'age and related rows in a year',
    question: 'how many patients over 70 had an appointment in 2024',
    gold: "SELECT COUNT(DISTINCT p.id) FROM patients p JOIN appointments a ON a.patient_id = p.id WHERE p.birth_date <= '1954-07-01' AND a.scheduled_at >= '2024-01-01' AND a.scheduled_at < '2025-01-01'",
  },
  {
    datasource: 'clinic',
    shape: 'money, value and a half year',
    question: 'how many completed visits over $200 were there in the first half of 2025',
    gold: "SELECT COUNT(*) FROM appointments WHERE status = 'completed' AND fee > 200 AND scheduled_at >= '2025-01-01' AND scheduled_at < '2025-07-01'",
  },
  {
    datasource: 'clinic',
    shape: 'duration, joined value and last month',
    question: 'how many Cardiology appointments longer than 45 minutes were there last month',
    gold: "SELECT COUNT(*) FROM appointments a JOIN doctors doc ON doc.id = a.doctor_id JOIN departments d ON d.id = doc.department_id WHERE d.name = 'Cardiology' AND a.duration_minutes > 45 AND a.scheduled_at >= '2025-06-01' AND a.scheduled_at < '2025-07-01'",
  },
];
