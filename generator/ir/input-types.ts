/**
 * Workflow inputs whose declared type contradicts an API field they are sent into unchanged
 * (`type: string` into an `integer` path parameter, into an array of enum values): found here,
 * at the input's declaration, naming the input, the field and both types, instead of a raw
 * type error at a generated line. Into a scalar path, query, header or cookie parameter (sent
 * as text anyway) it is a warning, and the value goes as given (`StepModel.uncheckedReads`);
 * anywhere else it is an error: the API would reject it.
 *
 * Only definite contradictions count: string, number, boolean, arrays and objects against
 * each other (an enum counts as its values' type). Where either side is `unknown`, a union
 * of several kinds, or a literal the other can hold, the compiler decides as it does today.
 */
import type { DiagnosticBag, SourceLocation } from "../diagnostics.ts";
import type { DataType, InputModel, StepModel } from "./types.ts";

type Kind = "string" | "number" | "boolean" | "array" | "object" | "null";

export function checkInputTypes(
  steps: readonly StepModel[],
  inputs: readonly InputModel[],
  locate: (name: string) => SourceLocation,
  diagnostics: DiagnosticBag,
): StepModel[] {
  const types = new Map(inputs.map((i) => [i.name, i.schema]));
  return steps.map((step) => {
    const unchecked: string[] = [];
    for (const [name, targets] of step.inputTargets) {
      const declared = types.get(name);
      const own = declared && kindOf(declared);
      if (!own) continue;
      for (const target of targets) {
        const field = target.schema && kindOf(target.schema);
        if (!field || field === own) continue;
        const scalarParameter = target.parameter !== undefined && field !== "array" && field !== "object";
        // The field's type as its schema writes it (`integer`), else its kind.
        const apiType = target.written === field || (target.written === "integer" && field === "number") ? target.written : field;
        const message = `input \`${name}\` is declared \`${own}\`, but it is sent into ${target.what}, which is \`${apiType}\``;
        const hint = `declare \`${name}\` as \`type: ${apiType}\`${field === "array" ? " (with the field's `items`)" : ""}, as the API takes it`;
        if (scalarParameter) {
          diagnostics.warning("input-type-mismatch", `${message}; a parameter is sent as text, so the value goes as given`, locate(name), hint);
          unchecked.push(`inputs.${name}`);
        } else {
          diagnostics.error("input-type-mismatch", message, locate(name), hint);
        }
      }
    }
    if (!unchecked.length) return step;
    return { ...step, uncheckedReads: [...new Set([...(step.uncheckedReads ?? []), ...unchecked])] };
  });
}

/** The one JSON kind every value of `type` has; undefined when it may be of several, or anything. */
function kindOf(type: DataType): Kind | undefined {
  switch (type.kind) {
    case "string":
    case "number":
    case "boolean":
    case "array":
    case "object":
      return type.kind;
    case "literal":
      return type.value === null ? "null" : (typeof type.value as Kind);
    case "union": {
      // `null` alongside (nullable) does not make it another kind.
      const kinds = new Set(type.members.filter((m) => !(m.kind === "null" || (m.kind === "literal" && m.value === null))).map(kindOf));
      return kinds.size === 1 ? [...kinds][0] : undefined;
    }
    default:
      return undefined;
  }
}
