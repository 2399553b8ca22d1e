/**
 * The native checker in chunks (`check-chunks.ts`, `check-native.ts`; issue 24): above a size,
 * modules are checked in several tsgo programs, each against the declarations of what it
 * imports from earlier chunks. The result must be the one program's: the same `dist/`, byte for
 * byte, and the same type errors, each once, wherever the faulty module falls.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { modulesOf, planChunks } from "../../generator/targets/typescript/check-chunks.ts";
import { checkNative, nativeChecker } from "../../generator/targets/typescript/check-native.ts";
import type { PackageToCompile } from "../../generator/targets/typescript/check-result.ts";

const GENERATED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../generated");
const tsgo = nativeChecker();

/** A committed package's sources as generation hands them to the checker, at a place of their own. */
function generatedPackage(name: string, edit: (file: string, text: string) => string = (_, t) => t): PackageToCompile {
  const src = path.join(GENERATED, name, "src");
  return {
    dir: path.join("/tmp/arazzo-ts-chunks", name),
    files: readdirSync(src)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => ({ path: `src/${f}`, text: edit(f, readFileSync(path.join(src, f), "utf8")) })),
  };
}

const SEED = "fintecture-token-then-payment-workflow";
const OTHER = "fintecture-customer-onboard-payment-workflow";

describe("planChunks", () => {
  test("puts each module after what it imports, cuts by size, and gives each chunk the declarations it needs", () => {
    const modules = modulesOf([generatedPackage(SEED)]);
    const byName = (f: string) => path.basename(f);
    const chunks = planChunks(modules, 60_000);
    expect(chunks.length).toBeGreaterThan(2);
    const order = chunks.flatMap((c) => c.modules.map(byName));
    expect([...order].sort()).toEqual(modules.map((m) => byName(m.file)).sort());
    for (const m of modules)
      for (const i of m.imports) expect(order.indexOf(byName(i)), `${byName(m.file)} imports ${byName(i)}`).toBeLessThan(order.indexOf(byName(m.file)));
    // The mocks import the workflow module, which imports the runtime: both come as declarations.
    const last = chunks.at(-1)!;
    expect(last.modules.map(byName)).toEqual(["mocks.ts", "mocks-msw.ts"]);
    expect(last.declared.map(byName)).toEqual(expect.arrayContaining(["token-then-payment.ts", "runtime.ts", "pis-api.paths.ts"]));
    expect(chunks[0]!.declared).toEqual([]);
  });

  test("modules that import each other stay in one chunk", () => {
    const m = (file: string, imports: string[]) => ({ file, size: 10, imports });
    const chunks = planChunks([m("/a.ts", ["/b.ts"]), m("/b.ts", ["/a.ts", "/c.ts"]), m("/c.ts", [])], 10);
    expect(chunks.map((c) => c.modules)).toEqual([["/c.ts"], ["/a.ts", "/b.ts"]]);
    expect(chunks[1]!.declared).toEqual(["/c.ts"]);
  });
});

describe.skipIf(!tsgo)("checkNative in chunks", () => {
  test("gives the one program's dist/, byte for byte", async () => {
    const packages = [generatedPackage(SEED), generatedPackage(OTHER)];
    const whole = await checkNative(tsgo!, packages, Number.POSITIVE_INFINITY);
    const chunked = await checkNative(tsgo!, packages, 60_000);
    expect(whole.diagnostics).toEqual([]);
    expect(chunked.diagnostics).toEqual([]);
    expect(whole.dist.get(packages[0]!.dir)!.length).toBeGreaterThan(30);
    expect(chunked.dist).toEqual(whole.dist);
  }, 120_000);

  test("reports the same type errors, each once, in a module of any chunk", async () => {
    // A wrong value in the workflow module, and one in a module everything imports.
    const broken = generatedPackage(SEED, (file, text) =>
      file === "token-then-payment.ts"
        ? text.replace('grant_type: "client_credentials",', "grant_type: 42,")
        : file === "runtime-servers.ts"
          ? `${text}\nexport const wrong: number = "text";\n`
          : text,
    );
    const whole = await checkNative(tsgo!, [broken], Number.POSITIVE_INFINITY);
    const chunked = await checkNative(tsgo!, [broken], 60_000);
    expect(whole.diagnostics.map((d) => d.code).sort()).toEqual(["TS2322", "TS2322"]);
    expect(chunked.diagnostics).toEqual(whole.diagnostics);
    expect(chunked.dist.size).toBe(0);
  }, 120_000);
});
