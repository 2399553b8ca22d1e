/**
 * The runtime expressions a built step evaluates, and the values it sends with the fields
 * they go to: what the passes over finished steps (`untyped-reads.ts`, `unused-inputs.ts`)
 * look through.
 */
import type { ParsedExpression } from "../expressions/ast.ts";
import { formatJsonPointer } from "../expressions/json-pointer.ts";
import { conditionExpressions } from "./criteria.ts";
import type { StepModel, ValueModel } from "./types.ts";
import { parsedExpressionsIn } from "./values.ts";

/** Every runtime expression a step evaluates: its request, criteria, actions' inputs and outputs. */
export function* stepExpressions(step: StepModel): Generator<ParsedExpression> {
  for (const { value } of fieldValues(step)) for (const { parsed } of parsedExpressionsIn(value)) yield parsed;
  if (step.kind === "message" && step.correlation) for (const { parsed } of parsedExpressionsIn(step.correlation.value)) yield parsed;
  for (const criterion of [...step.successCriteria, ...[...step.onSuccess, ...step.onFailure].flatMap((a) => a.criteria)]) {
    if (criterion.kind === "simple") {
      yield* conditionExpressions(criterion.condition);
    } else {
      yield criterion.context;
    }
  }
  for (const output of step.outputs) yield output.parsed;
}

/**
 * The values a step sends, each with the field it goes to, as diagnostics name it: its
 * request (or the called workflow's inputs, or the message), and the inputs its actions start
 * a workflow with (Arazzo 1.1 `parameters`). `typed`: the field has a type a value without
 * one takes; not a parameter the description does not declare, nor a body it does not document.
 */
export function* fieldValues(step: StepModel): Generator<{ value: ValueModel; field: string; typed: boolean }> {
  if (step.kind === "operation") {
    for (const p of step.parameters) yield { value: p.value, field: `${p.in} parameter \`${p.name}\``, typed: p.declared };
    if (step.requestBody) yield* payloadFields(step.requestBody.payload, [], "the request body", step.requestBody.documented);
  } else if (step.kind === "workflow") {
    for (const input of step.inputs) yield { value: input.value, field: `input \`${input.name}\` of workflow \`${step.workflowId}\``, typed: true };
  } else {
    for (const h of step.headers) yield { value: h.value, field: `message header \`${h.name}\``, typed: true };
    if (step.payload) yield* payloadFields(step.payload, [], "the message payload", true);
  }
  for (const action of [...step.onSuccess, ...step.onFailure]) {
    if (action.target?.kind !== "workflow") continue;
    const { workflowId } = action.target;
    for (const input of action.inputs ?? []) {
      yield { value: input.value, field: `input \`${input.name}\` of workflow \`${workflowId}\` (started by action \`${action.name}\`)`, typed: true };
    }
  }
}

function* payloadFields(
  value: ValueModel,
  at: readonly string[],
  body: string,
  typed: boolean,
): Generator<{ value: ValueModel; field: string; typed: boolean }> {
  if (value.kind === "object") for (const [key, v] of value.entries) yield* payloadFields(v, [...at, key], body, typed);
  else if (value.kind === "array") for (const [i, v] of value.items.entries()) yield* payloadFields(v, [...at, String(i)], body, typed);
  else yield { value, field: at.length ? `field \`${formatJsonPointer(at)}\` of ${body}` : body, typed };
}
