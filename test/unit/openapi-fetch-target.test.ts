/**
 * The openapi-fetch target's pieces, one at a time, on the IR of the mini order workflow:
 * how it names the IR's types (`type-names.ts`), and the TypeScript it writes for
 * expressions and criteria (`targets/typescript/code.ts`). The whole module is checked by
 * the conformance suite and the snapshots; these pin each emitter's own rules.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { analyzeDocument } from "../../generator/analyze-document.ts";
import { DiagnosticBag } from "../../generator/diagnostics.ts";
import { parseExpression } from "../../generator/expressions/parse.ts";
import type { OperationStepModel, TypeRef } from "../../generator/ir/types.ts";
import { stepAliases, typeIn } from "../../generator/targets/openapi-fetch/type-names.ts";
import { criterionCode, expressionCode, type CodeScope } from "../../generator/targets/typescript/code.ts";
import { Imports } from "../../generator/targets/typescript/imports.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const pkg = (await analyzeDocument(path.join(ROOT, "test/fixtures/mini/order.arazzo.yaml"), new DiagnosticBag()))!;
const workflow = pkg.document.workflows[0]!;
const [create, read] = workflow.steps as OperationStepModel[];

describe("type names", () => {
  const typeCode = typeIn(workflow);
  const rows: [string, { given: TypeRef; want: string }][] = [
    ["plain", { given: { kind: "number" }, want: "number" }],
    [
      "a step's outputs",
      {
        given: { kind: "access", root: { kind: "outputs", stepId: "create" }, segments: [{ key: "orderId", index: false }] },
        want: 'CreateOutputs["orderId"]',
      },
    ],
    [
      "the workflow's inputs",
      { given: { kind: "access", root: { kind: "inputs" }, segments: [{ key: "size", index: false }] }, want: 'PlaceOrderInputs["size"]' },
    ],
    [
      "a parameter: the location, then the name, read through a possibly absent group",
      {
        given: {
          kind: "access",
          root: { kind: "parameters", stepId: "read" },
          segments: [
            { key: "path", index: false },
            { key: "orderId", index: false },
          ],
        },
        want: 'NonNullable<ReadParameters["path"]>["orderId"]',
      },
    ],
    [
      "an array item in a response",
      {
        given: {
          kind: "access",
          root: { kind: "response", stepId: "read" },
          segments: [
            { key: "lines", index: false },
            { key: "0", index: true },
          ],
        },
        want: 'NonNullable<ReadResponse["lines"]>[number]',
      },
    ],
  ];
  for (const [name, { given, want }] of rows) test(name, () => expect(typeCode(given)).toBe(want));

  test("a root in a step the workflow does not have is a bug, not a silent `unknown`", () => {
    expect(() => typeCode({ kind: "access", root: { kind: "response", stepId: "nope" }, segments: [] })).toThrow("no step `nope`");
  });

  test("step aliases index the source's paths by the operation, the request media type and each success status", () => {
    expect(stepAliases(create!)).toEqual({
      parameters: 'ShopPaths["/orders"]["post"]["parameters"]',
      requestBody: 'NonNullable<ShopPaths["/orders"]["post"]["requestBody"]>["content"]["application/json"]',
      response: 'ShopPaths["/orders"]["post"]["responses"][201]["content"]["application/json"]',
    });
    expect(stepAliases({ ...read!, responseBodies: [] })).toEqual({ parameters: 'ShopPaths["/orders/{orderId}"]["get"]["parameters"]' });
  });
});

describe("expression and criterion code", () => {
  const scope = (): CodeScope => ({ step: read!, result: "result", body: "typed", imports: new Imports(), typedBody: { name: "data", used: false } });
  const code = (text: string, s = scope()) => {
    const parsed = parseExpression(text);
    if (!parsed.ok) throw new Error(parsed.error.message);
    return expressionCode(parsed.value, s);
  };

  test("a response-body pointer is read by its access plan from the typed body", () => {
    const s = scope();
    expect(code("$response.body#/lines/0/sku", s)).toBe("data?.lines?.[0]?.sku");
    expect(s.typedBody!.used).toBe(true);
  });

  test("a name every object inherits is read as an own property only", () => {
    const s = scope();
    expect(code("$response.body#/lines/0/constructor", s)).toBe('ownProperty(data?.lines?.[0], "constructor")');
    expect(s.imports.has("./runtime.js", "ownProperty")).toBe(true);
  });

  test("in a failure action the body is whatever came back, read untyped", () => {
    expect(code("$response.body#/state", { ...scope(), body: "any" })).toBe('readPointer(responseBody(result), ["state"])');
  });

  test("status, header and inputs", () => {
    expect(code("$statusCode")).toBe("result.response.status");
    expect(code("$response.header.X-Rate")).toBe('(result.response.headers.get("X-Rate") ?? undefined)');
    expect(code("$inputs.size")).toBe("inputs.size");
  });

  test("the step's own criterion: a number comparison is plain TypeScript, a string one is loose", () => {
    const [criterion] = read!.successCriteria;
    expect(criterionCode(criterion!, scope())).toBe('result.response.status === 200 && !looseEquals(data?.state, "shipped")');
  });
});
