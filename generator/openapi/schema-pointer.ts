/**
 * Follows a JSON Pointer (RFC 6901) through an OpenAPI 3.x Schema Object (OpenAPI 3.1
 * §4.8.24, JSON Schema 2020-12 `properties`, `additionalProperties`, `items`, `allOf`,
 * `oneOf`, `anyOf`) and says what the compiler will see at the end of it, the way
 * openapi-typescript types that schema:
 *
 * - `typed`: every segment names a property the schema declares (or an array index, or an
 *   `additionalProperties` value), so an indexed-access type along the pointer compiles;
 * - `untyped`: from segment `from` on the schema says nothing (no schema, `{}`, an open
 *   `additionalProperties`, a property only some `oneOf` alternatives have): the value can
 *   only be read as `unknown`;
 * - `missing`: segment `at` names a property that a closed object schema does not declare
 *   (openapi-typescript emits no index signature there), which is a wiring mistake.
 *
 * The walk is conservative: it says `missing` only where TypeScript would reject the
 * property access, so a document the compiler accepts is never rejected here.
 */

/** Resolves a document-local `$ref` (undefined when it cannot be followed). */
export type SchemaResolver = (schema: unknown) => unknown;

export interface PointerSegment {
  readonly segment: string;
  /** The segment indexes an array rather than naming a property. */
  readonly index: boolean;
}

export type PointerWalk = { readonly segments: readonly PointerSegment[] } & (
  | {
      readonly kind: "typed";
      /** The last property is in its parent's `required` (true for an empty pointer). */
      readonly required: boolean;
      /**
       * A body valid against the schema has a non-null value there: every segment is a
       * property its parent requires, none an array index or an `additionalProperties` value,
       * and no schema on the way may be null.
       */
      readonly present: boolean;
      /** The last segment is an `additionalProperties` value, not a declared property. */
      readonly additional: boolean;
      /** The schema at the end of the pointer, resolved. */
      readonly schema: unknown;
    }
  | { readonly kind: "untyped"; readonly from: number }
  | {
      readonly kind: "missing";
      readonly at: number;
      /** Property names the schema declares at that point, for "did you mean". */
      readonly known: readonly string[];
      /** What the schema is there when it is not an object (`array`, `string`, …). */
      readonly actual?: string;
      /**
       * The schema there forbids other properties (`additionalProperties: false`,
       * `unevaluatedProperties: false`), or is not an object at all. An open object schema only
       * lists some of the fields a body may have (JSON Schema allows the others).
       */
      readonly closed: boolean;
    }
);

type Schema = Record<string, unknown>;

const CANONICAL_INTEGER = /^(0|[1-9]\d*)$/;

export function walkSchemaPointer(schema: unknown, pointer: readonly string[], resolve: SchemaResolver): PointerWalk {
  const segments: PointerSegment[] = [];
  let current = resolve(schema);
  let required = true;
  let additional = false;
  let present = !mayBeNull(current, resolve);
  for (let i = 0; i < pointer.length; i++) {
    const segment = pointer[i]!;
    const step = childOf(current, segment, resolve);
    // Where the schema says nothing, a canonical integer is read as an array index.
    segments.push({ segment, index: step.kind === "item" || (step.kind === "untyped" && CANONICAL_INTEGER.test(segment)) });
    if (step.kind === "untyped") {
      for (const rest of pointer.slice(i + 1)) segments.push({ segment: rest, index: CANONICAL_INTEGER.test(rest) });
      return { segments, kind: "untyped", from: i };
    }
    if (step.kind === "missing") {
      for (const rest of pointer.slice(i + 1)) segments.push({ segment: rest, index: CANONICAL_INTEGER.test(rest) });
      return { segments, kind: "missing", at: i, known: step.known, closed: step.closed, ...(step.actual ? { actual: step.actual } : {}) };
    }
    current = step.schema;
    required = step.kind === "item" ? false : step.required;
    present &&= step.kind === "property" && step.required && !mayBeNull(current, resolve);
    additional = step.kind === "additional";
  }
  if (pointer.length > 0 && saysNothing(current)) return { segments, kind: "untyped", from: pointer.length };
  return { segments, kind: "typed", required, additional, present, schema: current };
}

type Child =
  | { kind: "property"; schema: unknown; required: boolean }
  | { kind: "additional"; schema: unknown; required: false }
  | { kind: "item"; schema: unknown }
  | { kind: "untyped" }
  | { kind: "missing"; known: string[]; closed: boolean; actual?: string };

