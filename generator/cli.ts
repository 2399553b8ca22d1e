/**
 * `arazzo-ts` command line: argument parsing, printing diagnostics like `tsc`, exit codes.
 * All the work happens in `generate()`.
 *
 * Exit codes: 0 success (warnings allowed), 1 errors in the input, 2 wrong usage,
 * 3 an internal error (a bug in arazzo-ts: please report it).
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { formatDiagnostic } from "./diagnostics.ts";
import { generate } from "./generate.ts";

const USAGE = `Usage: arazzo-ts generate <arazzo-file>... --out <dir> [--source <name>=<file>]...

Generates one typed TypeScript package per Arazzo document into <dir>/<document-name>/.

Options:
  -o, --out <dir>             output directory (required)
  -s, --source <name>=<file>  read source description <name> from a local file instead of
                              its url (a remote description, or a vendored copy); repeatable
  -h, --help                  show this help`;

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
  if (command !== "generate") {
    io.err(`error: unknown command \`${command}\`\n\n${USAGE}`);
    return 2;
  }
  if (files.length === 0 || !parsed.values.out) {
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
  const result = await generate({ inputs: files.map((f) => path.resolve(io.cwd, f)), outDir: path.resolve(io.cwd, parsed.values.out), sources });
  for (const d of result.diagnostics) (d.severity === "error" ? io.err : io.out)(formatDiagnostic(d, io.cwd));
  const errors = result.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = result.diagnostics.length - errors;
  const ms = Math.round(performance.now() - started);
  if (!result.ok) {
    io.err(`\nFound ${errors} error(s) and ${warnings} warning(s); nothing was written.`);
    return 1;
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
