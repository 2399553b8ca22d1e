/**
 * Control flow of a workflow: whether it is straight-line (no actions: plain sequential
 * code) and, for workflows with jumps, which steps' outputs every normal end of a run is
 * guaranteed to have. A step output that some path to the end skips (an `end` action, a
 * `goto` past it, a failure `end`) is typed as possibly absent.
 *
 * The graph has, per step, an attempt node and its two results (succeeded, failed); the
 * outputs of step S are guaranteed when "S succeeded" dominates the exit.
 */
import type { ActionModel, FlowAnalysis, StepModel } from "./types.ts";

export type { FlowAnalysis };

export function analyzeFlow(steps: readonly StepModel[]): FlowAnalysis {
  const straightLine = steps.every((s) => s.onSuccess.length === 0 && s.onFailure.length === 0);
  if (straightLine) return { straightLine, guaranteed: new Set(steps.map((s) => s.stepId)) };

  // Nodes: 0 = entry is the first attempt; per step i: attempt 3i, ok 3i+1, failed 3i+2; exit = 3n.
  const n = steps.length;
  const exit = 3 * n;
  const index = new Map(steps.map((s, i) => [s.stepId, i]));
  const edges: number[][] = Array.from({ length: exit + 1 }, () => []);
  // A step that did not build (an unknown operation, say) has no node: its errors are reported
  // where it is, the document gets no model, and a jump to it adds no edge.
  const attempt = (stepId: string) => {
    const i = index.get(stepId);
    return i === undefined ? undefined : 3 * i;
  };
  const retryFirst = new Map<number, number[]>(); // step that a retry runs first → steps that resume after it

  steps.forEach((step, i) => {
    edges[3 * i]!.push(3 * i + 1, 3 * i + 2);
    // Success: actions in order; without an unconditional one, the run may fall through.
    const afterSuccess = targetsOf(step.onSuccess, i, attempt, exit, retryFirst);
    if (!step.onSuccess.some((a) => a.criteria.length === 0)) afterSuccess.push(i + 1 < n ? 3 * (i + 1) : exit);
    edges[3 * i + 1]!.push(...afterSuccess);
    // Failure: only through failure actions; without a match the run throws (no edge).
    edges[3 * i + 2]!.push(...targetsOf(step.onFailure, i, attempt, exit, retryFirst));
  });
  // A step run first by a retry hands control back to the retried step when it succeeds.
  for (const [first, resumers] of retryFirst) edges[first + 1]!.push(...resumers);

  const dominators = dominatorSets(edges, 0);
  const exitDominators = dominators[exit];
  const guaranteed = new Set(exitDominators ? steps.filter((_, i) => exitDominators.has(3 * i + 1)).map((s) => s.stepId) : []);
  return { straightLine, guaranteed };
}

function targetsOf(
  actions: readonly ActionModel[],
  i: number,
  attempt: (id: string) => number | undefined,
  exit: number,
  retryFirst: Map<number, number[]>,
): number[] {
  return actions.flatMap((a) => {
    if (a.type === "end") return [exit];
    if (a.type === "goto") {
      if (a.target?.kind !== "step") return [exit];
      const to = attempt(a.target.stepId);
      return to === undefined ? [] : [to];
    }
    // retry: the step again, after its `first` step if it names one.
    if (a.target?.kind === "step") {
      const first = attempt(a.target.stepId);
      if (first === undefined) return [];
      retryFirst.set(first, [...(retryFirst.get(first) ?? []), 3 * i]);
      return [first];
    }
    return [3 * i];
  });
}

/** Dominator sets by the classic iterative data-flow algorithm; unreachable nodes get `undefined`. */
function dominatorSets(edges: readonly number[][], entry: number): (Set<number> | undefined)[] {
  const count = edges.length;
  const predecessors: number[][] = Array.from({ length: count }, () => []);
  edges.forEach((targets, from) => {
    for (const to of targets) predecessors[to]!.push(from);
  });
  const reachable = new Set<number>([entry]);
  const queue = [entry];
  while (queue.length) {
    for (const to of edges[queue.shift()!]!) {
      if (!reachable.has(to)) {
        reachable.add(to);
        queue.push(to);
      }
    }
  }

  const all = new Set(reachable);
  const dom: (Set<number> | undefined)[] = Array.from({ length: count }, (_, v) =>
    v === entry ? new Set([entry]) : reachable.has(v) ? new Set(all) : undefined,
  );
  let changed = true;
  while (changed) {
    changed = false;
    for (const v of reachable) {
      if (v === entry) continue;
      let next: Set<number> | undefined;
      for (const p of predecessors[v]!) {
        const d = dom[p];
        if (!d) continue;
        next = next ? new Set([...next].filter((x) => d.has(x))) : new Set(d);
      }
      next = new Set([...(next ?? []), v]);
      if (next.size !== dom[v]!.size) {
        dom[v] = next;
        changed = true;
      }
    }
  }
  return dom;
}
