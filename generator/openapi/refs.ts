/**
 * Follows one `$ref` of an OpenAPI document (OpenAPI 3.1 §4.8.23 Reference Object, JSON
 * Pointer fragments per RFC 6901) and says whether it leads anywhere: a reference to
 * nothing, a chain of references that only ever points at another reference
 * (`A: {$ref: B}`, `B: {$ref: A}`), or a reference to a file that does not exist cannot be
 * followed. A reference into another file that exists is left to openapi-typescript's
 * bundler, and so are `http(s):` URLs and `#anchor` fragments.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DataPath } from "../load/document.ts";
import { closest } from "../shared/suggest.ts";

/** Why a reference cannot be followed. `ref` is the reference as written where it is used. */
export type RefProblem =
  | {
      readonly kind: "missing";
      readonly ref: string;
      /** The reference in the chain that points at nothing (often `ref` itself). */
      readonly missing: string;
      /** A sibling of the missing name, when one is close enough to be a misspelling. */
      readonly suggestion?: string;
    }
  /** `cycle`: the references of the loop, in order, starting where the chain entered it. */
  | { readonly kind: "circular"; readonly ref: string; readonly cycle: readonly string[] }
  /** `file`: the absolute file the reference (or one it leads to) names. */
  | { readonly kind: "no-file"; readonly ref: string; readonly missing: string; readonly file: string };

export type RefTarget =
  /** A node of this document: `path` is where the reference points (the first hop). */
  | { readonly kind: "local"; readonly path: DataPath }
  /** Another file that exists, a URL or an anchor: left to the bundler. */
  | { readonly kind: "elsewhere" }
  | { readonly kind: "broken"; readonly problem: RefProblem };

/** Where `ref` leads in the document `data` read from `file`. */
export function followRef(data: unknown, file: string, ref: string): RefTarget {
  const chain: string[] = [];
  let first: DataPath | undefined;
  let current = ref;
  for (;;) {
    if (!current.startsWith("#")) {
      const target = externalFile(current, file);
      if (target && !existsSync(target)) return { kind: "broken", problem: { kind: "no-file", ref, missing: current, file: target } };
      return first ? { kind: "local", path: first } : { kind: "elsewhere" };
    }
    if (!isPointer(current)) return first ? { kind: "local", path: first } : { kind: "elsewhere" };
    if (chain.includes(current)) return { kind: "broken", problem: { kind: "circular", ref, cycle: chain.slice(chain.indexOf(current)) } };
    chain.push(current);
    const tokens = pointerTokens(current);
    const found = lookUp(data, tokens);
    if ("missing" in found) {
      const suggestion = found.candidates.length ? closest(found.missing.segment, found.candidates) : undefined;
      const prefix = found.missing.prefix;
      return {
        kind: "broken",
        problem: { kind: "missing", ref, missing: current, ...(suggestion ? { suggestion: `${prefix}/${escapeToken(suggestion)}` } : {}) },
      };
    }
    first ??= tokens;
    if (!isRef(found.value)) return { kind: "local", path: first };
    current = found.value.$ref;
  }
}

/** Whether `value` is an object with a string `$ref`. */
export function isRef(value: unknown): value is { $ref: string } {
  return value !== null && typeof value === "object" && !Array.isArray(value) && typeof (value as { $ref?: unknown }).$ref === "string";
}

/** `#/components/schemas/Pet` → `["components", "schemas", "Pet"]`, unescaping `~1`, `~0` and percent-encoding. */
export function pointerTokens(ref: string): string[] {
  const body = ref.replace(/^#\/?/, "");
  return body === "" ? [] : body.split("/").map(decodeToken);
}

/** The last name of a reference: `#/components/schemas/Pet` → `Pet`. */
export function lastSegment(ref: string): string {
  return decodeToken(ref.slice(ref.lastIndexOf("/") + 1));
}

/** The file an external reference names (without its `#fragment`), resolved against `from`; undefined for URLs. */
function externalFile(ref: string, from: string): string | undefined {
  const location = ref.split("#")[0]!;
  if (location.startsWith("file:")) {
    try {
      return fileURLToPath(location);
    } catch {
      return undefined;
    }
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(location)) return undefined; // http(s) and other schemes
  let decoded = location;
  try {
    decoded = decodeURI(location);
  } catch {
    // not percent-encoded after all
  }
  return path.resolve(path.dirname(from), decoded);
}

function isPointer(ref: string): boolean {
  return ref === "#" || ref.startsWith("#/");
}

type Found = { value: unknown } | { missing: { segment: string; prefix: string }; candidates: string[] };

/** Resolves pointer tokens in `root`, own properties only. */
function lookUp(root: unknown, tokens: readonly string[]): Found {
  let node = root;
  let prefix = "#";
  for (const token of tokens) {
    const holder = node as Record<string, unknown> | null;
    if (holder === null || typeof holder !== "object" || !Object.hasOwn(holder, token)) {
      const candidates = holder !== null && typeof holder === "object" && !Array.isArray(holder) ? Object.keys(holder) : [];
      return { missing: { segment: token, prefix }, candidates };
    }
    node = holder[token];
    prefix = `${prefix}/${escapeToken(token)}`;
  }
  return { value: node };
}

function decodeToken(token: string): string {
  let text = token;
  try {
    text = decodeURIComponent(token);
  } catch {
    // not percent-encoded
  }
  return text.replace(/~1/g, "/").replace(/~0/g, "~");
}

function escapeToken(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}
