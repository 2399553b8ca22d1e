/**
 * JSONPath criteria (Arazzo 1.0.1 §"Criterion Object", type `jsonpath`) per RFC 9535,
 * evaluated by `json-p3`, which passes the whole JSONPath Compliance Test Suite. A criterion
 * holds when the query selects at least one node. A query that starts with a filter
 * (`$[?@.status == 'done']`) is applied to the context itself, the reading the spec's own
 * examples (`$[?count(@.pets) > 0]` on `$response.body`) rely on; RFC 9535 alone would apply
 * it to the context's children.
 */
import { type FilterFunction, JSONPathEnvironment, type JSONValue } from "json-p3";

/**
 * json-p3's environment, with `match()` false for a value that is not a string, as RFC 9535
 * §2.4.6 says: json-p3 2.3.1 tests the value's string form (`match(@.code, '200')` held for the
 * number 200).
 */
const environment = new JSONPathEnvironment();
const match = environment.functionRegister.get("match") as FilterFunction;
environment.functionRegister.set("match", {
  argTypes: match.argTypes,
  returnType: match.returnType,
  call: (value: unknown, pattern: unknown) => typeof value === "string" && match.call(value, pattern),
});

export function jsonPathMatches(context: unknown, expression: string, filtersContext: boolean): boolean {
  if (context === undefined) return false;
  const root = (filtersContext ? [context] : context) as JSONValue;
  return environment.query(expression, root).length > 0;
}

/** An Arazzo 1.1 Selector Object of type `jsonpath` read at run time: the values the query selects, in document order. */
export function jsonPathSelect(context: unknown, expression: string): unknown[] {
  if (context === undefined) return [];
  return environment.query(expression, context as JSONValue).values();
}
