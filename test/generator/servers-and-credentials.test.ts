/**
 * Servers and credentials (issue 20) beyond the conformance cases (`test/conformance/servers`,
 * `servers-described`, `credentials`, which check every request against a scripted fetch):
 *
 * - the package's own mocks (the mock fetch and the MSW handlers) run every workflow without
 *   `baseUrls`, whatever the servers (none, relative, with variables), and take any
 *   credentials, recording which schemes each request carried and never their values;
 * - a server made of variables (GitHub Enterprise's shape) at its defaults on the mock, and
 *   with chosen values against a real loopback server; a description without servers
 *   (Slack's shape) failing clearly without `baseUrls`;
 * - what generation reports: located warnings and errors for security schemes, server
 *   variables and `x-security`; the generated README and the code of a parameter a scheme carries.
 */
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { formatDiagnostic } from "../../generator/diagnostics.ts";
import { generate } from "../../generator/generate.ts";
import { type FetchServer, serveFetch } from "../helpers/fetch-server.ts";
import { loadPackage } from "../helpers/generated-package.ts";
import { type Workspace, workspace } from "../helpers/workspace.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const OUT = path.join(import.meta.dirname, ".out-servers-credentials");
const DOCUMENTS = [
  "test/fixtures/servers/real-world-servers.arazzo.yaml",
  "test/conformance/servers/servers.arazzo.yaml",
  "test/conformance/credentials/credentials.arazzo.yaml",
  "test/fixtures/servers/concurrent-credentials.arazzo.yaml",
].map((f) => path.join(ROOT, f));

let generated: Awaited<ReturnType<typeof generate>>;
beforeAll(async () => {
  rmSync(OUT, { recursive: true, force: true });
  generated = await generate({ inputs: DOCUMENTS, outDir: OUT });
  const errors = generated.diagnostics.filter((d) => d.severity === "error");
  if (!generated.ok) throw new Error(errors.map((d) => formatDiagnostic(d, ROOT)).join("\n"));
}, 120_000);
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

const packageDir = (name: string) => path.join(OUT, name);
const SECRET_PLACEHOLDERS = /mock-(credential|password|client-secret|access-token)/;

