/**
 * The restate target (`--target restate`) as generated code: the package layout, the step
 * code shared with the plain target (not forked), what each step journals, the in-process
 * default of `run<Workflow>`, and the errors for what it cannot run. Against a real Restate
 * server: test/restate/fintecture.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { main } from "../../generator/cli.ts";
import { generate } from "../../generator/generate.ts";
import { findScenario, fakeSigning } from "../mocks/fintecture-scenarios.ts";
import { createOpenApiMock } from "../mocks/openapi-mock.ts";

const root = path.join(import.meta.dirname, "../..");
const seedDoc = path.join(root, "specs/fintecture/arazzo/fintecture-token-then-payment-workflow.yml");
const pollDoc = path.join(root, "specs/fintecture/arazzo/fintecture-payment-status-poll-workflow.yml");
const tmp = mkdtempSync(path.join(tmpdir(), "arazzo-ts-restate-target-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const fileOf = (result: Awaited<ReturnType<typeof generate>>, file: string) => {
  const text = result.packages[0]?.files.find((f) => f.path === file)?.text;
  if (text === undefined) throw new Error(`no ${file}; diagnostics: ${JSON.stringify(result.diagnostics)}`);
  return text;
};

/** The top-level functions of a module whose names end in `Step`, by name, as printed. */
function stepFunctions(module: string): Map<string, string> {
  const functions = new Map<string, string>();
  for (const match of module.matchAll(/^(?:\/\*\*(?:(?!\*\/)[\s\S])*\*\/\n)?async function (\w+Step)\([\s\S]*?\n}\n/gm)) functions.set(match[1]!, match[0]);
  return functions;
}

