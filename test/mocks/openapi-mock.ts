/**
 * A generic, deterministic mock of the APIs described by OpenAPI 3.x documents, served as an
 * injected `fetch` (`(input: Request) => Promise<Response>`), with no msw and no global patching.
 *
 * - Routing: a request is matched to an operation by its URL (the document's first `servers`
 *   entry, or `baseUrl`, followed by a path template) and method. No path → 404, no method → 405.
 * - Checks (`validate`, on by default), cheap ones only: the bearer token the document's
 *   `security` asks for (→ 401); required query and header parameters, `enum` parameter
 *   values, a required request body and JSON that parses (→ 400).
 * - Answer: the operation's documented success status (the lowest 2xx) with a JSON body
 *   synthesized from its schema (see {@link synthesize}): local `$ref`s resolved, `enum` → first
 *   value, fixed formats, one-item arrays, every property; ids come from per-prefix counters
 *   (`customer-0001`), so a fresh mock answers the same sequence the same way.
 * - Overrides per `operationId`: a reply (status, body, or a `patch` deep-merged into the
 *   synthesized body), a sequence of replies (the n-th call gets the n-th, the last repeats:
 *   polls that go `payment_pending` → `payment_pending` → `payment_completed`), or a function.
 * - Every request is recorded in `requests` (method, URL, lower-cased headers, body text, the
 *   matched operation and what the mock answered).
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";

type JsonObject = Record<string, unknown>;

/** A request as the mock received it, and what it answered. */
export interface RecordedRequest {
  method: string;
  url: string;
  /** Header names lower-cased, as `Headers` iterates them. */
  headers: Record<string, string>;
  /** The raw body text ("" when there is none). */
  body: string;
  /** The operation the request matched, if any. */
  operationId?: string;
  /** The status and (parsed) body the mock answered with. */
  response?: { status: number; body: unknown };
}

/**
 * One answer. `status` defaults to the documented success status. `body` replaces the
 * synthesized body; `patch` is deep-merged into it instead (objects key by key, arrays item
 * by item, anything else replaced), which is how one sets a `status` and keeps the rest.
 */
export interface MockReply {
  status?: number;
  body?: unknown;
  patch?: unknown;
  headers?: Record<string, string>;
}

/** What a function override gets to decide its answer. */
export interface OverrideContext {
  request: RecordedRequest;
  /** 1 for the first call of this operation, 2 for the second… */
  call: number;
  /** Path parameters, decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The request body parsed as JSON (or form fields), `undefined` when there is none. */
  json: unknown;
  /** The body the mock would answer with. */
  body: unknown;
  /** Every request recorded so far, this one last. */
  requests: readonly RecordedRequest[];
}

export type MockOverride = MockReply | readonly MockReply[] | ((context: OverrideContext) => MockReply | undefined | Promise<MockReply | undefined>);

export interface OpenApiMockOptions {
  /** Paths of OpenAPI documents (YAML or JSON). */
  documents: readonly string[];
  /** Answers per `operationId`, replacing the synthesized success answer. */
  overrides?: Readonly<Record<string, MockOverride>>;
  /** Serve every document here instead of at its first `servers` entry. */
  baseUrl?: string;
  /** Check security, required parameters and bodies (default true). */
  validate?: boolean;
}

interface Operation {
  operationId: string;
  method: string;
  template: string;
  pattern: RegExp;
  paramNames: string[];
  baseUrl: string;
  operation: JsonObject;
  /** Path-item and operation parameters, `$ref`s resolved. */
  parameters: JsonObject[];
  /** The document, to resolve `$ref`s in. */
  doc: JsonObject;
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);
const documentCache = new Map<string, JsonObject>();

function loadDocument(path: string): JsonObject {
  let doc = documentCache.get(path);
  if (!doc) {
    doc = parse(readFileSync(path, "utf8")) as JsonObject;
    documentCache.set(path, doc);
  }
  return doc;
}

