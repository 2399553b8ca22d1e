/**
 * Type-checks generated packages in-process and emits their JavaScript and `.d.ts`.
 * A type error in generated code means the workflow's wiring does not fit the API (a
 * field that does not exist, a value of the wrong type): it is reported at the Arazzo
 * location the offending code came from, and the generation fails.
 *
 * Workflow modules arrive formatted (`format.ts`): what is checked is what ships, and
 * `dist/` (JavaScript, `.d.ts` and declaration maps into `src/`) comes from the same
 * program, so the check is done once. The source map finds the emitters' fragments in the
 * formatted text whatever the layout (`source-map.ts`).
 */
import path from "node:path";
import { createRequire } from "node:module";
import { IndentationText, ModuleKind, ModuleResolutionKind, NewLineKind, Project, QuoteKind, ScriptTarget, ts } from "ts-morph";
import type { Diagnostic } from "../../diagnostics.ts";
import { RUNTIME_MODULES } from "./imports.ts";
import type { GeneratedFile } from "../target.ts";
import { entryAt, locateFragments } from "./source-map.ts";

const require = createRequire(import.meta.url);

/** One ts-morph project for a whole generation run: structures are printed and all packages checked in it. */
export function createProject(): Project {
  // Generated code imports `openapi-fetch` (and the packages some runtime modules use);
  // resolve them to the generator's own copies so the check works wherever `--out`
  // points, even outside any node_modules tree.
  const packages = ["openapi-fetch", ...new Set(Object.values(RUNTIME_MODULES).flatMap((m) => m.dependencies))];
  const paths = Object.fromEntries(packages.map((name) => [name, [path.dirname(require.resolve(`${name}/package.json`))]]));
  return new Project({
    compilerOptions: {
      target: ScriptTarget.ES2022,
      module: ModuleKind.NodeNext,
      moduleResolution: ModuleResolutionKind.NodeNext,
      lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
      strict: true,
      declaration: true,
      // Go-to-definition in an editor lands in the package's `src/`, which it ships.
      declarationMap: true,
      skipLibCheck: true,
      newLine: NewLineKind.LineFeed,
      paths,
      types: [],
    },
    manipulationSettings: {
      indentationText: IndentationText.TwoSpaces,
      quoteKind: QuoteKind.Double,
      newLineKind: NewLineKind.LineFeed,
      useTrailingCommas: true,
    },
    skipAddingFilesFromTsConfig: true,
  });
}

export interface PackageToCompile {
  readonly dir: string;
  readonly files: readonly GeneratedFile[];
}

/**
 * Adds every package's sources to `project`, type-checks them together and returns the
 * `dist/` files per package; type errors come back as diagnostics at Arazzo locations.
 */
export function compilePackages(project: Project, packages: readonly PackageToCompile[]): { dist: Map<string, GeneratedFile[]>; diagnostics: Diagnostic[] } {
  const byPath = new Map<string, { pkg: PackageToCompile; file: GeneratedFile }>();
  for (const pkg of packages) {
    for (const file of pkg.files) {
      if (!file.path.startsWith("src/") || !file.path.endsWith(".ts")) continue;
      const absolute = path.join(pkg.dir, file.path);
      project.createSourceFile(absolute, file.text, { overwrite: true });
      byPath.set(path.normalize(absolute), { pkg, file });
    }
  }

  const diagnostics: Diagnostic[] = [];
  for (const d of project.getPreEmitDiagnostics()) {
    const source = d.getSourceFile();
    const origin = source ? byPath.get(path.normalize(source.getFilePath())) : undefined;
    const message = ts.flattenDiagnosticMessageText(d.compilerObject.messageText, "\n");
    const start = d.getStart() ?? 0;
    // Nothing is written when generation fails, so the hint quotes the generated line itself.
    const generatedAt =
      source && origin
        ? `generated ${origin.file.path}:${source.getLineAndColumnAtPos(start).line}: ${generatedLine(origin.file.text, start)}`
        : `generated ${source?.getFilePath() ?? "code"}`;
    const entry = origin?.file.sourceMap ? entryAt(locateFragments(origin.file.text, origin.file.sourceMap), start) : undefined;
    diagnostics.push({
      severity: "error",
      code: `TS${d.getCode()}`,
      message: firstLines(message),
      ...(entry ? entry.location : {}),
      hint: [entry?.note, generatedAt].filter(Boolean).join("\n  "),
    });
  }
  if (diagnostics.length) return { dist: new Map(), diagnostics };

  const dist = new Map<string, GeneratedFile[]>(packages.map((p) => [p.dir, []]));
  // Lines of header put back in front of each `.d.ts`, by its dist path, to shift its map.
  const shifted = new Map<string, number>();
  const outputs = project.emitToMemory().getFiles();
  for (const output of outputs) {
    const pkg = packages.find(
      (p) => output.filePath.startsWith(path.join(p.dir, "src") + path.sep) || output.filePath.startsWith(`${path.join(p.dir, "src")}/`),
    );
    if (!pkg || output.filePath.endsWith(".map")) continue;
    const relative = path.relative(path.join(pkg.dir, "src"), output.filePath).split(path.sep).join("/");
    const source = pkg.files.find((f) => f.path === `src/${relative.replace(/\.d\.ts$|\.js$/, ".ts")}`);
    const header = source ? leadingLineComments(source.text) : "";
    const restore = header && !output.text.startsWith(header);
    if (restore) shifted.set(path.join(pkg.dir, "dist", relative), header.split("\n").length - 1);
    dist.get(pkg.dir)!.push({ path: `dist/${relative}`, text: restore ? `${header}${output.text}` : output.text });
  }
  for (const output of outputs) {
    const pkg = packages.find((p) => output.filePath.startsWith(path.join(p.dir, "src") + path.sep));
    if (!pkg || !output.filePath.endsWith(".map")) continue;
    const relative = path.relative(path.join(pkg.dir, "src"), output.filePath).split(path.sep).join("/");
    const lines = shifted.get(path.join(pkg.dir, "dist", relative.replace(/\.map$/, ""))) ?? 0;
    dist.get(pkg.dir)!.push({ path: `dist/${relative}`, text: relocateMap(output.text, relative, lines) });
  }
  return { dist, diagnostics };
}

/**
 * A declaration map emitted beside its source (`src/x.d.ts.map`, sources `["x.ts"]`) as it
 * must read from `dist/`: sources relative to the map's new folder, and `mappings` shifted
 * down by the header lines put back on top of the `.d.ts` (each `;` starts a line).
 */
function relocateMap(text: string, relative: string, lines: number): string {
  const map = JSON.parse(text) as { sources: string[]; mappings: string };
  const from = path.posix.dirname(`dist/${relative}`);
  const sources = map.sources.map((s) => path.posix.relative(from, path.posix.join(path.posix.dirname(`src/${relative}`), s)));
  return JSON.stringify({ ...map, sources, mappings: `${";".repeat(lines)}${map.mappings}` });
}

/** The `//` comment lines a file starts with (the do-not-edit header), which declaration emit drops. */
function leadingLineComments(text: string): string {
  return /^(?:\/\/.*\n)*/.exec(text)![0];
}

/** The line of generated code at `offset`, trimmed and cut to a readable length. */
function generatedLine(text: string, offset: number): string {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  const end = text.indexOf("\n", offset);
  const line = text.slice(start, end < 0 ? undefined : end).trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

function firstLines(message: string): string {
  const lines = message.split("\n");
  return lines.length > 4 ? `${lines.slice(0, 4).join("\n")}\n…` : message;
}
