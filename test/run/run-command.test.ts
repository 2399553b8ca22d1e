/**
 * `arazzo-ts run` (issue 21) end to end, in-process (`runCommand`, what `arazzo-ts run` calls):
 * the Fintecture seed and poll workflows on their packages' own mocks and over loopback HTTP
 * against a node:http server of the Fintecture APIs built from their OpenAPI documents
 * (test/mocks/openapi-mock.ts), with inputs from the environment; the lines it prints, the JSON
 * and JUnit reports, exit codes, and what it does with secrets and with bad input.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { runCommand } from "../../generator/run/command.ts";
import type { RunIo } from "../../generator/run/io.ts";
import type { RunReport } from "../../generator/run/report.ts";
import { type FetchServer, serveFetch } from "../helpers/fetch-server.ts";
import { createOpenApiMock, type MockOverride } from "../mocks/openapi-mock.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const ARAZZO = (name: string) => `specs/fintecture/arazzo/fintecture-${name}-workflow.yml`;
const OPENAPI = (api: string) => path.join(ROOT, `specs/fintecture/openapi/fintecture-${api}-api-openapi.yml`);
const SECRET = "ft-client-secret-5c1f7a9e";
const TOKEN = "at-9d4e2b7c1a6f3e8d";
const OUT = mkdtempSync(path.join(import.meta.dirname, ".out-run-"));
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

/** Runs `arazzo-ts run <args>` in the repository; what it printed and its exit code. */
async function run(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: RunIo = {
    out: (text) => {
      out += text;
    },
    err: (line) => {
      err += `${line}\n`;
    },
    cwd: ROOT,
    tty: false,
    env,
  };
  const code = await runCommand(args, io);
  return { code, out, err };
}

/** A loopback server of the Fintecture APIs, its answers overridable per operation. */
let server: FetchServer;
let mock: ReturnType<typeof createOpenApiMock>;
let overrides: Record<string, MockOverride> = {};
beforeAll(async () => {
  server = await serveFetch((request) => mock.fetch(request));
});
afterAll(() => server?.close());
afterEach(() => {
  overrides = {};
});
function answering(with_: Record<string, MockOverride>): void {
  overrides = with_;
  // Signature, Digest and Date, which Fintecture requires, need a middleware: not checked here.
  mock = createOpenApiMock({ documents: [OPENAPI("oauth"), OPENAPI("pis")], baseUrl: server.url, overrides, validate: false });
}

const seedInputs = [
  "--input",
  "clientId=app-1",
  "--input",
  "clientSecret=env:FT_SECRET",
  "--input",
  "amount=12.34",
  "--input",
  "currency=EUR",
  "--input",
  "communication=Order 42",
  "--input",
  "requestId=6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b",
];
const servers = () => ["--server", `oauthApi=${server.url}`, "--server", `pisApi=${server.url}`];

