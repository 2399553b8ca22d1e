/**
 * Emits one step as a small async function plus its type aliases: it sends a typed
 * openapi-fetch request, checks the success criteria and returns the step's outputs.
 *
 * In a straight-line workflow a failed criterion throws. In a workflow with actions the
 * function returns a `StepOutcome`: the first `onSuccess` / `onFailure` action whose
 * criteria hold decides the transition (`end`, `goto`, `retry`), which the workflow's
 * state machine follows.
 */
import path from "node:path";
import type { FunctionDeclarationStructure, InterfaceDeclarationStructure, StatementStructures, TypeAliasDeclarationStructure } from "ts-morph";
import { formatJsonPointer } from "../../expressions/json-pointer.ts";
import { docText, lineCommentText, memberAccess, objectKey, propertyKey, stringLiteral } from "../../shared/names.ts";
import type {
  ActionModel,
  CriterionModel,
  FormBodyModel,
  FormFieldEncoding,
  MessageStepModel,
  OperationStepModel,
  ParameterModel,
  StepModel,
  WorkflowModel,
  WorkflowStepModel,
} from "../../ir/types.ts";
import { allCriteriaCode, criterionCode, encodedTemplateCode, expressionCode, negatedCriterionCode, valueCode, type CodeScope } from "../typescript/code.ts";
import { longStringLiteral } from "../typescript/format.ts";
import { readsJsonBody } from "../typescript/json-body.ts";
import type { Imports } from "../typescript/imports.ts";
import type { SourceMapEntry } from "../typescript/source-map.ts";
import type { ParsedExpression } from "../../expressions/ast.ts";
import { conditionExpressions } from "../../ir/criteria.ts";
import { parsedExpressionsIn } from "../../ir/values.ts";
import { messageAliases, stepAliases, typeIn } from "./type-names.ts";
import { StructureKind } from "../typescript/ts-morph.ts";

const RUNTIME = "./runtime.js";
const FLOW = "./runtime-flow.js";

export interface StepEmitContext {
  readonly workflow: WorkflowModel;
  readonly imports: Imports;
  readonly sourceMap: SourceMapEntry[];
  /** Function names of steps, by step id. */
  readonly functionNames: ReadonlyMap<string, string>;
  /** Name of the workflow's step-id union type (state machine only). */
  readonly stepIdType: string;
  /** `run<Workflow>` functions of other workflows, by workflow id, for `goto`/`retry` to a workflow. */
  readonly workflowFunctions: ReadonlyMap<string, string>;
  /** The source-map entry of each step type alias, by alias name, to drop with an alias nothing uses. */
  readonly aliasEntries: Map<string, SourceMapEntry>;
  /** A durable target's module: called workflows get the run's journal (`workflow-module.ts`). */
  readonly durable?: boolean;
}

/** The options (and, in a durable module, the journal) a called workflow runs with. */
function calledWith(workflowId: string, options: string, ctx: StepEmitContext): string {
  return ctx.durable ? `${options}, run.journal.within(${stringLiteral(workflowId)})` : options;
}

export function stepStatements(step: StepModel, ctx: StepEmitContext): StatementStructures[] {
  const flowMode = !ctx.workflow.flow.straightLine;
  const aliases = step.kind === "operation" ? stepAliasStatements(step, ctx) : step.kind === "message" ? messageAliasStatements(step, ctx) : [];
  const call = step.kind === "operation" ? operationCall(step, ctx) : step.kind === "message" ? messageCall(step, ctx) : runWorkflowCall(step, flowMode, ctx);
  const body = [stepConstant(step, ctx.workflow), ...call.statements, ...(flowMode ? outcome(step, call, ctx) : checkedOutputs(step, call, ctx))];
  if (call.success.typedBody?.used && step.kind === "message" && step.action === "receive") {
    body.splice(1 + call.statements.length, 0, `const payload = message.payload as ${step.typeName}Payload | undefined;`);
  }
  if (call.success.typedBody?.used && step.kind === "operation") {
    // openapi-fetch types `data` as any 2xx body in any media type; the step reads the one
    // its criteria test, in the JSON media type (the `Response` alias).
    // openapi-fetch keeps a non-2xx body in `error`: a step whose criteria accept such a status reads it there.
    const read = step.responseBodies.every((b) => /^2/.test(b.status))
      ? `result.data as ${step.typeName}Response | undefined`
      : `(result.response.ok ? result.data : result.error) as unknown as ${step.typeName}Response | undefined`;
    body.splice(1 + call.statements.length, 0, `const data = ${read};`);
  }
  // A sent message nothing reads is not kept.
  if (step.kind === "message" && step.action === "send" && !body.some((line) => !line.startsWith("const message = ") && /\bmessage\b/.test(line))) {
    const at = body.findIndex((line) => line.startsWith("const message = "));
    if (at >= 0) body[at] = body[at]!.replace(/^const message = /, "");
  }
  // `step` names the step in errors; a step that cannot fail with one does not declare it.
  if (!body.slice(1).some((line) => /\bstep\b/.test(line))) body.shift();
  return [...aliases, outputsInterface(step, ctx), stepFunction(step, body, call.what, flowMode, ctx)];
}

