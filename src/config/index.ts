export { configSchema, defaultDatasources, type Config, type ConfigInput } from './config-schema.ts';
export { loadConfig, type LoadConfigOptions } from './load-config.ts';
