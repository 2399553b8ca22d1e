/**
 * End-to-end tests of all 13 generated Fintecture workflow packages (their built `dist/`)
 * against the generic OpenAPI mock, one scenario each (`test/mocks/fintecture-scenarios.ts`):
 * outputs, the exact sequence of requests, base URL and bearer token on every request, and for
 * the poll workflows the number of polls, the terminal status that ended the loop, the `goto`
 * to the failure-reporting step, and `maxSteps` stopping a loop that never ends.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { createOpenApiMock, type RecordedRequest } from "../mocks/openapi-mock.ts";
import { FINTECTURE_BASE_URL, describeRequest, fakeSigning, findScenario, scenarios, type Scenario, type ScenarioCase } from "../mocks/fintecture-scenarios.ts";

const arazzoDir = fileURLToPath(new URL("../../specs/fintecture/arazzo/", import.meta.url));

/** The generated package's `ArazzoStepError` class (each package ships its own runtime). */
async function stepErrorClass(scenario: Scenario): Promise<new (...args: never[]) => Error> {
  const module = (await import(`../../generated/${scenario.document}/dist/index.js`)) as { ArazzoStepError: new (...args: never[]) => Error };
  return module.ArazzoStepError;
}

/** Runs `testCase` of `scenario` against a fresh mock: the outputs or the error, and the mock. */
async function play(scenario: Scenario, testCase: ScenarioCase) {
  const mock = createOpenApiMock({ documents: scenario.documents, overrides: testCase.overrides });
  const options = { fetch: mock.fetch, middleware: [fakeSigning], ...(testCase.maxSteps === undefined ? {} : { maxSteps: testCase.maxSteps }) };
  const result = await scenario.run(options).then(
    (outputs) => ({ outputs, error: undefined }),
    (error: unknown) => ({ outputs: undefined, error }),
  );
  return { ...result, mock };
}

const statusOf = (request: RecordedRequest): unknown => (request.response?.body as { status?: unknown } | undefined)?.status;

test("there is one scenario per Arazzo document, and one generated package each", () => {
  const documents = readdirSync(arazzoDir)
    .filter((name) => name.endsWith(".yml"))
    .map((name) => name.replace(/\.yml$/, ""))
    .sort();
  expect(documents).toHaveLength(13);
  expect(scenarios.map((s) => s.document).sort()).toEqual(documents);
  expect(new Set(scenarios.map((s) => s.workflowId)).size).toBe(13);
});

describe.each(scenarios.map((s) => [s.workflowId, s] as const))("%s", (_, scenario) => {
  const cases = [scenario.main, ...scenario.variants];

  test.each(cases.map((c) => [c.name, c] as const))("%s", async (__, testCase) => {
    const { outputs, error, mock } = await play(scenario, testCase);

    // The requests: exactly these, in order, all on the documents' first server, all authenticated.
    expect(mock.requests.map(describeRequest)).toEqual(testCase.requests);
    for (const request of mock.requests) {
      expect(new URL(request.url).origin).toBe(FINTECTURE_BASE_URL);
      expect(request.response?.status, `${request.method} ${request.url}`).toBeLessThan(300);
      if (!request.url.includes("/oauth/")) expect(request.headers.authorization).toBe(`Bearer ${scenario.bearer}`);
    }

    if (testCase.error) {
      expect(outputs).toBeUndefined();
      expect(error).toBeInstanceOf(await stepErrorClass(scenario));
      expect(error).toMatchObject({ workflowId: scenario.workflowId, ...testCase.error });
    } else {
      if (error) throw error;
      expect(outputs).toStrictEqual(testCase.outputs);
    }

    if (testCase.pollStatuses) {
      expect(mock.requests.filter((r) => r.operationId === scenario.poll?.operationId).map(statusOf)).toEqual(testCase.pollStatuses);
    }
  });

  test("a fresh mock answers a second run identically (deterministic ids and bodies)", async () => {
    const first = await play(scenario, scenario.main);
    const second = await play(scenario, scenario.main);
    expect(second.outputs).toStrictEqual(first.outputs);
    expect(second.mock.requests).toEqual(first.mock.requests);
  });
});

/** The poll workflows, each with a success, a failure and a never-terminal case. */
const polls = scenarios.filter((s) => s.poll !== undefined).map((s) => [s.workflowId, s, s.poll!] as const);

