/**
 * Mock replies that meet an RFC 9535 filter criterion on the body (`$[?@.status == 'done']`,
 * `$[?@.ready == true && count(@.items[*]) > 0]`): the comparisons of a field (`@.a.b`, `@['x'][0]`)
 * or of `count()`/`length()` of one with a literal, in the conjunctions of the filter (the
 * left side of an `||`), are made to hold. Anything else in the filter is left to the sample.
 */
import { jsonpath } from "json-p3";
import type { JsonPointer } from "../../expressions/ast.ts";
import { evaluateJsonPointer } from "../../expressions/json-pointer.ts";
import { mirror, setAt } from "./mock-values.ts";
import { selectorTokens, soleSelector } from "../../shared/jsonpath-ast.ts";

type Literal = string | number | boolean | null;
type Expression = jsonpath.expressions.FilterExpression;
const { expressions: e, selectors: s } = jsonpath;

export type ValueFor = (operator: string, literal: Literal, current: unknown) => unknown;

/** `body` changed so the filter of `query` (applied to the context at `base`) holds where it can be read. */
export function satisfyFilter(query: string, base: JsonPointer, body: unknown, valueFor: ValueFor): unknown {
  let ast: jsonpath.JSONPathQuery;
  try {
    ast = jsonpath.compile(query);
  } catch {
    return body;
  }
  const first = ast.segments[0];
  const filter = first && soleSelector(first);
  return filter instanceof s.FilterSelector ? satisfyLogical(filter.expression.expression, base, body, valueFor) : body;
}

function satisfyLogical(node: Expression, base: JsonPointer, body: unknown, valueFor: ValueFor): unknown {
  if (!(node instanceof e.InfixExpression)) return body;
  if (node.operator === "&&") return satisfyLogical(node.right, base, satisfyLogical(node.left, base, body, valueFor), valueFor);
  if (node.operator === "||") return satisfyLogical(node.left, base, body, valueFor);
  const right = literalValue(node.right);
  const left = literalValue(node.left);
  const [side, literal, operator] =
    right !== undefined
      ? [node.left, right, node.operator]
      : left !== undefined
        ? [node.right, left, mirror(node.operator)]
        : [undefined, undefined, node.operator];
  if (!side || literal === undefined) return body;
  const field = side instanceof e.RelativeQuery ? relativePointer(side.path) : undefined;
  if (field) {
    const pointer = [...base, ...field.pointer];
    const value = valueFor(operator, literal, evaluateJsonPointer(body, pointer));
    return value === undefined ? body : setAt(body, pointer, value);
  }
  // length(@.items), count(@.items[*]): a list of that many items; count(@.items): the field there (count 1).
  const fn = side instanceof e.FunctionExtension && (side.name === "count" || side.name === "length") ? side : undefined;
  const argument = fn?.args[0];
  const counted = argument instanceof e.RelativeQuery ? relativePointer(argument.path, fn?.name === "count") : undefined;
  if (!counted || typeof literal !== "number") return body;
  const pointer = [...base, ...counted.pointer];
  const current = evaluateJsonPointer(body, pointer);
  if (fn?.name === "count" && !counted.everyItem) {
    const wanted = valueFor(operator, literal, current === undefined ? 0 : 1);
    return wanted === 1 && current === undefined ? setAt(body, pointer, {}) : body;
  }
  const items = Array.isArray(current) ? current : [];
  const count = valueFor(operator, literal, items.length);
  if (typeof count !== "number" || count < 0) return body;
  return setAt(
    body,
    pointer,
    Array.from({ length: count }, (_, i) => items[i] ?? items[0] ?? {}),
  );
}

/** The value of a literal operand (`'done'`, `3`, `true`, `null`), else undefined. */
function literalValue(node: Expression): Literal | undefined {
  if (node instanceof e.NullLiteral) return null;
  return node instanceof e.StringLiteral || node instanceof e.NumberLiteral || node instanceof e.BooleanLiteral ? node.value : undefined;
}

/**
 * The pointer of `@.a['b'][0]` (a relative query of names and non-negative indexes only), else
 * undefined; with `wildcard`, a last `[*]` too (`everyItem`).
 */
function relativePointer(query: jsonpath.JSONPathQuery, wildcard = false): { pointer: string[]; everyItem: boolean } | undefined {
  const selectors = query.segments.map(soleSelector);
  const everyItem = wildcard && selectors.at(-1) instanceof s.WildcardSelector;
  if (everyItem) selectors.pop();
  const pointer = selectorTokens(selectors);
  return pointer && { pointer, everyItem };
}
