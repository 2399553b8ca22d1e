/**
 * The packages `arazzo-ts run` runs: generated (type-check cache reused) into a folder of the
 * project's cache named by a hash of their content, never into the user's tree, and imported
 * from there. The folder gets a `node_modules` whose entries link to the packages arazzo-ts
 * itself depends on (openapi-fetch, undici, the JSONPath and XPath libraries), so a generated
 * package runs wherever arazzo-ts is installed. A folder named by content is never rewritten:
 * modules Node has loaded from it stay what they were, and a changed document gets a new one.
 * A run of documents that did not change since an earlier run takes that run's packages and
 * models as they are (`run-cache.ts`), without loading the generator.
 */
import { createHash } from "node:crypto";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Diagnostic } from "../diagnostics.ts";
import type { GenerateOptions } from "../generate.ts";
import type { PackageModel } from "../ir/types.ts";
import { pruneRunCache, readRunCache, runCacheKey, writeRunCache } from "./run-cache.ts";
import { packageFolder } from "../targets/typescript/package-folder.ts";

/** A generated package, ready to import. */
export interface PreparedDocument {
  /** The Arazzo document (absolute). */
  readonly file: string;
  readonly model: PackageModel;
  readonly packageDir: string;
}

export interface Prepared {
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
  readonly documents: readonly PreparedDocument[];
  /** Packages whose type-check (or, when not `generated`, whose whole generation) came from a cache. */
  readonly cached: number;
  /** Whether the generator ran (else an earlier run's packages were taken as they were). */
  readonly generated: boolean;
}

/** Folders of earlier runs kept beside the current one (another `run` may still be using one). */
const KEEP = 4;

/**
 * Generates `options.inputs` under `root` (`<root>/<hash>/<package>/`, `<root>/node_modules`),
 * with the type-check cache `cacheDir`; or, when nothing they are generated from changed since
 * an earlier run, takes that run's packages (`run-cache.ts`) without loading the generator.
 */
export async function preparePackages(options: Omit<GenerateOptions, "outDir" | "write" | "target">, root: string): Promise<Prepared> {
  const key = runCacheKey(options);
  const hit = readRunCache(root, key);
  if (hit) {
    linkDependencies(root, hit.dependencies);
    touch(path.join(root, hit.dir));
    return {
      ok: true,
      diagnostics: hit.diagnostics,
      documents: hit.models.map(([file, model]) => ({ file, model, packageDir: path.join(root, hit.dir, hit.packages[file]!) })),
      cached: hit.models.length,
      generated: false,
    };
  }

  // The generator, loaded only now.
  const { generateWithModels } = await import("../generate.ts");
  // Generated files do not depend on where they are written: generate once, then write by content.
  const result = await generateWithModels({ ...options, outDir: root, write: false });
  if (!result.ok) return { ok: false, diagnostics: result.diagnostics, documents: [], cached: 0, generated: true };
  const hash = createHash("sha256");
  for (const pkg of result.packages) {
    hash.update(pkg.name);
    for (const file of pkg.files) hash.update(`\u0000${file.path}\u0000${file.text}`);
  }
  const name = hash.digest("hex").slice(0, 16);
  const dir = path.join(root, name);
  if (existsSync(path.join(dir, ".complete"))) touch(dir);
  else writeFolder(root, dir, result.packages);
  const dependencies = [...new Set(result.packages.flatMap((pkg) => dependenciesOf(pkg.files)))].sort();
  linkDependencies(root, dependencies);
  pruneOld(root, dir);
  const models = [...result.models];
  const packages = Object.fromEntries(models.map(([file, model]) => [file, model.document.name]));
  writeRunCache(root, key, { dir: name, models, diagnostics: result.diagnostics, packages, dependencies }, Object.values(result.reads).flat());
  return {
    ok: true,
    diagnostics: result.diagnostics,
    documents: models.map(([file, model]) => ({ file, model, packageDir: path.join(dir, packages[file]!) })),
    cached: result.cached.length,
    generated: true,
  };
}

/**
 * Where a project's run packages go: `node_modules/.cache/arazzo-ts/run` of `projectDir`, else
 * a folder per project in the user's own cache (`$XDG_CACHE_HOME` or `~/.cache`, made private):
 * never a shared temporary folder, where another user could put code for `run` to import.
 */
export function runRoot(projectDir: string): string {
  const modules = path.join(projectDir, "node_modules");
  if (existsSync(modules)) return path.join(modules, ".cache", "arazzo-ts", "run");
  const id = createHash("sha256").update(path.resolve(projectDir)).digest("hex").slice(0, 12);
  const cache = process.env.XDG_CACHE_HOME || (process.platform === "win32" ? process.env.LOCALAPPDATA : undefined) || path.join(os.homedir(), ".cache");
  const own = path.join(cache, "arazzo-ts");
  mkdirSync(own, { recursive: true, mode: 0o700 });
  return path.join(own, "run", id);
}

