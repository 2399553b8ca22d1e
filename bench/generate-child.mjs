#!/usr/bin/env node
/**
 * One measurement of the generation benchmark, in a fresh process. Run under tsx, since the
 * generator is TypeScript:
 *
 *   node --import tsx bench/generate-child.mjs generate <arazzo-file>
 *   node --import tsx bench/generate-child.mjs openapi-ts <openapi-file>...
 *   node bench/generate-child.mjs --keep-going openapi-ts <openapi-file>...
 *   node --import tsx bench/generate-child.mjs --root <checkout> generate <arazzo-file>
 *
 * `--root`: the generator of another checkout of the project (`bench/run.mjs --compare`);
 * files are still relative to the current directory.
 *
 * `generate`: `generate({ inputs: [file], write: false })`, the whole pipeline (load,
 * validate, model, openapi-typescript, ts-morph printing, type-check, JS + .d.ts emit).
 * `openapi-ts`: openapi-typescript alone, `astToString(await openapiTS(fileURL))` for each
 * document in turn, as a user running it on the same OpenAPI documents would.
 *
 * Prints one JSON object: importMs (loading the modules), runMs (wall time of the call,
 * runStartUs/runEndUs bound it on the `--cpu-prof` clock), cpuMs (user + system CPU time of the
 * call, this process only: a child such as tsgo is not in it), rssAfterImportMB and maxRSSMB
 * (`process.resourceUsage().maxRSS`, the peak of this process only). The whole-process
 * figures, children included, are measured by the parent (`bench/whole-process.mjs`).
 */
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const args = process.argv.slice(2);
let root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
if (args[0] === "--root") {
  root = path.resolve(args[1]);
  args.splice(0, 2);
}
// `--keep-going`: a description openapi-typescript cannot read is counted, not fatal (the corpus has such).
const keepGoing = args[0] === "--keep-going" && Boolean(args.shift());
const [mode, ...files] = args;
if (!["generate", "openapi-ts"].includes(mode) || !files.length) {
  console.error("usage: node --import tsx bench/generate-child.mjs [--root <checkout>] generate|openapi-ts <file>...");
  process.exit(2);
}

const cpuMs = (u) => (u.user + u.system) / 1000;
const t0 = performance.now();
let run;
if (mode === "generate") {
  const { generate } = await import(pathToFileURL(path.join(root, "generator/generate.ts")).href);
  run = async () => {
    const result = await generate({ inputs: files, outDir: path.join(tmpdir(), "arazzo-ts-bench-out"), write: false });
    if (!result.ok) {
      const errors = result.diagnostics.filter((d) => d.severity === "error").slice(0, 5);
      throw new Error(`generation failed:\n${errors.map((d) => `${d.file}:${d.line}:${d.col} ${d.code} ${d.message}`).join("\n")}`);
    }
    const pkgFiles = result.packages.flatMap((p) => p.files);
    return { files: pkgFiles.length, bytes: pkgFiles.reduce((n, f) => n + f.text.length, 0), warnings: result.diagnostics.length };
  };
} else {
  const { default: openapiTS, astToString } = await import("openapi-typescript");
  run = async () => {
    let bytes = 0;
    const unreadable = [];
    for (const file of files) {
      try {
        bytes += astToString(await openapiTS(pathToFileURL(path.resolve(file)), { silent: true })).length;
      } catch (error) {
        if (!keepGoing) throw error;
        unreadable.push(`${file}: ${String(error?.message ?? error).split("\n")[0]}`);
      }
    }
    return { files: files.length, bytes, ...(keepGoing ? { unreadable } : {}) };
  };
}
const importMs = performance.now() - t0;
const rssAfterImportMB = process.memoryUsage().rss / 2 ** 20;

const us = () => Number(process.hrtime.bigint() / 1000n);
const cpu0 = process.cpuUsage();
const runStartUs = us();
const t1 = performance.now();
const output = await run();
const runMs = performance.now() - t1;
const runEndUs = us();
const cpu = cpuMs(process.cpuUsage(cpu0));

console.log(
  JSON.stringify({
    mode,
    files,
    importMs,
    runMs,
    cpuMs: cpu,
    rssAfterImportMB,
    maxRSSMB: process.resourceUsage().maxRSS / 1024,
    output,
    // On the clock of `--cpu-prof` profiles: `node bench/profile.mjs <profile> --from runStartUs --to runEndUs`.
    runStartUs,
    runEndUs,
  }),
);
