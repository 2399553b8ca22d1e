/**
 * Type-checks a consumer file the way a strict user project would (strict, NodeNext,
 * exactOptionalPropertyTypes, noUncheckedIndexedAccess), against whatever its imports
 * resolve to on disk. Returns the diagnostics as `TS<code>: message`.
 */
import { writeFileSync } from "node:fs";
import { ModuleKind, ModuleResolutionKind, Project, ScriptTarget, ts } from "ts-morph";

/**
 * `options.node`: with Node's types, and `skipLibCheck` (a Restate service's project: the
 * Restate SDK's own declarations need both).
 */
export function typeCheckStrictConsumer(file: string, code: string, options: { readonly node?: boolean } = {}): string[] {
  writeFileSync(file, code);
  const project = new Project({
    compilerOptions: {
      target: ScriptTarget.ES2022,
      module: ModuleKind.NodeNext,
      moduleResolution: ModuleResolutionKind.NodeNext,
      lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      noEmit: true,
      ...(options.node ? { types: ["node"], skipLibCheck: true } : { types: [] }),
    },
    skipAddingFilesFromTsConfig: true,
  });
  project.addSourceFileAtPath(file);
  return project.getPreEmitDiagnostics().map((d) => `TS${d.getCode()}: ${ts.flattenDiagnosticMessageText(d.compilerObject.messageText, "\n")}`);
}
