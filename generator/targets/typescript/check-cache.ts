/**
 * Type-check results kept by content hash, so a package whose sources did not change is not
 * checked again: the second `generate` in CI, and every regeneration in watch mode of the
 * documents that did not change. The check is most of the time of a large package (1,000
 * workflows: 10 of 18 s).
 *
 * One file per package folder (`check-<hash of the folder>.json`), so the cache holds at most
 * one entry per package and needs no pruning. It holds the key and the package's `dist/`
 * files. The key hashes everything the result depends on: the `src/*.ts` texts, the compiler
 * options, the checker and its version, the versions of the packages the code is checked
 * against, and arazzo-ts's own version. Only successes are kept: a run with type errors is
 * checked again, so its diagnostics always come from the checker.
 *
 * An entry that cannot be read, or is not what this module writes, counts as a miss; a
 * cache that cannot be written is skipped silently (a read-only folder slows a run, it does
 * not fail it). Entries are written to a temporary file and renamed, so two runs at once
 * never see half an entry.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { ts } from "./ts-morph.ts";
import type { GeneratedFile } from "../target.ts";
import type { PackageToCompile } from "./check-result.ts";
import { checkCompilerOptions, checkLibFiles } from "./compiler-options.ts";

const require = createRequire(import.meta.url);

/** Changes when what an entry holds changes shape. */
const FORMAT = 1;

interface Entry {
  readonly format: number;
  readonly key: string;
  readonly dist: readonly GeneratedFile[];
}

export class CheckCache {
  constructor(
    /** The cache folder (created on the first write). */
    readonly dir: string,
    /** What else the results depend on: arazzo-ts's version. */
    private readonly generator: string,
  ) {}

  /** The content hash of what checking `pkg` with `checker` (its name and version) depends on. */
  key(pkg: PackageToCompile, checker: string): string {
    const hash = createHash("sha256");
    const options = checkCompilerOptions();
    const versions = Object.keys(options.paths as Record<string, unknown>).map((name) => `${name}@${versionOf(name)}`);
    hash.update(JSON.stringify({ format: FORMAT, generator: this.generator, code: ownCode(), checker, options, versions }));
    for (const file of [...pkg.files].sort((a, b) => a.path.localeCompare(b.path))) {
      if (!file.path.startsWith("src/") || !file.path.endsWith(".ts")) continue;
      // Lengths first, so no two file lists hash alike by moving text between path and content.
      hash.update(`\0${file.path.length}:${file.path}\0${file.text.length}:`).update(file.text);
    }
    return hash.digest("hex");
  }

  /** The `dist/` files kept for `pkg` under `key`, or undefined. */
  async read(pkg: PackageToCompile, key: string): Promise<GeneratedFile[] | undefined> {
    try {
      const entry = JSON.parse(await readFile(this.entryFile(pkg), "utf8")) as Entry;
      if (entry?.format !== FORMAT || entry.key !== key || !Array.isArray(entry.dist)) return undefined;
      // Only files under dist/: an entry never writes anywhere else.
      const safe = (p: unknown) => typeof p === "string" && p.startsWith("dist/") && !p.split(/[\\/]/).includes("..");
      if (!entry.dist.every((f) => safe(f?.path) && typeof f.text === "string")) return undefined;
      return entry.dist.map((f) => ({ path: f.path, text: f.text }));
    } catch {
      return undefined;
    }
  }

  /** Keeps `dist` as the result of checking `pkg` under `key`, replacing the package's previous entry. */
  async write(pkg: PackageToCompile, key: string, dist: readonly GeneratedFile[]): Promise<void> {
    const file = this.entryFile(pkg);
    const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
    try {
      await mkdir(this.dir, { recursive: true });
      const entry: Entry = { format: FORMAT, key, dist: dist.map((f) => ({ path: f.path, text: f.text })) };
      await writeFile(temporary, JSON.stringify(entry));
      await rename(temporary, file);
    } catch {
      // Not cached: the next run checks again.
      await rm(temporary, { force: true }).catch(() => undefined);
    }
  }

  private entryFile(pkg: PackageToCompile): string {
    return path.join(this.dir, `check-${createHash("sha256").update(path.resolve(pkg.dir)).digest("hex").slice(0, 16)}.json`);
  }
}

let own: string | undefined;

/**
 * A hash of the code that makes a check's result (this folder's checker modules, as they run:
 * `.ts` from a clone, `.js` installed) and of the lib files the check uses: a changed
 * generator in a clone or a linked copy, with the same version number, checks again.
 */
function ownCode(): string {
  if (own !== undefined) return own;
  const hash = createHash("sha256");
  const here = fileURLToPath(import.meta.url);
  const extension = path.extname(here);
  for (const name of ["check-cache", "check-native", "check-result", "compile", "compiler-options", "declarations", "source-map"]) {
    try {
      hash.update(readFileSync(path.join(path.dirname(here), `${name}${extension}`)));
    } catch {
      hash.update(`no ${name}`);
    }
  }
  for (const lib of checkLibFiles()) hash.update(lib.fileName).update(lib.text);
  // The declarations come from this TypeScript whichever checker ran (`declarations.ts`).
  hash.update(`declarations: typescript ${ts.version}`);
  own = hash.digest("hex");
  return own;
}

function versionOf(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return "unknown";
  }
}
