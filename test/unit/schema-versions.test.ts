/**
 * Each Arazzo version against its own JSON Schema (`validate/schema.ts`): the Arazzo 1.1
 * specification's own schema tests (`test/fixtures/spec/schema-tests`: every `pass/`
 * document accepted, every `fail/` one rejected with located diagnostics), 1.0 documents
 * still read by the 1.0 schema, versions arazzo-ts does not read rejected with one
 * `unsupported-version` error, and the schemas themselves the specification's, unchanged.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { DiagnosticBag } from "../../generator/diagnostics.ts";
import { parseLoadedDocument } from "../../generator/load/document.ts";
import { arazzoVersion, validateAgainstSchema } from "../../generator/validate/schema.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
/** Vendored from the specification repository (`test/fixtures/spec/README.md`). */
const SPEC = path.join(ROOT, "test/fixtures/spec");
const TESTS = path.join(SPEC, "schema-tests");

function validate(file: string, text = readFileSync(file, "utf8")) {
  const diagnostics = new DiagnosticBag();
  const doc = parseLoadedDocument(file, text, diagnostics)!;
  expect(diagnostics.items).toEqual([]);
  const ok = validateAgainstSchema(doc, diagnostics);
  return { ok, diagnostics: diagnostics.items };
}

const files = (dir: string) =>
  readdirSync(path.join(TESTS, dir))
    .filter((f) => /\.ya?ml$|\.json$/.test(f))
    .sort();

describe("the Arazzo 1.1 specification's schema tests", () => {
  test("there are tests of both kinds", () => {
    expect(files("pass").length).toBeGreaterThan(30);
    expect(files("fail").length).toBeGreaterThan(20);
  });

  test.each(files("pass"))("pass/%s is accepted", (name) => {
    const { ok, diagnostics } = validate(path.join(TESTS, "pass", name));
    expect(diagnostics).toEqual([]);
    expect(ok).toBe(true);
  });

  test.each(files("fail"))("fail/%s is rejected at a line and column of the file", (name) => {
    const file = path.join(TESTS, "fail", name);
    const { ok, diagnostics } = validate(file);
    expect(ok).toBe(false);
    expect(diagnostics.length).toBeGreaterThan(0);
    for (const d of diagnostics) {
      expect(d).toMatchObject({ severity: "error", file });
      expect(d.code).toMatch(/^(schema|unsupported-version)$/);
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.col).toBeGreaterThanOrEqual(1);
    }
  });
});

describe("each version by its own schema", () => {
  const example = path.join(ROOT, "test/fixtures/examples/original/pet-coupons.arazzo.yaml");
  const text = readFileSync(example, "utf8");

  test("a 1.0 document is read by the 1.0 schema, and the same marked 1.1.0 by the 1.1 schema", () => {
    expect(text).toMatch(/^arazzo: 1\.0\.\d+$/m);
    expect(arazzoVersion({ arazzo: "1.0.1" })).toBe("1.0");
    expect(validate(example)).toEqual({ ok: true, diagnostics: [] });
    expect(validate(example, text.replace(/^arazzo: 1\.0\.\d+$/m, "arazzo: 1.1.0"))).toEqual({ ok: true, diagnostics: [] });
  });

  test("what 1.1 added is an unknown field in a 1.0 document", () => {
    const with11 = text.replace(/^(\s+- stepId: [^\n]+)$/m, "$1\n        timeout: 1000");
    const { ok, diagnostics } = validate(example, with11);
    expect(ok).toBe(false);
    expect(diagnostics.map((d) => d.message)).toContainEqual(expect.stringContaining("unknown field `timeout`"));
    expect(validate(example, with11.replace(/^arazzo: 1\.0\.\d+$/m, "arazzo: 1.1.0")).ok).toBe(true);
  });

  test("a 1.1 failure action may retry without retryAfter or a target; so may a 1.0 one, whose text allows it", () => {
    const retry = text.replace(/^(\s+- stepId: [^\n]+)$/m, "$1\n        onFailure:\n          - name: again\n            type: retry");
    expect(validate(example, retry).ok).toBe(true);
    expect(validate(example, retry.replace(/^arazzo: 1\.0\.\d+$/m, "arazzo: 1.1.0")).ok).toBe(true);
  });

  test.each([
    ["2.0.0", '"2.0.0"'],
    ["1.2.0", '"1.2.0"'],
    ["1.1", "1.1"],
    ["1", "1"],
  ])("arazzo: %s is not a version arazzo-ts reads", (shown, written) => {
    const { ok, diagnostics } = validate("/doc.arazzo.yaml", `arazzo: ${written}\ninfo: {title: t, version: "1"}\nsourceDescriptions: []\nworkflows: []\n`);
    expect(ok).toBe(false);
    expect(diagnostics).toEqual([
      {
        severity: "error",
        code: "unsupported-version",
        message: `\`arazzo: ${shown}\` is not a version arazzo-ts reads`,
        file: "/doc.arazzo.yaml",
        line: 1,
        col: 9,
        hint: "arazzo-ts reads Arazzo 1.0.x and 1.1.x, written as a string with its patch number: `arazzo: 1.1.0`",
      },
    ]);
  });
});

describe("the schemas", () => {
  test.each(["1.0", "1.1"])("the generator validates %s documents with the specification's schema, unchanged", (version) => {
    const name = `arazzo-${version}.schema.yaml`;
    expect(readFileSync(path.join(ROOT, "generator/validate", name), "utf8")).toBe(readFileSync(path.join(SPEC, name), "utf8"));
  });
});
