/**
 * `arazzo-ts run`: reads its command line, runs the workflows (`session.ts`, loaded only then)
 * and writes the reports asked for (`--report <kind>=<file>`, each writer loaded when asked for).
 * Exit code 0 when every workflow run passed, 1 when one failed (or a report could not be
 * written), 2 for wrong usage, a document that does not generate, or inputs and options that do
 * not fit (every problem printed at once, before anything runs).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseLimits } from "./flag-values.ts";
import type { RunIo } from "./io.ts";
import type { RunReport } from "./report.ts";
import { parseCommandLine } from "../shared/command-line.ts";
import { RUN_OPTIONS, RUN_USAGE } from "./usage.ts";

const REPORT_KINDS = ["json", "junit", "har", "html"] as const;
type ReportKind = (typeof REPORT_KINDS)[number];

/**
 * `elsewhere`: for an option `run` does not take, the commands that do take it (`generate and
 * validate, not run`), said instead of "unknown option".
 */
export async function runCommand(argv: readonly string[], io: RunIo, elsewhere?: (option: string) => string | undefined): Promise<number> {
  const usage = (message: string) => {
    io.err(`error: ${message}\n\n${RUN_USAGE}`);
    return 2;
  };
  const parsed = parseCommandLine(argv, RUN_OPTIONS, elsewhere);
  if (!parsed.ok) return usage(parsed.message);
  const { values } = parsed;
  if (values.help) {
    io.out(`${RUN_USAGE}\n`);
    return 0;
  }
  const reports: [ReportKind, string][] = [];
  for (const flag of values.report ?? []) {
    const match = /^([a-z]+)=(.+)$/.exec(flag);
    const kind = match?.[1] as ReportKind | undefined;
    if (!match || !kind || !REPORT_KINDS.includes(kind))
      return usage(`--report takes <kind>=<file> with kind ${REPORT_KINDS.join(", ")}, not ${JSON.stringify(flag)}`);
    reports.push([kind, path.resolve(io.cwd, match[2]!)]);
  }
  const sources: Record<string, string> = {};
  for (const mapping of values.source ?? []) {
    const match = /^([^=]+)=(.+)$/.exec(mapping);
    if (!match) return usage(`--source takes <name>=<file>, not ${JSON.stringify(mapping)}`);
    sources[match[1]!] = path.resolve(io.cwd, match[2]!);
  }

  // The limits are checked now, not after generating.
  const limitProblems: string[] = [];
  parseLimits({ timeout: values.timeout, maxSteps: values["max-steps"], pollDelay: values["poll-delay"] }, limitProblems);
  if (limitProblems.length) return usage(limitProblems.join("\nerror: "));

  const { runSession } = await import("./session.ts");
  const quiet = values.quiet === true;
  const report = await runSession(
    {
      files: parsed.positionals.map((f) => path.resolve(io.cwd, f)),
      sources,
      ...(values.config !== undefined ? { configFile: path.resolve(io.cwd, values.config) } : {}),
      ...(values.workflow ? { workflows: values.workflow } : {}),
      skip: values.skip ?? [],
      mock: values.mock === true,
      quiet,
      masking: values["no-secrets-masking"] !== true,
      inputs: { input: values.input ?? [], ...(values.inputs !== undefined ? { inputsFile: path.resolve(io.cwd, values.inputs) } : {}) },
      options: {
        server: values.server ?? [],
        serverVar: values["server-var"] ?? [],
        auth: values.auth ?? [],
        ...(values.timeout !== undefined ? { timeout: values.timeout } : {}),
        ...(values["max-steps"] !== undefined ? { maxSteps: values["max-steps"] } : {}),
        ...(values["poll-delay"] !== undefined ? { pollDelay: values["poll-delay"] } : {}),
        ...(values["validate-responses"] ? { validateResponses: true } : {}),
      },
    },
    io,
  );
  if (report === 2) return 2;
  let unwritten = false;
  for (const [kind, file] of reports) {
    const shown = path.relative(io.cwd, file) || file;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, await reportText(kind, report));
    } catch (error) {
      io.err(`error: cannot write the ${kind} report ${shown}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      unwritten = true;
      continue;
    }
    if (!quiet) io.out(`wrote ${kind} report ${shown}\n`);
  }
  // A report that could not be written fails the command: CI would otherwise pass without it.
  return report.summary.workflows.failed || unwritten ? 1 : 0;
}

/** A report's text; the writers of the other kinds are loaded when asked for. */
async function reportText(kind: ReportKind, report: RunReport): Promise<string> {
  switch (kind) {
    case "json":
      return `${JSON.stringify(report, null, 2)}\n`;
    case "junit":
      return (await import("./report-junit.ts")).junitReport(report);
    case "har":
      return (await import("./report-har.ts")).harText(report);
    case "html":
      return (await import("./report-html.ts")).htmlReport(report);
  }
}
