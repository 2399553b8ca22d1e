// Preloaded with `node --import` by fast-start.test.ts: records every module the process
// loads into the file named by ARAZZO_TS_LOAD_LOG, one URL or path per line. ES modules
// through a resolve hook (module.register; the hook runs on the loader thread and appends
// to the file itself), CommonJS modules from the require cache when the process exits.
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";

const log = process.env.ARAZZO_TS_LOAD_LOG;
if (log) {
  register("./record-loads-hooks.mjs", import.meta.url, { data: { log } });
  const cache = createRequire(import.meta.url).cache;
  process.on("exit", () =>
    appendFileSync(
      log,
      Object.keys(cache)
        .map((file) => `cjs ${file}\n`)
        .join(""),
    ),
  );
}