describe("the package's mocks", () => {
  test.each(["real-world-servers", "servers", "credentials", "concurrent-credentials"])(
    "every workflow of `%s` runs on its mocks without base URLs, with the example credentials",
    async (name) => {
      const { mocks, runner } = await loadPackage(packageDir(name));
      for (const [id, inputs] of Object.entries(mocks.exampleInputs)) {
        const fetch = mocks.createMockFetch();
        await expect(runner(id)(inputs, { fetch, auth: mocks.exampleAuth }), id).resolves.toBeTypeOf("object");
        expect(JSON.stringify(fetch.requests), id).not.toMatch(SECRET_PLACEHOLDERS);
      }
    },
  );

  test("a source without servers, or with a relative one, is reached at a placeholder origin the mock answers", async () => {
    const { mocks, runner } = await loadPackage(packageDir("servers"));
    const fetch = mocks.createMockFetch();
    await runner("bare")({}, { fetch });
    await runner("relative")({}, { fetch });
    await runner("regional")({ id: "7" }, { fetch });
    expect(fetch.requests.map((r) => r.url)).toEqual([
      "https://bare.mock.arazzo.invalid/things/1",
      "https://relative.mock.arazzo.invalid/api/v2/notes/7",
      "https://eu.api.example.test/v1/items/7",
      "https://eu.uploads.example.test/uploads",
      "https://archive.example.test/archive-api/archive",
    ]);
  });

  test("steps that run at the same time on one mock: each request's schemes, and no value", async () => {
    const { mocks, runner } = await loadPackage(packageDir("concurrent-credentials"));
    const fetch = mocks.createMockFetch();
    await runner("side-by-side")({}, { fetch, auth: { api: { apiKeyHeader: "REAL-KEY", bearerAuth: "REAL-TOKEN" } } });
    const byPath = Object.fromEntries(fetch.requests.map((r) => [new URL(r.url).pathname, r.security]));
    expect(byPath).toEqual({ "/key-header": ["apiKeyHeader"], "/bearer": ["bearerAuth"], "/public": [] });
    expect(JSON.stringify(fetch.requests)).not.toMatch(/REAL-/);
  });

  test("a token request to a URL an operation of the package has is answered, not recorded; the step's own request keeps its step", async () => {
    const { mocks, runner } = await loadPackage(packageDir("credentials"));
    const fetch = mocks.createMockFetch();
    await runner("token-then-read")({}, { fetch, auth: mocks.exampleAuth });
    expect(fetch.requests.map((r) => [r.method, new URL(r.url).pathname, r.step, r.security])).toEqual([
      ["POST", "/oauth/token", "token-then-read/token", []],
      ["GET", "/oauth", "token-then-read/read", ["oauth"]],
    ]);
  });

  test("an OpenID Connect provider whose issuer has a path (Keycloak's realms) on the mock", async () => {
    const { mocks, runner } = await loadPackage(packageDir("credentials"));
    const fetch = mocks.createMockFetch();
    await expect(runner("realm")({}, { fetch, auth: mocks.exampleAuth })).resolves.toEqual({});
    expect(fetch.requests.map((r) => r.security)).toEqual([["realm"]]);
  });

  test("an operation's server variable without a default, and servers only on paths, on the mock", async () => {
    const { mocks, runner } = await loadPackage(packageDir("servers"));
    const fetch = mocks.createMockFetch();
    await runner("reports")({}, { fetch });
    await runner("ingest")({}, { fetch });
    expect(fetch.requests.map((r) => r.url)).toEqual([
      "https://eu.api.example.test/v1/items/1",
      "https://mock.reports.example.test/reports",
      "https://intake.example.test/v2/intake",
    ]);
  });

  test("the MSW handlers answer token requests and record secured requests like the mock fetch, values redacted", async () => {
    const { mocks, runner } = await loadPackage(packageDir("credentials"));
    const { createHandlers } = (await import(pathToFileURL(path.join(packageDir("credentials"), "dist/mocks-msw.js")).href)) as {
      createHandlers: () => {
        handlers: unknown[];
        fetch: { requests: { url: string; headers: Record<string, string>; security: string[] }[] };
        release(): void;
      };
    };
    const { setupServer } = await import("msw/node");
    const { handlers, fetch, release } = createHandlers();
    const server = setupServer(...(handlers as Parameters<typeof setupServer>));
    server.listen({ onUnhandledRequest: "error" });
    try {
      const auth = { api: { ...mocks.exampleAuth.api, basicAuth: { username: "ana", password: "REAL-PASSWORD" }, apiKeyQuery: "REAL-KEY" } };
      await runner("oauth")({}, { auth });
      await runner("basic")({}, { auth });
      await runner("keys")({}, { auth });
      // MSW does not say which step sends: a token request to a URL that is also an operation of the
      // package (`POST /oauth/token` here) is answered and recorded as that operation, its client secret redacted.
      const tokens = fetch.requests.filter((r) => r.url.endsWith("/oauth/token"));
      expect(tokens.map((r) => r.headers.authorization)).toEqual(["[redacted]", "[redacted]"]);
      const calls = fetch.requests.filter((r) => !r.url.endsWith("/oauth/token"));
      expect(calls.map((r) => r.security)).toEqual([["oauth"], ["oauth"], ["oidc"], ["basicAuth"], ["apiKeyHeader"], ["apiKeyQuery"], ["apiKeyCookie"]]);
      expect(calls[3]!.headers.authorization).toBe("[redacted]");
      expect(calls[5]!.url).toBe("https://api.example.test/key-query?api_key=%5Bredacted%5D");
      expect(JSON.stringify(fetch.requests)).not.toMatch(/REAL-|YW5hOlJFQUwtUEFTU1dPUkQ/);
    } finally {
      server.close();
      release();
    }
  });

  test("the MSW handlers reach a source without servers through the global fetch, with no base URL", async () => {
    const { runner } = await loadPackage(packageDir("servers"));
    const { createHandlers } = (await import(pathToFileURL(path.join(packageDir("servers"), "dist/mocks-msw.js")).href)) as {
      createHandlers: () => { handlers: unknown[]; fetch: { requests: { url: string }[] }; release(): void };
    };
    const { setupServer } = await import("msw/node");
    const { handlers, fetch, release } = createHandlers();
    const server = setupServer(...(handlers as Parameters<typeof setupServer>));
    server.listen({ onUnhandledRequest: "error" });
    try {
      await expect(runner("bare")({}, {})).resolves.toBeTypeOf("object");
      expect(fetch.requests.map((r) => r.url)).toEqual(["https://bare.mock.arazzo.invalid/things/1"]);
    } finally {
      server.close();
      release();
    }
    // Released: a run without the mocks gets the clear error again.
    await expect(runner("bare")({}, {})).rejects.toThrow("source `bare`: its OpenAPI description has no `servers`");
  });

  test("each request records the schemes it carried, and `[redacted]` wherever a scheme puts credentials", async () => {
    const { mocks, runner } = await loadPackage(packageDir("credentials"));
    const fetch = mocks.createMockFetch();
    await runner("keys")({}, { fetch, auth: mocks.exampleAuth });
    await runner("oauth")({}, { fetch, auth: mocks.exampleAuth });
    await runner("step-supplied")({ token: "mine" }, { fetch, auth: mocks.exampleAuth });
    await runner("combined")({}, { fetch, auth: mocks.exampleAuth });
    const seen = fetch.requests.map((r) => ({ step: r.step, security: r.security }));
    expect(seen).toEqual([
      { step: "keys/header", security: ["apiKeyHeader"] },
      { step: "keys/query", security: ["apiKeyQuery"] },
      { step: "keys/cookie", security: ["apiKeyCookie"] },
      // The OAuth2 and OpenID Connect clients got their tokens from the mock: those requests are not recorded.
      { step: "oauth/read", security: ["oauth"] },
      { step: "oauth/write", security: ["oauth"] },
      { step: "oauth/oidc", security: ["oidc"] },
      { step: "step-supplied/bearer", security: ["bearerAuth"] },
      { step: "combined/both", security: ["apiKeyHeader", "basicAuth"] },
      { step: "combined/either", security: ["bearerAuth"] },
      { step: "combined/public", security: [] },
      { step: "combined/optional", security: ["bearerAuth"] },
      { step: "combined/declared", security: ["bearerAuth"] },
    ]);
    const [header, query, cookie, read] = fetch.requests;
    expect(header!.headers["x-api-key"]).toBe("[redacted]");
    expect(query!.url).toBe("https://api.example.test/key-query?api_key=%5Bredacted%5D");
    expect(cookie!.headers.cookie).toBe("sid=[redacted]");
    expect(read!.headers.authorization).toBe("[redacted]");
    // Also a token the step sends itself: a credential all the same.
    expect(fetch.requests[6]!.headers.authorization).toBe("[redacted]");
  });
});

