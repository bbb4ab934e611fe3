import { randomUUID } from 'node:crypto';
import { HttpError } from './http-helpers.ts';

/**
 * The datasets part of the loopback Langfuse double ({@link LangfuseTestServer} routes to it): datasets, their
 * items, dataset runs and run items, kept in memory with the real server's rules as far as the SDK can tell.
 *
 * - A dataset is upserted on its name (`POST /api/public/v2/datasets`): a given description, metadata or schema
 *   replaces the stored one, an absent (or null) one keeps it.
 * - An item is upserted on its `id`, unique in the project: reusing the id of another dataset's item is refused
 *   with **404** and the real server's message ("… already exists in a dataset other than …"), as Langfuse does.
 *   An absent or null field keeps the stored value.
 * - A run item needs an ACTIVE item (else 404) and a `traceId` or an `observationId` (else 400); an observation
 *   without a trace id is looked up among the spans received over OTLP (404 when unknown). The run, named per
 *   dataset, is created on first use; a given description or metadata updates it.
 * - Lists are paginated (`page` from 1, `limit` default 50) and newest first; run items are in creation order.
 */
export class LangfuseDatasetStore {
  private readonly datasetsByName = new Map<string, StoredDataset>();
  private readonly itemsById = new Map<string, StoredDatasetItem>();
  private readonly runs: StoredDatasetRun[] = [];
  private readonly runItems: StoredDatasetRunItem[] = [];

  constructor(private readonly options: LangfuseDatasetStoreOptions) {}

  /**
   * Answers a request on a dataset route, or returns null when the path is not one. Throws {@link HttpError}
   * for a request the real server would refuse.
   */
  handle(method: string, url: URL, body: unknown): { status: number; body: unknown } | null {
    const path = url.pathname.replace(/\/$/, '');
    const query = url.searchParams;
    if (path === datasetsV2Path) {
      if (method === 'GET') return ok(this.listDatasets(query));
      if (method === 'POST') return ok(this.createDataset(body));
      throw methodNotAllowed(method, path);
    }
    if (path.startsWith(`${datasetsV2Path}/`)) {
      if (method !== 'GET') throw methodNotAllowed(method, 'a dataset');
      return ok(this.getDataset(decodePath(path.slice(datasetsV2Path.length + 1))));
    }
    if (path === datasetItemsPath) {
      if (method === 'GET') return ok(this.listItems(query));
      if (method === 'POST') return ok(this.createItem(body));
      throw methodNotAllowed(method, path);
    }
    if (path.startsWith(`${datasetItemsPath}/`)) {
      if (method !== 'GET') throw methodNotAllowed(method, 'a dataset item');
      return ok(this.getItem(decodePath(path.slice(datasetItemsPath.length + 1))));
    }
    if (path === datasetRunItemsPath) {
      if (method === 'GET') return ok(this.listRunItems(query));
      if (method === 'POST') return ok(this.createRunItem(body));
      throw methodNotAllowed(method, path);
    }
    if (path.startsWith(`${datasetsV1Path}/`)) {
      // `{name}/runs` or `{name}/runs/{runName}`; the SDK encodes a `/` in the name as `%2F`.
      const segments = path.slice(datasetsV1Path.length + 1).split('/');
      if (method !== 'GET') throw methodNotAllowed(method, 'dataset runs');
      if (segments.length >= 2 && segments.at(-1) === 'runs') return ok(this.listRuns(decodePath(segments.slice(0, -1).join('/')), query));
      if (segments.length >= 3 && segments.at(-2) === 'runs')
        return ok(this.getRun(decodePath(segments.slice(0, -2).join('/')), decodePath(segments.at(-1) ?? '')));
    }
    return null;
  }

  /** Copies of the stored datasets, oldest first. */
  datasets(): DatasetResponse[] {
    return [...this.datasetsByName.values()].map((dataset) => structuredClone(dataset));
  }

