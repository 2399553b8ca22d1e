/**
 * Arazzo 1.1 `parameters` on success and failure actions: a `goto` to a workflow starts it
 * with those inputs (values read from the step's response, templates, workflow inputs,
 * component parameters), not with this workflow's inputs.
 */
import type { Scenario } from "../harness.ts";

const url = (name: string) => `https://api.example.test/v1/steps/${name}`;

export const scenarios: Scenario[] = [
  {
    name: "a success action starts the workflow with inputs read from the step's response",
    run: "runMain",
    exchanges: [
      { request: { method: "GET", url: url("check") }, response: { status: 200, json: { state: "second" } } },
      {
        request: { method: "GET", url: url("follow"), headers: { authorization: "second after second" } },
        response: { status: 200, json: { state: "followed" } },
      },
    ],
    // The workflow's own outputs: the one it went to ran, and this one ends with what it has.
    expect: { outputs: { state: "second" } },
  },
  {
    name: "a failure action starts it with a workflow input and a component parameter",
    run: "runMain",
    inputs: { fallback: "plan-b" },
    exchanges: [
      { request: { method: "GET", url: url("check") }, response: { status: 500, json: { message: "down" } } },
      {
        request: { method: "GET", url: url("follow"), headers: { authorization: "plan-b recovered" } },
        response: { status: 200, json: { state: "recovered" } },
      },
    ],
    expect: { outputs: { state: undefined } },
  },
];
