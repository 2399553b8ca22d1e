/**
 * The version of arazzo-ts, from its own package.json. Found by walking up from this file,
 * so it works from the sources (`generator/`) and from the compiled package (`dist/`) alike.
 * Light on purpose: `arazzo-ts --version` loads nothing else.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export function packageVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, "package.json");
    try {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: unknown; version?: unknown };
      if (pkg.name === "arazzo-ts" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // no package.json here (or not JSON): keep going up
    }
    const parent = path.dirname(dir);
    if (parent === dir) return "unknown";
    dir = parent;
  }
}
