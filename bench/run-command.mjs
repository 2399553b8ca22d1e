#!/usr/bin/env node
/**
 * `arazzo-ts run` as a whole process, against Redocly Respect (`@redocly/cli respect`) running
 * the same Arazzo document against the same loopback server (issue 21).
 *
 * The document is the seed (`token-then-payment`: mint a token, create a payment, read it; 3
 * requests). The server is the OpenAPI mock of the two Fintecture descriptions
 * (`test/mocks/openapi-mock.ts`, `validate: false`: the PIS signature headers no workflow can
 * express are not required) served over loopback HTTP from this process
 * (`test/helpers/fetch-server.ts`). Each measured command is a fresh process, timed from spawn
 * to exit by this process (GNU time adds CPU time and peak memory, children included), in one
 * loop, the order reversed every repetition (A B C … C B A …) so the machine's load falls on
 * all of them alike, after one unmeasured run of each (tsx's and Node's caches, the type-check
 * cache and the package folder are warm then):
 *
 *   respect          respect <seed> --server oauthApi=<url> --server pisApi=<url> --input …
 *   server           node generator/bin.js run <seed> --server oauthApi=<url> --server pisApi=<url> --input …
 *   mock             node generator/bin.js run <seed> --mock (the packages' own mocks, in-process)
 *   mockCold         the same after removing the project's cache (node_modules/.cache/arazzo-ts:
 *                    the type-check cache and the run packages): a first run
 *   installed*       the same three arazzo-ts commands with the compiled package (`--installed`:
 *                    dist/ built with tsconfig.build.json into bench/.tmp/run-command/installed,
 *                    laid out as installed, plain Node, no tsx), as users of the package run it
 *   bareNode         node -e 0 (Node's own start-up)
 *
 * arazzo-ts runs in a project of its own (bench/.tmp/run-command/project, and project-installed
 * for the compiled form, whose check-cache key differs; each with a node_modules folder, so the
 * caches are there and nobody else's are touched). Every run is checked: exit
 * code 0, the summary line of each tool (1 workflow passed, 3 steps), and the server's log (3
 * requests answered 200, in the workflow's order, for `server` and `respect`; none for `mock`).
 * For every server run the log also gives the time from spawn to the first request and to the
 * last response: start-up before the workflow sends anything, the workflow, and the exit after.
 *
 * `--profile`: one more run of mockCold, mock and server (and their installed forms) under
 * `node --cpu-prof` (bench/.tmp/run-command/profiles), cut into the phases of `arazzo-ts run`
 * (start-up and module loading; generation; type-check from the cache or by tsgo; importing the
 * package; inputs and options; the workflow) by the first sample of the function that starts
 * each, and each phase by module (self time).
 *
 * `--respect`: installs `@redocly/cli` (RESPECT_VERSION, or `--respect-version`) into the
 * git-ignored bench/.respect with npm when it is not there (it is not a dependency of the
 * project), then runs it with REDOCLY_TELEMETRY=off and REDOCLY_SUPPRESS_UPDATE_NOTICE=true (no
 * calls to Redocly's servers inside the timing). The seed is marked `arazzo: 1.0.1` and uses no
 * 1.1 feature, so both run it as it is (`documentMarked` in the output).
 *
 * Run under tsx (the mock is TypeScript); `node bench/run.mjs --respect` does:
 *
 *   node --import tsx bench/run-command.mjs [--reps 10] [--respect] [--installed] [--profile] [--node <binary>]
 *
 * Prints one JSON object (progress on stderr). The server is closed in every case.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serveFetch } from "../test/helpers/fetch-server.ts";
import { createOpenApiMock } from "../test/mocks/openapi-mock.ts";
import { summarise } from "./profile.mjs";
import { measureProcess } from "./whole-process.mjs";

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH, "..");
const TMP = path.join(BENCH, ".tmp", "run-command");
/** The projects arazzo-ts runs in, one per form: a check-cache entry made by the sources (`.ts`) is a miss for the compiled code (`.js`). */
const PROJECT = path.join(TMP, "project");
const PROJECT_INSTALLED = path.join(TMP, "project-installed");
const INSTALLED = path.join(TMP, "installed");
const PROFILES = path.join(TMP, "profiles");
/** Respect's own folder: git-ignored, never part of the project's dependencies (npm ci time). */
const RESPECT_DIR = path.join(BENCH, ".respect");
const RESPECT_VERSION = "2.77.0";

