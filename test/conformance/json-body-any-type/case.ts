/**
 * A response documented as another media type than JSON (`text/plain`,
 * `application/octet-stream`, `*\/*` without a schema) but answered with JSON (issue 22,
 * item 7): a step that reads into the body (`$response.body#/…`, a JSONPath criterion) reads
 * it as JSON when the response's `Content-Type` is JSON, parameters and `+json` types
 * included; a body whose `Content-Type` is not JSON stays text. The whole body
 * (`$response.body`, typed `string` from the description) stays the text that came back, and
 * a regex on it tests that text. (XML bodies stay text: `xml-response-output`.)
 */
import type { Scenario } from "../harness.ts";

const API = "https://any-type.example.test/v1";
const label = { name: "red", tags: ["a", "b"] };
const labelText = JSON.stringify(label);
const getLabel = (response: { headers?: Record<string, string>; json?: unknown; text?: string }) => [
  { request: { method: "GET", url: `${API}/labels/l1` }, response: { status: 200, ...response } },
];

export const scenarios: Scenario[] = [
  {
    name: "documented text/plain, answered application/json: the pointers read the JSON",
    run: "runReadLabel",
    exchanges: getLabel({ json: label }),
    expect: { outputs: { raw: labelText, name: "red", firstTag: "a" } },
  },
  {
    name: "documented text/plain, answered application/json with a charset",
    run: "runReadLabel",
    exchanges: getLabel({ headers: { "content-type": "application/json; charset=utf-8" }, json: label }),
    expect: { outputs: { raw: labelText, name: "red", firstTag: "a" } },
  },
  {
    name: "documented text/plain, answered application/vnd.label+json",
    run: "runReadLabel",
    exchanges: getLabel({ headers: { "content-type": "Application/Vnd.Label+JSON" }, json: label }),
    expect: { outputs: { raw: labelText, name: "red", firstTag: "a" } },
  },
  {
    name: "documented text/plain, answered text/plain that looks like JSON: the body stays text",
    run: "runReadLabel",
    exchanges: getLabel({ text: labelText }),
    expect: { outputs: { raw: labelText, name: undefined, firstTag: undefined } },
  },
  {
    name: "documented application/octet-stream, answered JSON: a JSONPath criterion and a pointer read it",
    run: "runReadBlob",
    exchanges: [{ request: { method: "GET", url: `${API}/blobs/b1` }, response: { status: 200, json: { ready: true, size: 3 } } }],
    expect: { outputs: { size: 3 } },
  },
  {
    name: "documented application/octet-stream, answered JSON that fails the JSONPath criterion",
    run: "runReadBlob",
    exchanges: [{ request: { method: "GET", url: `${API}/blobs/b1` }, response: { status: 200, json: { ready: false, size: 3 } } }],
    expect: { error: { name: "ArazzoStepError", reason: "criteria", stepId: "blob", status: 200, message: ["$[?@.ready == true]"] } },
  },
  {
    name: "documented */* without a schema, answered application/problem+json",
    run: "runReadAnything",
    exchanges: [
      {
        request: { method: "GET", url: `${API}/anything/a1` },
        response: { status: 200, headers: { "content-type": "application/problem+json" }, json: { id: "a1" } },
      },
    ],
    expect: { outputs: { id: "a1" } },
  },
  {
    name: "the whole body is the JSON text as sent: a regex on it sees its layout, and ends the run; the pointer reads the JSON",
    run: "runCheckLabel",
    exchanges: [
      {
        request: { method: "GET", url: `${API}/labels/l2` },
        response: { status: 200, headers: { "content-type": "application/json" }, text: '{\n  "name": "red"\n}' },
      },
    ],
    expect: { outputs: { raw: '{\n  "name": "red"\n}', name: "red", id: undefined } },
  },
  {
    name: "the same JSON laid out otherwise does not match the regex: the run goes on",
    run: "runCheckLabel",
    exchanges: [
      { request: { method: "GET", url: `${API}/labels/l2` }, response: { status: 200, json: { name: "red" } } },
      { request: { method: "GET", url: `${API}/anything/a2` }, response: { status: 200, json: { id: "a2" } } },
    ],
    expect: { outputs: { raw: '{"name":"red"}', name: "red", id: "a2" } },
  },
];
