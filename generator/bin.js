#!/usr/bin/env node
// Entry point of the `arazzo-ts` command (package.json `bin`), in both places it runs from:
//
// - the installed package, which ships the compiled generator (`dist/`) and not its
//   TypeScript sources: runs `dist/cli.js` with plain Node; tsx is not installed there;
// - a clone of the repository (`generator/cli.ts` is beside this file): runs the sources
//   through tsx, so the repository's scripts and `npx arazzo-ts` work without a build and
//   never run a `dist/` older than the sources. Without tsx (dev dependencies not
//   installed) it falls back to `dist/` when `npm run build` has made one.
import { existsSync } from "node:fs";
import module from "node:module";

// Node 22.1+ keeps the compiled code of the modules it loads (TypeScript's compiler, twice the
// size of the rest) on disk, as tsc does: start-up then skips most compiling. Node 20 has no
// such cache; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
module.enableCompileCache?.();

const sources = new URL("./cli.ts", import.meta.url);
const compiled = new URL("../dist/cli.js", import.meta.url);

async function loadCli() {
  if (existsSync(sources)) {
    let tsx;
    try {
      tsx = await import("tsx/esm/api");
    } catch (error) {
      if (error?.code !== "ERR_MODULE_NOT_FOUND") throw error;
    }
    if (tsx) {
      tsx.register();
      return import(sources.href);
    }
  }
  if (existsSync(compiled)) return import(compiled.href);
  console.error(
    existsSync(sources)
      ? "arazzo-ts: tsx is not installed (`npm ci` installs it) and there is no dist/ (`npm run build`)."
      : "arazzo-ts: dist/cli.js is missing: this copy of arazzo-ts was packed without `npm run build`.",
  );
  process.exit(3);
}

const { run } = await loadCli();
await run(process.argv.slice(2));
