/**
 * The credentials each workflow's run must be given (`WorkflowModel.credentials`): the
 * security requirements (OpenAPI 3.1 §4.8.30) of every operation the workflow calls, and
 * the workflows it can start call, that its steps do not meet themselves. A requirement whose
 * schemes the step sends itself (the Fintecture seed's `Authorization: Bearer {token}` from
 * its own token step) needs nothing; with alternatives, one the steps meet needs nothing.
 */
import type { CredentialNeedModel, SourceModel, WorkflowModel } from "./types.ts";
import { calledWorkflows } from "./workflow-graph.ts";

export function withCredentialNeeds(workflows: WorkflowModel[], byId: ReadonlyMap<string, WorkflowModel>): WorkflowModel[] {
  return workflows.map((w) => ({ ...w, credentials: credentialNeeds(w, byId) }));
}

function credentialNeeds(workflow: WorkflowModel, byId: ReadonlyMap<string, WorkflowModel>): CredentialNeedModel[] {
  const bySource = new Map<string, { source: SourceModel; needs: Map<string, string[][]> }>();
  const seen = new Set<string>();
  const visit = (w: WorkflowModel) => {
    if (seen.has(w.workflowId)) return;
    seen.add(w.workflowId);
    for (const step of w.steps) {
      if (step.kind !== "operation" || step.source.kind === "asyncapi" || !step.security.length) continue;
      const entry = bySource.get(step.source.name) ?? { source: step.source, needs: new Map() };
      bySource.set(step.source.name, entry);
      // What is left of each alternative once the step's own credentials are taken out.
      const alternatives = step.security.map((r) => [...new Set(r.map((s) => s.scheme))].filter((name) => !step.suppliedSchemes.includes(name)).sort());
      if (alternatives.some((a) => a.length === 0)) continue;
      const unique = [...new Map(alternatives.map((a) => [a.join("\u0000"), a])).values()];
      entry.needs.set(unique.map((a) => a.join("\u0000")).join("\u0001"), unique);
    }
    for (const called of calledWorkflows(w)) {
      const callee = byId.get(called.workflowId);
      if (callee) visit(callee);
    }
  };
  visit(workflow);
  return [...bySource.values()].sort((a, b) => a.source.name.localeCompare(b.source.name)).map(({ source, needs }) => ({ source, needs: [...needs.values()] }));
}
