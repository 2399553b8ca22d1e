/**
 * `parseValueSyntax`: whole expressions, `{$...}` templates, bare `$root...` expressions inside
 * text, and literals (Arazzo 1.0.1 §"Runtime Expressions": embedding with `{}`).
 */
import { describe, expect, test } from "vitest";
import type { ParsedExpression, TemplatePart, ValueSyntax } from "../../generator/expressions/ast.ts";
import { parseExpression } from "../../generator/expressions/parse.ts";
import { parseValueSyntax } from "../../generator/expressions/template.ts";

function parsed(text: string): ParsedExpression {
  const result = parseExpression(text);
  if (!result.ok) throw new Error(`bad test data ${text}: ${result.error.message}`);
  return result.value;
}
const text = (value: string): TemplatePart => ({ kind: "text", value });
/** `{<expression>}` starting at `start`. */
const braced = (expression: string, start: number): TemplatePart => ({
  kind: "expression",
  parsed: parsed(expression),
  braced: true,
  start,
  end: start + expression.length + 2,
});
/** A bare `<expression>` starting at `start`. */
const bare = (expression: string, start: number): TemplatePart => ({
  kind: "expression",
  parsed: parsed(expression),
  braced: false,
  start,
  end: start + expression.length,
});
const whole = (expression: string): ValueSyntax => ({ kind: "expression", parsed: parsed(expression) });
const template = (...parts: TemplatePart[]): ValueSyntax => ({ kind: "template", parts });
const literal = (value: string): ValueSyntax => ({ kind: "literal", value });

