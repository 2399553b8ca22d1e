/**
 * A step that calls an API operation (Arazzo 1.0.1 §"Step Object" `operationId` /
 * `operationPath`): binds it to the operation, turns its parameters and request body into
 * the model, and types `$response.body` from the documented success response.
 */
import type { DataPath } from "../load/document.ts";
import type { Step } from "../load/arazzo-document.ts";
import type { LoadedSource } from "../openapi/sources.ts";
import { parseExpression } from "../expressions/parse.ts";
import { parseJsonPointer } from "../expressions/json-pointer.ts";
import type { OperationInfo, OperationParameter } from "../openapi/operations.ts";
import type { DiagnosticBag } from "../diagnostics.ts";
import { stepParameters } from "./parameters.ts";
import { statusesIn } from "./criteria.ts";
import { suggestion, type StepScope } from "./step-scope.ts";
import type { BoundStep, StepContext, StepShared } from "./binding-context.ts";
import type { OperationStepModel, ParameterModel, SourceModel, ValueModel } from "./types.ts";
import { bindRequestBody } from "./request-body.ts";
import { toValueModel } from "./values.ts";

type Bound = { source: SourceModel; loaded: LoadedSource; operation: OperationInfo };

export function bindOperationStep(
  step: Step,
  at: DataPath,
  ctx: StepContext,
  scope: StepScope,
): BoundStep<Omit<OperationStepModel, keyof StepShared | "outputs" | "responseAccess">> | undefined {
  const { arazzo, diagnostics } = ctx;
  const location = arazzo.locate([...at, "stepId"]);
  const bound = bindOperation(step, at, ctx);
  if (!bound) return undefined;
  const { source, loaded, operation } = bound;
  const resolve = loaded.operations.resolve;

  // Parameters (§"Parameter Object"), matched to the operation's by name and location.
  const parameters: ParameterModel[] = [];
  const resolved = stepParameters(step.parameters, [...at, "parameters"], ctx.workflow.parameters, [...ctx.workflowAt, "parameters"], {
    doc: arazzo,
    raw: ctx.raw,
    diagnostics,
    requireIn: true,
  });
  for (const param of resolved) {
    const paramIn = param.in!;
    const paramLocation = arazzo.locate(param.at);
    const declared = operation.parameters.find(
      (p) => p.in === paramIn && (p.in === "header" ? p.name.toLowerCase() === param.name.toLowerCase() : p.name === param.name),
    );
    if (!declared && paramIn !== "header") {
      // A workflow-level parameter applies to the steps whose operation has it.
      if (param.fromWorkflow) continue;
      diagnostics.error(
        "unknown-parameter",
        `operation ${describe(operation)} has no ${paramIn} parameter \`${param.name}\``,
        paramLocation,
        suggestion(
          param.name,
          operation.parameters.filter((p) => p.in === paramIn).map((p) => p.name),
        ),
      );
      continue;
    }
    let value = toValueModel(param.value, arazzo, param.valuePath, diagnostics);
    if (declared) value = listFromString(value, declared, diagnostics);
    scope.checkValue(value);
    const name = declared?.name ?? param.name;
    if (declared) {
      scope.noteInputTarget(
        value,
        {
          kind: "access",
          root: { kind: "parameters", stepId: step.stepId! },
          segments: [
            { key: paramIn, index: false },
            { key: name, index: false },
          ],
        },
        `${paramIn} parameter \`${name}\` of step \`${step.stepId}\``,
        declared.required,
      );
    }
    parameters.push({ name, in: paramIn, value, declared: !!declared, location: paramLocation });
  }
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
  const body = bindRequestBody(step, at, { ...ctx, operation, resolve, describe: describe(operation) }, scope);
  const requestBody = body?.requestBody;

  // Which response `$response.body` is: the statuses the criteria test, else every documented 2xx.
  const documented = [...operation.responses.keys()];
  const fromCriteria = [...new Set(ctx.successCriteria.flatMap(statusesIn))].filter((s) => documented.includes(s));
  const successStatuses = fromCriteria.length ? fromCriteria : documented.filter((s) => /^2(\d\d|XX)$/i.test(s));
  const bodies = successStatuses.flatMap((status) => {
    const mediaType = jsonMediaType(operation.responses.get(status));
    return mediaType ? [{ status, mediaType }] : [];
  });
  const responseMediaType = bodies[0]?.mediaType;
  // Other media types the same responses document (an event stream beside JSON): not what the step reads.
  const otherMediaTypes = [...new Set(bodies.flatMap((b) => [...(operation.responses.get(b.status)?.keys() ?? [])].filter((t) => t !== b.mediaType)))];
  const responseSchema = bodies[0] ? operation.responses.get(bodies[0].status)?.get(bodies[0].mediaType) : undefined;
  // Non-JSON success bodies (XML, text) and XPath over the body are read as text.
  const otherBodies = successStatuses.some((status) => [...(operation.responses.get(status)?.keys() ?? [])].length > 0);
  const xpathOnBody = ctx.allCriteria.some((c) => c.kind === "xpath" && c.context.expression.kind === "response" && c.context.expression.source.in === "body");
  const parseAs: OperationStepModel["parseAs"] = xpathOnBody || (!responseMediaType && otherBodies) ? "text" : "json";

  return {
    parts: {
      kind: "operation",
      source,
      operation: { method: operation.method, path: operation.path, operationId: operation.operationId },
      parameters,
      queryArrays: arraySerialization(parameters, operation, diagnostics),
      unsuppliedParameters,
      requestBody,
      successStatuses,
      responseBodies: bodies,
      ...(otherMediaTypes.length ? { otherResponseMediaTypes: otherMediaTypes } : {}),
      parseAs,
    },
    typing: {
      response: bodies.length ? "json" : parseAs === "text" ? "text" : undefined,
      responseSchema,
      requestBody: requestBody?.typed,
      requestSchema: body?.schema,
      resolve,
      noBody: `${describe(operation)} documents no JSON body for status ${successStatuses.join(", ") || "(none)"}`,
      bodyNames: {
        response: `the HTTP ${bodies[0]?.status ?? successStatuses.join("/")} response body of ${describe(operation)}`,
        request: `the request body of ${describe(operation)}`,
      },
    },
  };
}

