/**
 * The config file: discovery (nearest folder from the working directory up, or --config),
 * the three formats (.json with positions, .mjs, .ts transpiled without tsx), validation
 * against the config JSON Schema with exact located messages, and what it sets
 * (documents, out, sources, allOperations, per-document package metadata, projectRoot),
 * with command-line values winning.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { applyConfig } from "../../generator/config/apply.ts";
import { findConfig } from "../../generator/config/find.ts";
import { loadConfig } from "../../generator/config/load.ts";
import { runCli, workspace, type Workspace } from "../helpers/workspace.ts";

let ws: Workspace | undefined;
afterEach(() => {
  ws?.remove();
  ws = undefined;
});

/** The mini fixture (order.arazzo.yaml + shop.openapi.yaml) with files written at relative paths. */
function project(files: Record<string, string> = {}): Workspace {
  ws = workspace("mini");
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(ws.file(name)), { recursive: true });
    writeFileSync(ws.file(name), text);
  }
  return ws;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

describe("finding the config", () => {
  test("in the working directory or the nearest folder above it; the nearest wins", async () => {
    const p = project({
      "arazzo-ts.config.json": json({ documents: ["order.arazzo.yaml"], out: "out-root" }),
      "a/b/c/.keep": "",
      "sub/arazzo-ts.config.json": json({ documents: ["../order.arazzo.yaml"], out: "out-sub" }),
      "sub/deeper/.keep": "",
    });
    expect(findConfig(p.file("a/b/c"))).toEqual([p.file("arazzo-ts.config.json")]);
    expect(findConfig(p.file("sub/deeper"))).toEqual([p.file("sub/arazzo-ts.config.json")]);

    const fromDeep = await runCli(["generate"], p.file("a/b/c"));
    expect(fromDeep.code, fromDeep.stderr).toBe(0);
    expect(existsSync(p.file("out-root/order/package.json"))).toBe(true);

    const fromSub = await runCli(["generate"], p.file("sub/deeper"));
    expect(fromSub.code, fromSub.stderr).toBe(0);
    expect(existsSync(p.file("sub/out-sub/order/package.json"))).toBe(true);
  });

  test("none up to the filesystem root: files and --out are needed", async () => {
    const p = project();
    expect(findConfig(p.dir)).toEqual([]);
    const result = await runCli(["generate"], p.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: no Arazzo file given\n/);
  });

  test("--config names the file; discovery is skipped", async () => {
    const p = project({
      "arazzo-ts.config.json": json({ documents: ["missing.arazzo.yaml"] }),
      "configs/ci.json": json({ documents: ["../order.arazzo.yaml"], out: "../out-ci" }),
    });
    const result = await runCli(["generate", "--config", "configs/ci.json"], p.dir);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(p.file("out-ci/order/package.json"))).toBe(true);
  });

  test("two config files in one folder: a usage error", async () => {
    const p = project({ "arazzo-ts.config.json": json({}), "arazzo-ts.config.mjs": "export default {};\n" });
    const result = await runCli(["validate"], p.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: arazzo-ts\.config\.mjs and arazzo-ts\.config\.json are both config files: keep one, or pass --config <file>\n/);
  });

  test("a config without documents, and no files on the command line", async () => {
    const p = project({ "arazzo-ts.config.json": json({ out: "out" }) });
    const result = await runCli(["generate"], p.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: no Arazzo file given, and arazzo-ts\.config\.json lists no `documents`\n/);
  });
});

