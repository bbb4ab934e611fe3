import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const folder = path.resolve(import.meta.dirname, '../../prompts/agent/db_agent');

/**
 * What the shipped `agent/db_agent` serves under each label, read from `prompts/agent/db_agent/labels.yaml`
 * as the local prompt store reads it. Tests that check "the answer names the version its label serves" take
 * the number from here, so promoting a new version (`sqlagent prompts promote`, which rewrites that file)
 * does not mean editing every such test. Tests of the store itself still state the numbers they expect.
 */
export const shippedLabels: Readonly<Record<'production' | 'staging' | 'variant_a' | 'variant_b', number>> = (() => {
  const labels = (parse(readFileSync(path.join(folder, 'labels.yaml'), 'utf8')) as { labels: Record<string, number> }).labels;
  for (const label of ['production', 'staging', 'variant_a', 'variant_b'])
    if (!Number.isInteger(labels[label])) throw new Error(`prompts/agent/db_agent/labels.yaml has no ${label} label`);
  return labels as Record<'production' | 'staging' | 'variant_a' | 'variant_b', number>;
})();
