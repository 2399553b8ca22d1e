/**
 * A `MessageTransport` over a client of the `mqtt` npm package (MQTT.js 5), which the
 * user creates and connects. Nothing here imports `mqtt`: the client is described by the
 * few members the transport calls, so a generated package does not depend on it.
 */
import { abortable, decodePayload, encodePayload, MessageBuffer, type AsyncMessage, type MessageSubscription, type MessageTransport } from "./async.js";

/** MQTT quality of service: at most once, at least once, exactly once. */
export type MqttQos = 0 | 1 | 2;

/** The MQTT 5 properties of a received PUBLISH packet that the transport reads. */
export interface MqttPublishPacketLike {
  readonly properties?: { readonly userProperties?: Readonly<Record<string, string | string[]>> };
}

/** A `message` event listener of an MQTT.js client. */
export type MqttMessageListener = (topic: string, payload: Uint8Array, packet: MqttPublishPacketLike) => void;

/** The PUBLISH options the transport passes. */
export interface MqttPublishOptionsLike {
  readonly qos?: MqttQos;
  readonly properties?: { readonly contentType?: string; readonly userProperties?: Record<string, string> };
}

/** What the transport uses of an MQTT.js `MqttClient` (`await mqtt.connectAsync(url, { protocolVersion: 5 })`). */
export interface MqttClientLike {
  /** The connect options: headers need `protocolVersion: 5`. */
  readonly options?: { readonly protocolVersion?: number };
  publishAsync(topic: string, message: string, options?: MqttPublishOptionsLike): Promise<unknown>;
  subscribeAsync(topic: string, options?: { qos: MqttQos }): Promise<unknown>;
  unsubscribeAsync(topic: string): Promise<unknown>;
  on(event: "message", listener: MqttMessageListener): unknown;
  removeListener(event: "message", listener: MqttMessageListener): unknown;
}

/** One topic the transport is subscribed to, shared by all its open subscriptions to that topic. */
interface Topic {
  readonly buffers: Set<MessageBuffer>;
  /** Settles with the SUBACK. */
  readonly ready: Promise<void>;
}

/**
 * A transport over a connected MQTT.js client. The channel address is the MQTT topic.
 *
 * - Payloads are JSON text (content type `application/json`); headers travel as MQTT 5
 *   user properties, so sending headers needs a client connected with `protocolVersion: 5`
 *   (it fails otherwise rather than drop them). A received property given more than once
 *   yields its first value.
 * - `qos` (default 1) is used to publish and to subscribe; with QoS 1 or 2, `send`
 *   resolves when the broker acknowledges the message.
 * - Topics are matched exactly: a channel address with the wildcards `+` or `#` subscribes,
 *   but the messages it brings are not delivered.
 * - Subscriptions of this transport to the same topic share one broker subscription, which
 *   ends when the last of them closes. Do not subscribe to those topics with the same client
 *   outside this transport (nor through a second transport): closing would end those too.
 * - `close` does not wait for the broker: the subscription stops delivering at once, and
 *   the UNSUBSCRIBE goes out in the background (a later subscribe to the topic waits for it).
 * - An aborted `send` or `subscribe` rejects at once, but a PUBLISH already handed to the
 *   client still goes out.
 */
export function createMqttTransport(client: MqttClientLike, options: { readonly qos?: MqttQos } = {}): MessageTransport {
  const qos = options.qos ?? 1;
  const topics = new Map<string, Topic>();
  const unsubscribing = new Map<string, Promise<void>>();

  // One listener for the whole transport, attached while it has a subscription.
  const onMessage: MqttMessageListener = (topic, payload, packet) => {
    const state = topics.get(topic);
    if (!state) return;
    const message: AsyncMessage = { payload: decodePayload(payload), headers: headersOf(packet) };
    for (const buffer of state.buffers) buffer.push(message);
  };

  function release(channel: string, state: Topic, buffer: MessageBuffer): void {
    buffer.close();
    if (!state.buffers.delete(buffer) || state.buffers.size > 0) return;
    if (topics.get(channel) === state) {
      topics.delete(channel);
      if (topics.size === 0) client.removeListener("message", onMessage);
    }
    // After the SUBACK (a refused subscribe needs no undoing). A failure is not reported:
    // the subscription is gone for this transport either way.
    const done = state.ready.then(() => client.unsubscribeAsync(channel).then(ignore, ignore), ignore);
    unsubscribing.set(channel, done);
    void done.then(() => {
      if (unsubscribing.get(channel) === done) unsubscribing.delete(channel);
    });
  }

  return {
    async send(channel, message, sendOptions) {
      const signal = sendOptions?.signal;
      signal?.throwIfAborted();
      const headers = Object.keys(message.headers).length > 0 ? { ...message.headers } : undefined;
      if (headers && client.options?.protocolVersion !== 5) {
        throw new Error(`MQTT channel \`${channel}\`: headers need MQTT 5 user properties; connect the client with \`protocolVersion: 5\``);
      }
      const payload = encodePayload(message.payload);
      const properties = {
        ...(payload === "" ? {} : { contentType: "application/json" }),
        ...(headers ? { userProperties: headers } : {}),
      };
      await abortable(client.publishAsync(channel, payload, { qos, properties }), signal);
    },

    async subscribe(channel, subscribeOptions): Promise<MessageSubscription> {
      const signal = subscribeOptions?.signal;
      signal?.throwIfAborted();
      let state = topics.get(channel);
      if (!state) {
        // After any UNSUBSCRIBE of the topic still in flight, or the broker would apply it last.
        const previous = unsubscribing.get(channel) ?? Promise.resolve();
        state = { buffers: new Set(), ready: previous.then(() => client.subscribeAsync(channel, { qos })).then(ignore) };
        if (topics.size === 0) client.on("message", onMessage);
        topics.set(channel, state);
      }
      // Added before the SUBACK: whatever the broker delivers from then on is kept.
      const buffer = new MessageBuffer(channel);
      state.buffers.add(buffer);
      const topic = state;
      try {
        await abortable(topic.ready, signal);
      } catch (error) {
        release(channel, topic, buffer);
        throw error;
      }
      return {
        next: (accept, nextOptions) => buffer.next(accept, nextOptions),
        close: async () => release(channel, topic, buffer),
      };
    },
  };
}

/** User properties as headers; `Object.fromEntries` makes even a `__proto__` property an own field. */
function headersOf(packet: MqttPublishPacketLike): Record<string, string> {
  return Object.fromEntries(
    Object.entries(packet.properties?.userProperties ?? {}).flatMap(([name, value]) => {
      const first = Array.isArray(value) ? value[0] : value;
      return first === undefined ? [] : [[name, first]];
    }),
  );
}

function ignore(): void {}
