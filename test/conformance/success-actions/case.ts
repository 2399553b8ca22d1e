/** onSuccess actions: `end`, `goto` forward (skipping a step), `goto` back (a poll loop), first matching action wins, no match → next step. */
import type { Exchange, MockResponse, Scenario } from "../harness.ts";

const hit = (name: string, response: MockResponse): Exchange => ({
  request: { method: "GET", url: `https://api.example.test/v1/steps/${name}` },
  response,
});
const state = (value: string, count?: number): MockResponse => ({ status: 200, json: { state: value, count } });

export const scenarios: Scenario[] = [
  {
    name: "end: later steps are not called and their outputs are undefined",
    run: "runEndEarly",
    exchanges: [hit("first", state("done"))],
    expect: { outputs: { first: "done", second: undefined, firstStatus: 200, secondStatus: undefined } },
  },
  {
    name: "end whose criteria do not hold: the next step runs",
    run: "runEndEarly",
    exchanges: [hit("first", state("pending")), hit("second", state("done"))],
    expect: { outputs: { first: "pending", second: "done", firstStatus: 200, secondStatus: 200 } },
  },
  {
    name: "goto a later step skips the one in between",
    run: "runGotoForward",
    exchanges: [hit("first", state("pending")), hit("third", state("done"))],
    expect: { outputs: { first: "pending", second: undefined, third: "done" } },
  },
  {
    name: "goto back polls until the condition holds, then the next step runs (outputs from the last attempt)",
    run: "runPoll",
    exchanges: [
      hit("start", { status: 200, json: {} }),
      hit("check", state("pending", 1)),
      hit("check", state("pending", 2)),
      hit("check", state("done", 3)),
      hit("finish", state("done")),
    ],
    expect: { outputs: { polled: 3, finished: "done" } },
  },
  {
    name: "the first matching action wins (goto third, not end)",
    run: "runFirstMatch",
    exchanges: [hit("first", state("done")), hit("third", state("done"))],
    expect: { outputs: { first: "done", second: undefined, third: "done" } },
  },
  {
    name: "a later action applies when the earlier one does not match (end, not the unconditional goto after it)",
    run: "runFirstMatch",
    exchanges: [hit("first", state("pending"))],
    expect: { outputs: { first: "pending", second: undefined, third: undefined } },
  },
  {
    name: "a step reading the outputs of a step a goto skipped fails with reason not-run, sending nothing",
    run: "runSkipNeeded",
    exchanges: [hit("first", state("done"))],
    expect: { error: { name: "ArazzoStepError", reason: "not-run", stepId: "third", message: ["`second`"] } },
  },
  {
    name: "the same workflow runs through when nothing is skipped",
    run: "runSkipNeeded",
    exchanges: [
      hit("first", state("pending")),
      hit("second", { status: 200, json: { token: "tok" } }),
      { request: { method: "GET", url: "https://api.example.test/v1/steps/third", headers: { authorization: "Bearer tok" } }, response: state("done") },
    ],
    expect: { outputs: { state: "done" } },
  },
];
