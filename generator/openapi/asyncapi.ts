/**
 * An AsyncAPI 3.0 description (Arazzo 1.1 `type: asyncapi` sources) indexed for binding
 * message steps: its operations by id and its channels by id, each with the address to send
 * to or listen on and the messages it carries (payload and headers schemas, correlation id
 * location), local `$ref`s followed.
 *
 * Which channel a step uses (Arazzo 1.1 §"Step Object" `action`): a `send` step sends on the
 * operation's channel; a `receive` step listens on the operation's `reply` channel when it has
 * one (the request/reply pattern: a workflow that sent the request receives the reply), else
 * on its channel. The AsyncAPI operation's own `action` says what the described application
 * does, not what the workflow does, so it does not decide.
 */
import type { LoadedDocument } from "../load/document.ts";
import { isRef, pointerTokens } from "./refs.ts";

export interface AsyncMessage {
  /** The message's key: its component name (`OrderRequest`) or its key in the channel. */
  readonly name: string;
  /** The payload and headers schemas as written (possibly `$ref`s into the description). */
  readonly payload?: unknown;
  readonly headers?: unknown;
  /** `$message.header#/orderRequestId`: where the correlation id is. */
  readonly correlationLocation?: string;
}

export interface AsyncChannel {
  readonly id: string;
  /** The address messages go to (the MQTT topic, NATS subject, Kafka topic…); the id when absent. */
  readonly address: string;
  readonly messages: readonly AsyncMessage[];
}

export interface AsyncOperation {
  readonly id: string;
  readonly channel: AsyncChannel;
  /** The messages of the operation (its own list, else its channel's). */
  readonly messages: readonly AsyncMessage[];
  readonly reply?: { readonly channel: AsyncChannel; readonly messages: readonly AsyncMessage[] };
  /** The operation has a `reply` that names no channel (an address only): not one a step can listen on. */
  readonly replyWithoutChannel?: boolean;
}

export interface AsyncApiIndex {
  readonly operations: ReadonlyMap<string, AsyncOperation>;
  readonly channels: ReadonlyMap<string, AsyncChannel>;
  /** A value with its local `$ref`s followed in the description (a schema, say). */
  readonly resolve: (value: unknown) => unknown;
}

export function indexAsyncApi(doc: LoadedDocument): AsyncApiIndex {
  const root = (doc.data ?? {}) as Record<string, any>;
  const resolve = (value: unknown, seen = new Set<string>()): any => {
    if (!isRef(value) || !value.$ref.startsWith("#") || seen.has(value.$ref)) return value;
    seen.add(value.$ref);
    let node: any = root;
    for (const token of pointerTokens(value.$ref)) node = node && typeof node === "object" ? node[token] : undefined;
    return resolve(node, seen);
  };
  // Names are unique in the description: a component's name, else `<channel>.<key>`.
  const message = (key: string, raw: unknown, channelId: string): AsyncMessage => {
    const m = resolve(raw) ?? {};
    const tokens = isRef(raw) ? pointerTokens(raw.$ref) : [];
    const name =
      tokens[0] === "components" && tokens[1] === "messages" && tokens.length === 3
        ? tokens[2]!
        : tokens[0] === "channels" && tokens[2] === "messages" && tokens.length === 4
          ? `${tokens[1]}.${tokens[3]}`
          : `${channelId}.${key}`;
    const correlation = resolve(m.correlationId);
    return {
      name,
      ...(m.payload !== undefined ? { payload: m.payload } : {}),
      ...(m.headers !== undefined ? { headers: m.headers } : {}),
      ...(typeof correlation?.location === "string" ? { correlationLocation: correlation.location } : {}),
    };
  };
  const channels = new Map<string, AsyncChannel>();
  for (const [id, raw] of Object.entries<any>(root.channels ?? {})) {
    const c = resolve(raw) ?? {};
    const messages = Object.entries<unknown>(c.messages ?? {}).map(([key, m]) => message(key, m, id));
    channels.set(id, { id, address: typeof c.address === "string" ? c.address : id, messages });
  }
  const channelOf = (ref: unknown): AsyncChannel | undefined => {
    if (!isRef(ref)) return undefined;
    const tokens = pointerTokens(ref.$ref);
    return tokens.length === 2 && tokens[0] === "channels" ? channels.get(tokens[1]!) : undefined;
  };
  const messagesOf = (list: unknown, channel: AsyncChannel): AsyncMessage[] => {
    if (!Array.isArray(list) || !list.length) return [...channel.messages];
    return list.map((m, i) => message(String(i), m, channel.id));
  };
  const operations = new Map<string, AsyncOperation>();
  for (const [id, raw] of Object.entries<any>(root.operations ?? {})) {
    const op = resolve(raw) ?? {};
    const channel = channelOf(op.channel);
    if (!channel) continue;
    const replyRaw = resolve(op.reply);
    const replyChannel = channelOf(replyRaw?.channel);
    operations.set(id, {
      id,
      channel,
      messages: messagesOf(op.messages, channel),
      ...(replyChannel ? { reply: { channel: replyChannel, messages: messagesOf(replyRaw.messages, replyChannel) } } : {}),
      ...(replyRaw && !replyChannel ? { replyWithoutChannel: true } : {}),
    });
  }
  return { operations, channels, resolve: (value) => resolve(value) };
}
