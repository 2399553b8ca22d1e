#!/usr/bin/env node
// `npm run build`: compiles generator/ to dist/ for the published package (tsconfig.build.json),
// from scratch so no output of a deleted source is left behind, then copies beside the compiled
// code the files it reads relative to itself (dist/ mirrors generator/'s folders):
//   generator/runtime/*.ts   → dist/runtime/   TypeScript text copied into generated packages
//   every other data file    → dist/<same path> (the Arazzo JSON Schema, the config's JSON Schema, …)
// and writes Ajv's standalone code of the Arazzo schema validators (dist/validate/*.validator.cjs)
// and the runtime modules' declarations (dist/targets/typescript/runtime-declarations.json).
// templates/ stays where it is: dist/targets/typescript/templates.js finds ../../../templates/ as generator/targets/typescript/ does.
// The repository's own scripts do not use dist/: they run the sources through tsx (generator/bin.js).
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const dist = path.join(root, "dist");
const started = performance.now();

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
// Everything to stderr: `npm pack --json` runs this as prepack and its stdout must stay JSON.
execFileSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.build.json")], { cwd: root, stdio: ["ignore", 2, 2] });

for (const file of assets()) {
  mkdirSync(path.dirname(path.join(dist, file)), { recursive: true });
  copyFileSync(path.join(root, "generator", file), path.join(dist, file));
}
// Ajv's standalone code of the Arazzo schema validators, so the installed CLI does not compile them per process.
// And the declarations of the runtime modules every generated package ships.
for (const script of ["validate/precompile.js", "targets/openapi-fetch/precompile.js"])
  execFileSync(process.execPath, [path.join(dist, script)], { cwd: root, stdio: ["ignore", 2, 2] });
console.error(`built dist/ in ${Math.round(performance.now() - started)} ms`);

/** Files of generator/ that ship as they are, relative to generator/. */
function assets() {
  return readdirSync(path.join(root, "generator"), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(path.join(root, "generator"), path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .filter((file) => (file.startsWith("runtime/") ? file.endsWith(".ts") : !/\.(ts|js|mjs|cjs)$/.test(file)))
    .sort();
}