const valid: [string, { given: string; want: ValueSyntax }][] = [
  // A whole string that is one expression keeps the value's type.
  ["whole $statusCode", { given: "$statusCode", want: whole("$statusCode") }],
  ["whole inputs", { given: "$inputs.accessToken", want: whole("$inputs.accessToken") }],
  ["whole body pointer", { given: "$response.body#/data/0/id", want: whole("$response.body#/data/0/id") }],
  ["whole pointer with spaces and braces", { given: "$response.body#/a b/{c}", want: whole("$response.body#/a b/{c}") }],
  ["whole steps output", { given: "$steps.mintToken.outputs.accessToken", want: whole("$steps.mintToken.outputs.accessToken") }],
  ["whole operationId reference", { given: "$sourceDescriptions.animals.postAnimal", want: whole("$sourceDescriptions.animals.postAnimal") }],
  ["whole components reference", { given: "$components.parameters.page", want: whole("$components.parameters.page") }],
  // Braced templates.
  ["braced alone is a template", { given: "{$inputs.a}", want: template(braced("$inputs.a", 0)) }],
  ["braced with text around", { given: "id={$inputs.id}&x", want: template(text("id="), braced("$inputs.id", 3), text("&x")) }],
  ["two braced, adjacent", { given: "{$inputs.a}{$inputs.b}", want: template(braced("$inputs.a", 0), braced("$inputs.b", 11)) }],
  ["braced pointer with braces inside", { given: "x{$response.body#/{k}}", want: template(text("x"), braced("$response.body#/{k}", 1)) }],
  ["braced pointer with spaces", { given: "{$response.body#/a b} !", want: template(braced("$response.body#/a b", 0), text(" !")) }],
  [
    "braced operationPath (LoginAndRetrievePets)",
    {
      given: "{$sourceDescriptions.petStoreDescription.url}#/paths/~1pet~1findByStatus",
      want: template(braced("$sourceDescriptions.petStoreDescription.url", 0), text("#/paths/~1pet~1findByStatus")),
    },
  ],
  [
    "braced inside JSON text (FAPI-PAR)",
    {
      given: '{\n  "code": "{$steps.AuthzCodeStep.outputs.code}",\n  "redirect_uri": "{$inputs.redirect_uri}"\n}',
      want: template(
        text('{\n  "code": "'),
        braced("$steps.AuthzCodeStep.outputs.code", 13),
        text('",\n  "redirect_uri": "'),
        braced("$inputs.redirect_uri", 70),
        text('"\n}'),
      ),
    },
  ],
  [
    "braced inputs pointer (bnpl)",
    {
      given: '"firstName": "{$inputs.customer#/firstName}"',
      want: template(text('"firstName": "'), braced("$inputs.customer#/firstName", 14), text('"')),
    },
  ],
  // Bare expressions inside longer text.
  ["bearer inputs (Fintecture)", { given: "Bearer $inputs.accessToken", want: template(text("Bearer "), bare("$inputs.accessToken", 7)) }],
  [
    "bearer step output (Fintecture)",
    {
      given: "Bearer $steps.mintToken.outputs.accessToken",
      want: template(text("Bearer "), bare("$steps.mintToken.outputs.accessToken", 7)),
    },
  ],
  ["bare then text", { given: "$inputs.a and more", want: template(bare("$inputs.a", 0), text(" and more")) }],
  ["bare then braced", { given: "$inputs.a {$inputs.b}", want: template(bare("$inputs.a", 0), text(" "), braced("$inputs.b", 10)) }],
  ["bare $url", { given: "go to $url now", want: template(text("go to "), bare("$url", 6), text(" now")) }],
  ["bare $method", { given: "[$method]", want: template(text("["), bare("$method", 1), text("]")) }],
  ["bare $statusCode", { given: "code: $statusCode", want: template(text("code: "), bare("$statusCode", 6)) }],
  ["bare request header", { given: "h=$request.header.X-Id;", want: template(text("h="), bare("$request.header.X-Id", 2), text(";")) }],
  ["bare response body pointer", { given: "got $response.body#/a/b", want: template(text("got "), bare("$response.body#/a/b", 4)) }],
  ["bare outputs", { given: "x $outputs.o", want: template(text("x "), bare("$outputs.o", 2)) }],
  ["bare workflows", { given: "x $workflows.w.inputs.i", want: template(text("x "), bare("$workflows.w.inputs.i", 2)) }],
  ["bare sourceDescriptions", { given: "x $sourceDescriptions.s.url", want: template(text("x "), bare("$sourceDescriptions.s.url", 2)) }],
  ["bare components", { given: "x $components.inputs.c", want: template(text("x "), bare("$components.inputs.c", 2)) }],
  ["bare ended by double quote", { given: '"$inputs.a"', want: template(text('"'), bare("$inputs.a", 1), text('"')) }],
  ["bare ended by single quote", { given: "'$inputs.a'", want: template(text("'"), bare("$inputs.a", 1), text("'")) }],
  ["bare ended by comma", { given: "$inputs.a, $inputs.b", want: template(bare("$inputs.a", 0), text(", "), bare("$inputs.b", 11)) }],
  ["bare ended by paren", { given: "f($inputs.a)", want: template(text("f("), bare("$inputs.a", 2), text(")")) }],
  ["bare ended by brace", { given: "{x: $inputs.a}", want: template(text("{x: "), bare("$inputs.a", 4), text("}")) }],
  ["bare ended by full stop", { given: "use $inputs.a.", want: template(text("use "), bare("$inputs.a", 4), text(".")) }],
  ["bare ended by newline", { given: "a $inputs.a\nb", want: template(text("a "), bare("$inputs.a", 2), text("\nb")) }],
  ["surrounding whitespace is a template", { given: " $inputs.a ", want: template(text(" "), bare("$inputs.a", 1), text(" ")) }],
  // Literals.
  ["plain text", { given: "hello", want: literal("hello") }],
  ["empty string", { given: "", want: literal("") }],
  ["price", { given: "costs $5", want: literal("costs $5") }],
  ["lone dollar", { given: "$", want: literal("$") }],
  ["dollar then space", { given: "$ 5", want: literal("$ 5") }],
  ["unknown root", { given: "$foo", want: literal("$foo") }],
  ["unknown root in text", { given: "pay $foo.bar now", want: literal("pay $foo.bar now") }],
  ["root prefix of a word", { given: "$urls are fine", want: literal("$urls are fine") }],
  ["root without its dot", { given: "see $inputs here", want: literal("see $inputs here") }],
  ["wrong case in text", { given: "x $Inputs.a", want: literal("x $Inputs.a") }],
  ["jsonpath-like", { given: "$.status", want: literal("$.status") }],
  ["brace without dollar", { given: "{a} { $inputs.a", want: template(text("{a} { "), bare("$inputs.a", 6)) }],
  ["braces only", { given: "{not an expression}", want: literal("{not an expression}") }],
  ["regex with anchors (Fintecture)", { given: "^[0-9]{4}$", want: literal("^[0-9]{4}$") }],
  ["regex with anchors 2 (Fintecture)", { given: "^[A-Z]{3}$", want: literal("^[A-Z]{3}$") }],
  ["double dollar", { given: "$$", want: literal("$$") }],
];

