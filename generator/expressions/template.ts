/**
 * Reads a string value from an Arazzo document as a whole runtime expression, a template with
 * embedded expressions, or literal text (Arazzo 1.0.1 §"Runtime Expressions": "Expressions can
 * be embedded into string values by surrounding the expression with `{}` curly braces").
 *
 * Beyond the spec, a bare expression with a known root inside a longer string
 * (`"Bearer $inputs.token"`) is accepted as an unbraced part (`braced: false`), ended by
 * whitespace, one of `"',;)}]`, or the end of the string.
 */
import type { ParseResult, TemplatePart, ValueSyntax } from "./ast.ts";
import { EXPRESSION_ROOTS, knownRootAt, parseExpression, scanExpression } from "./parse.ts";

const BARE_STOP = new Set(['"', "'", ",", ";", ")", "}", "]"]);
const isBareStop = (ch: string): boolean => BARE_STOP.has(ch);

export function parseValueSyntax(text: string): ParseResult<ValueSyntax> {
  if (text.startsWith("$")) {
    const whole = parseExpression(text);
    if (whole.ok) return { ok: true, value: { kind: "expression", parsed: whole.value } };
    // `$steps.a.b` (one token, expression root) is a broken expression, not text; `$5` is text.
    if (hasRootWord(text) && scanExpression(text, 0, isBareStop).end === text.length) return whole;
  }

  const parts: TemplatePart[] = [];
  let textStart = 0;
  const flushText = (upTo: number): void => {
    if (upTo > textStart) parts.push({ kind: "text", value: text.slice(textStart, upTo) });
  };

  let i = 0;
  while (i < text.length) {
    if (text[i] === "{" && text[i + 1] === "$") {
      const close = matchingBrace(text, i);
      if (close < 0) return fail("unterminated `{$`: missing the closing `}`", i);
      const parsed = parseExpression(text.slice(i + 1, close));
      if (!parsed.ok) return fail(parsed.error.message, i + 1 + parsed.error.offset);
      flushText(i);
      parts.push({ kind: "expression", parsed: parsed.value, braced: true, start: i, end: close + 1 });
      i = textStart = close + 1;
    } else if (knownRootAt(text, i) !== undefined) {
      const { end } = scanExpression(text, i, isBareStop);
      const parsed = parseExpression(text.slice(i, end));
      if (!parsed.ok) return fail(parsed.error.message, i + parsed.error.offset);
      flushText(i);
      parts.push({ kind: "expression", parsed: parsed.value, braced: false, start: i, end });
      i = textStart = end;
    } else {
      i++;
    }
  }
  if (parts.length === 0) return { ok: true, value: { kind: "literal", value: text } };
  flushText(text.length);
  return { ok: true, value: { kind: "template", parts } };
}

/** Index of the `}` closing the `{` at `open` (nested braces counted), or -1. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

/** `$` followed by a root name in any letter case (`$Inputs` is a typo, not text). */
function hasRootWord(text: string): boolean {
  const word = /^\$([A-Za-z]*)/.exec(text)?.[1]?.toLowerCase() ?? "";
  return EXPRESSION_ROOTS.some((root) => root.slice(1).replace(/\.$/, "").toLowerCase() === word);
}

function fail(message: string, offset: number): ParseResult<never> {
  return { ok: false, error: { message, offset } };
}
