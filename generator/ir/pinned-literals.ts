/**
 * Outputs a success criterion pins to one value: after `$response.body#/status == 'shipped'`
 * holds, `$response.body#/status` is `"shipped"`, not the whole enum. Success criteria all
 * hold before a step's outputs are read (a failed one throws or hands over to a failure
 * action), so a comparison that is a top-level conjunct of one of them holds on every path
 * to the output.
 *
 * Arazzo compares strings case-insensitively (`runtime.ts`, `looseEquals`), so a string is
 * pinned only through the schema: an `enum` with exactly one member equal to it that way.
 * A number or boolean is pinned when the schema types the field as such.
 */
import type { ConditionNode, JsonPointer } from "../expressions/ast.ts";
import { walkSchemaPointer, type SchemaResolver } from "../openapi/schema-pointer.ts";
import type { CriterionModel } from "./types.ts";

export type Literal = string | number | boolean;

/** The value `criteria` pin the response-body field at `pointer` to, given the body's schema; undefined when they do not. */
export function pinnedLiteral(pointer: JsonPointer, criteria: readonly CriterionModel[], schema: unknown, resolve: SchemaResolver): Literal | undefined {
  if (schema === undefined) return undefined;
  const walk = walkSchemaPointer(schema, pointer, resolve);
  if (walk.kind !== "typed") return undefined;
  const field = walk.schema as { type?: unknown; enum?: unknown; const?: unknown } | undefined;
  for (const criterion of criteria) {
    if (criterion.kind !== "simple") continue;
    for (const literal of comparedLiterals(criterion.condition, pointer)) {
      const value = schemaValue(literal, field);
      if (value !== undefined) return value;
    }
  }
  return undefined;
}

/** Literals the condition requires the field to equal: `==` comparisons that are top-level conjuncts. */
function* comparedLiterals(node: ConditionNode, pointer: JsonPointer): Generator<Literal> {
  if (node.kind !== "binary") return;
  if (node.operator === "&&") {
    yield* comparedLiterals(node.left, pointer);
    yield* comparedLiterals(node.right, pointer);
    return;
  }
  if (node.operator !== "==") return;
  for (const [field, literal] of [
    [node.left, node.right],
    [node.right, node.left],
  ] as const) {
    if (field.kind !== "expression" || field.accessors.length || literal.kind !== "literal" || literal.value === null) continue;
    const e = field.parsed.expression;
    if (e.kind === "response" && e.source.in === "body" && samePointer(e.source.pointer, pointer)) yield literal.value;
  }
}

/** The one value of the field's schema that equals `literal` the way Arazzo compares. */
function schemaValue(literal: Literal, field: { type?: unknown; enum?: unknown; const?: unknown } | undefined): Literal | undefined {
  if (!field) return undefined;
  const members = "const" in field ? [field.const] : Array.isArray(field.enum) ? field.enum : undefined;
  if (members) {
    const matches = members.filter((m) => (typeof m === "string" && typeof literal === "string" ? foldCase(m) === foldCase(literal) : m === literal));
    return matches.length === 1 ? (matches[0] as Literal) : undefined;
  }
  const types = Array.isArray(field.type) ? field.type : [field.type];
  if (typeof literal === "boolean" && types.length === 1 && types[0] === "boolean") return literal;
  if (typeof literal === "number" && types.length === 1 && (types[0] === "number" || (types[0] === "integer" && Number.isInteger(literal)))) return literal;
  return undefined;
}

function samePointer(a: JsonPointer, b: JsonPointer): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/** The runtime's case folding (`runtime.ts`): `toUpperCase` then `toLowerCase`, locale-independent. */
function foldCase(text: string): string {
  return text.toUpperCase().toLowerCase();
}
