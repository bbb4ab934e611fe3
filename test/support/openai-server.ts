import { flattenHeaders, listenOnLoopback, readBody } from './http-helpers.ts';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * A loopback test double of the OpenAI Chat Completions API (`POST /v1/chat/completions`, non-streaming), good
 * enough for the real `openai` 6.x client to be exercised end to end: replies, retries, timeouts, auth and errors.
 *
 * Each chat completion call takes the next scripted {@link ScriptedStep} from the queue ({@link enqueue}); when the
 * queue is empty it asks the {@link respond} handler; with neither it answers 500 "no scripted response for call N",
 * so a test with too few steps fails loudly. Every request is recorded in {@link requests}.
 *
 * Before a call takes a step, the server checks what the real API would reject with 400 (unless started with
 * `validateRequests: false`): a body that is not a JSON object, a missing `model`, empty `messages`,
 * `stream: true` (not supported here), `tools`-only fields (`tool_choice`, `parallel_tool_calls`) without `tools`,
 * a `tool` message that answers no preceding tool call, an assistant tool call left unanswered, and
 * `response_format: json_object` when no message mentions "json". A rejected call takes no step.
 *
 * Replies carry `content-type: application/json` (without it the client returns the body as a string) and an
 * `x-request-id` header (the client exposes it as `completion._request_id` and `APIError.requestID`).
 */
export class OpenAiTestServer {
  /** Every request received, in arrival order, including rejected ones (401, 400, 404). */
  readonly requests: RecordedChatRequest[] = [];

  private readonly queue: ScriptedStep[] = [];
  private handler: ScriptedHandler | undefined;
  private callCount = 0;
  private requestCount = 0;
  private readonly pendingDelays = new Set<PendingDelay>();
  private closed = false;

  private constructor(
    private readonly server: Server,
    private readonly options: OpenAiTestServerOptions,
    /** The URL to give the client as `baseURL`, e.g. `http://127.0.0.1:41234/v1`. */
    readonly baseUrl: string,
  ) {}