  /** Copies of the stored items (of one dataset, or of all), in creation order; an upsert keeps an item's place. */
  items(datasetName?: string): DatasetItemResponse[] {
    return [...this.itemsById.values()]
      .filter((item) => datasetName === undefined || this.datasetNameOf(item.datasetId) === datasetName)
      .map((item) => this.toItemResponse(item));
  }

  /** Copies of the runs (of one dataset, or of all), oldest first, each with its run items in creation order. */
  runsWithItems(datasetName?: string): DatasetRunWithItemsResponse[] {
    return this.runs
      .filter((run) => datasetName === undefined || this.datasetNameOf(run.datasetId) === datasetName)
      .map((run) => this.toRunWithItems(run));
  }

  /** Forgets every dataset, item, run and run item. */
  clear(): void {
    this.datasetsByName.clear();
    this.itemsById.clear();
    this.runs.length = 0;
    this.runItems.length = 0;
  }

  private createDataset(body: unknown): DatasetResponse {
    const record = requireObject(body);
    const name = requireString(record, 'name');
    const description = optionalString(record, 'description');
    const now = this.options.timestamp();
    const existing = this.datasetsByName.get(name);
    if (existing) {
      if (description !== undefined) existing.description = description;
      for (const field of ['metadata', 'inputSchema', 'expectedOutputSchema'] as const) {
        if (record[field] !== undefined && record[field] !== null) existing[field] = structuredClone(record[field]);
      }
      existing.updatedAt = now;
      return structuredClone(existing);
    }
    const created: StoredDataset = {
      id: randomUUID(),
      name,
      description: description ?? null,
      metadata: structuredClone(record.metadata ?? null),
      inputSchema: structuredClone(record.inputSchema ?? null),
      expectedOutputSchema: structuredClone(record.expectedOutputSchema ?? null),
      projectId: this.options.projectId,
      createdAt: now,
      updatedAt: now,
    };
    this.datasetsByName.set(name, created);
    return structuredClone(created);
  }

  private getDataset(name: string): DatasetResponse {
    return structuredClone(this.requireDataset(name));
  }

  private listDatasets(query: URLSearchParams): Paginated<DatasetResponse> {
    return paginate([...this.datasetsByName.values()].reverse(), query, (dataset) => structuredClone(dataset));
  }

  private createItem(body: unknown): DatasetItemResponse {
    const record = requireObject(body);
    const datasetName = requireString(record, 'datasetName');
    const id = optionalString(record, 'id');
    if (id !== undefined && id !== null && (id.length === 0 || id.length > maxItemIdLength)) {
      throw new HttpError(400, 'InvalidRequestError', `id must have 1 to ${maxItemIdLength} characters`);
    }
    const sourceTraceId = optionalString(record, 'sourceTraceId');
    const sourceObservationId = optionalString(record, 'sourceObservationId');
    const status = record.status;
    if (status !== undefined && status !== null && status !== 'ACTIVE' && status !== 'ARCHIVED') {
      throw new HttpError(400, 'InvalidRequestError', "status must be 'ACTIVE' or 'ARCHIVED'");
    }
    const dataset = this.datasetsByName.get(datasetName);
    if (!dataset) throw new HttpError(404, 'LangfuseNotFoundError', 'Dataset not found');

    const now = this.options.timestamp();
    const existing = id ? this.itemsById.get(id) : undefined;
    if (existing && existing.datasetId !== dataset.id) {
      throw new HttpError(
        404,
        'LangfuseNotFoundError',
        `The dataset item with id ${id} already exists in a dataset other than ${datasetName}`,
      );
    }
    if (existing) {
      for (const field of ['input', 'expectedOutput', 'metadata'] as const) {
        if (record[field] !== undefined && record[field] !== null) existing[field] = structuredClone(record[field]);
      }
      if (sourceTraceId) existing.sourceTraceId = sourceTraceId;
      if (sourceObservationId) existing.sourceObservationId = sourceObservationId;
      if (status) existing.status = status as DatasetItemStatus;
      existing.updatedAt = now;
      return this.toItemResponse(existing);
    }
    const created: StoredDatasetItem = {
      id: id ?? randomUUID(),
      status: (status as DatasetItemStatus | null | undefined) ?? 'ACTIVE',
      input: structuredClone(record.input ?? null),
      expectedOutput: structuredClone(record.expectedOutput ?? null),
      metadata: structuredClone(record.metadata ?? null),
      sourceTraceId: sourceTraceId ?? null,
      sourceObservationId: sourceObservationId ?? null,
      datasetId: dataset.id,
      createdAt: now,
      updatedAt: now,
    };
    this.itemsById.set(created.id, created);
    return this.toItemResponse(created);
  }

