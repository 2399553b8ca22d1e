/**
 * The Restate journal (`runtime/restate.ts`) against a fake Restate context that records
 * `ctx.run` results on a first attempt and hands them back, in order, without running the
 * action, on a replay, as Restate does: what is journaled, what a replay returns, and how a
 * `rerunSteps` step behaves when it decides differently on a replay.
 */
import type { Context } from "@restatedev/restate-sdk";
import { describe, expect, test } from "vitest";
import { restateJournal } from "../../generator/runtime/restate.ts";
import { ArazzoStepError } from "../../generator/runtime/runtime.ts";

/** A fake context: `replay()` starts a new attempt that gets the recorded results back. */
function fakeContext() {
  const journal: { name: string; value: string }[] = [];
  let position = 0;
  const ctx = {
    async run(name: string, action: () => Promise<unknown> | unknown) {
      const recorded = journal[position];
      position += 1;
      if (recorded) {
        if (recorded.name !== name) throw new Error(`journal mismatch: ${recorded.name} recorded, ${name} asked`);
        return JSON.parse(recorded.value);
      }
      const value = await action();
      journal.push({ name, value: JSON.stringify(value) });
      return JSON.parse(JSON.stringify(value));
    },
    sleep: async () => undefined,
  };
  const replay = () => {
    position = 0;
  };
  return { ctx: ctx as unknown as Context, journal, replay };
}

/** A step outcome (`{ outputs?, then }`): built so, an object literal with `then` reads like a thenable to the linter. */
function outcome(then: object, outputs?: object): { readonly outputs?: object; readonly then: object } {
  return outputs === undefined ? { then } : { outputs, then };
}

const next = { type: "next" };
const retry = { type: "retry", action: "again", delayMs: 1000 };
const failure = () =>
  new ArazzoStepError({ workflowId: "w", stepId: "mint", reason: "criteria", status: 503, body: { secret: "s3cr3t" }, detail: "$statusCode == 200" });

describe("a journaled step", () => {
  test("records only the outputs kept, and a replay returns the record without running the step", async () => {
    const { ctx, journal, replay } = fakeContext();
    let ran = 0;
    const step = async () => {
      ran += 1;
      return { token: "t-1", expiresIn: 3600 };
    };
    expect(await restateJournal(ctx).step("mint", step, { keep: ["token"], outcome: false })).toEqual({ token: "t-1" });
    expect(journal).toEqual([{ name: "mint", value: '{"value":{"token":"t-1"}}' }]);
    replay();
    expect(await restateJournal(ctx).step("mint", step, { keep: ["token"], outcome: false })).toEqual({ token: "t-1" });
    expect(ran).toBe(1);
  });

  test("records a failure without its body, and a replay throws the same error", async () => {
    const { ctx, journal, replay } = fakeContext();
    const failing = async () => {
      throw failure();
    };
    await expect(restateJournal(ctx).step("mint", failing, { keep: [], outcome: false })).rejects.toThrow(
      "step `mint`: success criterion `$statusCode == 200` not met (HTTP 503)",
    );
    expect(journal[0]!.value).not.toContain("s3cr3t");
    replay();
    const error = await restateJournal(ctx)
      .step("mint", async () => ({}), { keep: [], outcome: false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArazzoStepError);
    expect((error as ArazzoStepError).status).toBe(503);
  });
});

describe("a step in rerunSteps", () => {
  const options = { rerunSteps: ["mint"] };

  test("journals how it ended, no output; runs again on a replay, with the first attempt's transition", async () => {
    const { ctx, journal, replay } = fakeContext();
    let token = 0;
    const mint = async () => outcome(next, { token: `t-${++token}` });
    expect(await restateJournal(ctx, options).step("mint", mint, { keep: ["token"], outcome: true })).toEqual(outcome(next, { token: "t-1" }));
    expect(journal).toEqual([{ name: "mint", value: '{"value":{"outputs":{},"then":{"type":"next"}}}' }]);
    replay();
    expect(await restateJournal(ctx, options).step("mint", mint, { keep: ["token"], outcome: true })).toEqual(outcome(next, { token: "t-2" }));
  });

  test("succeeded the first time, handled as a failure on a replay: an error Restate retries, not the first path without outputs", async () => {
    const { ctx, replay } = fakeContext();
    await restateJournal(ctx, options).step("mint", async () => outcome(next, { token: "t-1" }), { keep: ["token"], outcome: true });
    replay();
    const error = await restateJournal(ctx, options)
      .step("mint", async () => outcome(retry), { keep: ["token"], outcome: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ArazzoStepError);
    expect((error as Error).message).toContain("succeeded before this replay but not now");
  });

  test("failed (an action handled it) the first time, succeeds on a replay: the first path, without outputs", async () => {
    const { ctx, replay } = fakeContext();
    expect(await restateJournal(ctx, options).step("mint", async () => outcome(retry), { keep: ["token"], outcome: true })).toEqual(outcome(retry));
    replay();
    expect(await restateJournal(ctx, options).step("mint", async () => outcome(next, { token: "t-2" }), { keep: ["token"], outcome: true })).toEqual(
      outcome(retry),
    );
  });

  test("without actions: a failure on a replay after a success is retried; a first failure is the run's", async () => {
    const { ctx, replay } = fakeContext();
    const failing = async () => {
      throw failure();
    };
    await restateJournal(ctx, options).step("mint", async () => ({ token: "t-1" }), { keep: ["token"], outcome: false });
    replay();
    const error = await restateJournal(ctx, options)
      .step("mint", failing, { keep: ["token"], outcome: false })
      .catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(ArazzoStepError);

    const first = fakeContext();
    await expect(restateJournal(first.ctx, options).step("mint", failing, { keep: [], outcome: false })).rejects.toBeInstanceOf(ArazzoStepError);
  });
});
