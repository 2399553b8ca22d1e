/**
 * `arazzo-ts` command line: argument parsing, printing diagnostics like `tsc`, exit codes.
 * All the work happens in `generate()`.
 *
 * Exit codes: 0 success (warnings allowed), 1 errors in the input (or, with `--check`,
 * generated files out of date), 2 wrong usage, 3 an internal error (a bug in arazzo-ts).
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { validate } from "./analyze.ts";
import { formatDiagnostic, type Diagnostic } from "./diagnostics.ts";
import { generate, staleFiles } from "./generate.ts";

const USAGE = `Usage:
  arazzo-ts generate <arazzo-file>... --out <dir> [--check] [--all-operations] [--source <name>=<file>]...
  arazzo-ts validate <arazzo-file>... [--source <name>=<file>]...

generate  writes one typed TypeScript package per Arazzo document into <dir>/<document-name>/
validate  checks the documents (JSON Schema, references, operations, expressions) and writes nothing

Options:
  -o, --out <dir>             output directory (generate; required)
      --check                 write nothing; fail (exit 1) and list the files that differ
                              if <dir> is not what generating now would write
      --all-operations        type every operation of each OpenAPI document (a full client);
                              by default only the operations the workflows call are typed
  -s, --source <name>=<file>  read source description <name> from a local file instead of
                              its url (a remote description, or a vendored copy); repeatable
  -h, --help                  show this help

Exit codes: 0 ok (warnings allowed), 1 errors in the input or stale output (--check),
2 wrong usage, 3 internal error.`;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Directory relative paths are read from and shown relative to. */
  cwd: string;
}

export async function main(
  argv: readonly string[],
  io: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l), cwd: process.cwd() },
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        out: { type: "string", short: "o" },
        check: { type: "boolean" },
        "all-operations": { type: "boolean" },
        source: { type: "string", short: "s", multiple: true },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    io.err(`error: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command, ...files] = parsed.positionals;
  if (parsed.values.help || !command) {
    (parsed.values.help ? io.out : io.err)(USAGE);
    return parsed.values.help ? 0 : 2;
  }
  if (command !== "generate" && command !== "validate") {
    io.err(`error: unknown command \`${command}\`\n\n${USAGE}`);
    return 2;
  }
  if (files.length === 0 || (command === "generate" && !parsed.values.out)) {
    io.err(`error: ${files.length === 0 ? "no Arazzo file given" : "--out <dir> is required"}\n\n${USAGE}`);
    return 2;
  }

  const sources: Record<string, string> = {};
  for (const mapping of parsed.values.source ?? []) {
    const match = /^([^=]+)=(.+)$/.exec(mapping);
    if (!match) {
      io.err(`error: --source takes <name>=<file>, not ${JSON.stringify(mapping)}\n\n${USAGE}`);
      return 2;
    }
    sources[match[1]!] = path.resolve(io.cwd, match[2]!);
  }

  const started = performance.now();
  const inputs = files.map((f) => path.resolve(io.cwd, f));
  const printDiagnostics = (diagnostics: readonly Diagnostic[]) => {
    for (const d of diagnostics) (d.severity === "error" ? io.err : io.out)(formatDiagnostic(d, io.cwd));
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    return { errors, warnings: diagnostics.length - errors };
  };

  if (command === "validate") {
    const result = await validate({ inputs, sources });
    const { errors, warnings } = printDiagnostics(result.diagnostics);
    (result.ok ? io.out : io.err)(`\n${files.length} document(s) checked: ${errors} error(s), ${warnings} warning(s).`);
    return result.ok ? 0 : 1;
  }

  const check = parsed.values.check === true;
  const result = await generate({
    inputs,
    outDir: path.resolve(io.cwd, parsed.values.out!),
    sources,
    write: !check,
    allOperations: parsed.values["all-operations"] === true,
  });
  const { errors, warnings } = printDiagnostics(result.diagnostics);
  const ms = Math.round(performance.now() - started);
  if (!result.ok) {
    io.err(`\nFound ${errors} error(s) and ${warnings} warning(s); nothing was written.`);
    return 1;
  }
  if (check) {
    const stale = await staleFiles(result.packages);
    for (const s of stale) io.err(`${s.change.padEnd(7)} ${path.relative(io.cwd, s.file)}`);
    if (stale.length) {
      io.err(`\n${stale.length} generated file(s) are out of date: run \`arazzo-ts generate\` without --check.`);
      return 1;
    }
    io.out(`Generated files are up to date (${result.packages.length} package(s), checked in ${ms} ms).`);
    return 0;
  }
  for (const pkg of result.packages) {
    const changed = result.written.filter((f) => f.startsWith(pkg.dir + path.sep)).length;
    io.out(`wrote ${path.relative(io.cwd, pkg.dir) || "."}/ (${pkg.files.length} files, ${changed} changed)`);
  }
  io.out(`Generated ${result.packages.length} package(s) in ${ms} ms${warnings ? ` with ${warnings} warning(s)` : ""}.`);
  return 0;
}

/** Runs `main` and never lets an exception escape as a stack trace. */
export async function run(argv: readonly string[]): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (error) {
    console.error(`internal error: ${(error as Error)?.message ?? String(error)}\nThis is a bug in arazzo-ts; set ARAZZO_TS_DEBUG=1 for details.`);
    if (process.env.ARAZZO_TS_DEBUG) console.error(error);
    process.exitCode = 3;
  }
}
