/**
 * Binds one Step Object (Arazzo 1.0.1 §"Step Object") to its OpenAPI operation and
 * turns its parameters, request body, success criteria and outputs into the model,
 * deriving every type from the operation's schemas.
 */
import type { DiagnosticBag, SourceLocation } from "../diagnostics.ts";
import type { ParsedExpression, RuntimeExpression } from "../expressions/ast.ts";
import { parseExpression } from "../expressions/parse.ts";
import { parseJsonPointer } from "../expressions/json-pointer.ts";
import type { ArazzoDocument, Parameter, ReusableObject, Step, Workflow } from "../load/arazzo-document.ts";
import { buildActions, mergeActions, type ActionContext } from "./actions.ts";
import { buildCriteria, statusesIn } from "./criteria.ts";
import type { DataPath, LoadedDocument } from "../load/document.ts";
import type { LoadedSource } from "../load/sources.ts";
import type { OperationInfo } from "../openapi/operations.ts";
import { closest } from "./suggest.ts";
import { pointerType, statusKey } from "./type-text.ts";
import type { InputTarget, ParameterModel, SourceModel, StepModel, StepOutputModel, ValueModel } from "./types.ts";
import { expressionsIn, replaceAt, toValueModel } from "./values.ts";
import { stringLiteral } from "./names.ts";

export interface StepContext {
  readonly arazzo: LoadedDocument;
  readonly raw: ArazzoDocument;
  readonly sources: readonly SourceModel[];
  readonly loadedSources: readonly LoadedSource[];
  readonly diagnostics: DiagnosticBag;
  readonly workflowId: string;
  readonly inputsTypeName: string;
  readonly inputNames: ReadonlySet<string>;
  readonly rawSteps: readonly Step[];
  /** The workflow the step belongs to, for its workflow-level actions. */
  readonly workflow: Workflow;
  readonly workflowAt: DataPath;
  /** Position of this step in `rawSteps`. */
  readonly index: number;
  /** Steps built so far (the ones before this step). */
  readonly built: readonly StepModel[];
  readonly varName: string;
  readonly typeName: string;
}

type Bound = { source: SourceModel; loaded: LoadedSource; operation: OperationInfo };