  /** Starts a server on 127.0.0.1 on a free port. */
  static async start(options: OpenAiTestServerOptions = {}): Promise<OpenAiTestServer> {
    const { server, base } = await listenOnLoopback();
    const instance = new OpenAiTestServer(server, options, `${base}/v1`);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      instance.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent && !response.destroyed) {
          sendError(response, 500, { message: `OpenAI test server failed: ${describeError(error)}`, type: 'server_error' });
        } else {
          response.destroy();
        }
      });
    });
    return instance;
  }

  /** Appends steps to the script; each chat completion call takes the first one left. */
  enqueue(...steps: ScriptedStep[]): this {
    this.queue.push(...steps);
    return this;
  }

  /** Sets (or, with `undefined`, removes) the handler that answers calls while the queue is empty. */
  respond(handler: ScriptedHandler | undefined): this {
    this.handler = handler;
    return this;
  }

  /** How many enqueued steps no call has taken yet. */
  get remainingSteps(): number {
    return this.queue.length;
  }

  /** How many chat completion calls took a step (or found none) since start or {@link reset}. */
  get callsAnswered(): number {
    return this.callCount;
  }

  /** The requests that reached the script (the ones with a `callIndex`), in arrival order. */
  get chatCalls(): RecordedChatRequest[] {
    return this.requests.filter((request) => request.callIndex !== null);
  }

  /** The last request received; throws when there is none. */
  lastRequest(): RecordedChatRequest {
    const last = this.requests.at(-1);
    if (!last) throw new Error('The OpenAI test server has received no request yet');
    return last;
  }

  /** Forgets the recorded requests (the script and the call count stay). */
  clearRequests(): void {
    this.requests.length = 0;
  }

  /** Forgets the queue, the handler, the recorded requests and the call count. */
  reset(): void {
    this.queue.length = 0;
    this.handler = undefined;
    this.requests.length = 0;
    this.callCount = 0;
  }

  /** Stops listening and cuts every open connection, kept-alive ones and slow responses included. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const pending of this.pendingDelays) {
      clearTimeout(pending.timer);
      pending.resolve();
    }
    this.pendingDelays.clear();
    await new Promise<void>((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let clientGone = false;
    response.on('close', () => {
      clientGone = true;
    });
    const rawBody = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const parsed = parseJson(rawBody);
    const recorded: RecordedChatRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      headers: flattenHeaders(request),
      body: isRecord(parsed) ? (parsed as RecordedChatRequestBody) : {},
      rawBody,
      receivedAt: Date.now(),
      callIndex: null,
    };
    this.requests.push(recorded);
    const requestId = `req_test_${++this.requestCount}_${randomBytes(4).toString('hex')}`;

    if (this.options.apiKey !== undefined) {
      const authorization = recorded.headers.authorization;
      if (authorization !== `Bearer ${this.options.apiKey}`) {
        const missing = authorization === undefined || !/^Bearer\s+\S/i.test(authorization);
        sendError(
          response,
          401,
          missing
            ? {
                message:
                  "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                type: 'invalid_request_error',
              }
            : {
                message: 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
                type: 'invalid_request_error',
                code: 'invalid_api_key',
              },
          { 'x-request-id': requestId },
        );
        return;
      }
    }

    if (recorded.method !== 'POST' || url.pathname !== chatCompletionsPath) {
      sendError(
        response,
        404,
        { message: `Invalid URL (${recorded.method} ${url.pathname})`, type: 'invalid_request_error' },
        { 'x-request-id': requestId },
      );
      return;
    }

    const invalid = this.validate(parsed, rawBody);
    if (invalid) {
      sendError(response, 400, { type: 'invalid_request_error', ...invalid }, { 'x-request-id': requestId });
      return;
    }

    const callIndex = this.callCount++;
    recorded.callIndex = callIndex;
    let step: ScriptedStep | undefined = this.queue.shift();
    if (step === undefined && this.handler) {
      try {
        step = await this.handler(recorded, callIndex);
      } catch (error) {
        sendError(
          response,
          500,
          {
            message: `OpenAI test server: the respond() handler threw for call ${callIndex + 1} (callIndex ${callIndex}): ${describeError(error)}`,
            type: 'server_error',
          },
          { 'x-request-id': requestId, 'x-should-retry': 'false' },
        );
        return;
      }
    }
    if (step === undefined) {
      sendError(
        response,
        500,
        {
          message: `OpenAI test server: no scripted response for call ${callIndex + 1} (callIndex ${callIndex}); enqueue() more steps or set a respond() handler`,
          type: 'server_error',
          code: 'no_scripted_response',
        },
        // Retrying would only repeat the failure (after the client's 0.5–8 s backoff).
        { 'x-request-id': requestId, 'x-should-retry': 'false' },
      );
      return;
    }
    await this.play(step, recorded, callIndex, requestId, request, response, () => clientGone);
  }

  private async play(
    step: ScriptedStep,
    recorded: RecordedChatRequest,
    callIndex: number,
    requestId: string,
    request: IncomingMessage,
    response: ServerResponse,
    isClientGone: () => boolean,
  ): Promise<void> {
    if (isDelayedStep(step)) {
      await this.delay(step.delayMs, response);
      if (this.closed || isClientGone()) return;
      await this.play(step.then, recorded, callIndex, requestId, request, response, isClientGone);
      return;
    }
    if (isDestroySocketStep(step)) {
      request.socket.destroy();
      return;
    }
    if (isErrorStep(step)) {
      const headers = { 'x-request-id': requestId, ...step.headers };
      if (step.body === undefined) {
        sendError(
          response,
          step.status,
          { ...defaultErrorFor(step.status), ...(step.message !== undefined ? { message: step.message } : {}) },
          headers,
        );
      } else if (typeof step.body === 'string') {
        sendText(response, step.status, step.body, headers);
      } else {
        sendJson(response, step.status, step.body, headers);
      }
      return;
    }
    if (isToolCallStep(step) || isContentStep(step)) {
      sendJson(response, 200, buildCompletion(step, recorded.body, callIndex), {
        'x-request-id': requestId,
        'openai-processing-ms': '1',
        'openai-version': '2020-10-01',
        ...step.headers,
      });
      return;
    }
    sendError(
      response,
      500,
      { message: `OpenAI test server: call ${callIndex + 1} got a step of unknown shape: ${safeStringify(step)}`, type: 'server_error' },
      { 'x-request-id': requestId, 'x-should-retry': 'false' },
    );
  }

  /** What the real API would reject with 400, as `{ message, param }`; `undefined` when the body is acceptable. */
  private validate(body: unknown, rawBody: string): { message: string; param: string | null; code?: string } | undefined {
    if (!isRecord(body)) {
      return {
        message:
          rawBody.length === 0
            ? 'OpenAI test server: the request has no body'
            : 'OpenAI test server: the request body is not a JSON object',
        param: null,
      };
    }
    if (body.stream === true) {
      return {
        message:
          'OpenAI test server: streaming (stream: true) is not supported; send a non-streaming request (omit stream or set it to false)',
        param: 'stream',
      };
    }
    if (this.options.validateRequests === false) return undefined;
    if (typeof body.model !== 'string' || body.model.length === 0) {
      return { message: 'you must provide a model parameter', param: 'model' };
    }
    const messages = body.messages;
    if (!Array.isArray(messages) || messages.length === 0) {
      return {
        message: "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
        param: 'messages',
        code: 'empty_array',
      };
    }
    const hasTools = Array.isArray(body.tools) && body.tools.length > 0;
    for (const field of ['tool_choice', 'parallel_tool_calls'] as const) {
      if (body[field] !== undefined && !hasTools) {
        return { message: `Invalid value for '${field}': '${field}' is only allowed when 'tools' are specified.`, param: field };
      }
    }
    let unanswered: string[] = [];
    for (const [index, message] of messages.entries()) {
      if (!isRecord(message) || typeof message.role !== 'string') {
        return { message: `Invalid 'messages[${index}]': expected an object with a role.`, param: `messages.[${index}]` };
      }
      if (message.role === 'tool') {
        const toolCallId = message.tool_call_id;
        if (typeof toolCallId !== 'string' || !unanswered.includes(toolCallId)) {
          return {
            message: "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
            param: `messages.[${index}].role`,
          };
        }
        unanswered = unanswered.filter((id) => id !== toolCallId);
        continue;
      }
      if (unanswered.length > 0) {
        return {
          message: `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${unanswered.join(', ')}`,
          param: 'messages',
        };
      }
      if (message.role === 'assistant' && Array.isArray(message.tool_calls)) {
        unanswered = message.tool_calls.map((call) => (isRecord(call) && typeof call.id === 'string' ? call.id : ''));
      }
    }
    if (unanswered.length > 0) {
      return {
        message: `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${unanswered.join(', ')}`,
        param: 'messages',
      };
    }
    const responseFormat = body.response_format;
    if (isRecord(responseFormat) && responseFormat.type === 'json_object') {
      const mentionsJson = messages.some((message) => isRecord(message) && /json/i.test(messageText(message)));
      if (!mentionsJson) {
        return {
          message: "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
          param: 'messages',
        };
      }
    }
    return undefined;
  }

  /** Waits, ending early when the server closes or the client hangs up. */
  private delay(milliseconds: number, response: ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      const pending: PendingDelay = {
        timer: setTimeout(() => finish(), milliseconds),
        resolve: () => finish(),
      };
      const finish = () => {
        clearTimeout(pending.timer);
        this.pendingDelays.delete(pending);
        response.off('close', finish);
        resolve();
      };
      response.on('close', finish);
      this.pendingDelays.add(pending);
    });
  }
}

