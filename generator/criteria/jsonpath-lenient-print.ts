/**
 * What a lenient JSONPath condition (`jsonpath-lenient.ts`) means, written two ways: the
 * RFC 9535 filter on the context (`toRfc9535Filter`), and, when it compares with runtime
 * expressions, which RFC 9535 cannot, the equivalent Arazzo simple condition
 * (`toSimpleCondition`). The texts are what diagnostics show and what the generated code runs.
 */
import type { ParsedExpression, ParseResult } from "../expressions/ast.ts";
import { formatJsonPointer } from "../expressions/json-pointer.ts";
import type { LenientCondition, LenientOperand } from "./jsonpath-lenient.ts";
import { fail, parseResult } from "../expressions/scanner.ts";

/**
 * The RFC 9535 filter on the context that `node` means (it must have no runtime-expression
 * operands): the text shown to the author and run by the generated code.
 */
export function toRfc9535Filter(node: LenientCondition): string {
  return `$[?${rfcCondition(node)}]`;
}

/**
 * The simple condition `node` means with `context` as the root of its paths: each path
 * becomes the context extended by a JSON pointer. Fails where a simple condition cannot say
 * it: a length, an existence test, a path into a context that has no fields (`$statusCode`).
 */
export function toSimpleCondition(node: LenientCondition, context: ParsedExpression): ParseResult<string> {
  return parseResult(() => simpleCondition(node, context));
}

// ---------------------------------------------------------------------------------------
// RFC 9535 filter

/** Binding strength: `||` < `&&` < the rest. */
function precedence(node: LenientCondition): number {
  return node.kind === "logical" ? (node.operator === "||" ? 1 : 2) : 3;
}

/** As `precedence`, for the RFC 9535 text, where `a == null` becomes `!a || a == null` and `a != null` becomes `a && a != null`. */
function rfcPrecedence(node: LenientCondition): number {
  if (node.kind === "comparison") {
    const expansion = nullExpansion(node);
    return expansion === "==" ? 1 : expansion === "!=" ? 2 : 3;
  }
  return precedence(node);
}

/** The path a `path == null` / `path != null` comparison tests, and how, when it counts a missing member as null. */
function nullExpansion(node: Extract<LenientCondition, { kind: "comparison" }>): "==" | "!=" | undefined {
  const { left, right, operator } = node;
  const nullSide = isNull(right) ? left : isNull(left) ? right : undefined;
  return nullSide?.kind === "path" && !nullSide.length && (operator === "==" || operator === "!=") ? operator : undefined;
}

function rfcCondition(node: LenientCondition): string {
  switch (node.kind) {
    case "logical": {
      const side = (child: LenientCondition) => {
        const code = rfcCondition(child);
        return rfcPrecedence(child) < precedence(node) ? `(${code})` : code;
      };
      return `${side(node.left)} ${node.operator} ${side(node.right)}`;
    }
    case "not":
      // RFC 9535 negates an existence test (`!@.a`) or a parenthesised expression, nothing else.
      return node.operand.kind === "test" ? `!${rfcCondition(node.operand)}` : `!(${rfcCondition(node.operand)})`;
    case "test":
      return rfcOperand(node.operand);
    case "comparison": {
      const { left, right, operator } = node;
      const plain = `${rfcOperand(left)} ${operator} ${rfcOperand(right)}`;
      // A missing member counts as null: RFC 9535 alone has `@.a == null` false and `@.a != null` true for it.
      const expansion = nullExpansion(node);
      if (expansion === undefined) return plain;
      const exists = rfcOperand(isNull(right) ? left : right);
      return expansion === "==" ? `!${exists} || ${plain}` : `${exists} && ${plain}`;
    }
  }
}

function isNull(operand: LenientOperand): boolean {
  return operand.kind === "literal" && operand.value === null;
}

function rfcOperand(operand: LenientOperand): string {
  switch (operand.kind) {
    case "literal":
      return typeof operand.value === "string" ? rfcString(operand.value) : operand.raw;
    case "path": {
      const query = `@${operand.segments.map(rfcSegment).join("")}`;
      return operand.length ? `length(${query})` : query;
    }
    case "expression":
      throw new Error(`internal: runtime expression \`${operand.parsed.text}\` in an RFC 9535 filter`);
  }
}

