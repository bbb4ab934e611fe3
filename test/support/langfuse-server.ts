import { flattenHeaders, HttpError, listenOnLoopback, readBody } from './http-helpers.ts';
import { randomUUID } from 'node:crypto';
import {
  LangfuseDatasetStore,
  type DatasetItemResponse,
  type DatasetResponse,
  type DatasetRunWithItemsResponse,
} from './langfuse-datasets.ts';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export {
  langfuseDatasetPaths,
  type DatasetItemResponse,
  type DatasetResponse,
  type DatasetRunItemResponse,
  type DatasetRunResponse,
  type DatasetRunWithItemsResponse,
} from './langfuse-datasets.ts';

/**
 * A loopback test double of the Langfuse public prompts API (`/api/public/v2/prompts…`), of the datasets API, of
 * the endpoints the SDK sends scores through and of the OTLP trace endpoint, good enough for the real
 * `@langfuse/client` 5.x SDK to create, fetch, relabel, list and delete prompts, to upsert datasets and their items,
 * to link traces to dataset runs and to send scores, and for `LangfuseSpanProcessor` to export spans, against it.
 *
 * Routes:
 * - `GET    /api/public/v2/prompts/{name}?version=&label=&resolve=` one prompt version (default label `production`;
 *   a version beats a label; `resolve` is accepted and ignored, there are no prompt dependencies here)
 * - `POST   /api/public/v2/prompts` create the next version of a prompt
 * - `PATCH  /api/public/v2/prompts/{name}/versions/{version}` body `{ newLabels }`: add labels to a version
 * - `GET    /api/public/v2/prompts?name=&label=&tag=&page=&limit=&fromUpdatedAt=&toUpdatedAt=` list prompt metadata
 * - `DELETE /api/public/v2/prompts/{name}?version=&label=` delete matching versions (all when neither is given)
 * - `POST   /api/public/ingestion` body `{ batch: [{ id, type, timestamp, body }], metadata? }`: the SDK's
 *   `score.create` + `flush` (and `api.ingestion.batch`) send `score-create` events here. Like the real server it
 *   answers **207** with `{ successes: [{ id, status: 201 }], errors: [{ id, status, message, error }] }` per event
 *   (ids are the event ids), and 400 only when the body has no `batch` list. A score upserts on its body `id`
 *   (generated when missing). Other event types are listed under `errors` (this double does not store traces).
 * - `POST   /api/public/scores` (the SDK's `api.scores.create`): one score, validated like an ingested one and also
 *   needing a target (`traceId`, `observationId`, `sessionId` or `datasetRunId`), else 400; stored with the ingested
 *   scores (in `scores`, with a server-made event id, as the real server wraps it in an event) and answered 200 `{ id }`.
 * - `POST   /api/public/otel/v1/traces` OTLP/HTTP **JSON** (what `LangfuseSpanProcessor` exports): the spans are
 *   decoded (ids as hex, attributes as plain values) and kept in `otelSpans`; answers 200 `{}`. Protobuf → 415.
 *
 * Dataset routes (rules in {@link LangfuseDatasetStore}; every answer is 200 with the SDK's shapes):
 * - `POST   /api/public/v2/datasets` body `{ name, description?, metadata?, inputSchema?, expectedOutputSchema? }`:
 *   upsert on the name, returns the `Dataset`
 * - `GET    /api/public/v2/datasets/{name}` one dataset (404 when unknown); `GET /api/public/v2/datasets?page=&limit=`
 *   the paginated list, newest first
 * - `POST   /api/public/dataset-items` body `{ datasetName, id?, input?, expectedOutput?, metadata?, sourceTraceId?,
 *   sourceObservationId?, status? }`: upsert on `id` (unknown dataset → 404; an id of another dataset's item → 404
 *   "already exists in a dataset other than …", as on the real server), returns the `DatasetItem`
 * - `GET    /api/public/dataset-items?datasetName=&sourceTraceId=&sourceObservationId=&page=&limit=` newest first;
 *   `GET /api/public/dataset-items/{id}` one item (404 when unknown)
 * - `POST   /api/public/dataset-run-items` body `{ runName, datasetItemId, traceId? | observationId?, runDescription?,
 *   metadata?, datasetVersion?, createdAt? }`: creates the run of the item's dataset on first use and adds a run item
 *   (no trace nor observation id → 400; unknown item → 404); `GET /api/public/dataset-run-items?datasetId=&runName=`
 * - `GET    /api/public/datasets/{name}/runs?page=&limit=` the dataset's runs, newest first;
 *   `GET /api/public/datasets/{name}/runs/{runName}` one run with its `datasetRunItems` (404 when unknown)
 *
 * Label rules (the real server's, as far as the SDK can tell): a label sits on at most one version of a prompt;
 * labels given when creating a version, or added with PATCH, are taken off every other version; PATCH never removes
 * a label from the version it targets; `latest` is reserved and always sits on the newest version.
 *
 * Every request needs `Authorization: Basic base64(publicKey:secretKey)`, else 401. Errors are JSON bodies
 * `{ error, message }`, which the SDK wraps in its `LangfuseAPIError` subclasses (`statusCode`, `body`). The failure
 * modes ({@link LangfuseTestServer.setMode}) apply to every route; {@link LangfuseTestServer.setRouteFailure} fails
 * chosen routes only.
 */