describe("config formats", () => {
  test(".mjs: the default export", async () => {
    const p = project({ "arazzo-ts.config.mjs": 'const out = "out-mjs";\nexport default { documents: ["order.arazzo.yaml"], out };\n' });
    const result = await runCli(["generate"], p.dir);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(p.file("out-mjs/order/package.json"))).toBe(true);
  });

  test(".ts: transpiled with the typescript package (no tsx), no temporary file left behind", async () => {
    const config = [
      'import type { ArazzoTsConfig } from "arazzo-ts";',
      "interface Local { readonly out: string }",
      'const local: Local = { out: "out-ts" };',
      'export default { documents: ["order.arazzo.yaml"], out: local.out } satisfies ArazzoTsConfig;',
      "",
    ].join("\n");
    const p = project({ "arazzo-ts.config.ts": config });
    const result = await runCli(["generate"], p.dir);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(p.file("out-ts/order/package.json"))).toBe(true);
    expect(readdirSync(p.dir).filter((f) => f.startsWith("."))).toEqual([]);
  });

  test(".ts that does not parse: located at the syntax error", async () => {
    const p = project({ "arazzo-ts.config.ts": 'export default {\n  out: "out",,\n};\n' });
    const result = await runCli(["generate"], p.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "arazzo-ts.config.ts:2:14 - error config: cannot compile it: Property assignment expected.\n\n1 error(s) in arazzo-ts.config.ts; nothing was done.",
    );
    expect(readdirSync(p.dir).filter((f) => f.startsWith("."))).toEqual([]);
  });

  test(".mjs problems are reported at the file", async () => {
    const p = project({ "arazzo-ts.config.mjs": "export const out = 'out';\n" });
    expect((await runCli(["generate"], p.dir)).stderr).toContain(
      'arazzo-ts.config.mjs - error config: the module has no default export; write `export default { documents: [...], out: "..." }`',
    );
    p.write("arazzo-ts.config.mjs", "export default { out: 5 };\n");
    expect((await runCli(["generate"], p.dir)).stderr).toContain("arazzo-ts.config.mjs - error config: `out` must be a string");
    p.write("arazzo-ts.config.mjs", "throw new Error('no config today');\n");
    expect((await runCli(["generate"], p.dir)).stderr).toContain("arazzo-ts.config.mjs - error config: loading it failed: no config today");
  });

  test("--config with a file that does not exist, or of another kind", async () => {
    const p = project();
    const missing = await runCli(["validate", "--config", "nope.json"], p.dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nope.json:1:1 - error config: file does not exist");
    const yaml = await runCli(["validate", "--config", "order.arazzo.yaml"], p.dir);
    expect(yaml.stderr).toContain("order.arazzo.yaml - error config: a config file must be .json, .mjs or .ts, not `order.arazzo.yaml`");
  });
});

