#!/usr/bin/env node
/**
 * `npm run bench`: the project's benchmarks (issue 5). Not part of `npm test`.
 *
 *   generation  `arazzo-ts generate` as a whole process (spawn to exit, measured by the
 *               parent), CPU time and peak memory (children such as tsgo included) for the
 *               seed document, a real provider document whose OpenAPI is 2.25 MB (from
 *               ../shared/corpus, when it is there) and synthetic documents of 10, 100 and
 *               1,000 workflows (10 steps each, one OpenAPI 3.1 document of 1,000
 *               operations), each against openapi-typescript alone on the same OpenAPI
 *               documents; one fresh process per measurement (`bench/generation.mjs`).
 *   cli         the installed command line (`bench/cli.mjs`; builds dist/ first).
 *   corpus      many documents in one run: the shared corpus's 94 documents that generate, in one
 *               `generate --config` of the installed command line, against openapi-typescript's
 *               CLI once per description they name and its API over them in one process
 *               (`bench/corpus.mjs`; needs ../shared/corpus, else skipped; about 1.5 min per
 *               repetition, at most 3; left out of `--smoke` unless `--only corpus`).
 *   runtime     runs/s of `runTokenThenPayment` (generated `dist/index.js`) against the same
 *               three openapi-fetch calls written by hand, over an instant fetch stub.
 *   telemetry   what OpenTelemetry costs `runTokenThenPayment` over the same stub: the package
 *               with `@opentelemetry/api` installed and no SDK, and with an SDK registered,
 *               each against a copy that cannot resolve the API (`bench/telemetry.mjs`).
 *   typecheck   `tsc --noEmit --extendedDiagnostics` of a consumer of the generated package
 *               against a consumer making the same calls by hand (`bench/consumers/`).
 *
 * Opt-in (slow, so not in the default run; their last results are kept in results.json):
 *   --profile     `node --cpu-prof` of one generation of the seed and of the 100-workflow
 *                 case, summarised by stage, module and function (`bench/profile.mjs`)
 *   --calls       type-check cost of one openapi-fetch call against a 1,000-operation
 *                 `paths`, as generated and written two other ways (`bench/typecheck-calls.mjs`)
 *   --restate     per-workflow overhead of the Restate target (issue 14): the seed run by the
 *                 plain target in-process against the same workflow started and awaited through
 *                 a private restate-server's ingress, one mock over loopback HTTP for both; ms per
 *                 workflow and workflows/s at 20 concurrent, ratio restate / plain, 3 processes
 *                 (`bench/restate.mjs`, about 1 min). Needs the @restatedev/restate-server dev
 *                 dependency and Node 24 in .cache/node/24 (`node test/helpers/node-versions.mjs
 *                 24`); `--smoke` runs it at tiny size when both are there, else says it skips it
 *   --respect     `arazzo-ts run` of the seed as a whole process (`--mock`; `--server` against a
 *                 loopback server; a first run with the caches removed), from the sources and
 *                 compiled (dist/ built into bench/.tmp), against Redocly Respect running the same
 *                 document against the same server, interleaved, 10 repetitions, then profiled by
 *                 phase (`bench/run-command.mjs`, issue 21; about 2.5 min). Installs @redocly/cli
 *                 into the git-ignored bench/.respect with npm when it is not there (not a project
 *                 dependency); `--smoke` runs arazzo-ts once, with Respect only when installed
 *   --fuzz        mutation fuzzing (issue 22): 10,000 mutated real documents through validate(),
 *                 none may end in an internal error or an unlocated diagnostic (`bench/fuzz.mjs`,
 *                 about 16 min on 2 cores with ../shared/corpus; `--fuzz-count N` for another
 *                 count); `--smoke` runs 50 when `--fuzz` is given
 *
 * Every comparison is a ratio against a baseline measured in the same run, interleaved
 * with it (baseline, subject, baseline, subject …); medians and minimums of each.
 *
 * Usage:
 *   node bench/run.mjs                      all default sections → bench/results.json
 *   node bench/run.mjs --smoke              every benchmark at tiny size, a few seconds;
 *                                           writes bench/.tmp/results-smoke.json, exits 1 on failure
 *   node bench/run.mjs --only runtime,typecheck   some sections (merged into results.json)
 *   node bench/run.mjs --only generation --cases seed,synthetic-100
 *                                           some generation cases (merged with the others)
 *   node bench/run.mjs --without-1000       the default run without the 1,000-workflow case
 *   node bench/run.mjs --only generation --compare 383da49
 *                                           also that commit's generator, in a temporary
 *                                           `git worktree` (removed afterwards), alternated
 *                                           with this checkout's: before and after in one run
 *   node bench/run.mjs --profile --calls    add the slow ones
 *   node bench/run.mjs --only restate       (or `--restate`) the Restate overhead alone
 *   node bench/run.mjs --only respect       (or `--respect`) `arazzo-ts run` against Respect alone
 *   node bench/run.mjs --reps 5             repetitions (default 5; synthetic at most 3; the
 *                                           1,000-workflow case once unless --reps is given)
 *   node bench/run.mjs --report             print the Markdown tables of bench/results.json
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeSynthetic } from "./synthetic.mjs";
import { DESCRIPTION, PROVIDER, SEED, generationChild, generationReport, generationTargets, growth, measureGeneration } from "./generation.mjs";
import { summarise } from "./profile.mjs";
import { TIME } from "./whole-process.mjs";
import { withWorktree } from "./worktree.mjs";
import { CACHE_DIR, binaryPackage } from "../test/helpers/node-versions.mjs";
import { CORPUS, CORPUS_MISSING } from "../test/helpers/shared.mjs";

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH, "..");
const TMP = path.join(BENCH, ".tmp"); // git-ignored (`.tmp/`)
const RESULTS = path.join(BENCH, "results.json");
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name) => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? undefined : argv[i + 1];
};
const SMOKE = flag("smoke");

const TARGETS = { generation: 1.5, runtime: 1.1, typecheck: 1.3 };

// ---------------------------------------------------------------------------------------
// helpers

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const min = (xs) => Math.min(...xs);
const stats = (xs) => ({ median: median(xs), min: min(xs), values: xs });
const round = (x, d = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : x);
const rel = (file) => path.relative(ROOT, file).split(path.sep).join("/");
const log = (...a) => console.error(...a);

function run(command, args, { env } = {}) {
  const started = performance.now();
  const r = spawnSync(command, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 256 * 2 ** 20, env: { ...process.env, ...env } });
  const wallMs = performance.now() - started;
  if (r.status !== 0) throw new Error(`${[command, ...args].join(" ")} failed (${r.status ?? r.signal}):\n${r.stderr}\n${r.stdout}`.slice(0, 4000));
  return { stdout: r.stdout, stderr: r.stderr, wallMs };
}

const NODE = process.execPath;

// ---------------------------------------------------------------------------------------
// sections

function machine() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    memoryGB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
    loadAverageAtStart: os.loadavg().map((x) => round(x, 2)),
    ...gitState(),
  };
}

/** The commit measured and whether the working tree had changes (read-only git commands). */
function gitState() {
  const git = (...args) => spawnSync("git", args, { cwd: ROOT, encoding: "utf8" });
  const head = git("rev-parse", "--short", "HEAD");
  if (head.status !== 0) return {};
  const status = git("status", "--porcelain", "--untracked-files=no");
  return { commit: head.stdout.trim(), uncommittedChanges: status.stdout.split("\n").filter(Boolean).length };
}

