import { copyFile, cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../src/config/index.ts';
import { copyTemplate } from './global-setup.ts';

const root = path.resolve(import.meta.dirname, '../..');

/** A temp folder holding a private shop database and a copy of its committed knowledge file. */
export interface ShopWorkspace {
  dir: string;
  /** `pglite:<dir>/shop`, a copy of the loaded shop template. */
  shopUrl: string;
  /** `<dir>/knowledge`, for `knowledge.directory`. */
  knowledgeDir: string;
  /** `<dir>/knowledge/shop.yaml`, a copy of `knowledge/shop.yaml`: tests edit it, never the committed file. */
  knowledgeFile: string;
  remove(): Promise<void>;
}

export async function shopWorkspace(prefix: string): Promise<ShopWorkspace> {
  const dir = await mkdtemp(path.join(tmpdir(), `sqlagent-${prefix}-`));
  await copyTemplate(inject('testEnvironment').pgliteTemplates.shop, path.join(dir, 'shop'));
  const knowledgeDir = path.join(dir, 'knowledge');
  await mkdir(knowledgeDir);
  const knowledgeFile = path.join(knowledgeDir, 'shop.yaml');
  await copyFile(path.join(root, 'knowledge/shop.yaml'), knowledgeFile);
  return {
    dir,
    shopUrl: `pglite:${path.join(dir, 'shop')}`,
    knowledgeDir,
    knowledgeFile,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * The config of a service on `workspace`: its shop (today pinned to 2025-07-01), a copy of prompts/ made here
 * (label moves write into it, never into the committed files), its knowledge copy, a copy of the committed
 * eval report, and the admin token; `overrides` replace sections (`server` is merged).
 */
export async function shopServiceConfig(
  workspace: ShopWorkspace,
  adminToken: string,
  { server = {}, ...overrides }: { server?: Record<string, unknown>; [section: string]: unknown } = {},
): Promise<Config> {
  await cp(path.join(root, 'prompts'), path.join(workspace.dir, 'prompts'), { recursive: true });
  // The committed report alone: runs of one's own in evals/reports/ (git ignores them) must not change a test.
  await cp(path.join(root, 'evals/reports/latest'), path.join(workspace.dir, 'eval-reports/latest'), { recursive: true });
  return loadConfig({
    env: { SQLAGENT_ADMIN_TOKEN: adminToken },
    overrides: {
      dataDir: workspace.dir,
      datasources: [{ id: 'shop', url: workspace.shopUrl, today: '2025-07-01' }],
      prompts: { directory: path.join(workspace.dir, 'prompts') },
      knowledge: { directory: workspace.knowledgeDir },
      evals: { reportsDir: path.join(workspace.dir, 'eval-reports') },
      server: { adminToken, ...server },
      ...overrides,
    },
  });
}
