/**
 * Copies one OpenAPI object (OpenAPI 3.1 §4.8: Path Item §4.8.9, Operation §4.8.10,
 * Parameter §4.8.12, Request Body §4.8.13, Media Type §4.8.14, Response §4.8.17,
 * Header §4.8.21, Schema §4.8.24, Security Scheme §4.8.27) for openapi-typescript, and
 * asks the caller about every `$ref` on the way. A `$ref` the caller rejects becomes a
 * placeholder that fits where it stands (`PLACEHOLDERS`).
 *
 * Left out because openapi-typescript never reads them into types (its
 * `transform/*-object` modules): `examples` maps of media types, parameters and headers
 * (Example Objects, §4.8.19, whose `$ref`s and `externalValue`s point at example files more
 * often than anything), an `example` that is itself a `$ref`, `encoding` (§4.8.15),
 * response `links` (§4.8.20), operation `callbacks` (§4.8.18), and extension or unknown
 * fields that contain a `$ref` (the bundler would follow it). Schema `example`/`examples`
 * values stay: they become `@example` JSDoc.
 */
import type { DataPath } from "../load/document.ts";
import { HTTP_METHODS } from "./operations.ts";
import { isRef } from "./refs.ts";

export type Position = "pathItem" | "operation" | "parameter" | "requestBody" | "mediaType" | "response" | "header" | "schema" | "securityScheme" | "mapping";

/**
 * What a `$ref` that cannot be followed becomes: `{}` in a schema (typed `unknown`), a
 * response without content, or nothing (the entry is left out of its list or map).
 */
export const PLACEHOLDERS: Readonly<Record<Position, "unknown" | "no-content" | "dropped">> = {
  schema: "unknown",
  mediaType: "unknown",
  response: "no-content",
  parameter: "dropped",
  requestBody: "dropped",
  header: "dropped",
  pathItem: "dropped",
  operation: "dropped",
  securityScheme: "dropped",
  mapping: "dropped",
};

/**
 * Decides about a `$ref` at `at` (the object holding it) in a `position`: true keeps it.
 * `malformed` hears of a value that cannot be what its place holds (`schema: 0`, a
 * `parameters` that is no list), which is copied as it is.
 */
export interface OnRef {
  (ref: string, at: DataPath, position: Position): boolean;
  readonly malformed?: (at: DataPath, position: Position, container?: "list" | "map") => void;
}

export const DROPPED: unique symbol = Symbol("dropped");
export type Copied = unknown | typeof DROPPED;

type Field = Position | `list:${Position}` | `map:${Position}` | "drop" | "example" | "schema-examples" | "value" | "schema-or-list" | "discriminator";

const MEDIA_HOLDER: Record<string, Field> = { schema: "schema", content: "map:mediaType", examples: "drop", example: "example" };

const FIELDS: Record<Exclude<Position, "mapping">, Record<string, Field>> = {
  pathItem: { parameters: "list:parameter", ...Object.fromEntries(HTTP_METHODS.map((m) => [m, "operation"])) },
  operation: { parameters: "list:parameter", requestBody: "requestBody", responses: "map:response", callbacks: "drop" },
  parameter: MEDIA_HOLDER,
  header: MEDIA_HOLDER,
  requestBody: { content: "map:mediaType" },
  mediaType: { schema: "schema", examples: "drop", encoding: "drop", example: "example" },
  response: { headers: "map:header", content: "map:mediaType", links: "drop" },
  securityScheme: {},
  schema: {
    ...Object.fromEntries(["properties", "patternProperties", "dependentSchemas", "$defs", "definitions"].map((k) => [k, "map:schema"])),
    ...Object.fromEntries(["allOf", "anyOf", "oneOf", "prefixItems"].map((k) => [k, "list:schema"])),
    ...Object.fromEntries(
      [
        "additionalProperties",
        "unevaluatedProperties",
        "additionalItems",
        "unevaluatedItems",
        "not",
        "if",
        "then",
        "else",
        "contains",
        "propertyNames",
        "contentSchema",
      ].map((k) => [k, "schema"]),
    ),
    items: "schema-or-list",
    discriminator: "discriminator",
    example: "example",
    examples: "schema-examples",
    // Values, not structure: copied whatever they contain.
    default: "value",
    const: "value",
    enum: "value",
  },
};

/** A copy of `node` read as a `position`, or DROPPED. `at` is where `node` is in the original document. */
export function copyObject(node: unknown, position: Exclude<Position, "mapping">, at: DataPath, onRef: OnRef): Copied {
  if (isRef(node)) {
    if (!onRef(node.$ref, at, position)) return placeholder(position);
    // A Reference Object keeps its `summary`/`description`; a 3.1 schema may have any siblings.
    if (position !== "schema") return pick(node, ["$ref", "summary", "description"]);
  }
  if (node === null || typeof node !== "object" || Array.isArray(node)) {
    if (node !== undefined && !(position === "schema" && typeof node === "boolean")) onRef.malformed?.(at, position);
    return clone(node);
  }
  return copyFields(node as Record<string, unknown>, FIELDS[position], at, onRef);
}

