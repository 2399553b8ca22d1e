/**
 * What each OpenAPI source's generated client must know of the operations it may send
 * (`PackageModel.clientOperations`): their security requirements and their own servers.
 * Those the steps call, or every operation of the description with `allOperations` (a full
 * client, whose other operations get credentials and servers alike).
 */
import type { DiagnosticBag } from "../diagnostics.ts";
import type { LoadedSources } from "../openapi/sources.ts";
import type { LoadedSource } from "../openapi/sources.ts";
import { operationUses } from "./operation-uses.ts";
import { operationSecurity } from "./security.ts";
import { serverModels } from "./servers.ts";
import type { ClientOperationModel, DocumentModel } from "./types.ts";

export function clientOperations(
  doc: DocumentModel,
  loaded: LoadedSources,
  diagnostics: DiagnosticBag,
  options: { readonly allOperations?: boolean } = {},
): Map<string, ClientOperationModel[]> {
  const byFile = new Map<string, LoadedSource>();
  const collect = (sources: LoadedSources): void => {
    for (const s of sources.loaded) byFile.set(s.document.file, s);
    for (const a of sources.arazzo) collect(a.sources);
  };
  collect(loaded);
  const out = new Map<string, ClientOperationModel[]>();
  for (const { source, uses } of operationUses(doc)) {
    const description = source.kind === "asyncapi" ? undefined : byFile.get(source.file);
    if (!description) continue;
    const index = description.operations;
    const operations = options.allOperations
      ? [...index.byPathAndMethod.values()]
      : uses.flatMap((u) => index.byPathAndMethod.get(`${u.method} ${u.path}`) ?? []);
    out.set(
      source.moduleName,
      operations.map((op) => ({
        method: op.method,
        path: op.path,
        security: operationSecurity(op, index.securitySchemes, description.document, diagnostics),
        ...(op.servers ? { servers: serverModels(op.servers) } : {}),
      })),
    );
  }
  return out;
}
