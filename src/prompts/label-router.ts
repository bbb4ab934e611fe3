import { createHash } from 'node:crypto';
import { ForbiddenError } from '../errors/index.ts';
import type { Experiment } from './experiment.ts';

/** Why a request got its label: an override, an experiment, or the environment's default. */
export interface RoutingDecision {
  label: string;
  reason: 'override' | `experiment:${string}` | 'default';
  /** For experiments: `sticky` (hash of experiment and user) or `random` (no user id). */
  assignment?: 'sticky' | 'random';
  /** For experiments: the point in [0, 1) that picked the label. */
  bucket?: number;
}

export interface RouteRequest {
  prompt: string;
  userId?: string | null;
  /** An explicit label; honoured only when `overrideAllowed`. */
  override?: string | null;
  /** Whether the caller holds the admin scope (enforced by the HTTP layer). */
  overrideAllowed?: boolean;
}

/**
 * Picks the label for one request, in this order: an explicit override (admin only), an active experiment
 * for the prompt, then the default label. Assignment is sticky and uniform: the first 32 bits of
 * SHA-256(`experimentId:userId`) place a user in [0, 1), and the weights cut that interval in label order.
 * A request with no user id is placed at random, and the decision says so.
 */
export function routeLabel(request: RouteRequest, experiments: readonly Experiment[], defaultLabel: string, random: () => number = Math.random): RoutingDecision {
  if (request.override) {
    if (!request.overrideAllowed) throw new ForbiddenError('Choosing the prompt label needs the admin scope.', { field: 'label' });
    return { label: request.override, reason: 'override' };
  }
  const experiment = experiments.find((candidate) => candidate.active && candidate.prompt === request.prompt);
  if (experiment) {
    const userId = request.userId ?? null;
    const bucket = userId ? stickyBucket(experiment.id, userId) : random();
    return { label: pickByWeight(experiment.weights, bucket), reason: `experiment:${experiment.id}`, assignment: userId ? 'sticky' : 'random', bucket };
  }
  return { label: defaultLabel, reason: 'default' };
}

/** A user's place in [0, 1) for an experiment; the same inputs always give the same place. */
export function stickyBucket(experimentId: string, userId: string): number {
  const digest = createHash('sha256').update(`${experimentId}:${userId}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

function pickByWeight(weights: Record<string, number>, bucket: number): string {
  const entries = Object.entries(weights).filter(([, weight]) => weight > 0).sort(([left], [right]) => left.localeCompare(right));
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let cumulative = 0;
  for (const [label, weight] of entries) {
    cumulative += weight / total;
    if (bucket < cumulative) return label;
  }
  return entries[entries.length - 1][0];
}
