/**
 * The runtime pieces durable targets rely on: what a journal records of a step's result
 * (`runtime/durable.ts`), and `WorkflowRun`'s waits (`runtime/flow.ts`): retry delays decided
 * by the step (`retryDelayMs`), poll delays (`pollDelayMs`) before a `goto` back to a step
 * already run, both through the timer a durable engine passes.
 */
import { describe, expect, test } from "vitest";
import { inProcess, recordedResult } from "../../generator/runtime/durable.ts";
import { retryDelayMs, WorkflowRun } from "../../generator/runtime/flow.ts";

/** A step outcome, `{ outputs?, then }`: the runtime's shape, not a thenable (its `then` is not a function). */
function outcome<Then extends object>(then: Then, outputs?: object): { readonly outputs?: object; readonly then: Then } {
  return outputs === undefined ? { then } : { outputs, then };
}

describe("recordedResult", () => {
  test("keeps only the outputs named, as they are", () => {
    expect(recordedResult({ accessToken: "t", expiresIn: 3600, nested: { a: [1] } }, { keep: ["accessToken", "nested"], outcome: false })).toEqual({
      accessToken: "t",
      nested: { a: [1] },
    });
    expect(recordedResult({ a: 1 }, { keep: [], outcome: false })).toEqual({});
    // A kept output the step did not set stays absent; a prototype name is an ordinary key.
    const recorded = recordedResult(JSON.parse('{"a": 1, "__proto__": 2}'), { keep: ["__proto__", "b"], outcome: false }) as Record<string, unknown>;
    expect(Object.getOwnPropertyDescriptor(recorded, "__proto__")?.value).toBe(2);
    expect(Object.keys(recorded)).toEqual(["__proto__"]);
  });

  test("an outcome keeps its transition and narrows its outputs; a failed step's outcome has none", () => {
    const goto = { type: "goto", action: "stillPending", stepId: "poll" };
    expect(recordedResult(outcome(goto, { status: "pending", raw: "x" }), { keep: ["status"], outcome: true })).toEqual(outcome(goto, { status: "pending" }));
    const retry = { type: "retry", action: "again", delayMs: 5000 };
    expect(recordedResult(outcome(retry), { keep: ["status"], outcome: true })).toEqual(outcome(retry));
  });

  test("survives JSON, as a journal stores it", () => {
    const end = { type: "end", action: "finish" };
    const recorded = recordedResult(outcome(end, { status: "done", other: 1 }), { keep: ["status"], outcome: true });
    expect(JSON.parse(JSON.stringify(recorded))).toEqual(outcome(end, { status: "done" }));
  });

  test("inProcess runs the step as it is and has no timer of its own", async () => {
    let ran = 0;
    await expect(inProcess.step("a", async () => ++ran, { keep: [], outcome: false })).resolves.toBe(1);
    expect(inProcess.sleep).toBeUndefined();
    expect(inProcess.within("other")).toBe(inProcess);
  });
});

describe("WorkflowRun waits", () => {
  const recordingSleep = () => {
    const waits: number[] = [];
    return { waits, sleep: async (ms: number) => void waits.push(ms) };
  };

  test("a goto back to a step already run waits pollDelayMs; a goto forward does not", async () => {
    const { waits, sleep } = recordingSleep();
    const run = new WorkflowRun<"create" | "poll" | "report">("w", { pollDelayMs: 2_000 }, { sleep });
    run.enter("create");
    expect(await run.follow("create", outcome({ type: "next" } as const, {}), "poll")).toBe("poll");
    run.enter("poll");
    expect(await run.follow("poll", outcome({ type: "goto", action: "again", stepId: "poll" } as const, {}), "report")).toBe("poll");
    run.enter("poll");
    expect(await run.follow("poll", outcome({ type: "goto", action: "failed", stepId: "report" } as const, {}), "report")).toBe("report");
    expect(waits).toEqual([2_000]);
  });

  test("no pollDelayMs: a poll loop does not wait", async () => {
    const { waits, sleep } = recordingSleep();
    const run = new WorkflowRun<"poll">("w", {}, { sleep });
    run.enter("poll");
    await run.follow("poll", outcome({ type: "goto", action: "again", stepId: "poll" } as const, {}), undefined);
    expect(waits).toEqual([]);
  });

  test("a retry waits the step's delayMs, cut to maxRetryDelayMs, and counts it", async () => {
    const { waits, sleep } = recordingSleep();
    const run = new WorkflowRun<"pay">("w", { maxRetryDelayMs: 10_000 }, { sleep });
    run.enter("pay");
    expect(await run.follow("pay", outcome({ type: "retry", action: "busy", delayMs: 3_000 } as const), undefined)).toBe("pay");
    run.enter("pay");
    await run.follow("pay", outcome({ type: "retry", action: "busy", delayMs: 3_600_000 } as const), undefined);
    expect(waits).toEqual([3_000, 10_000]);
    expect(run.canRetry("pay", "busy", 2)).toBe(false);
  });

  test("without a timer given, the wait is a timer in this process that the signal cancels", async () => {
    const controller = new AbortController();
    const run = new WorkflowRun<"poll">("w", { pollDelayMs: 60_000, signal: controller.signal });
    run.enter("poll");
    const waiting = run.follow("poll", outcome({ type: "goto", action: "again", stepId: "poll" } as const, {}), undefined);
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
  });

  test("retryDelayMs: Retry-After (seconds or a date) overrules retryAfter", () => {
    const now = Date.parse("2026-12-01T10:00:00Z");
    expect(retryDelayMs(new Response(null, { headers: { "Retry-After": "7" } }), 2, now)).toBe(7_000);
    expect(retryDelayMs(new Response(null, { headers: { "Retry-After": "Tue, 01 Dec 2026 10:00:30 GMT" } }), 2, now)).toBe(30_000);
    expect(retryDelayMs(new Response(null), 2, now)).toBe(2_000);
    expect(retryDelayMs(undefined, undefined, now)).toBe(0);
  });
});
