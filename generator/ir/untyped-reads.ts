/**
 * Reads of values that have no static type, found once every step is built: an output typed
 * `unknown` (its response's schema says nothing there, or it is undocumented) that no typed
 * field gave a type (`markRequiredOutputs`), a field under such an output
 * (`$steps.a.outputs.body#/id`), an output of another workflow that has none
 * (`$workflows.child.outputs.ref`, and `$outputs.ref` in the step that runs it, whose output
 * is then untyped too), and a field of an input its schema does not type for every value
 * (`$inputs.customer#/firstName` where only some `oneOf` branches have it).
 *
 * Such a read cannot be a typed property access (the compiler rejects property access on
 * `unknown`): targets read it at run time (`readPointer`). Sent whole into a typed parameter,
 * body field or workflow input, it takes that field's type unchecked, as an undocumented
 * output does, with an `untyped-field` warning that names the field: what the author meant,
 * and the only type it can have. An output typed from the one field it is sent into
 * (`StepOutputModel.typedFrom`) is said the same way, except one of a body the description
 * does not document, which `untyped-output` already reports. Each step gets the keys of the
 * reads it makes (`StepModel.uncheckedReads`).
 */
import type { DiagnosticBag } from "../diagnostics.ts";
import type { ParsedExpression } from "../expressions/ast.ts";
import { formatJsonPointer } from "../expressions/json-pointer.ts";
import { fieldValues, stepExpressions } from "./step-expressions.ts";
import type { DataType, InputModel, StepModel, ValueModel, WorkflowModel, WorkflowOutputModel } from "./types.ts";

/**
 * The key of a read: `steps.<stepId>.<output>`, `inputs.<name>` or
 * `workflows.<workflowId>.outputs.<name>`, then the pointer into it (`#/a/0`), if any.
 */
export function untypedReadKey(parsed: ParsedExpression): string | undefined {
  const e = parsed.expression;
  if (e.kind === "steps") return `steps.${e.stepId}.${e.name}${tokens(e.path, e.pointer)}`;
  if (e.kind === "inputs") return `inputs.${e.name}${tokens(e.path, e.pointer)}`;
  if (e.kind === "workflows" && e.field === "outputs") return `workflows.${e.workflowId}.outputs.${e.name}${tokens(e.path, e.pointer)}`;
  if (e.kind === "outputs") return `outputs.${e.name}${tokens(e.path, e.pointer)}`;
  return undefined;
}

function tokens(path: readonly string[], pointer: readonly string[]): string {
  const all = [...path, ...pointer];
  return all.length ? formatJsonPointer(all) : "";
}

export interface UntypedReads {
  readonly steps: StepModel[];
  readonly outputs: WorkflowOutputModel[];
}