export class LangfuseTestServer {
  /** Every request received, in arrival order (also while the server is in a failure mode). */
  readonly requests: RecordedRequest[] = [];

  private readonly prompts = new Map<string, StoredPromptVersion[]>();
  private readonly receivedScores: ReceivedScore[] = [];
  private readonly receivedSpans: ReceivedOtelSpan[] = [];
  private ingestionEventError: IngestionEventError | null = null;
  private routeFailure: RouteFailure | null = null;
  private readonly datasetStore: LangfuseDatasetStore;
  private readonly pendingDelays = new Set<NodeJS.Timeout>();
  private currentMode: LangfuseTestServerMode = 'up';
  private currentSlowMs = defaultSlowMs;
  private lastTimestamp = 0;
  private closed = false;

  private constructor(
    private readonly server: Server,
    private readonly options: LangfuseTestServerOptions,
    /** The URL to give the SDK as `baseUrl`, e.g. `http://127.0.0.1:41234`. */
    readonly baseUrl: string,
  ) {
    this.datasetStore = new LangfuseDatasetStore({
      projectId: options.projectId ?? defaultProjectId,
      timestamp: () => this.timestamp(),
      traceOfObservation: (observationId) => this.receivedSpans.find((span) => span.spanId === observationId)?.traceId ?? null,
    });
  }

