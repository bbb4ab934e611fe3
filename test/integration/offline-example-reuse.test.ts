import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AskResult } from '../../src/agent/index.ts';
import { AgentFailedError } from '../../src/errors/index.ts';
import { KnowledgeService } from '../../src/knowledge/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { dialectTargets } from '../support/dialects.ts';
import { offlineAgent, openOfflineFixtures, type OfflineFixtures } from '../support/offline-fixtures.ts';
import { matchesGold } from '../support/result-match.ts';

// Verified examples of a knowledge file of this test's own (written to a temporary directory, not
// knowledge/*.yaml), about the shop fixture as fixtures/ defines it, and questions of its own that differ
// from them in a value, a year, a month, a period or a number: the offline model reuses the example with
// the slot filled, says which example it used, and gets the gold rows; a question whose meaning words
// differ from the example's does not reuse it.

const examples = [
  {
    id: 'customers-in-a-city',
    question: 'How many customers live in the city of Munich?',
    sql: "SELECT COUNT(*) AS customers FROM customers WHERE city = 'Munich'",
  },
  {
    id: 'cancelled-orders-in-a-year',
    question: 'How many orders had the status cancelled in 2024?',
    sql: "SELECT COUNT(*) AS orders FROM orders WHERE status = 'cancelled' AND order_date >= '2024-01-01' AND order_date < '2025-01-01'",
  },
  {
    id: 'top-products-by-units',
    question: 'Which 3 products sold the most units?',
    sql: 'SELECT p.name, SUM(oi.quantity) AS units FROM order_items oi JOIN products p ON p.id = oi.product_id GROUP BY p.id, p.name ORDER BY units DESC, p.name LIMIT 3',
  },
  {
    id: 'customers-with-many-orders',
    question: 'Which customers placed more than 12 orders?',
    sql: 'SELECT c.first_name, c.last_name, COUNT(*) AS orders FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.first_name, c.last_name HAVING COUNT(*) > 12',
  },
  {
    id: 'orders-in-a-month',
    question: 'What is the total amount of orders placed in March 2024?',
    sql: "SELECT SUM(total_amount) AS total FROM orders WHERE order_date >= '2024-03-01' AND order_date < '2024-04-01'",
  },
  {
    id: 'orders-last-month',
    question: 'How many orders were shipped to France last month?',
    sql: "SELECT COUNT(*) AS orders FROM orders WHERE shipping_country = 'France' AND order_date >= '2025-06-01' AND order_date < '2025-07-01'",
  },
];

const knowledgeFile = [
  'examples:',
  ...examples.flatMap((example) => [
    `  - id: ${example.id}`,
    `    question: ${JSON.stringify(example.question)}`,
    `    sql: ${JSON.stringify(example.sql)}`,
    '    status: verified',
  ]),
  '',
].join('\n');

/** Questions that reuse an example with other slot values, and the gold SQL for each. */
const reused: Array<{ question: string; example: string; gold: string; ordered?: boolean }> = [
  {
    question: 'How many customers live in the city of White Plains?',
    example: 'customers-in-a-city',
    gold: "SELECT COUNT(*) FROM customers WHERE city = 'White Plains'",
  },
  {
    question: 'How many customers live in the city of Sao Paulo?',
    example: 'customers-in-a-city',
    gold: "SELECT COUNT(*) FROM customers WHERE city = 'São Paulo'",
  },
  {
    question: 'how many customers live in the city of osaka?',
    example: 'customers-in-a-city',
    gold: "SELECT COUNT(*) FROM customers WHERE city = 'Osaka'",
  },
  {
    question: 'How many orders had the status returned in 2023?',
    example: 'cancelled-orders-in-a-year',
    gold: "SELECT COUNT(*) FROM orders WHERE status = 'returned' AND order_date >= '2023-01-01' AND order_date < '2024-01-01'",
  },
  {
    question: 'Which seven products sold the most units?',
    example: 'top-products-by-units',
    gold: 'SELECT p.name, SUM(oi.quantity) AS units FROM order_items oi JOIN products p ON p.id = oi.product_id GROUP BY p.id, p.name ORDER BY units DESC, p.name LIMIT 7',
    ordered: true,
  },
  {
    question: 'Which customers placed more than 15 orders?',
    example: 'customers-with-many-orders',
    gold: 'SELECT c.first_name, c.last_name, COUNT(*) FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.first_name, c.last_name HAVING COUNT(*) > 15',
  },
  {
    question: 'What is the total amount of orders placed in November 2024?',
    example: 'orders-in-a-month',
    gold: "SELECT SUM(total_amount) FROM orders WHERE order_date >= '2024-11-01' AND order_date < '2024-12-01'",
  },
  {
    question: 'How many orders were shipped to Japan last year?',
    example: 'orders-last-month',
    gold: "SELECT COUNT(*) FROM orders WHERE shipping_country = 'Japan' AND order_date >= '2024-01-01' AND order_date < '2025-01-01'",
  },
];

/** Questions close to an example whose meaning words differ: the example must not be used. */
const notReused = [
  'How many orders did not have the status cancelled in 2024?',
  'Which customers placed fewer than 12 orders?',
  'Which 3 products sold the fewest units?',
  'What is the average amount of orders placed in March 2024?',
  'Which customers live in the city of Munich?',
];

for (const target of dialectTargets()) {
  describe.skipIf(target.skipReason !== null)(`the offline model reusing verified examples, on ${target.name}`, () => {
    let fixtures: OfflineFixtures;
    let directory: string;
    let knowledge: KnowledgeService;
    const ask = (question: string) =>
      offlineAgent(fixtures.registry, knowledge)
        .ask({ datasource: 'shop', question })
        .catch((error: unknown) => {
          if (error instanceof AgentFailedError) return error;
          throw error;
        });

    beforeAll(async () => {
      directory = await mkdtemp(path.join(tmpdir(), 'sqlagent-examples-'));
      await writeFile(path.join(directory, 'shop.yaml'), knowledgeFile);
      knowledge = new KnowledgeService({ directory, logger: createLogger('error') });
      fixtures = await openOfflineFixtures(target);
    });
    afterAll(async () => {
      await fixtures?.close();
      await rm(directory, { recursive: true, force: true });
    });

    it.each(reused)('answers "$question" from the example $example, with the gold rows', async ({ question, example, gold, ordered }) => {
      const result = await ask(question);
      expect(result).not.toBeInstanceOf(AgentFailedError);
      const answer = result as AskResult;
      expect(answer.verifiedExample).toMatchObject({ id: example });
      expect(matchesGold(answer.rows, await fixtures.goldRows('shop', gold), ordered ?? false)).toBe(true);
    });

    it.each(notReused)('does not build "%s" from an example whose meaning differs', async (question) => {
      const result = await ask(question);
      if (!(result instanceof AgentFailedError)) expect(result.verifiedExample).toBeNull();
    });
  });
}
