/**
 * Runtime support for AsyncAPI steps (Arazzo 1.1): a step `send`s a message to a channel
 * or `receive`s the first fitting message on one within a timeout. Generated code talks to
 * brokers only through `MessageTransport`, which users pass in the run options, so they
 * bring their own broker client (adapters: `createMqttTransport`, `createNatsTransport`).
 * This module also holds what every adapter shares: payload coding, the bounded message
 * buffer behind `MessageSubscription.next`, and correlation id matching (and `abortable`, from
 * `runtime.ts`, which every package ships). It uses no host-specific API.
 */
export { abortable } from "./runtime.js";

/** A message as a step sends or receives it, whatever the protocol. */
export interface AsyncMessage {
  /** The decoded payload (see `decodePayload`). */
  readonly payload: unknown;
  /** Protocol headers: MQTT 5 user properties, NATS headers. */
  readonly headers: Readonly<Record<string, string>>;
}

/** A connection to a broker, as generated workflows use it. */
export interface MessageTransport {
  /** Publishes `message` (payload JSON-encoded, headers as the protocol carries them) to `channel` (the AsyncAPI channel address). */
  send(channel: string, message: AsyncMessage, options?: { readonly signal?: AbortSignal }): Promise<void>;
  /** Subscribes to `channel`; resolves once the broker has the subscription, so no message published after it is missed. */
  subscribe(channel: string, options?: { readonly signal?: AbortSignal }): Promise<MessageSubscription>;
}

/** Options of `MessageSubscription.next`. */
export interface NextOptions {
  /** Longest wait in milliseconds; absent waits until the subscription closes or `signal` aborts. `0` takes only an already buffered message. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** A live subscription to one channel. */
export interface MessageSubscription {
  /**
   * The first message received since subscribe (buffered) or later that `accept` takes
   * (messages it rejects stay buffered for other calls); rejects with a `MessageTimeoutError`
   * after `timeoutMs`, or with the signal's reason when aborted.
   */
  next(accept: (message: AsyncMessage) => boolean, options: NextOptions): Promise<AsyncMessage>;
  /** Unsubscribes; pending `next` calls reject. Idempotent. */
  close(): Promise<void>;
}

/** No message that the step accepts arrived on `channel` within `timeoutMs`. */
export class MessageTimeoutError extends Error {
  readonly channel: string;
  readonly timeoutMs: number;

  constructor(channel: string, timeoutMs: number) {
    super(`no message on channel \`${channel}\` within ${timeoutMs} ms`);
    this.name = "MessageTimeoutError";
    this.channel = channel;
    this.timeoutMs = timeoutMs;
  }
}

/** `next` was called on, or was waiting when, the subscription closed. */
export class SubscriptionClosedError extends Error {
  readonly channel: string;

  constructor(channel: string) {
    super(`subscription to channel \`${channel}\` is closed`);
    this.name = "SubscriptionClosedError";
    this.channel = channel;
  }
}

/** How many messages a `MessageBuffer` keeps by default before it drops the oldest. */
export const DEFAULT_BUFFER_CAPACITY = 1000;

/** Longest delay `setTimeout` honours (2^31 - 1 ms, about 24.8 days); a longer one would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

interface Waiter {
  readonly accept: (message: AsyncMessage) => boolean;
  readonly resolve: (message: AsyncMessage) => void;
  readonly reject: (reason: unknown) => void;
}

/**
 * The messages of one subscription, for adapters: the broker client `push`es each message
 * it receives, `next` hands them out. Messages no pending `next` takes are kept, oldest
 * first, up to `capacity`; beyond that the oldest is dropped (counted in `dropped`), so a
 * chatty channel nobody reads cannot grow memory without limit. Pending `next` calls are
 * offered a new message in the order they were made; the first whose `accept` takes it
 * gets it.
 */
export class MessageBuffer {
  /** The channel address, for error messages. */
  readonly channel: string;
  readonly capacity: number;
  readonly #messages: AsyncMessage[] = [];
  readonly #waiters = new Set<Waiter>();
  #closedWith: { readonly reason: unknown } | undefined;
  #dropped = 0;

  constructor(channel: string, options: { readonly capacity?: number } = {}) {
    const capacity = options.capacity ?? DEFAULT_BUFFER_CAPACITY;
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`buffer capacity must be a positive integer, not ${capacity}`);
    this.channel = channel;
    this.capacity = capacity;
  }

  /** Messages dropped because the buffer was full. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Messages waiting to be taken. */
  get size(): number {
    return this.#messages.length;
  }

  get closed(): boolean {
    return this.#closedWith !== undefined;
  }

