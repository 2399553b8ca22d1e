/**
 * Servers and credentials on the restate target, end to end: a package generated
 * (`target: "restate"`) from test/restate/fixtures/credentials/ (a server URL with variables,
 * an API key, an OAuth2 client credentials flow with a relative token URL), its Restate service
 * served on Node 24 (fixtures/credentials/services.mjs) with `servers` and `auth` as service
 * options, registered with a real restate-server and run through the generated ingress client,
 * against a loopback API that also answers the token endpoint.
 *
 * - The run succeeds: the server variables choose the URL, each request carries the API key,
 *   the token fetched for its scopes, or both, as its operation's security requirement says.
 * - The Restate journal, the invocation's record and the workflow's state and promises (read
 *   through the admin API's SQL) hold no API key, client secret or fetched token; they do hold
 *   the inputs and outputs (so the search looks where the values would be).
 * - A refused token request ends the invocation with a terminal error (not retried) naming the
 *   token endpoint and the OAuth error code, not a secret (the endpoint's `error_description`
 *   echoes the secret it was sent, as careless servers do).
 * - So does a server variable's value the description does not allow (an `ArazzoConfigError`
 *   when the run starts): nothing sent, the journal only the invocation's input and output.
 * - The generated service options require `auth` (a strict consumer file, type-checked).
 *
 * Secrets are made per run and reach the service through its environment, never a file. The
 * package is generated into a folder of the git-ignored `test/restate/.out-credentials/` (inside the
 * repository, so Node resolves its dependencies) and removed afterwards.
 *
 * Needs the `@restatedev/restate-server` dev dependency and Node 24 in `.cache/node/24`
 * (`node test/helpers/node-versions.mjs 24`): without them the Restate tests are skipped, or
 * fail on CI. The type check runs either way.
 */
