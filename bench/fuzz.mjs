#!/usr/bin/env node
/**
 * Mutation fuzzing, the long run (issue 22): real Arazzo documents and their OpenAPI
 * documents mutated at random by a seeded generator, each checked with
 * `validate({ types: false })`: it must resolve (no internal error) with every diagnostic
 * located. The mutations and the property are in `test/property/mutations.ts`; `npm test`
 * runs a bounded number of them (`test/property/mutated-documents.test.ts`).
 *
 * Usage:
 *   node bench/fuzz.mjs                       10,000 cases, seed 2209, one worker per core
 *   node bench/fuzz.mjs --count 500 --seed 7  other cases
 *   node bench/fuzz.mjs --set small           the documents `npm test` uses (files ≤ 1 MB)
 *   node bench/fuzz.mjs --no-corpus           without ../shared/corpus (as a fresh clone)
 *   node bench/fuzz.mjs --case 123 --keep     one case: its mutations and result; --keep
 *                                             leaves its folder in bench/.tmp/fuzz/
 *   node bench/fuzz.mjs --generate 100        also generate in memory (emit and type-check)
 *                                             the first 100 cases that validate (default 0)
 *   node bench/fuzz.mjs --jobs 1 --json       one process; the summary as JSON on stdout
 *
 * Exits 1 when a case fails (each failure is printed with its seed, case index, document
 * and mutations) and 0 otherwise. `node bench/run.mjs --fuzz` runs it and records the summary.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register();
const { SLOW_MS, checkCase, describeCase, makeCase, seedDocuments } = await import("../test/property/mutations.ts");

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : argv[i + 1];
};
const SEED = Number(option("seed", 2209));
const COUNT = Number(option("count", 10_000));
const SET = option("set", "all");
const CORPUS = !flag("no-corpus");
const KEEP = flag("keep");
const GENERATE = Number(option("generate", 0));
const ONE = option("case");
const WORKER = option("worker"); // "k/n": this process runs the cases i with i % n === k
const JOBS = Number(option("jobs", ONE !== undefined ? 1 : Math.max(1, os.availableParallelism?.() ?? os.cpus().length)));
const log = (...a) => console.error(...a);

const seeds = seedDocuments({ corpus: CORPUS, maxBytes: SET === "small" ? 1_000_000 : undefined });
if (seeds.length === 0) throw new Error("no seed documents");

/** Runs the cases `indices` in this process; returns the summary of a shard. */
async function runCases(indices, onProgress) {
  const root = KEEP ? path.join(BENCH, ".tmp", "fuzz") : mkdtempSync(path.join(os.tmpdir(), "arazzo-ts-fuzz-"));
  mkdirSync(root, { recursive: true });
  const shard = { cases: 0, valid: 0, generated: 0, failed: [], codes: {}, mutations: {}, ms: [], slowest: { ms: 0 } };
  let generateLeft = GENERATE;
  for (const index of indices) {
    const c = makeCase(seeds, SEED, index);
    const dir = path.join(root, `case-${SEED}-${index}`);
    rmSync(dir, { recursive: true, force: true });
    const result = await checkCase(c, dir, { generate: generateLeft > 0 });
    if (result.generated) generateLeft--;
    shard.cases++;
    if (result.valid) shard.valid++;
    if (result.generated) shard.generated++;
    for (const code of result.codes) shard.codes[code] = (shard.codes[code] ?? 0) + 1;
    for (const m of c.mutations) {
      const kind = m.replace(/^[^:]*: /, "").split(" ")[0];
      shard.mutations[kind] = (shard.mutations[kind] ?? 0) + 1;
    }
    shard.ms.push(result.ms);
    if (result.ms > shard.slowest.ms) shard.slowest = { ms: result.ms, index, document: c.document.label };
    if (result.failures.length) {
      shard.failed.push({ index, document: c.document.label, mutations: c.mutations, failures: result.failures, report: describeCase(c, result.failures) });
      log(describeCase(c, result.failures));
    }
    if (ONE !== undefined) {
      log(describeCase(c, result.failures.length ? result.failures : ["(none: the property holds)"]));
      log(`  valid: ${result.valid}; codes: ${result.codes.join(", ") || "none"}; ${Math.round(result.ms)} ms${KEEP ? `; files in ${dir}` : ""}`);
    }
    if (!KEEP || (ONE === undefined && !result.failures.length)) rmSync(dir, { recursive: true, force: true });
    onProgress?.(shard);
  }
  if (!KEEP) rmSync(root, { recursive: true, force: true });
  return shard;
}