  /** Hands `message` to the first pending `next` that accepts it, else keeps it. Ignored once closed. */
  push(message: AsyncMessage): void {
    if (this.#closedWith) return;
    for (const waiter of this.#waiters) {
      let taken: boolean;
      try {
        taken = waiter.accept(message);
      } catch (error) {
        waiter.reject(error); // A throwing filter fails its own `next`; the message goes on to the others.
        continue;
      }
      if (taken) {
        waiter.resolve(message);
        return;
      }
    }
    if (this.#messages.length >= this.capacity) {
      this.#messages.shift();
      this.#dropped++;
    }
    this.#messages.push(message);
  }

  /** See `MessageSubscription.next`. A throwing `accept` rejects this call with what it threw. */
  next(accept: (message: AsyncMessage) => boolean, options: NextOptions = {}): Promise<AsyncMessage> {
    const { timeoutMs, signal } = options;
    return new Promise<AsyncMessage>((resolve, reject) => {
      if (timeoutMs !== undefined && !(timeoutMs >= 0)) throw new RangeError(`timeoutMs must be a number >= 0, not ${timeoutMs}`);
      if (this.#closedWith) throw this.#closedWith.reason;
      signal?.throwIfAborted();
      const index = this.#messages.findIndex((message) => accept(message));
      if (index >= 0) return resolve(this.#messages.splice(index, 1)[0]!);
      if (timeoutMs === 0) throw new MessageTimeoutError(this.channel, timeoutMs);

      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () => waiter.reject(signal!.reason);
      const settle = () => {
        this.#waiters.delete(waiter);
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      const waiter: Waiter = {
        accept,
        resolve(message) {
          settle();
          resolve(message);
        },
        reject(reason) {
          settle();
          reject(reason);
        },
      };
      this.#waiters.add(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
      // Beyond what a timer can hold, the wait is as good as unlimited.
      if (timeoutMs !== undefined && timeoutMs <= MAX_TIMER_MS) {
        timer = setTimeout(() => waiter.reject(new MessageTimeoutError(this.channel, timeoutMs)), timeoutMs);
      }
    });
  }

  /** Drops the kept messages and rejects pending `next` calls (and later ones) with `reason`, by default a `SubscriptionClosedError`. Idempotent. */
  close(reason: unknown = new SubscriptionClosedError(this.channel)): void {
    if (this.#closedWith) return;
    this.#closedWith = { reason };
    this.#messages.length = 0;
    for (const waiter of [...this.#waiters]) waiter.reject(reason);
  }
}

/**
 * A payload as the wire carries it: JSON text. `undefined` (no payload) is the empty
 * payload; a value JSON cannot represent (a function, a symbol) is an error.
 */
export function encodePayload(payload: unknown): string {
  if (payload === undefined) return "";
  const text = JSON.stringify(payload);
  if (text === undefined) throw new TypeError(`a ${typeof payload} cannot be sent as a message payload`);
  return text;
}

const utf8 = new TextDecoder("utf-8");

/**
 * A payload as received: the JSON value if its text (UTF-8, invalid sequences replaced
 * by U+FFFD) parses as JSON, else the text itself; the empty payload is `undefined`. So
 * text that happens to be JSON (`42`, `true`, `"quoted"`) comes back as that JSON value,
 * and binary payloads are not supported.
 */
export function decodePayload(data: Uint8Array | string): unknown {
  const text = typeof data === "string" ? data : utf8.decode(data);
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A parsed AsyncAPI runtime expression for a place in a message (`$message.header#/id`). */
export interface MessageLocation {
  readonly source: "header" | "payload";
  /** The JSON Pointer after `#`, split and unescaped; empty for the whole headers or payload. */
  readonly pointer: readonly string[];
}

/**
 * Parses an AsyncAPI correlation id `location` (AsyncAPI 3.0 §"Runtime Expression"):
 * `$message.header` or `$message.payload`, optionally followed by `#` and a JSON Pointer
 * (RFC 6901: `~1` is `/`, `~0` is `~`). Throws a `SyntaxError` for anything else.
 */
export function parseMessageLocation(location: string): MessageLocation {
  const match = /^\$message\.(header|payload)(?:#(.*))?$/s.exec(location);
  const pointer = match?.[2] ?? "";
  if (!match || (pointer !== "" && !pointer.startsWith("/")) || /~(?![01])/.test(pointer)) {
    throw new SyntaxError(`not a message location (\`$message.header#/…\` or \`$message.payload#/…\`): \`${location}\``);
  }
  const tokens =
    pointer === ""
      ? []
      : pointer
          .slice(1)
          .split("/")
          .map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"));
  return { source: match[1] as "header" | "payload", pointer: tokens };
}

/** The value at `location` in `message`, `undefined` where it leads nowhere. A header name is matched exactly, else ignoring case. */
export function readMessageLocation(message: AsyncMessage, location: string | MessageLocation): unknown {
  const { source, pointer } = typeof location === "string" ? parseMessageLocation(location) : location;
  if (source === "payload") return readPointer(message.payload, pointer);
  const [name, ...rest] = pointer;
  if (name === undefined) return message.headers;
  const headers = message.headers;
  const key = Object.hasOwn(headers, name) ? name : Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : readPointer(headers[key], rest);
}

/**
 * Whether the correlation id at `location` in `message` (see `parseMessageLocation`) is
 * `expected`. Both sides are compared as strings, so the number `42` matches the header
 * `"42"`; objects and arrays compare as their JSON. An absent value (`undefined`, or
 * `null`) on either side never matches.
 */
export function correlationMatches(message: AsyncMessage, location: string | MessageLocation, expected: unknown): boolean {
  const actual = stringForm(readMessageLocation(message, location));
  return actual !== undefined && actual === stringForm(expected);
}

function stringForm(value: unknown): string | undefined {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
    case "boolean":
    case "bigint":
      return String(value);
    case "object":
      return value === null ? undefined : JSON.stringify(value);
    default:
      return undefined;
  }
}

/** Follows split JSON Pointer tokens through a JSON value, own properties only; array indices must be canonical (`0`, `12`). */
function readPointer(value: unknown, pointer: readonly string[]): unknown {
  let current = value;
  for (const token of pointer) {
    if (Array.isArray(current)) {
      current = /^(0|[1-9]\d*)$/.test(token) ? current[Number(token)] : undefined;
    } else if (current !== null && typeof current === "object" && Object.hasOwn(current, token)) {
      current = (current as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return current;
}
