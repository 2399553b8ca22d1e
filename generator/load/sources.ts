/**
 * Resolves an Arazzo document's `sourceDescriptions` (Arazzo 1.0.1 §"Source Description
 * Object") relative to the document, loads each OpenAPI description and indexes its operations.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DiagnosticBag } from "../diagnostics.ts";
import { indexOperations, type OperationIndex } from "../openapi/operations.ts";
import type { ArazzoDocument } from "./arazzo-document.ts";
import { loadDocument, type LoadedDocument } from "./document.ts";

export interface LoadedSource {
  readonly name: string;
  readonly document: LoadedDocument;
  readonly operations: OperationIndex;
}

export async function loadSources(arazzo: LoadedDocument, diagnostics: DiagnosticBag): Promise<LoadedSource[]> {
  const raw = (arazzo.data ?? {}) as ArazzoDocument;
  const list = Array.isArray(raw.sourceDescriptions) ? raw.sourceDescriptions : [];
  const names = new Set<string>();
  const loaded = await Promise.all(
    list.map(async (source, i): Promise<LoadedSource | undefined> => {
      const at = ["sourceDescriptions", i];
      if (!source || typeof source.name !== "string" || typeof source.url !== "string") {
        diagnostics.error("missing-field", "source description needs `name` and `url`", arazzo.locate(at));
        return undefined;
      }
      if (names.has(source.name)) {
        diagnostics.error("duplicate-source", `source description \`${source.name}\` is declared twice`, arazzo.locate([...at, "name"]));
        return undefined;
      }
      names.add(source.name);
      if (source.type === "arazzo") {
        diagnostics.error("unsupported-source", `source \`${source.name}\` is an Arazzo document; arazzo sources are not supported yet`, arazzo.locate([...at, "type"]));
        return undefined;
      }
      const file = resolveSourceUrl(source.url, arazzo.file);
      if (!file) {
        diagnostics.error(
          "unsupported-url",
          `source \`${source.name}\`: only local files are read at build time, not ${JSON.stringify(source.url)}`,
          arazzo.locate([...at, "url"]),
          "download the description next to the Arazzo document and point `url` at it",
        );
        return undefined;
      }
      const document = await loadDocument(file, diagnostics, { location: arazzo.locate([...at, "url"]), as: source.url });
      if (!document) return undefined;
      const version = (document.data as { openapi?: unknown } | null)?.openapi;
      if (typeof version !== "string" || !/^3\./.test(version)) {
        diagnostics.error("not-openapi", `source \`${source.name}\` (${path.basename(file)}) is not an OpenAPI 3.x document`, document.locate([]));
        return undefined;
      }
      return { name: source.name, document, operations: indexOperations(document) };
    }),
  );
  return loaded.filter((s): s is LoadedSource => s !== undefined);
}

/** A relative path or `file:` URL, resolved against the Arazzo file; undefined for http(s) and other schemes. */
function resolveSourceUrl(url: string, from: string): string | undefined {
  if (url.startsWith("file:")) return fileURLToPath(url);
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return undefined;
  const relative = url.split("#")[0]!;
  try {
    return path.resolve(path.dirname(from), decodeURI(relative));
  } catch {
    return path.resolve(path.dirname(from), relative); // not percent-encoded after all
  }
}
