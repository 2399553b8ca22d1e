/**
 * OAuth2 client credentials (RFC 6749 §4.4) and OpenID Connect, as generated packages do them,
 * against an authorization server over HTTP (discovery document, token endpoint, JWKS, signed
 * JWTs; `test/helpers/oauth-server.ts`) and an API that checks the JWT signature of every
 * bearer token. Both servers run for the whole file on free loopback ports.
 *
 * The packages come from `test/fixtures/oauth/`: `items` as it is (placeholder token and
 * discovery URLs, so its runs give `tokenUrl` in their credentials), and `items-live`, a copy
 * whose description names the real server's token endpoint and discovery document.
 *
 * The runtime keeps tokens per fetch function, token URL, client and scopes for the whole
 * process: each test uses a client of its own (`newClient`), and a test that counts discovery
 * requests gives its runs a fetch of their own.
 */
import { Console } from "node:console";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { formatDiagnostic } from "../../generator/diagnostics.ts";
import { generate } from "../../generator/generate.ts";
import { loadPackage } from "../helpers/generated-package.ts";
import {
  type AuthorizationServer,
  type BearerApi,
  type RegisteredClient,
  startAuthorizationServer,
  startBearerApi,
  startHangingProxy,
} from "../helpers/oauth-server.ts";
import { freePort } from "../helpers/processes.ts";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/oauth");
/** A secret that looks like one: it must appear in no error, trace or recording. */
const SECRET = "s3cr3t-CLIENT-SECRET-xyz";

type Package = Awaited<ReturnType<typeof loadPackage>>;

interface StepErrorLike extends Error {
  readonly reason: string;
  readonly stepId: string;
  readonly status: number | undefined;
}

let oauth: AuthorizationServer | undefined;
let api: BearerApi | undefined;
/** The package generated from the fixture as it is. */
let placeholder: Package;
/** The package whose description names the real token endpoint and discovery document. */
let live: Package;
/** The same, with a discovery URL of its own (a test changes what the provider lists). */
let postOnly: Package;
let apiBase: string;
/** Where the packages are generated: inside the repository (git-ignored `.out*`), so Node resolves their `openapi-fetch`. */
let out: string | undefined;

beforeAll(async () => {
  oauth = await startAuthorizationServer();
  let created = 0;
  api = await startBearerApi(oauth, [
    {
      method: "GET",
      path: "/v1/items/{id}",
      scope: "items:read",
      answer: ({ params }) => ({ status: 200, json: { id: params.id, name: `item ${params.id}` } }),
    },
    {
      method: "POST",
      path: "/v1/items",
      scope: "items:write",
      answer: ({ body }) => ({ status: 201, json: { id: `new-${++created}`, name: (body as { name: string }).name } }),
    },
  ]);
  apiBase = `${api.url}/v1`;

  out = mkdtempSync(path.join(import.meta.dirname, ".out-oauth-"));
  const specs = path.join(out, "specs");
  mkdirSync(specs);
  const description = readFileSync(path.join(FIXTURES, "items.openapi.yaml"), "utf8");
  const rewritten = description
    .replace("https://auth.example.test/token", oauth.tokenEndpoint)
    .replace("https://auth.example.test/.well-known/openid-configuration", oauth.discoveryUrl);
  expect(rewritten).not.toContain("auth.example.test");
  writeFileSync(path.join(specs, "items.openapi.yaml"), rewritten);
  writeFileSync(path.join(specs, "items-live.arazzo.yaml"), readFileSync(path.join(FIXTURES, "items.arazzo.yaml"), "utf8"));
  // The same with a discovery URL of its own: discovery documents are cached per process by URL,
  // and one test changes what the provider's document lists.
  const postSpecs = path.join(out, "specs-post");
  mkdirSync(postSpecs);
  writeFileSync(path.join(postSpecs, "items.openapi.yaml"), rewritten.replace(oauth.discoveryUrl, `${oauth.discoveryUrl}?variant=post`));
  writeFileSync(path.join(postSpecs, "items-post.arazzo.yaml"), readFileSync(path.join(FIXTURES, "items.arazzo.yaml"), "utf8"));

  const result = await generate({
    inputs: [path.join(FIXTURES, "items.arazzo.yaml"), path.join(specs, "items-live.arazzo.yaml"), path.join(postSpecs, "items-post.arazzo.yaml")],
    outDir: path.join(out, "packages"),
  });
  expect(result.diagnostics.map((d) => formatDiagnostic(d))).toEqual([]);
  expect(result.ok).toBe(true);
  placeholder = await loadPackage(path.join(out, "packages/items"));
  live = await loadPackage(path.join(out, "packages/items-live"));
  postOnly = await loadPackage(path.join(out, "packages/items-post"));
}, 60_000);

