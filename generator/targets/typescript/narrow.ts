/**
 * What the compiler takes for a workflow input, as a `DataType`: the input's own type
 * narrowed the way the runtime's `Narrow` and `NarrowAll` (`runtime/runtime.ts`) narrow it by
 * the API fields it flows into, for the README's inputs table. `Narrow<Source, Target>` is
 * `Target & {}` (the field's type without `null` and `undefined`) when every value of it is a
 * `Source`, else `Source`; `NarrowAll` applies it for each field in turn.
 *
 * Assignability is decided on the JSON Schema types, conservatively: where it cannot be told
 * (a field typed by no schema the generator read), the field does not narrow, as the
 * compiler's `unknown` would not either.
 */
import type { DataType, InputModel, InputTarget } from "../../ir/types.ts";

/** The input's type as the generated `<Workflow>Inputs` has it. */
export function narrowedInputType(input: InputModel): DataType {
  let current = input.schema;
  for (const target of input.narrowTo) {
    const field = fieldType(target);
    if (!field || field.kind === "unknown") continue;
    const present = withoutNullish(field);
    if (present.kind === "never") continue;
    if (assignable(present, current)) current = present;
  }
  return current;
}

/** The field's type: its schema's, or the type its reference names (a path parameter undeclared by the description is a string). */
function fieldType(target: InputTarget): DataType | undefined {
  if (target.schema) return target.schema;
  if (target.type.kind === "string" || target.type.kind === "number") return { kind: target.type.kind };
  if (target.type.kind === "literal") return { kind: "literal", value: target.type.value };
  return undefined;
}

/** `T & {}`: `null` taken out of the type. */
function withoutNullish(type: DataType): DataType {
  if (type.kind === "null" || (type.kind === "literal" && type.value === null)) return { kind: "never" };
  if (type.kind !== "union") return type;
  const members = type.members.map(withoutNullish).filter((m) => m.kind !== "never");
  return members.length === 0 ? { kind: "never" } : members.length === 1 ? members[0]! : { kind: "union", members };
}

/** Whether every value of `a` is a value of `b` (`[A] extends [B]`); false where it cannot be told. */
export function assignable(a: DataType, b: DataType, depth = 0): boolean {
  if (depth > 16) return false;
  if (b.kind === "unknown" || a.kind === "never") return true;
  if (a.kind === "unknown") return false;
  if (a.kind === "union") return a.members.every((m) => assignable(m, b, depth + 1));
  if (a.kind === "boolean" && b.kind === "union") {
    // `boolean` is `true | false`.
    return [true, false].every((value) => assignable({ kind: "literal", value }, b, depth + 1));
  }
  if (b.kind === "union") return b.members.some((m) => assignable(a, m, depth + 1));
  if (b.kind === "intersection") return b.members.every((m) => assignable(a, m, depth + 1));
  if (a.kind === "intersection") return a.members.some((m) => assignable(m, b, depth + 1));
  switch (a.kind) {
    case "literal":
      if (b.kind === "literal") return a.value === b.value;
      if (a.value === null) return b.kind === "null";
      return b.kind === typeof a.value;
    case "null":
      return b.kind === "null" || (b.kind === "literal" && b.value === null);
    case "string":
    case "number":
    case "boolean":
      return b.kind === a.kind;
    case "array":
      return b.kind === "array" && assignable(a.items, b.items, depth + 1);
    case "object": {
      if (b.kind !== "object") return false;
      // Structural: each property `b` requires, present and assignable; each one both have, assignable.
      const own = new Map(a.properties.map((p) => [p.name, p]));
      return b.properties.every((p) => {
        const mine = own.get(p.name);
        if (!mine) return !p.required;
        return (mine.required || !p.required) && assignable(mine.type, p.type, depth + 1);
      });
    }
  }
}
