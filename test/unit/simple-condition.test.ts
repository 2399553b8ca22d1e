/**
 * Simple criterion conditions (Arazzo 1.0.1 §"Criterion Object": Literals, Operators):
 * every literal and operator, precedence, accessors, errors with offsets, and every simple
 * condition in the Fintecture and example documents.
 */
import { describe, expect, test } from "vitest";
import type { ConditionNode } from "../../generator/expressions/ast.ts";
import { parseExpression } from "../../generator/expressions/parse.ts";
import { parseCondition, parseConditionNoting, singleQuoted } from "../../generator/criteria/simple.ts";

type Node = ConditionNode;
type BinaryOperator = Extract<Node, { kind: "binary" }>["operator"];

const lit = (value: string | number | boolean | null): Node => ({ kind: "literal", value });
function ex(text: string, accessors: (string | number)[] = []): Node {
  const result = parseExpression(text);
  if (!result.ok) throw new Error(`bad test data ${text}: ${result.error.message}`);
  return { kind: "expression", parsed: result.value, accessors };
}
const not = (operand: Node): Node => ({ kind: "not", operand });
const bin = (operator: BinaryOperator, left: Node, right: Node): Node => ({ kind: "binary", operator, left, right });
const status = ex("$statusCode");

const valid: [string, { given: string; want: Node }][] = [
  // Literals.
  ["true", { given: "true", want: lit(true) }],
  ["false", { given: "false", want: lit(false) }],
  ["null", { given: "null", want: lit(null) }],
  ["integer", { given: "200", want: lit(200) }],
  ["zero", { given: "0", want: lit(0) }],
  ["negative", { given: "-1", want: lit(-1) }],
  ["negative zero", { given: "-0", want: lit(-0) }],
  ["fraction", { given: "1.5", want: lit(1.5) }],
  ["exponent", { given: "1e3", want: lit(1000) }],
  ["exponent with sign", { given: "2.5E-2", want: lit(0.025) }],
  ["exponent with plus", { given: "-1e+2", want: lit(-100) }],
  ["string", { given: "'abc'", want: lit("abc") }],
  ["empty string", { given: "''", want: lit("") }],
  ["escaped quote", { given: "'it''s'", want: lit("it's") }],
  ["only an escaped quote", { given: "''''", want: lit("'") }],
  ["string with operators and spaces", { given: "' a == b && (c) \"d\" $x '", want: lit(' a == b && (c) "d" $x ') }],
  // Double-quoted strings (not the spec's, but plain): JSON strings; the caller warns.
  ["double-quoted string", { given: '"abc"', want: lit("abc") }],
  ["double-quoted empty string", { given: '""', want: lit("") }],
  ["double-quoted with a single quote", { given: '"it\'s"', want: lit("it's") }],
  ["double-quoted with JSON escapes", { given: '"a\\"b\\\\c\\n\\u00e9"', want: lit('a"b\\c\né') }],
  ["double-quoted compared", { given: '$response.body#/status == "active"', want: bin("==", ex("$response.body#/status"), lit("active")) }],
  // Expression operands and truthiness.
  ["bare $statusCode", { given: "$statusCode", want: status }],
  ["surrounding whitespace", { given: "  $statusCode\t", want: status }],
  ["bare body pointer", { given: "$response.body#/ok", want: ex("$response.body#/ok") }],
  ["pointer with dots", { given: "$response.body#/a.b == 1", want: bin("==", ex("$response.body#/a.b"), lit(1)) }],
  ["pointer with escapes", { given: "$response.body#/a~1b/c~0d != null", want: bin("!=", ex("$response.body#/a~1b/c~0d"), lit(null)) }],
  ["header operand", { given: "$response.header.X-Rate-Limit > 0", want: bin(">", ex("$response.header.X-Rate-Limit"), lit(0)) }],
  ["inputs with path", { given: "$inputs.customer.firstName == 'Ann'", want: bin("==", ex("$inputs.customer.firstName"), lit("Ann")) }],
  // Accessors.
  ["index", { given: "$steps.a.outputs.list[0] == 1", want: bin("==", ex("$steps.a.outputs.list", [0]), lit(1)) }],
  ["index then property", { given: "$steps.a.outputs.list[0].id", want: ex("$steps.a.outputs.list", [0, "id"]) }],
  ["two indexes", { given: "$inputs.m[1][12]", want: ex("$inputs.m", [1, 12]) }],
  ["index, properties, index", { given: "$inputs.x[0].a.b[2] >= 3", want: bin(">=", ex("$inputs.x", [0, "a", "b", 2]), lit(3)) }],
  ["index on whole body", { given: "$response.body[0]", want: ex("$response.body", [0]) }],
  ["index on $statusCode", { given: "$statusCode[0]", want: ex("$statusCode", [0]) }],
  ["index then operator without spaces", { given: "$inputs.l[0]==1", want: bin("==", ex("$inputs.l", [0]), lit(1)) }],
  ["property then operator without spaces", { given: "$inputs.l[0].n<1", want: bin("<", ex("$inputs.l", [0, "n"]), lit(1)) }],
  // Every operator.
  ["==", { given: "$statusCode == 200", want: bin("==", status, lit(200)) }],
  ["!=", { given: "$statusCode != 200", want: bin("!=", status, lit(200)) }],
  ["<", { given: "$statusCode < 300", want: bin("<", status, lit(300)) }],
  ["<=", { given: "$statusCode <= 299", want: bin("<=", status, lit(299)) }],
  [">", { given: "$statusCode > 199", want: bin(">", status, lit(199)) }],
  [">=", { given: "$statusCode >= 200", want: bin(">=", status, lit(200)) }],
  ["&&", { given: "true && false", want: bin("&&", lit(true), lit(false)) }],
  ["||", { given: "true || false", want: bin("||", lit(true), lit(false)) }],
  ["!", { given: "!$inputs.flag", want: not(ex("$inputs.flag")) }],
  ["! with space", { given: "! $inputs.flag", want: not(ex("$inputs.flag")) }],
  ["!!", { given: "!!true", want: not(not(lit(true))) }],
  ["parentheses", { given: "($statusCode)", want: status }],
  ["nested parentheses", { given: "((true))", want: lit(true) }],
  ["operators without spaces", { given: "$statusCode>=200&&$statusCode<300", want: bin("&&", bin(">=", status, lit(200)), bin("<", status, lit(300))) }],
  ["literal on the left", { given: "200 == $statusCode", want: bin("==", lit(200), status) }],
  ["compare negative", { given: "$inputs.n>-1", want: bin(">", ex("$inputs.n"), lit(-1)) }],
  ["compare string", { given: "$response.body#/status == 'payment_completed'", want: bin("==", ex("$response.body#/status"), lit("payment_completed")) }],
  // Precedence and associativity.
  ["&& binds tighter than ||", { given: "true || false && null", want: bin("||", lit(true), bin("&&", lit(false), lit(null))) }],
  ["&& binds tighter than || (left)", { given: "true && false || null", want: bin("||", bin("&&", lit(true), lit(false)), lit(null)) }],
  ["|| is left-associative", { given: "1 || 2 || 3", want: bin("||", bin("||", lit(1), lit(2)), lit(3)) }],
  ["&& is left-associative", { given: "1 && 2 && 3", want: bin("&&", bin("&&", lit(1), lit(2)), lit(3)) }],
  ["comparison binds tighter than &&", { given: "1 == 2 && 3 != 4", want: bin("&&", bin("==", lit(1), lit(2)), bin("!=", lit(3), lit(4))) }],
  ["! binds tighter than comparison", { given: "!true == false", want: bin("==", not(lit(true)), lit(false)) }],
  ["! binds tighter than &&", { given: "!true && false", want: bin("&&", not(lit(true)), lit(false)) }],
  ["parentheses override", { given: "(true || false) && null", want: bin("&&", bin("||", lit(true), lit(false)), lit(null)) }],
  ["! on a group", { given: "!($statusCode == 200)", want: not(bin("==", status, lit(200))) }],
  ["comparison of groups", { given: "(1) < (2)", want: bin("<", lit(1), lit(2)) }],
  ["chained comparison in parentheses", { given: "(1 == 2) == false", want: bin("==", bin("==", lit(1), lit(2)), lit(false)) }],
];