afterEach(() => {
  // A test that failed before its API requests must not leave 401s for the next.
  api?.unauthorizedNext(0);
});

afterAll(async () => {
  await Promise.allSettled([oauth?.stop(), api?.stop()]);
  if (out) rmSync(out, { recursive: true, force: true });
});

function servers(): { oauth: AuthorizationServer; api: BearerApi } {
  if (!oauth || !api) throw new Error("the servers did not start");
  return { oauth, api };
}

let clients = 0;
/** A client registered with the authorization server, its id unique to the test. */
function newClient(name: string, options: Partial<RegisteredClient> = {}): RegisteredClient {
  const client = { clientId: `${name}-${++clients}`, clientSecret: SECRET, ...options };
  servers().oauth.registerClient(client);
  return client;
}

/** The token requests of one client, and the API requests its tokens made. */
function tokenRequestsOf(client: RegisteredClient) {
  return servers().oauth.tokenRequests.filter((r) => r.clientId === client.clientId);
}
function apiRequestsOf(client: RegisteredClient) {
  return servers().api.requests.filter((r) => r.clientId === client.clientId);
}

/**
 * A fetch of a run's own (so the runtime's token and discovery caches start empty for it)
 * that logs `METHOD url` of every request and keeps the bearer tokens and Basic credentials
 * it carried, as the values tests look for where they must not be.
 */
function recordingFetch() {
  const log: string[] = [];
  const credentials: string[] = [];
  const fetch = (request: Request) => {
    log.push(`${request.method} ${request.url}`);
    const authorization = request.headers.get("authorization");
    if (authorization) credentials.push(authorization, authorization.replace(/^\S+ /, ""));
    return globalThis.fetch(request);
  };
  return { fetch, log, credentials };
}

/** The rejection of `promise`, which must be the package's ArazzoStepError. */
async function stepError(pkg: Package, promise: Promise<unknown>): Promise<StepErrorLike> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(pkg.entry.ArazzoStepError as new () => Error);
  return error as StepErrorLike;
}

