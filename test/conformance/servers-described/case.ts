/**
 * Relative server URLs, and descriptions without servers, resolved against where the
 * description is served (its `url` made absolute by Arazzo 1.1's `$self`), and Respect's
 * `x-serverUrl`: no `baseUrls` needed.
 */
import type { Scenario } from "../harness.ts";

export const scenarios: Scenario[] = [
  {
    name: "each source at the URL its description's location and servers give",
    run: "runDescribed",
    exchanges: [
      { request: { method: "GET", url: "https://docs.example.test/api/v2/notes/7" }, response: { status: 200, json: { text: "hi" } } },
      { request: { method: "GET", url: "https://docs.example.test/things/1" }, response: { status: 200, json: {} } },
      { request: { method: "GET", url: "https://pinned.example.test/base/things/2" }, response: { status: 200, json: {} } },
    ],
    expect: { outputs: { text: "hi" } },
  },
  {
    name: "`baseUrls` still wins",
    run: "runDescribed",
    options: { baseUrls: { relative: "http://127.0.0.1:1/r", pinned: "http://127.0.0.1:1/p" } },
    exchanges: [
      { request: { method: "GET", url: "http://127.0.0.1:1/r/notes/7" }, response: { status: 200, json: { text: "hi" } } },
      { request: { method: "GET", url: "https://docs.example.test/things/1" }, response: { status: 200, json: {} } },
      { request: { method: "GET", url: "http://127.0.0.1:1/p/things/2" }, response: { status: 200, json: {} } },
    ],
    expect: { outputs: { text: "hi" } },
  },
];
