/**
 * `src/mocks.ts` of a generated package (subpath `<package>/mocks`, so production code
 * never loads it): `createMockFetch()`, a `fetch` that answers every operation the
 * workflows call and, by default, drives each workflow down its happy path
 * (`targets/typescript/mock-data.ts`); replies overridable per operationId or per step,
 * typed by the `paths` types, as a sequence; the requests it received, each with the step
 * that sent it; and `exampleInputs` per workflowId, typed as each workflow's inputs.
 *
 * The runtime tells the mock which step is sending (`send` calls `fetch.onArazzoStep`), so
 * two steps calling the same operation get their own replies. The MSW handlers (`mocks-msw.ts`)
 * are told by the request itself: while they mark the process, each step's request carries
 * its step in a header (`STEP_HEADER`, `runtime/runtime.ts`), so they answer alike.
 */
import type { DiagnosticBag } from "../../diagnostics.ts";
import { allModels } from "../../ir/operation-uses.ts";
import type { PackageModel } from "../../ir/types.ts";
import { stringLiteral } from "../../shared/names.ts";
import { mockData } from "../typescript/mock-data.ts";
import { mockCredentials } from "./mock-credentials.ts";

/** `diagnostics` receives the warnings about example inputs typed loosely. */
export function mocksModule(pkg: PackageModel, header: string, diagnostics?: DiagnosticBag): string {
  const data = mockData(pkg, diagnostics);
  const models = allModels(pkg.document);
  const sources = new Map(models.flatMap((m) => m.sources).map((s) => [s.moduleName, s]));
  const workflows = pkg.document.workflows;
  // An operation's key: its operationId, or `METHOD /path`; the source's module name first when two sources share it.
  const plainKey = (o: { operationId?: string; method: string; path: string }) => o.operationId ?? `${o.method} ${o.path}`;
  const counts = new Map<string, number>();
  for (const o of data.operations) counts.set(plainKey(o), (counts.get(plainKey(o)) ?? 0) + 1);
  const operationKey = (o: { source: string; operationId?: string; method: string; path: string }) =>
    (counts.get(plainKey(o)) ?? 0) > 1 ? `${o.source} ${plainKey(o)}` : plainKey(o);
  const opType = (source: string, method: string, path: string) =>
    `${sources.get(source)!.pascalName}Paths[${stringLiteral(path)}][${stringLiteral(method.toLowerCase())}]`;
  // Keyed as the runtime names the step (`workflowId/stepId`); a workflow of an included document
  // with the same id as one of this document's cannot be told apart: the first keeps the key.
  const stepOps = [
    ...new Map(
      models
        .flatMap((m) =>
          m.workflows.flatMap((w) =>
            w.steps.flatMap((s) =>
              s.kind === "operation"
                ? [
                    [
                      `${w.workflowId}/${s.stepId}`,
                      { key: `${w.workflowId}/${s.stepId}`, source: s.source.moduleName, method: s.operation.method, path: s.operation.path },
                    ] as const,
                  ]
                : [],
            ),
          ),
        )
        .reverse(),
    ).values(),
  ].reverse();
  const operations = [...data.operations].sort(bySpecificity);
  const usedSources = [...new Set(operations.map((o) => o.source))].map((name) => sources.get(name)!);
  // What the mocks do about credentials: placeholders, token replies, redaction (`mock-credentials.ts`).
  const credentials = mockCredentials(pkg);
  return [
    header,
    "",
    ...usedSources.map((s) => `import type { paths as ${s.pascalName}Paths } from "./${s.moduleName}.paths.js";`),
    ...credentials.imports,
    ...workflows.map((w) => `import type { ${w.typeName}Inputs } from "./${w.moduleName}.js";`),
    'import { MOCK } from "./runtime-servers.js";',
    'import { STEP_HEADER } from "./runtime.js";',
    "",
    "/** What a mocked request gets: a status, headers, and a JSON (`body`) or text (`text`) body. */",
    "export interface MockReply<Body = unknown> {",
    "  status: number;",
    "  headers?: Record<string, string>;",
    "  body?: Body;",
    "  text?: string;",
    "}",
    "",
    "/** The JSON bodies an operation documents, for any status. */",
    'type JsonBody<Op> = Op extends { responses: infer R } ? { [S in keyof R]: R[S] extends { content: { "application/json": infer B } } ? B : never }[keyof R] : never;',
    "",
    "/** A reply, or replies in order (the last one repeats): to script a poll that answers `pending` twice, or a 500. */",
    "export type MockReplies<Op> = MockReply<JsonBody<Op>> | readonly MockReply<JsonBody<Op>>[];",
    "",
    "/** Replies that replace the defaults: per operationId (`METHOD /path` without one), or per `workflowId/stepId`, which wins. */",
    "export interface MockResponses {",
    ...operations.map((o) => `  ${stringLiteral(operationKey(o))}?: MockReplies<${opType(o.source, o.method, o.path)}>;`),
    ...stepOps.map((s) => `  ${stringLiteral(s.key)}?: MockReplies<${opType(s.source, s.method, s.path)}>;`),
    "}",
    "",
    "export interface MockFetchOptions {",
    "  responses?: MockResponses;",
    "}",
    "",
    "/**",
    " * A request the mock received; `step` is `workflowId/stepId` of the step that sent it, `security`",
    " * the security schemes whose credentials it carried (the run's `auth`, or the step's own). Every",
    " * header, query parameter and cookie where a security scheme puts credentials is recorded as `[redacted]`.",
    " */",
    "export interface RecordedRequest {",
    "  method: string;",
    "  url: string;",
    "  headers: Record<string, string>;",
    "  body: string | undefined;",
    "  step: string | undefined;",
    "  security: string[];",
    "}",
    "",
    "/**",
    " * A `fetch` for `options.fetch` that records what it receives. It takes any credentials: an",
    " * OAuth2 or OpenID Connect client gets a token from it (token requests are not recorded), and a",
    " * source without an absolute server URL is reached without `baseUrls`.",
    " */",
    "export type MockFetch = ((input: Request) => Promise<Response>) & {",
    "  readonly requests: RecordedRequest[];",
    "  /** Called by the runtime before a step's request: which step is sending. */",
    "  onArazzoStep(step: { readonly workflowId: string; readonly stepId: string }): void;",
    "  readonly [MOCK]: true;",
    "};",
    "",
    "interface MockedOperation {",
    "  readonly key: string;",
    "  /** The source's module, its path template: which security requirement applies. */",
    "  readonly source: string;",
    "  readonly path: string;",
    "  readonly method: string;",
    "  readonly pattern: RegExp;",
    "  readonly reply: MockReply;",
    "}",
    "",
    "/** Every operation the workflows call, matched by method and the end of the URL path (any base URL). */",
    "const OPERATIONS: readonly MockedOperation[] = [",
    ...operations.map(
      (o) =>
        `  { key: ${stringLiteral(operationKey(o))}, source: ${stringLiteral(o.source)}, path: ${stringLiteral(o.path)}, method: ${stringLiteral(o.method)}, pattern: ${pathPattern(o.path)}, reply: ${json(o.reply)} },`,
    ),
    "];",
    "",
    "/** Each step's happy-path reply (when it is not its operation's), and the operation it calls. */",
    "const STEPS: Readonly<Record<string, { readonly operation: string; readonly reply?: MockReply }>> = {",
    ...stepOps.map((s) => {
      const op = operations.find((o) => o.source === s.source && o.method === s.method.toUpperCase() && o.path === s.path)!;
      const reply = json(data.steps[s.key]!);
      return `  ${stringLiteral(s.key)}: { operation: ${stringLiteral(operationKey(op))}${reply === json(op.reply) ? "" : `, reply: ${reply}`} },`;
    }),
    "};",
    "",
    "/**",
    " * A `fetch` that answers every operation the package's workflows call. By default each step",
    " * gets a reply that meets its success criteria (where they compare a body field or header",
    " * with a value); `options.responses` replaces replies per operation or per step.",
    " */",
    "export function createMockFetch(options: MockFetchOptions = {}): MockFetch {",
    "  const requests: RecordedRequest[] = [];",
    "  const used = new Map<string, number>();",
    "  const responses = (options.responses ?? {}) as Record<string, MockReply | readonly MockReply[] | undefined>;",
    "  let current: string | undefined;",
    "  const scripted = (key: string): MockReply | undefined => {",
    "    const replies = Object.hasOwn(responses, key) ? responses[key] : undefined;",
    "    if (replies === undefined || !Array.isArray(replies)) return replies as MockReply | undefined;",
    "    const i = used.get(key) ?? 0;",
    "    used.set(key, i + 1);",
    "    return replies[Math.min(i, replies.length - 1)];",
    "  };",
    "  const mockFetch = async (input: Request): Promise<Response> => {",
    "    // Told by the runtime (`onArazzoStep`), or, through the MSW handlers, by the request's header.",
    "    const marked = input.headers.get(STEP_HEADER);",
    "    // `workflowId/stepId`, each percent-encoded (a header value is Latin-1 only).",
    '    const step = current ?? (marked === null ? undefined : marked.split("/").map(decodeURIComponent).join("/"));',
    "    const path = new URL(input.url).pathname;",
    "    const body = input.body ? await input.text() : undefined;",
    "    const matches = (o: MockedOperation) => o.method === input.method && o.pattern.test(path);",
    "    // The sending step's own operation first: another's path may end the same way (`/orders`, `/customers/{id}/orders`).",
    "    const mine = step === undefined ? undefined : OPERATIONS.find((o) => o.key === STEPS[step]?.operation && matches(o));",
    "    // A client fetching its own token before the step's request (even from a URL an operation of the",
    "    // package has): answered, not recorded. Without a step (a token request through the MSW handlers, which",
    "    // carries none), an operation of the package is answered as one.",
    "    const token = mine || (step === undefined && OPERATIONS.some(matches)) ? undefined : tokenReply(input, body);",
    "    if (token) return token;",
    "    current = undefined;",
    "    const operation = mine ?? OPERATIONS.find(matches);",
    "    requests.push(recorded(input, body, step, operation));",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a line of generated code, a template literal there
    "    if (!operation) return Response.json({ message: `not mocked: ${input.method} ${path}` }, { status: 404 });",
    "    const own = step !== undefined && STEPS[step]?.operation === operation.key ? step : undefined;",
    "    const reply = (own === undefined ? undefined : scripted(own)) ?? scripted(operation.key) ?? (own === undefined ? undefined : STEPS[own]!.reply) ?? operation.reply;",
    "    return toResponse(reply);",
    "  };",
    "  return Object.assign(mockFetch, {",
    "    requests,",
    "    onArazzoStep(step: { readonly workflowId: string; readonly stepId: string }) {",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a line of generated code, a template literal there
    "      current = `${step.workflowId}/${step.stepId}`;",
    "    },",
    "    [MOCK]: true as const,",
    "  });",
    "}",
    "",
    ...credentials.declarations,
    "",
    "function toResponse(reply: MockReply): Response {",
    "  const headers = new Headers(reply.headers);",
    '  if (reply.text !== undefined) return new Response(reply.text, { status: reply.status, headers: withType(headers, "application/xml") });',
    "  if (reply.body === undefined || reply.status === 204) return new Response(null, { status: reply.status, headers });",
    '  return new Response(JSON.stringify(reply.body), { status: reply.status, headers: withType(headers, "application/json") });',
    "}",
    "",
    "function withType(headers: Headers, type: string): Headers {",
    '  if (!headers.has("Content-Type")) headers.set("Content-Type", type);',
    "  return headers;",
    "}",
    "",
    "/**",
    " * Credentials for every security scheme of every source whose clients take them, for runs on the",
    " * mocks (`{ fetch: createMockFetch(), auth: exampleAuth }`): placeholders, never real ones; OAuth2",
    " * and OpenID Connect clients fetch their tokens from the mock.",
    " */",
    ...credentials.exampleAuth,
    "",
    "/** Inputs for each workflow, from its inputs schema's examples, defaults and enums, or the API fields they flow into. */",
    "export const exampleInputs: {",
    ...workflows.map((w) => `  ${stringLiteral(w.workflowId)}: ${w.typeName}Inputs;`),
    "} = {",
    // A computed key: `"__proto__": …` in a literal would set the prototype.
    ...workflows.map(
      (w) =>
        `  ${w.workflowId === "__proto__" ? `[${stringLiteral(w.workflowId)}]` : stringLiteral(w.workflowId)}: ${inputsCode(data.inputs[w.workflowId] ?? {}, data.looseInputs[w.workflowId], `${w.typeName}Inputs`)},`,
    ),
    "};",
    "",
  ].join("\n");
}

