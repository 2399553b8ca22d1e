/**
 * OpenTelemetry traces and metrics of a run, following the semantic conventions: a span per
 * workflow run (`arazzo.workflow <workflowId>`), a child span per step (`arazzo.step <stepId>`),
 * an HTTP client span per request (`GET /payments/{id}`), retry and poll waits as events, the
 * trace context sent to the API in the request headers by the registered propagator (W3C
 * `traceparent` by default); a histogram of run durations and a counter of step outcomes.
 *
 * `@opentelemetry/api` is an optional peer dependency: it is loaded on the first run, and
 * without it (or without an SDK registered) nothing is recorded and nothing is added to the
 * requests. No input, output, header, query or body value is ever an attribute: spans carry
 * ids from the document, the API's URL template and server, statuses and reasons.
 */
/** Attribute values as OpenTelemetry takes them. */
type AttributeValue = string | number | boolean;
type Attributes = Readonly<Record<string, AttributeValue>>;

/**
 * What a run needs of an OpenTelemetry `Span` (`@opentelemetry/api`): any `Span` is one. Declared
 * here so that the package's types do not need `@opentelemetry/api` installed.
 */
export interface SpanLike {
  spanContext(): { readonly traceId: string; readonly spanId: string; readonly traceFlags: number };
  setAttribute(key: string, value: AttributeValue): unknown;
  addEvent(name: string, attributes?: Attributes, startTime?: number): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  updateName(name: string): unknown;
  end(endTime?: number): void;
  isRecording(): boolean;
}

/** What a run needs of an OpenTelemetry `Tracer` (`trace.getTracer(…)`): any `Tracer` is one. */
export interface TracerLike {
  startSpan(name: string, options?: { kind?: number; attributes?: Attributes }, context?: unknown): SpanLike;
}

/** What a run needs of an OpenTelemetry `Meter` (`metrics.getMeter(…)`): any `Meter` is one. */
export interface MeterLike {
  createHistogram(
    name: string,
    options?: { description?: string; unit?: string; advice?: { explicitBucketBoundaries?: number[] } },
  ): { record(value: number, attributes?: Attributes): void };
  createCounter(name: string, options?: { description?: string; unit?: string }): { add(value: number, attributes?: Attributes): void };
}

/** The run options this module reads (`RunOptions`). */
export interface TelemetryOptions {
  readonly tracer?: TracerLike;
  readonly meter?: MeterLike;
}

/** The parts of `@opentelemetry/api` used here. */
interface OpenTelemetryApi {
  readonly trace: {
    getTracer(name: string, version?: string): TracerLike;
    setSpan(context: unknown, span: SpanLike): unknown;
    isSpanContextValid(spanContext: ReturnType<SpanLike["spanContext"]>): boolean;
  };
  readonly metrics: { getMeter(name: string, version?: string): MeterLike };
  readonly context: { active(): unknown; with<T>(context: unknown, fn: () => T): T };
  readonly propagation: {
    inject(context: unknown, carrier: unknown, setter: { set(carrier: unknown, key: string, value: string): void }): void;
    extract(context: unknown, carrier: unknown, getter: HeaderGetter): unknown;
  };
  /** A meter whose instruments are the API's no-op singletons (1.3 and later). */
  readonly createNoopMeter?: () => MeterLike;
}

interface HeaderGetter {
  keys(carrier: unknown): string[];
  get(carrier: unknown, key: string): string | string[] | undefined;
}

/** `SpanKind` and `SpanStatusCode` of `@opentelemetry/api`, stable since 1.0. */
const INTERNAL = 0;
const CLIENT = 2;
const STATUS_ERROR = 2;

/** The instrumentation scope of every span and instrument. */
const SCOPE = "arazzo-ts";

/** A name the bundlers leave alone (webpack, Vite): the package is optional, so it is resolved when the run starts. */
const API_PACKAGE = "@opentelemetry/api";

/** What is loaded once: the API, the global tracer (a proxy that finds an SDK registered later), the API's no-op counter. */
interface Loaded {
  readonly otel: OpenTelemetryApi;
  readonly tracer: TracerLike;
  readonly noopCounter: unknown;
}

/** `@opentelemetry/api` and what comes of it, once loaded; null when it is not installed. */
let loaded: Loaded | null | undefined;
let loading: Promise<Loaded | null> | undefined;

