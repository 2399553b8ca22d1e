/**
 * Example inputs of a workflow (`exampleInputs` in a package's mocks): values that
 * type-check as its `Inputs`, narrowed the way the inputs are.
 */
import type { DataType, WorkflowModel } from "../../ir/types.ts";
import { define, exampleOf } from "./mock-values.ts";

/** Example inputs of a workflow: the schema's own example, else a value of the field it flows into, else one of its type. */
export function exampleInputs(workflow: WorkflowModel): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const input of workflow.inputs) {
    // The type of the API field it flows into, which the input is narrowed to, unless the
    // input's own schema is already a set of values.
    const own = input.schema.kind === "literal" || (input.schema.kind === "union" && input.schema.members.every((m) => m.kind === "literal"));
    const targets = own ? [] : input.narrowTo.map((t) => t.schema);
    const values = narrowedValues(own ? input.schema : undefined, targets);
    const narrowed = values ? undefined : targets.find((t) => t !== undefined && t.kind !== "unknown");
    const value = values ? values[0] : input.example !== undefined && !narrowed ? input.example : exampleOf(narrowed ?? input.schema);
    define(inputs, input.name, value);
  }
  return inputs;
}

/**
 * The values an input may take once narrowed as `NarrowAll` does: each target that is a set
 * of values, and a subset of what the input takes so far, narrows it. Undefined when no set applies.
 */
function narrowedValues(own: DataType | undefined, targets: readonly (DataType | undefined)[]): unknown[] | undefined {
  const valuesOf = (t: DataType | undefined): unknown[] | undefined =>
    t?.kind === "literal"
      ? [t.value]
      : t?.kind === "union" && t.members.every((m) => m.kind === "literal")
        ? t.members.map((m) => (m as { value: unknown }).value)
        : undefined;
  let current = valuesOf(own);
  for (const target of targets) {
    const values = valuesOf(target);
    if (values && (!current || values.every((v) => current!.includes(v)))) current = values;
  }
  return current?.length ? current : undefined;
}
