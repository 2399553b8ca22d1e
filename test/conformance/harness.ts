/**
 * Conformance harness: fixtures under `test/conformance/<case>/` (an Arazzo document named
 * `<case>.arazzo.yaml`, so each generates package `<case>`, and a `case.ts` of scenarios),
 * a scripted fetch that answers each request from the scenario's queue and records what
 * was sent, and one `generate()` call for every fixture at once.
 */
import { existsSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { expect } from "vitest";
import type { Diagnostic } from "../../generator/diagnostics.ts";
import { generate } from "../../generator/generate.ts";

export const CONFORMANCE_DIR = import.meta.dirname;
/** Generated packages go inside the repo so Node resolves `openapi-fetch` & co. from its node_modules. */
export const OUT_DIR = path.join(CONFORMANCE_DIR, ".out");

/** A response the mock sends. `json`, `xml` or `text` set the body and its Content-Type. */
export interface MockResponse {
  readonly status: number;
  /** Answer this many milliseconds late (an abort of the request ends the wait with an AbortError). */
  readonly delayMs?: number;
  /**
   * Answer only once this request (`GET https://…`) has arrived: proof that it was sent while
   * this one was still open (steps running concurrently). Fails after 2 s.
   */
  readonly heldUntil?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly json?: unknown;
  readonly xml?: string;
  readonly text?: string;
}

/**
 * A request the mock must receive. `headers` lists only the relevant ones (names in lower
 * case; `null`: must be absent). Without `json`, `form`, `multipart` or `text`, the request has no body.
 */
export interface ExpectedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string | null>>;
  readonly json?: unknown;
  /** An `application/x-www-form-urlencoded` body, decoded. */
  readonly form?: Readonly<Record<string, string>>;
  /** A `multipart/form-data` body: each part's name and text, in order. */
  readonly multipart?: readonly (readonly [string, string])[];
  /** The body exactly as sent (for a form, the encoded text). */
  readonly text?: string;
}

export interface Exchange {
  readonly request: ExpectedRequest;
  /** A function runs when the request arrives (to abort a run at that moment, say). */
  readonly response: MockResponse | (() => MockResponse);
}

export type ExpectedError =
  | {
      readonly name: "ArazzoStepError";
      readonly reason:
        | "criteria"
        | "missing-output"
        | "request"
        | "timeout"
        | "not-run"
        | "step-budget"
        | "invalid-response"
        | "missing-credentials"
        | "credentials";
      readonly stepId: string;
      readonly status?: number;
      /** Substrings the message must contain (the failed criterion's text, say). */
      readonly message?: readonly string[];
      /** Substrings it must not contain (a value from the response, say). */
      readonly messageExcludes?: readonly string[];
      /** `ArazzoStepError.attempts` (always checked: 1 when absent) and `waitedMs` at least this. */
      readonly attempts?: number;
      readonly waitedAtLeastMs?: number;
    }
  | { readonly name: "AbortError" }
  /** The run's options cannot work for a source (no server URL, a variable's value not allowed), before any request. */
  | { readonly name: "ArazzoConfigError"; readonly source: string; readonly message?: readonly string[] };

interface ServerChoiceLike {
  readonly server?: number | string;
  readonly variables?: Readonly<Record<string, string>>;
}

export interface RunOptionsLike {
  readonly baseUrls?: Readonly<Record<string, string>>;
  readonly servers?: Readonly<
    Record<
      string,
      ServerChoiceLike & {
        /** Per operation with servers of its own, by `METHOD /path`. */
        readonly operations?: Readonly<Record<string, ServerChoiceLike>>;
      }
    >
  >;
  readonly auth?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** openapi-fetch middleware of the run. */
  readonly middleware?: readonly object[];
  readonly maxSteps?: number;
  readonly maxRetryDelayMs?: number;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly validateResponses?: boolean;
  readonly onTransition?: (event: Record<string, unknown>) => void;
}

