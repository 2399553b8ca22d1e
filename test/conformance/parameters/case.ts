/** Parameters in path (percent-encoded), query, header and cookie; `$components.parameters` references with and without a value override. */
import type { Scenario } from "../harness.ts";

const API = "https://api.example.test/v1";

export const scenarios: Scenario[] = [
  {
    name: "sends each parameter where it belongs, encoded",
    run: "runParams",
    inputs: { id: "a/b c", q: "x&y=z é", limit: 5, color: "red", trace: "t1", session: "s;1 2" },
    exchanges: [
      {
        request: {
          method: "GET",
          url: `${API}/items/a%2Fb%20c?q=x%26y%3Dz%20%C3%A9&limit=5&color=red`,
          headers: { "x-trace": "trace-t1", "x-extra": "extra", cookie: "session=s%3B1%202; theme=dark" },
        },
        response: { status: 200, json: { name: "one" } },
      },
      {
        request: { method: "GET", url: `${API}/items/fixed?limit=5`, headers: { "x-trace": "from-components", cookie: null } },
        response: { status: 200, json: { name: "two" } },
      },
    ],
    expect: { outputs: { inline: "one", components: "two" } },
  },
  {
    name: "leaves out query parameters and cookies whose optional input is absent (an empty string is a value)",
    run: "runParams",
    inputs: { id: "i", q: "", trace: "t" },
    exchanges: [
      {
        request: { method: "GET", url: `${API}/items/i?q=`, headers: { "x-trace": "trace-t", cookie: "theme=dark" } },
        response: { status: 200, json: { name: "one" } },
      },
      {
        request: { method: "GET", url: `${API}/items/fixed`, headers: { "x-trace": "from-components" } },
        response: { status: 200, json: { name: "two" } },
      },
    ],
    expect: { outputs: { inline: "one", components: "two" } },
  },
];
