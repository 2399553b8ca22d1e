/** Arazzo 1.1 `in: querystring`: the value is the request's whole query string, expressions embedded. */
import type { Scenario } from "../harness.ts";

export const scenarios: Scenario[] = [
  {
    name: "the query string is sent as written, with the embedded input URL-encoded",
    run: "runSearch",
    inputs: { category: "Kids & Toys #1" },
    exchanges: [
      {
        request: { method: "GET", url: "https://api.example.test/v1/steps/find?filter=active&category=Kids%20%26%20Toys%20%231&sort=desc" },
        response: { status: 200, json: { state: "done" } },
      },
    ],
    expect: { outputs: { state: "done" } },
  },
];
