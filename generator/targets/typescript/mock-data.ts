/**
 * The data behind a generated package's mocks (`mocks.ts`): for each operation the
 * workflows call, a default response, and for each step the response that takes it down
 * its happy path; for each workflow, example inputs.
 *
 * A step's response: the status its success criteria test (else the first documented 2xx),
 * a body sampled from the response schema by openapi-sampler (which prefers the
 * description's own `example`s), then changed so the criteria hold where they can be read —
 * `$response.body#/p == v`, `!=`, `<`…`>=` on numbers, `$response.header.H == v`, in the
 * success criteria and in the success action that moves the run on (an `end`, else the
 * nearest later step) — and so every
 * field the step's outputs read is there; RFC 9535 filters on the body (`$[?@.ready == true]`)
 * likewise (`mock-filter.ts`). Criteria it cannot read (regex, XPath, other JSONPath queries)
 * are left to the sample; `options.responses` covers those.
 */
import { allModels } from "../../ir/operation-uses.ts";
import { createRequire } from "node:module";
import type { ConditionNode, JsonPointer } from "../../expressions/ast.ts";
import type { ActionModel, OperationStepModel, PackageModel, StepModel, WorkflowModel } from "../../ir/types.ts";
import { impliedStatuses } from "../../ir/criteria.ts";
import type { LenientCondition } from "../../criteria/jsonpath-lenient.ts";
import type { DiagnosticBag } from "../../diagnostics.ts";
import { readsJsonBody } from "./json-body.ts";
import { satisfyFilter } from "./mock-filter.ts";
import { exampleInputs } from "./mock-inputs.ts";
import { exampleOf, mirror, setAt } from "./mock-values.ts";
import { evaluateJsonPointer, formatJsonPointer } from "../../expressions/json-pointer.ts";
import { responseSchemaPointer } from "../../openapi/operations.ts";

const require = createRequire(import.meta.url);

export interface MockReply {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** JSON body; absent for no body. */
  readonly body?: unknown;
  /** A text body (XML, plain text), sent as is. */
  readonly text?: string;
}

export interface OperationMock {
  /** The source's `moduleName` (unique in the package, unlike the names in the documents it includes). */
  readonly source: string;
  readonly method: string;
  readonly path: string;
  readonly operationId?: string;
  /** The reply of the first step that calls it: what any other call gets. */
  readonly reply: MockReply;
}

export interface MockData {
  readonly operations: readonly OperationMock[];
  /** Per `workflowId/stepId`. */
  readonly steps: Readonly<Record<string, MockReply>>;
  /** Per workflowId. */
  readonly inputs: Readonly<Record<string, Record<string, unknown>>>;
  /** Per workflowId, the example inputs typed loosely (no value fits both the input's schema and an API field's type). */
  readonly looseInputs: Readonly<Record<string, readonly string[]>>;
}

type Sample = (schema: object, options: object, document: object) => unknown;

/** `diagnostics` receives the warnings about example inputs (given once per package, by the `mocks.ts` emitter). */
export function mockData(pkg: PackageModel, diagnostics?: DiagnosticBag): MockData {
  const { sample } = require("openapi-sampler") as { sample: Sample };
  const operations = new Map<string, OperationMock>();
  // No prototype: a workflow or step id such as `constructor` or `__proto__` is an ordinary key here.
  const steps: Record<string, MockReply> = Object.create(null);
  const inputs: Record<string, Record<string, unknown>> = Object.create(null);
  const looseInputs: Record<string, string[]> = Object.create(null);
  const models = allModels(pkg.document);
  for (const workflow of models.flatMap((m) => m.workflows)) {
    // A workflow of an included document with the same id as one of this document's: the runtime
    // names both alike, so the mock keeps this document's (the first).
    if (!Object.hasOwn(inputs, workflow.workflowId)) {
      const example = exampleInputs(workflow, diagnostics);
      inputs[workflow.workflowId] = example.values;
      if (example.loose.length) looseInputs[workflow.workflowId] = example.loose;
    }
    for (const step of workflow.steps) {
      if (step.kind !== "operation") continue;
      const reply = stepReply(step, workflow, pkg, sample);
      steps[`${workflow.workflowId}/${step.stepId}`] ??= reply;
      const key = `${step.source.moduleName} ${step.operation.method} ${step.operation.path}`;
      if (!operations.has(key)) {
        operations.set(key, {
          source: step.source.moduleName,
          method: step.operation.method.toUpperCase(),
          path: step.operation.path,
          operationId: step.operation.operationId,
          reply,
        });
      }
    }
  }
  return { operations: [...operations.values()], steps, inputs, looseInputs };
}