  /** Starts a server on 127.0.0.1 on a free port, accepting only the given key pair. */
  static async start(options: LangfuseTestServerOptions): Promise<LangfuseTestServer> {
    const { server, base } = await listenOnLoopback();
    const instance = new LangfuseTestServer(server, options, base);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      instance.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent && !response.destroyed) {
          sendJson(response, 500, { error: 'InternalServerError', message: `Langfuse test server failed: ${String(error)}` });
        } else {
          response.destroy();
        }
      });
    });
    return instance;
  }

  /** The current failure mode. */
  get mode(): LangfuseTestServerMode {
    return this.currentMode;
  }

  /** How long each request waits in `slow` mode, in milliseconds. */
  get slowMs(): number {
    return this.currentSlowMs;
  }

  /**
   * Switches how every endpoint behaves from the next request on:
   * - `up`: answers normally;
   * - `down-500`: answers every request with 500 and a JSON error body (the SDK retries 5xx unless `maxRetries: 0`);
   * - `down-connection-reset`: destroys the socket without answering (the SDK's `fetch` fails with "fetch failed");
   * - `slow`: waits `slowMs` (default 1000) before answering normally.
   */
  setMode(mode: LangfuseTestServerMode, options: { slowMs?: number } = {}): void {
    this.currentMode = mode;
    if (options.slowMs !== undefined) this.currentSlowMs = options.slowMs;
  }

  /**
   * From the next request on, answers every request whose path starts with one of `failure.paths` with
   * `failure.status` and a JSON error body, storing nothing (e.g. `{ paths: langfuseDatasetPaths, status: 500 }` for
   * a Langfuse whose dataset routes fail while prompts, scores and OTLP still work); `null` turns it off. It applies
   * after the mode (`down-*`, `slow`) and before the credentials are checked; requests are still recorded.
   */
  setRouteFailure(failure: RouteFailure | null): void {
    this.routeFailure = failure === null ? null : { ...failure, paths: [...failure.paths] };
  }

  /** Forgets the recorded requests. */
  clearRequests(): void {
    this.requests.length = 0;
  }

  /**
   * Copies of the scores stored from `score-create` events, in arrival order (a score sent again with the same
   * body `id` replaces the earlier one in place, as the real server upserts). Only events the server answered as
   * successes are here: nothing is stored in a failure mode, nor when a `slow` request was abandoned by its client.
   */
  get scores(): ReceivedScore[] {
    return this.receivedScores.map((score) => structuredClone(score));
  }

  /** Forgets the stored scores. */
  clearScores(): void {
    this.receivedScores.length = 0;
  }

  /** Copies of the stored datasets, oldest first. */
  get datasets(): DatasetResponse[] {
    return this.datasetStore.datasets();
  }

  /** Copies of the stored dataset items, of dataset `datasetName` or of all, in creation order (an upsert keeps the place). */
  datasetItems(datasetName?: string): DatasetItemResponse[] {
    return this.datasetStore.items(datasetName);
  }

  /** Copies of the dataset runs, of dataset `datasetName` or of all, oldest first, each with its run items in creation order. */
  datasetRuns(datasetName?: string): DatasetRunWithItemsResponse[] {
    return this.datasetStore.runsWithItems(datasetName);
  }

  /** Forgets every dataset, dataset item, run and run item. */
  clearDatasets(): void {
    this.datasetStore.clear();
  }

  /** Copies of the spans received over OTLP, in arrival order (nothing is kept in a failure mode). */
  get otelSpans(): ReceivedOtelSpan[] {
    return this.receivedSpans.map((span) => structuredClone(span));
  }

  /** Forgets the received spans. */
  clearOtelSpans(): void {
    this.receivedSpans.length = 0;
  }

  /**
   * From the next ingestion request on, answers every event as an entry of the 207's `errors` with this status and
   * message (and stores nothing), as the real server does for an event it cannot process; `null` turns it off.
   * `POST /api/public/scores`, which the real server ingests as one event, then answers with that status. Prompt and
   * dataset routes are not affected.
   */
  setIngestionEventError(error: IngestionEventError | null): void {
    this.ingestionEventError = error === null ? null : { ...error };
  }

  /**
   * Replaces every stored version of prompt `name` with `versions`, numbered 1, 2, 3… in order, applying the same
   * label rules as creating them one after another (a label given on a later version wins; `latest` goes on the last).
   * Returns the stored versions.
   */
  seedPrompt(name: string, versions: SeedPromptVersion[]): StoredPromptVersion[] {
    this.prompts.delete(name);
    for (const version of versions) {
      this.addVersion({
        name,
        type: version.type ?? (Array.isArray(version.prompt) ? 'chat' : 'text'),
        prompt: version.prompt,
        config: version.config ?? {},
        labels: version.labels ?? [],
        tags: version.tags,
        commitMessage: version.commitMessage ?? null,
      });
    }
    return this.promptVersions(name);
  }

  /** Copies of the stored versions of prompt `name` (with their labels, `latest` included), oldest first; `[]` when unknown. */
  promptVersions(name: string): StoredPromptVersion[] {
    return (this.prompts.get(name) ?? []).map(copyVersion);
  }

  /** Names of all stored prompts, sorted. */
  promptNames(): string[] {
    return [...this.prompts.keys()].sort();
  }

  /** Stops listening and cuts every open connection, including requests waiting in `slow` mode. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.pendingDelays) clearTimeout(timer);
    this.pendingDelays.clear();
    await new Promise<void>((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const rawBody = await readBody(request);
    const url = new URL(request.url ?? '/', this.baseUrl);
    const authorization = request.headers.authorization;
    this.requests.push({
      method: request.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization,
      headers: flattenHeaders(request),
      body: parseBodyForLog(rawBody),
    });

    const mode = this.currentMode;
    if (mode === 'down-connection-reset') {
      request.socket.destroy();
      return;
    }
    if (mode === 'down-500') {
      sendJson(response, 500, { error: 'InternalServerError', message: 'The Langfuse test server is in down-500 mode' });
      return;
    }
    if (mode === 'slow') {
      await this.delay(this.currentSlowMs);
      if (this.closed || response.destroyed) return;
    }
    const failure = this.routeFailure;
    if (failure && failure.paths.some((prefix) => url.pathname.startsWith(prefix))) {
      sendJson(response, failure.status, {
        error: 'RouteFailure',
        message: failure.message ?? `The Langfuse test server fails ${url.pathname} with ${failure.status}`,
      });
      return;
    }

    if (!this.isAuthorized(authorization)) {
      sendJson(response, 401, {
        error: 'UnauthorizedError',
        message: 'Invalid credentials. Confirm that you have set the correct public and secret key (Basic auth).',
      });
      return;
    }

    if (url.pathname === otelTracesPath && request.method === 'POST' && !String(request.headers['content-type'] ?? '').includes('json')) {
      sendJson(response, 415, { error: 'UnsupportedMediaType', message: 'This test server decodes OTLP JSON only' });
      return;
    }
    try {
      this.route(request.method ?? 'GET', url, parseRequestBody(rawBody), response);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      sendJson(response, error.status, { error: error.errorName, message: error.message });
    }
  }

  private route(method: string, url: URL, body: unknown, response: ServerResponse): void {
    if (url.pathname === otelTracesPath) {
      if (method !== 'POST') throw new HttpError(405, 'MethodNotAllowedError', `${method} is not allowed on ${otelTracesPath}`);
      this.receivedSpans.push(...decodeOtlpJson(body));
      return sendJson(response, 200, {});
    }
    if (url.pathname === ingestionPath || url.pathname === `${ingestionPath}/`) {
      if (method === 'POST') return sendJson(response, 207, this.ingest(body));
      throw new HttpError(405, 'MethodNotAllowedError', `${method} is not allowed on ${ingestionPath}`);
    }
    if (url.pathname === scoresPath || url.pathname === `${scoresPath}/`) {
      if (method === 'POST') return sendJson(response, 200, this.createScore(body));
      throw new HttpError(405, 'MethodNotAllowedError', `${method} is not allowed on ${scoresPath} (this double does not list scores)`);
    }
    const datasetAnswer = this.datasetStore.handle(method, url, body);
    if (datasetAnswer) return sendJson(response, datasetAnswer.status, datasetAnswer.body);
    if (url.pathname === promptsPath || url.pathname === `${promptsPath}/`) {
      if (method === 'GET') return sendJson(response, 200, this.listPrompts(url.searchParams));
      if (method === 'POST') return sendJson(response, 201, this.createPrompt(body));
      throw new HttpError(405, 'MethodNotAllowedError', `${method} is not allowed on ${promptsPath}`);
    }
    if (!url.pathname.startsWith(`${promptsPath}/`)) {
      throw new HttpError(404, 'NotFoundError', `No such route: ${method} ${url.pathname}`);
    }
    // The SDK sends the name as one encoded segment (`folder%2Fname`); an unencoded folder name is joined back here.
    const segments = url.pathname.slice(promptsPath.length + 1).split('/');
    if (segments.length >= 3 && segments.at(-2) === 'versions') {
      const name = decodeSegments(segments.slice(0, -2));
      if (method !== 'PATCH') throw new HttpError(405, 'MethodNotAllowedError', `${method} is not allowed on prompt versions`);
      return sendJson(response, 200, this.updateLabels(name, segments.at(-1) ?? '', body));
    }
    const name = decodeSegments(segments);
    if (method === 'GET') return sendJson(response, 200, this.getPrompt(name, url.searchParams));
    if (method === 'DELETE') {
      this.deletePrompt(name, url.searchParams);
      response.writeHead(204).end();
      return;
    }
    throw new HttpError(405, 'MethodNotAllowedError', `${method} is not allowed on a prompt`);
  }

  /** Handles one ingestion batch: each event succeeds or fails on its own, as on the real server. */
  private ingest(body: unknown): IngestionResponse {
    if (!isRecord(body) || !Array.isArray(body.batch)) {
      throw new HttpError(400, 'InvalidRequestError', 'The body must be a JSON object with a batch list of events');
    }
    const result: IngestionResponse = { successes: [], errors: [] };
    for (const event of body.batch as unknown[]) {
      const eventId = isRecord(event) && typeof event.id === 'string' ? event.id : '';
      const failure = (status: number, message: string, error?: unknown) =>
        result.errors.push({ id: eventId, status, message, error: error ?? message });
      if (
        !isRecord(event) ||
        eventId.length === 0 ||
        typeof event.type !== 'string' ||
        typeof event.timestamp !== 'string' ||
        !isRecord(event.body)
      ) {
        failure(400, 'Invalid request data', 'An event needs a string id, type and timestamp and an object body');
        continue;
      }
      if (this.ingestionEventError) {
        failure(this.ingestionEventError.status, this.ingestionEventError.message);
        continue;
      }
      if (event.type !== scoreCreateEventType) {
        failure(400, 'Invalid request data', `This test double stores only ${scoreCreateEventType} events, not ${event.type}`);
        continue;
      }
      const problem = scoreProblem(event.body);
      if (problem) {
        failure(400, 'Invalid request data', problem);
        continue;
      }
      this.storeScore(toReceivedScore(eventId, event.timestamp, event.body));
      result.successes.push({ id: eventId, status: 201 });
    }
    return result;
  }

  /** `POST /api/public/scores`: the real server wraps the body in one `score-create` event and ingests it. */
  private createScore(body: unknown): { id: string } {
    if (!isRecord(body)) throw new HttpError(400, 'InvalidRequestError', 'The body must be a JSON object');
    const problem =
      scoreProblem(body) ??
      (scoreTargets.some((field) => typeof body[field] === 'string' && body[field] !== '')
        ? null
        : `A score needs one of ${scoreTargets.join(', ')}`);
    if (problem) throw new HttpError(400, 'InvalidRequestError', problem);
    if (this.ingestionEventError) throw new HttpError(this.ingestionEventError.status, 'IngestionError', this.ingestionEventError.message);
    const score = toReceivedScore(randomUUID(), this.timestamp(), body);
    this.storeScore(score);
    return { id: score.id };
  }

  private storeScore(score: ReceivedScore): void {
    const existing = this.receivedScores.findIndex((entry) => entry.id === score.id);
    if (existing >= 0) this.receivedScores[existing] = score;
    else this.receivedScores.push(score);
  }

  private getPrompt(name: string, query: URLSearchParams): PromptResponse {
    const versions = this.requirePrompt(name);
    const versionText = query.get('version');
    if (versionText !== null) {
      const number = parseWholeNumber(versionText, 'version');
      const found = versions.find((entry) => entry.version === number);
      if (!found) throw new HttpError(404, 'LangfuseNotFoundError', `Prompt not found: '${name}' has no version ${number}`);
      return toPromptResponse(found);
    }
    const label = query.get('label') ?? productionLabel;
    const found = versions.find((entry) => entry.labels.includes(label));
    if (!found) throw new HttpError(404, 'LangfuseNotFoundError', `Prompt not found: '${name}' has no version labelled '${label}'`);
    return toPromptResponse(found);
  }

  private createPrompt(body: unknown): PromptResponse {
    if (!isRecord(body)) throw new HttpError(400, 'InvalidRequestError', 'The body must be a JSON object');
    const { name, prompt, config, labels, tags, commitMessage } = body;
    const type = body.type ?? 'text';
    if (typeof name !== 'string' || name.length === 0) throw new HttpError(400, 'InvalidRequestError', 'name must be a non-empty string');
    if (type !== 'text' && type !== 'chat') throw new HttpError(400, 'InvalidRequestError', "type must be 'text' or 'chat'");
    if (type === 'text' && typeof prompt !== 'string') throw new HttpError(400, 'InvalidRequestError', 'A text prompt must be a string');
    if (type === 'chat' && !Array.isArray(prompt))
      throw new HttpError(400, 'InvalidRequestError', 'A chat prompt must be an array of messages');
    if (commitMessage !== undefined && commitMessage !== null && typeof commitMessage !== 'string') {
      throw new HttpError(400, 'InvalidRequestError', 'commitMessage must be a string');
    }
    const created = this.addVersion({
      name,
      type,
      prompt: prompt as PromptContent,
      config: config ?? {},
      labels: labels === undefined || labels === null ? [] : requireLabelList(labels, 'labels'),
      tags: tags === undefined || tags === null ? undefined : requireLabelList(tags, 'tags'),
      commitMessage: commitMessage ?? null,
    });
    return toPromptResponse(created);
  }

  private updateLabels(name: string, versionText: string, body: unknown): PromptResponse {
    const versionNumber = parseWholeNumber(versionText, 'version');
    if (!isRecord(body)) throw new HttpError(400, 'InvalidRequestError', 'The body must be a JSON object with newLabels');
    const newLabels = unique(requireLabelList(body.newLabels, 'newLabels'));
    if (newLabels.includes(latestLabel)) {
      throw new HttpError(
        400,
        'InvalidRequestError',
        "The 'latest' label is reserved and managed by Langfuse: it cannot be set with newLabels",
      );
    }
    const versions = this.requirePrompt(name);
    const target = versions.find((entry) => entry.version === versionNumber);
    if (!target) throw new HttpError(404, 'LangfuseNotFoundError', `Prompt not found: '${name}' has no version ${versionNumber}`);
    const now = this.timestamp();
    for (const other of versions) {
      if (other !== target)
        this.setLabels(
          other,
          other.labels.filter((label) => !newLabels.includes(label)),
          now,
        );
    }
    this.setLabels(target, unique([...target.labels, ...newLabels]), now);
    return toPromptResponse(target);
  }

  private deletePrompt(name: string, query: URLSearchParams): void {
    const versions = this.requirePrompt(name);
    const versionText = query.get('version');
    const versionNumber = versionText === null ? undefined : parseWholeNumber(versionText, 'version');
    const label = query.get('label');
    const doomed = versions.filter(
      (entry) => (versionNumber === undefined || entry.version === versionNumber) && (label === null || entry.labels.includes(label)),
    );
    if (doomed.length === 0) throw new HttpError(404, 'LangfuseNotFoundError', `Prompt not found: no version of '${name}' matches`);
    const remaining = versions.filter((entry) => !doomed.includes(entry));
    if (remaining.length === 0) {
      this.prompts.delete(name);
      return;
    }
    this.prompts.set(name, remaining);
    this.moveLatestLabel(remaining, this.timestamp());
  }

  private listPrompts(query: URLSearchParams): PromptListResponse {
    const page = query.has('page') ? parseWholeNumber(query.get('page') ?? '', 'page') : 1;
    const limit = query.has('limit') ? parseWholeNumber(query.get('limit') ?? '', 'limit') : defaultListLimit;
    if (page < 1 || limit < 1) throw new HttpError(400, 'InvalidRequestError', 'page and limit must be at least 1');
    const name = query.get('name');
    const label = query.get('label');
    const tag = query.get('tag');
    const fromUpdatedAt = parseOptionalDate(query.get('fromUpdatedAt'), 'fromUpdatedAt');
    const toUpdatedAt = parseOptionalDate(query.get('toUpdatedAt'), 'toUpdatedAt');

    const items: PromptMetaResponse[] = [];
    for (const promptName of this.promptNames()) {
      if (name !== null && promptName !== name) continue;
      const matching = (this.prompts.get(promptName) ?? []).filter((entry) => {
        const updatedAt = Date.parse(entry.updatedAt);
        return (
          (label === null || entry.labels.includes(label)) &&
          (tag === null || entry.tags.includes(tag)) &&
          (fromUpdatedAt === undefined || updatedAt >= fromUpdatedAt) &&
          (toUpdatedAt === undefined || updatedAt < toUpdatedAt)
        );
      });
      const newest = matching.at(-1);
      if (!newest) continue;
      items.push({
        name: promptName,
        type: newest.type,
        versions: matching.map((entry) => entry.version),
        labels: unique(matching.flatMap((entry) => entry.labels)).sort(),
        tags: [...newest.tags],
        lastUpdatedAt: new Date(Math.max(...matching.map((entry) => Date.parse(entry.updatedAt)))).toISOString(),
        lastConfig: structuredClone(newest.config),
      });
    }
    return {
      data: items.slice((page - 1) * limit, page * limit),
      meta: { page, limit, totalItems: items.length, totalPages: Math.ceil(items.length / limit) },
    };
  }

  private addVersion(input: NewVersionInput): StoredPromptVersion {
    const versions = this.prompts.get(input.name) ?? [];
    const now = this.timestamp();
    const labels = unique(input.labels.filter((label) => label !== latestLabel));
    for (const other of versions)
      this.setLabels(
        other,
        other.labels.filter((label) => !labels.includes(label)),
        now,
      );
    // Tags belong to the prompt: new tags apply to every version, no tags keeps the current ones.
    const tags = input.tags ? unique(input.tags) : [...(versions.at(-1)?.tags ?? [])];
    if (input.tags) for (const other of versions) other.tags = [...tags];
    const created: StoredPromptVersion = {
      id: randomUUID(),
      projectId: this.options.projectId ?? defaultProjectId,
      name: input.name,
      version: Math.max(0, ...versions.map((entry) => entry.version)) + 1,
      type: input.type,
      prompt: structuredClone(input.prompt),
      config: structuredClone(input.config),
      labels,
      tags,
      commitMessage: input.commitMessage,
      createdBy: 'API',
      createdAt: now,
      updatedAt: now,
    };
    versions.push(created);
    this.prompts.set(input.name, versions);
    this.moveLatestLabel(versions, now);
    return created;
  }

  /** Puts `latest` on the newest version and takes it off every other one. */
  private moveLatestLabel(versions: StoredPromptVersion[], now: string): void {
    const newest = Math.max(...versions.map((entry) => entry.version));
    for (const entry of versions) {
      const others = entry.labels.filter((label) => label !== latestLabel);
      this.setLabels(entry, entry.version === newest ? [...others, latestLabel] : others, now);
    }
  }

  private setLabels(version: StoredPromptVersion, labels: string[], now: string): void {
    const sorted = unique(labels).sort();
    if (sorted.join('\n') === version.labels.join('\n')) return;
    version.labels = sorted;
    version.updatedAt = now;
  }

  private requirePrompt(name: string): StoredPromptVersion[] {
    const versions = this.prompts.get(name);
    if (!versions || versions.length === 0) throw new HttpError(404, 'LangfuseNotFoundError', `Prompt not found: '${name}'`);
    return versions;
  }

  private isAuthorized(authorization: string | undefined): boolean {
    const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return false;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    if (separator < 0) return false;
    return decoded.slice(0, separator) === this.options.publicKey && decoded.slice(separator + 1) === this.options.secretKey;
  }

  /** Strictly increasing ISO timestamps, so `updatedAt` filters never see two changes at the same millisecond. */
  private timestamp(): string {
    this.lastTimestamp = Math.max(Date.now(), this.lastTimestamp + 1);
    return new Date(this.lastTimestamp).toISOString();
  }

  private delay(milliseconds: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pendingDelays.delete(timer);
        resolve();
      }, milliseconds);
      this.pendingDelays.add(timer);
    });
  }
}