export function buildStep(step: Step, at: DataPath, ctx: StepContext): StepModel | undefined {
  const { arazzo, diagnostics } = ctx;
  const location = arazzo.locate([...at, "stepId"]);
  const bound = bindOperation(step, at, ctx);
  if (!bound) return undefined;
  const { source, loaded, operation } = bound;
  const typeName = ctx.typeName;
  const resolve = loaded.operations.resolve;
  const opPath = `${source.pascalName}Paths[${stringLiteral(operation.path)}][${stringLiteral(operation.method)}]`;

  const inputTargets = new Map<string, InputTarget[]>();
  const consumedOutputs = new Set<string>();
  const readsSteps = new Set<string>();
  const check = (parsed: ParsedExpression, at: SourceLocation, where: "request" | "criteria" | "output") => {
    const consumed = checkReference(parsed, at, ctx, where);
    if (consumed) {
      readsSteps.add(consumed.stepId);
      if (where === "request") consumedOutputs.add(`${consumed.stepId}.${consumed.output}`);
    }
  };
  const checkReferences = (value: ValueModel, where: SourceLocation) => {
    for (const { value: v } of expressionsIn(value)) {
      const parts = v.kind === "expression" ? [v.parsed] : v.parts.flatMap((p) => (p.kind === "expression" ? [p.parsed] : []));
      for (const parsed of parts) {
        check(parsed, v.location ?? where, "request");
      }
    }
  };
  const noteInputTarget = (value: ValueModel, type: string, what: string) => {
    if (value.kind !== "expression") return;
    const e = value.parsed.expression;
    if (e.kind === "inputs" && e.path.length === 0 && e.pointer.length === 0) {
      inputTargets.set(e.name, [...(inputTargets.get(e.name) ?? []), { type, what, location: value.location }]);
    }
  };

  // Parameters (§"Parameter Object"), matched to the operation's by name and location.
  const parameters: ParameterModel[] = [];
  (Array.isArray(step.parameters) ? step.parameters : []).forEach((rawParam, i) => {
    const param = resolveParameter(rawParam, [...at, "parameters", i], ctx);
    if (!param) return;
    const paramLocation = arazzo.locate([...at, "parameters", i]);
    const declared = operation.parameters.find(
      (p) => p.in === param.in && (p.in === "header" ? p.name.toLowerCase() === param.name.toLowerCase() : p.name === param.name),
    );
    if (!declared && param.in !== "header") {
      diagnostics.error(
        "unknown-parameter",
        `operation ${describe(operation)} has no ${param.in} parameter \`${param.name}\``,
        paramLocation,
        suggestion(param.name, operation.parameters.filter((p) => p.in === param.in).map((p) => p.name)),
      );
      return;
    }
    const value = toValueModel(param.value, param.doc, param.valuePath, diagnostics);
    checkReferences(value, paramLocation);
    const name = declared?.name ?? param.name;
    if (declared) {
      noteInputTarget(value, `NonNullable<${typeName}Parameters[${stringLiteral(param.in)}]>[${stringLiteral(name)}]`, `${param.in} parameter \`${name}\` of step \`${step.stepId}\``);
    }
    parameters.push({ name, in: param.in, value, declared: !!declared, location: paramLocation });
  });
  const unsuppliedParameters = operation.parameters
    .filter((p) => p.required && !parameters.some((s) => s.in === p.in && s.name === p.name))
    .map((p) => ({ name: p.name, in: p.in }));
  for (const p of unsuppliedParameters) {
    diagnostics.warning(
      "unsupplied-parameter",
      `step \`${step.stepId}\` does not supply required ${p.in} parameter \`${p.name}\` of ${describe(operation)}`,
      location,
      p.in === "header"
        ? `add it at run time with an openapi-fetch middleware passed as \`options.middleware\` (see the generated README)`
        : `supply it in the step's \`parameters\``,
    );
  }

  // Request body (§"Request Body Object").
  let requestBody: StepModel["requestBody"];
  let requestBodyAlias: string | undefined;
  if (step.requestBody && typeof step.requestBody === "object") {
    const bodyAt = [...at, "requestBody"];
    const declaredTypes = [...(operation.requestBody?.content.keys() ?? [])];
    const contentType =
      typeof step.requestBody.contentType === "string"
        ? step.requestBody.contentType
        : declaredTypes.find((t) => /json/i.test(t)) ?? declaredTypes[0] ?? "application/json";
    const mediaType = declaredTypes.find((t) => t.split(";")[0]!.trim().toLowerCase() === contentType.split(";")[0]!.trim().toLowerCase());
    if (!operation.requestBody) {
      diagnostics.error("unexpected-request-body", `operation ${describe(operation)} takes no request body`, arazzo.locate(bodyAt, "key"));
    } else if (!mediaType) {
      diagnostics.error(
        "unknown-content-type",
        `operation ${describe(operation)} does not accept \`${contentType}\``,
        arazzo.locate([...bodyAt, "contentType"]),
        `it accepts: ${declaredTypes.join(", ")}`,
      );
    } else {
      requestBodyAlias = `NonNullable<${opPath}["requestBody"]>["content"][${stringLiteral(mediaType)}]`;
    }
    let payload = toValueModel(step.requestBody.payload ?? null, arazzo, [...bodyAt, "payload"], diagnostics);
    (Array.isArray(step.requestBody.replacements) ? step.requestBody.replacements : []).forEach((r, i) => {
      const rAt = [...bodyAt, "replacements", i];
      const target = typeof r?.target === "string" ? parseJsonPointer(r.target) : undefined;
      if (!target?.ok) {
        diagnostics.error("invalid-pointer", `replacement target must be a JSON Pointer${target ? `: ${target.error.message}` : ""}`, arazzo.locate([...rAt, "target"]));
        return;
      }
      const replaced = replaceAt(payload, target.value, toValueModel(r.value, arazzo, [...rAt, "value"], diagnostics));
      if (typeof replaced === "string") diagnostics.error("invalid-replacement", `replacement target \`${r.target}\`: ${replaced}`, arazzo.locate([...rAt, "target"]));
      else payload = replaced;
    });
    checkReferences(payload, arazzo.locate(bodyAt));
    if (mediaType) {
      const schema = operation.requestBody?.content.get(mediaType);
      for (const { value, pointer } of expressionsIn(payload)) {
        noteInputTarget(value, pointerType(`${typeName}RequestBody`, pointer, schema, resolve), `request body field \`/${pointer.join("/")}\` of step \`${step.stepId}\``);
      }
    }
    requestBody = { contentType: mediaType ?? contentType, payload, location: arazzo.locate(bodyAt, "key") };
  } else if (operation.requestBody?.required) {
    diagnostics.warning("missing-request-body", `step \`${step.stepId}\` sends no request body, but ${describe(operation)} requires one`, location);
  }

  // Success criteria and actions (§"Criterion Object", §"Success/Failure Action Object").
  const checkCriteria = (parsed: ParsedExpression, where: SourceLocation) => check(parsed, where, "criteria");
  const successCriteria = buildCriteria(step.successCriteria, [...at, "successCriteria"], arazzo, diagnostics, checkCriteria);
  const actionContext: ActionContext = {
    doc: arazzo,
    raw: ctx.raw,
    diagnostics,
    stepIds: ctx.rawSteps.map((s) => s?.stepId).filter((id): id is string => typeof id === "string"),
    workflowIds: (ctx.raw.workflows ?? []).map((w) => w?.workflowId).filter((id): id is string => typeof id === "string"),
    check: checkCriteria,
  };
  const onSuccess = mergeActions(
    buildActions("success", step.onSuccess, [...at, "onSuccess"], actionContext),
    buildActions("success", ctx.workflow.successActions, [...ctx.workflowAt, "successActions"], actionContext),
  );
  const onFailure = mergeActions(
    buildActions("failure", step.onFailure, [...at, "onFailure"], actionContext),
    buildActions("failure", ctx.workflow.failureActions, [...ctx.workflowAt, "failureActions"], actionContext),
  );

  // Which response the step's outputs are read from.
  const documented = [...operation.responses.keys()];
  const fromCriteria = [...new Set(successCriteria.flatMap(statusesIn))].filter((s) => documented.includes(s));
  const successStatuses = fromCriteria.length ? fromCriteria : documented.filter((s) => /^2(\d\d|XX)$/i.test(s));
  const bodies = successStatuses.flatMap((status) => {
    const mediaType = jsonMediaType(operation.responses.get(status));
    return mediaType ? [{ status, mediaType }] : [];
  });
  const responseAlias = bodies.length
    ? bodies.map((b) => `${opPath}["responses"][${statusKey(b.status)}]["content"][${stringLiteral(b.mediaType)}]`).join(" | ")
    : undefined;
  const responseMediaType = bodies[0]?.mediaType;
  const responseSchema = bodies[0] ? operation.responses.get(bodies[0].status)?.get(bodies[0].mediaType) : undefined;
  // Non-JSON success bodies (XML, text) and XPath over the body are read as text.
  const otherBodies = successStatuses.some((status) => [...(operation.responses.get(status)?.keys() ?? [])].length > 0);
  const xpathOnBody = [...successCriteria, ...onSuccess.flatMap((a) => a.criteria), ...onFailure.flatMap((a) => a.criteria)].some(
    (c) => c.kind === "xpath" && c.context.expression.kind === "response" && c.context.expression.source.in === "body",
  );
  const parseAs: StepModel["parseAs"] = xpathOnBody || (!responseMediaType && otherBodies) ? "text" : "json";

  // Outputs (§"Step Object" outputs): each typed from where it reads.
  const outputs: StepOutputModel[] = [];
  for (const [name, text] of Object.entries(step.outputs ?? {})) {
    const oLocation = arazzo.locate([...at, "outputs", name]);
    const parsed = typeof text === "string" ? parseExpression(text) : undefined;
    if (!parsed?.ok) {
      diagnostics.error("invalid-expression", `output \`${name}\`: ${parsed ? parsed.error.message : "must be a runtime expression"}`, oLocation);
      continue;
    }
    check(parsed.value, oLocation, "output");
    const type = outputType(parsed.value.expression, {
      response: responseAlias ? `${typeName}Response` : parseAs === "text" ? "string" : undefined,
      responseSchema,
      requestBody: requestBodyAlias ? `${typeName}RequestBody` : undefined,
      requestSchema: requestBody ? operation.requestBody?.content.get(requestBody.contentType) : undefined,
      resolve,
      inputsTypeName: ctx.inputsTypeName,
      built: ctx.built,
    });
    if (type === undefined) {
      diagnostics.error("no-response-body", `output \`${name}\` reads the response body, but ${describe(operation)} documents no JSON body for status ${successStatuses.join(", ") || "(none)"}`, oLocation);
      continue;
    }
    outputs.push({ name, parsed: parsed.value, type, required: false, location: oLocation });
  }

  return {
    stepId: step.stepId!,
    varName: ctx.varName,
    typeName,
    description: step.description,
    location,
    source,
    operation: { method: operation.method, path: operation.path, operationId: operation.operationId },
    parameters,
    unsuppliedParameters,
    requestBody,
    successCriteria,
    onSuccess,
    onFailure,
    successStatuses,
    responseMediaType,
    responseSchema,
    parseAs,
    outputs,
    inputTargets,
    consumedOutputs,
    readsSteps: [...readsSteps],
    aliases: { parameters: `${opPath}["parameters"]`, requestBody: requestBodyAlias, response: responseAlias },
  };
}

