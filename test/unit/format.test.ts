/**
 * Printing ts-morph structures (`generator/targets/typescript/print.ts`), formatting generated
 * code in-process and on worker threads (`format.ts`, `format-pool.ts`), and finding the
 * emitters' fragments in the formatted text (`source-map.ts`).
 */
import {
  IndentationText,
  NewLineKind,
  type OptionalKind,
  Project,
  QuoteKind,
  type SourceFileStructure,
  StructureKind,
  VariableDeclarationKind,
} from "ts-morph";
import { describe, expect, test } from "vitest";
import { formatPool, MIN_MODULES } from "../../generator/targets/typescript/format-pool.ts";
import { formatTypeScript, LINE_WIDTH, longStringLiteral, wrapComments } from "../../generator/targets/typescript/format.ts";
import { printSourceFile } from "../../generator/targets/typescript/print.ts";
import { entryAt, locateFragments } from "../../generator/targets/typescript/source-map.ts";

const location = (line: number) => ({ file: "flow.arazzo.yaml", line, col: 1 });
const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(" ");

describe("formatTypeScript", () => {
  test("lays code out within the line width and keeps quotes and import order", () => {
    const code = [
      'import { b } from "./b.js";',
      'import { a } from "./a.js";',
      `export const x = { ${Array.from({ length: 12 }, (_, i) => `key${i}: "value ${i}"`).join(", ")} };`,
      "",
    ].join("\n");
    const out = formatTypeScript("x.ts", code);
    expect(out.split("\n").every((l) => l.length <= LINE_WIDTH)).toBe(true);
    expect(out.indexOf("./b.js")).toBeLessThan(out.indexOf("./a.js"));
    expect(out).toContain('key0: "value 0",');
    expect(formatTypeScript("x.ts", out)).toBe(out);
  });
});

describe("printSourceFile", () => {
  test("the text createSourceFile gives, without creating the file", () => {
    const project = new Project({
      manipulationSettings: {
        indentationText: IndentationText.TwoSpaces,
        quoteKind: QuoteKind.Double,
        newLineKind: NewLineKind.LineFeed,
        useTrailingCommas: true,
      },
      useInMemoryFileSystem: true,
    });
    const structure: OptionalKind<SourceFileStructure> = {
      leadingTrivia: "// header\n\n",
      statements: [
        { kind: StructureKind.ImportDeclaration, moduleSpecifier: "./a.js", namedImports: ["a", { name: "B", isTypeOnly: true }] },
        {
          kind: StructureKind.Interface,
          name: "Inputs",
          isExported: true,
          docs: ["Inputs of `w`."],
          properties: [{ name: "id", type: "string", hasQuestionToken: true, docs: ["The id."] }],
        },
        {
          kind: StructureKind.Function,
          name: "run",
          isAsync: true,
          parameters: [{ name: "inputs", type: "Inputs" }],
          returnType: "Promise<void>",
          statements: ["// a comment", "await a(inputs.id);"],
        },
        { kind: StructureKind.VariableStatement, declarationKind: VariableDeclarationKind.Const, declarations: [{ name: "x", initializer: '{ a: "1" }' }] },
      ],
    };
    const file = project.createSourceFile("/p/src/w.ts", structure, { overwrite: true });
    expect(printSourceFile(project, "/p/src/w.ts", structure)).toBe(file.getFullText());
    project.removeSourceFile(file);
    expect(project.getSourceFiles()).toEqual([]);
  });
});

describe("formatPool", () => {
  const modules = Array.from({ length: MIN_MODULES + 3 }, (_, i) => [
    `/p/src/w${i}.ts`,
    [
      `// ${words(5 * i)}`,
      `export const x${i} = { ${Array.from({ length: i }, (_, k) => `key${k}: "value ${k}"`).join(", ")} };`,
      `export function f${i}(a: string,b: number) { return a+b }`,
      "",
    ].join("\n"),
  ]);

  test("on workers, the text formatTypeScript gives, each for its own task", async () => {
    const pool = formatPool(modules.length);
    try {
      const results = await Promise.all(modules.map(([file, text]) => pool.format(file!, text!)));
      expect(results).toEqual(modules.map(([file, text]) => formatTypeScript(file!, text!)));
    } finally {
      await pool.close();
    }
  });

  test("text dprint cannot read is an error; the tasks after it are formatted", async () => {
    const pool = formatPool(modules.length);
    try {
      const [broken, ...rest] = await Promise.allSettled([pool.format("/p/src/broken.ts", "const = ;"), ...modules.map(([f, t]) => pool.format(f!, t!))]);
      expect(broken).toMatchObject({ status: "rejected", reason: { message: expect.stringContaining("/p/src/broken.ts") } });
      expect(rest.map((r) => (r.status === "fulfilled" ? r.value : r.reason))).toEqual(modules.map(([f, t]) => formatTypeScript(f!, t!)));
    } finally {
      await pool.close();
    }
  });

  test("a few modules are formatted in-process, errors included", async () => {
    const pool = formatPool(2);
    await expect(pool.format("/p/src/a.ts", "const  a=1")).resolves.toBe("const a = 1;\n");
    await expect(pool.format("/p/src/broken.ts", "const = ;")).rejects.toThrow();
    await pool.close();
  });
});

