#!/usr/bin/env node
/**
 * What OpenTelemetry costs a run: `runTokenThenPayment` (the generated seed package's
 * `dist/index.js`, over the in-process fetch stub of bench/runtime.mjs) in three setups.
 *
 * - `noApi`: a copy of the package where `@opentelemetry/api` cannot be resolved (its
 *   node_modules links every dependency of this repository but `@opentelemetry/*`): the
 *   package's optional peer is not installed.
 * - `apiNoSdk`: the package itself, `@opentelemetry/api` installed and no SDK registered.
 * - `sdk`: the same after registering the SDK as an application does (tracer provider with a
 *   batch span processor, AsyncLocalStorage context manager, W3C propagator, meter provider);
 *   its exporter drops the spans, so the figure is the instrumentation's and the SDK's work,
 *   not a network's.
 *
 * Phase one interleaves `noApi` and `apiNoSdk` batches (A B B A …); phase two registers the
 * SDK and interleaves `noApi` and `sdk`. Prints one JSON object: runs/s per batch, and the
 * medians of back-to-back pair ratios (time per run / time per run of `noApi`).
 *
 * Usage: node bench/telemetry.mjs [--batches 12] [--runs 2000] [--warmup 3000]
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { batch, INPUTS, median, stubFetch } from "./seed-stub.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const BATCHES = arg("batches", 12);
const RUNS = arg("runs", 2000);
const WARMUP = arg("warmup", 3000);

const ROOT = path.resolve(import.meta.dirname, "..");
const PACKAGE = path.join(ROOT, "generated/fintecture-token-then-payment-workflow");

/** The package beside a node_modules without `@opentelemetry/*`. */
function packageWithoutApi() {
  const dir = mkdtempSync(path.join(tmpdir(), "arazzo-ts-bench-no-otel-"));
  const modules = path.join(dir, "node_modules");
  mkdirSync(modules);
  for (const name of readdirSync(path.join(ROOT, "node_modules"))) {
    if (name === "@opentelemetry" || name.startsWith(".")) continue;
    symlinkSync(path.join(ROOT, "node_modules", name), path.join(modules, name));
  }
  cpSync(PACKAGE, path.join(dir, "pkg"), { recursive: true, filter: (src) => !src.includes(`${path.sep}src${path.sep}`) });
  return dir;
}

const noApiDir = packageWithoutApi();
try {
  const noApi = (await import(pathToFileURL(path.join(noApiDir, "pkg/dist/index.js")).href)).runTokenThenPayment;
  const withApi = (await import(pathToFileURL(path.join(PACKAGE, "dist/index.js")).href)).runTokenThenPayment;
  const variants = {
    noApi: () => noApi(INPUTS, { fetch: stubFetch }),
    apiNoSdk: () => withApi(INPUTS, { fetch: stubFetch }),
    sdk: () => withApi(INPUTS, { fetch: stubFetch }),
  };

  // The three give the same outputs (and `noApi` really has no API: it sends no traceparent).
  const sentHeaders = [];
  const recording = async (request) => {
    sentHeaders.push(request.headers.has("traceparent"));
    return stubFetch(request);
  };
  const expected = JSON.stringify(await noApi(INPUTS, { fetch: recording }));
  if (JSON.stringify(await withApi(INPUTS, { fetch: recording })) !== expected) throw new Error("outputs differ");
  if (sentHeaders.some(Boolean)) throw new Error("a traceparent was sent without an SDK");

  /** Interleaved batches of `names` (A B B A …): wall ms per batch and CPU ms per batch. */
  async function measure(names) {
    for (const name of names) await batch(variants[name], WARMUP);
    const wall = Object.fromEntries(names.map((n) => [n, []]));
    const cpu = Object.fromEntries(names.map((n) => [n, []]));
    for (let i = 0; i < BATCHES; i++) {
      for (const name of i % 2 === 0 ? names : [...names].reverse()) {
        const t = await batch(variants[name], RUNS);
        wall[name].push(t.wall);
        cpu[name].push(t.cpu);
      }
    }
    const [base, other] = names;
    return {
      [base]: summary(wall[base], cpu[base]),
      [other]: summary(wall[other], cpu[other]),
      // time per run / that of `noApi`, per back-to-back pair: 1.02 means 2% slower
      ratio: median(wall[other].map((t, i) => t / wall[base][i])),
      ratioCpu: median(cpu[other]) / median(cpu[base]),
    };
  }
  const summary = (wall, cpu) => ({
    opsPerSec: median(wall.map((t) => (RUNS * 1000) / t)),
    opsPerCpuSec: median(cpu.map((t) => (RUNS * 1000) / t)),
    usPerRun: (median(wall) * 1000) / RUNS,
  });

  const withoutSdk = await measure(["noApi", "apiNoSdk"]);

  // Phase two: the SDK, registered as an application registers it.
  const { context, metrics, propagation, trace } = await import("@opentelemetry/api");
  const { AsyncLocalStorageContextManager } = await import("@opentelemetry/context-async-hooks");
  const { W3CTraceContextPropagator } = await import("@opentelemetry/core");
  const { BasicTracerProvider, BatchSpanProcessor } = await import("@opentelemetry/sdk-trace-base");
  const { MeterProvider, MetricReader } = await import("@opentelemetry/sdk-metrics");
  let exported = 0;
  const dropping = {
    export(spans, done) {
      exported += spans.length;
      done({ code: 0 });
    },
    shutdown: async () => {},
  };
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(dropping, { maxQueueSize: 65536, maxExportBatchSize: 4096 })] });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  class Reader extends MetricReader {
    async onForceFlush() {}
    async onShutdown() {}
  }
  const reader = new Reader();
  const meters = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(meters);
  sentHeaders.length = 0;
  await withApi(INPUTS, { fetch: recording });
  if (!sentHeaders.every(Boolean)) throw new Error("no traceparent with the SDK registered");

  const withSdk = await measure(["noApi", "sdk"]);
  await provider.forceFlush();
  await Promise.all([provider.shutdown(), meters.shutdown()]);

  console.log(
    JSON.stringify({
      batches: BATCHES,
      runsPerBatch: RUNS,
      warmupRuns: WARMUP,
      withoutSdk,
      withSdk,
      // spans the SDK exported (7 per run: the run, 3 steps, 3 requests), as a check that it traced
      spansPerRun: exported / (WARMUP + BATCHES * RUNS + 1),
      maxRSSMB: process.resourceUsage().maxRSS / 1024,
    }),
  );
} finally {
  rmSync(noApiDir, { recursive: true, force: true });
}
