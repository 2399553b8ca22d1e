/**
 * TypeScript for the model's types: `DataType` (workflow inputs) as a type literal,
 * `TypeRef` as an indexed access chain from a root the target names (so the compiler, not
 * the generator, works out a field's type), and an `AccessPlan` as the matching run-time read.
 */
import type { AccessPlan, AccessSegment, DataType, TypeRef, TypeRoot } from "../../ir/types.ts";
import { docText, INHERITED_NAMES, isIdentifierName, propertyKey, stringLiteral } from "../../shared/names.ts";

export function dataTypeCode(type: DataType): string {
  switch (type.kind) {
    case "unknown":
    case "never":
    case "string":
    case "number":
    case "boolean":
    case "null":
      return type.kind;
    case "literal":
      return typeof type.value === "string" ? stringLiteral(type.value) : String(type.value);
    case "array":
      return `${parenthesize(dataTypeCode(type.items))}[]`;
    case "union":
      return type.members.map(dataTypeCode).join(" | ");
    case "intersection":
      return type.members.map((m) => parenthesize(dataTypeCode(m))).join(" & ");
    case "object": {
      const members = type.properties.map((p) => {
        const doc = p.description ? `/** ${docText(p.description).replace(/\n/g, " ")} */ ` : "";
        return `${doc}${propertyKey(p.name)}${p.required ? "" : "?"}: ${dataTypeCode(p.type)};`;
      });
      if (type.additional) members.push(`[key: string]: ${type.additional === "any" ? "unknown" : `${dataTypeCode(type.additional)} | undefined`};`);
      return members.length ? `{ ${members.join(" ")} }` : "Record<string, never>";
    }
  }
}

/** `NonNullable<NonNullable<Root["meta"]>["items"]>[number]`: each segment after the first reads through a value that may be absent. */
export function typeRefCode(type: TypeRef, root: (root: TypeRoot) => string): string {
  if (type.kind === "literal") return typeof type.value === "string" ? stringLiteral(type.value) : String(type.value);
  if (type.kind !== "access") return type.kind;
  return accessTypeCode(root(type.root), type.segments, type.present);
}

/** `present`: nothing on the way may be absent, so no `NonNullable`. */
export function accessTypeCode(base: string, segments: readonly AccessSegment[], present = false): string {
  return segments.reduce((text, s, i) => `${i === 0 || present ? text : `NonNullable<${text}>`}[${s.index ? "number" : stringLiteral(s.key)}]`, base);
}

/**
 * The run-time read of a plan from `base`: `/meta/0/url` → `base?.meta?.[0]?.url`. Names
 * that exist on every object (`constructor`, `__proto__`, `toString`, …) go through the
 * runtime's `ownProperty`, so a missing field never yields something from the prototype
 * chain; the tokens the schema does not type go through the runtime's `readPointer` (the
 * compiler would reject property access on `unknown`).
 */
export function accessReadCode(base: string, plan: Pick<AccessPlan, "read" | "rest">): string {
  const typed = plan.read.reduce((code, s) => {
    if (s.index) return `${code}?.[${s.key}]`;
    if (INHERITED_NAMES.has(s.key)) return `ownProperty(${code}, ${stringLiteral(s.key)})`;
    return isIdentifierName(s.key) ? `${code}?.${s.key}` : `${code}?.[${stringLiteral(s.key)}]`;
  }, base);
  return plan.rest.length ? `readPointer(${typed}, [${plan.rest.map(stringLiteral).join(", ")}])` : typed;
}

/** `200` stays a number key in openapi-typescript output; `2XX` and `default` are string keys. */
export function statusKey(status: string): string {
  return /^\d{3}$/.test(status) ? status : stringLiteral(status);
}

/** Wraps a union or intersection in parentheses, so `[]` or `&` applies to the whole of it. */
function parenthesize(type: string): string {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < type.length; i++) {
    const ch = type[i]!;
    if (quote) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"') quote = ch;
    else if ("{[(<".includes(ch)) depth++;
    else if ("}])>".includes(ch)) depth--;
    else if (depth === 0 && (ch === "|" || ch === "&")) return `(${type})`;
  }
  return type;
}
