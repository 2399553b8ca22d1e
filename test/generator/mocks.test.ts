/**
 * The mocks every generated package ships (`<package>/mocks`, issue 12): for every workflow
 * of every committed Fintecture package, `run<Workflow>(exampleInputs[id], { fetch:
 * createMockFetch() })` resolves, each request recorded with the step that sent it; replies
 * can be scripted per step as a sequence (a poll that says `pending` twice); the overrides
 * are typed by the `paths` types; the main entry never loads the mocks.
 * (`test/corpus/` runs the same over every package the real-world corpus generates.)
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";
import { DiagnosticBag } from "../../generator/diagnostics.ts";
import { generate } from "../../generator/generate.ts";
import { loadDocument } from "../../generator/load/document.ts";
import { resolveInputs } from "../../generator/run/inputs.ts";
import { loadPackage } from "../helpers/generated-package.ts";
import { typeCheckStrictConsumer } from "../helpers/strict-consumer.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const GENERATED = path.join(ROOT, "generated");
const packages = readdirSync(GENERATED).filter((d) => d.startsWith("fintecture-"));

describe("every Fintecture workflow runs on its package's own mocks", () => {
  for (const name of packages) {
    test(name, async () => {
      const { mocks, runner } = await loadPackage(path.join(GENERATED, name));
      const ids = Object.keys(mocks.exampleInputs);
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) {
        const fetch = mocks.createMockFetch();
        const outputs = await runner(id)(mocks.exampleInputs[id], { fetch });
        expect(outputs, id).toBeTypeOf("object");
        expect(fetch.requests.length, `${id}: requests`).toBeGreaterThan(0);
        for (const r of fetch.requests) expect(r.step, `${r.method} ${r.url}`).toMatch(new RegExp(`^${id}/`));
      }
    });
  }
});

describe("scripted replies", () => {
  const dir = path.join(GENERATED, "fintecture-payment-status-poll-workflow");

  test("a poll that answers pending twice, then completed: three polls, and the completed status comes out", async () => {
    const { mocks, runner } = await loadPackage(dir);
    const pending = { status: 200, body: { status: "payment_pending" } };
    const fetch = mocks.createMockFetch({
      responses: { "payment-status-poll/pollPayment": [pending, pending, { status: 200, body: { status: "payment_completed" } }] },
    });
    const outputs = await runner("payment-status-poll")(mocks.exampleInputs["payment-status-poll"], { fetch });
    expect(fetch.requests.filter((r) => r.step === "payment-status-poll/pollPayment")).toHaveLength(3);
    expect(outputs.finalStatus).toBe("payment_completed");
  });

  test("a 500 from an operation fails the step that called it", async () => {
    const { mocks, runner } = await loadPackage(dir);
    const fetch = mocks.createMockFetch({ responses: { createPisV2Connect: { status: 500, body: {} } } });
    await expect(runner("payment-status-poll")(mocks.exampleInputs["payment-status-poll"], { fetch })).rejects.toMatchObject({
      name: "ArazzoStepError",
      stepId: "createPayment",
      status: 500,
    });
  });

  test("overrides are typed by the paths types; example inputs type-check as the workflow's inputs (through the `/mocks` export)", () => {
    const project = mkdtempSync(path.join(tmpdir(), "arazzo-ts-mocks-consumer-"));
    try {
      mkdirSync(path.join(project, "node_modules"));
      symlinkSync(dir, path.join(project, "node_modules/fintecture-payment-status-poll-workflow"), "dir");
      symlinkSync(path.join(ROOT, "node_modules/openapi-fetch"), path.join(project, "node_modules/openapi-fetch"), "dir");
      const consumer = `
import { createMockFetch, exampleInputs } from "fintecture-payment-status-poll-workflow/mocks";
import { runPaymentStatusPoll } from "fintecture-payment-status-poll-workflow";

createMockFetch({ responses: { "payment-status-poll/pollPayment": [{ status: 200, body: { status: "payment_completed" } }] } });
// @ts-expect-error "teleported" is not a payment status
createMockFetch({ responses: { "payment-status-poll/pollPayment": { status: 200, body: { status: "teleported" } } } });
// @ts-expect-error no such step
createMockFetch({ responses: { "payment-status-poll/nope": { status: 200 } } });
void runPaymentStatusPoll(exampleInputs["payment-status-poll"], { fetch: createMockFetch() });
`;
      expect(typeCheckStrictConsumer(path.join(project, "consumer.ts"), consumer)).toEqual([]);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  test("the MSW handlers (`<package>/mocks/msw`) answer as the mock fetch does, through the global fetch", async () => {
    const seed = path.join(GENERATED, "fintecture-token-then-payment-workflow");
    const { mocks, runner } = await loadPackage(seed);
    const { createHandlers } = (await import(pathToFileURL(path.join(seed, "dist/mocks-msw.js")).href)) as {
      createHandlers: () => { handlers: unknown[]; fetch: { requests: { method: string }[] } };
    };
    const { setupServer } = await import("msw/node");
    const { handlers, fetch } = createHandlers();
    const server = setupServer(...(handlers as Parameters<typeof setupServer>));
    server.listen({ onUnhandledRequest: "error" });
    try {
      const outputs = await runner("token-then-payment")(mocks.exampleInputs["token-then-payment"], {});
      expect(outputs).toBeTypeOf("object");
      expect(fetch.requests.map((r) => r.method)).toEqual(["POST", "POST", "GET"]);
    } finally {
      server.close();
    }
  });

  test("the main entry does not load the mocks or the response validators", () => {
    for (const name of packages) {
      const dist = path.join(GENERATED, name, "dist");
      for (const file of readdirSync(dist).filter((f) => f.endsWith(".js") && !f.startsWith("mocks"))) {
        const text = readFileSync(path.join(dist, file), "utf8");
        expect(text, file).not.toMatch(/from "\.\/mocks\.js"|import\("\.\/mocks\.js"\)/);
        expect(text, file).not.toMatch(/from "\.\/response-validators\.js"/);
      }
    }
  });
});

describe("mock edge cases (each found in review)", async () => {
  const OUT = path.join(ROOT, "test/generator/.out-mock-edges");
  const edges = path.join(ROOT, "test/fixtures/mock-edges");
  const result = await generate({ inputs: ["path", "narrow", "proto", "ajv", "inputs"].map((c) => path.join(edges, c, `${c}-edge.arazzo.yaml`)), outDir: OUT });
  const pkg = (name: string) => path.join(OUT, `${name}-edge`);

  test("all five generate (the example inputs type-check; duplicate `$id`s only skip validation, with a warning)", () => {
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.diagnostics.map((d) => d.code)).toContain("unvalidated-response");
  });

  test("a step gets its own operation's reply when another operation's path ends the same way", async () => {
    const { mocks, runner } = await loadPackage(pkg("path"));
    const fetch = mocks.createMockFetch();
    const outputs = await runner("flow")(mocks.exampleInputs.flow, { fetch });
    expect(outputs.owner).toBeTypeOf("string");
  });

  test("an input narrowed by two enum fields takes a value both accept; an input named __proto__ is an own property", async () => {
    const narrow = await loadPackage(pkg("narrow"));
    expect(narrow.mocks.exampleInputs.flow).toEqual({ size: "L" });
    const proto = await loadPackage(pkg("proto"));
    expect(Object.hasOwn(proto.mocks.exampleInputs.flow!, "__proto__")).toBe(true);
    await expect(proto.runner("flow")(proto.mocks.exampleInputs.flow, { fetch: proto.mocks.createMockFetch() })).resolves.toBeTypeOf("object");
  });

  // Issue 22, item 6: example inputs from the input's own schema, its example first.
  test("example inputs are the input's own schema's values, its example first, that the API fields take; they pass `run --mock`'s check and are sent", async () => {
    const { mocks, runner } = await loadPackage(pkg("inputs"));
    const flow = mocks.exampleInputs.flow;
    // `ids`: integers, though the API's items are a `$ref` into another file; `items`: every field the input requires;
    // `note`, `tag`: the input's example and default; `color`: the API's enum narrows the input, and its example is not in it.
    expect(flow).toEqual({ ids: [1], items: [{ name: "example", size: 1 }], note: "hello", tag: "blue", color: "red" });
    const data = (await loadDocument(path.join(edges, "inputs/inputs-edge.arazzo.yaml"), new DiagnosticBag()))?.data;
    const checked = resolveInputs(
      [{ workflowId: "flow", document: data, index: 0, example: flow }],
      { input: [] },
      { workflowIds: new Set(["flow"]), cwd: ROOT, env: {} },
    );
    expect(checked.problems).toEqual([]);
    const fetch = mocks.createMockFetch();
    await runner("flow")(flow, { fetch });
    const sent = fetch.requests as unknown as { method: string; url: string; body: string }[];
    expect(sent.map((r) => ({ method: r.method, url: r.url, body: JSON.parse(r.body) as unknown }))).toEqual([
      {
        method: "POST",
        url: "https://a.example.test/v1/things?tag=blue&color=red",
        body: { ids: [1], items: [{ name: "example", size: 1 }], note: "hello" },
      },
    ]);
  });

  test("an input no value fits is typed loosely, with a warning at the workflow; the package still type-checks", () => {
    expect(result.diagnostics.filter((d) => d.code === "untyped-example-input").map((d) => `${path.basename(d.file ?? "")}:${d.line} ${d.message}`)).toEqual([
      "inputs-edge.arazzo.yaml:43 no example value of input `odd` fits its schema: the mocks' `exampleInputs` give `{}`, typed loosely",
    ]);
    expect(readFileSync(path.join(pkg("inputs"), "src/mocks.ts"), "utf8")).toContain(
      '"contradiction": { "odd": {} as unknown as ContradictionInputs["odd"] },',
    );
  });

  // Issue 22, item 7: a step that reads into a body documented as text gets JSON from the mock, and reads it.
  test("a step that reads into a body documented as text/plain gets a JSON reply", async () => {
    const { mocks, runner } = await loadPackage(pkg("inputs"));
    await expect(runner("label")(mocks.exampleInputs.label, { fetch: mocks.createMockFetch() })).resolves.toEqual({ name: "example" });
  });
});

// Issue 23: the MSW handlers answered a step with the reply of the first step that calls its
// operation, and ignored `workflowId/stepId` entries; they now read the step from the request.
describe("two workflows that share an operation: the mock fetch and the MSW handlers answer alike", async () => {
  const OUT = path.join(ROOT, "test/generator/.out-mock-shared");
  const result = await generate({ inputs: [path.join(ROOT, "test/fixtures/mock-shared/shared.arazzo.yaml")], outDir: OUT });
  const dir = path.join(OUT, "shared");
  type Recorded = { method: string; url: string; step?: string; headers: Record<string, string>; body?: string };
  type Handlers = (options?: object) => { handlers: unknown[]; fetch: { requests: Recorded[] }; release(): void };

  /** Runs `pay` then `ship` with the mock fetch, then with the MSW handlers through the global fetch: outputs and records of each. */
  async function bothWays(responses?: object) {
    const { mocks, runner } = await loadPackage(dir);
    const { createHandlers } = (await import(pathToFileURL(path.join(dir, "dist/mocks-msw.js")).href)) as { createHandlers: Handlers };
    const runAll = async (options: object) => ({
      pay: await runner("pay")(mocks.exampleInputs.pay, options).catch((e: Error) => e.message),
      ship: await runner("ship")(mocks.exampleInputs.ship, options).catch((e: Error) => e.message),
    });
    const fetch = mocks.createMockFetch(responses ? { responses } : {});
    const viaFetch = { outputs: await runAll({ fetch }), requests: fetch.requests as Recorded[] };
    const { setupServer } = await import("msw/node");
    const msw = createHandlers(responses ? { responses } : {});
    const server = setupServer(...(msw.handlers as Parameters<typeof setupServer>));
    server.listen({ onUnhandledRequest: "error" });
    try {
      return { viaFetch, viaMsw: { outputs: await runAll({}), requests: msw.fetch.requests } };
    } finally {
      server.close();
      msw.release();
    }
  }
  const comparable = (requests: readonly Recorded[]) => requests.map(({ method, url, step, headers, body }) => ({ method, url, step, headers, body }));

  test("it generates, with one operation called by a step of each workflow", () => {
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(readFileSync(path.join(dir, "src/mocks.ts"), "utf8")).toMatch(/"pay\/check": \{ operation: "getOrder" \}/);
  });

  test("default replies: each step gets the reply that meets its own criteria, both ways, and the same requests are recorded", async () => {
    const { viaFetch, viaMsw } = await bothWays();
    expect(viaFetch.outputs).toMatchObject({ pay: { status: "paid" }, ship: { status: "shipped" } });
    expect(viaMsw.outputs).toEqual(viaFetch.outputs);
    expect(viaMsw.requests.map((r) => r.step)).toEqual(["pay/create", "pay/check", "ship/check"]);
    // The step header the handlers read is not recorded: the records are those of the mock fetch.
    expect(comparable(viaMsw.requests)).toEqual(comparable(viaFetch.requests));
    expect(Object.keys(viaMsw.requests[2]!.headers)).not.toContain("x-arazzo-step");
  });

  test("`workflowId/stepId` entries win over the operation's, both ways", async () => {
    const { viaFetch, viaMsw } = await bothWays({
      getOrder: { status: 200, body: { id: "o-1", status: "paid", note: "for every step" } },
      "ship/check": [
        { status: 200, body: { id: "o-2", status: "shipped", note: "for ship/check" } },
        { status: 200, body: { id: "o-2", status: "open", note: "second" } },
      ],
    });
    expect(viaFetch.outputs).toEqual({ pay: { status: "paid", note: "for every step" }, ship: { status: "shipped", note: "for ship/check" } });
    expect(viaMsw.outputs).toEqual(viaFetch.outputs);
    expect(comparable(viaMsw.requests)).toEqual(comparable(viaFetch.requests));
  });

  test("a scripted failure of one step fails that step only, both ways", async () => {
    const { viaFetch, viaMsw } = await bothWays({ "pay/check": { status: 200, body: { id: "o-1", status: "open" } } });
    expect(viaFetch.outputs.pay).toBe("workflow `pay`, step `check`: success criterion `$response.body#/status == 'paid'` not met (HTTP 200)");
    expect(viaFetch.outputs.ship).toMatchObject({ status: "shipped" });
    expect(viaMsw.outputs).toEqual(viaFetch.outputs);
  });

  test("without handlers marking the process, a run's requests carry no step header", async () => {
    const { mocks, runner } = await loadPackage(dir);
    const seen: Request[] = [];
    const mock = mocks.createMockFetch({ responses: { getOrder: { status: 200, body: { id: "o-2", status: "shipped" } } } });
    // A fetch of one's own that is not the mock fetch (so the runtime cannot tell it the step).
    const own = async (request: Request) => {
      seen.push(request.clone());
      return mock(request);
    };
    await runner("ship")(mocks.exampleInputs.ship, { fetch: own });
    expect(seen.map((r) => r.headers.get("x-arazzo-step"))).toEqual([null]);
  });

  /** `runs` of `pay` and `ship` through the global fetch on the shared package's MSW handlers: their outputs, and what the handlers recorded. */
  async function onHandlers(responses: object, runs: (run: (id: "pay" | "ship") => Promise<unknown>) => Promise<unknown>) {
    const { mocks, runner } = await loadPackage(dir);
    const { createHandlers } = (await import(pathToFileURL(path.join(dir, "dist/mocks-msw.js")).href)) as { createHandlers: Handlers };
    const { setupServer } = await import("msw/node");
    const msw = createHandlers({ responses });
    const server = setupServer(...(msw.handlers as Parameters<typeof setupServer>));
    server.listen({ onUnhandledRequest: "error" });
    try {
      const outputs = await runs((id) => runner(id)(mocks.exampleInputs[id], {}).catch((e: Error) => e.message));
      return { outputs, requests: msw.fetch.requests };
    } finally {
      server.close();
      msw.release();
    }
  }
  const perStep = {
    getOrder: { status: 200, body: { id: "o-1", status: "paid", note: "for every step" } },
    "ship/check": { status: 200, body: { id: "o-2", status: "shipped", note: "for ship/check" } },
  };

  test("another package's requests carry no step header while this package's handlers answer, and this package's steps still get their own replies", async () => {
    const OTHER = path.join(ROOT, "test/generator/.out-mock-shared-other");
    const other = await generate({ inputs: [path.join(ROOT, "test/fixtures/mini/order.arazzo.yaml")], outDir: OTHER });
    expect(other.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const otherDir = path.join(OTHER, readdirSync(OTHER).find((d) => !d.startsWith("."))!);
    expect(path.basename(otherDir)).not.toBe("shared");
    const b = await loadPackage(otherDir);
    const seen: Request[] = [];
    const mock = b.mocks.createMockFetch();
    // A plain recording fetch, as a run against a live server would use.
    const recording = async (request: Request) => {
      seen.push(request.clone());
      return mock(request);
    };
    let otherOutputs: unknown;
    const { outputs, requests } = await onHandlers(perStep, async (run) => {
      otherOutputs = await b.runner("place-order")(b.mocks.exampleInputs["place-order"], { fetch: recording });
      return { pay: await run("pay"), ship: await run("ship") };
    });
    expect(otherOutputs).toBeTypeOf("object");
    expect(seen.length).toBe(2);
    expect(seen.map((r) => r.headers.get("x-arazzo-step"))).toEqual([null, null]);
    expect(outputs).toEqual({ pay: { status: "paid", note: "for every step" }, ship: { status: "shipped", note: "for ship/check" } });
    expect(requests.map((r) => r.step)).toEqual(["pay/create", "pay/check", "ship/check"]);
  });

  test("runs at once on the handlers get the same outputs and per-step replies as one after another", async () => {
    const sequential = await onHandlers(perStep, async (run) => ({ pay: await run("pay"), ship: await run("ship") }));
    const concurrent = await onHandlers(perStep, async (run) => {
      const [pay, ship] = await Promise.all([run("pay"), run("ship")]);
      return { pay, ship };
    });
    expect(sequential.outputs).toEqual({ pay: { status: "paid", note: "for every step" }, ship: { status: "shipped", note: "for ship/check" } });
    expect(concurrent.outputs).toEqual(sequential.outputs);
    const steps = (requests: readonly Recorded[]) => requests.map((r) => `${r.step} ${r.method} ${r.url}`).sort();
    expect(steps(concurrent.requests)).toEqual(steps(sequential.requests));
  });
});
