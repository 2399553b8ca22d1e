/**
 * The `html` report of `arazzo-ts run`: one self-contained page made from a `RunReport`. A
 * summary of the run, then per document and workflow run: its status, duration and error, the
 * flowchart with the path the run took (`flowchart-svg.ts`), a timeline of the steps (bars as
 * long as they took, waits hatched), each step as a `<details>` panel (operation, criteria and
 * their results, the transition, each request and response with headers and bodies, JSON
 * pretty-printed), and the inputs and outputs.
 *
 * Self-contained: no URL the page loads. One `<style>` and one `<script>`, both constant, allowed
 * by their hashes in a Content-Security-Policy that allows nothing else (`default-src 'none'`: no
 * fetch, image, font or frame), so a value that escaped would still run nothing. Everything from
 * the report is escaped text or an attribute value (a body may hold `</script>`); the script
 * reads no value of the report. Geometry is SVG attributes (a strict policy forbids `style`
 * attributes), so the timeline is SVG too.
 *
 * The page reads without JavaScript: panels are `<details>`, the flowchart's nodes and the
 * timeline's rows are links to their panel. The script adds what links cannot: a click on a node
 * opens every panel of that step and scrolls to the first, a row opens its panel, buttons expand
 * or collapse everything, and printing prints everything open.
 *
 * The writer adds nothing that is not in the report and masks nothing: values come masked from
 * the caller. Same report, same page, byte for byte.
 */
import { createHash } from "node:crypto";
import { escapeXml as esc, flowchartSvg } from "./flowchart-svg.ts";
import type { Body, CriterionResult, DocumentReport, Exchange, Header, RunReport, StepRunReport, Transition, WorkflowRunReport } from "./report.ts";

