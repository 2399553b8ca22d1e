/**
 * A workflow run's flowchart as an SVG string, for the HTML report (`report-html.ts`): the
 * workflow's steps as the document writes them (`WorkflowRunReport.graph`), with the path the
 * run took (`steps` and their transitions) highlighted.
 *
 * Nodes: a start node, one box per step, an end node, one box per workflow a `goto` leaves for.
 * Edges: start → first step; each step → the next in document order (where the run goes when
 * no `onSuccess` action applies, so none when one applies unconditionally; the last step's goes
 * to the end); one per action (`goto` to its step or workflow, `end` to the end node, `retry` to
 * its step or back to the step itself), labelled with the action's name, `onFailure` ones dashed.
 * A transition the document does not explain (a report from another version of it) gets an edge
 * of its own, so the path drawn is always the whole path.
 *
 * Highlight: the nodes the run visited are filled, the edges it took are thicker and coloured,
 * with `×n` when taken several times (a poll loop); the step that failed the run is red. Only
 * the steps of this workflow count: steps of a workflow it ran (`workflowId` another id) are not
 * in its graph.
 *
 * Layout is `@dagrejs/dagre`'s (ranks, crossings, edge routes), loaded on the first call so that
 * nothing but writing an HTML report pays for it; self-loops are drawn here (dagre's are not
 * usable), in room reserved beside their node. Drawing is plain rect/path/text with presentation
 * attributes, no `style` attribute and no `<style>` (a page's Content-Security-Policy hashes its
 * one stylesheet), so the SVG reads the same inline and standalone. Text widths are estimated
 * for a monospace font (0.6 em a character), long text is cut with `…` and given whole in a
 * `<title>`. Output depends only on the run: same report, same bytes.
 *
 * The classes and data attributes are what the page's script and tests hold on to: `node`
 * (`step`, `start`, `end`, `workflow`; `visited`, `failed`) with `data-step`, `edge` (`taken`)
 * with `data-from`, `data-to` (node keys: `start`, `end`, `step:<id>`, `workflow:<id>`),
 * `data-kind`, `data-action` and `data-count`.
 */
import type { GraphAction, GraphStep, WorkflowRunReport } from "./report.ts";

export interface FlowchartOptions {
  /** Prefix of the ids the SVG defines (its arrow markers): unique in the page. */
  readonly idPrefix: string;
  /** Where a click on a step's node leads (the step's panel, `#…`); no link when undefined. */
  readonly href?: (stepId: string) => string | undefined;
  /** A standalone `.svg` file: with the SVG namespace (inline in HTML it needs none). */
  readonly standalone?: boolean;
}

/** What the flowchart is drawn from: a workflow run, or any value with these fields. */
export type FlowchartRun = Pick<WorkflowRunReport, "workflowId" | "status" | "steps" | "graph" | "error">;

type NodeKind = "start" | "end" | "step" | "workflow";
type EdgeKind = "start" | "next" | "goto" | "goto-workflow" | "retry" | "end";

export interface FlowNode {
  /** `start`, `end`, `step:<stepId>` or `workflow:<workflowId>`. */
  readonly key: string;
  readonly kind: NodeKind;
  readonly label: string;
  /** The second line of a step's box: what it does. */
  readonly detail: string;
  /** How many times the run ran the step (or reached the node). */
  visits: number;
  failed: boolean;
}

export interface FlowEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  /** The action's list: `onFailure` edges are dashed. */
  readonly branch?: "success" | "failure";
  readonly action?: string;
  /** How many times the run took it. */
  count: number;
  /** Not in the document: added for a transition its graph does not explain. */
  readonly unexplained?: boolean;
}

export interface FlowModel {
  readonly nodes: FlowNode[];
  readonly edges: FlowEdge[];
}

const START = "start";
const END = "end";
const stepKey = (stepId: string) => `step:${stepId}`;
const workflowKey = (target: string) => `workflow:${target.replace(/^workflow:/, "")}`;

