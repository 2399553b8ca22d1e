/**
 * The per-workflow part of a generated package's README: a Mermaid flowchart of the steps
 * and the actions between them (Arazzo 1.0.1 §"Success Action Object", §"Failure Action
 * Object": goto, retry, end, another workflow), and Markdown tables of the inputs and outputs,
 * their types in full (long ones folded) and an input's as the run function takes it.
 *
 * Everything from the document is escaped for where it lands: Mermaid labels are quoted with
 * `"` and HTML entities, table cells are HTML-escaped with `|` and line breaks removed, so a
 * hostile step id or description cannot break out of the chart or the table.
 */
import type { ActionModel, DataType, StepModel, WorkflowModel, WorkflowOutputModel } from "../../ir/types.ts";
import { narrowedInputType } from "./narrow.ts";

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

/**
 * | name | type | required | description |: the type the run function takes, which is the
 * input's own narrowed to the API fields it flows into (`narrow.ts`), with the declared one
 * named in the description when they differ.
 */
export function inputsTable(workflow: WorkflowModel): string {
  if (!workflow.inputs.length) return "No inputs.";
  const rows = workflow.inputs.map((i) => {
    const taken = typeSummary(narrowedInputType(i));
    const declared = typeSummary(i.schema);
    const fields = i.narrowTo.length === 1 ? `the type of ${i.narrowTo[0]!.what}` : "the types of the API fields it flows into";
    const note = taken === declared ? "" : `Declared ${code(declared)}, narrowed to ${prose(fields)}.`;
    const description = [cell(i.description ?? ""), note].filter(Boolean).join(" ");
    return `| ${code(i.name)} | ${typeCell(taken)} | ${i.required ? "yes" : "no"} | ${description} |`;
  });
  return ["| input | type | required | description |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

/** | name | type | from | */
export function outputsTable(workflow: WorkflowModel): string {
  if (!workflow.outputs.length) return "No outputs.";
  const rows = workflow.outputs.map((o) => `| ${code(o.name)} | ${typeCell(outputType(workflow, o))} | ${code(o.parsed.text)}${source(workflow, o)} |`);
  return ["| output | type | from |", "| --- | --- | --- |", ...rows].join("\n");
}

/** Types longer than this are folded in their cell (a `<details>` element), whole when opened. */
const FOLDED = 100;

/** A type in a table cell, in full: inline, or folded when long (its start shown, the whole type when opened). */
function typeCell(type: string): string {
  if (type.length <= FOLDED) return code(type);
  const members = topLevelMembers(type);
  const what = members > 1 ? `a union of ${members} types` : `${type.length} characters`;
  return `<details><summary>${code(`${type.slice(0, 60).trimEnd()} …`)} (${what})</summary>${code(type)}</details>`;
}

/** What a workflow output is, in JSON Schema terms; `| undefined` where a run can return without it. */
function outputType(workflow: WorkflowModel, output: WorkflowOutputModel): string {
  const e = output.parsed.expression;
  // A constant output is its literal; one that reads a value without a static type is `unknown`.
  if (e.kind === "literal") return e.value === null ? "null" : typeof e.value === "string" ? JSON.stringify(e.value) : String(e.value);
  if (output.untyped) return "unknown";
  const pointer = "pointer" in e ? [...("path" in e ? e.path : []), ...e.pointer] : [];
  if (e.kind === "inputs") {
    const input = workflow.inputs.find((i) => i.name === e.name);
    if (!input) return "unknown";
    if (pointer.length) return along(narrowedInputType(input), pointer);
    return `${typeSummary(narrowedInputType(input))}${input.required ? "" : " | undefined"}`;
  }
  if (e.kind !== "steps") return "unknown";
  const o = workflow.steps.find((s) => s.stepId === e.stepId)?.outputs.find((x) => x.name === e.name);
  if (!o) return "unknown";
  // A field of a step output (`$steps.a.outputs.order#/owner/name`): its type along the pointer, maybe absent.
  if (pointer.length) return o.type.kind === "access" && o.schema ? along(o.schema, pointer) : "unknown";
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

/** The type at `pointer` in a value of `type`, `| undefined` (a field may be absent); `unknown` where the type does not say. */
function along(type: DataType, pointer: readonly string[]): string {
  const at = typeAt(type, pointer);
  return at && at.kind !== "unknown" ? `${typeSummary(at)} | undefined` : "unknown";
}

function typeAt(type: DataType, pointer: readonly string[]): DataType | undefined {
  if (!pointer.length) return type;
  const [head, ...rest] = pointer as [string, ...string[]];
  switch (type.kind) {
    case "object": {
      const property = type.properties.find((p) => p.name === head);
      if (property) return typeAt(property.type, rest);
      return type.additional && type.additional !== "any" ? typeAt(type.additional, rest) : undefined;
    }
    case "array":
      return /^(0|[1-9]\d*)$/.test(head) ? typeAt(type.items, rest) : undefined;
    case "union": {
      const members = type.members.filter((m) => m.kind !== "null").map((m) => typeAt(m, pointer));
      return members.length && members.every((m) => m !== undefined) ? { kind: "union", members: members as DataType[] } : undefined;
    }
    default:
      return undefined;
  }
}

/** For an output read from a step: what that step's output reads. */
function source(workflow: WorkflowModel, output: WorkflowOutputModel): string {
  const e = output.parsed.expression;
  if (e.kind !== "steps") return "";
  const o = workflow.steps.find((s) => s.stepId === e.stepId)?.outputs.find((x) => x.name === e.name);
  return o ? ` = ${code(o.parsed.text)}` : "";
}

/** How many members a union type's text has at its top level (not inside parentheses or string literals). */
function topLevelMembers(type: string): number {
  let depth = 0;
  let count = 1;
  for (let i = 0; i < type.length; i++) {
    const c = type[i];
    if (c === '"') i = closingQuote(type, i);
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (depth === 0 && type.startsWith(" | ", i)) count++;
  }
  return count;
}

/** The index of the quote that closes the JSON string starting at `start`. */
function closingQuote(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
  }
  return text.length;
}

/** A type as a reader wants it in a table: literals and unions in full, objects as `object`. */
export function typeSummary(type: DataType, depth = 0): string {
  return summary(type, depth);
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

/** Text with `code` spans, as the generator writes it ("query parameter `x` of step `y`"), in a table cell. */
function prose(text: string): string {
  return text
    .split("`")
    .map((part, i) => (i % 2 ? code(part) : cell(part)))
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
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
