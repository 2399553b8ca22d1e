/**
 * End-to-end tests of the generated `fintecture-token-then-payment-workflow` package (its built
 * `dist/`, as users run it) against the Fintecture mock: outputs, the exact requests sent,
 * base URLs, path encoding, failures (criteria, missing outputs, aborts, network), middleware
 * and the global fetch.
 */
import { createHash } from "node:crypto";
import { setupServer } from "msw/node";
import type { Middleware } from "openapi-fetch";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ArazzoStepError, runTokenThenPayment, type TokenThenPaymentInputs } from "../../generated/fintecture-token-then-payment-workflow/dist/index.js";
import { apiError, createFintectureMock, errorResponse, type FintectureMock, type RecordedRequest } from "../mocks/fintecture.ts";

const API = "https://api.fintecture.com";
/** Reserved characters and non-ASCII: the form encoding must round-trip them. */
const SECRET = "sk_SECRET-7Qz&scope=AIS +é/=";

const inputs: TokenThenPaymentInputs = {
  clientId: "client-42",
  clientSecret: SECRET,
  amount: "149.90",
  currency: "EUR",
  communication: "Order #1234",
  requestId: "0f5c1e36-3a4c-4d5e-8f70-1b2c3d4e5f60",
};

function newMock(options: Parameters<typeof createFintectureMock>[0] = {}): FintectureMock {
  return createFintectureMock({ clientId: inputs.clientId, clientSecret: SECRET, now: () => new Date("2026-01-02T03:04:05Z"), ...options });
}

/** The recorded requests, asserting how many there are. */
function sent(mock: FintectureMock, count: 3): [RecordedRequest, RecordedRequest, RecordedRequest];
function sent(mock: FintectureMock, count: number): RecordedRequest[];
function sent(mock: FintectureMock, count: number): RecordedRequest[] {
  expect(mock.requests.map((r) => `${r.method} ${r.url}`)).toHaveLength(count);
  return mock.requests;
}

/** The rejection of `promise`, which must be an ArazzoStepError. */
async function stepError(promise: Promise<unknown>): Promise<ArazzoStepError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ArazzoStepError);
  return error as ArazzoStepError;
}

describe("happy path", () => {
  test("returns every output, from the values the mock issued", async () => {
    const mock = newMock();
    const outputs = await runTokenThenPayment(inputs, { fetch: mock.fetch });

    expect(mock.issuedTokens).toHaveLength(1);
    expect(outputs).toEqual({
      accessToken: mock.issuedTokens[0],
      sessionId: "session-0001",
      connectUrl: "https://connect.fintecture.com/?session_id=session-0001",
      status: "payment_created",
    });
    expect(mock.payments.get("session-0001")).toMatchObject({
      attributes: { amount: "149.90", currency: "EUR", communication: "Order #1234", payment_method: "immediate_transfer" },
    });
  });

  test("sends exactly the three requests, in order, with the right URLs, headers and bodies", async () => {
    const mock = newMock();
    await runTokenThenPayment(inputs, { fetch: mock.fetch });
    const token = mock.issuedTokens[0];
    const [mint, create, read] = sent(mock, 3);

    expect(mint.method).toBe("POST");
    expect(mint.url).toBe(`${API}/oauth/accesstoken`);
    expect(mint.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(mint.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(mint.body))).toEqual({
      grant_type: "client_credentials",
      scope: "PIS",
      client_id: "client-42",
      client_secret: SECRET,
    });

    expect(create.method).toBe("POST");
    expect(create.url).toBe(`${API}/pis/v2/connect`);
    expect(create.headers["content-type"]).toBe("application/json");
    expect(create.headers.authorization).toBe(`Bearer ${token}`);
    expect(create.headers["x-request-id"]).toBe(inputs.requestId);
    expect(JSON.parse(create.body)).toEqual({
      meta: {},
      data: {
        type: "PIS",
        attributes: { amount: "149.90", currency: "EUR", communication: "Order #1234", payment_method: "immediate_transfer" },
      },
    });

    expect(read.method).toBe("GET");
    expect(read.url).toBe(`${API}/pis/v2/payments/session-0001`);
    expect(read.headers.authorization).toBe(`Bearer ${token}`);
    expect(read.body).toBe("");
  });

  test("mints a fresh token on every run", async () => {
    const mock = newMock();
    const first = await runTokenThenPayment(inputs, { fetch: mock.fetch });
    const second = await runTokenThenPayment(inputs, { fetch: mock.fetch });
    expect(first.accessToken).not.toBe(second.accessToken);
    expect(mock.requests[4]?.headers.authorization).toBe(`Bearer ${second.accessToken}`);
  });
});