/** The step's type aliases into its source's `paths`: those its code and types use (unused ones are dropped later). */
function stepAliasStatements(step: OperationStepModel, ctx: StepEmitContext): TypeAliasDeclarationStructure[] {
  const aliases: TypeAliasDeclarationStructure[] = [];
  const alias = (suffix: string, type: string, docs: string) => {
    const entry = { fragment: type, location: step.location };
    aliases.push({ kind: StructureKind.TypeAlias, name: `${step.typeName}${suffix}`, type, docs: [docs] });
    ctx.sourceMap.push(entry);
    ctx.aliasEntries.set(`${step.typeName}${suffix}`, entry);
  };
  const types = stepAliases(step);
  if (step.parameters.some((p) => p.declared) || step.unsuppliedParameters.length) {
    alias("Parameters", types.parameters, `Parameters of ${operationText(step)}.`);
  }
  if (step.requestBody && types.requestBody) {
    alias("RequestBody", types.requestBody, `Request body of ${operationText(step)} as \`${docText(step.requestBody.contentType)}\`.`);
  }
  if (types.response) {
    if (step.responseBodies.length > 1) ctx.imports.use(RUNTIME, "AnyOfBodies", { typeOnly: true });
    const others = step.otherResponseMediaTypes?.length
      ? `, as \`${docText(step.responseBodies[0]?.mediaType ?? "")}\` (the API also documents ${step.otherResponseMediaTypes.map((t) => `\`${docText(t)}\``).join(", ")}, which the step does not read)`
      : "";
    alias("Response", types.response, `Response body of ${operationText(step)} for HTTP ${step.successStatuses.join(" or ")}${others}.`);
  }
  return aliases;
}

function outputsInterface(step: StepModel, ctx: StepEmitContext): InterfaceDeclarationStructure {
  const typeCode = typeIn(ctx.workflow);
  return {
    kind: StructureKind.Interface,
    name: `${step.typeName}Outputs`,
    docs: [`Outputs of step \`${docText(step.stepId)}\`.`],
    properties: step.outputs.map((o) => {
      // A required output is present: `NonNullable<T>`, where `T | undefined` would be noise;
      // a guaranteed one's type has neither.
      const plain = typeCode(o.type);
      const type = o.guaranteed || o.pinned ? plain : o.required ? `NonNullable<${plain}>` : o.optional ? `${plain} | undefined` : plain;
      const why = o.pinned
        ? ` (\`${docText(o.pinned)}\` holds)`
        : o.required
          ? " (required: a later step uses it)"
          : o.guaranteed
            ? " (the response schema requires it)"
            : "";
      ctx.sourceMap.push({ fragment: `${propertyKey(o.name)}: ${type}`, location: o.location });
      const untypedBy = step.kind === "workflow" ? `workflow \`${docText(step.workflowId)}\` does not type it` : "the API does not document it";
      const typedFrom = o.typedFrom ? `; ${untypedBy}, so it is typed as ${docText(o.typedFrom)}, which it is sent to (unchecked)` : "";
      return { name: propertyKey(o.name), type, docs: [`\`${docText(o.parsed.text)}\`${why}${typedFrom}`] };
    }),
  };
}

/** `const step = { … }`: names the step in errors; an operation step also names its operation, for `options.onStep`. */
function stepConstant(step: StepModel, workflow: WorkflowModel): string {
  const fields = [`workflowId: ${stringLiteral(workflow.workflowId)}`, `stepId: ${stringLiteral(step.stepId)}`];
  if (step.kind === "operation") fields.push(`method: ${stringLiteral(step.operation.method.toUpperCase())}`, `path: ${stringLiteral(step.operation.path)}`);
  // `send` bounds the request by it; a workflow step's call is bounded by `withStepTimeout`.
  if (step.kind === "operation" && step.timeoutMs !== undefined) fields.push(`timeoutMs: ${step.timeoutMs}`);
  // A body read as text that the step reads into: `send` parses it when the response says it is JSON.
  if (step.kind === "operation" && readsJsonBody(step)) fields.push("jsonBody: true");
  return `const step = { ${fields.join(", ")} };`;
}

/** What running a step gives the code after it: its statements, and the scopes its criteria and actions are read in. */
interface StepCall {
  /** What the step does, for its doc comment. */
  readonly what: string;
  readonly statements: readonly string[];
  /** Success criteria, success actions and outputs. */
  readonly success: CodeScope;
  /** Failure actions. */
  readonly failure: CodeScope;
}

/** A message step's aliases into its source's message types: `<Step>Payload`, `<Step>Headers`. */
function messageAliasStatements(step: MessageStepModel, ctx: StepEmitContext): TypeAliasDeclarationStructure[] {
  const types = messageAliases(step);
  const what = `the message${step.messageTypes.length > 1 ? "s" : ""} ${step.action === "send" ? "sent on" : "received on"} channel \`${docText(step.channel)}\``;
  const aliases: TypeAliasDeclarationStructure[] = [];
  for (const [suffix, type] of [
    ["Payload", types.payload],
    ["Headers", types.headers],
  ] as const) {
    if (!type) continue;
    const entry = { fragment: type, location: step.location };
    aliases.push({
      kind: StructureKind.TypeAlias,
      name: `${step.typeName}${suffix}`,
      type,
      docs: [`${suffix === "Payload" ? "Payload" : "Headers"} of ${what}.`],
    });
    ctx.sourceMap.push(entry);
    ctx.aliasEntries.set(`${step.typeName}${suffix}`, entry);
  }
  return aliases;
}

