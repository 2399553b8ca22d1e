/**
 * A stateful, in-memory mock of the Fintecture OAuth and PIS APIs, written as msw handlers
 * typed against the generated OpenAPI `paths` (openapi-msw checks every 200 body against its
 * schema). It covers what the token-then-payment workflow calls:
 *
 * - `POST /oauth/accesstoken`: form-encoded `client_credentials` grant for scope `PIS` with the
 *   configured client; issues a fresh random bearer token, else 401.
 * - `POST /pis/v2/connect`: bearer token, `x-request-id` and a valid `PaymentConnectRequest`
 *   (else 401/400); stores a payment and answers its session.
 * - `GET /pis/v2/payments/{payment_id}`: bearer token; the stored payment, else 404.
 *
 * `fetch` serves the handlers through msw's `getResponse`, without patching any global, and
 * answers 501 for anything no handler matches; `handlers` also work with `setupServer`.
 * Every request that reaches the mock is recorded in `requests`. Failures are injected with
 * `overrides` (replace a success answer) and `onRequest` (runs as a request arrives).
 */
import { randomBytes } from "node:crypto";
import { HttpResponse, getResponse, type HttpHandler } from "msw";
import { createOpenApiHttp } from "openapi-msw";
import type { components as OauthComponents, paths as OauthPaths } from "../../generated/fintecture-token-then-payment-workflow/src/oauth-api.paths.ts";
import type { components as PisComponents, paths as PisPaths } from "../../generated/fintecture-token-then-payment-workflow/src/pis-api.paths.ts";

export type AccessToken = OauthComponents["schemas"]["AccessToken"];
export type PaymentConnectResponse = PisComponents["schemas"]["PaymentConnectResponse"];
export type Payment = PisComponents["schemas"]["Payment"];
export type PaymentAttributes = PisComponents["schemas"]["PaymentAttributes"];
export type ApiError = PisComponents["schemas"]["Error"];

/** The first `servers` entry of both OpenAPI documents. */
export const fintectureProductionUrl = "https://api.fintecture.com";

/** A request as the mock received it. */
export interface RecordedRequest {
  method: string;
  url: string;
  /** Header names lower-cased, as `Headers` iterates them. */
  headers: Record<string, string>;
  /** The raw body text ("" when there is none). */
  body: string;
}

/**
 * Replaces a success answer. It receives the request and the body the mock would send with
 * 200; it returns a `Response` to send instead, a body to send with 200, or `undefined` to
 * keep the default. Only called once the request passed the mock's checks.
 */
export type Override<Body> = (context: { request: RecordedRequest; body: Body }) => Response | Body | undefined | Promise<Response | Body | undefined>;

export interface FintectureMockOverrides {
  createAccessToken?: Override<AccessToken>;
  createPisV2Connect?: Override<PaymentConnectResponse>;
  getPaymentSession?: Override<Payment>;
}

export interface FintectureMockOptions {
  clientId?: string;
  clientSecret?: string;
  /** Base URL of both APIs (default {@link fintectureProductionUrl}). */
  baseUrl?: string;
  /** Base URL per API, overriding `baseUrl`. */
  baseUrls?: { oauthApi?: string; pisApi?: string };
  /** Clock for `created_at` / `updated_at` (default: the real one). */
  now?: () => Date;
  overrides?: FintectureMockOverrides;
  /** Runs as each request arrives, after it is recorded; throw to fail the request. */
  onRequest?: (request: RecordedRequest) => void | Promise<void>;
}

/** The API's `Error` shape with one error. */
export function apiError(status: number, code: string, title: string, detail?: string): ApiError {
  return { errors: [{ status: String(status), code, title, ...(detail === undefined ? {} : { detail }) }] };
}

/** A JSON response with the API's `Error` shape. */
export function errorResponse(status: number, code: string, title: string, detail?: string): Response {
  return HttpResponse.json(apiError(status, code, title, detail), { status });
}