/** Every simple (untyped) condition in specs/fintecture/arazzo and the Arazzo 1.0 examples. */
const corpus: [string, Node][] = [
  ["$statusCode == 200", bin("==", status, lit(200))],
  ["$statusCode == 201", bin("==", status, lit(201))],
  ["$statusCode == 202", bin("==", status, lit(202))],
  ["$statusCode == 204", bin("==", status, lit(204))],
  ["$statusCode == 302", bin("==", status, lit(302))],
  ["$statusCode == 200 || $statusCode == 201", bin("||", bin("==", status, lit(200)), bin("==", status, lit(201)))],
  ["$response.body#/access_token != null", bin("!=", ex("$response.body#/access_token"), lit(null))],
  ["$response.body#/existingCustomerNotEligible == false", bin("==", ex("$response.body#/existingCustomerNotEligible"), lit(false))],
  ["$response.body#/redirectAuthToken != null", bin("!=", ex("$response.body#/redirectAuthToken"), lit(null))],
  ["$response.body#/redirectAuthToken == null", bin("==", ex("$response.body#/redirectAuthToken"), lit(null))],
  [
    "$steps.checkLoanCanBeProvided.outputs.eligibilityCheckRequired == false",
    bin("==", ex("$steps.checkLoanCanBeProvided.outputs.eligibilityCheckRequired"), lit(false)),
  ],
  [
    "$steps.checkLoanCanBeProvided.outputs.eligibilityCheckRequired == true",
    bin("==", ex("$steps.checkLoanCanBeProvided.outputs.eligibilityCheckRequired"), lit(true)),
  ],
];