describe("the package", () => {
  test("is the plain package plus <package>/restate and <package>/restate/client, on Node 22+", async () => {
    const plain = await generate({ inputs: [seedDoc], outDir: tmp, write: false });
    const durable = await generate({ inputs: [seedDoc], outDir: tmp, write: false, target: "restate" });
    expect(durable.ok).toBe(true);
    const plainFiles = new Set(plain.packages[0]!.files.map((f) => f.path));
    const added = durable.packages[0]!.files.map((f) => f.path).filter((f) => !plainFiles.has(f));
    expect(added.filter((f) => f.startsWith("src/")).sort()).toEqual(["src/durable.ts", "src/restate-client.ts", "src/restate.ts", "src/runtime-restate.ts"]);
    expect(durable.packages[0]!.files.map((f) => f.path)).toEqual(expect.arrayContaining([...plainFiles]));

    const manifest = JSON.parse(fileOf(durable, "package.json")) as {
      exports: Record<string, { types: string; import: string }>;
      dependencies: Record<string, string>;
      engines: { node: string };
    };
    expect(manifest.exports["./restate"]).toMatchObject({ types: "./dist/restate.d.ts", import: "./dist/restate.js" });
    expect(manifest.exports["./restate/client"]).toMatchObject({ types: "./dist/restate-client.d.ts", import: "./dist/restate-client.js" });
    expect(Object.keys(manifest.dependencies)).toEqual(expect.arrayContaining(["@restatedev/restate-sdk", "@restatedev/restate-sdk-clients", "openapi-fetch"]));
    expect(manifest.engines.node).toBe(">=22");
    expect(fileOf(durable, "README.md")).toContain("## Durable execution on Restate");
    expect(fileOf(plain, "README.md")).not.toContain("Restate");
    expect(JSON.parse(fileOf(plain, "package.json")).exports["./restate"]).toBeUndefined();
  });

  test.each([
    ["straight-line", seedDoc, "src/token-then-payment.ts"],
    ["with actions", pollDoc, "src/payment-status-poll.ts"],
  ])("%s: the step functions are the plain target's, byte for byte", async (_, doc, module) => {
    const plain = stepFunctions(fileOf(await generate({ inputs: [doc], outDir: tmp, write: false }), module));
    const durable = stepFunctions(fileOf(await generate({ inputs: [doc], outDir: tmp, write: false, target: "restate" }), module));
    expect(plain.size).toBeGreaterThanOrEqual(3);
    expect(durable).toEqual(plain);
  });

  test("each operation step is one journaled unit keeping the outputs later steps or the workflow's outputs read", async () => {
    const seed = fileOf(await generate({ inputs: [seedDoc], outDir: tmp, write: false, target: "restate" }), "src/token-then-payment.ts");
    // `expiresIn` is read by nothing: not journaled. `connectUrl` is a workflow output: journaled.
    // The step's span is made inside the journaled unit: not again when a replay returns its recorded result.
    expect(seed).toMatch(
      /journal\.step\(\s*"mintToken",\s*\(\) => run\.telemetry\.step\("mintToken", \(\) => mintTokenStep\(run, inputs\)\),\s*\{\s*keep: \["accessToken"\],\s*outcome: false,?\s*\},?\s*\)/,
    );
    expect(seed).toMatch(/journal\.step\(\s*"createPayment",[\s\S]*?\{\s*keep: \["sessionId", "connectUrl"\],\s*outcome: false,?\s*\}/);
    expect(seed).toContain("journal: Journal = inProcess");
    const poll = fileOf(await generate({ inputs: [pollDoc], outDir: tmp, write: false, target: "restate" }), "src/payment-status-poll.ts");
    expect(poll).toMatch(/new WorkflowRun<PaymentStatusPollStepId>\("payment-status-poll", options, \{\s*sleep: journal\.sleep,\s*telemetry,?\s*\}\)/);
    expect(poll).toContain("}, journal.attempt);");
    expect(poll).toMatch(/journal\.step\(\s*"pollPayment",[\s\S]*?\{\s*keep: \["status"\],\s*outcome: true,?\s*\}/);
    expect(poll).toContain("export type PaymentStatusPollStepId =");
  });
});

describe("run<Workflow> of a restate package, without a journal", () => {
  test("runs in process like the plain function (generated/restate/)", async () => {
    const scenario = findScenario("payment-status-poll")!;
    const dir = path.join(root, "generated/restate/fintecture-payment-status-poll-workflow");
    const entry = (await import(pathToFileURL(path.join(dir, "dist/index.js")).href)) as {
      runPaymentStatusPoll: (inputs: unknown, options: object) => Promise<unknown>;
    };
    const reference = createOpenApiMock({ documents: scenario.documents, overrides: scenario.main.overrides });
    const mock = createOpenApiMock({ documents: scenario.documents, overrides: scenario.main.overrides });
    const expected = await scenario.run({ fetch: reference.fetch, middleware: [fakeSigning] });
    const started = performance.now();
    const outputs = await entry.runPaymentStatusPoll(scenario.inputs, { fetch: mock.fetch, middleware: [fakeSigning], pollDelayMs: 50 });
    expect(outputs).toEqual(expected);
    expect(mock.requests.map((r) => `${r.method} ${r.url}`)).toEqual(reference.requests.map((r) => `${r.method} ${r.url}`));
    // Two polls went back to `pollPayment`, each after `pollDelayMs`.
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
  });
});

describe("what the restate target does not run", () => {
  test("a message step: restate-unsupported at the step", async () => {
    const doc = path.join(root, "specs/examples/order-events/order-events.arazzo.yaml");
    const result = await generate({ inputs: [doc], outDir: tmp, write: false, target: "restate" });
    expect(result.ok).toBe(false);
    const errors = result.diagnostics.filter((d) => d.code === "restate-unsupported");
    expect(errors.map((d) => d.message)).toEqual([
      expect.stringContaining("step `requestConfirmation` is a message step"),
      expect.stringContaining("step `awaitConfirmation` is a message step"),
    ]);
    const lines = readFileSync(doc, "utf8").split("\n");
    expect(lines[errors[0]!.line! - 1]).toContain("stepId: requestConfirmation");
    expect(errors[0]!.hint).toContain("openapi-fetch target");
    // The plain target generates it.
    expect((await generate({ inputs: [doc], outDir: tmp, write: false })).ok).toBe(true);
  });

  test("an operation step's action that runs a workflow: restate-unsupported at the action", async () => {
    const dir = mkdtempSync(path.join(tmp, "goto-workflow-"));
    const file = path.join(dir, "goto-workflow.arazzo.yaml");
    writeFileSync(
      file,
      [
        "arazzo: 1.0.1",
        "info: { title: goto a workflow, version: 1.0.0 }",
        "sourceDescriptions:",
        `  - { name: api, url: ${JSON.stringify(path.join(root, "test/conformance/_shared/api.openapi.yaml"))}, type: openapi }`,
        "workflows:",
        "  - workflowId: main",
        "    steps:",
        "      - stepId: read",
        "        operationId: getItem",
        "        parameters: [{ name: id, in: path, value: a }]",
        "        onSuccess:",
        "          - { name: handOver, type: goto, workflowId: other }",
        "  - workflowId: other",
        "    steps:",
        "      - stepId: again",
        "        operationId: getItem",
        "        parameters: [{ name: id, in: path, value: b }]",
        "",
      ].join("\n"),
    );
    const result = await generate({ inputs: [file], outDir: dir, write: false, target: "restate" });
    const error = result.diagnostics.find((d) => d.code === "restate-unsupported");
    expect(error?.message).toBe("action `handOver` of step `read` runs workflow `other` from an operation step, which the restate target cannot journal");
    expect(error?.line).toBe(12);
    expect((await generate({ inputs: [file], outDir: dir, write: false })).ok).toBe(true);
  });

  test("a workflow step with a timeout: restate-unsupported at the step", async () => {
    const dir = mkdtempSync(path.join(tmp, "timeout-"));
    const file = path.join(dir, "timeout.arazzo.yaml");
    writeFileSync(
      file,
      [
        "arazzo: 1.1.0",
        "info: { title: a called workflow within a timeout, version: 1.0.0 }",
        "sourceDescriptions:",
        `  - { name: api, url: ${JSON.stringify(path.join(root, "test/conformance/_shared/api.openapi.yaml"))}, type: openapi }`,
        "workflows:",
        "  - workflowId: main",
        "    steps:",
        "      - stepId: callOther",
        "        workflowId: other",
        "        timeout: 5000",
        "  - workflowId: other",
        "    steps:",
        "      - stepId: read",
        "        operationId: getItem",
        "        parameters: [{ name: id, in: path, value: b }]",
        "",
      ].join("\n"),
    );
    const result = await generate({ inputs: [file], outDir: dir, write: false, target: "restate" });
    const error = result.diagnostics.find((d) => d.code === "restate-unsupported");
    expect(error?.message).toContain("step `callOther` runs workflow `other` within a `timeout`");
    expect(error?.line).toBe(8);
    expect((await generate({ inputs: [file], outDir: dir, write: false })).ok).toBe(true);
  });
});

describe("names and reads a journal must get right", () => {
  test("outputs read only by criteria, actions or outputs are journaled; generated names meet none of the target's", async () => {
    const dir = mkdtempSync(path.join(tmp, "edges-"));
    const file = path.join(dir, "edges.arazzo.yaml");
    const api = JSON.stringify(path.join(root, "test/conformance/_shared/api.openapi.yaml"));
    const workflow = (id: string) => [
      `  - workflowId: ${id}`,
      "    steps:",
      "      - stepId: journal",
      "        operationId: getItem",
      "        parameters: [{ name: id, in: path, value: a }]",
      "        outputs: { name: $response.body#/name, count: $response.body#/count, price: $response.body#/price, unread: $response.body#/active }",
      "      - stepId: check",
      "        operationId: getItem",
      "        parameters: [{ name: id, in: path, value: b }]",
      "        successCriteria:",
      "          - condition: $steps.journal.outputs.name == 'widget'",
      "        outputs: { copied: $steps.journal.outputs.count }",
      "        onSuccess:",
      "          - name: done",
      "            type: end",
      "            criteria: [{ condition: $steps.journal.outputs.price > 1 }]",
      "    outputs: { copied: $steps.check.outputs.copied }",
    ];
    writeFileSync(
      file,
      [
        "arazzo: 1.0.1",
        "info: { title: edges, version: 1.0.0 }",
        "sourceDescriptions:",
        `  - { name: api, url: ${api}, type: openapi }`,
        "workflows:",
        ...["restate", "durable", "pay", "pay-service", "3ds-challenge", "restate-client", "w-3ds-challenge", "openapi"].flatMap(workflow),
        "",
      ].join("\n"),
    );
    const result = await generate({ inputs: [file], outDir: dir, write: false, target: "restate" });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.ok).toBe(true);
    // Read by a criterion, an output and an action's criterion of the next step: journaled; `unread` is not.
    const module = fileOf(result, "src/restate-workflow.ts");
    expect(module).toMatch(/journal\.step\("journal", [\s\S]*?keep: \["name", "count", "price"\]/);
    // A Restate service name starts with a letter, and not with `restate`; `openapi` is Restate's.
    // A valid id keeps its name (`w-3ds-challenge`); the one mapped onto it gets a number.
    const renamed = result.diagnostics.filter((d) => d.code === "restate-service-name").map((d) => /served as Restate service `([^`]+)`/.exec(d.message)?.[1]);
    expect(renamed).toEqual(["w-restate", "w-3ds-challenge-2", "w-restate-client", "w-openapi"]);
    const services = [...fileOf(result, "src/restate.ts").matchAll(/^ {4}name: "([^"]+)"/gm)].map((m) => m[1]);
    expect(services).toEqual(["w-restate", "durable", "pay", "pay-service", "w-3ds-challenge-2", "w-restate-client", "w-3ds-challenge", "w-openapi"]);
    expect(fileOf(result, "src/restate-client.ts")).toContain('{ name: "w-3ds-challenge-2" }');
  });

  test("the journal's record of a run's steps matches what the steps read", async () => {
    // In process with a journal that keeps only `keep`, as Restate's does: the run must not miss what it reads.
    const dir = path.join(root, "generated/restate/fintecture-payment-status-poll-workflow");
    const { runPaymentStatusPoll } = (await import(pathToFileURL(path.join(dir, "dist/index.js")).href)) as {
      runPaymentStatusPoll: (inputs: unknown, options: object, journal: object) => Promise<unknown>;
    };
    const { recordedResult } = (await import(pathToFileURL(path.join(dir, "dist/durable.js")).href)) as {
      recordedResult: (value: unknown, record: object) => unknown;
    };
    const recorded: { stepId: string; value: unknown }[] = [];
    const narrowing = {
      async step(stepId: string, run: () => Promise<unknown>, record: object) {
        const value = JSON.parse(JSON.stringify(recordedResult(await run(), record)));
        recorded.push({ stepId, value });
        return value;
      },
      sleep: async () => undefined,
      within: () => narrowing,
    };
    const scenario = findScenario("payment-status-poll")!;
    const mock = createOpenApiMock({ documents: scenario.documents, overrides: scenario.main.overrides });
    const outputs = await runPaymentStatusPoll(scenario.inputs, { fetch: mock.fetch, middleware: [fakeSigning] }, narrowing);
    expect(outputs).toEqual(scenario.main.outputs);
    expect(recorded.map((r) => r.stepId)).toEqual(["createPayment", "pollPayment", "pollPayment", "pollPayment"]);
    const { outputs: kept, then } = recorded[0]!.value as { outputs: unknown; then: unknown };
    expect(kept).toEqual({ sessionId: "session-0001" });
    expect(then).toEqual({ type: "next" });
  });
});

describe("choosing the target", () => {
  test("an unknown target in the API is an error naming the known ones", async () => {
    const result = await generate({ inputs: [seedDoc], outDir: tmp, write: false, target: "temporal" });
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: "unknown-target", hint: "choose one of: openapi-fetch, restate" })]);
  });

  test("--target on the command line, and a wrong one is a usage error", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l), cwd: root };
    expect(await main(["generate", seedDoc, "--out", tmp, "--target", "temporal"], io)).toBe(2);
    expect(err.join("\n")).toContain('--target takes openapi-fetch or restate, not "temporal"');
    const outDir = path.join(tmp, "cli");
    expect(await main(["generate", seedDoc, "--out", outDir, "--target", "restate", "--no-cache", "-q"], io)).toBe(0);
    expect(readFileSync(path.join(outDir, "fintecture-token-then-payment-workflow/src/restate.ts"), "utf8")).toContain('name: "token-then-payment"');
  });

  test("config `target`", async () => {
    const dir = mkdtempSync(path.join(tmp, "config-"));
    writeFileSync(path.join(dir, "arazzo-ts.config.json"), JSON.stringify({ documents: [seedDoc], out: "out", target: "restate", cache: false }));
    const io = { out: () => undefined, err: (l: string) => console.error(l), cwd: dir };
    expect(await main(["generate", "-q"], io)).toBe(0);
    expect(readFileSync(path.join(dir, "out/fintecture-token-then-payment-workflow/src/restate-client.ts"), "utf8")).toContain(
      "export async function startTokenThenPayment(",
    );
    writeFileSync(path.join(dir, "arazzo-ts.config.json"), JSON.stringify({ documents: [seedDoc], out: "out", target: "temporal" }));
    expect(await main(["generate", "-q"], { ...io, err: () => undefined })).toBe(2);
  });
});
