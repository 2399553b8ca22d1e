/**
 * A step that sends a message to, or receives one from, an AsyncAPI channel (Arazzo 1.1
 * §"Step Object" `action`, `operationId` / `channelPath`, `correlationId`): binds it to the
 * operation or channel (`openapi/asyncapi.ts` says which channel each action uses), its
 * `in: header` parameters and `requestBody.payload` to the message it sends, its
 * `correlationId` to the correlation id location the AsyncAPI message declares, and types
 * `$message.payload` from the messages' payload schemas.
 */
import type { DataPath } from "../load/document.ts";
import type { Step } from "../load/arazzo-document.ts";
import type { AsyncChannel, AsyncMessage } from "../openapi/asyncapi.ts";
import type { LoadedAsyncSource } from "../openapi/sources.ts";
import { pointerTokens } from "../openapi/refs.ts";
import { stepParameters } from "./parameters.ts";
import { suggestion, type StepScope } from "./step-scope.ts";
import type { BoundStep, StepContext, StepShared } from "./binding-context.ts";
import type { MessageStepModel } from "./types.ts";
import { expressionsIn, payloadModel, toValueModel } from "./values.ts";
import { checkPayloadFields } from "./request-body.ts";
import { pointerTypeRef } from "./access-plan.ts";
import { schemaSummary } from "./schema-type.ts";
import { walkSchemaPointer } from "../openapi/schema-pointer.ts";
import { formatJsonPointer } from "../expressions/json-pointer.ts";

/** The key of a message's payload or headers type in its source's types (`messageTypesInput`). */
export function messageTypeKey(message: AsyncMessage, part: "payload" | "headers"): string {
  return `${message.name}/${part}`;
}