/** The graph and the run's path through it, without layout. */
export function flowchartModel(run: FlowchartRun): FlowModel {
  const nodes = new Map<string, FlowNode>();
  const edges: FlowEdge[] = [];
  const steps = run.graph.steps;
  const addNode = (key: string, kind: NodeKind, label: string, detail = "") => {
    let node = nodes.get(key);
    if (!node) {
      node = { key, kind, label, detail, visits: 0, failed: false };
      nodes.set(key, node);
    }
    return node;
  };
  const nodeForTarget = (target: string) =>
    target.startsWith("workflow:") ? addNode(workflowKey(target), "workflow", target.slice("workflow:".length), "workflow") : stepNode(target);
  const stepNode = (stepId: string) => addNode(stepKey(stepId), "step", stepId, steps.some((s) => s.stepId === stepId) ? "" : "(not in the document)");

  addNode(START, "start", "start");
  for (const step of steps) addNode(stepKey(step.stepId), "step", step.stepId, step.does);
  const followingKey = (index: number) => (index + 1 < steps.length ? stepKey(steps[index + 1]!.stepId) : END);

  edges.push({ from: START, to: steps[0] ? stepKey(steps[0].stepId) : END, kind: "start", count: 0 });
  steps.forEach((step, index) => {
    const from = stepKey(step.stepId);
    const actionEdge = (action: GraphAction, branch: "success" | "failure") => {
      const target = action.type === "end" ? undefined : (action.target ?? (action.type === "retry" ? step.stepId : undefined));
      if (action.type !== "end" && target === undefined) return; // a goto without a target: nothing to draw
      const to = target === undefined ? END : nodeForTarget(target).key;
      const kind: EdgeKind = action.type === "end" ? "end" : action.type === "retry" ? "retry" : to.startsWith("workflow:") ? "goto-workflow" : "goto";
      edges.push({ from, to, kind, branch, action: action.name, count: 0 });
    };
    for (const action of step.onSuccess) actionEdge(action, "success");
    if (!alwaysLeaves(step)) edges.push({ from, to: followingKey(index), kind: "next", count: 0 });
    for (const action of step.onFailure) actionEdge(action, "failure");
  });
  addNode(END, "end", "end");

  // The path: this workflow's steps, in the order the run took them.
  const own = run.steps.filter((s) => s.workflowId === run.workflowId);
  const take = (found: FlowEdge | undefined, fallback: Omit<FlowEdge, "count" | "unexplained">) => {
    let edge = found;
    if (!edge) {
      edge = { ...fallback, count: 0, unexplained: true };
      edges.push(edge);
    }
    edge.count++;
  };
  own.forEach((s, index) => {
    const node = stepNode(s.stepId);
    node.visits++;
    if (index === 0)
      take(
        edges.find((e) => e.kind === "start" && e.to === node.key),
        { from: START, to: node.key, kind: "start" },
      );
    const t = s.transition;
    const branch = s.outcome === "success" ? "success" : "failure";
    const action = t.action !== undefined ? { action: t.action } : {};
    // Among the edges leaving the step to `to`: the transition's action in the outcome's list, else of that name anywhere.
    const pick = (to: string | undefined, unnamed: (e: FlowEdge) => boolean) => {
      const out = edges.filter((e) => e.from === node.key && e.kind !== "start" && (to === undefined || e.to === to));
      if (t.action === undefined) return out.find(unnamed);
      return out.find((e) => e.action === t.action && e.branch === branch) ?? out.find((e) => e.action === t.action);
    };
    switch (t.type) {
      case "fail":
        node.failed = true;
        break;
      case "next": {
        const docIndex = steps.findIndex((g) => g.stepId === s.stepId);
        const to = t.to !== undefined ? stepNode(t.to).key : docIndex >= 0 ? followingKey(docIndex) : END;
        take(
          edges.find((e) => e.from === node.key && e.kind === "next" && e.to === to),
          { from: node.key, to, kind: "next" },
        );
        break;
      }
      case "end":
        take(
          pick(END, (e) => e.kind === "next" || e.kind === "end"),
          { from: node.key, to: END, kind: "end", branch, ...action },
        );
        break;
      default: {
        // `to`: the step (or workflow, as `workflow:<id>` or bare) the run went to; a retry without one retried this step.
        const target = t.to ?? (t.type === "retry" ? s.stepId : undefined);
        const to = target === undefined ? undefined : t.type === "goto-workflow" || target.startsWith("workflow:") ? workflowKey(target) : stepKey(target);
        const found = pick(to, (e) => e.kind === t.type) ?? (t.action !== undefined ? pick(undefined, () => false) : undefined);
        if (!found && to !== undefined) {
          if (to.startsWith("workflow:")) addNode(to, "workflow", to.slice("workflow:".length), "workflow");
          else stepNode(target!);
        }
        take(found, { from: node.key, to: to ?? node.key, kind: t.type, branch, ...action });
      }
    }
  });
  // Start, the end and other workflows are visited as often as the run reached them.
  for (const node of nodes.values()) {
    if (node.kind === "start") node.visits = own.length > 0 ? 1 : 0;
    else if (node.kind !== "step") node.visits = edges.reduce((sum, e) => sum + (e.to === node.key ? e.count : 0), 0);
  }

  // Where the run failed: the step its error names, or the last step, when it failed; when the error is
  // another workflow's, that workflow's node if the run went there, else the step that ran it (the last).
  if (run.status === "failed") {
    const error = run.error;
    const last = own.at(-1);
    const elsewhere = error?.workflowId !== undefined && error.workflowId !== run.workflowId;
    if (!elsewhere && error?.stepId !== undefined && nodes.has(stepKey(error.stepId))) nodes.get(stepKey(error.stepId))!.failed = true;
    if (last?.outcome === "failure" && (last.transition.type === "fail" || last.transition.type === "end")) nodes.get(stepKey(last.stepId))!.failed = true;
    if (elsewhere) {
      const other = nodes.get(workflowKey(error.workflowId!));
      if (other && other.visits > 0) other.failed = true;
      else if (last) nodes.get(stepKey(last.stepId))!.failed = true;
    }
  }
  return { nodes: [...nodes.values()], edges };
}

