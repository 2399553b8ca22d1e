/**
 * Runtime support for generated workflows: the error class, run options and the few
 * helpers that compiled code calls. It ships verbatim inside every generated package, so
 * it depends on nothing but openapi-fetch types.
 */
import type { Middleware } from "openapi-fetch";
import type { MeterLike, RequestSpan, RunTelemetry, TracerLike } from "./runtime-telemetry.js";

/** Options every generated `run<Workflow>` function takes. `Source` is the union of its source description names. */
export interface RunOptions<Source extends string> {
  /**
   * Base URL per source description, replacing every server its OpenAPI document describes
   * (document, path and operation level). Without it, the document's first server is used,
   * its variables at their defaults (`servers` chooses another, or other values).
   */
  baseUrls?: Partial<Record<Source, string>>;
  /** The fetch used for every request (defaults to `globalThis.fetch` at the time of the call). */
  fetch?: (input: Request) => Promise<Response>;
  /** Aborts the run: the pending request is cancelled and no further step starts. */
  signal?: AbortSignal;
  /** openapi-fetch middleware applied to every request, in order (signing, logging, retries…). */
  middleware?: readonly Middleware[];
  /** Longest wait for each response, in milliseconds; a step whose request takes longer fails with reason `timeout`. */
  timeoutMs?: number;
  /**
   * Called after each request with what happened, for logs and traces. It carries no
   * header or body, and query values whose names suggest a secret (token, password, key,
   * secret, code, session, signature) are replaced by `[redacted]`.
   */
  onStep?: (event: StepEvent) => void;
  /**
   * For reporters (`arazzo-ts run`): called in a workflow with success or failure actions when
   * a step has decided where the run goes, before any wait. It names the action, the step it
   * goes to and the wait, never a value.
   */
  onTransition?: (event: TransitionEvent) => void;
  /**
   * For a workflow with success or failure actions: most steps one run may start, retries
   * and loops included (default 100). A workflow whose `goto`s never reach an end fails
   * with reason `step-budget` instead of hanging. (A workflow without actions runs each
   * step once and needs no budget.)
   */
  maxSteps?: number;
  /**
   * Longest wait before a retry, in milliseconds (default 60,000): a `Retry-After` header
   * or `retryAfter` asking for more is cut to this, so a server cannot stall a run for days.
   */
  maxRetryDelayMs?: number;
  /**
   * For a workflow whose `goto` actions loop back to a step that already ran (polling a
   * payment until it settles): wait this long, in milliseconds, before each such step starts
   * again (default 0, no wait). Counted in `maxSteps` like any step.
   */
  pollDelayMs?: number;
  /**
   * Check each JSON response body a step reads against its schema in the API description
   * (validators compiled at generation time, loaded on first use): a body that does not fit
   * fails the step with reason `invalid-response`, naming the JSON pointer and the rule, never
   * the value. Off by default; `format` is not checked.
   */
  validateResponses?: boolean;
  /**
   * The OpenTelemetry tracer of the run's spans: one per run (`arazzo.workflow <workflowId>`),
   * step (`arazzo.step <stepId>`) and request, the trace context sent with each request by the
   * registered propagator. Default: the global API's (`@opentelemetry/api`, an optional peer
   * dependency), which records nothing until an SDK is registered. No input, output, header or
   * body value is ever an attribute.
   */
  tracer?: TracerLike;
  /** The OpenTelemetry meter of the run's metrics (`arazzo.workflow.duration`, `arazzo.step.outcomes`); default: the global API's. */
  meter?: MeterLike;
}

/** One request of a run, as `options.onStep` sees it. */
export interface StepEvent {
  readonly workflowId: string;
  readonly stepId: string;
  readonly method: string;
  /** The request URL, secrets redacted. */
  readonly url: string;
  /** HTTP status, absent when no response came (`outcome: "error"`). */
  readonly status?: number;
  readonly durationMs: number;
  readonly outcome: "response" | "error";
}

/** Where a step of a workflow with actions sent the run (`options.onTransition`). */
export interface TransitionEvent {
  readonly workflowId: string;
  readonly stepId: string;
  /** Whether the step met its success criteria. */
  readonly outcome: "success" | "failure";
  /** `next`: no action applied (the next step in document order, or the end after the last). */
  readonly type: "next" | "end" | "goto" | "goto-workflow" | "retry";
  /** The action that applied. */
  readonly action?: string;
  /** The step the run goes to: `goto`'s, the step a `retry` runs first, or the retried step itself; absent at the end. */
  readonly to?: string;
  /** Milliseconds the run waits first: a retry's delay, or `pollDelayMs` before going back to a step. */
  readonly waitMs: number;
}

