/**
 * A step that calls an API operation (Arazzo 1.0.1 §"Step Object" `operationId` /
 * `operationPath`): binds it to the operation, turns its parameters and request body into
 * the model, and types `$response.body` from the documented success response.
 */
import type { DataPath } from "../load/document.ts";
import type { Step } from "../load/arazzo-document.ts";
import type { OperationInfo } from "../openapi/operations.ts";
import type { SchemaResolver } from "../openapi/schema-pointer.ts";
import { impliedStatuses, statusesIn } from "./criteria.ts";
import type { StepScope } from "./step-scope.ts";
import type { BoundStep, StepContext, StepShared } from "./binding-context.ts";
import { bindOperation } from "./operation-binding.ts";
import { bindParameters } from "./operation-parameters.ts";
import type { OperationStepModel } from "./types.ts";
import { bindRequestBody } from "./request-body.ts";
import { selectorType } from "../validate/selectors.ts";
import { carries, credentialParameters, operationSecurity, schemeCarrier, suppliedSchemes } from "./security.ts";
import { reportServerProblems, serverModels } from "./servers.ts";

export function bindOperationStep(
  step: Step,
  at: DataPath,
  ctx: StepContext,
  scope: StepScope,
): BoundStep<Omit<OperationStepModel, keyof StepShared | "outputs" | "responseAccess">> | undefined {
  const bound = bindOperation(step, at, ctx);
  if (!bound) return undefined;
  const { source, loaded, operation } = bound;
  const resolve = loaded.operations.resolve;

  // Security (OpenAPI §4.8.30): the requirements, and the credentials the step sends itself.
  const security = operationSecurity(operation, loaded.operations.securitySchemes, loaded.document, ctx.diagnostics);
  const required = [...new Set(security.flatMap((r) => r.map((s) => s.scheme)))];
  const credentials = credentialParameters(step, at, ctx, scope, operation, source.securitySchemes);
  const carrier = (p: { readonly name: string; readonly in: string }) =>
    required.find((name) => {
      const scheme = source.securitySchemes.find((s) => s.name === name);
      const where = scheme && schemeCarrier(scheme);
      return !!where && carries(where, p);
    });
  const { parameters, unsuppliedParameters, queryArrays } = bindParameters(step, at, ctx, scope, operation, describe(operation), resolve, {
    credentials,
    carrier,
  });
  // An operation's own servers (a Path Item's or Operation's `servers`).
  if (operation.servers) {
    const key = `${operation.method.toUpperCase()} ${operation.path}`;
    reportServerProblems(operation.servers, loaded.document, source.name, ctx.diagnostics, `options.servers.${source.name}.operations[${JSON.stringify(key)}]`);
  }

  // Request body (§"Request Body Object").
  const body = bindRequestBody(step, at, { ...ctx, operation, resolve, describe: describe(operation) }, scope);
  const requestBody = body?.requestBody;

  const { successStatuses, bodies, otherMediaTypes, responseSchema, parseAs } = successResponse(operation, ctx, step, resolve);
  const implied = impliedStatuses(ctx.successCriteria);
  // The criteria accept exactly the statuses whose JSON bodies type `$response.body` (one, or
  // several read as one). Only a 2xx body is openapi-fetch's `data`, which outputs read; another status's is its `error`.
  const responseChecked = bodies.length > 0 && implied?.size === bodies.length && bodies.every((b) => implied.has(b.status) && /^2\d\d$/.test(b.status));

  return {
    parts: {
      kind: "operation",
      source,
      operation: { method: operation.method, path: operation.path, operationId: operation.operationId },
      parameters,
      queryArrays,
      unsuppliedParameters,
      security,
      suppliedSchemes: suppliedSchemes(required, source.securitySchemes, parameters),
      ...(operation.servers ? { servers: serverModels(operation.servers) } : {}),
      requestBody,
      successStatuses,
      responseBodies: bodies,
      ...(otherMediaTypes.length ? { otherResponseMediaTypes: otherMediaTypes } : {}),
      parseAs,
    },
    typing: {
      response: bodies.length ? "json" : parseAs === "text" ? "text" : undefined,
      responseSchema,
      responseChecked,
      requestBody: requestBody?.typed,
      requestSchema: body?.schema,
      resolve,
      noBody: `${describe(operation)} documents no JSON body for status ${successStatuses.join(", ") || "(none)"}`,
      bodyNames: {
        response: `the HTTP ${bodies.length ? bodies.map((b) => b.status).join(" or ") : successStatuses.join("/")} response body of ${describe(operation)}`,
        request: `the request body of ${describe(operation)}`,
      },
    },
  };
}

/**
 * Which response `$response.body` is: the statuses the success criteria test, else every
 * documented 2xx; the JSON body each documents; and whether openapi-fetch reads it as text.
 */