/** The report as one HTML page. */
export async function htmlReport(report: RunReport): Promise<string> {
  const sections: string[] = [];
  for (const [d, document] of report.documents.entries()) sections.push(await documentSection(document, d));
  const { passed, failed } = report.summary.workflows;
  const title = `arazzo-ts run: ${failed > 0 ? `${failed} failed, ` : ""}${passed} passed`;
  const csp = [
    "default-src 'none'",
    `style-src '${hash(CSS)}'`,
    `script-src '${hash(SCRIPT)}'`,
    "img-src 'none'",
    "font-src 'none'",
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  return [
    "<!doctype html>",
    `<html lang="en">`,
    "<head>",
    `<meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">`,
    `<meta name="referrer" content="no-referrer">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<meta name="generator" content="${esc(`${report.tool.name} ${report.tool.version}`)}">`,
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    "</head>",
    "<body>",
    summarySection(report),
    "<main>",
    ...sections,
    "</main>",
    `<script>${SCRIPT}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

function summarySection(report: RunReport): string {
  const { passed, failed } = report.summary.workflows;
  const runs = report.documents.flatMap((document, d) => document.workflows.map((run, w) => ({ document, run, id: runId(d, w) })));
  const rows = runs.map(
    ({ document, run, id }) =>
      `<tr class="${run.status}"><td>${statusBadge(run.status)}</td><td><a href="#${id}"><code>${esc(run.workflowId)}</code></a></td>` +
      `<td>${esc(document.title)}</td><td class="num">${run.steps.length}</td><td class="num">${esc(formatMs(run.durationMs))}</td>` +
      `<td class="error-cell">${run.error ? esc(run.error.message) : ""}</td></tr>`,
  );
  const masked = report.secretsMasked
    ? ""
    : `<p class="warning" role="alert">Secrets were not masked (<code>--no-secrets-masking</code>): this report may hold credentials. Do not share it.</p>`;
  return [
    `<header class="top">`,
    `<h1>arazzo-ts run report</h1>`,
    `<p class="meta">Started ${esc(formatTime(report.startedAt))} · took ${esc(formatMs(report.durationMs))} · ${esc(report.tool.name)} ${esc(report.tool.version)} · ${
      report.mock ? "against the packages' mocks" : "against the servers"
    } · secrets ${report.secretsMasked ? "masked" : "<strong>not masked</strong>"}</p>`,
    masked,
    `<div class="tiles">`,
    tile("passed", passed, "workflows passed"),
    tile(failed > 0 ? "failed" : "zero", failed, "workflows failed"),
    tile("plain", report.summary.steps, "steps run"),
    tile("plain", report.summary.requests, "requests sent"),
    "</div>",
    `<table class="runs"><thead><tr><th>status</th><th>workflow</th><th>document</th><th class="num">steps</th><th class="num">time</th><th>error</th></tr></thead>`,
    `<tbody>${rows.join("")}</tbody></table>`,
    `<p class="toolbar"><button type="button" data-action="expand" hidden>Expand all</button> <button type="button" data-action="collapse" hidden>Collapse all</button></p>`,
    "</header>",
  ].join("\n");
}

function tile(kind: string, value: number, label: string): string {
  return `<div class="tile ${kind}"><span class="value">${value}</span><span class="label">${label}</span></div>`;
}

async function documentSection(document: DocumentReport, d: number): Promise<string> {
  const runs: string[] = [];
  for (const [w, run] of document.workflows.entries()) runs.push(await runSection(run, runId(d, w)));
  return [`<section class="document">`, `<h2>${esc(document.title)} <span class="file">${esc(document.file)}</span></h2>`, ...runs, "</section>"].join("\n");
}

async function runSection(run: WorkflowRunReport, id: string): Promise<string> {
  const panelIds = new Map<string, string>();
  run.steps.forEach((step, i) => {
    if (step.workflowId === run.workflowId && !panelIds.has(step.stepId)) panelIds.set(step.stepId, panelId(id, i));
  });
  const flowchart = await flowchartSvg(run, { idPrefix: id, href: (stepId) => (panelIds.has(stepId) ? `#${panelIds.get(stepId)}` : undefined) });
  const requests = run.steps.reduce((sum, step) => sum + step.exchanges.length, 0);
  const waited = run.steps.reduce((sum, step) => sum + (step.transition.waitMs ?? 0), 0);
  const facts = [
    ["started", formatTime(run.startedAt)],
    ["took", formatMs(run.durationMs)],
    ["steps run", String(run.steps.length)],
    ["requests", String(requests)],
    ...(waited > 0 ? [["waited", formatMs(waited)]] : []),
  ];
  return [
    `<section class="run ${run.status}" id="${id}" data-workflow="${esc(run.workflowId)}">`,
    `<h3>${statusBadge(run.status)} <code>${esc(run.workflowId)}</code></h3>`,
    run.summary ? `<p class="summary">${esc(run.summary)}</p>` : "",
    `<dl class="facts">${facts.map(([k, v]) => `<div><dt>${k}</dt><dd>${esc(v!)}</dd></div>`).join("")}</dl>`,
    run.error ? errorBox(run.error) : "",
    `<div class="panes">`,
    `<figure class="flow"><figcaption>Flowchart</figcaption><div class="scroll">${flowchart}</div>${LEGEND}</figure>`,
    `<figure class="timeline"><figcaption>Timeline</figcaption>${timelineSvg(run, id)}</figure>`,
    "</div>",
    `<h4>Steps</h4>`,
    `<div class="steps">`,
    ...run.steps.map((step, i) => stepPanel(run, step, i, panelId(id, i))),
    run.steps.length === 0 ? `<p class="none">No step ran.</p>` : "",
    "</div>",
    `<div class="io">`,
    `<div><h4>Inputs</h4>${jsonBlock(run.inputs)}</div>`,
    `<div><h4>Outputs</h4>${run.outputs === undefined ? `<p class="none">None${run.status === "failed" ? ": the run failed" : ""}.</p>` : jsonBlock(run.outputs)}</div>`,
    "</div>",
    "</section>",
  ].join("\n");
}

const LEGEND = [
  `<p class="legend">`,
  `<span class="key visited">visited step</span>`,
  `<span class="key failed">failed step</span>`,
  `<span class="key taken">path taken (×n: times)</span>`,
  `<span class="key untaken">not taken</span>`,
  `<span class="key dashed">onFailure action</span>`,
  "</p>",
].join("");

function errorBox(error: NonNullable<WorkflowRunReport["error"]>): string {
  const where = [
    error.workflowId !== undefined ? `workflow ${error.workflowId}` : "",
    error.stepId !== undefined ? `step ${error.stepId}` : "",
    error.reason !== undefined ? `reason ${error.reason}` : "",
    error.status !== undefined ? `HTTP ${error.status}` : "",
  ].filter(Boolean);
  return (
    `<div class="error" role="alert"><strong>${esc(error.name)}</strong>: ${esc(error.message)}` +
    (where.length > 0 ? `<div class="where">${esc(where.join(" · "))}</div>` : "") +
    "</div>"
  );
}

// ——— Timeline ———

const TL = { width: 960, row: 24, bar: 14, top: 26 };
/** The width of a character of the notes (11 px sans-serif), a little over. */
const NOTE_CHAR = 6.2;

function timelineSvg(run: WorkflowRunReport, id: string): string {
  if (run.steps.length === 0) return `<p class="none">No step ran.</p>`;
  const origin = Date.parse(run.startedAt);
  // Where each step starts, from its timestamp; one that cannot be read follows the one before.
  let cursor = 0;
  const rows = run.steps.map((step, i) => {
    const parsed = Date.parse(step.startedAt) - origin;
    const start = Number.isFinite(parsed) && parsed >= 0 ? parsed : cursor;
    const wait = step.transition.waitMs ?? 0;
    cursor = start + step.durationMs + wait;
    const note = [formatMs(step.durationMs), wait > 0 ? `wait ${Math.round(wait)} ms` : "", transitionShort(step.transition)].filter(Boolean).join(" · ");
    return { step, i, start, wait, note, label: rowLabel(run, step) };
  });
  const total = Math.max(run.durationMs, ...rows.map((r) => r.start + r.step.durationMs + r.wait), 1);
  const labelWidth = Math.min(300, Math.max(120, ...rows.map((r) => r.label.length * 6.6 + 20)));
  // Room on the right for the longest note, which follows its bars.
  const area = TL.width - labelWidth - Math.min(300, Math.max(90, ...rows.map((r) => r.note.length * NOTE_CHAR + 12)));
  const x = (ms: number) => labelWidth + (ms / total) * area;
  const height = TL.top + rows.length * TL.row + 8;
  const ticks = niceTicks(total);
  const parts: string[] = [];
  parts.push(
    `<defs><pattern id="${id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
      `<rect width="6" height="6" fill="#fef3c7"/><line x1="0" y1="0" x2="0" y2="6" stroke="#d97706" stroke-width="2.5"/></pattern></defs>`,
  );
  for (const row of rows) if (row.i % 2) parts.push(`<rect x="0" y="${TL.top + row.i * TL.row}" width="${TL.width}" height="${TL.row}" fill="#f8fafc"/>`);
  for (const tick of ticks) {
    parts.push(
      `<line class="grid" x1="${n(x(tick))}" y1="${TL.top - 6}" x2="${n(x(tick))}" y2="${height - 4}" stroke="#e2e8f0" stroke-width="1"/>` +
        `<text x="${n(x(tick))}" y="14" font-size="11" text-anchor="middle" fill="#64748b">${esc(formatMs(tick))}</text>`,
    );
  }
  for (const row of rows) {
    const y = TL.top + row.i * TL.row;
    const failed = row.step.outcome === "failure";
    const barX = x(row.start);
    const barW = Math.max(2, x(row.start + row.step.durationMs) - barX);
    const waitW = row.wait > 0 ? Math.max(2, x(row.start + row.step.durationMs + row.wait) - (barX + barW)) : 0;
    const fill = failed ? "#dc2626" : "#2563eb";
    const nested = row.step.workflowId !== run.workflowId;
    const what = `${row.label}: ${formatMs(row.step.durationMs)}${row.wait > 0 ? `, then waited ${Math.round(row.wait)} ms` : ""}, ${row.step.outcome}`;
    parts.push(
      `<a href="#${panelId(id, row.i)}" class="row-link">` +
        `<g class="row${failed ? " failure" : ""}${nested ? " nested" : ""}" data-step="${esc(row.step.stepId)}" data-panel="${panelId(id, row.i)}">` +
        `<title>${esc(what)}</title>` +
        `<rect class="hit" x="0" y="${y}" width="${TL.width}" height="${TL.row}" fill="#eff6ff" fill-opacity="0"/>` +
        `<text x="${labelWidth - 10}" y="${y + 16}" font-size="12" text-anchor="end" fill="${failed ? "#b91c1c" : nested ? "#64748b" : "#0f172a"}">${esc(row.label)}</text>` +
        `<rect class="bar" x="${n(barX)}" y="${y + (TL.row - TL.bar) / 2}" width="${n(barW)}" height="${TL.bar}" rx="2" fill="${fill}"/>` +
        (waitW > 0
          ? `<rect class="wait" data-wait-ms="${Math.round(row.wait)}" x="${n(barX + barW)}" y="${y + (TL.row - TL.bar) / 2}" width="${n(waitW)}" height="${TL.bar}" fill="url(#${id}-hatch)" stroke="#d97706" stroke-width="1"/>`
          : "") +
        `<text class="note" x="${n(barX + barW + waitW + 6)}" y="${y + 16}" font-size="11" fill="#475569">${esc(row.note)}</text>` +
        "</g></a>",
    );
  }
  const label = `Timeline of workflow ${run.workflowId}: ${rows.length} steps over ${formatMs(total)}`;
  return (
    `<div class="scroll"><svg class="timeline" viewBox="0 0 ${TL.width} ${height}" width="${TL.width}" height="${height}" font-family="${FONT}" role="group" aria-label="${esc(label)}">` +
    `<title>${esc(label)}</title>${parts.join("")}</svg></div>` +
    `<p class="legend"><span class="key bar">request and step</span><span class="key bar failure">failed step</span><span class="key wait">wait before the next step</span></p>`
  );
}

function rowLabel(run: WorkflowRunReport, step: StepRunReport): string {
  const name = step.workflowId === run.workflowId ? step.stepId : `${step.workflowId} › ${step.stepId}`;
  return `${cut(name, 44)}${step.attempt > 1 ? ` #${step.attempt}` : ""}`;
}

/** About five round ticks from 0 to `total` ms. */
function niceTicks(total: number): number[] {
  const rough = total / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? power * 10;
  const ticks: number[] = [];
  for (let t = 0; t <= total + 1e-9; t += step) ticks.push(Math.round(t * 1000) / 1000);
  return ticks;
}

// ——— Step panels ———

function stepPanel(run: WorkflowRunReport, step: StepRunReport, index: number, id: string): string {
  const failed = step.outcome === "failure";
  const fatal = step.transition.type === "fail";
  const lastStatus = step.exchanges.at(-1)?.response?.status;
  const nested = step.workflowId !== run.workflowId;
  const summary = [
    `<span class="n">${index + 1}</span>`,
    `<span class="outcome ${step.outcome}" title="${failed ? "failed" : "succeeded"}">${failed ? "✗" : "✓"}</span>`,
    `<code class="sid">${nested ? `<span class="wf">${esc(step.workflowId)} › </span>` : ""}${esc(step.stepId)}</code>`,
    step.attempt > 1 ? `<span class="attempt">attempt ${step.attempt}</span>` : "",
    step.operation ? `<code class="op"><span class="method">${esc(step.operation.method.toUpperCase())}</span> ${esc(step.operation.path)}</code>` : "",
    lastStatus !== undefined ? statusChip(lastStatus, step.exchanges.at(-1)!.response!.statusText) : "",
    `<span class="dur">${esc(formatMs(step.durationMs))}</span>`,
    `<span class="transition ${step.transition.type}">${esc(transitionText(step.transition))}</span>`,
  ]
    .filter(Boolean)
    .join(" ");
  const body = [
    `<dl class="kv">`,
    nested ? `<dt>workflow</dt><dd><code>${esc(step.workflowId)}</code> (run by this workflow)</dd>` : "",
    step.operation ? `<dt>operation</dt><dd>${operationText(step.operation)}</dd>` : "",
    `<dt>started</dt><dd>${esc(formatTime(step.startedAt))}, took ${esc(formatMs(step.durationMs))}</dd>`,
    `<dt>outcome</dt><dd>${step.outcome === "success" ? "success" : "<strong>failure</strong>"}</dd>`,
    `<dt>then</dt><dd class="transition ${step.transition.type}">${esc(transitionText(step.transition))}</dd>`,
    "</dl>",
    step.error ? errorBox(step.error) : "",
    criteriaTable(step.criteria, step.transition),
    ...step.exchanges.map((exchange, i) => exchangeBlock(exchange, i, step.exchanges.length, failed)),
  ].join("\n");
  const classes = ["step", step.outcome, fatal ? "fatal" : "", nested ? "nested" : ""].filter(Boolean).join(" ");
  // The step that failed the run is open from the start.
  return `<details class="${classes}" id="${id}" data-step="${esc(step.stepId)}" data-attempt="${step.attempt}"${fatal ? " open" : ""}><summary>${summary}</summary><div class="body">${body}</div></details>`;
}

/** `GET /payments/{payment_id}` with each parameter's value under it. */
function operationText(operation: NonNullable<StepRunReport["operation"]>): string {
  const path = operation.path
    .split(/(\{[^}]*\})/)
    .map((part) => (/^\{[^}]*\}$/.test(part) ? `<span class="param">${esc(part)}</span>` : esc(part)))
    .join("");
  const params = Object.entries(operation.pathParameters);
  const table =
    params.length === 0
      ? ""
      : `<table class="params"><tbody>${params.map(([name, value]) => `<tr><th><code>{${esc(name)}}</code></th><td><code>${esc(value)}</code></td></tr>`).join("")}</tbody></table>`;
  return `<code class="op"><span class="method">${esc(operation.method.toUpperCase())}</span> ${path}</code>${table}`;
}

