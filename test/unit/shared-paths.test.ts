/**
 * A fresh clone has no `../shared` beside it (issue 23): what the tests need from the Arazzo
 * specification is vendored (`test/fixtures/spec/`, `test/fixtures/examples/`), and the
 * real-world corpus is reached only through `test/helpers/shared.mjs`, which says why a
 * suite is skipped without it and fails under CI. So no other test or bench file may name a
 * path into `../shared`: a string or template literal holding `../shared/…` (any number of
 * `../` before it), or `".."` followed by `"shared…"` among a call's arguments
 * (`path.join(root, "..", "shared")`). The files are parsed with the TypeScript compiler, so
 * comments that mention `../shared` are not counted.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, test } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const HELPER = "test/helpers/shared.mjs";
const CODE = /\.(ts|mts|cts|js|mjs|cjs)$/;

/** Code files under `dir` (relative to the project, `/`-separated), skipping dependencies and output (`node_modules`, folders starting with `.`). */
function codeFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name.startsWith(".") || entry.name === "node_modules" || entry.name === "__snapshots__" ? [] : codeFiles(rel);
    return CODE.test(entry.name) ? [rel] : [];
  });
}

const SHARED_PATH = /\.\.\/shared(\/|$)/;

/** Each place in `text` that names a path into `../shared`, as `file:line: literal`. */
function sharedPaths(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith(".ts") ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const found: string[] = [];
  const report = (node: ts.Node) => found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.getText()}`);
  const visit = (node: ts.Node): void => {
    if (
      (ts.isStringLiteral(node) ||
        ts.isNoSubstitutionTemplateLiteral(node) ||
        ts.isTemplateHead(node) ||
        ts.isTemplateMiddle(node) ||
        ts.isTemplateTail(node)) &&
      SHARED_PATH.test(node.text)
    ) {
      report(node);
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const args = node.arguments ?? [];
      args.forEach((arg, i) => {
        const next = args[i + 1];
        if (ts.isStringLiteralLike(arg) && /^(\.\.\/)*\.\.\/?$/.test(arg.text) && next && ts.isStringLiteralLike(next) && /^shared(\/|$)/.test(next.text)) {
          report(node);
        }
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("../shared is reached only through test/helpers/shared.mjs", () => {
  // Not the helper, nor this file, whose examples name such paths on purpose.
  const files = [...codeFiles("test"), ...codeFiles("bench")].filter((f) => f !== HELPER && f !== "test/unit/shared-paths.test.ts").sort();

  test("the check finds each way of naming it, and not a comment, the generator's shared/ or a fixture's _shared", () => {
    const source = [
      `const a = path.resolve(import.meta.dirname, "../../../shared/corpus");`,
      "const b = `${root}/../shared/reference/x.yaml`;",
      `const c = path.join(ROOT, "..", "shared", "corpus");`,
      `const d = new URL("../../shared/", import.meta.url);`,
      `// ../shared/corpus in a comment`,
      `/** ../shared/reference */`,
      `import { closest } from "../../generator/shared/suggest.ts";`,
      `const e = "../_shared/api.openapi.yaml";`,
      `const f = "without ../shared beside the checkout";`,
    ].join("\n");
    expect(sharedPaths("x.ts", source).map((line) => line.split(": ")[0])).toEqual(["x.ts:1", "x.ts:2", "x.ts:3", "x.ts:4"]);
  });

  test("the helper is there and the walk reaches the tests and benchmarks", () => {
    expect(readFileSync(path.join(ROOT, HELPER), "utf8")).toMatch(/export const CORPUS\b/);
    expect(files).toContain("test/corpus/corpus.ts");
    expect(files).toContain("bench/generation.mjs");
    expect(files.length).toBeGreaterThan(100);
  });

  test("no test or bench file names a path into ../shared", () => {
    const found = files.flatMap((file) => sharedPaths(file, readFileSync(path.join(ROOT, file), "utf8")));
    expect(found, `read ../shared through ${HELPER} (CORPUS, corpusFile), or vendor what is needed under test/fixtures/`).toEqual([]);
  });
});