/** Follows local `$ref`s (`#/components/...`) until a non-reference. */
function resolve(doc: JsonObject, value: unknown): { value: JsonObject; refName?: string } {
  let refName: string | undefined;
  let current = value;
  for (let hops = 0; isObject(current) && typeof current.$ref === "string"; hops++) {
    const ref = current.$ref;
    if (!ref.startsWith("#/") || hops > 20) throw new Error(`openapi-mock: cannot resolve $ref ${ref}`);
    const tokens = ref
      .slice(2)
      .split("/")
      .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
    refName = tokens[tokens.length - 1];
    current = tokens.reduce<unknown>((node, token) => (isObject(node) ? node[token] : undefined), doc);
  }
  return { value: isObject(current) ? current : {}, ...(refName === undefined ? {} : { refName }) };
}

/** Every operation of every document, most specific path templates first. */
function indexOperations(paths: readonly string[], baseUrl: string | undefined): Operation[] {
  const operations: Operation[] = [];
  for (const path of paths) {
    const doc = loadDocument(path);
    const server = (doc.servers as { url?: string }[] | undefined)?.[0]?.url ?? "";
    for (const [template, rawItem] of Object.entries((doc.paths ?? {}) as JsonObject)) {
      const item = resolve(doc, rawItem).value;
      for (const method of METHODS) {
        const operation = item[method];
        if (!isObject(operation)) continue;
        const paramNames: string[] = [];
        const source = template
          .split(/(\{[^}]+\})/)
          .map((part) => {
            if (!part.startsWith("{")) return part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
            paramNames.push(part.slice(1, -1));
            return "([^/]+)";
          })
          .join("");
        const parameters = [...((item.parameters as unknown[]) ?? []), ...((operation.parameters as unknown[]) ?? [])].map((p) => resolve(doc, p).value);
        operations.push({
          operationId: typeof operation.operationId === "string" ? operation.operationId : `${method} ${template}`,
          method: method.toUpperCase(),
          template,
          pattern: new RegExp(`^${source}$`),
          paramNames,
          baseUrl: (baseUrl ?? server).replace(/\/+$/, ""),
          operation,
          parameters,
          doc,
        });
      }
    }
  }
  // `/v1/transactions/simulate` must win over `/v1/transactions/{transaction_id}`.
  return operations.sort((a, b) => a.paramNames.length - b.paramNames.length);
}

/** `CustomerBankAccount` → `customer-bank-account`; `session_id` → `session`. */
const kebab = (name: string): string =>
  name
    .replace(/_id$/, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/[_\s]+/g, "-")
    .toLowerCase();

/** Plausible fixed strings for common property names, when the schema gives no format or enum. */
const NAMED_STRINGS: Record<string, string> = {
  amount: "100.00",
  balance: "1000.00",
  currency: "EUR",
  iban: "FR7630006000011234567890189",
  bic: "AGRIFRPPXXX",
  country: "FR",
  phone: "+33612345678",
  name: "Jeanne Martin",
  holder_name: "Jeanne Martin",
  first_name: "Jeanne",
  last_name: "Martin",
};

interface SynthesisState {
  doc: JsonObject;
  /** Per-prefix id counters, shared by the whole mock so ids never repeat. */
  counters: Map<string, number>;
  /** Request parameters by name: a response property with the same name echoes the value. */
  params: Record<string, string>;
  /** The last path parameter: a top-level `id` echoes it (`GET /payments/{payment_id}`). */
  resourceId?: string;
}

/**
 * A JSON value for `schema`: `const`, then `enum`'s first value, then `examples`/`example`;
 * objects get every property, arrays one item. `hint` is the request body at the same
 * position: a primitive of the right type there is echoed (a created customer has the
 * `email` it was created with). Strings: `id`/`*_id`/`*_token` from counters; formats uuid,
 * date-time, date, uri, email fixed; a few common names (`amount`, `iban`…) fixed; else
 * `mock-<name>`. Integers 1 (the length of every array), numbers 0.5, booleans true.
 */