describe.each(polls)("polling: %s", (_, scenario, poll) => {
  const caseWhere = (predicate: (c: ScenarioCase) => boolean): ScenarioCase => {
    const found = [scenario.main, ...scenario.variants].find(predicate);
    if (!found) throw new Error(`${scenario.workflowId} has no such case`);
    return found;
  };

  test("success: polls until the success status, then stops polling", async () => {
    const testCase = caseWhere((c) => poll.success.includes(String(c.pollStatuses?.at(-1))));
    const { error, mock } = await play(scenario, testCase);
    expect(error).toBeUndefined();
    const polled = mock.requests.filter((r) => r.operationId === poll.operationId);
    expect(polled).toHaveLength(3);
    // Every answer but the last was neither success nor failure; the last was the success status.
    for (const request of polled.slice(0, -1)) expect([...poll.success, ...poll.failure]).not.toContain(statusOf(request));
    expect(poll.success).toContain(statusOf(polled.at(-1)!));
    // Nothing polled after it (decoupled-auth-accounts then lists the accounts).
    const last = mock.requests.lastIndexOf(polled.at(-1)!);
    expect(mock.requests.slice(last + 1).every((r) => r.operationId !== poll.operationId)).toBe(true);
  });

  test("failure status: takes the goto to reportFailure, which reads the status once more", async () => {
    const testCase = caseWhere((c) => poll.failure.includes(String(c.pollStatuses?.at(-1))));
    const { outputs, error, mock } = await play(scenario, testCase);
    expect(error).toBeUndefined();
    const polled = mock.requests.filter((r) => r.operationId === poll.operationId);
    // Two polls (non-terminal, then the failure status), then the reportFailure read, then nothing.
    expect(polled).toHaveLength(3);
    expect(poll.failure).not.toContain(statusOf(polled[0]!));
    expect(poll.failure).toContain(statusOf(polled[1]!));
    expect(mock.requests.at(-1)).toBe(polled[2]);
    expect(outputs).toMatchObject({ failedStatus: statusOf(polled[2]!) });
  });

  test("never terminal: maxSteps 10 stops the loop with ArazzoStepError reason step-budget", async () => {
    const testCase = caseWhere((c) => c.error?.reason === "step-budget");
    expect(testCase.maxSteps).toBe(10);
    const { error, mock } = await play(scenario, testCase);
    expect(error).toBeInstanceOf(await stepErrorClass(scenario));
    expect(error).toMatchObject({ name: "ArazzoStepError", workflowId: scenario.workflowId, stepId: poll.stepId, reason: "step-budget" });
    expect((error as Error).message).toContain("maxSteps");
    // Ten steps started, each sent one request; every poll answer was non-terminal.
    expect(mock.requests).toHaveLength(10);
    for (const request of mock.requests.filter((r) => r.operationId === poll.operationId))
      expect([...poll.success, ...poll.failure]).not.toContain(statusOf(request));
  });
});

describe("what the workflows send", () => {
  const bodyOf = (request: RecordedRequest | undefined): unknown => JSON.parse(request?.body ?? "null");

  test("customer-onboard-payment: the bank account and the payment carry the created customer", async () => {
    const scenario = findScenario("customer-onboard-payment")!;
    const { mock } = await play(scenario, scenario.main);
    const [customer, bankAccount, payment] = mock.requests;
    expect(bodyOf(customer)).toEqual({ first_name: "Jeanne", last_name: "Martin", email: "jeanne.martin@example.com" });
    expect(bodyOf(bankAccount)).toEqual({ iban: "FR7630006000011234567890189", holder_name: "Jeanne Martin", currency: "EUR" });
    expect(payment?.headers["x-request-id"]).toBe(scenario.inputs.requestId);
    expect(bodyOf(payment)).toEqual({
      meta: { psu_name: "Jeanne Martin", psu_email: "jeanne.martin@example.com" },
      data: {
        type: "PIS",
        attributes: { amount: "129.90", currency: "EUR", communication: "Order 2026-0042", customer_id: "customer-0001", payment_method: "immediate_transfer" },
      },
    });
  });

  test("sandbox-test-payment: the payment is made in the name of the first test account's holder", async () => {
    const scenario = findScenario("sandbox-test-payment")!;
    const { mock } = await play(scenario, scenario.main);
    expect(bodyOf(mock.requests[1])).toMatchObject({
      meta: { psu_name: "Jean Dupont" },
      data: { attributes: { amount: "10.00", payment_method: "immediate_transfer" } },
    });
  });

  test("list-providers-initiate-payment: x-request-id carries the communication, as the Arazzo document wires it", async () => {
    const scenario = findScenario("list-providers-initiate-payment")!;
    const { mock } = await play(scenario, scenario.main);
    expect(mock.requests[1]?.headers["x-request-id"]).toBe("Order 2026-0042");
  });

  test("payment-refund: the refund names the original session and the amount", async () => {
    const scenario = findScenario("payment-refund")!;
    const { mock } = await play(scenario, scenario.main);
    expect(bodyOf(mock.requests[1])).toEqual({
      meta: { session_id: scenario.inputs.sessionId },
      data: { attributes: { amount: "20.00", currency: "EUR", communication: "Partial refund, order 2026-0042" } },
    });
  });

  test("update-payment-communication: the PATCH sends only the new communication", async () => {
    const scenario = findScenario("update-payment-communication")!;
    const { mock } = await play(scenario, scenario.main);
    expect(mock.requests[1]?.headers["content-type"]).toBe("application/json");
    expect(bodyOf(mock.requests[1])).toEqual({ data: { attributes: { communication: "Order 2026-0042 (gift wrap)" } } });
  });

  test("token-then-payment: the token request is form-encoded and unauthenticated", async () => {
    const scenario = findScenario("token-then-payment")!;
    const { mock } = await play(scenario, scenario.main);
    const mint = mock.requests[0]!;
    expect(mint.headers.authorization).toBeUndefined();
    expect(mint.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(mint.body))).toEqual({
      grant_type: "client_credentials",
      scope: "PIS",
      client_id: "sandbox-app-3f9a",
      client_secret: "sandbox-secret-not-real",
    });
  });

  test("without the signing middleware, the mock rejects the payment creation and the step fails", async () => {
    const scenario = findScenario("payment-status-poll")!;
    const mock = createOpenApiMock({ documents: scenario.documents, overrides: scenario.main.overrides });
    const error = await scenario.run({ fetch: mock.fetch }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ArazzoStepError", stepId: "createPayment", reason: "criteria", status: 400 });
    expect(mock.requests).toHaveLength(1);
    expect(mock.requests[0]?.response?.body).toMatchObject({
      problems: ["header parameter Signature is required", "header parameter Digest is required", "header parameter Date is required"],
    });
  });

  test("maxSteps counts every started step: 4 is enough for create + 3 polls, 3 is not", async () => {
    const scenario = findScenario("payment-status-poll")!;
    expect((await play(scenario, { ...scenario.main, maxSteps: 4 })).outputs).toStrictEqual(scenario.main.outputs);
    const { error, mock } = await play(scenario, { ...scenario.main, maxSteps: 3 });
    expect(error).toMatchObject({ stepId: "pollPayment", reason: "step-budget" });
    expect(mock.requests).toHaveLength(3);
  });
});

