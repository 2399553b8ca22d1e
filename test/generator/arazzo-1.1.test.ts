/**
 * Arazzo 1.1 documents: a 1.0.1 document marked 1.1.0 generates the same code (1.1 changed
 * nothing such a document says); 1.1 Selector Objects that are plain paths are read as the
 * runtime expressions they are, typed from the schema; other selectors are located errors.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { generate } from "../../generator/generate.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const FINTECTURE = path.join(ROOT, "specs/fintecture");
const tmp = mkdtempSync(path.join(tmpdir(), "arazzo-ts-1.1-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The `src/` of a package without the do-not-edit header (it names the spec files, which live elsewhere). */
function sources(result: Awaited<ReturnType<typeof generate>>): Record<string, string> {
  expect(result.ok, JSON.stringify(result.diagnostics.filter((d) => d.severity === "error"))).toBe(true);
  return Object.fromEntries(result.packages[0]!.files.filter((f) => f.path.startsWith("src/")).map((f) => [f.path, f.text.replace(/^(?:\/\/.*\n)+/, "")]));
}

describe("a 1.0.1 document marked 1.1.0", () => {
  // The same folder layout, so relative source URLs and file names stay the same.
  const copy = path.join(tmp, "fintecture");
  cpSync(FINTECTURE, copy, { recursive: true });
  const documents = readdirSync(path.join(FINTECTURE, "arazzo")).filter((f) => f.endsWith(".yml"));

  test.each(documents)("%s generates the same code", async (name) => {
    const original = path.join(FINTECTURE, "arazzo", name);
    const marked = path.join(copy, "arazzo", name);
    const text = readFileSync(original, "utf8");
    expect(text).toMatch(/^arazzo: 1\.0\.\d+$/m);
    writeFileSync(marked, text.replace(/^arazzo: 1\.0\.\d+$/m, "arazzo: 1.1.0"));
    const [before, after] = await Promise.all([
      generate({ inputs: [original], outDir: path.join(tmp, "out-1.0"), write: false }),
      generate({ inputs: [marked], outDir: path.join(tmp, "out-1.1"), write: false }),
    ]);
    expect(sources(after)).toEqual(sources(before));
  });
});

