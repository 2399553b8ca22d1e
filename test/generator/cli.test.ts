/**
 * The command line beyond `generate`: `validate` (checks only, exit codes), `--check`
 * (stale output detection), schema violations reported at their position, and the real
 * `bin.js` process (exit code, no stack trace).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { runCli, workspace } from "../helpers/workspace.ts";

const BIN = path.resolve(import.meta.dirname, "../../generator/bin.js");

describe("arazzo-ts validate", () => {
  test("a valid document: exit 0, warnings printed, nothing written", async () => {
    const ws = workspace("mini");
    try {
      const result = await runCli(["validate", "order.arazzo.yaml"], ws.dir);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("1 document(s) checked: 0 error(s), 0 warning(s).");
    } finally {
      ws.remove();
    }
  });

  test("a field the schema does not allow: exit 1, at the field's position", async () => {
    const ws = workspace("mini").patch("order.arazzo.yaml", "        operationId: getOrder\n", "        operationId: getOrder\n        operationID: typo\n");
    try {
      const result = await runCli(["validate", "order.arazzo.yaml"], ws.dir);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("order.arazzo.yaml:39:9 - error schema: `workflows.0.steps.1` has unknown field `operationID`");
      expect(result.stderr).toContain("hint: extension fields must start with `x-`");
    } finally {
      ws.remove();
    }
  });

  test("a missing required field and a wrong type", async () => {
    const ws = workspace("mini")
      .patch("order.arazzo.yaml", "  version: 2.1.0\n", "")
      .patch("order.arazzo.yaml", "    summary: Place an order and read it back.", "    summary: [not, a, string]");
    try {
      const result = await runCli(["validate", "order.arazzo.yaml"], ws.dir);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("order.arazzo.yaml:3:3 - error schema: `info` is missing required field `version`");
      expect(result.stderr).toContain("order.arazzo.yaml:10:14 - error schema: `workflows.0.summary` must be of type string");
    } finally {
      ws.remove();
    }
  });
});

describe("arazzo-ts generate --check", () => {
  test("reports missing, changed and left-over files, and passes once up to date", async () => {
    const ws = workspace("mini");
    try {
      const fresh = await runCli(["generate", "order.arazzo.yaml", "--out", "out", "--check"], ws.dir);
      expect(fresh.code).toBe(1);
      expect(fresh.stderr).toContain(`missing ${path.join("out", "order", "src", "place-order.ts")}`);

      expect((await runCli(["generate", "order.arazzo.yaml", "--out", "out"], ws.dir)).code).toBe(0);
      const upToDate = await runCli(["generate", "order.arazzo.yaml", "--out", "out", "--check"], ws.dir);
      expect(upToDate.code).toBe(0);
      expect(upToDate.stdout).toContain("Generated files are up to date");

      appendFileSync(ws.file("out/order/src/place-order.ts"), "// edited by hand\n");
      writeFileSync(ws.file("out/order/dist/stale.js"), "");
      const stale = await runCli(["generate", "order.arazzo.yaml", "--out", "out", "--check"], ws.dir);
      expect(stale.code).toBe(1);
      expect(stale.stderr).toContain(`changed ${path.join("out", "order", "src", "place-order.ts")}`);
      expect(stale.stderr).toContain(`extra   ${path.join("out", "order", "dist", "stale.js")}`);
      expect(stale.stderr).toContain("2 generated file(s) are out of date");
    } finally {
      ws.remove();
    }
  });
});

describe("--source", () => {
  test("reads a source description named by URL from a local file", async () => {
    const examples = path.resolve(import.meta.dirname, "../fixtures/examples/original");
    const remote = await runCli(["validate", "LoginAndRetrievePets.arazzo.yaml"], examples);
    expect(remote.code).toBe(1);
    expect(remote.stderr).toContain("error unsupported-url: source `petStoreDescription`: only local files are read at build time");
    expect(remote.stderr).toContain("hint: download it and pass --source petStoreDescription=<file>");

    const local = await runCli(["validate", "LoginAndRetrievePets.arazzo.yaml", "--source", "petStoreDescription=petstore.openapi.yaml"], examples);
    expect(local.code).toBe(0);
  });

  test("a mapping without = is a usage error", async () => {
    const result = await runCli(["validate", "x.arazzo.yaml", "--source", "petstore.yaml"], process.cwd());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: --source takes <name>=<file>, not "petstore.yaml"');
  });
});

describe("the arazzo-ts process", () => {
  test("bad input exits 1 with a diagnostic and no stack trace", () => {
    const ws = workspace("mini").write("broken.arazzo.yaml", "arazzo: 1.0.1\ninfo: [\n");
    try {
      const run = spawnSync(process.execPath, [BIN, "generate", "broken.arazzo.yaml", "--out", "out"], { cwd: ws.dir, encoding: "utf8" });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^broken\.arazzo\.yaml:\d+:\d+ - error invalid-yaml: /m);
      expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    } finally {
      ws.remove();
    }
  });

  test("--help exits 0 and lists both commands", () => {
    const out = execFileSync(process.execPath, [BIN, "--help"], { encoding: "utf8" });
    expect(out).toContain("arazzo-ts generate [<arazzo-file>...]");
    expect(out).toContain("arazzo-ts validate [<arazzo-file>...]");
  });
});