/** How every endpoint of {@link LangfuseTestServer} behaves; see {@link LangfuseTestServer.setMode}. */
/** One span as received over OTLP JSON, decoded. */
export interface ReceivedOtelSpan {
  /** 32 hex characters. */
  traceId: string;
  /** 16 hex characters. */
  spanId: string;
  parentSpanId: string | null;
  name: string;
  /** The instrumentation scope that made it. */
  scope: string;
  attributes: Record<string, unknown>;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
}

/** OTLP ids are hex in the JSON encoding; base64 (the protobuf-style JSON some exporters write) is accepted too. */
function otlpId(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  if (/^[0-9a-f]+$/i.test(value) && (value.length === 32 || value.length === 16)) return value.toLowerCase();
  return Buffer.from(value, 'base64').toString('hex');
}

/** An OTLP AnyValue as a plain value. */
function anyValue(value: Record<string, unknown> | undefined): unknown {
  if (!value) return null;
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return Number(value.doubleValue);
  if ('arrayValue' in value) return ((value.arrayValue as { values?: Record<string, unknown>[] }).values ?? []).map(anyValue);
  if ('kvlistValue' in value) return decodeAttributes((value.kvlistValue as { values?: OtlpKeyValue[] }).values);
  return null;
}

type OtlpKeyValue = { key: string; value?: Record<string, unknown> };

