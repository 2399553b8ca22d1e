/**
 * The per-workflow part of a generated package's README: a Mermaid flowchart of the steps
 * and the actions between them (Arazzo 1.0.1 §"Success Action Object", §"Failure Action
 * Object": goto, retry, end, another workflow), and Markdown tables of the inputs and outputs.
 *
 * Everything from the document is escaped for where it lands: Mermaid labels are quoted with
 * `"` and HTML entities, table cells are HTML-escaped with `|` and line breaks removed, so a
 * hostile step id or description cannot break out of the chart or the table.
 */
import type { ActionModel, DataType, StepModel, WorkflowModel, WorkflowOutputModel } from "../../ir/types.ts";

/** A `mermaid` code block: start, one node per step, the transitions, end (and failure, where an action can fail the run). */
export function workflowFlowchart(workflow: WorkflowModel): string {
  const ids = new Map(workflow.steps.map((s, i) => [s.stepId, `s${i}`]));
  const lines = ["flowchart TD", `  start(["${label("start")}"])`];
  const others = new Map<string, string>();
  const otherWorkflow = (workflowId: string) => {
    const id = others.get(workflowId) ?? `w${others.size}`;
    if (!others.has(workflowId)) lines.push(`  ${id}[["${label(`workflow ${workflowId}`)}"]]`, `  ${id} --> done`);
    others.set(workflowId, id);
    return id;
  };
  let failNode = false;
  for (const step of workflow.steps) lines.push(`  ${ids.get(step.stepId)}${stepNode(step)}`);
  lines.push(`  done(["${label("end")}"])`);
  lines.push(`  start --> ${workflow.steps.length ? "s0" : "done"}`);
  workflow.steps.forEach((step, i) => {
    const from = ids.get(step.stepId)!;
    const next = workflow.steps[i + 1] ? `s${i + 1}` : "done";
    const target = (a: ActionModel): string =>
      a.type === "end"
        ? "done"
        : a.target?.kind === "step"
          ? (ids.get(a.target.stepId) ?? "done")
          : a.target?.kind === "workflow"
            ? otherWorkflow(a.target.workflowId)
            : from;
    for (const a of step.onSuccess) lines.push(`  ${from} -->|"${label(actionText(a))}"| ${target(a)}`);
    if (!step.onSuccess.some(unconditional)) lines.push(step.onSuccess.length ? `  ${from} -->|"${label("otherwise")}"| ${next}` : `  ${from} --> ${next}`);
    for (const a of step.onFailure) lines.push(`  ${from} -.->|"${label(actionText(a))}"| ${target(a)}`);
    if (step.onFailure.length && !step.onFailure.some(unconditional)) {
      lines.push(`  ${from} -.->|"${label("no action applies")}"| fail`);
      failNode = true;
    }
  });
  if (failNode) lines.push(`  fail(["${label("rejects with ArazzoStepError")}"])`);
  return ["```mermaid", ...lines, "```"].join("\n");
}

function stepNode(step: StepModel): string {
  if (step.kind === "workflow") return `[["${label(`${step.stepId}: runs ${step.workflowId}`)}"]]`;
  if (step.kind === "message") return `[/"${label(step.stepId)}<br/>${label(`${step.action} ${step.channel}`)}"/]`;
  return `["${label(step.stepId)}<br/>${label(`${step.operation.method.toUpperCase()} ${step.operation.path}`)}"]`;
}

/** An action that applies whatever the response: nothing after it in its list can run. */
function unconditional(a: ActionModel): boolean {
  return a.criteria.length === 0 && a.type !== "retry";
}