import { randomUUID } from "node:crypto";
import { rmdirSync, rmSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import * as clients from "@restatedev/restate-sdk-clients";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../generator/diagnostics.ts";
import { generate } from "../../generator/generate.ts";
import { type FetchServer, serveFetch } from "../helpers/fetch-server.ts";
import { typeCheckStrictConsumer } from "../helpers/strict-consumer.ts";
import {
  journalEntries,
  node24Binary,
  type RestateServer,
  type RestateService,
  register,
  restateServerBinary,
  startRestate,
  startService,
  stopAll,
} from "../helpers/restate.ts";

const FIXTURES = path.join(import.meta.dirname, "fixtures", "credentials");
const SERVICES = path.join(FIXTURES, "services.mjs");
/** This run's folder in the git-ignored `.out-credentials/` (its own, so that runs at once do not meet). */
const OUT = path.join(import.meta.dirname, ".out-credentials", `run-${process.pid}-${randomUUID().slice(0, 8)}`);
const PACKAGE_DIR = path.join(OUT, "ledger-transfer");

const missing = [
  restateServerBinary() ? undefined : "restate-server (npm i -D @restatedev/restate-server)",
  node24Binary() ? undefined : "Node 24 (node test/helpers/node-versions.mjs 24)",
].filter((reason): reason is string => reason !== undefined);
const skipReason = missing.length ? `missing ${missing.join(" and ")}` : undefined;

/** Values that look like secrets, new for each run of the file: none may be stored by Restate or appear in an error. */
const secrets = {
  apiKey: `api-key-${randomUUID()}`,
  clientSecret: `client-secret-${randomUUID()}`,
  wrongSecret: `wrong-secret-${randomUUID()}`,
  /** The token endpoint's tokens, one per scope the requirements name. */
  writeToken: `write-token-${randomUUID()}`,
  readToken: `read-token-${randomUUID()}`,
};
const CLIENT_ID = "ledger-client";
const basic = (secret: string) => `Basic ${Buffer.from(`${CLIENT_ID}:${secret}`).toString("base64")}`;
/** Every secret, and the HTTP Basic credentials made of the client secrets. */
const secretValues = [...Object.values(secrets), basic(secrets.clientSecret).slice(6), basic(secrets.wrongSecret).slice(6)];

/** The forms a value takes in what the admin API answers: as text, inside bytes written in hex, or as a JSON list of byte values. */
function forms(value: string): string[] {
  const bytes = Buffer.from(value);
  return [value, JSON.stringify(value).slice(1, -1), bytes.toString("hex"), bytes.toString("hex").toUpperCase(), [...bytes].join(",")];
}
/** The secret values found in `text`, in any of their forms. */
function secretsIn(text: string): string[] {
  return secretValues.filter((secret) => forms(secret).some((form) => text.includes(form)));
}

/** A request the loopback API received. */
interface Received {
  readonly method: string;
  readonly url: string;
  readonly apiKey: string | null;
  readonly authorization: string | null;
  readonly form?: Record<string, string>;
}

/**
 * The API (`/v1/…`) and its token endpoint (`/oauth/token`, RFC 6749 §4.4 with HTTP Basic
 * client authentication): operations answer 401 without the API key or bearer token their
 * security requirement names; a wrong client secret gets 401 `invalid_client` with a
 * description echoing it.
 */
function ledgerApi(received: Received[]) {
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  const transfers = new Map<string, { amount: number; to: string }>();
  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const apiKey = request.headers.get("x-api-key");
    const authorization = request.headers.get("authorization");
    if (request.method === "POST" && url.pathname === "/oauth/token") {
      const form = Object.fromEntries(new URLSearchParams(await request.text()));
      received.push({ method: request.method, url: request.url, apiKey, authorization, form });
      if (authorization !== basic(secrets.clientSecret)) {
        const sent = Buffer.from((authorization ?? "").replace(/^Basic /, ""), "base64").toString();
        return json(401, { error: "invalid_client", error_description: `client authentication failed for ${sent}` });
      }
      if (form.grant_type !== "client_credentials") return json(400, { error: "unsupported_grant_type" });
      const token = { "ledger:write": secrets.writeToken, "ledger:read": secrets.readToken }[form.scope ?? ""];
      if (!token) return json(400, { error: "invalid_scope" });
      return json(200, { access_token: token, token_type: "Bearer", expires_in: 3600 });
    }
    const body = request.method === "POST" ? ((await request.json()) as { amount: number; to: string }) : undefined;
    received.push({ method: request.method, url: request.url, apiKey, authorization });
    const keyOk = apiKey === secrets.apiKey;
    let match = /^\/v1\/accounts\/([^/]+)$/.exec(url.pathname);
    if (request.method === "GET" && match) {
      if (!keyOk) return json(401, { message: "API key required" });
      return json(200, { id: match[1], balance: 1200, currency: "EUR" });
    }
    match = /^\/v1\/accounts\/([^/]+)\/transfers$/.exec(url.pathname);
    if (request.method === "POST" && match) {
      if (authorization !== `Bearer ${secrets.writeToken}`) return json(401, { message: "ledger:write token required" });
      const id = `tr-${transfers.size + 1}`;
      transfers.set(id, body!);
      return json(201, { id, status: "pending" });
    }
    match = /^\/v1\/transfers\/([^/]+)$/.exec(url.pathname);
    if (request.method === "GET" && match) {
      if (!keyOk || authorization !== `Bearer ${secrets.readToken}`) return json(401, { message: "API key and ledger:read token required" });
      return transfers.has(match[1]!) ? json(200, { id: match[1], status: "settled" }) : json(404, { message: "no such transfer" });
    }
    return json(404, { message: `no ${request.method} ${url.pathname}` });
  };
}

interface TransferInputs {
  readonly accountId: string;
  readonly to: string;
  readonly amount: number;
}
/** The generated `startTransfer` (`<package>/restate/client`), loaded once the package is generated. */
type StartTransfer = (
  ingress: clients.Ingress,
  key: string,
  inputs: TransferInputs,
) => Promise<{ readonly invocationId: string; output(): Promise<Record<string, unknown>> }>;

beforeAll(async () => {
  const result = await generate({ inputs: [path.join(FIXTURES, "ledger-transfer.arazzo.yaml")], outDir: OUT, target: "restate" });
  if (!result.ok) throw new Error(result.diagnostics.map((d) => formatDiagnostic(d)).join("\n"));
}, 120_000);

afterAll(() => {
  rmSync(OUT, { recursive: true, force: true });
  try {
    rmdirSync(path.dirname(OUT));
  } catch {
    // Another run's folder is in it.
  }
});

