import path from 'node:path';
import type { Logger } from '../logging/index.ts';
import { LangfusePromptStore } from './langfuse-prompt-store.ts';
import { LocalPromptStore } from './local-prompt-store.ts';
import type { PromptStore } from './prompt-store.ts';

export interface PromptStoreSettings {
  source: 'local' | 'langfuse';
  directory: string;
  reloadIntervalMs: number;
  cacheTtlSeconds: number;
  dataDir: string;
  langfuse: { publicKey?: string; secretKey?: string; baseUrl: string; timeoutMs: number; breakerCooldownMs?: number };
}

/** The local store over the prompts folder. */
export function createLocalPromptStore(settings: Pick<PromptStoreSettings, 'directory' | 'reloadIntervalMs'>): LocalPromptStore {
  return new LocalPromptStore({ directory: settings.directory, reloadIntervalMs: settings.reloadIntervalMs });
}

/** The Langfuse store, with the local files as its fallback. Needs both keys. */
export function createLangfusePromptStore(settings: PromptStoreSettings, logger: Logger): LangfusePromptStore {
  const { publicKey, secretKey, baseUrl, timeoutMs, breakerCooldownMs } = settings.langfuse;
  if (!publicKey || !secretKey) throw new Error('Langfuse needs LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY.');
  return new LangfusePromptStore({
    publicKey,
    secretKey,
    baseUrl,
    timeoutMs,
    breakerCooldownMs,
    cacheTtlSeconds: settings.cacheTtlSeconds,
    fallback: createLocalPromptStore(settings),
    historyFile: path.join(settings.dataDir, 'langfuse-label-history.json'),
    logger,
  });
}

/** The store the config chooses. */
export function createPromptStore(settings: PromptStoreSettings, logger: Logger): PromptStore {
  return settings.source === 'langfuse' ? createLangfusePromptStore(settings, logger) : createLocalPromptStore(settings);
}