const invalid: [string, { given: string; want: { message: string; offset: number } }][] = [
  ["whole unknown response source", { given: "$response.path#/code", want: { message: "`$response.path` must be followed by", offset: 14 } }],
  ["whole wrong case", { given: "$Inputs.a", want: { message: "did you mean `$inputs`?", offset: 0 } }],
  ["whole root without name", { given: "$inputs", want: { message: "`$inputs` must be followed by `.<name>`", offset: 7 } }],
  ["whole root with trailing dot", { given: "$inputs.", want: { message: "`$inputs` must be followed by `.<name>`", offset: 7 } }],
  ["unterminated brace", { given: "a {$inputs.x", want: { message: "unterminated `{$`", offset: 2 } }],
  ["unterminated nested brace", { given: "{$response.body#/{a}", want: { message: "unterminated `{$`", offset: 0 } }],
  ["braced with trailing space", { given: "x {$inputs.a }", want: { message: "unexpected whitespace", offset: 12 } }],
  ["braced unknown root", { given: "x {$foo}", want: { message: "unknown runtime expression root `$foo`", offset: 3 } }],
  ["braced empty", { given: "x {$}", want: { message: "unknown runtime expression root `$`", offset: 3 } }],
  ["braced step without name", { given: "id: {$steps.a}", want: { message: "must continue with `.outputs.<name>`", offset: 13 } }],
  ["braced bad pointer", { given: "{$response.body#/a~2}", want: { message: "invalid JSON pointer escape `~2`", offset: 18 } }],
  ["second braced bad", { given: "{$inputs.a}-{$inputs.}", want: { message: "expected a name after `$inputs.`", offset: 21 } }],
  ["bare $url followed by text", { given: "see $url-encoded", want: { message: "unexpected `-encoded` after `$url`", offset: 8 } }],
  ["bare root without name", { given: "see $inputs. now", want: { message: "`$inputs` must be followed by `.<name>`", offset: 11 } }],
  ["bare header with bad char", { given: "h $request.header.a:b", want: { message: "invalid character `:`", offset: 19 } }],
];

describe("parseValueSyntax", () => {
  test.each(valid)("%s", (_name, { given, want }) => {
    expect(parseValueSyntax(given)).toEqual({ ok: true, value: want });
  });

  test.each(invalid)("rejects %s", (_name, { given, want }) => {
    const result = parseValueSyntax(given);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toContain(want.message);
    expect(result.error.offset).toBe(want.offset);
  });

  // Properties: parts rebuild the input, offsets slice out each segment, text never repeats.
  test.each(valid.filter(([, { want }]) => want.kind === "template"))("%s: parts cover the input", (_name, { given }) => {
    const result = parseValueSyntax(given);
    if (!result.ok || result.value.kind !== "template") throw new Error("expected a template");
    let rebuilt = "";
    let previous: TemplatePart["kind"] | undefined;
    for (const part of result.value.parts) {
      if (part.kind === "text") {
        expect(previous).not.toBe("text");
        expect(part.value).not.toBe("");
        rebuilt += part.value;
      } else {
        expect(part.start).toBe(rebuilt.length);
        const segment = given.slice(part.start, part.end);
        expect(segment).toBe(part.braced ? `{${part.parsed.text}}` : part.parsed.text);
        rebuilt += segment;
      }
      previous = part.kind;
    }
    expect(rebuilt).toBe(given);
  });
});