/** Finds the operation a step calls: `operationId` (optionally `$sourceDescriptions.<name>.<id>`) or `operationPath`. */
function bindOperation(step: Step, at: DataPath, ctx: StepContext): Bound | undefined {
  const { arazzo, diagnostics } = ctx;
  const withSource = (loaded: LoadedSource, operation: OperationInfo): Bound => ({
    source: ctx.sources.find((s) => s.name === loaded.name)!,
    loaded,
    operation,
  });
  if (typeof step.workflowId === "string") {
    diagnostics.error("unsupported-step", `step \`${step.stepId}\` calls workflow \`${step.workflowId}\`; steps that call workflows are not supported yet`, arazzo.locate([...at, "workflowId"]));
    return undefined;
  }
  if (typeof step.operationId === "string") {
    const idAt = arazzo.locate([...at, "operationId"]);
    let candidates = ctx.loadedSources;
    let operationId = step.operationId;
    if (operationId.startsWith("$")) {
      const parsed = parseExpression(operationId);
      if (!parsed.ok || parsed.value.expression.kind !== "sourceDescriptions") {
        diagnostics.error("invalid-expression", `operationId \`${operationId}\` must be a plain id or $sourceDescriptions.<name>.<operationId>`, idAt);
        return undefined;
      }
      const { name, reference } = parsed.value.expression;
      candidates = ctx.loadedSources.filter((s) => s.name === name);
      if (candidates.length === 0) {
        diagnostics.error("unknown-source", `source description \`${name}\` does not exist`, idAt, suggestion(name, ctx.loadedSources.map((s) => s.name)));
        return undefined;
      }
      operationId = reference;
    }
    const matches = candidates.flatMap((s) => {
      const op = s.operations.byId.get(operationId);
      return op ? [withSource(s, op)] : [];
    });
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) {
      diagnostics.error(
        "ambiguous-operation",
        `operationId \`${operationId}\` exists in several source descriptions (${matches.map((m) => m.source.name).join(", ")})`,
        idAt,
        `write $sourceDescriptions.${matches[0]!.source.name}.${operationId}`,
      );
      return undefined;
    }
    diagnostics.error(
      "unknown-operation",
      `operationId \`${operationId}\` does not exist in ${candidates.map((s) => `\`${s.name}\``).join(", ") || "any source description"}`,
      idAt,
      suggestion(operationId, candidates.flatMap((s) => [...s.operations.byId.keys()])),
    );
    return undefined;
  }
  if (typeof step.operationPath === "string") {
    const pathAt = arazzo.locate([...at, "operationPath"]);
    const match = /^\{\$sourceDescriptions\.([^.}]+)\.url\}#(\/.*)$/.exec(step.operationPath);
    const pointer = match ? parseJsonPointer(match[2]!) : undefined;
    const source = match ? ctx.loadedSources.find((s) => s.name === match[1]) : undefined;
    if (!match || !pointer?.ok || pointer.value.length !== 3 || pointer.value[0] !== "paths") {
      diagnostics.error("invalid-operation-path", `operationPath must look like {$sourceDescriptions.<name>.url}#/paths/<escaped path>/<method>`, pathAt);
      return undefined;
    }
    if (!source) {
      diagnostics.error("unknown-source", `source description \`${match[1]}\` does not exist`, pathAt);
      return undefined;
    }
    const [, path, method] = pointer.value as [string, string, string];
    const operation = source.operations.byPathAndMethod.get(`${method.toLowerCase()} ${path}`);
    if (!operation) {
      diagnostics.error("unknown-operation", `\`${source.name}\` has no operation ${method.toUpperCase()} ${path}`, pathAt);
      return undefined;
    }
    return withSource(source, operation);
  }
  diagnostics.error("missing-field", `step \`${step.stepId}\` names no operationId, operationPath or workflowId`, arazzo.locate(at));
  return undefined;
}