describe("config validation: every problem, located", () => {
  test("schema violations in a JSON config", async () => {
    const p = project({
      "arazzo-ts.config.json": [
        "{",
        '  "documents": [',
        '    "order.arazzo.yaml",',
        '    { "path": "order.arazzo.yaml", "package": { "nam": "x", "version": "1.0" } },',
        "    5",
        "  ],",
        '  "out": 5,',
        '  "document": [],',
        '  "sources": { "shop": "" },',
        '  "warnings": { "unbraced-expresion": "off", "untyped-field": "silent" },',
        '  "allOperations": "yes"',
        "}",
        "",
      ].join("\n"),
    });
    const result = await runCli(["generate"], p.dir);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      [
        "arazzo-ts.config.json:4:49 - error config: `documents.1.package` has unknown field `nam`",
        "  hint: did you mean `name`?",
        "arazzo-ts.config.json:4:72 - error config: `documents.1.package.version` is not a semantic version",
        "  hint: like `1.2.3` or `2.0.0-beta.1` (https://semver.org)",
        "arazzo-ts.config.json:5:5 - error config: `documents.2` must be a string or an object",
        "arazzo-ts.config.json:7:10 - error config: `out` must be a string",
        "arazzo-ts.config.json:8:3 - error config: the config has unknown field `document`",
        "  hint: did you mean `documents`?",
        "arazzo-ts.config.json:9:24 - error config: `sources.shop` must not be empty",
        "arazzo-ts.config.json:10:17 - error config: `warnings` has unknown warning code `unbraced-expresion`",
        "  hint: did you mean `unbraced-expression`?",
        'arazzo-ts.config.json:10:63 - error config: `warnings.untyped-field` must be one of "off", "warn", "error"',
        "arazzo-ts.config.json:11:20 - error config: `allOperations` must be a boolean",
        "",
        "9 error(s) in arazzo-ts.config.json; nothing was done.",
      ].join("\n"),
    );
  });

  test("documents that do not exist, globs that match nothing, one name for many packages", async () => {
    const p = project({
      "arazzo-ts.config.json": json({ documents: ["missing.arazzo.yaml", "specs/*.yml", { path: "*.yaml", package: { name: "@acme/x" } }] }),
    });
    const result = await runCli(["validate"], p.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      [
        "arazzo-ts.config.json:3:5 - error config: document `missing.arazzo.yaml` does not exist",
        "  hint: paths in the config are relative to the config file's folder",
        "arazzo-ts.config.json:4:5 - error config: no file matches `specs/*.yml`",
        "arazzo-ts.config.json:8:17 - error config: `documents.2.package.name` is set for a glob that matches 2 documents: each package needs its own name",
        "  hint: list those documents one by one",
        "",
        "3 error(s) in arazzo-ts.config.json; nothing was done.",
      ].join("\n"),
    );
  });

  test("two documents with the same package name", async () => {
    const p = project({
      "second.arazzo.yaml": readFileSync(path.join(import.meta.dirname, "../fixtures/mini/order.arazzo.yaml"), "utf8"),
      "arazzo-ts.config.json": json({
        documents: [
          { path: "order.arazzo.yaml", package: { name: "@acme/x" } },
          { path: "second.arazzo.yaml", package: { name: "@acme/x" } },
        ],
      }),
    });
    const result = await runCli(["validate"], p.dir);
    expect(result.stderr).toContain(
      "arazzo-ts.config.json:12:17 - error config: package name `@acme/x` is already the name of the package of `order.arazzo.yaml`\n  hint: each generated package needs its own name",
    );
  });

  test("JSON that does not parse", async () => {
    const p = project({ "arazzo-ts.config.json": '{\n  "out": "out",\n  "out": "again"\n}\n' });
    const result = await runCli(["validate"], p.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^arazzo-ts\.config\.json:3:3 - error config: Map keys must be unique/);
  });

  test("the schema is a draft 2020-12 JSON Schema with a description for every field", () => {
    const schema = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../generator/config/arazzo-ts.config.schema.json"), "utf8"));
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    const undocumented: string[] = [];
    const visit = (node: any, at: string) => {
      for (const [name, field] of Object.entries<any>(node.properties ?? {})) {
        if (!field.description && !field.$ref) undocumented.push(`${at}.${name}`);
        visit(field, `${at}.${name}`);
      }
      if (node.else) visit(node.else, at);
    };
    visit(schema, "config");
    for (const [name, def] of Object.entries<any>(schema.$defs)) visit(def, name);
    expect(undocumented).toEqual([]);
  });
});

