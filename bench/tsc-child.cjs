/**
 * Runs the project's `tsc` (node_modules/typescript) with the given arguments in this
 * process and, when it exits, writes one line to stderr with the process's peak RSS and
 * CPU time: `@@bench {"maxRSSMB":…,"cpuMs":…}`. Used by `bench/run.mjs` for the type-check
 * benchmark; on its own it behaves like `tsc`.
 *
 * Usage: node bench/tsc-child.cjs -p bench/consumers/tsconfig.generated.json --extendedDiagnostics
 */
const fs = require("node:fs");
const path = require("node:path");

process.on("exit", () => {
  const usage = process.resourceUsage();
  fs.writeSync(2, `@@bench ${JSON.stringify({ maxRSSMB: usage.maxRSS / 1024, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 })}\n`);
});
process.argv = [process.argv[0], "tsc", ...process.argv.slice(2)];
require(path.join(__dirname, "..", "node_modules", "typescript", "lib", "tsc.js"));