describe("the seed", () => {
  test("on its package's mocks: a line per step, the outputs, exit 0", async () => {
    const { code, out, err } = await run([ARAZZO("token-then-payment"), "--mock"]);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toMatch(/▶ token-then-payment\n/);
    expect(out).toMatch(/mintToken +POST +\/oauth\/accesstoken +200 +\d+ ms +→ next\n/);
    expect(out).toMatch(/getPayment +GET +\/pis\/v2\/payments\/\{payment_id\} \(payment_id=\S+\) +200 +\d+ ms +→ end\n/);
    expect(out).toMatch(/✓ token-then-payment passed in .*: 3 step\(s\), 3 request\(s\)\n {4}outputs: \{"accessToken":"\[masked\]"/);
    expect(out).toContain("1 workflow(s) passed, 0 failed (3 steps, 3 requests)");
  }, 60_000);

  test("as a process (`node generator/bin.js run`): the same lines on stdout, and its exit code", () => {
    const ran = spawnSync(process.execPath, [path.join(ROOT, "generator/bin.js"), "run", ARAZZO("token-then-payment"), "--mock"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(ran.stderr).toBe("");
    expect(ran.status).toBe(0);
    expect(ran.stdout).toMatch(/mintToken +POST +\/oauth\/accesstoken +200 +\d+ ms +→ next\n/);
    expect(ran.stdout.trimEnd()).toMatch(/\n1 workflow\(s\) passed, 0 failed \(3 steps, 3 requests\) in \d[\d.]* m?s$/);
    const failed = spawnSync(process.execPath, [path.join(ROOT, "generator/bin.js"), "run", ARAZZO("token-then-payment"), "--mock", "--workflow", "nope"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(failed.status).toBe(2);
    expect(failed.stderr).toContain("error: there is no workflow `nope`");
  }, 60_000);

  test("writes reports into folders it makes; a report it cannot write is an error and exit 1", async () => {
    const nested = path.join(OUT, "reports/nested/run.json");
    const written = await run([ARAZZO("token-then-payment"), "--mock", "--quiet", "--report", `json=${nested}`]);
    expect(written.err).toBe("");
    expect(written.code).toBe(0);
    expect(JSON.parse(readFileSync(nested, "utf8"))).toMatchObject({ summary: { workflows: { passed: 1, failed: 0 } } });
    // A folder where the file should be: the runs passed, the report is missing, so the command fails.
    const blocked = await run([ARAZZO("token-then-payment"), "--mock", "--quiet", "--report", `json=${path.join(OUT, "reports")}`]);
    expect(blocked.err).toBe(`error: cannot write the json report ${path.relative(ROOT, path.join(OUT, "reports"))}: EISDIR\n`);
    expect(blocked.code).toBe(1);
  }, 60_000);

  test("against a loopback server, its client secret read from the environment and masked everywhere", async () => {
    answering({ createAccessToken: { body: { access_token: TOKEN, token_type: "Bearer", expires_in: 3600 } } });
    const json = path.join(OUT, "seed.json");
    const { code, out, err } = await run([ARAZZO("token-then-payment"), ...seedInputs, ...servers(), "--report", `json=${json}`], { FT_SECRET: SECRET });
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(mock.requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
      "POST /oauth/accesstoken",
      "POST /pis/v2/connect",
      "GET /pis/v2/payments/session-0001",
    ]);
    // The secret went to the server, and nowhere else.
    expect(mock.requests[0]!.body).toContain(`client_secret=${SECRET}`);
    expect(mock.requests[1]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const report = readFileSync(json, "utf8");
    for (const text of [out, report]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(TOKEN);
    }
    const parsed = JSON.parse(report) as RunReport;
    const schema = JSON.parse(readFileSync(path.join(ROOT, "generator/run/run-report.schema.json"), "utf8"));
    const validate = new Ajv2020({ strict: true, allErrors: true, validateFormats: false }).compile(schema);
    expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true);
    const steps = parsed.documents[0]!.workflows[0]!.steps;
    expect(steps.map((s) => [s.stepId, s.outcome, s.transition.type])).toEqual([
      ["mintToken", "success", "next"],
      ["createPayment", "success", "next"],
      ["getPayment", "success", "end"],
    ]);
    expect(steps[0]!.exchanges[0]!.request.body?.text).toContain("client_secret=[masked]");
    expect(steps[1]!.exchanges[0]!.request.headers.find((h) => h.name === "authorization")?.value).toBe("[masked]");
    expect(steps[2]!.operation).toEqual({ method: "GET", path: "/pis/v2/payments/{payment_id}", pathParameters: { payment_id: "session-0001" } });
    expect(steps[0]!.criteria).toEqual([{ kind: "success", text: "$statusCode == 200", result: true }]);
  }, 60_000);

  test("`--no-secrets-masking` prints them as they are", async () => {
    answering({ createAccessToken: { body: { access_token: TOKEN, token_type: "Bearer", expires_in: 3600 } } });
    const { code, out } = await run([ARAZZO("token-then-payment"), ...seedInputs, ...servers(), "--no-secrets-masking"], { FT_SECRET: SECRET });
    expect(code).toBe(0);
    expect(out).toContain(`"accessToken":"${TOKEN}"`);
  }, 60_000);
});

describe("the poll workflow", () => {
  const pending = { patch: { status: "payment_pending" } };
  const inputs = [
    "--input",
    "accessToken=env:FT_TOKEN",
    "--input",
    "amount=49.90",
    "--input",
    "currency=EUR",
    "--input",
    "communication=Order 7",
    "--input",
    "requestId=6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b",
  ];

  test("shows its polls and the waits between them; the report has each attempt", async () => {
    answering({ getPaymentSession: [pending, pending, { patch: { status: "payment_completed" } }] });
    const json = path.join(OUT, "poll.json");
    const { code, out } = await run(
      [ARAZZO("payment-status-poll"), ...inputs, "--server", `pisApi=${server.url}`, "--poll-delay", "60ms", "--report", `json=${json}`],
      {
        FT_TOKEN: TOKEN,
      },
    );
    expect(code).toBe(0);
    expect(out.match(/pollPayment.* → goto pollPayment \(stillPending\), waiting 60 ms\n/g)).toHaveLength(2);
    expect(out).toMatch(/pollPayment #3 +GET .* 200 +\d+ ms +→ end \(paymentSettled\)\n/);
    const report = JSON.parse(readFileSync(json, "utf8")) as RunReport;
    const polls = report.documents[0]!.workflows[0]!.steps.filter((s) => s.stepId === "pollPayment");
    expect(polls.map((s) => [s.attempt, s.transition])).toEqual([
      [1, { type: "goto", action: "stillPending", to: "pollPayment", waitMs: 60 }],
      [2, { type: "goto", action: "stillPending", to: "pollPayment", waitMs: 60 }],
      [3, { type: "end", action: "paymentSettled" }],
    ]);
    // The action that applied had its criterion hold; those before it did not; those after were not evaluated.
    expect(polls[0]!.criteria.map((c) => [c.action, c.result])).toEqual([
      [undefined, true],
      ["paymentSettled", false],
      ["paymentFailed", false],
      ["stillPending", true],
    ]);
    expect(readFileSync(json, "utf8")).not.toContain(TOKEN);
  }, 60_000);
});

describe("a failing run", () => {
  test("exits 1, names the step, and its JUnit report names the step, the reason and the status", async () => {
    answering({ createPisV2Connect: { status: 400, body: { errors: [{ code: "invalid_amount" }] } } });
    const junit = path.join(OUT, "failing.xml");
    const { code, out } = await run([ARAZZO("token-then-payment"), ...seedInputs, ...servers(), "--report", `junit=${junit}`], { FT_SECRET: SECRET });
    expect(code).toBe(1);
    expect(out).toMatch(/createPayment +POST +\/pis\/v2\/connect +400 .*→ failed\n/);
    expect(out).toContain("✗ token-then-payment failed");
    expect(out).toContain("workflow `token-then-payment`, step `createPayment`: success criterion `$statusCode == 200` not met (HTTP 400)");
    expect(out).toContain("0 workflow(s) passed, 1 failed");
    const xml = readFileSync(junit, "utf8");
    expect(xml).toMatch(/<testcase [^>]*name="token-then-payment"/);
    expect(xml).toMatch(/<failure [^>]*createPayment[^>]*>/);
    expect(xml).toContain("criteria");
    expect(xml).toContain("400");
    expect(xml).not.toContain(SECRET);
  }, 60_000);

  test("`--quiet` prints the failure only", async () => {
    answering({ createPisV2Connect: { status: 400, body: {} } });
    const failing = await run([ARAZZO("token-then-payment"), ...seedInputs, ...servers(), "--quiet"], { FT_SECRET: SECRET });
    expect(failing.code).toBe(1);
    expect(failing.out).toContain("✗ token-then-payment failed");
    // The failing workflow's lines, under its document's.
    expect(failing.out.startsWith(`${ARAZZO("token-then-payment")}\n  ▶ token-then-payment\n    mintToken `)).toBe(true);
    answering({});
    const passing = await run([ARAZZO("token-then-payment"), "--mock", "--quiet"]);
    expect(passing).toEqual({ code: 0, out: "", err: "" });
  }, 60_000);
});

describe("what it refuses, before anything runs (exit 2)", () => {
  test("inputs that do not fit: every problem at once, nothing sent", async () => {
    answering({});
    const { code, err } = await run([ARAZZO("token-then-payment"), "--input", "amount=12", "--input", "curency=EUR", ...servers()]);
    expect(code).toBe(2);
    expect(err).toContain("error: --input curency: no workflow run here has an input `curency` (did you mean `currency`?)");
    expect(err).toContain("error: workflow `token-then-payment`: input `clientId` is required (--input or --inputs)");
    expect(err).toContain("error: workflow `token-then-payment`: input `requestId` is required (--input or --inputs)");
    expect(err).toContain("nothing was run");
    expect(mock.requests).toEqual([]);
  }, 60_000);

  test("an environment variable that is not set, an unknown source or scheme, an unknown workflow", async () => {
    const missing = await run([ARAZZO("token-then-payment"), "--mock", "--input", "clientSecret=env:NOT_SET_ANYWHERE"]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("error: --input clientSecret: environment variable NOT_SET_ANYWHERE is not set");
    const source = await run([ARAZZO("token-then-payment"), "--mock", "--server", "pisAPI=http://127.0.0.1:1", "--auth", "pisApi.Bearer=x"]);
    expect(source.code).toBe(2);
    expect(source.err).toContain("error: --server pisAPI: no source description `pisAPI` (did you mean `pisApi`?)");
    expect(source.err).toContain("error: --auth pisApi.Bearer: `pisApi` has no security scheme `Bearer`; it has `BearerAuth`");
    const workflow = await run([ARAZZO("token-then-payment"), "--mock", "--workflow", "token-then-paymnt", "--skip", "other"]);
    expect(workflow.code).toBe(2);
    expect(workflow.err).toContain("error: there is no workflow `token-then-paymnt` (did you mean `token-then-payment`?), `other`");
    const none = await run([ARAZZO("token-then-payment"), "--mock", "--workflow", "token-then-payment", "--skip", "token-then-payment"]);
    expect(none.code).toBe(2);
    expect(none.err).toContain("error: no workflow left to run");
    // Limits are checked before anything is generated.
    const limits = await run(["no-such-file.arazzo.yaml", "--timeout", "0", "--max-steps", "many"]);
    expect(limits.code).toBe(2);
    expect(limits.err).toContain(
      'error: --timeout takes a duration above 0 (250, 250ms, 1.5s), not "0"\nerror: --max-steps takes a whole number above 0, not "many"',
    );
  }, 60_000);
});

describe("secrets, in every report", () => {
  // A passphrase a form encodes (`+`, `%7E`, `%21`, `%28`), and tokens a response hands on in
  // fields and headers of no standard name: none may be in what `run` prints or writes.
  const PASSPHRASE = "my pass~word!(1)";
  const AUTH_TOKEN = "auth-token-3b9f1e77c2";
  const SESSION_KEY = "session-key-8c2d4a19";
  const forms = (secret: string) => [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
  ];

  test("a form-encoded passphrase from the environment, a token and a session key in custom fields and headers", async () => {
    const seen: { form?: string; authorization?: string | null; session?: string | null } = {};
    const api = await serveFetch(async (request) => {
      const url = new URL(request.url);
      if (request.method === "POST" && url.pathname === "/login") {
        seen.form = await request.text();
        return Response.json({ authToken: AUTH_TOKEN, sessionKey: SESSION_KEY });
      }
      if (url.pathname === "/profile") {
        seen.authorization = request.headers.get("authorization");
        seen.session = request.headers.get("x-session");
        return Response.json({ name: "Alice" });
      }
      return new Response(null, { status: 404 });
    });
    try {
      const reports = ["json", "junit", "har", "html"].map((kind) => [kind, path.join(OUT, `secrets.${kind}`)] as const);
      const { code, out, err } = await run(
        [
          "test/run/fixtures/secrets/session.arazzo.yaml",
          "--server",
          `sessions=${api.url}`,
          "--input",
          "username=alice",
          "--input",
          "passphrase=env:PASSPHRASE",
          ...reports.flatMap(([kind, file]) => ["--report", `${kind}=${file}`]),
        ],
        { PASSPHRASE },
      );
      expect(err).toBe("");
      expect(code).toBe(0);
      // They were sent as they are...
      expect(new URLSearchParams(seen.form).get("passphrase")).toBe(PASSPHRASE);
      expect(seen).toMatchObject({ authorization: `Bearer ${AUTH_TOKEN}`, session: SESSION_KEY });
      // ...and are nowhere in what run printed or wrote, in any encoding.
      for (const [what, text] of [["stdout", out], ...reports.map(([kind, file]) => [kind, readFileSync(file, "utf8")] as const)]) {
        for (const secret of [PASSPHRASE, AUTH_TOKEN, SESSION_KEY]) for (const form of forms(secret)) expect(text, `${what} holds ${form}`).not.toContain(form);
        if (what !== "junit") expect(text, what).toContain("[masked]");
      }
      expect(out).toMatch(/outputs: \{"name":"Alice","authToken":"\[masked\]"\}/);
    } finally {
      await api.close();
    }
  }, 60_000);
});