/** Starts `JOBS` worker processes, each on every JOBS-th case, and merges their summaries. */
async function runWorkers() {
  const done = new Array(JOBS).fill(0);
  let nextReport = 500;
  const shards = await Promise.all(
    Array.from({ length: JOBS }, (_, k) => {
      const args = [
        fileURLToPath(import.meta.url),
        ...argv.filter((a, i) => a !== "--json" && argv[i - 1] !== "--jobs" && a !== "--jobs"),
        "--worker",
        `${k}/${JOBS}`,
      ];
      const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (chunk) => {
        out += chunk;
      });
      child.stderr.on("data", (chunk) => {
        for (const line of String(chunk).split("\n")) {
          const m = /^@@progress (\d+)$/.exec(line);
          if (m) {
            done[k] = Number(m[1]);
            const total = done.reduce((a, b) => a + b, 0);
            if (total >= nextReport) {
              log(`  ${total} / ${COUNT} cases, ${Math.round((performance.now() - started) / 1000)} s`);
              nextReport += 500;
            }
          } else if (line) log(line);
        }
      });
      return new Promise((resolve, reject) =>
        child.on("close", (code) => (code === 0 || code === 1 ? resolve(JSON.parse(out)) : reject(new Error(`worker ${k} exited ${code}`)))),
      );
    }),
  );
  const merged = { cases: 0, valid: 0, generated: 0, failed: [], codes: {}, mutations: {}, ms: [], slowest: { ms: 0 } };
  for (const s of shards) {
    merged.cases += s.cases;
    merged.valid += s.valid;
    merged.generated += s.generated;
    merged.failed.push(...s.failed);
    merged.ms.push(...s.ms);
    for (const [k, v] of Object.entries(s.codes)) merged.codes[k] = (merged.codes[k] ?? 0) + v;
    for (const [k, v] of Object.entries(s.mutations)) merged.mutations[k] = (merged.mutations[k] ?? 0) + v;
    if (s.slowest.ms > merged.slowest.ms) merged.slowest = s.slowest;
  }
  merged.failed.sort((a, b) => a.index - b.index);
  return merged;
}

const started = performance.now();
let summary;
if (ONE !== undefined) {
  summary = await runCases([Number(ONE)]);
} else if (WORKER) {
  const [k, n] = WORKER.split("/").map(Number);
  const indices = [];
  for (let i = k; i < COUNT; i += n) indices.push(i);
  const shard = await runCases(indices, (s) => process.stderr.write(`@@progress ${s.cases}\n`));
  process.stdout.write(JSON.stringify(shard));
  process.exit(shard.failed.length ? 1 : 0);
} else if (JOBS > 1) {
  summary = await runWorkers();
} else {
  summary = await runCases(
    Array.from({ length: COUNT }, (_, i) => i),
    (s) => s.cases % 500 === 0 && log(`  ${s.cases} / ${COUNT} cases`),
  );
}

const seconds = (performance.now() - started) / 1000;
const sorted = [...summary.ms].sort((a, b) => a - b);
const at = (q) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0);
const result = {
  description:
    "mutated real documents (Fintecture, specs/examples, test/fixtures and, when present, the real-world corpus; keys removed or renamed, values replaced by hostile or wrongly typed ones, references broken, gotos redirected, expressions broken, sometimes the OpenAPI document mutated) checked with validate({ types: false }): it resolves, every diagnostic located",
  command: `node bench/fuzz.mjs ${argv.filter((a) => a !== "--json").join(" ")}`.trim(),
  seed: SEED,
  set: SET,
  corpus: CORPUS && seeds.some((s) => s.label.startsWith("corpus/")),
  seedDocuments: seeds.length,
  jobs: ONE !== undefined ? 1 : JOBS,
  cases: summary.cases,
  valid: summary.valid,
  rejected: summary.cases - summary.valid,
  generated: summary.generated,
  failures: summary.failed.length,
  seconds: Math.round(seconds),
  casesPerSecond: Math.round((summary.cases / seconds) * 10) / 10,
  msPerCase: { median: at(0.5), p99: at(0.99), max: at(1) },
  slowMs: SLOW_MS,
  slowest: { ...summary.slowest, ms: Math.round(summary.slowest.ms) },
  mutations: summary.mutations,
  diagnosticCodes: Object.keys(summary.codes).length,
  topCodes: Object.fromEntries(
    Object.entries(summary.codes)
      .sort(([, a], [, b]) => b - a)
      .slice(0, 15),
  ),
  failed: summary.failed.map(({ report, ...rest }) => rest),
  measuredAt: new Date().toISOString(),
};
if (flag("json")) console.log(JSON.stringify(result, null, 2));
log(
  `${result.cases} mutated documents of ${result.seedDocuments} seeds (seed ${SEED}${result.corpus ? ", corpus included" : ", no corpus"}) in ${result.seconds} s (${result.casesPerSecond}/s, ${result.jobs} job(s)): ${result.rejected} rejected with diagnostics, ${result.valid} valid${GENERATE ? ` (${result.generated} generated in memory)` : ""}; ${result.failures} failure(s); ${result.diagnosticCodes} distinct diagnostic codes; ms per case median ${result.msPerCase.median}, p99 ${result.msPerCase.p99}, max ${result.msPerCase.max}`,
);
process.exit(result.failures ? 1 : 0);
