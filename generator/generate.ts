/**
 * The programmatic API: load → validate → bind (`analyze-document.ts`) → emit → type-check →
 * (write). The CLI is a thin wrapper around `generate()`; tests call it directly.
 */
import { mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { DiagnosticBag, applyWarningLevels, sortDiagnostics, type Diagnostic, type WarningLevel } from "./diagnostics.ts";
import { compilePackages, createProject } from "./targets/typescript/compile.ts";
import { CheckCache } from "./targets/typescript/check-cache.ts";
import { nativeChecker } from "./targets/typescript/check-native.ts";
import { CheckQueue } from "./targets/typescript/check-queue.ts";
import { withOpenapiTypescriptThread } from "./targets/typescript/openapi-typescript-thread.ts";
import { packageVersion } from "./version.ts";
import type { GeneratedFile, PackageMetadata } from "./targets/target.ts";
import { DEFAULT_TARGET, TARGETS } from "./targets/index.ts";

export type { PackageMetadata };
import { analyzeDocument } from "./analyze-document.ts";
import type { PackageModel } from "./ir/types.ts";
import { documentName } from "./ir/build.ts";
import type { DocumentCache } from "./load/document.ts";

export interface GenerateOptions {
  /** Arazzo documents to generate, one package each. */
  readonly inputs: readonly string[];
  /** Directory that receives one package folder per document. */
  readonly outDir: string;
  /** Write the files (default). With `false`, only return them. */
  readonly write?: boolean;
  /** Source description name → local file to read instead of its `url` (remote or vendored descriptions). */
  readonly sources?: Readonly<Record<string, string>>;
  /**
   * Type every operation of each OpenAPI document in `<source>.paths.ts`, for a full client.
   * Default: only the operations the workflows call and what they reference, which is
   * faster and unaffected by broken parts of the document no workflow uses.
   */
  readonly allOperations?: boolean;
  /**
   * npm metadata of the generated package, per Arazzo document (key: its absolute path,
   * as in `inputs` after `path.resolve`). Unset fields keep their defaults (name from the
   * file name, version from `info.version`, no license).
   */
  readonly packages?: Readonly<Record<string, PackageMetadata>>;
  /**
   * The folder spec paths in generated headers and READMEs are written relative to (the
   * config file's folder); default: each Arazzo document's folder. Paths never climb out of it.
   */
  readonly projectRoot?: string;
  /**
   * Per warning code (`unbraced-expression`, …): `off` drops it, `error` makes it an error
   * (the run fails and nothing is written), `warn` keeps it (the default). Config `warnings`.
   */
  readonly warnings?: Readonly<Record<string, WarningLevel>>;
  /**
   * What type-checks the generated code and emits `dist/`: `native`, tsgo (the native
   * TypeScript compiler, TypeScript 7's `tsc`, in a child process: several times
   * faster), or `typescript`, the TypeScript compiler in-process. Default: `native` when its
   * binary for this platform is installed, else `typescript`.
   */
  readonly checker?: "native" | "typescript";
  /**
   * A folder where type-check results are kept by content hash: a package whose generated
   * sources did not change since a run that passed is not checked again (`check-cache.ts`).
   * Default: none, every run checks. The command line uses
   * `<project>/node_modules/.cache/arazzo-ts` (`--no-cache` and config `cache` change it).
   */
  readonly cacheDir?: string;
  /**
   * What to emit: `openapi-fetch` (the default), a package of openapi-fetch clients and typed
   * `run<Workflow>` functions, or `restate`, the same package plus a Restate workflow service
   * per workflow and typed ingress clients (durable execution). Config `target`, `--target`.
   */
  readonly target?: string;
}

export interface GeneratedPackage {
  readonly name: string;
  /** Absolute package directory. */
  readonly dir: string;
  readonly files: readonly GeneratedFile[];
}

export interface GenerateResult {
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
  readonly packages: readonly GeneratedPackage[];
  /** Files whose content changed on disk (all of them on a first run); empty when not writing. */
  readonly written: readonly string[];
  /** Per input (absolute path): the Arazzo and OpenAPI files it was read from, also when it failed (watch mode watches them). */
  readonly reads: Readonly<Record<string, readonly string[]>>;
  /** Packages (dirs) whose type-check result came from `cacheDir`, unchecked. */
  readonly cached: readonly string[];
}

/**
 * Files on disk that differ from what generation gives now: changed, missing, or left
 * over (under `src/` and `dist/`). Empty when the output is up to date.
 */
export async function staleFiles(packages: readonly GeneratedPackage[]): Promise<{ file: string; change: "changed" | "missing" | "extra" }[]> {
  const stale: { file: string; change: "changed" | "missing" | "extra" }[] = [];
  for (const pkg of packages) {
    const wanted = new Map(pkg.files.map((f) => [path.join(pkg.dir, f.path), f.text]));
    for (const [file, text] of wanted) {
      const current = await readFile(file, "utf8").catch(() => undefined);
      if (current === undefined) stale.push({ file, change: "missing" });
      else if (current !== text) stale.push({ file, change: "changed" });
    }
    for (const sub of ["src", "dist"]) {
      for (const file of await listFiles(path.join(pkg.dir, sub))) if (!wanted.has(file)) stale.push({ file, change: "extra" });
    }
  }
  return stale.sort((a, b) => a.file.localeCompare(b.file));
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const { models: _models, ...result } = await generateWithModels(options);
  return result;
}

/**
 * `generate`, also giving the model of each document that generated (by its absolute path):
 * what `arazzo-ts run` reports from. Not part of the public API.
 */
export async function generateWithModels(options: GenerateOptions): Promise<GenerateResult & { readonly models: ReadonlyMap<string, PackageModel> }> {
  return withOpenapiTypescriptThread(() => generateAndCheck(options));
}

async function generateAndCheck(options: GenerateOptions): Promise<GenerateResult & { readonly models: ReadonlyMap<string, PackageModel> }> {
  const diagnostics = new DiagnosticBag();
  const models = new Map<string, PackageModel>();
  const outDir = path.resolve(options.outDir);
  // The in-process checker's program (the native one builds its own).
  const project = createProject();
  const packages: { name: string; dir: string; files: GeneratedFile[] }[] = [];
  const target = TARGETS.get(options.target ?? DEFAULT_TARGET);
  if (!target) {
    const known = [...TARGETS.keys()].join(", ");
    diagnostics.error("unknown-target", `there is no target ${JSON.stringify(options.target)}`, undefined, `choose one of: ${known}`);
    return { ok: false, diagnostics: diagnostics.items, packages: [], written: [], reads: {}, cached: [], models };
  }

  // Checked in batches as packages are emitted (`check-queue.ts`), with the cache when there is one.
  const cache = options.cacheDir ? new CheckCache(path.resolve(options.cacheDir), packageVersion()) : undefined;
  const checks = new CheckQueue(
    (batch) => compilePackages(project, batch, options.checker, cache),
    options.checker !== "typescript" && nativeChecker() !== undefined,
  );
  const names = new Map<string, string>();
  const reads: Record<string, string[]> = {};
  const documents: DocumentCache = new Map();
  try {
    for (const input of options.inputs) {
      const file = path.resolve(input);
      const name = documentName(file);
      const clash = names.get(name);
      if (clash) {
        diagnostics.error("duplicate-package", `${path.basename(file)} and ${path.basename(clash)} would both generate package \`${name}\``, {
          file,
          line: 1,
          col: 1,
        });
        continue;
      }
      names.set(name, file);
      const read = new Set<string>();
      const model = await analyzeDocument(file, diagnostics, { sources: options.sources, reads: read, allOperations: options.allOperations, documents });
      reads[file] = [...read];
      if (!model) continue;
      models.set(file, model);
      const dir = path.join(outDir, model.document.name);
      const pkg = {
        name: model.document.name,
        dir,
        files: await target.emit(model, {
          packageDir: dir,
          diagnostics,
          metadata: options.packages?.[file],
          projectRoot: options.projectRoot && path.resolve(options.projectRoot),
        }),
      };
      packages.push(pkg);
      // Once a document has failed the run fails: its type errors would not be news.
      if (!diagnostics.hasErrors) await checks.add(pkg);
    }
  } catch (error) {
    await checks.abandon(); // no tsgo left running on its own
    throw error;
  }

  let cached: readonly string[] = [];
  if (!diagnostics.hasErrors && packages.length) {
    const compiled = await checks.finish();
    cached = compiled.cached ?? [];
    diagnostics.items.push(...compiled.diagnostics);
    for (const pkg of packages) pkg.files.push(...(compiled.dist.get(pkg.dir) ?? []));
  } else await checks.abandon();
  const sorted = applyWarningLevels(sortDiagnostics(diagnostics.items), options.warnings);
  if (sorted.some((d) => d.severity === "error")) return { ok: false, diagnostics: sorted, packages: [], written: [], reads, cached: [], models: new Map() };

  for (const pkg of packages) pkg.files.sort((a, b) => a.path.localeCompare(b.path));
  const written = options.write === false ? [] : (await Promise.all(packages.map(writePackage))).flat();
  return { ok: true, diagnostics: sorted, packages, written, reads, cached, models };
}

/**
 * Writes a package, touching only files whose content changed (so watchers and build
 * caches see no change when nothing changed) and removing stale files it generated
 * before (only under `src/` and `dist/`: a `node_modules` in the package stays).
 */
async function writePackage(pkg: GeneratedPackage): Promise<string[]> {
  const written: string[] = [];
  const wanted = new Set(pkg.files.map((f) => path.join(pkg.dir, f.path)));
  for (const sub of ["src", "dist"]) {
    for (const file of await listFiles(path.join(pkg.dir, sub))) {
      if (!wanted.has(file)) await rm(file);
    }
  }
  for (const file of pkg.files) {
    const target = path.join(pkg.dir, file.path);
    const current = await readFile(target, "utf8").catch(() => undefined);
    if (current === file.text) continue;
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.text);
    written.push(target);
  }
  return written;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? (e as any).path, e.name));
}