function stepReply(step: OperationStepModel, workflow: WorkflowModel, pkg: PackageModel, sample: Sample): MockReply {
  const implied = impliedStatuses(step.successCriteria);
  const status = Number([...(implied ?? [])][0] ?? step.responseBodies[0]?.status ?? step.successStatuses.find((s) => /^\d{3}$/.test(s)) ?? 200) || 200;
  const headers: Record<string, string> = {};
  const document = pkg.apiTypes.get(step.source.moduleName)?.document;
  const bodyInfo = step.responseBodies.find((b) => b.status === String(status)) ?? step.responseBodies[0];
  let body: unknown;
  if (bodyInfo && document) {
    const pointer = `#${formatJsonPointer(responseSchemaPointer(step.operation, bodyInfo.status, bodyInfo.mediaType))}`;
    try {
      body = sample({ $ref: pointer }, { skipWriteOnly: true, quiet: true, maxSampleDepth: 8 }, document);
    } catch {
      body = {};
    }
  }
  // A body read as text that the step reads into as JSON (`json-body.ts`) gets a JSON reply.
  if (step.parseAs === "text" && !readsJsonBody(step)) return { status, headers, text: "<ok/>" };
  // Every field the outputs read is there, unless the criteria below need it otherwise.
  for (const output of step.outputs) {
    const e = output.parsed.expression;
    if (e.kind === "response" && e.source.in === "header") headers[e.source.name] ??= "example";
    if (e.kind === "response" && e.source.in === "body" && evaluateJsonPointer(body, e.source.pointer) === undefined) {
      body = setAt(body, e.source.pointer, output.type.kind === "literal" ? output.type.value : exampleOf(output.schema));
    }
  }

  // Criteria that must hold: the success criteria, and those of the first success action that
  // moves on (ends the run, or goes to a later step or another workflow) rather than looping back.
  // A step whose outputs a later step needs checks them before any action: an `end` that
  // needs an empty body (`$.items.length == 0`) would fail there, so it goes on instead.
  const needed = step.outputs.some((o) => o.required);
  const ending = (needed ? undefined : step.onSuccess.find((a) => a.type === "end")) ?? nearestForward(step, workflow);
  for (const criterion of [...step.successCriteria, ...(ending?.criteria ?? [])]) {
    if (criterion.kind === "simple") body = satisfy(criterion.condition, body, headers);
    const context = criterion.kind === "jsonpath" ? criterion.context.expression : undefined;
    if (criterion.kind === "jsonpath" && criterion.lenient && context?.kind === "response" && context.source.in === "body") {
      body = satisfyLenient(criterion.lenient, context.source.pointer, body);
    } else if (
      criterion.kind === "jsonpath" &&
      criterion.dialect === "rfc9535" &&
      criterion.filtersContext &&
      context?.kind === "response" &&
      context.source.in === "body"
    ) {
      body = satisfyFilter(criterion.query, context.source.pointer, body, valueFor);
    }
  }
  return { status, headers, ...(body === undefined ? {} : { body }) };
}

/** The `goto` success action that moves on the least: to the nearest later step (skipping as few as possible), else to another workflow. */
function nearestForward(step: StepModel, workflow: WorkflowModel): ActionModel | undefined {
  const ids = workflow.steps.map((s) => s.stepId);
  const here = ids.indexOf(step.stepId);
  const distance = (a: ActionModel) =>
    a.type !== "goto"
      ? Infinity
      : a.target?.kind === "workflow"
        ? ids.length
        : a.target?.kind === "step" && ids.indexOf(a.target.stepId) > here
          ? ids.indexOf(a.target.stepId)
          : Infinity;
  const best = [...step.onSuccess].sort((a, b) => distance(a) - distance(b))[0];
  return best && distance(best) !== Infinity ? best : undefined;
}