  private getItem(id: string): DatasetItemResponse {
    const item = this.itemsById.get(id);
    if (!item) throw new HttpError(404, 'LangfuseNotFoundError', 'Dataset item not found');
    return this.toItemResponse(item);
  }

  private listItems(query: URLSearchParams): Paginated<DatasetItemResponse> {
    const datasetName = query.get('datasetName');
    const datasetId = datasetName === null ? null : this.requireDataset(datasetName).id;
    const sourceTraceId = query.get('sourceTraceId');
    const sourceObservationId = query.get('sourceObservationId');
    const matching = [...this.itemsById.values()].filter(
      (item) =>
        (datasetId === null || item.datasetId === datasetId) &&
        (sourceTraceId === null || item.sourceTraceId === sourceTraceId) &&
        (sourceObservationId === null || item.sourceObservationId === sourceObservationId),
    );
    return paginate(matching.reverse(), query, (item) => this.toItemResponse(item));
  }

  private createRunItem(body: unknown): DatasetRunItemResponse {
    const record = requireObject(body);
    const unknown = Object.keys(record).filter((key) => !runItemFields.has(key));
    if (unknown.length) throw new HttpError(400, 'InvalidRequestError', `Unrecognized key(s) in object: ${unknown.join(', ')}`);
    const runName = requireString(record, 'runName');
    const datasetItemId = requireString(record, 'datasetItemId');
    const runDescription = optionalString(record, 'runDescription');
    const traceId = optionalString(record, 'traceId');
    const observationId = optionalString(record, 'observationId');
    optionalString(record, 'datasetVersion');
    const createdAtText = optionalString(record, 'createdAt');
    if (!traceId && !observationId) throw new HttpError(400, 'InvalidRequestError', 'observationId or traceId must be provided');
    if (createdAtText && Number.isNaN(Date.parse(createdAtText)))
      throw new HttpError(400, 'InvalidRequestError', 'createdAt must be an ISO 8601 date-time');

    const item = this.itemsById.get(datasetItemId);
    if (!item || item.status !== 'ACTIVE') throw new HttpError(404, 'LangfuseNotFoundError', 'Dataset item not found');
    const resolvedTraceId = traceId || this.options.traceOfObservation(observationId!);
    if (!resolvedTraceId) throw new HttpError(404, 'LangfuseNotFoundError', 'Observation not found');

    const now = this.options.timestamp();
    const createdAt = createdAtText ? new Date(createdAtText).toISOString() : now;
    let run = this.runs.find((entry) => entry.datasetId === item.datasetId && entry.name === runName);
    if (!run) {
      run = { id: randomUUID(), name: runName, description: null, metadata: null, datasetId: item.datasetId, createdAt, updatedAt: now };
      this.runs.push(run);
    }
    if (runDescription !== undefined && runDescription !== null) run.description = runDescription;
    if (record.metadata !== undefined && record.metadata !== null) run.metadata = structuredClone(record.metadata);
    run.updatedAt = now;

    const runItem: StoredDatasetRunItem = {
      id: randomUUID(),
      datasetRunId: run.id,
      datasetItemId: item.id,
      traceId: resolvedTraceId,
      observationId: observationId ?? null,
      createdAt,
      updatedAt: createdAt,
    };
    this.runItems.push(runItem);
    return this.toRunItemResponse(runItem);
  }

