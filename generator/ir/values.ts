/**
 * Turns raw values from the document (parameter values, request payloads) into
 * `ValueModel`s: strings are read as runtime expressions, templates or literal text
 * (Arazzo 1.0.1 §"Runtime Expressions": "Expressions can be embedded into string values
 * by surrounding the expression with {} curly braces").
 */
import type { DiagnosticBag, SourceLocation } from "../diagnostics.ts";
import type { ParsedExpression } from "../expressions/ast.ts";
import { EXPRESSION_ROOTS } from "../expressions/parse.ts";
import { parseValueSyntax } from "../expressions/template.ts";
import { closest } from "../shared/suggest.ts";
import type { DataPath, LoadedDocument } from "../load/document.ts";
import type { ValueModel } from "./types.ts";

/**
 * Deepest nesting a value may have. The TypeScript checker fails on object literals nested
 * about a hundred levels deep (an internal assertion, not a diagnostic); well before that,
 * such a payload is a mistake.
 */
export const MAX_VALUE_DEPTH = 64;

export function toValueModel(raw: unknown, doc: LoadedDocument, at: DataPath, diagnostics: DiagnosticBag, depth = 0): ValueModel {
  const location = doc.locate(at);
  if (depth > MAX_VALUE_DEPTH) {
    diagnostics.error("too-deep", `the value nests more than ${MAX_VALUE_DEPTH} levels deep`, location, "flatten it, or send it from an input");
    return { kind: "literal", value: null, location };
  }
  if (raw === null || typeof raw === "boolean" || typeof raw === "number") return { kind: "literal", value: raw, location };
  if (typeof raw === "string") return stringValue(raw, location, diagnostics);
  if (Array.isArray(raw)) {
    return { kind: "array", items: raw.map((item, i) => toValueModel(item, doc, [...at, i], diagnostics, depth + 1)), location };
  }
  if (typeof raw === "object") {
    return {
      kind: "object",
      entries: Object.entries(raw as Record<string, unknown>).map(
        ([key, value]) => [key, toValueModel(value, doc, [...at, key], diagnostics, depth + 1)] as const,
      ),
      location,
    };
  }
  return { kind: "literal", value: null, location };
}

function stringValue(text: string, location: SourceLocation, diagnostics: DiagnosticBag): ValueModel {
  const misspelt = misspeltRoot(text);
  if (misspelt) {
    const meant = `${text.slice(0, misspelt.at)}${misspelt.meant}${text.slice(misspelt.at + misspelt.written.length)}`;
    diagnostics.error(
      "invalid-expression",
      `\`${misspelt.written}\` is no runtime expression root, so ${JSON.stringify(text)} would be sent as text`,
      location,
      `did you mean \`${misspelt.meant}\`? (write ${JSON.stringify(meant)})`,
    );
    // Read on as meant (nothing is generated after an error): the inputs and steps it names
    // are then used, and any other mistake in it is reported too.
    return stringValue(meant, location, diagnostics);
  }
  const syntax = parseValueSyntax(text);
  if (!syntax.ok) {
    diagnostics.error("invalid-expression", `${syntax.error.message} (in ${JSON.stringify(text)} at character ${syntax.error.offset + 1})`, location);
    return { kind: "literal", value: text, location };
  }
  const value = syntax.value;
  if (value.kind === "literal") return { kind: "literal", value: value.value, location };
  if (value.kind === "expression") return { kind: "expression", parsed: value.parsed, location };
  // A string that is nothing but one `{$expression}` is that expression's value, type kept.
  const only = value.parts.length === 1 ? value.parts[0] : undefined;
  if (only?.kind === "expression" && only.braced) return { kind: "expression", parsed: only.parsed, location };
  for (const part of value.parts) {
    if (part.kind === "expression" && !part.braced) {
      diagnostics.warning(
        "unbraced-expression",
        `runtime expression \`${part.parsed.text}\` is embedded in a string without braces; the spec reads that as literal text, arazzo-ts evaluates it`,
        location,
        `write ${JSON.stringify(`${text.slice(0, part.start)}{${part.parsed.text}}${text.slice(part.end)}`)}`,
      );
    }
  }
  return { kind: "template", parts: value.parts, location };
}

/** Expression roots without their `$` and trailing `.`: `inputs`, `steps`, `statusCode`... */
const ROOT_NAMES = EXPRESSION_ROOTS.map((r) => r.slice(1).replace(/\.$/, ""));

/**
 * A `$` and a word close to an expression root, where an expression would start (`$input.id`,
 * `{$step.a.outputs.b}`, `$respone.body`): a misspelt expression, which would be sent as text.
 */
