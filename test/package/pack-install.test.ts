/**
 * arazzo-ts as a user gets it: `npm run build`, `npm pack`, `npm install <tarball>` into an
 * empty project outside the repository (dependencies from the npm registry), then, with
 * each of Node 20 (this process), 22 and 24 (test/helpers/node-versions.mjs):
 *
 * - `npx arazzo-ts --version`, `arazzo-ts validate` and `arazzo-ts generate` of
 *   test/fixtures/mini/ copied into the project;
 * - `import { generate, validate } from "arazzo-ts"` from plain Node, generating again;
 * - the generated package's `dist/index.js` imported and its workflow run against a
 *   scripted fetch;
 * - `arazzo-ts run --mock` of the fixture, writing every kind of report.
 *
 * Once: the package ships no tsx (it is a dev dependency) and importing it loads neither
 * tsx nor the generator's heavy dependencies; a TypeScript consumer type-checks against its
 * `.d.ts` with the repository's tsc; and generated packages, installed with `npm install
 * ./<package>` beside the latest TypeScript 5, 6 and 7 from the registry, type-check in a
 * strict consumer on each of them, where a wrong input and a missing credential do not.
 *
 * Installed once, run per Node version. `npm run test:package` (test/package/vitest.config.ts),
 * not part of `npm test`: it rebuilds dist/, needs the npm registry and takes about a minute.
 */
import { execFile, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { nodeBinaries } from "../helpers/node-versions.mjs";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PACKAGE = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
  devDependencies: Record<string, string>;
};
/** The versions this repository develops against: what a user installs beside it for the restate target. */
const DEV_DEPENDENCIES = PACKAGE.devDependencies;
const TSC = path.join(ROOT, "node_modules/typescript/bin/tsc");
const MAJORS = [20, 22, 24] as const;
/**
 * The TypeScript compilers consumers of a generated package use, the latest of each major
 * from the registry, installed into the project: 7 as `npm i -D typescript` installs it (a
 * JavaScript launcher of the native `tsc` binary in the optional dependency
 * `@typescript/typescript-<platform>-<arch>`, which needs no install script), 5 and 6 under
 * aliases beside it.
 */
const TYPESCRIPTS = [
  { major: 5, name: "typescript-5", spec: "typescript-5@npm:typescript@^5.9.0" },
  { major: 6, name: "typescript-6", spec: "typescript-6@npm:typescript@^6.0.0" },
  { major: 7, name: "typescript", spec: "typescript@^7.0.0" },
] as const;
/** Set ARAZZO_TS_KEEP_PACK_PROJECT=1 to keep the temporary project for a look. */
const KEEP = !!process.env.ARAZZO_TS_KEEP_PACK_PROJECT;

let work: string; // temp folder: the tarball and the project
let project: string;
let tarball: string;
const nodes: Record<number, string> = {};

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command in the project with `node` (and so the bin's `#!/usr/bin/env node`, npx
 * and npm) resolving to the Node binary of `major` first on PATH. npm's and vitest's
 * environment variables are left out, so nothing of this repository leaks in
 * (NODE_OPTIONS could inject tsx, npm_config_* could point npm at the repository).
 */
function run(command: string, args: readonly string[], options: { major?: number; cwd?: string; timeout?: number } = {}): Run {
  const result: SpawnSyncReturns<string> = spawnSync(command, [...args], {
    cwd: options.cwd ?? project,
    env: runEnv(options.major),
    encoding: "utf8",
    timeout: options.timeout ?? 120_000,
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `run`, not waiting: for commands that may run side by side. */
function runAsync(command: string, args: readonly string[], options: { cwd?: string; timeout?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      { cwd: options.cwd ?? project, env: runEnv(), encoding: "utf8", timeout: options.timeout ?? 120_000, maxBuffer: 64 * 2 ** 20 },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        if (error && typeof code !== "number") reject(error);
        else resolve({ code: typeof code === "number" ? code : 0, stdout, stderr });
      },
    );
  });
}