describe("OAuth2 client credentials, the token URL from the description", () => {
  test("ten concurrent runs fetch one token (client_secret_basic, the requirement's scope), and every request carries it", async () => {
    const client = newClient("concurrent");
    const auth = { items: { oauth: { clientId: client.clientId, clientSecret: client.clientSecret } } };
    // No `fetch`: the global one, as most users run.
    const outputs = await Promise.all(Array.from({ length: 10 }, (_, i) => live.runner("get-item")({ id: `a${i}` }, { baseUrls: { items: apiBase }, auth })));

    expect(outputs.map((o) => o.name)).toEqual(Array.from({ length: 10 }, (_, i) => `item a${i}`));
    const tokens = tokenRequestsOf(client);
    expect(tokens).toEqual([
      {
        clientId: client.clientId,
        grantType: "client_credentials",
        scope: "items:read",
        clientAuthentication: "client_secret_basic",
        accepted: true,
        tokenId: expect.any(String),
      },
    ]);
    const requests = apiRequestsOf(client);
    expect(requests).toHaveLength(10);
    for (const r of requests) expect(r).toMatchObject({ method: "GET", status: 200, authorized: true, tokenId: tokens[0]!.tokenId });
  });

  test("client_secret_post sends the client id and secret in the body; `scopes` replaces the requirement's", async () => {
    const client = newClient("post");
    const auth = { items: { oauth: { ...client, clientAuthentication: "client_secret_post", scopes: ["items:read", "audit"] } } };
    await live.runner("get-item")({ id: "b" }, { baseUrls: { items: apiBase }, auth });
    expect(tokenRequestsOf(client)).toMatchObject([{ clientAuthentication: "client_secret_post", scope: "items:read audit", accepted: true }]);
    expect(apiRequestsOf(client)).toMatchObject([{ status: 200, authorized: true }]);
  });

  test("a client id and secret with reserved and non-ASCII characters are form-encoded in the Basic header (RFC 6749 §2.3.1)", async () => {
    const client = newClient("odd:ïd+1", { clientSecret: `p@ss:wörd +%&=${SECRET}` });
    await live.runner("get-item")({ id: "c" }, { baseUrls: { items: apiBase }, auth: { items: { oauth: client } } });
    expect(tokenRequestsOf(client)).toMatchObject([{ clientAuthentication: "client_secret_basic", accepted: true }]);
    expect(apiRequestsOf(client)).toMatchObject([{ status: 200, authorized: true }]);
  });

  test("a token is reused until shortly before it expires, then fetched anew before the API could refuse it", async () => {
    const client = newClient("lifetime", { tokenLifetime: 2 });
    const run = (id: string) => live.runner("get-item")({ id }, { baseUrls: { items: apiBase }, auth: { items: { oauth: client } } });
    await run("d1");
    // The token was fetched before this: it expires before `fetched` + 2 s.
    const fetched = Date.now();
    await run("d2");
    expect(tokenRequestsOf(client)).toHaveLength(1);

    // Past the token's 2 s (the runtime renews it a tenth of its lifetime early, at 1.8 s).
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, fetched + 2_050 - Date.now())));
    await run("d3");
    const tokens = tokenRequestsOf(client);
    expect(tokens).toHaveLength(2);
    // Every request was authorized: the new token was fetched before the request, not after a 401.
    expect(apiRequestsOf(client).map((r) => [r.status, r.tokenId])).toEqual([
      [200, tokens[0]!.tokenId],
      [200, tokens[0]!.tokenId],
      [200, tokens[1]!.tokenId],
    ]);
  });

  test("a 401 to a fetched token: the token is fetched anew and the request sent once more, and the run succeeds", async () => {
    const client = newClient("unauthorized-once");
    const steps: { status?: number }[] = [];
    servers().api.unauthorizedNext(1);
    const outputs = await live.runner("get-item")(
      { id: "e" },
      { baseUrls: { items: apiBase }, auth: { items: { oauth: client } }, onStep: (event: { status?: number }) => steps.push(event) },
    );
    expect(outputs.name).toBe("item e");
    const tokens = tokenRequestsOf(client);
    expect(tokens).toHaveLength(2);
    expect(apiRequestsOf(client).map((r) => [r.status, r.tokenId])).toEqual([
      [401, tokens[0]!.tokenId],
      [200, tokens[1]!.tokenId],
    ]);
    // The trace shows both responses.
    expect(steps.map((s) => s.status)).toEqual([401, 200]);
  });

  test("a cached token the API no longer takes (revoked) is replaced after its 401", async () => {
    const client = newClient("revoked");
    const run = (id: string) => live.runner("get-item")({ id }, { baseUrls: { items: apiBase }, auth: { items: { oauth: client } } });
    await run("f1");
    const first = tokenRequestsOf(client)[0]!.tokenId!;
    servers().api.revokeToken(first);
    await run("f2");
    await run("f3");
    const tokens = tokenRequestsOf(client);
    expect(tokens).toHaveLength(2);
    expect(apiRequestsOf(client).map((r) => [r.status, r.problem, r.tokenId])).toEqual([
      [200, undefined, first],
      [401, "revoked", first],
      [200, undefined, tokens[1]!.tokenId],
      [200, undefined, tokens[1]!.tokenId],
    ]);
  });

  test("ten concurrent runs whose cached token is refused share one new token", async () => {
    const client = newClient("revoked-concurrent");
    const run = (id: string) => live.runner("get-item")({ id }, { baseUrls: { items: apiBase }, auth: { items: { oauth: client } } });
    await run("o0");
    const first = tokenRequestsOf(client)[0]!.tokenId!;
    servers().api.revokeToken(first);
    await Promise.all(Array.from({ length: 10 }, (_, i) => run(`o${i + 1}`)));
    const tokens = tokenRequestsOf(client);
    expect(tokens).toHaveLength(2);
    const requests = apiRequestsOf(client).slice(1);
    // Each run sent the refused token once (all ten do, unless one starts after the new token came), then the new one.
    const refused = requests.filter((r) => r.status === 401);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.map((r) => r.tokenId)).toEqual(Array(refused.length).fill(first));
    expect(requests.filter((r) => r.status === 200).map((r) => r.tokenId)).toEqual(Array(10).fill(tokens[1]!.tokenId));
    expect(requests).toHaveLength(10 + refused.length);
  });

  test("a second 401 stands: the step fails with it, after two token requests and two API requests", async () => {
    const client = newClient("unauthorized-twice");
    servers().api.unauthorizedNext(2);
    const error = await stepError(live, live.runner("get-item")({ id: "g" }, { baseUrls: { items: apiBase }, auth: { items: { oauth: client } } }));
    expect(error).toMatchObject({ reason: "criteria", stepId: "read", status: 401 });
    expect(error.message).toContain("$statusCode == 200");
    expect(tokenRequestsOf(client)).toHaveLength(2);
    expect(apiRequestsOf(client).map((r) => r.status)).toEqual([401, 401]);
  });

  test("a wrong client secret fails the step with reason `credentials` before any API request, and is not kept", async () => {
    const client = newClient("wrong-secret");
    const { fetch, log } = recordingFetch();
    const run = () =>
      live.runner("get-item")({ id: "h" }, { baseUrls: { items: apiBase }, fetch, auth: { items: { oauth: { ...client, clientSecret: `wrong-${SECRET}` } } } });
    const error = await stepError(live, run());
    expect(error).toMatchObject({ reason: "credentials", stepId: "read", status: undefined });
    expect(error.message).toContain(servers().oauth.tokenEndpoint);
    expect(error.message).toContain("HTTP 401 (invalid_client)");
    // The server echoed the secret in `error_description`; the message has only the error code.
    expect(error.message).not.toContain(SECRET);
    // A refused token request is asked again by the next run.
    await stepError(live, run());
    expect(tokenRequestsOf(client)).toMatchObject([{ accepted: false }, { accepted: false }]);
    expect(log).toEqual([`POST ${servers().oauth.tokenEndpoint}`, `POST ${servers().oauth.tokenEndpoint}`]);
  });

  test("a token request that does not answer fails its run by the timeout, and the next run asks anew", async () => {
    const client = newClient("hanging");
    const proxy = await startHangingProxy(servers().oauth.tokenEndpoint, 1);
    try {
      const run = (timeoutMs: number) =>
        live.runner("get-item")({ id: "hang" }, { baseUrls: { items: apiBase }, timeoutMs, auth: { items: { oauth: { ...client, tokenUrl: proxy.url } } } });
      const error = await stepError(live, run(300));
      expect(error).toMatchObject({ reason: "timeout", stepId: "read" });
      // The first token request still hangs; this run does not wait for it.
      expect((await run(5_000)).name).toBe("item hang");
      expect(proxy.requests()).toBe(2);
      expect(tokenRequestsOf(client)).toMatchObject([{ accepted: true }]);
      expect(apiRequestsOf(client)).toMatchObject([{ status: 200, authorized: true }]);
    } finally {
      await proxy.stop();
    }
  });

  test("no credentials at run time: reason `missing-credentials` naming the source and scheme, and nothing sent", async () => {
    const { fetch, log } = recordingFetch();
    const before = servers().api.requests.length;
    // `auth` is required by the types; a JavaScript caller can still leave it out.
    const error = await stepError(live, live.runner("get-item")({ id: "i" }, { baseUrls: { items: apiBase }, fetch } as any));
    expect(error).toMatchObject({ reason: "missing-credentials", stepId: "read" });
    expect(error.message).toContain("`options.auth.items.oauth`");
    expect(error.message).toContain("`GET /items/{id}` of source `items`");
    expect(log).toEqual([]);
    expect(servers().api.requests).toHaveLength(before);
  });
});