function synthesize(state: SynthesisState, schema: unknown, name: string, entity: string, hint: unknown, depth = 0): unknown {
  const { value: s, refName } = resolve(state.doc, schema);
  if (refName && /^[A-Z]/.test(refName)) entity = kebab(refName);
  if (depth > 12) return null;
  if ("const" in s) return s.const;
  const enumValues = Array.isArray(s.enum) ? s.enum : undefined;
  if (hint !== undefined && hint !== null && typeof hint !== "object" && (!enumValues || enumValues.includes(hint))) {
    if (typeof hint === (s.type === "integer" ? "number" : s.type)) return hint;
  }
  if (enumValues) return enumValues[0];
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
  if ("example" in s) return s.example;
  if (Array.isArray(s.allOf)) {
    const merged = s.allOf.map((part) => synthesize(state, part, name, entity, hint, depth + 1));
    return merged.every(isObject) ? Object.assign({}, ...merged) : merged[0];
  }
  const alternatives = (s.oneOf ?? s.anyOf) as unknown[] | undefined;
  if (Array.isArray(alternatives) && alternatives.length > 0) return synthesize(state, alternatives[0], name, entity, hint, depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : (s.type ?? (s.properties ? "object" : s.items ? "array" : undefined));
  switch (type) {
    case "object": {
      const out: JsonObject = {};
      for (const [key, sub] of Object.entries((s.properties ?? {}) as JsonObject)) {
        out[key] =
          depth === 0 && key === "id" && state.resourceId !== undefined
            ? state.resourceId
            : synthesize(state, sub, key, entity, isObject(hint) ? hint[key] : undefined, depth + 1);
      }
      return out;
    }
    case "array":
      return [synthesize(state, s.items, name, entity, Array.isArray(hint) ? hint[0] : undefined, depth + 1)];
    case "integer":
      return typeof s.minimum === "number" && s.minimum > 1 ? Math.ceil(s.minimum) : 1;
    case "number":
      return typeof s.minimum === "number" && s.minimum > 0.5 ? s.minimum : 0.5;
    case "boolean":
      return true;
    case "null":
      return null;
    case "string":
      return synthesizeString(state, s, name, entity);
    default:
      return null;
  }
}

function synthesizeString(state: SynthesisState, s: JsonObject, name: string, entity: string): string {
  const echoed = state.params[name];
  if (echoed !== undefined) return echoed;
  const next = (prefix: string): string => {
    const n = (state.counters.get(prefix) ?? 0) + 1;
    state.counters.set(prefix, n);
    return `${prefix}-${String(n).padStart(4, "0")}`;
  };
  switch (s.format) {
    case "uuid": {
      const n = next("uuid").slice(-4);
      return `00000000-0000-4000-8000-00000000${n}`;
    }
    case "date-time":
      return "2026-01-02T03:04:05.000Z";
    case "date":
      return "2026-01-02";
    case "uri":
    case "url":
      return `https://example.com/mock/${entity}/${name}`;
    case "email":
      return "jeanne.martin@example.com";
  }
  if (name === "id") return next(entity || "id");
  if (/_id$|_token$/.test(name)) return next(kebab(name));
  return NAMED_STRINGS[name] ?? `mock-${name}`;
}

/** `patch` deep-merged into `base`: objects key by key, arrays item by item (extra items copy the last base item). */
function deepMerge(base: unknown, patch: unknown): unknown {
  if (Array.isArray(patch)) {
    const items = Array.isArray(base) ? base : [];
    return patch.map((item, i) => deepMerge(items[Math.min(i, items.length - 1)], item));
  }
  if (isObject(patch) && isObject(base)) {
    const out: JsonObject = structuredClone(base);
    for (const [key, value] of Object.entries(patch)) out[key] = deepMerge(base[key], value);
    return out;
  }
  return patch === undefined ? structuredClone(base) : patch;
}

/** The response object documented for `status` (exact, then `2XX`-style, then `default`). */
function documentedResponse(op: Operation, status: number): JsonObject | undefined {
  const responses = (op.operation.responses ?? {}) as JsonObject;
  const raw = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
  return raw === undefined ? undefined : resolve(op.doc, raw).value;
}

/** The lowest documented 2xx status (200 when none is). */
function successStatus(op: Operation): number {
  const codes = Object.keys((op.operation.responses ?? {}) as JsonObject)
    .map((code) => (/^2XX$/i.test(code) ? 200 : Number(code)))
    .filter((code) => code >= 200 && code < 300);
  return codes.length > 0 ? Math.min(...codes) : 200;
}

/** The JSON schema of a response object, if it has a JSON media type. */
function jsonSchema(doc: JsonObject, response: JsonObject | undefined): unknown {
  const content = (response?.content ?? {}) as JsonObject;
  const key = Object.keys(content).find((type) => /json/i.test(type));
  return key === undefined ? undefined : resolve(doc, content[key]).value.schema;
}

/** What makes the request invalid for `op`: a status and problems, or undefined when it is fine. */
function check(
  op: Operation,
  request: RecordedRequest,
  query: URLSearchParams,
  params: Record<string, string>,
): { status: number; problems: string[] } | undefined {
  // Security: some requirement must be met; only bearer and header API keys are checked.
  const requirements = (op.operation.security ?? op.doc.security) as JsonObject[] | undefined;
  if (Array.isArray(requirements) && requirements.length > 0) {
    const schemes = ((op.doc.components as JsonObject | undefined)?.securitySchemes ?? {}) as JsonObject;
    const unmet = (requirement: JsonObject): string[] =>
      Object.keys(requirement).flatMap((schemeName) => {
        const scheme = resolve(op.doc, schemes[schemeName]).value;
        if (scheme.type === "http" && String(scheme.scheme).toLowerCase() === "bearer")
          return /^Bearer \S+$/i.test(request.headers.authorization ?? "") ? [] : ["Authorization: Bearer <token> is required"];
        if (scheme.type === "apiKey" && scheme.in === "header")
          return request.headers[String(scheme.name).toLowerCase()] ? [] : [`header ${String(scheme.name)} is required`];
        return [];
      });
    const failures = requirements.map(unmet);
    if (failures.every((f) => f.length > 0)) return { status: 401, problems: failures[0]! };
  }
  const problems: string[] = [];
  for (const parameter of op.parameters) {
    const name = String(parameter.name);
    const value =
      parameter.in === "query"
        ? (query.get(name) ?? undefined)
        : parameter.in === "header"
          ? request.headers[name.toLowerCase()]
          : parameter.in === "path"
            ? params[name]
            : undefined;
    if (value === undefined || value === "") {
      if (parameter.required === true && parameter.in !== "cookie") problems.push(`${String(parameter.in)} parameter ${name} is required`);
      continue;
    }
    const allowed = resolve(op.doc, parameter.schema).value.enum;
    if (Array.isArray(allowed) && !allowed.includes(value)) problems.push(`${String(parameter.in)} parameter ${name} must be one of ${allowed.join(", ")}`);
  }
  const requestBody = op.operation.requestBody === undefined ? undefined : resolve(op.doc, op.operation.requestBody).value;
  if (requestBody?.required === true && request.body === "") problems.push("a request body is required");
  if (request.body !== "" && /json/i.test(request.headers["content-type"] ?? "")) {
    try {
      JSON.parse(request.body);
    } catch {
      problems.push("the request body is not valid JSON");
    }
  }
  return problems.length > 0 ? { status: 400, problems } : undefined;
}

export function createOpenApiMock(options: OpenApiMockOptions) {
  const operations = indexOperations(options.documents, options.baseUrl);
  const overrides = options.overrides ?? {};
  const validate = options.validate ?? true;
  const requests: RecordedRequest[] = [];
  const calls = new Map<string, number>();
  const counters = new Map<string, number>();

  function answer(recorded: RecordedRequest, status: number, body: unknown, headers: Record<string, string> = {}): Response {
    recorded.response = { status, body };
    const empty = body === undefined || status === 204 || status === 304;
    return new Response(empty ? null : JSON.stringify(body), {
      status,
      headers: empty ? headers : { "content-type": "application/json", ...headers },
    });
  }

  async function fetch(input: Request): Promise<Response> {
    input.signal?.throwIfAborted();
    const recorded: RecordedRequest = {
      method: input.method,
      url: input.url,
      headers: Object.fromEntries(input.headers),
      body: await input.clone().text(),
    };
    requests.push(recorded);
    const url = new URL(input.url);
    const href = `${url.origin}${url.pathname}`;

    // Route: same base URL and path template, then same method.
    const matches = operations
      .map((op) => ({ op, match: href.startsWith(op.baseUrl) ? op.pattern.exec(href.slice(op.baseUrl.length) || "/") : null }))
      .filter((candidate): candidate is { op: Operation; match: RegExpExecArray } => candidate.match !== null);
    const matched = matches.find((candidate) => candidate.op.method === input.method);
    if (!matched) {
      const status = matches.length > 0 ? 405 : 404;
      return answer(recorded, status, { mock: "no operation", problems: [`no operation for ${input.method} ${url.pathname}`] });
    }
    const { op, match } = matched;
    recorded.operationId = op.operationId;
    const params = Object.fromEntries(op.paramNames.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));

    if (validate) {
      const invalid = check(op, recorded, url.searchParams, params);
      if (invalid) return answer(recorded, invalid.status, { mock: "request does not match the OpenAPI document", problems: invalid.problems });
    }

    // The default answer, synthesized from the success response's schema.
    const call = (calls.get(op.operationId) ?? 0) + 1;
    calls.set(op.operationId, call);
    let json: unknown;
    if (recorded.body !== "") {
      const type = recorded.headers["content-type"] ?? "";
      if (/json/i.test(type)) json = JSON.parse(recorded.body);
      else if (/x-www-form-urlencoded/i.test(type)) json = Object.fromEntries(new URLSearchParams(recorded.body));
    }
    const state: SynthesisState = { doc: op.doc, counters, params: { ...Object.fromEntries(url.searchParams), ...params } };
    const lastParam = op.paramNames[op.paramNames.length - 1];
    if (lastParam !== undefined && op.template.endsWith(`{${lastParam}}`)) state.resourceId = params[lastParam];
    const success = successStatus(op);
    const synthesizeFor = (status: number): unknown => {
      const schema = jsonSchema(op.doc, documentedResponse(op, status));
      return schema === undefined ? undefined : synthesize(state, schema, "", "", json);
    };
    const body = synthesizeFor(success);

    // Overrides: a reply, a sequence of replies, or a function.
    const override = overrides[op.operationId];
    let reply: MockReply | undefined;
    if (typeof override === "function") reply = await override({ request: recorded, call, params, query: url.searchParams, json, body, requests });
    else if (Array.isArray(override)) reply = override[Math.min(call, override.length) - 1];
    else reply = override as MockReply | undefined;
    if (!reply) return answer(recorded, success, body);
    const status = reply.status ?? success;
    const base = status === success ? body : synthesizeFor(status);
    const replyBody = "body" in reply ? reply.body : "patch" in reply ? deepMerge(base, reply.patch) : base;
    return answer(recorded, status, replyBody, reply.headers);
  }

  return { fetch, requests, operations: operations.map(({ operationId, method, template, baseUrl }) => ({ operationId, method, template, baseUrl })) };
}

export type OpenApiMock = ReturnType<typeof createOpenApiMock>;