describe("Selector Objects", () => {
  const mini = path.join(ROOT, "test/fixtures/mini");
  const text = readFileSync(path.join(mini, "order.arazzo.yaml"), "utf8").replace("arazzo: 1.0.1", "arazzo: 1.1.0");
  const write = (name: string, body: string) => {
    const dir = path.join(tmp, `mini-${name}`);
    cpSync(mini, dir, { recursive: true });
    writeFileSync(path.join(dir, "order.arazzo.yaml"), body);
    return path.join(dir, "order.arazzo.yaml");
  };
  const run = (file: string) => generate({ inputs: [file], outDir: path.join(tmp, "out-selectors"), write: false });

  test("a JSON Pointer or a singular JSONPath selector is read as the expression it is, typed alike", async () => {
    const plain = write("plain", text);
    const selectors = write(
      "selectors",
      text
        .replace("orderId: $response.body#/id", "orderId: { context: $response.body, selector: /id, type: jsonpointer }")
        .replace(
          "firstSku: $response.body#/lines/0/sku",
          "firstSku: { context: $response.body, selector: \"$.lines[0]['sku']\", type: { type: jsonpath, version: rfc9535 } }",
        )
        .replace("state: $response.body#/state", "state: { context: $response.body#/state, selector: '', type: jsonpointer }"),
    );
    expect(readFileSync(selectors, "utf8")).toContain("selector: /id");
    expect(sources(await run(selectors))).toEqual(sources(await run(plain)));
  });

  test("`$self` is accepted: sources are still read relative to the document's file, and are served beside it", async () => {
    const plain = write("no-self", text);
    const withSelf = write("self", text.replace("info:", "$self: https://example.com/flows/order.arazzo.yaml\ninfo:"));
    // One line more above the steps: their "Defined at" lines move. The clients know where
    // their descriptions are served (for relative server URLs): nothing else differs.
    const served = '  descriptionUrl: "https://example.com/flows/shop.openapi.yaml",\n';
    const unplaced = (files: Record<string, string>) =>
      Object.fromEntries(Object.entries(files).map(([f, t]) => [f, t.replace(/Defined at \S+:\d+:\d+/g, "Defined at …").replace(served, "")]));
    const self = sources(await run(withSelf));
    expect(self["src/shop.client.ts"]).toContain(served);
    expect(unplaced(self)).toEqual(unplaced(sources(await run(plain))));
  });

  test("a body read with dots is read as the pointer it means, with a warning and the correct form", async () => {
    const body = text.replace("state: $response.body#/state", "state: $response.body.state");
    const result = await run(write("dotted", body));
    expect(result.ok).toBe(true);
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: "warning",
        code: "dotted-body-path",
        line: body.split("\n").findIndex((l) => l.includes("$response.body.state")) + 1,
        hint: "write `$response.body#/state`",
      }),
    );
    const module = result.packages[0]!.files.find((f) => f.path === "src/place-order.ts")!.text;
    expect(module).toContain('state: ReadResponse["state"]');
  });

  test("a dotted path ending in .length says it is a member, and how to test an array's length", async () => {
    const body = text.replace("$response.body#/state != 'shipped'", "$response.body.lines.length > 0");
    const result = await run(write("dotted-length", body));
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({
        code: "dotted-body-path",
        message: expect.stringContaining("a member named `length`, not an array's length"),
        hint: "write `$response.body#/lines/length` for a member; for an array's length, a jsonpath criterion such as `$[?length(@.lines) > 0]`",
      }),
    );
  });

  test("a selector whose context is not structured data is an error", async () => {
    const file = write("context", text.replace("orderId: $response.body#/id", "orderId: { context: $response.header.X-Id, selector: /a, type: jsonpointer }"));
    const result = await run(file);
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({
        code: "unsupported-selector",
        message: "unsupported selector: its context `$response.header.X-Id` is not a runtime expression of structured data",
      }),
    );
  });

  test("a timeout longer than a timer can wait is an error", async () => {
    const file = write("timeout", text.replace("      - stepId: read\n", "      - stepId: read\n        timeout: 3000000000\n"));
    const result = await run(file);
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ code: "invalid-timeout", line: 38 }));
  });

  test("a selector that can match several values is read at run time in a step output, and an error elsewhere, with what to write", async () => {
    const file = write(
      "many",
      text
        .replace("firstSku: $response.body#/lines/0/sku", "firstSku: { context: $response.body, selector: $..sku, type: jsonpath }")
        .replace(
          "      firstSku: $steps.read.outputs.firstSku",
          '      firstSku: $steps.read.outputs.firstSku\n      skus: { context: $steps.read.outputs.firstSku, selector: "$[*]", type: jsonpath }',
        ),
    );
    const result = await run(file);
    expect(result.ok).toBe(false);
    const lines = readFileSync(file, "utf8").split("\n");
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: "warning",
        code: "untyped-selector",
        file,
        line: lines.findIndex((l) => l.includes("$..sku")) + 1,
        message: "output `firstSku` is read by a JSONPath query that may select several values: it is typed `unknown` (the list of the values it selects)",
      }),
    );
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: "error",
        code: "unsupported-selector",
        file,
        line: lines.findIndex((l) => l.includes("$[*]")) + 1,
        hint: "select it in a step output (read at run time there), and use that output here",
      }),
    );
  });
});

describe("parameters on actions", () => {
  const fixture = path.join(ROOT, "test/conformance/action-parameters/action-parameters.arazzo.yaml");
  const text = readFileSync(fixture, "utf8");
  const write = (name: string, body: string) => {
    const dir = path.join(tmp, `action-parameters-${name}`, "case");
    cpSync(path.join(ROOT, "test/conformance/_shared"), path.join(dir, "../_shared"), { recursive: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "flow.arazzo.yaml"), body);
    return path.join(dir, "flow.arazzo.yaml");
  };
  const lineOf = (body: string, marker: string) => body.slice(0, body.indexOf(marker)).split("\n").length;

  test("a value that may be absent, sent to an input the workflow requires, is a type error at the parameter", async () => {
    const body = text.replace(
      "    inputs:\n      type: object\n      properties:\n        name:",
      "    inputs:\n      type: object\n      required: [name]\n      properties:\n        name:",
    );
    const file = write("required", body);
    const result = await generate({ inputs: [file], outDir: path.join(tmp, "out-action-parameters"), write: false });
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({ code: "TS2322", file, line: lineOf(body, "- name: name\n                value: $response.body#/state") }),
    );
  });

  test("an action that leaves out an input the workflow requires is an error at its parameters", async () => {
    const body = text
      .replace(
        "    inputs:\n      type: object\n      properties:\n        name:",
        "    inputs:\n      type: object\n      required: [name]\n      properties:\n        name:",
      )
      .replace("              - name: name\n                value: $inputs.fallback\n", "");
    const file = write("missing", body);
    const result = await generate({ inputs: [file], outDir: path.join(tmp, "out-action-parameters"), write: false });
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({
        code: "missing-input",
        file,
        message: "action `recover` starts workflow `follow` without its required input `name`",
        line: lineOf(body, "parameters:\n              - reference: $components.parameters.fixedNote"),
      }),
    );
  });

  test("an input the workflow does not have, a parameter on an action that starts no workflow, and `in`", async () => {
    const body = text
      .replace(
        '              - name: note\n                value: "after',
        '              - name: nots\n                in: header\n                value: "after',
      )
      // An end action with a workflowId passes the schema; it starts nothing, so its parameters go nowhere.
      .replace(
        "          - name: recover\n            type: goto\n            workflowId: follow",
        "          - name: recover\n            type: end\n            workflowId: follow",
      );
    const file = write("wrong", body);
    const result = await generate({ inputs: [file], outDir: path.join(tmp, "out-action-parameters"), write: false });
    expect(result.ok).toBe(false);
    const codes = result.diagnostics.map((d) => [d.code, d.line]);
    expect(codes).toContainEqual(["unknown-input", lineOf(body, "- name: nots")]);
    expect(codes).toContainEqual(["action-parameter-in", lineOf(body, 'in: header\n                value: "after')]);
    expect(codes).toContainEqual(["unexpected-parameters", lineOf(body, "parameters:\n              - name: name\n                value: $inputs.fallback")]);
  });
});

