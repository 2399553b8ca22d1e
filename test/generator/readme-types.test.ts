/**
 * The generated README's inputs and outputs tables (issue 23): an input's type is the one the
 * run function takes (the declared type narrowed by the API fields it flows into, as the
 * compiler narrows it), and long types are shown whole (folded in a `<details>`), never cut.
 * Checked against the compiler itself: each type in the inputs table is the text TypeScript
 * prints for the property of the generated `<Workflow>Inputs`.
 */
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { Project, ts } from "ts-morph";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generate, type GenerateResult } from "../../generator/generate.ts";
import { checkCompilerOptions } from "../../generator/targets/typescript/compiler-options.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const OUT = path.join(import.meta.dirname, ".out-readme-types");
const PKG = path.join(OUT, "readme");

let result: GenerateResult;
beforeAll(async () => {
  result = await generate({ inputs: [path.join(ROOT, "test/fixtures/readme-types/readme.arazzo.yaml")], outDir: OUT });
}, 120_000);
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

/** The rows of the README table whose header starts with `| <first> |`: cells as text, HTML entities and `<code>` undone. */
function table(readme: string, first: string): string[][] {
  const lines = readme.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`| ${first} |`));
  const rows: string[][] = [];
  for (let i = start + 2; i < lines.length && lines[i]!.startsWith("|"); i++) rows.push(lines[i]!.slice(2, -2).split(" | "));
  return rows;
}

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, "")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** The types TypeScript gives the properties of interface `name` in the package's sources, printed in full. */
function compilerTypes(name: string): Record<string, string> {
  const project = new Project({ compilerOptions: ts.convertCompilerOptionsFromJson(checkCompilerOptions(), ROOT).options });
  project.addSourceFilesAtPaths(path.join(PKG, "src/*.ts"));
  const inputs = project
    .getSourceFiles()
    .flatMap((f) => f.getInterfaces())
    .find((i) => i.getName() === name)!;
  return Object.fromEntries(
    inputs.getProperties().map((p) => [p.getName(), p.getType().getText(p, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseFullyQualifiedType)]),
  );
}

describe("the README's inputs and outputs tables", () => {
  test("it generates", () => {
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  test("each input's type is the one the compiler takes for it (the declared one narrowed by the API fields)", () => {
    const rows = table(readFileSync(path.join(PKG, "README.md"), "utf8"), "input");
    const readme = Object.fromEntries(rows.map((r) => [text(r[0]!), text(r[1]!)]));
    expect(readme).toEqual(compilerTypes("AddInputs"));
    // What that is, written out: a string into an enum field, an enum into a narrower one, no type into a string, ...
    expect(readme).toEqual({
      size: '"S" | "M" | "L"',
      color: '"red" | "green"',
      mode: '"fast"',
      count: "number",
      anything: "string",
      tags: '("new" | "sale")[]',
      kind: '"a" | "b"',
      state: '"on" | "off"',
    });
  });

  test("an input narrowed says what it was declared and what narrowed it", () => {
    const rows = table(readFileSync(path.join(PKG, "README.md"), "utf8"), "input");
    const described = Object.fromEntries(rows.map((r) => [text(r[0]!), text(r[3]!)]));
    expect(described.size).toBe("The size. Declared string, narrowed to the type of request body field /size of step add.");
    expect(described.kind).toBe("Declared string, narrowed to the types of the API fields it flows into.");
    expect(described.mode).toBe("");
  });

  test("a long output type is shown whole, folded in a <details> element, and an input read as an output is narrowed too", () => {
    const readme = readFileSync(path.join(PKG, "README.md"), "utf8");
    const rows = Object.fromEntries(table(readme, "output").map((r) => [text(r[0]!), r[1]!]));
    const regions = [
      "africa-north",
      "africa-south",
      "america-central",
      "america-north",
      "america-south",
      "antarctica",
      "asia-east",
      "asia-south",
      "europe-east",
      "europe-west",
      "oceania",
    ];
    expect(rows.region).toMatch(/^<details><summary>.* \(a union of 11 types\)<\/summary><code>.*<\/code><\/details>$/);
    expect(text(rows.region!.replace(/^.*<\/summary>/, ""))).toBe(regions.map((r) => JSON.stringify(r)).join(" | "));
    expect(text(rows.size!)).toBe('"S" | "M" | "L"');
  });
});