describe("what the config sets, and the command line overriding it", () => {
  test("documents, out, sources, allOperations and package metadata become generate() options", async () => {
    const p = project({
      "second.arazzo.yaml": readFileSync(path.join(import.meta.dirname, "../fixtures/mini/order.arazzo.yaml"), "utf8"),
      "arazzo-ts.config.json": json({
        documents: [
          { path: "*.arazzo.yaml", package: { license: "MIT" } },
          { path: "order.arazzo.yaml", package: { name: "@acme/orders", version: "3.0.0" } },
        ],
        out: "generated",
        sources: { shop: "vendored/shop.yaml" },
        allOperations: true,
        warnings: { "unbraced-expression": "error" },
      }),
    });
    const load = await loadConfig(p.file("arazzo-ts.config.json"));
    if (!load.ok) throw new Error(JSON.stringify(load.diagnostics));
    const applied = await applyConfig(load.loaded, {});
    expect(applied).toEqual({
      ok: true,
      options: {
        inputs: [p.file("order.arazzo.yaml"), p.file("second.arazzo.yaml")],
        outDir: p.file("generated"),
        sources: { shop: p.file("vendored/shop.yaml") },
        allOperations: true,
        warnings: { "unbraced-expression": "error" },
        packages: {
          [p.file("order.arazzo.yaml")]: { license: "MIT", name: "@acme/orders", version: "3.0.0" },
          [p.file("second.arazzo.yaml")]: { license: "MIT" },
        },
        projectRoot: p.dir,
      },
    });

    const overridden = await applyConfig(load.loaded, {
      files: [p.file("second.arazzo.yaml")],
      out: p.file("elsewhere"),
      sources: { shop: p.file("shop.openapi.yaml") },
    });
    expect(overridden.ok && overridden.options.inputs).toEqual([p.file("second.arazzo.yaml")]);
    expect(overridden.ok && overridden.options.outDir).toBe(p.file("elsewhere"));
    expect(overridden.ok && overridden.options.sources).toEqual({ shop: p.file("shop.openapi.yaml") });
    // The package settings of the file named on the command line still apply.
    expect(overridden.ok && overridden.options.packages?.[p.file("second.arazzo.yaml")]).toEqual({ license: "MIT" });
  });

  test("the command line overrides documents, out and sources", async () => {
    const p = project({
      "second.arazzo.yaml": readFileSync(path.join(import.meta.dirname, "../fixtures/mini/order.arazzo.yaml"), "utf8"),
      "arazzo-ts.config.json": json({ documents: ["order.arazzo.yaml"], out: "out-config", sources: { shop: "missing.openapi.yaml" } }),
    });
    const fromConfig = await runCli(["generate"], p.dir);
    expect(fromConfig.code).toBe(1);
    expect(fromConfig.stderr).toContain('error file-not-found: "--source shop=');

    const result = await runCli(["generate", "second.arazzo.yaml", "--out", "out-cli", "--source", "shop=shop.openapi.yaml"], p.dir);
    expect(result.code, result.stderr).toBe(0);
    expect(readdirSync(p.file("out-cli"))).toEqual(["second"]);
    expect(existsSync(p.file("out-config"))).toBe(false);
  });

  test("a scoped package name and version from the config reach the generated package.json", async () => {
    const p = project({
      "arazzo-ts.config.json": json({ documents: [{ path: "order.arazzo.yaml", package: { name: "@acme/orders", version: "3.0.0" } }], out: "out" }),
    });
    const result = await runCli(["generate"], p.dir);
    expect(result.code, result.stderr).toBe(0);
    const pkg = JSON.parse(readFileSync(p.file("out/order/package.json"), "utf8"));
    expect([pkg.name, pkg.version]).toEqual(["@acme/orders", "3.0.0"]);
    // Scoped, without `access`: npm's default (restricted) applies; nothing is made public unless the config says so.
    expect(pkg).not.toHaveProperty("publishConfig");
  });

  // Issue 23: scoped packages had no `publishConfig.access`.
  test("`package.access`: restricted as the config says; an unscoped name gets no publishConfig; restricted needs a scope", async () => {
    const p = project({
      "second.arazzo.yaml": readFileSync(path.join(import.meta.dirname, "../fixtures/mini/order.arazzo.yaml"), "utf8"),
      "arazzo-ts.config.json": json({
        documents: [{ path: "order.arazzo.yaml", package: { name: "@acme/orders", access: "restricted" } }, "second.arazzo.yaml"],
        out: "out",
      }),
    });
    const result = await runCli(["generate"], p.dir);
    expect(result.code, result.stderr).toBe(0);
    const read = (name: string) => JSON.parse(readFileSync(p.file(`out/${name}/package.json`), "utf8"));
    expect(read("order").publishConfig).toEqual({ access: "restricted" });
    expect(read("second")).not.toHaveProperty("publishConfig");

    writeFileSync(p.file("arazzo-ts.config.json"), json({ documents: [{ path: "second.arazzo.yaml", package: { access: "restricted" } }], out: "out" }));
    const refused = await runCli(["generate"], p.dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      [
        'arazzo-ts.config.json:6:19 - error config: `access: "restricted"` needs a scoped package name, but the package of `second.arazzo.yaml` is named after the document: npm publishes unscoped packages as public only',
        "  hint: give it a scoped `name` (`@acme/payments`), or remove `access`",
        "",
        "1 error(s) in arazzo-ts.config.json; nothing was done.",
      ].join("\n"),
    );
  });

  test("`package.access` takes public or restricted only", async () => {
    const p = project({ "arazzo-ts.config.json": json({ documents: [{ path: "order.arazzo.yaml", package: { access: "private" } }] }) });
    const result = await runCli(["validate"], p.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error config: `documents.0.package.access` must be one of "public", "restricted"');
  });
});