function decodeAttributes(attributes: OtlpKeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((attributes ?? []).map((entry) => [entry.key, anyValue(entry.value)]));
}

function decodeOtlpJson(body: unknown): ReceivedOtelSpan[] {
  if (!isRecord(body) || !Array.isArray(body.resourceSpans))
    throw new HttpError(400, 'InvalidRequestError', 'An OTLP export needs resourceSpans');
  const spans: ReceivedOtelSpan[] = [];
  for (const resource of body.resourceSpans as Array<{
    scopeSpans?: Array<{ scope?: { name?: string }; spans?: Array<Record<string, any>> }>;
  }>) {
    for (const scopeSpans of resource.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        spans.push({
          traceId: otlpId(span.traceId) ?? '',
          spanId: otlpId(span.spanId) ?? '',
          parentSpanId: otlpId(span.parentSpanId),
          name: String(span.name),
          scope: scopeSpans.scope?.name ?? '',
          attributes: decodeAttributes(span.attributes),
          startTimeUnixNano: String(span.startTimeUnixNano),
          endTimeUnixNano: String(span.endTimeUnixNano),
        });
      }
    }
  }
  return spans;
}

export type LangfuseTestServerMode = 'up' | 'down-500' | 'down-connection-reset' | 'slow';

/** Options of {@link LangfuseTestServer.start}. */
export interface LangfuseTestServerOptions {
  /** The only public key accepted (the Basic auth user name). */
  publicKey: string;
  /** The only secret key accepted (the Basic auth password). */
  secretKey: string;
  /** Reported as `projectId` on prompt versions; defaults to `test-project`. */
  projectId?: string;
}

