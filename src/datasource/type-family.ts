import type { TypeFamily } from './schema-meta.ts';

/**
 * Maps an engine's raw type name to a family. MySQL's `tinyint(1)` is its boolean; everything the
 * function does not recognize is `other`.
 */
export function typeFamilyOf(rawType: string): TypeFamily {
  const type = rawType.toLowerCase().trim();
  if (type === 'tinyint(1)' || type === 'boolean' || type === 'bool' || type === 'bit(1)') return 'boolean';
  if (/^(json|jsonb)\b/.test(type)) return 'json';
  if (/^(smallint|integer|int|bigint|int2|int4|int8|tinyint|mediumint|serial|bigserial|smallserial|year)\b/.test(type)) return 'integer';
  if (/^(numeric|decimal|real|double|float|float4|float8|money)\b/.test(type)) return 'decimal';
  if (/^(timestamptz|timestamp|datetime)\b/.test(type)) return 'timestamp';
  if (/^date\b/.test(type)) return 'date';
  if (/^(character|char|varchar|text|tinytext|mediumtext|longtext|citext|name|enum|set|bpchar)\b/.test(type)) return 'text';
  return 'other';
}
