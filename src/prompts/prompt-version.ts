import { z } from 'zod';
import { InvalidInputError } from '../errors/index.ts';

/** Labels with a meaning in this service. Any other label matching `labelPattern` may be used too. */
export const knownLabels = ['production', 'staging', 'latest', 'variant_a', 'variant_b'] as const;

/** `latest` always means the highest version; no store lets anyone set it. */
export const latestLabel = 'latest';

/** Served when a caller names neither a label nor a version. */
export const defaultLabel = 'production';

export const labelPattern = /^[a-z][a-z0-9_-]{0,35}$/;

/** Prompt names may contain `/` (`agent/db_agent`); each segment is lower-case letters, digits, `_`, `-`. */
export const promptNamePattern = /^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*$/;

/** A question/SQL pair a prompt version can show the model. */
export const promptExampleSchema = z
  .object({
    question: z.string().min(1),
    sql: z.string().min(1),
    /** Show the example only for this datasource (templates filter on it); absent means every datasource. */
    datasource: z.string().optional(),
  })
  .strict();
export type PromptExample = z.infer<typeof promptExampleSchema>;

/**
 * A version's config: model parameters the agent honours, plus free JSON (kept as is) for anything else.
 * Validated whenever a version is read or written, whatever the store.
 */
export const promptConfigSchema = z
  .object({
    /** Preferred model id, for example `gpt-4o-mini`. */
    model: z.string().min(1).optional(),
    temperature: z.number().min(0).max(2).optional(),
    topP: z.number().gt(0).max(1).optional(),
    maxTokens: z.number().int().positive().optional(),
    /** Question/SQL pairs handed to the template as `examples`. */
    examples: z.array(promptExampleSchema).optional(),
  })
  .catchall(z.unknown());
export type PromptConfig = z.infer<typeof promptConfigSchema>;

/** One version of one prompt, as any store returns it. */
export interface PromptVersion {
  name: string;
  version: number;
  /** Labels on this version, including `latest` on the highest one. */
  labels: string[];
  /** The nunjucks (Jinja2 syntax) template text. */
  template: string;
  config: PromptConfig;
  commitMessage: string | null;
  createdAt: string | null;
  source: 'local' | 'langfuse';
  /** True when the configured store could not serve it and a local copy stood in. */
  isFallback: boolean;
}

/** How a caller picks a version: a version number beats a label; neither means `production`. */
export interface PromptSelector {
  label?: string;
  version?: number;
}

/** Per label, its moves on record: the version and when (null when not known), oldest first. */
export type LabelHistory = Record<string, Array<{ version: number; at: string | null }>>;

/** One prompt name with its versions and where each label points. */
export interface PromptSummary {
  name: string;
  versions: number[];
  labels: Record<string, number>;
}

/** Throws `InvalidInputError` unless `name` is a valid prompt name (which also rules out path tricks). */
export function assertPromptName(name: string): void {
  if (!promptNamePattern.test(name)) {
    throw new InvalidInputError(`Invalid prompt name "${name}": use lower-case segments of letters, digits, _ and -, separated by /.`, { field: 'name' });
  }
}

/** Throws `InvalidInputError` unless `label` may be set by hand (`latest` never can). */
export function assertSettableLabel(label: string): void {
  if (label === latestLabel) throw new InvalidInputError('The label "latest" always points at the highest version and cannot be set.', { field: 'label' });
  if (!labelPattern.test(label)) throw new InvalidInputError(`Invalid label "${label}": use lower-case letters, digits, _ and -.`, { field: 'label' });
}

/** The config's problems as one line, for error messages. */
export function describeConfigIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}
