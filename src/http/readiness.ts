import type { App } from '../app.ts';
import { withoutHosts } from './error-mapping.ts';

/** One dependency's readiness. */
export interface ReadinessCheck {
  ready: boolean;
  /** What it is doing or why it is not ready, for an operator. */
  detail: string;
}

/** The answer of `/readyz`. */
export interface Readiness {
  status: 'ready' | 'not_ready' | 'draining';
  checks: Record<string, ReadinessCheck>;
}

const checkTimeoutMs = 2000;

/** `work`'s check, or not ready once `checkTimeoutMs` passes (a readiness probe must answer quickly). */
async function bounded(work: () => Promise<ReadinessCheck>): Promise<ReadinessCheck> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<ReadinessCheck>((resolve) => {
    timer = setTimeout(() => resolve({ ready: false, detail: `no answer within ${checkTimeoutMs} ms` }), checkTimeoutMs);
  });
  try {
    return await Promise.race([
      work().catch((error: unknown) => ({ ready: false, detail: withoutHosts(error instanceof Error ? error.message : String(error)) })),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether this instance should get traffic: every configured datasource open and answering (one that was
 * never opened starts opening now, so a cold instance warms up by being probed; an embedded fixture that
 * is still loading says so), the app database open when traces are stored locally, the prompt store
 * readable, and the model configured (the offline model always is). Each check takes at most 2 s.
 */
export async function checkReadiness(app: App, draining: boolean): Promise<Readiness> {
  if (draining)
    return { status: 'draining', checks: { accepting: { ready: false, detail: 'shutting down: finishing requests in flight' } } };
  const checks: Record<string, Promise<ReadinessCheck>> = {};
  for (const { id } of app.datasources.list()) {
    checks[`datasource:${id}`] = bounded(async () => {
      const { state, error } = app.datasources.openState(id);
      if (state === 'closed' || state === 'failed') {
        // Open it in the background; the next probe sees how that went.
        app.datasources.get(id).catch(() => undefined);
        return state === 'failed'
          ? { ready: false, detail: `its last open failed (${withoutHosts(error ?? 'unknown error')}); opening it again` }
          : { ready: false, detail: 'opening (an embedded fixture loads on first open)' };
      }
      if (state === 'opening') return { ready: false, detail: 'opening (an embedded fixture may still be loading)' };
      const datasource = await app.datasources.get(id);
      await datasource.driver.withSession((session) => session.query('SELECT 1'), { timeoutMs: checkTimeoutMs });
      return { ready: true, detail: 'open and answering' };
    });
  }
  if (app.config.tracing.localStore)
    checks.appDatabase = bounded(async () => {
      await app.traceStore();
      return { ready: true, detail: 'open' };
    });
  checks.prompts = bounded(async () => {
    const version = await app.prompts.store.get('agent/db_agent');
    return {
      ready: true,
      detail: `${app.prompts.store.kind} store: agent/db_agent v${version.version}${version.isFallback ? ' (local fallback)' : ''}`,
    };
  });
  checks.model = Promise.resolve({
    ready: true,
    detail:
      app.config.llm.provider === 'offline' || !app.config.llm.apiKey
        ? 'the offline model'
        : `an OpenAI-compatible model${app.config.llm.baseUrl ? ' at a custom endpoint' : ''}`,
  });
  const settled = Object.fromEntries(await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await check] as const)));
  return { status: Object.values(settled).every((check) => check.ready) ? 'ready' : 'not_ready', checks: settled };
}
