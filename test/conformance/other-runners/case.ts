/**
 * Documents written for other runners (issue 22, kind 8), each read as meant with a warning:
 * `$steps.<id>.<name>` without `.outputs.`, `$response.headers.<name>`, constant outputs, a
 * step id with a space, success criteria accepting two statuses whose bodies differ (typed as
 * one: a field both require is there, one the other lacks optional); and a response documented as `*` `/` `*` read as the JSON it is
 * (kind 7), and a `string` input sent into an `integer` path parameter as given (kind 5).
 */
import type { Scenario } from "../harness.ts";

const API = "https://shop.example.test";

export const scenarios: Scenario[] = [
  {
    name: "created (201): the fields of the 201 body, the header, the constants; the existing flag absent",
    run: "runPlaceOrder",
    inputs: { sku: "SKU-1", orderNumber: "77" },
    exchanges: [
      {
        request: { method: "POST", url: `${API}/orders`, json: { sku: "SKU-1" } },
        response: { status: 201, headers: { "X-Request-Id": "req-1" }, json: { id: "o-1" } },
      },
      { request: { method: "GET", url: `${API}/orders/77` }, response: { status: 200, json: { state: "open" } } },
    ],
    expect: { outputs: { id: "o-1", existing: undefined, requestId: "req-1", source: "shop", attempt: 1, state: "open", kind: "order" } },
  },
  {
    name: "already there (200): the 200 body's own field too",
    run: "runPlaceOrder",
    inputs: { sku: "SKU-1", orderNumber: "77" },
    exchanges: [
      {
        request: { method: "POST", url: `${API}/orders`, json: { sku: "SKU-1" } },
        response: { status: 200, headers: { "X-Request-Id": "req-2" }, json: { id: "o-1", existing: true } },
      },
      { request: { method: "GET", url: `${API}/orders/77` }, response: { status: 200, json: { state: "open" } } },
    ],
    expect: { outputs: { id: "o-1", existing: true, requestId: "req-2", source: "shop", attempt: 1, state: "open", kind: "order" } },
  },
  {
    name: "both bodies require `id`, so it is typed present: a reply without it fails the step there",
    run: "runPlaceOrder",
    inputs: { sku: "SKU-1", orderNumber: "77" },
    exchanges: [{ request: { method: "POST", url: `${API}/orders`, json: { sku: "SKU-1" } }, response: { status: 201, json: {} } }],
    expect: { error: { name: "ArazzoStepError", reason: "missing-output", stepId: "Create_Order", status: 201, message: ["$response.body#/id"] } },
  },
];
