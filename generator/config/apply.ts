/**
 * Turns a loaded config and the command line into `generate()`/`validate()` options.
 * Paths in the config are relative to its folder, paths on the command line to the working
 * directory; command-line values win: files given on the command line replace `documents`
 * (their `package` settings still apply to the files they name), `--out` replaces `out`,
 * `--source` mappings replace the config's mapping of the same name, `--checker` replaces `checker`,
 * `--target` replaces `target`, `--no-cache` replaces `cache`.
 *
 * `documents` entries may be globs (`specs/*.arazzo.yaml`), expanded with tinyglobby (a
 * dependency of ts-morph; Node 20 has no `fs.globSync`), loaded only when a glob is used.
 */
import { statSync } from "node:fs";
import path from "node:path";
import type { Diagnostic, WarningLevel } from "../diagnostics.ts";
import type { GenerateOptions, PackageMetadata } from "../generate.ts";
import type { DataPath } from "../load/document.ts";
import type { LoadedConfig } from "./load.ts";

/** What the command line says, paths already absolute. */
export interface CommandLine {
  readonly files?: readonly string[];
  readonly out?: string;
  readonly sources?: Readonly<Record<string, string>>;
  readonly allOperations?: boolean;
  readonly checker?: "native" | "typescript";
  readonly target?: "openapi-fetch" | "restate";
  /** `--no-cache`. */
  readonly cache?: false;
  /** The working directory: without a config file, where the cache goes (in its `node_modules`). */
  readonly cwd?: string;
}

export interface ConfiguredOptions {
  /** Absolute Arazzo files, in order, each once. */
  readonly inputs: readonly string[];
  readonly outDir?: string;
  readonly sources: Readonly<Record<string, string>>;
  readonly allOperations: boolean;
  readonly checker?: "native" | "typescript";
  readonly target?: "openapi-fetch" | "restate";
  readonly warnings?: Readonly<Record<string, WarningLevel>>;
  /** Keyed by absolute Arazzo path. */
  readonly packages?: Readonly<Record<string, PackageMetadata>>;
  /** The config file's folder. */
  readonly projectRoot?: string;
  /** Where type-check results are kept; none when caching is off. */
  readonly cacheDir?: string;
}

/**
 * `generate()` / `validate()` options from a config file: `inputs` (its `documents`, globs
 * expanded), `outDir` (its `out`), `sources`, `allOperations`, `warnings`, `checker`, `target`,
 * the packages' npm metadata, `projectRoot` (the config's folder) and `cacheDir` (its `cache`, or
 * `node_modules/.cache/arazzo-ts` beside it when there is a `node_modules`). Paths are absolute.
 */
export interface ConfigOptions extends Omit<GenerateOptions, "outDir" | "write"> {
  /** The config's `out`, absolute; absent when it sets none (then give `generate()` an `outDir`). */
  readonly outDir?: string;
}

/** The options of a config combined with the command line (`applyConfig`), as `generate()` takes them. */
export function configOptions(c: ConfiguredOptions): ConfigOptions {
  return {
    inputs: c.inputs,
    ...(c.outDir ? { outDir: c.outDir } : {}),
    sources: c.sources,
    allOperations: c.allOperations,
    ...(c.checker ? { checker: c.checker } : {}),
    ...(c.target ? { target: c.target } : {}),
    ...(c.warnings ? { warnings: c.warnings } : {}),
    ...(c.packages ? { packages: c.packages } : {}),
    ...(c.projectRoot ? { projectRoot: c.projectRoot } : {}),
    ...(c.cacheDir ? { cacheDir: c.cacheDir } : {}),
  };
}

export type Configured = { readonly ok: true; readonly options: ConfiguredOptions } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

const GLOB = /[*?[\]{}]/;