const SEED = path.join(ROOT, "specs/fintecture/arazzo/fintecture-token-then-payment-workflow.yml");
const OPENAPI = ["oauth", "pis"].map((api) => path.join(ROOT, `specs/fintecture/openapi/fintecture-${api}-api-openapi.yml`));
/** The seed's inputs, as the Fintecture scenario of the tests has them (test/mocks/fintecture-scenarios.ts). */
const INPUTS = {
  clientId: "sandbox-app-3f9a",
  clientSecret: "sandbox-secret-not-real",
  amount: "42.00",
  currency: "EUR",
  communication: "Order 2026-0042",
  requestId: "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b",
};
/** What the workflow sends, in order: one request each, all answered 200. */
const OPERATIONS = ["createAccessToken", "createPisV2Connect", "getPaymentSession"];

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : argv[i + 1];
};
const REPS = Number(option("reps", 10));
const NODE = option("node", process.execPath);
const log = (...a) => console.error(...a);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x, d = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : x);
const rel = (file) => path.relative(ROOT, file).split(path.sep).join("/");

// ---------------------------------------------------------------------------------------
// prerequisites: Respect (installed on demand), the compiled package (built on demand)

/** `@redocly/cli` in bench/.respect, installed with npm when missing or of another version. */
function ensureRespect(version = RESPECT_VERSION) {
  const manifest = path.join(RESPECT_DIR, "node_modules", "@redocly", "cli", "package.json");
  const installed = existsSync(manifest) ? JSON.parse(readFileSync(manifest, "utf8")).version : undefined;
  if (installed !== version) {
    log(`  installing @redocly/cli@${version} into ${rel(RESPECT_DIR)} (npm)`);
    mkdirSync(RESPECT_DIR, { recursive: true });
    writeFileSync(
      path.join(RESPECT_DIR, "package.json"),
      `${JSON.stringify({ name: "arazzo-ts-bench-respect", private: true, description: "Written by bench/run-command.mjs; git-ignored.", dependencies: { "@redocly/cli": version } }, null, 2)}\n`,
    );
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const r = spawnSync(npm, ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel", "error"], { cwd: RESPECT_DIR, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`npm install @redocly/cli@${version} failed (${r.status ?? r.signal}):\n${r.stderr}${r.stdout}`);
  }
  const pkg = JSON.parse(readFileSync(manifest, "utf8"));
  return { version: pkg.version, bin: path.join(path.dirname(manifest), pkg.bin.redocly) };
}

/**
 * The compiled generator laid out as installed, apart from the project's own dist/ (which
 * others may be building): tsc with tsconfig.build.json into INSTALLED/dist, the data files
 * and runtime sources beside it as generator/build.mjs copies them, generator/bin.js, the
 * templates and package.json. Its dependencies resolve to the project's node_modules.
 */
function buildInstalled() {
  const started = performance.now();
  rmSync(INSTALLED, { recursive: true, force: true });
  mkdirSync(path.join(INSTALLED, "generator"), { recursive: true });
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "-p", path.join(ROOT, "tsconfig.build.json"), "--outDir", path.join(INSTALLED, "dist")], {
    cwd: ROOT,
    stdio: ["ignore", 2, 2],
  });
  const generator = path.join(ROOT, "generator");
  for (const entry of readdirSync(generator, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.relative(generator, path.join(entry.parentPath, entry.name)).split(path.sep).join("/");
    if (!(file.startsWith("runtime/") ? file.endsWith(".ts") : !/\.(ts|js|mjs|cjs)$/.test(file))) continue;
    mkdirSync(path.dirname(path.join(INSTALLED, "dist", file)), { recursive: true });
    copyFileSync(path.join(generator, file), path.join(INSTALLED, "dist", file));
  }
  copyFileSync(path.join(generator, "bin.js"), path.join(INSTALLED, "generator", "bin.js"));
  copyFileSync(path.join(ROOT, "package.json"), path.join(INSTALLED, "package.json"));
  symlinkSync(path.join(ROOT, "templates"), path.join(INSTALLED, "templates"), "dir");
  log(`  built the installed layout in ${rel(INSTALLED)} (${Math.round(performance.now() - started)} ms)`);
  return path.join(INSTALLED, "generator", "bin.js");
}

