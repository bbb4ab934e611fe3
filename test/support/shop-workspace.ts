import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
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
