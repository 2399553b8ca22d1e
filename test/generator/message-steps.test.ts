/**
 * Arazzo 1.1 AsyncAPI steps, end to end on the worked example (`specs/examples/order-events/`):
 * an order created over HTTP, a confirmation request sent on a channel, the reply received
 * by correlation id, the order read back; the stock check runs concurrently with the order
 * (step-level `dependsOn`). First with an in-memory transport (messages and requests checked,
 * a reply for another request ignored, a reply that never comes, a rejection), then against a
 * real MQTT broker (Debian's mosquitto, started here) through the package's own MQTT adapter.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generate } from "../../generator/generate.ts";
import { MessageBuffer, type AsyncMessage, type MessageTransport } from "../../generator/runtime/async.ts";
import { brokerBinary, startMosquitto, type Broker } from "../helpers/brokers.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const EXAMPLE = path.join(ROOT, "specs/examples/order-events");
const tmp = mkdtempSync(path.join(tmpdir(), "arazzo-ts-messages-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Run = (inputs: Record<string, unknown>, options: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** Generates the example (its step timeout set to `timeoutMs`) and imports its package. */
async function generated(name: string, timeoutMs = 5000): Promise<{ run: Run; dir: string }> {
  const dir = path.join(tmp, name);
  cpSync(EXAMPLE, path.join(dir, "spec"), { recursive: true });
  const file = path.join(dir, "spec/order-events.arazzo.yaml");
  writeFileSync(file, readFileSync(file, "utf8").replace("timeout: 5000", `timeout: ${timeoutMs}`));
  const result = await generate({ inputs: [file], outDir: path.join(dir, "out"), write: true });
  expect(result.ok, JSON.stringify(result.diagnostics.filter((d) => d.severity === "error"))).toBe(true);
  const pkg = path.join(dir, "out/order-events");
  const module = (await import(pathToFileURL(path.join(pkg, "src/index.ts")).href)) as { runPlaceAndConfirm: Run };
  return { run: module.runPlaceAndConfirm, dir: pkg };
}

/** A transport in memory: what is sent is recorded, and `reply` answers it (or not). */
function memoryTransport(reply: (channel: string, message: AsyncMessage, publish: (channel: string, message: AsyncMessage) => void) => void) {
  const buffers = new Map<string, Set<MessageBuffer>>();
  const sent: { channel: string; message: AsyncMessage }[] = [];
  const publish = (channel: string, message: AsyncMessage) => {
    for (const buffer of buffers.get(channel) ?? []) buffer.push(message);
  };
  const transport: MessageTransport = {
    async send(channel, message) {
      sent.push({ channel, message });
      setTimeout(() => reply(channel, message, publish), 5);
    },
    async subscribe(channel) {
      const buffer = new MessageBuffer(channel);
      buffers.set(channel, new Set([...(buffers.get(channel) ?? []), buffer]));
      return {
        next: (accept, options) => buffer.next(accept, options),
        close: async () => {
          buffer.close();
          buffers.get(channel)?.delete(buffer);
        },
      };
    },
  };
  return { transport, sent, open: () => [...buffers.values()].reduce((n, s) => n + s.size, 0) };
}

/** The warehouse: answers a confirmation request on the confirmations channel, first with a reply for another request. */
const warehouse =
  (decision: "confirmed" | "rejected" | "silent") => (channel: string, message: AsyncMessage, publish: (channel: string, message: AsyncMessage) => void) => {
    if (channel !== "orders/confirmation-requests" || decision === "silent") return;
    const { orderId } = message.payload as { orderId: string };
    publish("orders/confirmations", { headers: { requestId: "someone-else" }, payload: { orderId: "o-0", decision: "rejected" } });
    publish("orders/confirmations", { headers: { requestId: message.headers.requestId! }, payload: { orderId, decision } });
  };

/** The orders API: POST /orders answers only once GET /stock has arrived (the two run concurrently). */
function ordersApi() {
  const requests: string[] = [];
  let stockArrived: () => void = () => {};
  const stock = new Promise<void>((resolve) => (stockArrived = resolve));
  const fetch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    requests.push(`${request.method} ${url.pathname}`);
    const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
    if (request.method === "POST" && url.pathname === "/v1/orders") {
      await Promise.race([stock, new Promise((_, reject) => setTimeout(() => reject(new Error("GET /stock never came while POST /orders was open")), 2000))]);
      return json(201, { id: "o-1", status: "pending" });
    }
    if (url.pathname === "/v1/stock/sku-9") {
      stockArrived();
      return json(200, { sku: "sku-9", available: 12 });
    }
    if (url.pathname === "/v1/orders/o-1") return json(200, { id: "o-1", status: "confirmed" });
    return json(404, {});
  };
  return { fetch, requests };
}