/** Why a step failed. */
export type StepFailureReason =
  /** The response did not meet the step's `successCriteria`. */
  | "criteria"
  /** The response lacked a value that a later step needs. */
  | "missing-output"
  /** The request could not be sent or its response could not be read. */
  | "request"
  /** No response within `options.timeoutMs` or the step's `timeout`. */
  | "timeout"
  /** The step reads outputs of a step that has not run (a jump skipped it). */
  | "not-run"
  /** The run took more steps than `options.maxSteps` allows (a loop that does not end). */
  | "step-budget"
  /** With `options.validateResponses`: the response body does not fit its schema. */
  | "invalid-response"
  /** The operation needs credentials the run was not given (`options.auth`). */
  | "missing-credentials"
  /** The credentials could not be had: the token endpoint refused, or a function giving them failed. */
  | "credentials";

export interface StepErrorDetails {
  readonly workflowId: string;
  readonly stepId: string;
  readonly reason: StepFailureReason;
  /** HTTP status of the response, when there was one. */
  readonly status?: number;
  /** Parsed response body, when there was one. */
  readonly body?: unknown;
  /** What failed, in the document's own terms: the criterion text or the output's expression. Never a value. */
  readonly detail: string;
  /**
   * For a regex, JSONPath or XPath success criterion (reason `criteria`): its type and the
   * runtime expression whose value it tested (`$response.body#/id`), never the value.
   */
  readonly criterion?: { readonly type: "regex" | "jsonpath" | "xpath"; readonly context: string };
  readonly cause?: unknown;
  /** Times the step was tried, retries included (1 when absent). */
  readonly attempts?: number;
  /** Milliseconds waited between those attempts (`retryAfter`, `Retry-After`). */
  readonly waitedMs?: number;
}

/**
 * A workflow step failed. The message names the workflow, step, status and the failed
 * criterion (with the expression a regex, JSONPath or XPath criterion tested) or output but
 * never a value from the request or response, so it is safe to log: secrets (client secrets,
 * bearer tokens) cannot leak through it. A request that got no response is said in the
 * platform's words (`fetch failed: connect ECONNREFUSED 127.0.0.1:8080`, `Invalid URL`), URLs
 * without user info or query, and without any message that may quote a header or a body.
 */
export class ArazzoStepError extends Error {
  readonly workflowId: string;
  readonly stepId: string;
  readonly reason: StepFailureReason;
  readonly status: number | undefined;
  /** The parsed response body. It may hold sensitive data: it is not part of the message. */
  readonly body: unknown;
  /** Times the step was tried, retries included: more than 1 when a retry action ran out. */
  readonly attempts: number;
  /** Milliseconds waited between those attempts. */
  readonly waitedMs: number;
  /** What the error was made from, to remake it with the attempts (`WorkflowRun.failed`). */
  readonly details!: StepErrorDetails;

  constructor(details: StepErrorDetails) {
    const status = details.status === undefined ? "" : ` (HTTP ${details.status})`;
    const attempts = details.attempts ?? 1;
    const waitedMs = details.waitedMs ?? 0;
    const loop = attempts > 1 ? `, after ${attempts} attempts (${formatDuration(waitedMs)} waited)` : "";
    const what = {
      criteria: `success criterion \`${details.detail}\`${details.criterion ? ` (${CRITERION_TYPES[details.criterion.type]} on \`${details.criterion.context}\`)` : ""} not met`,
      "missing-output": `response has no value for ${details.detail}`,
      request: `request failed: ${details.detail}`,
      timeout: `request timed out: ${details.detail}`,
      "not-run": `needs the outputs of ${details.detail}, which has not run`,
      "step-budget": `not started: ${details.detail}`,
      "invalid-response": `response body does not fit its schema: ${details.detail}`,
      "missing-credentials": `no credentials: ${details.detail}`,
      credentials: `credentials not obtained: ${details.detail}`,
    }[details.reason];
    super(`workflow \`${details.workflowId}\`, step \`${details.stepId}\`: ${what}${status}${loop}`, { cause: details.cause });
    this.name = "ArazzoStepError";
    this.workflowId = details.workflowId;
    this.stepId = details.stepId;
    this.reason = details.reason;
    this.status = details.status;
    this.attempts = attempts;
    this.waitedMs = waitedMs;
    Object.defineProperty(this, "body", { value: details.body, enumerable: false });
    Object.defineProperty(this, "details", { value: details, enumerable: false });
  }
}

/** How messages name the criterion types that test a context. */
const CRITERION_TYPES = { regex: "regex", jsonpath: "JSONPath", xpath: "XPath" } as const;

/**
 * The run's options cannot work for a source: it has no server with an absolute URL, a server
 * variable has a value its description does not allow, or its credentials cannot be used.
 * Thrown when the run starts, before any request is sent; the message names the source and
 * the option to set, never a value.
 */
export class ArazzoConfigError extends Error {
  /** The source description whose options are wrong. */
  readonly source: string;
  constructor(source: string, message: string) {
    super(`source \`${source}\`: ${message}`);
    this.name = "ArazzoConfigError";
    this.source = source;
  }
}

/**
 * Thrown by a client's credentials (`runtime-auth.ts`) while a request is prepared; `send`
 * turns it into the step's `ArazzoStepError`. The message names the source, scheme and
 * option, never a credential.
 */
