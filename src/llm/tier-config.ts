import { z } from 'zod';

/** One cascade tier in config: a model, and optionally its own endpoint, key and limits. */
export const tierConfigSchema = z
  .object({
    /** Shown in results and traces; default: the model id. */
    name: z.string().min(1).optional(),
    /** Default: `llm.provider`. */
    provider: z.enum(['openai', 'offline']).optional(),
    /** Default: the prompt version's `config.model` (first tier), else `gpt-4o-mini`. */
    model: z.string().min(1).optional(),
    apiKey: z.string().min(1).optional(),
    baseUrl: z.string().url().optional(),
    organization: z.string().min(1).optional(),
    /** Model turns for this tier; default `agent.maxSteps`. */
    maxSteps: z.number().int().min(1).max(50).optional(),
  })
  .strict();
export type TierConfig = z.infer<typeof tierConfigSchema>;
