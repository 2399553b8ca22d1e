/**
 * Turns ids from a spec (`token-then-payment`, `mintToken`, `oauthApi`) into names that
 * are valid, readable TypeScript identifiers and file names, and escapes spec text for
 * the places it is emitted into (string literals, doc comments, line comments).
 */
import { createRequire } from "node:module";
import type ts from "typescript";

const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "as implements interface let package private protected public static yield any boolean constructor declare get " +
    "module require number set string symbol type from of await async undefined NaN Infinity arguments eval " +
    "__proto__ prototype"
  ).split(" "),
);

/**
 * Splits an id into words at anything that cannot be part of an identifier and at
 * lower→upper case changes: `getPISPayment-v2` → get, PIS, Payment, v2.
 */
function words(id: string): string[] {
  const spaced = [...id.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")]
    .map((ch) => (ch !== "_" && ch !== "$" && isIdentifierPart(ch) ? ch : " "))
    .join("");
  return spaced.split(/ +/).filter(Boolean);
}

// Identifier characters as the TypeScript compiler that checks the generated code reads
// them: Node's own Unicode tables can be newer, and a letter TypeScript does not know yet
// would not compile. ASCII is decided here; the compiler (slow to load: `arazzo-ts run` and
// `validate --no-types` need nothing else of it) is loaded for the first other character.
let compiler: typeof ts | undefined;
const typescript = () => (compiler ??= createRequire(import.meta.url)("typescript") as typeof ts);
const isIdentifierStart = (ch: string) =>
  ch.charCodeAt(0) < 0x80 ? /[A-Za-z_$]/.test(ch) : typescript().isIdentifierStart(ch.codePointAt(0)!, typescript().ScriptTarget.ES2022);
const isIdentifierPart = (ch: string) =>
  ch.charCodeAt(0) < 0x80 ? /[\w$]/.test(ch) : typescript().isIdentifierPart(ch.codePointAt(0)!, typescript().ScriptTarget.ES2022);

const capitalize = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

/** `token-then-payment` → `TokenThenPayment`. Never empty, never starts with a digit. */
export function pascalCase(id: string): string {
  const name = words(id).map(capitalize).join("");
  return /^\p{ID_Start}/u.test(name) ? name : `_${name}`;
}

/** `mint-token` → `mintToken`; reserved words get a trailing underscore (`default` → `default_`). */
export function camelCase(id: string): string {
  const [first = "", ...rest] = words(id);
  let name = first.charAt(0).toLowerCase() + first.slice(1) + rest.map(capitalize).join("");
  if (!/^[\p{ID_Start}_$]/u.test(name)) name = `_${name}`;
  return RESERVED.has(name) ? `${name}_` : name;
}

/** `oauthApi` → `oauth-api`, for file names. */
/** `PisApi` → `pisApi`: the first letter lower-cased, the rest as it is. */
export function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

export function kebabCase(id: string): string {
  return (
    words(id)
      .map((w) => w.toLowerCase())
      .join("-") || "source"
  );
}

/** Whether `name` can be written as `obj.name` / `{ name: … }` without quotes. */
export function isIdentifierName(name: string): boolean {
  const chars = [...name];
  return chars.length > 0 && isIdentifierStart(chars[0]!) && chars.every(isIdentifierPart);
}

/** A string literal that cannot break out of its quotes (JSON escaping is valid TypeScript). */
export function stringLiteral(value: string): string {
  // A backslash is written `\u005c`: ts-morph's code writer misreads `"\\"` as an open
  // string and then takes a later `/*` for a comment.
  return JSON.stringify(value)
    .replace(/\\\\/g, "\\u005c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** A property key: bare when it is an identifier, quoted otherwise. */
export function propertyKey(name: string): string {
  return isIdentifierName(name) ? name : stringLiteral(name);
}

/**
 * A key in an object literal. `__proto__: v` in a literal sets the prototype instead of a
 * property, so that one is written as a computed key, which does not.
 */
export function objectKey(name: string): string {
  return name === "__proto__" ? `[${stringLiteral(name)}]` : propertyKey(name);
}

/** Names every object inherits: reading one from an object that lacks it yields Object.prototype's. */
export const INHERITED_NAMES: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), "prototype"]);

/** `.name` when `name` is an identifier, `["na-me"]` otherwise. */
export function memberAccess(name: string): string {
  return isIdentifierName(name) ? `.${name}` : `[${stringLiteral(name)}]`;
}

/** Text safe inside a `/** … *\/` doc comment: no comment terminator, no stray `@` tags from spec prose at line start. */
export function docText(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(/\*\//g, "*\\/").trim();
}

/** Text safe inside a `//` line comment: one line, no line terminators. */
export function lineCommentText(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, " ").trim();
}

/**
 * Hands out identifiers within one scope: the same id always maps to the same name, and
 * two ids that map to the same name (`a-b` and `aB`) get numbered suffixes in the order
 * they were first asked for, which follows document order, so output stays stable.
 */
export class NameScope {
  private readonly byId = new Map<string, string>();
  private readonly taken = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const name of reserved) this.taken.add(name);
  }

  name(id: string, make: (id: string) => string = camelCase, onRename?: (name: string, wanted: string) => void): string {
    const existing = this.byId.get(id);
    if (existing) return existing;
    const base = make(id);
    let candidate = base;
    for (let i = 2; this.taken.has(candidate); i++) candidate = `${base}${i}`;
    if (candidate !== base) onRename?.(candidate, base);
    this.taken.add(candidate);
    this.byId.set(id, candidate);
    return candidate;
  }
}
