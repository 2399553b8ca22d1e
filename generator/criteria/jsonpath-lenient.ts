/**
 * The JSONPath-like comparisons real documents write as `type: jsonpath` conditions, which
 * are not RFC 9535 queries (`$.results.length > 0`, `$.state == "running" || $.state ==
 * "scheduled"`, `$.result.value == $inputs.sslValue`): a parser for that dialect, and the
 * two readings of what it means, printed as text the author could have written:
 *
 * - `toRfc9535Filter`: without runtime-expression operands, an RFC 9535 filter applied to
 *   the context (`$[?length(@.results) > 0]`);
 * - `toSimpleCondition`: with them (RFC 9535 cannot refer to `$inputs`), the equivalent
 *   simple condition, paths becoming JSON pointers into the context
 *   (`$response.body#/result/value == $inputs.sslValue`).
 *
 * Grammar, loosest to tightest binding (whitespace allowed between tokens, not inside paths):
 *   or         = and *( "||" and )
 *   and        = unary *( "&&" unary )
 *   unary      = "!" "(" or ")" / "(" or ")"
 *              / "!" value                        ; not followed by a comparison operator
 *              / comparison
 *   comparison = value [ ( "==" / "!=" / "<" / "<=" / ">" / ">=" ) value / "in" list ]
 *   list       = "[" literal *( "," literal ) "]" ; `$.a in [x, y]` is `$.a == x || $.a == y`
 *   value      = path / literal / expression
 *   path       = "$" *( "." name / "[" quoted "]" / "[" index "]" ) [ ".length" [ "()" ] ]
 *   name       = ( ALPHA / "_" / non-ASCII ) *( ALPHA / DIGIT / "_" / "-" / non-ASCII )
 *   index      = "0" / %x31-39 *DIGIT
 *   quoted     = "'" … "'" / DQUOTE … DQUOTE      ; see literal
 *   literal    = "true" / "false" / "null" / JSON number
 *              / "'" *( char / "\" escape / "''" ) "'"   ; RFC 9535 escapes, or '' for '
 *              / JSON string
 *   expression = an Arazzo runtime expression (`$inputs.x`, `$steps.s.outputs.o`,
 *                `$response.body#/a`, `$statusCode`, …), ending at whitespace or `=!<>&|()[],`
 *
 * Meaning: a path reads from the context root (`$` alone is the context); a final `.length`
 * (or `.length()`) is RFC 9535 `length()` of what precedes it (`['length']` is the member);
 * a path standing alone is an RFC 9535 existence test (it holds when the member exists,
 * whatever its value, null and false included: RFC 9535 §2.3.5.2); a runtime expression
 * standing alone is truthy as in a simple condition. `== null` and `!= null` on a path
 * count a missing member as null (`$.publishDate == null` holds when the input is absent),
 * as the loose comparison these documents borrow from does; RFC 9535 alone would not.
 */
import type { ParsedExpression, ParseResult } from "../expressions/ast.ts";
import { parseExpression, scanExpression } from "../expressions/parse.ts";
import { ConditionScanner, fail, parseResult } from "../expressions/scanner.ts";

export type ComparisonOperator = "==" | "!=" | "<" | "<=" | ">" | ">=";

/** An operand; `start`/`end` are offsets in the condition text. */
export type LenientOperand = { readonly start: number; readonly end: number } & (
  | {
      readonly kind: "path";
      /** Member names and array indexes from the context root. */
      readonly segments: readonly (string | number)[];
      /** A final `.length`: the length of what `segments` select. */
      readonly length: boolean;
    }
  | { readonly kind: "literal"; readonly value: string | number | boolean | null; readonly raw: string }
  | { readonly kind: "expression"; readonly parsed: ParsedExpression }
);

export type LenientCondition =
  | { readonly kind: "comparison"; readonly operator: ComparisonOperator; readonly left: LenientOperand; readonly right: LenientOperand }
  /** A path alone (exists) or a runtime expression alone (truthy). */
  | { readonly kind: "test"; readonly operand: LenientOperand }
  | { readonly kind: "not"; readonly operand: LenientCondition }
  | { readonly kind: "logical"; readonly operator: "&&" | "||"; readonly left: LenientCondition; readonly right: LenientCondition };

export function parseLenientJsonPath(text: string): ParseResult<LenientCondition> {
  return parseResult(() => new LenientParser(text).parse());
}

/** The runtime expressions the condition uses as operands, in order. */
export function* lenientExpressions(node: LenientCondition): Generator<ParsedExpression> {
  switch (node.kind) {
    case "comparison":
      for (const operand of [node.left, node.right]) if (operand.kind === "expression") yield operand.parsed;
      return;
    case "test":
      if (node.operand.kind === "expression") yield node.operand.parsed;
      return;
    case "not":
      yield* lenientExpressions(node.operand);
      return;
    case "logical":
      yield* lenientExpressions(node.left);
      yield* lenientExpressions(node.right);
  }
}

