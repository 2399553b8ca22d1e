/**
 * A step's Request Body Object (Arazzo 1.0.1 §"Request Body Object", §"Payload Replacement
 * Object"): picks the media type, builds the payload with its replacements (a form body's
 * bracket-notation keys unfolded into the fields they name, `form-body.ts`), checks every
 * field it sets against the operation's request schema, and records which workflow inputs
 * flow unchanged into which typed fields.
 */
import { formatJsonPointer } from "../expressions/json-pointer.ts";
import type { DiagnosticBag } from "../diagnostics.ts";
import { parseJsonPointer } from "../expressions/json-pointer.ts";
import type { Step } from "../load/arazzo-document.ts";
import type { DataPath, LoadedDocument } from "../load/document.ts";
import type { OperationInfo } from "../openapi/operations.ts";
import { walkSchemaPointer, type SchemaResolver } from "../openapi/schema-pointer.ts";
import { checkBodyPointer } from "./body-fields.ts";
import { formBodyModel, formFieldName, formMediaType, formTarget, unfoldBracketKeys, type UnfoldedPayload } from "./form-body.ts";
import type { StepScope } from "./step-scope.ts";
import { pointerTypeRef } from "./access-plan.ts";
import { schemaSummary, writtenType } from "./schema-type.ts";
import type { OperationStepModel, ValueModel } from "./types.ts";
import { expressionsIn, payloadModel, replaceAt, toValueModel } from "./values.ts";

/** What checking a payload's fields against a schema needs. */
export interface PayloadCheckContext {
  readonly diagnostics: DiagnosticBag;
  readonly resolve: SchemaResolver;
  /** The operation as messages name it. */
  readonly describe: string;
  /** The body as messages name it; default: "the request body of <describe>". */
  readonly bodyName?: string;
  /**
   * Writes a payload field as the author does (default: a JSON Pointer, `/a/b`; in a form body
   * `a[b]` where written so); `written`: the field the payload sets, when `pointer` is a suggestion for it.
   */
  readonly fieldName?: (pointer: readonly string[], written?: readonly string[]) => string;
}

export interface RequestBodyContext extends PayloadCheckContext {
  readonly arazzo: LoadedDocument;
  readonly operation: OperationInfo;
}

export interface BoundRequestBody {
  readonly requestBody: NonNullable<OperationStepModel["requestBody"]>;
  /** The schema of the documented body for the chosen media type, when there is one, for typing `$request.body` pointers. */
  readonly schema?: unknown;
}

