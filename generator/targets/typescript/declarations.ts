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
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { ts as Ts } from "ts-morph";
import { ts } from "./ts-morph.ts";
import { checkCompilerOptions } from "./compiler-options.ts";

let options: Ts.CompilerOptions | undefined;
const compilerOptions = (): Ts.CompilerOptions => (options ??= ts.convertCompilerOptionsFromJson(checkCompilerOptions(), process.cwd()).options);

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
 * The declarations of the runtime modules every package ships, made by `npm run build`
 * (`targets/openapi-fetch/precompile.ts`) into the installed package: a first generation does
 * not make them again (about a third of the declaration time of a small package). Keyed by
 * base name and a hash of the whole text, so a module whose text differs is declared as usual.
 */
export const SHIPPED_DECLARATIONS = new URL("./runtime-declarations.json", import.meta.url);
let shipped: Map<string, Declarations> | undefined;

export const shippedKey = (file: string, text: string): string => `${path.basename(file)}\0${createHash("sha256").update(text).digest("hex")}`;

function known(key: string, file: string, text: string): { readonly declarations: Declarations | undefined } | undefined {
  if (done.has(key)) return { declarations: done.get(key) };
  if (!shipped) {
    const table = existsSync(SHIPPED_DECLARATIONS) ? (JSON.parse(readFileSync(SHIPPED_DECLARATIONS, "utf8")) as Record<string, Declarations>) : {};
    shipped = new Map(Object.entries(table));
  }
  const found = shipped.get(shippedKey(file, text));
  return found && { declarations: found };
}

/**
 * The declarations of the module at `file` (absolute, `<dir>/src/x.ts`) with text `text`, as
 * if emitted beside it (`x.d.ts`, and `x.d.ts.map` naming `x.ts`); undefined when the module
 * does not declare the type of every export (the checker's are used).
 */
export function isolatedDeclarations(file: string, text: string): Declarations | undefined {
  const key = `${path.basename(file)}\0${text}`;
  const hit = known(key, file, text);
  if (hit) return hit.declarations;
  const output = ts.transpileDeclaration(text, { fileName: file, compilerOptions: compilerOptions(), reportDiagnostics: true });
  const result = output.diagnostics?.length || output.sourceMapText === undefined ? undefined : { dts: output.outputText, map: output.sourceMapText };
  remember(key, text, result);
  return result;
}

/** Forgets what this process declared (for tests that compare two ways of making the same declarations). */
export function forgetDeclarations(): void {
  done.clear();
}

function remember(key: string, text: string, result: Declarations | undefined): void {
  if (text.length >= 64 * 1024) return;
  if (done.size >= DONE_LIMIT) done.delete(done.keys().next().value!);
  done.set(key, result);
}

/**
 * `isolatedDeclarations` of many modules at once, by file: the same output, from one program
 * instead of one per module. `ts.transpileDeclaration` builds a program and a type checker
 * for each module it is given (about 2 ms each before any work: a fifth of the time for
 * the 1,008 modules of a 1,000-workflow package); this builds one, with the options and
 * compiler host `transpileDeclaration` uses (TypeScript 5.9's `transpileWorker`), so each
 * module is still read on its own: no import is resolved (`noResolve`, and no file exists to
 * the host), nothing is checked (`noCheck`). `test/unit/declarations.test.ts` holds the two
 * to the same output on real packages.
 */
export function isolatedDeclarationsOfAll(modules: readonly { readonly file: string; readonly text: string }[]): Map<string, Declarations | undefined> {
  const results = new Map<string, Declarations | undefined>();
  const todo: { file: string; text: string; key: string }[] = [];
  for (const { file, text } of modules) {
    const key = `${path.basename(file)}\0${text}`;
    const hit = known(key, file, text);
    if (hit) results.set(file, hit.declarations);
    else todo.push({ file, text, key });
  }
  if (todo.length === 1) results.set(todo[0]!.file, isolatedDeclarations(todo[0]!.file, todo[0]!.text));
  if (todo.length <= 1) return results;
  // In programs of a bounded size: one program holds every module's syntax tree until it is done.
  for (let start = 0; start < todo.length; ) {
    let end = start;
    for (let size = 0; end < todo.length && (end === start || size + todo[end]!.text.length <= PROGRAM_CHARS); end++) size += todo[end]!.text.length;
    const chunk = todo.slice(start, end);
    const declared = declareInOneProgram(chunk);
    for (const { file, key, text } of chunk) {
      results.set(file, declared.get(file));
      remember(key, text, declared.get(file));
    }
    start = end;
  }
  return results;
}

/** Characters of source per program: the syntax trees of about 2 MB of modules at a time. */
const PROGRAM_CHARS = 2 * 2 ** 20;

