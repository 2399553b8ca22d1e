/**
 * One `arazzo-ts run`: reads the documents (the command line's or the config's), generates and
 * imports their packages (`prepare.ts`), resolves every workflow's inputs and the run options,
 * reporting every problem before anything runs, then runs the chosen workflows in document
 * order, printing as they go (`console.ts`), and returns the report of it all.
 */
import path from "node:path";
import { findConfig } from "../config/find.ts";
import { DiagnosticBag, formatDiagnostic, sortDiagnostics } from "../diagnostics.ts";
import { allModels } from "../ir/operation-uses.ts";
import type { WorkflowModel } from "../ir/types.ts";
import { loadDocument } from "../load/document.ts";
import { closest } from "../shared/suggest.ts";
import { packageVersion } from "../version.ts";
import type { RunIo } from "./io.ts";
import { RunConsole } from "./console.ts";
import { runWorkflow } from "./execute.ts";
import { type InputFlags, type InputsSchema, inputProperties, resolveInputs } from "./inputs.ts";
import { type OptionFlags, resolveOptions } from "./options.ts";
import { workflowGraph } from "./plan.ts";
import { importPackage, type PreparedDocument, preparePackages, runRoot } from "./prepare.ts";
import type { DocumentReport, RunReport, WorkflowGraph, WorkflowRunReport } from "./report.ts";
import { Masker } from "./secrets.ts";
import { RUN_USAGE } from "./usage.ts";

/** What the command line asks for, parsed. */
export interface RunRequest {
  /** Arazzo files (absolute); none: the config's. */
  readonly files: readonly string[];
  /** `--source <name>=<file>`, files absolute. */
  readonly sources: Readonly<Record<string, string>>;
  /** `--config` (absolute); absent: looked for from the working directory. */
  readonly configFile?: string;
  /** `--workflow`: only these; absent: all. */
  readonly workflows?: readonly string[];
  readonly skip: readonly string[];
  readonly mock: boolean;
  readonly quiet: boolean;
  readonly masking: boolean;
  readonly inputs: InputFlags;
  readonly options: OptionFlags;
}

