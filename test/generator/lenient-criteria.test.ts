/**
 * Lenient criteria (README "Leniencies"): the warnings, with their exact corrected forms,
 * that the conformance fixture test/conformance/lenient-criteria/ gives (its scenarios run
 * the generated code and check which branch each criterion takes).
 */
import path from "node:path";
import { describe, expect, test } from "vitest";
import { validate } from "../../generator/analyze.ts";

const FIXTURE = path.resolve(import.meta.dirname, "../conformance/lenient-criteria/lenient-criteria.arazzo.yaml");

const filterWarning = (condition: string, filter: string): [string, string] => [
  `jsonpath-comparison: \`${condition}\` is not an RFC 9535 JSONPath query; it is read as the filter \`${filter}\`, which holds when the context matches`,
  `write \`condition: ${filter}\``,
];
const simpleWarning = (condition: string, simple: string): [string, string] => [
  `jsonpath-comparison: \`${condition}\` is not an RFC 9535 JSONPath query, and RFC 9535 cannot compare with a runtime expression; it is read as the simple condition \`${simple}\``,
  `write \`condition: ${simple}\` (type: simple)`,
];
const bareInputs: [string, string] = [
  "bare-inputs-context: `$inputs` alone is not a runtime expression (the ABNF requires `$inputs.<name>`); it is read as the object of all workflow inputs",
  "name the input: `context: $inputs.<name>`, or test it in a simple condition (`condition: $inputs.<name> == …`, no `context`)",
];

/** line:col → [code: message, hint], in document order. */
const expected: [string, [string, string]][] = [
  ["27:28", filterWarning("$.results.length > 0", "$[?length(@.results) > 0]")],
  ["33:28", filterWarning("$.results.length == 0", "$[?length(@.results) == 0]")],
  ["64:28", filterWarning('$.state == "running" || $.state == "scheduled"', "$[?@.state == 'running' || @.state == 'scheduled']")],
  ["71:28", filterWarning('$.state != "running" && $.state != "scheduled"', "$[?@.state != 'running' && @.state != 'scheduled']")],
  ["89:24", filterWarning('$[0].state != "running" && $[0].state != "scheduled"', "$[?@[0].state != 'running' && @[0].state != 'scheduled']")],
  ["100:28", filterWarning('$[0].state == "running" || $[0].state == "scheduled"', "$[?@[0].state == 'running' || @[0].state == 'scheduled']")],
  ["123:26", bareInputs],
  ["124:28", filterWarning("$.publishDate != null", "$[?@.publishDate && @.publishDate != null]")],
  ["130:26", bareInputs],
  ["131:28", filterWarning("$.publishDate == null", "$[?!@.publishDate || @.publishDate == null]")],
  ["163:28", filterWarning("$.completed == true", "$[?@.completed == true]")],
  ["188:24", simpleWarning("$.result.value == $inputs.expected", "$response.body#/result/value == $inputs.expected")],
  ["197:28", simpleWarning("$.count > $inputs.min", "$response.body#/count > $inputs.min")],
  [
    "216:24",
    [
      'double-quoted-string: strings in conditions use single quotes; `"it\'s done"` is read as the JSON string it spells',
      "write `condition: $statusCode == 200 && $response.body#/state == 'it''s done'`",
    ],
  ],
];

describe("lenient criteria", () => {
  test("each is a warning with the exact corrected condition; no errors", async () => {
    const result = await validate({ inputs: [FIXTURE] });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const warnings = result.diagnostics.map((d) => [`${d.line}:${d.col}`, [`${d.code}: ${d.message}`, d.hint]]);
    expect(warnings).toEqual(expected);
  });
});
