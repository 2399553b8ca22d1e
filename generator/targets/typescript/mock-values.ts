/**
 * Small helpers for the JSON values mocks are made of: a value of a `DataType`, setting a JSON Pointer in a value (creating what is on the way), own properties only.
 */
import type { JsonPointer } from "../../expressions/ast.ts";
import type { DataType } from "../../ir/types.ts";

/** Sets an own property, `__proto__` included (an assignment would set the prototype). */
export function define(object: Record<string, unknown> | unknown[], key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A value of a type: its first literal, `"example"`, `1`, `true`, an object of its required properties. */
export function exampleOf(type: DataType | undefined, depth = 0): unknown {
  if (!type || depth > 8) return "example";
  switch (type.kind) {
    case "literal":
      return type.value;
    case "string":
    case "unknown":
      return "example";
    case "number":
      return 1;
    case "boolean":
      return true;
    case "null":
      return null;
    case "never":
      return undefined;
    case "array":
      return [exampleOf(type.items, depth + 1)];
    case "union":
      return exampleOf(type.members.find((m) => m.kind !== "null") ?? type.members[0], depth + 1);
    case "intersection": {
      const merged: Record<string, unknown> = {};
      for (const part of type.members.map((m) => exampleOf(m, depth + 1))) {
        if (part && typeof part === "object") for (const [k, v] of Object.entries(part)) define(merged, k, v);
      }
      return merged;
    }
    case "object":
      return Object.fromEntries(type.properties.filter((p) => p.required).map((p) => [p.name, exampleOf(p.type, depth + 1)]));
  }
}

/** `value` with `pointer` set to `leaf`, creating objects (or arrays, for integer tokens) on the way. */
export function setAt(value: unknown, pointer: JsonPointer, leaf: unknown): unknown {
  if (pointer.length === 0) return leaf;
  const [token, ...rest] = pointer as [string, ...string[]];
  const index = /^(0|[1-9]\d*)$/.test(token);
  const container: Record<string, unknown> | unknown[] =
    value !== null && typeof value === "object" ? (Array.isArray(value) ? [...value] : { ...value }) : index ? [] : {};
  if (Array.isArray(container) && index) {
    const i = Number(token);
    while (container.length < i) container.push(container[0] ?? {});
    container[i] = setAt(container[i], rest, leaf);
  } else {
    const own = Object.hasOwn(container, token) ? (container as Record<string, unknown>)[token] : undefined;
    define(container, token, setAt(own, rest, leaf));
  }
  return container;
}

/** The operator with its operands swapped: `3 < x` is `x > 3`. */
export function mirror(operator: string): string {
  return ({ ">": "<", "<": ">", ">=": "<=", "<=": ">=" } as Record<string, string>)[operator] ?? operator;
}
