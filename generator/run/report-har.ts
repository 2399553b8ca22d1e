/**
 * `arazzo-ts run --report har=<file>`: every request of a run report as an HTTP Archive, HAR 1.2
 * (http://www.softwareishard.com/blog/har-12-spec/), for browser devtools and HAR viewers.
 *
 * One page per workflow run (`<document>#<workflowId>#<n>`, n counting that workflow's runs in
 * the document from 1), one entry per exchange in the report's order, its comment naming the
 * workflow and the step. Only what the report knows is written: the exchange's total duration
 * is `wait` (`send` and `receive` 0, the phases before it -1: the spec's "does not apply"), sizes
 * the report cannot tell are -1, and `httpVersion` is "" (fetch does not tell it). An exchange
 * that got no response is an entry as Chrome writes a failed request: status 0, empty
 * statusText and headers, and the error in `response._error` (a custom field, allowed by the
 * spec) and in the entry's comment. Values are as the report holds them (already masked).
 */
import type { Cookie, Entry, Har, Page, PostData, QueryString, Response, Timings } from "har-format";
import type { Body, Exchange, Header, RunReport, StepRunReport, WorkflowRunReport } from "./report.ts";

export type { Har } from "har-format";

/** HAR's Response with the field Chrome and Firefox write for a request that got no response. */
export type HarResponse = Response & { _error?: string };

/** The report as a HAR 1.2 log. */
export function harReport(report: RunReport): Har {
  const pages: Page[] = [];
  const entries: Entry[] = [];
  for (const document of report.documents) {
    const runs = new Map<string, number>();
    for (const run of document.workflows) {
      const n = (runs.get(run.workflowId) ?? 0) + 1;
      runs.set(run.workflowId, n);
      const pageref = `${document.file}#${run.workflowId}#${n}`;
      pages.push(page(run, pageref, document.title));
      for (const step of run.steps) for (const [i, exchange] of step.exchanges.entries()) entries.push(entry(exchange, pageref, step, i));
    }
  }
  const runCount = pages.length;
  return {
    log: {
      version: "1.2",
      creator: { name: "arazzo-ts", version: report.tool.version },
      pages,
      entries,
      comment: `arazzo-ts run of ${runCount} workflow${runCount === 1 ? "" : "s"}${report.mock ? " against the mocks" : ""}, started ${report.startedAt}; secret values ${report.secretsMasked ? "masked" : "not masked"}`,
    },
  };
}

/** The HAR as the file's text: JSON, two-space indented, ending with a newline. */
export function harText(report: RunReport): string {
  return `${JSON.stringify(harReport(report), null, 2)}\n`;
}

function page(run: WorkflowRunReport, id: string, documentTitle: string): Page {
  const error = run.error;
  const verdict =
    run.status === "passed"
      ? "passed"
      : `failed${error?.stepId === undefined ? "" : ` at step ${error.stepId}`}${error?.reason === undefined ? "" : ` (${error.reason}${error.status === undefined ? "" : `, HTTP ${error.status}`})`}${error ? `: ${error.message}` : ""}`;
  return {
    startedDateTime: run.startedAt,
    id,
    title: run.summary ? `${run.workflowId}: ${run.summary}` : run.workflowId,
    // A run has no content-loaded event; its end is what `onLoad` marks (milliseconds from the start).
    pageTimings: { onContentLoad: -1, onLoad: run.durationMs },
    comment: `${documentTitle}: ${verdict}`,
  };
}

function entry(exchange: Exchange, pageref: string, step: StepRunReport, index: number): Entry {
  const of = step.exchanges.length > 1 ? `, request ${index + 1} of ${step.exchanges.length}` : "";
  const attempt = step.attempt > 1 ? ` (attempt ${step.attempt})` : "";
  const failed = exchange.error === undefined ? "" : exchange.response ? `: ${exchange.error}` : `: no response (${exchange.error})`;
  // Only the whole exchange was timed: it is all `wait`; the phases before it are not known apart.
  const timings: Timings = { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: exchange.durationMs, receive: 0 };
  return {
    pageref,
    startedDateTime: exchange.startedAt,
    time: exchange.durationMs,
    request: {
      method: exchange.request.method,
      url: exchange.request.url,
      httpVersion: "",
      cookies: requestCookies(exchange.request.headers),
      headers: exchange.request.headers.map(header),
      queryString: queryString(exchange.request.url),
      ...(exchange.request.body ? { postData: postData(exchange.request.body, exchange.request.headers) } : {}),
      headersSize: -1,
      bodySize: bodySize(exchange.request.body, exchange.request.headers),
    },
    response: response(exchange),
    cache: {},
    timings,
    comment: `workflow ${step.workflowId}, step ${step.stepId}${attempt}${of}${failed}`,
  };
}

