export type {
  ColumnMeta,
  ColumnReference,
  DialectName,
  EngineName,
  ForeignKeyMeta,
  SchemaInfo,
  SchemaMeta,
  TableMeta,
  TypeFamily,
} from './schema-meta.ts';
export type { DatasourceDriver, DialectAdapter, DriverSession, RawResult, ResultField } from './driver.ts';
export { datasourceConfigSchema, type DatasourceConfig, type DatasourceConfigInput } from './datasource-config.ts';
export { Datasource, type IntrospectionOptions } from './datasource.ts';
export {
  DatasourceRegistry,
  type DatasourceRegistryOptions,
  type DatasourceSummary,
  type ReferenceOptions,
} from './datasource-registry.ts';
export { computeSchemaVersion } from './schema-version.ts';
export { typeFamilyOf } from './type-family.ts';
export { passwordOf, redactUrl } from './redact-url.ts';
export { mysqlSessionSetup } from './mysql/mysql-adapter.ts';
export { databaseNameOf, withDatabase, type Dialect, type DriverOptions } from './dialect.ts';
export { dialects, dialectForUrl, isDatasourceUrl } from './dialects.ts';
export type { ExecuteOptions, ReadOnlyResult, ResultColumn } from './read-only-executor.ts';
export { toJsonSafe } from './json-safe-value.ts';
