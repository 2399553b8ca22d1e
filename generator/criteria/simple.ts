/**
 * Parser for "simple" criterion conditions (Arazzo 1.0.1 §"Criterion Object": Literals and
 * Operators), e.g. `$statusCode == 200 || $statusCode == 201`.
 *
 * Grammar, loosest to tightest binding:
 *   or         = and *( "||" and )
 *   and        = comparison *( "&&" comparison )
 *   comparison = unary [ ( "==" / "!=" / "<" / "<=" / ">" / ">=" ) unary ]   ; non-associative
 *   unary      = "!" unary / primary
 *   primary    = "(" or ")" / literal / expression *accessor
 *   literal    = "true" / "false" / "null" / JSON number / "'" *( char / "''" ) "'"
 *              / JSON string                          ; lenient: reported by the caller
 *   accessor   = "[" index "]" [ *( "." property ) ]    ; only on expressions without `#/pointer`
 * A runtime expression operand ends at whitespace or one of `=!<>&|()[]`.
 */
import type { ConditionNode, ParsedExpression, ParseResult } from "../expressions/ast.ts";
import { parseExpression, scanExpression } from "../expressions/parse.ts";
import { ConditionScanner, fail, parseResult } from "../expressions/scanner.ts";

type ComparisonOperator = "==" | "!=" | "<" | "<=" | ">" | ">=";

const EXPRESSION_STOP = new Set(["=", "!", "<", ">", "&", "|", "(", ")", "[", "]"]);
const PROPERTY_STOP = new Set([...EXPRESSION_STOP, "."]);
const COMPARISON_OPERATORS: readonly ComparisonOperator[] = ["==", "!=", "<=", ">=", "<", ">"];
const JSON_NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

export function parseCondition(text: string): ParseResult<ConditionNode> {
  const parsed = parseConditionNoting(text);
  return parsed.ok ? { ok: true, value: parsed.value.condition } : parsed;
}

/** A double-quoted string in a condition: offsets of its quotes (`end` exclusive) and its value. */
export interface DoubleQuotedString {
  readonly start: number;
  readonly end: number;
  readonly value: string;
}

/**
 * `parseCondition`, also listing the double-quoted strings it read. The spec's strings use
 * single quotes; `"active"` (JSON escapes) has one plain meaning, so it is read and the
 * caller warns, showing `singleQuoted`.
 */
export function parseConditionNoting(text: string): ParseResult<{ condition: ConditionNode; doubleQuoted: readonly DoubleQuotedString[] }> {
  return parseResult(() => {
    const parser = new ConditionParser(text);
    return { condition: parser.parse(), doubleQuoted: parser.doubleQuoted };
  });
}

/** `text` with each double-quoted string written in single quotes (`''` for a literal `'`). */
export function singleQuoted(text: string, strings: readonly DoubleQuotedString[]): string {
  let out = "";
  let from = 0;
  for (const s of strings) {
    out += `${text.slice(from, s.start)}'${s.value.replace(/'/g, "''")}'`;
    from = s.end;
  }
  return out + text.slice(from);
}

class ConditionParser extends ConditionScanner {
  readonly doubleQuoted: DoubleQuotedString[] = [];

  parse(): ConditionNode {
    this.skipWhitespace();
    if (this.pos >= this.text.length) fail("empty condition", 0);
    const node = this.or();
    this.skipWhitespace();
    if (this.pos < this.text.length) this.unexpected("an operator or the end of the condition");
    return node;
  }

  private or(): ConditionNode {
    let left = this.and();
    while (this.accept("||")) left = { kind: "binary", operator: "||", left, right: this.and() };
    return left;
  }

  private and(): ConditionNode {
    let left = this.comparison();
    while (this.accept("&&")) left = { kind: "binary", operator: "&&", left, right: this.comparison() };
    return left;
  }

  private comparison(): ConditionNode {
    const left = this.unary();
    const operator = this.comparisonOperator();
    if (operator === undefined) return left;
    const node: ConditionNode = { kind: "binary", operator, left, right: this.unary() };
    this.skipWhitespace();
    const again = this.pos;
    if (this.comparisonOperator() !== undefined) {
      fail("comparison operators cannot be chained; use parentheses and `&&`/`||`", again);
    }
    return node;
  }

  private comparisonOperator(): ComparisonOperator | undefined {
    this.skipWhitespace();
    return COMPARISON_OPERATORS.find((op) => this.accept(op));
  }

  private unary(): ConditionNode {
    this.skipWhitespace();
    if (this.text[this.pos] === "!" && this.text[this.pos + 1] !== "=") {
      this.pos++;
      return { kind: "not", operand: this.unary() };
    }
    return this.primary();
  }