/** `seen`: the schemas composition has led through to this one, so a cycle (`A: {allOf: [A]}`) ends. */
function childOf(raw: unknown, segment: string, resolve: SchemaResolver, seen: ReadonlySet<unknown> = new Set()): Child {
  const schema = asSchema(raw);
  if (!schema || seen.has(schema)) return { kind: "untyped" };
  const inner = new Set([...seen, schema]);
  const own = ownChild(schema, segment, resolve);
  if (own.kind === "property" || own.kind === "item") return own;

  // Composition: `allOf` is an intersection (a property of any member is there);
  // `oneOf`/`anyOf` a union (only a property of every alternative can be read typed).
  const allOf = list(schema.allOf).map((s) => childOf(resolve(s), segment, resolve, inner));
  const found = allOf.find((c) => c.kind === "property" || c.kind === "item" || c.kind === "additional");
  if (found) return found;
  // A `null` alternative is what `NonNullable` removes on the way down. openapi-typescript
  // makes one union of `oneOf` and `anyOf` when both are there.
  const alternatives = [...list(schema.oneOf), ...list(schema.anyOf)]
    .map((s) => resolve(s))
    .filter((s) => !isNullSchema(s))
    .map((s) => childOf(s, segment, resolve, inner));
  if (alternatives.length) {
    const readable = alternatives.filter((c) => c.kind === "property" || c.kind === "additional" || c.kind === "item");
    if (readable.length === alternatives.length) {
      const first = readable[0]!;
      const schemas = readable.map((c) => (c as { schema: unknown }).schema);
      const merged = schemas.length === 1 ? schemas[0] : { anyOf: schemas };
      if (first.kind === "item") return { kind: "item", schema: merged };
      return { kind: "property", schema: merged, required: readable.every((c) => c.kind === "property" && c.required) };
    }
    if (readable.length > 0 || alternatives.some((c) => c.kind === "untyped")) return { kind: "untyped" };
  }
  if (own.kind === "additional") return own;
  const parts = [own, ...allOf, ...alternatives];
  if (parts.some((c) => c.kind === "untyped")) return { kind: "untyped" };
  const known = [...new Set(parts.flatMap((c) => (c.kind === "missing" ? c.known : [])))];
  const actual = own.kind === "missing" ? own.actual : undefined;
  const closed = parts.every((c) => c.kind !== "missing" || c.closed);
  return { kind: "missing", known, closed, ...(actual ? { actual } : {}) };
}

/** The child a schema declares itself, before composition keywords. */
function ownChild(schema: Schema, segment: string, resolve: SchemaResolver): Child {
  const types = typesOf(schema);
  if (types.has("array") || "items" in schema || "prefixItems" in schema) {
    if (CANONICAL_INTEGER.test(segment) && Number.isSafeInteger(Number(segment))) {
      const items = resolve(schema.items);
      return { kind: "item", schema: items === undefined && Array.isArray(schema.prefixItems) ? undefined : items };
    }
    if (!types.has("object") && !("properties" in schema)) return { kind: "missing", known: [], closed: true, actual: "array" };
  }
  const properties = asSchema(schema.properties);
  if (properties && Object.hasOwn(properties, segment)) {
    return { kind: "property", schema: resolve(properties[segment]), required: list(schema.required).includes(segment) };
  }
  const extra = schema.additionalProperties;
  if (extra !== undefined && extra !== false) {
    const resolved = resolve(extra);
    return saysNothing(resolved) ? { kind: "untyped" } : { kind: "additional", schema: resolved, required: false };
  }
  if (schema.patternProperties !== undefined) return { kind: "untyped" };
  const known = properties ? Object.keys(properties) : [];
  const closed = extra === false || schema.unevaluatedProperties === false;
  if (known.length) return { kind: "missing", known, closed };
  // Declares nothing itself: its `allOf`/`oneOf`/`anyOf` decide.
  if (!properties && ("allOf" in schema || "oneOf" in schema || "anyOf" in schema)) return { kind: "missing", known: [], closed };
  // A scalar has no fields; an object schema that declares nothing is read untyped.
  const scalar = [...types].find((t) => t !== "null" && t !== "object");
  if (scalar && !types.has("object") && !("allOf" in schema || "oneOf" in schema || "anyOf" in schema))
    return { kind: "missing", known: [], closed: true, actual: scalar };
  return { kind: "untyped" };
}

/** A schema that gives no type at all: absent, `true`, `{}` or only annotations. */
export function saysNothing(raw: unknown): boolean {
  const schema = asSchema(raw);
  if (!schema) return true;
  const typing = [
    "type",
    "properties",
    "additionalProperties",
    "items",
    "prefixItems",
    "allOf",
    "oneOf",
    "anyOf",
    "enum",
    "const",
    "$ref",
    "not",
    "patternProperties",
  ];
  return !typing.some((k) => k in schema);
}

/**
 * Whether a value of this schema may be null or anything at all (conservatively: a schema
 * that says nothing, `type` with `null`, OpenAPI 3.0 `nullable`, `null` in `enum` or
 * `const`, or a composition with such a member).
 */
function mayBeNull(raw: unknown, resolve: SchemaResolver, depth = 0): boolean {
  const schema = asSchema(raw);
  if (!schema || saysNothing(schema) || depth > 16) return true;
  if (typesOf(schema).has("null") || schema.nullable === true || schema.const === null) return true;
  if (Array.isArray(schema.enum) && schema.enum.includes(null)) return true;
  return [...list(schema.oneOf), ...list(schema.anyOf), ...list(schema.allOf)].some((s) => mayBeNull(resolve(s), resolve, depth + 1));
}

function isNullSchema(raw: unknown): boolean {
  const schema = asSchema(raw);
  if (!schema) return false;
  const types = typesOf(schema);
  return (types.size === 1 && types.has("null")) || (Array.isArray(schema.enum) && schema.enum.length === 1 && schema.enum[0] === null);
}

function typesOf(schema: Schema): Set<string> {
  const type = schema.type;
  const types = new Set(Array.isArray(type) ? type.filter((t): t is string => typeof t === "string") : typeof type === "string" ? [type] : []);
  if (types.size === 0 && ("properties" in schema || "additionalProperties" in schema)) types.add("object");
  return types;
}

function asSchema(value: unknown): Schema | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Schema) : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