export interface Scenario {
  readonly name: string;
  /** The exported `run<Workflow>` function to call. */
  readonly run: string;
  readonly inputs?: Readonly<Record<string, unknown>>;
  /** Run options (besides `fetch`, which is always the mock); a function for per-run state such as an AbortSignal. */
  readonly options?: RunOptionsLike | (() => RunOptionsLike);
  /** The requests in the order they must arrive, each with the response it gets. */
  readonly exchanges: readonly Exchange[];
  /** The workflow's outputs (compared strictly: a key holding `undefined` must be there), or the error it rejects with. */
  readonly expect: { readonly outputs: Readonly<Record<string, unknown>> } | { readonly error: ExpectedError };
  /** The run must settle within this time (a retry delay that should not happen fails it). */
  readonly withinMs?: number;
  /** The run must take at least this long (retry delays are honoured). */
  readonly atLeastMs?: number;
  /** A known generator bug or missing feature: the scenario is run as `test.fails`; says what goes wrong. */
  readonly knownBug?: string;
  /** The transitions `options.onTransition` must report, in order (`workflowId` left out: the scenario's own). */
  readonly transitions?: readonly Readonly<Record<string, unknown>>[];
}

export interface ConformanceCase {
  /** Fixture folder name, which is also the generated package name. */
  readonly name: string;
  readonly arazzo: string;
  readonly scenarios: readonly Scenario[];
  /**
   * A known generator bug that makes generating this fixture fail (`case.ts` exports it as
   * `generationBug`). The fixture is left out of the shared `generate()` call and checked
   * on its own as `test.fails`; its scenarios wait until it generates.
   */
  readonly generationBug?: string;
}

/** The fixtures: every folder with a `case.ts` (folders starting with `_` or `.` are shared files or output). */
export async function loadCases(): Promise<ConformanceCase[]> {
  const names = readdirSync(CONFORMANCE_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !/^[_.]/.test(e.name) && existsSync(path.join(CONFORMANCE_DIR, e.name, "case.ts")))
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const module = (await import(pathToFileURL(path.join(CONFORMANCE_DIR, name, "case.ts")).href)) as { scenarios: Scenario[]; generationBug?: string };
      return { name, arazzo: path.join(CONFORMANCE_DIR, name, `${name}.arazzo.yaml`), scenarios: module.scenarios, generationBug: module.generationBug };
    }),
  );
}

export type GeneratedPackage = Record<string, unknown> & {
  ArazzoStepError: new (...args: never[]) => Error;
  ArazzoConfigError: new (...args: never[]) => Error;
};

/** Generates every fixture with one `generate()` call and imports each package's built `dist/index.js`. */
export async function generateAll(cases: readonly ConformanceCase[]): Promise<Map<string, GeneratedPackage>> {
  rmSync(OUT_DIR, { recursive: true, force: true });
  const result = await generate({ inputs: cases.map((c) => c.arazzo), outDir: OUT_DIR, write: true });
  if (!result.ok) throw new Error(`generation failed:\n${errorText(result.diagnostics)}`);
  const packages = new Map<string, GeneratedPackage>();
  for (const c of cases) {
    const entry = pathToFileURL(path.join(OUT_DIR, c.name, "dist/index.js")).href;
    packages.set(c.name, (await import(entry)) as GeneratedPackage);
  }
  return packages;
}

/** Generates one fixture without writing it; returns its error diagnostics as text (empty when it generates). */
export async function generationErrors(c: ConformanceCase): Promise<string> {
  const result = await generate({ inputs: [c.arazzo], outDir: OUT_DIR, write: false });
  return errorText(result.diagnostics);
}

function errorText(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .filter((d) => d.severity === "error")
    .map((d) => `${d.file ? path.relative(CONFORMANCE_DIR, d.file) : "?"}:${d.line}:${d.col} - ${d.code}: ${d.message}`)
    .join("\n");
}

export function removeOutput(): void {
  rmSync(OUT_DIR, { recursive: true, force: true });
}

interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** A fetch that answers from `exchanges` in order and records every request; a request beyond the script is rejected and recorded as unexpected. */
export function scriptedFetch(exchanges: readonly Exchange[]) {
  const recorded: RecordedRequest[] = [];
  const unexpected: string[] = [];
  const arrived = new EventTarget();
  const fetch = async (request: Request): Promise<Response> => {
    const body = request.body ? await request.text() : "";
    recorded.push({ method: request.method, url: request.url, headers: Object.fromEntries(request.headers), body });
    const exchange = exchanges[recorded.length - 1];
    if (!exchange) {
      unexpected.push(`${request.method} ${request.url}`);
      throw new Error(`unexpected request ${request.method} ${request.url}`);
    }
    arrived.dispatchEvent(new Event("request"));
    const response = typeof exchange.response === "function" ? exchange.response() : exchange.response;
    if (response.heldUntil) await heldUntil(response.heldUntil, recorded, arrived, request.signal);
    if (response.delayMs) await delay(response.delayMs, request.signal);
    return toResponse(response);
  };
  return { fetch, recorded, unexpected };
}

/** Resolves once `awaited` (`METHOD url`) is among the recorded requests; rejects after 2 s or on abort. */
function heldUntil(awaited: string, recorded: readonly RecordedRequest[], arrived: EventTarget, signal: AbortSignal): Promise<void> {
  const seen = () => recorded.some((r) => `${r.method} ${r.url}` === awaited);
  return new Promise((resolve, reject) => {
    if (seen()) return resolve();
    const done = () => {
      clearTimeout(timer);
      arrived.removeEventListener("request", check);
      signal.removeEventListener("abort", aborted);
    };
    const check = () => {
      if (!seen()) return;
      done();
      resolve();
    };
    const aborted = () => {
      done();
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`held response: ${awaited} did not arrive while this request was open (the steps ran one after the other)`));
    }, 2000);
    arrived.addEventListener("request", check);
    signal.addEventListener("abort", aborted, { once: true });
  });
}

/** Waits `ms`, or rejects with the signal's reason (an AbortError, as fetch does) when it aborts first. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

function toResponse(r: MockResponse): Response {
  const headers = new Headers(r.headers);
  let body: string | null = null;
  const typed = (contentType: string, text: string) => {
    if (!headers.has("content-type")) headers.set("content-type", contentType);
    body = text;
  };
  if (r.json !== undefined) typed("application/json", JSON.stringify(r.json));
  else if (r.xml !== undefined) typed("application/xml", r.xml);
  else if (r.text !== undefined) typed("text/plain", r.text);
  return new Response(body, { status: r.status, headers });
}

/** A recorded request in the shape of the expected one, so one `toEqual` shows every difference. */
function comparable(actual: RecordedRequest, expected: ExpectedRequest | undefined): ExpectedRequest {
  const headers = expected?.headers && Object.fromEntries(Object.keys(expected.headers).map((name) => [name, actual.headers[name.toLowerCase()] ?? null]));
  const out: Record<string, unknown> = { method: actual.method, url: actual.url, ...(headers ? { headers } : {}) };
  if (expected?.json !== undefined) {
    try {
      out.json = JSON.parse(actual.body);
    } catch {
      out.json = actual.body;
    }
  } else if (expected?.form !== undefined) {
    out.form = Object.fromEntries(new URLSearchParams(actual.body));
  } else if (expected?.multipart !== undefined) {
    out.multipart = multipartParts(actual.body, actual.headers["content-type"]);
  } else if (expected?.text !== undefined || actual.body !== "") {
    out.text = actual.body;
  }
  return out as unknown as ExpectedRequest;
}