const RFC_SHORTHAND = /^[A-Za-z_\u0080-\ud7ff\ue000-\uffff][A-Za-z0-9_\u0080-\ud7ff\ue000-\uffff]*$/;

function rfcSegment(segment: string | number): string {
  if (typeof segment === "number") return `[${segment}]`;
  return RFC_SHORTHAND.test(segment) ? `.${segment}` : `[${rfcString(segment)}]`;
}

/** A single-quoted RFC 9535 string literal (§2.3.1.1): `\` and `'` escaped, control characters as escapes. */
export function rfcString(value: string): string {
  const named: Record<string, string> = { "\\": "\\\\", "'": "\\'", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t" };
  const body = [...value].map((ch) => named[ch] ?? (ch < " " ? `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}` : ch)).join("");
  return `'${body}'`;
}

// ---------------------------------------------------------------------------------------
// Simple condition

/** Characters a pointer token cannot hold in an unbraced condition operand. */
const OPERAND_BREAK = /[\s=!<>&|()[\]{}]/;

function simpleCondition(node: LenientCondition, context: ParsedExpression): string {
  switch (node.kind) {
    case "logical": {
      const side = (child: LenientCondition) => {
        const code = simpleCondition(child, context);
        return precedence(child) < precedence(node) ? `(${code})` : code;
      };
      return `${side(node.left)} ${node.operator} ${side(node.right)}`;
    }
    case "not":
      return node.operand.kind === "test" ? `!${simpleCondition(node.operand, context)}` : `!(${simpleCondition(node.operand, context)})`;
    case "test":
      if (node.operand.kind === "path") {
        fail("an existence test (a path alone) cannot be combined with runtime expressions; compare the path (`$.a != null`)", node.operand.start);
      }
      return simpleOperand(node.operand, context);
    case "comparison":
      return `${simpleOperand(node.left, context)} ${node.operator} ${simpleOperand(node.right, context)}`;
  }
}

function simpleOperand(operand: LenientOperand, context: ParsedExpression): string {
  switch (operand.kind) {
    case "literal":
      return typeof operand.value === "string" ? `'${operand.value.replace(/'/g, "''")}'` : operand.raw;
    case "expression":
      return operand.parsed.text;
    case "path":
      if (operand.length) {
        fail("a length cannot be compared with a runtime expression: RFC 9535 has no runtime expressions, and simple conditions have no length", operand.start);
      }
      return contextPath(context, operand.segments, operand.start);
  }
}

/** `context` extended by `segments` as a runtime expression: `$response.body` + `[0, "id"]` → `$response.body#/0/id`. */
function contextPath(context: ParsedExpression, segments: readonly (string | number)[], at: number): string {
  const tokens = segments.map(String);
  const bad = tokens.find((t) => OPERAND_BREAK.test(t) || t === "");
  if (bad !== undefined) fail(`member name ${JSON.stringify(bad)} cannot be written in a simple condition's JSON pointer`, at);
  if (tokens.length === 0) {
    if (context.expression.kind === "inputsObject")
      fail("`$` here is the whole inputs object, which a simple condition cannot compare; name an input (`$.name`)", at);
    return context.text;
  }
  const pointer = (list: readonly string[]) => formatJsonPointer(list).slice(1);
  const e = context.expression;
  switch (e.kind) {
    case "inputsObject": {
      const [first, ...rest] = segments;
      if (typeof first !== "string" || /[.#]/.test(first))
        fail(`the inputs have no ${typeof first === "number" ? `index ${first}` : `name \`${first}\` usable in \`$inputs.<name>\``}`, at);
      return `$inputs.${first}${rest.length ? `#/${pointer(rest.map(String))}` : ""}`;
    }
    case "request":
    case "response":
      if (e.source.in !== "body") break;
      return `$${e.kind}.body#/${pointer([...e.source.pointer, ...tokens])}`;
    case "inputs":
    case "outputs":
    case "steps":
    case "workflows":
    case "components": {
      const base = context.text.split("#")[0]!;
      return `${base}#/${pointer([...e.pointer, ...tokens])}`;
    }
  }
  return fail(`\`${context.text}\` has no members to read \`$${segments.map(rfcSegment).join("")}\` from`, at);
}
