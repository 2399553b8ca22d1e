/**
 * How the workflows of a document start one another (steps that run workflows, goto and
 * retry actions to workflows, dependsOn): the order to build them in, cycles (an error),
 * and which sources a workflow's options must cover.
 */
import type { DiagnosticBag, SourceLocation } from "../diagnostics.ts";
import type { Workflow } from "../load/arazzo-document.ts";
import type { LoadedDocument } from "../load/document.ts";
import type { SourceModel, WorkflowModel } from "./types.ts";

/** Indices of workflows in an order where each comes after the workflows it runs (document order otherwise; cycles are reported later). */
export function buildOrder(workflows: readonly Workflow[]): number[] {
  const order: number[] = [];
  const state = new Map<number, "visiting" | "done">();
  const indexOf = (id: unknown) => workflows.findIndex((w) => w?.workflowId === id);
  const visit = (i: number) => {
    if (state.has(i)) return;
    state.set(i, "visiting");
    const w = workflows[i];
    const callees = [...(Array.isArray(w?.dependsOn) ? w.dependsOn : []), ...(Array.isArray(w?.steps) ? w.steps.map((s) => s?.workflowId) : [])];
    for (const id of callees) {
      const j = indexOf(id);
      if (j >= 0 && state.get(j) !== "visiting") visit(j);
    }
    state.set(i, "done");
    order.push(i);
  };
  for (let i = 0; i < workflows.length; i++) visit(i);
  return order;
}

/** Workflows that run one another (steps, goto/retry actions, dependsOn) must not form a cycle: a run would never end. */
export function checkCallCycles(workflows: readonly WorkflowModel[], arazzo: LoadedDocument, diagnostics: DiagnosticBag): void {
  const calls = new Map(workflows.map((w) => [w.workflowId, calledWorkflows(w)]));
  const reported = new Set<string>();
  for (const w of workflows) {
    const path = findCycle(w.workflowId, calls, [w.workflowId]);
    // One error per cycle, at the first workflow of it in document order.
    const key = path ? [...new Set(path)].sort().join("|") : "";
    if (path && !reported.has(key)) {
      reported.add(key);
      const via = calls.get(w.workflowId)!.find((c) => c.workflowId === path[1])!;
      diagnostics.error(
        "recursive-workflow",
        `workflow \`${w.workflowId}\` runs itself: ${path.map((id) => `\`${id}\``).join(" → ")}`,
        via.location ?? arazzo.locate([]),
      );
    }
  }
}

function findCycle(id: string, calls: ReadonlyMap<string, readonly { workflowId: string }[]>, path: string[]): string[] | undefined {
  for (const { workflowId } of calls.get(id) ?? []) {
    if (workflowId === path[0]) return [...path, workflowId];
    if (path.includes(workflowId)) continue;
    const found = findCycle(workflowId, calls, [...path, workflowId]);
    if (found) return found;
  }
  return undefined;
}

/** The workflows a workflow can start: dependsOn, steps that run workflows, goto/retry to workflows. */
export function calledWorkflows(w: WorkflowModel): { workflowId: string; location?: SourceLocation }[] {
  return [
    ...w.dependsOn.map((d) => ({ workflowId: d.workflowId, location: d.location })),
    ...w.steps.flatMap((s) => [
      ...(s.kind === "workflow" ? [{ workflowId: s.workflowId, location: s.location }] : []),
      ...[...s.onSuccess, ...s.onFailure].flatMap((a) => (a.target?.kind === "workflow" ? [{ workflowId: a.target.workflowId, location: a.location }] : [])),
    ]),
  ];
}

/** Options of a workflow cover the sources of every workflow it can start, so their base URLs can be set. */
export function withOptionSources(workflows: WorkflowModel[], byId: ReadonlyMap<string, WorkflowModel>): WorkflowModel[] {
  const collect = (w: WorkflowModel, seen: Set<string>): SourceModel[] => {
    if (seen.has(w.workflowId)) return [];
    seen.add(w.workflowId);
    return [...w.sources, ...calledWorkflows(w).flatMap((c) => (byId.get(c.workflowId) ? collect(byId.get(c.workflowId)!, seen) : []))];
  };
  return workflows.map((w) => {
    const all = new Set(collect(w, new Set()));
    return { ...w, optionSources: [...all].sort((a, b) => a.name.localeCompare(b.name)) };
  });
}
