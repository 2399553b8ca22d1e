/**
 * The state machine behind workflows with `onSuccess` / `onFailure` actions (Arazzo 1.0.1
 * §"Success Action Object", §"Failure Action Object"). Generated code keeps the control
 * flow readable — a `switch` over step ids — and leaves the bookkeeping here: the step
 * budget, retry counts and delays, and returning to a step after a `retry` ran another first.
 */
import { ArazzoStepError, type RunOptions, type TransitionEvent } from "./runtime.js";
import type { RunTelemetry } from "./runtime-telemetry.js";

/** What a step decided once its criteria and actions were evaluated. */
export type Transition<StepId extends string> =
  /** No action applied: the next step in document order (or the end after the last). */
  | { readonly type: "next" }
  | { readonly type: "end"; readonly action: string }
  | { readonly type: "goto"; readonly action: string; readonly stepId: StepId }
  /** `goto` a workflow: it runs, then this workflow ends. */
  | { readonly type: "goto-workflow"; readonly action: string; readonly run: () => Promise<unknown> }
  /**
   * Try the step again after `delayMs` (`retryDelayMs`: the response's `Retry-After`, else the
   * action's `retryAfter`), running `first` before if the action names a step or workflow.
   * Plain data but for `first` as a workflow: a durable journal records it (`runtime-durable.ts`).
   */
  | {
      readonly type: "retry";
      readonly action: string;
      readonly delayMs: number;
      readonly first?: StepId | (() => Promise<unknown>);
    };

export interface StepOutcome<Outputs, StepId extends string> {
  /** Present when the step succeeded. */
  readonly outputs?: Outputs;
  readonly then: Transition<StepId>;
}

export const DEFAULT_MAX_STEPS = 100;

/** Longest wait before a retry, whatever `retryAfter` or a `Retry-After` header asks for. */
export const DEFAULT_MAX_RETRY_DELAY_MS = 60_000;

export class WorkflowRun<StepId extends string> {
  private readonly maxSteps: number;
  private readonly maxRetryDelayMs: number;
  private readonly pollDelayMs: number;
  private readonly signal: AbortSignal | undefined;
  private readonly wait: (ms: number) => Promise<void>;
  private readonly onTransition: ((event: TransitionEvent) => void) | undefined;
  private readonly telemetry: RunTelemetry | undefined;
  private started = 0;
  /** Times each step started in this run: a `goto` back to one of them is a poll, delayed by `pollDelayMs`. */
  private readonly ran = new Map<StepId, number>();
  /** Retries used per `step/action`, reset when the step succeeds. */
  private readonly retries = new Map<string, number>();
  /** Per step since it last succeeded: times started and milliseconds waited before a retry. */
  private readonly tries = new Map<StepId, { attempts: number; waitedMs: number }>();
  /** Steps to go back to once the step a `retry` ran first is done. */
  private readonly resume: StepId[] = [];

  /**
   * `engine.sleep`: how the run waits before a retry or poll; by default a timer in this process
   * that the run's signal cancels. A durable engine passes its own timer, which survives a
   * restart. `engine.telemetry`: the run's spans and metrics (`runtime-telemetry.ts`).
   */
  constructor(
    readonly workflowId: string,
    options: Pick<RunOptions<string>, "maxSteps" | "maxRetryDelayMs" | "pollDelayMs" | "signal" | "onTransition">,
    engine: { readonly sleep?: (ms: number) => Promise<void>; readonly telemetry?: RunTelemetry } = {},
  ) {
    this.maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS;
    this.pollDelayMs = Math.max(0, options.pollDelayMs ?? 0);
    this.signal = options.signal;
    this.wait = engine.sleep ?? ((ms) => this.sleep(ms));
    this.onTransition = options.onTransition;
    this.telemetry = engine.telemetry;
  }

  /**
   * Runs step `stepId` (its step function, which returns its `StepOutcome`), in its span when the
   * run is traced: its attempt is how often the run entered it (`enter`), a durable replay's too.
   */
  step<T extends StepOutcome<unknown, StepId>>(stepId: StepId, run: () => Promise<T>): Promise<T> {
    return this.telemetry ? this.telemetry.step(stepId, run, { attempt: this.ran.get(stepId) ?? 1 }) : run();
  }

  /** Called before each step starts: stops a cancelled run and a run that loops without end. */
  enter(stepId: StepId): void {
    this.signal?.throwIfAborted();
    this.started += 1;
    this.ran.set(stepId, (this.ran.get(stepId) ?? 0) + 1);
    const tried = this.tries.get(stepId);
    if (tried) tried.attempts += 1;
    else this.tries.set(stepId, { attempts: 1, waitedMs: 0 });
    if (this.started > this.maxSteps) {
      throw new ArazzoStepError({
        workflowId: this.workflowId,
        stepId,
        reason: "step-budget",
        detail: `the run already started ${this.maxSteps} steps (options.maxSteps); a goto or retry loop did not end`,
      });
    }
  }

