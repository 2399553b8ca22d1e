/**
 * Finds the config file: `arazzo-ts.config.ts`, `.mjs` or `.json`, in the working
 * directory or the nearest folder above it that has one (up to the filesystem root).
 * Light (node:fs and node:path only): the CLI calls it before loading anything heavy.
 */
import { statSync } from "node:fs";
import path from "node:path";

export const CONFIG_NAMES = ["arazzo-ts.config.ts", "arazzo-ts.config.mjs", "arazzo-ts.config.json"] as const;

/**
 * The config files of the nearest folder, from `cwd` up, that has any: one file normally,
 * several when a folder holds more than one (the caller reports that), none when no folder does.
 */
export function findConfig(cwd: string): string[] {
  let dir = path.resolve(cwd);
  for (;;) {
    const found = CONFIG_NAMES.map((name) => path.join(dir, name)).filter(isFile);
    if (found.length) return found;
    const parent = path.dirname(dir);
    if (parent === dir) return [];
    dir = parent;
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