export class CredentialsError extends Error {
  constructor(
    readonly reason: "missing-credentials" | "credentials",
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
    this.name = "CredentialsError";
  }
}

/**
 * Responses to a request sent with a token the run fetched itself (OAuth2 client credentials,
 * OpenID Connect) that answered 401: the function forgets that token, and `send` sends the
 * request once more, with a new one.
 */
const unauthorized = new WeakMap<Response, () => void>();

/** Marks a 401 `response` as answering a fetched token that `forget` discards (`runtime-auth.ts`). */
export function retryUnauthorized(response: Response, forget: () => void): void {
  unauthorized.set(response, forget);
}

/** `10 ms`, `1.5 s`, `90 s`. */
function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  return `${seconds < 10 ? Math.round(seconds * 10) / 10 : Math.round(seconds)} s`;
}

/**
 * `Source` when every value of the API field type `Target` is also a `Source`, so a
 * workflow input declared `string` that flows into an enum field accepts only the enum.
 * Otherwise `Source` stays, and the compiler reports the mismatch where the value is used.
 */
export type Narrow<Source, Target> = 0 extends 1 & Target
  ? Source
  : [Target & {}] extends [never]
    ? Source
    : [Target & {}] extends [Source]
      ? Target & {} // `& {}` rather than NonNullable<…> so errors show the plain union
      : Source;

/**
 * `Narrow` applied for each of `Targets` in turn: an input that flows into several API
 * fields. A list rather than nested `Narrow<Narrow<…>>`, which grows unreadable (and makes
 * formatting exponentially slow) for an input many steps send.
 */
export type NarrowAll<Source, Targets extends readonly unknown[]> = Targets extends readonly [infer First, ...infer Rest]
  ? NarrowAll<Narrow<Source, First>, Rest>
  : Source;

/**
 * The header that names the step sending a request (`workflowId/stepId`) to the package's MSW
 * handlers (`<package>/mocks/msw`), which see a copy of the request and nothing else of the run:
 * with it they answer each step as the mock fetch does (`onArazzoStep`). It is put only on
 * requests of the package's runs that do not use the mock fetch while its handlers answer
 * (`createHandlers()` until `release()`: `markMockPackage`), and the mocks do not record it.
 */
export const STEP_HEADER = "x-arazzo-step";

/**
 * The request being built: set by `send` only while it calls the step's request function,
 * which builds the `Request` and calls its client's first middleware (`stepMiddleware`) before
 * it awaits anything (openapi-fetch), so no other step's request can be built meanwhile.
 * `mark`: the step, for the package's MSW handlers; `span`: the request's span, for its trace context.
 */
let building: { readonly mark?: string; readonly span?: RequestSpan } | undefined;

/**
 * The packages whose MSW handlers answer (`createHandlers()` until `release()`): each package's
 * name, with how many of its handler sets are active. Process-wide, and keyed by package, so that
 * only the requests of a package whose handlers answer name their step: another package's
 * requests (to a live server, say) stay as they are. Absent while no handlers answer.
 */
const MOCK_PACKAGES = Symbol.for("arazzo-ts.mock-packages");

/** The packages whose MSW handlers answer, if any do. */
function mockPackages(): Map<string, number> | undefined {
  return (globalThis as { [MOCK_PACKAGES]?: Map<string, number> })[MOCK_PACKAGES];
}

/**
 * Marks package `name` as answered by its MSW handlers, so that its clients made from now on
 * name each step on its request (`STEP_HEADER`); the function returned takes the mark back
 * (once; the package stays marked while another of its handler sets is active).
 */
