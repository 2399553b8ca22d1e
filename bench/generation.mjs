/**
 * The generation benchmark of `bench/run.mjs`: `arazzo-ts generate` as a whole process
 * against openapi-typescript on the same OpenAPI documents, both in fresh processes
 * (`bench/generate-child.mjs`), alternated, medians.
 *
 * Headline: the wall time from spawning the process to its exit, measured by the parent
 * (module loading, the call, process teardown). Secondary: the call alone (`runMs`, measured
 * inside the child), CPU time of the process tree, and peak memory (see
 * `bench/whole-process.mjs`: the largest process of the tree, children such as tsgo
 * included, plus the sampled sum over the tree).
 *
 * Cases: the seed, a real provider document whose OpenAPI is 2.25 MB (when ../shared is
 * beside the project), synthetic documents of 10, 100 and 1,000 workflows. With a compare
 * checkout (`--compare <ref>`) each repetition also runs that checkout's generator, so one
 * run gives before and after. The order within a repetition rotates (B S, S B; or B S R,
 * S R B, R B S), so drift in the machine's load does not favour one side.
 */
import os from "node:os";
import path from "node:path";
import { corpusFile } from "../test/helpers/shared.mjs";
import { measureProcess } from "./whole-process.mjs";

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const stats = (xs) => (xs.some((x) => x === undefined || Number.isNaN(x)) ? undefined : { median: median(xs), min: Math.min(...xs), values: xs });
const round = (x, d = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : x);
const log = (...a) => console.error(...a);
const loadAverage = () => os.loadavg().map((x) => round(x, 2));

export const SEED = "specs/fintecture/arazzo/fintecture-token-then-payment-workflow.yml";
export const SEED_OPENAPI = ["specs/fintecture/openapi/fintecture-oauth-api-openapi.yml", "specs/fintecture/openapi/fintecture-pis-api-openapi.yml"];
/** A file of the real-world corpus, relative to the project as the commands name it (`../shared/corpus/…`), or undefined without the corpus. */
const fromCorpus = (file) => {
  const full = corpusFile(file);
  return full && path.relative(path.resolve(import.meta.dirname, ".."), full);
};
// A provider description of 2 MB or more, from the real-world corpus beside the project (arazzo undefined without it).
export const PROVIDER = {
  label: "provider (asana, 2.25 MB OpenAPI)",
  arazzo: fromCorpus("asana/arazzo/asana-assign-and-follow-task-workflow.yml"),
  openapi: [fromCorpus("asana/openapi/asana-openapi.yml")],
};

export const childCommand = (mode, files, root) => `node --import tsx bench/generate-child.mjs ${root ? `--root ${root} ` : ""}${mode} ${files.join(" ")}`;

/** One measurement in a fresh process: the child's own figures plus the whole-process ones. */
export async function generationChild(root, mode, files, { profileDir, generatorRoot, tmpDir } = {}) {
  const args = ["--import", "tsx"];
  if (profileDir) args.push("--cpu-prof", "--cpu-prof-dir", profileDir);
  args.push("bench/generate-child.mjs");
  if (generatorRoot) args.push("--root", generatorRoot);
  args.push(mode, ...files);
  const m = await measureProcess(process.execPath, args, { cwd: root, tmpDir });
  const child = JSON.parse(m.stdout.trim().split("\n").at(-1));
  return {
    ...child,
    wholeMs: m.wallMs,
    processCpuMs: m.processCpuMs,
    // GNU time's %M is already the maximum over the tree; the child's own maxRSS is the fallback.
    peakMB: Math.max(m.peakMB ?? 0, child.maxRSSMB),
    selfMaxRSSMB: child.maxRSSMB,
    childrenPeakMB: m.childrenPeakMB,
    treePeakMB: m.treePeakMB,
    children: m.children,
  };
}

const FIELDS = ["wholeMs", "runMs", "importMs", "cpuMs", "processCpuMs", "peakMB", "selfMaxRSSMB", "childrenPeakMB", "treePeakMB", "rssAfterImportMB"];

function summariseRuns(runs) {
  const out = Object.fromEntries(FIELDS.map((k) => [k, stats(runs.map((r) => r[k]))]).filter(([, v]) => v));
  out.children = [...new Set(runs.flatMap((r) => r.children ?? []))].sort();
  out.output = runs[0].output;
  return out;
}

