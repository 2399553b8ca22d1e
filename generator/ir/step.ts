/**
 * Builds one Step Object (Arazzo 1.0.1 §"Step Object"): what every step has — success
 * criteria, actions, typed outputs — here; what calling an operation or a workflow needs
 * in `operation-step.ts` and `workflow-step.ts`.
 */
import { formatJsonPointer } from "../expressions/json-pointer.ts";
import type { DiagnosticBag, SourceLocation } from "../diagnostics.ts";
import type { ParsedExpression, RuntimeExpression } from "../expressions/ast.ts";
import { parseExpression } from "../expressions/parse.ts";
import type { Step, Workflow } from "../load/arazzo-document.ts";
import type { DataPath } from "../load/document.ts";
import { buildActions, mergeActions, type ActionContext } from "./actions.ts";
import { checkBodyPointer } from "./body-fields.ts";
import { buildCriteria, conditionExpressions } from "./criteria.ts";
import { bindOperationStep } from "./operation-step.ts";
import type { OutputTyping, StepContext } from "./binding-context.ts";
import { StepScope, suggestion } from "./step-scope.ts";
import { accessPlan } from "./access-plan.ts";
import { pinnedLiteral } from "./pinned-literals.ts";
import { constantOutput } from "./constant-outputs.ts";
import { schemaSummary } from "./schema-type.ts";
import { saysNothing, walkSchemaPointer } from "../openapi/schema-pointer.ts";
import type { AccessPlan, ActionModel, CriterionModel, DataType, StepModel, StepOutputModel, TypeRef } from "./types.ts";
import { selectorType } from "../validate/selectors.ts";
import { bindMessageStep } from "./message-step.ts";
import { bindWorkflowStep } from "./workflow-step.ts";

