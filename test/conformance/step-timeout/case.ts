/**
 * Arazzo 1.1 step `timeout`: a step that takes longer fails with reason `timeout` (its
 * request aborted), and "this will fail the workflow unless onFailure actions are defined":
 * failure actions apply, those whose criteria read a response (which there is none of)
 * excepted. A step that runs a workflow is bounded the same way.
 */
import type { Exchange, MockResponse, Scenario } from "../harness.ts";

const hit = (name: string, response: MockResponse): Exchange => ({
  request: { method: "GET", url: `https://api.example.test/v1/steps/${name}` },
  response,
});
const ok = (state: string, delayMs = 0): MockResponse => ({ status: 200, json: { state }, ...(delayMs ? { delayMs } : {}) });
const timedOut = (stepId: string, message: string) => ({ error: { name: "ArazzoStepError", reason: "timeout", stepId, message: [message] } }) as const;

export const scenarios: Scenario[] = [
  {
    name: "a step that answers within its timeout succeeds",
    run: "runBounded",
    exchanges: [hit("slow", ok("quick", 10))],
    expect: { outputs: { state: "quick" } },
  },
  {
    name: "a step slower than its timeout fails with reason timeout, when the timeout is up",
    run: "runBounded",
    exchanges: [hit("slow", ok("late", 2000))],
    expect: timedOut("slow", "no response within 100 ms (the step's timeout)"),
    atLeastMs: 90,
    withinMs: 1500,
  },
  {
    name: "the shorter of options.timeoutMs and the step's timeout applies",
    run: "runBounded",
    options: { timeoutMs: 30 },
    exchanges: [hit("slow", ok("late", 2000))],
    expect: timedOut("slow", "no response within 30 ms (options.timeoutMs)"),
    withinMs: 1000,
  },
  {
    name: "a timeout goes through the failure actions: a retry, then the goto (the action that reads the status is skipped)",
    run: "runFallbackOnTimeout",
    exchanges: [hit("slow", ok("late", 2000)), hit("slow", ok("late", 2000)), hit("fallback", ok("fallback"))],
    expect: { outputs: { slow: undefined, fallback: "fallback" } },
    atLeastMs: 190,
    withinMs: 2000,
  },
  {
    name: "the retry after a timeout may succeed",
    run: "runFallbackOnTimeout",
    exchanges: [hit("slow", ok("late", 2000)), hit("slow", ok("second")), hit("done", ok("done"))],
    expect: { outputs: { slow: "second", fallback: undefined } },
  },
  {
    name: "a step that runs a workflow is bounded by its timeout too",
    run: "runBoundedCall",
    exchanges: [hit("slow", ok("late", 2000))],
    expect: timedOut("call", "not done within 50 ms (the step's timeout)"),
    withinMs: 1000,
  },
];
