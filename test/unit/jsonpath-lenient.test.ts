/**
 * The JSONPath-like comparisons documents write as `type: jsonpath` conditions
 * (generator/criteria/jsonpath-lenient.ts) and how criteria read them
 * (generator/model/criteria.ts): every form in the corpus and the forms other documents
 * write, to the RFC 9535 filter (checked with json-p3's parser, which the runtime helper
 * evaluates it with) or to the simple condition (checked with the simple-condition parser),
 * and the errors for what cannot be read.
 */
import { jsonpath } from "json-p3";
import { describe, expect, test } from "vitest";
import { lenientExpressions, parseLenientJsonPath } from "../../generator/criteria/jsonpath-lenient.ts";
import { rfcString, toRfc9535Filter, toSimpleCondition } from "../../generator/criteria/jsonpath-lenient-print.ts";
import { parseCondition } from "../../generator/criteria/simple.ts";
import { DiagnosticBag } from "../../generator/diagnostics.ts";
import type { ParsedExpression } from "../../generator/expressions/ast.ts";
import { parseExpression } from "../../generator/expressions/parse.ts";
import { parseLoadedDocument } from "../../generator/load/document.ts";
import { buildCriteria } from "../../generator/ir/criteria.ts";
import { jsonPathMatches } from "../../generator/runtime/jsonpath.ts";

function expression(text: string): ParsedExpression {
  if (text === "$inputs") return { text, expression: { kind: "inputsObject" } };
  const parsed = parseExpression(text);
  if (!parsed.ok) throw new Error(`bad test data ${text}`);
  return parsed.value;
}

function filterOf(condition: string): string {
  const parsed = parseLenientJsonPath(condition);
  if (!parsed.ok) throw new Error(`${condition}: ${parsed.error.message}`);
  expect([...lenientExpressions(parsed.value)]).toEqual([]);
  return toRfc9535Filter(parsed.value);
}