function response(exchange: Exchange): HarResponse {
  const r = exchange.response;
  if (!r) {
    return {
      status: 0,
      statusText: "",
      httpVersion: "",
      cookies: [],
      headers: [],
      content: { size: 0, mimeType: "x-unknown" },
      redirectURL: "",
      headersSize: -1,
      bodySize: -1,
      _error: exchange.error ?? "no response",
    };
  }
  const body = r.body;
  // The spec's mimeType is the Content-Type header's value (charset included); Chrome writes `x-unknown` without one.
  const mimeType = headerValue(r.headers, "content-type") || body?.mimeType || "x-unknown";
  const decoded = body ? utf8Length(body.text) : 0;
  const length = contentLength(r.headers);
  const encoded = isEncoded(r.headers);
  return {
    status: r.status,
    statusText: r.statusText,
    httpVersion: "",
    cookies: r.headers.filter((h) => h.name.toLowerCase() === "set-cookie").flatMap((h) => setCookie(h.value)),
    headers: r.headers.map(header),
    content: {
      // An unencoded Content-Length is the whole body's size (a truncated or masked text is shorter), else the text's.
      size: length !== undefined && !encoded && body ? length : decoded,
      mimeType,
      ...(body ? { text: body.text } : {}),
      ...(body?.truncated ? { comment: truncatedComment(body) } : {}),
    },
    redirectURL: headerValue(r.headers, "location") ?? "",
    headersSize: -1,
    // No body follows a HEAD request, a 1xx, 204 or 304, whatever Content-Length says (RFC 9110 §6.4.1).
    bodySize: exchange.request.method.toUpperCase() === "HEAD" || r.status < 200 || r.status === 204 || r.status === 304 ? 0 : bodySize(body, r.headers),
  };
}

function postData(body: Body, headers: readonly Header[]): PostData {
  const mimeType = headerValue(headers, "content-type") || body.mimeType;
  // `text` rather than `params` for a form too: the spec makes them exclusive, and the text is what was sent.
  return { mimeType, text: body.text, ...(body.truncated ? { comment: truncatedComment(body) } : {}) };
}

function truncatedComment(body: Body): string {
  return `truncated: the body was longer than the report keeps; text is its first ${utf8Length(body.text)} bytes`;
}

/** Bytes of the body as sent: Content-Length when given, else the text's when it is whole and not content-encoded, else -1. */
function bodySize(body: Body | undefined, headers: readonly Header[]): number {
  const length = contentLength(headers);
  if (length !== undefined) return length;
  if (!body) return 0;
  return body.truncated || isEncoded(headers) ? -1 : utf8Length(body.text);
}

function contentLength(headers: readonly Header[]): number | undefined {
  const value = headerValue(headers, "content-length")?.trim();
  return value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}

function isEncoded(headers: readonly Header[]): boolean {
  const value = headerValue(headers, "content-encoding")?.trim().toLowerCase();
  return value !== undefined && value !== "" && value !== "identity";
}

function header(h: Header): { name: string; value: string } {
  return { name: h.name, value: h.value };
}

function headerValue(headers: readonly Header[], name: string): string | undefined {
  return headers.find((h) => h.name.toLowerCase() === name)?.value;
}

/** The URL's query parameters, decoded, in order (repeated names repeated). */
function queryString(url: string): QueryString[] {
  const start = url.indexOf("?");
  if (start < 0) return [];
  const end = url.indexOf("#", start);
  const query = url.slice(start + 1, end < 0 ? undefined : end);
  return [...new URLSearchParams(query)].map(([name, value]) => ({ name, value }));
}

/** The cookies of the request's Cookie headers (RFC 6265 §5.4): `name=value` pairs; a pair without `=` is a nameless cookie (RFC 6265bis), as a masked header is. */
function requestCookies(headers: readonly Header[]): Cookie[] {
  return headers
    .filter((h) => h.name.toLowerCase() === "cookie")
    .flatMap((h) => h.value.split(";"))
    .map((pair) => pair.trim())
    .filter((pair) => pair !== "")
    .map(nameValue);
}

/** One Set-Cookie header (RFC 6265 §5.2): its name, value, and the attributes HAR has. */
function setCookie(value: string): Cookie[] {
  const [first = "", ...attributes] = value.split(";");
  if (first.trim() === "") return [];
  const cookie: Cookie = { ...nameValue(first.trim()), httpOnly: false, secure: false };
  for (const attribute of attributes) {
    const eq = attribute.indexOf("=");
    const key = (eq < 0 ? attribute : attribute.slice(0, eq)).trim().toLowerCase();
    const v = eq < 0 ? "" : attribute.slice(eq + 1).trim();
    if (key === "path") cookie.path = v;
    else if (key === "domain") cookie.domain = v;
    else if (key === "expires") {
      const time = Date.parse(v);
      if (!Number.isNaN(time)) cookie.expires = new Date(time).toISOString();
    } else if (key === "httponly") cookie.httpOnly = true;
    else if (key === "secure") cookie.secure = true;
  }
  return [cookie];
}

function nameValue(pair: string): Cookie {
  const eq = pair.indexOf("=");
  return eq < 0 ? { name: "", value: pair } : { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim() };
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