/** The paths from the context root the condition reads, in order. */
export function* lenientPaths(node: LenientCondition): Generator<Extract<LenientOperand, { kind: "path" }>> {
  switch (node.kind) {
    case "comparison":
      for (const operand of [node.left, node.right]) if (operand.kind === "path") yield operand;
      return;
    case "test":
      if (node.operand.kind === "path") yield node.operand;
      return;
    case "not":
      yield* lenientPaths(node.operand);
      return;
    case "logical":
      yield* lenientPaths(node.left);
      yield* lenientPaths(node.right);
  }
}

// ---------------------------------------------------------------------------------------
// Parser

const COMPARISON_OPERATORS: readonly ComparisonOperator[] = ["==", "!=", "<=", ">=", "<", ">"];
const EXPRESSION_STOP = new Set(["=", "!", "<", ">", "&", "|", "(", ")", "[", "]", ","]);
const JSON_NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const NAME_FIRST = /[A-Za-z_\u0080-\uffff]/;
const NAME_CHAR = /[A-Za-z0-9_\-\u0080-\uffff]/;
const RFC_ESCAPES: Readonly<Record<string, string>> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", "/": "/", "\\": "\\", "'": "'", '"': '"' };

class LenientParser extends ConditionScanner {
  parse(): LenientCondition {
    this.skipWhitespace();
    if (this.pos >= this.text.length) fail("empty condition", 0);
    const node = this.or();
    this.skipWhitespace();
    if (this.pos < this.text.length) this.unexpected("`&&`, `||` or the end of the condition");
    return node;
  }

  private or(): LenientCondition {
    let left = this.and();
    while (this.accept("||")) left = { kind: "logical", operator: "||", left, right: this.and() };
    return left;
  }

  private and(): LenientCondition {
    let left = this.unary();
    while (this.accept("&&")) left = { kind: "logical", operator: "&&", left, right: this.unary() };
    return left;
  }

  private unary(): LenientCondition {
    this.skipWhitespace();
    const start = this.pos;
    const negated = this.text[this.pos] === "!" && this.text[this.pos + 1] !== "=";
    if (negated) {
      this.pos++;
      this.skipWhitespace();
    }
    if (this.text[this.pos] === "(") {
      const group = this.group();
      this.noComparisonAfter(start, "it is a condition, not a value; compare the values inside the parentheses");
      return negated ? { kind: "not", operand: group } : group;
    }
    if (negated) {
      if (this.text[this.pos] === "!" && this.text[this.pos + 1] !== "=") return { kind: "not", operand: this.unary() };
      const operand = this.value();
      this.noComparisonAfter(start, "to negate a comparison, write `!(… == …)`");
      return { kind: "not", operand: this.test(operand) };
    }
    return this.comparison();
  }

  private group(): LenientCondition {
    const open = this.pos++;
    const inner = this.or();
    this.skipWhitespace();
    if (this.text[this.pos] !== ")") fail(`missing \`)\` to close the \`(\` at character ${open + 1}`, this.pos);
    this.pos++;
    return inner;
  }

  /** Fails when a comparison operator follows `text[start..pos]`, a condition that is not a value. */
  private noComparisonAfter(start: number, advice: string): void {
    const spelled = this.text.slice(start, this.pos).trim();
    this.skipWhitespace();
    const at = this.pos;
    if (this.comparisonOperator() !== undefined || this.acceptWord("in")) fail(`\`${spelled}\` cannot be compared: ${advice}`, at);
  }

  private comparison(): LenientCondition {
    const left = this.value();
    this.skipWhitespace();
    const at = this.pos;
    if (this.acceptWord("in")) return this.inList(left);
    const operator = this.comparisonOperator();
    if (operator === undefined) return this.test(left);
    const right = this.value();
    this.skipWhitespace();
    const again = this.pos;
    if (this.comparisonOperator() !== undefined) fail("comparison operators cannot be chained; use `&&`", again);
    if (left.kind === "literal" && right.kind === "literal") fail("a comparison needs a path or a runtime expression, not two literals", at);
    return { kind: "comparison", operator, left, right };
  }