/** A text prompt is a string; a chat prompt is a list of messages or placeholders. */
export type PromptContent = string | Array<Record<string, unknown>>;

/** One version to store with {@link LangfuseTestServer.seedPrompt}. */
export interface SeedPromptVersion {
  prompt: PromptContent;
  /** Defaults to `chat` for a list of messages, else `text`. */
  type?: 'text' | 'chat';
  config?: unknown;
  labels?: string[];
  /** Tags are per prompt: given here they replace the tags of every earlier version too. */
  tags?: string[];
  commitMessage?: string;
}

/** A prompt version as the server stores and serves it. */
export interface StoredPromptVersion {
  id: string;
  projectId: string;
  name: string;
  version: number;
  type: 'text' | 'chat';
  prompt: PromptContent;
  config: unknown;
  /** Sorted; `latest` is on the newest version only. */
  labels: string[];
  tags: string[];
  commitMessage: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** The body of `GET /api/public/v2/prompts/{name}`, `POST /api/public/v2/prompts` and the PATCH of a version. */
export interface PromptResponse extends StoredPromptVersion {
  /** Always `null`: this double has no prompt dependencies. */
  resolutionGraph: null;
}

/** One entry of `GET /api/public/v2/prompts`, shaped like the SDK's `PromptMeta`. */
export interface PromptMetaResponse {
  name: string;
  type: 'text' | 'chat';
  /** Numbers of the versions that match the filters, oldest first. */
  versions: number[];
  /** Union of the labels of the matching versions, sorted. */
  labels: string[];
  tags: string[];
  lastUpdatedAt: string;
  /** Config of the newest matching version. */
  lastConfig: unknown;
}

/** The body of `GET /api/public/v2/prompts`, shaped like the SDK's `PromptMetaListResponse`. */
export interface PromptListResponse {
  data: PromptMetaResponse[];
  meta: { page: number; limit: number; totalItems: number; totalPages: number };
}

/** A score as stored from a `score-create` event (the SDK's `ScoreBody`, with the envelope's id and time). */
export interface ReceivedScore {
  /** The score id: the body's `id`, or one generated by the server when the body had none. */
  id: string;
  /** The id of the ingestion event that carried it (unique per send, unlike `id`). */
  eventId: string;
  /** The event envelope's `timestamp`. */
  eventTimestamp: string;
  name: string;
  value: number | string;
  traceId: string | null;
  observationId: string | null;
  sessionId: string | null;
  datasetRunId: string | null;
  /** As sent; `null` when the body had none (the real server then infers it from the value). */
  dataType: ScoreDataType | null;
  comment: string | null;
  environment: string | null;
  metadata: unknown;
}

/** The score data types the ingestion API accepts. */
export type ScoreDataType = 'NUMERIC' | 'BOOLEAN' | 'CATEGORICAL' | 'CORRECTION' | 'TEXT';

/** What {@link LangfuseTestServer.setRouteFailure} answers, and where. */
export interface RouteFailure {
  /** Path prefixes, e.g. `langfuseDatasetPaths` or `['/api/public/dataset-run-items']`. */
  paths: readonly string[];
  /** The status, e.g. 500 (the SDK retries 5xx twice, with backoff, unless `maxRetries: 0`). */
  status: number;
  message?: string;
}

/** What {@link LangfuseTestServer.setIngestionEventError} makes every ingestion event fail with. */
export interface IngestionEventError {
  /** The per-event status in the 207's `errors`, e.g. 500. */
  status: number;
  message: string;
}

/** The body of `POST /api/public/ingestion` (sent with status 207), shaped like the SDK's `IngestionResponse`. */
export interface IngestionResponse {
  successes: Array<{ id: string; status: number }>;
  errors: Array<{ id: string; status: number; message: string; error: unknown }>;
}

/** One request as the server received it. */
export interface RecordedRequest {
  method: string;
  /** The raw (still percent-encoded) path, e.g. `/api/public/v2/prompts/team%2Fsql`. */
  path: string;
  /** Query parameters, decoded; the last value wins when one repeats. */
  query: Record<string, string>;
  /** The `Authorization` header as sent, if any. */
  authorization: string | undefined;
  /** All headers, lower-case names. */
  headers: Record<string, string>;
  /** The parsed JSON body, the raw text when it is not JSON, or `undefined` when empty. */
  body: unknown;
}

interface NewVersionInput {
  name: string;
  type: 'text' | 'chat';
  prompt: PromptContent;
  config: unknown;
  labels: string[];
  tags: string[] | undefined;
  commitMessage: string | null;
}

const promptsPath = '/api/public/v2/prompts';
const ingestionPath = '/api/public/ingestion';
const otelTracesPath = '/api/public/otel/v1/traces';
const scoresPath = '/api/public/scores';
/** A score created with `POST /api/public/scores` needs at least one of these. */
const scoreTargets = ['traceId', 'observationId', 'sessionId', 'datasetRunId'] as const;
const scoreCreateEventType = 'score-create';
const scoreDataTypes: readonly ScoreDataType[] = ['NUMERIC', 'BOOLEAN', 'CATEGORICAL', 'CORRECTION', 'TEXT'];
const latestLabel = 'latest';
const productionLabel = 'production';
const defaultListLimit = 50;
const defaultSlowMs = 1000;
const defaultProjectId = 'test-project';

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

function parseRequestBody(rawBody: string): unknown {
  if (rawBody.length === 0) return undefined;
  try {
    return JSON.parse(rawBody);
  } catch {
    throw new HttpError(400, 'InvalidRequestError', 'The request body is not valid JSON');
  }
}

function parseBodyForLog(rawBody: string): unknown {
  if (rawBody.length === 0) return undefined;
  try {
    return JSON.parse(rawBody);
  } catch {
    return rawBody;
  }
}

function decodeSegments(segments: string[]): string {
  try {
    return segments.map((segment) => decodeURIComponent(segment)).join('/');
  } catch {
    throw new HttpError(400, 'InvalidRequestError', 'The prompt name is not validly percent-encoded');
  }
}

function parseWholeNumber(text: string, field: string): number {
  if (!/^\d+$/.test(text)) throw new HttpError(400, 'InvalidRequestError', `${field} must be a whole number, got '${text}'`);
  return Number(text);
}

function parseOptionalDate(text: string | null, field: string): number | undefined {
  if (text === null) return undefined;
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw new HttpError(400, 'InvalidRequestError', `${field} must be an ISO 8601 date-time, got '${text}'`);
  return time;
}

function requireLabelList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string' && entry.length > 0)) {
    throw new HttpError(400, 'InvalidRequestError', `${field} must be an array of non-empty strings`);
  }
  return value as string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function copyVersion(version: StoredPromptVersion): StoredPromptVersion {
  return structuredClone(version);
}

