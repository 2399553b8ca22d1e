/**
 * What `arazzo-ts run` knows of a workflow before it runs it, from the model: its steps and
 * actions as the document writes them (the report's `graph`, which the flowchart is drawn from),
 * and the criteria results a transition implies (Arazzo 1.0.1 §"Step Object" `onSuccess`,
 * `onFailure`: the first action whose criteria all hold applies).
 */
import type { ActionModel, StepModel, WorkflowModel } from "../ir/types.ts";
import type { CriterionResult, GraphAction, GraphStep, Transition, WorkflowGraph } from "./report.ts";

export function workflowGraph(workflow: WorkflowModel): WorkflowGraph {
  return { steps: workflow.steps.map(graphStep) };
}

function graphStep(step: StepModel): GraphStep {
  const does =
    step.kind === "operation"
      ? `${step.operation.method.toUpperCase()} ${step.operation.path}`
      : step.kind === "workflow"
        ? `workflow ${step.workflowId}`
        : `${step.action} ${step.channel}`;
  return {
    stepId: step.stepId,
    does,
    successCriteria: step.successCriteria.map((c) => c.text),
    onSuccess: step.onSuccess.map(graphAction),
    onFailure: step.onFailure.map(graphAction),
  };
}

function graphAction(action: ActionModel): GraphAction {
  const target = action.target ? (action.target.kind === "step" ? action.target.stepId : `workflow:${action.target.workflowId}`) : undefined;
  return { name: action.name, type: action.type, ...(target === undefined ? {} : { target }), criteria: action.criteria.map((c) => c.text) };
}

/**
 * The criteria of `step` and what the run shows they gave: the success criteria all held when
 * it succeeded; when it failed on one (`failedCriterion`, from the error), those before it held,
 * it did not, and those after were not evaluated. Of the actions of its outcome, the one that
 * applied had every criterion hold; one before it with a single criterion had it fail (with
 * several, which one is not known); the later ones were not evaluated.
 */
export function criteriaResults(step: GraphStep, outcome: "success" | "failure", transition: Transition, failedCriterion?: string): CriterionResult[] {
  const success: CriterionResult[] = step.successCriteria.map((text, i) => {
    if (outcome === "success") return { kind: "success", text, result: true };
    const failedAt = failedCriterion === undefined ? -1 : step.successCriteria.indexOf(failedCriterion);
    return { kind: "success", text, result: failedAt < 0 ? null : i < failedAt ? true : i === failedAt ? false : null };
  });
  const kind = outcome === "success" ? "onSuccess" : "onFailure";
  const actions = outcome === "success" ? step.onSuccess : step.onFailure;
  const applied = transition.action === undefined ? actions.length : actions.findIndex((a) => a.name === transition.action);
  const evaluated = transition.type === "fail" && outcome === "failure" && transition.action === undefined ? actions.length : applied;
  const fromActions = actions.flatMap((action, i) =>
    action.criteria.map(
      (text): CriterionResult => ({
        kind,
        action: action.name,
        text,
        result: i === applied ? true : i < evaluated && action.criteria.length === 1 ? false : null,
      }),
    ),
  );
  return [...success, ...fromActions];
}
