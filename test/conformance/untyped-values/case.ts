/**
 * Values without a static type sent into typed fields (issue 22, kind 1): an output read from
 * a body whose schema is a `$ref` that does not resolve, sent into a string and an integer
 * field and a path parameter (each takes its field's type, unchecked: `untyped-field`), a
 * field under an untyped whole body read at run time, in a payload and a workflow output; the
 * same values coming out of another workflow (a step that runs it, `$workflows.<id>.outputs`),
 * sent into a parameter the description does not declare, a body it does not document and the
 * input of a workflow an action goes to; and a field only some `oneOf` branches of an input
 * have (kind 8f).
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
  {
    name: "another workflow's untyped outputs, through a step that runs it and through $workflows, go into typed fields as they came",
    run: "runFromChildWorkflow",
    inputs: { ticketId: "t-2" },
    exchanges: [
      // dependsOn: the workflow runs first, with the same inputs; then the step runs it again.
      { request: { method: "GET", url: `${API}/tickets/t-2` }, response: { status: 200, json: { reference: 7, owner: { name: "Ada" } } } },
      { request: { method: "GET", url: `${API}/tickets/t-2` }, response: { status: 200, json: { reference: 8, owner: { name: "Bea" } } } },
      { request: { method: "GET", url: `${API}/orders/8` }, response: { status: 200, json: { state: "open" } } },
      { request: { method: "POST", url: `${API}/notes`, json: { title: 7, count: 1, owner: "Ada" } }, response: { status: 201, json: { id: "n-4" } } },
    ],
    expect: { outputs: { noteId: "n-4", ownerName: "Bea", reference: 7 } },
  },
  {
    name: "an untyped value goes into an undeclared query parameter, an undocumented body and the inputs of the workflow an action goes to, as it came",
    run: "runIntoUntypedFields",
    inputs: { ticketId: "t-3" },
    exchanges: [
      { request: { method: "GET", url: `${API}/tickets/t-3` }, response: { status: 200, json: { reference: 9 } } },
      { request: { method: "POST", url: `${API}/tickets/t-3/close?by=9`, json: { reason: 9 } }, response: { status: 204 } },
      { request: { method: "GET", url: `${API}/tickets/9` }, response: { status: 200, json: { reference: 10 } } },
    ],
    expect: { outputs: {} },
  },
];
