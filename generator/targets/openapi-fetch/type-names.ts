/**
 * How this target names the model's types in a workflow module: each step's aliases into
 * its source's `paths` (`MintTokenParameters`, `MintTokenRequestBody`, `MintTokenResponse`),
 * its `Outputs` interface, the workflow's `Inputs`, and a called workflow's inputs and outputs
 * through its `run<Name>` function.
 */
import type { MessageStepModel, OperationStepModel, StepModel, TypeRef, TypeRoot, WorkflowModel } from "../../ir/types.ts";
import { stringLiteral } from "../../shared/names.ts";
import { statusKey, typeRefCode } from "../typescript/type-code.ts";

/** The TypeScript of a model type in `workflow`'s module. */
export function typeIn(workflow: WorkflowModel): (type: TypeRef) => string {
  const steps = new Map(workflow.steps.map((s) => [s.stepId, s]));
  const root = (r: TypeRoot): string => {
    if (r.kind === "inputs") return `${workflow.typeName}Inputs`;
    const step = steps.get(r.stepId);
    if (!step) throw new Error(`no step \`${r.stepId}\` in workflow \`${workflow.workflowId}\``);
    switch (r.kind) {
      case "parameters":
        return `${step.typeName}Parameters`;
      case "request-body":
        return `${step.typeName}RequestBody`;
      case "response":
        return `${step.typeName}Response`;
      case "outputs":
        return `${step.typeName}Outputs`;
      case "called-inputs":
        return `Parameters<typeof ${runFunctionOf(step)}>[0]`;
      case "called-outputs":
        return `Awaited<ReturnType<typeof ${runFunctionOf(step)}>>`;
      case "message-payload":
        return `${step.typeName}Payload`;
    }
  };
  return (type) => typeRefCode(type, root);
}

function runFunctionOf(step: StepModel): string {
  if (step.kind !== "workflow") throw new Error(`step \`${step.stepId}\` runs no workflow`);
  return step.runFunction;
}

/** The operation in its source's `paths`: `ApiPaths["/pets"]["post"]`. */
function operationType(step: OperationStepModel): string {
  return `${step.source.pascalName}Paths[${stringLiteral(step.operation.path)}][${stringLiteral(step.operation.method)}]`;
}

/** What the step's aliases stand for: its operation's parameters, request body (when typed) and JSON success bodies (when documented). */
export function stepAliases(step: OperationStepModel): { parameters: string; requestBody?: string; response?: string } {
  const op = operationType(step);
  return {
    parameters: `${op}["parameters"]`,
    ...(step.requestBody?.typed ? { requestBody: `NonNullable<${op}["requestBody"]>["content"][${stringLiteral(step.requestBody.contentType)}]` } : {}),
    ...(step.responseBodies.length ? { response: responseType(step, op) } : {}),
  };
}

/** The JSON success bodies the step reads; several are read as one (`AnyOfBodies`: each field of any, optional). */
function responseType(step: OperationStepModel, op: string): string {
  const bodies = step.responseBodies.map((b) => `${op}["responses"][${statusKey(b.status)}]["content"][${stringLiteral(b.mediaType)}]`);
  return bodies.length > 1 ? `AnyOfBodies<${bodies.join(" | ")}>` : bodies[0]!;
}

/** What a message step's aliases stand for: its messages' payload and headers in its source's message types (a union when the channel carries several). */
export function messageAliases(step: MessageStepModel): { payload?: string; headers?: string } {
  const schemas = `${step.source.pascalName}Messages["schemas"]`;
  const union = (keys: (string | undefined)[]) =>
    keys.every((k) => k !== undefined) && keys.length ? keys.map((k) => `${schemas}[${stringLiteral(k!)}]`).join(" | ") : undefined;
  const payload = union(step.messageTypes.map((m) => m.payload));
  const headers = union(step.messageTypes.map((m) => m.headers));
  return { ...(payload ? { payload } : {}), ...(headers ? { headers } : {}) };
}
