/**
 * What a step may refer to, and what it does refer to: checks every runtime expression
 * of a step against the document (inputs, earlier steps and their outputs, called or
 * depended-on workflows) and records what the step reads, for typing and code emission.
 */
import { formatJsonPointer } from "../expressions/json-pointer.ts";
import type { DiagnosticBag, SourceLocation } from "../diagnostics.ts";
import type { ParsedExpression } from "../expressions/ast.ts";
import { closest } from "../shared/suggest.ts";
import type { ReferenceContext } from "./binding-context.ts";
import type { DataType, InputTarget, TypeRef, ValueModel } from "./types.ts";
import { parsedExpressionsIn } from "./values.ts";

/** Where an expression is used: before the request (`request`), or once there is a response. */
export type ExpressionUse = "request" | "criteria" | "output";

export class StepScope {
  readonly inputTargets = new Map<string, InputTarget[]>();
  /** Outputs of earlier steps sent unchanged into a field, by `stepId.output`. */
  readonly outputTargets = new Map<string, InputTarget[]>();
  readonly consumedOutputs = new Set<string>();
  readonly readsSteps = new Set<string>();

  constructor(private readonly ctx: ReferenceContext) {}

  /** Checks one expression and records what it reads. */
  check(parsed: ParsedExpression, at: SourceLocation, use: ExpressionUse): void {
    warnDotted(parsed, at, this.ctx.diagnostics);
    const read = checkReference(parsed, at, this.ctx, use);
    if (!read) return;
    this.readsSteps.add(read.stepId);
    if (use === "request") this.consumedOutputs.add(`${read.stepId}.${read.output}`);
  }

  /** Checks every expression in a value that is sent with the request. */
  checkValue(value: ValueModel): void {
    for (const { parsed, location } of parsedExpressionsIn(value)) this.check(parsed, location, "request");
  }

  /**
   * Records that a value, when it is exactly `$inputs.<name>` or `$steps.<id>.outputs.<name>`,
   * flows into a field of type `type`; `required` when the API requires that field.
   */
  noteInputTarget(
    value: ValueModel,
    type: TypeRef,
    what: string,
    required: boolean,
    schema?: DataType,
    parameter?: InputTarget["parameter"],
    written?: string,
  ): void {
    if (value.kind !== "expression") return;
    const e = value.parsed.expression;
    if ((e.kind !== "inputs" && e.kind !== "steps") || e.path.length > 0 || e.pointer.length > 0) return;
    const [map, key] = e.kind === "inputs" ? [this.inputTargets, e.name] : [this.outputTargets, `${e.stepId}.${e.name}`];
    const target: InputTarget = {
      type,
      what,
      required,
      location: value.location,
      ...(schema ? { schema } : {}),
      ...(parameter ? { parameter } : {}),
      ...(written ? { written } : {}),
    };
    map.set(key, [...(map.get(key) ?? []), target]);
  }
}

/**
 * Checks that an expression refers to something that exists and is in scope; returns
 * the step and output when it reads an earlier step's output. Existence and order are
 * checked against the raw document, so a step that failed to build (already reported)
 * does not cascade into more errors.
 */
