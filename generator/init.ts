/**
 * `arazzo-ts init [<dir>]`: starts a project in `<dir>` (the working directory by default).
 *
 * Writes `arazzo-ts.config.json` with a `$schema` that editors resolve to the config's JSON
 * Schema in the installed package, the Arazzo `documents` and `"out": "generated"`. In a folder
 * with no Arazzo document yet it also writes an example to start from (`templates/init/`: a
 * tiny OpenAPI 3.1 description of a made-up API and an Arazzo 1.0.1 workflow of two steps
 * that calls it, which generates with no warning), and the config names it; in a folder that
 * has Arazzo documents, the config lists those. Then it prints the commands that come next.
 *
 * It never overwrites a file: when one it would write exists, it writes nothing, names it, and
 * exits 1 (like `tsc --init` with a tsconfig.json). Exit 2 is wrong usage, as for every command.
 *
 * Light: node built-ins, `config/find.ts` and `shared/command-line.ts` only (`arazzo-ts init --help` loads nothing else).
 */
import { type Dirent, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CONFIG_NAMES } from "./config/find.ts";
import { parseCommandLine } from "./shared/command-line.ts";
import { documentName } from "./shared/document-name.ts";

export const INIT_USAGE = `Usage:
  arazzo-ts init [<dir>]

Starts an arazzo-ts project in <dir> (default: the working directory; made if missing).
Writes arazzo-ts.config.json: its "$schema" (for editors), the Arazzo "documents" and
"out": "generated". In a folder with no Arazzo document yet, it also writes an example
to start from, which the config names: specs/library.openapi.yaml (a made-up API) and
specs/lending.arazzo.yaml (a workflow of two steps that calls it). In a folder that has
Arazzo documents, the config lists them. Then it prints the commands that come next.

It never overwrites a file: if a file it would write exists, it writes nothing.

Options:
  -h, --help  show this help

Exit codes: 0 written, 1 a file it would write exists (nothing written), 2 wrong usage.`;

/** Where the config's JSON Schema is in the installed package (`npm run build` copies generator/config/ to dist/config/). */
export const SCHEMA_IN_PACKAGE = "dist/config/arazzo-ts.config.schema.json";

/** The example's files, from `templates/init/` (shipped in the package: package.json `files`), written to these paths. */
export const EXAMPLE_FILES = { "specs/library.openapi.yaml": "library.openapi.yaml", "specs/lending.arazzo.yaml": "lending.arazzo.yaml" } as const;
const EXAMPLE_DOCUMENT = "specs/lending.arazzo.yaml";
const OUT = "generated";

// From generator/init.ts and from the compiled dist/init.js alike: templates/ is beside both folders.
const TEMPLATES = fileURLToPath(new URL("../templates/init/", import.meta.url));

export interface InitIo {
  out(line: string): void;
  err(line: string): void;
  cwd: string;
}