function syntheticInputs() {
  const dir = path.join(TMP, SMOKE ? "synthetic-smoke" : "synthetic");
  const shape = SMOKE
    ? { operations: 20, steps: 3, workflows: [2, 4, 8] }
    : { operations: 1000, steps: 10, workflows: flag("without-1000") ? [10, 100] : [10, 100, 1000] };
  const files = writeSynthetic(dir, shape);
  return { shape, openapi: rel(files.openapi), arazzo: Object.fromEntries(Object.entries(files.arazzo).map(([n, f]) => [n, rel(f)])), dir: rel(dir) };
}

async function generationSection(reps, previous) {
  const synthetic = syntheticInputs();
  const cases = await measureGeneration({
    root: ROOT,
    tmpDir: TMP,
    synthetic,
    smoke: SMOKE,
    reps,
    repsExplicit: option("reps") !== undefined,
    select: CASES,
    compare: COMPARE,
    providerAvailable: PROVIDER.arazzo !== undefined,
    checkout: gitState,
  });
  // Cases not measured now keep their last results (each carries measuredAt), as sections do.
  const kept = previous?.version === 2 && !SMOKE ? previous.cases : {};
  const merged = { ...kept, ...cases };
  const rank = (name) => ({ seed: 0, provider: 1 })[name] ?? 2 + Number(name.replace("synthetic-", ""));
  const sorted = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => rank(a) - rank(b)));
  return {
    version: 2,
    description: DESCRIPTION,
    repetitions: reps,
    timeTool: TIME,
    synthetic: { ...synthetic.shape, openapi: synthetic.openapi, inputsCommand: `node bench/synthetic.mjs --out ${synthetic.dir}` },
    cases: sorted,
    growth: growth(sorted),
  };
}

