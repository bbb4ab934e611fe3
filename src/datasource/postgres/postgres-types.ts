/** Type OIDs of the built-in Postgres types a result can carry, mapped to their names. */
const typeNames: Record<number, string> = {
  16: 'bool',
  17: 'bytea',
  18: 'char',
  19: 'name',
  20: 'int8',
  21: 'int2',
  23: 'int4',
  25: 'text',
  26: 'oid',
  114: 'json',
  142: 'xml',
  700: 'float4',
  701: 'float8',
  790: 'money',
  869: 'inet',
  1042: 'bpchar',
  1043: 'varchar',
  1082: 'date',
  1083: 'time',
  1114: 'timestamp',
  1184: 'timestamptz',
  1186: 'interval',
  1266: 'timetz',
  1560: 'bit',
  1562: 'varbit',
  1700: 'numeric',
  2950: 'uuid',
  3802: 'jsonb',
  1000: 'bool[]',
  1005: 'int2[]',
  1007: 'int4[]',
  1016: 'int8[]',
  1009: 'text[]',
  1015: 'varchar[]',
  1231: 'numeric[]',
  1182: 'date[]',
  1115: 'timestamp[]',
  199: 'json[]',
  3807: 'jsonb[]',
};

/** The type name for a result column's OID; unknown OIDs (user types) read as `oid:N`. */
export function postgresTypeName(oid: number): string {
  return typeNames[oid] ?? `oid:${oid}`;
}

/** OIDs returned as the server's text so one rule turns them into JSON-safe values. */
export const rawTextTypeOids = [20, 1700, 1082, 1114, 1184] as const;

export const postgresQuoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;
