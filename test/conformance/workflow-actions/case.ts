/**
 * Workflow-level `successActions` / `failureActions` apply to every step; a step action
 * with the same name replaces the workflow one for that step; both can be
 * `$components.successActions.x` / `$components.failureActions.x` references.
 */
import type { Exchange, MockResponse, Scenario } from "../harness.ts";

const hit = (name: string, response: MockResponse): Exchange => ({
  request: { method: "GET", url: `https://api.example.test/v1/steps/${name}` },
  response,
});
const state = (value: string): MockResponse => ({ status: 200, json: { state: value } });
const status = (code: number): MockResponse => ({ status: code, json: { message: "no" } });

export const scenarios: Scenario[] = [
  {
    name: "no action matches: every step runs",
    run: "runShared",
    exchanges: [hit("first", state("pending")), hit("middle", state("pending")), hit("last", state("pending"))],
    expect: { outputs: { first: "pending", middle: "pending", last: "pending" } },
  },
  {
    name: "the workflow's success action (a component reference) ends the run after a step without actions",
    run: "runShared",
    exchanges: [hit("first", state("pending")), hit("middle", state("done"))],
    expect: { outputs: { first: "pending", middle: "done", last: undefined } },
  },
  {
    name: "a step action with the workflow action's name overrides it (goto last, not end)",
    run: "runShared",
    exchanges: [hit("first", state("done")), hit("last", state("pending"))],
    expect: { outputs: { first: "done", middle: undefined, last: "pending" } },
  },
  {
    name: "the workflow's failure action (a component reference) retries any step",
    run: "runShared",
    exchanges: [hit("first", state("pending")), hit("middle", status(503)), hit("middle", state("pending")), hit("last", state("pending"))],
    expect: { outputs: { first: "pending", middle: "pending", last: "pending" } },
  },
  {
    name: "an inline workflow failure action applies too, after the step's own",
    run: "runShared",
    exchanges: [hit("first", status(404)), hit("last", state("pending"))],
    expect: { outputs: { first: undefined, middle: undefined, last: "pending" } },
  },
  {
    name: "a step's own failure action (a component reference) applies",
    run: "runShared",
    exchanges: [hit("first", status(500))],
    expect: { outputs: { first: undefined, middle: undefined, last: undefined } },
  },
];