function runEnv(major = 20): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|NODE_OPTIONS$|NODE_PATH$|INIT_CWD$|VITEST)/i.test(key)) continue;
    env[key] = value;
  }
  const node = nodes[major] ?? process.execPath;
  env.PATH = `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ""}`;
  return env;
}

function ok(result: Run, what: string): Run {
  if (result.code !== 0) throw new Error(`${what} exited ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  return result;
}

const timings: string[] = [];
function timed<T>(label: string, f: () => T): T {
  const started = performance.now();
  try {
    return f();
  } finally {
    timings.push(`${label}: ${Math.round(performance.now() - started)} ms`);
  }
}

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), "arazzo-ts-pack-"));
  project = path.join(work, "project");
  mkdirSync(project);

  Object.assign(
    nodes,
    { 20: process.execPath },
    timed("install Node 22 and 24 (cached after the first run)", () => nodeBinaries([22, 24])),
  );

  // The build is explicit: `npm pack` would run it again through `prepack`.
  timed("npm run build", () => ok(run("npm", ["run", "build"], { cwd: ROOT }), "npm run build"));
  const packed = timed("npm pack", () => ok(run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], { cwd: ROOT }), "npm pack"));
  tarball = path.join(work, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);

  ok(run("npm", ["init", "-y"]), "npm init -y");
  const manifest = JSON.parse(readFileSync(path.join(project, "package.json"), "utf8")) as Record<string, unknown>;
  writeFileSync(path.join(project, "package.json"), JSON.stringify({ ...manifest, type: "module", private: true }, null, 2));
  timed("npm install <tarball>", () => ok(run("npm", ["install", tarball, "--no-audit", "--no-fund"], { timeout: 300_000 }), "npm install <tarball>"));

  cpSync(path.join(ROOT, "test/fixtures/mini"), path.join(project, "specs"), { recursive: true });
  // A project of its own with a config file: a scoped npm name and a version for the package.
  cpSync(path.join(ROOT, "test/fixtures/mini"), path.join(project, "configured/specs"), { recursive: true });
  writeFileSync(
    path.join(project, "configured/arazzo-ts.config.json"),
    JSON.stringify(
      {
        documents: [{ path: "specs/order.arazzo.yaml", package: { name: "@acme/order-workflows", version: "1.2.3", license: "MIT", author: "Acme" } }],
        out: "out-config",
      },
      null,
      2,
    ),
  );
  writeFileSync(path.join(project, "api.mjs"), API_SCRIPT);
  writeFileSync(path.join(project, "run-generated.mjs"), RUN_GENERATED_SCRIPT);
  writeFileSync(path.join(project, "record-loads.mjs"), RECORD_LOADS_SCRIPT);
}, 600_000);

afterAll(() => {
  console.log(`pack-install timings (${work}):\n  ${timings.join("\n  ")}`);
  if (work && !KEEP) rmSync(work, { recursive: true, force: true });
});

describe("the packed arazzo-ts installed into an empty project", () => {
  test("has no tsx in its production dependency tree, and the tarball holds no TypeScript sources but the runtime", () => {
    expect(existsSync(path.join(project, "node_modules/tsx"))).toBe(false);
    const tree = JSON.parse(run("npm", ["ls", "tsx", "--all", "--omit=dev", "--json"]).stdout) as { dependencies?: Record<string, unknown> };
    expect(tree.dependencies ?? {}).toEqual({});

    const installed = path.join(project, "node_modules", PACKAGE.name);
    expect(existsSync(path.join(installed, "dist/cli.js"))).toBe(true);
    expect(existsSync(path.join(installed, "dist/index.d.ts"))).toBe(true);
    expect(existsSync(path.join(installed, "generator/cli.ts"))).toBe(false);
    // What the compiled code reads beside itself: the runtime sources (copied into every
    // generated package as TypeScript text) and the data files (JSON Schemas).
    const assets = readdirSync(path.join(ROOT, "generator"), { recursive: true, encoding: "utf8" })
      .map((file) => file.split(path.sep).join("/"))
      .filter((file) => (file.startsWith("runtime/") ? file.endsWith(".ts") : /\.(json|ya?ml)$/.test(file)));
    expect(assets).toEqual(expect.arrayContaining(["runtime/runtime.ts", "validate/arazzo-1.0.schema.yaml"]));
    expect(assets.filter((file) => !existsSync(path.join(installed, "dist", file)))).toEqual([]);
    expect(existsSync(path.join(installed, "templates"))).toBe(true);
    // The Arazzo schemas it ships are Apache-2.0: their notice and the license's text go with them.
    const notices = readFileSync(path.join(installed, "THIRD_PARTY_NOTICES.md"), "utf8");
    expect(notices).toContain("arazzo-1.0.schema.yaml");
    expect(notices).toContain("Apache License");
    expect(notices).toContain("TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION");
    const manifest = JSON.parse(readFileSync(path.join(installed, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).not.toContain("tsx");

    // The native checker's binary, TypeScript 7's, from the optional dependency for this
    // platform (no install script). The project's `tsc` is only ever the `typescript`
    // package's (arazzo-ts's 5.9 while the user has none): nothing under another name (an
    // alias, the native preview's `tsgo`) that could take the place of the user's TypeScript.
    expect(existsSync(path.join(project, "node_modules/@typescript", `typescript-${process.platform}-${process.arch}`, "lib/tsc"))).toBe(true);
    const compilerBins = readdirSync(path.join(project, "node_modules/.bin")).filter((bin) => /^(tsc|tsgo|tsserver)(\.|$)/.test(bin));
    const typescriptDir = realpathSync(path.join(project, "node_modules/typescript"));
    expect(compilerBins.filter((bin) => !realpathSync(path.join(project, "node_modules/.bin", bin)).startsWith(typescriptDir + path.sep))).toEqual([]);
  });

  test("type-checks a TypeScript consumer of the API against the package's .d.ts", () => {
    writeFileSync(
      path.join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: [] },
        files: ["consumer.ts"],
      }),
    );
    writeFileSync(path.join(project, "consumer.ts"), CONSUMER_TS);
    const result = timed("tsc consumer.ts", () => run(process.execPath, [TSC, "-p", "tsconfig.json"]));
    expect(`${result.stdout}${result.stderr}`).toBe("");
    expect(result.code).toBe(0);

    // And a wrong call does not compile.
    writeFileSync(path.join(project, "consumer.ts"), `import { generate } from "arazzo-ts";\nawait generate({ inputs: ["a.yaml"] });\n`);
    const wrong = run(process.execPath, [TSC, "-p", "tsconfig.json"]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout).toContain("outDir");
  });

  describe.each(MAJORS)("on Node %i", (major) => {
    test("runs the CLI and the API, and the package it generates", () => {
      expect(ok(run("node", ["--version"], { major }), "node --version").stdout).toMatch(new RegExp(`^v${major}\\.`));

      // npx and the bin's `#!/usr/bin/env node` both take the Node first on PATH.
      // `--yes=false`: never fetch some other "arazzo-ts" from the registry if the bin were
      // missing (without a TTY npx would). Not `--no`: it makes npx take `--version` as its own.
      const version = timed(`Node ${major}: npx arazzo-ts --version`, () =>
        ok(run("npx", ["--yes=false", "arazzo-ts", "--version"], { major }), "npx arazzo-ts --version"),
      );
      expect(version.stdout.trim()).toBe(PACKAGE.version);

      const bin = path.join("node_modules", ".bin", "arazzo-ts");
      // Start-up of the installed CLI against bare Node (printed, not asserted: machines differ).
      const median = (args: string[]) => {
        const samples = Array.from({ length: 5 }, () => {
          const started = performance.now();
          ok(run("node", args, { major }), `node ${args.join(" ")}`);
          return performance.now() - started;
        });
        return samples.sort((a, b) => a - b)[2]!;
      };
      const [bare, cli] = [median(["-e", "0"]), median([bin, "--version"])];
      timings.push(
        `Node ${major}: node ${bin} --version ${cli.toFixed(0)} ms, node -e 0 ${bare.toFixed(0)} ms (medians of 5, with spawnSync): ${(cli / bare).toFixed(1)}×`,
      );

      const validated = timed(`Node ${major}: arazzo-ts validate`, () =>
        ok(run(bin, ["validate", "specs/order.arazzo.yaml"], { major }), "arazzo-ts validate"),
      );
      expect(validated.stdout).toMatch(/1 document\(s\) checked: 0 error\(s\)/);

      const outCli = `out-cli-${major}`;
      const generated = timed(`Node ${major}: arazzo-ts generate`, () =>
        ok(run(bin, ["generate", "specs/order.arazzo.yaml", "--out", outCli], { major }), "arazzo-ts generate"),
      );
      expect(generated.stdout).toMatch(/Generated 1 package\(s\)/);
      expect(existsSync(path.join(project, outCli, "order/dist/index.js"))).toBe(true);

      // With the config file: no arguments; the package gets its scoped name, version and license.
      const configured = path.join(project, "configured");
      rmSync(path.join(configured, "out-config"), { recursive: true, force: true });
      timed(`Node ${major}: arazzo-ts generate (config)`, () =>
        ok(run(path.join(project, bin), ["generate"], { major, cwd: configured }), "arazzo-ts generate (config)"),
      );
      const configuredPkg = JSON.parse(readFileSync(path.join(configured, "out-config/order/package.json"), "utf8")) as Record<string, unknown>;
      expect(configuredPkg).toMatchObject({ name: "@acme/order-workflows", version: "1.2.3", license: "MIT", author: "Acme" });
      expect(readFileSync(path.join(configured, "out-config/order/LICENSE"), "utf8")).toMatch(/^MIT License/);
      // Specs named relative to the config's folder, on any machine.
      expect(readFileSync(path.join(configured, "out-config/order/src/place-order.ts"), "utf8")).toContain("//   specs/order.arazzo.yaml\n");

      // The programmatic API, recording every module Node loads.
      const api = timed(`Node ${major}: import("arazzo-ts") + validate + generate`, () =>
        ok(run("node", ["--import", "./record-loads.mjs", "api.mjs", `out-api-${major}`], { major }), "api.mjs"),
      );
      const report = JSON.parse(api.stdout.trim().split("\n").at(-1)!) as ApiReport;
      expect(report.node).toBe(major);
      expect(report.exports).toEqual(expect.arrayContaining(["formatDiagnostic", "generate", "loadConfig", "staleFiles", "validate"]));
      // Importing the package loads neither tsx nor the generator's heavy dependencies...
      expect(report.loadedByImport.filter((url) => /\/node_modules\/(tsx|ts-morph|typescript|openapi-typescript)\//.test(url))).toEqual([]);
      // ...and generating loads no tsx either.
      expect(report.loadedInAll.filter((url) => /\/node_modules\/tsx\//.test(url))).toEqual([]);
      expect(report.loadedInAll.some((url) => /\/node_modules\/ts-morph\//.test(url))).toBe(true);
      expect(report.validate).toEqual({ ok: true, errors: [] });
      expect(report.generate).toMatchObject({ ok: true, packages: ["order"] });
      expect(report.generate.written).toBeGreaterThan(0);
      expect(report.config).toEqual({ ok: true, packageName: "@acme/order-workflows", errors: [] });
      // The CLI and the API give the same files.
      for (const file of ["src/place-order.ts", "dist/place-order.js", "package.json"]) {
        expect(readFileSync(path.join(project, `out-api-${major}`, "order", file), "utf8"), file).toBe(
          readFileSync(path.join(project, outCli, "order", file), "utf8"),
        );
      }

      // The generated package, imported by its dist/index.js and run against a scripted fetch.
      const ran = timed(`Node ${major}: run the generated workflow`, () =>
        ok(run("node", ["run-generated.mjs", `./${outCli}/order/dist/index.js`], { major }), "run-generated.mjs"),
      );
      expect(JSON.parse(ran.stdout.trim().split("\n").at(-1)!)).toEqual({
        node: major,
        outputs: { orderId: "o-1", state: "placed", firstSku: "SKU-1" },
        // No trace context: without @opentelemetry/api a run sends what it sent before.
        requests: ["POST https://shop.example.test/v1/orders", "GET https://shop.example.test/v1/orders/o-1?expand=true"],
        withTracer: "options.tracer and options.meter need `@opentelemetry/api` installed beside the package",
      });

      // `arazzo-ts run` on the package's own mocks, writing every kind of report: it generates
      // into the project's cache and links the installed dependencies (openapi-fetch, msw...).
      const reports = `reports-${major}`;
      const kinds = ["json", "junit", "har", "html"].flatMap((kind) => ["--report", `${kind}=${reports}/run.${kind}`]);
      const runCommand = timed(`Node ${major}: arazzo-ts run --mock`, () =>
        ok(run(bin, ["run", "specs/order.arazzo.yaml", "--mock", ...kinds], { major }), "arazzo-ts run --mock"),
      );
      expect(runCommand.stdout).toMatch(/place-order/);
      const runReport = JSON.parse(readFileSync(path.join(project, reports, "run.json"), "utf8")) as { summary: unknown };
      expect(runReport.summary).toMatchObject({ workflows: { passed: 1, failed: 0 }, requests: 2 });
      for (const kind of ["junit", "har", "html"]) expect(readFileSync(path.join(project, reports, `run.${kind}`), "utf8").length, kind).toBeGreaterThan(200);
    }, 180_000);
  });

  test("generated packages type-check in consumers on TypeScript 5, 6 and 7, and a wrong input or a missing credential does not", async () => {
    // Two packages, one with a required credential (test/fixtures/oauth: OAuth2 and OpenID
    // Connect), installed as a user does, with the three compilers, in one npm install.
    cpSync(path.join(ROOT, "test/fixtures/oauth"), path.join(project, "specs-oauth"), { recursive: true });
    const bin = path.join("node_modules", ".bin", "arazzo-ts");
    timed("arazzo-ts generate (order and items, for the TypeScript consumers)", () =>
      ok(run(bin, ["generate", "specs/order.arazzo.yaml", "specs-oauth/items.arazzo.yaml", "--out", "out-ts", "-q"]), "arazzo-ts generate"),
    );
    // With @opentelemetry/api, the packages' optional peer, for the consumers that pass a tracer.
    const openTelemetry = `@opentelemetry/api@${DEV_DEPENDENCIES["@opentelemetry/api"]}`;
    timed("npm install the generated packages, @opentelemetry/api and TypeScript 5, 6 and 7", () =>
      ok(
        run("npm", ["install", "./out-ts/order", "./out-ts/items", openTelemetry, ...TYPESCRIPTS.map((t) => t.spec), "--no-audit", "--no-fund"], {
          timeout: 300_000,
        }),
        "npm install the generated packages and TypeScript",
      ),
    );
    const consumers = path.join(project, "ts-consumers");
    mkdirSync(consumers, { recursive: true });
    for (const [file, text] of Object.entries(TS_CONSUMERS)) writeFileSync(path.join(consumers, file), text);

    const checks = await Promise.all(
      TYPESCRIPTS.map(async ({ major, name }) => {
        const tsc = path.join(project, "node_modules", name, "bin", "tsc");
        const version = ok(await runAsync(process.execPath, [tsc, "--version"]), `${name} --version`).stdout.trim();
        const started = performance.now();
        const result = await runAsync(process.execPath, [tsc, "-p", "tsconfig.json", "--pretty", "false"], { cwd: consumers });
        timings.push(`${version} (${name}): the consumers in ${Math.round(performance.now() - started)} ms`);
        return { major, version, result };
      }),
    );
    for (const { major, version, result } of checks) {
      expect(version).toMatch(new RegExp(`^Version ${major}\\.`));
      // Every error, first lines only: the three wrong consumers, each once, and nothing in ok.ts.
      const errors = result.stdout.split(/\r?\n/).filter((line) => line && !/^\s/.test(line));
      expect({ version, errors, stderr: result.stderr }).toEqual({
        version,
        errors: [
          expect.stringMatching(/^missing-credential\.ts\(2,\d+\): error TS2322: Type '\{\}' is not assignable to type 'Requires<ItemsCredentials, "oauth">'/),
          expect.stringMatching(/^wrong-input\.ts\(2,\d+\): error TS2322: Type '"XL"' is not assignable to type '"[LMS]" \| "[LMS]" \| "[LMS]"'/),
          expect.stringMatching(/^wrong-tracer\.ts\(3,\d+\): error TS2741: Property 'startSpan' is missing in type 'Meter' but required in type 'TracerLike'/),
        ],
        stderr: "",
      });
      expect(result.code, version).not.toBe(0);
    }
    // The user's TypeScript 7 owns the project's tsc.
    expect(ok(run("npx", ["--yes=false", "tsc", "--version"]), "npx tsc --version").stdout).toMatch(/^Version 7\./);
  }, 300_000);

  test("generates the restate target once the Restate SDK (its optional peers) is installed, and says what to install before", () => {
    const bin = path.join("node_modules", ".bin", "arazzo-ts");
    const missing = run(bin, ["generate", "specs/order.arazzo.yaml", "--out", "out-restate", "--target", "restate"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("error restate-sdk-missing");
    expect(missing.stderr).toContain("npm install --save-dev @restatedev/restate-sdk @restatedev/restate-sdk-clients");

    const sdk = ["@restatedev/restate-sdk", "@restatedev/restate-sdk-clients"].map((name) => `${name}@${DEV_DEPENDENCIES[name]}`);
    timed("npm install the Restate SDK", () =>
      ok(run("npm", ["install", ...sdk, "--no-audit", "--no-fund"], { timeout: 300_000 }), "npm install the Restate SDK"),
    );
    const generated = ok(
      run(bin, ["generate", "specs/order.arazzo.yaml", "--out", "out-restate", "--target", "restate"]),
      "arazzo-ts generate --target restate",
    );
    expect(generated.stdout).toMatch(/Generated 1 package\(s\)/);
    // The service definition loads on Node 24 (the SDK needs 22+), named after the workflow.
    const loaded = ok(
      run("node", ["--input-type=module", "-e", 'const m = await import("./out-restate/order/dist/restate.js"); console.log(m.placeOrderWorkflow().name);'], {
        major: 24,
      }),
      "import the generated Restate service",
    );
    expect(loaded.stdout.trim()).toBe("place-order");
  }, 600_000);
});

interface ApiReport {
  node: number;
  exports: string[];
  loadedByImport: string[];
  loadedInAll: string[];
  validate: { ok: boolean; errors: string[] };
  generate: { ok: boolean; packages: string[]; written: number; errors: string[] };
  config: { ok: boolean; packageName?: string; errors: string[] };
}

/** A tiny TypeScript consumer of the API: compiles only if the published types are usable. */
const CONSUMER_TS = `import { generate, validate, staleFiles, loadConfig, formatDiagnostic, type ConfigOptions, type Diagnostic, type GenerateOptions, type GenerateResult, type LoadConfigResult, type ValidateResult } from "arazzo-ts";

const options: GenerateOptions = { inputs: ["specs/order.arazzo.yaml"], outDir: "out", write: false, sources: { shop: "specs/shop.openapi.yaml" } };
const result: GenerateResult = await generate(options);
const lines: string[] = result.diagnostics.map((d: Diagnostic) => formatDiagnostic(d, process.cwd()));
const names: string[] = result.packages.map((p) => p.name);
const stale: { file: string; change: "changed" | "missing" | "extra" }[] = await staleFiles(result.packages);
const checked: ValidateResult = await validate({ inputs: options.inputs });
const severities: ("error" | "warning")[] = checked.diagnostics.map((d) => d.severity);
const config: LoadConfigResult = await loadConfig("configured");
const configured: ConfigOptions | undefined = config.ok ? config.options : undefined;
const fromConfig: GenerateResult | undefined = configured && (await generate({ outDir: "out", ...configured, write: false }));
const configErrors: Diagnostic[] = config.ok ? [] : [...config.diagnostics];
export { lines, names, stale, severities, fromConfig, configErrors };
declare const process: { cwd(): string };
`;

/**
 * Consumers of two generated packages, type-checked together by each TypeScript (a strict
 * project resolving them by name through their `exports`, their `.d.ts` checked too): `ok.ts`
 * compiles, each of the other two has one error.
 */
const TS_CONSUMERS: Record<string, string> = {
  "package.json": `${JSON.stringify({ name: "ts-consumers", type: "module", private: true })}\n`,
  "tsconfig.json": `${JSON.stringify(
    {
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        lib: ["ES2022", "DOM"],
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        noEmit: true,
        skipLibCheck: false,
        skipDefaultLibCheck: true,
        types: [],
      },
      include: ["*.ts"],
    },
    null,
    2,
  )}\n`,
  "ok.ts": `import { metrics, trace } from "@opentelemetry/api";
import { ArazzoStepError, runPlaceOrder, type PlaceOrderInputs, type PlaceOrderOutputs } from "order";
import { createMockFetch, exampleInputs } from "order/mocks";
import { runGetItem, type GetItemOutputs } from "items";
import { createMockFetch as createItemsMock, exampleAuth } from "items/mocks";

const inputs: PlaceOrderInputs = { quantity: 2, size: "M", key: "k-1" };
const fetch = createMockFetch({ responses: { getOrder: { status: 200, body: { id: "o-1", state: "paid", lines: [] } } } });
export async function placed(): Promise<PlaceOrderOutputs["state"]> {
  try {
    const outputs = await runPlaceOrder(inputs, { fetch });
    await runPlaceOrder(exampleInputs["place-order"], { fetch, baseUrls: { shop: "https://shop.example.test/v1" } });
    await runPlaceOrder(inputs, { fetch, tracer: trace.getTracer("shop"), meter: metrics.getMeter("shop") });
    return outputs.state;
  } catch (error) {
    if (error instanceof ArazzoStepError) console.error(error.stepId, error.status);
    throw error;
  }
}
export async function item(): Promise<GetItemOutputs["name"]> {
  const withToken = await runGetItem({ id: "i-1" }, { auth: { items: { oauth: "access-token" } } });
  const mocked = await runGetItem({ id: "i-1" }, { fetch: createItemsMock(), auth: exampleAuth });
  return \`\${withToken.name} \${mocked.name}\`;
}
`,
  "wrong-input.ts": `import { runPlaceOrder } from "order";
export const run = () => runPlaceOrder({ quantity: 2, size: "XL", key: "k-1" });
`,
  "wrong-tracer.ts": `import { metrics } from "@opentelemetry/api";
import { runPlaceOrder } from "order";
export const run = () => runPlaceOrder({ quantity: 2, size: "M", key: "k-1" }, { tracer: metrics.getMeter("shop") });
`,
  "missing-credential.ts": `import { runGetItem } from "items";
export const run = () => runGetItem({ id: "i-1" }, { auth: { items: {} } });
`,
};

/** Imports the API as a user would, recording which modules the import alone loads. */
const API_SCRIPT = `import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
// ES modules as the recorder's hook saw them, and CommonJS ones \`require\`d (ts-morph, openapi-typescript's build) from the cache.
const required = () => Object.keys(createRequire(import.meta.url).cache).map((file) => pathToFileURL(file).href);
const loaded = () => [...readFileSync(process.env.ARAZZO_TS_LOADS, "utf8").split("\\n").filter(Boolean), ...required()];
const api = await import("arazzo-ts");
const loadedByImport = loaded();
const inputs = ["specs/order.arazzo.yaml"];
const errors = (r) => r.diagnostics.filter((d) => d.severity === "error").map((d) => api.formatDiagnostic(d));
const checked = await api.validate({ inputs });
const generated = await api.generate({ inputs, outDir: process.argv[2] });
// The config file the CLI reads, through the API: the scoped name it sets reaches the package.
const config = await api.loadConfig("configured");
const fromConfig = config.ok ? await api.generate({ ...config.options, write: false }) : undefined;
const manifest = fromConfig?.packages[0]?.files.find((f) => f.path === "package.json");
console.log(JSON.stringify({
  node: Number(process.versions.node.split(".")[0]),
  exports: Object.keys(api).sort(),
  loadedByImport,
  loadedInAll: loaded(),
  validate: { ok: checked.ok, errors: errors(checked) },
  generate: { ok: generated.ok, packages: generated.packages.map((p) => p.name), written: generated.written.length, errors: errors(generated) },
  config: config.ok
    ? { ok: fromConfig.ok, packageName: manifest && JSON.parse(manifest.text).name, errors: errors(fromConfig) }
    : { ok: false, errors: config.diagnostics.map((d) => api.formatDiagnostic(d)) },
}));
`;

/** \`node --import ./record-loads.mjs\`: appends the URL of every module loaded to $ARAZZO_TS_LOADS. */
const RECORD_LOADS_SCRIPT = `import { register } from "node:module";
import { writeFileSync } from "node:fs";
process.env.ARAZZO_TS_LOADS = new URL("./loads-" + process.pid + ".txt", import.meta.url).pathname;
writeFileSync(process.env.ARAZZO_TS_LOADS, "");
const hooks = \`
import { appendFileSync } from "node:fs";
let file;
export function initialize(data) { file = data.file; }
export async function load(url, context, next) { appendFileSync(file, url + "\\\\n"); return next(url, context); }
\`;
register("data:text/javascript," + encodeURIComponent(hooks), { data: { file: process.env.ARAZZO_TS_LOADS } });
`;

/** Runs the generated workflow against a scripted fetch and prints its outputs and requests. */
const RUN_GENERATED_SCRIPT = `const { runPlaceOrder, ArazzoStepError } = await import(process.argv[2]);
if (typeof ArazzoStepError !== "function") throw new Error("ArazzoStepError is not exported");
const requests = [];
const json = (status, body) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const fetch = async (input, init) => {
  const request = input instanceof Request ? input : new Request(input, init);
  requests.push(request.method + " " + request.url + (request.headers.has("traceparent") ? " (traceparent)" : ""));
  if (request.method === "POST") return json(201, { id: "o-1", state: "placed", lines: [] });
  return json(200, { id: "o-1", state: "placed", lines: [{ sku: "SKU-1", quantity: 2 }] });
};
const outputs = await runPlaceOrder({ quantity: 2, size: "M", key: "k-1" }, { fetch });
// @opentelemetry/api, the package's optional peer, is not installed: a tracer given anyway is said to need it.
const tracer = { startSpan() { throw new Error("not called"); } };
const withTracer = await runPlaceOrder({ quantity: 2, size: "M", key: "k-1" }, { fetch, tracer }).then(() => "ran", (e) => e.message);
console.log(JSON.stringify({ node: Number(process.versions.node.split(".")[0]), outputs: { orderId: outputs.orderId, state: outputs.state, firstSku: outputs.firstSku }, requests, withTracer }));
`;
