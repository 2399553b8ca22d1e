/**
 * Mock replies that meet an RFC 9535 filter criterion on the body (`$[?@.status == 'done']`,
 * `$[?@.ready == true && count(@.items[*]) > 0]`): the comparisons of a field (`@.a.b`, `@['x'][0]`)
 * or of `count()`/`length()` of one with a literal, in the conjunctions of the filter (the
 * left side of an `||`), are made to hold. Anything else in the filter is left to the sample.
 */
import parseJsonPath from "jsonpath-rfc9535/parser";
import type { JsonPointer } from "../../expressions/ast.ts";
import { evaluateJsonPointer } from "../../expressions/json-pointer.ts";
import { setAt } from "./mock-values.ts";

type Literal = string | number | boolean | null;
/** The parts of `jsonpath-rfc9535`'s AST read here. */
interface Node {
  readonly type: string;
  readonly left?: Node;
  readonly right?: Node;
  readonly op?: string;
  readonly value?: unknown;
  readonly name?: string;
  readonly arguments?: readonly Node[];
  readonly segments?: readonly { readonly type: string; readonly node: Node }[];
  readonly node?: Node;
  readonly selectors?: readonly Node[];
  readonly selector?: Node;
}

export type ValueFor = (operator: string, literal: Literal, current: unknown) => unknown;

/** `body` changed so the filter of `query` (applied to the context at `base`) holds where it can be read. */
export function satisfyFilter(query: string, base: JsonPointer, body: unknown, valueFor: ValueFor): unknown {
  let ast: Node;
  try {
    ast = parseJsonPath(query) as unknown as Node;
  } catch {
    return body;
  }
  const first = ast.segments?.[0]?.node;
  const filter = first?.selectors?.length === 1 && first.selectors[0]?.type === "FilterSelector" ? (first.selectors[0].value as Node) : undefined;
  return filter ? satisfyLogical(filter, base, body, valueFor) : body;
}

function satisfyLogical(node: Node, base: JsonPointer, body: unknown, valueFor: ValueFor): unknown {
  if (node.type === "LogicalAndExpr" && node.left && node.right)
    return satisfyLogical(node.right, base, satisfyLogical(node.left, base, body, valueFor), valueFor);
  if (node.type === "LogicalOrExpr" && node.left) return satisfyLogical(node.left, base, body, valueFor);
  if (node.type === "ParenExpr" && node.value) return satisfyLogical(node.value as Node, base, body, valueFor);
  if (node.type !== "ComparisonExpr" || !node.left || !node.right || !node.op) return body;
  const [side, literal, operator] =
    node.right.type === "Literal"
      ? [node.left, node.right.value as Literal, node.op]
      : node.left.type === "Literal"
        ? [node.right, node.left.value as Literal, mirror(node.op)]
        : [undefined, undefined, node.op];
  if (!side) return body;
  const field = relativePointer(side);
  if (field) {
    const pointer = [...base, ...field.pointer];
    const value = valueFor(operator, literal as Literal, evaluateJsonPointer(body, pointer));
    return value === undefined ? body : setAt(body, pointer, value);
  }
  // length(@.items), count(@.items[*]): a list of that many items; count(@.items): the field there (count 1).
  const fn = side.type === "FunctionExpr" && (side.name === "count" || side.name === "length") ? side : undefined;
  const argument = fn?.arguments?.[0];
  const counted = argument && relativePointer(argument.type === "FilterQuery" ? (argument.value as Node) : argument, fn?.name === "count");
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

/**
 * The pointer of `@.a['b'][0]` (a relative query of names and indexes only), else undefined;
 * with `wildcard`, a last `[*]` too (`everyItem`).
 */
function relativePointer(node: Node, wildcard = false): { pointer: string[]; everyItem: boolean } | undefined {
  if ((node.type !== "RelSingularQuery" && node.type !== "RelQuery") || !node.segments) return undefined;
  const pointer: string[] = [];
  const segments = [...node.segments];
  const last = segments.at(-1)?.node;
  const everyItem = wildcard && (last?.type === "WildcardSelector" || (last?.selectors?.length === 1 && last.selectors[0]?.type === "WildcardSelector"));
  if (everyItem) segments.pop();
  for (const segment of segments) {
    if (segment.type !== "SingularQuerySegment" && segment.type !== "ChildSegment") return undefined;
    const selector = segment.node.type === "BracketedSelection" && segment.node.selectors?.length === 1 ? segment.node.selectors[0]! : segment.node;
    if (selector.type === "MemberNameShorthand" || selector.type === "NameSelector") pointer.push(String(selector.value));
    else if (selector.type === "IndexSelector" && typeof (selector.selector?.value ?? selector.value) === "number")
      pointer.push(String(selector.selector?.value ?? selector.value));
    else return undefined;
  }
  return { pointer, everyItem };
}

function mirror(operator: string): string {
  return ({ ">": "<", "<": ">", ">=": "<=", "<=": ">=" } as Record<string, string>)[operator] ?? operator;
}
