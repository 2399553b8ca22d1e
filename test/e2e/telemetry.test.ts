/**
 * OpenTelemetry from generated workflows, with the real SDK: `@opentelemetry/sdk-trace-base`
 * (in-memory exporter), `@opentelemetry/sdk-metrics` (a reader collected on demand), the
 * AsyncLocalStorage context manager and the W3C trace-context propagator, registered as an
 * application registers them; and an export over OTLP/HTTP
 * (`@opentelemetry/exporter-trace-otlp-http`) to a collector-like receiver on loopback.
 *
 * The packages are generated from test/fixtures/telemetry/ (a poll loop, a retry, a failing
 * step, a called workflow; steps that run concurrently) and runs against an API served over loopback HTTP that records the
 * `traceparent` of each request. Inputs and response values look like secrets: none may be
 * in any span or metric.
 */
import { mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { context, metrics, propagation, type Span, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { formatDiagnostic } from "../../generator/diagnostics.ts";
import { generate } from "../../generator/generate.ts";
import { serveFetch, type FetchServer } from "../helpers/fetch-server.ts";
import { loadPackage } from "../helpers/generated-package.ts";
import { startOtlpReceiver } from "../helpers/otlp-receiver.ts";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/telemetry");

/** Values that must be in no span, event, status or metric: inputs, and a value from a response. */
const SECRETS = { apiKey: "sk-live-SECRET-API-KEY-42", note: "p4ssw0rd-SECRET-NOTE", accessToken: "tok-SECRET-ACCESS-7" };
const ORDER_ID = "ord-SECRET-RESPONSE-ID-9";
const POLL_DELAY_MS = 30;

/** Collects on demand (`collect()`), as a test needs. */
class TestReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly traceparent: string | undefined;
}

let api: FetchServer;
let apiRequests: ApiRequest[] = [];
let out: string;
let runs: Awaited<ReturnType<typeof loadPackage>>["runner"];
/** The Arazzo 1.1 package: steps that run concurrently. */
let concurrentRuns: Awaited<ReturnType<typeof loadPackage>>["runner"];
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const reader = new TestReader();
const meterProvider = new MeterProvider({ readers: [reader] });
const contextManager = new AsyncLocalStorageContextManager();

/** Per order: polls answered so far (`pending` twice, then `done`); per report: tries so far. */
const polls = new Map<string, number>();
const reportTries = new Map<string, number>();

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

async function answer(request: Request): Promise<Response> {
  const url = new URL(request.url);
  apiRequests.push({ method: request.method, path: url.pathname, traceparent: request.headers.get("traceparent") ?? undefined });
  if (request.method === "POST" && url.pathname === "/v1/orders") {
    if (request.headers.get("x-api-key") !== SECRETS.apiKey) return json(401, { error: "no key" });
    return json(201, { id: ORDER_ID, status: "pending" });
  }
  const order = /^\/v1\/orders\/([^/]+)$/.exec(url.pathname);
  if (order) {
    const seen = (polls.get(order[1]!) ?? 0) + 1;
    polls.set(order[1]!, seen);
    return json(200, { id: decodeURIComponent(order[1]!), status: seen < 3 ? "pending" : "done" });
  }
  const report = /^\/v1\/reports\/([^/]+)$/.exec(url.pathname);
  if (report) {
    const id = report[1]!;
    const tries = (reportTries.get(id) ?? 0) + 1;
    reportTries.set(id, tries);
    if (id === "broken") return json(500, { error: "down" });
    // Slower than the others: the steps that do not depend on it finish first.
    if (id === "first" || id === "hanging") await new Promise((resolve) => setTimeout(resolve, id === "first" ? 50 : 2_000));
    if (id === "slow" && tries < 3) return new Response(null, { status: 503 });
    return json(200, { total: 3 });
  }
  return json(404, {});
}

beforeAll(async () => {
  api = await serveFetch(answer);
  // Inside the repository (git-ignored `.out*`), so Node resolves the package's openapi-fetch and @opentelemetry/api.
  out = mkdtempSync(path.join(import.meta.dirname, ".out-telemetry-"));
  const result = await generate({ inputs: ["orders.arazzo.yaml", "reports.arazzo.yaml"].map((f) => path.join(FIXTURES, f)), outDir: out });
  expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d))).toEqual([]);
  runs = (await loadPackage(path.join(out, "orders"))).runner;
  concurrentRuns = (await loadPackage(path.join(out, "reports"))).runner;
}, 60_000);