async function load(): Promise<Loaded | null> {
  loading ??= import(/* webpackIgnore: true */ /* @vite-ignore */ API_PACKAGE).then(
    (module: { trace?: unknown; default?: { trace?: unknown } }) => {
      const otel = (module.trace ? module : (module.default ?? null)) as OpenTelemetryApi | null;
      if (!otel) return null;
      return { otel, tracer: otel.trace.getTracer(SCOPE), noopCounter: otel.createNoopMeter?.().createCounter(SCOPE) };
    },
    () => null,
  );
  loaded = await loading;
  return loaded;
}

/** Which way a step went: its transition in a workflow with actions, else whether it succeeded. */
export type StepSpanOutcome = "success" | "failure" | "goto" | "retry" | "end";

/**
 * A durable engine's view of the attempt running the workflow (`Journal.attempt`): whether it
 * is replaying its journal (steps return recorded results, waits that already elapsed return at
 * once), whether an error only ends the attempt (a suspension, the attempt aborted) rather than
 * the run, and a way to hear that the attempt ended, since a suspended attempt's promises never
 * settle.
 */
export interface AttemptState {
  replaying(): boolean;
  ended(error: unknown): boolean;
  /** Calls `listener` once when the attempt ends; the function returned stops listening. */
  onEnd(listener: () => void): () => void;
}

/**
 * A tracer or meter was given but `@opentelemetry/api` cannot be loaded beside the package:
 * the run cannot record what it was asked to. Thrown when the run starts, before any request.
 */
export class TelemetryConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TelemetryConfigError";
  }
}

/** A request's span, from `RunTelemetry.request`. */
export interface RequestSpan {
  /** Called by the client's first middleware, before anything is awaited: the server, and the trace context in the headers. */
  onRequest(request: Request): void;
  /** Runs `send` (the request) in the span's context and ends the span with its response or error. */
  run<R extends { readonly response: Response }>(send: () => Promise<R>): Promise<R>;
}

/** The telemetry of one workflow run, which its steps and requests report to. */
export interface RunTelemetry {
  /** Whether the run is traced: spans are made and the trace context is sent with each request. */
  readonly traced: boolean;
  /**
   * Runs one step in its span. `flow`: the step is one of a workflow with actions, it returns a
   * `StepOutcome` whose transition is the span's outcome, and `flow.attempt` counts its starts in
   * the run (a durable engine's replays included; otherwise a step starts once).
   */
  step<T>(stepId: string, run: () => Promise<T>, flow?: { readonly attempt: number }): Promise<T>;
  /** The span of a request the step `stepId` sends; undefined when the run is not traced. */
  request(step: { readonly stepId: string; readonly method?: string; readonly path?: string }, resend: number): RequestSpan | undefined;
  /**
   * A retry or poll wait of `ms` that `stepId` asked for, starting now: an event of the run's
   * span (none for a wait a durable engine replays from its journal).
   */
  waiting(reason: "retry" | "poll", stepId: string, ms: number): void;
}

/** A run that records nothing. */
const UNTRACED: RunTelemetry = {
  traced: false,
  step: (_stepId, run) => run(),
  request: () => undefined,
  waiting: () => {},
};

/** The instruments of a meter, made once. */
interface Instruments {
  readonly duration: ReturnType<MeterLike["createHistogram"]>;
  readonly outcomes: ReturnType<MeterLike["createCounter"]>;
}

const instrumentsByMeter = new WeakMap<MeterLike, Instruments>();

function instrumentsOf(meter: MeterLike): Instruments {
  let instruments = instrumentsByMeter.get(meter);
  if (!instruments) {
    instruments = {
      duration: meter.createHistogram("arazzo.workflow.duration", {
        description: "Duration of workflow runs.",
        unit: "s",
        // Runs take from milliseconds (a stub) to hours (a payment waiting on a bank).
        advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14400] },
      }),
      outcomes: meter.createCounter("arazzo.step.outcomes", { description: "Steps run, by outcome.", unit: "{step}" }),
    };
    instrumentsByMeter.set(meter, instruments);
  }
  return instruments;
}

/**
 * Runs a workflow (`body`) in its span, given the run's telemetry, and records its duration.
 * The span's parent is the active context (the caller's span, a calling step's span); without
 * `@opentelemetry/api` installed, `body` just runs. `attempt`: a durable engine's attempt.
 */
