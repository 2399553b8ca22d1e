/**
 * Mutual TLS end to end: the `vault` fixture (test/fixtures/mtls/: OpenAPI 3.1, a GET whose
 * security requirement is a `mutualTLS` scheme and an API key together, then a POST with a JSON
 * body that needs the certificate alone) generated into a git-ignored folder of this directory,
 * and its built `dist/` run against a real node:https server that requires a client certificate
 * signed by its CA (test/helpers/https-server.ts). The CA, the server's certificate and two
 * client certificates (one from another CA) are made at test time by openssl
 * (test/helpers/tls-certs.ts).
 *
 * This process is Node 20; the last test runs the same package on Node 22 and 24 too (from
 * `.cache/node`, `node test/helpers/node-versions.mjs`): the certificate goes to the global
 * fetch as a dispatcher of the npm `undici`, which must work with the undici inside each
 * Node.js. A version that is not installed is skipped, or fails on CI.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { generate } from "../../generator/generate.ts";
import { executable } from "../helpers/processes.ts";
import { type HttpsServer, type ReceivedRequest, startHttpsServer } from "../helpers/https-server.ts";
import { binaryPackage, CACHE_DIR } from "../helpers/node-versions.mjs";
import { makeTestCertificates, type TestCertificates } from "../helpers/tls-certs.ts";

const FIXTURE = path.resolve(import.meta.dirname, "../fixtures/mtls");
const ACCOUNT = "acc-42";
const API_KEY = "vault-api-key-7f3a";
/** Non-ASCII, so the JSON body must reach the server byte for byte. */
const REFERENCE = "Invoice #12 – café";
const INPUTS = { accountId: ACCOUNT, reference: REFERENCE };
const OUTPUTS = { amount: "1234.56", currency: "EUR", clientSubject: "vault-client", transferId: "tr-0001", reference: REFERENCE };

interface ClientCertificate {
  readonly cert: string | Uint8Array;
  readonly key: string | Uint8Array;
  readonly ca?: string | Uint8Array;
  readonly passphrase?: string;
}
interface RunOptions {
  readonly baseUrls?: { readonly vault?: string };
  /** As the generated `ReadBalanceOptions` has it: the operation's requirement names both. */
  readonly auth: { readonly vault: { readonly clientCert: ClientCertificate; readonly apiKey: string } };
  readonly fetch?: (input: Request) => Promise<Response>;
}
interface VaultPackage {
  runReadBalance(inputs: typeof INPUTS, options: RunOptions): Promise<typeof OUTPUTS>;
  ArazzoStepError: new (...args: never[]) => Error & { reason: string; stepId: string };
  ArazzoConfigError: new (...args: never[]) => Error & { source: string };
}
interface VaultMocks {
  createMockFetch(): ((input: Request) => Promise<Response>) & {
    requests: { method: string; url: string; headers: Record<string, string>; step?: string; security: string[] }[];
  };
}

let outDir: string;
let packageDir: string;
let vault: VaultPackage;
let mocks: VaultMocks;
let certs: TestCertificates;
let server: HttpsServer | undefined;

beforeAll(async () => {
  // Inside the repository (git-ignored `.out*`), so Node resolves openapi-fetch and undici from its node_modules.
  outDir = mkdtempSync(path.join(import.meta.dirname, ".out-mtls-"));
  const result = await generate({ inputs: [path.join(FIXTURE, "vault.arazzo.yaml")], outDir, write: true });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (!result.ok || errors.length) throw new Error(`generation failed:\n${errors.map((d) => `${d.code}: ${d.message}`).join("\n")}`);
  packageDir = path.join(outDir, "vault");
  vault = (await import(pathToFileURL(path.join(packageDir, "dist/index.js")).href)) as VaultPackage;
  mocks = (await import(pathToFileURL(path.join(packageDir, "dist/mocks.js")).href)) as VaultMocks;

  certs = await makeTestCertificates("vault-client");
  server = await startHttpsServer({
    ...certs.server,
    ca: certs.ca,
    handler: (request) => {
      if (request.method === "GET" && request.url === `/accounts/${ACCOUNT}/balance`) {
        return { status: 200, json: { accountId: ACCOUNT, amount: "1234.56", currency: "EUR", clientSubject: request.clientSubject } };
      }
      if (request.method === "POST" && request.url === `/accounts/${ACCOUNT}/transfers`) {
        const body = JSON.parse(request.body) as { reference?: unknown };
        return { status: 201, json: { transferId: "tr-0001", reference: body.reference } };
      }
      return { status: 404, json: { error: "not found" } };
    },
  });
});

afterAll(async () => {
  try {
    await server?.close();
  } finally {
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  }
});

