/**
 * JSON Pointer (RFC 6901) parsing, formatting and evaluation, as used by the `#/...`
 * suffix of Arazzo runtime expressions (Arazzo 1.0.1 §"Runtime Expressions", ABNF
 * `json-pointer` / `reference-token` / `escaped`).
 */
import type { JsonPointer, ParseResult } from "./ast.ts";

/**
 * Splits and unescapes pointer text: `""` → `[]` (whole document), `"/a~1b/0"` → `["a/b", "0"]`.
 * Offsets in errors are 0-based positions in `text`.
 */
export function parseJsonPointer(text: string): ParseResult<JsonPointer> {
  if (text === "") return { ok: true, value: [] };
  if (!text.startsWith("/")) {
    return fail(`a JSON pointer must be empty or start with \`/\`, got \`${text.length > 40 ? `${text.slice(0, 40)}…` : text}\``, 0);
  }
  const tokens: string[] = [];
  let token = "";
  for (let i = 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === "/") {
      tokens.push(token);
      token = "";
    } else if (ch === "~") {
      const next = text[i + 1];
      if (next === "0") token += "~";
      else if (next === "1") token += "/";
      else {
        const got = next === undefined ? "end of pointer" : `\`~${next}\``;
        return fail(`invalid JSON pointer escape ${got}: \`~\` must be followed by \`0\` (for \`~\`) or \`1\` (for \`/\`)`, i);
      }
      i++;
    } else {
      token += ch;
    }
  }
  tokens.push(token);
  return { ok: true, value: tokens };
}

/** Inverse of `parseJsonPointer`: `["a/b", "0"]` → `"/a~1b/0"`, `[]` → `""`. */
export function formatJsonPointer(pointer: JsonPointer): string {
  return pointer.map((token) => `/${token.replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
}

/** RFC 6901 array index: `0` or a digit string without leading zeros (`-` is not an element). */
const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;

/**
 * Resolves `pointer` against `value`; `undefined` when any segment is missing.
 * Only own properties are followed, so `__proto__`/`constructor` never reach the prototype chain.
 */
export function evaluateJsonPointer(value: unknown, pointer: JsonPointer): unknown {
  let current: unknown = value;
  for (const token of pointer) {
    if (Array.isArray(current)) {
      if (!ARRAY_INDEX.test(token)) return undefined;
      const index = Number(token);
      if (index >= current.length) return undefined;
      current = current[index];
    } else if (typeof current === "object" && current !== null) {
      if (!Object.hasOwn(current, token)) return undefined;
      current = (current as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return current;
}

function fail(message: string, offset: number): ParseResult<never> {
  return { ok: false, error: { message, offset } };
}
