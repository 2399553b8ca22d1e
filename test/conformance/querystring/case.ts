/** Arazzo 1.1 `in: querystring`: the value is the request's whole query string, expressions embedded. */
import type { Scenario } from "../harness.ts";

export const scenarios: Scenario[] = [
  {
    name: "the query string is sent as written, with the embedded input",
    run: "runSearch",
    inputs: { category: "pets" },
    exchanges: [
      {
        request: { method: "GET", url: "https://api.example.test/v1/steps/find?filter=active&category=pets&sort=desc" },
        response: { status: 200, json: { state: "done" } },
      },
    ],
    expect: { outputs: { state: "done" } },
  },
];
