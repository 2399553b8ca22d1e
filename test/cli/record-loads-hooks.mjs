// Module customization hooks of record-loads.mjs: appends each resolved URL to the log file.
import { appendFileSync } from "node:fs";

let log;

export function initialize(data) {
  log = data.log;
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(log, `esm ${resolved.url}\n`);
  return resolved;
}