function misspeltRoot(text: string): { written: string; meant: string; at: number } | undefined {
  // A dotted root (`$inputs.`) needs its dot; `$url`, `$method`, `$statusCode` must be the whole
  // value. Short words are left alone (`$USD` is a price, not `$url`).
  const dotted = [...text.matchAll(/(?:^|[\s{(])\$([A-Za-z]{4,})(?=[.#])/g)].map((m) => ({ word: m[1]!, at: m.index + m[0].indexOf("$") }));
  const whole = /^\$([A-Za-z]{5,})$/.exec(text)?.[1];
  for (const { word, at } of [...dotted, ...(whole ? [{ word: whole, at: 0 }] : [])]) {
    if (ROOT_NAMES.includes(word)) continue;
    const close = closest(word, ROOT_NAMES);
    if (close) return { written: `$${word}`, meant: `$${close}`, at };
  }
  return undefined;
}

/**
 * A request payload. A JSON request body written as a string of JSON (as the official
 * bnpl example does, with `{$…}` inside its string values) is read as the JSON it spells,
 * with a warning: sending the text as a JSON string would not be what the author meant.
 */
export function payloadModel(raw: unknown, contentType: string, doc: LoadedDocument, at: DataPath, diagnostics: DiagnosticBag): ValueModel {
  if (typeof raw === "string" && /\bjson\b/i.test(contentType) && /^\s*[[{]/.test(raw)) {
    try {
      const parsed: unknown = JSON.parse(raw);
      diagnostics.warning(
        "json-string-payload",
        "the payload is a string of JSON; it is sent as the JSON value it spells, not as a string",
        doc.locate(at),
        "write the payload as YAML/JSON structure instead of a string",
      );
      return toValueModel(parsed, detached(doc, at), [], diagnostics);
    } catch {
      // not JSON after all: a string payload
    }
  }
  return toValueModel(raw, doc, at, diagnostics);
}

/** Positions inside a parsed JSON string all point at the string in the document. */
function detached(doc: LoadedDocument, at: DataPath): LoadedDocument {
  const location = doc.locate(at);
  return { ...doc, locate: () => location };
}

/** Every expression in a value, with the JSON Pointer (into the value) where it sits whole. */
export function* expressionsIn(
  value: ValueModel,
  at: readonly string[] = [],
): Generator<{ value: Extract<ValueModel, { kind: "expression" | "template" }>; pointer: readonly string[] }> {
  switch (value.kind) {
    case "expression":
    case "template":
      yield { value, pointer: at };
      return;
    case "object":
      for (const [key, item] of value.entries) yield* expressionsIn(item, [...at, key]);
      return;
    case "array":
      for (const [i, item] of value.items.entries()) yield* expressionsIn(item, [...at, String(i)]);
      return;
  }
}

/** Every runtime expression a value reads, embedded ones included, with where it is written. */
export function* parsedExpressionsIn(value: ValueModel): Generator<{ parsed: ParsedExpression; location: SourceLocation }> {
  for (const { value: v } of expressionsIn(value)) {
    if (v.kind === "expression") yield { parsed: v.parsed, location: v.location };
    else for (const p of v.parts) if (p.kind === "expression") yield { parsed: p.parsed, location: v.location };
  }
}

/**
 * Applies Payload Replacement Objects (Arazzo 1.0.1 §"Payload Replacement Object"):
 * sets `value` at the JSON Pointer `target`, creating the last property if absent.
 * Returns an error message when the target cannot be reached.
 */
export function replaceAt(payload: ValueModel, target: readonly string[], value: ValueModel): ValueModel | string {
  if (target.length === 0) return value;
  const [head, ...rest] = target as [string, ...string[]];
  if (payload.kind === "object") {
    const existing = payload.entries.find(([key]) => key === head);
    if (!existing && rest.length > 0) return `property ${JSON.stringify(head)} does not exist in the payload`;
    const replaced = existing ? replaceAt(existing[1], rest, value) : value;
    if (typeof replaced === "string") return replaced;
    const entries = existing ? payload.entries.map(([key, v]) => [key, key === head ? replaced : v] as const) : [...payload.entries, [head, replaced] as const];
    return { kind: "object", entries, location: payload.location };
  }
  if (payload.kind === "array" && /^(0|[1-9]\d*)$/.test(head) && Number(head) < payload.items.length) {
    const replaced = replaceAt(payload.items[Number(head)]!, rest, value);
    if (typeof replaced === "string") return replaced;
    return { kind: "array", items: payload.items.map((v, i) => (i === Number(head) ? replaced : v)), location: payload.location };
  }
  return `${JSON.stringify(head)} cannot be reached in the payload`;
}
