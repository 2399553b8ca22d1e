/**
 * The native checker: the generated packages type-checked and emitted by tsgo, the native
 * TypeScript compiler (TypeScript 7's `tsc`), in a child process. Several times faster than
 * the in-process checker on large packages, and its memory is not the generator's.
 *
 * Its binary comes in one package per platform, `@typescript/typescript-<platform>-<arch>`
 * (no install script), which arazzo-ts lists, pinned, as optional dependencies: npm
 * installs the one for the platform. Not `typescript@7`, which is a launcher for the same
 * binary: as a dependency it links its `tsc` into the user's `node_modules/.bin`, where it
 * can take the place of the user's own TypeScript's.
 *
 * The `src/*.ts` of every package go to a fresh temporary folder (`<tmp>/<chunk>/<i>/src/`,
 * with a `package.json` saying `"type": "module"`, as the generated package does, TypeScript
 * 5.9's lib files in `<tmp>/<chunk>/lib/` and a `tsconfig.json` with the options of
 * `compiler-options.ts`, which says why), tsgo runs there with
 * `--pretty false`, its `file(line,col): error TSxxxx: message` lines (and the indented
 * lines of the message chain) are read back into offsets in the generated text, and the
 * emitted files beside the sources are read back as `dist/`. The folder is always removed.
 * Usually that is one chunk, one program; a very large package is checked in several, one
 * after the other (`check-chunks.ts`). The modules' declarations (`declarations.ts`) are
 * made on this thread while tsgo runs.
 *
 * A tsgo that cannot start, crashes or prints what is not a diagnostic gives one `checker`
 * error (with what it printed), never an exception.
 */
import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, realpath, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Diagnostic } from "../../diagnostics.ts";
import type { GeneratedFile } from "../target.ts";
import { distFiles, sourcesToCheck, typeErrorDiagnostics, type CheckerError, type EmittedFile, type PackageToCompile } from "./check-result.ts";
import { modulesOf, planChunks } from "./check-chunks.ts";
import { checkLibFiles, nativeCompilerOptions } from "./compiler-options.ts";
import { isolatedDeclarationsOfAll, type Declarations } from "./declarations.ts";

const require = createRequire(import.meta.url);

/** Temporary folders of native checks start with this, in `os.tmpdir()`. */
export const NATIVE_CHECK_PREFIX = "arazzo-ts-check-";

let resolved: { exe: string | undefined } | undefined;

/** The tsgo executable for this platform, if installed and executable; resolved once. */
export function nativeChecker(): string | undefined {
  resolved ??= { exe: findTsgo() };
  return resolved.exe;
}

/** The package holding the native compiler's binary for this platform: an optional dependency of arazzo-ts. */
export function nativePackage(): string {
  return `@typescript/typescript-${process.platform}-${process.arch}`;
}

function findTsgo(): string | undefined {
  try {
    // Resolved from here, it is found hoisted or nested (beside another version the user's own TypeScript 7 needs).
    const manifest = require.resolve(`${nativePackage()}/package.json`);
    const exe = path.join(path.dirname(manifest), "lib", process.platform === "win32" ? "tsc.exe" : "tsc");
    accessSync(exe, constants.X_OK);
    return exe;
  } catch {
    return undefined;
  }
}

interface Layout {
  /** Absolute path in the temporary folder → the same file in its package (`<dir>/src/x.ts`). */
  readonly places: Map<string, string>;
  /** The temporary `src/` folder of each package. */
  readonly srcDirs: Map<string, PackageToCompile>;
  /** Declarations written as inputs (`check-chunks.ts`), not emitted. */
  readonly given: Set<string>;
  readonly tsconfig: string;
}

/** A file to write into the temporary project: a module to check, or the declarations of one it imports. */
interface ProjectFile {
  /** The package's index in the run, and the module's absolute path in it (`<dir>/src/x.ts`). */
  readonly index: number;
  readonly pkg: PackageToCompile;
  readonly file: string;
  readonly text: string;
  /** A `.d.ts` given in place of the module's source. */
  readonly declarations?: boolean;
}

