/**
 * The source descriptions of an Arazzo document, ready for binding (Arazzo 1.0.1
 * §"Source Description Object"): each OpenAPI description with its operations indexed, and
 * each Arazzo description that fits the Arazzo schema with its own sources, recursively.
 * `load/sources.ts` reads the files; this stage decides what they are good for.
 */
import type { DiagnosticBag } from "../diagnostics.ts";
import type { DocumentCache, LoadedDocument } from "../load/document.ts";
import { readSources } from "../load/sources.ts";
import { readableDocument, validateAgainstSchema } from "../validate/schema.ts";
import { indexAsyncApi, type AsyncApiIndex } from "./asyncapi.ts";
import { indexOperations, type OperationIndex } from "./operations.ts";

export interface LoadedSource {
  readonly name: string;
  readonly document: LoadedDocument;
  readonly operations: OperationIndex;
}

/** An AsyncAPI description (`type: asyncapi`, Arazzo 1.1) with its operations and channels indexed. */
export interface LoadedAsyncSource {
  readonly name: string;
  readonly document: LoadedDocument;
  readonly index: AsyncApiIndex;
}

/** An Arazzo document named as a source (`type: arazzo`), loaded with its own sources. */
export interface LoadedArazzoSource {
  readonly name: string;
  readonly document: LoadedDocument;
  readonly sources: LoadedSources;
}

export interface LoadedSources {
  readonly loaded: LoadedSource[];
  readonly async: LoadedAsyncSource[];
  readonly arazzo: LoadedArazzoSource[];
  /** Sources that are declared but could not be loaded (already reported): later stages stay quiet about them. */
  readonly unavailable: ReadonlySet<string>;
}

/**
 * Reads the sources of `arazzo` (`overrides`: source name → local file, see `readSources`),
 * indexes the operations of the OpenAPI ones, and validates each Arazzo one against the
 * Arazzo schema before reading its sources in turn (one that does not fit is not followed,
 * and counts as unavailable).
 */
export async function loadSources(
  arazzo: LoadedDocument,
  diagnostics: DiagnosticBag,
  overrides: Readonly<Record<string, string>> = {},
  /** Arazzo files being loaded above this one, to stop a document that names itself. */
  loading: readonly string[] = [arazzo.file],
  /** Documents read before in this run (`load/document.ts`). */
  cache?: DocumentCache,
): Promise<LoadedSources> {
  const read = await readSources(arazzo, diagnostics, overrides, loading, cache);
  // Broken `$ref`s are not an error here: most real documents have some in parts no
  // workflow uses. Those in used parts are reported by `ir/unresolved-refs.ts`.
  const loaded = read.openapi.map((s): LoadedSource => ({ name: s.name, document: s.document, operations: indexOperations(s.document) }));
  const valid = read.arazzo.flatMap((s) => {
    const document = validateAgainstSchema(s.document, diagnostics) ? readableDocument(s.document, diagnostics) : undefined;
    return document ? [{ ...s, document }] : [];
  });
  const arazzoSources = await Promise.all(
    valid.map(
      async (s): Promise<LoadedArazzoSource> => ({
        name: s.name,
        document: s.document,
        sources: await loadSources(s.document, diagnostics, {}, [...loading, s.file], cache),
      }),
    ),
  );
  const asyncSources = read.asyncapi.map((s): LoadedAsyncSource => ({ name: s.name, document: s.document, index: indexAsyncApi(s.document) }));
  const followed = new Set([...loaded, ...arazzoSources, ...asyncSources].map((s) => s.name));
  const unavailable = new Set(read.declared.filter((n) => !followed.has(n)));
  return { loaded, async: asyncSources, arazzo: arazzoSources, unavailable };
}