test("`onStep` events redact a key the credentials put in the query, whatever its name; errors and events hold no credential", async () => {
  const { runner } = await loadPackage(packageDir("credentials"));
  const events: unknown[] = [];
  const fetch = async (request: Request) =>
    new URL(request.url).searchParams.get("appid") === "k-42" ? new Response(null, { status: 200 }) : new Response(null, { status: 401 });
  // A middleware that replaces the request (as openapi-fetch allows) does not undo the redaction.
  const replacing = {
    onRequest: ({ request }: { request: Request }) => new Request(request, { headers: { ...Object.fromEntries(request.headers), "x-extra": "1" } }),
  };
  await runner("weather")({}, { fetch, auth: { api: { appId: "k-42" } }, onStep: (e: unknown) => events.push(e), middleware: [replacing] });
  expect(events).toEqual([expect.objectContaining({ stepId: "weather", url: "https://api.example.test/weather?appid=[redacted]", status: 200 })]);
  const failed = await runner("weather")({}, { fetch, auth: { api: { appId: "k-43" } }, onStep: (e: unknown) => events.push(e) }).catch((e: unknown) => e);
  expect(inspect(failed, { depth: 10, showHidden: true }) + JSON.stringify(events)).not.toMatch(/k-4[23]/);
});

test("a run whose steps always send their own credentials installs no credentials middleware, which would apply nothing; other runs keep it", async () => {
  const { runner } = await loadPackage(packageDir("credentials"));
  // The credentials middleware marks each request it handled with the schemes it carries (for the package's mocks).
  const CARRIED = Symbol.for("arazzo-ts.carried-schemes");
  const sent: Request[] = [];
  const fetch = async (request: Request) => {
    sent.push(request);
    return new Response(null, { status: 200 });
  };
  // `Authorization: Bearer {$inputs.token}`: a template, always there. Given credentials change nothing.
  await runner("step-supplied")({ token: "mine" }, { fetch, auth: { api: { bearerAuth: "other" } } });
  // `X-API-Key: $inputs.key`, an input that may be absent: the middleware stays, and finds the key there.
  await runner("step-supplied-optional")({ key: "own" }, { fetch });
  // The run's credentials: applied by the middleware.
  await runner("bearer")({}, { fetch, auth: { api: { bearerAuth: "b-1", tokenAuth: "t-1" } } });
  expect(sent.map((r) => [r.headers.get("authorization") ?? r.headers.get("x-api-key"), (r as Request & { [CARRIED]?: unknown })[CARRIED]])).toEqual([
    ["Bearer mine", undefined],
    ["own", ["apiKeyHeader"]],
    ["Bearer b-1", ["bearerAuth"]],
    ["Token t-1", ["tokenAuth"]],
  ]);
  const run = (module: string) => readFileSync(path.join(packageDir("credentials"), `src/${module}.ts`), "utf8");
  expect(run("step-supplied")).toContain("credentialsCarried: true");
  expect(run("step-supplied-optional")).not.toContain("credentialsCarried");
  expect(run("bearer")).not.toContain("credentialsCarried");
  // On the package's mock fetch the middleware stays: it records the schemes each request carried.
  const { mocks } = await loadPackage(packageDir("credentials"));
  const mockFetch = mocks.createMockFetch();
  await runner("step-supplied")({ token: "mine" }, { fetch: mockFetch });
  expect(mockFetch.requests.map((r) => r.security)).toEqual([["bearerAuth"]]);
});

