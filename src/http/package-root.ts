import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The folder of sqlagent's package.json, found above this file (in src/ or in dist/src/), and its manifest. */
export function packageRoot(): { directory: string; version: string } | null {
  for (let directory = import.meta.dirname; directory !== path.dirname(directory); directory = path.dirname(directory)) {
    const file = path.join(directory, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'sqlagent') return { directory, version: manifest.version ?? '0.0.0' };
    }
  }
  return null;
}