const invalid: [string, { given: string; want: { message: string; offset: number } }][] = [
  ["empty", { given: "", want: { message: "empty condition", offset: 0 } }],
  ["whitespace only", { given: "   ", want: { message: "empty condition", offset: 0 } }],
  ["unterminated double-quoted string", { given: '$inputs.s == "x', want: { message: 'unterminated string: missing the closing `"`', offset: 13 } }],
  ["unterminated double-quoted string after an escaped quote", { given: '"x\\"', want: { message: "unterminated string", offset: 0 } }],
  ["invalid JSON escape", { given: '$inputs.s == "a\\qb"', want: { message: "invalid double-quoted string (JSON syntax)", offset: 13 } }],
  ["raw line break in a double-quoted string", { given: '"a\nb"', want: { message: "invalid double-quoted string (JSON syntax)", offset: 0 } }],
  ["unterminated string", { given: "$inputs.s == 'abc", want: { message: "unterminated string", offset: 13 } }],
  ["unterminated after escaped quote", { given: "'it''", want: { message: "unterminated string", offset: 0 } }],
  ["chained ==", { given: "$statusCode == 200 == true", want: { message: "comparison operators cannot be chained", offset: 19 } }],
  ["chained <", { given: "1 < 2 < 3", want: { message: "cannot be chained", offset: 6 } }],
  [
    "single =",
    { given: "$statusCode = 200", want: { message: "unexpected `=`; expected an operator or the end of the condition; did you mean `==`?", offset: 12 } },
  ],
  ["single &", { given: "true & false", want: { message: "did you mean `&&`?", offset: 5 } }],
  ["single |", { given: "true | false", want: { message: "did you mean `||`?", offset: 5 } }],
  ["missing right operand", { given: "$statusCode ==", want: { message: "expected an operand at the end of the condition", offset: 14 } }],
  ["missing right operand of &&", { given: "true && ", want: { message: "expected an operand", offset: 8 } }],
  ["missing left operand", { given: "== 200", want: { message: "unexpected `=`; expected an operand", offset: 0 } }],
  ["dangling !", { given: "!", want: { message: "expected an operand", offset: 1 } }],
  ["! before operator", { given: "!= 1", want: { message: "unexpected `!`", offset: 0 } }],
  ["missing )", { given: "($statusCode == 200", want: { message: "missing `)` to close the `(` at offset 0", offset: 19 } }],
  ["missing ) nested", { given: "true && (1 || (2)", want: { message: "missing `)` to close the `(` at offset 8", offset: 17 } }],
  ["extra )", { given: "true)", want: { message: "unexpected `)`", offset: 4 } }],
  ["empty parentheses", { given: "()", want: { message: "unexpected `)`; expected an operand", offset: 1 } }],
  ["two operands", { given: "$statusCode 200", want: { message: "unexpected `2`", offset: 12 } }],
  ["word operator", { given: "$statusCode in 200", want: { message: "unexpected `in`", offset: 12 } }],
  ["bare word", { given: "ok == true", want: { message: "unexpected `ok`; expected `true`, `false`, `null`, a number, a 'string'", offset: 0 } }],
  ["capitalised True", { given: "True", want: { message: "unexpected `True`", offset: 0 } }],
  ["leading zero", { given: "$statusCode == 0200", want: { message: "invalid number `0200`", offset: 15 } }],
  ["trailing dot number", { given: "1. == 1", want: { message: "invalid number `1.`", offset: 0 } }],
  ["leading dot number", { given: ".5", want: { message: "unexpected `.`", offset: 0 } }],
  ["incomplete exponent", { given: "1e", want: { message: "invalid number `1e`", offset: 0 } }],
  ["lone minus", { given: "- 1", want: { message: "invalid number `-`", offset: 0 } }],
  ["number then letters", { given: "200OK", want: { message: "invalid number `200OK`", offset: 0 } }],
  ["hex", { given: "0x10", want: { message: "invalid number `0x10`", offset: 0 } }],
  ["out of range", { given: "1e400", want: { message: "number `1e400` is out of range", offset: 0 } }],
  ["unknown root", { given: "$foo == 1", want: { message: "unknown runtime expression root `$foo`", offset: 0 } }],
  ["bad expression on the right", { given: "1 == $steps.a", want: { message: "must continue with `.outputs.<name>`", offset: 13 } }],
  ["bad pointer", { given: "$response.body#/a~2 == 1", want: { message: "invalid JSON pointer escape `~2`", offset: 17 } }],
  [
    "jsonpath $.",
    { given: '$.status == "COMPLETED"', want: { message: "`$.` and `$[` start a JSONPath query, not a runtime expression; use `type: jsonpath`", offset: 0 } },
  ],
  ["jsonpath $[", { given: "$[?count(@.products) > 0]", want: { message: "start a JSONPath query", offset: 0 } }],
  ["jsonpath after &&", { given: "true && $.a", want: { message: "start a JSONPath query", offset: 8 } }],
  [
    "index after pointer",
    {
      given: "$response.body#/items[0] == 1",
      want: { message: "an expression with a JSON pointer cannot be indexed with `[]`; extend the pointer instead", offset: 21 },
    },
  ],
  ["index not a number", { given: "$inputs.l[a]", want: { message: "an index must be a non-negative integer", offset: 10 } }],
  ["negative index", { given: "$inputs.l[-1]", want: { message: "an index must be a non-negative integer", offset: 10 } }],
  ["quoted index", { given: "$inputs.l['a']", want: { message: "an index must be a non-negative integer", offset: 10 } }],
  ["unclosed index", { given: "$inputs.l[0", want: { message: "an index must be a non-negative integer in brackets", offset: 11 } }],
  ["leading zero index", { given: "$inputs.l[01]", want: { message: "leading zeros", offset: 10 } }],
  ["empty property", { given: "$inputs.l[0]. == 1", want: { message: "expected a property name after `.`", offset: 13 } }],
  ["space before index", { given: "$inputs.l [0]", want: { message: "unexpected `[`", offset: 10 } }],
  ["stray ]", { given: "$inputs.l]", want: { message: "unexpected `]`", offset: 9 } }],
  ["trailing dot after expression", { given: "$inputs.l. == 1", want: { message: "unexpected `.`", offset: 9 } }],
  ["unexpected character", { given: "@", want: { message: "unexpected `@`; expected an operand", offset: 0 } }],
];

