/** A failure action without `criteria` applies to every failure of its step. */
import type { Exchange, MockResponse, Scenario } from "../harness.ts";

const hit = (name: string, response: MockResponse): Exchange => ({
  request: { method: "GET", url: `https://api.example.test/v1/steps/${name}` },
  response,
});

export const scenarios: Scenario[] = [
  {
    name: "end on any failure returns the outputs produced so far",
    run: "runGiveUp",
    exchanges: [hit("first", { status: 200, json: { state: "one" } }), hit("second", { status: 404, json: {} })],
    expect: { outputs: { first: "one", second: undefined } },
  },
];