describe("a server made of variables, and a description without servers", () => {
  let api: FetchServer;
  const seen: { method: string; path: string; authorization: string | null }[] = [];
  beforeAll(async () => {
    api = await serveFetch(async (request) => {
      const url = new URL(request.url);
      seen.push({ method: request.method, path: url.pathname, authorization: request.headers.get("authorization") });
      if (url.pathname === "/api/v3/meta") return Response.json({ installed_version: "3.14" });
      if (url.pathname === "/api/v3/repos/octo/hello") return Response.json({ full_name: "octo/hello" });
      if (url.pathname === "/slack/chat.postMessage") return Response.json({ ok: true, ts: "1.2" });
      return Response.json({ message: "not found" }, { status: 404 });
    });
  });
  afterAll(() => api?.close());
  afterEach(() => {
    seen.length = 0;
  });
  const inputs = { owner: "octo", repo: "hello", channel: "C1" };
  const auth = { github: { bearerAuth: "gh-token" }, slack: { botToken: "xoxb-token" } };

  test("on its mock, at the variables' defaults", async () => {
    const { mocks, runner } = await loadPackage(packageDir("real-world-servers"));
    const fetch = mocks.createMockFetch();
    await runner("announce-repository")(inputs, { fetch, auth });
    expect(fetch.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "GET https://github.example.com/api/v3/meta",
      "GET https://github.example.com/api/v3/repos/octo/hello",
      "POST https://slack.mock.arazzo.invalid/chat.postMessage",
    ]);
  });

  test("on a loopback server, with the variables chosen by `servers` and the other source's URL by `baseUrls`", async () => {
    const { runner } = await loadPackage(packageDir("real-world-servers"));
    const host = new URL(api.url).host;
    const outputs = await runner("announce-repository")(inputs, {
      servers: { github: { variables: { protocol: "http", hostname: host } } },
      baseUrls: { slack: `${api.url}/slack` },
      auth,
    });
    expect(outputs).toEqual({ fullName: "octo/hello", ts: "1.2" });
    expect(seen).toEqual([
      { method: "GET", path: "/api/v3/meta", authorization: null },
      { method: "GET", path: "/api/v3/repos/octo/hello", authorization: "Bearer gh-token" },
      { method: "POST", path: "/slack/chat.postMessage", authorization: "Bearer xoxb-token" },
    ]);
  });

  test("without a URL for the source that has no servers, the run fails before anything is sent, naming it", async () => {
    const { entry, runner } = await loadPackage(packageDir("real-world-servers"));
    const host = new URL(api.url).host;
    const error = await runner("announce-repository")(inputs, { servers: { github: { variables: { protocol: "http", hostname: host } } }, auth }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(entry.ArazzoConfigError as new () => Error);
    expect((error as Error).message).toBe(
      "source `slack`: its OpenAPI description has no `servers`, so there is no URL to send requests to: set `options.baseUrls.slack`",
    );
    expect(seen).toEqual([]);
  });

  test("the generated README lists the servers, their variables and the schemes, and what each workflow needs", () => {
    const readme = readFileSync(path.join(packageDir("real-world-servers"), "README.md"), "utf8");
    expect(readme).toContain("## Servers and credentials");
    expect(readme).toContain(
      "| 0 (default) | `{protocol}://{hostname}/api/v3` |  | `protocol`: one of `http`, `https`, default `https`; `hostname`: any text, default `github.example.com` |",
    );
    expect(readme).toContain("Default base URL: `https://github.example.com/api/v3`.");
    expect(readme).toContain("The description lists no servers: a run needs `options.baseUrls.slack`");
    expect(readme).toContain("| `bearerAuth` | HTTP bearer | the token, or a function that gives it |");
    expect(readme).toContain("- `auth.github.bearerAuth`\n- `auth.slack.botToken`");
    expect(readme).not.toMatch(/gh-token|xoxb/);
  });
});