/** Writes the files (each package's at `<dir>/<index>/src/`), a `package.json` and a `tsconfig.json` into `dir`. */
async function writeProject(dir: string, files: readonly ProjectFile[]): Promise<Layout> {
  const places = new Map<string, string>();
  const srcDirs = new Map<string, PackageToCompile>();
  const given = new Set<string>();
  const texts = new Map<string, string>();
  const roots: string[] = [];
  for (const f of files) {
    srcDirs.set(path.join(dir, String(f.index), "src"), f.pkg);
    const relative = path.relative(f.pkg.dir, f.file);
    const target = path.join(dir, String(f.index), f.declarations ? relative.replace(/\.ts$/, ".d.ts") : relative);
    texts.set(target, f.text);
    if (f.declarations) given.add(target);
    else {
      places.set(target, f.file);
      roots.push(target);
    }
  }
  const libs = checkLibFiles().map((lib) => [path.join(dir, "lib", lib.fileName), lib.text] as const);
  const all = [...libs, ...texts];
  await Promise.all([...new Set(all.map(([f]) => path.dirname(f)))].map((d) => mkdir(d, { recursive: true })));
  await Promise.all(all.map(([file, text]) => writeFile(file, text)));
  await writeFile(path.join(dir, "package.json"), `${JSON.stringify({ type: "module", private: true })}\n`);
  const tsconfig = path.join(dir, "tsconfig.json");
  // Nothing is emitted when there are errors: generation then fails and writes nothing.
  const config = { compilerOptions: { ...nativeCompilerOptions(), noEmitOnError: true }, files: [...libs.map(([f]) => f), ...roots] };
  await writeFile(tsconfig, `${JSON.stringify(config, null, 2)}\n`);
  return { places, srcDirs, given, tsconfig };
}

/**
 * Sources above this many characters are checked in chunks (`check-chunks.ts`), so tsgo's
 * memory stays bounded: the 1,000-workflow package (31 MB) peaked at 2.4 GB in tsgo in one
 * program, 0.86 GB in chunks of 8 MB at the same wall time (0.70 GB in chunks of 4 MB, 12% slower).
 */
export const CHUNK_CHARS = 8 * 2 ** 20;

/** What one tsgo run over some of the modules gave. */
interface ChunkResult {
  readonly errors: CheckerError[];
  readonly failure?: string;
  /** What tsgo wrote beside the sources, as if beside them in their packages (none after errors). */
  readonly emitted: EmittedFile[];
}

/**
 * Type-checks and emits `packages` with the tsgo at `exe`: in one program, or, above
 * `chunkChars` characters of sources, in chunks that import each other's declarations.
 */
