import { createHash } from 'node:crypto';
import { PromptNotFoundError } from '../errors/index.ts';
import type { PromptStore } from './prompt-store.ts';
import { latestLabel, type PromptVersion } from './prompt-version.ts';

export interface SyncReport {
  name: string;
  /** Source version → target version. */
  versions: Record<number, number>;
  /** Target versions created by this sync. */
  created: number[];
  /** Label → target version, as set. */
  labels: Record<string, number>;
}

const canonical = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(canonical)
    : value && typeof value === 'object'
      ? Object.fromEntries(Object.entries(value).sort(([left], [right]) => left.localeCompare(right)).map(([key, child]) => [key, canonical(child)]))
      : value;

const contentKey = (version: PromptVersion) => createHash('sha256').update(version.template).update('\u0000').update(JSON.stringify(canonical(version.config))).digest('hex');

/**
 * Copies prompts from one store to another (`prompts push`: local → Langfuse; `pull`: Langfuse → local).
 * Versions are matched by content (template and config), so a sync is idempotent and never duplicates a
 * version; missing ones are created in order, then every label is pointed where the source points it.
 */
export async function syncPrompts(from: PromptStore, to: PromptStore, names?: string[]): Promise<SyncReport[]> {
  const summaries = await from.list();
  const selected = names?.length ? summaries.filter((summary) => names.includes(summary.name)) : summaries;
  for (const name of names ?? []) {
    if (!summaries.some((summary) => summary.name === name)) throw new PromptNotFoundError(`Prompt "${name}" is not in the ${from.kind} store.`, { prompt: name });
  }
  const reports: SyncReport[] = [];
  for (const summary of selected) {
    const existing = await to.versions(summary.name).catch((error) => {
      if (error instanceof PromptNotFoundError) return [] as PromptVersion[];
      throw error;
    });
    const byContent = new Map<string, number>();
    for (const version of existing) if (!byContent.has(contentKey(version))) byContent.set(contentKey(version), version.version);
    const report: SyncReport = { name: summary.name, versions: {}, created: [], labels: {} };
    for (const version of await from.versions(summary.name)) {
      let target = byContent.get(contentKey(version));
      if (target === undefined) {
        const message = version.commitMessage ?? `copied from ${from.kind} v${version.version}`;
        target = (await to.createVersion(summary.name, version.template, version.config, message)).version;
        byContent.set(contentKey(version), target);
        report.created.push(target);
      }
      report.versions[version.version] = target;
    }
    for (const [label, version] of Object.entries(summary.labels)) {
      if (label === latestLabel) continue;
      const target = report.versions[version];
      await to.setLabel(summary.name, label, target);
      report.labels[label] = target;
    }
    reports.push(report);
  }
  return reports;
}