  private listRunItems(query: URLSearchParams): Paginated<DatasetRunItemResponse> {
    const datasetId = query.get('datasetId');
    const runName = query.get('runName');
    if (!datasetId || !runName) throw new HttpError(400, 'InvalidRequestError', 'datasetId and runName are required');
    const run = this.runs.find((entry) => entry.datasetId === datasetId && entry.name === runName);
    if (!run) throw new HttpError(404, 'LangfuseNotFoundError', 'Dataset run not found for the given project and dataset id');
    return paginate(
      this.runItems.filter((entry) => entry.datasetRunId === run.id),
      query,
      (entry) => this.toRunItemResponse(entry),
    );
  }

  private listRuns(datasetName: string, query: URLSearchParams): Paginated<DatasetRunResponse> {
    const dataset = this.requireDataset(datasetName);
    return paginate(this.runs.filter((run) => run.datasetId === dataset.id).reverse(), query, (run) => this.toRunResponse(run));
  }

  private getRun(datasetName: string, runName: string): DatasetRunWithItemsResponse {
    const dataset = this.datasetsByName.get(datasetName);
    const run = dataset && this.runs.find((entry) => entry.datasetId === dataset.id && entry.name === runName);
    if (!run) throw new HttpError(404, 'LangfuseNotFoundError', 'Dataset run not found');
    return this.toRunWithItems(run);
  }

  private requireDataset(name: string): StoredDataset {
    const dataset = this.datasetsByName.get(name);
    if (!dataset) throw new HttpError(404, 'LangfuseNotFoundError', 'Dataset not found');
    return dataset;
  }

  private datasetNameOf(datasetId: string): string {
    for (const dataset of this.datasetsByName.values()) if (dataset.id === datasetId) return dataset.name;
    return '';
  }

  private toItemResponse(item: StoredDatasetItem): DatasetItemResponse {
    return { ...structuredClone(item), datasetName: this.datasetNameOf(item.datasetId), mediaReferences: [] };
  }

  private toRunResponse(run: StoredDatasetRun): DatasetRunResponse {
    return { ...structuredClone(run), datasetName: this.datasetNameOf(run.datasetId) };
  }

  private toRunItemResponse(runItem: StoredDatasetRunItem): DatasetRunItemResponse {
    const run = this.runs.find((entry) => entry.id === runItem.datasetRunId);
    return { ...structuredClone(runItem), datasetRunName: run?.name ?? '' };
  }

  private toRunWithItems(run: StoredDatasetRun): DatasetRunWithItemsResponse {
    return {
      ...this.toRunResponse(run),
      datasetRunItems: this.runItems.filter((entry) => entry.datasetRunId === run.id).map((entry) => this.toRunItemResponse(entry)),
    };
  }
}

/** Path prefixes of every dataset route, e.g. for {@link LangfuseTestServer.setRouteFailure}. */
export const langfuseDatasetPaths: readonly string[] = [
  '/api/public/v2/datasets',
  '/api/public/datasets',
  '/api/public/dataset-items',
  '/api/public/dataset-run-items',
];

export interface LangfuseDatasetStoreOptions {
  /** Reported as `projectId` on datasets. */
  projectId: string;
  /** The server's clock: strictly increasing ISO timestamps. */
  timestamp: () => string;
  /** The trace id of an observation (span id) the server received, or null; for run items given only an observationId. */
  traceOfObservation: (observationId: string) => string | null;
}

export type DatasetItemStatus = 'ACTIVE' | 'ARCHIVED';

/** A dataset as the server stores and serves it (the SDK's `Dataset`). */
export interface DatasetResponse {
  id: string;
  name: string;
  description: string | null;
  metadata: unknown;
  inputSchema: unknown;
  expectedOutputSchema: unknown;
  projectId: string;
  createdAt: string;
  updatedAt: string;
}

/** A dataset item as served (the SDK's `DatasetItem`); absent fields are null. */
export interface DatasetItemResponse {
  id: string;
  status: DatasetItemStatus;
  input: unknown;
  expectedOutput: unknown;
  metadata: unknown;
  sourceTraceId: string | null;
  sourceObservationId: string | null;
  datasetId: string;
  datasetName: string;
  createdAt: string;
  updatedAt: string;
  /** Always empty: this double stores no media. */
  mediaReferences: unknown[];
}

