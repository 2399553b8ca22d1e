/**
 * Which operations of each source description the workflows call, and from which steps:
 * what `openapi/prune.ts` keeps and what `unresolved-refs.ts` names in its warnings. Covers the Arazzo
 * documents named as sources (`type: arazzo`), whose workflows run inside the same package.
 */
import type { DocumentModel, SourceModel } from "./types.ts";
import type { UsedOperation } from "../openapi/prune.ts";

export interface OperationUse extends UsedOperation {
  /** Ids of the steps that call it, in document order, each once. */
  readonly steps: readonly string[];
}

export interface SourceUses {
  readonly source: SourceModel;
  readonly uses: readonly OperationUse[];
}

/** Every source of `doc` and of the Arazzo documents it names, with the operations its steps call (possibly none). */
export function operationUses(doc: DocumentModel): SourceUses[] {
  const models = allModels(doc);
  const bySource = new Map<SourceModel, Map<string, { method: OperationUse["method"]; path: string; steps: string[] }>>();
  for (const source of models.flatMap((m) => m.sources)) bySource.set(source, new Map());
  for (const workflow of models.flatMap((m) => m.workflows)) {
    for (const step of workflow.steps) {
      if (step.kind !== "operation") continue;
      const uses = bySource.get(step.source) ?? new Map();
      bySource.set(step.source, uses);
      const key = `${step.operation.method} ${step.operation.path}`;
      const use = uses.get(key) ?? { method: step.operation.method, path: step.operation.path, steps: [] };
      if (!use.steps.includes(step.stepId)) use.steps.push(step.stepId);
      uses.set(key, use);
    }
  }
  return [...bySource].map(([source, uses]) => ({ source, uses: [...uses.values()] }));
}

/** A document model followed by the models of the Arazzo documents it names, depth first. */
export function allModels(doc: DocumentModel): DocumentModel[] {
  return [doc, ...doc.externals.flatMap((e) => allModels(e.model))];
}