/** The `arazzo:` version the seed is marked with (recorded: Respect supports 1.0.1 and only some 1.1 features). */
function markedVersion() {
  return /^arazzo:\s*["']?([\d.]+)/m.exec(readFileSync(SEED, "utf8"))?.[1];
}

/** No arazzo-ts config file above the project folder: one would change which documents and caches the runs use. */
function checkNoConfigAbove(dir) {
  for (let d = dir; ; d = path.dirname(d)) {
    const found = ["arazzo-ts.config.ts", "arazzo-ts.config.mjs", "arazzo-ts.config.json"].map((n) => path.join(d, n)).find(existsSync);
    if (found) throw new Error(`${found} would be the config of the benchmark's project (${dir}): move it or the project`);
    if (path.dirname(d) === d) return;
  }
}

// ---------------------------------------------------------------------------------------
// the server and the commands

const document = { file: SEED, marked: markedVersion() };
for (const project of [PROJECT, PROJECT_INSTALLED]) {
  mkdirSync(path.join(project, "node_modules"), { recursive: true });
  checkNoConfigAbove(project);
}
const respect = flag("respect") ? ensureRespect(option("respect-version", RESPECT_VERSION)) : undefined;
const installedBin = flag("installed") ? buildInstalled() : undefined;

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
/** Every request the server answered, with when it arrived and when its answer was ready (performance.now()). */
const served = [];
let mock;
const server = await serveFetch(async (request) => {
  const arrivedMs = performance.now();
  const response = await mock.fetch(request);
  served.push({ arrivedMs, answeredMs: performance.now() });
  return response;
});
mock = createOpenApiMock({ documents: OPENAPI, baseUrl: server.url, validate: false });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130));

const inputArgs = Object.entries(INPUTS).flatMap(([name, value]) => ["--input", `${name}=${value}`]);
const serverArgs = ["--server", `oauthApi=${server.url}`, "--server", `pisApi=${server.url}`];
/** Removes a project's cache: the type-check results and the run packages (node_modules/.cache/arazzo-ts). */
const clearCache = (project) => () => rmSync(path.join(project, "node_modules", ".cache", "arazzo-ts"), { recursive: true, force: true });
const arazzoTs = (bin, mode) => [bin, "run", document.file, ...(mode === "mock" ? ["--mock"] : [...serverArgs, ...inputArgs])];
const passedArazzoTs = (stdout) => /1 workflow\(s\) passed, 0 failed \(3 steps, 3 requests\)/.test(stdout);
const passedRespect = (stdout) => {
  const text = stdout.replace(ANSI, "");
  return /Workflows: 1 passed, 1 total/.test(text) && /Steps: 3 passed, 3 total/.test(text);
};

