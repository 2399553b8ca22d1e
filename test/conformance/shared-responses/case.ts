/**
 * Responses shared through `components/responses` (issue 22, item 10): each operation whose
 * response is the same `$ref` gets a validator (one, shared), and the schema it names may have
 * a `$id` of its own. A response schema Ajv cannot compile is skipped with a warning, and the
 * responses compiled after it are still validated (validator ids are not reused).
 */
import type { Scenario } from "../harness.ts";

const API = "https://shared.example.test/v1";
const order = (state: unknown) => ({ id: "o-1", state });
const three = (read: unknown, refresh: unknown, history: unknown) => [
  { request: { method: "GET", url: `${API}/orders/o-1` }, response: { status: 200, json: read } },
  { request: { method: "POST", url: `${API}/orders/o-1/refresh` }, response: { status: 200, json: refresh } },
  { request: { method: "GET", url: `${API}/orders/o-1/history` }, response: { status: 200, json: history } },
];
const invalid = (stepId: string, message: string) =>
  ({ error: { name: "ArazzoStepError", reason: "invalid-response", stepId, status: 200, message: [message] } }) as const;
const ENUM = "`/state` must be equal to one of the allowed values (enum)";

export const scenarios: Scenario[] = [
  {
    name: "three operations sharing one response: bodies that fit pass",
    run: "runReadRefreshHistory",
    inputs: { id: "o-1" },
    options: { validateResponses: true },
    exchanges: three(order("open"), order("packed"), order("shipped")),
    expect: { outputs: { read: "open", refreshed: "packed", history: "shipped" } },
  },
  {
    name: "the first operation's response is validated",
    run: "runReadRefreshHistory",
    inputs: { id: "o-1" },
    options: { validateResponses: true },
    exchanges: three(order("lost"), order("packed"), order("shipped")).slice(0, 1),
    expect: invalid("read", ENUM),
  },
  {
    name: "the second operation's response is validated",
    run: "runReadRefreshHistory",
    inputs: { id: "o-1" },
    options: { validateResponses: true },
    exchanges: three(order("open"), order("lost"), order("shipped")).slice(0, 2),
    expect: invalid("refresh", ENUM),
  },
  {
    name: "the third operation's response is validated",
    run: "runReadRefreshHistory",
    inputs: { id: "o-1" },
    options: { validateResponses: true },
    exchanges: three(order("open"), order("packed"), { state: "shipped" }),
    expect: invalid("history", "must have required property 'id' (required)"),
  },
  {
    name: "after a schema Ajv cannot compile (not validated), the next response is validated",
    run: "runLegacyThenRead",
    inputs: { id: "o-1" },
    options: { validateResponses: true },
    exchanges: [
      { request: { method: "GET", url: `${API}/legacy` }, response: { status: 200, json: { count: -1 } } },
      { request: { method: "GET", url: `${API}/orders/o-1` }, response: { status: 200, json: order("lost") } },
    ],
    expect: invalid("read", ENUM),
  },
  {
    name: "after a schema Ajv cannot compile, a body that fits passes",
    run: "runLegacyThenRead",
    inputs: { id: "o-1" },
    options: { validateResponses: true },
    exchanges: [
      { request: { method: "GET", url: `${API}/legacy` }, response: { status: 200, json: { count: -1 } } },
      { request: { method: "GET", url: `${API}/orders/o-1` }, response: { status: 200, json: order("open") } },
    ],
    expect: { outputs: { count: -1, state: "open" } },
  },
];