/**
 * `src/mocks-msw.ts` (subpath `<package>/mocks/msw`): MSW request handlers for the same
 * operations, answering as `createMockFetch` does, for users who test with MSW. `msw` is an
 * optional peer dependency: nothing else in the package imports this module.
 */
export function mswModule(pkg: PackageModel, header: string, packageName: string): string {
  const { operations } = mockData(pkg);
  const routes = [...new Map(operations.filter((o) => o.method !== "TRACE").map((o) => [`${o.method} ${o.path}`, o])).values()].sort(bySpecificity);
  // The token endpoints and discovery documents of the package's OAuth2 and OpenID Connect clients, after the operations.
  const tokenRoutes = mockCredentials(pkg).routes;
  return [
    header,
    "",
    'import { http, type HttpHandler } from "msw";',
    'import { createMockFetch, type MockFetch, type MockFetchOptions } from "./mocks.js";',
    'import { markMockPackage } from "./runtime.js";',
    'import { MOCK } from "./runtime-servers.js";',
    "",
    "/** Every operation the workflows call: its method, and a RegExp for URLs whose path ends with its path (any origin, any query). */",
    // Typed even when empty (a document with message steps only).
    'const ROUTES: readonly (readonly ["get" | "put" | "post" | "delete" | "options" | "head" | "patch", RegExp])[] = [',
    ...routes.map((o) => `  [${stringLiteral(o.method.toLowerCase())}, ${pathPattern(o.path, "(?:[?#].*)?")}],`),
    ...tokenRoutes.map(([method, pattern]) => `  [${stringLiteral(method)}, ${pattern}],`),
    "];",
    "",
    "/** How many handler sets mark the process (`createHandlers`, until `release`). */",
    "let marks = 0;",
    "",
    "/**",
    " * MSW handlers answering every operation the workflows call with the replies of",
    " * `createMockFetch(options)`, `workflowId/stepId` entries included; `fetch.requests` records",
    " * what they received. Until `release()`, each step's request of this package (not of another",
    " * package's runs) names its step in a header the handlers read (and do not record), and runs in",
    " * this process reach a source whose description has no absolute server URL without `baseUrls`",
    " * (at `https://<source>.mock.arazzo.invalid`, which resolves nowhere else).",
    " */",
    "export function createHandlers(options: MockFetchOptions = {}): { handlers: HttpHandler[]; fetch: MockFetch; release(): void } {",
    "  const fetch = createMockFetch(options);",
    "  marks += 1;",
    "  (globalThis as { [MOCK]?: true })[MOCK] = true;",
    `  const unmark = markMockPackage(${stringLiteral(packageName)});`,
    "  let released = false;",
    "  const release = () => {",
    "    if (released) return;",
    "    released = true;",
    "    unmark();",
    "    marks -= 1;",
    "    if (marks === 0) delete (globalThis as { [MOCK]?: true })[MOCK];",
    "  };",
    "  return { handlers: ROUTES.map(([method, path]) => http[method](path, ({ request }) => fetch(request))), fetch, release };",
    "}",
    "",
  ].join("\n");
}

