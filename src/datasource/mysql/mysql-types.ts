/** MySQL wire-protocol column type codes, mapped to type names. */
const typeNames: Record<number, string> = {
  0: 'decimal',
  1: 'tinyint',
  2: 'smallint',
  3: 'int',
  4: 'float',
  5: 'double',
  6: 'null',
  7: 'timestamp',
  8: 'bigint',
  9: 'mediumint',
  10: 'date',
  11: 'time',
  12: 'datetime',
  13: 'year',
  15: 'varchar',
  16: 'bit',
  245: 'json',
  246: 'decimal',
  247: 'enum',
  248: 'set',
  249: 'tinyblob',
  250: 'mediumblob',
  251: 'longblob',
  252: 'blob',
  253: 'varchar',
  254: 'char',
  255: 'geometry',
};
const binaryCharset = 63;
const textBlobTypes = new Set([249, 250, 251, 252]);

/** The type name of a result column; `tinyint(1)` marks MySQL's boolean, and blobs with a character set are text. */
export function mysqlTypeName(field: { type?: number; columnLength?: number; characterSet?: number }): string {
  const code = field.type ?? -1;
  if (code === 1 && field.columnLength === 1) return 'tinyint(1)';
  if (textBlobTypes.has(code) && field.characterSet !== binaryCharset) return 'text';
  return typeNames[code] ?? `type:${code}`;
}

export const mysqlQuoteIdentifier = (name: string): string => `\`${name.replaceAll('`', '``')}\``;
