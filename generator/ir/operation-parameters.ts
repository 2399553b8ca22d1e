/**
 * A step's parameters (Arazzo 1.0.1 §"Parameter Object"), step-level and workflow-level,
 * matched to the operation's by name and location (header names case-insensitively), with
 * the required ones the step does not supply, and how query arrays are serialized.
 */
import type { DiagnosticBag } from "../diagnostics.ts";
import type { Step } from "../load/arazzo-document.ts";
import type { DataPath } from "../load/document.ts";
import type { OperationInfo, OperationParameter } from "../openapi/operations.ts";
import type { StepContext } from "./binding-context.ts";
import { stepParameters } from "./parameters.ts";
import { suggestion, type StepScope } from "./step-scope.ts";
import type { OperationStepModel, ParameterModel, ValueModel } from "./types.ts";
import { toValueModel } from "./values.ts";
import { schemaSummary, writtenType } from "./schema-type.ts";
import type { SchemaResolver } from "./access-plan.ts";

export interface BoundParameters {
  readonly parameters: ParameterModel[];
  readonly unsuppliedParameters: { readonly name: string; readonly in: string; readonly suppliedBy?: string }[];
  readonly queryArrays: OperationStepModel["queryArrays"];
}

export function bindParameters(
  step: Step,
  at: DataPath,
  ctx: StepContext,
  scope: StepScope,
  operation: OperationInfo,
  describe: string,
  resolve: SchemaResolver,
  security: {
    /** Parameters that carry the step's own credentials (`x-security`); a parameter the step writes itself wins. */
    readonly credentials: readonly ParameterModel[];
    /** The scheme of the operation's requirements whose credentials travel in parameter `p`, if any. */
    readonly carrier: (p: { readonly name: string; readonly in: string }) => string | undefined;
  } = { credentials: [], carrier: () => undefined },
): BoundParameters {
  const { arazzo, diagnostics } = ctx;
  const parameters: ParameterModel[] = [];
  const resolved = stepParameters(step.parameters, [...at, "parameters"], ctx.workflow.parameters, [...ctx.workflowAt, "parameters"], {
    doc: arazzo,
    raw: ctx.raw,
    diagnostics,
    requireIn: true,
  });
  for (const param of resolved) {
    const paramIn = param.in!;
    const paramLocation = arazzo.locate(param.at);
    if (paramIn === "querystring") {
      // The whole query string (Arazzo 1.1): sent as written, so it cannot go with query parameters.
      // A workflow-level query parameter counts where the operation has it (it would be sent).
      const query = resolved.find((p) => p.in === "query" && (!p.fromWorkflow || operation.parameters.some((d) => d.in === "query" && d.name === p.name)));
      if (query) {
        diagnostics.error(
          "conflicting-parameters",
          `step \`${step.stepId}\` sends a \`querystring\` parameter and query parameter \`${query.name}\`: the query string is the whole query`,
          paramLocation,
          "put every query parameter in the querystring value, or use query parameters only",
        );
        continue;
      }
      const value = toValueModel(param.value, arazzo, param.valuePath, diagnostics);
      scope.checkValue(value);
      parameters.push({ name: param.name, in: "querystring", value, declared: false, location: paramLocation });
      continue;
    }
    const declared = operation.parameters.find(
      (p) => p.in === paramIn && (p.in === "header" ? p.name.toLowerCase() === param.name.toLowerCase() : p.name === param.name),
    );
    // A path parameter the template names, or any parameter of an operation whose parameter
    // `$ref`s do not all resolve: the description is what is incomplete. Sent as written.
    const named = paramIn === "path" && operation.path.includes(`{${param.name}}`);
    const undeclared = !declared && paramIn !== "header" && !param.fromWorkflow && (named || operation.unresolvedParameters === true);
    if (undeclared) {
      diagnostics.warning(
        "undeclared-parameter",
        named
          ? `operation ${describe} declares no path parameter \`${param.name}\`, but its path \`${operation.path}\` names it; it is sent as text, unchecked`
          : `operation ${describe} declares no ${paramIn} parameter \`${param.name}\`, and some of its parameters are \`$ref\`s that do not resolve; it is sent untyped`,
        paramLocation,
        named ? `declare \`${param.name}\` in the operation's \`parameters\` (in: path, required: true)` : "fix the operation's parameter `$ref`s",
      );
    } else if (!declared && paramIn !== "header") {
      // A workflow-level parameter applies to the steps whose operation has it.
      if (param.fromWorkflow) continue;
      diagnostics.error(
        "unknown-parameter",
        `operation ${describe} has no ${paramIn} parameter \`${param.name}\``,
        paramLocation,
        suggestion(
          param.name,
          operation.parameters.filter((p) => p.in === paramIn).map((p) => p.name),
        ),
      );
      continue;
    }
    let value = toValueModel(param.value, arazzo, param.valuePath, diagnostics);
    if (declared) value = listFromString(value, declared, diagnostics);
    scope.checkValue(value);
    const name = declared?.name ?? param.name;
    // A path parameter is text in the URL, whatever the description says of it.
    if (undeclared && named) scope.noteInputTarget(value, { kind: "string" }, `path parameter \`${name}\` of step \`${step.stepId}\``, true, undefined, "path");
    if (declared) {
      scope.noteInputTarget(
        value,
        {
          kind: "access",
          root: { kind: "parameters", stepId: step.stepId! },
          segments: [
            { key: paramIn, index: false },
            { key: name, index: false },
          ],
        },
        `${paramIn} parameter \`${name}\` of step \`${step.stepId}\``,
        declared.required,
        declared.schema === undefined ? undefined : schemaSummary(declared.schema, resolve),
        paramIn,
        declared.schema === undefined ? undefined : writtenType(declared.schema, resolve),
      );
    }
    parameters.push({ name, in: paramIn, value, declared: !!declared, location: paramLocation });
  }
  const same = (a: { in: string; name: string }, b: { in: string; name: string }) =>
    a.in === b.in && (a.in === "header" ? a.name.toLowerCase() === b.name.toLowerCase() : a.name === b.name);
  for (const credential of security.credentials) {
    const written = parameters.find((p) => same(p, credential));
    if (written) {
      diagnostics.warning(
        "duplicate-credential",
        `step \`${step.stepId}\` sends ${credential.in} parameter \`${written.name}\` itself: its \`x-security\` entry for scheme \`${credential.credential!.scheme}\` is not used`,
        credential.location,
        "remove one of the two",
      );
      continue;
    }
    parameters.push(credential);
  }
  const unsuppliedParameters = operation.parameters
    .filter((p) => p.required && !parameters.some((s) => same(s, p)))
    .map((p) => {
      const suppliedBy = security.carrier(p);
      return { name: p.name, in: p.in, ...(suppliedBy ? { suppliedBy } : {}) };
    });
  for (const p of unsuppliedParameters) {
    // The run's credentials for that scheme fill it in (`options.auth`).
    if (p.suppliedBy) continue;
    diagnostics.warning(
      "unsupplied-parameter",
      `step \`${step.stepId}\` does not supply required ${p.in} parameter \`${p.name}\` of ${describe}`,
      arazzo.locate([...at, "stepId"]),
      p.in === "header"
        ? `add it at run time with an openapi-fetch middleware passed as \`options.middleware\` (see the generated README)`
        : `supply it in the step's \`parameters\``,
    );
  }

  return { parameters, unsuppliedParameters, queryArrays: arraySerialization(parameters, operation, diagnostics) };
}