function https(): HttpsServer {
  if (!server) throw new Error("the https server did not start");
  return server;
}

/** The certificate the server trusts, with the CA that signed the server's certificate. */
function trustedCertificate(): ClientCertificate {
  return { cert: certs.client.cert, key: certs.client.key, ca: certs.ca };
}

/** What the server receives from one successful run: the certificate on both, the API key only where required. */
const EXPECTED_EXCHANGES = [
  `GET /accounts/${ACCOUNT}/balance subject=vault-client x-api-key=${API_KEY} body=`,
  `POST /accounts/${ACCOUNT}/transfers subject=vault-client x-api-key=- body=${JSON.stringify({ amount: "1234.56", currency: "EUR", reference: REFERENCE })}`,
];

function summary(requests: readonly ReceivedRequest[]): string[] {
  return requests.map((r) => `${r.method} ${r.url} subject=${r.clientSubject} x-api-key=${r.headers["x-api-key"] ?? "-"} body=${r.body}`);
}

/** The rejection of `promise` (it must reject). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected the run to fail, and it succeeded");
    },
    (error: unknown) => error,
  );
}

/** `name code: message` of the error and each of its causes. */
function causeChain(error: unknown): string[] {
  const chain: string[] = [];
  for (let e = error; e instanceof Error && chain.length < 10; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    chain.push(`${e.name}${typeof code === "string" ? ` ${code}` : ""}: ${e.message}`);
  }
  return chain;
}

/** Fails if any text an error can show (message, stack, causes, inspect, JSON) holds a secret or a line of a private key. */
function expectNoKey(error: unknown, ...keys: string[]): void {
  const texts: string[] = [inspect(error, { depth: Number.POSITIVE_INFINITY }), inspect(error, { depth: 6, showHidden: true })];
  for (let e = error; e instanceof Error; e = e.cause) texts.push(e.message, e.stack ?? "", String(e));
  try {
    texts.push(JSON.stringify(error));
  } catch {
    // A cycle: inspect above covers it.
  }
  // The whole text, and each line of a PEM body on its own (a message could hold one line).
  const secrets = keys.flatMap((key) => [key, ...key.split("\n").filter((line) => line && !line.startsWith("-----"))]);
  for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret);
}