function criteriaTable(criteria: readonly CriterionResult[], transition: Transition): string {
  if (criteria.length === 0) return `<h5>Criteria</h5><p class="none">No criteria: the step succeeds when a response arrives.</p>`;
  const rows = criteria.map((c) => {
    const [mark, word] = c.result === true ? ["✓", "true"] : c.result === false ? ["✗", "false"] : ["–", "not evaluated"];
    const cls = c.result === true ? "true" : c.result === false ? "false" : "skipped";
    const applied = c.action !== undefined && c.action === transition.action;
    const where =
      c.kind === "success" ? "successCriteria" : `${c.kind} <code>${esc(c.action ?? "")}</code>${applied ? ` <span class="tag">applied</span>` : ""}`;
    return `<tr class="${cls}${applied ? " applied" : ""}"><td class="result" title="${word}"><span class="mark">${mark}</span> ${word}</td><td class="where">${where}</td><td><code>${esc(c.text)}</code></td></tr>`;
  });
  return `<h5>Criteria</h5><table class="criteria"><thead><tr><th>result</th><th>of</th><th>condition</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function exchangeBlock(exchange: Exchange, index: number, count: number, failedStep: boolean): string {
  const heading = count > 1 ? `<h5>Request ${index + 1} of ${count}</h5>` : "<h5>Request and response</h5>";
  const request = exchange.request;
  const requestDetails =
    `<details class="request"><summary><span class="label">Request</span> <code><span class="method">${esc(request.method.toUpperCase())}</span> ${esc(request.url)}</code>` +
    `${request.body ? ` <span class="size">${esc(bodySize(request.body))}</span>` : ""}</summary>` +
    `<div class="body">${headersTable(request.headers)}${bodyBlock(request.body)}</div></details>`;
  const response = exchange.response;
  const responseDetails = response
    ? `<details class="response"${failedStep ? " open" : ""}><summary><span class="label">Response</span> ${statusChip(response.status, response.statusText)} <span class="dur">${esc(formatMs(exchange.durationMs))}</span>` +
      `${response.body ? ` <span class="size">${esc(response.body.mimeType)}, ${esc(bodySize(response.body))}</span>` : ""}</summary>` +
      `<div class="body">${headersTable(response.headers)}${bodyBlock(response.body)}</div></details>`
    : `<p class="error">No response: ${esc(exchange.error ?? "the request failed")}</p>`;
  return `<div class="exchange">${heading}${requestDetails}${responseDetails}</div>`;
}

function headersTable(headers: readonly Header[]): string {
  if (headers.length === 0) return `<p class="none">No headers.</p>`;
  return `<table class="headers"><tbody>${headers.map((h) => `<tr><th>${esc(h.name)}</th><td><code>${esc(h.value)}</code></td></tr>`).join("")}</tbody></table>`;
}

function bodyBlock(body: Body | undefined): string {
  if (!body) return `<p class="none">No body.</p>`;
  const truncated = body.truncated ? `<p class="note">Truncated: the report keeps the body's first 1 MiB.</p>` : "";
  return `<pre class="code" data-mime="${esc(body.mimeType)}">${esc(prettyBody(body))}</pre>${truncated}`;
}