/**
 * A literal string given to an array parameter: `opt_fields: "name,notes"` means the list
 * it spells, as the comma-separated form of `style: form` query arrays puts it on the wire.
 */
function listFromString(value: ValueModel, declared: OperationParameter, diagnostics: DiagnosticBag): ValueModel {
  if (value.kind !== "literal" || typeof value.value !== "string" || !isArraySchema(declared.schema)) return value;
  const delimiter = declared.style === "pipeDelimited" ? "|" : declared.style === "spaceDelimited" ? " " : ",";
  const itemType = (declared.schema as { items?: { type?: unknown } }).items?.type;
  const numeric = itemType === "integer" || itemType === "number";
  const items: (string | number)[] = value.value
    .split(delimiter)
    .map((item) => item.trim())
    .filter((item) => item !== "")
    .map((item) => (numeric && item !== "" && Number.isFinite(Number(item)) ? Number(item) : item));
  diagnostics.warning(
    "array-parameter-string",
    `${declared.in} parameter \`${declared.name}\` is an array; the string ${JSON.stringify(value.value)} is read as the list of its ${delimiter === "," ? "comma" : delimiter === "|" ? "pipe" : "space"}-separated items`,
    value.location,
    `write \`value: [${items.map((i) => JSON.stringify(i)).join(", ")}]\``,
  );
  return { kind: "array", items: items.map((item) => ({ kind: "literal", value: item, location: value.location })), location: value.location };
}

function isArraySchema(schema: unknown): boolean {
  const s = schema as { type?: unknown; items?: unknown } | undefined;
  return (
    !!s &&
    typeof s === "object" &&
    (s.type === "array" || (Array.isArray(s.type) && s.type.includes("array")) || (s.type === undefined && s.items !== undefined))
  );
}

/**
 * How openapi-fetch must write the step's query arrays, when the API asks for other than
 * its default (`style: form`, `explode: true`): openapi-fetch takes one array style per request.
 */
function arraySerialization(parameters: readonly ParameterModel[], operation: OperationInfo, diagnostics: DiagnosticBag): OperationStepModel["queryArrays"] {
  const arrays = parameters.flatMap((p) => {
    const declared = p.in === "query" && p.declared ? operation.parameters.find((d) => d.in === "query" && d.name === p.name) : undefined;
    return declared && isArraySchema(declared.schema) ? [{ name: p.name, style: declared.style, explode: declared.explode, location: p.location }] : [];
  });
  const first = arrays.find((s) => s.style !== "form" || !s.explode);
  if (!first || !["form", "spaceDelimited", "pipeDelimited"].includes(first.style)) return undefined;
  const other = arrays.find((a) => a.style !== first.style || a.explode !== first.explode);
  if (other) {
    diagnostics.warning(
      "mixed-array-styles",
      `query arrays \`${first.name}\` (${first.style}, explode ${first.explode}) and \`${other.name}\` (${other.style}, explode ${other.explode}) are serialized differently; openapi-fetch takes one style per request, so both are sent as \`${first.name}\` is`,
      other.location,
      "add a querySerializer middleware, or send one of them as a string in the form the API expects",
    );
  }
  return { style: first.style as "form" | "spaceDelimited" | "pipeDelimited", explode: first.explode };
}

