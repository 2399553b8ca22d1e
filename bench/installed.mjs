/**
 * The command line as installed: `generator/bin.js` with the compiled generator (`dist/`)
 * beside it and no TypeScript sources, so it runs `dist/cli.js` with plain Node (no tsx), as a
 * user's `npx arazzo-ts` does. `npm run build` must have made `dist/`.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";

/** Lays the installed package out in `dir` (emptied first) and returns its `bin.js`. */
export function installedBin(root, dir) {
  if (!existsSync(path.join(root, "dist/cli.js"))) throw new Error("dist/cli.js is missing: run `npm run build` first");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, "generator"), { recursive: true });
  copyFileSync(path.join(root, "generator/bin.js"), path.join(dir, "generator/bin.js"));
  symlinkSync(path.join(root, "dist"), path.join(dir, "dist"), "dir");
  return path.join(dir, "generator/bin.js");
}