export async function applyConfig(loaded: LoadedConfig | undefined, cli: CommandLine): Promise<Configured> {
  const config = loaded?.config ?? {};
  const dir = loaded?.dir ?? cli.cwd ?? process.cwd();
  const diagnostics: Diagnostic[] = [];
  const error = (at: DataPath, message: string, hint?: string) =>
    diagnostics.push({ severity: "error", code: "config", message, ...loaded!.locate(at), ...(hint ? { hint } : {}) });

  const documents: string[] = [];
  const packages: Record<string, PackageMetadata> = {};
  const nameAt = new Map<string, DataPath>();
  const accessAt = new Map<string, DataPath>();
  for (const [i, entry] of (config.documents ?? []).entries()) {
    const pattern = typeof entry === "string" ? entry : entry.path;
    const at: DataPath = typeof entry === "string" ? ["documents", i] : ["documents", i, "path"];
    let files: string[];
    if (GLOB.test(pattern)) {
      const { glob } = await import("tinyglobby");
      files = (await glob(pattern, { cwd: dir, absolute: true, onlyFiles: true, expandDirectories: false })).map((f) => path.resolve(f)).sort();
      if (!files.length) {
        error(at, `no file matches \`${pattern}\``);
        continue;
      }
    } else {
      const file = path.resolve(dir, pattern);
      if (!isFile(file)) {
        error(
          at,
          `document \`${pattern}\` ${exists(file) ? "is not a file" : "does not exist"}`,
          "paths in the config are relative to the config file's folder",
        );
        continue;
      }
      files = [file];
    }
    for (const file of files) if (!documents.includes(file)) documents.push(file);
    if (typeof entry === "string" || !entry.package) continue;
    if (entry.package.name !== undefined && files.length > 1) {
      error(
        ["documents", i, "package", "name"],
        `\`documents.${i}.package.name\` is set for a glob that matches ${files.length} documents: each package needs its own name`,
        "list those documents one by one",
      );
      continue;
    }
    for (const file of files) {
      // A later entry (say, one document of an earlier glob) refines an earlier one.
      packages[file] = { ...packages[file], ...entry.package };
      if (entry.package.name !== undefined) nameAt.set(file, ["documents", i, "package", "name"]);
      if (entry.package.access !== undefined) accessAt.set(file, ["documents", i, "package", "access"]);
    }
  }
  // npm refuses to restrict an unscoped package (`npm publish` fails): said now, where it is set.
  for (const [file, at] of accessAt) {
    const { name, access } = packages[file]!;
    if (access !== "restricted" || name?.startsWith("@")) continue;
    error(
      at,
      `\`access: "restricted"\` needs a scoped package name, but the package of \`${path.relative(dir, file)}\` is ${name === undefined ? "named after the document" : `\`${name}\``}: npm publishes unscoped packages as public only`,
      `give it a scoped \`name\` (\`@acme/${name ?? "payments"}\`), or remove \`access\``,
    );
  }
  const named = new Map<string, string>();
  for (const [file, at] of nameAt) {
    const name = packages[file]!.name!;
    const other = named.get(name);
    if (other)
      error(at, `package name \`${name}\` is already the name of the package of \`${path.relative(dir, other)}\``, "each generated package needs its own name");
    else named.set(name, file);
  }
  if (diagnostics.length) return { ok: false, diagnostics };

  const sources: Record<string, string> = {};
  for (const [name, file] of Object.entries(config.sources ?? {})) sources[name] = path.resolve(dir, file);
  Object.assign(sources, cli.sources);

  const outDir = cli.out ?? (config.out === undefined ? undefined : path.resolve(dir, config.out));
  return {
    ok: true,
    options: {
      inputs: cli.files?.length ? [...new Set(cli.files.map((f) => path.resolve(f)))] : documents,
      ...(outDir ? { outDir } : {}),
      sources,
      allOperations: cli.allOperations === true || config.allOperations === true,
      ...((cli.checker ?? config.checker) ? { checker: cli.checker ?? config.checker } : {}),
      ...((cli.target ?? config.target) ? { target: cli.target ?? config.target } : {}),
      ...(config.warnings ? { warnings: config.warnings } : {}),
      ...(Object.keys(packages).length ? { packages } : {}),
      ...(loaded ? { projectRoot: loaded.dir } : {}),
      ...cacheDir(cli.cache === false ? false : config.cache, dir),
    },
  };
}

/**
 * The cache folder: config `cache` (a folder, relative to the config file), or by default
 * `node_modules/.cache/arazzo-ts` in the project, where build tools keep their caches, when
 * the project has a `node_modules` (so a folder without one gets none made in it).
 */
function cacheDir(cache: boolean | string | undefined, dir: string): { cacheDir?: string } {
  if (cache === false) return {};
  if (typeof cache === "string") return { cacheDir: path.resolve(dir, cache) };
  return exists(path.join(dir, "node_modules")) ? { cacheDir: path.join(dir, "node_modules", ".cache", "arazzo-ts") } : {};
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}