export function traceWorkflow<T>(
  workflowId: string,
  options: TelemetryOptions,
  body: (telemetry: RunTelemetry) => Promise<T>,
  attempt?: AttemptState,
): Promise<T> {
  // Not async: a run with nothing to record costs one call more than without telemetry.
  if (loaded === undefined) return load().then(() => traceWorkflow(workflowId, options, body, attempt));
  if (!loaded) {
    // A tracer or meter given without the API beside the package: said, not silently dropped.
    if (options.tracer || options.meter) {
      return Promise.reject(new TelemetryConfigError(`options.tracer and options.meter need \`${API_PACKAGE}\` installed beside the package`));
    }
    return body(UNTRACED);
  }
  const { otel } = loaded;
  const tracer = options.tracer ?? loaded.tracer;
  // The global meter is asked for on each run: the metrics API has no proxy for an SDK registered later.
  const instruments = instrumentsOf(options.meter ?? otel.metrics.getMeter(SCOPE));
  const parent = otel.context.active();
  const span = tracer.startSpan(`arazzo.workflow ${workflowId}`, { kind: INTERNAL, attributes: { "arazzo.workflow.id": workflowId } }, parent);
  const traced = otel.trace.isSpanContextValid(span.spanContext());
  if (!traced && instruments.outcomes === loaded.noopCounter) {
    // No SDK (or sampled out, with no trace to continue) and no-op metrics: nothing to record.
    span.end();
    return body(UNTRACED);
  }
  return observeWorkflow(otel, traced ? tracer : undefined, instruments, workflowId, parent, span, body, attempt);
}

/** `traceWorkflow` for a run with something to record: its span, its telemetry, its duration. */
async function observeWorkflow<T>(
  otel: OpenTelemetryApi,
  tracer: TracerLike | undefined,
  instruments: Instruments,
  workflowId: string,
  parent: unknown,
  span: SpanLike,
  body: (telemetry: RunTelemetry) => Promise<T>,
  attempt: AttemptState | undefined,
): Promise<T> {
  const context = otel.trace.setSpan(parent, span);
  const telemetry = new ObservedRun(otel, tracer, instruments, workflowId, context, span, attempt);
  const activity = new Activity(span, attempt);
  const started = performance.now();
  let failure: string | undefined;
  try {
    return await otel.context.with(context, () => body(telemetry));
  } catch (error) {
    if (attempt?.ended(error)) {
      activity.interrupted = true;
      throw error;
    }
    failure = errorType(error);
    markFailed(span, error, failure);
    throw error;
  } finally {
    // The duration of a run that got to its end in this attempt, not of one replayed whole (a called workflow's).
    if (activity.finish()) {
      const workflow = { "arazzo.workflow.id": workflowId };
      instruments.duration.record(
        (performance.now() - started) / 1000,
        failure === undefined
          ? { ...workflow, "arazzo.workflow.outcome": "success" }
          : { ...workflow, "arazzo.workflow.outcome": "failure", "error.type": failure },
      );
    }
  }
}

/**
 * The life of a run's or step's span under a durable engine, which may replay it from its
 * journal or end the attempt in the middle of it. `finish` ends the span and says whether its
 * outcome counts: not when it started and ended replaying (its result came from the journal:
 * `arazzo.replayed`), nor when the attempt ended first (`arazzo.attempt.ended`; a suspended
 * attempt's promises never settle, so the span is ended when the engine says the attempt is).
 */
class Activity {
  /** Set when the attempt ended the activity (an error that only ends the attempt). */
  interrupted = false;
  private readonly replayedFromStart: boolean;
  private done = false;
  private readonly stopListening: (() => void) | undefined;

  constructor(
    private readonly span: SpanLike | undefined,
    private readonly attempt: AttemptState | undefined,
  ) {
    this.replayedFromStart = attempt?.replaying() ?? false;
    this.stopListening = attempt?.onEnd(() => {
      this.interrupted = true;
      this.finish();
    });
  }

  finish(): boolean {
    if (this.done) return false;
    this.done = true;
    this.stopListening?.();
    const replayed = this.replayedFromStart && this.attempt!.replaying();
    if (this.interrupted) this.span?.setAttribute("arazzo.attempt.ended", true);
    else if (replayed) this.span?.setAttribute("arazzo.replayed", true);
    this.span?.end();
    return !this.interrupted && !replayed;
  }
}

/**
 * The telemetry of a run with an SDK: its steps' outcomes counted and, when `tracer` is given
 * (the run's span is recorded, or continues a trace), their spans and their requests' spans.
 */
class ObservedRun implements RunTelemetry {
  readonly traced: boolean;
  /** The context of each running step's span, for its requests (ids are unique among the steps running at once). */
  private readonly running = new Map<string, unknown>();