describe("generation", () => {
  test("a parameter a security scheme carries is not reported as unsupplied; the code says the credentials send it", () => {
    const codes = generated.diagnostics.filter((d) => d.file?.includes("credentials")).map((d) => d.code);
    expect(codes).not.toContain("unsupplied-parameter");
    const code = readFileSync(path.join(packageDir("credentials"), "src/combined.ts"), "utf8");
    expect(code).toContain("// Sent with the run's credentials (`options.auth.api`): Authorization (bearerAuth).");
  });

  let ws: Workspace | undefined;
  afterEach(() => ws?.remove());

  /**
   * The `mini` fixture with `shop.openapi.yaml`'s servers replaced, a document-level `security`
   * and `components.securitySchemes` added (each YAML text), and `order.arazzo.yaml` patched;
   * generated without writing. Its diagnostics as printed.
   */
  async function diagnosticsWith(openapi: { servers?: string; security?: string; schemes?: string }, arazzo: [string, string][] = []): Promise<string[]> {
    ws = workspace("mini");
    const servers = "servers:\n  - url: https://shop.example.test/v1\n";
    ws.patch("shop.openapi.yaml", servers, `${openapi.servers ?? servers}${openapi.security ?? ""}`);
    if (openapi.schemes) ws.patch("shop.openapi.yaml", "components:\n", `components:\n  securitySchemes:\n${openapi.schemes}`);
    for (const [from, to] of arazzo) ws.patch("order.arazzo.yaml", from, to);
    const result = await generate({ inputs: [ws.file("order.arazzo.yaml")], outDir: ws.file("out"), write: false });
    return result.diagnostics.map((d) => formatDiagnostic(d, ws!.dir));
  }

  test("a requirement naming a scheme the description does not define: a warning at it, with the closest name", async () => {
    const lines = await diagnosticsWith({ security: "security:\n  - apiKeys: []\n", schemes: "    apiKey: { type: apiKey, in: header, name: X-Key }\n" });
    expect(lines).toContain(
      "shop.openapi.yaml:8:5 - warning unknown-security-scheme: a security requirement names scheme `apiKeys`, which `components.securitySchemes` does not define: that alternative is left out\n  hint: did you mean `apiKey`?",
    );
  });

  test("a scheme that cannot be applied: a warning at it", async () => {
    const lines = await diagnosticsWith({ security: "security:\n  - key: []\n", schemes: "    key: { type: apiKey, in: header }\n" });
    expect(lines).toContain(
      "shop.openapi.yaml:56:5 - warning invalid-security-scheme: security scheme `key` is an `apiKey` scheme without a `name`: requirements that name it are left out\n  hint: requests that need it get no credentials: add them with a middleware",
    );
  });

  test("a server variable without a default: a warning, and the run must set it", async () => {
    const lines = await diagnosticsWith({ servers: 'servers:\n  - url: "https://{tenant}.shop.example.test/v1"\n' });
    expect(lines).toContain(
      "shop.openapi.yaml:6:10 - warning server-variable-default: server `https://{tenant}.shop.example.test/v1` of source `shop`: variable `tenant` has no `default`, which OpenAPI requires\n  hint: a run must set it: `options.servers.shop.variables.tenant` (or give `options.baseUrls.shop`)",
    );
  });

  const secured = {
    security: "security:\n  - key: []\n",
    schemes: "    key: { type: apiKey, in: header, name: X-Key }\n    digest: { type: http, scheme: digest }\n    cert: { type: mutualTLS }\n",
  };
  const createStep = "      - stepId: create\n        operationId: createOrder\n";
  const withXSecurity = (entry: string): [string, string][] => [[createStep, `${createStep}        x-security:\n${entry}`]];

  test.each([
    [
      "a scheme the source does not define",
      "          - schemeName: keyy\n            values: { value: $inputs.key }\n",
      "order.arazzo.yaml:24:25 - error unknown-security-scheme: `x-security` names scheme `keyy`, which the source description does not define\n  hint: did you mean `key`?",
    ],
    [
      "neither a scheme name nor a scheme",
      "          - values: { value: $inputs.key }\n",
      "order.arazzo.yaml:24:13 - error invalid-x-security: an `x-security` entry needs one of `schemeName` and `scheme`\n  hint: name a scheme of the source description with `schemeName`",
    ],
    [
      "an API key without its value",
      "          - schemeName: key\n            values: { token: $inputs.key }\n",
      "order.arazzo.yaml:25:21 - error invalid-x-security: `x-security` for scheme `key` (API key in header `X-Key`) needs `values.value`: the API key",
    ],
    [
      "HTTP Digest",
      "          - schemeName: digest\n            values: { username: a, password: b }\n",
      "order.arazzo.yaml:24:13 - error unsupported-feature: HTTP Digest authentication (`x-security`) is not generated by arazzo-ts: it answers a challenge from the server\n  hint: compute the `Authorization` header in an openapi-fetch middleware",
    ],
    [
      "a client certificate",
      "          - schemeName: cert\n            values: {}\n",
      "order.arazzo.yaml:24:13 - error invalid-x-security: `x-security` cannot give a step a TLS client certificate (scheme `cert`)\n  hint: give it to the run: `options.auth.<source>.<scheme>`",
    ],
  ])("`x-security` with %s is an error at its place", async (_, entry, expected) => {
    expect(await diagnosticsWith(secured, withXSecurity(entry))).toContain(expected);
  });

  test("`x-security` and a parameter the step writes itself: the step's wins, with a warning", async () => {
    const lines = await diagnosticsWith(secured, [
      ...withXSecurity("          - schemeName: key\n            values: { value: $inputs.key }\n"),
      ["          - name: Idempotency-Key\n", "          - { name: X-Key, in: header, value: own }\n          - name: Idempotency-Key\n"],
    ]);
    expect(lines).toContain(
      "order.arazzo.yaml:24:13 - warning duplicate-credential: step `create` sends header parameter `X-Key` itself: its `x-security` entry for scheme `key` is not used\n  hint: remove one of the two",
    );
  });
});