async function profileSection() {
  const synthetic = syntheticInputs();
  const large = synthetic.shape.workflows[1];
  const out = {};
  for (const [name, file] of [
    ["seed", SEED],
    [`synthetic-${large}`, synthetic.arazzo[large]],
  ]) {
    const dir = path.join(TMP, "profiles", name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    log(`  profiling ${name}`);
    const child = await generationChild(ROOT, "generate", [file], { profileDir: dir, tmpDir: TMP });
    const [profileFile] = readdirSync(dir)
      .filter((f) => f.endsWith(".cpuprofile"))
      .map((f) => path.join(dir, f));
    // Only the generate() call: module loading is left out (the child reports the window).
    const summary = summarise(JSON.parse(readFileSync(profileFile, "utf8")), { top: 20, from: child.runStartUs, to: child.runEndUs });
    out[name] = {
      command: `node --import tsx --cpu-prof --cpu-prof-dir ${rel(dir)} bench/generate-child.mjs generate ${file}, then node bench/profile.mjs <the .cpuprofile> --from <runStartUs> --to <runEndUs> (both printed by the child)`,
      window: { runStartUs: child.runStartUs, runEndUs: child.runEndUs },
      profile: rel(profileFile),
      runMsUnderProfiler: child.runMs,
      ...summary,
    };
  }
  return { date: new Date().toISOString(), ...out };
}

function callsSection() {
  const args = SMOKE ? ["--calls", "5", "--operations", "20", "--reps", "1"] : ["--calls", "100", "--operations", "1000", "--reps", "3"];
  log(`  typecheck-calls ${args.join(" ")}`);
  return JSON.parse(run(NODE, ["bench/typecheck-calls.mjs", ...args]).stdout.trim());
}

/** The installed CLI, whole process: start-up against bare Node, validate/generate against openapi-typescript's CLI. */
function cliSection() {
  log("  npm run build");
  run("npm", ["run", "build"]);
  const args = SMOKE ? ["--reps", "1"] : ["--reps", "10"];
  return JSON.parse(run(NODE, ["bench/cli.mjs", ...args]).stdout.trim());
}

function runtimeSection(reps) {
  const args = SMOKE ? ["--batches", "2", "--runs", "100", "--warmup", "100"] : ["--batches", "20", "--runs", "1000", "--warmup", "3000"];
  const processes = [];
  for (let i = 0; i < (SMOKE ? 1 : reps); i++) {
    log(`  runtime: process ${i + 1}`);
    processes.push(JSON.parse(run(NODE, ["bench/runtime.mjs", ...args]).stdout.trim()));
  }
  const all = (variant, key) => processes.flatMap((p) => p[variant][key]);
  const variant = (name) => ({
    opsPerSec: stats(all(name, "opsPerSec")),
    opsPerCpuSec: stats(all(name, "opsPerCpuSec")),
    maxOpsPerSec: Math.max(...all(name, "opsPerSec")),
  });
  const gen = variant("generated");
  const hand = variant("handWritten");
  const handMw = variant("handWrittenWithMiddleware");
  const pairRatios = stats(processes.flatMap((p) => p.pairRatios));
  const section = {
    description:
      "runs per second of runTokenThenPayment (generated dist/index.js) vs the same three openapi-fetch calls by hand (createClient per run), over one in-process fetch stub answering instantly; batches interleaved, one pair of batches back to back",
    command: `node bench/runtime.mjs ${args.join(" ")}`,
    processes: processes.length,
    batchesPerProcess: processes[0].batches,
    runsPerBatch: processes[0].runsPerBatch,
    generated: gen,
    handWritten: hand,
    // time per run, generated / hand-written (1.10 = generated 10% slower): the median of
    // back-to-back pairs (robust to drift on a shared machine), then two cross-checks
    ratio: pairRatios.median,
    ratioOfMedians: hand.opsPerSec.median / gen.opsPerSec.median,
    ratioCpu: hand.opsPerCpuSec.median / gen.opsPerCpuSec.median,
    ratioBest: hand.maxOpsPerSec / gen.maxOpsPerSec,
    pairRatios,
    diagnostic: {
      description: "the hand-written sequence with one no-op onResponse middleware per client (as the generated clients install trackRequests)",
      handWrittenWithMiddleware: handMw,
      ratioToHandWritten: stats(processes.flatMap((p) => p.middlewarePairRatios)).median,
      ratioToHandWrittenCpu: hand.opsPerCpuSec.median / handMw.opsPerCpuSec.median,
      generatedToItCpu: handMw.opsPerCpuSec.median / gen.opsPerCpuSec.median,
    },
  };
  log(
    `    generated ${round(gen.opsPerSec.median, 0)} runs/s vs hand-written ${round(hand.opsPerSec.median, 0)} runs/s: ${round(section.ratio, 3)}× (pairs), ${round(section.ratioCpu, 3)}× (CPU)`,
  );
  return section;
}

/** OpenTelemetry's cost at run time (issue 25): `bench/telemetry.mjs` in `reps` processes. */
function telemetrySection(reps) {
  const args = SMOKE ? ["--batches", "2", "--runs", "100", "--warmup", "100"] : ["--batches", "16", "--runs", "1000", "--warmup", "3000"];
  const processes = [];
  for (let i = 0; i < (SMOKE ? 1 : reps); i++) {
    log(`  telemetry: process ${i + 1}`);
    processes.push(JSON.parse(run(NODE, ["bench/telemetry.mjs", ...args]).stdout.trim()));
  }
  const phase = (name, variant) => ({
    opsPerSec: stats(processes.map((p) => p[name][variant].opsPerSec)),
    usPerRun: stats(processes.map((p) => p[name][variant].usPerRun)),
  });
  const section = {
    description:
      "runs per second of runTokenThenPayment over an instant fetch stub: the package with @opentelemetry/api installed and no SDK, and with an SDK registered (batch span processor whose exporter drops spans, AsyncLocalStorage context manager, W3C propagator, meter provider), each against a copy of the package that cannot resolve the API; batches interleaved",
    command: `node bench/telemetry.mjs ${args.join(" ")}`,
    processes: processes.length,
    noApi: phase("withoutSdk", "noApi"),
    apiNoSdk: phase("withoutSdk", "apiNoSdk"),
    sdk: phase("withSdk", "sdk"),
    // time per run / that of the copy without the API (medians of back-to-back pairs, per process)
    ratioApiNoSdk: stats(processes.map((p) => p.withoutSdk.ratio)).median,
    ratioApiNoSdkCpu: stats(processes.map((p) => p.withoutSdk.ratioCpu)).median,
    ratioSdk: stats(processes.map((p) => p.withSdk.ratio)).median,
    ratioSdkCpu: stats(processes.map((p) => p.withSdk.ratioCpu)).median,
    spansPerRun: processes[0].spansPerRun,
  };
  log(
    `    API, no SDK ${round(section.ratioApiNoSdk, 3)}× (CPU ${round(section.ratioApiNoSdkCpu, 3)}×); SDK ${round(section.ratioSdk, 3)}× (CPU ${round(section.ratioSdkCpu, 3)}×), ${round(section.sdk.usPerRun.median, 1)} µs per traced run`,
  );
  return section;
}

/** Node 24 from .cache/node/24 and restate-server from its npm package (as test/helpers/restate.ts finds them); never installs anything. */
function restatePrerequisites() {
  const missing = [];
  const node = path.join(CACHE_DIR, "24", "node_modules", binaryPackage(), "bin", process.platform === "win32" ? "node.exe" : "node");
  const version = existsSync(node) ? spawnSync(node, ["--version"], { encoding: "utf8", timeout: 30_000 }).stdout : "";
  if (!version?.startsWith("v24.")) missing.push("Node 24 in .cache/node/24 (node test/helpers/node-versions.mjs 24)");
  try {
    const manifest = createRequire(import.meta.url).resolve(`@restatedev/restate-server-${process.platform}-${process.arch}/package.json`);
    if (!existsSync(path.join(path.dirname(manifest), "bin", "restate-server"))) throw new Error("no binary");
  } catch {
    missing.push("restate-server (npm i -D @restatedev/restate-server)");
  }
  return { node, missing };
}

function restateSection() {
  const { node, missing } = restatePrerequisites();
  if (missing.length) {
    const reason = `missing ${missing.join(" and ")}`;
    if (!SMOKE) throw new Error(`the restate benchmark needs restate-server and Node 24: ${reason}`);
    log(`  restate: SKIPPED, ${reason}`);
    return { skipped: reason };
  }
  const args = SMOKE
    ? ["--runs", "10", "--warmup", "5", "--concurrency", "5", "--batches", "2"]
    : ["--runs", "300", "--warmup", "50", "--concurrency", "20", "--batches", "20"];
  const processes = [];
  for (let i = 0; i < (SMOKE ? 1 : 3); i++) {
    log(`  restate: process ${i + 1} (restate-server, the service on Node 24, the mock, ${args.join(" ")})`);
    processes.push(JSON.parse(run(node, ["--import", "tsx", "bench/restate.mjs", ...args]).stdout.trim()));
  }
  const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))];
  const summary = (xs) => ({ median: median(xs), min: min(xs), p90: p90(xs), max: Math.max(...xs), n: xs.length });
  const all = (group, key) => processes.flatMap((p) => p[group][key]);
  const latency = (group) => {
    const plain = summary(all(group, "plain"));
    const restate = summary(all(group, "restate"));
    const pairRatios = summary(all(group, "pairRatios"));
    return {
      plain,
      restate,
      restateSubmit: summary(all(group, "restateSubmit")),
      pairRatios,
      ratio: pairRatios.median,
      ratioOfMedians: restate.median / plain.median,
      ratioOfMins: restate.min / plain.min,
      overheadMs: restate.median - plain.median,
    };
  };
  const journaled = latency("latency");
  const unjournaled = latency("unjournaled");
  const throughputPairs = summary(all("throughput", "pairRatios"));
  const throughput = {
    concurrency: processes[0].concurrency,
    batchesPerProcess: processes[0].batches,
    plain: summary(all("throughput", "plain")),
    restate: summary(all("throughput", "restate")),
    pairRatios: throughputPairs,
    // time per workflow at that concurrency, restate / plain (median of back-to-back batch pairs)
    ratio: throughputPairs.median,
  };
  if (processes.every((p) => p.cpu)) {
    const runs = processes.reduce((sum, p) => sum + p.cpu.runsPerSide, 0);
    const perWorkflow = (side) => {
      const total = (proc) => processes.reduce((sum, p) => sum + p.cpu[side][proc], 0) / runs;
      const out = { bench: total("bench"), service: total("service"), server: total("server") };
      return { ...out, total: out.bench + out.service + out.server };
    };
    throughput.cpuMsPerWorkflow = { plain: perWorkflow("plain"), restate: perWorkflow("restate") };
    throughput.cpuRatio = throughput.cpuMsPerWorkflow.restate.total / throughput.cpuMsPerWorkflow.plain.total;
  }
  const steps = processes[0].journaledSteps.length;
  const section = {
    description:
      "the seed (token-then-payment, 3 requests) by the plain target (runTokenThenPayment in the benchmark process) vs the Restate target (startTokenThenPayment + output() through a private restate-server's ingress, the workflow served on Node 24 by test/restate/fixtures/fintecture-services.mjs), one OpenAPI mock over loopback HTTP for both, fake signing on both; one workflow at a time alternated (A B B A), then batches of concurrent workflows alternated; a fresh restate-server per process",
    command: `${rel(node)} --import tsx bench/restate.mjs ${args.join(" ")}`,
    node: processes[0].node,
    restateServer: processes[0].restateServer,
    restateSdk: processes[0].restateSdk,
    processes: processes.length,
    runsPerProcess: processes[0].runs,
    warmupPerProcess: processes[0].warmup,
    journaledSteps: processes[0].journaledSteps,
    latency: journaled,
    // the seed's plain run inside a Restate handler (nothing journaled): the invocation's own cost
    unjournaled,
    // the journal's share: overhead with journaled steps minus overhead without, per step
    journalMsPerStep: (journaled.overheadMs - unjournaled.overheadMs) / steps,
    throughput,
    secondsPerProcess: processes.map((p) => p.seconds),
  };
  log(
    `    plain ${round(journaled.plain.median, 2)} ms vs restate ${round(journaled.restate.median, 2)} ms per workflow: ${round(journaled.ratio, 2)}× (pairs); ${round(throughput.plain.median, 0)} vs ${round(throughput.restate.median, 0)} workflows/s at ${throughput.concurrency} concurrent: ${round(throughput.ratio, 2)}×`,
  );
  return section;
}

