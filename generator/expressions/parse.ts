/**
 * Parser for Arazzo runtime expressions (Arazzo 1.0.1 §"Runtime Expressions", ABNF `expression`),
 * plus `scanExpression`, which finds where an unbraced expression ends inside a longer text
 * (templates, conditions).
 *
 * Stricter than the ABNF's `name = *( CHAR )` where that gives better diagnostics: names may
 * not be empty and may not contain whitespace, `{`, `}`, `[` or `]` (the braces delimit
 * embedded expressions; brackets are condition accessors, values index with `#/0`).
 */
import type { JsonPointer, MessageSource, NamedValue, ParseResult, ParsedExpression, RuntimeExpression } from "./ast.ts";
import { parseJsonPointer } from "./json-pointer.ts";
import { closest } from "../shared/suggest.ts";
import { fail, parseResult } from "./scanner.ts";

/** Every root, in the order the spec lists them; the ones ending in `.` take a suffix. */
export const EXPRESSION_ROOTS = [
  "$url",
  "$method",
  "$statusCode",
  "$request.",
  "$response.",
  "$message.",
  "$inputs.",
  "$outputs.",
  "$steps.",
  "$workflows.",
  "$sourceDescriptions.",
  "$components.",
] as const;

/** Fields of the Components Object that `$components.<type>.<name>` can point into. */
export const COMPONENT_TYPES = ["inputs", "parameters", "successActions", "failureActions"] as const;

/** Parses `text` as exactly one runtime expression. */
export function parseExpression(text: string): ParseResult<ParsedExpression> {
  return parseResult(() => ({ text, expression: new ExpressionParser(text).parse() }));
}

/**
 * Finds the end (exclusive) of an unbraced expression starting at `text[start]` (normally `$`):
 * it runs up to whitespace, a character for which `stopAt` is true, or the end of `text`.
 * Trailing dots are left out (no name ends in `.`), so `"see $inputs.url."` ends before
 * the full stop. A JSON pointer after `#` is scanned by the same rule, so pointer tokens
 * containing whitespace or stop characters need the braced `{$...}` form.
 */
export function scanExpression(text: string, start: number, stopAt: (ch: string) => boolean): { end: number } {
  let end = start;
  while (end < text.length) {
    const ch = text[end]!;
    if (isWhitespace(ch) || (end > start && stopAt(ch))) break;
    end++;
  }
  while (end > start + 1 && text[end - 1] === ".") end--;
  return { end };
}

/**
 * The root of an expression-looking text at `start` if it is one of the spec's roots
 * (`"$url"`, `"$inputs."`, ...), checked case-sensitively; else `undefined`.
 * `$url`, `$method`, `$statusCode` must not be followed by a letter (`$urls` is no root).
 */
export function knownRootAt(text: string, start: number): (typeof EXPRESSION_ROOTS)[number] | undefined {
  if (text[start] !== "$") return undefined;
  const word = readLetters(text, start + 1);
  const dotted = text[start + 1 + word.length] === ".";
  return EXPRESSION_ROOTS.find((root) => (root.endsWith(".") ? dotted && root === `$${word}.` : root === `$${word}`));
}

const TCHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]$/;

class ExpressionParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parse(): RuntimeExpression {
    if (!this.text.startsWith("$")) fail("a runtime expression must start with `$`", 0);
    this.pos = 1;
    const root = readLetters(this.text, 1);
    this.pos += root.length;
    switch (root) {
      case "url":
      case "method":
      case "statusCode":
        this.expectEnd();
        return { kind: root };
      case "request":
      case "response":
        this.expectDot("`.header.<name>`, `.query.<name>`, `.path.<name>` or `.body`");
        return { kind: root, source: this.messageSource(root) };
      case "message":
        this.expectDot("`.header.<name>` or `.payload`");
        return { kind: "message", source: this.asyncMessageSource() };
      case "inputs":
      case "outputs":
        this.expectDot(`\`.<name>\``);
        return { kind: root, ...this.namedValue() };
      case "steps":
        return this.steps();
      case "workflows":
        return this.workflows();
      case "sourceDescriptions":
        return this.sourceDescriptions();
      case "components":
        return this.components();
      default:
        return fail(unknownRootMessage(`$${root}`), 0);
    }
  }

  private messageSource(root: "request" | "response"): MessageSource {
    const start = this.pos;
    const word = readLetters(this.text, start);
    this.pos += word.length;
    switch (word) {
      case "header":
      case "headers": {
        this.expectDot("`.<header-name>`");
        const nameStart = this.pos;
        const name = this.rest();
        if (name === "") fail(`expected a header name after \`${this.consumed()}\``, nameStart);
        for (let i = 0; i < name.length; i++) {
          if (!TCHAR.test(name[i]!)) {
            fail(`invalid character \`${name[i]}\` in header name: header names are HTTP tokens`, nameStart + i);
          }
        }
        return word === "headers" ? { in: "header", name, plural: true } : { in: "header", name };
      }
      case "query":
      case "path": {
        this.expectDot(`\`.<${word}-parameter-name>\``);
        const nameStart = this.pos;
        const name = this.rest();
        if (name === "") fail(`expected a parameter name after \`${this.consumed()}\``, nameStart);
        this.checkNameChars(nameStart, this.text.length, "a parameter name", true);
        return { in: word, name };
      }
      case "body":
        return this.bodySource();
      default: {
        const got = this.segmentAt(start);
        const what = got === "" ? "a message part" : `\`${got}\``;
        return fail(`unknown ${root} source ${what}; expected \`header.\`, \`query.\`, \`path.\` or \`body\``, start);
      }
    }
  }

  /** Arazzo 1.1 `$message.header.<name>` or `$message.payload[#pointer]` (the payload read as a body). */
  private asyncMessageSource(): Extract<RuntimeExpression, { kind: "message" }>["source"] {
    const start = this.pos;
    const word = readLetters(this.text, start);
    if (word === "header" || word === "headers") return this.messageSource("response") as { in: "header"; name: string; plural?: true };
    if (word === "payload") {
      this.pos += word.length;
      return this.bodySource();
    }
    const got = this.segmentAt(start);
    return fail(`unknown message part ${got === "" ? "" : `\`${got}\``}; expected \`header.\` or \`payload\``, start);
  }

  private steps(): RuntimeExpression {
    this.expectDot("`.<stepId>.outputs.<name>`");
    const stepId = this.id("step id");
    if (this.pos >= this.text.length) {
      fail(`\`${this.text}\` must continue with \`.outputs.<name>\`: steps only expose \`outputs\``, this.pos);
    }
    this.expectDot("`.outputs.<name>`");
    const fieldStart = this.pos;
    const field = this.segmentAt(fieldStart);
    // `$steps.<id>.outptus.<name>`: a misspelt `outputs`, not an output of that name.
    if (field !== "outputs" && this.text[fieldStart + field.length] === "." && closest(field, ["outputs"])) {
      const fixed = `${this.text.slice(0, fieldStart)}outputs${this.text.slice(fieldStart + field.length)}`;
      fail(`steps only expose \`outputs\`, not \`${field}\` (did you mean \`${fixed}\`?)`, fieldStart);
    }
    // `$steps.<id>.<name>` (other runners write it so): the output `<name>`, if the step has one.
    if (field !== "outputs") return { kind: "steps", stepId, field: "outputs", bare: true, ...this.namedValue() };
    this.pos += field.length;
    this.expectDot("`.<output-name>`");
    return { kind: "steps", stepId, field, ...this.namedValue() };
  }

  private workflows(): RuntimeExpression {
    this.expectDot("`.<workflowId>.inputs.<name>` or `.<workflowId>.outputs.<name>`");
    const workflowId = this.id("workflow id");
    if (this.pos >= this.text.length) {
      fail(`\`${this.text}\` must continue with \`.inputs.<name>\` or \`.outputs.<name>\``, this.pos);
    }
    this.expectDot("`.inputs.<name>` or `.outputs.<name>`");
    const fieldStart = this.pos;
    const field = this.segmentAt(fieldStart);
    if (field !== "inputs" && field !== "outputs") {
      fail(`workflows only expose \`inputs\` and \`outputs\`, not \`${field}\``, fieldStart);
    }
    this.pos += field.length;
    this.expectDot("`.<name>`");
    return { kind: "workflows", workflowId, field, ...this.namedValue() };
  }

  private sourceDescriptions(): RuntimeExpression {
    this.expectDot("`.<name>.<reference>`");
    const name = this.id("source description name");
    let reference = "";
    if (this.pos < this.text.length) {
      this.expectDot("`.<reference>`");
      const start = this.pos;
      reference = this.rest();
      this.checkNameChars(start, this.text.length, "a source description reference", true);
    }
    return { kind: "sourceDescriptions", name, reference };
  }

  private components(): RuntimeExpression {
    this.expectDot("`.<type>.<name>`");
    const typeStart = this.pos;
    const type = this.id("component type");
    if (!(COMPONENT_TYPES as readonly string[]).includes(type)) {
      const known = COMPONENT_TYPES.map((t) => `\`${t}\``).join(", ");
      fail(`unknown component type \`${type}\`; expected one of ${known}`, typeStart);
    }
    this.expectDot("`.<name>`");
    return { kind: "components", type, ...this.namedValue() };
  }

  /** `name(.segment)*(#pointer)?` up to the end of the text. */
  private namedValue(): NamedValue {
    const hash = this.text.indexOf("#", this.pos);
    const namesEnd = hash < 0 ? this.text.length : hash;
    const segments: string[] = [];
    let start = this.pos;
    for (;;) {
      const dot = this.text.indexOf(".", start);
      const end = dot < 0 || dot > namesEnd ? namesEnd : dot;
      if (end === start) {
        const message =
          segments.length === 0 ? `expected a name after \`${this.text.slice(0, start)}\`` : `empty name segment after \`${this.text.slice(0, start)}\``;
        fail(message, start);
      }
      this.checkNameChars(start, end, "a name", false);
      segments.push(this.text.slice(start, end));
      if (end === namesEnd) break;
      start = end + 1;
    }
    this.pos = namesEnd;
    const pointer = this.optionalPointer("`.<name>` or `#` and a JSON pointer");
    const [name, ...path] = segments as [string, ...string[]];
    return { name, path, pointer };
  }

  /** An optional `#json-pointer` that must run to the end of the text. */
  /** After `body` / `payload`: `#/json/pointer`, nothing, or (lenient) `.a.b`, read as `#/a/b`. */
  private bodySource(): { in: "body"; pointer: JsonPointer; dotted?: true } {
    if (this.text[this.pos] === "." && /^\.[A-Za-z_$]/.test(this.text.slice(this.pos))) {
      const start = this.pos + 1;
      const tokens = this.text.slice(start).split(".");
      if (tokens.some((t) => t === "" || /[\s#{}[\]]/.test(t)))
        fail(`\`${this.text.slice(this.pos)}\` is not a path: write a JSON pointer after \`#\``, this.pos);
      this.pos = this.text.length;
      return { in: "body", pointer: tokens, dotted: true };
    }
    return { in: "body", pointer: this.optionalPointer("`#` and a JSON pointer") };
  }

  private optionalPointer(expected: string): JsonPointer {
    if (this.pos >= this.text.length) return [];
    if (this.text[this.pos] !== "#") {
      fail(`unexpected \`${this.text.slice(this.pos)}\` after \`${this.consumed()}\`; expected ${expected}`, this.pos);
    }
    const pointerStart = this.pos + 1;
    const parsed = parseJsonPointer(this.text.slice(pointerStart));
    if (!parsed.ok) fail(parsed.error.message, pointerStart + parsed.error.offset);
    this.pos = this.text.length;
    return parsed.value;
  }

  /** A step id, workflow id, etc.: a non-empty segment up to the next `.` (or the end). */
  private id(what: string): string {
    const start = this.pos;
    const id = this.segmentAt(start, true);
    if (id === "") fail(`expected a ${what} after \`${this.consumed()}\``, start);
    this.checkNameChars(start, start + id.length, `a ${what}`, true);
    this.pos += id.length;
    return id;
  }

  /** Text from `start` up to the next `.` (and `#` unless `hashIsPart`), or the end. */
  private segmentAt(start: number, hashIsPart = false): string {
    let end = start;
    while (end < this.text.length && this.text[end] !== "." && (hashIsPart || this.text[end] !== "#")) end++;
    return this.text.slice(start, end);
  }

  private checkNameChars(start: number, end: number, what: string, rejectHash: boolean): void {
    for (let i = start; i < end; i++) {
      const ch = this.text[i]!;
      if (isWhitespace(ch) || ch < " ") fail(`unexpected whitespace or control character in ${what}`, i);
      if (ch === "[" || ch === "]") {
        fail(`\`${ch}\` is not allowed in ${what}; index into a value with a JSON pointer instead (\`#/0\`)`, i);
      }
      if (ch === "{" || ch === "}") fail(`\`${ch}\` is not allowed in ${what}`, i);
      if (rejectHash && ch === "#") fail(`\`#\` is not allowed in ${what}: only \`body\` and named values take a JSON pointer`, i);
    }
  }

  private expectDot(expected: string): void {
    if (this.text[this.pos] !== ".") {
      const got = this.pos >= this.text.length ? "" : `, got \`${this.text[this.pos]}\``;
      fail(`\`${this.consumed()}\` must be followed by ${expected}${got}`, this.pos);
    }
    this.pos++;
  }

  private expectEnd(): void {
    if (this.pos < this.text.length) {
      fail(`unexpected \`${this.text.slice(this.pos)}\` after \`${this.consumed()}\``, this.pos);
    }
  }

  private rest(): string {
    const rest = this.text.slice(this.pos);
    this.pos = this.text.length;
    return rest;
  }

  private consumed(): string {
    return this.text.slice(0, this.pos);
  }
}

function unknownRootMessage(root: string): string {
  const names = EXPRESSION_ROOTS.map((r) => r.replace(/\.$/, ""));
  const caseless = names.find((r) => r.toLowerCase() === root.toLowerCase());
  const close = root.length > 4 ? closest(root, names) : undefined;
  const hint = caseless ? ` (roots are case-sensitive: did you mean \`${caseless}\`?)` : close ? ` (did you mean \`${close}\`?)` : "";
  return `unknown runtime expression root \`${root}\`; expected one of ${EXPRESSION_ROOTS.join(", ")}${hint}`;
}

function readLetters(text: string, start: number): string {
  let end = start;
  while (end < text.length && /[A-Za-z]/.test(text[end]!)) end++;
  return text.slice(start, end);
}

function isWhitespace(ch: string): boolean {
  return /\s/.test(ch);
}