export async function checkNative(
  exe: string,
  packages: readonly PackageToCompile[],
  chunkChars = CHUNK_CHARS,
): Promise<{ dist: Map<string, GeneratedFile[]>; diagnostics: Diagnostic[] }> {
  let made: string | undefined;
  try {
    made = await mkdtemp(path.join(tmpdir(), NATIVE_CHECK_PREFIX));
    // tsgo prints paths as it finds them on disk: through no symbolic link (macOS's temporary folder is one).
    const dir = await realpath(made);
    const texts = new Map(packages.flatMap((pkg) => pkg.files.map((f) => [path.join(pkg.dir, f.path), f.text] as const)));
    const modules = modulesOf(packages);
    const index = new Map(packages.map((pkg, i) => [pkg, i]));
    const sources = sourcesToCheck(packages);
    const source = (file: string): ProjectFile => {
      const { pkg, file: generated } = sources.get(file)!;
      return { index: index.get(pkg)!, pkg, file, text: generated.text };
    };
    const declarationSource = (file: string) => ({ file, text: sources.get(file)!.file.declarationsFrom ?? sources.get(file)!.file.text });
    const declared = new Map<string, Declarations | undefined>();
    const declare = (files: readonly string[]) => () => {
      for (const [file, d] of isolatedDeclarationsOfAll(files.map(declarationSource))) declared.set(file, d);
    };
    const results: ChunkResult[] = [];
    if (modules.reduce((n, m) => n + m.size, 0) <= chunkChars) {
      // One program; the declarations are made while tsgo runs (they do not depend on its result).
      const all = modules.map((m) => m.file);
      results.push(await checkChunk(exe, path.join(dir, "0"), all.map(source), texts, declare(all)));
    } else {
      // The checker's own declarations of a module whose isolated ones failed (a bug in arazzo-ts), for the chunks after it.
      const fromChecker = new Map<string, string>();
      for (const [i, chunk] of planChunks(modules, chunkChars).entries()) {
        const given = chunk.declared.map((file): ProjectFile => {
          const text = declared.get(file)?.dts ?? fromChecker.get(file);
          // Without declarations (an earlier chunk failed), the module is checked again as a source.
          return text === undefined ? source(file) : { ...source(file), text, declarations: true };
        });
        const result = await checkChunk(exe, path.join(dir, String(i)), [...chunk.modules.map(source), ...given], texts, declare(chunk.modules));
        results.push(result);
        for (const e of result.emitted) if (e.filePath.endsWith(".d.ts")) fromChecker.set(e.filePath.replace(/\.d\.ts$/, ".ts"), e.text);
      }
    }
    const failure = results.find((r) => r.failure)?.failure;
    const seen = new Set<string>();
    const errors = results
      .flatMap((r) => r.errors)
      .filter((e) => {
        // A module checked again in a later chunk reports its errors again.
        const key = `${e.file}\0${e.start}\0${e.code}\0${e.message}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    const diagnostics = typeErrorDiagnostics(errors, packages);
    if (failure) diagnostics.unshift(checkerError(failure));
    if (diagnostics.length) return { dist: new Map(), diagnostics };
    // A module checked again in a later chunk is emitted again, the same.
    const emitted = new Map(results.flatMap((r) => r.emitted.map((e) => [e.filePath, e] as const)));
    return {
      dist: distFiles(
        packages,
        [...emitted.values()].sort((a, b) => a.filePath.localeCompare(b.filePath)),
        declared,
      ),
      diagnostics,
    };
  } catch (error) {
    return { dist: new Map(), diagnostics: [checkerError((error as Error)?.message ?? String(error))] };
  } finally {
    if (made) await rm(made, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** One tsgo run in `dir` over `files`; `meanwhile` runs while tsgo does (in its own process). */
async function checkChunk(
  exe: string,
  dir: string,
  files: readonly ProjectFile[],
  texts: ReadonlyMap<string, string>,
  meanwhile: () => void,
): Promise<ChunkResult> {
  await mkdir(dir, { recursive: true });
  const layout = await writeProject(dir, files);
  const running = runTsgo(exe, ["-p", layout.tsconfig, "--pretty", "false"], dir);
  try {
    meanwhile();
  } catch (error) {
    await running; // not removing its folder under a running tsgo
    throw error;
  }
  const run = await running;
  const { errors, unparsed } = parseDiagnostics(run.stdout);
  const failure = describeFailure(run, errors.length, unparsed);
  return {
    errors: errors.map((e) => placeError(e, dir, layout, texts)),
    ...(failure ? { failure } : {}),
    emitted: errors.length || failure ? [] : await readEmitted(layout),
  };
}

interface TsgoRun {
  readonly stdout: string;
  readonly stderr: string;
  /** Exit code; undefined when killed or not started. */
  readonly code?: number;
  readonly signal?: string;
  /** Why it did not start or was cut off (ENOENT, EACCES, output too large). */
  readonly error?: string;
}

function runTsgo(exe: string, args: readonly string[], cwd: string): Promise<TsgoRun> {
  return new Promise((resolve) => {
    execFile(exe, args, { cwd, maxBuffer: 512 * 2 ** 20, windowsHide: true, encoding: "utf8" }, (error, stdout, stderr) => {
      const failed = error as (NodeJS.ErrnoException & { code?: number | string; signal?: string | null }) | null;
      resolve({
        stdout,
        stderr,
        ...(failed && typeof failed.code !== "number" && !failed.signal ? { error: failed.message } : {}),
        ...(failed?.signal ? { signal: failed.signal } : {}),
        code: !failed ? 0 : typeof failed.code === "number" ? failed.code : undefined,
      });
    });
  });
}

/** A diagnostic as tsgo prints it, the file as printed (relative to the folder it ran in). */
interface PrintedError {
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
  readonly code: number;
  readonly message: string;
}

const WITH_FILE = /^(.+?)\((\d+),(\d+)\): (?:error|warning|suggestion|message) TS(\d+): (.*)$/;
const GLOBAL = /^(?:error|warning|suggestion|message) TS(\d+): (.*)$/;

/**
 * `file(line,col): error TS2322: message` or `error TS5023: message`, each followed by
 * the rest of its message chain on lines indented by two spaces or more; `unparsed` holds
 * the lines that are neither.
 */
export function parseDiagnostics(stdout: string): { errors: PrintedError[]; unparsed: string[] } {
  const errors: { file?: string; line?: number; col?: number; code: number; message: string }[] = [];
  const unparsed: string[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const withFile = WITH_FILE.exec(line);
    const global = withFile ? undefined : GLOBAL.exec(line);
    if (withFile) errors.push({ file: withFile[1]!, line: Number(withFile[2]), col: Number(withFile[3]), code: Number(withFile[4]), message: withFile[5]! });
    else if (global) errors.push({ code: Number(global[1]), message: global[2]! });
    else if (/^\s/.test(line) && errors.length) errors[errors.length - 1]!.message += `\n${line}`;
    else unparsed.push(line);
  }
  return { errors, unparsed };
}

/** A printed error with its file at its place in the package and its line and column as an offset in the file's text. */
function placeError(error: PrintedError, dir: string, layout: Layout, texts: ReadonlyMap<string, string>): CheckerError {
  if (error.file === undefined) return { code: error.code, message: error.message };
  const printed = path.resolve(dir, error.file);
  const file = layout.places.get(printed) ?? printed;
  const text = texts.get(file);
  const starts = text === undefined ? undefined : lineStarts(text);
  const start = starts?.[error.line! - 1];
  return { file, ...(start === undefined ? {} : { start: Math.min(start + error.col! - 1, text!.length) }), code: error.code, message: error.message };
}

/** The offset each line of `text` starts at, lines broken as TypeScript breaks them (`\r\n`, `\r`, `\n`, U+2028, U+2029). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (const match of text.matchAll(/\r\n|[\r\n\u2028\u2029]/g)) starts.push(match.index + match[0].length);
  return starts;
}

/** What went wrong with the run, if anything did beyond reporting type errors. */
function describeFailure(run: TsgoRun, errors: number, unparsed: readonly string[]): string | undefined {
  const printed = [...unparsed, ...run.stderr.split(/\r?\n/).filter((l) => l.trim())];
  const shown = printed.length ? `:\n${printed.slice(0, 4).join("\n")}${printed.length > 4 ? "\n…" : ""}` : "";
  if (run.error) return `it did not run (${run.error})`;
  if (run.signal) return `it was stopped by ${run.signal}${shown}`;
  if (unparsed.length || (run.code !== 0 && (errors === 0 || run.stderr.trim()))) return `it exited with code ${run.code}${shown || " and printed nothing"}`;
  return undefined;
}

function checkerError(what: string): Diagnostic {
  return {
    severity: "error",
    code: "checker",
    message: `the native TypeScript checker (tsc ${nativeVersion()}) failed: ${what}`,
    hint: 'this is a bug in TypeScript\'s native compiler or arazzo-ts; `--checker typescript` (`checker: "typescript"`) checks with the TypeScript compiler in-process instead',
  };
}

export function nativeVersion(): string {
  try {
    return (require(`${nativePackage()}/package.json`) as { version: string }).version;
  } catch {
    return "unknown version";
  }
}

/** Every file tsgo wrote beside the sources, as if written beside them in their packages. */
async function readEmitted(layout: Layout): Promise<EmittedFile[]> {
  const outputs: EmittedFile[] = [];
  for (const [srcDir, pkg] of layout.srcDirs) {
    const entries = await readdir(srcDir, { withFileTypes: true, recursive: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const file = path.join(entry.parentPath ?? (entry as any).path, entry.name);
      if (layout.places.has(file) || layout.given.has(file)) continue;
      outputs.push({ filePath: path.join(pkg.dir, "src", path.relative(srcDir, file)), text: await readFile(file, "utf8") });
    }
  }
  return outputs.sort((a, b) => a.filePath.localeCompare(b.filePath));
}