export function bindRequestBody(step: Step, at: DataPath, ctx: RequestBodyContext, scope: StepScope): BoundRequestBody | undefined {
  const { arazzo, diagnostics, operation } = ctx;
  if (!step.requestBody || typeof step.requestBody !== "object") {
    if (operation.requestBody?.required) {
      diagnostics.warning(
        "missing-request-body",
        `step \`${step.stepId}\` sends no request body, but ${ctx.describe} requires one`,
        arazzo.locate([...at, "stepId"]),
      );
    }
    return undefined;
  }
  const bodyAt = [...at, "requestBody"];
  const declaredTypes = [...(operation.requestBody?.content.keys() ?? [])];
  const contentType =
    typeof step.requestBody.contentType === "string"
      ? step.requestBody.contentType
      : (declaredTypes.find((t) => /json/i.test(t)) ?? declaredTypes[0] ?? "application/json");
  const mediaType = declaredTypes.find((t) => t.split(";")[0]!.trim().toLowerCase() === contentType.split(";")[0]!.trim().toLowerCase());
  const documented = !!operation.requestBody;
  if (!documented) {
    // The description is more often incomplete than the workflow wrong: send it, untyped.
    diagnostics.warning(
      "undocumented-request-body",
      `${ctx.describe} documents no request body; the step's payload is sent as written, without types`,
      arazzo.locate(bodyAt, "key"),
      "document the request body in the OpenAPI description to type it",
    );
  } else if (!mediaType) {
    diagnostics.error(
      "unknown-content-type",
      `operation ${ctx.describe} does not accept \`${contentType}\``,
      arazzo.locate([...bodyAt, "contentType"]),
      `it accepts: ${declaredTypes.join(", ")}`,
    );
  }

  let payload = payloadModel(step.requestBody.payload ?? null, mediaType ?? contentType, arazzo, [...bodyAt, "payload"], diagnostics);
  const schema = mediaType ? operation.requestBody?.content.get(mediaType) : undefined;
  // A form body's bracket-notation keys (`metadata[order_id]`) name nested fields: unfolded into them.
  const form = formMediaType(mediaType ?? contentType);
  const formCtx = {
    schema,
    resolve: ctx.resolve,
    diagnostics,
    locateKey: (key: string) => arazzo.locate([...bodyAt, "payload", key], "key"),
    use: `the payload of step \`${step.stepId}\``,
  };
  const unfolded: UnfoldedPayload = form && schema !== undefined ? unfoldBracketKeys(payload, formCtx) : { payload, bracketed: new Map() };
  payload = unfolded.payload;
  (Array.isArray(step.requestBody.replacements) ? step.requestBody.replacements : []).forEach((r, i) => {
    const rAt = [...bodyAt, "replacements", i];
    let target = typeof r?.target === "string" ? parseJsonPointer(r.target) : undefined;
    if (target?.ok && form && schema !== undefined) target = { ok: true, value: formTarget(target.value, formCtx) };
    if (!target?.ok) {
      diagnostics.error(
        "invalid-pointer",
        `replacement target must be a JSON Pointer${target ? `: ${target.error.message}` : ""}`,
        arazzo.locate([...rAt, "target"]),
        typeof r?.target === "string" && /^[^/#~]/.test(r.target) ? `write \`/${r.target}\`` : undefined,
      );
      return;
    }
    const replaced = replaceAt(payload, target.value, toValueModel(r.value, arazzo, [...rAt, "value"], diagnostics));
    if (typeof replaced === "string")
      diagnostics.error("invalid-replacement", `replacement target \`${r.target}\`: ${replaced}`, arazzo.locate([...rAt, "target"]));
    else payload = replaced;
  });
  scope.checkValue(payload);

  if (mediaType && schema !== undefined) {
    payload = checkPayloadFields(payload, [], schema, step.stepId!, form ? { ...ctx, fieldName: formFieldName(unfolded.bracketed) } : ctx);
    for (const { value, pointer } of expressionsIn(payload)) {
      // An input is narrowed only to a field the schema types; elsewhere it keeps its own type.
      const walk = walkSchemaPointer(schema, pointer, ctx.resolve);
      if (walk.kind !== "typed") continue;
      scope.noteInputTarget(
        value,
        pointerTypeRef({ kind: "request-body", stepId: step.stepId! }, pointer, schema, ctx.resolve),
        `request body field \`${formatJsonPointer(pointer)}\` of step \`${step.stepId}\``,
        walk.required && !walk.additional,
        schemaSummary(walk.schema, ctx.resolve),
        undefined,
        writtenType(walk.schema, ctx.resolve),
      );
    }
  }
  const formModel =
    form &&
    formBodyModel(
      form === "multipart",
      { ...unfolded, payload },
      mediaType ? operation.requestBody?.encoding?.get(mediaType) : undefined,
      mediaType ?? contentType,
      ctx.bodyName ?? `the request body of ${ctx.describe}`,
      formCtx,
    );
  return {
    requestBody: {
      contentType: mediaType ?? contentType,
      typed: !!mediaType,
      payload,
      documented,
      ...(formModel ? { form: formModel } : {}),
      location: arazzo.locate(bodyAt, "key"),
    },
    schema,
  };
}

/**
 * Checks every field the payload sets against the schema (one `unknown-field` error per
 * field the schema does not declare) and marks the object keys that land in an
 * `additionalProperties` value, which the emitter leaves out when an optional input is absent.
 */
export function checkPayloadFields(value: ValueModel, pointer: readonly string[], schema: unknown, stepId: string, ctx: PayloadCheckContext): ValueModel {
  if (value.kind === "array") {
    return { ...value, items: value.items.map((item, i) => checkPayloadFields(item, [...pointer, String(i)], schema, stepId, ctx)) };
  }
  if (value.kind !== "object") return value;
  reportMissingRequired(value, pointer, schema, stepId, ctx);
  const additionalKeys: string[] = [];
  const entries = value.entries.map(([key, item]) => {
    const at = [...pointer, key];
    const walk = checkBodyPointer(
      {
        schema,
        resolve: ctx.resolve,
        pointer: at,
        body: ctx.bodyName ?? `the request body of ${ctx.describe}`,
        use: `the payload of step \`${stepId}\``,
        verb: "sets",
        spell: ctx.fieldName ? (p) => ctx.fieldName!(p, at) : formatJsonPointer,
        ...(ctx.fieldName ? { name: ctx.fieldName } : {}),
        location: item.location,
      },
      ctx.diagnostics,
      { warnUntyped: false },
    );
    if (walk.kind === "typed" && walk.additional) additionalKeys.push(key);
    // Below a field the schema does not declare or type, there is nothing more to check.
    return [key, walk.kind === "typed" ? checkPayloadFields(item, at, schema, stepId, ctx) : item] as const;
  });
  return { ...value, entries, ...(additionalKeys.length ? { additionalKeys } : {}) };
}

/**
 * A payload object that leaves out a property its schema requires (and that a replacement
 * does not add) is rejected: the API would answer 400. Only where the schema says which
 * object it is (`oneOf`/`anyOf` alternatives are left to the compiler).
 */
function reportMissingRequired(
  value: Extract<ValueModel, { kind: "object" }>,
  pointer: readonly string[],
  schema: unknown,
  stepId: string,
  ctx: PayloadCheckContext,
): void {
  const walk = walkSchemaPointer(schema, pointer, ctx.resolve);
  if (walk.kind !== "typed") return;
  const required = requiredNames(walk.schema, ctx.resolve);
  const missing = required.filter((name) => !value.entries.some(([key]) => key === name));
  if (!missing.length) return;
  const spell = ctx.fieldName ?? formatJsonPointer;
  const field = (name: string) => spell([...pointer, name]);
  ctx.diagnostics.error(
    "missing-required-field",
    `the payload of step \`${stepId}\` leaves out ${missing.map((m) => `\`${field(m)}\``).join(", ")}, which ${ctx.bodyName ?? `the request body of ${ctx.describe}`} requires`,
    value.location,
    `add ${missing.length === 1 ? "it" : "them"} to the payload${pointer.length ? ` under \`${spell(pointer)}\`` : ""}`,
  );
}

/**
 * `required` of an object schema and of its `allOf` members (an intersection requires them
 * all), less `readOnly` properties, which OpenAPI requires in responses only.
 */
function requiredNames(raw: unknown, resolve: SchemaResolver, seen: Set<unknown> = new Set()): string[] {
  const schema = resolve(raw) as { required?: unknown; allOf?: unknown; properties?: Record<string, unknown> } | undefined;
  if (!schema || typeof schema !== "object" || seen.has(schema)) return [];
  seen.add(schema);
  const own = Array.isArray(schema.required) ? schema.required.filter((n): n is string => typeof n === "string") : [];
  const inherited = Array.isArray(schema.allOf) ? schema.allOf.flatMap((member) => requiredNames(member, resolve, seen)) : [];
  const readOnly = (name: string) => {
    const property =
      schema.properties && Object.hasOwn(schema.properties, name) ? (resolve(schema.properties[name]) as { readOnly?: unknown } | undefined) : undefined;
    return property?.readOnly === true;
  };
  return [...new Set([...own.filter((n) => !readOnly(n)), ...inherited])];
}
