/**
 * Values without a static type sent into typed fields (issue 22, kind 1): an output read from
 * a body whose schema is a `$ref` that does not resolve, sent into a string and an integer
 * field and a path parameter (each takes its field's type, unchecked: `untyped-field`), a
 * field under an untyped whole body read at run time, in a payload and a workflow output; and
 * a field only some `oneOf` branches of an input have (kind 8f).
 */
import type { Scenario } from "../harness.ts";

const API = "https://tickets.example.test/v1";

export const scenarios: Scenario[] = [
  {
    name: "an untyped output goes into a string, an integer and a path parameter as it came; a field under an untyped body is read at run time",
    run: "runFromUntyped",
    inputs: { ticketId: "t-1" },
    exchanges: [
      { request: { method: "GET", url: `${API}/tickets/t-1` }, response: { status: 200, json: { reference: 42, owner: { name: "Ada" } } } },
      { request: { method: "POST", url: `${API}/notes`, json: { title: 42, count: 42, owner: "Ada" } }, response: { status: 201, json: { id: "n-1" } } },
      { request: { method: "GET", url: `${API}/orders/42` }, response: { status: 200, json: { state: "open" } } },
    ],
    expect: { outputs: { noteId: "n-1", owner: "Ada", state: "open" } },
  },
  {
    name: "a field of a oneOf input that only some branches have is read at run time, and absent when the value has none",
    run: "runFromOneOfInput",
    inputs: { customer: { firstName: "Grace" } },
    exchanges: [{ request: { method: "POST", url: `${API}/notes`, json: { title: "Grace", count: 1 } }, response: { status: 201, json: { id: "n-2" } } }],
    expect: { outputs: { firstName: "Grace" } },
  },
  {
    name: "the other branch: the field is absent, and left out of the body",
    run: "runFromOneOfInput",
    inputs: { customer: { company: "Acme" } },
    exchanges: [{ request: { method: "POST", url: `${API}/notes`, json: { count: 1 } }, response: { status: 201, json: { id: "n-3" } } }],
    expect: { outputs: { firstName: undefined } },
  },
];