describe("step-level dependsOn", () => {
  const fixture = path.join(ROOT, "test/conformance/step-depends-on/step-depends-on.arazzo.yaml");
  const text = readFileSync(fixture, "utf8");
  const run = async (name: string, body: string) => {
    const dir = path.join(tmp, `depends-on-${name}`, "case");
    cpSync(path.join(ROOT, "test/conformance/_shared"), path.join(dir, "../_shared"), { recursive: true });
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, "flow.arazzo.yaml");
    writeFileSync(file, body);
    const result = await generate({ inputs: [file], outDir: path.join(tmp, "out-depends-on"), write: false });
    return { result, file, line: (marker: string) => body.slice(0, body.indexOf(marker)).split("\n").length };
  };

  test.each([
    ["itself", "dependsOn: [second]", "dependsOn: [second, join]", "dependency-order", "step `join` depends on itself"],
    [
      "an unknown step",
      "dependsOn: [second]",
      "dependsOn: [secnd]",
      "unknown-step",
      "step `join` depends on step `secnd`, which workflow `fanOut` does not have",
    ],
    [
      "a step of another workflow",
      "dependsOn: [second]",
      "dependsOn: [$workflows.other.steps.x]",
      "unsupported-feature",
      "`$workflows.other.steps.x`: a dependency on a step of another workflow (Arazzo 1.1) is not generated by arazzo-ts yet",
    ],
  ])("%s is an error at the dependency", async (_, from, to, code, message) => {
    const { result, file, line } = await run(code, text.replace(from, to));
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ code, message, file, line: line(to) }));
  });

  test("a step listed before the step it depends on: list it first", async () => {
    const body = text.replace("      - stepId: second\n", "      - stepId: second\n        dependsOn: [join]\n");
    const { result, line } = await run("before", body);
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({
        code: "dependency-order",
        line: line("dependsOn: [join]"),
        message: "step `second` depends on step `join`, which is listed after it",
        hint: "list `join` before `second`: steps start in an order that keeps every dependency",
      }),
    );
  });

  test("with goto or retry actions in the workflow, not yet", async () => {
    const body = text.replace(
      "        outputs:\n          label: $response.body#/label",
      "        outputs:\n          label: $response.body#/label\n        onFailure:\n          - name: again\n            type: retry\n            retryLimit: 1",
    );
    const { result, line } = await run("goto", body);
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ code: "unsupported-feature", line: line("dependsOn: [second]") }));
  });
});

test("a querystring parameter with a query parameter is an error: the query string is the whole query", async () => {
  const fixture = path.join(ROOT, "test/conformance/querystring/querystring.arazzo.yaml");
  const body = readFileSync(fixture, "utf8").replace(
    "          - { name: name, in: path, value: find }\n",
    "          - { name: name, in: path, value: find }\n          - { name: limit, in: query, value: 5 }\n",
  );
  const dir = path.join(tmp, "querystring-conflict", "case");
  cpSync(path.join(ROOT, "test/conformance/_shared"), path.join(dir, "../_shared"), { recursive: true });
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "flow.arazzo.yaml");
  writeFileSync(file, body);
  const result = await generate({ inputs: [file], outDir: path.join(tmp, "out-querystring"), write: false });
  expect(result.ok).toBe(false);
  expect(result.diagnostics).toContainEqual(
    expect.objectContaining({
      code: "conflicting-parameters",
      line: body.slice(0, body.indexOf("- name: q")).split("\n").length,
      message: "step `find` sends a `querystring` parameter and query parameter `limit`: the query string is the whole query",
    }),
  );
});