/** Finds the operation a step calls: `operationId` (optionally `$sourceDescriptions.<name>.<id>`) or `operationPath`. */
function bindOperation(step: Step, at: DataPath, ctx: StepContext): Bound | undefined {
  const { arazzo, diagnostics } = ctx;
  const withSource = (loaded: LoadedSource, operation: OperationInfo): Bound => ({
    source: ctx.sources.find((s) => s.name === loaded.name)!,
    loaded,
    operation,
  });
  // A source that failed to load was reported already; its operations cannot be checked.
  const unknownSource = (name: string, where: ReturnType<typeof arazzo.locate>) => {
    if (!ctx.unavailableSources.has(name)) {
      diagnostics.error(
        "unknown-source",
        `source description \`${name}\` does not exist`,
        where,
        suggestion(
          name,
          ctx.loadedSources.map((s) => s.name),
        ),
      );
    }
    return undefined;
  };
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
      if (candidates.length === 0) return unknownSource(name, idAt);
      operationId = reference;
    } else if (ctx.unavailableSources.size > 0 && !candidates.some((s) => s.operations.byId.has(operationId))) {
      return undefined; // it may be in the source that failed to load
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
    // operationIds are case-sensitive; one that differs only in case is unambiguous enough to use, with a warning.
    const caseInsensitive = candidates.flatMap((s) =>
      [...s.operations.byId].filter(([id]) => id.toLowerCase() === operationId.toLowerCase()).map(([, op]) => withSource(s, op)),
    );
    if (caseInsensitive.length === 1) {
      const found = caseInsensitive[0]!;
      diagnostics.warning(
        "operation-id-case",
        `operationId \`${operationId}\` does not exist; \`${found.operation.operationId}\` differs only in case and is used`,
        idAt,
        `write \`${step.operationId.replace(operationId, found.operation.operationId!)}\``,
      );
      return found;
    }
    diagnostics.error(
      "unknown-operation",
      `operationId \`${operationId}\` does not exist in ${candidates.map((s) => `\`${s.name}\``).join(", ") || "any source description"}`,
      idAt,
      suggestion(
        operationId,
        candidates.flatMap((s) => [...s.operations.byId.keys()]),
      ),
    );
    return undefined;
  }
  if (typeof step.operationPath === "string") {
    const pathAt = arazzo.locate([...at, "operationPath"]);
    const match = /^\{\$sourceDescriptions\.([^.}]+)\.url\}#(\/.*)$/.exec(step.operationPath);
    const pointer = match ? parseJsonPointer(match[2]!) : undefined;
    const form = "{$sourceDescriptions.<name>.url}#/paths/<escaped path>/<method>";
    if (!match || !pointer?.ok || pointer.value.length < 2 || pointer.value.length > 3 || pointer.value[0] !== "paths") {
      diagnostics.error("invalid-operation-path", `operationPath must look like ${form}`, pathAt);
      return undefined;
    }
    const source = ctx.loadedSources.find((s) => s.name === match[1]);
    if (!source) return unknownSource(match[1]!, pathAt);
    const [, path, method] = pointer.value as [string, string, string | undefined];
    if (method === undefined) {
      // A pointer to a path item (the spec's own LoginAndRetrievePets example) names an
      // operation only when the path has exactly one.
      const operations = [...source.operations.byPathAndMethod.values()].filter((op) => op.path === path);
      if (operations.length !== 1) {
        diagnostics.error(
          "invalid-operation-path",
          `operationPath points at path \`${path}\`, which has ${operations.length} operations; add the method`,
          pathAt,
          `write ${step.operationPath}/<method>`,
        );
        return undefined;
      }
      const only = operations[0]!;
      diagnostics.warning(
        "operation-path-method",
        `operationPath points at a path item, not an operation; its only operation, ${only.method.toUpperCase()}, is used`,
        pathAt,
        `write '${step.operationPath}/${only.method}'`,
      );
      return withSource(source, only);
    }
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

function jsonMediaType(content: ReadonlyMap<string, unknown> | undefined): string | undefined {
  const types = [...(content?.keys() ?? [])];
  return types.find((t) => /^application\/json\b/i.test(t)) ?? types.find((t) => /[/+]json\b/i.test(t));
}

function describe(op: OperationInfo): string {
  return `\`${op.operationId ?? `${op.method.toUpperCase()} ${op.path}`}\``;
}