export function markMockPackage(name: string): () => void {
  const global = globalThis as { [MOCK_PACKAGES]?: Map<string, number> };
  const packages = global[MOCK_PACKAGES] ?? new Map<string, number>();
  global[MOCK_PACKAGES] = packages;
  packages.set(name, (packages.get(name) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const count = (packages.get(name) ?? 1) - 1;
    if (count > 0) packages.set(name, count);
    else packages.delete(name);
    if (packages.size === 0 && global[MOCK_PACKAGES] === packages) delete global[MOCK_PACKAGES];
  };
}

/** What `send` marks a step's request with: the step, while any package's MSW handlers answer, for a fetch that is not the package's mock fetch. */
function stepMark(step: StepContext, fetch: unknown): string | undefined {
  // Only a client of a package whose handlers answer puts it on the request (`stepMarking`).
  if (mockPackages() === undefined) return undefined;
  if (typeof fetch === "function" && "onArazzoStep" in fetch) return undefined;
  // Percent-encoded: a header value is Latin-1 only, and ids may be any text (`шаг`).
  return `${encodeURIComponent(step.workflowId)}/${encodeURIComponent(step.stepId)}`;
}

/**
 * Puts `STEP_HEADER` on a request `send` is building for a step, and the trace context of its
 * span. It must be a client's first middleware: openapi-fetch calls the first one's `onRequest`
 * before it awaits anything.
 */
const stepMiddleware: Middleware = {
  onRequest({ request }) {
    if (building?.mark !== undefined) request.headers.set(STEP_HEADER, building.mark);
    building?.span?.onRequest(request);
    return undefined;
  },
};

/**
 * The middleware a client of package `packageName` puts first, to mark each request with its
 * step and trace context: one while that package's MSW handlers answer (`markMockPackage`) or
 * when the run is traced (`traced`), else none.
 */
export function stepMarking(packageName: string, traced = false): Middleware[] {
  return traced || mockPackages()?.has(packageName) ? [stepMiddleware] : [];
}

/** Which step is running, for errors. */
export interface StepContext {
  readonly workflowId: string;
  readonly stepId: string;
}

/** What openapi-fetch resolves to, as far as the runtime needs it. */
export interface FetchResultLike {
  readonly response: Response;
  readonly data?: unknown;
  readonly error?: unknown;
}

/**
 * A success criterion as a failure names it: its condition as written, or, for a regex, JSONPath
 * or XPath criterion, the condition with its type and the runtime expression it tests.
 */
export type FailedCriterion = string | { readonly condition: string; readonly type: "regex" | "jsonpath" | "xpath"; readonly context: string };

/** The error for a step whose success criterion `criterion` is not met (`result` is absent for a step that runs a workflow). */
export function stepFailed(step: StepContext, result: FetchResultLike | undefined, criterion: FailedCriterion): ArazzoStepError {
  return new ArazzoStepError({
    ...step,
    reason: "criteria",
    status: result?.response.status,
    body: result && (result.response.ok ? result.data : result.error),
    ...(typeof criterion === "string"
      ? { detail: criterion }
      : { detail: criterion.condition, criterion: { type: criterion.type, context: criterion.context } }),
  });
}

/**
 * A regex criterion (Arazzo 1.0.1 §"Criterion Object", type `regex`): the ECMAScript
 * `pattern` tested against the context; numbers and booleans are tested as text,
 * objects as their JSON.
 */
export function matchesPattern(value: unknown, pattern: string): boolean {
  if (value === undefined || value === null) return false;
  const text = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  return new RegExp(pattern).test(text);
}

/** Throws when a step's success criteria are not met. */
export function assertCriterion(met: boolean, step: StepContext, result: FetchResultLike | undefined, criterion: FailedCriterion): void {
  if (!met) throw stepFailed(step, result, criterion);
}

/** Returns `value`, or fails the step when a value a later step needs is missing. */
export function requireOutput<T>(value: T, step: StepContext, result: FetchResultLike | undefined, expression: string): NonNullable<T> {
  if (value !== undefined && value !== null) return value as NonNullable<T>;
  throw new ArazzoStepError({
    ...step,
    reason: "missing-output",
    status: result?.response.status,
    body: result && (result.response.ok ? result.data : result.error),
    detail: `\`${expression}\``,
  });
}

/**
 * Sends a step's request: aborts first if the run was cancelled, gives the request a
 * signal that also fires after `timeoutMs`, and turns transport or parse failures into an
 * `ArazzoStepError` (reason `timeout` or `request`). The run's own abort is re-thrown as is.
 * `step.jsonBody`: the step reads into a body openapi-fetch reads as text (the description
 * lists no JSON for it), which is parsed when the response's `Content-Type` says it is JSON:
 * its pointers and JSONPath read that (`responseJson`), and the body itself stays the text
 * its type says (`$response.body`, a regex on it).
 */
export async function send<R extends FetchResultLike>(
  step: StepContext & { readonly method?: string; readonly path?: string; readonly timeoutMs?: number; readonly jsonBody?: boolean },
  signal: AbortSignal | undefined,
  request: (signal: AbortSignal | undefined) => Promise<R>,
  options: Pick<RunOptions<string>, "timeoutMs" | "onStep" | "validateResponses" | "fetch"> = {},
  telemetry?: RunTelemetry,
): Promise<R> {
  signal?.throwIfAborted();
  // The package's mock fetch (`<package>/mocks`) answers each step with its own reply.
  const mockFetch = options.fetch as { onArazzoStep?: (step: StepContext) => void } | undefined;
  mockFetch?.onArazzoStep?.(step);
  // Its MSW handlers learn the step from the request itself (`STEP_HEADER`), which only they need.
  const mark = stepMark(step, options.fetch);
  // A traced run's request has a span (a resent one too), whose trace context the first middleware sends.
  const traced = telemetry?.traced ? telemetry : undefined;
  let sent = 0;
  const sendRequest =
    mark === undefined && traced === undefined
      ? request
      : (requestSignal: AbortSignal | undefined) => {
          const span = traced?.request(step, sent++);
          const built = () => {
            building = { mark, span };
            try {
              return request(requestSignal);
            } finally {
              building = undefined;
            }
          };
          return span ? span.run(built) : built();
        };
  // The step's own `timeout` (Arazzo 1.1) or options.timeoutMs, whichever is shorter.
  const own = step.timeoutMs !== undefined && (options.timeoutMs === undefined || step.timeoutMs <= options.timeoutMs);
  const timeoutMs = own ? step.timeoutMs : options.timeoutMs;
  const timeout = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
  const requestSignal = timeout && signal ? AbortSignal.any([signal, timeout]) : (timeout ?? signal);
  // Traces only for a run that asks for them (`onStep`): no clock, no event otherwise.
  const onStep = options.onStep;
  const started = onStep ? performance.now() : 0;
  const report =
    onStep &&
    ((outcome: StepEvent["outcome"], response?: Response) =>
      onStep({
        workflowId: step.workflowId,
        stepId: step.stepId,
        method: step.method ?? "",
        url: redactUrl((response && requestUrls.get(response)) || response?.url || step.path || ""),
        status: response?.status,
        durationMs: Math.round(performance.now() - started),
        outcome,
      }));
  try {
    let result = await sendRequest(requestSignal);
    const forget = unauthorized.get(result.response);
    if (forget) {
      // A fetched token the API no longer takes: a new one, and the request once more. A second 401 stands.
      report?.("response", result.response);
      forget();
      mockFetch?.onArazzoStep?.(step);
      result = await sendRequest(requestSignal);
      unauthorized.delete(result.response);
    }
    report?.("response", result.response);
    if (step.jsonBody) noteJsonBody(result);
    if (options.validateResponses) await validateBody(step, result);
    return result;
  } catch (error) {
    if (error instanceof ArazzoStepError) throw error;
    // Options that cannot work (a server variable with no value, from a middleware): said as they are.
    if (error instanceof ArazzoConfigError) throw error;
    if (error instanceof CredentialsError) {
      throw new ArazzoStepError({ ...stepOf(step), reason: error.reason, detail: error.message, cause: error.cause });
    }
    report?.("error");
    if (signal?.aborted) throw error;
    if (timeout?.aborted) {
      const which = own ? "the step's timeout" : "options.timeoutMs";
      throw new ArazzoStepError({ ...stepOf(step), reason: "timeout", detail: `no response within ${timeoutMs} ms (${which})`, cause: error });
    }
    if (error instanceof Error && error.name === "AbortError") throw error;
    // The raw error is not kept as the cause: its message and URL can hold credentials and values.
    const detail = requestFailure(error);
    throw new ArazzoStepError({ ...step, reason: "request", detail, cause: shownCause(error, detail) });
  }
}

/** What the innermost cause's code of a request that got no response means (Node.js and undici codes). */
const NETWORK_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  ETIMEDOUT: "connection timed out",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  UND_ERR_SOCKET: "the server closed the connection (a server that refuses a TLS client certificate does so)",
  UND_ERR_HEADERS_TIMEOUT: "no response headers in time",
  SELF_SIGNED_CERT_IN_CHAIN: "the server's certificate is not trusted (its CA can be given as `ca`)",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's certificate is self-signed",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's certificate is not trusted (its CA can be given as `ca`)",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the server's certificate is not trusted (its CA can be given as `ca`)",
  CERT_HAS_EXPIRED: "the server's certificate has expired",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's certificate is not for this host",
  ERR_OSSL_BAD_DECRYPT: "the client key could not be decrypted (wrong passphrase)",
};