/** Sends the message (typed by the channel's payload), or receives the first one that matches the correlation id on a channel the run listens on. */
function messageCall(step: MessageStepModel, ctx: StepEmitContext): StepCall {
  const { imports, sourceMap } = ctx;
  const optionalInputs = new Set(ctx.workflow.inputs.filter((i) => !i.required).map((i) => i.name));
  const scope: CodeScope = { step, imports, sourceMap, optionalInputs };
  // `$message.payload` is read typed when the channel carries one kind of message: a received one
  // through `payload` (declared when read), a sent one from the typed `payload` it was built from.
  const typed = !!messageAliases(step).payload && step.messageTypes.length === 1;
  const readsTyped = typed && (step.action === "receive" || step.payload !== undefined);
  const success: CodeScope = { ...scope, message: "message", ...(readsTyped ? { typedBody: { name: "payload", used: false } } : {}) };
  const statements: string[] = [];
  const MESSAGES = "./runtime-messages.js";
  if (step.action === "send") {
    if (step.payload) {
      const code = valueCode(step.payload, scope);
      sourceMap.push({ fragment: `const payload${typed ? `: ${step.typeName}Payload` : ""} = ${code.split("\n")[0]}`, location: step.payload.location });
      statements.push(`const payload${typed ? `: ${step.typeName}Payload` : ""} = ${code};`);
    }
    const headers = step.headers.map((h) => {
      const line = `${objectKey(h.name)}: ${valueCode(h.value, scope)}`;
      sourceMap.push({ fragment: line.split("\n")[0]!, location: h.location });
      return `${line},`;
    });
    const headerCode = headers.length ? `${imports.use(MESSAGES, "messageHeaders")}({\n${headers.join("\n")}\n})` : "{}";
    const transport = `${imports.use(MESSAGES, "transportOf")}(run.options.transports, ${stringLiteral(step.source.name)})`;
    const send = (signal: string) =>
      `${imports.use(MESSAGES, "sendMessage")}(\nstep,\n${transport},\n${stringLiteral(step.channel)},\n{ payload${step.payload ? "" : ": undefined"}, headers: ${headerCode} },\n${signal},\n)`;
    // A step `timeout` bounds the send too (a broker that never acknowledges).
    statements.push(
      step.timeoutMs === undefined
        ? `const message = await ${send("run.signal")};`
        : `const message = await ${imports.use(RUNTIME, "withStepTimeout")}(step, ${step.timeoutMs}, run.signal, (signal) =>\n${send("signal")});`,
    );
    return { what: `sends on channel \`${docText(step.channel)}\` of \`${docText(step.source.name)}\``, statements, success, failure: success };
  }
  const options: string[] = [];
  if (step.correlation) {
    const value = valueCode(step.correlation.value, scope);
    sourceMap.push({ fragment: value.split("\n")[0]!, location: step.correlation.at });
    options.push(`correlation: { location: ${stringLiteral(step.correlation.location)}, value: ${value} },`);
  }
  if (step.timeoutMs !== undefined) options.push(`timeoutMs: ${step.timeoutMs},`);
  options.push("signal: run.signal,");
  const received = `await run.channels.receive(step, ${stringLiteral(step.source.name)}, ${stringLiteral(step.channel)}, {\n${options.join("\n")}\n})`;
  // Failure actions read the message too (criteria on it): it is there once the timeout branch is past.
  const failure: CodeScope = success;
  if (!timeoutActions(step, ctx)) {
    statements.push(`const message = ${received};`);
    return { what: `receives on channel \`${docText(step.channel)}\` of \`${docText(step.source.name)}\``, statements, success, failure };
  }
  statements.push(...timedOutStatements("message", received, "message", step, failure, ctx));
  return { what: `receives on channel \`${docText(step.channel)}\` of \`${docText(step.source.name)}\``, statements, success, failure };
}

