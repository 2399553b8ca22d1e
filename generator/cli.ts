/**
 * `arazzo-ts` command line: argument parsing, the config file, printing diagnostics like
 * `tsc`, exit codes. The work happens in `generate()` / `validate()` / `watch()`.
 *
 * Fast start: this module imports only light modules (node built-ins, `diagnostics.ts`,
 * `version.ts`, `config/find.ts`). The generator, the config loader (Ajv, YAML, TypeScript)
 * and the watcher are loaded with `import()` by the commands that need them, so `--help`
 * and `--version` load none of ts-morph, openapi-typescript, typescript, ajv, yaml or handlebars.
 *
 * Exit codes: 0 success (warnings allowed), 1 errors in the input (or, with `--check`,
 * generated files out of date, or more warnings than `--max-warnings`), 2 wrong usage or a
 * bad config file, 3 an internal error (a bug in arazzo-ts).
 */
import path from "node:path";
import { findConfig } from "./config/find.ts";
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from "./diagnostics.ts";
import type { GenerateOptions } from "./generate.ts";
import { packageVersion } from "./version.ts";
import type { RunIo } from "./run/io.ts";
import { RUN_OPTIONS } from "./run/usage.ts";
import { type OptionTable, parseCommandLine } from "./shared/command-line.ts";
import { closest } from "./shared/suggest.ts";
import { withOpenapiTypescriptThread } from "./targets/typescript/openapi-typescript-thread.ts";

/** The options of `generate` and `validate` (`run` has its own: `run/usage.ts`). */
export const OPTIONS = {
  out: { type: "string", short: "o" },
  check: { type: "boolean" },
  watch: { type: "boolean", short: "w" },
  "all-operations": { type: "boolean" },
  source: { type: "string", short: "s", multiple: true },
  "no-types": { type: "boolean" },
  "no-cache": { type: "boolean" },
  checker: { type: "string" },
  target: { type: "string", short: "t" },
  config: { type: "string", short: "c" },
  quiet: { type: "boolean", short: "q" },
  "max-warnings": { type: "string" },
  version: { type: "boolean", short: "v" },
  help: { type: "boolean", short: "h" },
} as const satisfies OptionTable;

/** Options of one of the two commands only: what the other says when given one. */
const NOT_FOR: Readonly<Record<"generate" | "validate", Readonly<Partial<Record<keyof typeof OPTIONS, string>>>>> = {
  generate: { "no-types": "--no-types is an option of validate, not generate (generate always type-checks)" },
  validate: { check: "--check is an option of generate, not validate", watch: "--watch is an option of generate, not validate" },
};

/** The options each command takes (`--help` and `--version` aside, which any takes). */
export const COMMAND_OPTIONS: Readonly<Record<"generate" | "validate", readonly string[]>> = {
  generate: Object.keys(OPTIONS).filter((o) => !(o in NOT_FOR.generate) && o !== "help" && o !== "version"),
  validate: Object.keys(OPTIONS).filter((o) => !(o in NOT_FOR.validate) && o !== "help" && o !== "version"),
};

