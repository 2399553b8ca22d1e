/**
 * A generated package can be published as it is: npm metadata from the options (what the
 * config's `documents[].package` sets), a LICENSE, headers and README that name the specs
 * relative to the project (never a path that climbs out of it), declaration maps into the
 * `src/` it ships, `require()` through the `default` export condition, and `npm pack` /
 * `npm publish --dry-run` accept it.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generate, type GenerateResult } from "../../generator/generate.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SEED = path.join(ROOT, "specs/fintecture/arazzo/fintecture-token-then-payment-workflow.yml");
// Inside the repository (git-ignored `.out-*`), so Node resolves openapi-fetch from its node_modules.
const OUT = mkdtempSync(path.join(import.meta.dirname, ".out-publishable-"));
const PKG = path.join(OUT, "fintecture-token-then-payment-workflow");

let result: GenerateResult;
beforeAll(async () => {
  result = await generate({
    inputs: [SEED],
    outDir: OUT,
    projectRoot: ROOT,
    packages: {
      [SEED]: {
        name: "@acme/fintecture-payments",
        version: "2.1.0",
        license: "MIT",
        repository: "https://github.com/acme/payments.git",
        author: "Acme Corp",
        access: "public",
      },
    },
  });
}, 120_000);
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

const read = (file: string) => readFileSync(path.join(PKG, file), "utf8");
const npm = (...args: string[]) => execFileSync("npm", args, { cwd: PKG, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

describe("a generated package with npm metadata", () => {
  test("package.json carries the metadata, an exports map with types, import and default, and engines", () => {
    expect(result.ok).toBe(true);
    const pkg = JSON.parse(read("package.json"));
    expect(pkg).toMatchObject({
      name: "@acme/fintecture-payments",
      version: "2.1.0",
      license: "MIT",
      author: "Acme Corp",
      repository: { type: "git", url: "https://github.com/acme/payments.git" },
      exports: { ".": { types: "./dist/index.d.ts", import: "./dist/index.js", default: "./dist/index.js" } },
      engines: { node: ">=20.19" },
      // A scoped name published as public, as the config says (`access`; without it npm's default, restricted, applies).
      publishConfig: { access: "public" },
    });
    expect(pkg.dependencies["openapi-fetch"]).toMatch(/^\^0\.\d+\.\d+$/);
  });

  test("a LICENSE names the license and the author", () => {
    expect(read("LICENSE")).toMatch(/^MIT License\n\nCopyright \(c\) Acme Corp\n/);
  });

  test("headers and README name the specs relative to the project, never climbing out", () => {
    const specs = ["specs/fintecture/arazzo/fintecture-token-then-payment-workflow.yml", "specs/fintecture/openapi/fintecture-pis-api-openapi.yml"];
    for (const file of ["src/token-then-payment.ts", "dist/token-then-payment.js", "dist/token-then-payment.d.ts", "README.md"]) {
      const text = read(file);
      for (const spec of specs) expect(text, file).toContain(spec);
      expect(text, file).not.toMatch(/\.\.\/|\/work\/|\/tmp\//);
    }
    expect(read("README.md")).toContain('from "@acme/fintecture-payments"');
  });

  test("declaration maps point into the shipped src/, at the right line", () => {
    const map = JSON.parse(read("dist/token-then-payment.d.ts.map")) as { sources: string[]; mappings: string };
    expect(map.sources).toEqual(["../src/token-then-payment.ts"]);
    const dts = read("dist/token-then-payment.d.ts").split("\n");
    const src = read("src/token-then-payment.ts").split("\n");
    const generatedLine = dts.findIndex((l) => l.includes("export declare function runTokenThenPayment"));
    const sourceLine = src.findIndex((l) => l.includes("export async function runTokenThenPayment"));
    expect(generatedLine).toBeGreaterThan(0);
    expect(sourceLineOf(map.mappings, generatedLine)).toBe(sourceLine);
  });

  test("require() loads it (the `default` condition; require of ES modules, Node 20.19+)", () => {
    const out = execFileSync(process.execPath, ["-e", `console.log(typeof require(${JSON.stringify(PKG)}).runTokenThenPayment)`], { encoding: "utf8" });
    expect(out.trim()).toBe("function");
  });

  test("npm pack ships dist, declaration maps, src, README and LICENSE, and no tsconfig", () => {
    const [packed] = JSON.parse(npm("pack", "--dry-run", "--json")) as { name: string; files: { path: string }[] }[];
    const files = packed!.files.map((f) => f.path).sort();
    expect(packed!.name).toBe("@acme/fintecture-payments");
    expect(files).toEqual(
      expect.arrayContaining([
        "LICENSE",
        "README.md",
        "package.json",
        "dist/index.js",
        "dist/index.d.ts",
        "dist/index.d.ts.map",
        "src/index.ts",
        "src/token-then-payment.ts",
      ]),
    );
    expect(files).not.toContain("tsconfig.json");
  });

  test("npm publish --dry-run accepts it, as public without `--access` (its publishConfig)", () => {
    const out = execFileSync("npm", ["publish", "--dry-run"], { cwd: PKG, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    expect(out).toContain("@acme/fintecture-payments@2.1.0");
  });
});

/** The source line (0-based) of the first mapping on generated line `line` (0-based), decoding the VLQ `mappings`. */
function sourceLineOf(mappings: string, line: number): number | undefined {
  const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  let sourceLine = 0;
  const lines = mappings.split(";");
  for (let l = 0; l < lines.length; l++) {
    for (const segment of lines[l]!.split(",").filter(Boolean)) {
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of segment) {
        const digit = B64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      if (fields.length >= 4) sourceLine += fields[2]!;
      if (l === line) return sourceLine;
    }
  }
  return undefined;
}