describe("mutual TLS against a node:https server that requires a client certificate", () => {
  test("with the client certificate (and the CA of the server's), the run succeeds; the server saw the client's subject, the API key and the body", async () => {
    const before = https().requests.length;
    const outputs = await vault.runReadBalance(INPUTS, {
      baseUrls: { vault: https().url },
      auth: { vault: { clientCert: trustedCertificate(), apiKey: API_KEY } },
    });

    expect(outputs).toEqual(OUTPUTS);
    expect(summary(https().requests.slice(before))).toEqual(EXPECTED_EXCHANGES);
  });

  test("runs with the same certificate object share its connections", async () => {
    const options = { baseUrls: { vault: https().url }, auth: { vault: { clientCert: trustedCertificate(), apiKey: API_KEY } } };
    const connections = https().connections;
    for (let run = 0; run < 5; run++) await vault.runReadBalance(INPUTS, options);
    // One dispatcher per certificate object: a new one per run would open 5. (Two, not one: the global fetch gives
    // the connection back to the pool a moment after the body is read, so the second run finds it busy; Node 20-24.)
    expect(https().connections - connections).toBeLessThanOrEqual(2);
  });

  test("an encrypted key with its passphrase, and PEM given as bytes, work the same", async () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    const certificates: ClientCertificate[] = [
      { cert: certs.client.cert, ...certs.encryptedClientKey, ca: certs.ca },
      { cert: bytes(certs.client.cert), key: bytes(certs.client.key), ca: bytes(certs.ca) },
    ];
    for (const clientCert of certificates) {
      const outputs = await vault.runReadBalance(INPUTS, { baseUrls: { vault: https().url }, auth: { vault: { clientCert, apiKey: API_KEY } } });
      expect(outputs).toEqual(OUTPUTS);
    }
  });

  test("an encrypted key with a wrong passphrase: reason request, and neither key nor passphrase in the error", async () => {
    const requests = https().requests.length;
    const clientCert = { cert: certs.client.cert, key: certs.encryptedClientKey.key, passphrase: "not-the-passphrase", ca: certs.ca };
    const error = await rejection(vault.runReadBalance(INPUTS, { baseUrls: { vault: https().url }, auth: { vault: { clientCert, apiKey: API_KEY } } }));

    expect(error).toBeInstanceOf(vault.ArazzoStepError);
    expect((error as InstanceType<VaultPackage["ArazzoStepError"]>).reason).toBe("request");
    expect(causeChain(error).join("\n")).toMatch(/bad decrypt|BAD_DECRYPT/i);
    expect(https().requests).toHaveLength(requests);
    expectNoKey(error, certs.encryptedClientKey.key, certs.client.key, certs.encryptedClientKey.passphrase, "not-the-passphrase");
  });

  test.each([
    ["no credentials at all", {}],
    ["the API key but no certificate", { apiKey: API_KEY }],
  ])("with %s, the step fails before sending: missing-credentials, naming the scheme", async (_, credentials) => {
    const connections = https().connections;
    const error = await rejection(
      // The types require the certificate; the run must check it too.
      vault.runReadBalance(INPUTS, { baseUrls: { vault: https().url }, auth: { vault: credentials } } as any),
    );

    expect(error).toBeInstanceOf(vault.ArazzoStepError);
    const stepError = error as InstanceType<VaultPackage["ArazzoStepError"]>;
    expect(stepError.reason).toBe("missing-credentials");
    expect(stepError.stepId).toBe("balance");
    expect(stepError.message).toContain("`options.auth.vault.clientCert` (mutual TLS: `{ cert, key }`)");
    expect(stepError.message).toContain("`GET /accounts/{accountId}/balance` of source `vault`");
    expect(https().connections).toBe(connections);
  });

  test("with a client certificate from a CA the server does not trust, the handshake is refused: reason request", async () => {
    const { requests, connections, secureConnections } = {
      requests: https().requests.length,
      connections: https().connections,
      secureConnections: https().secureConnections,
    };
    const untrusted = { ...certs.untrustedClient, ca: certs.ca };
    const error = await rejection(
      vault.runReadBalance(INPUTS, { baseUrls: { vault: https().url }, auth: { vault: { clientCert: untrusted, apiKey: API_KEY } } }),
    );

    expect(error).toBeInstanceOf(vault.ArazzoStepError);
    const stepError = error as InstanceType<VaultPackage["ArazzoStepError"]>;
    expect(stepError.reason).toBe("request");
    expect(stepError.stepId).toBe("balance");
    expect(stepError.message).toMatch(/^workflow `read-balance`, step `balance`: request failed: /);
    // The server accepted the TCP connection, refused the certificate and closed it: no request reached it. Node.js
    // sends no alert, so under TLS 1.3 the client only sees the connection closed once it has sent its request.
    expect(https().connections).toBeGreaterThan(connections);
    expect(https().secureConnections).toBe(secureConnections);
    expect(https().requests).toHaveLength(requests);
    expect(causeChain(error).join("\n")).toMatch(/other side closed \(UND_ERR_SOCKET|UND_ERR_SOCKET: other side closed|ECONNRESET|ERR_SSL_/);
    expectNoKey(error, certs.untrustedClient.key, certs.client.key);
  });

  test("without `ca`, the server's certificate (from a private CA) is not trusted: reason request, the TLS error in the causes", async () => {
    const requests = https().requests.length;
    const handshakeErrors = https().handshakeErrors.length;
    const error = await rejection(
      vault.runReadBalance(INPUTS, {
        baseUrls: { vault: https().url },
        auth: { vault: { clientCert: { cert: certs.client.cert, key: certs.client.key }, apiKey: API_KEY } },
      }),
    );

    expect(error).toBeInstanceOf(vault.ArazzoStepError);
    expect((error as InstanceType<VaultPackage["ArazzoStepError"]>).reason).toBe("request");
    expect(causeChain(error).join("\n")).toContain("SELF_SIGNED_CERT_IN_CHAIN");
    expect(https().requests).toHaveLength(requests);
    // The client gave up in the handshake; the server hears of it a moment later.
    await vi.waitFor(() => expect(https().handshakeErrors.length).toBeGreaterThan(handshakeErrors), { timeout: 5_000 });
    expectNoKey(error, certs.client.key);
  });

  test("a custom `options.fetch` with a certificate: ArazzoConfigError naming the source, before any request", async () => {
    const connections = https().connections;
    let calls = 0;
    const customFetch = (input: Request) => {
      calls++;
      return fetch(input);
    };
    const error = await rejection(
      vault.runReadBalance(INPUTS, {
        baseUrls: { vault: https().url },
        fetch: customFetch,
        auth: { vault: { clientCert: trustedCertificate(), apiKey: API_KEY } },
      }),
    );

    expect(error).toBeInstanceOf(vault.ArazzoConfigError);
    const configError = error as InstanceType<VaultPackage["ArazzoConfigError"]>;
    expect(configError.source).toBe("vault");
    expect(configError.message).toMatch(/^source `vault`: a TLS client certificate is given \(`options.auth`\), and `options.fetch` cannot present one/);
    expect(calls).toBe(0);
    expect(https().connections).toBe(connections);
    expectNoKey(error, certs.client.key);
  });

  test("the missing-credentials error holds no key either", async () => {
    const error = await rejection(
      // The API key left out on purpose, the certificate given.
      vault.runReadBalance(INPUTS, { baseUrls: { vault: https().url }, auth: { vault: { clientCert: trustedCertificate() } } } as any),
    );
    expect((error as InstanceType<VaultPackage["ArazzoStepError"]>).reason).toBe("missing-credentials");
    expect((error as Error).message).toContain("`options.auth.vault.apiKey`");
    expectNoKey(error, certs.client.key);
  });

  test("the package's mock fetch takes the certificate and records the schemes the request carried", async () => {
    const connections = https().connections;
    const mockFetch = mocks.createMockFetch();
    const outputs = await vault.runReadBalance(INPUTS, { fetch: mockFetch, auth: { vault: { clientCert: trustedCertificate(), apiKey: API_KEY } } });

    expect(Object.keys(outputs).sort()).toEqual(Object.keys(OUTPUTS).sort());
    expect(mockFetch.requests.map((r) => ({ method: r.method, url: r.url, step: r.step, security: r.security, apiKey: r.headers["x-api-key"] }))).toEqual([
      {
        method: "GET",
        url: `https://vault.example.test/v1/accounts/${ACCOUNT}/balance`,
        step: "read-balance/balance",
        security: ["clientCert", "apiKey"],
        apiKey: "[redacted]",
      },
      {
        method: "POST",
        url: `https://vault.example.test/v1/accounts/${ACCOUNT}/transfers`,
        step: "read-balance/transfer",
        security: ["clientCert"],
        apiKey: undefined,
      },
    ]);
    expect(JSON.stringify(mockFetch.requests)).not.toContain(certs.client.key.split("\n")[1]!);
    expect(https().connections).toBe(connections);
  });
});

