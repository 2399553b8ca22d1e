/**
 * Whether a step whose success body openapi-fetch reads as text (the description lists no
 * JSON media type for it: `*\/*`, `text/plain`, `application/octet-stream`…) reads into that
 * body as JSON: a `$response.body#/…` pointer in its outputs, criteria or actions' inputs, or
 * a JSONPath criterion or selector on `$response.body`. The runtime's `send` then parses the
 * body when the response's own `Content-Type` says JSON (`step.jsonBody`), for those reads
 * (`responseJson`), and the mocks answer such a step with JSON. The body read whole
 * (`$response.body`, a regex or XPath on it) stays the text its type (`string`) says.
 */
import type { ParsedExpression } from "../../expressions/ast.ts";
import type { OperationStepModel } from "../../ir/types.ts";
import { parsedExpressionsIn } from "../../ir/values.ts";

export function readsJsonBody(step: OperationStepModel): boolean {
  if (step.parseAs !== "text") return false;
  const intoBody = (parsed: ParsedExpression) => bodyPointer(parsed) !== undefined;
  // Every `$response.body` pointer of the outputs and criteria (`responseAccess` is keyed by pointer; `""` is the whole body).
  if (Object.keys(step.responseAccess).some((pointer) => pointer !== "")) return true;
  const actions = [...step.onSuccess, ...step.onFailure];
  const criteria = [...step.successCriteria, ...actions.flatMap((a) => a.criteria)];
  if (criteria.some((c) => c.kind === "jsonpath" && intoBody(c.context))) return true;
  if (step.outputs.some((o) => o.select?.type === "jsonpath" && intoBody(o.parsed))) return true;
  return actions.some((a) => (a.inputs ?? []).some((input) => [...parsedExpressionsIn(input.value)].some(({ parsed }) => !!bodyPointer(parsed)?.length)));
}

/** The pointer of a `$response.body` expression (`[]`: the whole body); undefined for anything else. */
function bodyPointer(parsed: ParsedExpression): readonly string[] | undefined {
  const e = parsed.expression;
  return e.kind === "response" && e.source.in === "body" ? e.source.pointer : undefined;
}
