/**
 * The restate target end to end: the generated Restate services of the seed
 * (`token-then-payment`) and the Fintecture polling workflow (`payment-status-poll`), from
 * `generated/restate/`, served on Node 24 (test/restate/fixtures/fintecture-services.mjs),
 * registered with a real restate-server, started and awaited through the generated typed
 * ingress clients, against the Fintecture mock served over loopback HTTP.
 *
 * - Same outputs and the same requests as the plain `run<Workflow>` functions, for the main
 *   scenario of each of the 13 Fintecture workflows (test/mocks/fintecture-scenarios.ts).
 * - A crash of the service in the middle of a poll wait: the workflow completes after a
 *   restart, every POST sent exactly once (counted by the mock), the waits durable.
 * - A failed step ends the invocation for good (a terminal error, no retries by Restate).
 * - A run cancelled in Restate stops: no request after the cancellation.
 * - The journal holds the outputs later steps need and no others; `rerunSteps` keeps a
 *   token step's result out of it (the step runs again on a replay).
 * - OpenTelemetry (the service exports its spans over OTLP/HTTP to a receiver on loopback):
 *   across a crash, a span for each step and request that ran, none for what a replay
 *   returned from the journal, and the trace context sent with each request.
 *
 * Needs the `@restatedev/restate-server` dev dependency and Node 24 in `.cache/node/24`
 * (`node test/helpers/node-versions.mjs 24`): without them the tests are skipped, or fail on CI.
 */
import path from "node:path";
import * as clients from "@restatedev/restate-sdk-clients";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPaymentStatusPoll } from "../../generated/restate/fintecture-payment-status-poll-workflow/dist/restate-client.js";
import { startTokenThenPayment as startSeed } from "../../generated/restate/fintecture-token-then-payment-workflow/dist/restate-client.js";
import { serveFetch, type FetchServer } from "../helpers/fetch-server.ts";
import { type OtlpReceiver, type OtlpSpan, otlpAttribute, startOtlpReceiver } from "../helpers/otlp-receiver.ts";
import {
  journalEntries,
  node24Binary,
  type RestateServer,
  type RestateService,
  register,
  restateServerBinary,
  startRestate,
  startService,
  stopAll,
  waitUntilTrue,
} from "../helpers/restate.ts";
import { describeRequest, fakeSigning, findScenario, scenarios } from "../mocks/fintecture-scenarios.ts";
import { createOpenApiMock, type MockOverride, type OpenApiMockOptions } from "../mocks/openapi-mock.ts";

const SERVICES = path.join(import.meta.dirname, "fixtures", "fintecture-services.mjs");
/** The poll workflow's wait between polls (`pollDelayMs`): long enough to crash the service inside one. */
const POLL_DELAY_MS = 1_500;

const missing = [
  restateServerBinary() ? undefined : "restate-server (npm i -D @restatedev/restate-server)",
  node24Binary() ? undefined : "Node 24 (node test/helpers/node-versions.mjs 24)",
].filter((reason): reason is string => reason !== undefined);
const skipReason = missing.length ? `missing ${missing.join(" and ")}` : undefined;

const seed = findScenario("token-then-payment")!;
const poll = findScenario("payment-status-poll")!;
/** The scenarios' inputs, which `fintecture-scenarios.ts` checks against the plain packages' types: the same as the Restate packages'. */
const seedInputs = seed.inputs as unknown as Parameters<typeof startSeed>[2];
const pollInputs = poll.inputs as unknown as Parameters<typeof startPaymentStatusPoll>[2];