  private primary(): ConditionNode {
    this.skipWhitespace();
    const start = this.pos;
    const ch = this.text[start];
    if (ch === undefined) fail("expected an operand at the end of the condition", start);
    if (ch === "(") {
      this.pos++;
      const inner = this.or();
      this.skipWhitespace();
      if (this.text[this.pos] !== ")") {
        fail(`missing \`)\` to close the \`(\` at offset ${start}`, this.pos);
      }
      this.pos++;
      return inner;
    }
    if (ch === "$") return this.expression();
    if (ch === "'") return { kind: "literal", value: this.string() };
    if (ch === '"') return { kind: "literal", value: this.doubleQuotedString() };
    if (ch === "-" || isDigit(ch)) return { kind: "literal", value: this.number() };
    if (/[A-Za-z_]/.test(ch)) return { kind: "literal", value: this.keyword() };
    return this.unexpected("an operand (a runtime expression, literal or `(`)");
  }

  private expression(): ConditionNode {
    const start = this.pos;
    const next = this.text[start + 1];
    if (next === "." || next === "[") {
      fail("`$.` and `$[` start a JSONPath query, not a runtime expression; use `type: jsonpath` with a `context`", start);
    }
    const { end } = scanExpression(this.text, start, (c) => EXPRESSION_STOP.has(c));
    const parsed = parseExpression(this.text.slice(start, end));
    if (!parsed.ok) fail(parsed.error.message, start + parsed.error.offset);
    this.pos = end;
    return { kind: "expression", parsed: parsed.value, accessors: this.accessors(parsed.value) };
  }

  /** `[0]`, then `.prop` or `[1]`, directly after an expression (no whitespace). */
  private accessors(parsed: ParsedExpression): (string | number)[] {
    const accessors: (string | number)[] = [];
    while (this.text[this.pos] === "[" || (accessors.length > 0 && this.text[this.pos] === ".")) {
      if (accessors.length === 0 && hasPointer(parsed)) {
        fail("an expression with a JSON pointer cannot be indexed with `[]`; extend the pointer instead (`#/items/0`)", this.pos);
      }
      if (this.text[this.pos] === "[") accessors.push(this.index());
      else accessors.push(this.property());
    }
    return accessors;
  }

  private index(): number {
    this.pos++;
    const digits = /[0-9]+/y;
    digits.lastIndex = this.pos;
    const match = digits.exec(this.text);
    if (!match || this.text[this.pos + match[0].length] !== "]") {
      fail("an index must be a non-negative integer in brackets, e.g. `[0]`", match ? this.pos + match[0].length : this.pos);
    }
    if (match[0].length > 1 && match[0].startsWith("0")) fail("an index must not have leading zeros", this.pos);
    this.pos += match[0].length + 1;
    return Number(match[0]);
  }

  private property(): string {
    const start = ++this.pos;
    while (this.pos < this.text.length && !/\s/.test(this.text[this.pos]!) && !PROPERTY_STOP.has(this.text[this.pos]!)) {
      this.pos++;
    }
    if (this.pos === start) fail("expected a property name after `.`", start);
    return this.text.slice(start, this.pos);
  }

  private string(): string {
    const open = this.pos++;
    let value = "";
    for (;;) {
      const quote = this.text.indexOf("'", this.pos);
      if (quote < 0) fail("unterminated string: missing the closing `'`", open);
      value += this.text.slice(this.pos, quote);
      this.pos = quote + 1;
      if (this.text[this.pos] !== "'") return value;
      value += "'";
      this.pos++;
    }
  }

  /** A JSON string; recorded so the caller can warn. */
  private doubleQuotedString(): string {
    const start = this.pos;
    let end = start + 1;
    while (end < this.text.length && this.text[end] !== '"') end += this.text[end] === "\\" ? 2 : 1;
    if (end >= this.text.length) fail('unterminated string: missing the closing `"`', start);
    let value: string;
    try {
      value = JSON.parse(this.text.slice(start, end + 1)) as string;
    } catch (error) {
      return fail(`invalid double-quoted string (JSON syntax): ${(error as Error).message}; strings use single quotes ('...')`, start);
    }
    this.pos = end + 1;
    this.doubleQuoted.push({ start, end: this.pos, value });
    return value;
  }

  private number(): number {
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
    return value;
  }

  private keyword(): boolean | null {
    const start = this.pos;
    while (this.pos < this.text.length && /[A-Za-z0-9_]/.test(this.text[this.pos]!)) this.pos++;
    const word = this.text.slice(start, this.pos);
    if (word === "true") return true;
    if (word === "false") return false;
    if (word === "null") return null;
    return fail(`unexpected \`${word}\`; expected \`true\`, \`false\`, \`null\`, a number, a 'string' or a runtime expression`, start);
  }
}

function hasPointer({ expression: e }: ParsedExpression): boolean {
  if (e.kind === "request" || e.kind === "response") return e.source.in === "body" && e.source.pointer.length > 0;
  return "pointer" in e && e.pointer.length > 0;
}

function isDigit(ch: string): boolean {
  return ch >= "0" && ch <= "9";
}
