/**
 * `arazzo-ts run --report junit=<file>`: a run report as JUnit XML, in the dialect CI systems
 * display (Jenkins, GitLab, GitHub Actions test reporters, Azure Pipelines: the Ant `junit`
 * task's format, https://github.com/windyroad/JUnit-Schema): one `<testsuite>` per document,
 * one `<testcase>` per workflow run.
 *
 * A failed run whose error is a step's (it has a `reason`) is a `<failure type="<reason>">`; one
 * that failed otherwise (an exception that is not a step's failure) is an `<error>`. Its message
 * is one line that names the step, the reason and the HTTP status, then the error's message; its
 * text repeats the message and lists the steps as the run took them (step, request, status,
 * duration, transition, the criteria that did not hold), so the CI page alone tells what
 * happened. A passed run lists its steps in `<system-out>` when it took at most
 * `SYSTEM_OUT_MAX_STEPS`, else says how many it took. Values are as the report holds them
 * (already masked); the output is the same for the same report.
 */
import type { DocumentReport, RunError, RunReport, StepRunReport, Transition, WorkflowRunReport } from "./report.ts";

/** Most steps a passed run lists in `<system-out>`: past it (a long poll), one line says how many. */
export const SYSTEM_OUT_MAX_STEPS = 20;

/** The report as JUnit XML (UTF-8 text, ending with a newline). */
export function junitReport(report: RunReport): string {
  const runs = report.documents.flatMap((d) => d.workflows);
  const count = verdictCounts(runs);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({
      name: "arazzo-ts run",
      tests: runs.length,
      failures: count.failures,
      errors: count.errors,
      time: seconds(report.durationMs),
      timestamp: report.startedAt,
    })}>`,
    ...report.documents.flatMap((document) => testsuite(document, report)),
    "</testsuites>",
  ];
  return `${lines.join("\n")}\n`;
}

function testsuite(document: DocumentReport, report: RunReport): string[] {
  const count = verdictCounts(document.workflows);
  const time = document.workflows.reduce((sum, run) => sum + run.durationMs, 0);
  const open = `  <testsuite${attributes({
    name: document.file,
    tests: document.workflows.length,
    failures: count.failures,
    errors: count.errors,
    time: seconds(time),
    timestamp: document.workflows[0]?.startedAt ?? report.startedAt,
  })}>`;
  const properties = [
    "    <properties>",
    `      <property${attributes({ name: "title", value: document.title })}/>`,
    `      <property${attributes({ name: "mock", value: String(report.mock) })}/>`,
    "    </properties>",
  ];
  return [open, ...properties, ...document.workflows.flatMap((run) => testcase(run, classname(document.file))), "  </testsuite>"];
}

function testcase(run: WorkflowRunReport, classname: string): string[] {
  const open = `    <testcase${attributes({ name: run.workflowId, classname, time: seconds(run.durationMs) })}`;
  if (run.status === "passed") {
    const out = run.steps.length <= SYSTEM_OUT_MAX_STEPS ? stepList(run) : [`${run.steps.length} steps taken (more than ${SYSTEM_OUT_MAX_STEPS}: not listed)`];
    return [`${open}>`, `      <system-out>${text(out.join("\n"))}</system-out>`, "    </testcase>"];
  }
  const verdict = failureOf(run);
  const body = [verdict.message, "", ...stepList(run)].join("\n");
  return [
    `${open}>`,
    `      <${verdict.element}${attributes({ message: verdict.message, type: verdict.type })}>${text(body)}</${verdict.element}>`,
    "    </testcase>",
  ];
}

interface Verdict {
  readonly element: "failure" | "error";
  readonly message: string;
  readonly type: string;
}

/** What a failed run's `<failure>` or `<error>` says: the step, the reason, the status, then the error's message. */
function failureOf(run: WorkflowRunReport): Verdict {
  const error: RunError | undefined = run.error;
  const step = failingStep(run);
  const where = step ? `step ${step}` : `workflow ${run.workflowId}`;
  const why = [error?.reason ?? error?.name, error?.status === undefined ? undefined : `HTTP ${error.status}`].filter((s) => s !== undefined && s !== "");
  const head = `${where} failed${why.length > 0 ? ` (${why.join(", ")})` : ""}`;
  // A step error's message starts by naming the workflow and step (`ArazzoStepError`): the head already does.
  const prefix = error?.stepId === undefined ? undefined : `workflow \`${error.workflowId ?? run.workflowId}\`, step \`${error.stepId}\`: `;
  const detail = prefix !== undefined && error!.message.startsWith(prefix) ? error!.message.slice(prefix.length) : error?.message;
  const message = detail ? `${head}: ${detail}` : head;
  if (error && error.reason === undefined) return { element: "error", message, type: error.name };
  return { element: "failure", message, type: error?.reason ?? "failed" };
}

