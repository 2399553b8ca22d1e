/**
 * Checks the document-local `$ref`s of an OpenAPI document before anything uses them: a
 * reference to nothing, or a chain of references that only ever points at another
 * reference (`A: {$ref: B}`, `B: {$ref: A}`), is reported at the `$ref` itself, instead of
 * surfacing later as a crash inside the bundler or as a confusing error elsewhere.
 * References to other files are left to openapi-typescript's bundler.
 */
import path from "node:path";
import type { DiagnosticBag } from "../diagnostics.ts";
import type { DataPath, LoadedDocument } from "../load/document.ts";
import { closest } from "../model/suggest.ts";

/** Reports broken local references; returns whether there were none. */
export function checkLocalRefs(doc: LoadedDocument, diagnostics: DiagnosticBag): boolean {
  let ok = true;
  const reportedCycles = new Set<string>();
  const file = path.basename(doc.file);
  for (const { ref, at } of localRefs(doc.data)) {
    const location = doc.locate([...at, "$ref"]);
    const target = follow(doc.data, ref);
    if (target.missing) {
      ok = false;
      const hint = target.missing.candidates.length
        ? closest(target.missing.segment, target.missing.candidates)
        : undefined;
      diagnostics.error(
        "unresolved-reference",
        `\`${ref}\` does not exist in \`${file}\``,
        location,
        hint ? `did you mean \`${target.missing.prefix}/${escape(hint)}\`?` : undefined,
      );
      continue;
    }
    // A chain of bare references: follow it, and stop at a cycle.
    const chain = [ref];
    let value = target.value;
    while (isBareRef(value)) {
      const next = (value as { $ref: string }).$ref;
      if (!next.startsWith("#")) break;
      if (chain.includes(next)) {
        ok = false;
        const cycle = chain.slice(chain.indexOf(next));
        const key = [...cycle].sort().join("|");
        if (!reportedCycles.has(key)) {
          reportedCycles.add(key);
          // Reported where the cycle closes: the `$ref` inside the last definition of the chain.
          const closing = chain[chain.length - 1]!;
          const names = [...cycle, next].map((r) => `\`${lastSegment(r)}\``).join(" → ");
          diagnostics.error(
            "unresolved-reference",
            cycle.length === 1 ? `\`${closing}\` refers to itself` : `\`${closing}\` is circular: ${names} never resolves to a schema`,
            doc.locate([...pointerPath(closing), "$ref"]),
          );
        }
        break;
      }
      chain.push(next);
      const step = follow(doc.data, next);
      if (step.missing) break; // reported where that reference is written
      value = step.value;
    }
  }
  return ok;
}

function* localRefs(value: unknown, at: (string | number)[] = []): Generator<{ ref: string; at: DataPath }> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* localRefs(value[i], [...at, i]);
    return;
  }
  if (value === null || typeof value !== "object") return;
  const ref = (value as { $ref?: unknown }).$ref;
  if (typeof ref === "string" && ref.startsWith("#")) yield { ref, at };
  for (const [key, child] of Object.entries(value)) if (key !== "$ref") yield* localRefs(child, [...at, key]);
}

type Followed =
  | { value: unknown; missing?: undefined }
  | { missing: { segment: string; prefix: string; candidates: string[] } };

/** Resolves `#/a/b` in the document, own properties only. */
function follow(root: unknown, ref: string): Followed {
  const tokens = ref === "#" || ref === "#/" ? [] : ref.replace(/^#\//, "").split("/");
  let node = root;
  let prefix = "#";
  for (const raw of tokens) {
    const token = decode(raw);
    const holder = node as Record<string, unknown> | null;
    if (holder === null || typeof holder !== "object" || !Object.prototype.hasOwnProperty.call(holder, token)) {
      const candidates = holder !== null && typeof holder === "object" ? Object.keys(holder) : [];
      return { missing: { segment: token, prefix, candidates } };
    }
    node = holder[token];
    prefix = `${prefix}/${raw}`;
  }
  return { value: node };
}

function pointerPath(ref: string): string[] {
  return ref.replace(/^#\/?/, "").split("/").map(decode);
}

function isBareRef(value: unknown): boolean {
  return value !== null && typeof value === "object" && typeof (value as { $ref?: unknown }).$ref === "string";
}

function decode(token: string): string {
  let text = token;
  try {
    text = decodeURIComponent(token);
  } catch {
    // not percent-encoded
  }
  return text.replace(/~1/g, "/").replace(/~0/g, "~");
}

function escape(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

function lastSegment(ref: string): string {
  return decode(ref.slice(ref.lastIndexOf("/") + 1));
}