/** TypeScript internals `transpileWorker` uses, there at run time in the TypeScript ts-morph pins (not in its typings). */
interface TranspileInternals {
  readonly transpileOptionValueCompilerOptions: readonly { readonly name: string; readonly transpileOptionValue: unknown }[];
  getEmitScriptTarget(options: Ts.CompilerOptions): Ts.ScriptTarget;
  getSetExternalModuleIndicator(options: Ts.CompilerOptions): (file: Ts.SourceFile) => void;
  toPath(fileName: string, basePath: string, getCanonicalFileName: (f: string) => string): Ts.Path;
  getNewLineCharacter(options: Ts.CompilerOptions): string;
  normalizePath(path: string): string;
}

/** `Program.emit` with its internal sixth parameter, `forceDtsEmit`. */
type EmitWithForce = (
  target: undefined,
  write: undefined,
  cancel: undefined,
  onlyDts: boolean,
  transformers: undefined,
  forceDtsEmit: boolean,
) => Ts.EmitResult;

/** `transpileWorker`'s lib for declarations: the global types declaration emit may name, nothing else. */
const BAREBONES_LIB_NAME = "lib.d.ts";
const BAREBONES_LIB = `/// <reference no-default-lib="true"/>
interface Boolean {}
interface Function {}
interface CallableFunction {}
interface NewableFunction {}
interface IArguments {}
interface Number {}
interface Object {}
interface RegExp {}
interface String {}
interface Array<T> { length: number; [n: number]: T; }
interface SymbolConstructor {
    (desc?: string | number): symbol;
    for(name: string): symbol;
    readonly toStringTag: symbol;
}
declare var Symbol: SymbolConstructor;
interface Symbol {
    readonly [Symbol.toStringTag]: string;
}`;

function declareInOneProgram(modules: readonly { readonly file: string; readonly text: string }[]): Map<string, Declarations | undefined> {
  const internals = ts as unknown as TranspileInternals;
  const settings: Ts.CompilerOptions = { ...compilerOptions() };
  const defaults = ts.getDefaultCompilerOptions();
  for (const key of Object.keys(defaults)) if (settings[key] === undefined) settings[key] = defaults[key];
  // (transpileWorker skips some of these under `verbatimModuleSyntax`, which the generated code does not set.)
  for (const option of internals.transpileOptionValueCompilerOptions) settings[option.name] = option.transpileOptionValue as Ts.CompilerOptionsValue;
  Object.assign(settings, {
    suppressOutputPathCheck: true,
    allowNonTsExtensions: true,
    declaration: true,
    emitDeclarationOnly: true,
    isolatedDeclarations: true,
  });
  const newLine = internals.getNewLineCharacter(settings);
  const sources = new Map<string, Ts.SourceFile>();
  const outputs = new Map<string, string>();
  const host: Ts.CompilerHost = {
    getSourceFile: (fileName) => sources.get(fileName),
    writeFile: (name, text) => void outputs.set(name, text),
    getDefaultLibFileName: () => BAREBONES_LIB_NAME,
    useCaseSensitiveFileNames: () => false,
    getCanonicalFileName: (fileName) => fileName,
    getCurrentDirectory: () => "",
    getNewLine: () => newLine,
    fileExists: (fileName) => fileName === BAREBONES_LIB_NAME,
    readFile: () => "",
    directoryExists: () => true,
    getDirectories: () => [],
  };
  sources.set(BAREBONES_LIB_NAME, ts.createSourceFile(BAREBONES_LIB_NAME, BAREBONES_LIB, { languageVersion: ts.ScriptTarget.Latest }));
  for (const { file, text } of modules) {
    const name = internals.normalizePath(file);
    const impliedNodeFormat = ts.getImpliedNodeFormatForFile(internals.toPath(name, "", host.getCanonicalFileName), undefined, host, settings);
    sources.set(
      name,
      ts.createSourceFile(name, text, {
        languageVersion: internals.getEmitScriptTarget(settings),
        impliedNodeFormat,
        setExternalModuleIndicator: internals.getSetExternalModuleIndicator(settings),
        jsDocParsingMode: ts.JSDocParsingMode.ParseAll,
      }),
    );
  }
  const program = ts.createProgram([...modules.map((m) => internals.normalizePath(m.file)), BAREBONES_LIB_NAME], settings, host);
  const failed = new Set<string>();
  const global = program.getOptionsDiagnostics().length > 0;
  for (const { file } of modules)
    if (program.getSyntacticDiagnostics(sources.get(internals.normalizePath(file))).length) failed.add(internals.normalizePath(file));
  const result = (program.emit as EmitWithForce).call(program, undefined, undefined, undefined, true, undefined, true);
  for (const d of result.diagnostics) if (d.file) failed.add(d.file.fileName);
  const declared = new Map<string, Declarations | undefined>();
  for (const { file } of modules) {
    const name = internals.normalizePath(file);
    const base = name.replace(/\.ts$/, "");
    const dts = outputs.get(`${base}.d.ts`);
    const map = outputs.get(`${base}.d.ts.map`);
    const fileWide = global || result.diagnostics.some((d) => !d.file);
    declared.set(file, fileWide || failed.has(name) || dts === undefined || map === undefined ? undefined : { dts, map });
  }
  return declared;
}
