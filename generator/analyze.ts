/**
 * `validate()` is `generate()` without writing: the same checks, type-check included.
 * With `types: false` it stops after `analyzeDocument` (`analyze-document.ts`), before
 * emitting and type-checking code (the quick form).
 */
import path from "node:path";
import { analyzeDocument } from "./analyze-document.ts";
import type { DocumentCache } from "./load/document.ts";
import { DiagnosticBag, applyWarningLevels, sortDiagnostics, type Diagnostic } from "./diagnostics.ts";
import type { GenerateOptions } from "./generate.ts";
import { withOpenapiTypescriptThread } from "./targets/typescript/openapi-typescript-thread.ts";

export interface ValidateOptions extends Omit<GenerateOptions, "outDir" | "write"> {
  /**
   * Emit and type-check the generated code, as `generate` does (default). With `false`,
   * stop after the document checks (schema, references, operations, expressions): faster,
   * but a value of the wrong type for an API field is not found.
   */
  readonly types?: boolean;
  /** Where `generate` would write (nothing is written here); default: the working directory. */
  readonly outDir?: string;
}

export interface ValidateResult {
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

/** `arazzo-ts validate`: every check `generate` makes, type-check included (unless `types: false`); writes nothing. */
export async function validate(options: ValidateOptions): Promise<ValidateResult> {
  if (options.types !== false) {
    // Loaded here, not at the top: `types: false` needs neither the emitter nor the compiler.
    // openapi-typescript's thread is started first, to load meanwhile.
    return withOpenapiTypescriptThread(async () => {
      const { generate } = await import("./generate.ts");
      const { types: _, ...rest } = options;
      const result = await generate({ ...rest, outDir: path.resolve(options.outDir ?? "."), write: false });
      return { ok: result.ok, diagnostics: result.diagnostics };
    });
  }
  const diagnostics = new DiagnosticBag();
  const documents: DocumentCache = new Map();
  for (const file of options.inputs) await analyzeDocument(path.resolve(file), diagnostics, { sources: options.sources, documents });
  const list = applyWarningLevels(sortDiagnostics(diagnostics.items), options.warnings);
  return { ok: !list.some((d) => d.severity === "error"), diagnostics: list };
}
