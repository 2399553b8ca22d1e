/**
 * How a run's steps execute and how it waits: in this process (`inProcess`, the default), or
 * through a durable-execution engine that journals each step's result, so a replay after a
 * crash or a deploy returns the recorded result instead of sending the request again, and
 * whose timers survive restarts (`runtime-restate.ts`, from `restate.ts`).
 *
 * The `run<Workflow>` functions of durable targets take a `Journal`; the step functions are
 * those of the plain target, unchanged: the journal wraps whole steps (request, criteria,
 * outputs), never parts of one.
 */

import type { AttemptState } from "./runtime-telemetry.js";

/** What a journal records of a step's result. */
export interface StepRecord {
  /**
   * The outputs something later reads (a step's request, criteria, actions or outputs, the
   * workflow's outputs): only these are recorded, so a journal holds no more of a response
   * than the run needs.
   */
  readonly keep: readonly string[];
  /** The step returns a `StepOutcome` (`{ outputs, then }`, a workflow with actions) rather than its outputs. */
  readonly outcome: boolean;
}

export interface Journal {
  /**
   * Runs one step once. A durable journal records what `run` returns (outputs narrowed to
   * `record.keep`) or the `ArazzoStepError` it throws, and on a replay returns or throws that
   * record without running the step.
   */
  step<T>(stepId: string, run: () => Promise<T>, record: StepRecord): Promise<T>;
  /** A wait before a retry or a poll that survives restarts; absent: the run's own timer in this process. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The journal of a workflow this run runs (a workflow step, `dependsOn`): its steps are named `<workflowId>.<stepId>`. */
  within(workflowId: string): Journal;
  /** The engine's attempt, for telemetry: no span or event for what a replay returns from the journal (`runtime-telemetry.ts`). */
  readonly attempt?: AttemptState;
}

/** No journal: every step runs when it is reached, waits are timers in this process. */
export const inProcess: Journal = {
  step: (_stepId, run) => run(),
  within: () => inProcess,
};

/**
 * What a journal keeps of a step's result: its outputs narrowed to `record.keep` (and, for an
 * outcome, the transition, which is plain data). Values stay as they are.
 */
export function recordedResult(value: unknown, record: StepRecord): unknown {
  if (record.outcome) {
    const { outputs, then } = value as { outputs?: unknown; then: unknown };
    return outputs === undefined ? { then } : { outputs: pick(outputs, record.keep), then };
  }
  return pick(value, record.keep);
}

function pick(outputs: unknown, keep: readonly string[]): unknown {
  if (outputs === null || typeof outputs !== "object") return outputs;
  const kept: Record<string, unknown> = Object.create(null);
  for (const name of keep) if (Object.hasOwn(outputs, name)) kept[name] = (outputs as Record<string, unknown>)[name];
  return kept;
}
