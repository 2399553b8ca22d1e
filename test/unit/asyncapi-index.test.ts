/**
 * The AsyncAPI 3.0 index (`openapi/asyncapi.ts`) on the description the Arazzo 1.1 examples
 * use, and `$message` runtime expressions (Arazzo 1.1 §"Runtime Expressions").
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { DiagnosticBag } from "../../generator/diagnostics.ts";
import { parseExpression } from "../../generator/expressions/parse.ts";
import { parseLoadedDocument } from "../../generator/load/document.ts";
import { indexAsyncApi } from "../../generator/openapi/asyncapi.ts";

/** The AsyncAPI description of the Arazzo 1.1 examples, vendored (`test/fixtures/spec/README.md`). */
const FILE = path.resolve(import.meta.dirname, "../fixtures/spec/pet-asyncapi.yaml");

describe("indexAsyncApi", () => {
  const doc = parseLoadedDocument(FILE, readFileSync(FILE, "utf8"), new DiagnosticBag())!;
  const index = indexAsyncApi(doc);

  test("channels by id, with their address and messages ($refs followed)", () => {
    expect([...index.channels.keys()]).toEqual(["place-order", "confirm-order"]);
    const confirm = index.channels.get("confirm-order")!;
    expect(confirm.address).toBe("confirm-order");
    expect(confirm.messages.map((m) => [m.name, m.correlationLocation])).toEqual([["OrderResponse", "$message.header#/orderRequestId"]]);
    expect(confirm.messages[0]!.payload).toMatchObject({ type: "object", required: ["orderId"] });
    expect(confirm.messages[0]!.headers).toMatchObject({ required: ["orderRequestId"] });
  });

  test("an operation's channel and messages, and its reply's", () => {
    const op = index.operations.get("placeOrder")!;
    expect(op.channel.id).toBe("place-order");
    expect(op.messages.map((m) => m.name)).toEqual(["place-order.placeOrder.message"]);
    expect(op.messages[0]!.payload).toMatchObject({ required: ["petId"] });
    expect(op.reply?.channel.id).toBe("confirm-order");
    expect(op.reply?.messages.map((m) => m.correlationLocation)).toEqual(["$message.header#/orderRequestId"]);
  });
});

describe("$message expressions", () => {
  test.each([
    ["$message.payload", { kind: "message", source: { in: "body", pointer: [] } }],
    ["$message.payload#/order/id", { kind: "message", source: { in: "body", pointer: ["order", "id"] } }],
    ["$message.header.orderRequestId", { kind: "message", source: { in: "header", name: "orderRequestId" } }],
    // Not in the ABNF, but in the 1.1 specification's examples: read as a pointer, with a warning where it is used.
    ["$message.payload.order.id", { kind: "message", source: { in: "body", pointer: ["order", "id"], dotted: true } }],
    ["$response.body.items", { kind: "response", source: { in: "body", pointer: ["items"], dotted: true } }],
  ])("%s", (text, expression) => {
    expect(parseExpression(text)).toEqual({ ok: true, value: { text, expression } });
  });

  test.each([
    ["$message.body", "unknown message part `body`; expected `header.` or `payload`"],
    ["$message.header.", "expected a header name after `$message.header.`"],
    ["$message", "`$message` must be followed by `.header.<name>` or `.payload`"],
  ])("%s is an error", (text, message) => {
    const result = parseExpression(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toBe(message);
  });
});