/** `/pis/v2/payments/{id}` → a RegExp literal matching a URL path that ends with it (`tail` after it: `(?:[?#].*)?` for a whole URL). */
function pathPattern(path: string, tail = ""): string {
  const source = path
    .split(/(\{[^}]*\})/)
    .map((part) => (/^\{.*\}$/.test(part) ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")))
    .join("");
  return `/${source}${tail}$/`;
}

/** More specific paths first (more literal text, then fewer parameters), so `/customers/{id}/orders` is tried before `/orders`. */
function bySpecificity(a: { path: string }, b: { path: string }): number {
  const literal = (p: string) => p.replace(/\{[^}]*\}/g, "").length;
  const params = (p: string) => p.match(/\{/g)?.length ?? 0;
  return literal(b.path) - literal(a.path) || params(a.path) - params(b.path) || a.path.localeCompare(b.path);
}

/**
 * A JSON value as a TypeScript literal. A `__proto__` key becomes a computed key, which
 * makes an own property (a plain `"__proto__":` in a literal would set the prototype); in
 * compact JSON a key follows `{` or `,`, where a string's quote never does.
 */
/** A workflow's example inputs; those `loose` (no value fits both the input's schema and an API field's type) cast to the input's type. */
function inputsCode(inputs: Record<string, unknown>, loose: readonly string[] | undefined, typeName: string): string {
  if (!loose?.length) return json(inputs);
  const entries = Object.entries(inputs).map(([name, value]) => {
    const key = name === "__proto__" ? `[${stringLiteral(name)}]` : stringLiteral(name);
    return `${key}: ${json(value)}${loose.includes(name) ? ` as unknown as ${typeName}[${stringLiteral(name)}]` : ""}`;
  });
  return `{ ${entries.join(", ")} }`;
}

function json(value: unknown): string {
  return (JSON.stringify(value) ?? "undefined")
    .replace(/(?<=[{,])"__proto__":/g, '["__proto__"]:')
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
