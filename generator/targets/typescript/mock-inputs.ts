/**
 * Example inputs of a workflow (`exampleInputs` in a package's mocks): values of each input's
 * own schema (`arazzo-ts run --mock` validates them against it), that type-check as its
 * `Inputs`, narrowed the way the inputs are, and that the API fields they flow into take where
 * a value can do both. The input's `example` (`examples`, `default`, `const`) comes first,
 * then a value every field takes, then one of the input's type.
 *
 * An API field's type may narrow the input's (`Narrow`: when every value of the field is one
 * of the input's), and a value of the input's type alone could then fail the type-check: it
 * must fit each field that may narrow it (a value of the field's type is one of the
 * input's). When no value does (the input's schema and the field's disagree), the value of
 * the input's schema is typed loosely, with an `untyped-example-input` warning: a mock never
 * makes a document fail.
 */
import type { DiagnosticBag } from "../../diagnostics.ts";
import type { DataType, InputModel, WorkflowModel } from "../../ir/types.ts";
import { define, exampleOf } from "./mock-values.ts";

/** Example inputs of a workflow; `loose`: the names of those typed loosely (they fit no type of the API fields they flow into). */
export function exampleInputs(workflow: WorkflowModel, diagnostics?: DiagnosticBag): { values: Record<string, unknown>; loose: string[] } {
  const values: Record<string, unknown> = {};
  const loose: string[] = [];
  for (const input of workflow.inputs) {
    const own = input.schema;
    const targets = input.narrowTo.flatMap((t) => (t.schema ? [{ target: t, schema: t.schema }] : []));
    // A field whose own values are not all the input's cannot narrow it (a value of its type that the input does not take proves it).
    const narrowing = targets.filter((t) => fits(exampleOf(t.schema), own));
    const candidates = exampleCandidates(
      input,
      targets.map((t) => t.schema),
    );
    const typeChecks = (v: unknown) => fits(v, own) && narrowing.every((t) => fits(v, t.schema));
    const value =
      candidates.find((v) => typeChecks(v) && targets.every((t) => fits(v, t.schema))) ??
      candidates.find(typeChecks) ??
      (input.example !== undefined && fits(input.example, own) ? input.example : exampleOf(own));
    define(values, input.name, value);
    if (typeChecks(value)) continue;
    loose.push(input.name);
    const field = narrowing.find((t) => !fits(value, t.schema))?.target;
    diagnostics?.warning(
      "untyped-example-input",
      `no example value of input \`${input.name}\` fits ${field ? `both its schema and the type of ${field.what}, which it flows into` : "its schema"}: the mocks' \`exampleInputs\` give ${short(value)}, typed loosely`,
      field?.location ?? workflow.location,
      field ? "give the input an `example` that fits both, or make its schema agree with the API field's" : "make the input's schema one that some value fits",
    );
  }
  return { values, loose };
}

/** Values to try, in order: the input's example, the values every enum field takes, a value of all the types at once, of the first field's type, of the input's own. */
function exampleCandidates(input: InputModel, targets: readonly DataType[]): unknown[] {
  // The fields narrow an input that is not a set of values itself.
  const set = input.schema.kind === "literal" || (input.schema.kind === "union" && input.schema.members.every((m) => m.kind === "literal"));
  const candidates: unknown[] = input.example !== undefined ? [input.example] : [];
  candidates.push(...(narrowedValues(set ? input.schema : undefined, set ? [] : targets) ?? []));
  candidates.push(exampleOfAll([input.schema, ...targets]));
  const field = targets.find((t) => t.kind !== "unknown");
  if (field) candidates.push(exampleOf(field));
  candidates.push(exampleOf(input.schema));
  return candidates;
}

/** Whether a JSON value is one of a type's (an object with no other keys than its properties, unless it takes others). */
export function fits(value: unknown, type: DataType, depth = 0): boolean {
  if (depth > 32) return true;
  switch (type.kind) {
    case "unknown":
      return true;
    case "never":
      return false;
    case "string":
    case "number":
    case "boolean":
      return typeof value === type.kind;
    case "null":
      return value === null;
    case "literal":
      return value === type.value;
    case "array":
      return Array.isArray(value) && value.every((item) => fits(item, type.items, depth + 1));
    case "union":
      return type.members.some((m) => fits(value, m, depth + 1));
    case "intersection":
      return type.members.every((m) => fits(value, m.kind === "object" ? { ...m, additional: "any" } : m, depth + 1));
    case "object": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
      const declared = new Map(type.properties.map((p) => [p.name, p]));
      if (type.properties.some((p) => p.required && !Object.hasOwn(value, p.name))) return false;
      return Object.entries(value).every(([key, v]) => {
        const property = declared.get(key);
        if (property) return fits(v, property.type, depth + 1);
        return type.additional === "any" || (type.additional !== undefined && fits(v, type.additional, depth + 1));
      });
    }
  }
}

/** A value of all `types` at once where one is easily made: objects with every property one requires, arrays of such items, a literal all take. */
function exampleOfAll(types: readonly DataType[], depth = 0): unknown {
  const known = types.filter((t) => t.kind !== "unknown");
  const first = known[0];
  if (!first || depth > 8) return exampleOf(first, depth);
  if (known.every((t) => t.kind === "object")) {
    const objects = known as Extract<DataType, { kind: "object" }>[];
    const value: Record<string, unknown> = {};
    const names = new Set(objects.flatMap((o) => o.properties.filter((p) => p.required).map((p) => p.name)));
    for (const name of names) {
      const declared = objects.flatMap((o) => o.properties.filter((p) => p.name === name).map((p) => p.type));
      define(value, name, exampleOfAll(declared, depth + 1));
    }
    return value;
  }
  if (known.every((t) => t.kind === "array")) {
    const items = (known as Extract<DataType, { kind: "array" }>[]).map((t) => t.items);
    return [exampleOfAll(items, depth + 1)];
  }
  // A literal (an enum member) every type takes.
  const literals = known.flatMap((t) =>
    t.kind === "literal" ? [t.value] : t.kind === "union" ? t.members.flatMap((m) => (m.kind === "literal" ? [m.value] : [])) : [],
  );
  const shared = literals.find((v) => known.every((t) => fits(v, t)));
  return shared !== undefined ? shared : exampleOf(first, depth);
}

/** A value for a message: its JSON, cut short. */
function short(value: unknown): string {
  const text = JSON.stringify(value) ?? "undefined";
  return `\`${text.length > 60 ? `${text.slice(0, 57)}...` : text}\``;
}

/**
 * The values an input may take once narrowed as `NarrowAll` does: each target that is a set
 * of values, and a subset of what the input takes so far, narrows it. Undefined when no set applies.
 */
function narrowedValues(own: DataType | undefined, targets: readonly (DataType | undefined)[]): unknown[] | undefined {
  const valuesOf = (t: DataType | undefined): unknown[] | undefined =>
    t?.kind === "literal"
      ? [t.value]
      : t?.kind === "union" && t.members.every((m) => m.kind === "literal")
        ? t.members.map((m) => (m as { value: unknown }).value)
        : undefined;
  let current = valuesOf(own);
  for (const target of targets) {
    const values = valuesOf(target);
    if (values && (!current || values.every((v) => current!.includes(v)))) current = values;
  }
  return current?.length ? current : undefined;
}
