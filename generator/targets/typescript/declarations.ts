/**
 * The `.d.ts` and declaration map of each generated module, the same whichever checker ran.
 * The two checkers (`compile.ts`) emit the same JavaScript but not the same declarations:
 * tsgo and TypeScript 5.9 order the properties of an inferred type differently, and map a few
 * positions differently, so switching checkers made `generate --check` report stale files.
 *
 * So declarations are not taken from the checker: each module's come from TypeScript's
 * isolated declaration emit (`ts.transpileDeclaration`, TypeScript 5.5+), which reads only the
 * module's own text, its exports' types as written. Every generated module declares the types
 * of its exports (`isolatedDeclarations`); one that did not (a bug in arazzo-ts) keeps the
 * checker's declarations rather than wrong ones.
 */
import path from "node:path";
import type { ts as Ts } from "ts-morph";
import { ts } from "./ts-morph.ts";
import { checkCompilerOptions } from "./compiler-options.ts";

let options: Ts.CompilerOptions | undefined;

/** A module's `.d.ts` and its declaration map. */
export interface Declarations {
  readonly dts: string;
  readonly map: string;
}

/**
 * Results by file name and text (the output depends only on the file's base name): the
 * runtime modules every package ships are the same text, declared once per process, and so is
 * a module that did not change between two generations of `--watch`. Large modules are not kept.
 */
const done = new Map<string, Declarations | undefined>();
const DONE_LIMIT = 256;

/**
 * The declarations of the module at `file` (absolute, `<dir>/src/x.ts`) with text `text`, as
 * if emitted beside it (`x.d.ts`, and `x.d.ts.map` naming `x.ts`); undefined when the module
 * does not declare the type of every export (the checker's are used).
 */
export function isolatedDeclarations(file: string, text: string): Declarations | undefined {
  const key = `${path.basename(file)}\0${text}`;
  if (done.has(key)) return done.get(key);
  options ??= ts.convertCompilerOptionsFromJson(checkCompilerOptions(), process.cwd()).options;
  const output = ts.transpileDeclaration(text, { fileName: file, compilerOptions: options, reportDiagnostics: true });
  const result = output.diagnostics?.length || output.sourceMapText === undefined ? undefined : { dts: output.outputText, map: output.sourceMapText };
  if (text.length < 64 * 1024) {
    if (done.size >= DONE_LIMIT) done.delete(done.keys().next().value!);
    done.set(key, result);
  }
  return result;
}