  /** Whether the retry action `action` of `stepId` has attempts left (`retryLimit`, 1 when absent). */
  canRetry(stepId: StepId, action: string, limit: number): boolean {
    return (this.retries.get(`${stepId}/${action}`) ?? 0) < limit;
  }

  /** The outputs of `stepId` for a step (`neededBy`) or the workflow outputs that read them. */
  outputsOf<Steps extends object, K extends keyof Steps & StepId>(steps: Partial<Steps>, stepId: K, neededBy: StepId): Steps[K] {
    const outputs = steps[stepId];
    if (outputs === undefined) {
      throw new ArazzoStepError({ workflowId: this.workflowId, stepId: neededBy, reason: "not-run", detail: `step \`${stepId}\`` });
    }
    return outputs as Steps[K];
  }

  /**
   * The error a step's failure ends the run with: an `ArazzoStepError` of a step that was
   * tried more than once says how often and how long was waited; anything else is `error` itself.
   */
  failed(stepId: StepId | undefined, error: unknown): unknown {
    const tried = stepId === undefined ? undefined : this.tries.get(stepId);
    // Only this workflow's own step: a called workflow's error keeps its own count.
    if (!(error instanceof ArazzoStepError) || error.workflowId !== this.workflowId || error.stepId !== stepId) return error;
    if (!tried || tried.attempts < 2 || error.attempts > 1) return error;
    return new ArazzoStepError({ ...error.details, attempts: tried.attempts, waitedMs: tried.waitedMs });
  }

  /** Where to go after `current` decided `then`; `following` is the next step in document order. */
  async follow(current: StepId, outcome: StepOutcome<unknown, StepId>, following: StepId | undefined): Promise<StepId | undefined> {
    const then = outcome.then;
    if (outcome.outputs !== undefined) this.clearRetries(current);
    const report = (to: StepId | undefined, waitMs = 0) =>
      this.onTransition?.({
        workflowId: this.workflowId,
        stepId: current,
        outcome: outcome.outputs !== undefined ? "success" : "failure",
        type: then.type,
        ...("action" in then ? { action: then.action } : {}),
        ...(to === undefined ? {} : { to }),
        waitMs,
      });
    switch (then.type) {
      case "next": {
        const to = this.resume.pop() ?? following;
        report(to);
        return to;
      }
      case "end":
        report(undefined);
        return undefined;
      case "goto": {
        this.resume.length = 0;
        // Back to a step this run already started: a poll, which waits `pollDelayMs` first.
        const poll = this.ran.has(then.stepId) ? this.pollDelayMs : 0;
        report(then.stepId, poll);
        if (poll > 0) await this.pause("poll", current, poll);
        return then.stepId;
      }
      case "goto-workflow":
        report(undefined);
        await then.run();
        return undefined;
      case "retry": {
        const key = `${current}/${then.action}`;
        this.retries.set(key, (this.retries.get(key) ?? 0) + 1);
        const delay = Math.min(Math.max(0, then.delayMs), this.maxRetryDelayMs);
        const tried = this.tries.get(current);
        if (tried) tried.waitedMs += delay;
        // `to`: the step run first (`stepId`), or the step itself; absent when a workflow runs first.
        report(then.first === undefined ? current : typeof then.first === "string" ? then.first : undefined, delay);
        if (delay > 0) await this.pause("retry", current, delay);
        if (typeof then.first === "function") {
          await then.first();
          return current;
        }
        if (then.first !== undefined) {
          this.resume.push(current);
          return then.first;
        }
        return current;
      }
    }
  }

  /** Waits `ms` before a retry or poll that `stepId` decided on, reported first (a span event). */
  private pause(reason: "retry" | "poll", stepId: StepId, ms: number): Promise<void> {
    this.telemetry?.waiting(reason, stepId, ms);
    return this.wait(ms);
  }

  private clearRetries(stepId: StepId): void {
    this.tries.delete(stepId);
    for (const key of [...this.retries.keys()]) if (key.startsWith(`${stepId}/`)) this.retries.delete(key);
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    const signal = this.signal;
    return new Promise((resolve, reject) => {
      signal?.throwIfAborted();
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}

/**
 * How long to wait before a retry: the response's `Retry-After` (RFC 9110 §10.2.3: seconds
 * or an HTTP date) overrules the action's `retryAfter` seconds, as the spec says it should.
 */
export function retryDelayMs(response: Response | undefined, afterSeconds: number | undefined, now: number = Date.now()): number {
  const header = response?.headers.get("Retry-After")?.trim();
  if (header) {
    if (/^\d+$/.test(header)) return Number(header) * 1000;
    const date = Date.parse(header);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return Math.max(0, (afterSeconds ?? 0) * 1000);
}
