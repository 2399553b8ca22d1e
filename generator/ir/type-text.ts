/**
 * Type texts the model hands to the emitter: indexed access chains that follow a JSON
 * Pointer into an openapi-typescript `paths` type, so the compiler, not the generator,
 * works out what a field's type is — and the matching run-time property accesses.
 */
import type { JsonPointer } from "../expressions/ast.ts";
import { walkSchemaPointer, type PointerSegment, type SchemaResolver } from "../openapi/schema-pointer.ts";
import { INHERITED_NAMES, isIdentifierName, stringLiteral } from "../shared/names.ts";

export type { SchemaResolver };

/**
 * `NonNullable<NonNullable<Base["meta"]>["items"]>[number]` for pointer `/meta/items/0`.
 * Where the schema does not type the whole pointer (see `walkSchemaPointer`), `unknown`.
 * Without a schema the compiler alone decides: a canonical integer is read as an index.
 */
export function pointerType(base: string, pointer: JsonPointer, schema: unknown, resolve: SchemaResolver): string {
  const walk = schema === undefined ? undefined : walkSchemaPointer(schema, pointer, resolve);
  if (walk && walk.kind !== "typed") return "unknown";
  const segments = walk?.segments ?? untypedSegments(pointer);
  return segments.reduce((text, step, i) => `${i === 0 ? text : `NonNullable<${text}>`}[${step.index ? "number" : stringLiteral(step.segment)}]`, base);
}

/**
 * The run-time expression reading `pointer` from `base`: `/meta/0/url` → `base?.meta?.[0]?.url`.
 * Names that exist on every object (`constructor`, `__proto__`, `toString`, …) go through
 * the runtime's `ownProperty`, so a missing field never yields something from the prototype chain.
 * The part of the pointer the schema does not type is read with the runtime's `readPointer`
 * (the compiler would reject property access on `unknown`).
 */
export function pointerExpression(base: string, pointer: JsonPointer, schema: unknown, resolve: SchemaResolver): string {
  const walk = schema === undefined ? undefined : walkSchemaPointer(schema, pointer, resolve);
  const typedCount = !walk || walk.kind === "typed" ? pointer.length : walk.kind === "untyped" ? Math.min(walk.from, pointer.length) : walk.at;
  const segments = walk?.segments ?? untypedSegments(pointer);
  const typed = segments.slice(0, typedCount).reduce((code, step) => {
    if (step.index) return `${code}?.[${step.segment}]`;
    if (INHERITED_NAMES.has(step.segment)) return `ownProperty(${code}, ${stringLiteral(step.segment)})`;
    return isIdentifierName(step.segment) ? `${code}?.${step.segment}` : `${code}?.[${stringLiteral(step.segment)}]`;
  }, base);
  const rest = pointer.slice(typedCount);
  return rest.length ? `readPointer(${typed}, [${rest.map(stringLiteral).join(", ")}])` : typed;
}

/** Without a schema, a canonical integer (RFC 6901) is read as an array index. */
function untypedSegments(pointer: JsonPointer): PointerSegment[] {
  return pointer.map((segment) => ({ segment, index: /^(0|[1-9]\d*)$/.test(segment) && Number.isSafeInteger(Number(segment)) }));
}

/** Whether the schema requires the last property a pointer names (in its parent's `required`). */
export function pointerRequired(pointer: JsonPointer, schema: unknown, resolve: SchemaResolver): boolean {
  const walk = walkSchemaPointer(schema, pointer, resolve);
  return walk.kind === "typed" && walk.required;
}

/** `200` stays a number key in openapi-typescript output; `2XX` and `default` are string keys. */
export function statusKey(status: string): string {
  return /^\d{3}$/.test(status) ? status : stringLiteral(status);
}