const trimSlash = (url: string): string => url.replace(/\/+$/, "");
const mediaType = (headers: Record<string, string>): string => (headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const currencies: readonly string[] = ["EUR", "GBP", "PLN"];
const paymentMethods: readonly string[] = ["immediate_transfer", "smart_transfer", "bnpl"];

/** Why a `POST /pis/v2/connect` body is not a valid `PaymentConnectRequest`, or undefined when it is. */
function connectRequestProblem(body: unknown): string | undefined {
  if (!isObject(body)) return "body must be a JSON object";
  if (!isObject(body.meta)) return "meta is required";
  if (!isObject(body.data)) return "data is required";
  if (body.data.type !== undefined && body.data.type !== "PIS") return "data.type must be PIS";
  const attributes = body.data.attributes;
  if (!isObject(attributes)) return "data.attributes is required";
  if (typeof attributes.amount !== "string") return "data.attributes.amount must be a string";
  if (typeof attributes.currency !== "string" || !currencies.includes(attributes.currency)) return "data.attributes.currency must be EUR, GBP or PLN";
  if (typeof attributes.communication !== "string") return "data.attributes.communication must be a string";
  if (attributes.payment_method !== undefined && (typeof attributes.payment_method !== "string" || !paymentMethods.includes(attributes.payment_method)))
    return "data.attributes.payment_method is not supported";
  return undefined;
}

/** Resolves like `promise`, or rejects with the signal's reason as soon as it aborts (as fetch does). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

export function createFintectureMock(options: FintectureMockOptions = {}) {
  const clientId = options.clientId ?? "mock-client-id";
  const clientSecret = options.clientSecret ?? "mock-client-secret";
  const now = options.now ?? (() => new Date());
  const baseUrls = {
    oauthApi: trimSlash(options.baseUrls?.oauthApi ?? options.baseUrl ?? fintectureProductionUrl),
    pisApi: trimSlash(options.baseUrls?.pisApi ?? options.baseUrl ?? fintectureProductionUrl),
  };
  const overrides: FintectureMockOverrides = { ...options.overrides };
  const requests: RecordedRequest[] = [];
  const issuedTokens: string[] = [];
  const payments = new Map<string, Payment>();
  let nextPayment = 1;

  async function record(request: Request): Promise<RecordedRequest> {
    const recorded = { method: request.method, url: request.url, headers: Object.fromEntries(request.headers), body: await request.clone().text() };
    requests.push(recorded);
    await options.onRequest?.(recorded);
    return recorded;
  }

  /** The bearer token when it is one the mock issued. */
  function bearer(request: RecordedRequest): string | undefined {
    const token = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
    return token !== undefined && issuedTokens.includes(token) ? token : undefined;
  }

  const oauth = createOpenApiHttp<OauthPaths>({ baseUrl: baseUrls.oauthApi });
  const pis = createOpenApiHttp<PisPaths>({ baseUrl: baseUrls.pisApi });
  const unauthorized = () => errorResponse(401, "invalid_token", "A valid bearer token is required");

  const handlers: HttpHandler[] = [
    oauth.post("/oauth/accesstoken", async ({ request, response }) => {
      const received = await record(request);
      const deny = (code: string, title: string) => response.untyped(errorResponse(401, code, title));
      if (mediaType(received.headers) !== "application/x-www-form-urlencoded") return deny("invalid_request", "Body must be application/x-www-form-urlencoded");
      const form = new URLSearchParams(received.body);
      if (form.get("grant_type") !== "client_credentials") return deny("unsupported_grant_type", "Only client_credentials is supported");
      if (form.get("client_id") !== clientId || form.get("client_secret") !== clientSecret) return deny("invalid_client", "Unknown client or wrong secret");
      if (form.get("scope") !== "PIS") return deny("invalid_scope", "Scope must be PIS");
      const token = randomBytes(24).toString("base64url");
      issuedTokens.push(token);
      const body: AccessToken = { access_token: token, token_type: "Bearer", expires_in: 3600 };
      const answer = (await overrides.createAccessToken?.({ request: received, body })) ?? body;
      return answer instanceof Response ? response.untyped(answer) : response(200).json(answer);
    }),

    pis.post("/pis/v2/connect", async ({ request, response }) => {
      const received = await record(request);
      if (!bearer(received)) return response(401).json(apiError(401, "invalid_token", "A valid bearer token is required"));
      const invalid = (title: string) => response(400).json(apiError(400, "invalid_request", title));
      if (!received.headers["x-request-id"]) return invalid("x-request-id header is required");
      if (mediaType(received.headers) !== "application/json") return invalid("Body must be application/json");
      let json: unknown;
      try {
        json = JSON.parse(received.body);
      } catch {
        return invalid("Body is not valid JSON");
      }
      const problem = connectRequestProblem(json);
      if (problem) return invalid(problem);
      const n = nextPayment++;
      const sessionId = `session-${String(n).padStart(4, "0")}`;
      const body: PaymentConnectResponse = {
        meta: { session_id: sessionId, status: "payment_created", url: `https://connect.fintecture.com/?session_id=${sessionId}`, code: `code-${n}` },
      };
      const answer = (await overrides.createPisV2Connect?.({ request: received, body })) ?? body;
      if (answer instanceof Response) return response.untyped(answer);
      const id = answer.meta?.session_id ?? sessionId;
      const at = now().toISOString();
      const attributes = (json as { data: { attributes: PaymentAttributes } }).data.attributes;
      payments.set(id, { id, type: "PIS", attributes, status: "payment_created", created_at: at, updated_at: at });
      return response(200).json(answer);
    }),

    pis.get("/pis/v2/payments/{payment_id}", async ({ request, params, response }) => {
      const received = await record(request);
      if (!bearer(received)) return response.untyped(unauthorized());
      const payment = payments.get(params.payment_id);
      if (!payment) return response.untyped(errorResponse(404, "payment_not_found", "No payment with this id"));
      const answer = (await overrides.getPaymentSession?.({ request: received, body: structuredClone(payment) })) ?? payment;
      return answer instanceof Response ? response.untyped(answer) : response(200).json(answer);
    }),
  ];

  /** Serves `handlers` like a server would, without touching `globalThis.fetch`. */
  async function fetch(input: Request): Promise<Response> {
    input.signal.throwIfAborted();
    const response = await abortable(getResponse(handlers, input), input.signal);
    if (response) return response;
    await record(input);
    return errorResponse(501, "not_mocked", `The Fintecture mock has no handler for ${input.method} ${new URL(input.url).pathname}`);
  }

  return { handlers, fetch, requests, issuedTokens, payments, overrides, baseUrls, clientId, clientSecret };
}

export type FintectureMock = ReturnType<typeof createFintectureMock>;
