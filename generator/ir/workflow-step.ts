/**
 * A step that runs another workflow of the document (Arazzo 1.0.1 §"Step Object"
 * `workflowId`): its parameters map to the called workflow's inputs, `$outputs.<name>`
 * reads the called workflow's outputs, and both are typed by that workflow's own types.
 */
import type { DataPath } from "../load/document.ts";
import type { Step } from "../load/arazzo-document.ts";
import { stepParameters } from "./parameters.ts";
import { suggestion, type StepScope } from "./step-scope.ts";
import type { BoundStep, StepContext, StepShared } from "./binding-context.ts";
import type { WorkflowStepModel } from "./types.ts";
import { toValueModel } from "./values.ts";

export function bindWorkflowStep(
  step: Step,
  at: DataPath,
  ctx: StepContext,
  scope: StepScope,
): BoundStep<Omit<WorkflowStepModel, keyof StepShared | "outputs">> | undefined {
  const { arazzo, diagnostics } = ctx;
  const workflowId = step.workflowId!;
  const idAt = arazzo.locate([...at, "workflowId"]);
  // A workflow of this document by id, or of an Arazzo source as $sourceDescriptions.<name>.<workflowId>.
  const names = ctx.workflowNames.get(workflowId);
  const model = ctx.builtWorkflows.get(workflowId);
  const inputNames = model
    ? model.inputs.map((i) => i.name)
    : Object.keys((ctx.raw.workflows?.find((w) => w?.workflowId === workflowId)?.inputs as { properties?: object } | undefined)?.properties ?? {});
  if (!names) {
    const source = /^\$sourceDescriptions\.([^.]+)\./.exec(workflowId)?.[1];
    if (!(source && ctx.unavailableSources.has(source))) {
      diagnostics.error(
        "unknown-workflow",
        `step \`${step.stepId}\` runs workflow \`${workflowId}\`, which does not exist`,
        idAt,
        suggestion(workflowId, [...ctx.workflowNames.keys()]),
      );
    }
    return undefined;
  }
  if (step.requestBody !== undefined) {
    diagnostics.error(
      "unexpected-request-body",
      `step \`${step.stepId}\` runs a workflow; a request body has no meaning there`,
      arazzo.locate([...at, "requestBody"], "key"),
    );
  }
  const runFunction = `run${names.typeName}`;

  // Parameters map to the called workflow's inputs; `in` does not apply.
  const resolved = stepParameters(step.parameters, [...at, "parameters"], ctx.workflow.parameters, [...ctx.workflowAt, "parameters"], {
    doc: arazzo,
    raw: ctx.raw,
    diagnostics,
    requireIn: false,
  });
  const inputs = resolved.flatMap((param) => {
    if (!inputNames.includes(param.name)) {
      if (param.fromWorkflow) return [];
      diagnostics.error(
        "unknown-input",
        `workflow \`${workflowId}\` has no input \`${param.name}\``,
        arazzo.locate(param.at),
        suggestion(param.name, inputNames),
      );
      return [];
    }
    const value = toValueModel(param.value, arazzo, param.valuePath, diagnostics);
    scope.checkValue(value);
    const called = ctx.builtWorkflows.get(workflowId)?.inputs.find((i) => i.name === param.name);
    scope.noteInputTarget(
      value,
      { kind: "access", root: { kind: "called-inputs", stepId: step.stepId! }, segments: [{ key: param.name, index: false }] },
      `input \`${param.name}\` of workflow \`${workflowId}\``,
      called?.required ?? false,
      // The called workflow's input as narrowed to the API fields it flows into, when it is.
      called?.narrowTo.map((t) => t.schema).find((t) => t?.kind === "literal" || t?.kind === "union") ?? called?.schema,
    );
    return [{ name: param.name, value, location: arazzo.locate(param.at) }];
  });

  // `$statusCode == 200` on a workflow step (as in the official pet-coupons example) has no
  // response to test; the author means "the workflow succeeded", which reaching the criteria implies.
  const successCriteria = ctx.successCriteria.filter((c) => {
    const statusOnly = c.kind === "simple" && /\$statusCode\b/.test(c.text);
    if (statusOnly) {
      diagnostics.warning(
        "ignored-criterion",
        `\`${c.text}\` tests a status code, but step \`${step.stepId}\` runs a workflow and has no response; it is ignored`,
        c.location,
        "a workflow step succeeds when the workflow completes; test its outputs with $outputs.<name>",
      );
    }
    return !statusOnly;
  });

  return {
    parts: { kind: "workflow", workflowId, runFunction, moduleName: names.moduleName, inputs },
    typing: {
      resolve: (s) => s,
      calledOutputs: true,
      calledWorkflowId: workflowId,
      // An output the called workflow cannot type is `unknown` here too (`untyped-reads.ts`).
      calledUntyped: new Set(model?.outputs.filter((o) => o.untyped).map((o) => o.name)),
      noBody: "a step that runs a workflow has no response body",
    },
    successCriteria,
  };
}
