/**
 * Reads an Arazzo document's `sourceDescriptions` (Arazzo 1.0.1 §"Source Description
 * Object"): resolves each `url` relative to the document (or takes the `--source` override),
 * reads the file and tells an Arazzo description from an OpenAPI 3.x one. Reading only: the
 * OpenAPI stage indexes the operations and validates and follows the Arazzo sources
 * (`openapi/sources.ts`).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DiagnosticBag } from "../diagnostics.ts";
import type { ArazzoDocument } from "./arazzo-document.ts";
import { loadDocument, type DocumentCache, type LoadedDocument } from "./document.ts";

/** A source description that was read, by its name. */
export interface SourceDocument {
  readonly name: string;
  readonly document: LoadedDocument;
  /** The file it was read from (absolute). */
  readonly file: string;
}

export interface SourceDocuments {
  /** OpenAPI 3.x descriptions, in document order. */
  readonly openapi: readonly SourceDocument[];
  /** Arazzo descriptions (`type: arazzo`, or an `arazzo` field), in document order; not validated, their own sources not read. */
  readonly arazzo: readonly SourceDocument[];
  /** AsyncAPI 3.x descriptions (`type: asyncapi`, or an `asyncapi` field; Arazzo 1.1), in document order. */
  readonly asyncapi: readonly SourceDocument[];
  /** Every declared source name (whether it could be read or not), in document order. */
  readonly declared: readonly string[];
}

/**
 * `overrides` maps a source name to a local file used instead of its `url` (absolute, or
 * relative to the working directory): for remote descriptions, or a vendored copy.
 */
export async function readSources(
  arazzo: LoadedDocument,
  diagnostics: DiagnosticBag,
  overrides: Readonly<Record<string, string>> = {},
  /** Arazzo files being loaded above this one, to stop a document that names itself. */
  loading: readonly string[] = [arazzo.file],
  cache?: DocumentCache,
): Promise<SourceDocuments> {
  const raw = (arazzo.data ?? {}) as ArazzoDocument;
  const list = Array.isArray(raw.sourceDescriptions) ? raw.sourceDescriptions : [];
  const names = new Set<string>();
  const read = await Promise.all(
    list.map(async (source, i): Promise<(SourceDocument & { readonly kind: "openapi" | "arazzo" | "asyncapi" }) | undefined> => {
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
      const override = Object.hasOwn(overrides, source.name) ? path.resolve(overrides[source.name]!) : undefined;
      const file = override ?? resolveSourceUrl(source.url, arazzo.file);
      if (!file) {
        diagnostics.error(
          "unsupported-url",
          `source \`${source.name}\`: only local files are read at build time, not ${JSON.stringify(source.url)}`,
          arazzo.locate([...at, "url"]),
          remoteHint(source.name, source.url, arazzo.file),
        );
        return undefined;
      }
      const document = await loadDocument(
        file,
        diagnostics,
        {
          location: arazzo.locate([...at, "url"]),
          as: override ? `--source ${source.name}=${overrides[source.name]}` : source.url,
        },
        cache,
      );
      if (!document) return undefined;
      if (source.type === "arazzo" || (source.type === undefined && typeof (document.data as { arazzo?: unknown } | null)?.arazzo === "string")) {
        if (loading.includes(file)) {
          diagnostics.error(
            "recursive-source",
            `source \`${source.name}\` names an Arazzo document that names this one: ${[...loading, file].map((f) => path.basename(f)).join(" → ")}`,
            arazzo.locate([...at, "url"]),
          );
          return undefined;
        }
        return { kind: "arazzo", name: source.name, document, file };
      }
      const asyncVersion = (document.data as { asyncapi?: unknown } | null)?.asyncapi;
      // AsyncAPI sources are Arazzo 1.1's: in a 1.0 document such a file is not an OpenAPI one.
      const reads11 = typeof raw.arazzo === "string" && /^1\.1\./.test(raw.arazzo);
      if (reads11 && (source.type === "asyncapi" || (source.type === undefined && typeof asyncVersion === "string"))) {
        if (typeof asyncVersion !== "string" || !/^3\./.test(asyncVersion)) {
          diagnostics.error("not-asyncapi", `source \`${source.name}\` (${path.basename(file)}) is not an AsyncAPI 3.x document`, document.locate([]));
          return undefined;
        }
        return { kind: "asyncapi", name: source.name, document, file };
      }
      const version = (document.data as { openapi?: unknown } | null)?.openapi;
      if (typeof version !== "string" || !/^3\./.test(version)) {
        diagnostics.error("not-openapi", `source \`${source.name}\` (${path.basename(file)}) is not an OpenAPI 3.x document`, document.locate([]));
        return undefined;
      }
      return { kind: "openapi", name: source.name, document, file };
    }),
  );
  for (const name of Object.keys(overrides)) {
    if (!list.some((s) => s?.name === name)) {
      diagnostics.warning(
        "unknown-source-override",
        `--source ${name}=…: ${path.basename(arazzo.file)} has no source description \`${name}\``,
        arazzo.locate(["sourceDescriptions"], "key"),
      );
    }
  }
  const ofKind = (kind: "openapi" | "arazzo" | "asyncapi") =>
    read.filter((s) => s?.kind === kind).map((s): SourceDocument => ({ name: s!.name, document: s!.document, file: s!.file }));
  return {
    openapi: ofKind("openapi"),
    arazzo: ofKind("arazzo"),
    asyncapi: ofKind("asyncapi"),
    declared: list.map((s) => s?.name).filter((n): n is string => typeof n === "string"),
  };
}

/** How to read a remote description locally; names the copy when one with its file name sits next to the document. */
function remoteHint(name: string, url: string, arazzoFile: string): string {
  let base = "";
  try {
    base = path.posix.basename(decodeURIComponent(new URL(url).pathname));
  } catch {
    // not a URL we can take apart
  }
  const beside = base ? path.join(path.dirname(arazzoFile), base) : "";
  if (beside && existsSync(beside)) {
    return `a \`${base}\` is next to the document: to read it, set \`url: ./${base}\` (or pass --source ${name}=<its path>)`;
  }
  return `download it and pass --source ${name}=<file>, or point \`url\` at a local copy`;
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