/**
 * What went wrong with a request that got no response, for the error message: the messages of
 * the error and its causes, outermost first, and the code of the innermost one that has a code,
 * with what it means (`fetch failed: connect ECONNREFUSED 127.0.0.1:8080 (ECONNREFUSED: connection
 * refused)`, `Failed to parse URL from not a url/orders: Invalid URL (ERR_INVALID_URL)`); the
 * error's name when no message can be shown. A message is shown with its URLs cut to their
 * origin (no user info, path or query), and not at all when it may hold a header, a credential or a body: a
 * `SyntaxError`'s (a body that did not parse), one that quotes (`Headers` quotes the value it
 * refuses), runs over lines or long, or names a credential (`Bearer`, `token`, `password`…).
 */
export function requestFailure(error: unknown): string {
  if (!(error instanceof Error)) return "unknown error";
  const chain = causeChain(error);
  const messages: string[] = [];
  for (const e of chain) {
    const text = shownMessage(e);
    if (text && !messages.some((m) => m.includes(text))) messages.push(text);
  }
  const code = innermostCode(chain);
  const said = messages.length ? messages.join(": ") : error.name;
  return code === undefined ? said : `${said} (${code}${Object.hasOwn(NETWORK_CODES, code) ? `: ${NETWORK_CODES[code]}` : ""})`;
}

/** An error and its causes, outermost first (at most 8). */
function causeChain(error: unknown): Error[] {
  const chain: Error[] = [];
  for (let e: unknown = error; e instanceof Error && chain.length < 8 && !chain.includes(e); ) {
    chain.push(e);
    // Happy eyeballs (IPv6 and IPv4 both refused): an AggregateError whose `errors` say why.
    e = e.cause ?? (e instanceof AggregateError ? (e.errors as unknown[])[0] : undefined);
  }
  return chain;
}

