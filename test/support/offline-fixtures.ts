import path from 'node:path';
import { DbAgent } from '../../src/agent/index.ts';
import { defaultModelPrices, singleModelTiers } from '../../src/llm/index.ts';
import { OfflineChatModel } from '../../src/llm/offline/index.ts';
import type { KnowledgeService } from '../../src/knowledge/index.ts';
import { DatasourceRegistry, datasourceConfigSchema } from '../../src/datasource/index.ts';
import { LocalPromptStore, PromptService } from '../../src/prompts/index.ts';
import type { DialectTarget, LocatedTarget } from './dialects.ts';

/** The fixtures' own today, which the prompts and the datasources are given. */
export const fixtureToday = '2025-07-01';

/** The local prompt store of the repository, and a service on it (production label, the fixtures' today). */
export const offlinePromptStore = new LocalPromptStore({ directory: path.resolve(import.meta.dirname, '../../prompts') });
export const offlinePrompts = new PromptService(offlinePromptStore, { experiments: [], defaultLabel: 'production', today: fixtureToday });

/** The agent limits the offline model's end-to-end tests run under. */
export const offlineAgentLimits = {
  maxSteps: 8,
  // As the service runs by default (`agent.parallelToolCalls`).
  parallelToolCalls: true,
  maxQuestionChars: 2000,
  maxToolOutputChars: 8000,
  maxTotalTokens: 60_000,
  rowsShownToModel: 20,
  defaultRowLimit: 100,
};

/** An agent on the offline model over the fixtures' registry, with the production prompts and a knowledge service. */
export function offlineAgent(registry: DatasourceRegistry, knowledge: KnowledgeService): DbAgent {
  return new DbAgent({
    datasources: registry,
    prompts: offlinePrompts,
    tiers: singleModelTiers(() => new OfflineChatModel()),
    limits: offlineAgentLimits,
    prices: defaultModelPrices,
    knowledge: { service: knowledge, examplesPerQuestion: 3 },
  });
}

/** The shop and clinic fixtures of one engine, behind a registry, with a way to run a gold query. */
export interface OfflineFixtures {
  registry: DatasourceRegistry;
  /** The rows of a hand-written query (on MySQL, `analytics.` becomes the sibling database). */
  goldRows(datasource: 'shop' | 'clinic', sql: string): Promise<unknown[][]>;
  /** Whether a hand-written query has a top-level ORDER BY (the eval's default for whether row order counts). */
  goldHasOrder(datasource: 'shop' | 'clinic', sql: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Opens both fixtures on a target; only the databases are used, the registry opens its own connections. */
export async function openOfflineFixtures(target: DialectTarget): Promise<OfflineFixtures> {
  // Located, not opened: the registry opens its own connections (a PGlite copy is one process's at a time).
  const opened: Record<'shop' | 'clinic', LocatedTarget> = { shop: await target.locate('shop'), clinic: await target.locate('clinic') };
  const registry = new DatasourceRegistry(
    (['shop', 'clinic'] as const).map((id) => datasourceConfigSchema.parse({ id, url: opened[id].url, today: fixtureToday })),
    { introspectionTtlMs: 60_000, sampleBudgetMs: 5000 },
  );
  // On MySQL the fixture's analytics schema is the sibling database <database>_analytics.
  const physical = (datasource: 'shop' | 'clinic', sql: string) =>
    target.dialect === 'mysql' ? sql.replace(/\banalytics\./g, `${new URL(opened[datasource].url).pathname.slice(1)}_analytics.`) : sql;
  return {
    registry,
    goldRows: async (datasource, sql) =>
      (await (await registry.get(datasource)).executeReadOnly(physical(datasource, sql))).rows as unknown[][],
    goldHasOrder: async (datasource, sql) => (await (await registry.get(datasource)).guard(physical(datasource, sql))).hasTopLevelOrderBy,
    close: async () => {
      await registry.closeAll();
      await opened.shop.remove();
      await opened.clinic.remove();
    },
  };
}
