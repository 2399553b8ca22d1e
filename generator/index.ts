/**
 * The programmatic API of the `arazzo-ts` package:
 *
 *   import { generate, validate, loadConfig, formatDiagnostic } from "arazzo-ts";
 *
 * Importing it is cheap: the generator (TypeScript, ts-morph, openapi-typescript) is loaded
 * by the first call of `generate`, `validate`, `loadConfig` or `staleFiles`, not by the import.
 */
import type * as Generate from "./generate.ts";
import { withOpenapiTypescriptThread } from "./targets/typescript/openapi-typescript-thread.ts";
import type * as Analyze from "./analyze.ts";
import type * as Config from "./config/options.ts";

export type { GenerateOptions, GenerateResult, GeneratedPackage, PackageMetadata } from "./generate.ts";
export type { ValidateResult } from "./analyze.ts";
export type { ArazzoTsConfig, ArazzoTsDocumentConfig } from "./config/types.ts";
export type { ConfigOptions } from "./config/apply.ts";
export type { LoadConfigResult } from "./config/options.ts";
export type { GeneratedFile } from "./targets/openapi-fetch/package.ts";
export type { SourceMapEntry } from "./targets/typescript/source-map.ts";
export { formatDiagnostic, type Diagnostic, type DiagnosticCode, type Severity, type SourceLocation } from "./diagnostics.ts";
export { DIAGNOSTIC_CODES } from "./diagnostic-codes.ts";

/** What `validate()` takes: the Arazzo documents, and source descriptions to read from local files. */
export type ValidateOptions = Parameters<typeof Analyze.validate>[0];

/**
 * Generates one typed TypeScript package per Arazzo document into `options.outDir`
 * (nothing is written when there are errors, or with `write: false`). Diagnostics are
 * returned, never thrown.
 */
export async function generate(options: Generate.GenerateOptions): Promise<Generate.GenerateResult> {
  // Started before the generator loads, so openapi-typescript loads meanwhile on its thread.
  return withOpenapiTypescriptThread(async () => (await import("./generate.ts")).generate(options));
}

/** Runs the checks of `generate` on the documents and writes nothing. */
export async function validate(options: ValidateOptions): Promise<Analyze.ValidateResult> {
  return (await import("./analyze.ts")).validate(options);
}

/**
 * Reads the config file the command line uses (`arazzo-ts.config.ts`, `.mjs` or `.json`) and
 * gives the options `generate()` and `validate()` take from it, as `arazzo-ts generate` with no
 * arguments uses them. `from`: the config file, or a folder to look for one in (the nearest in it
 * or a folder above it); default: the working directory. A config without `out` gives no `outDir`:
 *
 *   const config = await loadConfig();
 *   if (!config.ok) throw new Error(config.diagnostics.map((d) => formatDiagnostic(d)).join("\n"));
 *   const result = await generate({ outDir: "generated", ...config.options });
 *
 * Problems of the config file (a missing document, a misspelt key) are returned, never thrown.
 */
export async function loadConfig(from?: string): Promise<Config.LoadConfigResult> {
  return (await import("./config/options.ts")).loadConfigOptions(from);
}

/**
 * Files on disk that differ from what `generate` returned (changed, missing, or left over
 * under a package's `src/` and `dist/`): empty when the output is up to date. `generate --check`.
 */
export async function staleFiles(packages: Generate.GenerateResult["packages"]): ReturnType<typeof Generate.staleFiles> {
  return (await import("./generate.ts")).staleFiles(packages);
}