describe("`tokenUrl` in the credentials, the description's being a placeholder", () => {
  test("OAuth2: tokens come from the given endpoint; the description's is never asked", async () => {
    const client = newClient("token-url");
    const { fetch, log } = recordingFetch();
    const auth = { items: { oauth: { ...client, tokenUrl: servers().oauth.tokenEndpoint } } };
    const outputs = await placeholder.runner("get-item")({ id: "j" }, { baseUrls: { items: apiBase }, fetch, auth });
    expect(outputs.name).toBe("item j");
    expect(log).toEqual([`POST ${servers().oauth.tokenEndpoint}`, `GET ${apiBase}/items/j`]);
    expect(tokenRequestsOf(client)).toMatchObject([{ scope: "items:read", accepted: true }]);
  });

  test("OpenID Connect: the given token endpoint replaces discovery", async () => {
    const client = newClient("token-url-oidc");
    const { fetch, log } = recordingFetch();
    const credentials = { ...client, tokenUrl: servers().oauth.tokenEndpoint };
    const discoveries = servers().oauth.discoveryRequests();
    const outputs = await placeholder.runner("create-item")(
      { name: "k" },
      { baseUrls: { items: apiBase }, fetch, auth: { items: { oidc: credentials, oauth: credentials } } },
    );
    expect(outputs.id).toMatch(/^new-/);
    expect(outputs.name).toBe(`item ${outputs.id}`);
    expect(log).toEqual([
      `POST ${servers().oauth.tokenEndpoint}`,
      `POST ${apiBase}/items`,
      `POST ${servers().oauth.tokenEndpoint}`,
      `GET ${apiBase}/items/${outputs.id}`,
    ]);
    expect(servers().oauth.discoveryRequests()).toBe(discoveries);
    expect(tokenRequestsOf(client).map((r) => r.scope)).toEqual(["items:write", "items:read"]);
  });
});

