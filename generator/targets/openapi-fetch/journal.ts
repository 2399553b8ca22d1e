/**
 * How a durable module's `run<Workflow>` hands a step to its journal (`runtime/durable.ts`):
 * `await journal.step(stepId, () => <step function>, { keep, outcome })`. `keep` names the
 * step's outputs that something later reads, so a journal records those and no others.
 */
import { stringLiteral } from "../../shared/names.ts";
import type { StepModel, WorkflowModel } from "../../ir/types.ts";

/**
 * `stepId\0name` of every step output an expression of the workflow reads: in a step's
 * request, criteria, actions (criteria and parameters) or outputs, or in the workflow's
 * outputs. Found by walking the IR (plain data) for `$steps.<id>.outputs.<name>` nodes, so no
 * place an expression can sit is forgotten; a node of another workflow only keeps more.
 */
export function readStepOutputs(workflow: WorkflowModel): ReadonlySet<string> {
  const read = new Set<string>();
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== "object" || seen.has(value)) return;
    seen.add(value);
    const node = value as { kind?: unknown; field?: unknown; stepId?: unknown; name?: unknown };
    if (node.kind === "steps" && node.field === "outputs" && typeof node.stepId === "string" && typeof node.name === "string") {
      read.add(`${node.stepId}\u0000${node.name}`);
    }
    for (const child of Array.isArray(value) ? value : Object.values(value)) visit(child);
  };
  visit(workflow.steps);
  visit(workflow.outputs);
  return read;
}

/**
 * `await <call>` in the step's span (`run.flow.step` when it returns a `StepOutcome`), or in a
 * durable module for an operation or message step, that through the journal, so the span is
 * made only when the step runs, not when a replay returns its recorded result. A workflow step
 * is not one unit: the workflow it runs journals its own steps.
 */
export function stepCall(step: StepModel, call: string, read: ReadonlySet<string> | undefined, outcome: boolean): string {
  const id = stringLiteral(step.stepId);
  const traced = `${outcome ? "run.flow" : "run.telemetry"}.step(${id}, () => ${call})`;
  if (!read || step.kind === "workflow") return `await ${traced}`;
  const keep = step.outputs.filter((o) => read.has(`${step.stepId}\u0000${o.name}`)).map((o) => stringLiteral(o.name));
  return `await journal.step(${id}, () => ${traced}, { keep: [${keep.join(", ")}], outcome: ${outcome} })`;
}