/** Sends the typed openapi-fetch request through the runtime's `send` (signal, onStep, errors). */
function operationCall(step: OperationStepModel, ctx: StepEmitContext): StepCall {
  const { imports, sourceMap } = ctx;
  const optionalInputs = new Set(ctx.workflow.inputs.filter((i) => !i.required).map((i) => i.name));
  const scope: CodeScope = { step, imports, sourceMap, optionalInputs };
  const documentedJson = step.responseBodies.length > 0;
  // Without a documented JSON success body, `$response.body` is read untyped.
  const typedBody = documentedJson && step.parseAs === "json" ? { name: "data", used: false } : undefined;
  const success: CodeScope = { ...scope, result: "result", body: documentedJson || step.parseAs === "text" ? "typed" : "any", typedBody };
  const statements: string[] = [];
  const cookies = step.parameters.filter((p) => p.in === "cookie");
  if (cookies.length) {
    // openapi-fetch types cookie parameters but does not send them: they go in a Cookie header.
    // Typed as the operation's cookie parameters (less the required ones the step leaves out, which
    // `requestInit` says are missing), so a value of the wrong type is an error at its field.
    const missing = step.unsuppliedParameters.filter((p) => p.in === "cookie").map((p) => stringLiteral(p.name));
    const own = `NonNullable<${step.typeName}Parameters["cookie"]>`;
    const typed = cookies.every((p) => p.declared) ? `: ${missing.length ? `Omit<${own}, ${missing.join(" | ")}>` : own}` : "";
    statements.push(`const cookies${typed} = ${objectCode(cookies, scope, sourceMap)};`);
  }
  const client = `run.clients${memberAccess(step.source.name)}.${step.operation.method.toUpperCase()}`;
  const init = requestInit(step, scope, sourceMap);
  let request: string;
  if (step.parseAs === "json") {
    // Typed against this one operation before the call: checking the literal inside the
    // call would check it against every path of the API (the benchmark measured 47 ms
    // against 13 ms per step on a 1,000-operation API).
    const initType = `${imports.use("openapi-fetch", "MaybeOptionalInit", { typeOnly: true })}<${step.source.pascalName}Paths[${stringLiteral(step.operation.path)}], ${stringLiteral(step.operation.method)}>`;
    sourceMap.push({ fragment: `const init: ${initType} = {`, location: step.location });
    // Type arguments given, not inferred: inferring them costs the check a third more (tsgo,
    // 10,000 calls: 4.5 s against 3.1 s), and `init` is already checked against the operation.
    const path = stringLiteral(step.operation.path);
    request = `(signal) => {\nconst init: ${initType} = ${init};\nreturn ${client}<${path}, typeof init>(${path}, init);\n}`;
  } else {
    // parseAs must stay a literal in the call, for the response to be typed as text.
    const call = `${client}(${stringLiteral(step.operation.path)}, ${init})`;
    sourceMap.push({ fragment: call.split("\n")[0]!, location: step.location });
    request = `(signal) =>\n${call}`;
  }
  const sent = `await ${imports.use(RUNTIME, "send")}(\nstep,\nrun.signal,\n${request},\nrun.options,\nrun.telemetry,\n)`;
  const what = `${operationText(step)} on \`${docText(step.source.name)}\``;
  const failure: CodeScope = { ...success, body: "any" };
  if (!timeoutActions(step, ctx)) {
    statements.push(`const result = ${sent};`);
    return { what, statements, success, failure };
  }
  statements.push(...timedOutStatements("result", sent, "response", step, failure, ctx));
  return { what, statements, success, failure };
}

/**
 * `const <variable> = <awaited>` for a step whose timeout goes through its failure actions: the
 * timeout becomes a `StepTimedOut`, handled by the failure actions that read no response or
 * message (there is none), else thrown.
 */
function timedOutStatements(
  variable: string,
  awaited: string,
  what: "response" | "message",
  step: StepModel,
  failure: CodeScope,
  ctx: StepEmitContext,
): string[] {
  const caught = `${awaited.replace(/\)$/, `).catch(${ctx.imports.use(RUNTIME, "timedOut")}(step))`)}`;
  const actions = actionLines(
    step.onFailure.filter((a) => !readsExchange(a)),
    step,
    failure,
    ctx,
    "failure",
    `throw ${variable}.error;`,
    { noResponse: true },
  );
  const note = `// Timed out: there is no ${what}, so only the failure actions that do not read one apply.`;
  return [`const ${variable} = ${caught};`, `if (${variable} instanceof ${ctx.imports.use(RUNTIME, "StepTimedOut")}) {\n${note}\n${actions.join("\n")}\n}`];
}

/** Whether an action's criteria or inputs read the response or message, which a timed-out step does not have. */
function readsExchange(action: ActionModel): boolean {
  const exchange = (e: ParsedExpression) => ["response", "statusCode", "url", "method", "request", "message"].includes(e.expression.kind);
  const inCriteria = action.criteria.some((c) => (c.kind === "simple" ? [...conditionExpressions(c.condition)].some(exchange) : exchange(c.context)));
  const inInputs = (action.inputs ?? []).some((i) => [...parsedExpressionsIn(i.value)].some(({ parsed }) => exchange(parsed)));
  return inCriteria || inInputs;
}

/** In a state machine, a step with a `timeout` and failure actions handles its timeout with them. */
function timeoutActions(step: StepModel, ctx: StepEmitContext): boolean {
  return !ctx.workflow.flow.straightLine && step.timeoutMs !== undefined && step.onFailure.length > 0;
}

/** Runs the called workflow; in a state machine its failure is this step's failure, so its failure actions apply. */
function runWorkflowCall(step: WorkflowStepModel, flowMode: boolean, ctx: StepEmitContext): StepCall {
  const scope: CodeScope = { step, imports: ctx.imports, sourceMap: ctx.sourceMap };
  const inputs = workflowInputs(step, scope, ctx.sourceMap);
  // In a workflow whose steps run concurrently, the run's signal (aborted by a failing sibling) stops the called workflow too.
  const concurrent = ctx.workflow.steps.some((s) => s.dependsOn?.length);
  const call =
    step.timeoutMs === undefined
      ? `${step.runFunction}(${inputs}, ${calledWith(step.workflowId, concurrent ? "{ ...run.options, signal: run.signal }" : "run.options", ctx)})`
      : `${ctx.imports.use(RUNTIME, "withStepTimeout")}(step, ${step.timeoutMs}, run.signal, (signal) => ${step.runFunction}(${inputs}, ${calledWith(step.workflowId, "{ ...run.options, signal }", ctx)}))`;
  const what = `runs workflow \`${docText(step.workflowId)}\``;
  const success = { ...scope, called: "result" };
  if (!flowMode) return { what, statements: [`const result = await ${call};`], success, failure: scope };
  const failure = [
    `if (!(error instanceof ${ctx.imports.use(RUNTIME, "ArazzoStepError")})) throw error;`,
    ...actionLines(step.onFailure, step, scope, ctx, "failure", "throw error;"),
  ];
  const statement = `let result: Awaited<ReturnType<typeof ${step.runFunction}>>;\ntry {\nresult = await ${call};\n} catch (error) {\n${failure.join("\n")}\n}`;
  return { what, statements: [statement], success, failure: scope };
}