if (skipReason && process.env.CI) {
  describe("restate target", () => {
    it("has a restate-server and Node 24 on CI", () => {
      throw new Error(`cannot run the Restate tests on CI: ${skipReason}`);
    });
  });
} else {
  describe.skipIf(skipReason !== undefined)(`restate target, Fintecture${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
    let server: RestateServer | undefined;
    let service: RestateService | undefined;
    let mockServer: FetchServer | undefined;
    /** Where the service exports its spans (every run's). */
    let receiver: OtlpReceiver | undefined;
    let ingress: clients.Ingress;
    /** The mock the HTTP server answers with; each test sets its own. */
    let mock = createOpenApiMock({ documents: seed.documents });
    const useMock = (options: Omit<OpenApiMockOptions, "baseUrl">) => {
      mock = createOpenApiMock({ ...options, baseUrl: mockServer!.url });
      return mock;
    };
    const env = (extra: Record<string, string> = {}) => ({
      MOCK_URL: mockServer!.url,
      POLL_DELAY_MS: String(POLL_DELAY_MS),
      OTLP_URL: receiver!.url,
      ...extra,
    });
    /** Restarts the service at its registered address (a deploy, or recovery after a crash). */
    const restart = async (extra: Record<string, string> = {}) => {
      const port = service!.port;
      await service!.stop();
      service = await startService(SERVICES, env(extra), port);
    };
    const logs = () => `--- restate-server ---\n${server?.output() ?? ""}\n--- service ---\n${service?.output() ?? ""}`;

    beforeAll(async () => {
      mockServer = await serveFetch((request) => mock.fetch(request));
      receiver = await startOtlpReceiver();
      server = await startRestate();
      service = await startService(SERVICES, env());
      await register(server.adminUrl, service.url);
      ingress = clients.connect({ url: server.ingressUrl });
    }, 90_000);

    afterAll(async () => {
      try {
        await stopAll(service, server);
      } finally {
        await Promise.allSettled([mockServer?.close(), receiver?.close()]);
      }
    });

    /** Every journal entry of an invocation, as stored (protobuf bytes), to look for values in. */
    const journal = (invocationId: string) => journalEntries(server!.adminUrl, invocationId);
    const holds = (entries: { bytes: Buffer }[], text: string) => entries.some((e) => e.bytes.includes(text));

    it("runs the seed with the outputs and requests of runTokenThenPayment", async () => {
      // The plain function first, on a mock of its own: what the Restate run must match.
      const reference = createOpenApiMock({ documents: seed.documents, overrides: seed.main.overrides });
      const expected = await seed.run({ fetch: reference.fetch, middleware: [fakeSigning] });
      useMock({ documents: seed.documents, overrides: seed.main.overrides });

      const started = await startSeed(ingress, "seed-1", seedInputs);
      const outputs = await started.output().catch((error: unknown) => {
        throw new Error(`${String(error)}\n${logs()}`);
      });

      expect(outputs).toEqual(expected);
      expect(outputs).toEqual(seed.main.outputs);
      expect(mock.requests.map(describeRequest)).toEqual(reference.requests.map(describeRequest));
      expect(mock.requests.find((r) => r.url.includes("/pis/v2/connect"))?.headers.authorization).toBe("Bearer access-token-0001");

      // One journaled action per step, named after it; the token step keeps the output a later
      // step reads (the token) and not the one nothing reads (`expiresIn`, 3600).
      const entries = await journal(started.invocationId);
      expect(entries.filter((e) => e.type === "Command: Run").map((e) => e.name)).toEqual(["mintToken", "createPayment", "getPayment"]);
      const results = entries.filter((e) => e.type === "Notification: Run");
      expect(holds(results, "access-token-0001")).toBe(true);
      expect(holds(results, "expiresIn")).toBe(false);
      expect(holds(results, "3600")).toBe(false);
    }, 60_000);

    it.each(scenarios.map((s) => [s.workflowId, s] as const))(
      "%s: the outputs and requests of the plain function",
      async (workflowId, scenario) => {
        const reference = createOpenApiMock({ documents: scenario.documents, overrides: scenario.main.overrides });
        const expected = await scenario.run({ fetch: reference.fetch, middleware: [fakeSigning] });
        useMock({ documents: scenario.documents, overrides: scenario.main.overrides });
        // Through the ingress's HTTP API, as any caller would: POST /<service>/<key>/run.
        const response = await fetch(`${server!.ingressUrl}/${workflowId}/all-${workflowId}/run`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(scenario.inputs),
          signal: AbortSignal.timeout(60_000),
        });
        const text = await response.text();
        expect(response.status, `${text}\n${logs()}`).toBe(200);
        expect(JSON.parse(text)).toEqual(expected);
        expect(mock.requests.map(describeRequest)).toEqual(reference.requests.map(describeRequest));
        expect(mock.requests.map(describeRequest)).toEqual(scenario.main.requests);
      },
      60_000,
    );

    it("survives a crash in the middle of a poll wait: every POST sent once, the run completes", async () => {
      const overrides = poll.main.overrides as Record<string, MockOverride>;
      useMock({ documents: poll.documents, overrides });
      const startedAt = performance.now();
      const started = await startPaymentStatusPoll(ingress, "poll-crash-1", pollInputs);

      // The first poll answered `payment_pending`: the workflow now waits POLL_DELAY_MS on a durable timer.
      await waitUntilTrue(() => mock.requests.filter((r) => r.operationId === "getPaymentSession").length === 1, 30_000, logs);
      await new Promise((resolve) => setTimeout(resolve, POLL_DELAY_MS / 4));
      await service!.kill();
      const polledBeforeRestart = mock.requests.length;
      await new Promise((resolve) => setTimeout(resolve, 200));
      service = await startService(SERVICES, env(), service!.port);

      const outputs = await started.output().catch((error: unknown) => {
        throw new Error(`${String(error)}\n${logs()}`);
      });
      expect(polledBeforeRestart).toBe(2);
      expect(outputs).toEqual(poll.main.outputs);
      // Exactly the requests of an uninterrupted run: the POST once, three polls.
      expect(mock.requests.map(describeRequest)).toEqual(poll.main.requests);
      expect(mock.requests.filter((r) => r.method === "POST")).toHaveLength(1);
      // Two waits between the three polls, durable timers of Restate's (kept across the crash).
      expect(performance.now() - startedAt).toBeGreaterThanOrEqual(2 * POLL_DELAY_MS);
      const entries = await journal(started.invocationId);
      expect(entries.filter((e) => e.type === "Command: Sleep")).toHaveLength(2);
      expect(entries.filter((e) => e.type === "Command: Run").map((e) => e.name)).toEqual(["createPayment", "pollPayment", "pollPayment", "pollPayment"]);
    }, 90_000);

    it("traces what runs across a crash: a span per step and request that ran, none for what a replay returned from the journal", async () => {
      const overrides = poll.main.overrides as Record<string, MockOverride>;
      useMock({ documents: poll.documents, overrides });
      receiver!.clear();
      const started = await startPaymentStatusPoll(ingress, "poll-traced-crash-1", pollInputs);
      const named = (name: string) => receiver!.spans().filter((span) => span.name === name);
      // Killed in the second wait, once the second poll's span is exported: a replay returns the
      // POST, two polls and both waits from the journal.
      await waitUntilTrue(() => named("arazzo.step pollPayment").length === 2, 30_000, logs);
      await new Promise((resolve) => setTimeout(resolve, POLL_DELAY_MS / 4));
      await service!.kill();
      service = await startService(SERVICES, env(), service!.port);
      const outputs = await started.output().catch((error: unknown) => {
        throw new Error(`${String(error)}\n${logs()}`);
      });
      expect(outputs).toEqual(poll.main.outputs);
      expect(mock.requests.map(describeRequest)).toEqual(poll.main.requests);

      // The second attempt's run span ends last; the first attempt's never ends (the process died).
      await waitUntilTrue(() => named("arazzo.workflow payment-status-poll").length === 1, 10_000, logs);
      const steps = (stepId: string) => named(`arazzo.step ${stepId}`);
      // Each step span is one that ran: the POST once, the three polls, whatever the replay returned.
      expect(steps("createPayment")).toHaveLength(1);
      expect(steps("pollPayment").map((span) => [otlpAttribute(span, "arazzo.step.attempt"), otlpAttribute(span, "arazzo.step.outcome")])).toEqual([
        [1, "goto"],
        [2, "goto"],
        // The replay's third poll: its attempt counts the polls the journal returned.
        [3, "end"],
      ]);
      const clientSpans = receiver!.spans().filter((span) => span.kind === 3);
      expect(clientSpans.map((span) => span.name)).toEqual([
        "POST /pis/v2/connect",
        "GET /pis/v2/payments/{payment_id}",
        "GET /pis/v2/payments/{payment_id}",
        "GET /pis/v2/payments/{payment_id}",
      ]);
      // The mock saw each request's own span as its parent.
      expect(mock.requests.map((r) => r.headers.traceparent)).toEqual(clientSpans.map((span) => `00-${span.traceId}-${span.spanId}-01`));
      // The second attempt's run: the third poll under it, and no wait event: both waits began in
      // the first attempt (whose span died with it) and were replayed from the journal.
      const [run] = named("arazzo.workflow payment-status-poll") as [OtlpSpan];
      expect(steps("pollPayment")[2]!.parentSpanId).toBe(run.spanId);
      expect(run.events ?? []).toEqual([]);
      expect(run.status?.code ?? 0).toBe(0);
    }, 90_000);

    it("traces a run that Restate suspends in each wait: each attempt's span ends, each wait and step recorded once", async () => {
      // A deployment of its own whose invocations suspend after 200 ms of waiting (the waits are 1.5 s).
      const suspending = await startService(SERVICES, env({ INACTIVITY_TIMEOUT_MS: "200" }));
      try {
        await register(server!.adminUrl, suspending.url);
        useMock({ documents: poll.documents, overrides: poll.main.overrides as Record<string, MockOverride> });
        receiver!.clear();
        const started = await startPaymentStatusPoll(ingress, "poll-traced-suspend-1", pollInputs);
        const outputs = await started.output().catch((error: unknown) => {
          throw new Error(`${String(error)}\n${logs()}\n--- suspending service ---\n${suspending.output()}`);
        });
        expect(outputs).toEqual(poll.main.outputs);
        expect(mock.requests.map(describeRequest)).toEqual(poll.main.requests);
        const named = (name: string) => receiver!.spans().filter((span) => span.name === name);
        // Three attempts: two suspended in a wait, the last one done.
        await waitUntilTrue(() => named("arazzo.workflow payment-status-poll").length === 3, 10_000, logs);
        const runs = named("arazzo.workflow payment-status-poll");
        expect(runs.map((run) => [otlpAttribute(run, "arazzo.attempt.ended"), run.events?.map((e) => e.name) ?? []])).toEqual([
          [true, ["arazzo.poll.wait"]],
          [true, ["arazzo.poll.wait"]],
          [undefined, []],
        ]);
        expect(named("arazzo.step createPayment")).toHaveLength(1);
        expect(named("arazzo.step pollPayment").map((span) => otlpAttribute(span, "arazzo.step.attempt"))).toEqual([1, 2, 3]);
        // Each poll under the run span of the attempt that sent it.
        expect(named("arazzo.step pollPayment").map((span) => runs.findIndex((run) => run.spanId === span.parentSpanId))).toEqual([0, 1, 2]);
      } finally {
        // Back to the deployment the other tests use.
        await suspending.stop();
        await register(server!.adminUrl, service!.url);
      }
    }, 90_000);

    it("ends the invocation with a terminal error when a step fails, without retrying it", async () => {
      useMock({ documents: seed.documents, overrides: { createAccessToken: { status: 401, body: { error: "invalid_client" } } } });
      const started = await startSeed(ingress, "seed-failing-1", seedInputs);
      const error = await started.output().then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(String(error?.message)).toContain("workflow `token-then-payment`, step `mintToken`");
      expect(String(error?.message)).not.toContain((seed.inputs as { clientSecret: string }).clientSecret);
      // Not retried: one token request, also a while later.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(mock.requests.map(describeRequest)).toEqual(["POST /oauth/accesstoken"]);
    }, 60_000);

    it("stops a run cancelled in Restate during its poll wait: no further request", async () => {
      // Pending for ever: the run polls until it is cancelled.
      useMock({ documents: poll.documents, overrides: { getPaymentSession: { patch: { status: "payment_pending" } } } });
      const started = await startPaymentStatusPoll(ingress, "poll-cancel-1", pollInputs);
      await waitUntilTrue(() => mock.requests.some((r) => r.operationId === "getPaymentSession"), 30_000, logs);
      const cancel = await fetch(`${server!.adminUrl}/invocations/${started.invocationId}/cancel`, { method: "PATCH" });
      expect(cancel.status).toBe(202);
      const error = await started.output().then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(String(error?.message)).toMatch(/cancel/i);
      const requests = mock.requests.length;
      await new Promise((resolve) => setTimeout(resolve, POLL_DELAY_MS + 500));
      expect(mock.requests).toHaveLength(requests);
      expect(mock.requests.filter((r) => r.operationId === "getPaymentSession").length).toBeLessThanOrEqual(2);
    }, 60_000);

    it("keeps the outputs of a step named in rerunSteps out of the journal: it runs again on a replay, the journaled POST does not", async () => {
      await restart({ RERUN_STEPS: "mintToken" });
      // The payment read hangs until the service is gone: the replay starts from the journal.
      let release: () => void = () => undefined;
      const hanging = new Promise<void>((resolve) => {
        release = resolve;
      });
      useMock({
        documents: seed.documents,
        overrides: {
          ...(seed.main.overrides as Record<string, MockOverride>),
          getPaymentSession: async ({ call }) => {
            if (call === 1) await hanging;
            return undefined;
          },
        },
      });
      receiver!.clear();
      try {
        const started = await startSeed(ingress, "seed-rerun-1", seedInputs);
        await waitUntilTrue(() => mock.requests.some((r) => r.operationId === "getPaymentSession"), 30_000, logs);
        await service!.kill();
        release();
        service = await startService(SERVICES, env({ RERUN_STEPS: "mintToken" }), service!.port);
        const outputs = await started.output().catch((error: unknown) => {
          throw new Error(`${String(error)}\n${logs()}`);
        });

        // The token step ran twice (once per attempt), the payment POST once (journaled).
        expect(mock.requests.map(describeRequest)).toEqual([
          "POST /oauth/accesstoken",
          "POST /pis/v2/connect",
          "GET /pis/v2/payments/session-0001",
          "POST /oauth/accesstoken",
          "GET /pis/v2/payments/session-0001",
        ]);
        expect(outputs.sessionId).toBe("session-0001");
        const entries = await journal(started.invocationId);
        // The token step's entry records only that it succeeded (and a replay follows it), no output.
        expect(entries.filter((e) => e.type === "Command: Run").map((e) => e.name)).toEqual(["mintToken", "createPayment", "getPayment"]);
        // No journaled step result holds a token (the workflow's own output does: it is one of its outputs).
        const results = entries.filter((e) => e.type === "Notification: Run");
        expect(holds(results, "access-token-0001")).toBe(false);
        expect(holds(results, "access-token-0002")).toBe(false);
        // Traced as it ran: the token step in each attempt (not a replay, though the journal was
        // replaying around it), the journaled POST once.
        const named = (name: string) => receiver!.spans().filter((span) => span.name === name);
        await waitUntilTrue(() => named("arazzo.workflow token-then-payment").length === 1, 10_000, logs);
        expect(named("arazzo.step mintToken").map((span) => [otlpAttribute(span, "arazzo.step.outcome"), otlpAttribute(span, "arazzo.replayed")])).toEqual([
          ["success", undefined],
          ["success", undefined],
        ]);
        expect(named("arazzo.step createPayment")).toHaveLength(1);
      } finally {
        release();
        await restart();
      }
    }, 90_000);

    it("retries a rerunSteps step that fails on a replay after succeeding, instead of failing the run", async () => {
      await restart({ RERUN_STEPS: "mintToken" });
      let release: () => void = () => undefined;
      const hanging = new Promise<void>((resolve) => {
        release = resolve;
      });
      useMock({
        documents: seed.documents,
        overrides: {
          ...(seed.main.overrides as Record<string, MockOverride>),
          // The token endpoint is down for the first replay.
          createAccessToken: ({ call }) => (call === 2 ? { status: 503, body: { error: "unavailable" } } : { patch: { expires_in: 3600 } }),
          getPaymentSession: async ({ call }) => {
            if (call === 1) await hanging;
            return undefined;
          },
        },
      });
      try {
        const started = await startSeed(ingress, "seed-rerun-retry-1", seedInputs);
        await waitUntilTrue(() => mock.requests.some((r) => r.operationId === "getPaymentSession"), 30_000, logs);
        await service!.kill();
        release();
        service = await startService(SERVICES, env({ RERUN_STEPS: "mintToken" }), service!.port);
        const outputs = await started.output().catch((error: unknown) => {
          throw new Error(`${String(error)}\n${logs()}`);
        });
        expect(outputs.sessionId).toBe("session-0001");
        // First run, the failed replay (503, retried by Restate), the replay that went through; the payment POST once.
        expect(mock.requests.filter((r) => r.operationId === "createAccessToken").map((r) => r.response?.status)).toEqual([200, 503, 200]);
        expect(mock.requests.filter((r) => r.operationId === "createPisV2Connect")).toHaveLength(1);
      } finally {
        release();
        await restart();
      }
    }, 90_000);
  });
}
