/**
 * `options.validateResponses` (issue 12, part 3): the body of each response a step reads is
 * checked against its schema with validators compiled at generation time; one that does not
 * fit fails the step with reason `invalid-response`, naming the pointer and the rule but
 * never the value. Off by default.
 */
import type { Scenario } from "../harness.ts";

const API = "https://api.example.test/v1";
const order = { id: "o-1", state: "packed", total: 12.5, customer: { name: "Ada" } };
const read = (json: unknown) => [{ request: { method: "GET", url: `${API}/orders/o-1` }, response: { status: 200, json } }];

export const scenarios: Scenario[] = [
  {
    name: "a body that fits passes",
    run: "runReadOrder",
    inputs: { id: "o-1" },
    options: { validateResponses: true },
    exchanges: read(order),
    expect: { outputs: { state: "packed" } },
  },
  {
    name: "a value outside the enum fails the step, naming the pointer and the rule, not the value",
    run: "runReadOrder",
    inputs: { id: "o-1" },
    options: { validateResponses: true },
    exchanges: read({ ...order, state: "teleported-secret" }),
    expect: {
      error: {
        name: "ArazzoStepError",
        reason: "invalid-response",
        stepId: "read",
        status: 200,
        message: ["`/state` must be equal to one of the allowed values (enum)"],
        messageExcludes: ["teleported-secret"],
      },
    },
  },
  {
    name: "a key of a map in the body is data: the pointer shows it as *",
    run: "runReadOrder",
    inputs: { id: "o-1" },
    options: { validateResponses: true },
    exchanges: read({ ...order, counts: { FR7630006000011234567890189: "many" } }),
    expect: {
      error: {
        name: "ArazzoStepError",
        reason: "invalid-response",
        stepId: "read",
        status: 200,
        message: ["`/counts/*` must be integer (type)"],
        messageExcludes: ["FR7630006000011234567890189", "many"],
      },
    },
  },
  {
    name: "a required field left out fails the step",
    run: "runReadOrder",
    inputs: { id: "o-1" },
    options: { validateResponses: true },
    exchanges: read({ state: "packed", total: 1, customer: { name: "Ada" } }),
    expect: {
      error: { name: "ArazzoStepError", reason: "invalid-response", stepId: "read", status: 200, message: ["must have required property 'id' (required)"] },
    },
  },
  {
    name: "OpenAPI's null: a field of type [number, null] takes null",
    run: "runReadOrder",
    inputs: { id: "o-1" },
    options: { validateResponses: true },
    exchanges: read({ ...order, total: null }),
    expect: { outputs: { state: "packed" } },
  },
  {
    name: "off by default: the same body goes through",
    run: "runReadOrder",
    inputs: { id: "o-1" },
    exchanges: read({ ...order, state: "teleported-secret" }),
    expect: { outputs: { state: "teleported-secret" } },
  },
];