export const USAGE = `Usage:
  arazzo-ts generate [<arazzo-file>...] [--out <dir>] [--target <name>] [--check | --watch]
                     [--all-operations] [--source <name>=<file>]... [--checker <name>] [--no-cache]
                     [--config <file>] [--quiet] [--max-warnings <n>]
  arazzo-ts validate [<arazzo-file>...] [--no-types] [--out <dir>] [--target <name>]
                     [--all-operations] [--source <name>=<file>]... [--checker <name>] [--no-cache]
                     [--config <file>] [--quiet] [--max-warnings <n>]
  arazzo-ts run [<arazzo-file>...] [--workflow <id>]... [--mock] [--input <name>=<value>]... [<option>...]
  arazzo-ts init [<dir>]
  arazzo-ts --help | --version

generate  writes one typed TypeScript package per Arazzo document into <dir>/<document-name>/
validate  runs every check generate runs, type-check included, and writes nothing
run       runs workflows against their APIs or the packages' own mocks, with reports (arazzo-ts run --help)
init      starts a project: writes arazzo-ts.config.json, and an example API and workflow in a
          folder with no Arazzo document yet (arazzo-ts init --help)

The files, --out, --source and more can be set in arazzo-ts.config.{ts,mjs,json}, found in the
working directory or the nearest folder above it; the command line overrides the config.

Options:
  -o, --out <dir>             output directory (required by generate unless the config sets \`out\`)
      --check                 write nothing; fail (exit 1) and list the files that differ
                              if <dir> is not what generating now would write
  -w, --watch                 generate, then regenerate the documents whose Arazzo or OpenAPI
                              files (or the config) change, until Ctrl-C
      --all-operations        type every operation of each OpenAPI document (a full client);
                              by default only the operations the workflows call are typed
  -s, --source <name>=<file>  read source description <name> from a local file instead of
                              its url (a remote description, or a vendored copy); repeatable
      --no-types              validate only: skip emitting and type-checking the code (faster;
                              a value of the wrong type for an API field goes unnoticed)
  -t, --target <name>         what to generate: openapi-fetch (the default: typed run<Workflow>
                              functions over openapi-fetch clients) or restate (the same, plus
                              a Restate workflow service per workflow: durable execution)
      --checker <name>        what type-checks the generated code: native (tsgo, the native
                              TypeScript compiler; the default when installed) or typescript
                              (the TypeScript compiler in-process)
      --no-cache              type-check every package, even one whose generated code did not
                              change since a run that passed (results are kept by content
                              hash in node_modules/.cache/arazzo-ts)
  -c, --config <file>         use this config file instead of looking for arazzo-ts.config.*
  -q, --quiet                 print errors only: no warnings, no summary when all is well
      --max-warnings <n>      exit 1 when there are more than <n> warnings (then printed, even
                              with --quiet)
  -v, --version               print the version of arazzo-ts
  -h, --help                  show this help

Exit codes: 0 ok (warnings allowed), 1 errors in the input, stale output (--check) or more
warnings than --max-warnings, 2 wrong usage or a bad config file, 3 internal error.`;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Directory relative paths are read from and shown relative to; the config file is looked for from here. */
  cwd: string;
  /** For `run`: where its lines go (as they come, not a line at a time), whether that is a terminal, the environment. */
  run?: Partial<Pick<RunIo, "out" | "tty" | "env">>;
}