/** The success criteria as assertions (a failed one throws), for a criterion without failure actions to take over. */
function assertions(step: StepModel, call: StepCall, ctx: StepEmitContext): string[] {
  const result = step.kind === "operation" ? "result" : "undefined";
  return step.successCriteria.map((criterion) => {
    const code = criterionCode(criterion, call.success);
    ctx.sourceMap.push({ fragment: code, location: criterion.location });
    return `${ctx.imports.use(RUNTIME, "assertCriterion")}(${code}, step, ${result}, ${failedCriterion(criterion)});`;
  });
}

/**
 * A success criterion as its failure names it (runtime `FailedCriterion`): the condition as
 * written, and for a regex, JSONPath or XPath criterion the expression whose value it tests.
 * `asConst` where no parameter type keeps `type` a literal (`const unmet = … ? { … } : …`).
 */
function failedCriterion(criterion: CriterionModel, asConst = false): string {
  if (criterion.kind === "simple") return longStringLiteral(criterion.text);
  const object = `{ condition: ${longStringLiteral(criterion.text)}, type: ${stringLiteral(criterion.kind)}, context: ${stringLiteral(criterion.context.text)} }`;
  return asConst ? `${object} as const` : object;
}

/** Straight-line workflow: assert the criteria, return the outputs. */
function checkedOutputs(step: StepModel, call: StepCall, ctx: StepEmitContext): string[] {
  return [...assertions(step, call, ctx), `return ${outputsObject(step, call.success, ctx)};`];
}

/** State machine: the criteria, then the first failure or success action that applies decides the transition. */
function outcome(step: StepModel, call: StepCall, ctx: StepEmitContext): string[] {
  const { imports, sourceMap } = ctx;
  const result = step.kind === "operation" ? "result" : "undefined";
  // Without failure actions a failed criterion throws, as in a straight-line workflow.
  const statements = step.onFailure.length ? [] : assertions(step, call, ctx);
  if (step.successCriteria.length && step.onFailure.length) {
    // Which success criterion failed, if any (its text goes into the error).
    const checks = step.successCriteria.map((c) => {
      const code = negatedCriterionCode(c, call.success);
      sourceMap.push({ fragment: code, location: c.location });
      return `${code} ? ${failedCriterion(c, true)}`;
    });
    statements.push(`const unmet = ${checks.join(" : ")} : undefined;`);
    const failure = actionLines(
      step.onFailure,
      step,
      call.failure,
      ctx,
      "failure",
      () => `throw ${imports.use(RUNTIME, "stepFailed")}(step, ${result}, unmet);`,
    );
    statements.push(`if (unmet !== undefined) {\n${failure.join("\n")}\n}`);
  }
  statements.push(`const outputs: ${step.typeName}Outputs = ${outputsObject(step, call.success, ctx)};`);
  statements.push(...actionLines(step.onSuccess, step, call.success, ctx, "success", `return { outputs, then: { type: "next" } };`));
  return statements;
}

/** The step's function: it takes the run, and the inputs and earlier outputs only when it reads them. */
function stepFunction(step: StepModel, body: string[], what: string, flowMode: boolean, ctx: StepEmitContext): FunctionDeclarationStructure {
  const { workflow } = ctx;
  const reads = workflow.steps.filter((s) => step.readsSteps.includes(s.stepId));
  const parameters = [
    { name: "run", type: "Run" },
    // Only a step that reads the inputs takes them (`$inputs.x` in a string and `x.inputs` are not reads; `...inputs` is).
    ...(body.some((line) => /(?<![\w$])(?<![^.]\.)inputs\b/.test(line)) ? [{ name: "inputs", type: `${workflow.typeName}Inputs` }] : []),
    ...(reads.length ? [{ name: "steps", type: `{ ${reads.map((s) => `${propertyKey(s.stepId)}: ${s.typeName}Outputs`).join("; ")} }` }] : []),
  ];
  if (flowMode) ctx.imports.use(FLOW, "StepOutcome", { typeOnly: true });
  return {
    kind: StructureKind.Function,
    name: ctx.functionNames.get(step.stepId)!,
    isAsync: true,
    docs: [stepDoc(step, what)],
    parameters,
    returnType: flowMode ? `Promise<StepOutcome<${step.typeName}Outputs, ${ctx.stepIdType}>>` : `Promise<${step.typeName}Outputs>`,
    statements: body,
  };
}