  /** `value in [a, b]` → `value == a || value == b`. */
  private inList(operand: LenientOperand): LenientCondition {
    if (operand.kind === "literal") fail("`in` needs a path or a runtime expression on its left, not a literal", operand.start);
    this.skipWhitespace();
    if (this.text[this.pos] !== "[") fail("expected a list of literals after `in`, e.g. `in ['a', 'b']`", this.pos);
    this.pos++;
    const items: LenientOperand[] = [];
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] === "]" && items.length === 0) fail("`in []` never holds; list at least one value", this.pos);
      const item = this.value();
      if (item.kind !== "literal") fail("`in` lists only literals (strings, numbers, true, false, null)", item.start);
      items.push(item);
      this.skipWhitespace();
      if (this.text[this.pos] === ",") {
        this.pos++;
        continue;
      }
      if (this.text[this.pos] === "]") {
        this.pos++;
        break;
      }
      this.unexpected("`,` or `]` in the list after `in`");
    }
    return items
      .map((right): LenientCondition => ({ kind: "comparison", operator: "==", left: operand, right }))
      .reduce((left, right) => ({ kind: "logical", operator: "||", left, right }));
  }

  private test(operand: LenientOperand): LenientCondition {
    if (operand.kind === "literal") {
      fail(`\`${operand.raw}\` alone is not a condition; compare a path with it (\`$.field == ${operand.raw}\`)`, operand.start);
    }
    if (operand.kind === "path" && operand.length) {
      const spelled = this.text.slice(operand.start, operand.end);
      fail(`\`${spelled}\` alone is not a condition; compare it (\`${spelled} > 0\`)`, operand.start);
    }
    return { kind: "test", operand };
  }

  private comparisonOperator(): ComparisonOperator | undefined {
    this.skipWhitespace();
    for (const op of ["===", "!=="]) {
      if (this.text.startsWith(op, this.pos)) fail(`\`${op}\` is not an operator; use \`${op.slice(0, 2)}\``, this.pos);
    }
    return COMPARISON_OPERATORS.find((op) => this.accept(op));
  }

  private value(): LenientOperand {
    this.skipWhitespace();
    const start = this.pos;
    const ch = this.text[start];
    if (ch === undefined) fail("expected an operand at the end of the condition", start);
    if (ch === "$") return /[A-Za-z]/.test(this.text[start + 1] ?? "") ? this.expression() : this.path();
    if (ch === "'" || ch === '"') {
      const value = this.quoted();
      return { kind: "literal", value, raw: this.text.slice(start, this.pos), start, end: this.pos };
    }
    if (ch === "-" || (ch >= "0" && ch <= "9")) return this.number();
    if (/[A-Za-z_]/.test(ch)) return this.keyword();
    if (ch === "@") fail("`@` is only meaningful inside an RFC 9535 filter `$[?…]`; start the path with `$`", start);
    return this.unexpected("an operand (a `$.` path, a literal or a runtime expression)");
  }

  private expression(): LenientOperand {
    const start = this.pos;
    const { end } = scanExpression(this.text, start, (c) => EXPRESSION_STOP.has(c));
    const parsed = parseExpression(this.text.slice(start, end));
    if (!parsed.ok) fail(parsed.error.message, start + parsed.error.offset);
    this.pos = end;
    return { kind: "expression", parsed: parsed.value, start, end };
  }

  private path(): LenientOperand {
    const start = this.pos++;
    const segments: (string | number)[] = [];
    let lastShorthand = false;
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === ".") {
        if (this.text[this.pos + 1] === ".") fail("cannot read `..` (descendants) in a comparison: it selects any number of values", this.pos);
        segments.push(this.name());
        lastShorthand = true;
        if (segments[segments.length - 1] === "length" && this.text.startsWith("()", this.pos)) {
          this.pos += 2;
          if (this.text[this.pos] === "." || this.text[this.pos] === "[") fail("`.length()` must end the path", this.pos);
          return { kind: "path", segments: segments.slice(0, -1), length: true, start, end: this.pos };
        }
      } else if (ch === "[") {
        segments.push(this.bracket());
        lastShorthand = false;
      } else {
        break;
      }
    }
    const next = this.text[this.pos];
    if (next === "(") fail(`cannot read \`${this.text.slice(start, this.pos)}(\`: the only method is a final \`.length()\``, this.pos);
    if (next !== undefined && !/\s/.test(next) && !EXPRESSION_STOP.has(next)) this.unexpected("`.name`, `['name']`, `[0]` or the end of the path");
    const length = lastShorthand && segments[segments.length - 1] === "length";
    return { kind: "path", segments: length ? segments.slice(0, -1) : segments, length, start, end: this.pos };
  }

  private name(): string {
    const start = ++this.pos;
    if (!NAME_FIRST.test(this.text[start] ?? "")) {
      if (this.text[start] === "*") fail("cannot read `.*` (all members) in a comparison: it selects any number of values", start - 1);
      if (/[0-9]/.test(this.text[start] ?? "")) fail("a name cannot start with a digit; write an index as `[0]` or a name as `['0']`", start);
      fail("expected a name after `.`", start);
    }
    while (this.pos < this.text.length && NAME_CHAR.test(this.text[this.pos]!)) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private bracket(): string | number {
    const open = this.pos++;
    const ch = this.text[this.pos];
    let segment: string | number;
    if (ch === "'" || ch === '"') {
      segment = this.quoted();
    } else if (ch !== undefined && ch >= "0" && ch <= "9" && /^[0-9]+\]/.test(this.text.slice(this.pos))) {
      const match = /^[0-9]+/.exec(this.text.slice(this.pos))![0];
      if (match.length > 1 && match.startsWith("0")) fail("an index must not have leading zeros", this.pos);
      if (!Number.isSafeInteger(Number(match))) fail(`index \`${match}\` is out of range`, this.pos);
      this.pos += match.length;
      segment = Number(match);
    } else {
      const close = this.text.indexOf("]", open);
      if (close < 0) fail(`missing \`]\` to close the \`[\` at character ${open + 1}`, this.text.length);
      const inside = this.text.slice(open, close + 1);
      const what =
        ch === "?"
          ? "a filter"
          : ch === "*"
            ? "a wildcard"
            : ch === "-"
              ? "a negative index"
              : inside.includes(":")
                ? "a slice"
                : inside.includes(",")
                  ? "a list"
                  : "not a name or an index";
      fail(`cannot read \`${inside}\` (${what}) in a comparison: only \`.name\`, \`['name']\` and \`[0]\` can be compared`, open);
    }
    if (this.text[this.pos] !== "]") fail(`expected \`]\` to close the \`[\` at character ${open + 1}`, this.pos);
    this.pos++;
    return segment;
  }

  /** A single-quoted (RFC 9535 escapes, or `''` for `'`) or double-quoted (JSON) string. */
  private quoted(): string {
    const open = this.pos;
    const quote = this.text[open]!;
    if (quote === '"') {
      let i = open + 1;
      while (i < this.text.length && this.text[i] !== '"') i += this.text[i] === "\\" ? 2 : 1;
      if (i >= this.text.length) fail('unterminated string: missing the closing `"`', open);
      try {
        const value = JSON.parse(this.text.slice(open, i + 1)) as string;
        this.pos = i + 1;
        return value;
      } catch (error) {
        return fail(`invalid double-quoted string: ${(error as Error).message}`, open);
      }
    }
    let value = "";
    let i = open + 1;
    for (;;) {
      const ch = this.text[i];
      if (ch === undefined) fail("unterminated string: missing the closing `'`", open);
      if (ch === "'") {
        if (this.text[i + 1] !== "'") break;
        value += "'";
        i += 2;
      } else if (ch === "\\") {
        const next = this.text[i + 1] ?? "";
        if (next === "u" && /^[0-9A-Fa-f]{4}$/.test(this.text.slice(i + 2, i + 6))) {
          value += String.fromCharCode(parseInt(this.text.slice(i + 2, i + 6), 16));
          i += 6;
        } else if (RFC_ESCAPES[next] !== undefined) {
          value += RFC_ESCAPES[next];
          i += 2;
        } else {
          fail(`invalid escape \`\\${next}\` in a string`, i);
        }
      } else {
        value += ch;
        i++;
      }
    }
    this.pos = i + 1;
    return value;
  }

  private number(): LenientOperand {
    const start = this.pos;
    JSON_NUMBER.lastIndex = start;
    const match = JSON_NUMBER.exec(this.text);
    const end = start + (match?.[0].length ?? 0);
    if (!match || /[A-Za-z0-9_.$]/.test(this.text[end] ?? "")) {
      let tokenEnd = end;
      while (tokenEnd < this.text.length && /[A-Za-z0-9_.$+-]/.test(this.text[tokenEnd]!)) tokenEnd++;
      fail(`invalid number \`${this.text.slice(start, Math.max(tokenEnd, start + 1))}\`; numbers use JSON syntax (e.g. 200, -1.5, 1e3)`, start);
    }
    const value = Number(match[0]);
    if (!Number.isFinite(value)) fail(`number \`${match[0]}\` is out of range`, start);
    this.pos = end;
    return { kind: "literal", value, raw: match[0], start, end };
  }

  private keyword(): LenientOperand {
    const start = this.pos;
    while (this.pos < this.text.length && /[A-Za-z0-9_]/.test(this.text[this.pos]!)) this.pos++;
    const word = this.text.slice(start, this.pos);
    const values: Record<string, boolean | null> = { true: true, false: false, null: null };
    if (!(word in values)) {
      fail(`unexpected \`${word}\`; expected \`true\`, \`false\`, \`null\`, a number, a string, a \`$.\` path or a runtime expression`, start);
    }
    return { kind: "literal", value: values[word]!, raw: word, start, end: this.pos };
  }

  /** A keyword operator (`in`) followed by whitespace or `[`. */
  private acceptWord(word: string): boolean {
    this.skipWhitespace();
    if (!this.text.startsWith(word, this.pos) || /[A-Za-z0-9_]/.test(this.text[this.pos + word.length] ?? "")) return false;
    this.pos += word.length;
    return true;
  }
}