export function markUntypedReads(
  steps: readonly StepModel[],
  inputs: readonly InputModel[],
  outputs: readonly WorkflowOutputModel[],
  workflows: ReadonlyMap<string, WorkflowModel>,
  diagnostics: DiagnosticBag,
): UntypedReads {
  // Outputs still `unknown` after the typed fields they are sent into gave theirs.
  const untypedOutputs = new Set(steps.flatMap((s) => s.outputs.filter((o) => o.untyped && !o.typedFrom).map((o) => `${s.stepId}.${o.name}`)));
  // Outputs that took the type of the one field they are sent into, unchecked (an undocumented body's are reported as `untyped-output`).
  const typedFromField = new Set(steps.flatMap((s) => s.outputs.filter((o) => o.typedFrom && !o.undocumentedBody).map((o) => `${s.stepId}.${o.name}`)));
  const inputTypes = new Map(inputs.map((i) => [i.name, i.schema]));
  const untypedOutput = (workflowId: string, name: string) => workflows.get(workflowId)?.outputs.some((o) => o.name === name && o.untyped) === true;
  // `step`: the step that reads it, whose called workflow's outputs `$outputs` are.
  const isUntyped = (parsed: ParsedExpression, step?: StepModel): boolean => {
    const e = parsed.expression;
    if (e.kind === "steps") return untypedOutputs.has(`${e.stepId}.${e.name}`);
    if (e.kind === "workflows") return e.field === "outputs" && untypedOutput(e.workflowId, e.name);
    if (e.kind === "outputs") return step?.kind === "workflow" && untypedOutput(step.workflowId, e.name);
    if (e.kind === "inputs" && (e.path.length || e.pointer.length)) {
      const type = inputTypes.get(e.name);
      return type !== undefined && !typesPointer(type, [...e.path, ...e.pointer]);
    }
    return false;
  };
  // Sent into `field` as that field's type, unchecked: said once per field.
  const untypedField = (step: StepModel, value: Extract<ValueModel, { kind: "expression" }>, field: string) => {
    const e = value.parsed.expression;
    const from = e.kind === "steps" ? steps.find((s) => s.stepId === e.stepId) : undefined;
    const why =
      e.kind === "inputs"
        ? "the input's schema does not type it for every value it allows, as when only some `oneOf` branches have it"
        : e.kind === "workflows"
          ? `workflow \`${e.workflowId}\` does not type its output \`${e.name}\``
          : from?.kind === "workflow"
            ? `it comes from workflow \`${from.workflowId}\`, which does not type it`
            : e.kind === "steps" && from?.outputs.some((o) => o.name === e.name && o.select)
              ? "it is what a selector selects, which no schema types"
              : "the API description does not say what it holds";
    diagnostics.warning(
      "untyped-field",
      `\`${value.parsed.text}\` has no type (${why}); it is sent into ${field} of step \`${step.stepId}\` as that field's type, unchecked`,
      value.location,
      e.kind === "inputs"
        ? "give every branch of the input's schema the field, or send a field every branch has"
        : "describe the value in the API description to have it checked",
    );
  };

  const marked = steps.map((step): StepModel => {
    const reads = new Set<string>();
    const note = (parsed: ParsedExpression) => {
      if (!isUntyped(parsed, step)) return;
      const key = untypedReadKey(parsed);
      if (key) reads.add(key);
    };
    // Every expression the step evaluates, wherever it is.
    for (const parsed of stepExpressions(step)) note(parsed);
    // Whole values sent into a typed field: said once each, naming the field. A field with no
    // type of its own (an undeclared parameter, an undocumented body) has none to give.
    for (const { value, field, typed } of fieldValues(step)) {
      if (value.kind !== "expression" || !typed) continue;
      const e = value.parsed.expression;
      const typedFrom = e.kind === "steps" && !e.path.length && !e.pointer.length && typedFromField.has(`${e.stepId}.${e.name}`);
      if (typedFrom || isUntyped(value.parsed)) untypedField(step, value, field);
    }
    return reads.size ? { ...step, uncheckedReads: [...reads] } : step;
  });
  const markedOutputs = outputs.map((o) => (isUntyped(o.parsed) ? { ...o, untyped: true } : o));
  return { steps: marked, outputs: markedOutputs };
}

/** Whether a value of `type` has a typed property access along `pointer` (every value has each segment, or may lack it as optional). */
function typesPointer(type: DataType, pointer: readonly string[]): boolean {
  if (pointer.length === 0) return type.kind !== "unknown";
  const [head, ...rest] = pointer as [string, ...string[]];
  switch (type.kind) {
    case "object": {
      const property = type.properties.find((p) => p.name === head);
      if (property) return typesPointer(property.type, rest);
      return type.additional !== undefined && type.additional !== "any" && typesPointer(type.additional, rest);
    }
    case "array":
      return /^(0|[1-9]\d*)$/.test(head) && typesPointer(type.items, rest);
    case "intersection":
      return type.members.some((m) => typesPointer(m, pointer));
    case "union": {
      // Property access on a union needs every member to have it (`null` is what `?.` skips).
      const members = type.members.filter((m) => m.kind !== "null");
      return members.length > 0 && members.every((m) => typesPointer(m, pointer));
    }
    default:
      return false;
  }
}
