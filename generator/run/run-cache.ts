/**
 * What `arazzo-ts run` generated before, by what it was generated from, so a run of
 * unchanged documents neither generates nor loads the generator (about half a second of a
 * one-second run). An entry is keyed by the request (the Arazzo files, `--source` mappings,
 * warning levels, project root) and by arazzo-ts itself (its version and a hash of its own
 * code and templates, so a changed generator in a clone generates again), and holds the
 * hash of every file generation read: it is used only while each of those still hashes the
 * same. A document read from a URL is never cached (its content is not known without
 * fetching it). It holds the package folder's name, the models and the diagnostics,
 * serialized with `node:v8` (the IR has Maps and Sets).
 *
 * An entry that cannot be read or is not this format is a miss; one that cannot be written
 * is skipped (a read-only cache slows a run, it does not fail it). Written to a temporary
 * file and renamed, so a concurrent run never reads half of one.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { deserialize, serialize } from "node:v8";
import type { Diagnostic } from "../diagnostics.ts";
import type { PackageModel } from "../ir/types.ts";
import { packageFolder } from "../targets/typescript/package-folder.ts";
import { packageVersion } from "../version.ts";

/** Changes when what an entry holds changes shape. */
const FORMAT = 1;

/** What a run's packages are generated from. */
export interface RunCacheRequest {
  readonly inputs: readonly string[];
  readonly sources?: Readonly<Record<string, string>>;
  readonly warnings?: unknown;
  readonly projectRoot?: string;
}

export interface RunCacheEntry {
  /** The package folder under the run root (`<hash>`), complete. */
  readonly dir: string;
  /** The models by Arazzo file (absolute), in input order. */
  readonly models: readonly (readonly [string, PackageModel])[];
  readonly diagnostics: readonly Diagnostic[];
  /** The packages (folder name under `dir`) by Arazzo file. */
  readonly packages: Readonly<Record<string, string>>;
  /** The npm packages the generated code imports (linked into `<root>/node_modules`). */
  readonly dependencies: readonly string[];
}

interface Stored extends RunCacheEntry {
  readonly format: number;
  readonly key: string;
  /** Every file generation read, with the hash of its content then. */
  readonly reads: Readonly<Record<string, string>>;
}

export function runCacheKey(request: RunCacheRequest): string {
  return createHash("sha256")
    .update(
      JSON.stringify({
        format: FORMAT,
        version: packageVersion(),
        code: ownCode(),
        dependencies: dependencyVersions(),
        inputs: request.inputs.map((f) => path.resolve(f)),
        sources: request.sources ?? {},
        warnings: request.warnings ?? null,
        projectRoot: request.projectRoot ?? null,
      }),
    )
    .digest("hex");
}

/** The entry for `key` under `root`, when every file it was generated from is unchanged and its folder is complete. */
export function readRunCache(root: string, key: string): RunCacheEntry | undefined {
  try {
    const stored = deserialize(readFileSync(entryFile(root, key))) as Stored;
    if (stored?.format !== FORMAT || stored.key !== key || typeof stored.dir !== "string" || !/^[0-9a-f]{16}$/.test(stored.dir)) return undefined;
    if (!existsSync(path.join(root, stored.dir, ".complete"))) return undefined;
    for (const [file, hash] of Object.entries(stored.reads)) if (fileHash(file) !== hash) return undefined;
    return stored;
  } catch {
    return undefined;
  }
}

/**
 * Keeps `entry` for `key`, with the hashes of the files read (`reads`: every file of every
 * document); nothing is kept when one of them is not a local file.
 */
export function writeRunCache(root: string, key: string, entry: RunCacheEntry, reads: readonly string[]): void {
  const hashes: Record<string, string> = {};
  for (const file of new Set(reads)) {
    const hash = path.isAbsolute(file) ? fileHash(file) : undefined;
    if (hash === undefined) return;
    hashes[file] = hash;
  }
  const file = entryFile(root, key);
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const stored: Stored = { ...entry, format: FORMAT, key, reads: hashes };
    writeFileSync(temporary, serialize(stored));
    renameSync(temporary, file);
  } catch {
    rmSync(temporary, { force: true });
  }
}

/** Removes entries whose package folder is gone (pruned). */
export function pruneRunCache(root: string): void {
  const dir = path.join(root, "entries");
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    try {
      const stored = deserialize(readFileSync(path.join(dir, name))) as Stored;
      if (!existsSync(path.join(root, stored.dir))) rmSync(path.join(dir, name), { force: true });
    } catch {
      rmSync(path.join(dir, name), { force: true });
    }
  }
}

function entryFile(root: string, key: string): string {
  return path.join(root, "entries", `${key.slice(0, 32)}.bin`);
}

function fileHash(file: string): string | undefined {
  try {
    return createHash("sha256").update(readFileSync(file)).digest("hex");
  } catch {
    return undefined;
  }
}

/** The versions of arazzo-ts's dependencies as installed (openapi-typescript, the formatter...): an upgrade generates again. */
function dependencyVersions(): Record<string, string> {
  const versions: Record<string, string> = {};
  try {
    const manifest = JSON.parse(readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
    };
    for (const name of Object.keys(manifest.dependencies ?? {}).sort()) {
      try {
        const folder = packageFolder(name);
        versions[name] = folder ? (JSON.parse(readFileSync(path.join(folder, "package.json"), "utf8")) as { version: string }).version : "none";
      } catch {
        versions[name] = "unresolved";
      }
    }
  } catch {
    // no manifest beside the code: the version and the code hash decide
  }
  return versions;
}

let own: string | undefined;

/**
 * A hash of arazzo-ts's own code and templates as they run (`generator/` from a clone,
 * `dist/` installed, and `templates/`), so a changed generator generates again.
 */
function ownCode(): string {
  if (own !== undefined) return own;
  const code = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const hash = createHash("sha256");
  for (const folder of [code, path.resolve(code, "../templates")]) {
    let files: string[];
    try {
      files = (readdirSync(folder, { recursive: true, encoding: "utf8" }) as string[]).sort();
    } catch {
      hash.update(`no ${folder}`);
      continue;
    }
    for (const name of files) {
      if (name.endsWith(".map")) continue;
      try {
        const text = readFileSync(path.join(folder, name));
        hash.update(`\0${name}\0${text.length}:`).update(text);
      } catch {
        // a folder
      }
    }
  }
  own = hash.digest("hex");
  return own;
}