describe("parseCondition", () => {
  test.each(valid)("%s", (_name, { given, want }) => {
    expect(parseCondition(given)).toEqual({ ok: true, value: want });
  });

  test.each(corpus)("document condition %s", (given, want) => {
    expect(parseCondition(given)).toEqual({ ok: true, value: want });
  });

  test.each(invalid)("rejects %s", (_name, { given, want }) => {
    const result = parseCondition(given);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toContain(want.message);
    expect(result.error.offset).toBe(want.offset);
  });

  // Property: a string literal with any number of quotes round-trips through `''` escaping.
  test.each(["", "'", "''", "a'b", "'x'", "it's a 'test'", "==", "$inputs.a"])("string literal %j round-trips", (value) => {
    const source = `'${value.replaceAll("'", "''")}'`;
    expect(parseCondition(source)).toEqual({ ok: true, value: lit(value) });
  });

  // Double-quoted strings are listed with their offsets, and `singleQuoted` rewrites them the spec's way.
  test.each([
    ['$response.body#/status == "active"', [{ start: 26, end: 34, value: "active" }], "$response.body#/status == 'active'"],
    [
      '"it\'s" == $inputs.a || $inputs.b != "x\\"y"',
      [
        { start: 0, end: 6, value: "it's" },
        { start: 36, end: 42, value: 'x"y' },
      ],
      "'it''s' == $inputs.a || $inputs.b != 'x\"y'",
    ],
    ["$inputs.a == 'single' && $inputs.b == \"\"", [{ start: 38, end: 40, value: "" }], "$inputs.a == 'single' && $inputs.b == ''"],
    ["$statusCode == 200", [], "$statusCode == 200"],
  ] as const)("double-quoted strings in %s", (given, strings, rewritten) => {
    const result = parseConditionNoting(given);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.doubleQuoted).toEqual(strings);
    expect(singleQuoted(given, result.value.doubleQuoted)).toBe(rewritten);
    // The rewritten condition means the same and has no double-quoted strings left.
    expect(parseConditionNoting(rewritten)).toEqual({ ok: true, value: { condition: result.value.condition, doubleQuoted: [] } });
  });

  // Property: whitespace around tokens never changes the tree.
  test.each(valid.map(([name, { given }]) => [name, given] as const))("%s: padded with whitespace", (_name, given) => {
    const padded = ` \t${given}\n `;
    expect(parseCondition(padded)).toEqual(parseCondition(given));
  });
});