export function bindMessageStep(
  step: Step,
  at: DataPath,
  ctx: StepContext,
  scope: StepScope,
): BoundStep<Omit<MessageStepModel, keyof StepShared | "outputs" | "payloadAccess">> | undefined {
  const { arazzo, diagnostics } = ctx;
  const action = step.action === "receive" ? "receive" : "send";
  const target = messageTarget(step, at, ctx);
  if (!target) return undefined;
  const { loaded, channel, messages, operationId } = target;
  const source = ctx.sources.find((s) => s.name === loaded.name)!;

  // Headers: parameters `in: header`; nothing else has a meaning for a message.
  const headers = stepParameters(step.parameters, [...at, "parameters"], undefined, [], { doc: arazzo, raw: ctx.raw, diagnostics, requireIn: true }).flatMap(
    (param) => {
      if (param.in !== "header") {
        diagnostics.error(
          "invalid-parameter-in",
          `parameter \`${param.name}\` of message step \`${step.stepId}\` is \`in: ${param.in}\`; a message has headers only`,
          arazzo.locate([...param.at, "in"]),
          "use `in: header` (a message header), or move it into the payload",
        );
        return [];
      }
      const value = toValueModel(param.value, arazzo, param.valuePath, diagnostics);
      scope.checkValue(value);
      return [{ name: param.name, value, location: arazzo.locate(param.at) }];
    },
  );
  if (action === "receive" && headers.length) {
    diagnostics.warning(
      "ignored-field",
      `receive step \`${step.stepId}\` sends nothing: its header parameters are ignored`,
      arazzo.locate([...at, "parameters"], "key"),
    );
  }

  let payload: MessageStepModel["payload"];
  if (step.requestBody !== undefined) {
    if (action === "receive") {
      diagnostics.error(
        "unexpected-request-body",
        `receive step \`${step.stepId}\` sends nothing: a request body has no meaning there`,
        arazzo.locate([...at, "requestBody"], "key"),
      );
    } else {
      payload = payloadModel(
        step.requestBody.payload,
        step.requestBody.contentType ?? "application/json",
        arazzo,
        [...at, "requestBody", "payload"],
        diagnostics,
      );
      scope.checkValue(payload);
      // Checked and narrowed against the message's payload schema, as a request body is against its operation's.
      const schema = messages.length === 1 ? messages[0]!.payload : undefined;
      if (schema !== undefined) {
        const resolve = loaded.index.resolve;
        const bodyName = `the payload of the messages of channel \`${channel.id}\``;
        payload = checkPayloadFields(payload, [], schema, step.stepId!, { diagnostics, resolve, describe: bodyName, bodyName });
        for (const { value, pointer } of expressionsIn(payload)) {
          const walk = walkSchemaPointer(schema, pointer, resolve);
          if (walk.kind !== "typed") continue;
          scope.noteInputTarget(
            value,
            pointerTypeRef({ kind: "message-payload", stepId: step.stepId! }, pointer, schema, resolve),
            `message payload field \`${formatJsonPointer(pointer)}\` of step \`${step.stepId}\``,
            walk.required && !walk.additional,
            schemaSummary(walk.schema, resolve),
          );
        }
      }
    }
  }

  let correlation: MessageStepModel["correlation"];
  if (step.correlationId !== undefined) {
    const location = messages.find((m) => m.correlationLocation)?.correlationLocation;
    const where = arazzo.locate([...at, "correlationId"]);
    if (location !== undefined && !/^\$message\.(?:header|payload)(?:#(?:\/(?:[^~/]|~[01])*)*)?$/.test(location)) {
      diagnostics.error(
        "invalid-correlation-id",
        `the correlation id location \`${location}\` of the messages of channel \`${channel.id}\` is not \`$message.header#/<name>\` or \`$message.payload#/<pointer>\``,
        where,
        "fix the message's `correlationId.location` in the AsyncAPI description",
      );
      return undefined;
    }
    if (!location) {
      diagnostics.error(
        "no-correlation-id",
        `step \`${step.stepId}\` has a correlationId, but the messages of channel \`${channel.id}\` declare no correlationId location`,
        where,
        "add `correlationId: { location: $message.header#/<name> }` to the message in the AsyncAPI description",
      );
      return undefined;
    }
    const value = toValueModel(step.correlationId, arazzo, [...at, "correlationId"], diagnostics);
    scope.checkValue(value);
    correlation = { location, value, at: where };
  }

  const first = messages[0];
  return {
    parts: {
      kind: "message",
      source,
      action,
      ...(operationId ? { operationId } : {}),
      channel: channel.address,
      messageTypes: messages.map((m) => ({
        name: m.name,
        ...(m.payload !== undefined ? { payload: messageTypeKey(m, "payload") } : {}),
        ...(m.headers !== undefined ? { headers: messageTypeKey(m, "headers") } : {}),
      })),
      headers,
      ...(payload ? { payload } : {}),
      ...(correlation ? { correlation } : {}),
    },
    typing: {
      // `$message.payload` is read like a JSON body, typed by the (first) message's payload schema.
      message: messages.length === 1 && first?.payload !== undefined ? "json" : undefined,
      messageSchema: messages.length === 1 ? first?.payload : undefined,
      resolve: loaded.index.resolve,
      noBody: `the messages of channel \`${channel.id}\` ${messages.length > 1 ? "are of several kinds" : "describe no payload"}`,
      bodyNames: { response: `the payload of the messages of channel \`${channel.id}\``, request: "the message sent" },
    },
  };
}

/** The source, channel and messages a message step uses, from its `operationId` or `channelPath`; undefined when they do not resolve (reported). */
function messageTarget(
  step: Step,
  at: DataPath,
  ctx: StepContext,
): { loaded: LoadedAsyncSource; channel: AsyncChannel; messages: readonly AsyncMessage[]; operationId?: string } | undefined {
  const { arazzo, diagnostics } = ctx;
  const asyncSources = ctx.asyncSources;
  if (typeof step.operationId === "string") {
    const qualified = /^\$sourceDescriptions\.([^.]+)\.(.+)$/.exec(step.operationId);
    const candidates = qualified ? asyncSources.filter((s) => s.name === qualified[1]) : asyncSources;
    const id = qualified ? qualified[2]! : step.operationId;
    const found = candidates.flatMap((s) => (s.index.operations.has(id) ? [{ loaded: s, op: s.index.operations.get(id)! }] : []));
    if (found.length !== 1) {
      const where = arazzo.locate([...at, "operationId"]);
      if (qualified && ctx.unavailableSources.has(qualified[1]!)) return undefined;
      if (found.length > 1) {
        diagnostics.error(
          "ambiguous-operation",
          `AsyncAPI operation \`${id}\` is in several sources: ${found.map((f) => f.loaded.name).join(", ")}`,
          where,
          `write \`$sourceDescriptions.<name>.${id}\``,
        );
      } else {
        diagnostics.error(
          "unknown-operation",
          `no AsyncAPI source has an operation \`${id}\``,
          where,
          suggestion(
            id,
            candidates.flatMap((s) => [...s.index.operations.keys()]),
          ),
        );
      }
      return undefined;
    }
    const { loaded, op } = found[0]!;
    if (step.action === "receive" && op.replyWithoutChannel) {
      // Listening on the request channel instead would take the step's own request.
      diagnostics.error(
        "unknown-channel",
        `AsyncAPI operation \`${id}\` has a reply without a channel: receive step \`${step.stepId}\` does not know where to listen`,
        arazzo.locate([...at, "operationId"]),
        "give the operation's `reply` a `channel`, or name the reply channel with `channelPath`",
      );
      return undefined;
    }
    const receiving = step.action === "receive" && op.reply;
    return { loaded, channel: receiving ? op.reply!.channel : op.channel, messages: receiving ? op.reply!.messages : op.messages, operationId: id };
  }
  if (step.channelPath === undefined) {
    // `operationPath` with `action` (as in the 1.1 specification's own example) is not a message step's target.
    diagnostics.error(
      "unknown-channel",
      `message step \`${step.stepId}\` names no AsyncAPI operation or channel`,
      arazzo.locate([...at, step.operationPath !== undefined ? "operationPath" : "action"], "key"),
      "name the AsyncAPI operation with `operationId` (`$sourceDescriptions.<name>.<operationId>`), or the channel with `channelPath`",
    );
    return undefined;
  }
  // channelPath: `{$sourceDescriptions.<name>.url}#/channels/<id>`, or the same without braces.
  const text = String(step.channelPath ?? "");
  const match = /^\{?\$sourceDescriptions\.([^.#}]+)(?:\.url)?\}?#(\/channels\/.+)$/.exec(text);
  const where = arazzo.locate([...at, "channelPath"]);
  const loaded = match ? asyncSources.find((s) => s.name === match[1]) : undefined;
  const tokens = match ? pointerTokens(`#${match[2]}`) : [];
  const channel = loaded && tokens.length === 2 ? loaded.index.channels.get(tokens[1]!) : undefined;
  if (!channel) {
    if (match && ctx.unavailableSources.has(match[1]!)) return undefined;
    diagnostics.error(
      "unknown-channel",
      `\`${text}\` does not name a channel of an AsyncAPI source`,
      where,
      "write `{$sourceDescriptions.<name>.url}#/channels/<channel id>`, or name the AsyncAPI operation with operationId",
    );
    return undefined;
  }
  return { loaded: loaded!, channel, messages: channel.messages };
}