const inputs = { sku: "sku-9", quantity: 2, requestId: "r-42" };

describe("message steps, in-memory transport", () => {
  let run: Run;
  beforeAll(async () => {
    ({ run } = await generated("memory"));
  }, 120_000);

  test("sends the request, receives the reply with its correlation id, and goes on; independent steps run concurrently", async () => {
    const broker = memoryTransport(warehouse("confirmed"));
    const api = ordersApi();
    const outputs = await run(inputs, { fetch: api.fetch, transports: { events: broker.transport } });
    expect(outputs).toEqual({ orderId: "o-1", available: 12, decision: "confirmed", status: "confirmed" });
    expect(api.requests).toEqual(["POST /v1/orders", "GET /v1/stock/sku-9", "GET /v1/orders/o-1"]);
    expect(broker.sent).toEqual([
      { channel: "orders/confirmation-requests", message: { headers: { requestId: "r-42" }, payload: { orderId: "o-1", quantity: 2 } } },
    ]);
    // The run closed the channel it listened on.
    expect(broker.open()).toBe(0);
  });

  test("a reply that is not a confirmation fails the step's success criterion", async () => {
    const broker = memoryTransport(warehouse("rejected"));
    await expect(run(inputs, { fetch: ordersApi().fetch, transports: { events: broker.transport } })).rejects.toMatchObject({
      name: "ArazzoStepError",
      reason: "criteria",
      stepId: "awaitConfirmation",
    });
    expect(broker.open()).toBe(0);
  });

  test("no reply within the step's timeout fails it with reason timeout, and the order is not read", async () => {
    const { run: short } = await generated("timeout", 150);
    const broker = memoryTransport(warehouse("silent"));
    const api = ordersApi();
    const started = performance.now();
    await expect(short(inputs, { fetch: api.fetch, transports: { events: broker.transport } })).rejects.toMatchObject({
      name: "ArazzoStepError",
      reason: "timeout",
      stepId: "awaitConfirmation",
      message: expect.stringContaining("no message with its correlation id on channel `orders/confirmations` within 150 ms"),
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(api.requests).not.toContain("GET /v1/orders/o-1");
    expect(broker.open()).toBe(0);
  }, 120_000);

  test("the transports are required by the options type", () => {
    const module = readFileSync(path.join(tmp, "memory/out/order-events/src/place-and-confirm.ts"), "utf8");
    expect(module).toContain("readonly transports: { readonly events: MessageTransport };");
    expect(module).toMatch(/options: PlaceAndConfirmOptions,\n/);
  });
});

const mosquitto = brokerBinary("mosquitto");

describe.skipIf(!mosquitto && !process.env.CI)(`message steps over MQTT (${mosquitto ?? "mosquitto not installed"})`, () => {
  let broker: Broker | undefined;
  const clients: { endAsync(): Promise<void> }[] = [];
  beforeAll(async () => {
    broker = await startMosquitto();
  }, 60_000);
  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.endAsync()));
    await broker?.stop();
  });

  test("the worked example runs against a real broker and a warehouse that answers over it", async () => {
    const { dir } = await generated("mqtt");
    const { run } = { run: ((await import(pathToFileURL(path.join(dir, "src/index.ts")).href)) as { runPlaceAndConfirm: Run }).runPlaceAndConfirm };
    const { createMqttTransport } = (await import(
      pathToFileURL(path.join(dir, "src/transport-mqtt.ts")).href
    )) as typeof import("../../generator/runtime/transport-mqtt.ts");
    const mqtt = await import("mqtt");
    const workflowClient = await mqtt.connectAsync(broker!.url, { protocolVersion: 5 });
    const warehouseClient = await mqtt.connectAsync(broker!.url, { protocolVersion: 5 });
    clients.push(workflowClient, warehouseClient);
    // The warehouse: answers each confirmation request on the confirmations topic, with the request's id.
    const requestsSeen: unknown[] = [];
    await warehouseClient.subscribeAsync("orders/confirmation-requests", { qos: 1 });
    warehouseClient.on("message", (_topic, payload, packet) => {
      const requestId = packet.properties?.userProperties?.requestId as string;
      const body = JSON.parse(payload.toString()) as { orderId: string };
      requestsSeen.push({ requestId, body });
      void warehouseClient.publishAsync("orders/confirmations", JSON.stringify({ orderId: body.orderId, decision: "confirmed" }), {
        qos: 1,
        properties: { userProperties: { requestId }, contentType: "application/json" },
      });
    });
    const api = ordersApi();
    const outputs = await run(inputs, { fetch: api.fetch, transports: { events: createMqttTransport(workflowClient) } });
    expect(outputs).toEqual({ orderId: "o-1", available: 12, decision: "confirmed", status: "confirmed" });
    expect(requestsSeen).toEqual([{ requestId: "r-42", body: { orderId: "o-1", quantity: 2 } }]);
    expect(api.requests).toEqual(["POST /v1/orders", "GET /v1/stock/sku-9", "GET /v1/orders/o-1"]);
  }, 120_000);
});

