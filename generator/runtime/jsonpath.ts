/**
 * JSONPath criteria (Arazzo 1.0.1 §"Criterion Object", type `jsonpath`) per RFC 9535,
 * evaluated by `jsonpath-rfc9535`. A criterion holds when the query selects at least one
 * node. A query that starts with a filter (`$[?@.status == 'done']`) is applied to the
 * context itself, the reading the spec's own examples (`$[?count(@.pets) > 0]` on
 * `$response.body`) rely on; RFC 9535 alone would apply it to the context's children.
 */
import { query, type JsonValue } from "jsonpath-rfc9535";

export function jsonPathMatches(context: unknown, expression: string, filtersContext: boolean): boolean {
  if (context === undefined) return false;
  const root = (filtersContext ? [context] : context) as JsonValue;
  return query(root, expression).length > 0;
}

/** An Arazzo 1.1 Selector Object of type `jsonpath` read at run time: the values the query selects, in document order. */
export function jsonPathSelect(context: unknown, expression: string): unknown[] {
  if (context === undefined) return [];
  return query(context as JsonValue, expression);
}
