/**
 * Runs generated workflows as Restate workflow services (`<package>/restate`): a `Journal`
 * (`durable.ts`) whose steps are Restate journaled actions (`ctx.run`, named after
 * the stepId) and whose waits are durable timers (`ctx.sleep`), and the mapping of a
 * workflow's failure to a Restate terminal error.
 *
 * What the journal holds: each step's outputs that later steps or the workflow's outputs
 * read, the transition it chose, and a failed step's error without its response body. The
 * invocation's input (the workflow's inputs) and output are stored by Restate too. Steps named
 * in `rerunSteps` are not journaled at all: they run again on every replay.
 */
import { type Context, TerminalError } from "@restatedev/restate-sdk";
import { recordedResult, type Journal } from "./durable.js";
import { ArazzoStepError, type StepErrorDetails } from "./runtime.js";

/** Options every generated Restate workflow takes on top of its run options. */
export interface DurableOptions<StepId extends string> {
  /**
   * Steps whose results are never written to Restate's journal: on a replay they run again
   * (a token step mints a fresh token) instead of returning a stored result. For steps that
   * are safe to repeat and decide the same way each time: a step that chose a different
   * action on a replay would make the journal diverge, which Restate reports as an error.
   */
  readonly rerunSteps?: readonly StepId[];
}

/** A step's result as journaled: its value, or the failure without its response body. */
type Recorded = { readonly value: unknown } | { readonly failed: StepErrorDetails };

/** A `Journal` backed by the Restate context `ctx`. */
export function restateJournal(ctx: Context, options: DurableOptions<string> = {}, prefix = ""): Journal {
  const rerun = new Set(prefix ? [] : (options.rerunSteps ?? []));
  return {
    async step(stepId, run, record) {
      if (rerun.has(stepId)) return run();
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
  };
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
    return await run({ ...runOptions, signal: ctx.request().attemptCompletedSignal } as unknown as Options, journal);
  } catch (error) {
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
