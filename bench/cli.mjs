#!/usr/bin/env node
/**
 * The command line as a user of the installed package feels it, whole process, each
 * command in a fresh process, interleaved with its baseline:
 *
 *   start-up   `arazzo-ts --version` and `--help` against `node -e 0`
 *   validate   `arazzo-ts validate <seed>` against openapi-typescript's CLI on the seed's two
 *              OpenAPI documents (one process each, as a user runs it)
 *   generate   `arazzo-ts generate <seed> --out … --no-cache`, against the same
 *   cached     the same without `--no-cache`, its type-check result in the cache (a second run)
 *   provider   `arazzo-ts generate <asana workflow> --no-cache` against openapi-typescript's CLI
 *              on its 2.25 MB OpenAPI document (when ../shared is beside the project)
 *
 * It runs the compiled generator (`npm run build` first; `dist/`), through the package's own
 * `generator/bin.js` laid out as installed (no TypeScript sources beside it), so tsx is not
 * in the picture. Node 22 and later keep compiled code in Node's compile cache
 * (`module.enableCompileCache()` in bin.js), warm after the first repetition. Prints one JSON object.
 *
 *   node bench/cli.mjs [--reps 10]
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { corpusFile } from "../test/helpers/shared.mjs";
import { installedBin } from "./installed.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const TMP = path.join(ROOT, "bench/.tmp/cli");
const SEED = "specs/fintecture/arazzo/fintecture-token-then-payment-workflow.yml";
const SEED_OPENAPI = ["specs/fintecture/openapi/fintecture-oauth-api-openapi.yml", "specs/fintecture/openapi/fintecture-pis-api-openapi.yml"];
const argv = process.argv.slice(2);
const reps = Number(argv[argv.indexOf("--reps") + 1] ?? 10) || 10;

const BIN = installedBin(ROOT, TMP);
const OPENAPI_TS = path.join(ROOT, "node_modules/openapi-typescript/bin/cli.js");
/** A file of the real-world corpus, relative to the project as the commands name it (`../shared/corpus/…`), or undefined without the corpus. */
const fromCorpus = (file) => {
  const full = corpusFile(file);
  return full && path.relative(ROOT, full);
};
const PROVIDER = {
  arazzo: fromCorpus("asana/arazzo/asana-assign-and-follow-task-workflow.yml"),
  openapi: fromCorpus("asana/openapi/asana-openapi.yml"),
};
const withProvider = PROVIDER.openapi !== undefined;
// The check cache of the cached case, apart from the project's own.
const CACHE = path.join(TMP, "config");
mkdirSync(CACHE, { recursive: true });

function time(args) {
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status}:\n${r.stderr}`);
  return ms;
}

const commands = {
  bareNode: () => time(["-e", "0"]),
  version: () => time([BIN, "--version"]),
  help: () => time([BIN, "--help"]),
  openapiTypescript: () => SEED_OPENAPI.reduce((sum, doc, i) => sum + time([OPENAPI_TS, doc, "-o", path.join(TMP, `paths-${i}.ts`)]), 0),
  validate: () => time([BIN, "validate", SEED]),
  generate: () => time([BIN, "generate", SEED, "--out", path.join(TMP, "out"), "--no-cache"]),
  cached: () => time([BIN, "generate", SEED, "--out", path.join(TMP, "out"), "--config", path.join(CACHE, "arazzo-ts.config.json")]),
  ...(withProvider
    ? {
        providerOpenapiTypescript: () => time([OPENAPI_TS, PROVIDER.openapi, "-o", path.join(TMP, "provider-paths.ts")]),
        provider: () => time([BIN, "generate", PROVIDER.arazzo, "--out", path.join(TMP, "provider-out"), "--no-cache"]),
      }
    : {}),
};
writeFileSync(path.join(CACHE, "arazzo-ts.config.json"), JSON.stringify({ cache: path.join(CACHE, "cache") }));

const samples = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
for (let i = 0; i < reps; i++) for (const [name, run] of Object.entries(commands)) samples[name].push(run());
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const m = Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, median(xs)]));
console.log(
  JSON.stringify({
    description: "whole-process wall time (ms) of the installed CLI (compiled dist/), fresh process each, commands interleaved; medians",
    reps,
    node: process.version,
    medianMs: m,
    ratio: {
      versionToBareNode: m.version / m.bareNode,
      helpToBareNode: m.help / m.bareNode,
      validateToOpenapiTypescript: m.validate / m.openapiTypescript,
      generateToOpenapiTypescript: m.generate / m.openapiTypescript,
      cachedToOpenapiTypescript: m.cached / m.openapiTypescript,
      ...(withProvider ? { providerToOpenapiTypescript: m.provider / m.providerOpenapiTypescript } : {}),
    },
    commands: {
      version: `node generator/bin.js --version (installed layout)`,
      openapiTypescript: SEED_OPENAPI.map((d) => `node node_modules/openapi-typescript/bin/cli.js ${d} -o <file>`).join(" ; "),
      validate: `arazzo-ts validate ${SEED}`,
      generate: `arazzo-ts generate ${SEED} --out <dir> --no-cache`,
      cached: `arazzo-ts generate ${SEED} --out <dir> (type-check from the cache)`,
      ...(withProvider
        ? {
            provider: `arazzo-ts generate ${PROVIDER.arazzo} --out <dir> --no-cache`,
            providerOpenapiTypescript: `node node_modules/openapi-typescript/bin/cli.js ${PROVIDER.openapi} -o <file>`,
          }
        : {}),
    },
  }),
);