interface ResolvedParameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  value: unknown;
  doc: LoadedDocument;
  valuePath: DataPath;
}

/** A Parameter Object, or a Reusable Object pointing at `$components.parameters.<name>` with an optional value override. */
function resolveParameter(raw: Parameter | ReusableObject, at: DataPath, ctx: StepContext): ResolvedParameter | undefined {
  const { arazzo, diagnostics } = ctx;
  if (raw && typeof (raw as ReusableObject).reference === "string") {
    const reusable = raw as ReusableObject;
    const parsed = parseExpression(reusable.reference!);
    const e = parsed.ok ? parsed.value.expression : undefined;
    const name = e?.kind === "components" && e.type === "parameters" ? e.name : undefined;
    const target = name !== undefined ? ctx.raw.components?.parameters?.[name] : undefined;
    if (!target) {
      diagnostics.error("unresolved-reference", `\`${reusable.reference}\` does not name a parameter in components.parameters`, arazzo.locate([...at, "reference"]));
      return undefined;
    }
    const overridden = "value" in reusable;
    return checkParameterShape(
      { ...target, value: overridden ? reusable.value : target.value },
      overridden ? [...at, "value"] : ["components", "parameters", name!, "value"],
      overridden ? at : ["components", "parameters", name!],
      ctx,
    );
  }
  return checkParameterShape(raw as Parameter, [...at, "value"], at, ctx);
}