function operationText(step: OperationStepModel): string {
  const { method, path: opPath, operationId } = step.operation;
  return `\`${method.toUpperCase()} ${docText(opPath)}\`${operationId ? ` (\`${docText(operationId)}\`)` : ""}`;
}

/** The inputs object passed to a called workflow, one entry per parameter. */
function workflowInputs(step: WorkflowStepModel, scope: CodeScope, sourceMap: SourceMapEntry[]): string {
  if (!step.inputs.length) return "{}";
  const lines = step.inputs.map((input) => {
    const line = `${objectKey(input.name)}: ${valueCode(input.value, scope)}`;
    sourceMap.push({ fragment: line.split("\n")[0]!, location: input.location });
    return `${line},`;
  });
  return `{\n${lines.join("\n")}\n}`;
}

function stepDoc(step: StepModel, what: string): string {
  const lines = [`Step \`${docText(step.stepId)}\`: ${what}.`];
  if (step.description) lines.push(docText(step.description));
  if (step.timeoutMs !== undefined) lines.push(`Fails if not done within ${step.timeoutMs} ms (its \`timeout\`).`);
  const actions = [...step.onSuccess.map((a) => ["on success", a] as const), ...step.onFailure.map((a) => ["on failure", a] as const)];
  if (actions.length) {
    lines.push(
      actions
        .map(
          ([when, a]) =>
            `- ${when}, \`${docText(a.name)}\`: ${describeAction(a)}${a.criteria.length ? ` when ${a.criteria.map((c) => `\`${docText(c.text)}\``).join(" and ")}` : ""}`,
        )
        .join("\n"),
    );
  }
  lines.push(`Defined at ${docText(`${path.basename(step.location.file)}:${step.location.line}:${step.location.col}`)}.`);
  return lines.join("\n\n");
}

function describeAction(a: ActionModel): string {
  const target = a.target ? (a.target.kind === "step" ? `step \`${docText(a.target.stepId)}\`` : `workflow \`${docText(a.target.workflowId)}\``) : "";
  switch (a.type) {
    case "end":
      return "end the workflow";
    case "goto":
      return `go to ${target}`;
    case "retry":
      return `retry${a.target ? ` after running ${target}` : ""} (at most ${a.retryLimit}×${a.retryAfter !== undefined ? `, ${a.retryAfter}s apart` : ""})`;
  }
}

/**
 * The actions in order, then `fallback` for when none applies. An action that always
 * applies (no criteria, not a retry with a limit) ends the list: nothing after it could run.
 */
function actionLines(
  actions: readonly ActionModel[],
  step: StepModel,
  scope: CodeScope,
  ctx: StepEmitContext,
  kind: "success" | "failure",
  fallback: string | (() => string),
  options: { readonly noResponse?: boolean } = {},
): string[] {
  const lines: string[] = [];
  for (const action of actions) {
    lines.push(actionLine(action, step, scope, ctx, kind, options));
    if (action.criteria.length === 0 && action.type !== "retry") return lines;
  }
  lines.push(typeof fallback === "string" ? fallback : fallback());
  return lines;
}

