/**
 * The checking half of the pipeline, shared by `generate` and `validate`: load the
 * document, validate it against the Arazzo JSON Schema, load its sources, bind it into a
 * model (which checks references, operations, expressions and criteria), and warn about
 * the OpenAPI `$ref`s the bound steps need that cannot be followed.
 *
 * `validate()` (`analyze.ts`) is `generate()` without writing; both call `analyzeDocument`.
 */
import type { DiagnosticBag } from "./diagnostics.ts";
import { loadDocument } from "./load/document.ts";
import { loadSources, type LoadedSources } from "./openapi/sources.ts";
import { buildDocumentModel } from "./ir/build.ts";
import { reportUnresolvedRefs } from "./ir/unresolved-refs.ts";
import type { DocumentModel } from "./ir/types.ts";
import { validateAgainstSchema } from "./validate/schema.ts";

/**
 * The model of one Arazzo document, or undefined when it has errors (reported to `diagnostics`).
 * `reads`, when given, receives every file the document was read from: itself, and the
 * OpenAPI and Arazzo source descriptions that loaded (watch mode watches them).
 */
export async function analyzeDocument(
  file: string,
  diagnostics: DiagnosticBag,
  sources?: Readonly<Record<string, string>>,
  reads?: Set<string>,
): Promise<DocumentModel | undefined> {
  reads?.add(file);
  const arazzo = await loadDocument(file, diagnostics);
  if (!arazzo) return undefined;
  // A document that breaks the schema is not bound: the binding would only report the same
  // problems again, less precisely.
  if (!validateAgainstSchema(arazzo, diagnostics)) return undefined;
  const before = errorCount(diagnostics);
  const loaded = await loadSources(arazzo, diagnostics, sources);
  if (reads) addSourceFiles(loaded, reads);
  const model = buildDocumentModel(arazzo, loaded, diagnostics);
  // Also when binding failed: a broken `$ref` is often why a step does not bind.
  reportUnresolvedRefs(model, diagnostics);
  return errorCount(diagnostics) > before ? undefined : model;
}

function addSourceFiles(sources: LoadedSources, reads: Set<string>): void {
  for (const s of sources.loaded) reads.add(s.document.file);
  for (const a of sources.arazzo) {
    reads.add(a.document.file);
    addSourceFiles(a.sources, reads);
  }
}

function errorCount(diagnostics: DiagnosticBag): number {
  return diagnostics.items.filter((d) => d.severity === "error").length;
}