/** Options of {@link OpenAiTestServer.start}. */
export interface OpenAiTestServerOptions {
  /** When set, a request without `Authorization: Bearer <apiKey>` gets a 401 (`invalid_api_key` for a wrong key). */
  apiKey?: string;
  /**
   * `false` turns off the checks the real API makes (model, messages, tool-only fields, tool call pairing, the
   * "json" word for `json_object`); a non-JSON body and `stream: true` are always rejected. Defaults to `true`.
   */
  validateRequests?: boolean;
}

/** Token counts a step reports as `usage`; `totalTokens` defaults to the sum. */
export interface ScriptedUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens?: number;
}

/** Fields every successful reply step may set. */
export interface ScriptedReplyOptions {
  /**
   * `undefined` (default): deterministic counts from {@link estimatePromptTokens} and {@link estimateCompletionTokens};
   * `null`: the reply has no `usage` field at all; numbers: reported as given.
   */
  usage?: ScriptedUsage | null;
  /** The `model` of the reply; defaults to the request's model. */
  model?: string;
  /** Extra response headers. */
  headers?: Record<string, string>;
}

/** One tool call of a {@link ToolCallStep}. */
export interface ScriptedToolCall {
  name: string;
  /** An object is sent JSON-stringified; a string is sent verbatim, so invalid JSON can be sent. */
  arguments: string | object;
  /** Defaults to `call_<callIndex>_<position>`. */
  id?: string;
}

