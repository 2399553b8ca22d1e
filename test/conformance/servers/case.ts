/**
 * Servers (OpenAPI 3.1 §4.8.5, §4.8.6): the first server with its variables' defaults; the
 * `servers` option choosing another server (by index or URL) or other values; `baseUrls`
 * replacing every server, an operation's own too; a Path Item's and an Operation's own
 * servers; and a description with no servers, or a relative one, failing before anything is
 * sent with the option to set.
 */
import type { Scenario } from "../harness.ts";

const item = { status: 200, json: { name: "one" } };
const uploaded = { status: 201, json: { id: "u1" } };
const archived = { status: 204 };

/** The three requests of workflow `regional`, at these base URLs. */
function regional(base: string, uploads: string, archive: string) {
  return [
    { request: { method: "GET", url: `${base}/items/7` }, response: item },
    { request: { method: "POST", url: `${uploads}/uploads`, json: { name: "one" } }, response: uploaded },
    { request: { method: "POST", url: `${archive}/archive` }, response: archived },
  ];
}

export const scenarios: Scenario[] = [
  {
    name: "the first server, each variable at its default; operations with their own servers at theirs",
    run: "runRegional",
    inputs: { id: "7" },
    exchanges: regional("https://eu.api.example.test/v1", "https://eu.uploads.example.test", "https://archive.example.test/archive-api"),
    expect: { outputs: { name: "one" } },
  },
  {
    name: "`servers` sets variables: the document's server, and an operation's where its enum allows the value",
    run: "runRegional",
    inputs: { id: "7" },
    options: { servers: { regional: { variables: { region: "us", scheme: "http", version: "v2" } } } },
    exchanges: regional("http://us.api.example.test/v2", "https://us.uploads.example.test", "https://archive.example.test/archive-api"),
    expect: { outputs: { name: "one" } },
  },
  {
    name: "`servers` chooses a server by index: operations with their own servers take the same index, or their own choice",
    run: "runRegional",
    inputs: { id: "7" },
    // The archive operation has one server (no sandbox): the run says which.
    options: { servers: { regional: { server: 1, operations: { "POST /archive": { server: 0, variables: { host: "archive.eu.example.test" } } } } } },
    exchanges: regional("https://sandbox.example.test", "https://sandbox-uploads.example.test", "https://archive.eu.example.test/archive-api"),
    expect: { outputs: { name: "one" } },
  },
  {
    name: "`servers` chooses a server by its URL as the description writes it",
    run: "runRegional",
    inputs: { id: "7" },
    options: { servers: { regional: { server: "https://sandbox.example.test", operations: { "POST /archive": {} } } } },
    exchanges: regional("https://sandbox.example.test", "https://sandbox-uploads.example.test", "https://archive.example.test/archive-api"),
    expect: { outputs: { name: "one" } },
  },
  {
    name: "a chosen server an operation with servers of its own does not have fails before anything is sent, never a silent fallback",
    run: "runRegional",
    inputs: { id: "7" },
    options: { servers: { regional: { server: 1 } } },
    exchanges: [],
    expect: {
      error: {
        name: "ArazzoConfigError",
        source: "regional",
        message: [
          '`options.servers.regional.server` is server 1 of the description, and `POST /archive` has servers of its own: 0 (https://{host}/archive-api); choose one with `options.servers.regional.operations["POST /archive"]`',
        ],
      },
    },
  },
  {
    name: "a variable value an operation's server does not allow fails before anything is sent, naming the operation",
    run: "runRegional",
    inputs: { id: "7" },
    options: { servers: { regional: { operations: { "POST /uploads": { variables: { region: "mars" } } } } } },
    exchanges: [],
    expect: {
      error: {
        name: "ArazzoConfigError",
        source: "regional",
        message: ['`options.servers.regional.operations["POST /uploads"].variables.region` must be one of "eu", "us", "ap"'],
      },
    },
  },
  {
    name: "`baseUrls` replaces every server of the source, the operations' own included",
    run: "runRegional",
    inputs: { id: "7" },
    options: { baseUrls: { regional: "http://127.0.0.1:8080/proxy" }, servers: { regional: { server: 1 } } },
    exchanges: regional("http://127.0.0.1:8080/proxy", "http://127.0.0.1:8080/proxy", "http://127.0.0.1:8080/proxy"),
    expect: { outputs: { name: "one" } },
  },
  {
    name: "a variable value the description does not allow fails before anything is sent (JavaScript callers)",
    run: "runRegional",
    inputs: { id: "7" },
    options: { servers: { regional: { variables: { region: "ap" } } } },
    exchanges: [],
    expect: {
      error: { name: "ArazzoConfigError", source: "regional", message: ['`options.servers.regional.variables.region` must be one of "eu", "us"'] },
    },
  },
  {
    name: "a server the description does not have fails before anything is sent, listing those it has",
    run: "runRegional",
    inputs: { id: "7" },
    options: { servers: { regional: { server: 2 } } },
    exchanges: [],
    expect: {
      error: {
        name: "ArazzoConfigError",
        source: "regional",
        message: ["names no server of its description, which has 0 ({scheme}://{region}.api.example.test/{version}), 1 (https://sandbox.example.test)"],
      },
    },
  },
  {
    name: "a description with no servers: a clear error naming the source and the option, before anything is sent",
    run: "runBare",
    exchanges: [],
    expect: {
      error: {
        name: "ArazzoConfigError",
        source: "bare",
        message: ["source `bare`: its OpenAPI description has no `servers`", "set `options.baseUrls.bare`"],
      },
    },
  },
  {
    name: "a description with no servers runs with `baseUrls`",
    run: "runBare",
    options: { baseUrls: { bare: "https://things.example.test/" } },
    exchanges: [{ request: { method: "GET", url: "https://things.example.test/things/1" }, response: item }],
    expect: { outputs: { name: "one" } },
  },
  {
    name: "a relative server URL with no known description URL: a clear error naming the URL and the option",
    run: "runRelative",
    exchanges: [],
    expect: {
      error: {
        name: "ArazzoConfigError",
        source: "relative",
        message: ["its server URL `/api/v2` is relative, and the description's own URL is not known", "set `options.baseUrls.relative`"],
      },
    },
  },
  {
    name: "an operation's server variable without a default: the run fails when it starts, before anything is sent, naming the option",
    run: "runReports",
    exchanges: [],
    expect: {
      error: {
        name: "ArazzoConfigError",
        source: "regional",
        message: [
          'server `https://{tenant}.reports.example.test` needs variable `tenant`, which has no default: set `options.servers.regional.operations["GET /reports"].variables.tenant`',
        ],
      },
    },
  },
  {
    name: "an operation's server variable given for that operation",
    run: "runReports",
    options: { servers: { regional: { operations: { "GET /reports": { variables: { tenant: "acme" } } } } } },
    exchanges: [
      { request: { method: "GET", url: "https://eu.api.example.test/v1/items/1" }, response: item },
      { request: { method: "GET", url: "https://acme.reports.example.test/reports" }, response: { status: 200, json: { total: 3 } } },
    ],
    expect: { outputs: { total: 3 } },
  },
  {
    name: "a description whose servers are all on its paths needs no base URL",
    run: "runIngest",
    exchanges: [{ request: { method: "POST", url: "https://intake.example.test/v2/intake", json: { line: "hello" } }, response: { status: 202 } }],
    expect: { outputs: {} },
  },
];