describe("the restate target's service options, with credentials", () => {
  it("require auth: a service without the credentials its operations need does not compile", () => {
    const consumer = path.join(OUT, "consumer.mts");
    const diagnostics = typeCheckStrictConsumer(
      consumer,
      [
        'import { restateWorkflows, transferWorkflow, type TransferServiceOptions } from "./ledger-transfer/dist/restate.js";',
        "",
        'const servers = { api: { variables: { host: "127.0.0.1:8080", scheme: "http" } } } as const;',
        'const auth = { api: { apiKey: "key", oauth: { clientId: "id", clientSecret: "secret" } } };',
        "export const services = [transferWorkflow({ servers, auth }), transferWorkflow({ auth }), ...restateWorkflows({ auth })];",
        "// @ts-expect-error the options, with auth, are required",
        "transferWorkflow();",
        "// @ts-expect-error the options, with auth, are required",
        "restateWorkflows();",
        "// @ts-expect-error auth is required",
        "transferWorkflow({ servers });",
        "// @ts-expect-error auth.api.oauth is required",
        'transferWorkflow({ auth: { api: { apiKey: "key" } } });',
        "// @ts-expect-error a scheme the server does not list",
        'transferWorkflow({ servers: { api: { variables: { scheme: "ftp" } } }, auth });',
        'type AuthRequired = {} extends Pick<TransferServiceOptions, "auth"> ? false : true;',
        "export const authRequired: AuthRequired = true;",
        "",
      ].join("\n"),
      { node: true },
    );
    expect(diagnostics).toEqual([]);
    // And the error the first `@ts-expect-error` stands for.
    const bare = typeCheckStrictConsumer(consumer, 'import { transferWorkflow } from "./ledger-transfer/dist/restate.js";\ntransferWorkflow();\n', {
      node: true,
    });
    expect(bare).toEqual(["TS2554: Expected 1 arguments, but got 0."]);
  }, 60_000);
});