describe("OpenID Connect discovery", () => {
  test("discovery, then the token, then the API; the discovery document and tokens are fetched once across runs", async () => {
    const client = newClient("oidc");
    const { fetch, log } = recordingFetch();
    const { oauth } = servers();
    const discoveries = oauth.discoveryRequests();
    const auth = { items: { oidc: client, oauth: client } };
    const first = await live.runner("create-item")({ name: "l1" }, { baseUrls: { items: apiBase }, fetch, auth });
    expect(log).toEqual([
      `GET ${oauth.discoveryUrl}`,
      `POST ${oauth.tokenEndpoint}`,
      `POST ${apiBase}/items`,
      `POST ${oauth.tokenEndpoint}`,
      `GET ${apiBase}/items/${first.id}`,
    ]);
    await Promise.all(["l2", "l3", "l4"].map((name) => live.runner("create-item")({ name }, { baseUrls: { items: apiBase }, fetch, auth })));
    expect(oauth.discoveryRequests() - discoveries).toBe(1);
    expect(log.filter((l) => l.startsWith("GET") && l.includes("/.well-known/"))).toHaveLength(1);
    // One token per scope: the `oidc` requirement's `items:write`, the `oauth` one's `items:read`.
    expect(tokenRequestsOf(client).map((r) => [r.scope, r.clientAuthentication])).toEqual([
      ["items:write", "client_secret_basic"],
      ["items:read", "client_secret_basic"],
    ]);
    expect(
      apiRequestsOf(client)
        .map((r) => `${r.method} ${r.status}`)
        .sort(),
    ).toEqual([...Array(4).fill("GET 200"), ...Array(4).fill("POST 201")]);
  });

  test("a provider whose discovery document lists only client_secret_post gets the secret in the body", async () => {
    const client = newClient("oidc-post");
    const { fetch } = recordingFetch();
    const { oauth } = servers();
    oauth.setTokenEndpointAuthMethods(["client_secret_post"]);
    try {
      await postOnly.runner("create-item")({ name: "m" }, { baseUrls: { items: apiBase }, fetch, auth: { items: { oidc: client, oauth: client } } });
    } finally {
      oauth.setTokenEndpointAuthMethods(["client_secret_basic", "client_secret_post"]);
    }
    // Discovery decides for `oidc` only; the `oauth` scheme's token endpoint keeps the default.
    expect(tokenRequestsOf(client).map((r) => [r.scope, r.clientAuthentication])).toEqual([
      ["items:write", "client_secret_post"],
      ["items:read", "client_secret_basic"],
    ]);
  });
});

