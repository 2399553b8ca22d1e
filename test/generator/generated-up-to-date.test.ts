/**
 * The committed `generated/` must be exactly what the generator produces now from
 * `specs/` (stale output fails CI), and generation must be deterministic.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { generate, type GenerateResult } from "../../generator/generate.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const GENERATED = path.join(ROOT, "generated");
/** The documents `npm run generate` covers, read from package.json so the two cannot drift (`dir/*.yml` globs expanded). */
const INPUTS = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts.generate as string)
  .split(" ")
  .filter((arg) => /\.ya?ml$/.test(arg))
  .flatMap((arg) => {
    if (!arg.includes("*")) return [path.join(ROOT, arg)];
    const dir = path.join(ROOT, path.dirname(arg));
    const pattern = new RegExp(
      `^${path
        .basename(arg)
        .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")}$`,
    );
    return readdirSync(dir)
      .filter((name) => pattern.test(name))
      .sort()
      .map((name) => path.join(dir, name));
  });

function filesOf(result: GenerateResult): Map<string, string> {
  return new Map(result.packages.flatMap((pkg) => pkg.files.map((f) => [path.join(pkg.dir, f.path), f.text] as const)));
}

describe("generated/", () => {
  test("matches a fresh generation byte for byte (run `npm run generate` if this fails)", async () => {
    expect(INPUTS.length).toBeGreaterThan(0);
    const result = await generate({ inputs: INPUTS, outDir: GENERATED, write: false });
    expect(result.ok).toBe(true);
    const fresh = filesOf(result);
    const committed = readdirSync(GENERATED, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name));
    expect([...fresh.keys()].sort()).toEqual(committed.sort());
    for (const [file, text] of fresh) {
      expect(readFileSync(file, "utf8"), path.relative(ROOT, file)).toBe(text);
    }
  });

  test("generation is deterministic", async () => {
    const first = filesOf(await generate({ inputs: INPUTS, outDir: GENERATED, write: false }));
    const second = filesOf(await generate({ inputs: INPUTS, outDir: GENERATED, write: false }));
    expect(second).toEqual(first);
  });
});