describe("baseUrls", () => {
  test("routes each source description to its own base URL", async () => {
    const baseUrls = { oauthApi: "https://api-sandbox.fintecture.com", pisApi: "https://pis-sandbox.example.test/fintecture" };
    const mock = newMock({ baseUrls });
    const outputs = await runTokenThenPayment(inputs, { fetch: mock.fetch, baseUrls });

    expect(outputs.status).toBe("payment_created");
    expect(sent(mock, 3).map((r) => r.url)).toEqual([
      "https://api-sandbox.fintecture.com/oauth/accesstoken",
      "https://pis-sandbox.example.test/fintecture/pis/v2/connect",
      "https://pis-sandbox.example.test/fintecture/pis/v2/payments/session-0001",
    ]);
  });

  test("without baseUrls, a mock on other hosts sees no matched request", async () => {
    const mock = newMock({ baseUrl: "https://api-sandbox.fintecture.com" });
    const error = await stepError(runTokenThenPayment(inputs, { fetch: mock.fetch }));
    expect(error).toMatchObject({ stepId: "mintToken", status: 501 });
    expect(sent(mock, 1)[0]?.url).toBe(`${API}/oauth/accesstoken`);
  });
});

describe("onStep trace hook", () => {
  test("reports each request without headers, bodies or secrets", async () => {
    const mock = newMock();
    const events: unknown[] = [];
    const outputs = await runTokenThenPayment(inputs, { fetch: mock.fetch, onStep: (event) => events.push(event) });

    expect(events).toMatchObject([
      { workflowId: "token-then-payment", stepId: "mintToken", method: "POST", url: `${API}/oauth/accesstoken`, status: 200, outcome: "response" },
      { stepId: "createPayment", method: "POST", url: `${API}/pis/v2/connect`, status: 200 },
      { stepId: "getPayment", method: "GET", url: `${API}/pis/v2/payments/${outputs.sessionId}`, status: 200 },
    ]);
    const logged = JSON.stringify(events);
    expect(logged).not.toContain(SECRET);
    expect(logged).not.toContain(outputs.accessToken);
  });
});

