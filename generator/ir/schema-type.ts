/**
 * The `DataType` of a workflow `inputs` JSON Schema (draft 2020-12, the subset that
 * describes data: type, enum, const, properties/required, items, additionalProperties,
 * oneOf/anyOf/allOf, local `$ref`). Anything it cannot express becomes `unknown`, never `any`.
 */
import type { JsonSchema } from "../load/arazzo-document.ts";
import type { DataType } from "./types.ts";

export type SchemaRefResolver = (ref: string) => JsonSchema | undefined;

const UNKNOWN: DataType = { kind: "unknown" };

/**
 * A short `DataType` for docs: the schema three levels deep, `unknown` below. `resolve`
 * follows an OpenAPI document's local `$ref`s (a Schema Object in, the resolved one out).
 */
export function schemaSummary(schema: unknown, resolve: (schema: unknown) => unknown): DataType {
  const summaryDepth = 30; // `schemaType` stops at depth 32
  return schemaType(resolve(schema) as JsonSchema | undefined, (ref) => resolve({ $ref: ref }) as JsonSchema | undefined, summaryDepth);
}

/** The `type` keyword a schema writes (through `$ref`s), when it names one type besides `null`: `integer`, `string`. */
export function writtenType(schema: unknown, resolve: (schema: unknown) => unknown): string | undefined {
  let s = resolve(schema) as JsonSchema | undefined;
  for (let i = 0; i < 8 && s && typeof s === "object" && typeof s.$ref === "string"; i++) s = resolve({ $ref: s.$ref }) as JsonSchema | undefined;
  if (!s || typeof s !== "object") return undefined;
  const types = (Array.isArray(s.type) ? s.type : [s.type]).filter((t): t is string => typeof t === "string" && t !== "null");
  return types.length === 1 ? types[0] : undefined;
}

export function schemaType(
  schema: JsonSchema | boolean | undefined,
  resolveRef: SchemaRefResolver,
  depth = 0,
  seen: ReadonlySet<string> = new Set(),
): DataType {
  if (schema === undefined || schema === true) return UNKNOWN;
  if (schema === false) return { kind: "never" };
  // Not a Schema Object (`schema: 0` in a broken description): nothing to type it by.
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return UNKNOWN;
  if (depth > 32) return UNKNOWN; // absurdly deep nesting: stop rather than grow without end
  if (typeof schema.$ref === "string") {
    // A recursive schema is typed `unknown` where it refers back to itself.
    if (seen.has(schema.$ref)) return UNKNOWN;
    return schemaType(resolveRef(schema.$ref), resolveRef, depth + 1, new Set([...seen, schema.$ref]));
  }
  if ("const" in schema) return literalType(schema.const);
  if (Array.isArray(schema.enum)) return union(schema.enum.map(literalType));
  // Lists and maps of subschemas are read only when they are lists and maps (a broken description may have `allOf: 0`).
  const members = [schema.oneOf, schema.anyOf].find(Array.isArray);
  if (members) return union(members.map((s) => schemaType(s, resolveRef, depth + 1, seen)));
  if (Array.isArray(schema.allOf)) return { kind: "intersection", members: schema.allOf.map((s) => schemaType(s, resolveRef, depth + 1, seen)) };
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : inferTypes(schema);
  if (types.length === 0) return UNKNOWN;
  return union(types.map((t) => singleType(t, schema, resolveRef, depth, seen)));
}

function singleType(type: string, schema: JsonSchema, resolveRef: SchemaRefResolver, depth: number, seen: ReadonlySet<string>): DataType {
  switch (type) {
    case "string":
    case "boolean":
    case "null":
      return { kind: type };
    case "number":
    case "integer":
      return { kind: "number" };
    case "array":
      return { kind: "array", items: schemaType(schema.items ?? true, resolveRef, depth + 1, seen) };
    case "object":
      return objectType(schema, resolveRef, depth, seen);
    default:
      return UNKNOWN;
  }
}

function objectType(schema: JsonSchema, resolveRef: SchemaRefResolver, depth: number, seen: ReadonlySet<string>): DataType {
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const properties = Object.entries(isObject(schema.properties) ? schema.properties : {}).map(([name, prop]) => ({
    name,
    required: required.has(name),
    ...(prop && typeof prop === "object" && prop.description ? { description: prop.description } : {}),
    type: schemaType(prop, resolveRef, depth + 1, seen),
  }));
  const extra = schema.additionalProperties;
  // Without properties, any object; `additionalProperties: false` alone, the empty object.
  const additional =
    extra !== false && (properties.length === 0 || extra) ? (extra && extra !== true ? schemaType(extra, resolveRef, depth + 1, seen) : "any") : undefined;
  return { kind: "object", properties, ...(additional ? { additional } : {}) };
}

const isObject = (value: unknown): value is Record<string, JsonSchema> => value !== null && typeof value === "object" && !Array.isArray(value);

function inferTypes(schema: JsonSchema): string[] {
  if (schema.properties || schema.additionalProperties !== undefined) return ["object"];
  if (schema.items) return ["array"];
  return [];
}

function literalType(value: unknown): DataType {
  if (typeof value === "string" || typeof value === "boolean" || value === null) return { kind: "literal", value };
  if (typeof value === "number" && Number.isFinite(value)) return { kind: "literal", value };
  return UNKNOWN;
}

/** One of several types: the same type twice counts once, and `unknown` absorbs the rest. */
function union(members: DataType[]): DataType {
  const unique = [...new Map(members.map((m) => [JSON.stringify(m), m])).values()];
  if (unique.some((m) => m.kind === "unknown")) return UNKNOWN;
  if (unique.length === 0) return { kind: "never" };
  return unique.length === 1 ? unique[0]! : { kind: "union", members: unique };
}