/** Condition → the RFC 9535 filter shown to the author and run. */
const filters: [string, string][] = [
  // The corpus (test/../shared/corpus/*/arazzo).
  ["$.results.length > 0", "$[?length(@.results) > 0]"],
  ["$.results.length == 0", "$[?length(@.results) == 0]"],
  ["$.envelopes.length > 0", "$[?length(@.envelopes) > 0]"],
  ["$.data.length > 0", "$[?length(@.data) > 0]"],
  ['$.state == "running" || $.state == "scheduled"', "$[?@.state == 'running' || @.state == 'scheduled']"],
  ['$.state != "running" && $.state != "scheduled"', "$[?@.state != 'running' && @.state != 'scheduled']"],
  ['$[0].state == "running" || $[0].state == "scheduled"', "$[?@[0].state == 'running' || @[0].state == 'scheduled']"],
  ['$[0].state != "running" && $[0].state != "scheduled"', "$[?@[0].state != 'running' && @[0].state != 'scheduled']"],
  [
    "$.status == 'completed' || $.status == 'declined' || $.status == 'voided'",
    "$[?@.status == 'completed' || @.status == 'declined' || @.status == 'voided']",
  ],
  ["$.publishDate == null", "$[?!@.publishDate || @.publishDate == null]"],
  ["$.publishDate != null", "$[?@.publishDate && @.publishDate != null]"],
  ["$.data.completed == true", "$[?@.data.completed == true]"],
  ["$.data.completed == false", "$[?@.data.completed == false]"],
  ["$.cancel != true", "$[?@.cancel != true]"],
  ['$.connection_state != "connected"', "$[?@.connection_state != 'connected']"],
  // Fintecture (generated/ depends on these exact texts).
  ['$.status == "payment_completed"', "$[?@.status == 'payment_completed']"],
  [
    '$.status in ["payment_rejected","payment_cancelled","payment_failed"]',
    "$[?@.status == 'payment_rejected' || @.status == 'payment_cancelled' || @.status == 'payment_failed']",
  ],
  // Every operator, operand and grouping.
  ["$.a < 1", "$[?@.a < 1]"],
  ["$.a <= 1.5", "$[?@.a <= 1.5]"],
  ["$.a > -2", "$[?@.a > -2]"],
  ["$.a >= 1e3", "$[?@.a >= 1e3]"],
  ["$.a==1", "$[?@.a == 1]"],
  ["1 == $.a", "$[?1 == @.a]"],
  ["!($.a == 1)", "$[?!(@.a == 1)]"],
  ["! ( $.a == 1 || $.b == 2 )", "$[?!(@.a == 1 || @.b == 2)]"],
  ["($.a == 1 || $.b == 2) && $.c == 3", "$[?(@.a == 1 || @.b == 2) && @.c == 3]"],
  ["$.a == 1 || $.b == 2 && $.c == 3", "$[?@.a == 1 || @.b == 2 && @.c == 3]"],
  ["$.a == 1 && ($.b == 2 && $.c == 3)", "$[?@.a == 1 && @.b == 2 && @.c == 3]"],
  ["$.a == null && $.b == 1", "$[?(!@.a || @.a == null) && @.b == 1]"],
  ["$.a != null || $.b", "$[?@.a && @.a != null || @.b]"],
  ["null == $.a", "$[?!@.a || null == @.a]"],
  ["!($.a == null)", "$[?!(!@.a || @.a == null)]"],
  ["$.a.length() >= 2", "$[?length(@.a) >= 2]"],
  ["$.length > 0", "$[?length(@) > 0]"],
  ["$['length'] == 3", "$[?@.length == 3]"],
  ["$.length.x == 3", "$[?@.length.x == 3]"],
  ["$.a && $.b", "$[?@.a && @.b]"],
  ["!$.a", "$[?!@.a]"],
  ["!!$.a", "$[?!(!@.a)]"],
  ["$ == 'x'", "$[?@ == 'x']"],
  ["$.a == $.b", "$[?@.a == @.b]"],
  ["$.a.length == $.b.length", "$[?length(@.a) == length(@.b)]"],
  ["$['a-b'][\"c d\"] == 1", "$[?@['a-b']['c d'] == 1]"],
  ["$.a-b == 1", "$[?@['a-b'] == 1]"],
  ["$.é == 'ü'", "$[?@.é == 'ü']"],
  ["$.a[2].b == 'x'", "$[?@.a[2].b == 'x']"],
  ["$.a[2].b", "$[?@.a[2].b]"],
  ["$.a in ['x']", "$[?@.a == 'x']"],
  ["$.a in [1, true, null] && $.b", "$[?(@.a == 1 || @.a == true || !@.a || @.a == null) && @.b]"],
  // Strings: single quotes with RFC 9535 escapes or '' for ', double quotes with JSON escapes; output single-quoted.
  ["$.a == 'it''s'", "$[?@.a == 'it\\'s']"],
  ["$.a == 'it\\'s'", "$[?@.a == 'it\\'s']"],
  ['$.a == "say \\"hi\\""', "$[?@.a == 'say \"hi\"']"],
  ['$.a == "back\\\\slash"', "$[?@.a == 'back\\\\slash']"],
  ['$.a == "tab\\tnew\\nline\\u0001"', "$[?@.a == 'tab\\tnew\\nline\\u0001']"],
  ["$.a == '$.b == 1 && x'", "$[?@.a == '$.b == 1 && x']"],
];

