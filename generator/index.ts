/**
 * The programmatic API of the `arazzo-ts` package:
 *
 *   import { generate, validate, formatDiagnostic } from "arazzo-ts";
 *
 * Importing it is cheap: the generator (TypeScript, ts-morph, openapi-typescript) is loaded
 * by the first call of `generate`, `validate` or `staleFiles`, not by the import.
 */
import type * as Generate from "./generate.ts";
import type * as Analyze from "./analyze.ts";

export type { GenerateOptions, GenerateResult, GeneratedPackage, PackageMetadata } from "./generate.ts";
export type { ValidateResult } from "./analyze.ts";
export type { ArazzoTsConfig } from "./config/types.ts";
export type { GeneratedFile } from "./targets/openapi-fetch/package.ts";
export type { SourceMapEntry } from "./targets/typescript/source-map.ts";
export { formatDiagnostic, type Diagnostic, type Severity, type SourceLocation } from "./diagnostics.ts";

/** What `validate()` takes: the Arazzo documents, and source descriptions to read from local files. */
export type ValidateOptions = Parameters<typeof Analyze.validate>[0];

/**
 * Generates one typed TypeScript package per Arazzo document into `options.outDir`
 * (nothing is written when there are errors, or with `write: false`). Diagnostics are
 * returned, never thrown.
 */
export async function generate(options: Generate.GenerateOptions): Promise<Generate.GenerateResult> {
  return (await import("./generate.ts")).generate(options);
}

/** Runs the checks of `generate` on the documents and writes nothing. */
export async function validate(options: ValidateOptions): Promise<Analyze.ValidateResult> {
  return (await import("./analyze.ts")).validate(options);
}

/**
 * Files on disk that differ from what `generate` returned (changed, missing, or left over
 * under a package's `src/` and `dist/`): empty when the output is up to date. `generate --check`.
 */
export async function staleFiles(packages: Generate.GenerateResult["packages"]): ReturnType<typeof Generate.staleFiles> {
  return (await import("./generate.ts")).staleFiles(packages);
}
