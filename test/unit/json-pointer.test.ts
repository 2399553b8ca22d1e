/** JSON Pointer (RFC 6901) parsing, formatting and evaluation. */
import { describe, expect, test } from "vitest";
import type { JsonPointer } from "../../generator/expressions/ast.ts";
import { evaluateJsonPointer, formatJsonPointer, parseJsonPointer } from "../../generator/expressions/json-pointer.ts";

const parses: [string, { given: string; want: JsonPointer }][] = [
  ["whole document", { given: "", want: [] }],
  ["empty key", { given: "/", want: [""] }],
  ["two empty keys", { given: "//", want: ["", ""] }],
  ["one token", { given: "/status", want: ["status"] }],
  ["nested", { given: "/data/0/id", want: ["data", "0", "id"] }],
  ["~1 is a slash", { given: "/paths/~1pet~1findByStatus", want: ["paths", "/pet/findByStatus"] }],
  ["~0 is a tilde", { given: "/a~0b", want: ["a~b"] }],
  ["~01 is ~1, not /", { given: "/~01", want: ["~1"] }],
  ["~10 is /0", { given: "/~10", want: ["/0"] }],
  ["only escapes", { given: "/~0~1~0", want: ["~/~"] }],
  ["spaces and punctuation", { given: '/a b/c%25d/e^f/g|h/i\\j/k"l/ m ', want: ["a b", "c%25d", "e^f", "g|h", "i\\j", 'k"l', " m "] }],
  ["dots, hashes, brackets", { given: "/a.b/#/[0]", want: ["a.b", "#", "[0]"] }],
  ["unicode", { given: "/prénom/日本/😀", want: ["prénom", "日本", "😀"] }],
  ["trailing empty token", { given: "/a/", want: ["a", ""] }],
];

const rejects: [string, { given: string; want: { message: string; offset: number } }][] = [
  ["no leading slash", { given: "a/b", want: { message: "must be empty or start with `/`, got `a/b`", offset: 0 } }],
  ["fragment hash", { given: "#/a", want: { message: "must be empty or start with `/`", offset: 0 } }],
  ["~2", { given: "/a~2", want: { message: "invalid JSON pointer escape `~2`", offset: 2 } }],
  ["~ before slash", { given: "/a~/b", want: { message: "invalid JSON pointer escape `~/`", offset: 2 } }],
  ["dangling ~", { given: "/ab~", want: { message: "invalid JSON pointer escape end of pointer", offset: 3 } }],
  ["~ in a later token", { given: "/ok/~0/x~x", want: { message: "`~x`", offset: 8 } }],
];

describe("parseJsonPointer", () => {
  test.each(parses)("%s", (_name, { given, want }) => {
    expect(parseJsonPointer(given)).toEqual({ ok: true, value: want });
  });

  test.each(rejects)("rejects %s", (_name, { given, want }) => {
    const result = parseJsonPointer(given);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toContain(want.message);
    expect(result.error.offset).toBe(want.offset);
  });
});

const formats: [string, { given: JsonPointer; want: string }][] = [
  ["whole document", { given: [], want: "" }],
  ["empty key", { given: [""], want: "/" }],
  ["plain", { given: ["data", "0", "id"], want: "/data/0/id" }],
  ["slash", { given: ["/pet/findByStatus"], want: "/~1pet~1findByStatus" }],
  ["tilde", { given: ["a~b"], want: "/a~0b" }],
  ["tilde then 1 stays distinct from slash", { given: ["~1"], want: "/~01" }],
  ["slash then 0", { given: ["/0"], want: "/~10" }],
];

describe("formatJsonPointer", () => {
  test.each(formats)("%s", (_name, { given, want }) => {
    expect(formatJsonPointer(given)).toBe(want);
  });

  // Round trips both ways, over every parse row and tokens built from the two escaped characters.
  const alphabet = ["~", "/", "0", "1", "a", ""];
  const tokens = alphabet.flatMap((a) => alphabet.flatMap((b) => alphabet.map((c) => a + b + c)));
  const pointers: JsonPointer[] = [...parses.map(([, { want }]) => want), ...tokens.map((t) => [t]), [tokens[7]!, tokens[42]!, tokens[99]!]];

  test.each(pointers.map((p) => [JSON.stringify(p), p] as const))("parse(format(%s)) round-trips", (_name, pointer) => {
    expect(parseJsonPointer(formatJsonPointer(pointer))).toEqual({ ok: true, value: pointer });
  });

  test.each(parses.map(([name, { given }]) => [name, given] as const))("format(parse(%s)) round-trips", (_name, text) => {
    const parsed = parseJsonPointer(text);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(formatJsonPointer(parsed.value)).toBe(text);
  });
});

