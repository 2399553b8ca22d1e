/**
 * Runs generated workflows as Restate workflow services (`<package>/restate`): a `Journal`
 * (`durable.ts`) whose steps are Restate journaled actions (`ctx.run`, named after
 * the stepId) and whose waits are durable timers (`ctx.sleep`), and the mapping of a
 * workflow's failure to a Restate terminal error.
 *
 * What the journal holds: each step's outputs that later steps or the workflow's outputs
 * read, the transition it chose, and a failed step's error without its response body. The
 * invocation's input (the workflow's inputs) and output are stored by Restate too. Steps named
 * in `rerunSteps` keep their outputs out of the journal: they run again on every replay, and
 * the journal holds only the transition they chose.
 */
import { type Context, internal, TerminalError } from "@restatedev/restate-sdk";
import { recordedResult, type Journal, type StepRecord } from "./durable.js";
import { ArazzoConfigError, ArazzoStepError, type StepErrorDetails } from "./runtime.js";
import { type AttemptState, TelemetryConfigError, withTraceContext } from "./runtime-telemetry.js";

/** Options every generated Restate workflow takes on top of its run options. */
export interface DurableOptions<StepId extends string> {
  /**
   * Operation steps whose outputs are never written to Restate's journal: they run again on
   * every replay (a token step mints a fresh token) instead of returning a stored result; the
   * journal records only that they succeeded and which action they chose, which a replay
   * follows. For steps that are safe to repeat and whose outputs decide nothing (a token
   * mint): a replay follows the first attempt's path whatever the new outputs say. A step
   * that succeeded once and fails on a replay is retried by Restate. Only this workflow's own
   * operation steps: those of workflows it runs are journaled.
   */
  readonly rerunSteps?: readonly StepId[];
}

/** A step's result as journaled: its value, or the failure without its response body. */
type Recorded = { readonly value: unknown } | { readonly failed: StepErrorDetails };

/** A `Journal` backed by the Restate context `ctx`. */
export function restateJournal(ctx: Context, options: DurableOptions<string> = {}, prefix = ""): Journal {
  const rerun = new Set(prefix ? [] : (options.rerunSteps ?? []));
  const attempt = attemptState(ctx);
  return {
    async step(stepId, run, record) {
      if (rerun.has(stepId)) return rerunStep(ctx, prefix + stepId, () => attempt.rerunning(run), record);
      const recorded = await ctx.run<Recorded>(prefix + stepId, async () => {
        try {
          return { value: recordedResult(await run(), record) };
        } catch (error) {
          // A failed step is an outcome like any other: recorded, never retried by Restate.
          // Other errors (a bug, the attempt ending) are retried by Restate's retry policy.
          if (error instanceof ArazzoStepError) return { failed: failureRecord(error) };
          throw error;
        }
      });
      if ("failed" in recorded) throw new ArazzoStepError(recorded.failed);
      return recorded.value as Awaited<ReturnType<typeof run>>;
    },
    sleep: (ms) => ctx.sleep(ms),
    within: (workflowId) => restateJournal(ctx, options, `${prefix}${workflowId}.`),
    attempt,
  };
}

/**
 * The attempt as telemetry sees it: replaying while the SDK returns journaled results (its
 * experimental `isProcessing`, which `ctx.console` uses to stay quiet on replays: telemetry only,
 * never control flow) but not while a step of `rerunSteps` runs again, and ended by a
 * suspension or the attempt's end rather than failed.
 */
function attemptState(ctx: Context): AttemptState & { rerunning<T>(run: () => Promise<T>): Promise<T> } {
  const internalContext = ctx as Partial<internal.ContextInternal>;
  // Read when telemetry first asks: the request is the attempt's, whatever the journal is made for.
  const attemptEnded = () => ctx.request().attemptCompletedSignal;
  let rerunning = 0;
  return {
    async rerunning(run) {
      rerunning += 1;
      try {
        return await run();
      } finally {
        rerunning -= 1;
      }
    },
    replaying: () => rerunning === 0 && internalContext.isProcessing?.() === false,
    ended: (error) => internal.isSuspendedError(error) || attemptEnded().aborted,
    onEnd(listener) {
      const ended = attemptEnded();
      if (ended.aborted) {
        listener();
        return () => {};
      }
      ended.addEventListener("abort", listener, { once: true });
      return () => ended.removeEventListener("abort", listener);
    },
  };
}