export async function main(
  argv: readonly string[],
  io: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l), cwd: process.cwd() },
): Promise<number> {
  // `run` has options of its own (`run/command.ts`).
  // `init` too (`init.ts`).
  if (argv[0] === "init") {
    const { initCommand } = await import("./init.ts");
    return initCommand(argv.slice(1), io);
  }
  if (argv[0] === "run") {
    const { runCommand } = await import("./run/command.ts");
    return runCommand(
      argv.slice(1),
      {
        out: (text) => process.stdout.write(text),
        err: io.err,
        cwd: io.cwd,
        tty: process.stdout.isTTY === true,
        env: process.env,
        ...io.run,
      },
      (name) => (name !== "version" && Object.hasOwn(OPTIONS, name) ? "generate and validate, not run" : undefined),
    );
  }
  const usage = (message: string) => {
    io.err(`error: ${message}\n\n${USAGE}`);
    return 2;
  };
  const parsed = parseCommandLine(argv, OPTIONS, (name) => (Object.hasOwn(RUN_OPTIONS, name) ? "run, not of generate or validate" : undefined));
  if (!parsed.ok) return usage(parsed.message);
  const { values } = parsed;
  if (values.version) {
    io.out(packageVersion());
    return 0;
  }
  const [command, ...files] = parsed.positionals;
  if (values.help || !command) {
    (values.help ? io.out : io.err)(USAGE);
    return values.help ? 0 : 2;
  }
  if (command === "run") return usage("`run` comes first, before its options: arazzo-ts run [<arazzo-file>...] [<option>...]");
  if (command === "init") return usage("`init` comes first, before its options: arazzo-ts init [<dir>]");
  if (command !== "generate" && command !== "validate") {
    const close = closest(command, ["generate", "validate", "run", "init"]);
    return usage(`unknown command \`${command}\`${close ? `; did you mean \`${close}\`?` : ""}`);
  }
  for (const [flag, message] of Object.entries(NOT_FOR[command])) if (values[flag as keyof typeof values]) return usage(message);
  if (values.check && values.watch) return usage("--check and --watch do not go together");

  let maxWarnings: number | undefined;
  if (values["max-warnings"] !== undefined) {
    if (!/^\d+$/.test(values["max-warnings"]))
      return usage(`--max-warnings takes a number of warnings (0 or more), not ${JSON.stringify(values["max-warnings"])}`);
    maxWarnings = Number(values["max-warnings"]);
  }
  if (values.checker !== undefined && values.checker !== "native" && values.checker !== "typescript")
    return usage(`--checker takes native or typescript, not ${JSON.stringify(values.checker)}`);
  const checker = values.checker as "native" | "typescript" | undefined;
  if (values.target !== undefined && values.target !== "openapi-fetch" && values.target !== "restate")
    return usage(`--target takes openapi-fetch or restate, not ${JSON.stringify(values.target)}`);
  const target = values.target as "openapi-fetch" | "restate" | undefined;
  const sources: Record<string, string> = {};
  for (const mapping of values.source ?? []) {
    const match = /^([^=]+)=(.+)$/.exec(mapping);
    if (!match) return usage(`--source takes <name>=<file>, not ${JSON.stringify(mapping)}`);
    sources[match[1]!] = path.resolve(io.cwd, match[2]!);
  }

  // The config: --config, or the nearest arazzo-ts.config.* from the working directory up.
  let configFile: string | undefined;
  if (values.config !== undefined) {
    configFile = path.resolve(io.cwd, values.config);
  } else {
    const found = findConfig(io.cwd);
    if (found.length > 1) return usage(`${found.map((f) => display(f, io.cwd)).join(" and ")} are both config files: keep one, or pass --config <file>`);
    configFile = found[0];
  }
  const commandLine = {
    files: files.map((f) => path.resolve(io.cwd, f)),
    ...(values.out !== undefined ? { out: path.resolve(io.cwd, values.out) } : {}),
    sources,
    allOperations: values["all-operations"] === true,
    ...(checker ? { checker } : {}),
    ...(target ? { target } : {}),
    ...(values["no-cache"] ? { cache: false as const } : {}),
    cwd: io.cwd,
  };
  /** The config (re)read and combined with the command line; undefined when the config is broken (printed). */
  const configure = async () => {
    const { applyConfig, configOptions } = await import("./config/apply.ts");
    let loaded;
    if (configFile) {
      const { loadConfig } = await import("./config/load.ts");
      const load = await loadConfig(configFile);
      if (!load.ok) return printConfigErrors(load.diagnostics);
      loaded = load.loaded;
    }
    const applied = await applyConfig(loaded, commandLine);
    return applied.ok ? configOptions(applied.options) : printConfigErrors(applied.diagnostics);
  };
  const printConfigErrors = (diagnostics: readonly Diagnostic[]) => {
    for (const d of sortDiagnostics(diagnostics)) io.err(formatDiagnostic(d, io.cwd));
    io.err(`\n${diagnostics.length} error(s) in ${display(configFile!, io.cwd)}; nothing was done.`);
    return undefined;
  };
  const configured = await configure();
  if (!configured) return 2;
  if (configured.inputs.length === 0) {
    return usage(configFile ? `no Arazzo file given, and ${display(configFile, io.cwd)} lists no \`documents\`` : "no Arazzo file given");
  }
  if (command === "generate" && !configured.outDir)
    return usage(`--out <dir> is required${configFile ? ` (or \`out\` in ${display(configFile, io.cwd)})` : ""}`);

  const quiet = values.quiet === true;
  const printDiagnostics = (diagnostics: readonly Diagnostic[]) => {
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    const warnings = diagnostics.length - errors;
    // Warnings beyond --max-warnings fail the command: they are shown, even with --quiet.
    const showWarnings = !quiet || (maxWarnings !== undefined && warnings > maxWarnings);
    for (const d of diagnostics) {
      if (d.severity === "error") io.err(formatDiagnostic(d, io.cwd));
      else if (showWarnings) io.out(formatDiagnostic(d, io.cwd));
    }
    return { errors, warnings };
  };
  /** Exit code 1 and says so when there are more warnings than --max-warnings allows. */
  const tooManyWarnings = (warnings: number) => {
    if (maxWarnings === undefined || warnings <= maxWarnings) return false;
    io.err(`\nFound ${warnings} warning(s), more than --max-warnings ${maxWarnings} allows: exit code 1.`);
    return true;
  };
  // The same options as the API's `loadConfig()` gives (`config/apply.ts` `configOptions`).
  const options = (c: NonNullable<typeof configured>): GenerateOptions => ({ ...c, outDir: c.outDir ?? io.cwd });
  const started = performance.now();

  if (command === "validate") {
    const { validate } = await import("./analyze.ts");
    const types = values["no-types"] !== true;
    const result = await validate({ ...options(configured), types });
    const { errors, warnings } = printDiagnostics(result.diagnostics);
    const summary = `${configured.inputs.length} document(s) checked: ${errors} error(s), ${warnings} warning(s).${types ? "" : " Generated code not type-checked (--no-types)."}`;
    if (!result.ok) {
      io.err(`\n${summary}`);
      return 1;
    }
    if (!quiet) io.out(`\n${summary}`);
    return tooManyWarnings(warnings) ? 1 : 0;
  }

  if (values.watch)
    return watchCommand(options(configured), {
      configFile,
      quiet,
      io,
      reload: async () => {
        const c = await configure();
        return c && options(c);
      },
    });

  // Started before the generator loads, so openapi-typescript loads meanwhile on its thread.
  const check = values.check === true;
  const { result, staleFiles } = await withOpenapiTypescriptThread(async () => {
    const { generate, staleFiles } = await import("./generate.ts");
    return { result: await generate({ ...options(configured), write: !check }), staleFiles };
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
    if (!quiet) io.out(`Generated files are up to date (${result.packages.length} package(s), checked in ${ms} ms${fromCache(result.cached)}).`);
    return tooManyWarnings(warnings) ? 1 : 0;
  }
  if (!quiet) {
    for (const pkg of result.packages) {
      const changed = result.written.filter((f) => f.startsWith(pkg.dir + path.sep)).length;
      io.out(`wrote ${path.relative(io.cwd, pkg.dir) || "."}/ (${pkg.files.length} files, ${changed} changed)`);
    }
    io.out(`Generated ${result.packages.length} package(s) in ${ms} ms${fromCache(result.cached)}${warnings ? ` with ${warnings} warning(s)` : ""}.`);
  }
  return tooManyWarnings(warnings) ? 1 : 0;
}

/** `generate --watch`: runs until SIGINT (Ctrl-C) or SIGTERM, then closes the watchers and exits 0. */
async function watchCommand(
  options: GenerateOptions,
  settings: { configFile: string | undefined; quiet: boolean; io: CliIo; reload: () => Promise<GenerateOptions | undefined> },
): Promise<number> {
  const { watch } = await import("./watch.ts");
  const watcher = watch({
    options,
    quiet: settings.quiet,
    io: settings.io,
    ...(settings.configFile ? { configFile: settings.configFile, reload: settings.reload } : {}),
  });
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void watcher.close().then(resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  if (!settings.quiet) settings.io.out("Stopped watching.");
  return 0;
}

/** What the summary says about type-check results that came from the cache. */
function fromCache(cached: readonly string[]): string {
  return cached.length ? ` (type-check of ${cached.length} from cache)` : "";
}

/** `file` relative to `cwd` when it is inside it. */
function display(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
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