describe("secrets stay out of errors, traces and mock recordings", () => {
  /** Where a value may show: the error's message, stack, cause chain, and what util.inspect and console.error print of it. */
  function printed(error: unknown): string[] {
    const texts: string[] = [];
    const seen = new Set<unknown>();
    for (let e: unknown = error; e !== undefined && e !== null && !seen.has(e); e = (e as { cause?: unknown }).cause) {
      seen.add(e);
      if (e instanceof Error) texts.push(e.message, e.stack ?? "");
      texts.push(String(e), JSON.stringify(e) ?? "");
    }
    texts.push(inspect(error, { depth: 10 }), inspect(error, { depth: 10, showHidden: true }));
    let output = "";
    const stream = new Writable({
      write(chunk, _encoding, done) {
        output += String(chunk);
        done();
      },
    });
    new Console({ stdout: stream, stderr: stream }).error(error);
    expect(output).toContain((error as Error).message);
    texts.push(output);
    return texts;
  }

  test("errors after a refused client, a 401 to a fetched token, an unreachable token endpoint; and the onStep events", async () => {
    const client = newClient("secrets");
    const { fetch, credentials } = recordingFetch();
    const events: unknown[] = [];
    const options = (oauthCredentials: object) => ({
      baseUrls: { items: apiBase },
      fetch,
      auth: { items: { oauth: oauthCredentials } },
      onStep: (e: unknown) => events.push(e),
    });
    const errors: StepErrorLike[] = [];

    // The token endpoint refuses the secret (and echoes it in its error_description).
    errors.push(await stepError(live, live.runner("get-item")({ id: "n1" }, options({ ...client, clientSecret: `${SECRET}-wrong` }))));
    // A token is fetched, and the API refuses it twice.
    servers().api.unauthorizedNext(2);
    errors.push(await stepError(live, live.runner("get-item")({ id: "n2" }, options(client))));
    // Nothing listens at the token endpoint: the error has a cause (fetch's TypeError and its cause).
    const closed = `http://127.0.0.1:${await freePort()}/token`;
    errors.push(await stepError(live, live.runner("get-item")({ id: "n3" }, options({ ...client, tokenUrl: closed }))));

    expect(errors.map((e) => e.reason)).toEqual(["credentials", "criteria", "credentials"]);
    expect(errors[2]!.message).toContain(`the token endpoint ${closed} could not be reached`);
    expect(errors[2]!.cause).toBeDefined();
    // What must not show: the secret, the Basic credentials and access tokens the requests carried.
    expect(credentials.some((c) => c.startsWith("Bearer "))).toBe(true);
    const secrets = [SECRET, ...credentials];
    for (const [i, error] of errors.entries()) {
      for (const text of printed(error)) for (const secret of secrets) expect(text.includes(secret), `error ${i} shows a secret: ${text}`).toBe(false);
    }
    expect(events.length).toBeGreaterThan(0);
    const trace = JSON.stringify(events);
    for (const secret of secrets) expect(trace.includes(secret), `a step event shows a secret: ${trace}`).toBe(false);
  });

  test("the package's mocks record `[redacted]` for the credentials and name the schemes they were for", async () => {
    const mocks = placeholder.mocks;
    const accessToken = `eyJ-access-token-${SECRET}`;
    const fetch = mocks.createMockFetch();
    const events: unknown[] = [];
    // Credentials of the `exampleAuth` shape, with values of our own: a client for `oauth`, a token for `oidc`.
    expect(Object.keys(mocks.exampleAuth.items ?? {}).sort()).toEqual(["oauth", "oidc"]);
    const auth = { items: { oauth: { clientId: "mock-client", clientSecret: SECRET }, oidc: accessToken } };
    const outputs = await placeholder.runner("create-item")(mocks.exampleInputs["create-item"], { fetch, auth, onStep: (e: unknown) => events.push(e) });
    expect(outputs).toBeTypeOf("object");
    // Token requests are answered, not recorded.
    expect(fetch.requests.map((r) => [r.method, r.step, r.security, r.headers.authorization])).toEqual([
      ["POST", "create-item/create", ["oidc"], "[redacted]"],
      ["GET", "create-item/read", ["oauth"], "[redacted]"],
    ]);
    const recorded = JSON.stringify({ requests: fetch.requests, events });
    for (const secret of [SECRET, accessToken, "mock-access-token", btoa(`mock-client:${SECRET}`)]) expect(recorded).not.toContain(secret);
  });
});