describe("timeout", () => {
  test("a request with no response within options.timeoutMs fails its step with reason timeout", { timeout: 5_000 }, async () => {
    // The payment endpoint never answers; the token endpoint does.
    const mock = newMock({
      onRequest: (request: RecordedRequest) => (request.url.endsWith("/pis/v2/connect") ? new Promise<never>(() => {}) : undefined),
    });
    const error = await runTokenThenPayment(inputs, { fetch: mock.fetch, timeoutMs: 50 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ArazzoStepError);
    expect(error).toMatchObject({ stepId: "createPayment", reason: "timeout" });
    expect((error as Error).message).toBe(
      "workflow `token-then-payment`, step `createPayment`: request timed out: no response within 50 ms (options.timeoutMs)",
    );
    expect(mock.requests.map((r) => r.url)).toEqual([`${API}/oauth/accesstoken`, `${API}/pis/v2/connect`]);
  });
});

describe("path parameters", () => {
  test("a session id with reserved characters is sent as one encoded path segment", async () => {
    const mock = newMock({
      overrides: { createPisV2Connect: ({ body }) => ({ meta: { ...body.meta, session_id: "a/b c?d" } }) },
    });
    const outputs = await runTokenThenPayment(inputs, { fetch: mock.fetch });

    const read = sent(mock, 3)[2];
    expect(read.url).toBe(`${API}/pis/v2/payments/a%2Fb%20c%3Fd`);
    expect(new URL(read.url).search).toBe("");
    expect(outputs).toMatchObject({ sessionId: "a/b c?d", status: "payment_created" });
  });
});

describe("errors", () => {
  test("401 from the token endpoint (wrong secret) fails step mintToken; nothing else is sent", async () => {
    const mock = newMock({ clientSecret: "the-right-secret" });
    const error = await stepError(runTokenThenPayment(inputs, { fetch: mock.fetch }));

    expect(error).toMatchObject({ workflowId: "token-then-payment", stepId: "mintToken", status: 401, reason: "criteria" });
    expect(error.body).toEqual(apiError(401, "invalid_client", "Unknown client or wrong secret"));
    expect(error.message).toContain("mintToken");
    expect(error.message).not.toContain("SECRET-7Qz");
    expect(sent(mock, 1)[0]?.url).toBe(`${API}/oauth/accesstoken`);
  });

  test("the error message does not leak the secret, even when the 401 body echoes it", async () => {
    const mock = newMock({
      overrides: {
        createAccessToken: ({ request }) =>
          errorResponse(401, "invalid_client", "Client revoked", `client_secret ${new URLSearchParams(request.body).get("client_secret")} is revoked`),
      },
    });
    const error = await stepError(runTokenThenPayment(inputs, { fetch: mock.fetch }));

    expect(error).toMatchObject({ stepId: "mintToken", status: 401, reason: "criteria" });
    expect(error.body).toEqual(apiError(401, "invalid_client", "Client revoked", `client_secret ${SECRET} is revoked`));
    expect(error.message).not.toContain("SECRET-7Qz");
    expect(String(error)).not.toContain("SECRET-7Qz");
    expect(sent(mock, 1)).toHaveLength(1);
  });

  test("400 on payment create fails step createPayment without leaking the token", async () => {
    const mock = newMock({
      overrides: {
        createPisV2Connect: ({ request }) => errorResponse(400, "invalid_amount", "Amount is above the limit", `request by ${request.headers.authorization}`),
      },
    });
    const error = await stepError(runTokenThenPayment(inputs, { fetch: mock.fetch }));

    const token = mock.issuedTokens[0]!;
    expect(error).toMatchObject({ workflowId: "token-then-payment", stepId: "createPayment", status: 400, reason: "criteria" });
    expect(error.body).toEqual(apiError(400, "invalid_amount", "Amount is above the limit", `request by Bearer ${token}`));
    expect(error.message).not.toContain(token);
    expect(error.message).not.toContain(SECRET);
    expect(sent(mock, 2).map((r) => r.url)).toEqual([`${API}/oauth/accesstoken`, `${API}/pis/v2/connect`]);
  });

  test("a token response without access_token fails with missing-output and sends no PIS request", async () => {
    const mock = newMock({
      overrides: { createAccessToken: ({ body }) => ({ token_type: body.token_type, expires_in: body.expires_in }) },
    });
    const error = await stepError(runTokenThenPayment(inputs, { fetch: mock.fetch }));

    expect(error).toMatchObject({ workflowId: "token-then-payment", stepId: "mintToken", reason: "missing-output", status: 200 });
    expect(error.body).toEqual({ token_type: "Bearer", expires_in: 3600 });
    expect(error.message).toContain("$response.body#/access_token");
    expect(mock.requests.some((r) => r.headers.authorization === "Bearer undefined")).toBe(false);
    expect(sent(mock, 1)[0]?.url).toBe(`${API}/oauth/accesstoken`);
  });

  test("a connect response without session_id fails createPayment and never GETs .../undefined", async () => {
    const mock = newMock({ overrides: { createPisV2Connect: () => ({ meta: { status: "payment_created" } }) } });
    const error = await stepError(runTokenThenPayment(inputs, { fetch: mock.fetch }));

    expect(error).toMatchObject({ stepId: "createPayment", reason: "missing-output", status: 200 });
    expect(sent(mock, 2).map((r) => r.method)).toEqual(["POST", "POST"]);
  });

  test("a network failure fails the step with reason request", async () => {
    const mock = newMock();
    const failure = new TypeError("fetch failed");
    const fetch = (request: Request) => (request.url.includes("/pis/") ? Promise.reject(failure) : mock.fetch(request));
    const error = await stepError(runTokenThenPayment(inputs, { fetch }));

    expect(error).toMatchObject({ workflowId: "token-then-payment", stepId: "createPayment", reason: "request", status: undefined });
    // The cause kept is what the message says (the platform's error could hold credentials).
    expect(error.cause).not.toBe(failure);
    expect(error.cause).toMatchObject({ name: "TypeError", message: "fetch failed" });
    expect(error.message).not.toContain(mock.issuedTokens[0]!);
    expect(sent(mock, 1)).toHaveLength(1);
  });
});

describe("abort", () => {
  test("an already aborted signal rejects with AbortError and sends nothing", async () => {
    const mock = newMock();
    const controller = new AbortController();
    controller.abort();
    const error = await runTokenThenPayment(inputs, { fetch: mock.fetch, signal: controller.signal }).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: "AbortError" });
    expect(error).not.toBeInstanceOf(ArazzoStepError);
    expect(mock.requests).toEqual([]);
  });

  test("aborting during the first request cancels it: rejects with AbortError, no further request", { timeout: 5_000 }, async () => {
    const controller = new AbortController();
    // The token request never gets an answer: only the signal reaching fetch can end the run.
    const mock = newMock({
      onRequest: () => {
        controller.abort();
        return new Promise<never>(() => {});
      },
    });
    const error = await runTokenThenPayment(inputs, { fetch: mock.fetch, signal: controller.signal }).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: "AbortError" });
    expect(error).not.toBeInstanceOf(ArazzoStepError);
    expect(sent(mock, 1)[0]?.url).toBe(`${API}/oauth/accesstoken`);
  });
});

