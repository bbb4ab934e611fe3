import { dictionary, parseDictionaries } from './dictionary.ts';
import { readFile, writeFile, mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import type { LangfuseClient } from '@langfuse/client';
import { InvalidInputError, PromptNotFoundError, PromptStoreUnavailableError, PromptTemplateError } from '../errors/index.ts';
import { routeLangfuseLogs, type Logger } from '../logging/index.ts';
import { checkTemplateSyntax } from './compile-prompt.ts';
import type { PromptStore } from './prompt-store.ts';
import {
  type LabelHistory,
  assertPromptName,
  assertSettableLabel,
  defaultLabel,
  describeConfigIssues,
  promptConfigSchema,
  type PromptConfig,
  type PromptSelector,
  type PromptSummary,
  type PromptVersion,
} from './prompt-version.ts';

export interface LangfusePromptStoreOptions {
  publicKey: string;
  secretKey: string;
  baseUrl: string;
  /**
   * The SDK cache TTL. A fresh entry is served from memory; a stale one is served at once while a refresh
   * runs in the background; a failed refresh keeps the stale one. Default 60.
   */
  cacheTtlSeconds: number;
  /** Timeout of one request to Langfuse. */
  timeoutMs: number;
  /**
   * After a failed or timed-out prompt fetch, for this long prompts are served at once from the last good
   * copy (or the fallback) without asking Langfuse, so a Langfuse that hangs costs one timeout, not one per
   * request. Default 30 000 ms; 0 turns the breaker off.
   */
  breakerCooldownMs?: number;
  /** The clock of the breaker. */
  now?: () => number;
  /** Served (marked `isFallback`) when Langfuse cannot be reached and nothing is cached. */
  fallback: PromptStore | null;
  /** Where label moves made through this service are remembered, so `rollback` knows where to go. */
  historyFile: string;
  logger: Logger;
}

interface TextPrompt {
  name: string;
  version: number;
  prompt: string;
  config: unknown;
  labels: string[];
  commitMessage?: string | null;
}

const statusOf = (error: unknown): number | undefined => (error as { statusCode?: number })?.statusCode;

/**
 * Prompts in Langfuse, through `@langfuse/client` 5.x: reads with `prompt.get` (its cache and
 * stale-while-revalidate), writes with `prompt.create` and `prompt.update`. The template text is rendered
 * by our nunjucks compiler, not Langfuse's `compile`, which only substitutes `{{var}}`.
 */
export class LangfusePromptStore implements PromptStore {
  readonly kind = 'langfuse' as const;
  private connecting: Promise<LangfuseClient> | null = null;
  private readonly refreshNext = new Set<string>();
  /** How many times the local fallback was served; exported as a metric later. */
  fallbackCount = 0;
  /** Until when (clock ms) prompt fetches skip Langfuse; 0 while the breaker is closed. */
  private breakerOpenUntil = 0;
  /** The last version each selector got from Langfuse, served while the breaker is open. */
  private readonly lastGood = new Map<string, PromptVersion>();

  constructor(private readonly options: LangfusePromptStoreOptions) {}

  /** The SDK client, loaded on first use (the SDK stays unloaded for commands that never read prompts). */
  private client(): Promise<LangfuseClient> {
    this.connecting ??= import('@langfuse/client').then(async ({ LangfuseClient }) => {
      await routeLangfuseLogs(this.options.logger);
      return new LangfuseClient({ publicKey: this.options.publicKey, secretKey: this.options.secretKey, baseUrl: this.options.baseUrl });
    });
    return this.connecting;
  }

  async get(name: string, selector: PromptSelector = {}): Promise<PromptVersion> {
    assertPromptName(name);
    const request = {
      version: selector.version,
      label: selector.version === undefined ? (selector.label ?? defaultLabel) : undefined,
      type: 'text' as const,
      maxRetries: 1,
      fetchTimeoutMs: this.options.timeoutMs,
    };
    const key = JSON.stringify([name, request.version ?? null, request.label ?? null]);
    const now = (this.options.now ?? Date.now)();
    if (now < this.breakerOpenUntil) {
      const kept = this.lastGood.get(key);
      if (kept) return kept;
      return this.serveFallback(name, selector, new Error(`Langfuse failed recently; not asked again before ${new Date(this.breakerOpenUntil).toISOString()}`));
    }
    // After invalidate(), one read goes to the server; if that fails, the cache (even stale) still serves.
    if (this.refreshNext.has(name)) {
      try {
        const fresh = await (await this.client()).prompt.get(name, { ...request, cacheTtlSeconds: 0 });
        this.refreshNext.delete(name);
        return this.remember(key, this.toPromptVersion(fresh as unknown as TextPrompt));
      } catch (error) {
        if (statusOf(error) === 404) throw this.notFound(name, selector);
      }
    }
    try {
      const prompt = await (await this.client()).prompt.get(name, { ...request, cacheTtlSeconds: this.options.cacheTtlSeconds });
      return this.remember(key, this.toPromptVersion(prompt as unknown as TextPrompt));
    } catch (error) {
      if (statusOf(error) === 404) throw this.notFound(name, selector);
      if (error instanceof PromptTemplateError) throw error;
      this.openBreaker(error);
      return this.serveFallback(name, selector, error);
    }
  }

  /** Whether prompt fetches currently skip Langfuse (after a failure, for `breakerCooldownMs`). */
  get breakerOpen(): boolean {
    return (this.options.now ?? Date.now)() < this.breakerOpenUntil;
  }

  private remember(key: string, version: PromptVersion): PromptVersion {
    this.breakerOpenUntil = 0;
    this.lastGood.set(key, version);
    return version;
  }

  private openBreaker(cause: unknown): void {
    const cooldownMs = this.options.breakerCooldownMs ?? 30_000;
    if (cooldownMs <= 0) return;
    this.breakerOpenUntil = (this.options.now ?? Date.now)() + cooldownMs;
    this.options.logger.warn('Langfuse prompt fetch failed; serving kept or local prompts without asking it for a while', {
      cooldownMs,
      error: String((cause as Error)?.message ?? cause),
    });
  }

  async list(): Promise<PromptSummary[]> {
    const summaries: PromptSummary[] = [];
    try {
      for (let page = 1; ; page += 1) {
        const result = await (await this.client()).api.prompts.list({ page, limit: 100 });
        for (const item of result.data) {
          const labels: Record<string, number> = {};
          for (const label of item.labels) {
            const version = await (await this.client()).api.prompts.get(item.name, { label });
            labels[label] = version.version;
          }
          summaries.push({ name: item.name, versions: [...item.versions].sort((a, b) => a - b), labels });
        }
        if (page >= (result.meta.totalPages ?? 1)) break;
      }
    } catch (error) {
      throw this.unavailable(error);
    }
    return summaries.sort((left, right) => left.name.localeCompare(right.name));
  }

  async versions(name: string): Promise<PromptVersion[]> {
    assertPromptName(name);
    try {
      const listing = await (await this.client()).api.prompts.list({ name, limit: 100 });
      const item = listing.data.find((entry) => entry.name === name);
      if (!item) throw this.notFound(name, {});
      const versions: PromptVersion[] = [];
      for (const version of [...item.versions].sort((a, b) => a - b)) {
        versions.push(this.toPromptVersion((await (await this.client()).api.prompts.get(name, { version })) as unknown as TextPrompt));
      }
      return versions;
    } catch (error) {
      if (error instanceof PromptNotFoundError || error instanceof PromptTemplateError) throw error;
      throw this.unavailable(error);
    }
  }

  async createVersion(name: string, template: string, config: PromptConfig, commitMessage: string): Promise<PromptVersion> {
    assertPromptName(name);
    const parsed = promptConfigSchema.safeParse(config);
    if (!parsed.success) throw new InvalidInputError(`The config of the new version is invalid: ${describeConfigIssues(parsed.error)}`, { field: 'config' });
    checkTemplateSyntax(name, 'new', template);
    try {
      const created = await (await this.client()).prompt.create({ name, prompt: template, config: parsed.data, commitMessage, labels: [], type: 'text' });
      this.invalidate(name);
      return this.toPromptVersion(created as unknown as TextPrompt);
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  async setLabel(name: string, label: string, version: number): Promise<void> {
    assertPromptName(name);
    assertSettableLabel(label);
    const current = await this.labelledVersion(name, label);
    try {
      await (await this.client()).prompt.update({ name, version, newLabels: [label] });
    } catch (error) {
      if (statusOf(error) === 404) throw new PromptNotFoundError(`Prompt "${name}" has no version ${version} in Langfuse.`, { prompt: name, version });
      throw this.unavailable(error);
    }
    const history = await this.readHistory();
    const stack = ((history[name] ??= dictionary())[label] ??= current === null ? [] : [current]);
    if (stack[stack.length - 1] !== version) stack.push(version);
    await this.writeHistory(history);
    this.invalidate(name);
  }

  async labelHistory(name: string): Promise<LabelHistory> {
    const history = (await this.readHistory())[name] ?? {};
    return Object.fromEntries(Object.entries(history).map(([label, versions]) => [label, versions.map((version) => ({ version, at: null }))]));
  }

  async rollback(name: string, label: string): Promise<number> {
    assertSettableLabel(label);
    const history = await this.readHistory();
    const stack = history[name]?.[label] ?? [];
    if (stack.length < 2) {
      throw new PromptNotFoundError(`Label "${label}" of prompt "${name}" has no earlier version recorded by this service (label moves made in the Langfuse UI are not recorded); promote a version explicitly.`, { prompt: name, label });
    }
    stack.pop();
    const previous = stack[stack.length - 1];
    try {
      await (await this.client()).prompt.update({ name, version: previous, newLabels: [label] });
    } catch (error) {
      throw this.unavailable(error);
    }
    await this.writeHistory(history);
    this.invalidate(name);
    return previous;
  }

  invalidate(name: string): void {
    this.refreshNext.add(name);
  }

  private async labelledVersion(name: string, label: string): Promise<number | null> {
    try {
      return (await (await this.client()).api.prompts.get(name, { label })).version;
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw this.unavailable(error);
    }
  }

  private async serveFallback(name: string, selector: PromptSelector, cause: unknown): Promise<PromptVersion> {
    if (!this.options.fallback) throw this.unavailable(cause);
    const local = await this.options.fallback.get(name, selector);
    this.fallbackCount += 1;
    this.options.logger.warn('Langfuse unreachable and nothing cached; serving the local prompt as a fallback', { prompt: name, version: local.version, label: selector.label ?? null, error: String((cause as Error)?.message ?? cause) });
    return { ...local, isFallback: true };
  }

  private toPromptVersion(prompt: TextPrompt): PromptVersion {
    const config = promptConfigSchema.safeParse(prompt.config ?? {});
    if (!config.success) throw new PromptTemplateError(`Prompt "${prompt.name}" v${prompt.version} in Langfuse has an invalid config: ${describeConfigIssues(config.error)}`, { prompt: prompt.name, version: prompt.version });
    return { name: prompt.name, version: prompt.version, labels: [...prompt.labels].sort(), template: prompt.prompt, config: config.data, commitMessage: prompt.commitMessage ?? null, createdAt: null, source: 'langfuse', isFallback: false };
  }

  private notFound(name: string, selector: PromptSelector): PromptNotFoundError {
    const what = selector.version !== undefined ? `version ${selector.version}` : `label "${selector.label ?? defaultLabel}"`;
    return new PromptNotFoundError(`Langfuse has no prompt "${name}" with ${what}.`, { prompt: name, ...selector });
  }

  private unavailable(error: unknown): PromptStoreUnavailableError {
    return new PromptStoreUnavailableError(`Langfuse at ${this.options.baseUrl} cannot be reached or refused the request: ${String((error as Error)?.message ?? error)}`, { status: statusOf(error) ?? null }, { cause: error });
  }

  private async readHistory(): Promise<Record<string, Record<string, number[]>>> {
    return readFile(this.options.historyFile, 'utf8').then(
      (text) => parseDictionaries(text) as Record<string, Record<string, number[]>>,
      () => dictionary(),
    );
  }

  private async writeHistory(history: Record<string, Record<string, number[]>>): Promise<void> {
    await mkdir(path.dirname(this.options.historyFile), { recursive: true });
    const temporary = `${this.options.historyFile}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(history, null, 2));
    await rename(temporary, this.options.historyFile);
  }
}