export async function initCommand(argv: readonly string[], io: InitIo): Promise<number> {
  const parsed = parseCommandLine(argv, { help: { type: "boolean", short: "h" } });
  if (!parsed.ok) {
    io.err(`error: ${parsed.message}\n\n${INIT_USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(INIT_USAGE);
    return 0;
  }
  if (parsed.positionals.length > 1) {
    io.err(`error: init takes one folder, not ${parsed.positionals.length} (${parsed.positionals.join(", ")})\n\n${INIT_USAGE}`);
    return 2;
  }
  const dir = path.resolve(io.cwd, parsed.positionals[0] ?? ".");
  const shown = (file: string) => toPosix(path.relative(io.cwd, file)) || ".";
  const kind = statOrUndefined(dir);
  if (kind && !kind.isDirectory()) {
    io.err(`error: ${shown(dir)} is a file, not a folder\n\n${INIT_USAGE}`);
    return 2;
  }

  const found = kind ? findArazzoDocuments(dir) : [];
  const files = new Map<string, string>(); // path relative to dir → content
  const config = {
    $schema: schemaReference(dir),
    documents: found.length ? found : [EXAMPLE_DOCUMENT],
    out: OUT,
  };
  files.set("arazzo-ts.config.json", `${JSON.stringify(config, null, 2)}\n`);
  if (!found.length) for (const [to, from] of Object.entries(EXAMPLE_FILES)) files.set(to, readFileSync(path.join(TEMPLATES, from), "utf8"));

  // Nothing is written when anything is in the way: a config of any format (a second one
  // beside it would make every command fail), or a file of the example.
  const inTheWay = [...new Set([...CONFIG_NAMES, ...files.keys()])].filter((file) => statOrUndefined(path.join(dir, file)));
  if (inTheWay.length) {
    for (const file of inTheWay) io.err(`${shown(path.join(dir, file))} already exists: left as it is.`);
    io.err("\nNothing was written: init never overwrites a file.");
    return 1;
  }

  for (const [file, text] of files) {
    const target = path.join(dir, file);
    try {
      mkdirSync(path.dirname(target), { recursive: true });
      // `wx`: fails rather than overwrite a file made since the check above.
      writeFileSync(target, text, { flag: "wx" });
    } catch (error) {
      io.err(`error: cannot write ${shown(target)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      return 1;
    }
  }

  const written = (file: string) => shown(path.join(dir, file));
  if (found.length) {
    io.out(`Wrote ${written("arazzo-ts.config.json")}, for the ${found.length} Arazzo document(s) found here:`);
    for (const file of found) io.out(`  ${file}`);
  } else {
    io.out(`Wrote ${written("arazzo-ts.config.json")}`);
    io.out(`Wrote ${written("specs/library.openapi.yaml")}  a made-up API to start from`);
    io.out(`Wrote ${written("specs/lending.arazzo.yaml")}   workflow borrow-book: two calls to that API`);
  }
  io.out("");
  io.out(nextSteps(found, shown(dir)));
  return 0;
}

/** The commands that come next, in the project folder. */
function nextSteps(found: readonly string[], dir: string): string {
  const packages = found.length ? found.map(documentName) : ["lending"];
  const pkg = packages[0]!;
  const run = found.length ? "run<WorkflowId>" : "runBorrowBook";
  const lines = ["Next:"];
  if (dir !== ".") lines.push(`  cd ${/^[\w./-]+$/.test(dir) ? dir : JSON.stringify(dir)}`);
  lines.push(
    "  npx arazzo-ts generate",
    found.length
      ? `      generates a typed package per document: ${packages.map((p) => `${OUT}/${p}/`).join(", ")} (see its README.md)`
      : `      generates ${OUT}/${pkg}/, a typed package: ${run}() and mocks of the API`,
    `  npm install ./${OUT}/${pkg}`,
    "      makes it a dependency of your app (or list it in your npm workspaces), to call it:",
    `        import { ${run} } from "${pkg}";`,
    found.length ? `        const outputs = await ${run}(inputs);` : `        const { loanId, dueDate } = await ${run}({ title: "Dune", memberId: "m-7" });`,
    "  npx arazzo-ts run --mock",
    `      runs the workflow${found.length ? "s" : ""} on the package's own mocks; in your tests:`,
    `        import { createMockFetch, exampleInputs } from "${pkg}/mocks";`,
    `        await ${run}(exampleInputs["${found.length ? "<workflowId>" : "borrow-book"}"], { fetch: createMockFetch() });`,
  );
  return lines.join("\n");
}

/**
 * `$schema` for the config in `dir`: the schema file of the arazzo-ts installed in the nearest
 * `node_modules` from `dir` up, else where it will be once arazzo-ts is installed in `dir`.
 */
function schemaReference(dir: string): string {
  for (let at = dir; ; ) {
    const installed = path.join(at, "node_modules", "arazzo-ts");
    if (statOrUndefined(path.join(installed, "package.json"))) {
      const rel = toPosix(path.relative(dir, path.join(installed, SCHEMA_IN_PACKAGE)));
      return rel.startsWith("../") ? rel : `./${rel}`;
    }
    const parent = path.dirname(at);
    if (parent === at) return `./node_modules/arazzo-ts/${SCHEMA_IN_PACKAGE}`;
    at = parent;
  }
}

/**
 * The Arazzo documents under `dir` (YAML or JSON files with a top-level `arazzo` version),
 * relative to it, sorted. Not searched: node_modules, dot folders, and folders of tests and
 * build output (`test`, `fixtures`, `generated`, `dist`…), whose documents are not the project's
 * own workflows (a test fixture is often broken on purpose).
 */
const SKIPPED_FOLDERS = new Set(["node_modules", "test", "tests", "__tests__", "fixtures", "__fixtures__", "generated", "dist", "build", "out", "coverage"]);

function findArazzoDocuments(dir: string): string[] {
  const found: string[] = [];
  const visit = (folder: string, depth: number) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const file = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (depth < 8 && !SKIPPED_FOLDERS.has(entry.name.toLowerCase()) && !entry.name.startsWith(".")) visit(file, depth + 1);
      } else if (entry.isFile() && /\.(ya?ml|json)$/i.test(entry.name) && isArazzoDocument(file)) {
        found.push(toPosix(path.relative(dir, file)));
      }
    }
  };
  visit(dir, 0);
  return found.sort();
}

function isArazzoDocument(file: string): boolean {
  try {
    if (statSync(file).size > 20_000_000) return false;
    const text = readFileSync(file, "utf8");
    return /\.json$/i.test(file) ? /"arazzo"\s*:\s*"\d+\.\d+/.test(text) : /^["']?arazzo["']?[ \t]*:[ \t]*["']?\d+\.\d+/m.test(text);
  } catch {
    return false;
  }
}

function statOrUndefined(file: string) {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

function toPosix(file: string): string {
  return file.split(path.sep).join("/");
}
