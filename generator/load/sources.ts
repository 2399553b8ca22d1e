/**
 * Resolves an Arazzo document's `sourceDescriptions` (Arazzo 1.0.1 §"Source Description
 * Object") relative to the document, loads each OpenAPI description and indexes its operations.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DiagnosticBag } from "../diagnostics.ts";
import { indexOperations, type OperationIndex } from "../openapi/operations.ts";
import type { ArazzoDocument } from "./arazzo-document.ts";
import { validateAgainstSchema } from "../validate/schema.ts";
import { loadDocument, type LoadedDocument } from "./document.ts";

export interface LoadedSource {
  readonly name: string;
  readonly document: LoadedDocument;
  readonly operations: OperationIndex;
}

/** An Arazzo document named as a source (`type: arazzo`), loaded with its own sources. */
export interface LoadedArazzoSource {
  readonly name: string;
  readonly document: LoadedDocument;
  readonly sources: LoadedSources;
}

export interface LoadedSources {
  readonly loaded: LoadedSource[];
  readonly arazzo: LoadedArazzoSource[];
  /** Sources that are declared but could not be loaded (already reported): later stages stay quiet about them. */
  readonly unavailable: ReadonlySet<string>;
}

/**
 * `overrides` maps a source name to a local file used instead of its `url` (absolute, or
 * relative to the working directory): for remote descriptions, or a vendored copy.
 */
export async function loadSources(
  arazzo: LoadedDocument,
  diagnostics: DiagnosticBag,
  overrides: Readonly<Record<string, string>> = {},
  /** Arazzo files being loaded above this one, to stop a document that names itself. */
  loading: readonly string[] = [arazzo.file],
): Promise<LoadedSources> {
  const raw = (arazzo.data ?? {}) as ArazzoDocument;
  const list = Array.isArray(raw.sourceDescriptions) ? raw.sourceDescriptions : [];
  const names = new Set<string>();
  const arazzoSources: LoadedArazzoSource[] = [];
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
      const document = await loadDocument(file, diagnostics, { location: arazzo.locate([...at, "url"]), as: override ? `--source ${source.name}=${overrides[source.name]}` : source.url });
      if (!document) return undefined;
      if (source.type === "arazzo" || (source.type === undefined && typeof (document.data as { arazzo?: unknown } | null)?.arazzo === "string")) {
        if (loading.includes(file)) {
          diagnostics.error("recursive-source", `source \`${source.name}\` names an Arazzo document that names this one: ${[...loading, file].map((f) => path.basename(f)).join(" → ")}`, arazzo.locate([...at, "url"]));
          return undefined;
        }
        if (validateAgainstSchema(document, diagnostics)) {
          arazzoSources.push({ name: source.name, document, sources: await loadSources(document, diagnostics, {}, [...loading, file]) });
        }
        return undefined;
      }
      const version = (document.data as { openapi?: unknown } | null)?.openapi;
      if (typeof version !== "string" || !/^3\./.test(version)) {
        diagnostics.error("not-openapi", `source \`${source.name}\` (${path.basename(file)}) is not an OpenAPI 3.x document`, document.locate([]));
        return undefined;
      }
      // Broken `$ref`s are not an error here: most real documents have some in parts no
      // workflow uses. Those in used parts are reported by `model/unresolved-refs.ts`.
      return { name: source.name, document, operations: indexOperations(document) };
    }),
  );
  const available = loaded.filter((s): s is LoadedSource => s !== undefined);
  const unavailable = new Set(
    list.map((s) => s?.name).filter((n): n is string => typeof n === "string" && !available.some((a) => a.name === n) && !arazzoSources.some((a) => a.name === n)),
  );
  for (const name of Object.keys(overrides)) {
    if (!list.some((s) => s?.name === name)) {
      diagnostics.warning("unknown-source-override", `--source ${name}=…: ${path.basename(arazzo.file)} has no source description \`${name}\``, arazzo.locate(["sourceDescriptions"], "key"));
    }
  }
  // Document order, whatever order the loads finished in.
  arazzoSources.sort((a, b) => list.findIndex((s) => s?.name === a.name) - list.findIndex((s) => s?.name === b.name));
  return { loaded: available, arazzo: arazzoSources, unavailable };
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
