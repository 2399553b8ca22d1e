/**
 * What a type-checker of generated packages reports, turned into arazzo-ts results: type
 * errors (a file, an offset in its text) become diagnostics at the Arazzo location the
 * offending code came from, and emitted files (beside the sources, in `src/`) become each
 * package's `dist/`. Shared by the in-process checker (`compile.ts`) and the native one
 * (`check-native.ts`), so both report and emit alike.
 *
 * The source map finds the emitters' fragments in the formatted text whatever the layout
 * (`source-map.ts`).
 */
import path from "node:path";
import type { Diagnostic } from "../../diagnostics.ts";
import type { GeneratedFile } from "../target.ts";
import { isolatedDeclarationsOfAll, type Declarations } from "./declarations.ts";
import { entryAt, locateFragments, type MappedRange } from "./source-map.ts";

export interface PackageToCompile {
  readonly dir: string;
  readonly files: readonly GeneratedFile[];
}

/** A type error as a checker reports it. */
export interface CheckerError {
  /** Absolute path, the generated sources at their place in the package (`<dir>/src/x.ts`); none for a global error. */
  readonly file?: string;
  /** Offset in the file's text (UTF-16 code units). */
  readonly start?: number;
  /** The number of `TS2322`. */
  readonly code: number;
  /** The message chain, one line per level, each indented two more spaces than the one before. */
  readonly message: string;
}

/** A file the checker emitted beside a source (`<dir>/src/x.js`, `.d.ts`, `.d.ts.map`). */
export interface EmittedFile {
  readonly filePath: string;
  readonly text: string;
}

/** The generated `src/*.ts` files the checker is given, by absolute normalized path. */
export function sourcesToCheck(packages: readonly PackageToCompile[]): Map<string, { pkg: PackageToCompile; file: GeneratedFile }> {
  const byPath = new Map<string, { pkg: PackageToCompile; file: GeneratedFile }>();
  for (const pkg of packages) {
    for (const file of pkg.files) {
      if (!file.path.startsWith("src/") || !file.path.endsWith(".ts")) continue;
      byPath.set(path.normalize(path.join(pkg.dir, file.path)), { pkg, file });
    }
  }
  return byPath;
}

/** One `error` diagnostic per type error, at the Arazzo value that produced the code it is in. */
export function typeErrorDiagnostics(errors: readonly CheckerError[], packages: readonly PackageToCompile[]): Diagnostic[] {
  const byPath = sourcesToCheck(packages);
  const located = new Map<GeneratedFile, MappedRange[]>();
  return errors.map((error) => {
    const origin = error.file === undefined ? undefined : byPath.get(path.normalize(error.file));
    const start = error.start ?? 0;
    // Nothing is written when generation fails, so the hint quotes the generated line itself.
    const generatedAt = origin
      ? `generated ${origin.file.path}:${lineOf(origin.file.text, start)}: ${generatedLine(origin.file.text, start)}`
      : `generated ${error.file ?? "code"}`;
    let ranges: MappedRange[] | undefined;
    if (origin?.file.sourceMap) {
      ranges = located.get(origin.file) ?? locateFragments(origin.file.text, origin.file.sourceMap);
      located.set(origin.file, ranges);
    }
    const entry = ranges ? entryAt(ranges, start) : undefined;
    return {
      severity: "error",
      code: `TS${error.code}`,
      message: firstLines(error.message),
      ...(entry ? entry.location : {}),
      hint: [entry?.note, generatedAt].filter(Boolean).join("\n  "),
    };
  });
}

/**
 * The `dist/` files of each package (by package dir) from what the checker emitted beside
 * the sources: its JavaScript, and declarations that do not depend on the checker
 * (`declarations.ts`) in place of its own; the do-not-edit header, which declaration emit
 * drops, put back on top of each `.d.ts`, and the declaration maps relocated to `dist/` and
 * shifted to match.
 */