/** An `onSuccess` action without criteria always applies: the run never goes on in document order. */
function alwaysLeaves(step: GraphStep): boolean {
  return step.onSuccess.some((a) => a.criteria.length === 0 && a.type !== "retry" && (a.type === "end" || a.target !== undefined));
}

// ——— Drawing ———

const MONO = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace";
const CHAR = 0.6; // em per character of a monospace font
const ID_SIZE = 13;
const DETAIL_SIZE = 11;
const LABEL_SIZE = 11;
const STEP_HEIGHT = 48;
const TERMINAL = { width: 76, height: 30 };
const LOOP = { first: 50, step: 22 }; // a self-loop's reach beyond its box, and the next one's extra

const COLOR = {
  line: "#94a3b8",
  text: "#334155",
  muted: "#64748b",
  box: "#ffffff",
  terminal: "#f1f5f9",
  taken: "#2563eb",
  visitedFill: "#dbeafe",
  visitedStroke: "#1d4ed8",
  visitedText: "#0f172a",
  failed: "#dc2626",
  failedFill: "#fee2e2",
  failedText: "#7f1d1d",
};

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Point {
  x: number;
  y: number;
}

/** The flowchart of a workflow run, laid out and drawn. */
export async function flowchartSvg(run: FlowchartRun, options: FlowchartOptions): Promise<string> {
  const model = flowchartModel(run);
  const { graphlib, layout } = await import("@dagrejs/dagre");

  const boxes = new Map<string, { width: number; height: number; reserve: number }>();
  const selfLoops = new Map<string, FlowEdge[]>();
  for (const edge of model.edges) if (edge.from === edge.to) selfLoops.set(edge.from, [...(selfLoops.get(edge.from) ?? []), edge]);
  for (const node of model.nodes) {
    const size =
      node.kind === "start" || node.kind === "end"
        ? TERMINAL
        : {
            width: Math.max(128, Math.max(cut(node.label, 34).length * ID_SIZE, cut(node.detail, 52).length * DETAIL_SIZE) * CHAR + 28),
            height: STEP_HEIGHT,
          };
    const loops = selfLoops.get(node.key) ?? [];
    const reserve = loops.length === 0 ? 0 : loopReach(loops.length - 1) * 0.75 + 10 + Math.max(...loops.map((edge) => labelWidth(edgeLabel(edge))));
    boxes.set(node.key, { ...size, reserve });
  }

  const g = new graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: "TB", nodesep: 40, ranksep: 60, edgesep: 20, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of model.nodes) {
    const box = boxes.get(node.key)!;
    g.setNode(node.key, { width: box.width + 2 * box.reserve, height: box.height });
  }
  model.edges.forEach((edge, i) => {
    if (edge.from === edge.to) return;
    const text = edgeLabel(edge);
    const label = text ? { width: labelWidth(text), height: LABEL_SIZE + 8, labelpos: "c" as const } : { width: 0, height: 0 };
    // Document order is the spine: keep it straight.
    g.setEdge(edge.from, edge.to, { ...label, minlen: 1, weight: edge.kind === "next" || edge.kind === "start" ? 4 : 1 }, `e${i}`);
  });
  layout(g);

  const placed = new Map<string, Box>();
  for (const node of model.nodes) {
    const at = g.node(node.key);
    const box = boxes.get(node.key)!;
    placed.set(node.key, { x: at.x! - box.width / 2, y: at.y! - box.height / 2, width: box.width, height: box.height });
  }
  const graph = g.graph();
  const width = Math.ceil(graph.width ?? 0);
  const height = Math.ceil(graph.height ?? 0);
  const p = options.idPrefix;

  const edgeSvg = model.edges.map((edge, i) => {
    if (edge.from === edge.to) {
      const loops = selfLoops.get(edge.from)!;
      return drawSelfLoop(edge, placed.get(edge.from)!, loops.indexOf(edge), loops.length, p);
    }
    const points = (g.edge({ v: edge.from, w: edge.to, name: `e${i}` }).points ?? []) as Point[];
    const label = g.edge({ v: edge.from, w: edge.to, name: `e${i}` });
    const at = label.width ? { x: label.x as number, y: label.y as number } : undefined;
    return drawEdge(edge, clipEnds(points, placed.get(edge.from)!, placed.get(edge.to)!), at, p);
  });
  // Taken edges over the others.
  const order = model.edges.map((_, i) => i).sort((a, b) => Number(model.edges[a]!.count > 0) - Number(model.edges[b]!.count > 0) || a - b);

  const taken = model.edges.filter((e) => e.count > 0).length;
  const title = `Flowchart of workflow ${run.workflowId}: ${model.nodes.filter((n) => n.kind === "step").length} steps; the run took ${taken} of ${model.edges.length} edges`;
  return [
    `<svg${options.standalone ? ' xmlns="http://www.w3.org/2000/svg"' : ""} class="flowchart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="${MONO}" role="group" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    "<defs>",
    marker(`${p}-arrow`, COLOR.line, 9),
    marker(`${p}-arrow-taken`, COLOR.taken, 12),
    "</defs>",
    `<g class="edges">`,
    ...order.map((i) => edgeSvg[i]!),
    "</g>",
    `<g class="nodes">`,
    ...model.nodes.map((node) => drawNode(node, placed.get(node.key)!, options.href)),
    "</g>",
    "</svg>",
  ].join("\n");
}

function drawNode(node: FlowNode, box: Box, href: FlowchartOptions["href"]): string {
  const visited = node.visits > 0;
  const classes = ["node", node.kind, visited ? "visited" : "", node.failed ? "failed" : ""].filter(Boolean).join(" ");
  const cx = box.x + box.width / 2;
  const stroke = node.failed ? COLOR.failed : visited ? COLOR.visitedStroke : COLOR.line;
  const strokeWidth = node.failed ? 3 : visited ? 2.5 : 1.5;
  const attrs = `stroke="${stroke}" stroke-width="${strokeWidth}"`;
  const parts: string[] = [];
  let tooltip: string;
  if (node.kind === "start" || node.kind === "end") {
    const fill = visited ? COLOR.visitedStroke : COLOR.terminal;
    parts.push(`<rect x="${n(box.x)}" y="${n(box.y)}" width="${n(box.width)}" height="${n(box.height)}" rx="${n(box.height / 2)}" fill="${fill}" ${attrs}/>`);
    parts.push(text(cx, box.y + box.height / 2 + 4, node.label, { size: 12, weight: "bold", fill: visited ? "#ffffff" : COLOR.muted }));
    tooltip = node.kind === "start" ? "Start of the workflow" : visited ? "End of the workflow: the run reached it" : "End of the workflow";
  } else {
    const fill = node.failed ? COLOR.failedFill : visited ? COLOR.visitedFill : COLOR.box;
    const ink = node.failed ? COLOR.failedText : visited ? COLOR.visitedText : COLOR.text;
    const dash = node.kind === "workflow" || node.detail === "(not in the document)" ? ' stroke-dasharray="5 3"' : "";
    parts.push(`<rect x="${n(box.x)}" y="${n(box.y)}" width="${n(box.width)}" height="${n(box.height)}" rx="6" fill="${fill}" ${attrs}${dash}/>`);
    const label = node.kind === "workflow" ? `→ ${node.label}` : node.label;
    parts.push(text(cx, box.y + 20, cut(label, 34), { size: ID_SIZE, weight: "bold", fill: ink }));
    parts.push(text(cx, box.y + 37, cut(node.detail, 52), { size: DETAIL_SIZE, fill: node.failed ? COLOR.failedText : COLOR.muted }));
    const badge = [node.visits > 1 ? `×${node.visits}` : "", node.failed ? "failed" : ""].filter(Boolean).join(" · ");
    if (badge) {
      const w = badge.length * LABEL_SIZE * CHAR + 12;
      const bx = box.x - 6; // top left: edges come in at the top's middle, self-loops leave on the right
      const by = box.y - 9;
      parts.push(
        `<g class="badge"><rect x="${n(bx)}" y="${n(by)}" width="${n(w)}" height="18" rx="9" fill="${node.failed ? COLOR.failed : COLOR.visitedStroke}"/>` +
          `${text(bx + w / 2, by + 13, badge, { size: LABEL_SIZE, weight: "bold", fill: "#ffffff" })}</g>`,
      );
    }
    const runs = node.visits === 0 ? "not run" : node.visits === 1 ? "ran once" : `ran ${node.visits} times`;
    tooltip =
      node.kind === "workflow"
        ? `Workflow ${node.label}${visited ? ": the run went there" : ""}`
        : `${node.label}${node.detail ? ` — ${node.detail}` : ""} (${runs}${node.failed ? "; failed the run" : ""})`;
  }
  const stepAttr = node.kind === "step" ? ` data-step="${escapeXml(node.label)}" data-visits="${node.visits}"` : "";
  const group = `<g class="${classes}"${stepAttr}><title>${escapeXml(tooltip)}</title>${parts.join("")}</g>`;
  const link = node.kind === "step" ? href?.(node.label) : undefined;
  return link === undefined ? group : `<a href="${escapeXml(link)}" class="node-link">${group}</a>`;
}

function drawEdge(edge: FlowEdge, points: Point[], labelAt: Point | undefined, prefix: string): string {
  const path = smoothPath(shorten(points, edge.count > 0 ? 5 : 4));
  const label = edgeLabel(edge);
  const labelSvg = labelAt && label ? drawLabel(label, labelAt.x, labelAt.y, edge.count > 0, "middle") : "";
  return edgeGroup(edge, path, labelSvg, prefix);
}

function drawSelfLoop(edge: FlowEdge, box: Box, index: number, total: number, prefix: string): string {
  const right = box.x + box.width;
  const cy = box.y + box.height / 2;
  const reach = loopReach(index);
  const spread = 8 + 7 * index; // nested: the first loop innermost
  const start = { x: right, y: cy - spread };
  const end = { x: right, y: cy + spread };
  const c1 = { x: right + reach, y: cy - spread - 22 };
  const c2 = { x: right + reach, y: cy + spread + 22 };
  // Shorten the end along the last control line so that the arrow's tip touches the box.
  const back = edge.count > 0 ? 5 : 4;
  const len = Math.hypot(c2.x - end.x, c2.y - end.y);
  const tip = { x: end.x + ((c2.x - end.x) / len) * back, y: end.y + ((c2.y - end.y) / len) * back };
  const path = `M${n(start.x)},${n(start.y)} C${n(c1.x)},${n(c1.y)} ${n(c2.x)},${n(c2.y)} ${n(tip.x)},${n(tip.y)}`;
  const label = edgeLabel(edge);
  // Labels beside the outermost loop, one under the other.
  const labelY = cy + (index - (total - 1) / 2) * (LABEL_SIZE + 10);
  const labelSvg = label ? drawLabel(label, right + loopReach(total - 1) * 0.75 + 8, labelY, edge.count > 0, "start") : "";
  return edgeGroup(edge, path, labelSvg, prefix);
}

function edgeGroup(edge: FlowEdge, path: string, labelSvg: string, prefix: string): string {
  const taken = edge.count > 0;
  const classes = ["edge", edge.kind, edge.branch === "failure" ? "on-failure" : "", taken ? "taken" : "", edge.unexplained ? "unexplained" : ""]
    .filter(Boolean)
    .join(" ");
  const data = [
    `data-from="${escapeXml(edge.from)}"`,
    `data-to="${escapeXml(edge.to)}"`,
    `data-kind="${edge.kind}"`,
    edge.action !== undefined ? `data-action="${escapeXml(edge.action)}"` : "",
    `data-count="${edge.count}"`,
  ]
    .filter(Boolean)
    .join(" ");
  const dash = edge.branch === "failure" || edge.unexplained ? ' stroke-dasharray="7 4"' : "";
  const stroke = taken ? `stroke="${COLOR.taken}" stroke-width="3"` : `stroke="${COLOR.line}" stroke-width="1.5"`;
  const marker = `marker-end="url(#${prefix}-arrow${taken ? "-taken" : ""})"`;
  const what =
    edge.kind === "next"
      ? "next in document order"
      : edge.kind === "start"
        ? "start"
        : `${edge.branch === "failure" ? "onFailure" : "onSuccess"} ${edge.kind}${edge.action !== undefined ? ` ${edge.action}` : ""}`;
  const times = taken ? (edge.count === 1 ? "taken once" : `taken ${edge.count} times`) : "not taken";
  const title = `${what}: ${nodeName(edge.from)} → ${nodeName(edge.to)} (${times}${edge.unexplained ? "; not in the document" : ""})`;
  return `<g class="${classes}" ${data}><title>${escapeXml(title)}</title><path d="${path}" fill="none" ${stroke}${dash} ${marker}/>${labelSvg}</g>`;
}

function drawLabel(label: string, x: number, y: number, taken: boolean, anchor: "middle" | "start"): string {
  const w = labelWidth(label);
  const h = LABEL_SIZE + 8;
  const left = anchor === "middle" ? x - w / 2 : x;
  const rect = `<rect x="${n(left)}" y="${n(y - h / 2)}" width="${n(w)}" height="${h}" rx="4" fill="#ffffff" fill-opacity="0.92"/>`;
  return `<g class="edge-label">${rect}${text(left + w / 2, y + 4, label, { size: LABEL_SIZE, weight: taken ? "bold" : "normal", fill: taken ? COLOR.visitedStroke : COLOR.muted })}</g>`;
}

function marker(id: string, color: string, size: number): string {
  // The path stops `size * 0.4` short of the node; the tip reaches it.
  return `<marker id="${escapeXml(id)}" viewBox="0 0 10 10" refX="6" refY="5" markerUnits="userSpaceOnUse" markerWidth="${size}" markerHeight="${size}" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${color}"/></marker>`;
}

