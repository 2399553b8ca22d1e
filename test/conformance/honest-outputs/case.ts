/**
 * Honest output types (issue 12): an output the response schema requires, read after the
 * success criteria checked its status, is not `| undefined`, and is checked at run time (a
 * server that breaks its description fails the step with `missing-output`); an output a
 * criterion pins to one enum value has that value's type; the rest stays optional. The types
 * themselves are checked in `test/conformance/types.ts`.
 */
import type { Scenario } from "../harness.ts";

const API = "https://api.example.test/v1";
const shipped = { id: "o-1", state: "shipped", total: null, customer: { name: "Ada" } };

export const scenarios: Scenario[] = [
  {
    name: "a shipped order: required fields, the pinned state, absent optional ones",
    run: "runShipOrder",
    inputs: { id: "o-1" },
    exchanges: [{ request: { method: "GET", url: `${API}/orders/o-1` }, response: { status: 200, json: shipped } }],
    expect: { outputs: { id: "o-1", state: "shipped", note: undefined, total: null, customer: "Ada", email: undefined } },
  },
  {
    name: "a server that leaves out a required field fails the step instead of returning undefined",
    run: "runShipOrder",
    inputs: { id: "o-1" },
    exchanges: [
      { request: { method: "GET", url: `${API}/orders/o-1` }, response: { status: 200, json: { state: "shipped", total: 3, customer: { name: "Ada" } } } },
    ],
    expect: { error: { name: "ArazzoStepError", reason: "missing-output", stepId: "wait", status: 200, message: ["$response.body#/id"] } },
  },
  {
    name: "a state the criterion does not accept fails the criterion",
    run: "runShipOrder",
    inputs: { id: "o-1" },
    exchanges: [{ request: { method: "GET", url: `${API}/orders/o-1` }, response: { status: 200, json: { ...shipped, state: "packed" } } }],
    expect: { error: { name: "ArazzoStepError", reason: "criteria", stepId: "wait", status: 200, message: ["$response.body#/state == 'SHIPPED'"] } },
  },
  {
    name: "without a status criterion an error body is not checked against the order schema",
    run: "runReadOrder",
    inputs: { id: "o-2" },
    exchanges: [{ request: { method: "GET", url: `${API}/orders/o-2` }, response: { status: 200, json: {} } }],
    expect: { outputs: { id: undefined, state: undefined } },
  },
  {
    name: "a step whose success is a 404 reads its outputs from the 404's body",
    run: "runOrderGone",
    inputs: { id: "o-9" },
    exchanges: [{ request: { method: "GET", url: `${API}/orders/o-9` }, response: { status: 404, json: { message: "gone" } } }],
    expect: { outputs: { message: "gone" } },
  },
];