describe("message steps in other shapes generate and type-check", () => {
  test("failure actions and outputs that read the message, a channel with two kinds of message, a send step's outputs, workflow dependsOn", async () => {
    const dir = path.join(tmp, "shapes");
    cpSync(EXAMPLE, dir, { recursive: true });
    const asyncapi = readFileSync(path.join(dir, "orders.asyncapi.yaml"), "utf8").replace(
      '      confirmation:\n        $ref: "#/components/messages/Confirmation"',
      '      confirmation:\n        $ref: "#/components/messages/Confirmation"\n      delay:\n        payload: { type: object, properties: { minutes: { type: integer } } }',
    );
    writeFileSync(path.join(dir, "orders.asyncapi.yaml"), asyncapi);
    const file = path.join(dir, "shapes.arazzo.yaml");
    writeFileSync(
      file,
      `arazzo: 1.1.0
info: { title: shapes, version: 1.0.0 }
sourceDescriptions:
  - { name: events, url: ./orders.asyncapi.yaml, type: asyncapi }
workflows:
  - workflowId: ask
    inputs: { type: object, required: [requestId], properties: { requestId: { type: string } } }
    # Tests an HTTP response: it does not apply to the message step (a warning).
    failureActions:
      - name: busy
        type: retry
        retryLimit: 1
        criteria:
          - condition: $statusCode == 503
    steps:
      - stepId: send
        operationId: requestConfirmation
        action: send
        parameters:
          - { name: requestId, in: header, value: $inputs.requestId }
        requestBody:
          payload: { orderId: o-1, quantity: 1 }
        outputs:
          sentOrder: $message.payload#/orderId
    outputs:
      sentOrder: $steps.send.outputs.sentOrder
  - workflowId: wait
    dependsOn: [ask]
    inputs: { type: object, required: [requestId], properties: { requestId: { type: string } } }
    steps:
      - stepId: answer
        operationId: requestConfirmation
        action: receive
        correlationId: $inputs.requestId
        timeout: 1000
        successCriteria:
          - condition: $message.header.requestId != null
        onFailure:
          - name: rejected
            type: end
            criteria:
              - condition: $message.payload#/decision == 'rejected'
          - name: again
            type: retry
            retryLimit: 1
        outputs:
          anything: $message.payload
          minutes: $message.payload#/minutes
    outputs:
      anything: $steps.answer.outputs.anything
`,
    );
    const result = await generate({ inputs: [file], outDir: path.join(dir, "out"), write: false });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const wait = result.packages[0]!.files.find((f) => f.path === "src/wait.ts")!.text;
    // Subscribed before the workflow it depends on runs (it may send the request that is answered).
    expect(wait.indexOf("RunChannels.open(")).toBeLessThan(wait.indexOf("await runAsk("));
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({ code: "ignored-criterion", message: expect.stringContaining("workflow action `busy` tests an HTTP response") }),
    );
    // Two kinds of message on the channel: read untyped, with a warning.
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({ code: "untyped-output", message: expect.stringContaining("output `minutes` reads the message payload") }),
    );
  }, 120_000);
});

test("a sent payload is checked against the message's payload schema, as a request body is", async () => {
  const dir = path.join(tmp, "payload-check");
  cpSync(EXAMPLE, dir, { recursive: true });
  const file = path.join(dir, "order-events.arazzo.yaml");
  const body = readFileSync(file, "utf8").replace(
    "            orderId: $steps.createOrder.outputs.orderId\n            quantity: $inputs.quantity",
    "            orderId: $steps.createOrder.outputs.orderId\n            colour: red",
  );
  writeFileSync(file, body);
  const result = await generate({ inputs: [file], outDir: path.join(dir, "out"), write: false });
  expect(result.ok).toBe(false);
  const line = (marker: string) => body.slice(0, body.indexOf(marker)).split("\n").length;
  expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual(
    expect.arrayContaining([
      ["unknown-field", line("colour: red")],
      ["missing-required-field", line("orderId: $steps.createOrder.outputs.orderId")],
    ]),
  );
}, 120_000);
