/**
 * Parameter Objects (Arazzo 1.0.1 §"Parameter Object"), inline or as Reusable Objects
 * pointing at `$components.parameters.<name>` with an optional `value` override, and the
 * merge of workflow-level parameters into each step ("overridden at the step level but
 * cannot be removed").
 */
import type { DiagnosticBag } from "../diagnostics.ts";
import { parseExpression } from "../expressions/parse.ts";
import type { ArazzoDocument, Parameter, ReusableObject } from "../load/arazzo-document.ts";
import type { DataPath, LoadedDocument } from "../load/document.ts";

export interface ResolvedParameter {
  readonly name: string;
  /** Absent only for parameters of a step that runs a workflow (they map to its inputs). */
  readonly in?: "path" | "query" | "querystring" | "header" | "cookie";
  readonly value: unknown;
  /** Where the value is written, for locating it. */
  readonly valuePath: DataPath;
  /** Where the parameter is written. */
  readonly at: DataPath;
  /** Declared on the workflow rather than the step. */
  readonly fromWorkflow: boolean;
}

export interface ParameterContext {
  readonly doc: LoadedDocument;
  readonly raw: ArazzoDocument;
  readonly diagnostics: DiagnosticBag;
  /** `in` is required (operation steps) or optional (workflow steps). */
  readonly requireIn: boolean;
}

/** The step's parameters after the workflow's: a step parameter replaces a workflow one with the same name and location. */
export function stepParameters(stepList: unknown, stepAt: DataPath, workflowList: unknown, workflowAt: DataPath, ctx: ParameterContext): ResolvedParameter[] {
  const own = resolveList(stepList, stepAt, ctx, false);
  const inherited = resolveList(workflowList, workflowAt, ctx, true);
  const key = (p: ResolvedParameter) => `${p.in ?? ""}|${p.in === "header" ? p.name.toLowerCase() : p.name}`;
  const seen = new Set<string>();
  for (const p of own) {
    if (seen.has(key(p)))
      ctx.diagnostics.error("duplicate-parameter", `parameter \`${p.name}\`${p.in ? ` in ${p.in}` : ""} is listed twice`, ctx.doc.locate(p.at));
    seen.add(key(p));
  }
  return [...inherited.filter((p) => !seen.has(key(p))), ...own];
}

function resolveList(list: unknown, at: DataPath, ctx: ParameterContext, fromWorkflow: boolean): ResolvedParameter[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    ctx.diagnostics.error("invalid-type", "parameters must be a list", ctx.doc.locate(at));
    return [];
  }
  return list.flatMap((raw, i) => {
    const p = resolveParameter(raw, [...at, i], ctx, fromWorkflow);
    return p ? [p] : [];
  });
}

function resolveParameter(raw: Parameter | ReusableObject, at: DataPath, ctx: ParameterContext, fromWorkflow: boolean): ResolvedParameter | undefined {
  if (raw && typeof (raw as ReusableObject).reference === "string") {
    const reusable = raw as ReusableObject;
    const parsed = parseExpression(reusable.reference!);
    const e = parsed.ok ? parsed.value.expression : undefined;
    const name = e?.kind === "components" && e.type === "parameters" ? e.name : undefined;
    const target = name !== undefined ? ctx.raw.components?.parameters?.[name] : undefined;
    if (!target) {
      ctx.diagnostics.error(
        "unresolved-reference",
        `\`${reusable.reference}\` does not name a parameter in components.parameters`,
        ctx.doc.locate([...at, "reference"]),
      );
      return undefined;
    }
    const overridden = "value" in reusable;
    return checkShape(
      { ...target, value: overridden ? reusable.value : target.value },
      overridden ? [...at, "value"] : ["components", "parameters", name!, "value"],
      overridden ? at : ["components", "parameters", name!],
      ctx,
      fromWorkflow,
    );
  }
  return checkShape(raw as Parameter, [...at, "value"], at, ctx, fromWorkflow);
}

function checkShape(param: Parameter, valuePath: DataPath, at: DataPath, ctx: ParameterContext, fromWorkflow: boolean): ResolvedParameter | undefined {
  if (typeof param?.name !== "string") {
    ctx.diagnostics.error("missing-field", "parameter has no `name`", ctx.doc.locate(at));
    return undefined;
  }
  if (!("value" in param)) {
    ctx.diagnostics.error("missing-field", `parameter \`${param.name}\` has no \`value\``, ctx.doc.locate(at));
    return undefined;
  }
  // `querystring` is Arazzo 1.1's (the 1.0 schema has already rejected it in a 1.0 document).
  const valid = param.in === undefined ? !ctx.requireIn : ["path", "query", "querystring", "header", "cookie"].includes(param.in);
  if (!valid) {
    ctx.diagnostics.error(
      "invalid-parameter-in",
      `parameter \`${param.name}\` needs \`in\`: path, query, querystring, header or cookie`,
      ctx.doc.locate([...at, param.in ? "in" : "name"]),
    );
    return undefined;
  }
  return { name: param.name, in: param.in, value: param.value, valuePath, at, fromWorkflow };
}
