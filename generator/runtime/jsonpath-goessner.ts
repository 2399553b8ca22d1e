/**
 * JSONPath criteria declared with version `draft-goessner-dispatch-jsonpath-00`
 * (Arazzo 1.0.1 §"Criterion Expression Type Object"), evaluated by `jsonpath-plus` with
 * its safe (non-`eval`) script evaluator. Holds when the query selects at least one node.
 */
import { JSONPath } from "jsonpath-plus";

export function goessnerJsonPathMatches(context: unknown, expression: string): boolean {
  if (context === undefined || context === null || typeof context !== "object") return false;
  const result = JSONPath({ path: expression, json: context as object, wrap: true, eval: "safe" }) as unknown[];
  return result.length > 0;
}
