/**
 * Lenient criteria, end to end: the JSONPath-like comparisons real documents write as
 * `type: jsonpath` (read as RFC 9535 filters on the context, or as simple conditions when
 * they compare with a runtime expression), `context: $inputs`, and a double-quoted string in
 * a simple condition. Each scenario shows the branch taken by the requests sent: the step
 * names are in the URLs. The warnings themselves are checked in test/generator/lenient-criteria.test.ts.
 */
import type { Exchange, MockResponse, Scenario } from "../harness.ts";

const API = "https://things.example.test";
const thing = (name: string, json: unknown): Exchange => ({ request: { method: "GET", url: `${API}/things/${name}` }, response: { status: 200, json } });
const builds = (...states: (string | undefined)[]): Exchange => ({
  request: { method: "GET", url: `${API}/builds` },
  response: { status: 200, json: states.map((state) => ({ state })) } as MockResponse,
});
const criteriaError = (stepId: string, criterion: string) =>
  ({ error: { name: "ArazzoStepError", reason: "criteria", stepId, status: 200, message: [`\`${criterion}\``] } }) as const;

export const scenarios: Scenario[] = [
  // `$.results.length > 0` → goto read; `$.results.length == 0` → end.
  {
    name: "length > 0 holds: goto `read`",
    run: "runSearchThenRead",
    exchanges: [thing("search", { state: "s", results: [{ id: "1" }] }), thing("read", { state: "r" })],
    expect: { outputs: { searched: "s", read: "r" } },
  },
  {
    name: "length > 0 fails, length == 0 holds: end, `read` is not called",
    run: "runSearchThenRead",
    exchanges: [thing("search", { state: "s", results: [] })],
    expect: { outputs: { searched: "s", read: undefined } },
  },
  {
    name: "no `results` at all: RFC 9535 `length()` of nothing is nothing, neither action applies, the next step runs",
    run: "runSearchThenRead",
    exchanges: [thing("search", { state: "s" }), thing("read", { state: "r" })],
    expect: { outputs: { searched: "s", read: "r" } },
  },

  // `$.state == "running" || $.state == "scheduled"` → goto poll; `!=` … `&&` … `!=` → goto report.
  {
    name: "`||` of string equalities polls while running or scheduled; `!=` with `&&` then goes to `report`",
    run: "runPollUntilFinished",
    exchanges: [thing("poll", { state: "running" }), thing("poll", { state: "scheduled" }), thing("poll", { state: "passed" }), thing("report", {})],
    expect: { outputs: { state: "passed" } },
  },
  {
    name: "RFC 9535 string comparison is case-sensitive: `RUNNING` is not `running`, so the poll stops",
    run: "runPollUntilFinished",
    exchanges: [thing("poll", { state: "RUNNING" }), thing("report", {})],
    expect: { outputs: { state: "RUNNING" } },
  },

  // `$[0].state` on an array body, in success criteria and in a retry's criteria.
  {
    name: "`$[0].state` not running: success on the first request",
    run: "runLatestBuild",
    exchanges: [builds("passed", "running")],
    expect: { outputs: { state: "passed" } },
  },
  {
    name: "`$[0].state` running, then scheduled: the retry's criteria hold twice, then success",
    run: "runLatestBuild",
    exchanges: [builds("running"), builds("scheduled", "passed"), builds("failed")],
    expect: { outputs: { state: "failed" } },
  },
  {
    name: "still running after retryLimit 2: the failure is thrown after three requests",
    run: "runLatestBuild",
    exchanges: [builds("running"), builds("running"), builds("running")],
    expect: {
      error: {
        ...criteriaError("list", '$[0].state != "running" && $[0].state != "scheduled"').error,
        attempts: 3,
        message: ['`$[0].state != "running" && $[0].state != "scheduled"`', "after 3 attempts"],
      },
    },
  },

  // `context: $inputs`, `$.publishDate != null` → goto schedule; `$.publishDate == null` → goto publishNow.
  {
    name: "`context: $inputs`, publishDate given: `!= null` holds, goto `schedule`",
    run: "runPublish",
    inputs: { publishDate: "2030-01-01T00:00:00Z" },
    exchanges: [thing("draft", {}), thing("schedule", {})],
    expect: { outputs: {} },
  },
  {
    name: "`context: $inputs`, publishDate absent: it counts as null, goto `publishNow`",
    run: "runPublish",
    inputs: {},
    exchanges: [thing("draft", {}), thing("publish-now", {})],
    expect: { outputs: {} },
  },
  {
    name: "`context: $inputs`, publishDate null: `== null` holds, goto `publishNow`",
    run: "runPublish",
    inputs: { publishDate: null },
    exchanges: [thing("draft", {}), thing("publish-now", {})],
    expect: { outputs: {} },
  },

  // `$.completed == true` → end.
  {
    name: "`== true` holds: end, `complete` is not called",
    run: "runCompleteTask",
    exchanges: [thing("task", { completed: true })],
    expect: { outputs: {} },
  },
  {
    name: "`== true` fails on false: the next step runs",
    run: "runCompleteTask",
    exchanges: [thing("task", { completed: false }), thing("complete", {})],
    expect: { outputs: {} },
  },
  {
    name: "`== true` fails on a missing field: the next step runs",
    run: "runCompleteTask",
    exchanges: [thing("task", {}), thing("complete", {})],
    expect: { outputs: {} },
  },

  // Runtime-expression operands: simple-condition semantics (loose, case-insensitive).
  {
    name: "`$.result.value == $inputs.expected` holds (case-insensitively, as a simple condition); `$.count > $inputs.min` holds: end",
    run: "runCompareWithInputs",
    inputs: { expected: "abc", min: 5 },
    exchanges: [thing("check", { result: { value: "ABC" }, count: 10 })],
    expect: { outputs: { value: "ABC" } },
  },
  {
    name: "`$.count > $inputs.min` fails: the next step runs",
    run: "runCompareWithInputs",
    inputs: { expected: "abc", min: 5 },
    exchanges: [thing("check", { result: { value: "abc" }, count: 5 }), thing("more", {})],
    expect: { outputs: { value: "abc" } },
  },
  {
    name: "`$.result.value == $inputs.expected` fails: the step fails on that criterion",
    run: "runCompareWithInputs",
    inputs: { expected: "abc", min: 5 },
    exchanges: [thing("check", { result: { value: "xyz" }, count: 10 })],
    expect: criteriaError("check", "$.result.value == $inputs.expected"),
  },

  // `$response.body#/state == "it's done"`: read as the string `it's done`.
  {
    name: "a double-quoted string is read as the string it spells (compared case-insensitively)",
    run: "runDoubleQuoted",
    exchanges: [thing("status", { state: "It's Done" })],
    expect: { outputs: { state: "It's Done" } },
  },
  {
    name: "a double-quoted string that does not match fails the step",
    run: "runDoubleQuoted",
    exchanges: [thing("status", { state: "done" })],
    expect: criteriaError("status", `$statusCode == 200 && $response.body#/state == "it's done"`),
  },
];