afterAll(async () => {
  trace.disable();
  context.disable();
  propagation.disable();
  metrics.disable();
  await Promise.allSettled([provider.shutdown(), meterProvider.shutdown(), api?.close()]);
  if (out) rmSync(out, { recursive: true, force: true });
});

beforeEach(() => {
  exporter.reset();
  apiRequests = [];
  polls.clear();
  reportTries.clear();
});

const baseUrls = () => ({ ordersApi: `${api.url}/v1` });

/** A span as the tests compare it: name, parent's name, attributes, event names, status. */
interface SpanView {
  readonly name: string;
  readonly parent: string | undefined;
  readonly attributes: Record<string, unknown>;
  readonly events: string[];
  readonly status: number;
}

function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

const nanos = (t: readonly [number, number]) => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);
/** Siblings in the order they ran (a span and its first child may start in the same microsecond: never compared). */
const byTime = (a: ReadableSpan, b: ReadableSpan) => Number(nanos(a.startTime) - nanos(b.startTime) || nanos(a.endTime) - nanos(b.endTime));

/** The finished spans depth first, children in the order they ran, each with its parent's name. */
function spanViews(spans: readonly ReadableSpan[] = exporter.getFinishedSpans()): SpanView[] {
  const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  const childrenOf = (parent: string | undefined) => spans.filter((s) => (byId.has(parentOf(s) ?? "") ? parentOf(s) : undefined) === parent).sort(byTime);
  const walk = (parent: string | undefined): ReadableSpan[] => childrenOf(parent).flatMap((s) => [s, ...walk(s.spanContext().spanId)]);
  return walk(undefined).map((s) => ({
    name: s.name,
    parent: byId.get(parentOf(s) ?? "")?.name ?? (parentOf(s) ? "(outside)" : undefined),
    attributes: { ...s.attributes },
    events: s.events.map((e) => e.name),
    status: s.status.code,
  }));
}

/** Everything a backend would receive of the spans and metrics: must hold no secret. */
async function everythingRecorded(): Promise<string> {
  const spans = exporter.getFinishedSpans().map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status, links: s.links }));
  const { resourceMetrics } = await reader.collect();
  return JSON.stringify({ spans, metrics: resourceMetrics.scopeMetrics });
}

/** The data points of a metric, as `[attributes, value]`. */
async function points(name: string): Promise<[Record<string, unknown>, unknown][]> {
  const { resourceMetrics } = await reader.collect();
  const metric = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
  return (metric?.dataPoints ?? []).map((p) => [{ ...p.attributes }, typeof p.value === "number" ? p.value : (p.value as { count: number }).count]);
}

