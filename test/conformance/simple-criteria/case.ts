/**
 * Simple conditions: `==`, `!=`, `<`, `>`, `>=`, `&&`, `||`, `!`, grouping, `null`/`true`
 * literals, quoted quotes, headers; strings compare case-insensitively. Each failing
 * scenario breaks exactly one criterion, which the error must name.
 */
import type { Exchange, Scenario } from "../harness.ts";

const body = { label: "Text", count: 2, flag: true, nothing: null, state: "done", token: "IT'S" };
const headers = { "X-Thing": "YES" };

function respond(status: number, patch: Record<string, unknown> = {}, responseHeaders: Record<string, string> = headers): Exchange[] {
  return [
    {
      request: { method: "GET", url: "https://api.example.test/v1/steps/check" },
      response: { status, headers: responseHeaders, json: { ...body, ...patch } },
    },
  ];
}

function fails(name: string, criterion: string, exchanges: Exchange[], status = 201): Scenario {
  return {
    name: `fails \`${criterion}\` when ${name}`,
    run: "runSimple",
    exchanges,
    expect: { error: { name: "ArazzoStepError", reason: "criteria", stepId: "check", status, message: [`\`${criterion}\``] } },
  };
}

export const scenarios: Scenario[] = [
  {
    name: "all criteria hold (strings compared case-insensitively)",
    run: "runSimple",
    exchanges: respond(201),
    expect: { outputs: { count: 2 } },
  },
  {
    name: "`||` holds when its right side alone holds",
    run: "runSimple",
    exchanges: respond(201, { flag: false, count: 11 }),
    expect: { outputs: { count: 11 } },
  },
  fails("the status is 404", "$statusCode >= 200 && $statusCode < 300", respond(404), 404),
  fails("the status is 202", "!($statusCode > 201)", respond(202), 202),
  fails("the status is 200 (the last criterion)", "$statusCode == 201", respond(200), 200),
  fails("the label differs in more than case", "$response.body#/label == 'text'", respond(201, { label: "texts" })),
  fails("the header is missing", "$response.header.X-Thing == 'yes'", respond(201, {}, {})),
  fails("the count is too small", "$response.body#/count >= 2 && ($response.body#/flag == true || $response.body#/count > 10)", respond(201, { count: 1 })),
  fails(
    "both sides of the grouped `||` are false",
    "$response.body#/count >= 2 && ($response.body#/flag == true || $response.body#/count > 10)",
    respond(201, { flag: false, count: 5 }),
  ),
  fails("a value that should be null is not", "$response.body#/nothing == null && $response.body#/state != 'failed'", respond(201, { nothing: "x" })),
  fails("`!=` compares case-insensitively", "$response.body#/nothing == null && $response.body#/state != 'failed'", respond(201, { state: "FAILED" })),
  fails("a quoted quote does not match", "$response.body#/token == 'it''s'", respond(201, { token: "its" })),
  {
    name: "`[1].name` reads into a step output (matching)",
    run: "runAccessors",
    exchanges: [
      {
        request: { method: "GET", url: "https://api.example.test/v1/steps/list" },
        response: { status: 200, json: { pets: [{ name: "rex" }, { name: "Tom" }] } },
      },
      { request: { method: "GET", url: "https://api.example.test/v1/steps/check" }, response: { status: 200, json: { count: 1 } } },
    ],
    expect: { outputs: { count: 1 } },
  },
  {
    name: "`[1].name` reads into a step output (not matching)",
    run: "runAccessors",
    exchanges: [
      {
        request: { method: "GET", url: "https://api.example.test/v1/steps/list" },
        response: { status: 200, json: { pets: [{ name: "Tom" }, { name: "rex" }] } },
      },
      { request: { method: "GET", url: "https://api.example.test/v1/steps/check" }, response: { status: 200, json: { count: 1 } } },
    ],
    expect: { error: { name: "ArazzoStepError", reason: "criteria", stepId: "check", status: 200, message: ["`$steps.list.outputs.pets[1].name == 'tom'`"] } },
  },
];
