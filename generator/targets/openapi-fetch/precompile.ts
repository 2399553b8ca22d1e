/**
 * Run by `npm run build` from `dist/`: the declarations of every runtime module as packages
 * ship it, into the table `declarations.ts` reads (`SHIPPED_DECLARATIONS`), so an installed
 * arazzo-ts does not make them again in each process. `test/unit/declarations.test.ts` holds
 * the table to the runtime modules of the committed packages.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { RUNTIME_MODULES, type RuntimeModule } from "../typescript/imports.ts";
import { SHIPPED_DECLARATIONS, isolatedDeclarations, shippedKey, type Declarations } from "../typescript/declarations.ts";
import { runtimeModuleFile } from "./package.ts";

/** The table: `shippedKey` of each runtime module → its declarations. */
export function runtimeDeclarationTable(): Record<string, Declarations> {
  const table: Record<string, Declarations> = {};
  for (const m of Object.keys(RUNTIME_MODULES) as RuntimeModule[]) {
    const module = runtimeModuleFile(m);
    // The output depends on the file's base name only (`declarations.ts`).
    const file = path.join(path.sep, "package", module.path);
    const declared = isolatedDeclarations(file, module.text);
    if (declared) table[shippedKey(file, module.text)] = declared;
  }
  return table;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(fileURLToPath(SHIPPED_DECLARATIONS), `${JSON.stringify(runtimeDeclarationTable())}\n`);
}