function checkParameterShape(param: Parameter, valuePath: DataPath, at: DataPath, ctx: StepContext): ResolvedParameter | undefined {
  if (typeof param?.name !== "string") {
    ctx.diagnostics.error("missing-field", "parameter has no `name`", ctx.arazzo.locate(at));
    return undefined;
  }
  if (!param.in || !["path", "query", "header", "cookie"].includes(param.in)) {
    ctx.diagnostics.error("invalid-parameter-in", `parameter \`${param.name}\` needs \`in\`: path, query, header or cookie`, ctx.arazzo.locate([...at, param.in ? "in" : "name"]));
    return undefined;
  }
  return { name: param.name, in: param.in, value: param.value, doc: ctx.arazzo, valuePath };
}

/**
 * Checks that an expression refers to something that exists and is in scope; returns
 * the step and output when it reads an earlier step's output.
 */
function checkReference(
  parsed: ParsedExpression,
  at: SourceLocation,
  ctx: StepContext,
  where: "request" | "criteria" | "output",
): { stepId: string; output: string } | undefined {
  const e = parsed.expression;
  switch (e.kind) {
    case "inputs":
      if (!ctx.inputNames.has(e.name)) {
        ctx.diagnostics.error("unknown-input", `\`${parsed.text}\`: workflow \`${ctx.workflowId}\` has no input \`${e.name}\``, at, suggestion(e.name, [...ctx.inputNames]));
      }
      return undefined;
    case "steps": {
      // Existence and order are checked against the raw document, so a step or output
      // that failed to build (already reported) does not cascade into more errors here.
      const index = ctx.rawSteps.findIndex((s) => s?.stepId === e.stepId);
      if (index < 0) {
        ctx.diagnostics.error(
          "unknown-step",
          `\`${parsed.text}\`: workflow \`${ctx.workflowId}\` has no step \`${e.stepId}\``,
          at,
          suggestion(e.stepId, ctx.rawSteps.map((s) => s?.stepId ?? "")),
        );
        return undefined;
      }
      if (index >= ctx.index) {
        ctx.diagnostics.error("unknown-step", `\`${parsed.text}\` reads step \`${e.stepId}\`, which ${index === ctx.index ? "is this step" : "runs later"}`, at);
        return undefined;
      }
      const names = Object.keys(ctx.rawSteps[index]?.outputs ?? {});
      if (!names.includes(e.name)) {
        ctx.diagnostics.error("unknown-output", `\`${parsed.text}\`: step \`${e.stepId}\` defines no output \`${e.name}\``, at, suggestion(e.name, names));
        return undefined;
      }
      return { stepId: e.stepId, output: e.name };
    }
    case "response":
    case "statusCode":
      if (where === "request") {
        ctx.diagnostics.error("invalid-context", `\`${parsed.text}\` is not available before the request is sent`, at);
      }
      return undefined;
    case "url":
    case "method":
    case "request":
      return undefined;
    default:
      ctx.diagnostics.error("unsupported-expression", `\`${parsed.text}\` is not supported in a step yet`, at);
      return undefined;
  }
}

