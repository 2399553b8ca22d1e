/**
 * Declarations made for many modules in one program (`isolatedDeclarationsOfAll`, issue 24)
 * are byte for byte those `ts.transpileDeclaration` makes module by module: on every module of
 * the committed Fintecture packages, and on modules that leave an export's type out or do not
 * parse, which get none either way.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { forgetDeclarations, isolatedDeclarations, isolatedDeclarationsOfAll, shippedKey } from "../../generator/targets/typescript/declarations.ts";

const GENERATED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../generated");

function modules(): { file: string; text: string }[] {
  const packages = readdirSync(GENERATED).filter((d) => d !== "restate" && !d.startsWith("."));
  return packages.flatMap((pkg) => {
    const src = path.join(GENERATED, pkg, "src");
    return readdirSync(src)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => ({ file: path.join(src, f), text: readFileSync(path.join(src, f), "utf8") }));
  });
}

describe("declarations of many modules in one program", () => {
  test("equal transpileDeclaration's, module by module, on the generated packages", () => {
    const all = modules();
    expect(all.length).toBeGreaterThan(100);
    // Each way from scratch: neither may answer from what the other left in the per-process cache.
    forgetDeclarations();
    const each = all.map(({ file, text }) => isolatedDeclarations(file, text));
    forgetDeclarations();
    const together = isolatedDeclarationsOfAll(all);
    forgetDeclarations();
    for (const [i, { file }] of all.entries()) {
      expect(each[i], file).toBeDefined();
      expect(together.get(file), file).toEqual(each[i]);
    }
  });

  test("a module that leaves an export's type out gets no declarations (the checker's are used), the others theirs", () => {
    const dir = path.join(GENERATED, "x", "src");
    const result = isolatedDeclarationsOfAll([
      { file: path.join(dir, "a.ts"), text: "export function f(x: number) {\n  return x + 1;\n}\n" },
      { file: path.join(dir, "b.ts"), text: 'import { f } from "./a.js";\nexport const g = (x: number): number => f(x);\n' },
      { file: path.join(dir, "c.ts"), text: "export const broken = (;\n" },
    ]);
    expect(result.get(path.join(dir, "a.ts"))).toBeUndefined();
    expect(result.get(path.join(dir, "c.ts"))).toBeUndefined();
    expect(result.get(path.join(dir, "b.ts"))?.dts).toBe("export declare const g: (x: number) => number;\n//# sourceMappingURL=b.d.ts.map");
    expect(JSON.parse(result.get(path.join(dir, "b.ts"))!.map).sources).toEqual(["b.ts"]);
  });
});

describe("the runtime modules' declarations made at build time", () => {
  test("cover every runtime module the committed packages ship (both targets), with the declarations made from its text", async () => {
    const { runtimeDeclarationTable } = await import("../../generator/targets/openapi-fetch/precompile.ts");
    forgetDeclarations();
    const table = runtimeDeclarationTable();
    forgetDeclarations();
    const runtime = [GENERATED, path.join(GENERATED, "restate")].flatMap((root) =>
      readdirSync(root)
        .filter((d) => d.startsWith("fintecture-"))
        .flatMap((pkg) => {
          const src = path.join(root, pkg, "src");
          return readdirSync(src)
            .map((f) => ({ file: path.join(src, f), text: readFileSync(path.join(src, f), "utf8") }))
            .filter(({ text }) => text.includes("the runtime support every generated package ships"));
        }),
    );
    const names = new Set(runtime.map((m) => path.basename(m.file)));
    expect(names.size).toBeGreaterThan(6);
    expect(names).toContain("runtime-restate.ts");
    for (const { file, text } of runtime) {
      const shipped = table[shippedKey(file, text)];
      expect(shipped, file).toBeDefined();
      expect(shipped).toEqual(isolatedDeclarations(file, text)); // made again from the text (the cache was emptied)
    }
  });
});