const document = {
  status: "ok",
  data: [
    { id: "a1", tags: ["x", "y"] },
    { id: "a2", empty: null, zero: 0, no: false },
  ],
  "a/b": 1,
  "m~n": 2,
  "": "empty key",
  nested: { "": { deeper: true } },
};

const evaluations: [string, { given: [unknown, JsonPointer]; want: unknown }][] = [
  ["whole document", { given: [document, []], want: document }],
  ["property", { given: [document, ["status"]], want: "ok" }],
  ["array element", { given: [document, ["data", "1", "id"]], want: "a2" }],
  ["nested array", { given: [document, ["data", "0", "tags", "1"]], want: "y" }],
  ["escaped slash key", { given: [document, ["a/b"]], want: 1 }],
  ["escaped tilde key", { given: [document, ["m~n"]], want: 2 }],
  ["empty key", { given: [document, [""]], want: "empty key" }],
  ["empty key nested", { given: [document, ["nested", "", "deeper"]], want: true }],
  ["null value", { given: [document, ["data", "1", "empty"]], want: null }],
  ["zero value", { given: [document, ["data", "1", "zero"]], want: 0 }],
  ["false value", { given: [document, ["data", "1", "no"]], want: false }],
  ["missing property", { given: [document, ["nope"]], want: undefined }],
  ["missing nested", { given: [document, ["data", "0", "nope", "x"]], want: undefined }],
  ["index out of range", { given: [document, ["data", "2"]], want: undefined }],
  ["leading zero index", { given: [document, ["data", "01"]], want: undefined }],
  ["dash index", { given: [document, ["data", "-"]], want: undefined }],
  ["negative index", { given: [document, ["data", "-1"]], want: undefined }],
  ["fractional index", { given: [document, ["data", "1.0"]], want: undefined }],
  ["array length is not an element", { given: [document, ["data", "length"]], want: undefined }],
  ["array method is not an element", { given: [document, ["data", "map"]], want: undefined }],
  ["into a string", { given: [document, ["status", "0"]], want: undefined }],
  ["string length", { given: [document, ["status", "length"]], want: undefined }],
  ["into null", { given: [document, ["data", "1", "empty", "x"]], want: undefined }],
  ["into a number", { given: [document, ["data", "1", "zero", "x"]], want: undefined }],
  ["__proto__", { given: [document, ["__proto__"]], want: undefined }],
  ["constructor", { given: [document, ["constructor"]], want: undefined }],
  ["constructor.prototype", { given: [document, ["constructor", "prototype"]], want: undefined }],
  ["toString", { given: [document, ["toString"]], want: undefined }],
  ["hasOwnProperty", { given: [document, ["hasOwnProperty"]], want: undefined }],
  ["array __proto__", { given: [document, ["data", "__proto__"]], want: undefined }],
  ["own __proto__ key (JSON.parse)", { given: [JSON.parse('{"__proto__": {"x": 1}}'), ["__proto__", "x"]], want: 1 }],
  ["own constructor key", { given: [{ constructor: "mine" }, ["constructor"]], want: "mine" }],
  ["object without prototype", { given: [Object.assign(Object.create(null) as object, { a: 1 }), ["a"]], want: 1 }],
  ["undefined root", { given: [undefined, ["a"]], want: undefined }],
  ["primitive root, empty pointer", { given: [42, []], want: 42 }],
];

describe("evaluateJsonPointer", () => {
  test.each(evaluations)("%s", (_name, { given: [value, pointer], want }) => {
    expect(evaluateJsonPointer(value, pointer)).toBe(want);
  });

  test("never reaches Object.prototype through inherited keys", () => {
    const inherited = Object.create({ secret: 1 }) as object;
    expect(evaluateJsonPointer(inherited, ["secret"])).toBeUndefined();
  });
});