/** The parts of a `multipart/form-data` body (RFC 7578): name and text of each, in order. */
function multipartParts(body: string, contentType: string | undefined): [string, string][] {
  const boundary = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? "");
  if (!boundary) return [["<no multipart/form-data boundary in the Content-Type>", contentType ?? ""]];
  return body
    .split(`--${boundary[1] ?? boundary[2]}`)
    .slice(1, -1)
    .map((part): [string, string] => {
      const end = part.indexOf("\r\n\r\n");
      const name = /;\s*name="([^"]*)"/.exec(part.slice(0, end))?.[1] ?? "<no name>";
      return [name, part.slice(end + 4).replace(/\r\n$/, "")];
    });
}

/** Runs one scenario against its package and checks the requests, then the outcome. */
export async function runScenario(pkg: GeneratedPackage, scenario: Scenario): Promise<void> {
  const run = pkg[scenario.run];
  if (typeof run !== "function") throw new Error(`the package exports no function \`${scenario.run}\``);
  const mock = scriptedFetch(scenario.exchanges);
  let options: RunOptionsLike = typeof scenario.options === "function" ? scenario.options() : (scenario.options ?? {});
  // A run that must settle quickly is cancelled when it does not, instead of hanging the suite.
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (scenario.withinMs !== undefined) {
    const deadline = new AbortController();
    timer = setTimeout(() => deadline.abort(new Error(`the run did not settle within ${scenario.withinMs} ms`)), scenario.withinMs);
    options = { ...options, signal: options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal };
  }
  const transitions: Record<string, unknown>[] = [];
  if (scenario.transitions) options = { ...options, onTransition: ({ workflowId: _, ...event }: Record<string, unknown>) => transitions.push(event) };
  const started = performance.now();
  const outcome = await (run as (inputs: unknown, options: unknown) => Promise<unknown>)(scenario.inputs ?? {}, { ...options, fetch: mock.fetch })
    .then(
      (outputs) => ({ outputs }),
      (error: unknown) => ({ error }),
    )
    .finally(() => clearTimeout(timer));
  const elapsed = performance.now() - started;

  const expected = scenario.exchanges.map((e) => e.request);
  expect(
    mock.recorded.map((r, i) => comparable(r, expected[i])),
    "requests sent",
  ).toEqual(expected);
  expect(mock.unexpected, "requests beyond the script").toEqual([]);

  if ("outputs" in scenario.expect) {
    if ("error" in outcome) throw outcome.error;
    expect(outcome.outputs).toStrictEqual(scenario.expect.outputs);
  } else {
    const want = scenario.expect.error;
    if (!("error" in outcome)) expect.fail(`expected ${want.name}, got outputs ${JSON.stringify(outcome.outputs)}`);
    const error = outcome.error as Error;
    if (want.name === "AbortError") {
      expect(error).toMatchObject({ name: "AbortError" });
    } else if (want.name === "ArazzoConfigError") {
      expect(error).toBeInstanceOf(pkg.ArazzoConfigError);
      expect((error as Error & { source: string }).source).toBe(want.source);
      for (const text of want.message ?? []) expect(error.message).toContain(text);
    } else {
      expect(error).toBeInstanceOf(pkg.ArazzoStepError);
      const e = error as Error & { reason: string; stepId: string; status: number | undefined; attempts: number; waitedMs: number };
      expect({ reason: e.reason, stepId: e.stepId, attempts: e.attempts, ...(want.status !== undefined ? { status: e.status } : {}) }).toEqual({
        reason: want.reason,
        stepId: want.stepId,
        attempts: want.attempts ?? 1,
        ...(want.status !== undefined ? { status: want.status } : {}),
      });
      if (want.waitedAtLeastMs !== undefined) expect(e.waitedMs).toBeGreaterThanOrEqual(want.waitedAtLeastMs);
      for (const text of want.message ?? []) expect(e.message).toContain(text);
      for (const text of want.messageExcludes ?? []) expect(e.message).not.toContain(text);
    }
  }
  if (scenario.transitions) expect(transitions, "transitions (options.onTransition)").toEqual(scenario.transitions);
  if (scenario.atLeastMs !== undefined) expect(elapsed, "run duration (ms)").toBeGreaterThanOrEqual(scenario.atLeastMs);
}