/** `body` changed so the top-level conjuncts of `node` that compare a body field or header with a literal hold. */
function satisfy(node: ConditionNode, body: unknown, headers: Record<string, string>): unknown {
  if (node.kind !== "binary") return body;
  if (node.operator === "&&") return satisfy(node.right, satisfy(node.left, body, headers), headers);
  if (node.operator === "||") return satisfy(node.left, body, headers);
  const [field, literal, flipped] =
    node.left.kind === "expression" && node.right.kind === "literal"
      ? [node.left, node.right.value, false]
      : node.right.kind === "expression" && node.left.kind === "literal"
        ? [node.right, node.left.value, true]
        : [undefined, undefined, false];
  if (!field || field.accessors.length) return body;
  const e = field.parsed.expression;
  const operator = flipped ? mirror(node.operator) : node.operator;
  if (e.kind === "response" && e.source.in === "header" && operator === "==" && literal !== null) {
    headers[e.source.name] = String(literal);
    return body;
  }
  if (e.kind !== "response" || e.source.in !== "body") return body;
  const current = evaluateJsonPointer(body, e.source.pointer);
  const value = valueFor(operator, literal, current);
  return value === undefined ? body : setAt(body, e.source.pointer, value);
}

/** The same for a JSONPath comparison read leniently (`$.status == "x"`, `in [...]`) on a body context at `base`. */
function satisfyLenient(node: LenientCondition, base: JsonPointer, body: unknown): unknown {
  if (node.kind === "logical")
    return node.operator === "&&" ? satisfyLenient(node.right, base, satisfyLenient(node.left, base, body)) : satisfyLenient(node.left, base, body);
  if (node.kind !== "comparison") return body;
  const [path, literal, flipped] =
    node.left.kind === "path" && node.right.kind === "literal"
      ? [node.left, node.right.value, false]
      : node.right.kind === "path" && node.left.kind === "literal"
        ? [node.right, node.left.value, true]
        : [undefined, undefined, false];
  if (!path) return body;
  const pointer = [...base, ...path.segments.map(String)];
  if (path.length) {
    // `.length`: an array of that many items (copies of the first the sample has, or objects).
    const current = evaluateJsonPointer(body, pointer);
    const items = Array.isArray(current) ? current : [];
    const count = typeof literal === "number" ? valueFor(flipped ? mirror(node.operator) : node.operator, literal, items.length) : undefined;
    if (typeof count !== "number" || count < 0) return body;
    return setAt(
      body,
      pointer,
      Array.from({ length: count }, (_, i) => items[i] ?? items[0] ?? {}),
    );
  }
  const value = valueFor(flipped ? mirror(node.operator) : node.operator, literal, evaluateJsonPointer(body, pointer));
  return value === undefined ? body : setAt(body, pointer, value);
}

/** A value for which `value <operator> literal` holds, keeping `current` when it already does. */
export function valueFor(operator: string, literal: string | number | boolean | null, current: unknown): unknown {
  switch (operator) {
    case "==":
      return literal;
    case "!=":
      if (current !== undefined && current !== literal) return undefined;
      return typeof literal === "number" ? literal + 1 : typeof literal === "boolean" ? !literal : literal === null ? "example" : `${literal}-other`;
    case ">":
    case ">=":
      if (typeof literal !== "number") return undefined;
      return typeof current === "number" && (operator === ">" ? current > literal : current >= literal) ? undefined : literal + 1;
    case "<":
    case "<=":
      if (typeof literal !== "number") return undefined;
      return typeof current === "number" && (operator === "<" ? current < literal : current <= literal) ? undefined : literal - 1;
    default:
      return undefined;
  }
}
