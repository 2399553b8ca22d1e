/**
 * Type-checks a consumer file the way a strict user project would (strict, NodeNext,
 * exactOptionalPropertyTypes, noUncheckedIndexedAccess), against whatever its imports
 * resolve to on disk. Returns the diagnostics as `TS<code>: message`.
 */
import { writeFileSync } from "node:fs";
import { ModuleKind, ModuleResolutionKind, Project, ScriptTarget, ts } from "ts-morph";

export function typeCheckStrictConsumer(file: string, code: string): string[] {
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
      types: [],
    },
    skipAddingFilesFromTsConfig: true,
  });
  project.addSourceFileAtPath(file);
  return project.getPreEmitDiagnostics().map((d) => `TS${d.getCode()}: ${ts.flattenDiagnosticMessageText(d.compilerObject.messageText, "\n")}`);
}