function ratios(subject, baseline) {
  const r = (key, of = "median") => (subject[key] && baseline[key] ? subject[key][of] / baseline[key][of] : undefined);
  return {
    wholeProcess: r("wholeMs"),
    wholeProcessMin: r("wholeMs", "min"),
    call: r("runMs"),
    cpu: r("processCpuMs"),
    callCpu: r("cpuMs"),
    peak: r("peakMB"),
  };
}

/** time ∝ workflows^exponent between consecutive synthetic sizes (1 = linear). */
export function growth(cases, pick = (c) => c.generate) {
  const sizes = Object.entries(cases)
    .map(([name, c]) => [Number(/^synthetic-(\d+)$/.exec(name)?.[1]), c])
    .filter(([n, c]) => n && pick(c))
    .sort((a, b) => a[0] - b[0]);
  const steps = [];
  for (let i = 1; i < sizes.length; i++) {
    const [n0, c0] = sizes[i - 1];
    const [n1, c1] = sizes[i];
    const step = { workflows: [n0, n1] };
    for (const key of ["wholeMs", "runMs"]) {
      const a = pick(c0)[key].median;
      const b = pick(c1)[key].median;
      step[key] = { values: [a, b], msPerAddedWorkflow: (b - a) / (n1 - n0), exponent: Math.log(b / a) / Math.log(n1 / n0) };
    }
    steps.push(step);
  }
  return steps;
}

/**
 * Measures the cases named in `select` (all when empty): seed, provider, synthetic-<n>.
 * `synthetic`: the inputs `writeSynthetic` wrote; `compare`: { dir, commit, ref } of another
 * checkout, or undefined; `checkout()`: the commit measured, recorded with each case.
 * Resolves the section's cases by name.
 */
export async function measureGeneration({ root, tmpDir, synthetic, smoke, reps, repsExplicit, select, compare, providerAvailable, checkout = () => ({}) }) {
  const sizes = synthetic.shape.workflows;
  const list = [{ name: "seed", arazzo: SEED, openapi: SEED_OPENAPI, reps }];
  if (!smoke && providerAvailable) list.push({ name: "provider", label: PROVIDER.label, arazzo: PROVIDER.arazzo, openapi: PROVIDER.openapi, reps });
  for (const n of sizes) {
    // 1,000 workflows: once by default (minutes before tsgo); an explicit `--reps` asks for more, up to 3.
    const r = smoke ? 1 : n >= 1000 && !repsExplicit ? 1 : Math.min(reps, 3);
    list.push({ name: `synthetic-${n}`, arazzo: synthetic.arazzo[n], openapi: [synthetic.openapi], reps: r });
  }
  const chosen = list.filter((c) => !select?.length || select.includes(c.name));
  if (select?.length && !chosen.length)
    throw new Error(`no generation case matches --cases ${select.join(",")} (cases: ${list.map((c) => c.name).join(", ")})`);

  // Warm-up, not recorded: the first run of a checkout pays for tsx compiling its sources into
  // tsx's cache (and for the OS file cache); that is not what the generator costs.
  if (!smoke) {
    log("  warm-up: one seed generation per checkout");
    await generationChild(root, "generate", [SEED], { tmpDir });
    if (compare) await generationChild(root, "generate", [SEED], { tmpDir, generatorRoot: compare.dir });
  }

  const cases = {};
  // Smoke: the synthetic sizes share one OpenAPI document, so one baseline measurement does.
  const sharedBaseline = new Map();
  for (const c of chosen) {
    const loadAverageBefore = loadAverage();
    const variants = [
      ["openapiTypescript", () => generationChild(root, "openapi-ts", c.openapi, { tmpDir })],
      ["generate", () => generationChild(root, "generate", [c.arazzo], { tmpDir })],
    ];
    if (compare) variants.push(["compare", () => generationChild(root, "generate", [c.arazzo], { tmpDir, generatorRoot: compare.dir })]);
    const runs = Object.fromEntries(variants.map(([k]) => [k, []]));
    const key = c.openapi.join(" ");
    const reuse = smoke && c.name.startsWith("synthetic-") && sharedBaseline.has(key);
    for (let i = 0; i < c.reps; i++) {
      log(`  ${c.name}: repetition ${i + 1}/${c.reps}`);
      for (let j = 0; j < variants.length; j++) {
        const [name, measure] = variants[(i + j) % variants.length];
        if (name === "openapiTypescript" && reuse) runs[name].push(sharedBaseline.get(key)[i]);
        else runs[name].push(await measure());
      }
    }
    if (smoke && !reuse) sharedBaseline.set(key, runs.openapiTypescript);
    const g = summariseRuns(runs.generate);
    const b = summariseRuns(runs.openapiTypescript);
    const entry = {
      label: c.label,
      arazzo: c.arazzo,
      openapi: c.openapi,
      repetitions: c.reps,
      commands: { generate: childCommand("generate", [c.arazzo]), openapiTypescript: childCommand("openapi-ts", c.openapi) },
      generate: g,
      openapiTypescript: b,
      ratio: ratios(g, b),
      pairRatios: runs.generate.map((s, i) => round(s.wholeMs / runs.openapiTypescript[i].wholeMs, 2)),
    };
    if (compare) {
      const p = summariseRuns(runs.compare);
      entry.compare = {
        ref: compare.ref,
        commit: compare.commit,
        command: childCommand("generate", [c.arazzo], `<worktree of ${compare.commit}>`),
        generate: p,
        ratio: ratios(p, b),
        // the working tree against the other commit (0.5 = twice as fast now)
        currentToCompare: ratios(g, p),
      };
    }
    entry.measuredAt = new Date().toISOString();
    // The working tree may change under a long run (other people commit): what it was now.
    entry.checkout = checkout();
    entry.loadAverageBefore = loadAverageBefore;
    entry.loadAverageAfter = loadAverage();
    cases[c.name] = entry;
    log(
      `    whole process: generate ${round(g.wholeMs.median, 0)} ms vs openapi-typescript ${round(b.wholeMs.median, 0)} ms: ${round(entry.ratio.wholeProcess, 2)}×; peak ${round(g.peakMB.median, 0)} MB` +
        (compare ? `; ${compare.commit}: ${round(entry.compare.generate.wholeMs.median, 0)} ms, ${round(entry.compare.generate.peakMB.median, 0)} MB` : ""),
    );
  }
  return cases;
}