/** Condition, context value → whether the criterion holds, evaluated as the generated code does. */
const evaluations: [string, unknown, boolean][] = [
  ["$.results.length > 0", { results: [1] }, true],
  ["$.results.length > 0", { results: [] }, false],
  ["$.results.length > 0", {}, false],
  ["$.results.length == 0", { results: [] }, true],
  ["$.results.length == 0", {}, false],
  ["$.name.length == 3", { name: "abc" }, true],
  ['$.state == "running" || $.state == "scheduled"', { state: "scheduled" }, true],
  ['$.state == "running" || $.state == "scheduled"', { state: "passed" }, false],
  ['$.state == "running" || $.state == "scheduled"', { state: "RUNNING" }, false],
  ['$.state != "running" && $.state != "scheduled"', { state: "passed" }, true],
  ['$.state != "running" && $.state != "scheduled"', { state: "running" }, false],
  ['$[0].state == "running" || $[0].state == "scheduled"', [{ state: "running" }], true],
  ['$[0].state == "running" || $[0].state == "scheduled"', [{ state: "passed" }, { state: "running" }], false],
  ['$[0].state != "running" && $[0].state != "scheduled"', [], true],
  ["$.a[1].b == 'x'", { a: [{}, { b: "x" }] }, true],
  ["$.publishDate == null", {}, true],
  ["$.publishDate == null", { publishDate: null }, true],
  ["$.publishDate == null", { publishDate: "2030-01-01" }, false],
  ["$.publishDate != null", {}, false],
  ["$.publishDate != null", { publishDate: null }, false],
  ["$.publishDate != null", { publishDate: "" }, true],
  ["$.data.completed == true", { data: { completed: true } }, true],
  ["$.data.completed == true", { data: { completed: "true" } }, false],
  ["$.cancel != true", {}, true],
  ["$.cancel != true", { cancel: true }, false],
  ["$.a && $.b", { a: false, b: null }, true],
  ["$.a && $.b", { a: 1 }, false],
  ["!$.a", { b: 1 }, true],
  ["!($.a == 1)", { a: 2 }, true],
  ["$ == 'x'", "x", true],
  ["$.a < 10", { a: 9 }, true],
  ["$.a < 10", { a: "9" }, false],
  ["$.a == 'it''s'", { a: "it's" }, true],
];

/** Condition, context → the simple condition it means (it has runtime-expression operands). */
const simples: [string, string, string][] = [
  ["$.result.value == $inputs.sslValue", "$response.body", "$response.body#/result/value == $inputs.sslValue"],
  ["$.count > $steps.a.outputs.min", "$response.body", "$response.body#/count > $steps.a.outputs.min"],
  ["$.count <= $steps.a.outputs.min && $.state == 'x'", "$response.body", "$response.body#/count <= $steps.a.outputs.min && $response.body#/state == 'x'"],
  ["$[0].id == $inputs.id", "$response.body", "$response.body#/0/id == $inputs.id"],
  ["$.id == $inputs.id", "$response.body#/data", "$response.body#/data/id == $inputs.id"],
  ["$.id == $inputs.id", "$request.body", "$request.body#/id == $inputs.id"],
  ["$['a/b']['c~d'] == $inputs.x", "$response.body", "$response.body#/a~1b/c~0d == $inputs.x"],
  ["$.cancel == $inputs.expected", "$inputs", "$inputs.cancel == $inputs.expected"],
  ["$.customer.name == $inputs.expected", "$inputs", "$inputs.customer#/name == $inputs.expected"],
  ["$.id == $inputs.id", "$steps.s.outputs.list", "$steps.s.outputs.list#/id == $inputs.id"],
  ["$.id == $inputs.id", "$steps.s.outputs.list#/0", "$steps.s.outputs.list#/0/id == $inputs.id"],
  ["$ == $inputs.code", "$statusCode", "$statusCode == $inputs.code"],
  ["$ == $inputs.x", "$response.header.X-Id", "$response.header.X-Id == $inputs.x"],
  ["$.a == 'it''s' || $.b == $statusCode", "$response.body", "$response.body#/a == 'it''s' || $response.body#/b == $statusCode"],
  ["!($.a == $inputs.x) && $inputs.flag", "$response.body", "!($response.body#/a == $inputs.x) && $inputs.flag"],
  ["!$inputs.flag", "$response.body", "!$inputs.flag"],
  ["($.a == 1 || $.b == 2) && $.c == $inputs.c", "$response.body", "($response.body#/a == 1 || $response.body#/b == 2) && $response.body#/c == $inputs.c"],
  ["$.a in ['x', 'y'] && $.b == $inputs.b", "$response.body", "($response.body#/a == 'x' || $response.body#/a == 'y') && $response.body#/b == $inputs.b"],
  ["$.a == null || $.b == $inputs.b", "$response.body", "$response.body#/a == null || $response.body#/b == $inputs.b"],
  ['$.a == "double" && $.b == $response.body#/c', "$response.body", "$response.body#/a == 'double' && $response.body#/b == $response.body#/c"],
];

