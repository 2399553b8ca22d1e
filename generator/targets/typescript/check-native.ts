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
 * The `src/*.ts` of every package go to a fresh temporary folder (`<tmp>/<i>/src/`, with a
 * `package.json` saying `"type": "module"`, as the generated package does, TypeScript 5.9's
 * lib files in `<tmp>/lib/` and a `tsconfig.json` with the options of
 * `compiler-options.ts`, which says why), tsgo runs there with
 * `--pretty false`, its `file(line,col): error TSxxxx: message` lines (and the indented
 * lines of the message chain) are read back into offsets in the generated text, and the
 * emitted files beside the sources are read back as `dist/`. The folder is always removed.
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
import { declarationsOf, distFiles, typeErrorDiagnostics, type CheckerError, type EmittedFile, type PackageToCompile } from "./check-result.ts";
import { checkLibFiles, nativeCompilerOptions } from "./compiler-options.ts";

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
  readonly tsconfig: string;
}

/** Writes the packages' sources, a `package.json` and a `tsconfig.json` into `dir`. */
async function writeProject(dir: string, packages: readonly PackageToCompile[]): Promise<Layout> {
  const places = new Map<string, string>();
  const srcDirs = new Map<string, PackageToCompile>();
  const texts = new Map<string, string>();
  for (const [i, pkg] of packages.entries()) {
    srcDirs.set(path.join(dir, String(i), "src"), pkg);
    for (const file of pkg.files) {
      if (!file.path.startsWith("src/") || !file.path.endsWith(".ts")) continue;
      const target = path.join(dir, String(i), file.path);
      places.set(target, path.join(pkg.dir, file.path));
      texts.set(target, file.text);
    }
  }
  const libs = checkLibFiles().map((lib) => [path.join(dir, "lib", lib.fileName), lib.text] as const);
  const files = [...libs, ...texts];
  await Promise.all([...new Set(files.map(([f]) => path.dirname(f)))].map((d) => mkdir(d, { recursive: true })));
  await Promise.all(files.map(([file, text]) => writeFile(file, text)));
  await writeFile(path.join(dir, "package.json"), `${JSON.stringify({ type: "module", private: true })}\n`);
  const tsconfig = path.join(dir, "tsconfig.json");
  // Nothing is emitted when there are errors: generation then fails and writes nothing.
  const config = { compilerOptions: { ...nativeCompilerOptions(), noEmitOnError: true }, files: [...libs.map(([f]) => f), ...places.keys()] };
  await writeFile(tsconfig, `${JSON.stringify(config, null, 2)}\n`);
  return { places, srcDirs, tsconfig };
}

/** Type-checks and emits `packages` with the tsgo at `exe`. */
export async function checkNative(
  exe: string,
  packages: readonly PackageToCompile[],
): Promise<{ dist: Map<string, GeneratedFile[]>; diagnostics: Diagnostic[] }> {
  let made: string | undefined;
  try {
    made = await mkdtemp(path.join(tmpdir(), NATIVE_CHECK_PREFIX));
    // tsgo prints paths as it finds them on disk: through no symbolic link (macOS's temporary folder is one).
    const dir = await realpath(made);
    const layout = await writeProject(dir, packages);
    const running = runTsgo(exe, ["-p", layout.tsconfig, "--pretty", "false"], dir);
    // Made while tsgo runs in its own process (they do not depend on its result), not after.
    const declared = declarationsOf(packages);
    const run = await running;
    const { errors, unparsed } = parseDiagnostics(run.stdout);
    const failure = describeFailure(run, errors.length, unparsed);
    const texts = new Map(packages.flatMap((pkg) => pkg.files.map((f) => [path.join(pkg.dir, f.path), f.text] as const)));
    const diagnostics = typeErrorDiagnostics(
      errors.map((e) => placeError(e, dir, layout, texts)),
      packages,
    );
    if (failure) diagnostics.unshift(checkerError(failure));
    if (diagnostics.length) return { dist: new Map(), diagnostics };
    return { dist: distFiles(packages, await readEmitted(layout), declared), diagnostics };
  } catch (error) {
    return { dist: new Map(), diagnostics: [checkerError((error as Error)?.message ?? String(error))] };
  } finally {
    if (made) await rm(made, { recursive: true, force: true }).catch(() => undefined);
  }
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
      if (layout.places.has(file)) continue;
      outputs.push({ filePath: path.join(pkg.dir, "src", path.relative(srcDir, file)), text: await readFile(file, "utf8") });
    }
  }
  return outputs.sort((a, b) => a.filePath.localeCompare(b.filePath));
}