describe("wrapComments", () => {
  test.each([
    ["a one-line doc comment", `/** ${words(30)} */`],
    ["a doc comment line", `/**\n * ${words(30)}\n */`],
    ["an indented line comment", `  // ${words(30)}`],
    ["a list item", `/**\n * - ${words(30)}\n */`],
  ])("%s is wrapped to the line width", (_, text) => {
    const out = wrapComments(text);
    const lines = out.split("\n");
    expect(lines.every((l) => l.length <= LINE_WIDTH)).toBe(true);
    expect(lines.length).toBeGreaterThan(text.split("\n").length);
    expect(out.replace(/\s*(\/\*\*|\*\/|\*|\/\/)\s*/g, " ").trim()).toBe(text.replace(/\s*(\/\*\*|\*\/|\*|\/\/)\s*/g, " ").trim());
  });

  test("code and short comments are left alone; code spans stay whole", () => {
    const code = `const s = "${words(30)}";`;
    expect(wrapComments(code)).toBe(code);
    expect(wrapComments("// short")).toBe("// short");
    const spans = wrapComments(`// ${words(18)} \`$statusCode == 200\` and more`);
    expect(spans).toContain("`$statusCode == 200`");
  });
});

describe("longStringLiteral", () => {
  test.each([
    ["short", "$statusCode == 200"],
    ["long with spaces", `$[?${Array.from({ length: 8 }, (_, i) => `@.status == 'state_${i}'`).join(" || ")}]`],
    ["long without spaces", "x".repeat(200)],
    ["escapes and astral characters", `"\\\`\u2028 ${"😀".repeat(100)}`],
  ])("%s: evaluates to the same string", (_, value) => {
    const code = longStringLiteral(value);
    expect(new Function(`return ${code};`)()).toBe(value);
    if (value.length <= 80) expect(code).not.toContain(" + ");
  });
});

describe("locateFragments on formatted text", () => {
  test("a fragment is found after the formatter broke it over lines and added trailing commas", () => {
    const emitted = `const init = { body: { amount: inputs.amount, currency: inputs.currency, communication: inputs.communication, method: "x" } };\n`;
    const formatted = formatTypeScript("x.ts", emitted);
    expect(formatted).not.toBe(emitted);
    const entries = [
      { fragment: "currency: inputs.currency", location: location(7) },
      { fragment: `body: { amount: inputs.amount, currency: inputs.currency, communication: inputs.communication, method: "x" }`, location: location(3) },
    ];
    const ranges = locateFragments(formatted, entries);
    expect(ranges).toHaveLength(2);
    expect(entryAt(ranges, formatted.indexOf("inputs.currency"))?.location.line).toBe(7);
    expect(entryAt(ranges, formatted.indexOf("inputs.communication"))?.location.line).toBe(3);
    expect(formatted.slice(ranges[0]!.start, ranges[0]!.end)).toBe("currency: inputs.currency");
  });

  test("a fragment is found after the formatter dropped parentheses that change nothing", () => {
    const emitted = `const outputs = { rateLimit: (result.response.headers.get("X-Rate-Limit") ?? undefined) };\n`;
    const formatted = formatTypeScript("x.ts", emitted);
    expect(formatted).not.toContain("(result");
    const ranges = locateFragments(formatted, [{ fragment: `rateLimit: (result.response.headers.get("X-Rate-Limit") ?? undefined)`, location: location(9) }]);
    expect(entryAt(ranges, formatted.indexOf("undefined"))?.location.line).toBe(9);
  });
});