function text(x: number, y: number, content: string, style: { size: number; weight?: "bold" | "normal"; fill: string }): string {
  const weight = style.weight === "bold" ? ' font-weight="bold"' : "";
  return `<text x="${n(x)}" y="${n(y)}" text-anchor="middle" font-size="${style.size}"${weight} fill="${style.fill}">${escapeXml(content)}</text>`;
}

function edgeLabel(edge: FlowEdge): string {
  const times = edge.count > 1 ? `×${edge.count}` : "";
  return [cut(edge.action ?? "", 28), times].filter(Boolean).join(" ");
}

function labelWidth(label: string): number {
  return label.length * LABEL_SIZE * CHAR + 10;
}

function loopReach(index: number): number {
  return LOOP.first + LOOP.step * index;
}

function nodeName(key: string): string {
  return key.replace(/^step:/, "");
}

/**
 * The route's ends on the boxes' borders. Dagre ends a route on the border of the room it was
 * given, which is wider than the box where a self-loop needs room: an end on the top or bottom
 * is kept, moved sideways onto the box; an end on a side is moved onto the box's border, on the
 * line from its centre to the route's next point.
 */
function clipEnds(points: Point[], from: Box, to: Box): Point[] {
  if (points.length < 2) return points;
  const out = [...points];
  out[0] = attach(points[0]!, from, points[1]!);
  out[out.length - 1] = attach(points[points.length - 1]!, to, points[points.length - 2]!);
  return out;
}

