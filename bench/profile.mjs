#!/usr/bin/env node
/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): top self-time functions, self
 * time per module (npm package, or generator file), and inclusive time per generator
 * stage (a sample counts for a stage when one of the stage's functions is on its stack;
 * the innermost stage wins, so nested stages are not counted twice).
 *
 * Within the stages that drive the TypeScript compiler (type-check, emit), samples are
 * further split by compiler phase: program creation (parsing, module and lib resolution),
 * binding, checking, emitting.
 *
 * `--from`/`--to` (microseconds on the profile's clock, which is `process.hrtime`'s)
 * restrict the summary to a window, e.g. the `generate()` call that
 * `bench/generate-child.mjs` reports as `runStartUs`/`runEndUs`, leaving module loading out.
 *
 * Usage: node bench/profile.mjs <file.cpuprofile> [--from us --to us] [--top 25] [--json]
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Generator stages, outermost first, by the functions that run them (file suffix +
 * function name). The innermost matching frame of a sample decides its stage.
 */
export const STAGES = [
  { stage: "ts-morph Project creation", file: "generator/targets/typescript/compile.ts", fn: "createProject" },
  { stage: "load (read + parse YAML/JSON, sources)", file: "generator/load/", fn: null },
  { stage: "openapi (index operations, resolve refs)", file: "generator/openapi/", fn: null },
  { stage: "validate (Ajv, Arazzo schema)", file: "generator/validate/schema.ts", fn: null },
  { stage: "model (bind, types, names)", file: "generator/ir/build.ts", fn: "buildDocumentModel" },
  { stage: "emit: openapi-typescript (paths types)", file: "generator/targets/typescript/paths-types.ts", fn: "pathsTypes" },
  { stage: "emit: workflow structures (generator code)", file: "generator/targets/openapi-fetch/workflow-module.ts", fn: "workflowModule" },
  {
    stage: "emit: ts-morph createSourceFile (print structures)",
    file: "generator/targets/openapi-fetch/package.ts",
    fn: "packageSources",
    calls: ["createSourceFile", "getFullText", "removeSourceFile"],
  },
  { stage: "emit: templates (Handlebars)", file: "generator/targets/typescript/templates.ts", fn: "render" },
  { stage: "type-check (getPreEmitDiagnostics)", file: "generator/targets/typescript/compile.ts", fn: "compilePackages", calls: ["getPreEmitDiagnostics"] },
  { stage: "declaration + JS emit (emitToMemory)", file: "generator/targets/typescript/compile.ts", fn: "compilePackages", calls: ["emitToMemory"] },
  { stage: "compile: add sources to project", file: "generator/targets/typescript/compile.ts", fn: "compilePackages", calls: ["createSourceFile"] },
];

/** TypeScript compiler phases, by function of the compiler bundled in @ts-morph/common; the innermost wins. */
const TS_PHASES = [
  { phase: "create program (parse, resolve modules and libs)", fns: ["createProgram"] },
  { phase: "bind", fns: ["bindSourceFile"] },
  { phase: "check", fns: ["checkSourceFile", "checkSourceFileWorker", "checkDeferredNodes"] },
  { phase: "emit", fns: ["emitFiles"] },
];

function moduleOf(url) {
  if (!url) return "(native / V8)";
  const file = url.startsWith("file://") ? fileURLToPath(url) : url;
  if (file.startsWith("node:")) return "node: internals";
  const nm = file.lastIndexOf("node_modules/");
  if (nm !== -1) {
    const rest = file.slice(nm + "node_modules/".length).split("/");
    const pkg = rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
    return pkg === "typescript" ? `typescript (${rest.at(-1)})` : pkg;
  }
  if (file.startsWith(ROOT)) return path.relative(ROOT, file);
  return file;
}

