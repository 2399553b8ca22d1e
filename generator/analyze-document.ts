/**
 * The checking half of the pipeline, shared by `generate` and `validate`: load the
 * document, validate it against the Arazzo JSON Schema, load its sources, bind it into a
 * model (which checks references, operations, expressions and criteria), then cut each
 * OpenAPI document down to what the bound steps use, for the types, warning about the
 * `$ref`s they need that cannot be followed.
 *
 * `validate()` (`analyze.ts`) is `generate()` without writing; both call `analyzeDocument`.
 */
import { DiagnosticBag } from "./diagnostics.ts";
import { loadDocument, type DocumentCache } from "./load/document.ts";
import { loadSources, type LoadedSources } from "./openapi/sources.ts";
import { buildDocumentModel } from "./ir/build.ts";
import { apiTypeInputs } from "./ir/api-types.ts";
import { clientOperations } from "./ir/client-operations.ts";
import type { PackageModel } from "./ir/types.ts";
import { readableDocument, validateAgainstSchema } from "./validate/schema.ts";

export interface AnalyzeOptions {
  /** Source description name → local file to read instead of its `url`. */
  readonly sources?: Readonly<Record<string, string>>;
  /** Receives every file the document was read from: itself, and the OpenAPI and Arazzo source descriptions that loaded (watch mode watches them). */
  readonly reads?: Set<string>;
  /** Type every operation of each OpenAPI document, not only those the workflows call. */
  readonly allOperations?: boolean;
  /** Documents read before in the same run, shared by the documents of one `generate` or `validate` (`load/document.ts`). */
  readonly documents?: DocumentCache;
}

/** The model of one Arazzo document, or undefined when it has errors (reported to `diagnostics`). */
export async function analyzeDocument(file: string, diagnostics: DiagnosticBag, options: AnalyzeOptions = {}): Promise<PackageModel | undefined> {
  const { sources, reads } = options;
  reads?.add(file);
  const loadedArazzo = await loadDocument(file, diagnostics, undefined, options.documents);
  if (!loadedArazzo) return undefined;
  // A document that breaks the schema is not bound: the binding would only report the same
  // problems again, less precisely.
  if (!validateAgainstSchema(loadedArazzo, diagnostics)) return undefined;
  const arazzo = readableDocument(loadedArazzo, diagnostics);
  if (!arazzo) return undefined;
  const before = errorCount(diagnostics);
  const loaded = await loadSources(arazzo, diagnostics, sources, undefined, options.documents);
  if (reads) addSourceFiles(loaded, reads);
  const document = buildDocumentModel(arazzo, loaded, diagnostics);
  // Also when binding failed: a broken `$ref` is often why a step does not bind.
  const apiTypes = apiTypeInputs(document, loaded, diagnostics, { allOperations: options.allOperations });
  if (errorCount(diagnostics) > before) return undefined;
  // With `allOperations`, warnings about the security of operations no step calls are not news.
  const quiet = options.allOperations ? new DiagnosticBag() : diagnostics;
  return { document, apiTypes, clientOperations: clientOperations(document, loaded, quiet, { allOperations: options.allOperations }) };
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
