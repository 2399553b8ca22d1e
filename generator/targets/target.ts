/**
 * The target interface. A target turns the IR of one Arazzo document (`PackageModel`,
 * `ir/types.ts`) into the files of one package, and owns naming and layout in its output.
 * Adding a target touches neither loading, validation nor the IR builders: it is a new
 * folder under `targets/` and a row in `targets/index.ts`.
 *
 * What a target returns is source: for TypeScript targets, `targets/typescript/compile.ts`
 * then type-checks it (a type error is reported at the Arazzo location its source map
 * names) and adds `dist/`.
 */
import type { DiagnosticBag } from "../diagnostics.ts";
import type { PackageModel } from "../ir/types.ts";
import type { SourceMapEntry } from "./typescript/source-map.ts";

/** One generated file: `path` is relative to the package directory, with `/` separators. */
export interface GeneratedFile {
  readonly path: string;
  readonly text: string;
  /** For workflow modules: where their code came from in the Arazzo document. */
  readonly sourceMap?: readonly SourceMapEntry[];
  /**
   * For a module whose exports do not depend on most of its text (Ajv's validators): the same
   * text with that part blanked out (same length and lines, so the same positions), which its
   * declarations are made from (`declarations.ts`), many times quicker.
   */
  readonly declarationsFrom?: string;
}

/** What a user sets about a generated package (config `documents[].package`). */
export interface PackageMetadata {
  /** npm name, scope allowed: `@acme/payments-workflows`. */
  readonly name?: string;
  readonly version?: string;
  /** SPDX expression; a LICENSE file is written when set. */
  readonly license?: string;
  readonly repository?: string | { readonly type: string; readonly url: string; readonly directory?: string };
  readonly author?: string;
  readonly description?: string;
  /**
   * Who may install the package once published (`publishConfig.access`): `public`, or
   * `restricted` (a scoped package the scope's members only). Default: `public` for a scoped
   * name, which npm would otherwise publish as restricted (or refuse without a paid account);
   * nothing for an unscoped one, which is always public.
   */
  readonly access?: "public" | "restricted";
}

export interface TargetContext {
  /** Absolute directory the package will be written to. */
  readonly packageDir: string;
  readonly diagnostics: DiagnosticBag;
  readonly metadata?: PackageMetadata;
  /** The folder spec paths in generated headers are written relative to. */
  readonly projectRoot?: string;
}

export interface Target {
  /** How users choose it: `--target <name>`, config `target`. */
  readonly name: string;
  readonly description: string;
  /** The package's files, `dist/` excepted. Problems go to `context.diagnostics`. */
  emit(pkg: PackageModel, context: TargetContext): Promise<GeneratedFile[]>;
}