describe("the generic OpenAPI mock", () => {
  const pis = findScenario("payment-status-poll")!.documents;
  const get = (url: string, headers: Record<string, string> = { authorization: "Bearer t" }) => new Request(url, { headers });

  test("routes by server, path template and method; 404 and 405 otherwise; records everything", async () => {
    const mock = createOpenApiMock({ documents: pis });
    const ok = await mock.fetch(get(`${FINTECTURE_BASE_URL}/pis/v2/payments/p-1`));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ id: "p-1", type: "PIS", status: "payment_created", created_at: "2026-01-02T03:04:05.000Z" });
    expect((await mock.fetch(get(`${FINTECTURE_BASE_URL}/pis/v2/nothing`))).status).toBe(404);
    expect((await mock.fetch(get("https://api-sandbox.fintecture.com/pis/v2/payments/p-1"))).status).toBe(404);
    expect((await mock.fetch(new Request(`${FINTECTURE_BASE_URL}/pis/v2/payments/p-1`, { method: "DELETE" }))).status).toBe(405);
    expect(mock.requests.map((r) => [r.operationId, r.response?.status])).toEqual([
      ["getPaymentSession", 200],
      [undefined, 404],
      [undefined, 404],
      [undefined, 405],
    ]);
  });

  test("checks the bearer token the document's security asks for", async () => {
    const mock = createOpenApiMock({ documents: pis });
    expect((await mock.fetch(get(`${FINTECTURE_BASE_URL}/pis/v2/payments/p-1`, {}))).status).toBe(401);
    expect((await createOpenApiMock({ documents: pis, validate: false }).fetch(get(`${FINTECTURE_BASE_URL}/pis/v2/payments/p-1`, {}))).status).toBe(200);
  });

  test("answers the lowest documented 2xx, echoes request fields, and counts ids per prefix", async () => {
    const mock = createOpenApiMock({ documents: findScenario("customer-onboard-payment")!.documents });
    const create = () =>
      mock.fetch(
        new Request(`${FINTECTURE_BASE_URL}/v1/customers`, {
          method: "POST",
          headers: { authorization: "Bearer t", "content-type": "application/json" },
          body: JSON.stringify({ first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" }),
        }),
      );
    const first = await create();
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({
      id: "customer-0001",
      first_name: "Ada",
      last_name: "Lovelace",
      email: "ada@example.com",
      address: { country: "FR" },
    });
    expect(await (await create()).json()).toMatchObject({ id: "customer-0002" });
  });

  test("a sequence override answers call by call and then repeats its last reply; a status override replaces the success", async () => {
    const mock = createOpenApiMock({
      documents: pis,
      overrides: { getPaymentSession: [{ patch: { status: "payment_pending" } }, { status: 404, body: { errors: [{ code: "gone" }] } }] },
    });
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const response = await mock.fetch(get(`${FINTECTURE_BASE_URL}/pis/v2/payments/p-1`));
      answers.push([response.status, await response.json()]);
    }
    expect(answers).toEqual([
      [200, expect.objectContaining({ id: "p-1", status: "payment_pending", attributes: expect.objectContaining({ currency: "EUR" }) })],
      [404, { errors: [{ code: "gone" }] }],
      [404, { errors: [{ code: "gone" }] }],
    ]);
  });
});