export const DESCRIPTION =
  "arazzo-ts generate (generate({ inputs: [file], write: false }) in bench/generate-child.mjs, under tsx) vs openapi-typescript alone (astToString(await openapiTS(url)) per OpenAPI document), each a fresh process, alternated. wholeMs = wall time from spawn to exit, measured by the parent (the headline); runMs = the call alone; importMs = module loading; processCpuMs = user + system CPU of the process and its children (GNU time); cpuMs = CPU of the call, this process only; peakMB = the largest peak RSS of any one process of the tree (GNU time %M, children such as tsgo included); selfMaxRSSMB = the node process alone; childrenPeakMB / treePeakMB = largest child / largest sum over the tree, sampled from /proc every 50 ms";

// ---------------------------------------------------------------------------------------
// report

const caseLabel = (name, c) => c.label ?? name;

/** Markdown lines for the generation section (`f` formats numbers). */
export function generationReport(g, f) {
  const lines = [];
  if (g.version !== 2)
    return ["### Generation", "", "(results in the old format, from before whole-process measurement: re-run `npm run bench -- --only generation`)", ""];
  const cases = Object.entries(g.cases);
  const reps = [...new Set(cases.map(([, c]) => c.repetitions))].sort((a, b) => b - a);
  lines.push(`### Generation, whole process (median of ${reps.join(" / ")} repetitions, see the reps column; min in brackets)`, "");
  lines.push(
    "| case | reps | generate, whole process ms | openapi-typescript, whole process ms | **ratio** (min/min) | call only ms: generate / openapi-typescript (ratio) | CPU ratio (process + children) | peak MB: largest process of the tree, children included (generate / openapi-typescript) | generate: node alone / largest child / tree sum, MB | files / bytes out |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  );
  for (const [name, c] of cases) {
    const gen = c.generate;
    const base = c.openapiTypescript;
    lines.push(
      `| ${caseLabel(name, c)} | ${c.repetitions} | ${f(gen.wholeMs.median)} (${f(gen.wholeMs.min)}) | ${f(base.wholeMs.median)} (${f(base.wholeMs.min)}) | **${f(c.ratio.wholeProcess, 2)}×** (${f(c.ratio.wholeProcessMin, 2)}×) | ${f(gen.runMs.median)} / ${f(base.runMs.median)} (${f(c.ratio.call, 1)}×) | ${c.ratio.cpu === undefined ? "–" : `${f(c.ratio.cpu, 2)}×`} | ${f(gen.peakMB.median)} / ${f(base.peakMB.median)} | ${f(gen.selfMaxRSSMB?.median)} / ${f(gen.childrenPeakMB?.median)} / ${f(gen.treePeakMB?.median)} | ${gen.output.files} / ${f(gen.output.bytes)} |`,
    );
  }
  const first = g.cases.seed ?? cases[0][1];
  lines.push(
    "",
    `Module loading (inside the whole-process figure): generate ${f(first.generate.importMs.median)} ms, openapi-typescript ${f(first.openapiTypescript.importMs.median)} ms (${g.cases.seed ? "seed" : cases[0][0]}, median). Children of the generator: ${[...new Set(cases.flatMap(([, c]) => c.generate.children ?? []))].join(", ") || "none seen"}. Each case was measured at its own time (\`measuredAt\`, load average before/after in results.json).`,
  );
  const growthLine = (steps, what) =>
    steps.length
      ? `${what}: ${steps.map((s) => `${s.workflows.join(" → ")} workflows ${s.wholeMs.values.map((x) => f(x)).join(" → ")} ms, ${f(s.wholeMs.msPerAddedWorkflow, 1)} ms per added workflow, exponent ${f(s.wholeMs.exponent, 2)}`).join("; ")} (whole process; 1 = linear). Call only: ${steps.map((s) => `${f(s.runMs.msPerAddedWorkflow, 1)} ms per workflow, exponent ${f(s.runMs.exponent, 2)}`).join("; ")}.`
      : undefined;
  const now = growthLine(growth(g.cases), "Growth");
  if (now) lines.push("", now);

  const compared = cases.filter(([, c]) => c.compare);
  if (compared.length) {
    const commits = [...new Set(compared.map(([, c]) => c.compare.commit))];
    lines.push(
      "",
      `#### Before (${commits.join(", ")}) and after (the working tree), same run, alternated with openapi-typescript`,
      "",
      "| case | openapi-typescript ms | before ms (ratio) | after ms (ratio) | after / before | before peak MB (tree sum) | after peak MB (tree sum) | before / after call ms |",
      "| --- | --- | --- | --- | --- | --- | --- | --- |",
    );
    for (const [name, c] of compared) {
      const p = c.compare.generate;
      lines.push(
        `| ${caseLabel(name, c)} | ${f(c.openapiTypescript.wholeMs.median)} | ${f(p.wholeMs.median)} (${f(c.compare.ratio.wholeProcess, 2)}×) | ${f(c.generate.wholeMs.median)} (**${f(c.ratio.wholeProcess, 2)}×**) | **${f(c.compare.currentToCompare.wholeProcess, 2)}×** | ${f(p.peakMB.median)} (${f(p.treePeakMB?.median)}) | ${f(c.generate.peakMB.median)} (${f(c.generate.treePeakMB?.median)}) | ${f(p.runMs.median)} / ${f(c.generate.runMs.median)} |`,
      );
    }
    const before = growthLine(
      growth(g.cases, (c) => c.compare?.generate),
      "Growth before",
    );
    if (before) lines.push("", before);
  }
  lines.push("");
  return lines;
}

/** Target rows for the generation section. */
export function generationTargets(g, ratioTarget) {
  const list = [];
  if (g?.version !== 2) return list;
  for (const [name, c] of Object.entries(g.cases)) {
    if (name === "provider") {
      list.push({
        benchmark: `generation ${caseLabel(name, c)} (whole process)`,
        target: "< 1× (faster than openapi-typescript)",
        ratio: round(c.ratio.wholeProcess, 2),
        met: c.ratio.wholeProcess < 1,
      });
    } else if (name === "synthetic-1000") {
      const ms = c.generate.wholeMs.median;
      const mb = c.generate.peakMB.median;
      list.push({ benchmark: "generation synthetic-1000 (whole process)", target: "< 15 s", value: `${round(ms / 1000, 1)} s`, met: ms < 15000 });
      list.push({
        benchmark: "generation synthetic-1000 peak memory (largest process; tree sum in brackets)",
        target: "< 1 GB",
        value: `${round(mb, 0)} MB (${round(c.generate.treePeakMB?.median, 0)} MB)`,
        met: mb < 1024,
      });
    } else {
      list.push({
        benchmark: `generation ${name} (whole process)`,
        target: `≤ ${ratioTarget}×`,
        ratio: round(c.ratio.wholeProcess, 2),
        met: c.ratio.wholeProcess <= ratioTarget,
      });
    }
  }
  const last = growth(g.cases).at(-1);
  if (last && last.workflows[1] >= 1000) {
    list.push({
      benchmark: `generation growth ${last.workflows.join(" → ")} workflows (whole-process exponent)`,
      target: "linear (≤ 1.1)",
      value: `${round(last.wholeMs.exponent, 2)}`,
      met: last.wholeMs.exponent <= 1.1,
    });
  }
  return list;
}
