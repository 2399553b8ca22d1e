/**
 * A `MessageTransport` over a NATS connection of `@nats-io/transport-node` (or any
 * nats.js 3 transport), which the user creates and connects. Nothing here imports the
 * NATS client: the connection is described by the few members the transport calls, so a
 * generated package does not depend on it.
 */
import { abortable, decodePayload, encodePayload, MessageBuffer, type AsyncMessage, type MessageSubscription, type MessageTransport } from "./async.js";

/** What the transport uses of nats.js `MsgHdrs` (NATS 2.2+ message headers). */
export interface NatsHeadersLike {
  keys(): string[];
  /** The first value of header `key` (exact name), `""` when absent. */
  get(key: string): string;
  set(key: string, value: string): void;
}

/** What the transport reads of a received nats.js `Msg`. */
export interface NatsMessageLike {
  readonly data: Uint8Array;
  readonly headers?: NatsHeadersLike;
}

/** What the transport uses of a nats.js `Subscription`. */
export interface NatsSubscriptionLike {
  unsubscribe(): void;
}

/** What the transport uses of a nats.js `NatsConnection` (`await connect({ servers })`). */
export interface NatsConnectionLike {
  publish(subject: string, payload?: string, options?: { headers?: NatsHeadersLike }): void;
  subscribe(subject: string, options?: { callback?: (error: Error | null, message: NatsMessageLike) => void }): NatsSubscriptionLike;
  /** Resolves once the server has answered a PING sent after everything before it. */
  flush(): Promise<void>;
}

/** Makes message headers: pass `{ headers }` imported from `@nats-io/transport-node`. */
export interface NatsCodec {
  headers(): NatsHeadersLike;
}

/**
 * A transport over a connected nats.js connection. The channel address is the NATS subject
 * (wildcards `*` and `>` work in subscriptions).
 *
 * - Payloads are JSON text; headers travel as NATS headers (a header given more than once
 *   yields its first value).
 * - `send` resolves once the client has queued the message: core NATS has no broker
 *   acknowledgement (at most once).
 * - Each `subscribe` is its own NATS subscription, flushed so the server has it before it
 *   resolves; `close` unsubscribes.
 * - A subscription the server refuses (a permissions violation) rejects pending and later
 *   `next` calls with the client's error.
 */
export function createNatsTransport(connection: NatsConnectionLike, codec: NatsCodec): MessageTransport {
  return {
    async send(channel, message, options) {
      options?.signal?.throwIfAborted();
      const names = Object.keys(message.headers);
      let headers: NatsHeadersLike | undefined;
      if (names.length > 0) {
        headers = codec.headers();
        for (const name of names) headers.set(name, message.headers[name]!);
      }
      connection.publish(channel, encodePayload(message.payload), headers ? { headers } : undefined);
    },

    async subscribe(channel, options): Promise<MessageSubscription> {
      const signal = options?.signal;
      signal?.throwIfAborted();
      const buffer = new MessageBuffer(channel);
      const subscription = connection.subscribe(channel, {
        callback: (error, message) => (error ? buffer.close(error) : buffer.push(toMessage(message))),
      });
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        buffer.close();
        try {
          subscription.unsubscribe();
        } catch {
          // The connection is closed: so is the subscription.
        }
      };
      try {
        await abortable(connection.flush(), signal);
      } catch (error) {
        close();
        throw error;
      }
      return {
        next: (accept, nextOptions) => buffer.next(accept, nextOptions),
        close: async () => close(),
      };
    },
  };
}

function toMessage(message: NatsMessageLike): AsyncMessage {
  const headers = message.headers;
  // `Object.fromEntries` makes even a `__proto__` header an own field.
  return {
    payload: decodePayload(message.data),
    headers: headers ? Object.fromEntries(headers.keys().map((name) => [name, headers.get(name)])) : {},
  };
}