/** The step a failed run failed at: the error's, else the last step whose failure ended the run. */
function failingStep(run: WorkflowRunReport): string | undefined {
  const error = run.error;
  if (error?.stepId !== undefined)
    return error.workflowId !== undefined && error.workflowId !== run.workflowId ? `${error.workflowId}/${error.stepId}` : error.stepId;
  const last = [...run.steps].reverse().find((s) => s.transition.type === "fail");
  return last ? stepName(last, run) : undefined;
}

/** The steps as the run took them: one aligned line each, then the success criteria that did not hold and requests without a response. */
function stepList(run: WorkflowRunReport): string[] {
  if (run.steps.length === 0) return ["No step ran."];
  const rows = run.steps.map((step, i) => [
    `${i + 1}.`,
    stepName(step, run),
    request(step),
    statuses(step),
    milliseconds(step.durationMs),
    transition(step.transition),
  ]);
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = [`Steps as the run took them (${run.steps.length}):`];
  run.steps.forEach((step, i) => {
    const row = rows[i]!;
    lines.push(`  ${row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join("  ")}`.trimEnd());
    const indent = " ".repeat(widths[0]! + 4);
    for (const c of step.criteria) if (c.kind === "success" && c.result === false) lines.push(`${indent}not met: ${c.text}`);
    for (const e of step.exchanges) if (e.error !== undefined) lines.push(`${indent}no response to ${e.request.method} ${e.request.url}: ${e.error}`);
  });
  return lines;
}

/** `pollVerification`, `pollVerification #2` for a second attempt, `other/step` for a step of a workflow the run ran. */
function stepName(step: StepRunReport, run: WorkflowRunReport): string {
  const id = step.workflowId === run.workflowId ? step.stepId : `${step.workflowId}/${step.stepId}`;
  return step.attempt > 1 ? `${id} #${step.attempt}` : id;
}

function request(step: StepRunReport): string {
  if (step.operation) return `${step.operation.method.toUpperCase()} ${step.operation.path}`;
  const first = step.exchanges[0];
  return first ? `${first.request.method.toUpperCase()} ${pathOf(first.request.url)}` : "-";
}

/** Each request's status (`401, 200` after a fresh token), `no response`, or `-` for a step that sent nothing. */
function statuses(step: StepRunReport): string {
  if (step.exchanges.length === 0) return "-";
  return step.exchanges.map((e) => (e.response ? String(e.response.status) : "no response")).join(", ");
}

function transition(t: Transition): string {
  const parts: string[] = [t.type];
  if (t.to !== undefined) parts.push(t.to);
  if (t.action !== undefined) parts.push(`(${t.action})`);
  if (t.waitMs !== undefined && t.waitMs > 0) parts.push(`after ${t.waitMs} ms`);
  return parts.join(" ");
}

function pathOf(url: string): string {
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(url);
  return (match ? match[1] : url.replace(/[?#].*$/s, "")) || "/";
}

function verdictCounts(runs: readonly WorkflowRunReport[]): { failures: number; errors: number } {
  let failures = 0;
  let errors = 0;
  for (const run of runs) {
    if (run.status !== "failed") continue;
    if (failureOf(run).element === "error") errors++;
    else failures++;
  }
  return { failures, errors };
}

/** The document file without its extensions (`.yaml`, `.yml`, `.json`, then `.arazzo`): Jenkins reads a dot in a classname as a package separator. */
function classname(file: string): string {
  return file.replace(/\.(ya?ml|json)$/i, "").replace(/\.arazzo$/i, "");
}

/** A step's duration in the step list: milliseconds, one decimal at most. */
function milliseconds(ms: number): string {
  return `${Number(ms.toFixed(1))} ms`;
}

/** Milliseconds as JUnit's seconds, three decimals. */
function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function attributes(values: Readonly<Record<string, string | number>>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${attribute(String(value))}"`)
    .join("");
}

/** Characters XML 1.0 does not allow (§2.2 `Char`), lone surrogates included: each becomes U+FFFD. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Character data: markup characters escaped, `\r` kept as a reference (a parser would turn it into `\n`). */
function text(value: string): string {
  return value.replace(NOT_XML_CHAR, "\uFFFD").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#13;");
}

/** An attribute value (double-quoted): also quotes, and tabs and line breaks as references so normalization keeps them. */
function attribute(value: string): string {
  return text(value).replace(/"/g, "&quot;").replace(/'/g, "&apos;").replace(/\t/g, "&#9;").replace(/\n/g, "&#10;");
}
