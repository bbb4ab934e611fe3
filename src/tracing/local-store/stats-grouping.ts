import { InvalidInputError } from '../../errors/index.ts';

/** What `computeStats` groups traces by (a leaf, so the CLI can check `--by` without loading kysely). */
export type StatsGrouping = 'label' | 'prompt_version' | 'model' | 'user' | 'datasource';

/** Every grouping, in the order help texts list them. */
export const statsGroupings: readonly StatsGrouping[] = ['label', 'prompt_version', 'model', 'user', 'datasource'];

/** `value` as a grouping; `InvalidInputError` naming the allowed ones otherwise (`name`: how the caller calls it). */
export function parseStatsGrouping(value: string, name = 'by'): StatsGrouping {
  const grouping = statsGroupings.find((candidate) => candidate === value.trim());
  if (grouping === undefined) {
    throw new InvalidInputError(`${name} must be one of ${statsGroupings.join(', ')}; got "${value.slice(0, 40)}".`, {
      field: 'by',
      allowed: statsGroupings,
    });
  }
  return grouping;
}