/** A reply asking for tool calls; `finish_reason` defaults to `tool_calls`. */
export interface ToolCallStep extends ScriptedReplyOptions {
  toolCalls: ScriptedToolCall[];
  /** Text the model wrote next to the calls; defaults to `null`. */
  content?: string | null;
  finishReason?: string;
}

/** A text reply; `finish_reason` defaults to `stop`. */
export interface ContentStep extends ScriptedReplyOptions {
  content: string;
  finishReason?: string;
}

/** An error reply. */
export interface ErrorStep {
  status: number;
  /**
   * The body: `undefined` gives OpenAI's error shape `{ error: { message, type, param, code } }` for the status;
   * a string is sent verbatim as `text/plain`; anything else is sent as JSON.
   */
  body?: unknown;
  /** The `error.message` of the default body. */
  message?: string;
  /** Response headers, e.g. `retry-after`, `retry-after-ms`, `x-should-retry`. */
  headers?: Record<string, string>;
}

/** Waits `delayMs` before playing `then` (cut short when the client gives up or the server closes). */
export interface DelayedStep {
  delayMs: number;
  then: ScriptedStep;
}

/** Destroys the connection without answering (the client sees a connection error). */
export interface DestroySocketStep {
  destroySocket: true;
}

/** What the server does with one chat completion call. */
export type ScriptedStep = ToolCallStep | ContentStep | ErrorStep | DelayedStep | DestroySocketStep;

/** Answers a call while the queue is empty; `callIndex` counts calls from 0 since start or reset. */
export type ScriptedHandler = (request: RecordedChatRequest, callIndex: number) => ScriptedStep | Promise<ScriptedStep>;

/** A tool call in a request message, as the client sends it. */
export interface RequestToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** A message of a request, as the client sends it. */
export interface RequestMessage {
  role: string;
  content?: string | Array<{ type: string; text?: string }> | null;
  tool_calls?: RequestToolCall[];
  tool_call_id?: string;
  name?: string;
  [field: string]: unknown;
}

/** A tool offered in a request, as the client sends it. */
export interface RequestTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean | null };
}

/** The parsed JSON body of a request; `{}` when the body is not a JSON object. */
export interface RecordedChatRequestBody {
  model?: string;
  messages?: RequestMessage[];
  tools?: RequestTool[];
  tool_choice?: 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };
  temperature?: number;
  response_format?: { type: string; [field: string]: unknown };
  parallel_tool_calls?: boolean;
  max_tokens?: number;
  max_completion_tokens?: number;
  stream?: boolean;
  [field: string]: unknown;
}

/** One request as the server received it. */
export interface RecordedChatRequest {
  method: string;
  /** The path without the query, e.g. `/v1/chat/completions`. */
  path: string;
  /** All headers, lower-case names. */
  headers: Record<string, string>;
  body: RecordedChatRequestBody;
  /** The body text as received. */
  rawBody: string;
  /** `Date.now()` when the body had arrived. */
  receivedAt: number;
  /** The 0-based index of the call among those that reached the script; `null` when rejected before (401, 400, 404). */
  callIndex: number | null;
}

/** The `choices[0].message` of a reply. */
export interface CompletionMessage {
  role: 'assistant';
  content: string | null;
  tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
  refusal: null;
}

