/**
 * The generated code reads as careful hand-written code (issue 11): every package in
 * `generated/` compiles with `noUnusedLocals` and `noUnusedParameters` (no unused aliases,
 * imports or parameters), and its workflow modules are formatted to 120 columns, write
 * `NonNullable<T>` rather than `NonNullable<T | undefined>` and `a !== b` rather than
 * `!(a === b)`, and link (`{@link X}`) only to names they import or declare.
 * `generated-up-to-date.test.ts` checks that `generated/` is what the generator gives now.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, test } from "vitest";
import { LINE_WIDTH } from "../../generator/targets/typescript/format.ts";

const GENERATED = path.resolve(import.meta.dirname, "../../generated");
/** The plain packages, and the restate target's in `generated/restate/`. */
const packagesIn = (dir: string) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== "restate")
    .map((e) => path.join(dir, e.name));
const PACKAGES = [...packagesIn(GENERATED), ...packagesIn(path.join(GENERATED, "restate"))].sort();
const sources = (pkg: string) =>
  readdirSync(path.join(pkg, "src"))
    .filter((name) => name.endsWith(".ts"))
    .sort()
    .map((name) => path.join(pkg, "src", name));
/** The emitted workflow modules: everything but openapi-typescript's types, the client and index templates and the runtime. */
/** The workflow modules: not the types, clients, runtime, index, mocks (data) or response validators (Ajv's code). */
const workflowModules = (pkg: string) =>
  sources(pkg).filter((file) => !/(\.paths|\.client|^runtime.*|^durable|^index|^mocks.*|^response-validators)\.ts$/.test(path.basename(file)));
const relative = (file: string) => path.relative(GENERATED, file);

describe("generated code quality", () => {
  test("there are packages to check, each with a workflow module", () => {
    expect(PACKAGES.length).toBeGreaterThanOrEqual(26);
    for (const pkg of PACKAGES) expect(workflowModules(pkg).length, relative(pkg)).toBeGreaterThan(0);
  });

  test("every package compiles with noUnusedLocals and noUnusedParameters, without a diagnostic", () => {
    const program = ts.createProgram(PACKAGES.flatMap(sources), {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
      strict: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      skipLibCheck: true,
      noEmit: true,
      types: [],
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${relative(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : "";
      return `${where} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
    });
    expect(diagnostics).toEqual([]);
  });

  describe.each(PACKAGES.map((pkg) => [path.basename(pkg), pkg]))("%s", (_, pkg) => {
    test.each(workflowModules(pkg).map((file) => [path.basename(file), file]))("%s has no line over 120 characters and none of the noise", (_, file) => {
      const text = readFileSync(file, "utf8");
      const long = text.split("\n").flatMap((line, i) => ([...line].length > LINE_WIDTH ? [`${i + 1}: ${line}`] : []));
      expect(long).toEqual([]);
      expect(text).not.toMatch(/\| undefined>/);
      expect(text).not.toMatch(/!\([^()]*[!=]==[^()]*\)/);
      const links = [...text.matchAll(/\{@link\s+([\w$]+)/g)].map((m) => m[1]!);
      const inScope = (name: string) =>
        new RegExp(`^import\\b[^;]*\\b${name}\\b|^(?:export )?(?:async )?(?:function|interface|type|const|let|class) ${name}\\b`, "m").test(text);
      expect(links.filter((name) => !inScope(name))).toEqual([]);
    });
  });
});