function attach(end: Point, box: Box, toward: Point): Point {
  const onTopOrBottom = Math.abs(end.y - box.y) < 0.5 || Math.abs(end.y - (box.y + box.height)) < 0.5;
  if (onTopOrBottom) return { x: Math.min(Math.max(end.x, box.x + 10), box.x + box.width - 10), y: end.y };
  return borderPoint(box, toward);
}

/** Where the line from the box's centre towards `toward` leaves the box. */
function borderPoint(box: Box, toward: Point): Point {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const dx = toward.x - cx;
  const dy = toward.y - cy;
  if (dx === 0 && dy === 0) return { x: cx, y: cy };
  const sx = dx === 0 ? Number.POSITIVE_INFINITY : box.width / 2 / Math.abs(dx);
  const sy = dy === 0 ? Number.POSITIVE_INFINITY : box.height / 2 / Math.abs(dy);
  const s = Math.min(sx, sy);
  return { x: cx + dx * s, y: cy + dy * s };
}

/** The last segment shortened by `by`, so that the arrow's tip (which reaches past the path's end) touches the box. */
function shorten(points: Point[], by: number): Point[] {
  if (points.length < 2) return points;
  const a = points[points.length - 2]!;
  const b = points[points.length - 1]!;
  const len = Math.hypot(b.x - a.x, b.y - a.y);
  if (len <= by) return points;
  return [...points.slice(0, -1), { x: b.x - ((b.x - a.x) / len) * by, y: b.y - ((b.y - a.y) / len) * by }];
}

/** Straight to the first midpoint, quadratic curves through the inner points, straight to the end. */
function smoothPath(points: Point[]): string {
  if (points.length === 0) return "";
  const [first, ...rest] = points;
  if (rest.length === 0) return `M${n(first!.x)},${n(first!.y)}`;
  let d = `M${n(first!.x)},${n(first!.y)}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const c = rest[i]!;
    const next = rest[i + 1]!;
    const mid = i + 1 === rest.length - 1 ? next : { x: (c.x + next.x) / 2, y: (c.y + next.y) / 2 };
    if (i === 0) {
      const prev = first!;
      const start = { x: (prev.x + c.x) / 2, y: (prev.y + c.y) / 2 };
      d += ` L${n(start.x)},${n(start.y)}`;
    }
    d += ` Q${n(c.x)},${n(c.y)} ${n(mid.x)},${n(mid.y)}`;
  }
  if (rest.length === 1) d += ` L${n(rest[0]!.x)},${n(rest[0]!.y)}`;
  return d;
}

function cut(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

/** A coordinate, one decimal, never `-0`. */
function n(value: number): string {
  return String(Math.round(value * 10) / 10 + 0);
}

/** Text and attribute values for XML and HTML alike. */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
