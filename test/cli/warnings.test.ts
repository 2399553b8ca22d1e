/**
 * Controlling warnings: config `warnings` (`off` drops a warning, `error` makes it an
 * error: exit 1, nothing written), `--quiet` (errors only, no success summary) and
 * `--max-warnings <n>` (exit 1 beyond n, like eslint). The fixture's only warning is an
 * `unbraced-expression` at order.arazzo.yaml:26:20.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { generate } from "../../generator/generate.ts";
import { runCli, workspace, type Workspace } from "../helpers/workspace.ts";

const WARNING = "order.arazzo.yaml:26:20 - warning unbraced-expression:";
let ws: Workspace | undefined;
afterEach(() => {
  ws?.remove();
  ws = undefined;
});

/** The mini fixture with one warning, and a config when `warnings` is given. */
function withWarning(warnings?: Record<string, string>): Workspace {
  ws = workspace("mini").patch("order.arazzo.yaml", "value: $inputs.key", 'value: "key-$inputs.key"');
  if (warnings) ws.write("arazzo-ts.config.json", JSON.stringify({ documents: ["order.arazzo.yaml"], out: "out", warnings }));
  return ws;
}

describe("config warnings: off, warn, error", () => {
  test("default and warn: printed, exit 0, written", async () => {
    for (const p of [withWarning(), withWarning({ "unbraced-expression": "warn" })]) {
      const result = await runCli(["generate", "order.arazzo.yaml", "--out", "out"], p.dir);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(WARNING);
      expect(result.stdout).toContain("Generated 1 package(s) in");
      expect(result.stdout).toContain("with 1 warning(s).");
      p.remove();
    }
  });

  test("off: not printed, not counted", async () => {
    const p = withWarning({ "unbraced-expression": "off" });
    const result = await runCli(["generate"], p.dir);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("unbraced-expression");
    expect(result.stdout).toMatch(/Generated 1 package\(s\) in \d+ ms\.$/);
    const validated = await runCli(["validate", "--no-types"], p.dir);
    expect(validated.stdout).toContain("1 document(s) checked: 0 error(s), 0 warning(s).");
  });

  test("error: reported as an error, exit 1, nothing written (generate and both forms of validate)", async () => {
    const p = withWarning({ "unbraced-expression": "error" });
    const result = await runCli(["generate"], p.dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("order.arazzo.yaml:26:20 - error unbraced-expression:");
    expect(result.stderr).toContain("Found 1 error(s) and 0 warning(s); nothing was written.");
    expect(existsSync(p.file("out"))).toBe(false);
    for (const args of [["validate"], ["validate", "--no-types"]]) {
      const validated = await runCli(args, p.dir);
      expect(validated.code).toBe(1);
      expect(validated.stderr).toContain("order.arazzo.yaml:26:20 - error unbraced-expression:");
    }
  });

  test("the API: generate({ warnings })", async () => {
    const p = withWarning();
    const options = { inputs: [p.file("order.arazzo.yaml")], outDir: p.file("out"), write: false };
    expect((await generate(options)).diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(["warning unbraced-expression"]);
    expect((await generate({ ...options, warnings: { "unbraced-expression": "off" } })).diagnostics).toEqual([]);
    const failed = await generate({ ...options, warnings: { "unbraced-expression": "error" } });
    expect([failed.ok, failed.diagnostics.map((d) => `${d.severity} ${d.code}`)]).toEqual([false, ["error unbraced-expression"]]);
  });

  test("the schema lists exactly the warning codes the generator reports", () => {
    const generator = path.resolve(import.meta.dirname, "../../generator");
    const codes = new Set<string>();
    for (const file of readdirSync(generator, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"))) {
      for (const match of readFileSync(path.join(generator, file), "utf8").matchAll(/\.warning\(\s*"([a-z-]+)"/g)) codes.add(match[1]!);
    }
    const schema = JSON.parse(readFileSync(path.join(generator, "config/arazzo-ts.config.schema.json"), "utf8"));
    expect(codes.size).toBeGreaterThan(10);
    expect([...schema.properties.warnings.propertyNames.enum].sort()).toEqual([...codes].sort());
  });
});

describe("--quiet", () => {
  test("no warnings and no success summary", async () => {
    const p = withWarning();
    for (const args of [
      ["generate", "order.arazzo.yaml", "--out", "out", "--quiet"],
      ["validate", "order.arazzo.yaml", "-q"],
      ["generate", "order.arazzo.yaml", "--out", "out", "--check", "-q"],
    ]) {
      const result = await runCli(args, p.dir);
      expect(result.code).toBe(0);
      expect([result.stdout, result.stderr]).toEqual(["", ""]);
    }
  });

  test("errors still print", async () => {
    const p = withWarning().patch("order.arazzo.yaml", "operationId: getOrder", "operationId: getOrdr");
    const result = await runCli(["generate", "order.arazzo.yaml", "--out", "out", "--quiet"], p.dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("error unknown-operation: operationId `getOrdr` does not exist in `shop`");
    expect(result.stderr).toContain("Found 1 error(s) and 1 warning(s); nothing was written.");
  });
});

describe("--max-warnings", () => {
  test("more warnings than allowed: exit 1, and it says why", async () => {
    const p = withWarning();
    const generated = await runCli(["generate", "order.arazzo.yaml", "--out", "out", "--max-warnings", "0"], p.dir);
    expect(generated.code).toBe(1);
    expect(generated.stderr).toBe("\nFound 1 warning(s), more than --max-warnings 0 allows: exit code 1.");
  });

  test("with --quiet, the warnings that fail it are printed all the same (generate, --check, validate, validate --no-types)", async () => {
    const p = withWarning();
    expect((await runCli(["generate", "order.arazzo.yaml", "--out", "out", "-q"], p.dir)).code).toBe(0);
    for (const args of [
      ["generate", "order.arazzo.yaml", "--out", "out", "--max-warnings", "0", "--quiet"],
      ["generate", "order.arazzo.yaml", "--out", "out", "--check", "--max-warnings", "0", "-q"],
      ["validate", "order.arazzo.yaml", "--max-warnings", "0", "--quiet"],
      ["validate", "order.arazzo.yaml", "--no-types", "-q", "--max-warnings", "0"],
    ]) {
      const result = await runCli(args, p.dir);
      expect(result.code, args.join(" ")).toBe(1);
      expect(result.stdout.startsWith(`${WARNING} `), `${args.join(" ")}: ${result.stdout}`).toBe(true);
      expect(result.stdout, args.join(" ")).not.toMatch(/Generated|checked|up to date/);
      expect(result.stderr, args.join(" ")).toBe("\nFound 1 warning(s), more than --max-warnings 0 allows: exit code 1.");
    }
    // Within the budget, --quiet still prints nothing.
    const within = await runCli(["validate", "order.arazzo.yaml", "--max-warnings", "1", "-q"], p.dir);
    expect([within.code, within.stdout, within.stderr]).toEqual([0, "", ""]);
  });

  test("as many as allowed: exit 0; warnings turned off do not count", async () => {
    const p = withWarning();
    expect((await runCli(["validate", "order.arazzo.yaml", "--max-warnings", "1"], p.dir)).code).toBe(0);
    p.write("arazzo-ts.config.json", JSON.stringify({ warnings: { "unbraced-expression": "off" } }));
    expect((await runCli(["validate", "order.arazzo.yaml", "--max-warnings", "0"], p.dir)).code).toBe(0);
  });

  test("not a number: a usage error", async () => {
    const result = await runCli(["validate", "x.arazzo.yaml", "--max-warnings", "many"], process.cwd());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: --max-warnings takes a number of warnings \(0 or more\), not "many"\n/);
  });
});