function actionText(a: ActionModel): string {
  const when = a.criteria.length ? ` if ${a.criteria.map((c) => c.text).join(" and ")}` : "";
  const what = a.type === "retry" ? `retry ≤${a.retryLimit}×${a.retryAfter !== undefined ? `, ${a.retryAfter}s apart` : ""}` : a.type;
  const text = `${a.name}: ${what}${when}`;
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** Text inside a quoted Mermaid label: quotes, markup and backticks (which would close the code block) as entities. */
function label(text: string): string {
  return (
    text
      .replace(/[\r\n]+/g, " ")
      // First: Mermaid reads `#name;` as an entity, so a `#` of the text must not start one.
      .replace(/#/g, "#35;")
      .replace(/&/g, "#amp;")
      .replace(/"/g, "#quot;")
      .replace(/</g, "#lt;")
      .replace(/>/g, "#gt;")
      .replace(/`/g, "#96;")
      .replace(/[|[\]{}()]/g, (c) => `#${c.charCodeAt(0)};`)
  );
}

/** | name | type | required | description | */
export function inputsTable(workflow: WorkflowModel): string {
  if (!workflow.inputs.length) return "No inputs.";
  const rows = workflow.inputs.map((i) => `| ${code(i.name)} | ${code(typeSummary(i.schema))} | ${i.required ? "yes" : "no"} | ${cell(i.description ?? "")} |`);
  return ["| input | type | required | description |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

/** | name | type | from | */
export function outputsTable(workflow: WorkflowModel): string {
  if (!workflow.outputs.length) return "No outputs.";
  const rows = workflow.outputs.map((o) => `| ${code(o.name)} | ${code(outputType(workflow, o))} | ${code(o.parsed.text)}${source(workflow, o)} |`);
  return ["| output | type | from |", "| --- | --- | --- |", ...rows].join("\n");
}

/** What a workflow output is, in JSON Schema terms; `| undefined` where a run can return without it. */
function outputType(workflow: WorkflowModel, output: WorkflowOutputModel): string {
  const e = output.parsed.expression;
  if (e.kind === "inputs") {
    const input = workflow.inputs.find((i) => i.name === e.name);
    return input ? `${typeSummary(input.schema)}${input.required ? "" : " | undefined"}` : "unknown";
  }
  if (e.kind !== "steps") return "unknown";
  const o = workflow.steps.find((s) => s.stepId === e.stepId)?.outputs.find((x) => x.name === e.name);
  if (!o) return "unknown";
  const base =
    o.type.kind === "literal"
      ? typeof o.type.value === "string"
        ? JSON.stringify(o.type.value)
        : String(o.type.value)
      : o.type.kind === "access"
        ? o.schema
          ? typeSummary(o.schema)
          : "unknown"
        : o.type.kind;
  const absent = !workflow.flow.guaranteed.has(e.stepId) || (o.optional && !o.required && !o.guaranteed && !o.pinned);
  return absent && base !== "unknown" ? `${base} | undefined` : base;
}

/** For an output read from a step: what that step's output reads. */
function source(workflow: WorkflowModel, output: WorkflowOutputModel): string {
  const e = output.parsed.expression;
  if (e.kind !== "steps") return "";
  const o = workflow.steps.find((s) => s.stepId === e.stepId)?.outputs.find((x) => x.name === e.name);
  return o ? ` = ${code(o.parsed.text)}` : "";
}

/** A type as a reader wants it in a table: literals and unions in full, objects as `object`, cut at 80 characters. */
export function typeSummary(type: DataType, depth = 0): string {
  const text = summary(type, depth);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function summary(type: DataType, depth: number): string {
  switch (type.kind) {
    case "literal":
      return typeof type.value === "string" ? JSON.stringify(type.value) : String(type.value);
    case "array": {
      const items = summary(type.items, depth + 1);
      return /[|&]/.test(items) ? `(${items})[]` : `${items}[]`;
    }
    case "union":
      return type.members.map((m) => summary(m, depth + 1)).join(" | ");
    case "intersection":
      return type.members.every((m) => m.kind === "object") ? "object" : type.members.map((m) => summary(m, depth + 1)).join(" & ");
    case "object":
      return "object";
    default:
      return type.kind;
  }
}

/** Inline code in a table cell, as HTML so a backtick or `|` in the text cannot end it. */
function code(text: string): string {
  return `<code>${cell(text)}</code>`;
}

function cell(text: string): string {
  return (
    text
      .replace(/[\r\n]+/g, " ")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/\|/g, "&#124;")
      .replace(/`/g, "&#96;")
      // Markdown still reads emphasis, links and escapes inside inline HTML.
      .replace(/[_*[\]\\]/g, (c) => `&#${c.charCodeAt(0)};`)
      .trim()
  );
}
