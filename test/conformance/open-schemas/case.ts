/**
 * Fields an open schema does not list (issue 22, kind 3): a criterion and outputs read `/success`
 * and `/meta/requestId` from an envelope whose schema lists only `result` and does not close
 * itself: read untyped (`undeclared-field`), and checked at run time like any other read; and a
 * workflow output that reads a field under a typed step output (`…outputs.result#/state`).
 */
import type { Scenario } from "../harness.ts";

const API = "https://envelopes.example.test";

export const scenarios: Scenario[] = [
  {
    name: "the fields the schema does not list are read as they came",
    run: "runReadJob",
    inputs: { id: "j-1" },
    exchanges: [
      {
        request: { method: "GET", url: `${API}/jobs/j-1` },
        response: { status: 200, json: { success: true, meta: { requestId: "r-9" }, result: { state: "done" } } },
      },
    ],
    expect: { outputs: { success: true, requestId: "r-9", state: "done", resultState: "done" } },
  },
  {
    name: "the criterion on an unlisted field still decides",
    run: "runReadJob",
    inputs: { id: "j-2" },
    exchanges: [{ request: { method: "GET", url: `${API}/jobs/j-2` }, response: { status: 200, json: { success: false, result: { state: "failed" } } } }],
    expect: { error: { name: "ArazzoStepError", reason: "criteria", stepId: "job", status: 200 } },
  },
];
