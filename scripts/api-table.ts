// Rewrites the README's HTTP route table from the OpenAPI document (`npm run docs:api`); the unit test
// test/unit/openapi-document.test.ts fails while the README and the document disagree.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildOpenApiDocument, renderRouteTable } from '../src/http/openapi.ts';

const readme = path.resolve(import.meta.dirname, '../README.md');
const begin = '<!-- api-table:begin -->';
const end = '<!-- api-table:end -->';
const text = await readFile(readme, 'utf8');
const [before, rest] = text.split(begin);
if (rest === undefined || !rest.includes(end)) throw new Error(`README.md has no ${begin} … ${end} block.`);
const after = rest.slice(rest.indexOf(end));
await writeFile(readme, `${before}${begin}\n${renderRouteTable(buildOpenApiDocument())}\n${after}`);
console.log('README.md: route table rewritten from the OpenAPI document.');
