/**
 * The AsyncAPI runtime (`generator/runtime/async.ts`): the message buffer behind
 * `MessageSubscription.next`, payload coding and correlation id matching; and the two
 * transport adapters (`transport-mqtt.ts`, `transport-nats.ts`) against real brokers —
 * Mosquitto and nats-server, started per suite on free loopback ports — through the real
 * clients (`mqtt`, `@nats-io/transport-node`), passed to the adapters without a cast.
 *
 * A missing broker binary skips its suite, except when `CI` is set: then it fails.
 */
import { existsSync } from "node:fs";
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { connect as connectNats, headers as natsHeaders } from "@nats-io/transport-node";
import { connectAsync as connectMqtt } from "mqtt";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import {
  abortable,
  correlationMatches,
  decodePayload,
  encodePayload,
  MessageBuffer,
  MessageTimeoutError,
  parseMessageLocation,
  readMessageLocation,
  SubscriptionClosedError,
  type AsyncMessage,
  type MessageTransport,
} from "../../generator/runtime/async.ts";
import { createMqttTransport, type MqttClientLike, type MqttMessageListener } from "../../generator/runtime/transport-mqtt.ts";
import { createNatsTransport, type NatsConnectionLike } from "../../generator/runtime/transport-nats.ts";
import { BROKER_PATHS, type Broker, type BrokerName, brokerBinary, startMosquitto, startNats } from "../helpers/brokers.ts";

const any = () => true;
const message = (payload: unknown, headers: Record<string, string> = {}): AsyncMessage => ({ payload, headers });