/** name → { args (after the Node binary), cwd, env, server: does it call the loopback server, before: set-up not timed, passed(stdout) }. */
const COMMANDS = {
  bareNode: { args: ["-e", "0"], passed: () => true },
  ...(respect
    ? {
        respect: {
          args: [respect.bin, "respect", document.file, ...serverArgs, ...inputArgs],
          env: { REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
          server: true,
          passed: passedRespect,
        },
      }
    : {}),
  server: { args: arazzoTs(path.join(ROOT, "generator/bin.js"), "server"), server: true, passed: passedArazzoTs },
  mock: { args: arazzoTs(path.join(ROOT, "generator/bin.js"), "mock"), passed: passedArazzoTs },
  mockCold: { args: arazzoTs(path.join(ROOT, "generator/bin.js"), "mock"), before: clearCache(PROJECT), passed: passedArazzoTs },
  ...(installedBin
    ? {
        installedServer: { args: arazzoTs(installedBin, "server"), cwd: PROJECT_INSTALLED, server: true, passed: passedArazzoTs },
        installedMock: { args: arazzoTs(installedBin, "mock"), cwd: PROJECT_INSTALLED, passed: passedArazzoTs },
        installedMockCold: { args: arazzoTs(installedBin, "mock"), cwd: PROJECT_INSTALLED, before: clearCache(PROJECT_INSTALLED), passed: passedArazzoTs },
      }
    : {}),
};

/** One run of `name`, checked; its times, with the server's view for commands that call it. */
async function measure(name, extraNodeArgs = []) {
  const command = COMMANDS[name];
  command.before?.();
  const first = served.length;
  const started = performance.now();
  let r;
  try {
    r = await measureProcess(NODE, [...extraNodeArgs, ...command.args], { cwd: command.cwd ?? PROJECT, env: command.env, sampleMs: 250, tmpDir: TMP });
  } catch (error) {
    throw new Error(`${name}: ${error.message}`);
  }
  if (!command.passed(r.stdout)) throw new Error(`${name}: the workflow did not pass:\n${r.stdout}\n${r.stderr}`.slice(0, 4000));
  const requests = mock.requests.slice(first);
  const calls = served.slice(first);
  if (command.server) {
    const seen = requests.map((q) => `${q.operationId} ${q.response?.status}`);
    const expected = OPERATIONS.map((op) => `${op} 200`);
    if (seen.join() !== expected.join()) throw new Error(`${name}: the server saw ${JSON.stringify(seen)}, expected ${JSON.stringify(expected)}`);
  } else if (requests.length) {
    throw new Error(`${name}: ${requests.length} request(s) reached the loopback server, expected none`);
  }
  return {
    wallMs: r.wallMs,
    cpuMs: r.processCpuMs,
    peakMB: r.peakMB,
    ...(calls.length
      ? {
          firstRequestMs: calls[0].arrivedMs - started,
          lastResponseMs: calls.at(-1).answeredMs - started,
          // the workflow as the server sees it, and what the process does after it
          workflowMs: calls.at(-1).answeredMs - calls[0].arrivedMs,
          afterMs: r.wallMs - (calls.at(-1).answeredMs - started),
        }
      : {}),
    stdout: r.stdout,
  };
}

// ---------------------------------------------------------------------------------------
// profiles: where arazzo-ts's time goes

/**
 * The phases of one `arazzo-ts run`, in the order it runs them, each from the first sample
 * of the function that starts it (samples between two starts belong to the earlier phase,
 * idle time and GC included); a phase whose function no sample caught merges into the one
 * before. Times are under the profiler, which slows the process down: use the shares.
 */
const PHASES = [
  { phase: "start-up: Node (and tsx, for the sources), loading the generator's modules, arguments", starts: null },
  { phase: "generation: load, validate, model, emit, format", starts: ["run/prepare preparePackages", "generate generateWithModels"] },
  { phase: "type-check and dist/ emit (check cache, or tsgo); package folder written when new", starts: ["typescript/compile compilePackages"] },
  { phase: "import the generated package", starts: ["run/prepare importPackage"] },
  {
    phase: "inputs and options (the document read again, input schemas)",
    starts: ["load/document loadDocument", "run/inputs resolveInputs", "run/options resolveOptions"],
  },
  { phase: "the workflow (3 requests), the summary, exit", starts: ["run/execute runWorkflow"] },
];

function mainThreadProfile(dir) {
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread.
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile") && f.split(".")[4] === "0");
  if (!file) throw new Error(`no main-thread profile in ${dir}`);
  return path.join(dir, file);
}

/** `wasm://wasm/dprint_plugin_typescript.wasm-00fec5a6` → `dprint_plugin_typescript (wasm)`; the installed copy's files → `dist/…`. */
const shortModule = (name) => name.replace(/^wasm:\/\/wasm\/(.+?)\.wasm-[0-9a-f]+$/, "$1 (wasm)").replace(/^bench\/\.tmp\/run-command\/installed\//, "");

function phasesOf(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // "<file URL without extension> <function>", so the sources (.ts) and the compiled code (.js) match alike.
  const marker = ({ url, functionName }) => `${url.replace(/\.[cm]?[jt]s$/, "")} ${functionName}`;
  const namesOnStack = new Map();
  const stackNames = (id) => {
    let names = namesOnStack.get(id);
    if (!names) {
      names = new Set([marker(nodes.get(id).callFrame)]);
      const p = parent.get(id);
      if (p !== undefined) for (const n of stackNames(p)) names.add(n);
      namesOnStack.set(id, names);
    }
    return names;
  };
  const times = [];
  let now = profile.startTime;
  for (const delta of profile.timeDeltas) {
    now += delta;
    times.push(now);
  }
  // The first sample of each phase's functions, after the previous phase started.
  const starts = [profile.startTime];
  let from = 0;
  for (const p of PHASES.slice(1)) {
    const k = profile.samples.findIndex((id, i) => i >= from && p.starts.some((m) => [...stackNames(id)].some((name) => name.endsWith(`/${m}`))));
    starts.push(k === -1 ? undefined : times[k]);
    if (k !== -1) from = k;
  }
  const phases = [];
  for (let i = 0; i < PHASES.length; i++) {
    if (starts[i] === undefined) continue;
    const next = starts.slice(i + 1).find((s) => s !== undefined) ?? profile.endTime;
    const summary = summarise(profile, { from: starts[i], to: next, top: 4 });
    phases.push({
      phase: PHASES[i].phase,
      fromMs: round((starts[i] - profile.startTime) / 1000, 0),
      ms: round((next - starts[i]) / 1000, 0),
      // The modules with the most self time in the phase, as one line.
      selfTime: summary.modules.map((m) => `${shortModule(m.name)} ${m.ms}`).join(", "),
    });
  }
  return { totalMs: round((profile.endTime - profile.startTime) / 1000, 0), phases };
}

async function profileRuns(names) {
  rmSync(PROFILES, { recursive: true, force: true });
  const out = {};
  for (const name of names) {
    const dir = path.join(PROFILES, name);
    mkdirSync(dir, { recursive: true });
    log(`  profiling ${name}`);
    const r = await measure(name, ["--cpu-prof", "--cpu-prof-dir", dir]);
    const file = mainThreadProfile(dir);
    out[name] = { profile: rel(file), wallMsUnderProfiler: round(r.wallMs, 0), ...phasesOf(JSON.parse(readFileSync(file, "utf8"))) };
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// main

const names = Object.keys(COMMANDS);
const samples = Object.fromEntries(names.map((n) => [n, []]));
let profiles;
const started = performance.now();
try {
  log(`  server ${server.url}; ${names.join(", ")}; Node ${NODE}`);
  // Warm-up, not measured: fills the caches a second run finds (tsx's, the type-check cache, the package folder).
  for (const name of names) await measure(name);
  for (let rep = 0; rep < REPS; rep++) {
    const order = rep % 2 === 0 ? names : [...names].reverse();
    log(`  repetition ${rep + 1}/${REPS}: ${order.join(" ")}`);
    for (const name of order) {
      const { stdout: _, ...times } = await measure(name);
      samples[name].push(times);
    }
  }
  if (flag("profile")) profiles = await profileRuns(names.filter((n) => COMMANDS[n].passed === passedArazzoTs));
} finally {
  await server.close();
}

const summary = Object.fromEntries(
  names.map((name) => {
    const runs = samples[name];
    const stat = (key) => {
      const xs = runs.map((r) => r[key]).filter((x) => x !== undefined);
      if (!xs.length) return undefined;
      // Every value of the wall time only (results.json stays readable).
      return { median: round(median(xs)), min: round(Math.min(...xs)), ...(key === "wallMs" ? { values: xs.map((x) => round(x, 0)) } : {}) };
    };
    const keys = ["wallMs", "cpuMs", "peakMB", "firstRequestMs", "lastResponseMs", "workflowMs", "afterMs"];
    return [name, Object.fromEntries(keys.map((key) => [key, stat(key)]).filter(([, v]) => v))];
  }),
);
/** a / b: of the medians, of the minimums, and the median of the per-repetition ratios. */
const ratio = (a, b) => {
  if (!summary[a]?.wallMs || !summary[b]?.wallMs) return undefined;
  const pairs = samples[a].map((r, i) => r.wallMs / samples[b][i].wallMs);
  return {
    ofMedians: round(summary[a].wallMs.median / summary[b].wallMs.median, 2),
    ofMins: round(summary[a].wallMs.min / summary[b].wallMs.min, 2),
    medianOfPairs: round(median(pairs), 2),
    cpu: round(summary[a].cpuMs.median / summary[b].cpuMs.median, 2),
  };
};
const ratios = Object.fromEntries(
  [
    ["server/respect", "server", "respect"],
    ["mock/respect", "mock", "respect"],
    ["mockCold/respect", "mockCold", "respect"],
    ["installedServer/respect", "installedServer", "respect"],
    ["installedMock/respect", "installedMock", "respect"],
    ["installedMockCold/respect", "installedMockCold", "respect"],
    ["mockCold/mock", "mockCold", "mock"],
    ["installedMockCold/installedMock", "installedMockCold", "installedMock"],
    ["server/installedServer", "server", "installedServer"],
  ]
    .map(([key, a, b]) => [key, ratio(a, b)])
    .filter(([, r]) => r),
);

const nodeVersion = spawnSync(NODE, ["--version"], { encoding: "utf8" }).stdout.trim();
const show = (args) =>
  args
    .map((a) => (a === document.file ? rel(a) : a.startsWith(ROOT) ? rel(a) : a))
    .map((a) => (a.includes(server.url) ? a.replace(server.url, "<url>") : a))
    .map((a) => (/[\s"]/.test(a) ? `"${a}"` : a))
    .join(" ");
console.log(
  JSON.stringify({
    node: nodeVersion,
    respect: respect?.version,
    document: rel(document.file),
    documentMarked: document.marked,
    projects: { sources: rel(PROJECT), installed: rel(PROJECT_INSTALLED) },
    reps: REPS,
    commands: Object.fromEntries(names.map((n) => [n, `node ${show(COMMANDS[n].args)}`])),
    env: Object.fromEntries(names.filter((n) => COMMANDS[n].env).map((n) => [n, COMMANDS[n].env])),
    checks:
      "every run: exit code 0, the tool's summary (1 workflow passed, 3 steps), and at the server 3 requests answered 200 in the workflow's order (none for --mock)",
    summary,
    ratios,
    profiles,
    loadAverage: os.loadavg().map((x) => round(x, 2)),
    seconds: round((performance.now() - started) / 1000, 1),
  }),
);
