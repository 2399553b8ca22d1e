/**
 * Step ids with whitespace (`Get Order`): the spec says a stepId SHOULD match
 * `[A-Za-z0-9_\-]+` (Arazzo 1.0.1 §"Step Object"), and a runtime expression cannot name one
 * (`$steps.Get Order.outputs.id` ends at the space), yet documents written for other runners
 * have them and mean `$steps.<that step>`. Each is read as the id with its whitespace replaced
 * by `_` (kept unique among the workflow's steps), and every `$steps.<id>.`, action `stepId`
 * and `dependsOn` entry of its workflow that names it is read so too, with a warning at the
 * step, and so is a reusable action's `stepId` in `components`. (1.1.0 says SHOULD too, so
 * 1.1 documents are read the same way.)
 */
import type { DiagnosticBag } from "../diagnostics.ts";
import type { LoadedDocument } from "../load/document.ts";

/** `doc` with its workflows' spaced step ids (and what names them) rewritten; itself when it has none. */
export function rewriteSpacedStepIds(doc: LoadedDocument, diagnostics: DiagnosticBag): LoadedDocument {
  const data = doc.data as { workflows?: unknown } | null;
  if (!data || typeof data !== "object" || !Array.isArray(data.workflows)) return doc;
  const spaced = data.workflows.some((w) => stepsOf(w).some((s) => typeof s?.stepId === "string" && /\s/.test(s.stepId)));
  if (!spaced) return doc;
  const copy = structuredClone(data) as { workflows: unknown[]; components?: Record<string, unknown> };
  const everywhere = new Map<string, string>();
  copy.workflows.forEach((workflow, w) => {
    const steps = stepsOf(workflow);
    const taken = new Set(steps.map((s) => s?.stepId).filter((id): id is string => typeof id === "string"));
    const renamed = new Map<string, string>();
    steps.forEach((step, i) => {
      const id = step?.stepId;
      if (typeof id !== "string" || !/\s/.test(id) || renamed.has(id)) return;
      let name = id.trim().replace(/\s+/g, "_");
      for (let n = 2; taken.has(name); n++) name = `${id.trim().replace(/\s+/g, "_")}_${n}`;
      taken.add(name);
      renamed.set(id, name);
      diagnostics.warning(
        "step-id-with-spaces",
        `step id ${JSON.stringify(id)} has whitespace, which a runtime expression cannot name; it is read as \`${name}\`, and \`$steps.${id}.\` as \`$steps.${name}.\``,
        doc.locate(["workflows", w, "steps", i, "stepId"]),
        `rename the step \`${name}\` (a stepId SHOULD match [A-Za-z0-9_-]+)`,
      );
    });
    if (renamed.size) copy.workflows[w] = rename(workflow, renamed);
    for (const [from, to] of renamed) everywhere.set(from, to);
  });
  // Reusable actions are shared by the workflows: a `goto` there names a renamed step by its new id.
  for (const kind of ["successActions", "failureActions"]) {
    const actions = copy.components?.[kind];
    if (!actions || typeof actions !== "object") continue;
    for (const action of Object.values(actions)) {
      if (action && typeof action === "object" && typeof action.stepId === "string") action.stepId = everywhere.get(action.stepId) ?? action.stepId;
    }
  }
  return { ...doc, data: copy };
}

function stepsOf(workflow: unknown): { stepId?: unknown }[] {
  const steps = (workflow as { steps?: unknown } | null)?.steps;
  return Array.isArray(steps) ? (steps as { stepId?: unknown }[]) : [];
}

/**
 * The workflow with the renamed ids where they name a step: each step's own `stepId`, the
 * `stepId` of its inline success and failure actions and of the workflow's, its `dependsOn`
 * entries, and `$steps.<old>.` in any string (expressions, templates, conditions). A payload
 * field that happens to be called `stepId` is data, and keeps its value.
 */
function rename(workflow: unknown, renamed: ReadonlyMap<string, string>): unknown {
  const copy = renameInStrings(workflow, renamed) as Record<string, unknown>;
  const id = (v: unknown) => (typeof v === "string" ? (renamed.get(v) ?? v) : v);
  const actions = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const action of list) if (action && typeof action === "object" && "stepId" in action) action.stepId = id(action.stepId);
  };
  actions(copy.successActions);
  actions(copy.failureActions);
  for (const step of Array.isArray(copy.steps) ? copy.steps : []) {
    if (!step || typeof step !== "object") continue;
    step.stepId = id(step.stepId);
    actions(step.onSuccess);
    actions(step.onFailure);
    if (Array.isArray(step.dependsOn)) step.dependsOn = step.dependsOn.map(id);
  }
  return copy;
}

/** Every `$steps.<old>.` in a string rewritten (a copy). */
function renameInStrings(value: unknown, renamed: ReadonlyMap<string, string>): unknown {
  if (typeof value === "string") {
    let out = value;
    for (const [from, to] of renamed) out = out.split(`$steps.${from}.`).join(`$steps.${to}.`);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => renameInStrings(v, renamed));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, renameInStrings(v, renamed)]));
  return value;
}
