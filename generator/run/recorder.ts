/**
 * What `arazzo-ts run` sees of a workflow run as it happens: the `fetch` the run is given
 * records every request and response (headers and bodies, as sent and received, before any
 * masking), the step that sent it (the runtime names the step before each request, as it does
 * for the package's mocks, whose fetch it wraps on `--mock`), and the transitions the workflow
 * reports (`onTransition`). Listeners are told at once, for the live terminal lines.
 *
 * Steps of workflows that run concurrently (Arazzo 1.1 step `dependsOn`) may be told apart
 * wrongly, as with the package's mock fetch: the runtime names the step that sends next.
 */
/** What a generated package's runtime reports of a transition (`options.onTransition`, runtime.ts `TransitionEvent`). */
export interface TransitionEvent {
  readonly workflowId: string;
  readonly stepId: string;
  readonly outcome: "success" | "failure";
  readonly type: "next" | "end" | "goto" | "goto-workflow" | "retry";
  readonly action?: string;
  readonly to?: string;
  readonly waitMs: number;
}

type FetchLike = (input: Request, init?: object) => Promise<Response>;

export interface RawBody {
  readonly mimeType: string;
  readonly text: string;
  readonly truncated?: boolean;
}

export interface RawExchange {
  readonly startedAt: number;
  readonly durationMs: number;
  readonly request: { readonly method: string; readonly url: string; readonly headers: readonly [string, string][]; readonly body?: RawBody };
  readonly response?: {
    readonly status: number;
    readonly statusText: string;
    readonly headers: readonly [string, string][];
    readonly body?: RawBody;
  };
  readonly error?: string;
}

/** One time a step ran. */
export interface RawStep {
  readonly workflowId: string;
  readonly stepId: string;
  readonly method?: string;
  readonly path?: string;
  readonly attempt: number;
  readonly startedAt: number;
  readonly started: number;
  ended?: number;
  readonly exchanges: RawExchange[];
  transition?: TransitionEvent;
}

export interface RecorderListener {
  /** A request got its response, or none. */
  exchange?(step: RawStep, exchange: RawExchange): void;
  /** A step of a workflow with actions decided where the run goes (before any wait). */
  transition?(step: RawStep | undefined, event: TransitionEvent): void;
}

/** The longest body a report keeps, in UTF-16 code units (about 1 MiB of text). */
const MAX_BODY = 1 << 20;

// The generated runtime's marks (runtime-servers.ts `MOCK`, runtime-mtls.ts `TAKES_INIT`), by
// their registered names: each generated package has its own copy of the runtime, so the
// symbols cannot be imported from one; `Symbol.for` gives the same symbol everywhere.
const MOCK = Symbol.for("arazzo-ts.mock");
const TAKES_INIT = Symbol.for("arazzo-ts.fetch-takes-init");

export class Recorder {
  readonly steps: RawStep[] = [];
  private current: RawStep | undefined;
  private readonly attempts = new Map<string, number>();

  /**
   * `inner`: the package's mock fetch, or undefined for the global fetch (as it is at each
   * request). The recorder passes a second argument on (a TLS client certificate's dispatcher).
   */
  constructor(
    private readonly inner: FetchLike | undefined,
    private readonly listener: RecorderListener = {},
  ) {}

  /** The fetch a run is given. */
  get fetch(): FetchLike & { onArazzoStep(step: { workflowId: string; stepId: string; method?: string; path?: string }): void } {
    const inner = this.inner;
    const fetch = async (input: Request, init?: object) => {
      const step = this.current;
      const body = input.body ? await input.clone().text() : undefined;
      const started = performance.now();
      const startedAt = Date.now();
      const request = {
        method: input.method,
        url: input.url,
        headers: [...input.headers] as [string, string][],
        ...(body === undefined ? {} : { body: bodyOf(body, input.headers.get("content-type")) }),
      };
      try {
        const response = await (inner ?? (globalThis.fetch as FetchLike))(input, init);
        const text = await response
          .clone()
          .text()
          .catch(() => "");
        const exchange: RawExchange = {
          startedAt,
          durationMs: performance.now() - started,
          request,
          response: {
            status: response.status,
            statusText: response.statusText,
            headers: [...response.headers] as [string, string][],
            ...(text ? { body: bodyOf(text, response.headers.get("content-type")) } : {}),
          },
        };
        this.record(step, exchange);
        return response;
      } catch (error) {
        this.record(step, { startedAt, durationMs: performance.now() - started, request, error: failure(error) });
        throw error;
      }
    };
    const onArazzoStep = (step: { workflowId: string; stepId: string; method?: string; path?: string }) => {
      (inner as { onArazzoStep?: (s: typeof step) => void } | undefined)?.onArazzoStep?.(step);
      this.stepStarted(step);
    };
    return Object.assign(fetch, { onArazzoStep, [TAKES_INIT]: true, ...(inner && MOCK in inner ? { [MOCK]: true } : {}) });
  }

  /** `options.onTransition`. */
  readonly onTransition = (event: TransitionEvent): void => {
    const step = [...this.steps].reverse().find((s) => s.workflowId === event.workflowId && s.stepId === event.stepId);
    if (step && !step.transition) {
      step.transition = event;
      step.ended ??= performance.now();
    }
    this.listener.transition?.(step, event);
  };

  private stepStarted(step: { workflowId: string; stepId: string; method?: string; path?: string }): void {
    // A step sends again after a 401 with a new token: the same run of the step.
    const last = this.current;
    if (last && last.workflowId === step.workflowId && last.stepId === step.stepId && !last.transition && last.exchanges.length && !last.ended) return;
    if (last && !last.ended) last.ended = performance.now();
    const key = `${step.workflowId}\u0000${step.stepId}`;
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    const raw: RawStep = {
      workflowId: step.workflowId,
      stepId: step.stepId,
      ...(step.method ? { method: step.method } : {}),
      ...(step.path ? { path: step.path } : {}),
      attempt,
      startedAt: Date.now(),
      started: performance.now(),
      exchanges: [],
    };
    this.steps.push(raw);
    this.current = raw;
  }

  private record(step: RawStep | undefined, exchange: RawExchange): void {
    if (!step) return;
    step.exchanges.push(exchange);
    this.listener.exchange?.(step, exchange);
  }
}

function bodyOf(text: string, contentType: string | null): RawBody {
  const mimeType = contentType ?? "application/octet-stream";
  return text.length > MAX_BODY ? { mimeType, text: text.slice(0, MAX_BODY), truncated: true } : { mimeType, text };
}

/** What went wrong with a request that got no response: the error's name and innermost code, never a message (it can hold a value). */
function failure(error: unknown): string {
  if (!(error instanceof Error)) return "unknown error";
  let inner: unknown = error;
  for (let depth = 0; depth < 8 && inner instanceof Error && inner.cause instanceof Error; depth++) inner = inner.cause;
  const code = (inner as { code?: unknown }).code;
  return typeof code === "string" && /^[A-Z][A-Z0-9_]{1,63}$/.test(code) ? `${error.name} (${code})` : error.name;
}
