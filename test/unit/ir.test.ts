/**
 * The IR builders (`generator/ir/`), through `analyzeDocument`: what a bound document looks
 * like as data, and that it is plain data — no functions, no loaded documents, no class
 * instances — for every Fintecture document and the composition fixture, so a target can
 * be written (or the IR cached, or sent to a worker) without the stages before it.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { analyzeDocument } from "../../generator/analyze-document.ts";
import { DiagnosticBag } from "../../generator/diagnostics.ts";
import type { OperationStepModel, PackageModel } from "../../generator/ir/types.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const MINI = path.join(ROOT, "test/fixtures/mini/order.arazzo.yaml");

async function analyze(file: string, options: { allOperations?: boolean } = {}): Promise<PackageModel> {
  const diagnostics = new DiagnosticBag();
  const pkg = await analyzeDocument(file, diagnostics, options);
  expect(
    diagnostics.items.filter((d) => d.severity === "error"),
    "no errors",
  ).toEqual([]);
  return pkg!;
}

/** Paths (`a.b[0]`) of every value in `value` that is not plain data: a function, or an object other than a plain object, array, Map or Set. */
function notPlainData(value: unknown, at = "$", seen = new Set<unknown>()): string[] {
  if (typeof value === "function") return [`${at}: function`];
  if (value === null || typeof value !== "object") return [];
  if (seen.has(value)) return [];
  seen.add(value);
  if (value instanceof Map)
    return [...value].flatMap(([k, v], i) => [...notPlainData(k, `${at}.key${i}`, seen), ...notPlainData(v, `${at}.get(${String(k)})`, seen)]);
  if (value instanceof Set) return [...value].flatMap((v, i) => notPlainData(v, `${at}.item${i}`, seen));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) return [`${at}: ${proto?.constructor?.name ?? "object"} instance`];
  return Object.entries(value).flatMap(([k, v]) => notPlainData(v, Array.isArray(value) ? `${at}[${k}]` : `${at}.${k}`, seen));
}

describe("the IR is plain data", () => {
  const fintecture = path.join(ROOT, "specs/fintecture/arazzo");
  const documents = [
    ...readdirSync(fintecture)
      .filter((f) => f.endsWith(".yml"))
      .map((f) => path.join(fintecture, f)),
    path.join(ROOT, "test/fixtures/composition/checkout.arazzo.yaml"),
    MINI,
  ];
  for (const file of documents) {
    test(path.basename(file), async () => {
      expect(notPlainData(await analyze(file))).toEqual([]);
    });
  }

  test("control: a closure or a class instance is found", () => {
    expect(notPlainData({ a: [{ resolve: () => 1 }], b: new Map([["k", new URL("file:///x")]]) })).toEqual([
      "$.a[0].resolve: function",
      "$.b.get(k): URL instance",
    ]);
  });
});

describe("building the mini order workflow", async () => {
  const pkg = await analyze(MINI);
  const workflow = pkg.document.workflows[0]!;
  const [create, read] = workflow.steps as OperationStepModel[];

  test("the document and its source name files, not loaded documents", () => {
    expect(pkg.document.file).toBe(MINI);
    expect(pkg.document.sources.map((s) => ({ name: s.name, file: path.relative(ROOT, s.file), moduleName: s.moduleName }))).toEqual([
      { name: "shop", file: "test/fixtures/mini/shop.openapi.yaml", moduleName: "shop" },
    ]);
  });

  test("each source's API types input is cut to the operations the steps call", () => {
    const input = pkg.apiTypes.get("shop")!;
    expect(Object.keys(input.document.paths as object)).toEqual(["/orders", "/orders/{orderId}"]);
    expect(input.location.file).toBe(pkg.document.sources[0]!.file);
  });

  test("steps are bound to operations, with the bodies their response is typed by", () => {
    expect([create!.operation, read!.operation]).toEqual([
      { method: "post", path: "/orders", operationId: "createOrder" },
      { method: "get", path: "/orders/{orderId}", operationId: "getOrder" },
    ]);
    expect(create!.responseBodies).toEqual([{ status: "201", mediaType: "application/json" }]);
    expect(create!.requestBody).toMatchObject({ contentType: "application/json", typed: true, documented: true });
  });

  test("inputs: their JSON Schema as a DataType, narrowed to the API fields they flow into", () => {
    const size = workflow.inputs.find((i) => i.name === "size")!;
    expect(size.schema).toEqual({ kind: "string" });
    expect(size.narrowTo.map((t) => t.type)).toEqual([
      { kind: "access", root: { kind: "request-body", stepId: "create" }, segments: [{ key: "size", index: false }] },
    ]);
    const key = workflow.inputs.find((i) => i.name === "key")!;
    expect(key.narrowTo.map((t) => t.type)).toEqual([
      {
        kind: "access",
        root: { kind: "parameters", stepId: "create" },
        segments: [
          { key: "header", index: false },
          { key: "Idempotency-Key", index: false },
        ],
      },
    ]);
  });

  test("outputs: typed by an access path into the response, optional as a body field is; required when a later step reads them", () => {
    expect(create!.outputs.map((o) => ({ name: o.name, type: o.type, optional: o.optional, required: o.required }))).toEqual([
      {
        name: "orderId",
        type: { kind: "access", root: { kind: "response", stepId: "create" }, segments: [{ key: "id", index: false }] },
        optional: true,
        required: true,
      },
    ]);
    expect(read!.outputs.find((o) => o.name === "firstSku")!.type).toEqual({
      kind: "access",
      root: { kind: "response", stepId: "read" },
      segments: [
        { key: "lines", index: false },
        { key: "0", index: true },
        { key: "sku", index: false },
      ],
    });
  });

  test("each response-body pointer the step reads has its access plan", () => {
    expect(read!.responseAccess).toEqual({
      "/state": { read: [{ key: "state", index: false }], rest: [], typed: true, present: false },
      "/lines/0/sku": {
        read: [
          { key: "lines", index: false },
          { key: "0", index: true },
          { key: "sku", index: false },
        ],
        rest: [],
        typed: true,
        present: false,
      },
      "/lines/0/constructor": {
        read: [
          { key: "lines", index: false },
          { key: "0", index: true },
          { key: "constructor", index: false },
        ],
        rest: [],
        typed: true,
        present: false,
      },
    });
  });

  test("allOperations keeps the whole document as the types input", async () => {
    const whole = await analyze(MINI, { allOperations: true });
    expect(Object.keys(whole.apiTypes.get("shop")!.document.paths as object)).toEqual(["/orders", "/orders/{orderId}"]);
    expect(Object.keys((whole.apiTypes.get("shop")!.document.components as { schemas: object }).schemas)).toEqual(["Order"]);
  });
});
