/**
 * Workflow inputs that nothing reads: declared, given by every caller, and dropped. Most often
 * the sign of a misspelt reference elsewhere (`$input.orderId` sent as text), so each is a
 * warning at its declaration. An input counts as read when any expression of the workflow reads
 * it (`$inputs.<name>`, `$inputs` whole), and every input does when the workflow hands its
 * inputs on: to the workflows it `dependsOn`, or to one a `goto` starts without `parameters`.
 */
import type { DiagnosticBag, SourceLocation } from "../diagnostics.ts";
import { stepExpressions } from "./step-expressions.ts";
import type { InputModel, StepModel, WorkflowOutputModel } from "./types.ts";

export function warnUnusedInputs(
  workflowId: string,
  inputs: readonly InputModel[],
  steps: readonly StepModel[],
  outputs: readonly WorkflowOutputModel[],
  handsOn: boolean,
  locate: (name: string) => SourceLocation,
  diagnostics: DiagnosticBag,
): void {
  if (handsOn || inputs.length === 0) return;
  const expressions = [...steps.flatMap((s) => [...stepExpressions(s)]), ...outputs.map((o) => o.parsed)];
  if (expressions.some((p) => p.expression.kind === "inputsObject")) return;
  // A goto that starts another workflow without `parameters` gives it these inputs.
  if (steps.some((s) => [...s.onSuccess, ...s.onFailure].some((a) => a.target?.kind === "workflow" && a.inputs === undefined))) return;
  const read = new Set(expressions.flatMap((p) => (p.expression.kind === "inputs" ? [p.expression.name] : [])));
  for (const input of inputs) {
    if (read.has(input.name)) continue;
    diagnostics.warning(
      "unused-input",
      `workflow \`${workflowId}\` declares input \`${input.name}\`, but nothing reads it`,
      locate(input.name),
      `read it as \`$inputs.${input.name}\` where it is meant to go (a misspelt \`$input.\` or \`$inputs.\` is sent as text), or remove it`,
    );
  }
}