if (skipReason && process.env.CI) {
  describe("restate target, credentials", () => {
    it("has a restate-server and Node 24 on CI", () => {
      throw new Error(`cannot run the Restate tests on CI: ${skipReason}`);
    });
  });
} else {
  describe.skipIf(skipReason !== undefined)(`restate target, servers and credentials${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
    let server: RestateServer | undefined;
    let service: RestateService | undefined;
    let api: FetchServer | undefined;
    let ingress: clients.Ingress;
    let startTransfer: StartTransfer;
    const received: Received[] = [];
    /** `127.0.0.1:<port>`: the API's address, the `host` variable of the description's server. */
    let apiHost: string;

    const env = (extra: Record<string, string> = {}) => ({
      PACKAGE_DIR,
      API_HOST: apiHost,
      API_KEY: secrets.apiKey,
      CLIENT_ID,
      CLIENT_SECRET: secrets.clientSecret,
      ...extra,
    });
    const logs = () => `--- restate-server ---\n${server?.output() ?? ""}\n--- service ---\n${service?.output() ?? ""}`;
    /** Restarts the service at its registered address with other options (a fresh process: no token cached). */
    const restart = async (extra: Record<string, string> = {}) => {
      const port = service!.port;
      await service!.stop();
      service = await startService(SERVICES, env(extra), port);
    };

    beforeAll(async () => {
      api = await serveFetch(ledgerApi(received));
      apiHost = new URL(api.url).host;
      ({ startTransfer } = (await import(pathToFileURL(path.join(PACKAGE_DIR, "dist", "restate-client.js")).href)) as { startTransfer: StartTransfer });
      server = await startRestate();
      service = await startService(SERVICES, env());
      await register(server.adminUrl, service.url);
      ingress = clients.connect({ url: server.ingressUrl });
    }, 90_000);

    afterAll(async () => {
      try {
        await stopAll(service, server);
      } finally {
        await api?.close();
      }
    });

    /** Rows of an admin SQL query, as the JSON text the admin API answered (binary columns in hex) and parsed. */
    async function sql(query: string): Promise<{ text: string; rows: Record<string, unknown>[] }> {
      const response = await fetch(`${server!.adminUrl}/query`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ query }),
        signal: AbortSignal.timeout(20_000),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${query}: HTTP ${response.status} ${text}`);
      return { text, rows: (JSON.parse(text) as { rows: Record<string, unknown>[] }).rows };
    }

    /**
     * Everything Restate stores, as the admin API answers it: every journal entry (the Input and
     * Output commands too: the invocation's argument and result) with its bytes in hex and as
     * JSON, every invocation's record, every workflow's state and promises, and the entries as
     * `journalEntries` reads them. Only this file's runs are on this server.
     */
    async function everythingStored(): Promise<string> {
      const tables = await Promise.all(["sys_journal", "sys_invocation", "state", "sys_promise"].map((table) => sql(`SELECT * FROM ${table}`)));
      const invocations = tables[1]!.rows.map((row) => String(row.id));
      const entries = await Promise.all(invocations.map((id) => journalEntries(server!.adminUrl, id)));
      return [...tables.map((t) => t.text), ...entries.flat().map((e) => `${e.type} ${e.name} ${e.bytes.toString("hex")}`)].join("\n");
    }

    /** The record of invocation `id`, and its argument and result as journaled (the Input and Output commands' payloads, parsed). */
    async function invocationRecord(id: string): Promise<{ record: Record<string, unknown>; input: unknown; output: unknown }> {
      const { rows } = await sql(`SELECT * FROM sys_invocation WHERE id = '${id}'`);
      const journal = await sql(`SELECT entry_json FROM sys_journal WHERE id = '${id}' ORDER BY index`);
      const commands = journal.rows.map((row) => (JSON.parse(String(row.entry_json)) as { Command?: Record<string, Record<string, unknown>> }).Command);
      const bytes = (list: unknown) => JSON.parse(Buffer.from(list as number[]).toString()) as unknown;
      const input = commands.find((c) => c?.Input)?.Input;
      const output = commands.find((c) => c?.Output)?.Output?.result as { Success?: number[]; Failure?: unknown } | undefined;
      expect(rows).toHaveLength(1);
      return { record: rows[0]!, input: input && bytes(input.payload), output: output?.Success ? bytes(output.Success) : output?.Failure };
    }

    /** The error the run `started` ends with; a failure of the test when it succeeds, or is still going after 15 s (Restate retrying it). */
    async function failureOf(started: Awaited<ReturnType<StartTransfer>>): Promise<Error> {
      const waiting = new AbortController();
      const outcome = await Promise.race([
        started.output().then(
          (outputs) => ({ outputs }),
          (error: unknown) => ({ error: error as Error }),
        ),
        sleep(15_000, undefined, { signal: waiting.signal }).catch(() => undefined),
      ]);
      waiting.abort();
      if (outcome === undefined) {
        const { record } = await invocationRecord(started.invocationId);
        throw new Error(`the invocation has not ended after 15 s: ${JSON.stringify(record)}\n${logs()}`);
      }
      if ("outputs" in outcome) throw new Error(`the run succeeded: ${JSON.stringify(outcome.outputs)}`);
      return outcome.error;
    }

    it("runs the workflow with the servers and credentials of the service: the URLs its variables make, the API key, the fetched tokens", async () => {
      received.length = 0;
      const inputs = { accountId: "acc-8f3e2a", to: "acc-recipient-51", amount: 4200 };
      const started = await startTransfer(ingress, "transfer-1", inputs);
      const outputs = await started.output().catch((error: unknown) => {
        throw new Error(`${String(error)}\n${logs()}`);
      });
      expect(outputs).toEqual({ balanceBefore: 1200, transferId: "tr-1", status: "settled" });

      // `{scheme}://{host}/v1` with the service's variables; the token URL `/oauth/token` resolved against it.
      const base = `http://${apiHost}`;
      expect(received.map((r) => `${r.method} ${r.url}`)).toEqual([
        `GET ${base}/v1/accounts/acc-8f3e2a`,
        `POST ${base}/oauth/token`,
        `POST ${base}/v1/accounts/acc-8f3e2a/transfers`,
        `POST ${base}/oauth/token`,
        `GET ${base}/v1/transfers/tr-1`,
      ]);
      const [account, writeGrant, transfer, readGrant, read] = received;
      // getAccount: the API key only.
      expect([account!.apiKey, account!.authorization]).toEqual([secrets.apiKey, null]);
      // The token requests: client credentials with HTTP Basic, the scopes each requirement names.
      expect(writeGrant).toMatchObject({
        authorization: basic(secrets.clientSecret),
        apiKey: null,
        form: { grant_type: "client_credentials", scope: "ledger:write" },
      });
      expect(readGrant).toMatchObject({
        authorization: basic(secrets.clientSecret),
        apiKey: null,
        form: { grant_type: "client_credentials", scope: "ledger:read" },
      });
      // createTransfer: the ledger:write token only; getTransfer (one requirement, two schemes): the API key and the ledger:read token.
      expect([transfer!.apiKey, transfer!.authorization]).toEqual([null, `Bearer ${secrets.writeToken}`]);
      expect([read!.apiKey, read!.authorization]).toEqual([secrets.apiKey, `Bearer ${secrets.readToken}`]);

      // What Restate stores: the inputs and outputs and the steps' outputs later steps read, no secret.
      const { record, input, output } = await invocationRecord(started.invocationId);
      expect(record).toMatchObject({ status: "completed", completion_result: "success" });
      expect(input).toEqual(inputs);
      expect(output).toEqual(outputs);
      const everything = await everythingStored();
      expect(secretsIn(everything)).toEqual([]);
      expect(secretsIn(logs())).toEqual([]);
      // The search looks where values are: a step's journaled output is found, in hex (the entry's bytes) and as a list of byte values (its JSON).
      const journaled = forms('{"value":{"transferId":"tr-1"}}');
      expect(journaled.filter((form) => everything.includes(form))).toEqual([journaled[2], journaled[4]]);
      const entries = await journalEntries(server!.adminUrl, started.invocationId);
      expect(entries.filter((e) => e.type === "Command: Run").map((e) => e.name)).toEqual(["readAccount", "createTransfer", "readTransfer"]);
    }, 60_000);

    it("ends the invocation with a terminal error naming the token endpoint when it refuses the client, with no secret anywhere", async () => {
      await restart({ CLIENT_SECRET: secrets.wrongSecret });
      try {
        received.length = 0;
        const started = await startTransfer(ingress, "transfer-refused-1", { accountId: "acc-8f3e2a", to: "acc-recipient-51", amount: 10 });
        const error = await failureOf(started);
        const tokenUrl = `http://${apiHost}/oauth/token`;
        expect(error.message).toContain("workflow `transfer`, step `createTransfer`");
        expect(error.message).toContain(`the token endpoint ${tokenUrl} answered HTTP 401 (invalid_client)`);
        expect(secretsIn(`${error.message}\n${error.stack}\n${JSON.stringify(error)}`)).toEqual([]);

        // Not retried: the API key step, one token request, never the transfer; also a while later
        // (Restate's retry interval here is 100 ms to 1 s: a retried invocation would have asked again).
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        expect(received.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual(["GET /v1/accounts/acc-8f3e2a", "POST /oauth/token"]);
        expect(received[1]!.authorization).toBe(basic(secrets.wrongSecret));

        // Failed for good in its first attempt: the failure is its result, the message Restate keeps the same.
        const { record, output } = await invocationRecord(started.invocationId);
        expect(record).toMatchObject({ status: "completed", completion_result: "failure" });
        expect(String(record.completion_failure)).toContain(`the token endpoint ${tokenUrl} answered HTTP 401 (invalid_client)`);
        expect(error.message).toContain((output as { message: string }).message);
        expect(secretsIn(await everythingStored())).toEqual([]);
        expect(secretsIn(logs())).toEqual([]);
      } finally {
        await restart();
      }
    }, 60_000);

    it("ends the invocation with a terminal error when the servers option gives a variable a value its description does not allow, before any request", async () => {
      // From JavaScript: the type allows only "https" | "http".
      await restart({ API_SCHEME: "ftp" });
      try {
        received.length = 0;
        const started = await startTransfer(ingress, "transfer-config-1", { accountId: "acc-8f3e2a", to: "acc-recipient-51", amount: 10 });
        const error = await failureOf(started);
        const message = 'source `api`: `options.servers.api.variables.scheme` must be one of "https", "http"';
        // The ingress client's message holds the failure as Restate answered it: JSON.
        expect(error.message).toContain(JSON.stringify({ message }).slice(1, -1));
        // Not retried: no step ran, nothing was sent, also a while later.
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        expect(received).toEqual([]);
        const { record, output } = await invocationRecord(started.invocationId);
        expect(record).toMatchObject({ status: "completed", completion_result: "failure" });
        expect(output).toMatchObject({ message });
        const entries = await journalEntries(server!.adminUrl, started.invocationId);
        expect(entries.map((e) => e.type)).toEqual(["Command: Input", "Command: Output"]);
        expect(secretsIn(await everythingStored())).toEqual([]);
      } finally {
        await restart();
      }
    }, 60_000);
  });
}
