/**
 * The config file as the programmatic API reads it (`loadConfig` of the package): the same file
 * the command line finds (`arazzo-ts.config.{ts,mjs,json}` in a folder or the nearest one above
 * it, or a file named), read and checked the same way, turned into the options `generate()` and
 * `validate()` take, as `arazzo-ts generate` with no arguments would use them.
 */
import { statSync } from "node:fs";
import path from "node:path";
import type { Diagnostic } from "../diagnostics.ts";
import { applyConfig, type ConfigOptions, configOptions } from "./apply.ts";
import { CONFIG_NAMES, findConfig } from "./find.ts";
import { loadConfig } from "./load.ts";

/** What `loadConfig` gives: the options, or the problems of the config file (never thrown). */
export type LoadConfigResult =
  | {
      readonly ok: true;
      /** The config file read (absolute). */
      readonly file: string;
      readonly options: ConfigOptions;
    }
  | {
      readonly ok: false;
      /** The config file, when one was found. */
      readonly file?: string;
      /** Errors (code `config`) at the config file's lines, as the command line prints them. */
      readonly diagnostics: readonly Diagnostic[];
    };

/**
 * Reads the config file `from` names: a config file, or a folder to look for one in (the nearest
 * `arazzo-ts.config.ts`, `.mjs` or `.json` in it or a folder above it, as the command line does).
 * Default: the working directory.
 */
export async function loadConfigOptions(from: string = process.cwd()): Promise<LoadConfigResult> {
  const start = path.resolve(from);
  let file = start;
  if (isDirectory(start)) {
    const found = findConfig(start);
    if (found.length !== 1) {
      const message = found.length
        ? `${found.map((f) => path.basename(f)).join(" and ")} are both config files: keep one, or name the file`
        : `no config file (${CONFIG_NAMES.join(", ")}) in ${start} or a folder above it`;
      return { ok: false, diagnostics: [{ severity: "error", code: "config", message, ...(found[0] ? { file: found[0] } : {}) }] };
    }
    file = found[0]!;
  }
  const load = await loadConfig(file);
  if (!load.ok) return { ok: false, file, diagnostics: load.diagnostics };
  const applied = await applyConfig(load.loaded, { cwd: load.loaded.dir });
  if (!applied.ok) return { ok: false, file, diagnostics: applied.diagnostics };
  return { ok: true, file, options: configOptions(applied.options) };
}

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}
