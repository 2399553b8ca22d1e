/**
 * Outputs: step outputs from a body pointer through an array index, a header, the status
 * and the whole body; workflow outputs from steps and inputs; an output a later step needs
 * but the response lacks fails its step (`missing-output`) before anything else is sent.
 */
import type { Scenario } from "../harness.ts";

const API = "https://api.example.test/v1";
const firstBody = { a: [{ b: "zero" }, { b: "one" }], token: "tok", label: "x" };

export const scenarios: Scenario[] = [
  {
    name: "step and workflow outputs carry the values read",
    run: "runOutputs",
    inputs: { label: "L", count: 0 },
    exchanges: [
      { request: { method: "GET", url: `${API}/steps/first` }, response: { status: 202, headers: { "X-Thing": "thing-1" }, json: firstBody } },
      { request: { method: "GET", url: `${API}/steps/second`, headers: { authorization: "Bearer tok" } }, response: { status: 200, json: { state: "done" } } },
    ],
    expect: { outputs: { deep: "one", thing: "thing-1", status: 202, body: firstBody, state: "done", label: "L", count: 0 } },
  },
  {
    name: "absent values are undefined outputs (optional input, header, pointer)",
    run: "runOutputs",
    inputs: { label: "L" },
    exchanges: [
      { request: { method: "GET", url: `${API}/steps/first` }, response: { status: 200, json: { a: [{ b: "zero" }], token: "tok" } } },
      { request: { method: "GET", url: `${API}/steps/second` }, response: { status: 200, json: {} } },
    ],
    expect: {
      outputs: { deep: undefined, thing: undefined, status: 200, body: { a: [{ b: "zero" }], token: "tok" }, state: undefined, label: "L", count: undefined },
    },
  },
  {
    name: "an output a later step needs, missing from the response, fails that step and nothing else is sent",
    run: "runOutputs",
    inputs: { label: "L" },
    exchanges: [{ request: { method: "GET", url: `${API}/steps/first` }, response: { status: 200, json: { a: [] } } }],
    expect: { error: { name: "ArazzoStepError", reason: "missing-output", stepId: "first", status: 200, message: ["$response.body#/token"] } },
  },
];