/** The report of the runs; or 2 when nothing ran (wrong usage, a document that does not generate, inputs or options that do not fit), said on `io.err`. */
export async function runSession(request: RunRequest, io: RunIo): Promise<RunReport | 2> {
  // The documents: the command line's, or the config's.
  const configFile = request.configFile ?? findConfig(io.cwd)[0];
  const { applyConfig } = await import("../config/apply.ts");
  let loaded;
  if (configFile) {
    const { loadConfig } = await import("../config/load.ts");
    const load = await loadConfig(configFile);
    if (!load.ok) {
      for (const d of sortDiagnostics(load.diagnostics)) io.err(formatDiagnostic(d, io.cwd));
      return 2;
    }
    loaded = load.loaded;
  }
  const configured = await applyConfig(loaded, { files: request.files, sources: request.sources, cwd: io.cwd });
  if (!configured.ok) {
    for (const d of sortDiagnostics(configured.diagnostics)) io.err(formatDiagnostic(d, io.cwd));
    return 2;
  }
  const config = configured.options;
  if (!config.inputs.length) return usage(io, "no Arazzo file given");

  const { quiet, mock, masking } = request;
  const projectDir = config.projectRoot ?? io.cwd;
  const prepared = await preparePackages(
    {
      inputs: config.inputs,
      sources: config.sources,
      ...(config.warnings ? { warnings: config.warnings } : {}),
      ...(config.projectRoot ? { projectRoot: config.projectRoot } : {}),
      ...(config.cacheDir ? { cacheDir: config.cacheDir } : {}),
    },
    runRoot(projectDir),
  );
  const errors = prepared.diagnostics.filter((d) => d.severity === "error");
  for (const d of errors) io.err(formatDiagnostic(d, io.cwd));
  if (!prepared.ok) {
    io.err(`\n${errors.length} error(s): nothing was run.`);
    return 2;
  }
  const warnings = prepared.diagnostics.length - errors.length;
  if (warnings && !quiet) io.out(`${warnings} warning(s) in the documents: \`arazzo-ts validate\` shows them.\n`);

  // Which workflows, in document order.
  const every = prepared.documents.flatMap((d) => d.model.document.workflows.map((w) => ({ document: d, workflow: w })));
  const ids = new Set(every.map((e) => e.workflow.workflowId));
  const unknown = [...new Set([...(request.workflows ?? []), ...request.skip])].filter((id) => !ids.has(id));
  if (unknown.length) {
    const named = unknown.map((id) => {
      const close = closest(id, [...ids]);
      return `\`${id}\`${close ? ` (did you mean \`${close}\`?)` : ""}`;
    });
    return usage(io, `there is no workflow ${named.join(", ")}`);
  }
  const chosen = every.filter(
    ({ workflow }) => (!request.workflows || request.workflows.includes(workflow.workflowId)) && !request.skip.includes(workflow.workflowId),
  );
  if (!chosen.length) return usage(io, "no workflow left to run (--skip leaves none of those chosen)");
  const problems: string[] = [];
  for (const { workflow } of chosen) {
    if (workflow.optionSources.some((s) => s.kind === "asyncapi")) {
      problems.push(`workflow \`${workflow.workflowId}\` has message steps (AsyncAPI): run it from code, with a message transport`);
    }
  }

  // Inputs and options, every problem before anything runs.
  const packages = new Map<PreparedDocument, Awaited<ReturnType<typeof importPackage>>>();
  for (const document of new Set(chosen.map((c) => c.document))) packages.set(document, await importPackage(document.packageDir));
  // One schema per run, in order (a workflowId may be in two documents).
  const schemas: InputsSchema[] = [];
  const documentData = new Map<string, unknown>();
  for (const { document, workflow } of chosen) {
    if (!documentData.has(document.file)) documentData.set(document.file, (await loadDocument(document.file, new DiagnosticBag()))?.data);
    const data = documentData.get(document.file) as { workflows?: { workflowId?: unknown }[] } | undefined;
    const mocks = packages.get(document)!.mocks as { exampleInputs?: Record<string, Record<string, unknown>> };
    schemas.push({
      workflowId: workflow.workflowId,
      document: data,
      index: data?.workflows?.findIndex((w) => w?.workflowId === workflow.workflowId) ?? -1,
      ...(mock ? { example: mocks.exampleInputs?.[workflow.workflowId] ?? {} } : {}),
    });
  }
  const inputs = resolveInputs(schemas, request.inputs, { workflowIds: ids, env: io.env, cwd: io.cwd });
  const allSources = prepared.documents.flatMap((d) => allModels(d.model.document).flatMap((m) => m.sources));
  const options = resolveOptions(request.options, allSources, { cwd: io.cwd, env: io.env });
  problems.push(...inputs.problems, ...options.problems);
  if (problems.length) {
    for (const p of problems) io.err(`error: ${p}`);
    io.err(`\n${problems.length} problem(s) with the inputs and options: nothing was run.`);
    return 2;
  }

  const masker = new Masker(masking);
  masker.secret(options.secrets);
  masker.carriers(
    allSources.flatMap((s) => s.securitySchemes.flatMap((scheme) => (scheme.type === "apiKey" && scheme.in === "header" ? [scheme.paramName] : []))),
    allSources.flatMap((s) => s.securitySchemes.flatMap((scheme) => (scheme.type === "apiKey" && scheme.in === "query" ? [scheme.paramName] : []))),
  );
  const printer = new RunConsole({
    write: io.out,
    tty: io.tty,
    color: io.tty && !io.env.NO_COLOR,
    quiet,
    masker,
  });

  const startedAt = Date.now();
  const started = performance.now();
  const documents: DocumentReport[] = [];
  try {
    for (const document of prepared.documents) {
      const runs = chosen.filter((c) => c.document === document);
      if (!runs.length) continue;
      printer.document(path.relative(io.cwd, document.file) || document.file);
      const pkg = packages.get(document)!;
      const graphs = new Map<string, WorkflowGraph>(
        allModels(document.model.document).flatMap((m) => m.workflows.map((w) => [w.workflowId, workflowGraph(w)])),
      );
      const workflows: WorkflowRunReport[] = [];
      for (const run of runs) {
        const { workflow } = run;
        const at = chosen.indexOf(run);
        const given = inputs.inputs[at]!;
        const shownInputs = masker.inputs(given, inputProperties(schemas[at]!), inputs.fromEnvironment);
        printer.workflowStarted(workflow.workflowId);
        const mocks = pkg.mocks as { createMockFetch?: () => (input: Request) => Promise<Response>; exampleAuth?: Record<string, Record<string, unknown>> };
        const auth = mock ? mergeAuth(mocks.exampleAuth ?? {}, options.options.auth) : options.options.auth;
        const report = await runWorkflow({
          workflow,
          graphs,
          run: runFunction(pkg.entry, workflow),
          inputs: given,
          shownInputs,
          options: {
            baseUrls: options.options.baseUrls,
            servers: options.options.servers,
            auth,
            ...pick(options.options, ["timeoutMs", "maxSteps", "pollDelayMs", "validateResponses"]),
          },
          ...(mock && mocks.createMockFetch ? { mockFetch: mocks.createMockFetch() } : {}),
          masker,
          listener: printer.listener,
        });
        printer.workflowEnded(report);
        workflows.push(report);
      }
      documents.push({ file: path.relative(io.cwd, document.file) || document.file, title: document.model.document.title, workflows });
    }
  } finally {
    printer.close();
  }
  const runs = documents.flatMap((d) => d.workflows);
  const report: RunReport = {
    version: 1,
    tool: { name: "arazzo-ts", version: packageVersion() },
    startedAt: new Date(startedAt).toISOString(),
    durationMs: Math.round(performance.now() - started),
    mock,
    secretsMasked: masking,
    documents,
    summary: {
      workflows: { passed: runs.filter((r) => r.status === "passed").length, failed: runs.filter((r) => r.status === "failed").length },
      steps: runs.reduce((n, r) => n + r.steps.length, 0),
      requests: runs.reduce((n, r) => n + r.steps.reduce((m, s) => m + s.exchanges.length, 0), 0),
    },
  };
  printer.summary(report.summary, report.durationMs);
  return report;
}

function usage(io: RunIo, message: string): 2 {
  io.err(`error: ${message}\n\n${RUN_USAGE}`);
  return 2;
}

/** The `run<Workflow>` function of `workflow` in the package's entry. */
function runFunction(entry: Record<string, unknown>, workflow: WorkflowModel): (inputs: unknown, options: object) => Promise<Record<string, unknown>> {
  const fn = entry[`run${workflow.typeName}`];
  if (typeof fn !== "function") throw new Error(`the generated package has no run${workflow.typeName}`);
  return fn as (inputs: unknown, options: object) => Promise<Record<string, unknown>>;
}

function mergeAuth(base: Record<string, Record<string, unknown>>, given: Record<string, Record<string, unknown>>): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = { ...base };
  for (const [source, schemes] of Object.entries(given)) out[source] = { ...out[source], ...schemes };
  return out;
}

function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((k) => value[k] !== undefined).map((k) => [k, value[k]])) as Partial<Pick<T, K>>;
}