/** Node binaries besides this process's: `.cache/node/<major>` (installed by `node test/helpers/node-versions.mjs`). */
const OTHER_NODES = [22, 24].map((major) => {
  const binary = path.join(CACHE_DIR, String(major), "node_modules", binaryPackage(), "bin", process.platform === "win32" ? "node.exe" : "node");
  return { major, binary: existsSync(binary) && executable(binary) ? binary : undefined };
});

describe("the same package on other Node.js versions", () => {
  for (const { major, binary } of OTHER_NODES) {
    const missing =
      binary === undefined ? `Node ${major} is not in ${path.relative(process.cwd(), CACHE_DIR)} (node test/helpers/node-versions.mjs ${major})` : undefined;
    if (missing && process.env.CI) {
      test(`Node ${major} is installed on CI`, () => {
        throw new Error(`cannot run the mTLS test on Node ${major} on CI: ${missing}`);
      });
      continue;
    }
    test.skipIf(missing !== undefined)(`Node ${major}: the run with the client certificate succeeds${missing ? ` (skipped: ${missing})` : ""}`, async () => {
      const before = https().requests.length;
      const { stdout } = await runScript(binary!, {
        entry: path.join(packageDir, "dist/index.js"),
        baseUrl: https().url,
        inputs: INPUTS,
        apiKey: API_KEY,
        ...trustedCertificate(),
      });

      const printed = JSON.parse(stdout) as { node: string; undici: string; outputs: unknown };
      expect(printed.node).toMatch(new RegExp(`^v${major}\\.`));
      expect(printed.outputs).toEqual(OUTPUTS);
      expect(summary(https().requests.slice(before))).toEqual(EXPECTED_EXCHANGES);
    });
  }
});

/**
 * Runs test/fixtures/mtls/run-read-balance.mjs with `node`, its input as JSON on stdin (the key
 * stays out of the command line and the environment). Async: the server answering it runs in
 * this process. The environment leaves out NODE_OPTIONS and vitest's variables, so nothing of
 * this process (a loader) leaks in.
 */
function runScript(node: string, input: Record<string, unknown>): Promise<{ stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(NODE_OPTIONS$|NODE_PATH$|VITEST|npm_)/i.test(key)) env[key] = value;
  return new Promise((resolve, reject) => {
    const child = spawn(node, [path.join(FIXTURE, "run-read-balance.mjs")], { cwd: FIXTURE, env, stdio: ["pipe", "pipe", "pipe"], timeout: 30_000 });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code, signal) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${node} run-read-balance.mjs exited ${signal ?? `with code ${code}`}\n${stderr}`));
    });
    child.stdin.end(JSON.stringify(input));
  });
}
