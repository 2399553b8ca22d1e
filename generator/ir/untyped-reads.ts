/**
 * Reads of values that have no static type, found once every step is built: an output typed
 * `unknown` (its response's schema says nothing there, or it is undocumented) that no typed
 * field gave a type (`markRequiredOutputs`), a field under such an output
 * (`$steps.a.outputs.body#/id`), and a field of an input its schema does not type for every
 * value (`$inputs.customer#/firstName` where only some `oneOf` branches have it).
 *
 * Such a read cannot be a typed property access (the compiler rejects property access on
 * `unknown`): targets read it at run time (`readPointer`). Sent whole into a typed parameter
 * or body field, it takes that field's type unchecked, as an undocumented output does, with
 * an `untyped-field` warning that names the field: what the author meant, and the only type
 * it can have. Each step gets the keys of the reads it makes (`StepModel.uncheckedReads`).
 */
import type { DiagnosticBag } from "../diagnostics.ts";
import type { ParsedExpression } from "../expressions/ast.ts";
import { formatJsonPointer } from "../expressions/json-pointer.ts";
import { fieldValues, stepExpressions } from "./step-expressions.ts";
import type { DataType, InputModel, StepModel, WorkflowOutputModel } from "./types.ts";

/** The key of a read: `steps.<stepId>.<output>` or `inputs.<name>`, then the pointer into it (`#/a/0`), if any. */
export function untypedReadKey(parsed: ParsedExpression): string | undefined {
  const e = parsed.expression;
  if (e.kind === "steps") return `steps.${e.stepId}.${e.name}${tokens(e.path, e.pointer)}`;
  if (e.kind === "inputs") return `inputs.${e.name}${tokens(e.path, e.pointer)}`;
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
  diagnostics: DiagnosticBag,
): UntypedReads {
  // Outputs still `unknown` after the typed fields they are sent into gave theirs.
  const untypedOutputs = new Set(steps.flatMap((s) => s.outputs.filter((o) => o.untyped && !o.typedFrom).map((o) => `${s.stepId}.${o.name}`)));
  const inputTypes = new Map(inputs.map((i) => [i.name, i.schema]));
  const isUntyped = (parsed: ParsedExpression): boolean => {
    const e = parsed.expression;
    if (e.kind === "steps") return untypedOutputs.has(`${e.stepId}.${e.name}`);
    if (e.kind === "inputs" && (e.path.length || e.pointer.length)) {
      const type = inputTypes.get(e.name);
      return type !== undefined && !typesPointer(type, [...e.path, ...e.pointer]);
    }
    return false;
  };

  const marked = steps.map((step): StepModel => {
    const reads = new Set<string>();
    const note = (parsed: ParsedExpression) => {
      if (!isUntyped(parsed)) return;
      const key = untypedReadKey(parsed);
      if (key) reads.add(key);
    };
    // Every expression the step evaluates, wherever it is.
    for (const parsed of stepExpressions(step)) note(parsed);
    // Whole values sent into a typed field: said once each, naming the field.
    for (const { value, field } of fieldValues(step)) {
      if (value.kind !== "expression" || !isUntyped(value.parsed)) continue;
      const input = value.parsed.expression.kind === "inputs";
      diagnostics.warning(
        "untyped-field",
        `\`${value.parsed.text}\` has no type (${input ? "the input's schema does not type it for every value it allows, as when only some `oneOf` branches have it" : "the API description does not say what it holds"}); it is sent into ${field} of step \`${step.stepId}\` as that field's type, unchecked`,
        value.location,
        input
          ? "give every branch of the input's schema the field, or send a field every branch has"
          : "describe the value in the API description to have it checked",
      );
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