/**
 * A step of `rerunSteps`: it runs on every attempt, outside the journal, and the journal
 * records only how it ended the first time (its transition, no output), so every replay takes
 * the same path. Its outputs are those of this attempt. A step that succeeded the first time
 * and fails on a replay (the token endpoint is down an hour later) is retried by Restate rather
 * than failing the run, which had already gone past it.
 */
async function rerunStep<T>(ctx: Context, name: string, run: () => Promise<T>, record: StepRecord): Promise<T> {
  let result: { readonly value: T } | { readonly error: unknown };
  try {
    result = { value: await run() };
  } catch (error) {
    result = { error };
  }
  // Not a step's failure (a bug, the attempt ending): the attempt fails, Restate retries it.
  if ("error" in result && !(result.error instanceof ArazzoStepError)) throw result.error;
  const first = await ctx.run<Recorded>(name, () =>
    "value" in result
      ? { value: recordedResult(result.value, { keep: [], outcome: record.outcome }) }
      : { failed: failureRecord(result.error as ArazzoStepError) },
  );
  if ("failed" in first) throw new ArazzoStepError(first.failed);
  if (!("value" in result)) {
    const why = result.error instanceof ArazzoStepError ? result.error.message : "it failed";
    throw new Error(`step \`${name}\` (in rerunSteps) succeeded before this replay but not now: ${why}`);
  }
  if (!record.outcome) return result.value;
  // The first attempt's transition, with this attempt's outputs when the first had outputs too
  // (a failure its actions handled has none, and then neither does the replay).
  const { outputs: had, then } = first.value as { outputs?: unknown; then: unknown };
  const { outputs } = result.value as { outputs?: unknown };
  if (had === undefined) return { then } as T;
  if (outputs === undefined) throw new Error(`step \`${name}\` (in rerunSteps) succeeded before this replay but not now`);
  return { outputs, then } as T;
}

/** The error's details without what may hold secrets: the response body and the cause. */
function failureRecord(error: ArazzoStepError): StepErrorDetails {
  const { body: _body, cause: _cause, ...details } = error.details;
  return { ...details, attempts: error.attempts, waitedMs: error.waitedMs };
}

/**
 * Runs a workflow inside a Restate handler: with the journal of `ctx`, its request signal
 * (requests in flight stop when the attempt ends), and a failed step ending the invocation
 * as a `TerminalError` (Restate does not retry it) whose message names the workflow, step
 * and reason, never a value.
 */
export async function runOnRestate<Outputs, Options extends object>(
  ctx: Context,
  options: Options & DurableOptions<string>,
  run: (options: Options, journal: Journal) => Promise<Outputs>,
): Promise<Outputs> {
  const { rerunSteps, ...runOptions } = options;
  const journal = restateJournal(ctx, { rerunSteps });
  try {
    // Traced under the invocation's span when Restate sends its trace context (its tracing turned on).
    return await withTraceContext(ctx.request().attemptHeaders, () =>
      run({ ...runOptions, signal: ctx.request().attemptCompletedSignal } as unknown as Options, journal),
    );
  } catch (error) {
    // Options that cannot work (no server URL, a variable's value not allowed): retrying would not help.
    if (error instanceof ArazzoConfigError) throw new TerminalError(error.message, { metadata: { source: error.source, reason: "config" } });
    if (error instanceof TelemetryConfigError) throw new TerminalError(error.message, { metadata: { reason: "config" } });
    if (!(error instanceof ArazzoStepError)) throw error;
    throw new TerminalError(error.message, {
      metadata: {
        workflowId: error.workflowId,
        stepId: error.stepId,
        reason: error.reason,
        ...(error.status === undefined ? {} : { status: String(error.status) }),
      },
    });
  }
}
