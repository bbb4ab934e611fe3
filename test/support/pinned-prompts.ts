import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const shipped = path.resolve(import.meta.dirname, '../../prompts');

/**
 * A copy of the shipped prompts in `directory`, with `production` pinned at `version`. The eval tests
 * compare two different versions (production v2, staging as shipped) to test the comparison itself, whatever
 * the shipped labels say today.
 */
export async function promptsWithProductionAt(directory: string, version: number): Promise<string> {
  const target = path.join(directory, 'prompts');
  await cp(shipped, target, { recursive: true });
  const labels = path.join(target, 'agent/db_agent/labels.yaml');
  const text = await readFile(labels, 'utf8');
  const pinned = text.replace(/^( {2}production: )\d+$/m, `$1${version}`);
  if (pinned === text && !new RegExp(`^ {2}production: ${version}$`, 'm').test(text))
    throw new Error('labels.yaml has no production label');
  await writeFile(labels, pinned);
  return target;
}