/** Condition → what the parser rejects, and where (0-based offset). */
const unreadable: [string, string, number][] = [
  ["", "empty condition", 0],
  ["$.items[*].status == 'x'", "cannot read `[*]` (a wildcard) in a comparison: only `.name`, `['name']` and `[0]` can be compared", 7],
  ["$.items.*.status == 'x'", "cannot read `.*` (all members)", 7],
  ["$..status == 'x'", "cannot read `..` (descendants)", 1],
  ["$.items[?(@.a == 1)].b == 2", "cannot read `[?(@.a == 1)]` (a filter)", 7],
  ["$.items[0:2] == 1", "cannot read `[0:2]`", 7],
  ["$.items[-1].a == 1", "cannot read `[-1]` (a negative index)", 7],
  ["$.items[0,1] == 1", "cannot read `[0,1]` (a list)", 7],
  ["$.items[0 == 1", "missing `]` to close the `[` at character 8", 14],
  ["$.items['a' == 1", "expected `]` to close the `[` at character 8", 11],
  ["$.items[a] == 1", "cannot read `[a]` (not a name or an index)", 7],
  ["$.items[01] == 1", "leading zeros", 8],
  ["$.items[99999999999999999999] == 1", "out of range", 8],
  ["$.a.count() > 0", "cannot read `$.a.count(`: the only method is a final `.length()`", 9],
  ["$.a.length().b == 1", "`.length()` must end the path", 12],
  ["$.1 == 1", "a name cannot start with a digit", 2],
  ["$. == 1", "expected a name after `.`", 2],
  ["$.a = 1", "unexpected `=`; expected `&&`, `||` or the end of the condition; did you mean `==`?", 4],
  ["$.a === 1", "`===` is not an operator; use `==`", 4],
  ["$.a == 1 & $.b", "did you mean `&&`?", 9],
  ["$.a == 1 == true", "comparison operators cannot be chained", 9],
  ["!$.a == 1", "`!$.a` cannot be compared: to negate a comparison, write `!(… == …)`", 5],
  ["($.a == 1) == true", "`($.a == 1)` cannot be compared: it is a condition, not a value", 11],
  ["($.a == 1", "missing `)` to close the `(` at character 1", 9],
  ["true", "`true` alone is not a condition", 0],
  ["$.a == 1 || 'x'", "`'x'` alone is not a condition", 12],
  ["1 == 1", "not two literals", 2],
  ["$.a.length", "`$.a.length` alone is not a condition; compare it (`$.a.length > 0`)", 0],
  ["$.a in []", "`in []` never holds", 8],
  ["$.a in [$.b]", "`in` lists only literals", 8],
  ["$.a in 'x'", "expected a list of literals after `in`", 7],
  ["'x' in ['x']", "`in` needs a path or a runtime expression on its left", 0],
  ["$.a == 'x", "unterminated string: missing the closing `'`", 7],
  ['$.a == "x', 'unterminated string: missing the closing `"`', 7],
  ["$.a == 'x\\qy'", "invalid escape `\\q` in a string", 9],
  ['$.a == "x\\qy"', "invalid double-quoted string", 7],
  ["$.a == 0x10", "invalid number `0x10`", 7],
  ["$.a == yes", "unexpected `yes`", 7],
  ["@.a == 1", "`@` is only meaningful inside an RFC 9535 filter", 0],
  ["$.a == $foo.bar", "unknown runtime expression root `$foo`", 7],
  ["$.a == $inputs", "`$inputs` must be followed by `.<name>`", 14],
  ["$.a == $steps.x", "must continue with `.outputs.<name>`", 15],
];

