/**
 * The checking half of the pipeline, shared by `generate` and `validate`: load the
 * document, validate it against the Arazzo JSON Schema, load its sources, bind it into a
 * model (which checks references, operations, expressions and criteria), and warn about
 * the OpenAPI `$ref`s the bound steps need that cannot be followed.
 */
import { DiagnosticBag, sortDiagnostics, type Diagnostic } from "./diagnostics.ts";
import { loadDocument } from "./load/document.ts";
import { loadSources } from "./load/sources.ts";
import { buildDocumentModel } from "./model/build.ts";
import { reportUnresolvedRefs } from "./model/unresolved-refs.ts";
import type { DocumentModel } from "./model/types.ts";
import { validateAgainstSchema } from "./validate/schema.ts";

/** The model of one Arazzo document, or undefined when it has errors (reported to `diagnostics`). */
export async function analyzeDocument(file: string, diagnostics: DiagnosticBag, sources?: Readonly<Record<string, string>>): Promise<DocumentModel | undefined> {
  const arazzo = await loadDocument(file, diagnostics);
  if (!arazzo) return undefined;
  // A document that breaks the schema is not bound: the binding would only report the same
  // problems again, less precisely.
  if (!validateAgainstSchema(arazzo, diagnostics)) return undefined;
  const before = errorCount(diagnostics);
  const loaded = await loadSources(arazzo, diagnostics, sources);
  const model = buildDocumentModel(arazzo, loaded, diagnostics);
  // Also when binding failed: a broken `$ref` is often why a step does not bind.
  reportUnresolvedRefs(model, diagnostics);
  return errorCount(diagnostics) > before ? undefined : model;
}

export interface ValidateResult {
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

/** `arazzo-ts validate`: every check short of emitting and type-checking code. */
export async function validate(options: { readonly inputs: readonly string[]; readonly sources?: Readonly<Record<string, string>> }): Promise<ValidateResult> {
  const diagnostics = new DiagnosticBag();
  for (const file of options.inputs) await analyzeDocument(file, diagnostics, options.sources);
  return { ok: !diagnostics.hasErrors, diagnostics: sortDiagnostics(diagnostics.items) };
}

function errorCount(diagnostics: DiagnosticBag): number {
  return diagnostics.items.filter((d) => d.severity === "error").length;
}
