/**
 * Type texts the model hands to the emitter: indexed access chains that follow a JSON
 * Pointer into an openapi-typescript `paths` type, so the compiler, not the generator,
 * works out what a field's type is — and the matching run-time property accesses.
 */
import type { JsonPointer } from "../expressions/ast.ts";
import { INHERITED_NAMES, isIdentifierName, stringLiteral } from "./names.ts";

/** Resolves a schema's `$ref` within its own OpenAPI document. */
export type SchemaResolver = (schema: unknown) => unknown;

interface PointerStep {
  readonly segment: string;
  /** The segment indexes an array rather than naming a property. */
  readonly index: boolean;
}

/**
 * Decides, segment by segment, whether a pointer indexes an array: it does where the
 * schema at that point is an array and the segment is a canonical integer (RFC 6901);
 * where there is no schema, a canonical integer is read as an index.
 */
function walkPointer(pointer: JsonPointer, schema: unknown, resolve: SchemaResolver): PointerStep[] {
  let current = resolve(schema) as Record<string, any> | undefined;
  return pointer.map((segment) => {
    const integer = /^(0|[1-9]\d*)$/.test(segment) && Number.isSafeInteger(Number(segment));
    const arraySchema =
      !!current && (current.type === "array" || (Array.isArray(current.type) && current.type.includes("array")) || "items" in current);
    const index = integer && (current === undefined || arraySchema);
    current = resolve(index ? current?.items : current?.properties?.[segment]) as Record<string, any> | undefined;
    return { segment, index };
  });
}

/** Whether the schema requires the last property a pointer names (in its parent's `required`). */
export function pointerRequired(pointer: JsonPointer, schema: unknown, resolve: SchemaResolver): boolean {
  if (pointer.length === 0) return true;
  let parent = resolve(schema) as Record<string, any> | undefined;
  for (const segment of pointer.slice(0, -1)) {
    const index = /^(0|[1-9]\d*)$/.test(segment) && (parent?.type === "array" || (parent && "items" in parent));
    parent = resolve(index ? parent?.items : parent?.properties?.[segment]) as Record<string, any> | undefined;
  }
  const last = pointer[pointer.length - 1]!;
  return Array.isArray(parent?.required) && parent.required.includes(last);
}

/** `NonNullable<NonNullable<Base["meta"]>["items"]>[number]` for pointer `/meta/items/0`. */
export function pointerType(base: string, pointer: JsonPointer, schema: unknown, resolve: SchemaResolver): string {
  return walkPointer(pointer, schema, resolve).reduce(
    (text, step, i) => `${i === 0 ? text : `NonNullable<${text}>`}[${step.index ? "number" : stringLiteral(step.segment)}]`,
    base,
  );
}

/**
 * The run-time expression reading `pointer` from `base`: `/meta/0/url` → `base?.meta?.[0]?.url`.
 * Names that exist on every object (`constructor`, `__proto__`, `toString`, …) go through
 * the runtime's `ownProperty`, so a missing field never yields something from the prototype chain.
 */
export function pointerExpression(base: string, pointer: JsonPointer, schema: unknown, resolve: SchemaResolver): string {
  return walkPointer(pointer, schema, resolve).reduce((code, step) => {
    if (step.index) return `${code}?.[${step.segment}]`;
    if (INHERITED_NAMES.has(step.segment)) return `ownProperty(${code}, ${stringLiteral(step.segment)})`;
    return isIdentifierName(step.segment) ? `${code}?.${step.segment}` : `${code}?.[${stringLiteral(step.segment)}]`;
  }, base);
}


/** `200` stays a number key in openapi-typescript output; `2XX` and `default` are string keys. */
export function statusKey(status: string): string {
  return /^\d{3}$/.test(status) ? status : stringLiteral(status);
}
