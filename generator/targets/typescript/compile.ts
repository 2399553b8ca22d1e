/**
 * Type-checks generated packages and emits their JavaScript and `.d.ts`. A type error in
 * generated code means the workflow's wiring does not fit the API (a field that does not
 * exist, a value of the wrong type): it is reported at the Arazzo location the offending
 * code came from (`check-result.ts`), and the generation fails.
 *
 * Two checkers, one program: the native TypeScript compiler (tsgo, `check-native.ts`, by
 * default when its binary for this platform is installed: several times faster), or the
 * TypeScript compiler in-process (here, the one ts-morph bundles). Both take the same
 * compiler options (`compiler-options.ts`) and give the same diagnostics and the same
 * JavaScript; the `.d.ts` and declaration maps, which they would write differently (property
 * order, mapped positions), come from the modules' isolated declarations (`declarations.ts`),
 * so `dist/` is byte for byte the same whichever checker ran.
 *
 * Workflow modules arrive formatted (`format.ts`): what is checked is what ships, and
 * `dist/` (JavaScript, `.d.ts` and declaration maps into `src/`) comes from the same
 * program, so the check is done once.
 */
import type { Project } from "ts-morph";
import type { Diagnostic } from "../../diagnostics.ts";
import type { GeneratedFile } from "../target.ts";
import type { CheckCache } from "./check-cache.ts";
import { checkNative, nativeChecker, nativePackage, nativeVersion } from "./check-native.ts";
import { distFiles, sourcesToCheck, typeErrorDiagnostics, type CheckerError, type PackageToCompile } from "./check-result.ts";
import { checkCompilerOptions } from "./compiler-options.ts";
import { ts, tsMorph } from "./ts-morph.ts";

export type { PackageToCompile };

/** `native`: tsgo (TypeScript 7's native `tsc`) in a child process; `typescript`: the TypeScript compiler ts-morph bundles, in-process. */
export type Checker = "native" | "typescript";

/** One ts-morph project for a whole generation run: structures are printed in it, and the in-process checker checks all packages in it. */
export function createProject(): Project {
  const { IndentationText, NewLineKind, Project, QuoteKind } = tsMorph;
  return new Project({
    compilerOptions: ts.convertCompilerOptionsFromJson(checkCompilerOptions(), process.cwd()).options,
    manipulationSettings: {
      indentationText: IndentationText.TwoSpaces,
      quoteKind: QuoteKind.Double,
      newLineKind: NewLineKind.LineFeed,
      useTrailingCommas: true,
    },
    skipAddingFilesFromTsConfig: true,
  });
}

export interface Compiled {
  /** The `dist/` files of each package, by package dir (none when there are errors). */
  readonly dist: Map<string, GeneratedFile[]>;
  readonly diagnostics: Diagnostic[];
  /** The packages (dirs) whose result came from the cache, unchecked. */
  readonly cached?: readonly string[];
}

/**
 * Type-checks every package together and returns the `dist/` files per package; type
 * errors come back as diagnostics at Arazzo locations. `checker` unset: the native one
 * when its binary resolves, else the in-process one. With a `cache`, packages checked
 * before with the same sources are not checked again (`check-cache.ts`).
 */
export async function compilePackages(project: Project, packages: readonly PackageToCompile[], checker?: Checker, cache?: CheckCache): Promise<Compiled> {
  const tsgo = checker === "typescript" ? undefined : nativeChecker();
  if (!tsgo && checker === "native") return nativeMissing();
  const check = (pkgs: readonly PackageToCompile[]) => (tsgo ? checkNative(tsgo, pkgs) : Promise.resolve(checkInProcess(project, pkgs)));
  if (!cache) return check(packages);
  const checkerId = tsgo ? `tsgo ${nativeVersion()}` : `typescript ${ts.version}`;
  const dist = new Map<string, GeneratedFile[]>();
  const cached: string[] = [];
  const keys = new Map<PackageToCompile, string>();
  for (const pkg of packages) {
    const key = cache.key(pkg, checkerId);
    const hit = await cache.read(pkg, key);
    if (hit) {
      dist.set(pkg.dir, hit);
      cached.push(pkg.dir);
    } else keys.set(pkg, key);
  }
  if (keys.size) {
    const compiled = await check([...keys.keys()]);
    if (compiled.diagnostics.length) return compiled;
    for (const [pkg, key] of keys) {
      const files = compiled.dist.get(pkg.dir) ?? [];
      dist.set(pkg.dir, files);
      await cache.write(pkg, key, files);
    }
  }
  return { dist, diagnostics: [], cached };
}

function nativeMissing(): Compiled {
  const platform = nativePackage();
  return {
    dist: new Map(),
    diagnostics: [
      {
        severity: "error",
        code: "checker",
        message: `the native TypeScript checker was asked for, but its binary for this platform (${platform}) is not installed`,
        hint: 'install arazzo-ts with its optional dependencies (npm installs this platform\'s unless told `--omit=optional`), or use `--checker typescript` (`checker: "typescript"`)',
      },
    ],
  };
}

/** The in-process checker: the sources added to `project`, checked, and emitted to memory. */
function checkInProcess(project: Project, packages: readonly PackageToCompile[]): Compiled {
  for (const [absolute, { file }] of sourcesToCheck(packages)) project.createSourceFile(absolute, file.text, { overwrite: true });
  const errors: CheckerError[] = project.getPreEmitDiagnostics().map((d) => ({
    file: d.getSourceFile()?.getFilePath(),
    start: d.getStart(),
    code: d.getCode(),
    message: ts.flattenDiagnosticMessageText(d.compilerObject.messageText, "\n"),
  }));
  const diagnostics = typeErrorDiagnostics(errors, packages);
  if (diagnostics.length) return { dist: new Map(), diagnostics };
  return { dist: distFiles(packages, project.emitToMemory().getFiles()), diagnostics };
}
