/**
 * Success and Failure Action Objects (Arazzo 1.0.1 §"Success Action Object",
 * §"Failure Action Object"), inline or as Reusable Objects pointing into
 * `components.successActions` / `components.failureActions`, and how step-level actions
 * override workflow-level ones ("can be overridden at the step level but cannot be removed").
 */
import type { DiagnosticBag } from "../diagnostics.ts";
import { parseExpression } from "../expressions/parse.ts";
import type { ArazzoDocument } from "../load/arazzo-document.ts";
import type { DataPath, LoadedDocument } from "../load/document.ts";
import { buildCriteria, type ReferenceCheck } from "./criteria.ts";
import { closest } from "../shared/suggest.ts";
import { stepParameters } from "./parameters.ts";
import type { ActionModel } from "./types.ts";
import { parsedExpressionsIn, toValueModel } from "./values.ts";

export type ActionKind = "success" | "failure";

export interface ActionContext {
  readonly doc: LoadedDocument;
  readonly raw: ArazzoDocument;
  readonly diagnostics: DiagnosticBag;
  /** Step ids of the workflow the actions belong to. */
  readonly stepIds: readonly string[];
  /** Workflow ids of the document. */
  readonly workflowIds: readonly string[];
  readonly check: ReferenceCheck;
}

const TYPES: Record<ActionKind, readonly string[]> = { success: ["end", "goto"], failure: ["end", "goto", "retry"] };

export function buildActions(kind: ActionKind, list: unknown, at: DataPath, ctx: ActionContext): ActionModel[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    ctx.diagnostics.error("invalid-type", `${kind} actions must be a list`, ctx.doc.locate(at));
    return [];
  }
  const names = new Set<string>();
  return list.flatMap((item, i) => {
    const resolved = resolveReusable(kind, item, [...at, i], ctx);
    if (!resolved) return [];
    const action = buildAction(kind, resolved.action, resolved.at, ctx);
    if (!action) return [];
    if (names.has(action.name)) {
      ctx.diagnostics.error("duplicate-action", `${kind} action \`${action.name}\` is listed twice`, ctx.doc.locate([...at, i]));
      return [];
    }
    names.add(action.name);
    return [action];
  });
}

/** Step actions first; workflow actions follow unless a step action has the same name. */
export function mergeActions(step: readonly ActionModel[], workflow: readonly ActionModel[]): ActionModel[] {
  return [...step, ...workflow.filter((w) => !step.some((s) => s.name === w.name))];
}

function resolveReusable(kind: ActionKind, item: unknown, at: DataPath, ctx: ActionContext): { action: Record<string, unknown>; at: DataPath } | undefined {
  const object = item as Record<string, unknown> | null;
  if (!object || typeof object !== "object") {
    ctx.diagnostics.error("invalid-type", `a ${kind} action must be an object`, ctx.doc.locate(at));
    return undefined;
  }
  if (typeof object.reference !== "string") return { action: object, at };
  const field = kind === "success" ? "successActions" : "failureActions";
  const parsed = parseExpression(object.reference);
  const e = parsed.ok ? parsed.value.expression : undefined;
  const name = e?.kind === "components" && e.type === field ? e.name : undefined;
  const target = name !== undefined ? (ctx.raw.components?.[field] as Record<string, unknown> | undefined)?.[name] : undefined;
  if (!target || typeof target !== "object") {
    const available = Object.keys((ctx.raw.components?.[field] as object | undefined) ?? {});
    ctx.diagnostics.error(
      "unresolved-reference",
      `\`${object.reference}\` does not name an action in components.${field}`,
      ctx.doc.locate([...at, "reference"]),
      name !== undefined && closest(name, available) ? `did you mean \`$components.${field}.${closest(name, available)}\`?` : undefined,
    );
    return undefined;
  }
  return { action: target as Record<string, unknown>, at: ["components", field, name!] };
}