/**
 * Writes the packages into a temporary folder of `root`, then renames it to `dir`: a run never
 * sees half a folder, and of two runs writing the same folder at once, the first rename wins
 * and the other drops its copy.
 */
function writeFolder(
  root: string,
  dir: string,
  packages: readonly { readonly name: string; readonly files: readonly { readonly path: string; readonly text: string }[] }[],
): void {
  mkdirSync(root, { recursive: true });
  const temporary = mkdtempSync(path.join(root, ".tmp-"));
  try {
    for (const pkg of packages) {
      for (const file of pkg.files) {
        const target = path.join(temporary, pkg.name, file.path);
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, file.text);
      }
    }
    writeFileSync(path.join(temporary, ".complete"), "");
    try {
      renameSync(temporary, dir);
    } catch (error) {
      if (existsSync(path.join(dir, ".complete"))) return; // another run wrote it first
      // A folder without `.complete` (left by a run that was killed): replace it.
      if (!["EEXIST", "ENOTEMPTY", "EPERM"].includes((error as NodeJS.ErrnoException).code ?? "")) throw error;
      rmSync(dir, { recursive: true, force: true });
      renameSync(temporary, dir);
    }
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}

/** Marks a package folder as just used, so pruning keeps it. */
function touch(dir: string): void {
  try {
    const now = new Date();
    utimesSync(dir, now, now);
  } catch {
    // pruned by another run in the meantime: it is written again next time
  }
}

/** The generated package's entry and mocks, imported. */
export async function importPackage(packageDir: string): Promise<{ entry: Record<string, unknown>; mocks: Record<string, unknown> }> {
  const [entry, mocks] = await Promise.all([
    import(pathToFileURL(path.join(packageDir, "dist", "index.js")).href) as Promise<Record<string, unknown>>,
    import(pathToFileURL(path.join(packageDir, "dist", "mocks.js")).href) as Promise<Record<string, unknown>>,
  ]);
  return { entry, mocks };
}

function dependenciesOf(files: readonly { readonly path: string; readonly text: string }[]): string[] {
  const manifest = files.find((f) => f.path === "package.json");
  if (!manifest) return [];
  const json = JSON.parse(manifest.text) as { dependencies?: Record<string, string> };
  return Object.keys(json.dependencies ?? {});
}

/** `<root>/node_modules/<name>` → arazzo-ts's own copy of each package. */
function linkDependencies(root: string, names: readonly string[]): void {
  for (const name of new Set(names)) {
    const folder = packageFolder(name);
    if (!folder) continue;
    const link = path.join(root, "node_modules", ...name.split("/"));
    const current = linkTarget(link);
    // Already linked, or a real folder someone put there: leave it.
    if (current === folder || current === "") continue;
    // A link an older arazzo-ts installation made (or a broken one): point it at this one's.
    if (current !== undefined) rmSync(link, { force: true });
    mkdirSync(path.dirname(link), { recursive: true });
    try {
      symlinkSync(folder, link, process.platform === "win32" ? "junction" : "dir");
    } catch (error) {
      // Another run linked it in the meantime.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}

/** Where the link at `link` points (resolved), `""` for something else there, undefined for nothing. */
function linkTarget(link: string): string | undefined {
  try {
    return lstatSync(link).isSymbolicLink() ? path.resolve(path.dirname(link), readlinkSync(link)) : "";
  } catch {
    return undefined;
  }
}

/**
 * Removes the oldest package folders but the `KEEP` newest and the current one, and temporary
 * folders an hour old (a run killed while writing). Another run may be removing them too.
 */
function pruneOld(root: string, current: string): void {
  const folders: { dir: string; time: number }[] = [];
  const hourAgo = Date.now() - 3_600_000;
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(root, entry.name);
    let time: number;
    try {
      time = statSync(dir).mtimeMs;
    } catch {
      continue;
    }
    if (entry.name.startsWith(".tmp-") && time < hourAgo) rmSync(dir, { recursive: true, force: true });
    else if (/^[0-9a-f]{16}$/.test(entry.name) && dir !== current) folders.push({ dir, time });
  }
  folders.sort((a, b) => b.time - a.time);
  for (const old of folders.slice(KEEP)) rmSync(old.dir, { recursive: true, force: true });
  if (folders.length > KEEP) pruneRunCache(root);
}
