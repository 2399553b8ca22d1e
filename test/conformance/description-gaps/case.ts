/**
 * What real documents and real API descriptions do (issue: real-world documents): an
 * optional input sent into an `additionalProperties` object (left out when absent), a
 * request field with a `default` left out, fields the schema says nothing about (`{}`, and
 * `type: object` with no properties, which is any object), a
 * response that also documents an event stream, a body sent to an operation documented
 * without one, an undocumented output sent on to a typed parameter, a comma-separated
 * string for a non-exploded array parameter, and `$workflows.<id>.outputs` in the step
 * that ran the workflow.
 */
import type { Scenario } from "../harness.ts";

const API = "https://gaps.example.test/v1";

export const scenarios: Scenario[] = [
  {
    name: "an optional input present is sent in the free-form object; a defaulted field is left out",
    run: "runNoteWithOptionalOwner",
    inputs: { body: "hello", owner: "ada", tag: "t1" },
    exchanges: [
      {
        request: {
          method: "POST",
          url: `${API}/notes`,
          json: { properties: { body: "hello", owner: "ada" }, extra: { tag: "t1" }, metadata: { source: "web" } },
        },
        response: { status: 201, json: { id: "n1", priority: "low", meta: { source: "api" } } },
      },
    ],
    expect: { outputs: { id: "n1", priority: "low", source: "api" } },
  },
  {
    name: "an optional input absent leaves its key out of the free-form object",
    run: "runNoteWithOptionalOwner",
    inputs: { body: "hello" },
    exchanges: [
      {
        request: { method: "POST", url: `${API}/notes`, json: { properties: { body: "hello" }, extra: {}, metadata: { source: "web" } } },
        response: { status: 201, json: { id: "n2", meta: "not an object" } },
      },
    ],
    expect: { outputs: { id: "n2", priority: undefined, source: undefined } },
  },
  {
    name: "a JSON pointer reads the JSON body of a response that also documents an event stream",
    run: "runChatCompletion",
    inputs: { prompt: "hi" },
    exchanges: [
      {
        request: { method: "POST", url: `${API}/chat`, json: { prompt: "hi" } },
        response: { status: 200, json: { choices: [{ message: { content: "hello there" } }] } },
      },
    ],
    expect: { outputs: { content: "hello there" } },
  },
  {
    name: "a body is sent to an operation documented without one; its undocumented output is sent on",
    run: "runUndocumentedBuild",
    inputs: { commit: "abc123" },
    exchanges: [
      {
        request: { method: "POST", url: `${API}/builds`, headers: { "content-type": "application/json" }, json: { commit: "abc123", branch: "main" } },
        response: { status: 201, json: { id: "b/7" } },
      },
      { request: { method: "GET", url: `${API}/builds/b%2F7` }, response: { status: 200, json: { state: "passed" } } },
    ],
    expect: { outputs: { buildId: "b/7", state: "passed" } },
  },
  {
    name: "an undocumented output a later step needs fails its step when missing",
    run: "runUndocumentedBuild",
    inputs: { commit: "abc123" },
    exchanges: [
      {
        request: { method: "POST", url: `${API}/builds`, json: { commit: "abc123", branch: "main" } },
        response: { status: 201, json: { number: 7 } },
      },
    ],
    expect: { error: { name: "ArazzoStepError", reason: "missing-output", stepId: "create" } },
  },
  {
    name: "a comma-separated string for a non-exploded array parameter is sent as that list",
    run: "runTaskFields",
    inputs: { taskId: "t1" },
    exchanges: [
      {
        request: { method: "GET", url: `${API}/tasks/t1?opt_fields=name,notes` },
        response: { status: 200, json: { data: { name: "Write tests" } } },
      },
    ],
    expect: { outputs: { name: "Write tests" } },
  },
  {
    name: "$workflows.<id>.outputs in the step that ran the workflow is its outputs",
    run: "runParent",
    inputs: { prompt: "hi" },
    exchanges: [
      {
        request: { method: "POST", url: `${API}/chat`, json: { prompt: "hi" } },
        response: { status: 200, json: { choices: [{ message: { content: "from the child" } }] } },
      },
    ],
    expect: { outputs: { answer: "from the child" } },
  },
  {
    name: "…and its criterion on them fails the step when it does not hold",
    run: "runParent",
    inputs: { prompt: "hi" },
    exchanges: [
      {
        request: { method: "POST", url: `${API}/chat`, json: { prompt: "hi" } },
        response: { status: 200, json: { choices: [{ message: { content: "" } }] } },
      },
    ],
    expect: { error: { name: "ArazzoStepError", reason: "criteria", stepId: "delegate" } },
  },
];