/** Many documents in one run (issue 24, item 3): `bench/corpus.mjs`, the shared corpus's documents in one config. */
function corpusSection() {
  if (!CORPUS) {
    log(`  corpus: SKIPPED, the corpus ${CORPUS_MISSING}`);
    return { skipped: CORPUS_MISSING };
  }
  log("  npm run build");
  run("npm", ["run", "build"]);
  const args = ["--reps", SMOKE ? "1" : String(Math.min(reps, 3))];
  log(`  node bench/corpus.mjs ${args.join(" ")}`);
  const r = spawnSync(NODE, ["bench/corpus.mjs", ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 2 ** 20, stdio: ["ignore", "pipe", "inherit"] });
  if (r.status !== 0) throw new Error(`bench/corpus.mjs failed (${r.status ?? r.signal})`);
  return JSON.parse(r.stdout.trim());
}

/** Mutation fuzzing (issue 22): `bench/fuzz.mjs`; failures are recorded in the section, and fail the run. */
function fuzzSection() {
  const args = ["--count", SMOKE ? "50" : (option("fuzz-count") ?? "10000"), ...(SMOKE ? ["--set", "small"] : [])];
  log(`  node bench/fuzz.mjs ${args.join(" ")}`);
  const r = spawnSync(NODE, ["bench/fuzz.mjs", ...args, "--json"], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 256 * 2 ** 20,
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (r.status !== 0 && r.status !== 1) throw new Error(`bench/fuzz.mjs failed (${r.status ?? r.signal})`);
  const out = JSON.parse(r.stdout);
  if (out.failures) throw Object.assign(new Error(`${out.failures} mutated document(s) broke the property: ${JSON.stringify(out.failed, null, 2)}`), { out });
  return out;
}

/** Where `bench/run-command.mjs --respect` installs Respect (git-ignored; never a dependency of the project). */
const RESPECT_DIR = path.join(BENCH, ".respect");

/** `arazzo-ts run` against Respect (issue 21): `bench/run-command.mjs`, one process, Respect installed on demand. */
function respectSection() {
  const installed = existsSync(path.join(RESPECT_DIR, "node_modules", "@redocly", "cli", "package.json"));
  // Installing is a network call: the smoke run uses Respect only when it is there or asked for.
  const withRespect = !SMOKE || installed || flag("respect") || only?.includes("respect");
  const reps = option("reps") ?? "10";
  const args = SMOKE ? ["--reps", "1"] : ["--reps", reps, "--installed", "--profile"];
  if (withRespect) args.push("--respect");
  else log("  respect: Respect is not installed, arazzo-ts only (`node bench/run.mjs --respect` installs it into bench/.respect)");
  log(`  run-command: node --import tsx bench/run-command.mjs ${args.join(" ")}`);
  const out = JSON.parse(run(NODE, ["--import", "tsx", "bench/run-command.mjs", ...args]).stdout.trim());
  const m = (name) => out.summary[name]?.wallMs.median;
  log(
    `    arazzo-ts run --mock ${round(m("mock"), 0)} ms, --server ${round(m("server"), 0)} ms, first run ${round(m("mockCold"), 0)} ms${out.respect ? `; Respect ${round(m("respect"), 0)} ms (--server / Respect ${out.ratios["server/respect"].medianOfPairs}×)` : ""}`,
  );
  return {
    description:
      "arazzo-ts run of the seed (token-then-payment, 3 requests), whole process, spawn to exit: --mock (the package's own mocks), --server/--input against a loopback OpenAPI mock of the Fintecture APIs, and a first run (the project's node_modules/.cache/arazzo-ts removed), from the sources (tsx) and compiled (plain Node), against Redocly Respect (respect --server --input) on the same document and server; one process, every command in turn, the order reversed each repetition; each run checked (exit code, the tool's summary, 3 requests answered 200 at the server)",
    command: `node --import tsx bench/run-command.mjs ${args.join(" ")}`,
    ...out,
  };
}

const TSC_FIELDS = {
  Files: "files",
  "Lines of Library": "linesOfLibrary",
  "Lines of Definitions": "linesOfDefinitions",
  "Lines of TypeScript": "linesOfTypeScript",
  Identifiers: "identifiers",
  Symbols: "symbols",
  Types: "types",
  Instantiations: "instantiations",
  "Memory used": "memoryUsedKB",
  "Assignability cache size": "assignabilityCache",
  "Parse time": "parseS",
  "Bind time": "bindS",
  "Check time": "checkS",
  "Total time": "totalS",
};

function tscChild(consumer) {
  const { stdout, stderr, wallMs } = run(NODE, ["bench/tsc-child.cjs", "-p", `bench/consumers/tsconfig.${consumer}.json`, "--extendedDiagnostics"]);
  const out = { wallMs };
  for (const line of stdout.split("\n")) {
    const m = /^([A-Za-z /]+):\s+([\d.]+)K?s?$/.exec(line.trim());
    if (m && TSC_FIELDS[m[1].trim()]) out[TSC_FIELDS[m[1].trim()]] = Number(m[2]);
  }
  const marker = stderr.split("\n").find((l) => l.startsWith("@@bench "));
  Object.assign(out, JSON.parse(marker.slice("@@bench ".length)));
  return out;
}

function typecheckSection(reps) {
  const runs = { generated: [], hand: [] };
  for (let i = 0; i < (SMOKE ? 1 : reps); i++) {
    log(`  typecheck: repetition ${i + 1}`);
    runs.hand.push(tscChild("hand"));
    runs.generated.push(tscChild("generated"));
  }
  const pick = (list) => {
    const keys = Object.keys(list[0]);
    return Object.fromEntries(keys.map((k) => [k, stats(list.map((r) => r[k]))]));
  };
  const g = pick(runs.generated);
  const h = pick(runs.hand);
  const section = {
    description:
      "tsc --noEmit --extendedDiagnostics (strict, NodeNext, skipLibCheck, lib ES2022 + DOM) of bench/consumers/generated-consumer.ts (calls runTokenThenPayment, reads the outputs) vs bench/consumers/hand-consumer.ts (the same three calls with openapi-fetch over the openapi-typescript paths); one fresh process each",
    commands: {
      generated: "node node_modules/typescript/bin/tsc -p bench/consumers/tsconfig.generated.json --extendedDiagnostics",
      hand: "node node_modules/typescript/bin/tsc -p bench/consumers/tsconfig.hand.json --extendedDiagnostics",
    },
    repetitions: runs.generated.length,
    generated: g,
    hand: h,
    ratio: {
      totalTime: g.totalS.median / h.totalS.median,
      checkTime: g.checkS.median / h.checkS.median,
      wall: g.wallMs.median / h.wallMs.median,
      peakRSS: g.maxRSSMB.median / h.maxRSSMB.median,
      memoryUsed: g.memoryUsedKB.median / h.memoryUsedKB.median,
      instantiations: g.instantiations.median / h.instantiations.median,
      types: g.types.median / h.types.median,
    },
  };
  log(`    generated consumer ${g.totalS.median}s vs hand ${h.totalS.median}s (tsc Total time): ${round(section.ratio.totalTime, 2)}×`);
  return section;
}

function targets(results) {
  const list = [];
  list.push(...generationTargets(results.generation, TARGETS.generation));
  if (results.cli) {
    const r = results.cli.ratio;
    list.push({
      benchmark: "CLI --version start-up (whole process, vs node -e 0)",
      target: "≤ 3×",
      ratio: round(r.versionToBareNode, 2),
      met: r.versionToBareNode <= 3,
    });
    list.push({
      benchmark: "CLI generate seed (whole process, vs openapi-typescript CLI)",
      target: "≤ 1.0× (issue 24)",
      ratio: round(r.generateToOpenapiTypescript, 2),
      met: r.generateToOpenapiTypescript <= 1,
    });
    if (r.providerToOpenapiTypescript !== undefined)
      list.push({
        benchmark: "CLI generate provider, 2.25 MB OpenAPI (whole process, vs openapi-typescript CLI)",
        target: "< 1.0× (issue 24)",
        ratio: round(r.providerToOpenapiTypescript, 2),
        met: r.providerToOpenapiTypescript < 1,
      });
  }
  if (results.corpus?.ratio !== undefined) {
    const c = results.corpus;
    list.push({
      benchmark: `${c.documents} corpus documents in one run (whole process, vs openapi-typescript's CLI once per description; in one process in brackets)`,
      target: "≤ 0.5×",
      value: `${round(c.ratioToCli, 2)}× (${round(c.ratio, 2)}×)`,
      met: c.ratioToCli <= 0.5,
    });
    list.push({
      benchmark: "corpus run peak memory (largest process)",
      target: "≤ 1 GB",
      value: `${round(c.generate.peakMB.median, 0)} MB`,
      met: c.generate.peakMB.median <= 1024,
    });
  }
  if (results.runtime) {
    list.push({
      benchmark: "runtime (time per run)",
      target: `≤ ${TARGETS.runtime}×`,
      ratio: round(results.runtime.ratio, 3),
      met: results.runtime.ratio <= TARGETS.runtime,
    });
  }
  if (results.typecheck) {
    const r = results.typecheck.ratio.totalTime;
    list.push({ benchmark: "type-check (tsc Total time)", target: `≤ ${TARGETS.typecheck}×`, ratio: round(r, 2), met: r <= TARGETS.typecheck });
  }
  return list;
}

// ---------------------------------------------------------------------------------------
// report

function report(results) {
  const lines = [];
  const m = results.machine;
  const f = (x, d = 0) => (x === undefined ? "–" : round(x, d).toLocaleString("en-US"));
  lines.push(
    `Machine (as of the last run; each section records when it was measured and the load average around it): ${m.cpuModel}, ${m.cores} cores, ${m.memoryGB} GB, Node ${m.node}, ${m.platform}; ${m.date}${m.commit ? `; commit ${m.commit}${m.uncommittedChanges ? ` + ${m.uncommittedChanges} uncommitted changes` : ""}` : ""}; load average at start ${m.loadAverageAtStart.join(" / ")}`,
    "",
  );
  if (results.generation) lines.push(...generationReport(results.generation, f));
  if (results.corpus?.generate) {
    const c = results.corpus;
    lines.push(
      `### Many documents in one run (${c.documents} corpus documents naming ${c.descriptions} descriptions; ${c.node}; median of ${c.reps})`,
      "",
      "| | wall ms | CPU ms (tree) | peak MB, largest process (tree sum) |",
      "| --- | --- | --- | --- |",
      `| arazzo-ts generate --config | ${f(c.generate.wallMs.median)} | ${f(c.generate.processCpuMs.median)} | ${f(c.generate.peakMB.median)} (${f(c.generate.treePeakMB.median)}) |`,
      `| openapi-typescript CLI, once per description | ${f(c.openapiTypescriptCli.wallMs.median)} | ${f(c.openapiTypescriptCli.processCpuMs.median)} | ${f(c.openapiTypescriptCli.peakMB.median)} |`,
      `| openapi-typescript API, one process | ${f(c.openapiTypescript.wallMs.median)} | ${f(c.openapiTypescript.processCpuMs.median)} | ${f(c.openapiTypescript.peakMB.median)} |`,
      "",
      `Ratio ${f(c.ratioToCli, 2)}× against the CLI per description, ${f(c.ratio, 2)}× against one process. openapi-typescript cannot read ${c.unreadableByOpenapiTypescript.length} of the descriptions (a broken \`$ref\` in a part no workflow uses); their time until it gives up is counted in one process and left out of the CLI sum.`,
      "",
    );
  }
  if (results.profile) {
    for (const [name, p] of Object.entries(results.profile)) {
      if (!p || typeof p !== "object" || !Array.isArray(p.stages)) continue;
      lines.push(`### Profile: ${name} (${f(p.totalMs)} ms: one generate() call under --cpu-prof, module loading left out)`, "");
      lines.push("| stage (inclusive) | ms | share |", "| --- | --- | --- |");
      for (const s of p.stages) lines.push(`| ${s.name} | ${f(s.ms)} | ${f(s.share * 100, 1)}% |`);
      lines.push("", "| top self time: function | ms | share |", "| --- | --- | --- |");
      for (const s of p.functions.slice(0, 12)) lines.push(`| \`${s.name.replace(/\|/g, "\\|")}\` | ${f(s.ms)} | ${f(s.share * 100, 1)}% |`);
      lines.push("", "| self time: module | ms | share |", "| --- | --- | --- |");
      for (const s of p.modules.slice(0, 8)) lines.push(`| ${s.name} | ${f(s.ms)} | ${f(s.share * 100, 1)}% |`);
      lines.push("");
    }
  }
  if (results.calls) {
    const c = results.calls;
    lines.push(`### Type-check cost of one openapi-fetch call (${c.calls} calls, ${c.operations}-operation paths; median of ${c.reps})`, "");
    lines.push(
      "| variant | tsc Check time, s | CPU ms (process) | CPU ms per call over no-calls | Instantiations | Types |",
      "| --- | --- | --- | --- | --- | --- |",
    );
    for (const [name, v] of Object.entries(c.median)) {
      lines.push(
        `| ${name} | ${f(v.checkS, 2)} | ${f(v.cpuMs)} | ${v.cpuMsPerCall === undefined ? "–" : f(v.cpuMsPerCall, 1)} | ${f(v.instantiations)} | ${f(v.types)} |`,
      );
    }
    lines.push("", `Command: \`${c.command}\``, "");
  }
  if (results.cli) {
    const c = results.cli;
    lines.push(`### The installed command line, whole process (median of ${c.reps}, fresh process each, interleaved; ${c.node})`, "");
    lines.push("| command | ms | baseline | baseline ms | ratio |", "| --- | --- | --- | --- | --- |");
    lines.push(`| \`arazzo-ts --version\` | ${f(c.medianMs.version)} | \`node -e 0\` | ${f(c.medianMs.bareNode)} | **${f(c.ratio.versionToBareNode, 2)}×** |`);
    lines.push(`| \`arazzo-ts --help\` | ${f(c.medianMs.help)} | \`node -e 0\` | ${f(c.medianMs.bareNode)} | ${f(c.ratio.helpToBareNode, 2)}× |`);
    lines.push(
      `| \`arazzo-ts validate\` seed | ${f(c.medianMs.validate)} | openapi-typescript CLI, both seed documents | ${f(c.medianMs.openapiTypescript)} | **${f(c.ratio.validateToOpenapiTypescript, 2)}×** |`,
    );
    lines.push(
      `| \`arazzo-ts generate\` seed | ${f(c.medianMs.generate)} | openapi-typescript CLI, both seed documents | ${f(c.medianMs.openapiTypescript)} | **${f(c.ratio.generateToOpenapiTypescript, 2)}×** |`,
      `| \`arazzo-ts generate\` seed, type-check cached | ${f(c.medianMs.cached)} | openapi-typescript CLI, both seed documents | ${f(c.medianMs.openapiTypescript)} | ${f(c.ratio.cachedToOpenapiTypescript, 2)}× |`,
    );
    if (c.ratio.providerToOpenapiTypescript !== undefined)
      lines.push(
        `| \`arazzo-ts generate\` provider (asana, 2.25 MB OpenAPI) | ${f(c.medianMs.provider)} | openapi-typescript CLI on its description | ${f(c.medianMs.providerOpenapiTypescript)} | **${f(c.ratio.providerToOpenapiTypescript, 2)}×** |`,
      );
    lines.push("");
  }
  if (results.runtime) {
    const r = results.runtime;
    lines.push(`### Runtime (${r.processes} processes × ${r.batchesPerProcess} batches of ${r.runsPerBatch} runs; median, best in brackets)`, "");
    lines.push("| | runs/s | runs per CPU-second |", "| --- | --- | --- |");
    lines.push(
      `| generated runTokenThenPayment | ${f(r.generated.opsPerSec.median)} (${f(r.generated.maxOpsPerSec)}) | ${f(r.generated.opsPerCpuSec.median)} |`,
    );
    lines.push(
      `| hand-written openapi-fetch | ${f(r.handWritten.opsPerSec.median)} (${f(r.handWritten.maxOpsPerSec)}) | ${f(r.handWritten.opsPerCpuSec.median)} |`,
    );
    const d = r.diagnostic;
    lines.push(
      `| (diagnostic) hand-written + one no-op middleware per client | ${f(d.handWrittenWithMiddleware.opsPerSec.median)} (${f(d.handWrittenWithMiddleware.maxOpsPerSec)}) | ${f(d.handWrittenWithMiddleware.opsPerCpuSec.median)} |`,
      "",
    );
    lines.push(
      `Ratio, time per run generated / hand-written: **${f(r.ratio, 3)}×** (median of back-to-back batch pairs; min ${f(r.pairRatios.min, 3)}×); ratio of medians ${f(r.ratioOfMedians, 3)}×; CPU time ${f(r.ratioCpu, 3)}×; best vs best ${f(r.ratioBest, 3)}×.`,
      `One no-op middleware costs the hand-written sequence ${f(d.ratioToHandWritten, 3)}× (pairs; CPU ${f(d.ratioToHandWrittenCpu, 3)}×); generated vs that: CPU ${f(d.generatedToItCpu, 3)}×.`,
      "",
    );
  }
  if (results.telemetry) {
    const t = results.telemetry;
    lines.push(`### OpenTelemetry at run time (${t.processes} processes; medians)`, "");
    lines.push("| runTokenThenPayment over the stub | µs per run | time per run vs no API (pairs) | CPU |", "| --- | --- | --- | --- |");
    lines.push(`| \`@opentelemetry/api\` not installed | ${f(t.noApi.usPerRun.median, 1)} | 1 | 1 |`);
    lines.push(`| installed, no SDK | ${f(t.apiNoSdk.usPerRun.median, 1)} | **${f(t.ratioApiNoSdk, 3)}×** | ${f(t.ratioApiNoSdkCpu, 3)}× |`);
    lines.push(
      `| SDK registered, ${f(t.spansPerRun, 0)} spans per run (exporter drops them) | ${f(t.sdk.usPerRun.median, 1)} | ${f(t.ratioSdk, 3)}× | ${f(t.ratioSdkCpu, 3)}× |`,
      "",
    );
  }
  if (results.restate?.latency) {
    const r = results.restate;
    const l = r.latency;
    const u = r.unjournaled;
    const t = r.throughput;
    lines.push(
      `### Restate target: per-workflow overhead (${r.processes} process${r.processes === 1 ? "" : "es"} × ${r.runsPerProcess} workflows one at a time, alternated; ${t.batchesPerProcess} batches of ${t.concurrency} concurrent; Node ${r.node}, restate-server ${r.restateServer})`,
      "",
    );
    lines.push("| | plain target | Restate target | ratio restate / plain |", "| --- | --- | --- | --- |");
    lines.push(
      `| ms per workflow, one at a time: median (min) | ${f(l.plain.median, 2)} (${f(l.plain.min, 2)}) | ${f(l.restate.median, 2)} (${f(l.restate.min, 2)}) | **${f(l.ratio, 2)}×** (pairs; of medians ${f(l.ratioOfMedians, 2)}×, of mins ${f(l.ratioOfMins, 2)}×) |`,
    );
    lines.push(`| ms per workflow, p90 | ${f(l.plain.p90, 2)} | ${f(l.restate.p90, 2)} | |`);
    lines.push(
      `| workflows/s, ${t.concurrency} at a time: median (best) | ${f(t.plain.median)} (${f(t.plain.max)}) | ${f(t.restate.median)} (${f(t.restate.max)}) | **${f(t.ratio, 2)}×** (time per workflow, batch pairs) |`,
    );
    if (t.cpuMsPerWorkflow) {
      const c = t.cpuMsPerWorkflow;
      lines.push(
        `| CPU ms per workflow, all processes (benchmark + mock / service / restate-server) | ${f(c.plain.total, 2)} | ${f(c.restate.total, 2)} (${f(c.restate.bench, 2)} / ${f(c.restate.service, 2)} / ${f(c.restate.server, 2)}) | ${f(t.cpuRatio, 2)}× |`,
      );
    }
    lines.push(
      `| (diagnostic) ms per workflow, no step journaled (the plain run in a Restate handler) | ${f(u.plain.median, 2)} (${f(u.plain.min, 2)}) | ${f(u.restate.median, 2)} (${f(u.restate.min, 2)}) | ${f(u.ratio, 2)}× |`,
      "",
    );
    lines.push(
      `Overhead per workflow: ${f(l.overheadMs, 1)} ms (median), of which the invocation itself (submit ${f(l.restateSubmit.median, 1)} ms, attach, the call to the service) ${f(u.overheadMs, 1)} ms, and ${f(r.journalMsPerStep, 1)} ms per journaled step (${r.journaledSteps.length} steps).`,
      `Command: \`${r.command}\`${r.processes === 1 ? "" : `, ${r.processes} times`}.`,
      "",
    );
  }
  if (results.respect?.summary) lines.push(...respectReport(results.respect, f));
  if (results.typecheck) {
    const t = results.typecheck;
    lines.push(`### Type-check (median of ${t.repetitions}; min in brackets)`, "");
    lines.push("| | generated consumer | hand-written consumer | ratio |", "| --- | --- | --- | --- |");
    const row = (label, key, d = 2, ratioKey) =>
      lines.push(
        `| ${label} | ${f(t.generated[key].median, d)} (${f(t.generated[key].min, d)}) | ${f(t.hand[key].median, d)} (${f(t.hand[key].min, d)}) | ${ratioKey ? `${f(t.ratio[ratioKey], 2)}×` : ""} |`,
      );
    row("tsc Total time, s", "totalS", 2, "totalTime");
    row("tsc Check time, s", "checkS", 2, "checkTime");
    row("process wall time, ms", "wallMs", 0, "wall");
    row("peak RSS, MB", "maxRSSMB", 0, "peakRSS");
    row("tsc Memory used, KB", "memoryUsedKB", 0, "memoryUsed");
    row("Instantiations", "instantiations", 0, "instantiations");
    row("Types", "types", 0, "types");
    row("Files", "files", 0);
    row("Lines of Definitions", "linesOfDefinitions", 0);
    lines.push("");
  }
  if (results.fuzz?.cases) {
    const z = results.fuzz;
    lines.push(
      `### Mutation fuzzing (${f(z.cases)} mutated documents of ${z.seedDocuments} real ones, seed ${z.seed}${z.corpus ? ", corpus included" : ""}; ${z.jobs} processes)`,
      "",
      "| rejected with located diagnostics | valid | failures (internal error, unlocated diagnostic, more than 20 s of CPU time) | cases/s | ms per case: median / p99 / max | distinct diagnostic codes |",
      "| --- | --- | --- | --- | --- | --- |",
      `| ${f(z.rejected)} | ${f(z.valid)} | **${z.failures}** | ${f(z.casesPerSecond, 1)} | ${f(z.msPerCase.median)} / ${f(z.msPerCase.p99)} / ${f(z.msPerCase.max)} | ${z.diagnosticCodes} |`,
      "",
      `Command: \`${z.command}\` (${f(z.seconds)} s).`,
      "",
    );
  }
  if (results.targets) {
    lines.push("### Targets", "", "| benchmark | target | result | met |", "| --- | --- | --- | --- |");
    for (const t of results.targets) lines.push(`| ${t.benchmark} | ${t.target} | ${t.value ?? `${t.ratio}×`} | ${t.met ? "yes" : "**no**"} |`);
  }
  return lines.join("\n");
}

/** The tables of the `respect` section: whole-process times, and where arazzo-ts's time goes. */
function respectReport(r, f) {
  const lines = [];
  const s = r.summary;
  const ratio = (key) => r.ratios[key];
  lines.push(
    `### \`arazzo-ts run\` against Respect, whole process (median of ${r.reps}, min in brackets; interleaved; ${r.node}${r.respect ? `, @redocly/cli ${r.respect}` : ""})`,
    "",
    "| command | ms | CPU ms | peak MB | at the server, ms: first request / workflow / exit after it | ratio to Respect (median of pairs) |",
    "| --- | --- | --- | --- | --- | --- |",
  );
  const rows = [
    ["respect", "Respect: `respect <seed> --server … --input …`"],
    ["server", "`arazzo-ts run <seed> --server … --input …`, sources (tsx)"],
    ["installedServer", "the same, compiled (installed)"],
    ["mock", "`arazzo-ts run <seed> --mock`, sources (tsx)"],
    ["installedMock", "the same, compiled (installed)"],
    ["mockCold", "first `arazzo-ts run <seed> --mock` (caches removed), sources"],
    ["installedMockCold", "the same, compiled (installed)"],
    ["bareNode", "`node -e 0`"],
  ];
  for (const [key, label] of rows) {
    const x = s[key];
    if (!x) continue;
    const toRespect = ratio(`${key}/respect`);
    lines.push(
      `| ${label} | ${f(x.wallMs.median)} (${f(x.wallMs.min)}) | ${f(x.cpuMs?.median)} | ${f(x.peakMB?.median)} | ${x.firstRequestMs ? `${f(x.firstRequestMs.median)} / ${f(x.workflowMs?.median)} / ${f(x.afterMs?.median)}` : "–"} | ${toRespect ? `**${f(toRespect.medianOfPairs, 2)}×** (of mins ${f(toRespect.ofMins, 2)}×)` : ""} |`,
    );
  }
  const cold = ratio("mockCold/mock");
  const coldInstalled = ratio("installedMockCold/installedMock");
  lines.push(
    "",
    `First run / second run (type-check cache and package folder reused): sources ${f(cold?.medianOfPairs, 2)}×${coldInstalled ? `, compiled ${f(coldInstalled.medianOfPairs, 2)}×` : ""}. Command: \`${r.command}\`.`,
    "",
  );
  for (const [name, p] of Object.entries(r.profiles ?? {})) {
    lines.push(
      `#### Where \`${name}\` spends its time (one run under --cpu-prof, ${f(p.totalMs)} ms profiled)`,
      "",
      "| phase | ms | share | largest self time |",
      "| --- | --- | --- | --- |",
    );
    for (const ph of p.phases) lines.push(`| ${ph.phase} | ${f(ph.ms)} | ${f((ph.ms / p.totalMs) * 100)}% | ${ph.selfTime} |`);
    lines.push("");
  }
  return lines;
}

// ---------------------------------------------------------------------------------------
// main

if (flag("report")) {
  console.log(report(JSON.parse(readFileSync(RESULTS, "utf8"))));
  process.exit(0);
}

const DEFAULT_SECTIONS = ["generation", "cli", "corpus", "runtime", "telemetry", "typecheck"];
let only = option("only")?.split(",");
let CASES = option("cases")?.split(",");
// The old opt-in section for the 1,000-workflow case: now a case of `generation`.
if (only?.includes("generation1000")) {
  only = [...new Set(only.map((s) => (s === "generation1000" ? "generation" : s)))];
  CASES ??= ["synthetic-1000"];
}
const sections = new Set(only ?? DEFAULT_SECTIONS);
if (flag("profile")) sections.add("profile");
if (flag("calls")) sections.add("calls");
if (flag("restate")) sections.add("restate");
if (flag("respect")) sections.add("respect");
if (flag("fuzz")) sections.add("fuzz");
// About a minute and a half even at one repetition: the smoke run leaves it out unless asked.
if (SMOKE && !only?.includes("corpus")) sections.delete("corpus");
// --smoke checks the Restate benchmark too (a few seconds) unless sections were picked.
if (SMOKE && !only) sections.add("restate");
// … and `arazzo-ts run` (with Respect when it is installed).
if (SMOKE && !only) sections.add("respect");
const reps = Number(option("reps") ?? (SMOKE ? 1 : 5));
const known = ["generation", "cli", "corpus", "profile", "calls", "runtime", "telemetry", "restate", "respect", "typecheck", "fuzz"];
for (const s of sections) if (!known.includes(s)) throw new Error(`unknown section ${s} (known: ${known.join(", ")})`);
const compareRef = option("compare");
let COMPARE;

mkdirSync(TMP, { recursive: true });
const started = performance.now();
const previous = !SMOKE && existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, "utf8")) : {};
const results = { ...previous, machine: machine(), command: `node bench/run.mjs ${argv.join(" ")}`.trim(), smoke: SMOKE || undefined };
// Sections not run now keep their last results (each carries its own date where it matters).
const runners = {
  generation: () => generationSection(reps, previous.generation),
  profile: profileSection,
  calls: callsSection,
  cli: cliSection,
  corpus: corpusSection,
  runtime: () => runtimeSection(SMOKE ? 1 : 3),
  telemetry: () => telemetrySection(SMOKE ? 1 : 3),
  restate: restateSection,
  respect: respectSection,
  typecheck: () => typecheckSection(reps),
  fuzz: fuzzSection,
};
let failed = false;
async function runSections() {
  for (const name of known) {
    if (!sections.has(name)) continue;
    log(`${name}…`);
    try {
      const loadAverageBefore = os.loadavg().map((x) => round(x, 2));
      results[name] = {
        ...(await runners[name]()),
        measuredAt: new Date().toISOString(),
        loadAverageBefore,
        loadAverageAfter: os.loadavg().map((x) => round(x, 2)),
      };
      // The 1,000-workflow case used to be a section of its own; it is a generation case now.
      if (name === "generation") delete results.generation1000;
    } catch (error) {
      failed = true;
      log(`${name} failed: ${error.stack ?? error}`);
    }
  }
}
if (compareRef && sections.has("generation")) {
  try {
    await withWorktree(ROOT, compareRef, async (worktree) => {
      log(`compare: ${compareRef} (${worktree.commit}) checked out in ${worktree.dir}`);
      COMPARE = worktree;
      await runSections();
    });
  } catch (error) {
    failed = true;
    log(`--compare ${compareRef} failed: ${error.stack ?? error}`);
  }
} else {
  await runSections();
}
results.machine.loadAverageAtEnd = os.loadavg().map((x) => round(x, 2));
results.totalSeconds = round((performance.now() - started) / 1000, 1);
results.targets = targets(results);

const file = SMOKE ? path.join(TMP, "results-smoke.json") : RESULTS;
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(report(results));
log(`\n${failed ? "FAILED; partial " : ""}results in ${rel(file)} (${results.totalSeconds} s)`);
process.exit(failed ? 1 : 0);