/** Condition, context → why it has no simple-condition reading, and where. */
const noSimpleReading: [string, string, string, number][] = [
  ["$.results.length > $inputs.min", "$response.body", "a length cannot be compared with a runtime expression", 0],
  ["$.a && $.b == $inputs.b", "$response.body", "an existence test (a path alone) cannot be combined with runtime expressions", 0],
  ["$.a == $inputs.a", "$statusCode", "`$statusCode` has no members to read `$.a` from", 0],
  ["$.a == $inputs.a", "$response.header.X-Id", "has no members", 0],
  ["$ == $inputs.a", "$inputs", "`$` here is the whole inputs object", 0],
  ["$[0] == $inputs.a", "$inputs", "the inputs have no index 0", 0],
  ["$['a b'] == $inputs.a", "$response.body", 'member name "a b" cannot be written in a simple condition', 0],
  ["$.x == 1 || $['a=b'] == $inputs.a", "$response.body", 'member name "a=b"', 12],
];

/**
 * Whether `query` parses with json-p3; throws if it does not, unless the reason is an escape
 * `\u0000`–`\u001f` in a string, which RFC 9535 §2.3.1.1 allows and json-p3 2.3.1 rejects
 * ("invalid character"): a criterion with such a string is an `invalid-jsonpath` error.
 */
function parsesUnlessControlEscape(query: string): boolean {
  try {
    jsonpath.compile(query);
    return true;
  } catch (error) {
    if (/\\u00[01][0-9a-f]/i.test(query) && /^invalid character /.test((error as Error).message)) return false;
    throw error;
  }
}

describe("RFC 9535 reading", () => {
  test.each(filters)("%s → %s", (given, text) => {
    expect(filterOf(given)).toBe(text);
    // It parses as RFC 9535 with the parser the generated code uses (which rejects the escapes of
    // U+0000 to U+001F other than `\b\f\n\r\t`, valid as they are: see `parsesUnlessControlEscape`).
    parsesUnlessControlEscape(text);
  });

  test.each(filters.filter(([given]) => !given.includes("'$")))("%s: whitespace around tokens changes nothing", (given) => {
    const padded = ` \t${given.replace(/(==|!=|<=|>=|&&|\|\|)/g, "  $1\n")} `;
    expect(filterOf(padded)).toEqual(filterOf(given));
  });

  test.each(evaluations)("%s on %j → %s", (given, context, holds) => {
    expect(jsonPathMatches(context, filterOf(given), true)).toBe(holds);
  });

  test.each([
    ["plain", "'plain'"],
    ["it's", "'it\\'s'"],
    ["a\\b", "'a\\\\b'"],
    ['"', "'\"'"],
    ["\u0000\u001f\b\f\n\r\t", "'\\u0000\\u001f\\b\\f\\n\\r\\t'"],
    ["é😀", "'é😀'"],
  ])("RFC 9535 string literal for %j", (value, literal) => {
    expect(rfcString(value)).toBe(literal);
    if (!parsesUnlessControlEscape(`$[?@ == ${literal}]`)) return;
    const [filter] = jsonpath.compile(`$[?@ == ${literal}]`).segments[0]!.selectors;
    expect(filter).toBeInstanceOf(jsonpath.selectors.FilterSelector);
    const comparison = (filter as jsonpath.selectors.FilterSelector).expression.expression;
    expect(comparison).toBeInstanceOf(jsonpath.expressions.InfixExpression);
    expect((comparison as jsonpath.expressions.InfixExpression).right).toMatchObject({ value });
  });
});

describe("simple-condition reading (runtime-expression operands)", () => {
  test.each(simples)("%s on %s → %s", (given, context, want) => {
    const parsed = parseLenientJsonPath(given);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect([...lenientExpressions(parsed.value)].length).toBeGreaterThan(0);
    expect(toSimpleCondition(parsed.value, expression(context))).toEqual({ ok: true, value: want });
    expect(parseCondition(want).ok).toBe(true);
  });

  test.each(noSimpleReading)("%s on %s has none: %s", (given, context, message, offset) => {
    const parsed = parseLenientJsonPath(given);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const result = toSimpleCondition(parsed.value, expression(context));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toContain(message);
    expect(result.error.offset).toBe(offset);
  });
});

