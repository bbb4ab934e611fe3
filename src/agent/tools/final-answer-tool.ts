import { z } from 'zod';
import type { AgentTool } from './agent-tool.ts';

/** The model's structured final answer. */
export const finalAnswerSchema = z
  .object({
    sql: z.string().min(1).describe('The final read-only SQL statement that answers the question.'),
    answer: z.string().min(1).describe('A short answer in plain language, built from the result rows.'),
    explanation: z.string().optional().describe('One or two sentences on how the SQL answers the question.'),
  })
  .strict();
export type FinalAnswer = z.infer<typeof finalAnswerSchema>;

/** The final_answer tool: ends the loop once its SQL has run through the guard (the loop checks it). */
export const finalAnswerTool: AgentTool<FinalAnswer> = {
  name: 'final_answer',
  description:
    'Give the final answer: the SQL that answers the question, a short answer, and an explanation. The SQL is executed again to produce the rows.',
  input: finalAnswerSchema,
  run: async () => ({ content: { ok: true }, summary: 'final answer' }),
};