/** A dataset run as served (the SDK's `DatasetRun`). */
export interface DatasetRunResponse {
  id: string;
  name: string;
  description: string | null;
  metadata: unknown;
  datasetId: string;
  datasetName: string;
  createdAt: string;
  updatedAt: string;
}

/** A dataset run item as served (the SDK's `DatasetRunItem`). */
export interface DatasetRunItemResponse {
  id: string;
  datasetRunId: string;
  datasetRunName: string;
  datasetItemId: string;
  traceId: string;
  observationId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A run with its items (the SDK's `DatasetRunWithItems`), as `GET /api/public/datasets/{name}/runs/{runName}` serves it. */
export interface DatasetRunWithItemsResponse extends DatasetRunResponse {
  datasetRunItems: DatasetRunItemResponse[];
}

/** A page of a list, shaped like the SDK's `Paginated…` types. */
export interface Paginated<T> {
  data: T[];
  meta: { page: number; limit: number; totalItems: number; totalPages: number };
}

type StoredDataset = DatasetResponse;
type StoredDatasetItem = Omit<DatasetItemResponse, 'datasetName' | 'mediaReferences'>;
type StoredDatasetRun = Omit<DatasetRunResponse, 'datasetName'>;
type StoredDatasetRunItem = Omit<DatasetRunItemResponse, 'datasetRunName'>;

const datasetsV2Path = '/api/public/v2/datasets';
const datasetsV1Path = '/api/public/datasets';
const datasetItemsPath = '/api/public/dataset-items';
const datasetRunItemsPath = '/api/public/dataset-run-items';
const defaultListLimit = 50;
const maxItemIdLength = 255;
/** The real body schema is strict: any other key is a 400. */
const runItemFields = new Set([
  'runName',
  'runDescription',
  'metadata',
  'datasetItemId',
  'observationId',
  'traceId',
  'datasetVersion',
  'createdAt',
]);

function ok(body: unknown): { status: number; body: unknown } {
  return { status: 200, body };
}

function methodNotAllowed(method: string, what: string): HttpError {
  return new HttpError(405, 'MethodNotAllowedError', `${method} is not allowed on ${what}`);
}

function decodePath(text: string): string {
  try {
    return text
      .split('/')
      .map((segment) => decodeURIComponent(segment))
      .join('/');
  } catch {
    throw new HttpError(400, 'InvalidRequestError', 'The path is not validly percent-encoded');
  }
}

function requireObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new HttpError(400, 'InvalidRequestError', 'The body must be a JSON object');
  return body as Record<string, unknown>;
}

function requireString(record: Record<string, unknown>, field: string): string {
  const value = record[field];
  if (typeof value !== 'string' || value.length === 0)
    throw new HttpError(400, 'InvalidRequestError', `${field} must be a non-empty string`);
  return value;
}

/** A string field that may be absent (`undefined`) or null. */
function optionalString(record: Record<string, unknown>, field: string): string | null | undefined {
  const value = record[field];
  if (value === undefined || value === null || typeof value === 'string') return value as string | null | undefined;
  throw new HttpError(400, 'InvalidRequestError', `${field} must be a string`);
}

function pageParameter(query: URLSearchParams, name: string, fallback: number): number {
  const text = query.get(name);
  if (text === null) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new HttpError(400, 'InvalidRequestError', `${name} must be a whole number of at least 1, got '${text}'`);
  return Number(text);
}

function paginate<S, T>(entries: S[], query: URLSearchParams, map: (entry: S) => T): Paginated<T> {
  const page = pageParameter(query, 'page', 1);
  const limit = pageParameter(query, 'limit', defaultListLimit);
  return {
    data: entries.slice((page - 1) * limit, page * limit).map(map),
    meta: { page, limit, totalItems: entries.length, totalPages: Math.ceil(entries.length / limit) },
  };
}