/** A Path Item with its path-level fields and only the operations `methods` names. */
export function copyPathItem(node: unknown, at: DataPath, onRef: OnRef, methods: readonly string[] | "all"): Copied {
  if (isRef(node) || methods === "all") return copyObject(node, "pathItem", at, onRef);
  if (node === null || typeof node !== "object" || Array.isArray(node)) return {};
  const kept = Object.fromEntries(Object.entries(node).filter(([key]) => !(HTTP_METHODS as readonly string[]).includes(key) || methods.includes(key)));
  return copyFields(kept, FIELDS.pathItem, at, onRef);
}

function copyFields(node: Record<string, unknown>, fields: Record<string, Field>, at: DataPath, onRef: OnRef): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const field = Object.hasOwn(fields, key) ? fields[key]! : undefined;
    const copied = field ? copyField(value, field, [...at, key], onRef) : key === "$ref" || !containsRef(value) ? clone(value) : DROPPED;
    if (copied !== DROPPED) out[key] = copied;
  }
  return out;
}

function copyField(value: unknown, field: Field, at: DataPath, onRef: OnRef): Copied {
  switch (field) {
    case "drop":
      return DROPPED;
    case "value":
      return clone(value);
    case "example":
      return isRef(value) ? DROPPED : clone(value);
    case "schema-examples":
      return Array.isArray(value) ? clone(value.filter((v) => !isRef(v))) : isRef(value) ? DROPPED : clone(value);
    case "schema-or-list":
      return Array.isArray(value) ? copyList(value, "schema", at, onRef) : copyOne(value, "schema", at, onRef);
    case "discriminator":
      return copyDiscriminator(value, at, onRef);
  }
  if (field.startsWith("list:")) {
    if (Array.isArray(value)) return copyList(value, field.slice(5) as Position, at, onRef);
    onRef.malformed?.(at, field.slice(5) as Position, "list");
    return clone(value);
  }
  if (field.startsWith("map:")) return copyMap(value, field.slice(4) as Position, at, onRef);
  return copyOne(value, field as Position, at, onRef);
}

/** A subschema may be `true`/`false`; anything else that is not an object is reported and copied as it is. */
function copyOne(value: unknown, position: Position, at: DataPath, onRef: OnRef): Copied {
  if (position === "mapping") return clone(value);
  return copyObject(value, position, at, onRef);
}

function copyList(list: readonly unknown[], position: Position, at: DataPath, onRef: OnRef): unknown[] {
  return list.map((item, i) => copyOne(item, position, [...at, i], onRef)).filter((item) => item !== DROPPED);
}

/** A map of named objects (`properties`, `content`, `responses`, `headers`); in `responses`, `x-` keys are extensions. */
function copyMap(map: unknown, position: Position, at: DataPath, onRef: OnRef): Copied {
  if (map === null || typeof map !== "object" || Array.isArray(map)) {
    onRef.malformed?.(at, position, "map");
    return clone(map);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(map)) {
    const extension = position === "response" && key.startsWith("x-");
    const copied = extension ? (containsRef(value) ? DROPPED : clone(value)) : copyOne(value, position, [...at, key], onRef);
    if (copied !== DROPPED) out[key] = copied;
  }
  return out;
}

/**
 * A Discriminator Object (§4.8.25): `mapping` values that look like references (as
 * Redocly's bundler reads them: a `#` fragment or anything with a `/`) are followed too.
 */
function copyDiscriminator(value: unknown, at: DataPath, onRef: OnRef): Copied {
  const copy = clone(value) as { mapping?: Record<string, unknown> } | null;
  const mapping = copy?.mapping;
  if (!mapping || typeof mapping !== "object") return copy;
  for (const [name, target] of Object.entries(mapping)) {
    if (typeof target === "string" && (target.startsWith("#") || target.includes("/")) && !onRef(target, [...at, "mapping", name], "mapping"))
      delete mapping[name];
  }
  return copy;
}

function placeholder(position: Position): Copied {
  const kind = PLACEHOLDERS[position];
  return kind === "unknown" ? {} : kind === "no-content" ? { description: "" } : DROPPED;
}

/** A deep copy of plain data (the bundler changes the document it is given). */
function clone<T>(value: T): T {
  return value === null || typeof value !== "object" ? value : structuredClone(value);
}

function pick(node: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => Object.hasOwn(node, k)).map((k) => [k, clone(node[k])]));
}

/** Whether a `$ref` is anywhere inside `value`. */
function containsRef(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some(containsRef);
  if (typeof (value as { $ref?: unknown }).$ref === "string") return true;
  for (const key in value) if (containsRef((value as Record<string, unknown>)[key])) return true;
  return false;
}
