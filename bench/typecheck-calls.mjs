#!/usr/bin/env node
/**
 * Why type-checking generated packages of a large API is slow: the cost of one typed
 * openapi-fetch call against a `paths` of many operations, written four ways. Diagnostic,
 * run by `node bench/run.mjs --calls` (or alone).
 *
 *   as-generated  client.POST("/r0/items/{id}", { params, body })        what the generator emits
 *   typed-init    const init: MaybeOptionalInit<paths["/r0/items/{id}"], "post"> = { … };
 *                 client.POST("/r0/items/{id}", init)
 *   path-based    wrapAsPathBasedClient(client)["/r0/items/{id}"].POST({ params, body })
 *   no-calls      only the response types read by indexed access (the floor: libs, paths)
 *
 * Each file makes `--calls` calls (default 100) on one client over the synthetic OpenAPI
 * document's `paths` (`--operations`, default 1,000, from openapi-typescript), and is
 * checked by `tsc --noEmit --extendedDiagnostics` (strict, NodeNext, skipLibCheck) in a
 * fresh process, `--reps` times (default 3). Prints one JSON object.
 *
 * Usage: node bench/typecheck-calls.mjs [--calls 100] [--operations 1000] [--reps 3]
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import { openapiDocument } from "./synthetic.mjs";

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH, "..");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const CALLS = arg("calls", 100);
const OPERATIONS = arg("operations", 1000);
const REPS = arg("reps", 3);
const DIR = path.join(BENCH, ".tmp", "typecheck-calls");
mkdirSync(DIR, { recursive: true });

writeFileSync(path.join(DIR, "package.json"), JSON.stringify({ type: "module", private: true }));
writeFileSync(path.join(DIR, "paths.ts"), astToString(await openapiTS(openapiDocument(OPERATIONS), { silent: true })));

const header = 'import createClient, { type MaybeOptionalInit, wrapAsPathBasedClient } from "openapi-fetch";\nimport type { paths } from "./paths.js";\n';
const init = (i) => `{ params: { path: { id }, query: { limit: 10 }, header: { "x-trace": id } }, body: { name: id, count: ${i}, tag: "a" } }`;
const body = (call) => {
  let text = "";
  for (let i = 0; i < CALLS; i++) text += call(i, `/r${i % OPERATIONS}/items/{id}`);
  return text;
};
const VARIANTS = {
  "as-generated": `${header}const client = createClient<paths>({ baseUrl: "https://api.example.com" });
export async function f(id: string): Promise<string> {
${body((i, p) => `  const r${i} = await client.POST("${p}", ${init(i)});\n  id = r${i}.data?.next ?? id;\n`)}  return id;
}
`,
  "typed-init": `${header}const client = createClient<paths>({ baseUrl: "https://api.example.com" });
export async function f(id: string): Promise<string> {
${body((i, p) => `  const i${i}: MaybeOptionalInit<paths["${p}"], "post"> = ${init(i)};\n  const r${i} = await client.POST("${p}", i${i});\n  id = r${i}.data?.next ?? id;\n`)}  return id;
}
`,
  "path-based": `${header}const client = wrapAsPathBasedClient(createClient<paths>({ baseUrl: "https://api.example.com" }));
export async function f(id: string): Promise<string> {
${body((i, p) => `  const r${i} = await client["${p}"].POST(${init(i)});\n  id = r${i}.data?.next ?? id;\n`)}  return id;
}
`,
  "no-calls": `import type { paths } from "./paths.js";
export async function f(id: string): Promise<string> {
${body((i, p) => `  const r${i}: paths["${p}"]["post"]["responses"][200]["content"]["application/json"] = { id, name: id, next: id };\n  id = r${i}.next ?? id;\n`)}  return id;
}
`,
};

const FIELDS = { Types: "types", Instantiations: "instantiations", "Memory used": "memoryUsedKB", "Check time": "checkS", "Total time": "totalS" };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const results = {};
for (const [name, text] of Object.entries(VARIANTS)) {
  writeFileSync(path.join(DIR, `${name}.ts`), text);
  writeFileSync(
    path.join(DIR, `tsconfig.${name}.json`),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        lib: ["ES2022", "DOM"],
        strict: true,
        skipLibCheck: true,
        noEmit: true,
        types: [],
      },
      files: [`${name}.ts`],
    }),
  );
}
for (let rep = 0; rep < REPS; rep++) {
  for (const name of Object.keys(VARIANTS)) {
    const r = spawnSync(process.execPath, [path.join(BENCH, "tsc-child.cjs"), "-p", path.join(DIR, `tsconfig.${name}.json`), "--extendedDiagnostics"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(`${name}: tsc failed\n${r.stdout}\n${r.stderr}`);
    const out = {};
    for (const line of r.stdout.split("\n")) {
      const m = /^([A-Za-z ]+):\s+([\d.]+)K?s?$/.exec(line.trim());
      if (m && FIELDS[m[1].trim()]) out[FIELDS[m[1].trim()]] = Number(m[2]);
    }
    Object.assign(
      out,
      JSON.parse(
        r.stderr
          .split("\n")
          .find((l) => l.startsWith("@@bench "))
          .slice(8),
      ),
    );
    results[name] ??= [];
    results[name].push(out);
  }
}
const summary = Object.fromEntries(
  Object.entries(results).map(([name, runs]) => [name, Object.fromEntries(Object.keys(runs[0]).map((k) => [k, median(runs.map((r) => r[k]))]))]),
);
const floor = summary["no-calls"];
for (const [name, s] of Object.entries(summary)) {
  if (name === "no-calls") continue;
  // CPU milliseconds a call adds over the floor (whole tsc process: parse, bind, check).
  s.cpuMsPerCall = (s.cpuMs - floor.cpuMs) / CALLS;
  s.checkMsPerCall = ((s.checkS - floor.checkS) * 1000) / CALLS;
}
console.log(
  JSON.stringify({
    calls: CALLS,
    operations: OPERATIONS,
    reps: REPS,
    command: `node bench/typecheck-calls.mjs --calls ${CALLS} --operations ${OPERATIONS} --reps ${REPS}`,
    files: path.relative(ROOT, DIR),
    median: summary,
  }),
);
