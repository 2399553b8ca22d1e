/**
 * The shape of `arazzo-ts.config.{ts,mjs,json}`, as TypeScript types (for `.ts` configs:
 * `export default { … } satisfies ArazzoTsConfig`). `arazzo-ts.config.schema.json` beside
 * this file is the same shape as a JSON Schema, and is what a config is validated with.
 */
import type { WarningLevel } from "../diagnostics.ts";
import type { PackageMetadata } from "../generate.ts";

export interface ArazzoTsConfig {
  /** The JSON Schema of the file, for editors (ignored). */
  readonly $schema?: string;
  /** Arazzo files or globs, relative to the config file; or objects that also set the package's npm metadata. */
  readonly documents?: readonly (string | ArazzoTsDocumentConfig)[];
  /** Output directory, relative to the config file (like `--out`). */
  readonly out?: string;
  /** Source description name → local file, relative to the config file (like `--source`). */
  readonly sources?: Readonly<Record<string, string>>;
  /** Type every operation of each OpenAPI document (like `--all-operations`). */
  readonly allOperations?: boolean;
  /** Per warning code: `off`, `warn` (default) or `error`. */
  readonly warnings?: Readonly<Record<string, WarningLevel>>;
  /** What type-checks the generated code (like `--checker`): `native` (tsgo, the default when installed) or `typescript` (in-process). */
  readonly checker?: "native" | "typescript";
  /**
   * What to generate (like `--target`): `openapi-fetch` (the default), a package of typed
   * `run<Workflow>` functions over openapi-fetch clients, or `restate`, the same package plus a
   * Restate workflow service per workflow and typed ingress clients (durable execution).
   */
  readonly target?: "openapi-fetch" | "restate";
  /**
   * Where type-check results are kept by content hash (a folder, relative to the config
   * file), or `false` to check every run (like `--no-cache`). Default:
   * `node_modules/.cache/arazzo-ts` beside the config, when there is a `node_modules`.
   */
  readonly cache?: boolean | string;
}

export interface ArazzoTsDocumentConfig {
  /** The Arazzo file, or a glob, relative to the config file. */
  readonly path: string;
  /** npm metadata of the generated package. */
  readonly package?: PackageMetadata;
}