/** The body of a successful reply, in OpenAI's `chat.completion` shape. */
export interface ChatCompletionReply {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{ index: 0; message: CompletionMessage; finish_reason: string; logprobs: null }>;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  system_fingerprint: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Presets: steps for the cases an agent test suite needs.

/** A reply calling one tool; `options` may set the call `id`, `content`, `usage`, `model`… */
export function toolCallStep(
  name: string,
  toolArguments: string | object,
  options: Omit<ToolCallStep, 'toolCalls'> & { id?: string } = {},
): ToolCallStep {
  const { id, ...rest } = options;
  return { ...rest, toolCalls: [{ name, arguments: toolArguments, ...(id !== undefined ? { id } : {}) }] };
}

/** A plain text reply (`finish_reason: stop` unless `options.finishReason` says otherwise). */
export function contentStep(content: string, options: Omit<ContentStep, 'content'> = {}): ContentStep {
  return { ...options, content };
}

/**
 * A 429 rate limit followed by `then`: spread it into {@link OpenAiTestServer.enqueue}. The 429 carries
 * `retry-after` (seconds, default `0`) so the client retries at once instead of backing off for ~0.5 s.
 */
export function rateLimitThenSuccessSteps(then: ScriptedStep, options: { retryAfterSeconds?: number } = {}): [ErrorStep, ScriptedStep] {
  return [
    {
      status: 429,
      headers: { 'retry-after': String(options.retryAfterSeconds ?? 0) },
      message: 'Rate limit reached for requests per min (RPM): Limit 3, Used 3, Requested 1 (scripted by the OpenAI test server).',
    },
    then,
  ];
}

/**
 * A 500 in OpenAI's error shape. It carries `retry-after-ms: 0` (so a retrying client retries at once instead of
 * backing off 0.5–8 s) unless `retryAfterMs` says otherwise; `retryAfterMs: null` sends no such header.
 */
export function serverErrorStep(options: { retryAfterMs?: number | null; message?: string } = {}): ErrorStep {
  const retryAfterMs = options.retryAfterMs === undefined ? 0 : options.retryAfterMs;
  return {
    status: 500,
    ...(options.message !== undefined ? { message: options.message } : {}),
    ...(retryAfterMs !== null ? { headers: { 'retry-after-ms': String(retryAfterMs) } } : {}),
  };
}

/** `then` (by default a short text reply) after `delayMs`, to run into the client's `timeout`. */
export function slowStep(delayMs: number, then: ScriptedStep = contentStep('a slow answer')): DelayedStep {
  return { delayMs, then };
}

/** A tool call whose `arguments` are not valid JSON (sent verbatim). */
export function malformedArgumentsStep(name: string, rawArguments = '{"sql": "SELECT 1", "limit": '): ToolCallStep {
  return { toolCalls: [{ name, arguments: rawArguments }] };
}

/** A call of a tool the request did not offer. */
export function unknownToolStep(name = 'drop_all_tables', toolArguments: string | object = {}): ToolCallStep {
  return { toolCalls: [{ name, arguments: toolArguments }] };
}

/** The connection is reset without an answer. */
export function connectionResetStep(): DestroySocketStep {
  return { destroySocket: true };
}

/**
 * A {@link ScriptedHandler} for "a model that never stops calling tools": every call it gets is answered with a
 * call of `name` (arguments may depend on the call index), so an agent loop must stop on its own step limit.
 */
export function neverEndingToolCallsHandler(
  name: string,
  toolArguments: string | object | ((callIndex: number) => string | object) = {},
): ScriptedHandler {
  return (_request, callIndex) => ({
    toolCalls: [{ name, arguments: typeof toolArguments === 'function' ? toolArguments(callIndex) : toolArguments }],
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Deterministic usage.

/** The default `prompt_tokens`: a quarter of the characters of the request's message text and tool calls, rounded up, at least 1. */
export function estimatePromptTokens(body: { messages?: unknown }): number {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const characters = messages.reduce((sum, message) => sum + (isRecord(message) ? messageText(message).length : 0), 0);
  return Math.max(1, Math.ceil(characters / 4));
}

/** The default `completion_tokens`: a quarter of the characters of the reply's content, tool names and arguments, rounded up, at least 1. */
export function estimateCompletionTokens(message: CompletionMessage): number {
  const characters =
    (message.content ?? '').length +
    (message.tool_calls ?? []).reduce((sum, call) => sum + call.function.name.length + call.function.arguments.length, 0);
  return Math.max(1, Math.ceil(characters / 4));
}

// ---------------------------------------------------------------------------------------------------------------
// Internals.

interface PendingDelay {
  timer: NodeJS.Timeout;
  resolve: () => void;
}

interface ErrorFields {
  message: string;
  type: string;
  param?: string | null;
  code?: string | null;
}

const chatCompletionsPath = '/v1/chat/completions';

function isDelayedStep(step: ScriptedStep): step is DelayedStep {
  return 'delayMs' in step && 'then' in step;
}

function isDestroySocketStep(step: ScriptedStep): step is DestroySocketStep {
  return 'destroySocket' in step && step.destroySocket === true;
}

function isErrorStep(step: ScriptedStep): step is ErrorStep {
  return 'status' in step && typeof step.status === 'number';
}

function isToolCallStep(step: ScriptedStep): step is ToolCallStep {
  return 'toolCalls' in step && Array.isArray(step.toolCalls);
}

function isContentStep(step: ScriptedStep): step is ContentStep {
  return 'content' in step && typeof step.content === 'string';
}

function buildCompletion(step: ToolCallStep | ContentStep, body: RecordedChatRequestBody, callIndex: number): ChatCompletionReply {
  const toolCalls = isToolCallStep(step)
    ? step.toolCalls.map((call, position) => ({
        id: call.id ?? `call_${callIndex}_${position}`,
        type: 'function' as const,
        function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) },
      }))
    : undefined;
  const message: CompletionMessage = {
    role: 'assistant',
    content: step.content ?? null,
    ...(toolCalls ? { tool_calls: toolCalls } : {}),
    refusal: null,
  };
  const reply: ChatCompletionReply = {
    id: `chatcmpl-test-${callIndex}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: step.model ?? (typeof body.model === 'string' ? body.model : 'unknown-model'),
    choices: [{ index: 0, message, finish_reason: step.finishReason ?? (toolCalls ? 'tool_calls' : 'stop'), logprobs: null }],
    system_fingerprint: 'fp_openai_test_server',
  };
  if (step.usage !== null) {
    const promptTokens = step.usage?.promptTokens ?? estimatePromptTokens(body);
    const completionTokens = step.usage?.completionTokens ?? estimateCompletionTokens(message);
    reply.usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: step.usage?.totalTokens ?? promptTokens + completionTokens,
    };
  }
  return reply;
}

/** The text of a message: its string content (or text parts) plus the names and arguments of its tool calls. */
function messageText(message: Record<string, unknown>): string {
  const parts: string[] = [];
  const content = message.content;
  if (typeof content === 'string') parts.push(content);
  if (Array.isArray(content)) {
    for (const part of content) if (isRecord(part) && typeof part.text === 'string') parts.push(part.text);
  }
  if (Array.isArray(message.tool_calls)) {
    for (const call of message.tool_calls) {
      if (isRecord(call) && isRecord(call.function)) {
        if (typeof call.function.name === 'string') parts.push(call.function.name);
        if (typeof call.function.arguments === 'string') parts.push(call.function.arguments);
      }
    }
  }
  return parts.join('');
}

function defaultErrorFor(status: number): ErrorFields {
  const suffix = ' (scripted by the OpenAI test server)';
  if (status === 400) return { message: `Bad request${suffix}`, type: 'invalid_request_error' };
  if (status === 401) return { message: `Incorrect API key provided${suffix}`, type: 'invalid_request_error', code: 'invalid_api_key' };
  if (status === 403)
    return { message: `Permission denied${suffix}`, type: 'invalid_request_error', code: 'unsupported_country_region_territory' };
  if (status === 404)
    return {
      message: `The model does not exist or you do not have access to it${suffix}`,
      type: 'invalid_request_error',
      code: 'model_not_found',
    };
  if (status === 408) return { message: `Request timed out${suffix}`, type: 'timeout' };
  if (status === 409) return { message: `Conflict${suffix}`, type: 'invalid_request_error' };
  if (status === 429) return { message: `Rate limit reached for requests${suffix}`, type: 'requests', code: 'rate_limit_exceeded' };
  if (status >= 500)
    return { message: `The server had an error while processing your request. Sorry about that!${suffix}`, type: 'server_error' };
  return { message: `HTTP ${status}${suffix}`, type: status >= 400 ? 'invalid_request_error' : 'server_error' };
}

function sendError(response: ServerResponse, status: number, fields: ErrorFields, headers: Record<string, string> = {}): void {
  sendJson(
    response,
    status,
    { error: { message: fields.message, type: fields.type, param: fields.param ?? null, code: fields.code ?? null } },
    headers,
  );
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(response, status, JSON.stringify(body), 'application/json', headers);
}

function sendText(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  send(response, status, text, 'text/plain; charset=utf-8', headers);
}

function send(response: ServerResponse, status: number, text: string, contentType: string, headers: Record<string, string>): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), ...lowerCaseNames(headers) });
  response.end(text);
}

function lowerCaseNames(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