describe("middleware", () => {
  test("a signing middleware's Signature, Digest and Date headers reach the PIS calls", async () => {
    const date = "Fri, 02 Jan 2026 03:04:05 GMT";
    const sign: Middleware = {
      async onRequest({ request, schemaPath }) {
        if (!schemaPath.startsWith("/pis/")) return undefined;
        const body = await request.clone().text();
        request.headers.set("Date", date);
        request.headers.set("Digest", `SHA-256=${createHash("sha256").update(body).digest("base64")}`);
        request.headers.set("Signature", `keyId="test-key",algorithm="rsa-sha256",headers="date digest x-request-id",signature="c2lnbmVk"`);
        return request;
      },
    };
    const mock = newMock();
    await runTokenThenPayment(inputs, { fetch: mock.fetch, middleware: [sign] });
    const [mint, create, read] = sent(mock, 3);

    expect(mint.headers.signature).toBeUndefined();
    for (const pisCall of [create, read]) {
      expect(pisCall.headers.date).toBe(date);
      expect(pisCall.headers.signature).toContain('keyId="test-key"');
      expect(pisCall.headers.digest).toBe(`SHA-256=${createHash("sha256").update(pisCall.body).digest("base64")}`);
    }
    expect(create.headers.authorization).toBe(`Bearer ${mock.issuedTokens[0]}`);
  });
});

describe("global fetch (msw setupServer)", () => {
  const mock = newMock();
  const server = setupServer(...mock.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterAll(() => server.close());

  test("without options.fetch, the run uses globalThis.fetch as it is at call time", async () => {
    const outputs = await runTokenThenPayment(inputs);

    expect(outputs).toEqual({
      accessToken: mock.issuedTokens[0],
      sessionId: "session-0001",
      connectUrl: "https://connect.fintecture.com/?session_id=session-0001",
      status: "payment_created",
    });
    expect(sent(mock, 3).map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST ${API}/oauth/accesstoken`,
      `POST ${API}/pis/v2/connect`,
      `GET ${API}/pis/v2/payments/session-0001`,
    ]);
  });
});

describe("the mock itself", () => {
  test("rejects PIS calls without an issued bearer token and answers 501 when no handler matches", async () => {
    const mock = newMock();
    const pay = (authorization: string) => mock.fetch(new Request(`${API}/pis/v2/payments/session-0001`, { headers: { authorization } }));
    expect((await pay("Bearer undefined")).status).toBe(401);
    expect((await pay("Bearer forged")).status).toBe(401);
    expect((await mock.fetch(new Request(`${API}/pis/v2/unknown`))).status).toBe(501);
  });

  test("rejects a connect body that is not a PaymentConnectRequest", async () => {
    const mock = newMock();
    await runTokenThenPayment(inputs, { fetch: mock.fetch });
    const connect = (body: unknown) =>
      mock.fetch(
        new Request(`${API}/pis/v2/connect`, {
          method: "POST",
          headers: { authorization: `Bearer ${mock.issuedTokens[0]}`, "content-type": "application/json", "x-request-id": "r" },
          body: JSON.stringify(body),
        }),
      );
    const response = await connect({ meta: {}, data: { attributes: { amount: "1", currency: "USD", communication: "x" } } });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(apiError(400, "invalid_request", "data.attributes.currency must be EUR, GBP or PLN"));
    expect((await connect({ data: { attributes: { amount: "1", currency: "EUR", communication: "x" } } })).status).toBe(400);
  });
});
