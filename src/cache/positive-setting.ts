import { ConfigError } from '../errors/index.ts';

/**
 * `value` when it is a finite number above zero.
 *
 * @throws ConfigError naming the `field` otherwise.
 */
export function positiveSetting(field: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) throw new ConfigError(`result cache ${field} must be a positive number`, { field });
  return value;
}