function successResponse(operation: OperationInfo, ctx: StepContext, step: Step, resolve: SchemaResolver) {
  const documented = [...operation.responses.keys()];
  const fromCriteria = [...new Set(ctx.successCriteria.flatMap(statusesIn))].filter((s) => documented.includes(s));
  const successStatuses = fromCriteria.length ? fromCriteria : documented.filter((s) => /^2(\d\d|XX)$/i.test(s));
  const bodies = successStatuses.flatMap((status) => {
    const mediaType = jsonMediaType(operation.responses.get(status), resolve);
    return mediaType ? [{ status, mediaType }] : [];
  });
  const responseMediaType = bodies[0]?.mediaType;
  // Other media types the same responses document (an event stream beside JSON): not what the step reads.
  const otherMediaTypes = [...new Set(bodies.flatMap((b) => [...(operation.responses.get(b.status)?.keys() ?? [])].filter((t) => t !== b.mediaType)))];
  const schemas = bodies.map((b) => operation.responses.get(b.status)?.get(b.mediaType));
  const responseSchema = schemas.length > 1 ? mergedBodies(schemas, resolve) : schemas[0];
  // Non-JSON success bodies (XML, text) and XPath over the body are read as text.
  const otherBodies = successStatuses.some((status) => [...(operation.responses.get(status)?.keys() ?? [])].length > 0);
  const xpathOnBody =
    ctx.allCriteria.some((c) => c.kind === "xpath" && c.context.expression.kind === "response" && c.context.expression.source.in === "body") ||
    // An output selected by XPath from the body (Arazzo 1.1 Selector Object).
    Object.values(step.outputs ?? {}).some((o) => {
      const selector = o as unknown as { type?: unknown; context?: unknown } | null;
      return selectorType(selector) === "xpath" && typeof selector?.context === "string" && /^\$response\.body\b/.test(selector.context);
    });
  const parseAs: OperationStepModel["parseAs"] = xpathOnBody || (!responseMediaType && otherBodies) ? "text" : "json";

  return { successStatuses, bodies, otherMediaTypes, responseSchema, parseAs };
}

/**
 * The media type whose schema types `$response.body`: JSON, else a wildcard range that takes
 * JSON (any type, or `application/*`) when it has a schema: APIs that document their JSON
 * bodies so answer with JSON, which is how the body is read.
 */
function jsonMediaType(content: ReadonlyMap<string, unknown> | undefined, resolve: SchemaResolver): string | undefined {
  const types = [...(content?.keys() ?? [])];
  return (
    types.find((t) => /^application\/json\b/i.test(t)) ??
    types.find((t) => /[/+]json\b/i.test(t)) ??
    types.find((t) => /^(\*\/\*|application\/\*)\s*(;|$)/i.test(t) && structured(resolve(content?.get(t))))
  );
}

/**
 * The body of a step whose criteria accept several statuses, each documenting its own: read
 * as one object with every field any of them has, typed from those that have it (the
 * runtime's `AnyOfBodies`). A field is required when every body requires it (absent from
 * one, it is optional), and the object is closed when every body is (`additionalProperties:
 * false`), so a field none of them has is an `unknown-field` error as it is for one body.
 * Bodies that are not all object schemas are their union.
 */
function mergedBodies(schemas: readonly unknown[], resolve: SchemaResolver): unknown {
  const properties = new Map<string, unknown[]>();
  const required: Set<string>[] = [];
  for (const raw of schemas) {
    const schema = resolve(raw);
    const fields = objectProperties(schema, resolve);
    if (!fields) return { anyOf: schemas };
    for (const [name, field] of Object.entries(fields)) properties.set(name, [...(properties.get(name) ?? []), field]);
    required.push(requiredFields(schema, resolve));
  }
  const inEvery = [...properties.keys()].filter((name) => required.every((r) => r.has(name)));
  return {
    type: "object",
    properties: Object.fromEntries([...properties].map(([name, list]) => [name, list.length === 1 ? list[0] : { anyOf: list }])),
    ...(inEvery.length ? { required: inEvery } : {}),
    ...(schemas.every((raw) => closedObject(resolve(raw), resolve)) ? { additionalProperties: false } : {}),
  };
}

/** The properties an object schema declares, its `allOf` members' included; undefined for any other schema. */
function objectProperties(schema: unknown, resolve: SchemaResolver, depth = 0): Record<string, unknown> | undefined {
  if (!schema || typeof schema !== "object" || depth > 8) return undefined;
  const s = schema as Record<string, unknown>;
  if ("oneOf" in s || "anyOf" in s) return undefined;
  const own = s.properties && typeof s.properties === "object" ? (s.properties as Record<string, unknown>) : undefined;
  const members = Array.isArray(s.allOf) ? s.allOf.map((m) => objectProperties(resolve(m), resolve, depth + 1)) : [];
  if (!own && (!members.length || members.some((m) => !m))) return undefined;
  return Object.assign({}, ...members, own);
}

/** The fields an object schema requires, its `allOf` members' included. */
function requiredFields(schema: unknown, resolve: SchemaResolver, depth = 0): Set<string> {
  if (!schema || typeof schema !== "object" || depth > 8) return new Set();
  const s = schema as Record<string, unknown>;
  const own = Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === "string") : [];
  const members = Array.isArray(s.allOf) ? s.allOf.flatMap((m) => [...requiredFields(resolve(m), resolve, depth + 1)]) : [];
  return new Set([...own, ...members]);
}

/**
 * Whether an object schema admits no field it does not list, as the pointer walk reads it
 * (`walkSchemaPointer`): `additionalProperties: false` (or `unevaluatedProperties: false`) on
 * it and on each of its `allOf` members.
 */
function closedObject(schema: unknown, resolve: SchemaResolver, depth = 0): boolean {
  if (!schema || typeof schema !== "object" || depth > 8) return false;
  const s = schema as Record<string, unknown>;
  if (s.additionalProperties !== false && s.unevaluatedProperties !== false) return false;
  return !Array.isArray(s.allOf) || s.allOf.every((m) => closedObject(resolve(m), resolve, depth + 1));
}

/** An object or array schema: JSON structure (a string or binary schema under a wildcard is a file, not JSON). */
function structured(schema: unknown): boolean {
  if (!schema || typeof schema !== "object") return false;
  const s = schema as Record<string, unknown>;
  const types = Array.isArray(s.type) ? s.type : [s.type];
  return types.includes("object") || types.includes("array") || "properties" in s || "items" in s || "allOf" in s || "oneOf" in s || "anyOf" in s;
}

function describe(op: OperationInfo): string {
  return `\`${op.operationId ?? `${op.method.toUpperCase()} ${op.path}`}\``;
}
