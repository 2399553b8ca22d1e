/**
 * Runs one workflow of a generated package the way `arazzo-ts run` does (its `run<Workflow>`
 * with the recorder's fetch and transition hook) and makes its report: the steps as the run
 * took them, each with its requests, outcome, transition and the criteria results they imply,
 * everything masked.
 */
import type { WorkflowModel } from "../ir/types.ts";
import { pathParameters } from "./paths.ts";
import { criteriaResults, workflowGraph } from "./plan.ts";
import type { RawExchange, RawStep } from "./recorder.ts";
import { Recorder, type RecorderListener } from "./recorder.ts";
import type { Exchange, GraphStep, RunError, StepRunReport, Transition, WorkflowGraph, WorkflowRunReport } from "./report.ts";
import type { Masker } from "./secrets.ts";

type RunFunction = (inputs: unknown, options: object) => Promise<Record<string, unknown>>;

export interface WorkflowRun {
  readonly workflow: WorkflowModel;
  /** Every workflow of the package by id, for the steps of workflows this one runs. */
  readonly graphs: ReadonlyMap<string, WorkflowGraph>;
  readonly run: RunFunction;
  readonly inputs: Record<string, unknown>;
  /** The inputs as the report shows them (secret ones masked). */
  readonly shownInputs: Record<string, unknown>;
  /** Run options (servers, credentials, limits); `fetch` and `onTransition` are the recorder's. */
  readonly options: Record<string, unknown>;
  /** The package's mock fetch, on `--mock`. */
  readonly mockFetch?: (input: Request) => Promise<Response>;
  readonly masker: Masker;
  readonly listener: RecorderListener;
}

export async function runWorkflow(w: WorkflowRun): Promise<WorkflowRunReport> {
  const recorder = new Recorder(w.mockFetch, {
    exchange: (step, exchange) => {
      // A token handed on by a response is a secret from now on.
      learn(w.masker, exchange);
      w.listener.exchange?.(step, exchange);
    },
    transition: (step, event) => w.listener.transition?.(step, event),
  });
  const startedAt = Date.now();
  const started = performance.now();
  let outputs: Record<string, unknown> | undefined;
  let error: unknown;
  try {
    outputs = await w.run(w.inputs, { ...w.options, fetch: recorder.fetch, onTransition: recorder.onTransition });
  } catch (caught) {
    error = caught;
  }
  const durationMs = performance.now() - started;
  const runError = error === undefined ? undefined : errorOf(error, w.masker);
  return {
    workflowId: w.workflow.workflowId,
    ...(w.workflow.summary ? { summary: w.workflow.summary } : {}),
    status: error === undefined ? "passed" : "failed",
    startedAt: new Date(startedAt).toISOString(),
    durationMs: Math.round(durationMs),
    inputs: w.shownInputs,
    ...(outputs ? { outputs: w.masker.json(outputs) as Record<string, unknown> } : {}),
    ...(runError ? { error: runError } : {}),
    steps: stepReports(recorder.steps, w, runError, error),
    graph: w.graphs.get(w.workflow.workflowId) ?? workflowGraph(w.workflow),
  };
}

function learn(masker: Masker, exchange: RawExchange): void {
  const body = exchange.response?.body;
  if (!body || !/[/+]json\b/i.test(body.mimeType)) return;
  try {
    masker.learn(JSON.parse(body.text));
  } catch {
    // not JSON after all
  }
}