  constructor(
    private readonly otel: OpenTelemetryApi,
    private readonly tracer: TracerLike | undefined,
    private readonly instruments: Instruments,
    private readonly workflowId: string,
    private readonly context: unknown,
    private readonly span: SpanLike,
    private readonly attempt: AttemptState | undefined,
  ) {
    this.traced = tracer !== undefined;
  }

  async step<T>(stepId: string, run: () => Promise<T>, flow?: { readonly attempt: number }): Promise<T> {
    const transitions = flow !== undefined;
    const ids = { "arazzo.workflow.id": this.workflowId, "arazzo.step.id": stepId };
    const span = this.tracer?.startSpan(
      `arazzo.step ${stepId}`,
      { kind: INTERNAL, attributes: { ...ids, "arazzo.step.attempt": flow?.attempt ?? 1 } },
      this.context,
    );
    const context = span && this.otel.trace.setSpan(this.context, span);
    if (context) this.running.set(stepId, context);
    const activity = new Activity(span, this.attempt);
    let outcome: StepSpanOutcome = "failure";
    try {
      // Active while the step runs: a workflow it calls is traced under it, and so is what the user's own instrumentation sees.
      const value = await (context ? this.otel.context.with(context, run) : run());
      outcome = stepOutcome(value, transitions);
      const then = transitions ? (value as { then?: { action?: unknown } }).then : undefined;
      if (typeof then?.action === "string") span?.setAttribute("arazzo.step.action", then.action);
      // A failure its failure actions handled (no outputs): the step failed, the run goes on.
      if (transitions && (value as { outputs?: unknown }).outputs === undefined) span?.setStatus({ code: STATUS_ERROR });
      return value;
    } catch (error) {
      if (this.attempt?.ended(error)) activity.interrupted = true;
      else if (span) markFailed(span, error, errorType(error));
      throw error;
    } finally {
      if (this.running.get(stepId) === context) this.running.delete(stepId);
      if (!activity.interrupted) span?.setAttribute("arazzo.step.outcome", outcome);
      if (activity.finish()) this.instruments.outcomes.add(1, { ...ids, "arazzo.step.outcome": outcome });
    }
  }

  request(step: { readonly stepId: string; readonly method?: string; readonly path?: string }, resend: number): RequestSpan | undefined {
    if (!this.tracer) return undefined;
    const method = (step.method ?? "").toUpperCase();
    const known = HTTP_METHODS.has(method);
    const attributes: Record<string, AttributeValue> = { "http.request.method": known ? method : "_OTHER" };
    if (!known && method) attributes["http.request.method_original"] = method;
    if (step.path) attributes["url.template"] = step.path;
    if (resend > 0) attributes["http.request.resend_count"] = resend;
    const parent = this.running.get(step.stepId) ?? this.context;
    const name = (template: string | undefined) => `${known ? method : "HTTP"}${template ? ` ${template}` : ""}`;
    const span = this.tracer.startSpan(name(step.path), { kind: CLIENT, attributes }, parent);
    const context = this.otel.trace.setSpan(parent, span);
    const otel = this.otel;
    const server = (url: URL | undefined) => {
      if (!url) return;
      span.setAttribute("server.address", url.hostname.replace(/^\[(.*)\]$/, "$1"));
      span.setAttribute("server.port", Number(url.port) || (url.protocol === "http:" ? 80 : 443));
    };
    return {
      onRequest(request) {
        const url = parsedUrl(request.url);
        server(url);
        // The template as the semantic conventions have it: the whole path, the server's base path (`/v1`) included.
        const template = step.path && url && withBasePath(url.pathname, step.path);
        if (template && template !== step.path) {
          span.setAttribute("url.template", template);
          span.updateName(name(template));
        }
        otel.propagation.inject(context, request.headers, HEADER_SETTER);
      },
      async run(send) {
        try {
          const result = await otel.context.with(context, send);
          // Where the request went in the end: a middleware may have sent it to another server (an operation's own).
          server(parsedUrl(result.response.url));
          const status = result.response.status;
          span.setAttribute("http.response.status_code", status);
          if (status >= 400) {
            span.setAttribute("error.type", String(status));
            span.setStatus({ code: STATUS_ERROR });
          }
          return result;
        } catch (error) {
          span.setAttribute("error.type", requestErrorType(error));
          span.setStatus({ code: STATUS_ERROR });
          throw error;
        } finally {
          span.end();
        }
      },
    };
  }

