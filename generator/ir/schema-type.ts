/**
 * TypeScript type text for a workflow `inputs` JSON Schema (draft 2020-12, the subset
 * that describes data: type, enum, const, properties/required, items,
 * additionalProperties, oneOf/anyOf/allOf, local `$ref`). Anything it cannot express
 * becomes `unknown`, never `any`.
 */
import type { JsonSchema } from "../load/arazzo-document.ts";
import { docText, propertyKey, stringLiteral } from "../shared/names.ts";

export type SchemaRefResolver = (ref: string) => JsonSchema | undefined;

export function schemaType(schema: JsonSchema | boolean | undefined, resolveRef: SchemaRefResolver, depth = 0, seen: ReadonlySet<string> = new Set()): string {
  if (schema === undefined || schema === true) return "unknown";
  if (schema === false) return "never";
  if (depth > 32) return "unknown"; // absurdly deep nesting: stop rather than grow without end
  if (typeof schema.$ref === "string") {
    // A recursive schema is typed `unknown` where it refers back to itself.
    if (seen.has(schema.$ref)) return "unknown";
    return schemaType(resolveRef(schema.$ref), resolveRef, depth + 1, new Set([...seen, schema.$ref]));
  }
  if ("const" in schema) return literalType(schema.const);
  if (Array.isArray(schema.enum)) return union(schema.enum.map(literalType));
  if (schema.oneOf || schema.anyOf) {
    return union((schema.oneOf ?? schema.anyOf)!.map((s) => schemaType(s, resolveRef, depth + 1, seen)));
  }
  if (schema.allOf) {
    return schema.allOf.map((s) => parenthesize(schemaType(s, resolveRef, depth + 1, seen))).join(" & ");
  }
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : inferTypes(schema);
  if (types.length === 0) return "unknown";
  return union(types.map((t) => singleType(t, schema, resolveRef, depth, seen)));
}

function singleType(type: string, schema: JsonSchema, resolveRef: SchemaRefResolver, depth: number, seen: ReadonlySet<string>): string {
  switch (type) {
    case "string":
      return "string";
    case "number":
    case "integer":
      return "number";
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "array":
      return `${parenthesize(schemaType(schema.items ?? true, resolveRef, depth + 1, seen))}[]`;
    case "object":
      return objectType(schema, resolveRef, depth, seen);
    default:
      return "unknown";
  }
}

function objectType(schema: JsonSchema, resolveRef: SchemaRefResolver, depth: number, seen: ReadonlySet<string>): string {
  const required = new Set(schema.required ?? []);
  const members = Object.entries(schema.properties ?? {}).map(([name, prop]) => {
    const doc = prop && typeof prop === "object" && prop.description ? `/** ${docText(prop.description).replace(/\n/g, " ")} */ ` : "";
    return `${doc}${propertyKey(name)}${required.has(name) ? "" : "?"}: ${schemaType(prop, resolveRef, depth + 1, seen)};`;
  });
  const extra = schema.additionalProperties;
  if (extra !== false && (members.length === 0 || extra)) {
    members.push(`[key: string]: ${extra && extra !== true ? `${schemaType(extra, resolveRef, depth + 1, seen)} | undefined` : "unknown"};`);
  }
  return members.length ? `{ ${members.join(" ")} }` : "Record<string, never>";
}

function inferTypes(schema: JsonSchema): string[] {
  if (schema.properties || schema.additionalProperties !== undefined) return ["object"];
  if (schema.items) return ["array"];
  return [];
}

function literalType(value: unknown): string {
  if (typeof value === "string") return stringLiteral(value);
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "boolean" || value === null) return String(value);
  return "unknown";
}

function union(parts: string[]): string {
  const unique = [...new Set(parts)];
  if (unique.includes("unknown")) return "unknown";
  return unique.length ? unique.join(" | ") : "never";
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