/** The steps as the run took them, with what each gave. */
function stepReports(raw: readonly RawStep[], w: WorkflowRun, error: RunError | undefined, thrown: unknown): StepRunReport[] {
  const reports = raw.map((step, i): StepRunReport => {
    const failedHere =
      error?.stepId === step.stepId &&
      error.workflowId === step.workflowId &&
      !raw.slice(i + 1).some((s) => s.workflowId === step.workflowId && s.stepId === step.stepId);
    const last = i === raw.length - 1;
    let outcome: "success" | "failure";
    let transition: Transition;
    if (step.transition) {
      outcome = step.transition.outcome;
      transition = {
        type: step.transition.type,
        ...(step.transition.action ? { action: step.transition.action } : {}),
        ...(step.transition.to ? { to: step.transition.to } : {}),
        ...(step.transition.waitMs ? { waitMs: step.transition.waitMs } : {}),
      };
    } else if (failedHere) {
      outcome = "failure";
      transition = { type: "fail" };
    } else {
      outcome = "success";
      transition = { type: last ? "end" : "next" };
    }
    const graph = w.graphs.get(step.workflowId)?.steps.find((s) => s.stepId === step.stepId);
    const failed = failedHere && error?.reason === "criteria" ? criterionOf(thrown) : undefined;
    const ended = step.ended ?? raw[i + 1]?.started ?? performance.now();
    const parameters = step.path && step.exchanges.length ? pathParameters(step.path, new URL(step.exchanges.at(-1)!.request.url).pathname) : undefined;
    return {
      workflowId: step.workflowId,
      stepId: step.stepId,
      attempt: step.attempt,
      startedAt: new Date(step.startedAt).toISOString(),
      durationMs: Math.round(Math.max(0, ended - step.started)),
      ...(step.method && step.path
        ? { operation: { method: step.method, path: step.path, pathParameters: w.masker.json(parameters ?? {}) as Record<string, string> } }
        : {}),
      exchanges: step.exchanges.map((e) => exchangeReport(e, w.masker)),
      outcome,
      criteria: graph ? criteriaResults(graph, outcome, transition, failed) : [],
      transition,
      ...(failedHere && error ? { error } : {}),
    };
  });
  // A step that failed before it sent anything (the step budget, a step that did not run) has no record yet.
  if (error?.stepId !== undefined && !reports.some((r) => r.stepId === error.stepId && r.workflowId === error.workflowId)) {
    const graph = w.graphs.get(error.workflowId ?? w.workflow.workflowId)?.steps.find((s) => s.stepId === error.stepId);
    reports.push({
      workflowId: error.workflowId ?? w.workflow.workflowId,
      stepId: error.stepId,
      attempt: 1,
      startedAt: new Date().toISOString(),
      durationMs: 0,
      exchanges: [],
      outcome: "failure",
      criteria: graph ? criteriaResults(graph as GraphStep, "failure", { type: "fail" }) : [],
      transition: { type: "fail" },
      error,
    });
  }
  return reports;
}

function exchangeReport(e: RawExchange, masker: Masker): Exchange {
  const headers = (list: readonly [string, string][]) => list.map(([name, value]) => ({ name, value: masker.header(name, value) }));
  const body = (b: { mimeType: string; text: string; truncated?: boolean } | undefined) =>
    b ? { body: { mimeType: b.mimeType, text: masker.body(b.text, b.mimeType), ...(b.truncated ? { truncated: true as const } : {}) } } : {};
  return {
    startedAt: new Date(e.startedAt).toISOString(),
    durationMs: Math.round(e.durationMs),
    request: { method: e.request.method, url: masker.url(e.request.url), headers: headers(e.request.headers), ...body(e.request.body) },
    ...(e.response
      ? { response: { status: e.response.status, statusText: e.response.statusText, headers: headers(e.response.headers), ...body(e.response.body) } }
      : {}),
    ...(e.error ? { error: e.error } : {}),
  };
}

/** The error a run ended with, as a report says it: `ArazzoStepError`'s fields, the message masked. */
export function errorOf(error: unknown, masker: Masker): RunError {
  if (!(error instanceof Error)) return { name: "Error", message: masker.text(String(error)) };
  const e = error as Error & { workflowId?: unknown; stepId?: unknown; reason?: unknown; status?: unknown };
  return {
    name: error.name,
    message: masker.text(error.message),
    ...(typeof e.workflowId === "string" ? { workflowId: e.workflowId } : {}),
    ...(typeof e.stepId === "string" ? { stepId: e.stepId } : {}),
    ...(typeof e.reason === "string" ? { reason: e.reason } : {}),
    ...(typeof e.status === "number" ? { status: e.status } : {}),
  };
}

/** The success criterion an `ArazzoStepError` of reason `criteria` names (its `details.detail`). */
function criterionOf(error: unknown): string | undefined {
  const detail = (error as { details?: { detail?: unknown } } | undefined)?.details?.detail;
  return typeof detail === "string" ? detail : undefined;
}
