/**
 * `validate` checks everything `generate` checks, type-check included, and writes nothing;
 * `--no-types` (`types: false`) is the quick form that stops before emitting code.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { validate } from "../../generator/analyze.ts";
import { runCli, workspace } from "../helpers/workspace.ts";

const MALFORMED = path.resolve(import.meta.dirname, "../malformed");
const TYPE_ERROR = "payload-wrong-type/payload-wrong-type.arazzo.yaml";

describe("validate type-checks", () => {
  test("a document whose only problem is a type error fails validate, at the Arazzo value", async () => {
    const result = await runCli(["validate", TYPE_ERROR], MALFORMED);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "payload-wrong-type/payload-wrong-type.arazzo.yaml:17:19 - error TS2322: Type 'boolean' is not assignable to type 'string'.\n  hint: sent as field `/name` of the request body of `POST /pets` (`createPet`)\n  generated src/create-pet.ts:93: name: true,",
    );
    expect(result.stderr).toContain("1 document(s) checked: 1 error(s), 0 warning(s).");
  });

  test("--no-types skips the type-check: the same document passes", async () => {
    const result = await runCli(["validate", "--no-types", TYPE_ERROR], MALFORMED);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("1 document(s) checked: 0 error(s), 0 warning(s). Generated code not type-checked (--no-types).");
  });

  test("the API: validate() type-checks unless types: false", async () => {
    const input = path.join(MALFORMED, TYPE_ERROR);
    const full = await validate({ inputs: [input] });
    expect(full.ok).toBe(false);
    expect(full.diagnostics.map((d) => `${d.line}:${d.col} ${d.code}`)).toEqual(["17:19 TS2322"]);
    expect((await validate({ inputs: [input], types: false })).ok).toBe(true);
  });

  test("validate writes nothing, with --out or without", async () => {
    const ws = workspace("mini");
    try {
      const before = readdirSync(ws.dir).sort();
      expect((await runCli(["validate", "order.arazzo.yaml"], ws.dir)).code).toBe(0);
      expect((await runCli(["validate", "order.arazzo.yaml", "--out", "out"], ws.dir)).code).toBe(0);
      expect(readdirSync(ws.dir).sort()).toEqual(before);
      expect(existsSync(ws.file("out"))).toBe(false);
    } finally {
      ws.remove();
    }
  });

  test("two documents that would generate the same package fail validate as they fail generate", async () => {
    const ws = workspace("mini");
    try {
      const result = await runCli(["validate", "order.arazzo.yaml", "./order.arazzo.yaml"], ws.dir);
      expect(result.code).toBe(0); // the same file twice is one document
      ws.write("order.arazzo.yml", "");
      const clash = await runCli(["validate", "order.arazzo.yaml", "order.arazzo.yml"], ws.dir);
      expect(clash.code).toBe(1);
      expect(clash.stderr).toContain("error duplicate-package: order.arazzo.yml and order.arazzo.yaml would both generate package `order`");
    } finally {
      ws.remove();
    }
  });

  test("--no-types is an option of validate only", async () => {
    const result = await runCli(["generate", "x.arazzo.yaml", "--out", "out", "--no-types"], process.cwd());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error: --no-types is an option of validate, not generate (generate always type-checks)");
  });
});
