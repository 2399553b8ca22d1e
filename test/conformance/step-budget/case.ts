/** A loop without end is stopped by `options.maxSteps` (default 100) with reason `step-budget`; an abort signal stops a run waiting to retry. */
import type { Exchange, Scenario } from "../harness.ts";

const spin = (count: number): Exchange[] =>
  Array.from({ length: count }, () => ({
    request: { method: "GET", url: "https://api.example.test/v1/steps/spin" },
    response: { status: 200, json: { state: "pending" } },
  }));
const budgetError = { error: { name: "ArazzoStepError", reason: "step-budget", stepId: "spin" } } as const;

/** Aborts the run 20 ms after the first response (a 503) arrives, while the run waits 30 s to retry. */
function abortDuringRetryDelay(): Scenario {
  let controller = new AbortController();
  return {
    name: "an abort during a retry delay rejects with the AbortError at once and sends nothing more",
    run: "runSlowRetry",
    options: () => {
      controller = new AbortController();
      return { signal: controller.signal };
    },
    exchanges: [
      {
        request: { method: "GET", url: "https://api.example.test/v1/steps/flaky" },
        response: () => {
          setTimeout(() => controller.abort(), 20);
          return { status: 503, json: { message: "busy" } };
        },
      },
    ],
    expect: { error: { name: "AbortError" } },
    withinMs: 3000,
  };
}

export const scenarios: Scenario[] = [
  {
    name: "maxSteps: 3 allows three steps, then fails with reason step-budget",
    run: "runForever",
    options: { maxSteps: 3 },
    exchanges: spin(3),
    expect: budgetError,
  },
  {
    name: "without maxSteps the budget is 100 steps",
    run: "runForever",
    exchanges: spin(100),
    expect: budgetError,
  },
  abortDuringRetryDelay(),
  {
    name: "a signal aborted before the run starts sends nothing (workflow without actions)",
    run: "runStraight",
    options: () => ({ signal: AbortSignal.abort() }),
    exchanges: [],
    expect: { error: { name: "AbortError" } },
  },
  {
    name: "a signal aborted before the run starts sends nothing (workflow with actions)",
    run: "runForever",
    options: () => ({ signal: AbortSignal.abort() }),
    exchanges: [],
    expect: { error: { name: "AbortError" } },
  },
];