/** JSON indented; anything else (and JSON that does not parse, a truncated body) as it came. */
function prettyBody(body: Body): string {
  if (!body.truncated && /[/+]json\b/i.test(body.mimeType)) {
    try {
      return JSON.stringify(JSON.parse(body.text), null, 2);
    } catch {
      // As it came.
    }
  }
  return body.text;
}

function bodySize(body: Body): string {
  const bytes = Buffer.byteLength(body.text, "utf8");
  const size = bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} kB`;
  return body.truncated ? `${size}, truncated` : size;
}

function jsonBlock(value: unknown): string {
  return `<pre class="code">${esc(JSON.stringify(value, null, 2) ?? "undefined")}</pre>`;
}

// ——— Words ———

function transitionText(t: Transition): string {
  const action = t.action !== undefined ? ` (${t.action})` : "";
  const wait = t.waitMs !== undefined && t.waitMs > 0 ? ` after ${Math.round(t.waitMs)} ms` : "";
  switch (t.type) {
    case "next":
      return `→ next${t.to !== undefined ? `: ${t.to}` : ""}${wait}`;
    case "end":
      return `→ end${action}${wait}`;
    case "goto":
      return `→ goto ${t.to ?? "?"}${action}${wait}`;
    case "goto-workflow":
      return `→ goto workflow ${(t.to ?? "?").replace(/^workflow:/, "")}${action}${wait}`;
    case "retry":
      return `↻ retry${t.to !== undefined ? ` ${t.to}` : ""}${action}${wait}`;
    case "fail":
      return "✗ fail: the run stops here";
  }
}

function transitionShort(t: Transition): string {
  switch (t.type) {
    case "next":
      return "";
    case "goto":
      return `→ ${t.to ?? "?"}`;
    case "goto-workflow":
      return `→ ${(t.to ?? "?").replace(/^workflow:/, "")}`;
    case "retry":
      return "↻ retry";
    case "end":
      return "→ end";
    case "fail":
      return "✗ failed";
  }
}

function statusBadge(status: "passed" | "failed"): string {
  return `<span class="badge ${status}">${status === "passed" ? "✓ passed" : "✗ failed"}</span>`;
}

function statusChip(status: number, text: string): string {
  const cls = status >= 400 ? "s4" : status >= 300 ? "s3" : "s2";
  return `<span class="http ${cls}">${status}${text ? ` ${esc(text)}` : ""}</span>`;
}

function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** `2026-07-08 09:30:00.000 UTC` from an ISO timestamp in UTC; anything else as it is. */
function formatTime(iso: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d(?:\.\d+)?)Z$/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

function cut(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

function n(value: number): string {
  return String(Math.round(value * 10) / 10 + 0);
}

const runId = (d: number, w: number) => `run-${d + 1}-${w + 1}`;
const panelId = (run: string, i: number) => `${run}-step-${i + 1}`;

function hash(text: string): string {
  return `sha256-${createHash("sha256").update(text, "utf8").digest("base64")}`;
}

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', 'Liberation Sans', sans-serif";

// ——— The page's one stylesheet and one script (constants: their hashes are in the policy) ———

const CSS = `
:root { color-scheme: light; --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --blue: #1d4ed8; --green: #15803d; --red: #b91c1c; --amber: #b45309; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 ${FONT}; color: var(--ink); background: #f8fafc; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace; font-size: 12.5px; }
a { color: var(--blue); }
header.top, main { max-width: 1200px; margin: 0 auto; padding: 16px 24px; }
header.top { padding-top: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
h2 .file { font: 12.5px ui-monospace, monospace; color: var(--muted); font-weight: normal; margin-left: 8px; }
h3 { font-size: 17px; margin: 0 0 4px; display: flex; align-items: center; gap: 10px; }
h4 { font-size: 14px; margin: 20px 0 8px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
h5 { font-size: 13px; margin: 14px 0 6px; color: #334155; }
.meta, .summary, .none, .note { color: var(--muted); margin: 4px 0; }
.warning { background: #fef3c7; border: 1px solid #f59e0b; padding: 8px 12px; border-radius: 6px; }
.tiles { display: flex; gap: 12px; margin: 16px 0; flex-wrap: wrap; }
.tile { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 140px; }
.tile .value { display: block; font-size: 26px; font-weight: 700; }
.tile .label { color: var(--muted); font-size: 12.5px; }
.tile.passed .value { color: var(--green); }
.tile.failed { border-color: #fca5a5; background: #fef2f2; }
.tile.failed .value { color: var(--red); }
.tile.zero .value { color: var(--muted); }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: 5px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: #334155; }
td.num, th.num { text-align: right; white-space: nowrap; }
table.runs { border: 1px solid var(--line); border-radius: 8px; }
table.runs td:nth-child(2) { white-space: nowrap; }
table.runs .error-cell { color: var(--red); font-size: 12.5px; }
.badge { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12px; font-weight: 700; white-space: nowrap; }
.badge.passed { background: #dcfce7; color: var(--green); }
.badge.failed { background: #fee2e2; color: var(--red); }
.toolbar { margin: 12px 0 0; }
button { font: inherit; padding: 4px 12px; border: 1px solid #cbd5e1; border-radius: 6px; background: #fff; cursor: pointer; }
button:hover { background: #f1f5f9; }
section.run { background: #fff; border: 1px solid var(--line); border-left: 5px solid var(--green); border-radius: 8px; padding: 16px 20px; margin: 16px 0 24px; }
section.run.failed { border-left-color: var(--red); }
.facts { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 8px 0; }
.facts div { display: flex; gap: 6px; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; font-weight: 600; }
.error { background: #fef2f2; border: 1px solid #fca5a5; color: #7f1d1d; border-radius: 6px; padding: 8px 12px; margin: 8px 0; overflow-wrap: anywhere; }
.error .where { font-size: 12.5px; color: var(--red); margin-top: 2px; }
.panes { display: flex; flex-direction: column; gap: 16px; margin-top: 12px; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; background: #fff; min-width: 0; }
figcaption { font-size: 13px; font-weight: 700; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin-bottom: 6px; }
.scroll { overflow-x: auto; }
svg { display: block; max-width: 100%; height: auto; }
svg.flowchart { margin: 0 auto; }
svg a { cursor: pointer; }
svg a:hover rect, svg a:focus rect { filter: brightness(0.95); }
svg a:focus { outline: none; }
svg a:focus-visible .node > rect:first-of-type { stroke-width: 4; }
svg .row-link:hover .hit { fill-opacity: 0.7; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 14px; font-size: 12px; color: var(--muted); margin: 8px 0 0; }
.legend .key::before { content: ""; display: inline-block; width: 14px; height: 10px; margin-right: 5px; vertical-align: -1px; border-radius: 2px; }
.legend .visited::before { background: #dbeafe; border: 2px solid #1d4ed8; }
.legend .failed::before { background: #fee2e2; border: 2px solid #dc2626; }
.legend .taken::before { height: 4px; vertical-align: 2px; background: #2563eb; }
.legend .untaken::before { height: 2px; vertical-align: 3px; background: #94a3b8; }
.legend .dashed::before { height: 0; vertical-align: 3px; border-top: 2px dashed #94a3b8; border-radius: 0; }
.legend .bar::before { background: #2563eb; }
.legend .bar.failure::before { background: #dc2626; }
.legend .wait::before { background: repeating-linear-gradient(45deg, #fef3c7 0 3px, #d97706 3px 5px); border: 1px solid #d97706; }
.steps { display: flex; flex-direction: column; gap: 6px; }
details.step { border: 1px solid var(--line); border-radius: 6px; background: #fff; scroll-margin-top: 16px; }
details.step.failure { border-color: #fca5a5; }
details.step.fatal { border: 2px solid #dc2626; }
details.step.nested { margin-left: 24px; }
details.step:target, details.step.flash { animation: flash 1.6s ease-out; }
@keyframes flash { 0% { box-shadow: 0 0 0 4px #93c5fd; } 100% { box-shadow: 0 0 0 0 transparent; } }
details > summary { cursor: pointer; }
details.step > summary { padding: 7px 12px; display: flex; flex-wrap: wrap; align-items: center; gap: 4px 10px; list-style-position: inside; }
details.step[open] > summary { border-bottom: 1px solid var(--line); background: #f8fafc; }
details.step > .body { padding: 4px 16px 14px; }
summary .n { color: var(--muted); font-variant-numeric: tabular-nums; min-width: 1.5em; }
.outcome { font-weight: 700; }
.outcome.success, tr.true .mark { color: var(--green); }
.outcome.failure, tr.false .mark { color: var(--red); }
tr.skipped .mark, tr.skipped td { color: var(--muted); }
.sid { font-weight: 700; font-size: 13px; }
.sid .wf { font-weight: normal; color: var(--muted); }
.attempt { font-size: 12px; background: #e0e7ff; color: #3730a3; border-radius: 999px; padding: 0 8px; }
.op { color: #334155; }
.method { font-weight: 700; color: #7c3aed; }
.param { color: var(--blue); font-weight: 700; }
.http { font-size: 12px; font-weight: 700; border-radius: 4px; padding: 0 6px; }
.http.s2 { background: #dcfce7; color: var(--green); }
.http.s3 { background: #e0f2fe; color: #0369a1; }
.http.s4 { background: #fee2e2; color: var(--red); }
.dur, .size { color: var(--muted); font-size: 12.5px; font-variant-numeric: tabular-nums; }
.transition { font-size: 12.5px; color: #334155; }
.transition.goto, .transition.goto-workflow, .transition.retry { color: var(--amber); font-weight: 600; }
.transition.fail { color: var(--red); font-weight: 700; }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 10px 0; }
dl.kv dt { color: var(--muted); }
dl.kv dd { margin: 0; }
table.params { width: auto; margin-top: 4px; }
table.params th, table.params td { padding: 1px 10px 1px 0; border: 0; }
table.criteria td.result { white-space: nowrap; width: 9em; }
table.criteria .mark { font-weight: 700; font-size: 15px; }
table.criteria .where { white-space: nowrap; width: 1%; }
tr.applied td { background: #fffbeb; }
.tag { font-size: 11px; font-weight: 700; color: var(--amber); text-transform: uppercase; }
.exchange details { border: 1px solid var(--line); border-radius: 6px; margin: 6px 0; }
.exchange details > summary { padding: 5px 10px; background: #f8fafc; overflow-wrap: anywhere; }
.exchange details > .body { padding: 6px 10px 10px; }
.exchange .label { font-weight: 700; }
table.headers th { width: 1%; white-space: nowrap; font-family: ui-monospace, monospace; font-size: 12.5px; font-weight: 600; }
table.headers td { overflow-wrap: anywhere; }
pre.code { background: #f1f5f9; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; margin: 8px 0 0; max-height: 32em; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
.io { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
@media (max-width: 900px) { .io { grid-template-columns: 1fr; } }
@media print {
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  body { background: #fff; font-size: 12px; }
  header.top, main { max-width: none; padding: 0; }
  .toolbar { display: none; }
  section.run { break-inside: auto; border-color: #cbd5e1; }
  figure, tr, details.step > summary { break-inside: avoid; }
  pre.code { max-height: none; overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
`;

const SCRIPT = `
"use strict";
(() => {
  const each = (root, selector, f) => { for (const el of root.querySelectorAll(selector)) f(el); };
  each(document, "button[data-action]", (button) => { button.hidden = false; });
  const openUp = (el) => { for (let p = el; p; p = p.parentElement) if (p.tagName === "DETAILS") p.open = true; };
  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const button = target && target.closest("button[data-action]");
    if (button) {
      const open = button.dataset.action === "expand";
      each(document, "details", (d) => { d.open = open; });
      return;
    }
    const link = target && target.closest("a[href^='#']");
    const panel = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!panel || panel.tagName !== "DETAILS") return;
    event.preventDefault();
    // A flowchart node stands for every time the step ran: open them all.
    const run = panel.closest("section.run");
    if (link.closest("svg.flowchart") && run) each(run, "details.step", (d) => { if (d.dataset.step === panel.dataset.step) d.open = true; });
    openUp(panel);
    panel.scrollIntoView({ block: "start" });
    panel.classList.remove("flash");
    void panel.offsetWidth;
    panel.classList.add("flash");
  });
  window.addEventListener("beforeprint", () => each(document, "details", (d) => { d.open = true; }));
})();
`;