export function buildStep(step: Step, at: DataPath, ctx: Omit<StepContext, "successCriteria" | "allCriteria">): StepModel | undefined {
  const { arazzo, diagnostics } = ctx;
  // The workflow a workflow step runs, for checking `$outputs.<name>`: built already (callees come first), or raw.
  const calledModel = typeof step.workflowId === "string" ? ctx.builtWorkflows.get(step.workflowId) : undefined;
  const calledWorkflow: Workflow | undefined = calledModel
    ? { workflowId: calledModel.workflowId, outputs: Object.fromEntries(calledModel.outputs.map((o) => [o.name, o.parsed.text])) }
    : typeof step.workflowId === "string"
      ? ctx.raw.workflows?.find((w) => w?.workflowId === step.workflowId)
      : undefined;
  const scope = new StepScope({
    raw: ctx.raw,
    diagnostics,
    workflowId: ctx.workflowId,
    inputNames: ctx.inputNames,
    rawSteps: ctx.rawSteps,
    index: ctx.index,
    calledWorkflow: typeof step.workflowId === "string" ? (calledWorkflow ?? {}) : undefined,
    dependsOn: Array.isArray(ctx.workflow.dependsOn) ? ctx.workflow.dependsOn : [],
    ...(step.action === "send" || step.action === "receive" ? { messageStep: step.action } : {}),
  });

  // Success criteria and actions (§"Criterion Object", §"Success/Failure Action Object").
  const checkCriteria = (parsed: Parameters<StepScope["check"]>[0], where: SourceLocation) => scope.check(parsed, where, "criteria");
  const successCriteria = buildCriteria(step.successCriteria, [...at, "successCriteria"], arazzo, diagnostics, checkCriteria);
  const actionContext: ActionContext = {
    doc: arazzo,
    raw: ctx.raw,
    diagnostics,
    stepIds: ctx.rawSteps.map((s) => s?.stepId).filter((id): id is string => typeof id === "string"),
    workflowIds: [...ctx.workflowNames.keys()],
    check: checkCriteria,
  };
  // A message step inherits the workflow's actions except those that test an HTTP response,
  // which it has none of (they apply to the workflow's HTTP steps).
  const messageStep = step.action !== undefined || step.channelPath !== undefined;
  const http = (kind: string) => ["response", "statusCode", "url", "method", "request"].includes(kind);
  const inherited = messageStep
    ? {
        ...actionContext,
        check: (parsed: Parameters<StepScope["check"]>[0], where: SourceLocation) => (http(parsed.expression.kind) ? undefined : checkCriteria(parsed, where)),
      }
    : actionContext;
  const forStep = (actions: ActionModel[]) =>
    messageStep
      ? actions.filter((a) => {
          const readsHttp = a.criteria.some((c) =>
            (c.kind === "simple" ? [...conditionExpressions(c.condition)] : [c.context]).some((e) => http(e.expression.kind)),
          );
          if (readsHttp) {
            diagnostics.warning(
              "ignored-criterion",
              `workflow action \`${a.name}\` tests an HTTP response; message step \`${step.stepId}\` has none, so it does not apply there`,
              a.location,
            );
          }
          return !readsHttp;
        })
      : actions;
  const onSuccess = mergeActions(
    buildActions("success", step.onSuccess, [...at, "onSuccess"], actionContext),
    forStep(buildActions("success", ctx.workflow.successActions, [...ctx.workflowAt, "successActions"], inherited)),
  );
  const onFailure = mergeActions(
    buildActions("failure", step.onFailure, [...at, "onFailure"], actionContext),
    forStep(buildActions("failure", ctx.workflow.failureActions, [...ctx.workflowAt, "failureActions"], inherited)),
  );
  const allCriteria = [...successCriteria, ...[...onSuccess, ...onFailure].flatMap((a: ActionModel) => a.criteria)];
  const fullContext: StepContext = { ...ctx, successCriteria, allCriteria };

  const bound =
    typeof step.workflowId === "string"
      ? bindWorkflowStep(step, at, fullContext, scope)
      : step.action !== undefined || step.channelPath !== undefined
        ? bindMessageStep(step, at, fullContext, scope)
        : bindOperationStep(step, at, fullContext, scope);
  if (!bound) return undefined;

  // Outputs (§"Step Object" outputs): each typed from where it reads.
  const outputs: StepOutputModel[] = [];
  for (const [name, text] of Object.entries(step.outputs ?? {})) {
    const location = arazzo.locate([...at, "outputs", name]);
    if (text !== null && typeof text === "object") {
      // A Selector Object that is no plain path (`validate/selectors.ts` left it): read at run time.
      const selected = selectorOutput(name, text as Record<string, unknown>, location, scope, diagnostics);
      if (selected) outputs.push(selected);
      continue;
    }
    const constant = constantOutput(text, `output \`${name}\``, location, diagnostics);
    if (constant === null) continue;
    if (constant) {
      outputs.push({
        name,
        parsed: constant,
        type: { kind: "literal", value: (constant.expression as { value: string | number | boolean | null }).value },
        optional: false,
        required: false,
        location,
      });
      continue;
    }
    const parsed = typeof text === "string" ? parseExpression(text) : undefined;
    if (!parsed?.ok) {
      diagnostics.error("invalid-expression", `output \`${name}\`: ${parsed ? parsed.error.message : "must be a runtime expression"}`, location);
      continue;
    }
    scope.check(parsed.value, location, "output");
    if (!checkBodyField(parsed.value, `output \`${name}\``, location, bound.typing, diagnostics)) continue;
    const typed = outputType(parsed.value.expression, bound.typing, ctx, step.stepId!);
    if (typed === undefined) {
      if (bound.parts.kind === "workflow") {
        diagnostics.error("no-response-body", `output \`${name}\` reads the response body, but ${bound.typing.noBody}`, location);
        continue;
      }
      // The author clearly means the field of whatever body comes back; it cannot be typed.
      const message = bound.parts.kind === "message";
      diagnostics.warning(
        "untyped-output",
        `output \`${name}\` reads the ${message ? "message payload" : "response body"}, but ${bound.typing.noBody}; it is typed \`unknown\``,
        location,
        message
          ? "describe the message's payload in the AsyncAPI description to type it"
          : "document the response's JSON schema in the OpenAPI description to type it",
      );
      outputs.push({
        name,
        parsed: parsed.value,
        type: { kind: "unknown" },
        optional: false,
        required: false,
        untyped: true,
        undocumentedBody: true,
        location,
      });
      continue;
    }
    const pinned = pinnedOutput(parsed.value, bound.successCriteria ?? successCriteria, bound.typing);
    const schema = bodyFieldSchema(parsed.value, bound.typing);
    // Typed `unknown` (the schema says nothing there): like an undocumented body's output, it
    // takes the type of a field a later step sends it into (`markRequiredOutputs`).
    const untyped = typed.type.kind === "unknown" && !pinned.type ? { untyped: true } : {};
    outputs.push({ name, parsed: parsed.value, ...typed, ...pinned, ...untyped, ...(schema ? { schema } : {}), required: false, location });
  }

  // Success criteria and success actions read the typed body: check their pointers too.
  for (const criterion of [...(bound.successCriteria ?? successCriteria), ...onSuccess.flatMap((a) => a.criteria)]) {
    const expressions = criterion.kind === "simple" ? [...conditionExpressions(criterion.condition)] : [criterion.context];
    // A comparison read leniently from JSONPath reads its paths from the context, as pointers would.
    if (criterion.kind === "jsonpath" && criterion.paths) {
      const e = criterion.context.expression;
      if ((e.kind === "response" || e.kind === "request") && e.source.in === "body") {
        for (const path of criterion.paths) {
          const source = { in: "body" as const, pointer: [...e.source.pointer, ...path] };
          expressions.push({ text: `${criterion.context.text}${formatJsonPointer(path)}`, expression: { ...e, source } });
        }
      }
    }
    for (const e of expressions) checkBodyField(e, `the criterion \`${criterion.text}\``, criterion.location, bound.typing, diagnostics);
  }

  const criteria = [...(bound.successCriteria ?? successCriteria), ...onSuccess.flatMap((a) => a.criteria), ...onFailure.flatMap((a) => a.criteria)];
  const read = [...outputs.map((o) => o.parsed), ...criteria.flatMap(criterionExpressions)];
  const responseAccess = bound.parts.kind === "operation" ? responseAccessPlans(read, bound.typing) : undefined;
  const payloadAccess = bound.parts.kind === "message" ? responseAccessPlans(read, bound.typing, "message") : undefined;
  const timeoutMs = stepTimeout(step, at, ctx);
  const dependsOn = stepDependencies(step, at, ctx);
  return {
    ...bound.parts,
    ...(responseAccess ? { responseAccess } : {}),
    ...(payloadAccess ? { payloadAccess } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(dependsOn.length ? { dependsOn } : {}),
    stepId: step.stepId!,
    varName: ctx.varName,
    typeName: ctx.typeName,
    description: step.description,
    location: arazzo.locate([...at, "stepId"]),
    successCriteria: bound.successCriteria ?? successCriteria,
    onSuccess,
    onFailure,
    outputs,
    inputTargets: scope.inputTargets,
    outputTargets: scope.outputTargets,
    consumedOutputs: scope.consumedOutputs,
    readsSteps: [...scope.readsSteps],
  } as StepModel;
}

/**
 * Arazzo 1.1 step-level `dependsOn`: steps of this workflow, listed before this one (so the
 * steps run in an order that keeps every dependency, and reads of their outputs are typed).
 * A step of another workflow or document is not supported yet.
 */
function stepDependencies(step: Step, at: DataPath, ctx: Pick<StepContext, "arazzo" | "diagnostics" | "rawSteps" | "index" | "workflowId">): string[] {
  if (!Array.isArray(step.dependsOn)) return [];
  const ids = ctx.rawSteps.map((s) => s?.stepId);
  return step.dependsOn.flatMap((entry, i) => {
    const where = ctx.arazzo.locate([...at, "dependsOn", i]);
    if (typeof entry !== "string") return [];
    if (entry.startsWith("$")) {
      ctx.diagnostics.error(
        "unsupported-feature",
        `\`${entry}\`: a dependency on a step of another workflow (Arazzo 1.1) is not generated by arazzo-ts yet`,
        where,
        "a step can depend on steps of its own workflow, by stepId",
      );
      return [];
    }
    const index = ids.indexOf(entry);
    if (index < 0) {
      ctx.diagnostics.error(
        "unknown-step",
        `step \`${step.stepId}\` depends on step \`${entry}\`, which workflow \`${ctx.workflowId}\` does not have`,
        where,
        suggestion(
          entry,
          ids.filter((id): id is string => typeof id === "string"),
        ),
      );
      return [];
    }
    if (index >= ctx.index) {
      ctx.diagnostics.error(
        "dependency-order",
        `step \`${step.stepId}\` depends on ${index === ctx.index ? "itself" : `step \`${entry}\`, which is listed after it`}`,
        where,
        index === ctx.index ? "remove it from `dependsOn`" : `list \`${entry}\` before \`${step.stepId}\`: steps start in an order that keeps every dependency`,
      );
      return [];
    }
    return [entry];
  });
}

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * An output read by a JSONPath query that may match several values (the list of the values
 * it selects) or an XPath expression (its string value, or the first node's text), at run
 * time: typed `unknown`, with a warning, since no schema says what such a query selects.
 */
function selectorOutput(
  name: string,
  selector: Record<string, unknown>,
  location: SourceLocation,
  scope: StepScope,
  diagnostics: DiagnosticBag,
): StepOutputModel | undefined {
  const type = selectorType(selector);
  const context = parseExpression(String(selector.context));
  if (!context.ok) {
    diagnostics.error("invalid-expression", `output \`${name}\`: its selector's context: ${context.error.message}`, location);
    return undefined;
  }
  scope.check(context.value, location, "output");
  const query = String(selector.selector);
  const what = type === "xpath" ? "an XPath expression" : "a JSONPath query that may select several values";
  diagnostics.warning(
    "untyped-selector",
    `output \`${name}\` is read by ${what}: it is typed \`unknown\`${type === "xpath" ? "" : " (the list of the values it selects)"}`,
    location,
    "a selector that is a plain path (`jsonpointer`, or `$.a[0].b`) is typed from the schema",
  );
  return {
    name,
    parsed: { text: `${context.value.text} ${query}`, expression: context.value.expression },
    select: { type: type === "xpath" ? "xpath" : "jsonpath", query },
    type: { kind: "unknown" },
    optional: false,
    required: false,
    untyped: true,
    location,
  };
}

/** Arazzo 1.1 `timeout`: a whole number of milliseconds, 0 or more (the schema lets a negative one through). */
function stepTimeout(step: Step, at: DataPath, ctx: Pick<StepContext, "arazzo" | "diagnostics">): number | undefined {
  if (step.timeout === undefined) return undefined;
  // Timers take at most 2^31 - 1 ms (24.8 days); a longer one would fire at once.
  if (Number.isInteger(step.timeout) && step.timeout >= 0 && step.timeout <= MAX_TIMEOUT_MS) return step.timeout;
  ctx.diagnostics.error(
    "invalid-timeout",
    `step \`${step.stepId}\` has timeout ${JSON.stringify(step.timeout)}; a timeout is a whole number of milliseconds, from 0 to ${MAX_TIMEOUT_MS} (24.8 days)`,
    ctx.arazzo.locate([...at, "timeout"]),
  );
  return undefined;
}

/**
 * Checks a `$response.body#/…` or `$request.body#/…` pointer against the documented body
 * schema; false when it names a field the schema does not have (reported).
 */
function checkBodyField(parsed: ParsedExpression, use: string, location: SourceLocation, typing: OutputTyping, diagnostics: DiagnosticBag): boolean {
  const e = parsed.expression;
  if ((e.kind !== "response" && e.kind !== "request" && e.kind !== "message") || e.source.in !== "body" || e.source.pointer.length === 0) return true;
  const schema = e.kind === "response" ? typing.responseSchema : e.kind === "message" ? typing.messageSchema : typing.requestSchema;
  const typed = e.kind === "response" ? typing.response : e.kind === "message" ? typing.message : typing.requestBody;
  if (schema === undefined || !typed || typed === "text") return true;
  const walk = checkBodyPointer(
    {
      schema,
      resolve: typing.resolve,
      pointer: e.source.pointer,
      body: (e.kind === "request" ? typing.bodyNames?.request : typing.bodyNames?.response) ?? `the ${e.kind} body`,
      use,
      spell: (pointer) => `$${e.kind}.${e.kind === "message" ? "payload" : "body"}#${formatJsonPointer(pointer)}`,
      location,
    },
    diagnostics,
    { warnUntyped: true },
  );
  return walk.kind !== "missing";
}

/** The type of a step output; undefined when it reads a body that is not documented. */
function outputType(
  e: RuntimeExpression,
  typing: OutputTyping,
  ctx: Pick<StepContext, "built">,
  stepId: string,
): { type: TypeRef; optional: boolean; guaranteed?: boolean } | undefined {
  const plain = (kind: "unknown" | "string" | "number", optional = false) => ({ type: { kind }, optional });
  const field = (root: Extract<TypeRef, { kind: "access" }>["root"], name: string) => ({
    type: { kind: "access" as const, root, segments: [{ key: name, index: false }] },
    optional: false,
  });
  switch (e.kind) {
    case "statusCode":
      return plain("number");
    case "url":
    case "method":
      return plain("string");
    case "request":
    case "response": {
      if (e.source.in !== "body") return plain("string", true);
      const base = e.kind === "response" ? typing.response : typing.requestBody && "json";
      if (!base || (base === "text" && e.source.pointer.length > 0)) return undefined;
      if (base === "text") return plain("string", true);
      const root = { kind: e.kind === "response" ? "response" : "request-body", stepId } as const;
      const schema = documentedSchema(e.kind, typing);
      // The whole body, of a schema that says nothing: `unknown`.
      if (e.source.pointer.length === 0 && saysNothing(typing.resolve(schema))) return { type: { kind: "unknown" }, optional: true };
      const plan = accessPlan(e.source.pointer, schema, typing.resolve);
      // The response the criteria checked has the field when its schema requires it;
      // otherwise the body may lack it (or any field on the way to it).
      if (e.kind === "response" && typing.responseChecked && plan.typed && plan.present) {
        return { type: { kind: "access", root, segments: plan.read, present: true }, optional: false, guaranteed: true };
      }
      return { type: plan.typed ? { kind: "access", root, segments: plan.read } : { kind: "unknown" }, optional: true };
    }
    case "message": {
      if (e.source.in !== "body") return plain("string", true);
      if (typing.message !== "json") return undefined;
      const plan = accessPlan(e.source.pointer, typing.messageSchema, typing.resolve);
      return { type: plan.typed ? { kind: "access", root: { kind: "message-payload", stepId }, segments: plan.read } : { kind: "unknown" }, optional: true };
    }
    // biome-ignore lint/suspicious/noFallthroughSwitchClause: deliberate, see the comment below.
    case "workflows":
      if (e.field !== "outputs" || e.workflowId !== typing.calledWorkflowId) return plain("unknown");
    // falls through: in the step that ran it, the workflow's outputs are `$outputs`
    case "outputs":
      if (!typing.calledOutputs || typing.calledUntyped?.has(e.name)) return plain("unknown");
      return e.path.length || e.pointer.length ? plain("unknown") : field({ kind: "called-outputs", stepId: stepId }, e.name);
    case "inputs":
      return e.path.length || e.pointer.length ? plain("unknown") : field({ kind: "inputs" }, e.name);
    case "steps": {
      const step = ctx.built.find((s) => s.stepId === e.stepId);
      return step && e.path.length === 0 && e.pointer.length === 0 ? field({ kind: "outputs", stepId: step.stepId }, e.name) : plain("unknown");
    }
    default:
      return plain("unknown");
  }
}

/**
 * The schema of the JSON body a pointer reads. A documented JSON body whose schema is absent
 * (or a `$ref` that does not resolve, left out) is `unknown` to the compiler, as `{}` says.
 */
function documentedSchema(kind: "response" | "request", typing: OutputTyping): unknown {
  const schema = kind === "response" ? typing.responseSchema : typing.requestSchema;
  return schema ?? {};
}

/** An output of the typed response body that a success criterion pins to one value: typed as that value, never absent. */
function pinnedOutput(parsed: ParsedExpression, criteria: readonly CriterionModel[], typing: OutputTyping): Partial<StepOutputModel> {
  const e = parsed.expression;
  if (e.kind !== "response" || e.source.in !== "body" || typing.response !== "json") return {};
  const value = pinnedLiteral(e.source.pointer, criteria, typing.responseSchema, typing.resolve);
  if (value === undefined) return {};
  const criterion = criteria.find((c) => c.kind === "simple" && [...conditionExpressions(c.condition)].some((x) => x.text === parsed.text));
  return { type: { kind: "literal", value }, optional: false, pinned: criterion?.text ?? parsed.text };
}

/** The JSON Schema type of a body field an output reads, for docs; undefined where the API does not describe it. */
function bodyFieldSchema(parsed: ParsedExpression, typing: OutputTyping): DataType | undefined {
  const e = parsed.expression;
  if ((e.kind !== "response" && e.kind !== "request") || e.source.in !== "body") return undefined;
  const schema = e.kind === "response" ? typing.responseSchema : typing.requestSchema;
  if (schema === undefined) return undefined;
  const walk = walkSchemaPointer(schema, e.source.pointer, typing.resolve);
  return walk.kind === "typed" ? schemaSummary(walk.schema, typing.resolve) : undefined;
}

/** The expressions a criterion reads: its condition's operands, or its context. */
function criterionExpressions(criterion: CriterionModel): ParsedExpression[] {
  return criterion.kind === "simple" ? [...conditionExpressions(criterion.condition)] : [criterion.context];
}

/** How the step reads each `$response.body` pointer in `expressions`, by pointer. */
function responseAccessPlans(
  expressions: readonly ParsedExpression[],
  typing: OutputTyping,
  kind: "response" | "message" = "response",
): Record<string, AccessPlan> {
  const plans: Record<string, AccessPlan> = {};
  const schema = kind === "response" ? typing.responseSchema : typing.messageSchema;
  // Without a documented JSON body the step reads `any` (`scope.body`); a documented one without a schema is `unknown`.
  const documented = kind === "response" ? typing.response === "json" : typing.message === "json";
  for (const { expression: e } of expressions) {
    if (e.kind !== kind || e.source.in !== "body") continue;
    const key = formatJsonPointer(e.source.pointer);
    if (!Object.hasOwn(plans, key)) plans[key] = accessPlan(e.source.pointer, documented ? (schema ?? {}) : schema, typing.resolve);
  }
  return plans;
}