function checkReference(
  parsed: ParsedExpression,
  at: SourceLocation,
  ctx: ReferenceContext,
  use: ExpressionUse,
): { stepId: string; output: string } | undefined {
  const e = parsed.expression;
  const { diagnostics } = ctx;
  switch (e.kind) {
    case "inputs":
      if (!ctx.inputNames.has(e.name)) {
        diagnostics.error(
          "unknown-input",
          `\`${parsed.text}\`: workflow \`${ctx.workflowId}\` has no input \`${e.name}\``,
          at,
          suggestion(e.name, [...ctx.inputNames]),
        );
      }
      return undefined;
    case "steps": {
      const index = ctx.rawSteps.findIndex((s) => s?.stepId === e.stepId);
      if (index < 0) {
        diagnostics.error(
          "unknown-step",
          `\`${parsed.text}\`: workflow \`${ctx.workflowId}\` has no step \`${e.stepId}\``,
          at,
          suggestion(
            e.stepId,
            ctx.rawSteps.map((s) => s?.stepId ?? ""),
          ),
        );
        return undefined;
      }
      if (index >= ctx.index) {
        diagnostics.error("unknown-step", `\`${parsed.text}\` reads step \`${e.stepId}\`, which ${index === ctx.index ? "is this step" : "runs later"}`, at);
        return undefined;
      }
      const names = Object.keys(ctx.rawSteps[index]?.outputs ?? {});
      if (!names.includes(e.name)) {
        const bare = e.bare ? ` (a step's outputs are read as \`$steps.${e.stepId}.outputs.<name>\`)` : "";
        diagnostics.error("unknown-output", `\`${parsed.text}\`: step \`${e.stepId}\` defines no output \`${e.name}\`${bare}`, at, suggestion(e.name, names));
        return undefined;
      }
      if (e.bare) warnBareStepOutput(parsed, at, diagnostics);
      return { stepId: e.stepId, output: e.name };
    }
    case "outputs": {
      if (!ctx.calledWorkflow) {
        diagnostics.error("invalid-context", `\`${parsed.text}\` reads a called workflow's outputs, but this step calls no workflow`, at);
        return undefined;
      }
      const names = Object.keys(ctx.calledWorkflow.outputs ?? {});
      if (use === "request") diagnostics.error("invalid-context", `\`${parsed.text}\` is not available before the workflow has run`, at);
      else if (!names.includes(e.name)) {
        diagnostics.error(
          "unknown-output",
          `\`${parsed.text}\`: workflow \`${ctx.calledWorkflow.workflowId}\` has no output \`${e.name}\``,
          at,
          suggestion(e.name, names),
        );
      }
      return undefined;
    }
    case "workflows": {
      // In the step that ran the workflow, `$workflows.<id>.outputs.<name>` names the same value
      // as `$outputs.<name>`: that run's (also when `dependsOn` ran it before; emit and typing agree).
      if (e.field === "outputs" && ctx.calledWorkflow?.workflowId === e.workflowId) {
        return checkReference({ text: parsed.text, expression: { ...e, kind: "outputs" } }, at, ctx, use);
      }
      if (!ctx.dependsOn.includes(e.workflowId)) {
        diagnostics.error(
          "invalid-context",
          `\`${parsed.text}\` reads workflow \`${e.workflowId}\`, which workflow \`${ctx.workflowId}\` does not list in \`dependsOn\``,
          at,
          "only workflows in dependsOn have run before this one",
        );
        return undefined;
      }
      const target = ctx.raw.workflows?.find((w) => w?.workflowId === e.workflowId);
      const names = Object.keys(e.field === "outputs" ? (target?.outputs ?? {}) : (target?.inputs?.properties ?? {}));
      if (!names.includes(e.name)) {
        diagnostics.error(
          "unknown-output",
          `\`${parsed.text}\`: workflow \`${e.workflowId}\` has no ${e.field === "outputs" ? "output" : "input"} \`${e.name}\``,
          at,
          suggestion(e.name, names),
        );
      }
      return undefined;
    }
    case "message":
      if (!ctx.messageStep) {
        diagnostics.error("invalid-context", `\`${parsed.text}\` reads the message of a step that sends or receives one (Arazzo 1.1 \`action\`)`, at);
      } else if (use === "request") {
        diagnostics.error(
          "invalid-context",
          `\`${parsed.text}\` is not available before the message is ${ctx.messageStep === "send" ? "sent" : "received"}`,
          at,
        );
      }
      return undefined;
    case "response":
    case "statusCode":
      if (ctx.messageStep) {
        diagnostics.error(
          "invalid-context",
          `\`${parsed.text}\` has no meaning in a step that ${ctx.messageStep}s a message; use $message.payload or $message.header.<name>`,
          at,
        );
        return undefined;
      }
      // `$statusCode` in a workflow step's criteria is dropped, with a warning, by the workflow step builder.
      if (ctx.calledWorkflow) {
        if (e.kind === "response")
          diagnostics.error("invalid-context", `\`${parsed.text}\` has no meaning in a step that runs a workflow; use $outputs.<name>`, at);
      } else if (use === "request") {
        diagnostics.error("invalid-context", `\`${parsed.text}\` is not available before the request is sent`, at);
      }
      return undefined;
    case "url":
    case "method":
    case "request":
      if (ctx.messageStep) diagnostics.error("invalid-context", `\`${parsed.text}\` has no meaning in a step that ${ctx.messageStep}s a message`, at);
      if (ctx.calledWorkflow) diagnostics.error("invalid-context", `\`${parsed.text}\` has no meaning in a step that runs a workflow`, at);
      return undefined;
    default:
      diagnostics.error("unsupported-expression", `\`${parsed.text}\` is not supported in a step`, at);
      return undefined;
  }
}

/** `$response.body.a.b` (`$message.payload.a.b`): read as the pointer the author means, with the form the ABNF allows. */
/** `$steps.<id>.<name>`, read as the step's output `<name>` (Respect and other runners accept it). */
export function warnBareStepOutput(parsed: ParsedExpression, at: SourceLocation, diagnostics: DiagnosticBag): void {
  const e = parsed.expression;
  if (e.kind !== "steps" || !e.bare) return;
  const correct = parsed.text.replace(`$steps.${e.stepId}.`, `$steps.${e.stepId}.outputs.`);
  diagnostics.warning(
    "step-output-without-outputs",
    `\`${parsed.text}\` leaves out \`.outputs\`, which runtime expressions need; it is read as \`${correct}\``,
    at,
    `write \`${correct}\``,
  );
}

function warnDotted(parsed: ParsedExpression, at: SourceLocation, diagnostics: DiagnosticBag): void {
  const e = parsed.expression;
  if ((e.kind === "response" || e.kind === "request" || e.kind === "message") && e.source.in === "header" && e.source.plural) {
    const correct = parsed.text.replace(/\.headers\./, ".header.");
    diagnostics.warning(
      "plural-header",
      `\`${parsed.text}\`: runtime expressions read a header as \`header.<name>\`; it is read as \`${correct}\``,
      at,
      `write \`${correct}\``,
    );
    return;
  }
  if ((e.kind !== "response" && e.kind !== "request" && e.kind !== "message") || e.source.in !== "body" || !e.source.dotted) return;
  const part = e.kind === "message" ? "payload" : "body";
  const correct = `$${e.kind}.${part}#${formatJsonPointer(e.source.pointer)}`;
  // `.length` at the end is a member named length here (a JSON Pointer has no lengths).
  const length = e.source.pointer.at(-1) === "length";
  diagnostics.warning(
    "dotted-body-path",
    `\`${parsed.text}\` reads into the ${part} with dots, which runtime expressions do not have; it is read as \`${correct}\`${length ? ", a member named `length`, not an array's length" : ""}`,
    at,
    length
      ? `write \`${correct}\` for a member; for an array's length, a jsonpath criterion such as \`$[?length(@.${e.source.pointer.slice(0, -1).join(".")}) > 0]\``
      : `write \`${correct}\``,
  );
}

export function suggestion(name: string, candidates: readonly string[]): string | undefined {
  const best = closest(name, candidates);
  return best ? `did you mean \`${best}\`?` : undefined;
}
