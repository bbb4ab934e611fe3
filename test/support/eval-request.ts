import type { EvalRunRequest } from '../../src/evals/index.ts';

/**
 * An eval run request as the tests use it: the given datasets, production and staging, concurrency 2,
 * one repeat, a generous item timeout for a busy machine; `overrides` set the rest.
 */
export function evalRequest(datasets: string[], overrides: Partial<EvalRunRequest> = {}): EvalRunRequest {
  return {
    datasets,
    labels: ['production', 'staging'],
    engine: null,
    datasourceUrls: [],
    server: null,
    predictions: null,
    concurrency: 2,
    limit: null,
    repeat: 1,
    tags: [],
    failUnder: null,
    itemTimeoutMs: 60_000,
    resume: null,
    publish: false,
    ...overrides,
  };
}
