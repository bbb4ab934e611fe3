import { z } from 'zod';
import { labelPattern } from './prompt-version.ts';

/** An experiment on one prompt: an A/B test (`{variant_a: 50, variant_b: 50}`) or a gray release (`{production: 90, staging: 10}`). */
export const experimentSchema = z
  .object({
    /** Stable id: part of the assignment hash, so changing it reshuffles users. */
    id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
    prompt: z.string().min(1),
    /** Label → relative weight. Weights need not sum to 100. */
    weights: z
      .record(z.string().regex(labelPattern, 'a label uses lower-case letters, digits, _ and -'), z.number().min(0))
      .refine((weights) => Object.values(weights).some((weight) => weight > 0), 'at least one weight must be positive'),
    /** Only active experiments route traffic. Default true. */
    active: z.boolean().default(true),
  })
  .strict();
export type Experiment = z.infer<typeof experimentSchema>;