/** The code of the innermost error of `chain` that has one (the generated packages' lib is ES2022: no `findLast`). */
function innermostCode(chain: readonly Error[]): string | undefined {
  let code: string | undefined;
  for (const e of chain) {
    const own = (e as { code?: unknown }).code;
    if (typeof own === "string" && /^[A-Z][A-Z0-9_]{1,63}$/.test(own)) code = own;
  }
  return code;
}

/** The cause an `ArazzoStepError` keeps for a request with no response: what the message says, and the innermost code. */
export function shownCause(error: unknown, detail: string): Error {
  const code = innermostCode(causeChain(error));
  return Object.assign(new Error(detail), { name: error instanceof Error ? error.name : "Error" }, code ? { code } : {});
}

/**
 * A message with its URLs cut to where they go: no user info (up to its last `@`, a password
 * with a space included), no path and no query (`https://api.example.test/…`), since a path
 * can hold a value (`/reset/<token>`) as a query can.
 */
function cutUrls(text: string): string {
  return text.replace(/(:\/\/)[^/?#]*@/g, "$1").replace(/\S*[/?@]\S*/g, (word) => {
    const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(word)?.[0] ?? "";
    let rest = word.slice(scheme.length);
    rest = rest.slice(rest.lastIndexOf("@") + 1);
    const end = rest.search(/[/?#]/);
    return end < 0 ? scheme + rest : `${scheme}${rest.slice(0, end)}/…`;
  });
}

/** Words of a message that may carry a credential (a header, a token) rather than say what went wrong. */
const CREDENTIAL_WORDS = /bearer|authori[sz]ation|cookie|passw|secret|token|api[-_ ]?key|private key|signature/i;

/** An error's message as `requestFailure` shows it: URLs cut to where they go (`cutUrls`); undefined when it may hold a value. */
function shownMessage(error: Error): string | undefined {
  if (error.name === "SyntaxError" || typeof error.message !== "string") return undefined;
  const text = cutUrls(error.message.trim());
  if (!text || text.length > 300 || /["\r\n]/.test(text) || CREDENTIAL_WORDS.test(text)) return undefined;
  return text;
}

/** The step as errors name it: its workflow and id (not the request fields `send` also gets). */
function stepOf(step: StepContext): StepContext {
  return { workflowId: step.workflowId, stepId: step.stepId };
}

/**
 * Runs what a step does (a called workflow) within the step's `timeout` (Arazzo 1.1): past
 * it, `run`'s signal aborts and the step fails with reason `timeout`. The run's own abort is
 * re-thrown as is.
 */
export async function withStepTimeout<T>(
  step: StepContext,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  signal?.throwIfAborted();
  const timeout = AbortSignal.timeout(timeoutMs);
  const both = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ArazzoStepError({ ...stepOf(step), reason: "timeout", detail: `not done within ${timeoutMs} ms (the step's timeout)` })),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([run(both), timedOut]);
  } catch (error) {
    if (signal?.aborted) throw error;
    if (timeout.aborted && !(error instanceof ArazzoStepError && error.reason === "timeout" && error.stepId === step.stepId)) {
      throw new ArazzoStepError({ ...stepOf(step), reason: "timeout", detail: `not done within ${timeoutMs} ms (the step's timeout)`, cause: error });
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The steps of a workflow whose steps declare `dependsOn` (Arazzo 1.1): each starts as soon
 * as the steps it waits for are done, so independent steps run concurrently. The first
 * failure aborts the others (through `signal`, which the steps send with) and is what
 * `done()` throws; until then `done()` waits for every step.
 */
export class StepGraph {
  private readonly controller = new AbortController();
  private readonly steps: Promise<unknown>[] = [];
  private failure: { readonly error: unknown } | undefined;
  /** The run's signal, also aborted by the first failure. */
  readonly signal: AbortSignal;

  constructor(signal: AbortSignal | undefined) {
    this.signal = signal ? AbortSignal.any([signal, this.controller.signal]) : this.controller.signal;
  }

  /** Starts a step (a function that awaits what it depends on first); its promise is for the steps after it. */
  start<T>(step: () => Promise<T>): Promise<T> {
    const running = step();
    running.catch((error: unknown) => {
      if (this.failure) return;
      this.failure = { error };
      this.controller.abort(error);
    });
    this.steps.push(running);
    return running;
  }

  /** Resolves when every step is done; rejects with the first failure once the others have stopped. */
  async done(): Promise<void> {
    await Promise.allSettled(this.steps);
    if (this.failure) throw this.failure.error;
  }
}

/** A step that ran out of its `timeout`, kept for its failure actions (`timedOut`). */
export class StepTimedOut {
  constructor(readonly error: ArazzoStepError) {}
}

/**
 * For `.catch()` on a step with a `timeout` and failure actions: this step's timeout becomes
 * a `StepTimedOut` for the actions to handle; any other error is re-thrown.
 */
export function timedOut(step: StepContext): (error: unknown) => StepTimedOut {
  return (error) => {
    if (error instanceof ArazzoStepError && error.reason === "timeout" && error.workflowId === step.workflowId && error.stepId === step.stepId) {
      return new StepTimedOut(error);
    }
    throw error;
  };
}

/** The JSON parsed from success bodies read as text (`noteJsonBody`), by response. */
const jsonBodies = new WeakMap<Response, unknown>();

/**
 * Parses a success body read as text when the response's `Content-Type` is JSON
 * (`application/json`, `application/problem+json`, `text/json`, with parameters or not),
 * whatever the description lists, for `responseJson`; nothing when it does not parse.
 * `result.data` stays the text.
 */
function noteJsonBody(result: FetchResultLike): void {
  const type = result.response.headers.get("content-type") ?? "";
  if (typeof result.data !== "string" || !/^[\w.+-]+\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) return;
  try {
    jsonBodies.set(result.response, JSON.parse(result.data) as unknown);
  } catch {
    // Not JSON after all: pointers into it find nothing.
  }
}

/** `options.validateResponses`: the body against its schema, with the validators loaded on first use. */
async function validateBody(step: StepContext & { readonly method?: string; readonly path?: string }, result: FetchResultLike): Promise<void> {
  if (!step.method || !step.path || result.data === undefined) return;
  const { validateResponse, NO_VALIDATOR } = await import("./response-validators.js");
  // A validator is keyed by the status the description documents: `200`, else `2XX`, else `default`.
  const status = result.response.status;
  const prefix = `${step.method} ${step.path}`;
  const problem = [`${status}`, `${Math.floor(status / 100)}XX`, "default"]
    .map((documented) => validateResponse(`${prefix} ${documented}`, result.data))
    .find((p) => p !== NO_VALIDATOR);
  if (problem === undefined || problem === NO_VALIDATOR) return;
  throw new ArazzoStepError({ ...step, reason: "invalid-response", status: result.response.status, body: result.data, detail: problem });
}

/**
 * Arazzo's `==` (Arazzo 1.0.1 §"Criterion Object"): loose, and case-insensitive for
 * strings ("String comparisons MUST be case insensitive"); a number and a numeric
 * string compare as numbers.
 */
export function looseEquals(left: unknown, right: unknown): boolean {
  if (typeof left === "string" && typeof right === "string") return foldCase(left) === foldCase(right);
  if ((left === null || left === undefined) && (right === null || right === undefined)) return true;
  if (typeof left === "number" && typeof right === "string") return right.trim() !== "" && left === Number(right);
  if (typeof left === "string" && typeof right === "number") return left.trim() !== "" && Number(left) === right;
  return left === right;
}

/** Arazzo's `<`, `<=`, `>`, `>=`: numbers numerically, strings case-insensitively (by code point); anything else is false. */
export function compare(left: unknown, operator: "<" | "<=" | ">" | ">=", right: unknown): boolean {
  let a: number | string;
  let b: number | string;
  if (typeof left === "number" && typeof right === "number") [a, b] = [left, right];
  else if (typeof left === "string" && typeof right === "string") [a, b] = [foldCase(left), foldCase(right)];
  else return false;
  switch (operator) {
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
  }
}

/**
 * Case folding that does not depend on the host's locale: `toUpperCase` then
 * `toLowerCase` (both locale-independent) maps `ß`/`SS`/`ss` and `I`/`i` alike in every
 * locale, and nothing else: no width, accent or compatibility folding.
 */
function foldCase(text: string): string {
  return text.toUpperCase().toLowerCase();
}

/** The URL each response answered, recorded by `trackRequests` for `options.onStep`. */
const requestUrls = new WeakMap<Response, string>();

/**
 * openapi-fetch middleware a generated client installs first when `options.onStep` is set:
 * remembers which request each response answers, its URL made safe to log. `credentialQuery`:
 * query parameters the client's security schemes carry (an API key), redacted whatever their names.
 */
export function requestTracker(credentialQuery: readonly string[] = []): Middleware {
  return {
    onResponse({ request, response }) {
      requestUrls.set(response, redactUrl(request.url, credentialQuery));
      return undefined;
    },
  };
}

/** `requestTracker()` for clients whose security schemes put nothing in the query. */
export const trackRequests: Middleware = requestTracker();

const SECRET_NAME = /pass|secret|token|key|auth|code|session|sig|credential/i;

/** A URL safe to log: user info dropped, values of secret-looking query parameters (and of `names`) replaced. */
export function redactUrl(url: string, names: readonly string[] = []): string {
  const [base, query] = url.split(/\?(.*)/s, 2) as [string, string | undefined];
  const safeBase = base.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1");
  if (!query) return safeBase;
  const parts = query.split("&").map((pair) => {
    const [name = "", value] = pair.split(/=(.*)/s, 2);
    let decoded = name;
    try {
      decoded = decodeURIComponent(name);
    } catch {
      // keep the raw name
    }
    return value !== undefined && (SECRET_NAME.test(decoded) || names.includes(decoded)) ? `${name}=[redacted]` : pair;
  });
  return `${safeBase}?${parts.join("&")}`;
}

/**
 * `promise`, or a rejection with the signal's reason as soon as `signal` aborts (at once if
 * it already has). The operation behind `promise` is not cancelled: callers undo it.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => {}); // Its outcome no longer matters; keep a late rejection from going unhandled.
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** The `Authorization` value of HTTP Basic credentials (RFC 7617): `Basic ` and the base64 of `username:password` in UTF-8. */
export function basicCredentials(credentials: { readonly username: string; readonly password: string }): string {
  return `Basic ${base64(`${credentials.username}:${credentials.password}`)}`;
}

/** UTF-8 text as base64 (no Node.js `Buffer`: the package's code runs wherever fetch does). */
export function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The request sent to another URL (a server of its own, a query parameter added); its body is read into memory. */
export async function requestWithUrl(request: Request, url: string): Promise<Request> {
  const body = request.body ? await request.arrayBuffer() : undefined;
  return new Request(url, { method: request.method, headers: request.headers, body, signal: request.signal, redirect: request.redirect });
}

/** Body serializer for non-JSON media types (XML, plain text): a string is sent as written, anything else as JSON. */
export function textBody(body: unknown): string {
  return typeof body === "string" ? body : JSON.stringify(body);
}

/** A `Cookie` header value (RFC 6265 §4.2.1) for cookie parameters; absent values are left out, values are percent-encoded. */
export function cookieHeader(cookies: Readonly<Record<string, unknown>>): string {
  return Object.entries(cookies)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([name, value]) => `${name}=${encodeURIComponent(typeof value === "string" ? value : JSON.stringify(value))}`)
    .join("; ");
}

/** The parsed body of whatever response came back: the success body, or the error body. */
export function responseBody(result: FetchResultLike): unknown {
  return result.response.ok ? result.data : result.error;
}

/**
 * The body as JSON pointers and JSONPath read it: a success body the description documents
 * as another media type (read as text) but the response says is JSON, parsed by `send`
 * (`step.jsonBody`); otherwise `responseBody`.
 */
export function responseJson(result: FetchResultLike): unknown {
  return jsonBodies.has(result.response) ? jsonBodies.get(result.response) : responseBody(result);
}

/**
 * Follows a JSON Pointer (RFC 6901, already split) through a JSON value, own properties
 * only; `undefined` where it leads nowhere. Array indices must be canonical (`0`, `12`).
 */
export function readPointer(value: unknown, pointer: readonly string[]): unknown {
  let current = value;
  for (const token of pointer) {
    if (Array.isArray(current)) {
      current = /^(0|[1-9]\d*)$/.test(token) ? current[Number(token)] : undefined;
    } else if (current !== null && typeof current === "object" && Object.hasOwn(current, token)) {
      current = (current as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return current;
}

/**
 * Reads an own property only, for field names every object inherits (`constructor`,
 * `toString`, `__proto__`): an object without the field never yields the prototype's.
 * Typed like `value?.[key]`: `undefined` is added where `value` may be absent or the
 * property is optional.
 */
export function ownProperty<V extends object | null | undefined, K extends keyof NonNullable<V>>(value: V, key: K): OwnProperty<V, K> {
  return (value !== null && typeof value === "object" && Object.hasOwn(value, key) ? (value as NonNullable<V>)[key] : undefined) as OwnProperty<V, K>;
}

export type OwnProperty<V, K extends keyof NonNullable<V>> =
  | (V extends null | undefined ? undefined : never)
  // biome-ignore lint/complexity/noBannedTypes: `{} extends Pick<T, K>` is the test for an optional key.
  | ({} extends Pick<NonNullable<V>, K> ? NonNullable<V>[K] | undefined : NonNullable<V>[K]);

/**
 * The bodies of the statuses a step accepts (`$statusCode == 200 || $statusCode == 201`),
 * read as one: every field any of them has, typed as it is in those that have it; required
 * when every body requires it, else optional. Bodies that are not all objects stay their union.
 */
export type AnyOfBodies<U> = [U] extends [object]
  ? { [K in RequiredInEvery<U>]: FieldOfAny<U, K> } & { [K in Exclude<KeysOfAny<U>, RequiredInEvery<U>>]?: FieldOfAny<U, K> }
  : U;
type KeysOfAny<U> = U extends unknown ? keyof U : never;
type FieldOfAny<U, K extends PropertyKey> = U extends unknown ? (K extends keyof U ? U[K] : never) : never;
/** The keys every member of `U` requires. */
type RequiredInEvery<U> = Exclude<KeysOfAny<U>, NotRequiredInSome<U, U>>;
type NotRequiredInSome<U, All> = U extends unknown ? Exclude<KeysOfAny<All>, RequiredKeys<U>> : never;
// biome-ignore lint/complexity/noBannedTypes: `{} extends Pick<T, K>` is the test for an optional key.
type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];