export function distFiles(
  packages: readonly PackageToCompile[],
  emitted: readonly EmittedFile[],
  declared: ReadonlyMap<string, Declarations | undefined> = declarationsOf(packages),
): Map<string, GeneratedFile[]> {
  const outputs = withIsolatedDeclarations(packages, emitted, declared);
  const dist = new Map<string, GeneratedFile[]>(packages.map((p) => [p.dir, []]));
  const inPackage = (output: EmittedFile) => {
    const pkg = packages.find(
      (p) => output.filePath.startsWith(path.join(p.dir, "src") + path.sep) || output.filePath.startsWith(`${path.join(p.dir, "src")}/`),
    );
    return pkg && { pkg, relative: path.relative(path.join(pkg.dir, "src"), output.filePath).split(path.sep).join("/") };
  };
  // Lines of header put back in front of each `.d.ts`, by its dist path, to shift its map.
  const shifted = new Map<string, number>();
  for (const output of outputs) {
    const found = inPackage(output);
    if (!found || output.filePath.endsWith(".map")) continue;
    const { pkg, relative } = found;
    const source = pkg.files.find((f) => f.path === `src/${relative.replace(/\.d\.ts$|\.js$/, ".ts")}`);
    const header = source ? leadingLineComments(source.text) : "";
    const restore = header && !output.text.startsWith(header);
    if (restore) shifted.set(path.join(pkg.dir, "dist", relative), header.split("\n").length - 1);
    dist.get(pkg.dir)!.push({ path: `dist/${relative}`, text: restore ? `${header}${output.text}` : output.text });
  }
  for (const output of outputs) {
    const found = inPackage(output);
    if (!found || !output.filePath.endsWith(".map")) continue;
    const { pkg, relative } = found;
    const lines = shifted.get(path.join(pkg.dir, "dist", relative.replace(/\.map$/, ""))) ?? 0;
    dist.get(pkg.dir)!.push({ path: `dist/${relative}`, text: relocateMap(output.text, relative, lines) });
  }
  return dist;
}

/**
 * The isolated declarations of every module of `packages`, by its absolute path. They read
 * only each module's own text, so the native checker has them made while tsgo runs.
 */
export function declarationsOf(packages: readonly PackageToCompile[]): Map<string, Declarations | undefined> {
  return isolatedDeclarationsOfAll([...sourcesToCheck(packages)].map(([file, { file: source }]) => ({ file, text: source.declarationsFrom ?? source.text })));
}

/** `outputs` with each `.d.ts` and `.d.ts.map` the checker emitted replaced by the module's isolated declarations. */
function withIsolatedDeclarations(
  packages: readonly PackageToCompile[],
  outputs: readonly EmittedFile[],
  declared: ReadonlyMap<string, Declarations | undefined>,
): EmittedFile[] {
  const emitted = new Set(outputs.map((o) => path.normalize(o.filePath)));
  const replaced = new Map<string, string>();
  for (const [file] of sourcesToCheck(packages)) {
    const base = file.replace(/\.ts$/, "");
    if (!emitted.has(`${base}.d.ts`)) continue;
    const own = declared.get(file);
    if (!own) continue;
    replaced.set(`${base}.d.ts`, own.dts);
    replaced.set(`${base}.d.ts.map`, own.map);
  }
  return outputs.map((o) => {
    const text = replaced.get(path.normalize(o.filePath));
    return text === undefined ? o : { filePath: o.filePath, text };
  });
}

/**
 * A declaration map emitted beside its source (`src/x.d.ts.map`, sources `["x.ts"]`) as it
 * must read from `dist/`: sources relative to the map's new folder, and `mappings` shifted
 * down by the header lines put back on top of the `.d.ts` (each `;` starts a line).
 */
function relocateMap(text: string, relative: string, lines: number): string {
  const map = JSON.parse(text) as { sources: string[]; mappings: string };
  const from = path.posix.dirname(`dist/${relative}`);
  const sources = map.sources.map((s) => path.posix.relative(from, path.posix.join(path.posix.dirname(`src/${relative}`), s)));
  return JSON.stringify({ ...map, sources, mappings: `${";".repeat(lines)}${map.mappings}` });
}

/** The `//` comment lines a file starts with (the do-not-edit header), which declaration emit drops. */
function leadingLineComments(text: string): string {
  return /^(?:\/\/.*\n)*/.exec(text)![0];
}

/** The 1-based line of `offset` in `text`, counting `\n` as editors do. */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** The line of generated code at `offset`, trimmed and cut to a readable length. */
function generatedLine(text: string, offset: number): string {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  const end = text.indexOf("\n", offset);
  const line = text.slice(start, end < 0 ? undefined : end).trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

function firstLines(message: string): string {
  const lines = message.split("\n");
  return lines.length > 4 ? `${lines.slice(0, 4).join("\n")}\n…` : message;
}
