/**
 * onFailure actions: `retry` (retryAfter, retryLimit, the default single retry, a
 * `Retry-After` header overruling retryAfter, retry after running another step), `goto`,
 * `end`, and a failure no action matches.
 */
import type { Exchange, MockResponse, Scenario } from "../harness.ts";

const hit = (name: string, response: MockResponse): Exchange => ({
  request: { method: "GET", url: `https://api.example.test/v1/steps/${name}` },
  response,
});
const ok = (state = "done"): MockResponse => ({ status: 200, json: { state } });
const unavailable = (headers: Record<string, string> = {}): MockResponse => ({ status: 503, headers, json: { message: "busy" } });
const criteriaError = (stepId: string, status: number, loop?: { attempts: number; waitedAtLeastMs: number; message: string }) =>
  ({
    error: {
      name: "ArazzoStepError",
      reason: "criteria",
      stepId,
      status,
      message: ["`$statusCode == 200`", ...(loop ? [loop.message] : [])],
      ...(loop ? { attempts: loop.attempts, waitedAtLeastMs: loop.waitedAtLeastMs } : {}),
    },
  }) as const;

export const scenarios: Scenario[] = [
  {
    name: "retry without retryLimit retries once and succeeds",
    run: "runRetryDefault",
    exchanges: [hit("flaky", unavailable()), hit("flaky", ok())],
    expect: { outputs: { state: "done" } },
  },
  {
    name: "retry without retryLimit: two attempts in all, then the failure is thrown, saying so",
    run: "runRetryDefault",
    exchanges: [hit("flaky", unavailable()), hit("flaky", unavailable())],
    expect: criteriaError("flaky", 503, { attempts: 2, waitedAtLeastMs: 0, message: "after 2 attempts (10 ms waited)" }),
  },
  {
    name: "a retry that then succeeds goes on as a success",
    run: "runRetryLimit",
    exchanges: [hit("flaky", unavailable({ "X-Fallback": "yes" })), hit("flaky", ok("first"))],
    expect: { outputs: { flaky: "first", fallback: undefined } },
  },
  {
    name: "retryLimit 2: three attempts, then the next failure action (goto) applies",
    run: "runRetryLimit",
    exchanges: [
      hit("flaky", unavailable({ "X-Fallback": "yes" })),
      hit("flaky", unavailable({ "X-Fallback": "yes" })),
      hit("flaky", unavailable({ "X-Fallback": "yes" })),
      hit("fallback", ok("fallback")),
    ],
    transitions: [
      { stepId: "flaky", outcome: "failure", type: "retry", action: "retryUnavailable", to: "flaky", waitMs: 50 },
      { stepId: "flaky", outcome: "failure", type: "retry", action: "retryUnavailable", to: "flaky", waitMs: 50 },
      { stepId: "flaky", outcome: "failure", type: "goto", action: "fallBack", to: "fallback", waitMs: 0 },
      { stepId: "fallback", outcome: "success", type: "next", waitMs: 0 },
    ],
    expect: { outputs: { flaky: undefined, fallback: "fallback" } },
    atLeastMs: 90, // two retries, retryAfter: 0.05 each
  },
  {
    name: "retryLimit 2: three attempts, then no action matches and the failure is thrown with the attempts and the wait",
    run: "runRetryLimit",
    exchanges: [hit("flaky", unavailable()), hit("flaky", unavailable()), hit("flaky", unavailable())],
    expect: criteriaError("flaky", 503, { attempts: 3, waitedAtLeastMs: 100, message: "after 3 attempts (100 ms waited)" }),
  },
  {
    name: "a Retry-After: 0 response header overrules retryAfter: 30",
    run: "runRetryAfterHeader",
    exchanges: [hit("flaky", unavailable({ "Retry-After": "0" })), hit("flaky", ok())],
    expect: { outputs: { state: "done" } },
    withinMs: 3000,
  },
  {
    name: "a Retry-After asking for a day is cut to options.maxRetryDelayMs",
    run: "runRetryAfterHeader",
    options: { maxRetryDelayMs: 50 },
    exchanges: [hit("flaky", unavailable({ "Retry-After": "86400" })), hit("flaky", ok())],
    expect: { outputs: { state: "done" } },
    atLeastMs: 40,
    withinMs: 3000,
  },
  {
    name: "retry with stepId runs that step first, then the failed step again with its new outputs",
    run: "runRetryStep",
    exchanges: [
      hit("auth", { status: 200, json: { token: "t1" } }),
      {
        request: { method: "GET", url: "https://api.example.test/v1/steps/call", headers: { authorization: "Bearer t1" } },
        response: { status: 401, json: {} },
      },
      hit("auth", { status: 200, json: { token: "t2" } }),
      { request: { method: "GET", url: "https://api.example.test/v1/steps/call", headers: { authorization: "Bearer t2" } }, response: ok() },
    ],
    transitions: [
      { stepId: "auth", outcome: "success", type: "next", to: "call", waitMs: 0 },
      { stepId: "call", outcome: "failure", type: "retry", action: "reauthenticate", to: "auth", waitMs: 0 },
      { stepId: "auth", outcome: "success", type: "next", to: "call", waitMs: 0 },
      { stepId: "call", outcome: "success", type: "next", waitMs: 0 },
    ],
    expect: { outputs: { token: "t2", state: "done" } },
  },
  {
    name: "goto on failure (criteria read the error body) skips to the named step",
    run: "runFailureGoto",
    exchanges: [hit("first", { status: 404, json: { message: "GONE" } }), hit("recover", ok("recovered"))],
    expect: { outputs: { first: undefined, second: undefined, recover: "recovered" } },
  },
  {
    name: "a failure whose action criteria do not hold is thrown",
    run: "runFailureGoto",
    exchanges: [hit("first", { status: 404, json: { message: "elsewhere" } })],
    expect: criteriaError("first", 404),
  },
  {
    name: "end on failure returns normally with the outputs produced so far",
    run: "runFailureEnd",
    exchanges: [hit("first", ok("one")), hit("second", { status: 500, json: { message: "boom" } })],
    transitions: [
      { stepId: "first", outcome: "success", type: "next", to: "second", waitMs: 0 },
      { stepId: "second", outcome: "failure", type: "end", action: "giveUp", waitMs: 0 },
    ],
    expect: { outputs: { first: "one", second: undefined } },
  },
  {
    name: "a failure no action matches is thrown (a 500 where only 503 is retried)",
    run: "runRetryDefault",
    exchanges: [hit("flaky", { status: 500, json: { message: "boom" } })],
    expect: criteriaError("flaky", 500),
  },
  {
    name: "retryLimit 0: a single attempt, then the failure is thrown",
    run: "runRetryNever",
    exchanges: [hit("flaky", unavailable())],
    expect: criteriaError("flaky", 503),
  },
];
