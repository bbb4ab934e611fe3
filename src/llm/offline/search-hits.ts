import type { SearchHit } from './conversation-reader.ts';

/** The schema of the best table the search matched by name, else of the best hit, else `public`. */
export function homeSchemaOf(hits: readonly SearchHit[]): string {
  const named = hits.find((hit) => hit.kind === 'table' && hit.reasons.some((reason) => /^(full name|name matches) /.test(reason)));
  return (named ?? hits[0])?.schema ?? 'public';
}

/** Tables the search linked by name or by a sample value, best first. */
export function linkedTables(hits: readonly SearchHit[]): string[] {
  const tables: string[] = [];
  for (const hit of hits) {
    const strong = hit.reasons.some(
      (reason) =>
        /^full name /.test(reason) ||
        /^sample value "/.test(reason) ||
        (/^name matches /.test(reason) && !(hit.column ?? '').endsWith('_id')),
    );
    const name = `${hit.schema}.${hit.table}`;
    if (strong && !tables.includes(name)) tables.push(name);
  }
  return tables;
}