interface OutputTypeContext {
  response?: string;
  responseSchema: unknown;
  requestBody?: string;
  requestSchema: unknown;
  resolve: (s: unknown) => unknown;
  inputsTypeName: string;
  built: readonly StepModel[];
}

/** The TypeScript type of a step output; undefined when it reads a body the operation does not document. */
function outputType(e: RuntimeExpression, ctx: OutputTypeContext): string | undefined {
  switch (e.kind) {
    case "statusCode":
      return "number";
    case "url":
    case "method":
      return "string";
    case "request":
    case "response": {
      if (e.source.in !== "body") return "string | undefined";
      const base = e.kind === "response" ? ctx.response : ctx.requestBody;
      if (!base || (base === "string" && e.source.pointer.length > 0)) return undefined;
      // `| undefined`: the body may lack the field (or any field on the way to it), whatever the schema says.
      return `${pointerType(base, e.source.pointer, e.kind === "response" ? ctx.responseSchema : ctx.requestSchema, ctx.resolve)} | undefined`;
    }
    case "inputs":
      return e.path.length || e.pointer.length ? "unknown" : `${ctx.inputsTypeName}[${stringLiteral(e.name)}]`;
    case "steps": {
      const step = ctx.built.find((s) => s.stepId === e.stepId);
      return step && e.path.length === 0 && e.pointer.length === 0 ? `${step.typeName}Outputs[${stringLiteral(e.name)}]` : "unknown";
    }
    default:
      return "unknown";
  }
}

function jsonMediaType(content: ReadonlyMap<string, unknown> | undefined): string | undefined {
  const types = [...(content?.keys() ?? [])];
  return types.find((t) => /^application\/json\b/i.test(t)) ?? types.find((t) => /[/+]json\b/i.test(t));
}

function describe(op: OperationInfo): string {
  return `\`${op.operationId ?? `${op.method.toUpperCase()} ${op.path}`}\``;
}

function suggestion(name: string, candidates: readonly string[]): string | undefined {
  const best = closest(name, candidates);
  return best ? `did you mean \`${best}\`?` : undefined;
}