/** Why a broker's tests cannot run. */
function missing(name: BrokerName): string {
  return `${name} is not installed (looked at ${BROKER_PATHS[name].join(", ")}); apt-get install ${name}`;
}

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The rejection of `promise` (fails when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

describe("MessageBuffer", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test("hands out buffered messages oldest first; one accept rejects stays for later calls", async () => {
    const buffer = new MessageBuffer("orders");
    for (const id of [1, 2, 3]) buffer.push(message({ id }));
    expect(await buffer.next((m) => (m.payload as { id: number }).id === 2, {})).toEqual(message({ id: 2 }));
    expect(await buffer.next(any, {})).toEqual(message({ id: 1 }));
    expect(await buffer.next(any, {})).toEqual(message({ id: 3 }));
    expect(buffer.size).toBe(0);
  });

  test("offers a new message to pending calls in call order; the first that accepts takes it, else it is kept", async () => {
    const buffer = new MessageBuffer("orders");
    const wantsB = buffer.next((m) => m.payload === "b", {});
    const wantsAny = buffer.next(any, {});
    const wantsAnyToo = buffer.next(any, {});
    buffer.push(message("a")); // wantsB declines, wantsAny takes it
    buffer.push(message("b")); // wantsB takes it
    expect(await wantsB).toEqual(message("b"));
    expect(await wantsAny).toEqual(message("a"));
    buffer.push(message("c"));
    expect(await wantsAnyToo).toEqual(message("c"));
    const nobody = new MessageBuffer("x");
    const wantsZ = nobody.next((m) => m.payload === "z", { timeoutMs: 50 });
    nobody.push(message("y"));
    await expect(wantsZ).rejects.toBeInstanceOf(MessageTimeoutError);
    expect(await nobody.next(any, { timeoutMs: 0 })).toEqual(message("y"));
  });

  test("is bounded: beyond capacity the oldest message is dropped and counted", async () => {
    const buffer = new MessageBuffer("chatty", { capacity: 3 });
    for (let i = 1; i <= 5; i++) buffer.push(message(i));
    expect(buffer.size).toBe(3);
    expect(buffer.dropped).toBe(2);
    expect(await buffer.next(any, {})).toEqual(message(3));
    expect(new MessageBuffer("default").capacity).toBe(1000);
    expect(() => new MessageBuffer("x", { capacity: 0 })).toThrow(RangeError);
    expect(() => new MessageBuffer("x", { capacity: 1.5 })).toThrow(RangeError);
  });

  test("times out after timeoutMs with a MessageTimeoutError naming the channel", async () => {
    vi.useFakeTimers();
    const buffer = new MessageBuffer("orders/replies");
    let settled = false;
    const pending = rejection(buffer.next(any, { timeoutMs: 1000 })).finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const timeout = await pending;
    expect(timeout).toBeInstanceOf(MessageTimeoutError);
    expect(timeout).toMatchObject({ name: "MessageTimeoutError", channel: "orders/replies", timeoutMs: 1000 });
    expect((timeout as Error).message).toBe("no message on channel `orders/replies` within 1000 ms");
    // A message in time cancels the timer.
    const inTime = buffer.next(any, { timeoutMs: 1000 });
    await vi.advanceTimersByTimeAsync(500);
    buffer.push(message("in time"));
    await expect(inTime).resolves.toEqual(message("in time"));
    expect(vi.getTimerCount()).toBe(0);
  });

  test("timeoutMs 0 takes only a buffered message; a negative or NaN timeout is an error", async () => {
    const buffer = new MessageBuffer("orders");
    await expect(buffer.next(any, { timeoutMs: 0 })).rejects.toBeInstanceOf(MessageTimeoutError);
    buffer.push(message(1));
    await expect(buffer.next(any, { timeoutMs: 0 })).resolves.toEqual(message(1));
    await expect(buffer.next(any, { timeoutMs: -1 })).rejects.toBeInstanceOf(RangeError);
    await expect(buffer.next(any, { timeoutMs: Number.NaN })).rejects.toBeInstanceOf(RangeError);
  });

  test("rejects with the signal's reason: at once when already aborted (the message stays), or when it aborts", async () => {
    const buffer = new MessageBuffer("orders");
    buffer.push(message(1));
    const reason = new Error("run cancelled");
    await expect(buffer.next(any, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(buffer.size).toBe(1);
    await buffer.next(any, {});

    const controller = new AbortController();
    const removed = vi.spyOn(controller.signal, "removeEventListener");
    const pending = buffer.next(any, { signal: controller.signal, timeoutMs: 60_000 });
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(removed).toHaveBeenCalledWith("abort", expect.any(Function));
    // A settled wait no longer takes messages.
    buffer.push(message(2));
    expect(buffer.size).toBe(1);
  });

  test("close rejects pending and later calls, drops kept messages, ignores later pushes; idempotent", async () => {
    const buffer = new MessageBuffer("orders");
    buffer.push(message(1));
    const pending = buffer.next((m) => m.payload === 2, {});
    buffer.close();
    buffer.close();
    await expect(pending).rejects.toBeInstanceOf(SubscriptionClosedError);
    await expect(buffer.next(any, {})).rejects.toThrow("subscription to channel `orders` is closed");
    buffer.push(message(2));
    expect(buffer.size).toBe(0);
    expect(buffer.closed).toBe(true);

    const failed = new MessageBuffer("orders");
    const reason = new Error("permissions violation");
    const waiting = failed.next(any, {});
    failed.close(reason);
    await expect(waiting).rejects.toBe(reason);
  });

  test("a throwing accept rejects its own call; the message goes on to the others", async () => {
    const buffer = new MessageBuffer("orders");
    const boom = new Error("bad filter");
    const throwing = buffer.next(() => {
      throw boom;
    }, {});
    const other = buffer.next(any, {});
    buffer.push(message(1));
    await expect(throwing).rejects.toBe(boom);
    await expect(other).resolves.toEqual(message(1));
    buffer.push(message(2));
    await expect(
      buffer.next(() => {
        throw boom;
      }, {}),
    ).rejects.toBe(boom);
    expect(buffer.size).toBe(1);
  });
});

describe("abortable", () => {
  test("passes the promise's outcome through, or rejects with the abort reason first", async () => {
    await expect(abortable(Promise.resolve(1), undefined)).resolves.toBe(1);
    await expect(abortable(Promise.resolve(1), new AbortController().signal)).resolves.toBe(1);
    await expect(abortable(Promise.reject(new Error("x")), new AbortController().signal)).rejects.toThrow("x");
    const reason = new Error("stop");
    await expect(abortable(Promise.reject(new Error("late")), AbortSignal.abort(reason))).rejects.toBe(reason);
    const controller = new AbortController();
    const never = new Promise<never>(() => {});
    const pending = abortable(never, controller.signal);
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});

describe("payload coding", () => {
  test("encodes JSON text; no payload is the empty payload; JSON-less values are an error", () => {
    expect(encodePayload({ a: [1, "x"] })).toBe('{"a":[1,"x"]}');
    expect(encodePayload("text")).toBe('"text"');
    expect(encodePayload(null)).toBe("null");
    expect(encodePayload(undefined)).toBe("");
    expect(() => encodePayload(() => 1)).toThrow(TypeError);
  });

  test("decodes JSON if it parses, else the UTF-8 text; the empty payload is undefined", () => {
    const utf8 = (text: string) => new TextEncoder().encode(text);
    expect(decodePayload(utf8('{"order":{"id":7}}'))).toEqual({ order: { id: 7 } });
    expect(decodePayload(utf8("42"))).toBe(42);
    expect(decodePayload(utf8('"quoted"'))).toBe("quoted");
    expect(decodePayload(utf8("plain text, not JSON"))).toBe("plain text, not JSON");
    expect(decodePayload(utf8("{broken"))).toBe("{broken");
    expect(decodePayload(utf8("héllo ✓"))).toBe("héllo ✓");
    expect(decodePayload(new Uint8Array([0x61, 0xff, 0x62]))).toBe("a\uFFFDb");
    expect(decodePayload(new Uint8Array())).toBeUndefined();
    expect(decodePayload("[1,2]")).toEqual([1, 2]);
  });
});

describe("correlationMatches", () => {
  const received = message(
    { order: { id: 42, ref: "042", tags: ["x", "y"], "a/b": "slash", "m~n": "tilde", "~1": "literal", nothing: null, flag: true } },
    { orderRequestId: "r-7", "Trace-Id": "t-1" },
  );

  test("reads a header by name (exactly, else ignoring case) and compares as strings", () => {
    expect(correlationMatches(received, "$message.header#/orderRequestId", "r-7")).toBe(true);
    expect(correlationMatches(received, "$message.header#/orderRequestId", "r-8")).toBe(false);
    expect(correlationMatches(received, "$message.header#/orderrequestid", "r-7")).toBe(true);
    expect(correlationMatches(received, "$message.header#/trace-id", "t-1")).toBe(true);
    expect(correlationMatches(received, "$message.header#/missing", "r-7")).toBe(false);
    expect(correlationMatches(received, "$message.header#/orderRequestId/0", "r")).toBe(false);
  });

  test("reads the payload through a JSON Pointer, with RFC 6901 escapes", () => {
    expect(correlationMatches(received, "$message.payload#/order/id", 42)).toBe(true);
    expect(correlationMatches(received, "$message.payload#/order/a~1b", "slash")).toBe(true);
    expect(correlationMatches(received, "$message.payload#/order/m~0n", "tilde")).toBe(true);
    // `~01` is `~1` (unescaped left to right), not `/`.
    expect(correlationMatches(received, "$message.payload#/order/~01", "literal")).toBe(true);
    expect(correlationMatches(received, "$message.payload#/order/tags/1", "y")).toBe(true);
    expect(correlationMatches(received, "$message.payload#/order/tags/01", "y")).toBe(false);
    expect(parseMessageLocation("$message.payload#/a~1b/m~0n/")).toEqual({ source: "payload", pointer: ["a/b", "m~n", ""] });
  });

  test("numbers and strings match by their string forms", () => {
    expect(correlationMatches(received, "$message.payload#/order/id", "42")).toBe(true);
    expect(correlationMatches(received, "$message.payload#/order/ref", 42)).toBe(false); // "042" is not "42"
    expect(correlationMatches(received, "$message.payload#/order/ref", "042")).toBe(true);
    expect(correlationMatches(received, "$message.payload#/order/flag", "true")).toBe(true);
    expect(correlationMatches(message({ n: 1.5 }), "$message.payload#/n", "1.5")).toBe(true);
    expect(correlationMatches(received, "$message.payload#/order/tags", ["x", "y"])).toBe(true);
  });

  test("an absent value on either side never matches", () => {
    expect(correlationMatches(received, "$message.payload#/order/missing", undefined)).toBe(false);
    expect(correlationMatches(received, "$message.payload#/order/nothing", null)).toBe(false);
    expect(correlationMatches(received, "$message.payload#/order/id", undefined)).toBe(false);
    expect(correlationMatches(received, "$message.payload#/order/missing", "undefined")).toBe(false);
    // Own properties only: every object inherits `toString`.
    expect(readMessageLocation(received, "$message.payload#/order/toString")).toBeUndefined();
    expect(correlationMatches(message("text"), "$message.payload#/length", 4)).toBe(false);
  });

  test("without a fragment it reads the whole payload or header set", () => {
    expect(correlationMatches(message("abc"), "$message.payload", "abc")).toBe(true);
    expect(readMessageLocation(received, "$message.header")).toEqual(received.headers);
    expect(readMessageLocation(received, parseMessageLocation("$message.payload#"))).toEqual(received.payload);
  });

  test("rejects what is not a message location", () => {
    for (const bad of ["$message.body#/id", "$message.payload#id", "$message.payload#/~2", "$message.payload#/a~", "$request.header#/id", "message.payload"]) {
      expect(() => correlationMatches(received, bad, "x"), bad).toThrow(SyntaxError);
    }
  });
});

interface Deferred {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
}

/** A promise with its resolve function outside. */
function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Whether `promise` has settled, after letting pending callbacks run. */
async function hasSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await sleep(5);
  return settled;
}

describe("adapters, with scripted clients (the orderings a real broker rarely shows)", () => {
  test("NATS: subscribe resolves only after the flush; an abort while flushing unsubscribes", async () => {
    const flushes: Deferred[] = [];
    const unsubscribe = vi.fn();
    const connection: NatsConnectionLike = {
      publish: vi.fn(),
      subscribe: () => ({ unsubscribe }),
      flush: () => {
        flushes.push(deferred());
        return flushes.at(-1)!.promise;
      },
    };
    const transport = createNatsTransport(connection, { headers: () => ({ keys: () => [], get: () => "", set: vi.fn() }) });
    const subscribed = transport.subscribe("orders");
    expect(await hasSettled(subscribed)).toBe(false);
    flushes[0]!.resolve();
    const subscription = await subscribed;
    await subscription.close();
    await subscription.close();
    expect(unsubscribe).toHaveBeenCalledTimes(1);

    const controller = new AbortController();
    const reason = new Error("run cancelled");
    const aborted = transport.subscribe("orders", { signal: controller.signal });
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    expect(unsubscribe).toHaveBeenCalledTimes(2);
  });

  test("MQTT: subscribe waits for the SUBACK; the UNSUBSCRIBE follows the last close; a new SUBSCRIBE waits for the UNSUBACK", async () => {
    const calls: string[] = [];
    const subacks: Deferred[] = [];
    const unsubacks: Deferred[] = [];
    const listeners = new Set<MqttMessageListener>();
    const client: MqttClientLike = {
      options: { protocolVersion: 5 },
      publishAsync: async () => undefined,
      subscribeAsync: (topic) => {
        calls.push(`subscribe ${topic}`);
        subacks.push(deferred());
        return subacks.at(-1)!.promise;
      },
      unsubscribeAsync: (topic) => {
        calls.push(`unsubscribe ${topic}`);
        unsubacks.push(deferred());
        return unsubacks.at(-1)!.promise;
      },
      on: (_event, listener) => listeners.add(listener),
      removeListener: (_event, listener) => listeners.delete(listener),
    };
    const transport = createMqttTransport(client);
    const first = transport.subscribe("orders");
    const second = transport.subscribe("orders");
    await sleep(5);
    expect(calls).toEqual(["subscribe orders"]); // one broker subscription for both
    expect(await hasSettled(first)).toBe(false);
    // A message delivered before the SUBACK is kept.
    for (const listener of listeners) listener("orders", new TextEncoder().encode('{"early":1}'), {});
    subacks[0]!.resolve();
    const [a, b] = await Promise.all([first, second]);
    expect(await a.next(any, { timeoutMs: 0 })).toEqual(message({ early: 1 }));
    expect(await b.next(any, { timeoutMs: 0 })).toEqual(message({ early: 1 }));
    await a.close();
    expect(calls).toEqual(["subscribe orders"]);
    await b.close();
    expect(calls).toEqual(["subscribe orders", "unsubscribe orders"]);
    expect(listeners.size).toBe(0);

    const third = transport.subscribe("orders");
    await sleep(5);
    expect(calls).toEqual(["subscribe orders", "unsubscribe orders"]); // still waiting for the UNSUBACK
    unsubacks[0]!.resolve();
    await sleep(5);
    expect(calls).toEqual(["subscribe orders", "unsubscribe orders", "subscribe orders"]);
    subacks[1]!.resolve();
    await (await third).close();

    // Aborted while waiting for the SUBACK: rejects at once, unsubscribes once the SUBACK is in.
    const controller = new AbortController();
    const reason = new Error("run cancelled");
    unsubacks[1]!.resolve();
    await sleep(5);
    const aborted = transport.subscribe("orders", { signal: controller.signal });
    await sleep(5);
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    expect(calls.at(-1)).toBe("subscribe orders");
    subacks[2]!.resolve();
    await sleep(5);
    expect(calls.at(-1)).toBe("unsubscribe orders");
  });
});

describe("broker helpers", () => {
  for (const [name, start] of [
    ["mosquitto", startMosquitto],
    ["nats-server", startNats],
  ] as const) {
    const installed = brokerBinary(name) !== undefined;
    const title = `${name}: stop kills the process, closes the port and removes the directory`;
    test.skipIf(!installed && !process.env.CI)(installed ? title : `${title} — ${missing(name)}`, async () => {
      if (!installed) throw new Error(`CI is set, so the broker is required: ${missing(name)}`);
      const broker = await start();
      expect(isRunning(broker.pid)).toBe(true);
      expect(existsSync(broker.dir)).toBe(true);
      await broker.stop();
      await broker.stop();
      expect(isRunning(broker.pid)).toBe(false);
      expect(existsSync(broker.dir)).toBe(false);
      const refused = await new Promise<boolean>((resolve) => {
        const socket = net.connect({ port: broker.port, host: "127.0.0.1" });
        socket.once("connect", () => {
          socket.destroy();
          resolve(false);
        });
        socket.once("error", () => resolve(true));
      });
      expect(refused).toBe(true);
    });
  }
});

/** A connected client as a transport, and a way to publish raw bytes past the transport. */
interface Connected {
  readonly transport: MessageTransport;
  /** A channel address no other test uses. */
  channel(): string;
  /** Publishes `text` as is from a second connection (another service), resolving once the broker has it. */
  publishRaw(channel: string, text: string): Promise<void>;
  close(): Promise<void>;
}

/** The tests every transport passes, against a broker started once for the suite. */
function transportSuite(
  title: string,
  binary: BrokerName,
  start: () => Promise<Broker>,
  open: (url: string) => Promise<Connected>,
  extra?: (get: () => Connected, url: () => string) => void,
) {
  const installed = brokerBinary(binary) !== undefined;
  const why = missing(binary);
  describe.skipIf(!installed && !process.env.CI)(installed ? title : `${title} — ${why}`, () => {
    let broker: Broker | undefined;
    let connected: Connected | undefined;
    const get = () => connected!;

    beforeAll(async () => {
      if (!installed) throw new Error(`CI is set, so the broker is required: ${why}`);
      broker = await start();
      connected = await open(broker.url);
    });

    afterAll(async () => {
      try {
        await connected?.close();
      } finally {
        await broker?.stop();
      }
      if (broker) expect(isRunning(broker.pid), "broker process left behind").toBe(false);
    });

    test("send → receive: payload and headers round-trip", async () => {
      const { transport } = get();
      const channel = get().channel();
      const subscription = await transport.subscribe(channel);
      const sent = message({ order: { id: 7, items: ["a", "b"] }, note: "héllo" }, { orderRequestId: "r-1", "x-kind": "test" });
      await transport.send(channel, sent);
      expect(await subscription.next(any, { timeoutMs: 5000 })).toEqual(sent);
      await transport.send(channel, message("just text"));
      expect(await subscription.next(any, { timeoutMs: 5000 })).toEqual(message("just text"));
      await transport.send(channel, message(undefined));
      expect(await subscription.next(any, { timeoutMs: 5000 })).toEqual(message(undefined));
      await subscription.close();
    });

    test("another client's message published right after subscribe resolves arrives; JSON if it parses, else the text", async () => {
      const { transport, publishRaw } = get();
      const channel = get().channel();
      const subscription = await transport.subscribe(channel);
      // No wait: subscribe resolved, so the broker already has the subscription.
      await publishRaw(channel, "not { json");
      await publishRaw(channel, "[1,2]");
      expect(await subscription.next(any, { timeoutMs: 5000 })).toEqual(message("not { json"));
      expect(await subscription.next(any, { timeoutMs: 5000 })).toEqual(message([1, 2]));
      await subscription.close();
    });

    test("a message published after subscribe but before next is buffered", async () => {
      const { transport } = get();
      const channel = get().channel();
      const subscription = await transport.subscribe(channel);
      const sentinel = await transport.subscribe(channel);
      await transport.send(channel, message({ early: true }));
      // Once another subscription to the channel has it, so has ours (give NATS a moment for its own copy).
      await sentinel.next(any, { timeoutMs: 5000 });
      await sleep(50);
      // timeoutMs 0: only a message already buffered can satisfy this call.
      expect(await subscription.next(any, { timeoutMs: 0 })).toEqual(message({ early: true }));
      await Promise.all([subscription.close(), sentinel.close()]);
    });

    test("accept filters by correlation id; the other message stays for a later next", async () => {
      const { transport } = get();
      const channel = get().channel();
      const subscription = await transport.subscribe(channel);
      const a = message({ order: { id: 1 } }, { orderRequestId: "a" });
      const b = message({ order: { id: 2 } }, { orderRequestId: "b" });
      // Waiting first: `a` arrives, is declined and kept, `b` is taken.
      const wantsB = subscription.next((m) => correlationMatches(m, "$message.header#/orderRequestId", "b"), { timeoutMs: 5000 });
      await transport.send(channel, a);
      await transport.send(channel, b);
      expect(await wantsB).toEqual(b);
      expect(await subscription.next(any, { timeoutMs: 5000 })).toEqual(a);
      // Both buffered first, matched on the payload this time.
      await transport.send(channel, a);
      await transport.send(channel, b);
      expect(await subscription.next((m) => correlationMatches(m, "$message.payload#/order/id", 2), { timeoutMs: 5000 })).toEqual(b);
      expect(await subscription.next((m) => correlationMatches(m, "$message.payload#/order/id", "1"), { timeoutMs: 5000 })).toEqual(a);
      await subscription.close();
    });

    test("next rejects with a MessageTimeoutError after about timeoutMs", async () => {
      const { transport } = get();
      const channel = get().channel();
      const subscription = await transport.subscribe(channel);
      await transport.send(channel, message("unwanted"));
      const started = performance.now();
      const error = await rejection(subscription.next((m) => m.payload === "wanted", { timeoutMs: 300 }));
      const elapsed = performance.now() - started;
      expect(error).toBeInstanceOf(MessageTimeoutError);
      expect(error).toMatchObject({ channel, timeoutMs: 300 });
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(1500);
      await subscription.close();
    });

    test("an abort rejects next, subscribe and send with the signal's reason", async () => {
      const { transport } = get();
      const channel = get().channel();
      const subscription = await transport.subscribe(channel);
      const controller = new AbortController();
      const reason = new Error("run cancelled");
      const pending = subscription.next(any, { signal: controller.signal, timeoutMs: 10_000 });
      setTimeout(() => controller.abort(reason), 20);
      await expect(pending).rejects.toBe(reason);
      await expect(transport.subscribe(get().channel(), { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
      await expect(transport.send(channel, message(1), { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
      // The subscription still works after an aborted wait.
      await transport.send(channel, message(2));
      expect(await subscription.next(any, { timeoutMs: 5000 })).toEqual(message(2));
      await subscription.close();
    });

    test("close rejects pending next calls and later ones; it is idempotent", async () => {
      const { transport } = get();
      const channel = get().channel();
      const subscription = await transport.subscribe(channel);
      const pending = subscription.next(any, { timeoutMs: 10_000 });
      await subscription.close();
      await expect(pending).rejects.toBeInstanceOf(SubscriptionClosedError);
      await subscription.close();
      await expect(subscription.next(any, { timeoutMs: 100 })).rejects.toBeInstanceOf(SubscriptionClosedError);
    });

    test("closing one subscription leaves another on the same channel working; a new one after close works", async () => {
      const { transport } = get();
      const channel = get().channel();
      const first = await transport.subscribe(channel);
      const second = await transport.subscribe(channel);
      await first.close();
      await transport.send(channel, message("to second"));
      expect(await second.next(any, { timeoutMs: 5000 })).toEqual(message("to second"));
      await second.close();
      // Right after the last close: the new subscribe must not be undone by the old unsubscribe.
      const third = await transport.subscribe(channel);
      await transport.send(channel, message("to third"));
      expect(await third.next(any, { timeoutMs: 5000 })).toEqual(message("to third"));
      await third.close();
    });

    extra?.(get, () => broker!.url);
  });
}

let channels = 0;

transportSuite(
  "MQTT transport (Mosquitto, mqtt.js)",
  "mosquitto",
  startMosquitto,
  async (url) => {
    const client = await connectMqtt(url, { protocolVersion: 5, reconnectPeriod: 0 });
    const other = await connectMqtt(url, { protocolVersion: 5, reconnectPeriod: 0 });
    return {
      transport: createMqttTransport(client),
      channel: () => `arazzo-test/orders/${++channels}`,
      publishRaw: async (channel, text) => {
        await other.publishAsync(channel, text, { qos: 1 });
      },
      close: async () => {
        await Promise.all([client.endAsync(), other.endAsync()]);
      },
    };
  },
  (get, url) => {
    test("headers need MQTT 5: a 3.1.1 client refuses to send them, and sends the rest", async () => {
      const v4 = await connectMqtt(url(), { protocolVersion: 4, reconnectPeriod: 0 });
      try {
        const transport = createMqttTransport(v4, { qos: 0 });
        const channel = get().channel();
        const subscription = await transport.subscribe(channel);
        await expect(transport.send(channel, message(1, { id: "x" }))).rejects.toThrow(/protocolVersion: 5/);
        await transport.send(channel, message(2));
        expect(await subscription.next(any, { timeoutMs: 5000 })).toEqual(message(2));
        await subscription.close();
      } finally {
        await v4.endAsync();
      }
    });

    test("one message listener per transport, removed when its last subscription closes", async () => {
      const client = await connectMqtt(url(), { protocolVersion: 5, reconnectPeriod: 0 });
      try {
        const before = client.listenerCount("message");
        const transport = createMqttTransport(client);
        const subscriptions = await Promise.all([get().channel(), get().channel(), get().channel()].map((c) => transport.subscribe(c)));
        expect(client.listenerCount("message")).toBe(before + 1);
        await Promise.all(subscriptions.map((s) => s.close()));
        expect(client.listenerCount("message")).toBe(before);
      } finally {
        await client.endAsync();
      }
    });

    test("a failed subscribe rejects and leaves nothing behind", async () => {
      // `#` must be the last level: MQTT.js refuses the topic before it reaches the broker.
      const client = await connectMqtt(url(), { protocolVersion: 5, reconnectPeriod: 0 });
      try {
        const transport = createMqttTransport(client);
        await expect(transport.subscribe("bad/#/topic")).rejects.toThrow(/Invalid topic/);
        expect(client.listenerCount("message")).toBe(0);
        await expect(transport.subscribe("bad/#/topic")).rejects.toThrow(/Invalid topic/);
      } finally {
        await client.endAsync();
      }
    });
  },
);

transportSuite("NATS transport (nats-server, @nats-io/transport-node)", "nats-server", startNats, async (url) => {
  const connection = await connectNats({ servers: url, reconnect: false });
  const other = await connectNats({ servers: url, reconnect: false });
  return {
    transport: createNatsTransport(connection, { headers: natsHeaders }),
    channel: () => `arazzo-test.orders.${++channels}`,
    publishRaw: async (channel, text) => {
      other.publish(channel, text);
      await other.flush();
    },
    close: async () => {
      await Promise.all([connection.close(), other.close()]);
    },
  };
});
