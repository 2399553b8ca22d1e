/**
 * The `paths`/`components`/`operations` types of one OpenAPI document, produced by
 * openapi-typescript from the document already loaded (no second read of the file;
 * `cwd` lets it resolve relative external `$ref`s).
 */
import { pathToFileURL } from "node:url";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import type { SourceModel } from "../model/types.ts";

export async function pathsTypes(source: SourceModel): Promise<string> {
  const nodes = await openapiTS(structuredClone(source.document.data) as OpenAPI3, {
    cwd: pathToFileURL(source.document.file),
    silent: true,
  });
  return astToString(nodes);
}