/** `if (<criteria>) return { …transition };` for one action, or the bare return for an action without criteria. */
function actionLine(
  action: ActionModel,
  step: StepModel,
  scope: CodeScope,
  ctx: StepEmitContext,
  kind: "success" | "failure",
  options: { readonly noResponse?: boolean } = {},
): string {
  const conditions: string[] = [];
  if (action.criteria.length) {
    const code = allCriteriaCode(action.criteria, scope);
    for (const c of action.criteria) ctx.sourceMap.push({ fragment: criterionCode(c, scope), location: c.location });
    conditions.push(code);
  }
  if (action.type === "retry") conditions.push(`run.flow.canRetry(${stringLiteral(step.stepId)}, ${stringLiteral(action.name)}, ${action.retryLimit})`);
  const outputs = kind === "success" ? "outputs, " : "";
  const name = stringLiteral(action.name);
  let then: string;
  switch (action.type) {
    case "end":
      then = `{ type: "end", action: ${name} }`;
      break;
    case "goto":
      then =
        action.target?.kind === "step"
          ? `{ type: "goto", action: ${name}, stepId: ${stringLiteral(action.target.stepId)} }`
          : `{ type: "goto-workflow", action: ${name}, run: () => ${workflowCall(action, scope, ctx)} }`;
      break;
    case "retry": {
      const fields = [`type: "retry"`, `action: ${name}`];
      // Decided here, where the response is: its `Retry-After` overrules `retryAfter`.
      if (step.kind === "operation" && !options.noResponse)
        fields.push(`delayMs: ${ctx.imports.use(FLOW, "retryDelayMs")}(result.response, ${action.retryAfter ?? "undefined"})`);
      else fields.push(`delayMs: ${Math.round((action.retryAfter ?? 0) * 1000)}`);
      if (action.target?.kind === "step") fields.push(`first: ${stringLiteral(action.target.stepId)}`);
      if (action.target?.kind === "workflow") fields.push(`first: () => ${workflowCall(action, scope, ctx)}`);
      then = `{ ${fields.join(", ")} }`;
      break;
    }
  }
  const statement = `return { ${outputs}then: ${then} };`;
  const comment = `// ${lineCommentText(`${kind} action \`${action.name}\``)}`;
  return conditions.length ? `${comment}\nif (${conditions.join(" && ")}) ${statement}` : `${comment}\n${statement}`;
}

/** Starts the workflow an action goes to: with its `parameters` as inputs (Arazzo 1.1), else with this workflow's inputs. */
function workflowCall(action: ActionModel, scope: CodeScope, ctx: StepEmitContext): string {
  const target = action.target;
  if (target?.kind !== "workflow") throw new Error("not a workflow action");
  const fn = ctx.workflowFunctions.get(target.workflowId)!;
  if (!action.inputs) {
    ctx.sourceMap.push({ fragment: `${fn}(inputs, run.options)`, location: action.location });
    return `${fn}(inputs, ${calledWith(target.workflowId, "run.options", ctx)})`;
  }
  const lines = action.inputs.map((input) => {
    const line = `${objectKey(input.name)}: ${valueCode(input.value, scope)}`;
    ctx.sourceMap.push({ fragment: line.split("\n")[0]!, location: input.location });
    return `${line},`;
  });
  return `${fn}(${lines.length ? `{\n${lines.join("\n")}\n}` : "{}"}, ${calledWith(target.workflowId, "run.options", ctx)})`;
}

function outputsObject(step: StepModel, scope: CodeScope, ctx: StepEmitContext): string {
  if (!step.outputs.length) return "{}";
  const result = step.kind === "operation" ? "result" : "undefined";
  const lines = step.outputs.map((o) => {
    const context = expressionCode(o.parsed, o.untyped ? { ...scope, body: "any" } : scope, o.select?.type === "jsonpath");
    // A Selector Object read at run time (Arazzo 1.1): what its query selects in the context.
    const code = o.select
      ? o.select.type === "jsonpath"
        ? `${ctx.imports.use("./runtime-jsonpath.js", "jsonPathSelect")}(${context}, ${stringLiteral(o.select.query)})`
        : `${ctx.imports.use("./runtime-xpath.js", "xPathSelect")}(${context}, ${stringLiteral(o.select.query)})`
      : context;
    // Also a guaranteed one: a server that breaks its description fails the step, not a later read.
    let value = o.required || o.guaranteed ? `${ctx.imports.use(RUNTIME, "requireOutput")}(${code}, step, ${result}, ${stringLiteral(o.parsed.text)})` : code;
    // Typed as the field a later step sends it to (the API says nothing to check it against),
    // or as the value a success criterion pinned it to.
    if (o.typedFrom || o.pinned) value = `${value} as ${step.typeName}Outputs[${stringLiteral(o.name)}]`;
    ctx.sourceMap.push({ fragment: `${objectKey(o.name)}: ${value}`, location: o.location });
    return `${objectKey(o.name)}: ${value},`;
  });
  return `{\n${lines.join("\n")}\n}`;
}

/** The object passed to the openapi-fetch call: params, headers, body, serializer hints, signal. */
function requestInit(step: OperationStepModel, scope: CodeScope, sourceMap: SourceMapEntry[]): string {
  const fields: string[] = [];
  const declared = step.parameters.filter((p) => p.declared);
  const groups = (["path", "query", "header", "cookie"] as const).flatMap((location) => {
    const params = declared.filter((p) => p.in === location);
    const missing = step.unsuppliedParameters.filter((p) => p.in === location);
    // An API key the step sends itself (`x-security`) in a query parameter the operation does not
    // declare, and parameters the description leaves out (`undeclared-parameter`).
    const credentials = location === "query" ? step.parameters.filter((p) => !p.declared && p.credential && p.in === "query") : [];
    const undeclared = location === "path" || location === "query" ? step.parameters.filter((p) => !p.declared && !p.credential && p.in === location) : [];
    if (!params.length && !missing.length && !credentials.length && !undeclared.length) return [];
    const object = location === "cookie" ? "cookies" : objectCode(params, scope, sourceMap);
    if (credentials.length || undeclared.length) {
      const extra = [...credentials, ...undeclared].map((p) => entryCode(p, scope, sourceMap)).join("\n");
      const typed = params.length ? `...(${object} satisfies ${step.typeName}Parameters[${stringLiteral(location)}]),\n` : "";
      const why = [
        ...(credentials.length ? ["the credentials of `x-security`"] : []),
        ...(undeclared.length ? [`${undeclared.map((p) => `\`${p.name}\``).join(", ")}, which the API description does not declare`] : []),
      ];
      return [`// Sent as written, untyped: ${lineCommentText(why.join("; "))}.`, `${location}: {\n${typed}${extra}\n} as never,`];
    }
    if (!missing.length) return [`${location}: ${object},`];
    // Required parameters the workflow does not supply: typed as a deliberate gap that the run's
    // credentials (a security scheme carries them) or a middleware fill.
    const omitted = missing.map((p) => stringLiteral(p.name)).join(" | ");
    const type = `${step.typeName}Parameters[${stringLiteral(location)}]`;
    const byCredentials = missing.filter((p) => p.suppliedBy);
    const byMiddleware = missing.filter((p) => !p.suppliedBy);
    return [
      ...(byCredentials.length
        ? [
            `// Sent with the run's credentials (\`options.auth.${lineCommentText(step.source.name)}\`): ${lineCommentText(byCredentials.map((p) => `${p.name} (${p.suppliedBy})`).join(", "))}.`,
          ]
        : []),
      ...(byMiddleware.length
        ? [
            `// Required by the API but not supplied by the workflow: ${lineCommentText(byMiddleware.map((p) => p.name).join(", "))}. Add them with a middleware.`,
          ]
        : []),
      `${location}: ${object} satisfies Omit<${type}, ${omitted}> as ${type},`,
    ];
  });
  if (groups.length) fields.push(`params: {\n${groups.join("\n")}\n},`);

  const headers: string[] = [];
  for (const p of step.parameters.filter((p) => !p.declared && p.in === "header")) headers.push(entryCode(p, scope, sourceMap));
  if (step.parameters.some((p) => p.in === "cookie")) headers.push(`Cookie: ${scope.imports.use(RUNTIME, "cookieHeader")}(cookies),`);
  const form = step.requestBody?.form;
  const textBody = step.requestBody && !form && !/[/+]json\b/i.test(step.requestBody.contentType);
  // A multipart body's Content-Type carries its boundary: fetch sets it for the FormData. A
  // payload written as a string is sent as written, under the content type as written.
  const payload = step.requestBody?.payload;
  const stringPayload = payload?.kind === "template" || (payload?.kind === "literal" && typeof payload.value === "string");
  if (step.requestBody && !/^application\/json\b/i.test(step.requestBody.contentType) && (!form?.multipart || stringPayload)) {
    headers.push(`"Content-Type": ${stringLiteral(step.requestBody.contentType)},`);
  }
  if (headers.length) fields.push(`headers: {\n${headers.join("\n")}\n},`);
  if (step.requestBody) {
    const code = valueCode(step.requestBody.payload, {
      ...scope,
      fieldNote: (at) => `sent as field \`${formatJsonPointer(at)}\` of the request body of ${operationText(step)}`,
    });
    sourceMap.push({ fragment: `body: ${code.split("\n")[0]}`, location: step.requestBody.location });
    if (step.requestBody.documented) fields.push(`body: ${code},`);
    else fields.push(`// The API documents no request body: this one is sent as the workflow writes it, untyped.`, `body: ${code} as never,`);
  }
  // XML, plain text and other non-JSON bodies are sent as written, not JSON-encoded.
  if (textBody) fields.push(`bodySerializer: ${scope.imports.use(RUNTIME, "textBody")},`);
  // Form fields as the description's `encoding` says (bracket notation for `deepObject`), else OpenAPI's defaults.
  if (form) fields.push(`bodySerializer: ${scope.imports.use("./runtime-form.js", form.multipart ? "multipartBody" : "formBody")}(${formEncodingCode(form)}),`);
  const queryString = step.parameters.find((p) => p.in === "querystring");
  if (queryString) {
    // Arazzo 1.1 `querystring`: the whole query string, as the workflow writes it.
    // Values embedded in it are URL-encoded; a value that is one expression is the whole query string, as given.
    const value = queryString.value.kind === "template" ? encodedTemplateCode(queryString.value.parts, scope) : valueCode(queryString.value, scope);
    const line = `querySerializer: (): string => ${value},`;
    sourceMap.push({ fragment: line.split("\n")[0]!, location: queryString.location });
    fields.push(line);
  } else if (step.queryArrays) {
    fields.push(`querySerializer: { array: { style: ${stringLiteral(step.queryArrays.style)}, explode: ${step.queryArrays.explode} } },`);
  }
  if (step.parseAs !== "json") fields.push(`parseAs: ${stringLiteral(step.parseAs)},`);
  fields.push("signal,");
  return `{\n${fields.join("\n")}\n}`;
}

