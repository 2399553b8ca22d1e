/**
 * The `paths`/`components`/`operations` types of one OpenAPI document, produced by
 * openapi-typescript from the document already loaded (no second read of the file;
 * `cwd` lets it resolve relative external `$ref`s).
 */
import { pathToFileURL } from "node:url";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import type { DiagnosticBag } from "../diagnostics.ts";
import type { SourceModel } from "../model/types.ts";

/** The types, or a diagnostic when openapi-typescript cannot read the document (an external `$ref` that does not resolve, say). */
export async function pathsTypes(source: SourceModel, diagnostics: DiagnosticBag): Promise<string | undefined> {
  try {
    const nodes = await openapiTS(structuredClone(source.document.data) as OpenAPI3, {
      cwd: pathToFileURL(source.document.file),
      silent: true,
    });
    return astToString(nodes);
  } catch (error) {
    diagnostics.error("openapi-types", `openapi-typescript cannot read this description: ${firstLine(error)}`, source.document.locate([]));
    return undefined;
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0]!.trim();
}
