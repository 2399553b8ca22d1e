/**
 * The compiler options generated packages are checked and emitted with, in `tsconfig.json`
 * form: the in-process checker (`compile.ts`) converts them, the native one
 * (`check-native.ts`) writes them to a `tsconfig.json`, so both check the same program.
 *
 * Two differences, so that both check against the same declarations:
 * - Modules: the in-process checker (ts-morph) gives its source files no module format, so
 *   TypeScript resolves their imports as CommonJS does, and a `paths` entry that names a
 *   package folder finds the package's declarations through its `package.json`. tsgo reads
 *   the sources as the ES modules they are (`"type": "module"`), and an ES module import
 *   does not resolve a folder: for tsgo, each `paths` entry names the declaration file
 *   TypeScript resolves the folder to.
 * - Libs: tsgo's own `lib.dom.d.ts` has the DOM's iterables (`for (const [k, v] of
 *   headers)`, `Object.fromEntries(headers)`), which TypeScript 5's leaves to
 *   `dom.iterable`: code tsgo accepts with `lib: ["es2022", "dom"]` would fail for users
 *   compiling the package's `src/` with TypeScript 5 and the package's `tsconfig.json`. So
 *   tsgo gets `noLib` and TypeScript 5.9's lib files, those the in-process checker uses.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { ts } from "./ts-morph.ts";
import { RUNTIME_MODULES } from "./imports.ts";
import { OPTIONAL_PACKAGES, packageFolder } from "./package-folder.ts";

const require = createRequire(import.meta.url);

/** The options, `tsconfig.json` form. */
export function checkCompilerOptions(): Record<string, unknown> {
  // Generated code imports `openapi-fetch` (and the packages some runtime modules use);
  // resolve them to the generator's own copies so the check works wherever `--out`
  // points, even outside any node_modules tree.
  // `msw`: the optional peer `<package>/mocks/msw` is written against.
  // The Restate SDK packages are optional peers of arazzo-ts: when they are not installed the
  // restate target says so (`targets/restate/`) and nothing here names them.
  const packages = ["openapi-fetch", "msw", ...new Set([...Object.values(RUNTIME_MODULES).flatMap((m) => m.dependencies), ...OPTIONAL_PACKAGES])];
  const paths = Object.fromEntries(
    packages.flatMap((name) => {
      const folder = packageFolder(name);
      return folder ? [[name, [folder]]] : [];
    }),
  );
  return {
    target: "es2022",
    module: "nodenext",
    moduleResolution: "nodenext",
    lib: ["es2022", "dom"],
    strict: true,
    declaration: true,
    // Go-to-definition in an editor lands in the package's `src/`, which it ships.
    declarationMap: true,
    skipLibCheck: true,
    newLine: "lf",
    paths,
    types: [],
  };
}

/**
 * The same options for tsgo: each `paths` entry the declaration file the in-process checker
 * resolves it to, and no lib of its own (the files of `checkLibFiles()` are given instead).
 */
export function nativeCompilerOptions(): Record<string, unknown> {
  const { lib: _, ...json } = checkCompilerOptions();
  const options = ts.convertCompilerOptionsFromJson(json, process.cwd()).options;
  const from = path.join(process.cwd(), "check.ts");
  const paths = Object.entries(json.paths as Record<string, string[]>).map(([name, [folder]]) => {
    const resolved = ts.resolveModuleName(name, from, options, ts.sys).resolvedModule;
    return [name, [resolved?.resolvedFileName ?? folder]];
  });
  return { ...json, noLib: true, paths: Object.fromEntries(paths) };
}

/** The lib files of `lib` and those they reference, as the in-process checker has them (TypeScript's, as ts-morph bundles them). */
export function checkLibFiles(): { readonly fileName: string; readonly text: string }[] {
  // ts-morph's own copy of @ts-morph/common, where it keeps them.
  const common = createRequire(require.resolve("ts-morph"))("@ts-morph/common") as {
    getLibFiles(): readonly { fileName: string; text: string }[];
  };
  const all = new Map(common.getLibFiles().map((f) => [f.fileName, f.text]));
  const wanted = new Map<string, string>();
  const pending = (checkCompilerOptions().lib as string[]).map((name) => `lib.${name}.d.ts`);
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const text = all.get(name);
    if (text === undefined || wanted.has(name)) continue;
    wanted.set(name, text);
    for (const reference of text.matchAll(/<reference\s+lib\s*=\s*"([^"]+)"/g)) pending.push(`lib.${reference[1]!.toLowerCase()}.d.ts`);
  }
  return [...wanted].sort(([a], [b]) => a.localeCompare(b)).map(([fileName, text]) => ({ fileName, text }));
}