/** The encodings a form body serializer is given: `{ metadata: { style: "deepObject", explode: true } }`, or nothing. */
function formEncodingCode(form: FormBodyModel): string {
  const entries = Object.entries(form.encoding);
  if (!entries.length) return "";
  const value = (e: FormFieldEncoding) =>
    "style" in e ? `{ style: ${stringLiteral(e.style)}, explode: ${e.explode} }` : `{ contentType: ${stringLiteral(e.contentType)} }`;
  return `{ ${entries.map(([name, e]) => `${objectKey(name)}: ${value(e)}`).join(", ")} }`;
}

function objectCode(params: readonly ParameterModel[], scope: CodeScope, sourceMap: SourceMapEntry[]): string {
  if (!params.length) return "{}";
  return `{\n${params.map((p) => entryCode(p, scope, sourceMap)).join("\n")}\n}`;
}

function entryCode(p: ParameterModel, scope: CodeScope, sourceMap: SourceMapEntry[]): string {
  const value = valueCode(p.value, scope);
  // `x-security` HTTP Basic credentials: `{ username, password }` sent as `Basic <base64>`.
  const line = `${objectKey(p.name)}: ${p.credential?.basic ? `${scope.imports.use(RUNTIME, "basicCredentials")}(${value})` : value}`;
  const operation = scope.step?.kind === "operation" ? ` of ${operationText(scope.step)}` : "";
  sourceMap.push({ fragment: line.split("\n")[0]!, location: p.location, note: `sent as ${p.in} parameter \`${lineCommentText(p.name)}\`${operation}` });
  return `${line},`;
}
