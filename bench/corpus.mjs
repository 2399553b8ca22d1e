#!/usr/bin/env node
/**
 * Many documents in one run (issue 24, item 3): the shared corpus's documents that generate
 * (`test/corpus/expected.tsv`), in one `arazzo-ts generate --config` of the installed command
 * line (`bench/installed.mjs`, no type-check cache), against openapi-typescript over the
 * OpenAPI descriptions those documents name, in one process (a description it cannot read is
 * counted, and its time until it gives up stays in) (`bench/generate-child.mjs
 * openapi-ts`: one module load for all of them, the cheapest way to run it on many). Whole
 * process each (wall time from spawn to exit, CPU and peak memory of the process tree,
 * `bench/whole-process.mjs`), and against its command line once per description (the times
 * summed: how the issue first measured it, and how a script over many descriptions runs it),
 * alternated, `--reps` repetitions (default 3). Needs
 * ../shared/corpus and `npm run build`. Prints one JSON object.
 *
 *   node bench/corpus.mjs [--reps 3] [--node <node binary>]
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CORPUS, CORPUS_MISSING } from "../test/helpers/shared.mjs";
import { installedBin } from "./installed.mjs";
import { measureProcess } from "./whole-process.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const TMP = path.join(ROOT, "bench/.tmp/corpus");
const argv = process.argv.slice(2);
const option = (name) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : undefined);
const reps = Number(option("reps") ?? 3);
const node = option("node") ?? process.execPath;
if (!CORPUS) throw new Error(`the corpus benchmark ${CORPUS_MISSING}`);

const generated = readFileSync(path.join(ROOT, "test/corpus/expected.tsv"), "utf8")
  .split("\n")
  .filter((line) => line.endsWith("\tgenerated"))
  .map((line) => line.split("\t")[0]);
// index.tsv: repo, commit, Arazzo path, OpenAPI paths (relative to the repository's folder, `<name>/`).
const descriptions = new Set();
for (const line of readFileSync(path.join(CORPUS, "index.tsv"), "utf8").split("\n").slice(1)) {
  const [repo, , arazzo, sources] = line.split("\t");
  if (!repo) continue;
  const folder = repo.split("/")[1];
  if (!generated.includes(`${folder}/${arazzo}`)) continue;
  for (const source of sources.split(/[,;\s]+/).filter(Boolean)) descriptions.add(path.join(CORPUS, folder, source));
}

const bin = installedBin(ROOT, path.join(TMP, "installed"));
mkdirSync(TMP, { recursive: true });
const config = path.join(TMP, "arazzo-ts.config.json");
writeFileSync(config, `${JSON.stringify({ documents: generated.map((f) => path.join(CORPUS, f)), out: path.join(TMP, "out") }, null, 2)}\n`);

/** openapi-typescript's command line once per description, as a script over them runs it (a description it cannot read is left out of the sum). */
async function openapiTypescriptCli() {
  const total = { wallMs: 0, processCpuMs: 0, peakMB: 0, childrenPeakMB: 0, treePeakMB: 0 };
  for (const file of descriptions) {
    const m = await measureProcess(node, ["node_modules/openapi-typescript/bin/cli.js", file, "-o", path.join(TMP, "cli-paths.ts")], {
      cwd: ROOT,
      tmpDir: TMP,
    }).catch((error) => ({ failed: error }));
    if (m.failed) continue; // its time is lost to the sum: the baseline is, if anything, quicker than it was
    total.wallMs += m.wallMs;
    total.processCpuMs += m.processCpuMs;
    total.peakMB = Math.max(total.peakMB, m.peakMB);
    total.treePeakMB = Math.max(total.treePeakMB, m.treePeakMB);
  }
  return total;
}

const variants = {
  openapiTypescriptCli,
  generate: () => measureProcess(node, [bin, "generate", "--config", config, "--no-cache"], { cwd: ROOT, tmpDir: TMP }),
  openapiTypescript: () => measureProcess(node, ["bench/generate-child.mjs", "--keep-going", "openapi-ts", ...descriptions], { cwd: ROOT, tmpDir: TMP }),
};
const runs = { generate: [], openapiTypescript: [], openapiTypescriptCli: [] };
let unreadable = [];
for (let i = 0; i < reps; i++) {
  const order = i % 2 ? ["openapiTypescript", "openapiTypescriptCli", "generate"] : ["generate", "openapiTypescript", "openapiTypescriptCli"];
  for (const name of order) {
    console.error(`  corpus: ${name}, repetition ${i + 1}/${reps}`);
    const m = await variants[name]();
    runs[name].push({ wallMs: m.wallMs, processCpuMs: m.processCpuMs, peakMB: m.peakMB, childrenPeakMB: m.childrenPeakMB, treePeakMB: m.treePeakMB });
    if (name === "openapiTypescript") unreadable = JSON.parse(m.stdout.trim().split("\n").at(-1)).output.unreadable;
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const summary = (list) =>
  Object.fromEntries(
    ["wallMs", "processCpuMs", "peakMB", "childrenPeakMB", "treePeakMB"].map((k) => [
      k,
      { median: median(list.map((r) => r[k])), values: list.map((r) => r[k]) },
    ]),
  );
const g = summary(runs.generate);
const b = summary(runs.openapiTypescript);
const c = summary(runs.openapiTypescriptCli);
const nodeVersion = (await measureProcess(node, ["--version"], { tmpDir: TMP })).stdout.trim();
console.log(
  JSON.stringify({
    description:
      "the shared corpus's documents that generate, one `arazzo-ts generate --config` (installed CLI, --no-cache), vs openapi-typescript over the descriptions they name in one process; whole process, alternated, medians",
    node: nodeVersion,
    documents: generated.length,
    descriptions: descriptions.size,
    // openapi-typescript stops at a broken `$ref` anywhere in a description (arazzo-ts types only what the workflows reach)
    unreadableByOpenapiTypescript: unreadable,
    reps,
    commands: {
      generate: `node <installed>/generator/bin.js generate --config bench/.tmp/corpus/arazzo-ts.config.json --no-cache`,
      openapiTypescript: `node bench/generate-child.mjs --keep-going openapi-ts <the ${descriptions.size} descriptions>`,
      openapiTypescriptCli: `node node_modules/openapi-typescript/bin/cli.js <description> -o <file>, once per description (times summed)`,
    },
    generate: g,
    openapiTypescript: b,
    openapiTypescriptCli: c,
    // against openapi-typescript in one process (its cheapest), and against its command line once per description
    ratio: g.wallMs.median / b.wallMs.median,
    ratioCpu: g.processCpuMs.median / b.processCpuMs.median,
    ratioToCli: g.wallMs.median / c.wallMs.median,
  }),
);
