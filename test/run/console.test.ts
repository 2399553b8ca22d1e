/**
 * The lines `arazzo-ts run` prints (`generator/run/console.ts`): a request line with its outcome,
 * a wait as a live countdown on a terminal and one plain line otherwise, path parameters read
 * back from the URL sent, `--quiet`.
 */
import { describe, expect, test } from "vitest";
import { RunConsole } from "../../generator/run/console.ts";
import { pathParameters, withParameters } from "../../generator/run/paths.ts";
import type { RawExchange, RawStep, TransitionEvent } from "../../generator/run/recorder.ts";
import { Masker } from "../../generator/run/secrets.ts";

const step = (stepId: string, attempt = 1): RawStep => ({
  workflowId: "poll",
  stepId,
  method: "GET",
  path: "/payments/{id}",
  attempt,
  startedAt: 0,
  started: 0,
  exchanges: [],
});
const exchange: RawExchange = {
  startedAt: 0,
  durationMs: 12.4,
  request: { method: "GET", url: "https://api.example.test/v2/payments/p%201", headers: [] },
  response: { status: 200, statusText: "OK", headers: [] },
};
const poll: TransitionEvent = { workflowId: "poll", stepId: "check", outcome: "success", type: "goto", action: "pending", to: "check", waitMs: 250 };

function printer(tty: boolean, quiet = false) {
  let text = "";
  const console = new RunConsole({
    write: (t) => {
      text += t;
    },
    tty,
    color: false,
    quiet,
    masker: new Masker(true),
  });
  console.workflowStarted("poll");
  text = ""; // from the first request's line on
  return { console, text: () => text };
}

describe("a wait before a poll", () => {
  test("not on a terminal: one plain line", () => {
    const { console, text } = printer(false);
    const s = step("check");
    console.listener.exchange!(s, exchange);
    console.listener.transition!(s, poll);
    console.close();
    expect(text()).toMatch(/^ {4}check +GET +\/payments\/\{id\} \(id=p 1\) +200 +12 ms +→ goto check \(pending\), waiting 250 ms\n$/);
  });

  test("on a terminal: a countdown rewritten in place, then what was waited", async () => {
    const { console, text } = printer(true);
    const s = step("check");
    console.listener.exchange!(s, exchange);
    console.listener.transition!(s, poll);
    await new Promise((resolve) => setTimeout(resolve, 350));
    console.close();
    const out = text();
    expect(out.startsWith("    check ")).toBe(true);
    // Rewritten at least twice (every 100 ms), then closed with the wait it took.
    const erased = out.split("\r\x1b[2K");
    expect(erased.length - 1).toBeGreaterThanOrEqual(3);
    expect(erased.some((part) => /waiting \d+ ms$/.test(part))).toBe(true);
    expect(out.endsWith("→ goto check (pending), waited 250 ms\n")).toBe(true);
  });
});

describe("request lines", () => {
  test("a step run again is numbered; the next step's request gives the last one its outcome", () => {
    const { console, text } = printer(false);
    console.listener.exchange!(step("check", 2), exchange);
    console.listener.exchange!(step("other"), exchange);
    console.close();
    console.summary({ workflows: { passed: 1, failed: 0 }, steps: 2, requests: 2 }, 30);
    const [first, second] = text().split("\n");
    expect(first).toMatch(/^ {4}check #2 +GET +\/payments\/\{id\} \(id=p 1\) +200 +12 ms +→ next$/);
    expect(second).toMatch(/^ {4}other +GET +\/payments\/\{id\} \(id=p 1\) +200 +12 ms$/);
  });

  test("`--quiet`: a passing workflow prints nothing", () => {
    const { console, text } = printer(false, true);
    console.workflowStarted("poll");
    console.listener.exchange!(step("check"), exchange);
    console.workflowEnded({ workflowId: "poll", status: "passed", startedAt: "", durationMs: 1, inputs: {}, steps: [], graph: { steps: [] } });
    console.summary({ workflows: { passed: 1, failed: 0 }, steps: 1, requests: 1 }, 1);
    expect(text()).toBe("");
  });
});

describe("path parameters", () => {
  test.each([
    ["/payments/{id}", "/v2/payments/p%201", { id: "p 1" }],
    ["/a/{x}/b/{y}", "/a/1/b/2", { x: "1", y: "2" }],
    ["/static", "/base/static", {}],
  ])("%s in %s", (template, sent, want) => {
    expect(pathParameters(template, sent)).toEqual(want);
  });

  test("a path that is not the template's gives none", () => {
    expect(pathParameters("/payments/{id}", "/oauth/token")).toBeUndefined();
    expect(withParameters("/payments/{id}", "/x/payments/7")).toBe("/payments/{id} (id=7)");
  });
});
