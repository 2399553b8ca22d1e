/**
 * Access plans: how a JSON Pointer into a body is read, decided once from the body's schema
 * (which segments index arrays, how far the schema types the value), so that targets render
 * the same plan as a type (`NonNullable<Base["data"]>[number]`) and as a read
 * (`base?.data?.[0]`) without looking at the schema.
 */
import type { JsonPointer } from "../expressions/ast.ts";
import { walkSchemaPointer, type SchemaResolver } from "../openapi/schema-pointer.ts";
import type { AccessPlan, AccessSegment, TypeRef, TypeRoot } from "./types.ts";

export type { SchemaResolver };

/**
 * The plan for `pointer` into a value of `schema`. Where the schema does not type the whole
 * pointer (see `walkSchemaPointer`), the rest is read at run time and the type is `unknown`.
 * Without a schema the compiler alone decides: a canonical integer is read as an index.
 */
export function accessPlan(pointer: JsonPointer, schema: unknown, resolve: SchemaResolver): AccessPlan {
  if (schema === undefined) return { read: untypedSegments(pointer), rest: [], typed: true, present: false };
  const walk = walkSchemaPointer(schema, pointer, resolve);
  const readable = walk.kind === "typed" ? pointer.length : walk.kind === "untyped" ? Math.min(walk.from, pointer.length) : walk.at;
  return {
    read: walk.segments.slice(0, readable).map((s) => ({ key: s.segment, index: s.index })),
    rest: pointer.slice(readable),
    typed: walk.kind === "typed",
    present: walk.kind === "typed" && walk.present,
  };
}

/** The type at `pointer` from `root`: an access path, or `unknown` where the schema does not type it. */
export function pointerTypeRef(root: TypeRoot, pointer: JsonPointer, schema: unknown, resolve: SchemaResolver): TypeRef {
  const plan = accessPlan(pointer, schema, resolve);
  return plan.typed ? { kind: "access", root, segments: plan.read } : { kind: "unknown" };
}

/** Without a schema, a canonical integer (RFC 6901) is read as an array index. */
export function untypedSegments(pointer: JsonPointer): AccessSegment[] {
  return pointer.map((key) => ({ key, index: /^(0|[1-9]\d*)$/.test(key) && Number.isSafeInteger(Number(key)) }));
}