function buildAction(kind: ActionKind, raw: Record<string, unknown>, at: DataPath, ctx: ActionContext): ActionModel | undefined {
  const { doc, diagnostics } = ctx;
  const location = doc.locate(at);
  if (typeof raw.name !== "string") {
    diagnostics.error("missing-field", `${kind} action has no \`name\``, location);
    return undefined;
  }
  const type = raw.type;
  if (typeof type !== "string" || !TYPES[kind].includes(type)) {
    diagnostics.error(
      "invalid-action-type",
      `${kind} action \`${raw.name}\` has type ${JSON.stringify(type)}; expected ${TYPES[kind].join(", ")}`,
      doc.locate([...at, "type"]),
    );
    return undefined;
  }
  let target: ActionModel["target"];
  if (raw.stepId !== undefined && raw.workflowId !== undefined) {
    diagnostics.error("conflicting-fields", `action \`${raw.name}\` names both a stepId and a workflowId`, location);
    return undefined;
  }
  if (typeof raw.stepId === "string") {
    if (!ctx.stepIds.includes(raw.stepId)) {
      const best = closest(raw.stepId, ctx.stepIds);
      diagnostics.error(
        "unknown-step",
        `action \`${raw.name}\` goes to step \`${raw.stepId}\`, which is not in this workflow`,
        doc.locate([...at, "stepId"]),
        best ? `did you mean \`${best}\`?` : undefined,
      );
      return undefined;
    }
    target = { kind: "step", stepId: raw.stepId };
  } else if (typeof raw.workflowId === "string") {
    if (!ctx.workflowIds.includes(raw.workflowId)) {
      const best = closest(raw.workflowId, ctx.workflowIds);
      diagnostics.error(
        "unknown-workflow",
        `action \`${raw.name}\` goes to workflow \`${raw.workflowId}\`, which does not exist`,
        doc.locate([...at, "workflowId"]),
        best ? `did you mean \`${best}\`?` : undefined,
      );
      return undefined;
    }
    target = { kind: "workflow", workflowId: raw.workflowId };
  }
  if (type === "goto" && !target) {
    diagnostics.error("missing-field", `goto action \`${raw.name}\` needs a stepId or a workflowId`, location);
    return undefined;
  }
  if (type === "end" && target) {
    diagnostics.warning("ignored-field", `end action \`${raw.name}\` ignores its ${target.kind === "step" ? "stepId" : "workflowId"}`, location);
    target = undefined;
  }
  let retryAfter: number | undefined;
  let retryLimit = 1;
  if (type === "retry") {
    if (raw.retryAfter !== undefined) {
      if (typeof raw.retryAfter !== "number" || !(raw.retryAfter >= 0) || !Number.isFinite(raw.retryAfter)) {
        diagnostics.error("invalid-retry", "`retryAfter` must be a non-negative number of seconds", doc.locate([...at, "retryAfter"]));
        return undefined;
      }
      retryAfter = raw.retryAfter;
    }
    if (raw.retryLimit !== undefined) {
      if (!Number.isInteger(raw.retryLimit) || (raw.retryLimit as number) < 0) {
        diagnostics.error("invalid-retry", "`retryLimit` must be a non-negative integer", doc.locate([...at, "retryLimit"]));
        return undefined;
      }
      retryLimit = raw.retryLimit as number;
    }
  }
  const criteria = buildCriteria(raw.criteria, [...at, "criteria"], doc, diagnostics, ctx.check);
  const inputs = raw.parameters === undefined ? undefined : workflowInputs(raw, at, target, ctx);
  if (raw.parameters !== undefined && !inputs) return undefined;
  return { name: raw.name, type: type as ActionModel["type"], target, retryAfter, retryLimit, criteria, ...(inputs ? { inputs } : {}), location };
}

/**
 * Arazzo 1.1 `parameters` on an action that goes to a workflow: the inputs it is started
 * with, each checked against that workflow's inputs (`in` has no meaning there: a warning).
 * Undefined when they cannot be read (reported).
 */
function workflowInputs(raw: Record<string, unknown>, at: DataPath, target: ActionModel["target"], ctx: ActionContext): ActionModel["inputs"] {
  const { doc, diagnostics } = ctx;
  if (target?.kind !== "workflow") {
    diagnostics.error(
      "unexpected-parameters",
      `action \`${String(raw.name)}\` has parameters, but it does not start a workflow: parameters are the inputs of the workflow a goto or retry action names`,
      doc.locate([...at, "parameters"], "key"),
    );
    return undefined;
  }
  const workflow = ctx.raw.workflows?.find((w) => w?.workflowId === target.workflowId);
  const names = Object.keys((workflow?.inputs as { properties?: object } | undefined)?.properties ?? {});
  const resolved = stepParameters(raw.parameters, [...at, "parameters"], undefined, [], { doc, raw: ctx.raw, diagnostics, requireIn: false });
  const inputs: NonNullable<ActionModel["inputs"]>[number][] = [];
  for (const param of resolved) {
    if (param.in !== undefined) {
      diagnostics.warning(
        "action-parameter-in",
        `parameter \`${param.name}\` of action \`${String(raw.name)}\` is an input of workflow \`${target.workflowId}\`: \`in: ${param.in}\` has no meaning there`,
        doc.locate([...param.at, "in"]),
        'remove `in` (Arazzo 1.1: "The `in` field MUST NOT be used")',
      );
    }
    if (!names.includes(param.name)) {
      diagnostics.error(
        "unknown-input",
        `workflow \`${target.workflowId}\` has no input \`${param.name}\``,
        doc.locate(param.at),
        closest(param.name, names) ? `did you mean \`${closest(param.name, names)}\`?` : undefined,
      );
      continue;
    }
    const value = toValueModel(param.value, doc, param.valuePath, diagnostics);
    for (const { parsed, location } of parsedExpressionsIn(value)) ctx.check(parsed, location);
    inputs.push({ name: param.name, value, location: doc.locate(param.at) });
  }
  const required = (workflow?.inputs as { required?: unknown } | undefined)?.required;
  const missing = (Array.isArray(required) ? required : []).filter((name) => typeof name === "string" && !inputs.some((i) => i.name === name));
  if (missing.length) {
    diagnostics.error(
      "missing-input",
      `action \`${String(raw.name)}\` starts workflow \`${target.workflowId}\` without its required input${missing.length > 1 ? "s" : ""} ${missing.map((m) => `\`${m}\``).join(", ")}`,
      doc.locate([...at, "parameters"], "key"),
      `add ${missing.map((m) => `\`- name: ${m}\``).join(", ")} with a value to its parameters`,
    );
    return undefined;
  }
  return inputs;
}
