/**
 * How generated files name the specs they came from: relative to the project, never with
 * the folders of the machine that generated them and never climbing out of the project
 * (`../../../home/ci/…`), so a published package's headers are the same wherever it was built.
 *
 * The project is the `projectRoot` given (the config file's folder), else the nearest folder
 * above the Arazzo document that has a `package.json`; when a spec lies outside it, the
 * deepest folder that holds all the specs.
 */
import { existsSync } from "node:fs";
import path from "node:path";

/** A function giving each spec's display path (with `/` separators) for one document's specs. */
export function specNamer(arazzoFile: string, specs: readonly string[], projectRoot?: string): (file: string) => string {
  const candidates = [projectRoot, packageRoot(arazzoFile)].filter((r): r is string => !!r);
  const root = candidates.find((r) => specs.every((file) => inside(r, file))) ?? commonFolder(specs);
  return (file) => path.relative(root, file).split(path.sep).join("/");
}

function inside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== "" && !rel.startsWith(`..${path.sep}`) && rel !== ".." && !path.isAbsolute(rel);
}

/** The nearest folder at or above the document's that has a `package.json`. */
function packageRoot(file: string): string | undefined {
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The deepest folder containing every file. */
function commonFolder(files: readonly string[]): string {
  const split = files.map((f) => path.dirname(path.resolve(f)).split(path.sep));
  const first = split[0] ?? [path.sep];
  let n = 0;
  while (n < first.length && split.every((parts) => parts[n] === first[n])) n++;
  return first.slice(0, n).join(path.sep) || path.sep;
}
