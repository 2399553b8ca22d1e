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
/**
 * The documents and output folders of `npm run generate` (one command per target), read from
 * package.json so the two cannot drift (`dir/*.yml` globs expanded).
 */
const COMMANDS = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts.generate as string).split("&&").map((command) => {
  const args = command.trim().split(/\s+/);
  const option = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  return { inputs: inputsOf(args), outDir: path.join(ROOT, option("--out") ?? "."), target: option("--target") };
});
const INPUTS = COMMANDS[0]!.inputs;

function inputsOf(args: readonly string[]): string[] {
  return args
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
}

function filesOf(result: GenerateResult): Map<string, string> {
  return new Map(result.packages.flatMap((pkg) => pkg.files.map((f) => [path.join(pkg.dir, f.path), f.text] as const)));
}

describe("generated/", () => {
  test("npm run generate writes generated/ and, with the restate target, generated/restate/", () => {
    expect(COMMANDS.map((c) => [path.relative(ROOT, c.outDir), c.target])).toEqual([
      ["generated", undefined],
      [path.join("generated", "restate"), "restate"],
    ]);
    expect(COMMANDS[1]!.inputs).toEqual(INPUTS);
  });

  test("matches a fresh generation byte for byte (run `npm run generate` if this fails)", async () => {
    expect(INPUTS.length).toBeGreaterThan(0);
    const fresh = new Map<string, string>();
    for (const command of COMMANDS) {
      const result = await generate({ inputs: command.inputs, outDir: command.outDir, write: false, ...(command.target ? { target: command.target } : {}) });
      expect(result.ok, JSON.stringify(result.diagnostics.filter((d) => d.severity === "error"))).toBe(true);
      for (const [file, text] of filesOf(result)) fresh.set(file, text);
    }
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