/**
 * A literal string given to an array parameter: `opt_fields: "name,notes"` means the list
 * it spells, as the comma-separated form of `style: form` query arrays puts it on the wire.
 */
function listFromString(value: ValueModel, declared: OperationParameter, diagnostics: DiagnosticBag): ValueModel {
  if (value.kind !== "literal" || typeof value.value !== "string" || !isArraySchema(declared.schema)) return value;
  const delimiter = declared.style === "pipeDelimited" ? "|" : declared.style === "spaceDelimited" ? " " : ",";
  const itemType = (declared.schema as { items?: { type?: unknown } }).items?.type;
  const numeric = itemType === "integer" || itemType === "number";
  const items: (string | number)[] = value.value
    .split(delimiter)
    .map((item) => item.trim())
    .filter((item) => item !== "")
    .map((item) => (numeric && item !== "" && Number.isFinite(Number(item)) ? Number(item) : item));
  diagnostics.warning(
    "array-parameter-string",
    `${declared.in} parameter \`${declared.name}\` is an array; the string ${JSON.stringify(value.value)} is read as the list of its ${delimiter === "," ? "comma" : delimiter === "|" ? "pipe" : "space"}-separated items`,
    value.location,
    `write \`value: [${items.map((i) => JSON.stringify(i)).join(", ")}]\``,
  );
  return { kind: "array", items: items.map((item) => ({ kind: "literal", value: item, location: value.location })), location: value.location };
}

function isArraySchema(schema: unknown): boolean {
  const s = schema as { type?: unknown; items?: unknown } | undefined;
  return (
    !!s &&
    typeof s === "object" &&
    (s.type === "array" || (Array.isArray(s.type) && s.type.includes("array")) || (s.type === undefined && s.items !== undefined))
  );
}

/**
 * How openapi-fetch must write the step's query arrays, when the API asks for other than
 * its default (`style: form`, `explode: true`): openapi-fetch takes one array style per request.
 */
function arraySerialization(parameters: readonly ParameterModel[], operation: OperationInfo, diagnostics: DiagnosticBag): OperationStepModel["queryArrays"] {
  const arrays = parameters.flatMap((p) => {
    const declared = p.in === "query" && p.declared ? operation.parameters.find((d) => d.in === "query" && d.name === p.name) : undefined;
    return declared && isArraySchema(declared.schema) ? [{ name: p.name, style: declared.style, explode: declared.explode, location: p.location }] : [];
  });
  const first = arrays.find((s) => s.style !== "form" || !s.explode);
  if (!first || !["form", "spaceDelimited", "pipeDelimited"].includes(first.style)) return undefined;
  const other = arrays.find((a) => a.style !== first.style || a.explode !== first.explode);
  if (other) {
    diagnostics.warning(
      "mixed-array-styles",
      `query arrays \`${first.name}\` (${first.style}, explode ${first.explode}) and \`${other.name}\` (${other.style}, explode ${other.explode}) are serialized differently; openapi-fetch takes one style per request, so both are sent as \`${first.name}\` is`,
      other.location,
      "add a querySerializer middleware, or send one of them as a string in the form the API expects",
    );
  }
  return { style: first.style as "form" | "spaceDelimited" | "pipeDelimited", explode: first.explode };
}