export function summarise(profile, { top = 25, from = -Infinity, to = Infinity } = {}) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // timeDeltas[i] is the time before samples[i]; attribute it to samples[i].
  const dt = new Map();
  let now = profile.startTime;
  let totalUs = 0;
  profile.samples.forEach((_id, i) => {
    now += profile.timeDeltas[i] ?? 0;
    if (now < from || now > to) return;
    dt.set(i, profile.timeDeltas[i] ?? 0);
    totalUs += profile.timeDeltas[i] ?? 0;
  });

  const selfByFn = new Map();
  const selfByModule = new Map();
  const byStage = new Map();
  const stageCache = new Map();
  const phaseCache = new Map();

  const phaseOfNode = (id) => {
    if (phaseCache.has(id)) return phaseCache.get(id);
    const cf = nodes.get(id).callFrame;
    const own = cf.url.includes("@ts-morph/common") ? TS_PHASES.find((p) => p.fns.includes(cf.functionName))?.phase : undefined;
    const p = parent.get(id);
    const result = own ?? (p !== undefined ? phaseOfNode(p) : undefined);
    phaseCache.set(id, result);
    return result;
  };

  const stageOfNode = (id) => {
    if (stageCache.has(id)) return stageCache.get(id);
    const n = nodes.get(id);
    const cf = n.callFrame;
    const file = cf.url ? (cf.url.startsWith("file://") ? fileURLToPath(cf.url) : cf.url) : "";
    let own;
    // A ts-morph call directly made from a stage function (e.g. `project.getPreEmitDiagnostics()` in compilePackages).
    const p = parent.get(id);
    const pcf = p !== undefined ? nodes.get(p).callFrame : undefined;
    const pfile = pcf?.url?.startsWith("file://") ? fileURLToPath(pcf.url) : "";
    for (const s of STAGES) {
      if (s.calls) {
        if (pcf && pfile.endsWith(s.file) && pcf.functionName === s.fn && s.calls.includes(cf.functionName)) own = s.stage;
      } else if (file.includes(s.file) && (s.fn === null || cf.functionName === s.fn)) {
        own = s.stage;
      }
    }
    const result =
      own ??
      (cf.functionName === "(garbage collector)"
        ? "garbage collection"
        : p !== undefined
          ? stageOfNode(p)
          : "unattributed (module loading, generate() glue, or a stack too deep for the profiler to reach a stage)");
    stageCache.set(id, result);
    return result;
  };

  // Async continuations lose their caller: openapi-typescript's work after its first
  // `await` (Redocly's bundling and walking) has no generator frame on its stack. Such
  // samples are attributed by the package they run in.
  const FALLBACK = [{ stage: "emit: openapi-typescript (paths types)", urls: ["node_modules/openapi-typescript/", "node_modules/@redocly/"] }];
  const fallbackCache = new Map();
  const fallbackOfNode = (id) => {
    if (fallbackCache.has(id)) return fallbackCache.get(id);
    const url = nodes.get(id).callFrame.url;
    const own = FALLBACK.find((f) => f.urls.some((u) => url.includes(u)))?.stage;
    const p = parent.get(id);
    const result = own ?? (p !== undefined ? fallbackOfNode(p) : undefined);
    fallbackCache.set(id, result);
    return result;
  };

  profile.samples.forEach((id, i) => {
    if (!dt.has(i)) return;
    const n = nodes.get(id);
    const cf = n.callFrame;
    const us = dt.get(i);
    const fnKey = `${cf.functionName || "(anonymous)"}  ${moduleOf(cf.url)}:${cf.lineNumber + 1}`;
    selfByFn.set(fnKey, (selfByFn.get(fnKey) ?? 0) + us);
    const mod = cf.url
      ? moduleOf(cf.url)
      : cf.functionName === "(garbage collector)"
        ? "(garbage collector)"
        : cf.functionName === "(idle)"
          ? "(idle)"
          : "(native / V8)";
    selfByModule.set(mod, (selfByModule.get(mod) ?? 0) + us);
    const tsPhase = phaseOfNode(id);
    let stage = stageOfNode(id);
    if (stage.startsWith("unattributed")) stage = fallbackOfNode(id) ?? stage;
    stage += tsPhase ? ` › ${tsPhase}` : "";
    byStage.set(stage, (byStage.get(stage) ?? 0) + us);
  });

  const sorted = (m, k) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), share: +(us / totalUs).toFixed(3) }));
  return {
    totalMs: Math.round(totalUs / 1000),
    stages: sorted(byStage, 50),
    modules: sorted(selfByModule, top),
    functions: sorted(selfByFn, top),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: node bench/profile.mjs <file.cpuprofile> [--top N] [--json]");
    process.exit(2);
  }
  const num = (name, fallback) => {
    const k = process.argv.indexOf(`--${name}`);
    return k === -1 ? fallback : Number(process.argv[k + 1]);
  };
  const summary = summarise(JSON.parse(readFileSync(file, "utf8")), { top: num("top", 25), from: num("from", -Infinity), to: num("to", Infinity) });
  if (process.argv.includes("--json")) console.log(JSON.stringify(summary, null, 2));
  else {
    const pct = (s) => `${(s * 100).toFixed(1).padStart(5)}%`;
    console.log(`total ${summary.totalMs} ms\n\nby stage (inclusive):`);
    for (const r of summary.stages) console.log(`  ${pct(r.share)} ${String(r.ms).padStart(7)} ms  ${r.name}`);
    console.log("\nself time by module:");
    for (const r of summary.modules) console.log(`  ${pct(r.share)} ${String(r.ms).padStart(7)} ms  ${r.name}`);
    console.log("\nself time by function:");
    for (const r of summary.functions) console.log(`  ${pct(r.share)} ${String(r.ms).padStart(7)} ms  ${r.name}`);
  }
}