function toPromptResponse(version: StoredPromptVersion): PromptResponse {
  return { ...copyVersion(version), resolutionGraph: null };
}

/** Why a `score-create` body would be refused (the real server's rules that matter to a client), or null. */
function scoreProblem(body: Record<string, unknown>): string | null {
  if (typeof body.name !== 'string' || body.name.length === 0) return 'name must be a non-empty string';
  const { value, dataType } = body;
  if (typeof value !== 'number' && typeof value !== 'string') return 'value must be a number or a string';
  if (typeof value === 'number' && !Number.isFinite(value)) return 'value must be a finite number';
  for (const field of ['id', 'traceId', 'observationId', 'sessionId', 'datasetRunId', 'comment', 'environment'] as const) {
    if (body[field] !== undefined && body[field] !== null && typeof body[field] !== 'string') return `${field} must be a string`;
  }
  if (dataType === undefined || dataType === null) return null;
  if (!scoreDataTypes.includes(dataType as ScoreDataType)) return `dataType must be one of ${scoreDataTypes.join(', ')}`;
  if (dataType === 'NUMERIC' && typeof value !== 'number') return 'A NUMERIC score needs a numeric value';
  if (dataType === 'BOOLEAN' && value !== 0 && value !== 1) return 'A BOOLEAN score needs the value 0 or 1';
  if ((dataType === 'CATEGORICAL' || dataType === 'TEXT') && typeof value !== 'string') return `A ${dataType} score needs a string value`;
  return null;
}

function toReceivedScore(eventId: string, eventTimestamp: string, body: Record<string, unknown>): ReceivedScore {
  const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
  return {
    id: text(body.id) ?? randomUUID(),
    eventId,
    eventTimestamp,
    name: body.name as string,
    value: body.value as number | string,
    traceId: text(body.traceId),
    observationId: text(body.observationId),
    sessionId: text(body.sessionId),
    datasetRunId: text(body.datasetRunId),
    dataType: (body.dataType as ScoreDataType | undefined) ?? null,
    comment: text(body.comment),
    environment: text(body.environment),
    metadata: structuredClone(body.metadata ?? null),
  };
}
