/**
 * What generated workflows with AsyncAPI steps (Arazzo 1.1 `action: send | receive`) run
 * on: sending a message through the transport the caller passes in `options.transports`, and
 * receiving one on a channel the run subscribed to when it started (so a reply that comes
 * quickly after a send is not missed). A step's failure is an `ArazzoStepError`: reason
 * `request` when the transport fails, `timeout` when no matching message came in time.
 */
import { correlationMatches, MessageTimeoutError, type AsyncMessage, type MessageSubscription, type MessageTransport } from "./async.js";
import { ArazzoStepError, type StepContext } from "./runtime.js";

export type { AsyncMessage, MessageTransport } from "./async.js";

/** A header of a message, its name matched exactly first, then without regard to case. */
export function messageHeader(message: AsyncMessage, name: string): string | undefined {
  if (Object.hasOwn(message.headers, name)) return message.headers[name];
  const lower = name.toLowerCase();
  const key = Object.keys(message.headers).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : message.headers[key];
}

/** Headers as a message carries them: strings, absent values left out. */
export function messageHeaders(values: Readonly<Record<string, unknown>>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    headers[name] = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  }
  return headers;
}

/** The transport of an AsyncAPI source, from `options.transports`. */
export function transportOf(transports: Readonly<Record<string, MessageTransport>> | undefined, source: string): MessageTransport {
  const transport = transports?.[source];
  if (!transport) throw new TypeError(`options.transports.${source} is missing: the workflow sends or receives messages of source \`${source}\``);
  return transport;
}

/** A send step: the message goes out on `channel`; the step is done once the transport has taken it. */
export async function sendMessage(
  step: StepContext,
  transport: MessageTransport,
  channel: string,
  message: AsyncMessage,
  signal: AbortSignal | undefined,
): Promise<AsyncMessage> {
  signal?.throwIfAborted();
  try {
    await transport.send(channel, message, { signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ArazzoStepError({
      ...step,
      reason: "request",
      detail: `sending on channel \`${channel}\` failed: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
  }
  return message;
}

/**
 * The channels a run receives on, subscribed when it starts and closed when it ends
 * (`close`), whatever way it ends.
 */
export class RunChannels {
  private constructor(private readonly subscriptions: ReadonlyMap<string, MessageSubscription>) {}

  /** Subscribes to each `[source, channel]` through its source's transport. */
  static async open(
    transports: Readonly<Record<string, MessageTransport>> | undefined,
    channels: readonly (readonly [source: string, channel: string])[],
    signal: AbortSignal | undefined,
  ): Promise<RunChannels> {
    const subscriptions = new Map<string, MessageSubscription>();
    try {
      for (const [source, channel] of channels) {
        const key = `${source}\u0000${channel}`;
        if (!subscriptions.has(key)) subscriptions.set(key, await transportOf(transports, source).subscribe(channel, { signal }));
      }
    } catch (error) {
      await Promise.allSettled([...subscriptions.values()].map((s) => s.close()));
      throw error;
    }
    return new RunChannels(subscriptions);
  }

  /**
   * A receive step: the first message on `channel` since the run started whose correlation
   * id (at `correlation.location`) is `correlation.value`, or any message without one.
   */
  async receive(
    step: StepContext,
    source: string,
    channel: string,
    options: { readonly correlation?: { readonly location: string; readonly value: unknown }; readonly timeoutMs?: number; readonly signal?: AbortSignal },
  ): Promise<AsyncMessage> {
    const subscription = this.subscriptions.get(`${source}\u0000${channel}`);
    if (!subscription) throw new Error(`channel \`${channel}\` of source \`${source}\` was not subscribed to`);
    const { correlation } = options;
    const accept = correlation ? (message: AsyncMessage) => correlationMatches(message, correlation.location, correlation.value) : () => true;
    try {
      return await subscription.next(accept, { timeoutMs: options.timeoutMs, signal: options.signal });
    } catch (error) {
      // By name too: a transport may be built on another copy of `async.ts` (another package's).
      if (error instanceof MessageTimeoutError || (error instanceof Error && error.name === "MessageTimeoutError")) {
        const which = correlation ? " with its correlation id" : "";
        throw new ArazzoStepError({
          ...step,
          reason: "timeout",
          detail: `no message${which} on channel \`${channel}\` within ${options.timeoutMs} ms (the step's timeout)`,
          cause: error,
        });
      }
      throw error;
    }
  }

  /** Unsubscribes from every channel. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.subscriptions.values()].map((s) => s.close()));
  }
}