describe("unreadable conditions", () => {
  test.each(unreadable)("%j: %s", (given, message, offset) => {
    const result = parseLenientJsonPath(given);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toContain(message);
    expect(result.error.offset).toBe(offset);
  });
});

describe("buildCriteria", () => {
  /** Builds one criterion from YAML; returns the model, the diagnostics and the expressions checked. */
  function build(criterion: Record<string, unknown>) {
    const diagnostics = new DiagnosticBag();
    const doc = parseLoadedDocument("/t.arazzo.yaml", JSON.stringify({ criteria: [criterion] }), diagnostics)!;
    const checked: string[] = [];
    const [model] = buildCriteria(doc.data && (doc.data as { criteria: unknown }).criteria, ["criteria"], doc, diagnostics, (e) => checked.push(e.text));
    const shown = diagnostics.items.map((d) => `${d.severity} ${d.code}: ${d.message}${d.hint ? ` | hint: ${d.hint}` : ""}`);
    return { model, diagnostics: shown, checked };
  }
  const jsonpath = (condition: string, context = "$response.body") => ({ context, condition, type: "jsonpath" });

  test("a valid RFC 9535 query is kept as written, without a warning", () => {
    for (const [query, filtersContext] of [
      ["$[?count(@.pets) > 0]", true],
      ["$[?@.items[0].status == 'done']", true],
      ["$..[?@.a == 1]", false],
      ["$.signers[?(@.status != 'completed')]", false],
      ["$.a", false],
    ] as const) {
      const { model, diagnostics } = build(jsonpath(query));
      expect(diagnostics).toEqual([]);
      expect(model).toMatchObject({ kind: "jsonpath", query, dialect: "rfc9535", filtersContext });
    }
  });

  test("a comparison without runtime expressions: the filter on the context, with the filter to write", () => {
    const { model, diagnostics, checked } = build(jsonpath("$[0].state == 'running'"));
    expect(model).toMatchObject({ kind: "jsonpath", text: "$[0].state == 'running'", query: "$[?@[0].state == 'running']", filtersContext: true });
    expect(diagnostics).toEqual([
      "warning jsonpath-comparison: `$[0].state == 'running'` is not an RFC 9535 JSONPath query; it is read as the filter `$[?@[0].state == 'running']`, which holds when the context matches | hint: write `condition: $[?@[0].state == 'running']`",
    ]);
    expect(checked).toEqual(["$response.body"]);
  });

  test("a comparison with a runtime expression: the simple condition, its expressions checked", () => {
    const { model, diagnostics, checked } = build(jsonpath("$.result.value == $inputs.sslValue"));
    expect(model).toMatchObject({ kind: "simple", text: "$.result.value == $inputs.sslValue" });
    expect(model?.kind === "simple" && model.condition).toEqual(
      (parseCondition("$response.body#/result/value == $inputs.sslValue") as { value: unknown }).value,
    );
    expect(diagnostics).toEqual([
      "warning jsonpath-comparison: `$.result.value == $inputs.sslValue` is not an RFC 9535 JSONPath query, and RFC 9535 cannot compare with a runtime expression; it is read as the simple condition `$response.body#/result/value == $inputs.sslValue` | hint: write `condition: $response.body#/result/value == $inputs.sslValue` (type: simple)",
    ]);
    expect(checked).toEqual(["$response.body", "$inputs.sslValue"]);
  });

  test("`context: $inputs`: the whole inputs object, with a warning", () => {
    const { model, diagnostics, checked } = build(jsonpath("$.cancel == true", "$inputs"));
    expect(model).toMatchObject({ kind: "jsonpath", context: { text: "$inputs", expression: { kind: "inputsObject" } }, query: "$[?@.cancel == true]" });
    expect(diagnostics[0]).toBe(
      "warning bare-inputs-context: `$inputs` alone is not a runtime expression (the ABNF requires `$inputs.<name>`); it is read as the object of all workflow inputs | hint: name the input: `context: $inputs.<name>`, or test it in a simple condition (`condition: $inputs.<name> == …`, no `context`)",
    );
    expect(diagnostics[1]).toMatch(/^warning jsonpath-comparison: /);
    // `$.cancel` on `$inputs` reads input `cancel`: checked as `$inputs.cancel` (an unknown input is reported).
    expect(checked).toEqual(["$inputs.cancel"]);
  });

  test("`context: $inputs` with a runtime-expression operand: the simple condition on the named inputs", () => {
    const { model, checked } = build(jsonpath("$.customer.name == $inputs.expected", "$inputs"));
    expect(model?.kind === "simple" && model.condition).toEqual((parseCondition("$inputs.customer#/name == $inputs.expected") as { value: unknown }).value);
    expect(checked).toEqual(["$inputs.customer", "$inputs.expected"]);
    const indexed = build(jsonpath("$.customer.name == $inputs.expected || $[0] == 1", "$inputs"));
    expect(indexed.model).toBeUndefined();
    expect(indexed.diagnostics[1]).toContain("error invalid-jsonpath: ");
    expect(indexed.diagnostics[1]).toContain("the inputs have no index 0");
  });

  test("`context: $inputs` with a regex criterion", () => {
    const { model, diagnostics } = build({ context: "$inputs", condition: "^x", type: "regex" });
    expect(model).toMatchObject({ kind: "regex", context: { expression: { kind: "inputsObject" } } });
    expect(diagnostics.map((d) => d.split(":")[0])).toEqual(["warning bare-inputs-context"]);
  });

  test("`$inputs.` with nothing after it is still an error", () => {
    expect(build(jsonpath("$.a == 1", "$inputs.")).diagnostics).toEqual(["error invalid-expression: context: expected a name after `$inputs.`"]);
  });

  test("an RFC 9535 query with a typo: the RFC 9535 parser's message, where it got further", () => {
    expect(build(jsonpath("$.tags[?(@ == 'a']")).diagnostics).toEqual([
      "error invalid-jsonpath: not an RFC 9535 JSONPath query: unbalanced brackets (at character 18) | hint: a condition on the context is an RFC 9535 filter, e.g. `$[?@.status == 'done']`; a comparison with runtime expressions is a simple condition",
    ]);
  });

  test("a comparison that cannot be read: what part, where", () => {
    expect(build(jsonpath("$.items[*].status == 'x'")).diagnostics).toEqual([
      "error invalid-jsonpath: not an RFC 9535 JSONPath query, nor a comparison arazzo-ts can read: cannot read `[*]` (a wildcard) in a comparison: only `.name`, `['name']` and `[0]` can be compared (at character 8 of `$.items[*].status == 'x'`) | hint: a condition on the context is an RFC 9535 filter, e.g. `$[?@.status == 'done']`; a comparison with runtime expressions is a simple condition",
    ]);
  });

  test("a comparison with a runtime expression that a simple condition cannot say", () => {
    expect(build(jsonpath("$.results.length > $inputs.min")).diagnostics).toEqual([
      "error invalid-jsonpath: not an RFC 9535 JSONPath query, and RFC 9535 cannot compare with a runtime expression; it cannot be read as a simple condition either: a length cannot be compared with a runtime expression: RFC 9535 has no runtime expressions, and simple conditions have no length (at character 1 of `$.results.length > $inputs.min`)",
    ]);
  });

  test("an unknown input in a comparison is reported by the reference check", () => {
    expect(build(jsonpath("$.a == $inputs.nope")).checked).toEqual(["$response.body", "$inputs.nope"]);
  });

  test("a double-quoted string in a simple condition: a warning with the whole condition single-quoted", () => {
    const { model, diagnostics } = build({ condition: `$response.body#/name == "it's" || $response.body#/alias == "a\\"b"` });
    expect(model?.kind === "simple" && model.condition).toEqual(
      (parseCondition("$response.body#/name == 'it''s' || $response.body#/alias == 'a\"b'") as { value: unknown }).value,
    );
    expect(diagnostics).toEqual([
      "warning double-quoted-string: strings in conditions use single quotes; `\"it's\"`, `\"a\\\"b\"` are read as the JSON strings they spell | hint: write `condition: $response.body#/name == 'it''s' || $response.body#/alias == 'a\"b'`",
    ]);
  });
});