  waiting(reason: "retry" | "poll", stepId: string, ms: number): void {
    // Not a wait replayed from a durable journal: the attempt that began it recorded it.
    if (!this.tracer || this.attempt?.replaying()) return;
    this.span.addEvent(`arazzo.${reason}.wait`, { "arazzo.step.id": stepId, "arazzo.wait.duration_ms": Math.round(ms) });
  }
}

/**
 * `template` (an operation's path, `/orders/{id}`) with the base path of the server `pathname`
 * was sent to (`/v1/orders/o-1`): as many leading segments as `pathname` has beyond the
 * template's (`/v1/orders/{id}`). Each path parameter is one segment: its `/` is percent-encoded.
 */
function withBasePath(pathname: string, template: string): string {
  const sent = pathname.split("/").filter(Boolean);
  const own = template.split("/").filter(Boolean);
  if (sent.length <= own.length) return template;
  return `/${[...sent.slice(0, sent.length - own.length), ...own].join("/")}${template.endsWith("/") ? "/" : ""}`;
}

function parsedUrl(text: string): URL | undefined {
  if (!text) return undefined;
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** The methods HTTP semantic conventions name; others are `_OTHER`. */
const HTTP_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "QUERY"]);

const HEADER_SETTER = {
  set(carrier: unknown, key: string, value: string) {
    (carrier as Headers).set(key, value);
  },
};

function stepOutcome(value: unknown, transitions: boolean): StepSpanOutcome {
  if (!transitions) return "success";
  const type = (value as { then?: { type?: string } }).then?.type;
  return type === "goto" || type === "goto-workflow" ? "goto" : type === "retry" ? "retry" : type === "end" ? "end" : "success";
}

/**
 * The runtime's own errors, known by name (this module does not import `runtime.ts`, which
 * imports its types): their messages never hold a value.
 */
function arazzoError(error: unknown): (Error & { readonly reason?: unknown }) | undefined {
  return error instanceof Error && (error.name === "ArazzoStepError" || error.name === "ArazzoConfigError") ? error : undefined;
}

/** `error.type`: a step's failure reason, `config`, or the error's name (its message may hold a value). */
function errorType(error: unknown): string {
  const own = arazzoError(error);
  if (own) return typeof own.reason === "string" ? own.reason : "config";
  return error instanceof Error ? error.name : "_OTHER";
}

/**
 * A span's failure: `error.type`, and a message that holds no value: an `ArazzoStepError`'s or
 * `ArazzoConfigError`'s, which name ids, criteria and options from the document, but for a
 * request with no response and a body that does not fit its schema, where the message quotes
 * the platform's error or a JSON pointer into the body. Other errors' messages are left out:
 * they may quote a URL or a body.
 */
function markFailed(span: SpanLike, error: unknown, type: string): void {
  span.setAttribute("error.type", type);
  const own = arazzoError(error) as (Error & { reason?: unknown; workflowId?: unknown; stepId?: unknown; status?: unknown }) | undefined;
  if (!own) {
    span.setStatus({ code: STATUS_ERROR });
    return;
  }
  const general = own.reason === "request" ? "request failed" : own.reason === "invalid-response" ? "response body does not fit its schema" : undefined;
  const status = typeof own.status === "number" ? ` (HTTP ${own.status})` : "";
  span.setStatus({
    code: STATUS_ERROR,
    message: general ? `workflow \`${String(own.workflowId)}\`, step \`${String(own.stepId)}\`: ${general}${status}` : own.message,
  });
}

/** `error.type` of a request that got no response: the innermost error code (`ECONNREFUSED`), else the error's name (`TimeoutError`). */
function requestErrorType(error: unknown): string {
  let type = error instanceof Error ? error.name : "_OTHER";
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[A-Z][A-Z0-9_]{1,63}$/.test(code)) type = code;
  }
  return type;
}

/**
 * Runs `run` in the trace context that `headers` carry (a durable engine's request: Restate
 * sends its invocation's `traceparent` when its tracing is on), so a workflow it runs is traced
 * under it; without one, in the active context.
 */
export async function withTraceContext<T>(headers: ReadonlyMap<string, string | string[] | undefined>, run: () => Promise<T>): Promise<T> {
  const api = loaded === undefined ? await load() : loaded;
  if (!api) return run();
  const { otel } = api;
  const context = otel.propagation.extract(otel.context.active(), headers, MAP_GETTER);
  return otel.context.with(context, run);
}

const MAP_GETTER: HeaderGetter = {
  keys: (carrier) => [...(carrier as ReadonlyMap<string, unknown>).keys()],
  get: (carrier, key) => (carrier as ReadonlyMap<string, string | string[] | undefined>).get(key.toLowerCase()),
};
