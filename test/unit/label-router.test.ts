import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../src/errors/index.ts';
import { experimentSchema, routeLabel, type Experiment } from '../../src/prompts/index.ts';

const prompt = 'agent/db_agent';
const experiment = (id: string, weights: Record<string, number>, active = true): Experiment =>
  experimentSchema.parse({ id, prompt, weights, active });

function shares(experiments: Experiment[], users = 10_000): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let index = 0; index < users; index += 1) {
    const { label } = routeLabel({ prompt, userId: `user-${index}` }, experiments, 'production');
    counts[label] = (counts[label] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).map(([label, count]) => [label, (100 * count) / users]));
}

describe('label routing', () => {
  it.each([[{ variant_a: 50, variant_b: 50 }], [{ production: 90, staging: 10 }], [{ production: 1, staging: 1, variant_b: 2 }]])(
    'spreads 10,000 users within ±2 points of the weights %o',
    (weights) => {
      const observed = shares([experiment('exp-1', weights)]);
      const total = Object.values(weights).reduce((sum, weight) => sum + weight, 0);
      for (const [label, weight] of Object.entries(weights))
        expect(Math.abs(observed[label] - (100 * weight) / total)).toBeLessThanOrEqual(2);
    },
  );

  it('is sticky per user and experiment, and records why', () => {
    const experiments = [experiment('exp-1', { variant_a: 50, variant_b: 50 })];
    const first = routeLabel({ prompt, userId: 'alice' }, experiments, 'production');
    for (let repeat = 0; repeat < 20; repeat += 1)
      expect(routeLabel({ prompt, userId: 'alice' }, experiments, 'production')).toEqual(first);
    expect(first).toMatchObject({ reason: 'experiment:exp-1', assignment: 'sticky' });
    // A different experiment id reshuffles: some users land differently.
    const renamed = [experiment('exp-2', { variant_a: 50, variant_b: 50 })];
    const moved = Array.from({ length: 200 }, (_, index) => `user-${index}`).filter(
      (userId) =>
        routeLabel({ prompt, userId }, experiments, 'production').label !== routeLabel({ prompt, userId }, renamed, 'production').label,
    );
    expect(moved.length).toBeGreaterThan(50);
  });

  it('assigns users with no id at random and says so', () => {
    const experiments = [experiment('exp-1', { variant_a: 50, variant_b: 50 })];
    expect(routeLabel({ prompt }, experiments, 'production', () => 0.1)).toMatchObject({
      label: 'variant_a',
      assignment: 'random',
      bucket: 0.1,
    });
    expect(routeLabel({ prompt, userId: null }, experiments, 'production', () => 0.9)).toMatchObject({
      label: 'variant_b',
      assignment: 'random',
    });
  });

  it('puts an admin override first, refuses it without the admin scope, and falls back to the default', () => {
    const experiments = [experiment('exp-1', { variant_a: 50, variant_b: 50 })];
    expect(routeLabel({ prompt, userId: 'alice', override: 'staging', overrideAllowed: true }, experiments, 'production')).toEqual({
      label: 'staging',
      reason: 'override',
    });
    expect(() => routeLabel({ prompt, override: 'staging' }, experiments, 'production')).toThrow(ForbiddenError);
    expect(routeLabel({ prompt: 'other/prompt', userId: 'alice' }, experiments, 'production')).toEqual({
      label: 'production',
      reason: 'default',
    });
    expect(routeLabel({ prompt, userId: 'alice' }, [experiment('off', { variant_a: 1 }, false)], 'staging')).toEqual({
      label: 'staging',
      reason: 'default',
    });
  });

  it('validates experiments', () => {
    expect(() => experimentSchema.parse({ id: 'x', prompt, weights: { variant_a: 0 } })).toThrow(/at least one weight must be positive/);
    expect(() => experimentSchema.parse({ id: 'x', prompt, weights: { 'Variant A': 1 } })).toThrow(/lower-case/);
  });
});