// First, before any SDK is registered: the package's tracer is the API's proxy, which finds the SDK registered later.
describe("with @opentelemetry/api installed and no SDK", () => {
  test("nothing recorded, no trace context sent, the same outputs", async () => {
    const outputs = await runs("place-and-poll")(SECRETS, { baseUrls: baseUrls() });
    expect(outputs).toEqual({ orderId: ORDER_ID, status: "done" });
    expect(apiRequests.map((r) => r.traceparent)).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe("traces and metrics through the global API", () => {
  beforeAll(() => {
    // What an application's tracing setup registers (NodeSDK does the same).
    trace.setGlobalTracerProvider(provider);
    context.setGlobalContextManager(contextManager.enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    metrics.setGlobalMeterProvider(meterProvider);
  });

  test("a poll loop: a span per run, step attempt and request, poll waits as events, the trace context sent with each request", async () => {
    const tracer = trace.getTracer("test");
    const outputs = await tracer.startActiveSpan("handle request", async (outer: Span) => {
      try {
        return await runs("place-and-poll")(SECRETS, { baseUrls: baseUrls(), pollDelayMs: POLL_DELAY_MS });
      } finally {
        outer.end();
      }
    });
    expect(outputs).toEqual({ orderId: ORDER_ID, status: "done" });

    const views = spanViews();
    const http = (status: number, method: string, template: string) => ({
      "http.request.method": method,
      "url.template": template,
      "server.address": "127.0.0.1",
      "server.port": Number(new URL(api.url).port),
      "http.response.status_code": status,
    });
    const step = (stepId: string, attempt: number, outcome: string, action?: string) => ({
      "arazzo.workflow.id": "place-and-poll",
      "arazzo.step.id": stepId,
      "arazzo.step.attempt": attempt,
      "arazzo.step.outcome": outcome,
      ...(action ? { "arazzo.step.action": action } : {}),
    });
    expect(views).toEqual([
      { name: "handle request", parent: undefined, attributes: {}, events: [], status: 0 },
      {
        name: "arazzo.workflow place-and-poll",
        parent: "handle request",
        attributes: { "arazzo.workflow.id": "place-and-poll" },
        events: ["arazzo.poll.wait", "arazzo.poll.wait"],
        status: 0,
      },
      { name: "arazzo.step createOrder", parent: "arazzo.workflow place-and-poll", attributes: step("createOrder", 1, "success"), events: [], status: 0 },
      { name: "POST /v1/orders", parent: "arazzo.step createOrder", attributes: http(201, "POST", "/v1/orders"), events: [], status: 0 },
      {
        name: "arazzo.step pollOrder",
        parent: "arazzo.workflow place-and-poll",
        attributes: step("pollOrder", 1, "goto", "stillPending"),
        events: [],
        status: 0,
      },
      { name: "GET /v1/orders/{orderId}", parent: "arazzo.step pollOrder", attributes: http(200, "GET", "/v1/orders/{orderId}"), events: [], status: 0 },
      {
        name: "arazzo.step pollOrder",
        parent: "arazzo.workflow place-and-poll",
        attributes: step("pollOrder", 2, "goto", "stillPending"),
        events: [],
        status: 0,
      },
      { name: "GET /v1/orders/{orderId}", parent: "arazzo.step pollOrder", attributes: http(200, "GET", "/v1/orders/{orderId}"), events: [], status: 0 },
      { name: "arazzo.step pollOrder", parent: "arazzo.workflow place-and-poll", attributes: step("pollOrder", 3, "end", "done"), events: [], status: 0 },
      { name: "GET /v1/orders/{orderId}", parent: "arazzo.step pollOrder", attributes: http(200, "GET", "/v1/orders/{orderId}"), events: [], status: 0 },
    ]);
    const spans = exporter.getFinishedSpans();
    // One trace; the client spans are of kind CLIENT, the others INTERNAL.
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
    expect(spans.filter((s) => s.kind === 2).map((s) => s.name)).toEqual([
      "POST /v1/orders",
      "GET /v1/orders/{orderId}",
      "GET /v1/orders/{orderId}",
      "GET /v1/orders/{orderId}",
    ]);

    // The API saw each request's own span as its parent (`traceparent`).
    const clientSpans = spans.filter((s) => s.kind === 2).sort(byTime);
    expect(apiRequests.map((r) => r.traceparent)).toEqual(clientSpans.map((s) => `00-${s.spanContext().traceId}-${s.spanContext().spanId}-01`));

    // The waits between polls: events of the run's span, with their duration.
    const workflow = spans.find((s) => s.name === "arazzo.workflow place-and-poll")!;
    for (const event of workflow.events) {
      expect(event.attributes?.["arazzo.step.id"]).toBe("pollOrder");
      expect(event.attributes?.["arazzo.wait.duration_ms"]).toBeGreaterThanOrEqual(POLL_DELAY_MS - 1);
    }
    // Each wait lies between the polls it separates.
    const polls = spans.filter((s) => s.name === "arazzo.step pollOrder");
    const ms = (t: [number, number]) => t[0] * 1000 + t[1] / 1e6;
    expect(ms(workflow.events[0]!.time)).toBeGreaterThanOrEqual(ms(polls[0]!.endTime) - 1);
    expect(ms(workflow.events[0]!.time)).toBeLessThanOrEqual(ms(polls[1]!.startTime) + 1);

    expect(await everythingRecorded()).not.toMatch(new RegExp([...Object.values(SECRETS), ORDER_ID].join("|")));
  });

  test("a retry: the step's attempts, each failed one an error, and the retry waits as events", async () => {
    const outputs = await runs("read-report")({ reportId: "slow" }, { baseUrls: baseUrls() });
    expect(outputs).toEqual({ total: 3 });
    const views = spanViews();
    expect(views.map((v) => [v.name, v.parent, v.attributes["arazzo.step.attempt"], v.attributes["arazzo.step.outcome"], v.status])).toEqual([
      ["arazzo.workflow read-report", undefined, undefined, undefined, 0],
      ["arazzo.step getReport", "arazzo.workflow read-report", 1, "retry", 2],
      ["GET /v1/reports/{reportId}", "arazzo.step getReport", undefined, undefined, 2],
      ["arazzo.step getReport", "arazzo.workflow read-report", 2, "retry", 2],
      ["GET /v1/reports/{reportId}", "arazzo.step getReport", undefined, undefined, 2],
      ["arazzo.step getReport", "arazzo.workflow read-report", 3, "success", 0],
      ["GET /v1/reports/{reportId}", "arazzo.step getReport", undefined, undefined, 0],
    ]);
    expect(views.filter((v) => v.name.startsWith("GET")).map((v) => [v.attributes["http.response.status_code"], v.attributes["error.type"]])).toEqual([
      [503, "503"],
      [503, "503"],
      [200, undefined],
    ]);
    expect(views[1]!.attributes["arazzo.step.action"]).toBe("notReady");
    const workflow = exporter.getFinishedSpans().find((s) => s.name === "arazzo.workflow read-report")!;
    expect(workflow.events.map((e) => [e.name, e.attributes?.["arazzo.step.id"], e.attributes?.["arazzo.wait.duration_ms"]])).toEqual([
      ["arazzo.retry.wait", "getReport", expect.any(Number)],
      ["arazzo.retry.wait", "getReport", expect.any(Number)],
    ]);
    for (const event of workflow.events) expect(event.attributes?.["arazzo.wait.duration_ms"]).toBeGreaterThanOrEqual(49);
  });

  test("a failing step: the step's and the run's spans are errors with the failure's reason and message, never a value", async () => {
    const error = await runs("read-report")({ reportId: "broken" }, { baseUrls: baseUrls() }).then(
      () => undefined,
      (e: unknown) => e as Error & { reason: string },
    );
    expect(error?.reason).toBe("criteria");
    const spans = exporter.getFinishedSpans();
    const byName = (name: string) => spans.find((s) => s.name === name)!;
    const workflow = byName("arazzo.workflow read-report");
    expect(workflow.status).toEqual({ code: 2, message: error!.message });
    expect(workflow.attributes["error.type"]).toBe("criteria");
    const step = byName("arazzo.step getReport");
    expect(step.attributes).toMatchObject({ "arazzo.step.outcome": "failure", "error.type": "criteria", "arazzo.step.attempt": 1 });
    expect(step.status.code).toBe(2);
    const request = byName("GET /v1/reports/{reportId}");
    expect(request.attributes).toMatchObject({ "http.response.status_code": 500, "error.type": "500" });
  });

  test("a request with no response: its span's error.type is the network error's code, or the timeout", async () => {
    const closed = await serveFetch(async () => new Response(null));
    const refused = `${closed.url}/v1`;
    await closed.close();
    const error = await runs("read-report")({ reportId: "ready" }, { baseUrls: { ordersApi: refused } }).then(
      () => undefined,
      (e: unknown) => e as Error & { reason: string },
    );
    expect(error?.reason).toBe("request");
    const request = () => exporter.getFinishedSpans().find((s) => s.kind === 2)!;
    expect(request().attributes["error.type"]).toBe("ECONNREFUSED");
    expect(request().status.code).toBe(2);
    // The run's status names the step and the reason, not the platform's words (they may quote a URL).
    const run = exporter.getFinishedSpans().find((s) => s.name === "arazzo.workflow read-report")!;
    expect(run.status).toEqual({ code: 2, message: "workflow `read-report`, step `getReport`: request failed" });
    expect(run.attributes["error.type"]).toBe("request");

    exporter.reset();
    const late = await runs("read-report")({ reportId: "hanging" }, { baseUrls: baseUrls(), timeoutMs: 100 }).then(
      () => undefined,
      (e: unknown) => e as Error & { reason: string },
    );
    expect(late?.reason).toBe("timeout");
    expect(request().attributes["error.type"]).toBe("TimeoutError");
    expect(exporter.getFinishedSpans().find((s) => s.name === "arazzo.step getReport")?.attributes["error.type"]).toBe("timeout");
  });

  test("a called workflow: its spans under the calling step's", async () => {
    const outputs = await runs("place-twice")({ ...SECRETS, reportId: "ready" }, { baseUrls: baseUrls() });
    expect(outputs).toEqual({ orderId: ORDER_ID });
    expect(spanViews().map((v) => [v.name, v.parent])).toEqual([
      ["arazzo.workflow place-twice", undefined],
      ["arazzo.step placeOrder", "arazzo.workflow place-twice"],
      ["arazzo.workflow place-and-poll", "arazzo.step placeOrder"],
      ["arazzo.step createOrder", "arazzo.workflow place-and-poll"],
      ["POST /v1/orders", "arazzo.step createOrder"],
      ["arazzo.step pollOrder", "arazzo.workflow place-and-poll"],
      ["GET /v1/orders/{orderId}", "arazzo.step pollOrder"],
      ["arazzo.step pollOrder", "arazzo.workflow place-and-poll"],
      ["GET /v1/orders/{orderId}", "arazzo.step pollOrder"],
      ["arazzo.step pollOrder", "arazzo.workflow place-and-poll"],
      ["GET /v1/orders/{orderId}", "arazzo.step pollOrder"],
      ["arazzo.step readReport", "arazzo.workflow place-twice"],
      ["GET /v1/reports/{reportId}", "arazzo.step readReport"],
    ]);
    expect(await everythingRecorded()).not.toMatch(new RegExp([...Object.values(SECRETS), ORDER_ID].join("|")));
  });

  test("steps that run concurrently (dependsOn): each in its own span, with its request under it", async () => {
    const outputs = await concurrentRuns("compare-reports")({}, { baseUrls: baseUrls() });
    expect(outputs).toEqual({ total: 3 });
    const views = spanViews();
    expect(views[0]!.name).toBe("arazzo.workflow compare-reports");
    // Under the run, each step with its own request, whichever order they ran in.
    const steps = views.filter((v) => v.name.startsWith("arazzo.step"));
    expect(steps.map((v) => [v.attributes["arazzo.step.id"], v.parent, v.attributes["arazzo.step.outcome"]]).sort()).toEqual([
      ["first", "arazzo.workflow compare-reports", "success"],
      ["second", "arazzo.workflow compare-reports", "success"],
      ["third", "arazzo.workflow compare-reports", "success"],
    ]);
    const spans = exporter.getFinishedSpans();
    const stepOf = (span: ReadableSpan) => spans.find((s) => s.spanContext().spanId === parentOf(span))?.attributes["arazzo.step.id"];
    const requests = spans.filter((s) => s.kind === 2);
    expect(requests.map((s) => stepOf(s)).sort()).toEqual(["first", "second", "third"]);
    // The request each step sent went with its own span's context.
    for (const request of requests) {
      const sent = apiRequests.find((r) => r.path === `/v1/reports/${String(stepOf(request))}`);
      expect(sent?.traceparent).toBe(`00-${request.spanContext().traceId}-${request.spanContext().spanId}-01`);
    }
    // `second` ran beside `first` (50 ms slower to answer), `third` after it (clocks of spans agree to a millisecond).
    const span = (id: string) => spans.find((s) => s.attributes["arazzo.step.id"] === id && s.name.startsWith("arazzo.step"))!;
    const ms = (t: readonly [number, number]) => Number(nanos(t)) / 1e6;
    expect(ms(span("second").endTime)).toBeLessThan(ms(span("first").endTime) - 20);
    expect(ms(span("third").startTime)).toBeGreaterThanOrEqual(ms(span("first").endTime) - 1);
  });

  test("metrics: run durations by workflow and outcome, step outcomes by workflow and step", async () => {
    // What the tests before recorded, cumulatively: read them, run once more, compare.
    const before = await points("arazzo.step.outcomes");
    const count = (list: [Record<string, unknown>, unknown][], attributes: Record<string, unknown>) =>
      Number(list.find(([a]) => JSON.stringify(a) === JSON.stringify(attributes))?.[1] ?? 0);
    const durationsBefore = await points("arazzo.workflow.duration");
    await runs("read-report")({ reportId: "slow" }, { baseUrls: baseUrls() });
    const after = await points("arazzo.step.outcomes");
    const ids = { "arazzo.workflow.id": "read-report", "arazzo.step.id": "getReport" };
    expect(count(after, { ...ids, "arazzo.step.outcome": "retry" }) - count(before, { ...ids, "arazzo.step.outcome": "retry" })).toBe(2);
    expect(count(after, { ...ids, "arazzo.step.outcome": "success" }) - count(before, { ...ids, "arazzo.step.outcome": "success" })).toBe(1);
    const durations = await points("arazzo.workflow.duration");
    const success = { "arazzo.workflow.id": "read-report", "arazzo.workflow.outcome": "success" };
    expect(count(durations, success) - count(durationsBefore, success)).toBe(1);
    // The failing run of the test before, by its reason.
    expect(count(durations, { "arazzo.workflow.id": "read-report", "arazzo.workflow.outcome": "failure", "error.type": "criteria" })).toBeGreaterThanOrEqual(1);
    // Seconds, and buckets that reach hours.
    const { resourceMetrics } = await reader.collect();
    const histogram = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === "arazzo.workflow.duration")!;
    expect(histogram.descriptor.unit).toBe("s");
    const point = histogram.dataPoints[0]!.value as { buckets: { boundaries: number[] }; sum: number };
    expect(point.buckets.boundaries.at(-1)).toBeGreaterThanOrEqual(3600);
    expect(point.sum).toBeLessThan(60);
  });

  test("options.tracer and options.meter: the run's spans and metrics go there instead", async () => {
    const own = new InMemorySpanExporter();
    const ownProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(own)] });
    const ownReader = new TestReader();
    const ownMeters = new MeterProvider({ readers: [ownReader] });
    try {
      await runs("read-report")({ reportId: "ready" }, { baseUrls: baseUrls(), tracer: ownProvider.getTracer("mine"), meter: ownMeters.getMeter("mine") });
      expect(exporter.getFinishedSpans()).toEqual([]);
      expect(own.getFinishedSpans().map((s) => s.name)).toEqual(["GET /v1/reports/{reportId}", "arazzo.step getReport", "arazzo.workflow read-report"]);
      const { resourceMetrics } = await ownReader.collect();
      expect(resourceMetrics.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name)).sort()).toEqual([
        "arazzo.step.outcomes",
        "arazzo.workflow.duration",
      ]);
    } finally {
      await Promise.allSettled([ownProvider.shutdown(), ownMeters.shutdown()]);
    }
  });

  test("a run in the trace context a durable engine's request carries (Restate's `traceparent`): traced under it", async () => {
    const { withTraceContext } = (await import(pathToFileURL(path.join(out, "orders/dist/runtime-telemetry.js")).href)) as {
      withTraceContext: <T>(headers: ReadonlyMap<string, string>, run: () => Promise<T>) => Promise<T>;
    };
    const remote = { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331" };
    const headers = new Map([["traceparent", `00-${remote.traceId}-${remote.spanId}-01`]]);
    await withTraceContext(headers, () => runs("read-report")({ reportId: "ready" }, { baseUrls: baseUrls() }));
    const workflow = exporter.getFinishedSpans().find((s) => s.name === "arazzo.workflow read-report")!;
    expect(workflow.spanContext().traceId).toBe(remote.traceId);
    expect(workflow.parentSpanContext?.spanId).toBe(remote.spanId);
    expect(apiRequests[0]?.traceparent).toMatch(new RegExp(`^00-${remote.traceId}-[0-9a-f]{16}-01$`));
  });
});

