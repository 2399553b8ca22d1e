/**
 * The config file through the programmatic API: `loadConfig()` finds and reads the file the
 * command line uses and gives the options `generate()` and `validate()` take, so a script that
 * generates with them writes what `arazzo-ts generate` with no arguments writes; problems of the
 * config are returned as located diagnostics, never thrown.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { formatDiagnostic, generate, loadConfig, validate } from "../../generator/index.ts";
import { runCli, workspace, type Workspace } from "../helpers/workspace.ts";

let ws: Workspace | undefined;
afterEach(() => {
  ws?.remove();
  ws = undefined;
});

const CONFIG = {
  documents: [{ path: "specs/order.arazzo.yaml", package: { name: "@acme/orders", version: "2.0.0" } }],
  out: "out-config",
  sources: { shop: "specs/shop.openapi.yaml" },
  // The fixture's document, patched below, has one `unbraced-expression` warning.
  warnings: { "unbraced-expression": "off" },
  target: "openapi-fetch",
};

/** The mini fixture under specs/, with its one warning, and `arazzo-ts.config.json` (none for `null`). */
function project(config: unknown = CONFIG): Workspace {
  ws = workspace("mini");
  mkdirSync(ws.file("specs"));
  for (const name of ["order.arazzo.yaml", "shop.openapi.yaml"]) writeFileSync(ws.file(`specs/${name}`), readFileSync(ws.file(name), "utf8"));
  ws.patch("specs/order.arazzo.yaml", "value: $inputs.key", 'value: "key-$inputs.key"');
  if (config !== null) ws.write("arazzo-ts.config.json", JSON.stringify(config, null, 2));
  mkdirSync(ws.file("src/deep"), { recursive: true });
  return ws;
}

/** Every file under `dir`, relative, with its text. */
function tree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const file of readdirSync(dir, { recursive: true, encoding: "utf8" }).sort()) {
    const full = path.join(dir, file);
    try {
      files[file] = readFileSync(full, "utf8");
    } catch {
      // a folder
    }
  }
  return files;
}

describe("loadConfig", () => {
  test("gives generate() the options of the config: it writes what `arazzo-ts generate` writes", async () => {
    const p = project();
    const config = await loadConfig(p.dir);
    if (!config.ok) throw new Error(config.diagnostics.map((d) => formatDiagnostic(d)).join("\n"));
    expect(config.file).toBe(p.file("arazzo-ts.config.json"));
    expect(config.options).toEqual({
      inputs: [p.file("specs/order.arazzo.yaml")],
      outDir: p.file("out-config"),
      sources: { shop: p.file("specs/shop.openapi.yaml") },
      allOperations: false,
      target: "openapi-fetch",
      warnings: { "unbraced-expression": "off" },
      packages: { [p.file("specs/order.arazzo.yaml")]: { name: "@acme/orders", version: "2.0.0" } },
      projectRoot: p.dir,
    });

    const api = await generate({ outDir: p.file("unused"), ...config.options });
    expect(api.diagnostics).toEqual([]); // the warning is off, as the config says
    expect(api.ok).toBe(true);
    const written = tree(p.file("out-config"));
    expect(JSON.parse(written["order/package.json"]!)).toMatchObject({ name: "@acme/orders", version: "2.0.0" });
    // Spec paths in the generated headers are relative to the config's folder (`projectRoot`).
    expect(written["order/src/place-order.ts"]).toContain("//   specs/order.arazzo.yaml\n");

    const cli = await runCli(["generate", "--out", "out-cli"], p.dir);
    expect(cli.code, cli.stderr).toBe(0);
    expect(tree(p.file("out-cli"))).toEqual(written);
  });

  test("validate() takes the options as they are", async () => {
    const p = project();
    const config = await loadConfig(p.dir);
    if (!config.ok) throw new Error("config");
    expect(await validate({ ...config.options, types: false })).toEqual({ ok: true, diagnostics: [] });
    const strict = await loadConfig(p.write("arazzo-ts.config.json", JSON.stringify({ ...CONFIG, warnings: { "unbraced-expression": "error" } })).dir);
    if (!strict.ok) throw new Error("config");
    const failed = await validate({ ...strict.options, types: false });
    expect([failed.ok, failed.diagnostics.map((d) => `${d.severity} ${d.code}`)]).toEqual([false, ["error unbraced-expression"]]);
  });

  test("found from a folder below the config's, named as a file, or from the working directory", async () => {
    const p = project();
    const file = p.file("arazzo-ts.config.json");
    expect(await loadConfig(p.file("src/deep"))).toMatchObject({ ok: true, file });
    expect(await loadConfig(file)).toMatchObject({ ok: true, file });
    const cwd = process.cwd();
    try {
      process.chdir(p.file("src"));
      expect(await loadConfig()).toMatchObject({ ok: true, file });
    } finally {
      process.chdir(cwd);
    }
  });

  test("a config without `out` gives no outDir", async () => {
    const p = project({ documents: ["specs/*.arazzo.yaml"] });
    const config = await loadConfig(p.dir);
    expect(config).toEqual({ ok: true, file: p.file("arazzo-ts.config.json"), options: expect.not.objectContaining({ outDir: expect.anything() }) });
    if (config.ok) expect(config.options.inputs).toEqual([p.file("specs/order.arazzo.yaml")]);
  });

  test("problems come back as diagnostics at the config's lines, never thrown", async () => {
    const p = project({ documents: ["specs/missing.arazzo.yaml"], out: "out", warnigns: {} });
    const broken = await loadConfig(p.dir);
    expect(broken.ok).toBe(false);
    if (broken.ok) return;
    expect(broken.file).toBe(p.file("arazzo-ts.config.json"));
    expect(broken.diagnostics.map((d) => formatDiagnostic(d, p.dir))).toEqual([
      expect.stringMatching(/^arazzo-ts\.config\.json:\d+:\d+ - error config: .*`warnigns`.*\n {2}hint: did you mean `warnings`\?$/),
    ]);

    const missing = await loadConfig(p.write("arazzo-ts.config.json", JSON.stringify({ documents: ["specs/missing.arazzo.yaml"] })).dir);
    expect(missing.ok ? [] : missing.diagnostics.map((d) => formatDiagnostic(d, p.dir))).toEqual([
      expect.stringMatching(/^arazzo-ts\.config\.json:1:15 - error config: document `specs\/missing\.arazzo\.yaml` does not exist\n/),
    ]);
  });

  test("no config file, or two in one folder: an error that says so", async () => {
    const p = project(null);
    expect(await loadConfig(p.dir)).toEqual({
      ok: false,
      diagnostics: [
        {
          severity: "error",
          code: "config",
          message: `no config file (arazzo-ts.config.ts, arazzo-ts.config.mjs, arazzo-ts.config.json) in ${p.dir} or a folder above it`,
        },
      ],
    });
    p.write("arazzo-ts.config.json", "{}").write("arazzo-ts.config.mjs", "export default {};\n");
    const two = await loadConfig(p.dir);
    expect(two.ok ? "" : two.diagnostics[0]!.message).toBe("arazzo-ts.config.mjs and arazzo-ts.config.json are both config files: keep one, or name the file");
    expect(await loadConfig(p.file("nowhere.json"))).toMatchObject({ ok: false, diagnostics: [{ code: "config", message: "file does not exist" }] });
  });
});