describe("export over OTLP/HTTP", () => {
  test("the spans reach a collector with their parent links, and the API saw each request span's trace context", async () => {
    const receiver = await startOtlpReceiver();
    const otlp = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: receiver.url }))] });
    try {
      await runs("place-and-poll")(SECRETS, { baseUrls: baseUrls(), tracer: otlp.getTracer("otlp") });
      await otlp.forceFlush();
      const spans = receiver.spans();
      const byId = new Map(spans.map((s) => [s.spanId, s]));
      const tree = spans.map((s) => [s.name, s.parentSpanId ? byId.get(s.parentSpanId)?.name : undefined]).sort();
      expect(tree).toEqual(
        [
          ["arazzo.workflow place-and-poll", undefined],
          ["arazzo.step createOrder", "arazzo.workflow place-and-poll"],
          ["POST /v1/orders", "arazzo.step createOrder"],
          ...[1, 2, 3].flatMap(() => [
            ["arazzo.step pollOrder", "arazzo.workflow place-and-poll"],
            ["GET /v1/orders/{orderId}", "arazzo.step pollOrder"],
          ]),
        ].sort(),
      );
      // OTLP's JSON encoding: ids in hex, kind 3 for CLIENT (SPAN_KIND_CLIENT).
      const clients = spans.filter((s) => s.kind === 3);
      expect(clients).toHaveLength(4);
      const sent = apiRequests.map((r) => r.traceparent);
      expect(sent.sort()).toEqual(clients.map((s) => `00-${s.traceId}-${s.spanId}-01`).sort());
      expect(JSON.stringify(spans)).not.toMatch(new RegExp([...Object.values(SECRETS), ORDER_ID].join("|")));
    } finally {
      await otlp.shutdown();
      await receiver.close();
    }
  });
});
