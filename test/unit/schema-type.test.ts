/**
 * `schemaType`: TypeScript type text for a workflow `inputs` JSON Schema. Every row asserts
 * the exact text, and that the text parses as a TypeScript type.
 */
import ts from "typescript";
import { describe, expect, test } from "vitest";
import type { JsonSchema } from "../../generator/load/arazzo-document.ts";
import { schemaType as schemaDataType, type SchemaRefResolver } from "../../generator/ir/schema-type.ts";
import { dataTypeCode } from "../../generator/targets/typescript/type-code.ts";

/** The IR's `DataType` for a schema, as the TypeScript target writes it. */
function schemaType(schema: JsonSchema | boolean | undefined, resolve: SchemaRefResolver): string {
  return dataTypeCode(schemaDataType(schema, resolve));
}

const defs: Record<string, JsonSchema | boolean> = {
  Currency: { type: "string", enum: ["EUR", "GBP"] },
  Amount: { $ref: "#/$defs/Money" },
  Money: { type: "object", properties: { value: { type: "string" } }, required: ["value"] },
  Anything: true,
  Nothing: false,
  Self: { $ref: "#/$defs/Self" },
  List: {
    type: "object",
    required: ["value"],
    properties: { value: { type: "number" }, next: { $ref: "#/$defs/List" } },
  },
  Tree: { type: "object", properties: { left: { $ref: "#/$defs/Tree" }, right: { $ref: "#/$defs/Tree" } } },
};

/** Resolves `#/$defs/<name>`; records what was asked. */
function resolver(): SchemaRefResolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = (ref: string) => {
    asked.push(ref);
    const match = /^#\/\$defs\/(.+)$/.exec(ref);
    return match ? (defs[match[1]!] as JsonSchema | undefined) : undefined;
  };
  return Object.assign(resolve, { asked });
}

/** Syntax errors of `type T = <text>;`. */
function typeSyntaxErrors(text: string): string[] {
  const file = ts.createSourceFile("x.ts", `type T = ${text};`, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const diagnostics = (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

type Row = [string, { given: JsonSchema | boolean | undefined; want: string }];

const rows: Row[] = [
  // no schema, boolean schemas
  ["undefined", { given: undefined, want: "unknown" }],
  ["true", { given: true, want: "unknown" }],
  ["false", { given: false, want: "never" }],
  ["empty schema", { given: {}, want: "unknown" }],
  // single types
  ["string", { given: { type: "string" }, want: "string" }],
  ["string with format", { given: { type: "string", format: "uuid" }, want: "string" }],
  ["number", { given: { type: "number" }, want: "number" }],
  ["integer", { given: { type: "integer" }, want: "number" }],
  ["boolean", { given: { type: "boolean" }, want: "boolean" }],
  ["null", { given: { type: "null" }, want: "null" }],
  ["unknown type name", { given: { type: "decimal" }, want: "unknown" }],
  // type arrays
  ["nullable string", { given: { type: ["string", "null"] }, want: "string | null" }],
  ["integer or number collapse", { given: { type: ["integer", "number"] }, want: "number" }],
  ["string or unknown type", { given: { type: ["string", "decimal"] }, want: "unknown" }],
  ["empty type array", { given: { type: [] }, want: "unknown" }],
  // arrays
  ["array of strings", { given: { type: "array", items: { type: "string" } }, want: "string[]" }],
  ["array without items", { given: { type: "array" }, want: "unknown[]" }],
  ["array of integers", { given: { type: "array", items: { type: "integer" } }, want: "number[]" }],
  ["array of nullable strings", { given: { type: "array", items: { type: ["string", "null"] } }, want: "(string | null)[]" }],
  ["array of a oneOf", { given: { type: "array", items: { oneOf: [{ type: "string" }, { type: "number" }] } }, want: "(string | number)[]" }],
  ["array of an enum", { given: { type: "array", items: { enum: ["a", "b"] } }, want: '("a" | "b")[]' }],
  ["array of arrays", { given: { type: "array", items: { type: "array", items: { type: "boolean" } } }, want: "boolean[][]" }],
  [
    "array of arrays of nullable strings",
    { given: { type: "array", items: { type: "array", items: { type: ["string", "null"] } } }, want: "(string | null)[][]" },
  ],
  ["array of objects", { given: { type: "array", items: { type: "object", properties: { id: { type: "string" } } } }, want: "{ id?: string; }[]" }],
  [
    "array of objects whose members are unions",
    { given: { type: "array", items: { type: "object", properties: { id: { type: ["string", "null"] } } } }, want: "{ id?: string | null; }[]" },
  ],
  ["items without type infers array", { given: { items: { type: "string" } }, want: "string[]" }],
  ["nullable array", { given: { type: ["array", "null"], items: { type: "string" } }, want: "string[] | null" }],
  // objects
  [
    "required and optional properties",
    {
      given: { type: "object", properties: { id: { type: "string" }, count: { type: "integer" } }, required: ["id"] },
      want: "{ id: string; count?: number; }",
    },
  ],
  [
    "property names that need quotes",
    {
      given: { type: "object", properties: { "a-b": { type: "string" }, "0": { type: "number" }, "": { type: "boolean" } }, required: ["a-b"] },
      want: '{ "0"?: number; "a-b": string; ""?: boolean; }',
    },
  ],
  ["property name with a quote", { given: { type: "object", properties: { 'say"hi': { type: "string" } } }, want: '{ "say\\"hi"?: string; }' }],
  [
    "inherited-looking property names are plain keys",
    {
      given: { type: "object", properties: JSON.parse('{ "constructor": { "type": "string" }, "__proto__": { "type": "number" } }') },
      want: "{ constructor?: string; __proto__?: number; }",
    },
  ],
  [
    "required name without a property adds nothing",
    { given: { type: "object", properties: { a: { type: "string" } }, required: ["b"] }, want: "{ a?: string; }" },
  ],
  ["nested object", { given: { type: "object", properties: { a: { type: "object", properties: { b: { type: "null" } } } } }, want: "{ a?: { b?: null; }; }" }],
  [
    "boolean property schemas",
    { given: { type: "object", properties: { a: true, b: false } as unknown as Record<string, JsonSchema> }, want: "{ a?: unknown; b?: never; }" },
  ],
  ["nullable object", { given: { type: ["object", "null"], properties: { a: { type: "string" } } }, want: "{ a?: string; } | null" }],
  ["properties without type infers object", { given: { properties: { a: { type: "string" } } }, want: "{ a?: string; }" }],
  ["empty properties infers object", { given: { properties: {} }, want: "{ [key: string]: unknown; }" }],
  // descriptions
  [
    "description becomes a doc comment",
    {
      given: { type: "object", properties: { token: { type: "string", description: "The access token." } } },
      want: "{ /** The access token. */ token?: string; }",
    },
  ],
  [
    "multi-line description on one line",
    {
      given: { type: "object", properties: { a: { type: "string", description: "first\r\nsecond\nthird\n" } } },
      want: "{ /** first second third */ a?: string; }",
    },
  ],
  [
    "description with a comment terminator",
    {
      given: { type: "object", properties: { a: { type: "string", description: "ends */ here; */ again" } } },
      want: "{ /** ends *\\/ here; *\\/ again */ a?: string; }",
    },
  ],
  [
    "description with star and slash on separate lines",
    { given: { type: "object", properties: { a: { type: "string", description: "*\n/" } } }, want: "{ /** * / */ a?: string; }" },
  ],
  ["empty description adds nothing", { given: { type: "object", properties: { a: { type: "string", description: "" } } }, want: "{ a?: string; }" }],
  ["root description is not emitted", { given: { type: "string", description: "root" }, want: "string" }],
  // additionalProperties
  ["object without properties", { given: { type: "object" }, want: "{ [key: string]: unknown; }" }],
  ["additionalProperties false without properties", { given: { type: "object", additionalProperties: false }, want: "Record<string, never>" }],
  ["additionalProperties true without properties", { given: { type: "object", additionalProperties: true }, want: "{ [key: string]: unknown; }" }],
  ["additionalProperties schema", { given: { type: "object", additionalProperties: { type: "string" } }, want: "{ [key: string]: string | undefined; }" }],
  ["additionalProperties empty schema", { given: { type: "object", additionalProperties: {} }, want: "{ [key: string]: unknown | undefined; }" }],
  ["additionalProperties alone infers object", { given: { additionalProperties: { type: "integer" } }, want: "{ [key: string]: number | undefined; }" }],
  ["additionalProperties false alone infers object", { given: { additionalProperties: false }, want: "Record<string, never>" }],
  [
    "properties and additionalProperties false",
    { given: { type: "object", properties: { a: { type: "string" } }, additionalProperties: false }, want: "{ a?: string; }" },
  ],
  [
    "properties and additionalProperties true",
    {
      given: { type: "object", properties: { a: { type: "string" } }, required: ["a"], additionalProperties: true },
      want: "{ a: string; [key: string]: unknown; }",
    },
  ],
  [
    "properties and additionalProperties schema",
    {
      given: { type: "object", properties: { a: { type: "string" } }, additionalProperties: { type: "string" } },
      want: "{ a?: string; [key: string]: string | undefined; }",
    },
  ],
  ["properties only: no index signature", { given: { type: "object", properties: { a: { type: "string" } } }, want: "{ a?: string; }" }],
  // enum / const
  ["string enum", { given: { type: "string", enum: ["EUR", "GBP", "PLN"] }, want: '"EUR" | "GBP" | "PLN"' }],
  ["enum escapes strings", { given: { enum: ['a"b', "c\\d", "e\nf", "g\u2028h"] }, want: '"a\\"b" | "c\\u005cd" | "e\\nf" | "g\\u2028h"' }],
  ["mixed enum", { given: { enum: ["a", 1, -2.5, true, false, null] }, want: '"a" | 1 | -2.5 | true | false | null' }],
  ["duplicate enum values", { given: { enum: ["a", "a", 1, 1] }, want: '"a" | 1' }],
  ["empty enum", { given: { enum: [] }, want: "never" }],
  ["enum with an object", { given: { enum: ["a", { b: 1 }] }, want: "unknown" }],
  ["enum wins over type", { given: { type: "integer", enum: [1, 2] }, want: "1 | 2" }],
  ["string const", { given: { const: "fixed" }, want: '"fixed"' }],
  ["const escapes strings", { given: { const: '</script>"\\' }, want: '"</script>\\"\\u005c"' }],
  ["number const", { given: { const: 42 }, want: "42" }],
  ["null const", { given: { const: null }, want: "null" }],
  ["boolean const", { given: { const: false }, want: "false" }],
  ["array const", { given: { const: [1] }, want: "unknown" }],
  ["const wins over enum", { given: { const: "a", enum: ["b"] }, want: '"a"' }],
  // oneOf / anyOf / allOf
  ["oneOf", { given: { oneOf: [{ type: "string" }, { type: "integer" }] }, want: "string | number" }],
  ["anyOf", { given: { anyOf: [{ type: "boolean" }, { type: "null" }] }, want: "boolean | null" }],
  ["oneOf dedupes", { given: { oneOf: [{ type: "integer" }, { type: "number" }] }, want: "number" }],
  ["oneOf with an unconstrained branch", { given: { oneOf: [{ type: "string" }, {}] }, want: "unknown" }],
  ["oneOf with a false branch", { given: { oneOf: [false as unknown as JsonSchema, { type: "string" }] }, want: "never | string" }],
  ["empty oneOf", { given: { oneOf: [] }, want: "never" }],
  [
    "oneOf of objects",
    {
      given: {
        oneOf: [
          { type: "object", properties: { a: { type: "string" } } },
          { type: "object", properties: { b: { type: "number" } } },
        ],
      },
      want: "{ a?: string; } | { b?: number; }",
    },
  ],
  ["allOf", { given: { allOf: [{ type: "string" }, { enum: ["a", "b"] }] }, want: 'string & ("a" | "b")' }],
  [
    "allOf of objects",
    {
      given: {
        allOf: [
          { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
          { type: "object", properties: { b: { type: "number" } } },
        ],
      },
      want: "{ a: string; } & { b?: number; }",
    },
  ],
  ["allOf of a union and a type", { given: { allOf: [{ type: ["string", "null"] }, { type: "string" }] }, want: "(string | null) & string" }],
  // $ref
  ["$ref to a schema", { given: { $ref: "#/$defs/Currency" }, want: '"EUR" | "GBP"' }],
  ["$ref to a $ref", { given: { $ref: "#/$defs/Amount" }, want: "{ value: string; }" }],
  ["$ref to true", { given: { $ref: "#/$defs/Anything" }, want: "unknown" }],
  ["$ref to false", { given: { $ref: "#/$defs/Nothing" }, want: "never" }],
  ["$ref the resolver cannot resolve", { given: { $ref: "#/$defs/Missing" }, want: "unknown" }],
  ["$ref wins over siblings", { given: { $ref: "#/$defs/Currency", type: "number" }, want: '"EUR" | "GBP"' }],
  [
    "$ref inside a property",
    { given: { type: "object", properties: { amount: { $ref: "#/$defs/Money" } }, required: ["amount"] }, want: "{ amount: { value: string; }; }" },
  ],
  ["$ref as array items", { given: { type: "array", items: { $ref: "#/$defs/Currency" } }, want: '("EUR" | "GBP")[]' }],
  ["$ref to itself stops", { given: { $ref: "#/$defs/Self" }, want: "unknown" }],
];

describe("schemaType", () => {
  for (const [name, { given, want }] of rows) {
    test(name, () => {
      const text = schemaType(given as JsonSchema | boolean | undefined, resolver());
      expect(text).toBe(want);
      expect(typeSyntaxErrors(text)).toEqual([]);
    });
  }

  test("the IR type is plain data, with `$ref`s followed", () => {
    const type = schemaDataType({ type: "object", properties: { amount: { $ref: "#/$defs/Money" } }, required: ["amount"] }, resolver());
    expect(JSON.parse(JSON.stringify(type))).toEqual(type);
    expect(type).toEqual({
      kind: "object",
      properties: [{ name: "amount", required: true, type: { kind: "object", properties: [{ name: "value", required: true, type: { kind: "string" } }] } }],
    });
  });

  test("the resolver is asked for the exact $ref", () => {
    const resolve = resolver();
    schemaType({ type: "object", properties: { a: { $ref: "#/$defs/Amount" } } }, resolve);
    expect(resolve.asked).toEqual(["#/$defs/Amount", "#/$defs/Money"]);
  });

  test("a self-referencing $ref is typed unknown after one resolution", () => {
    const resolve = resolver();
    expect(schemaType({ $ref: "#/$defs/Self" }, resolve)).toBe("unknown");
    expect(resolve.asked.length).toBe(1);
  });

  test("a recursive object type is typed unknown where it refers back to itself", () => {
    const text = schemaType({ $ref: "#/$defs/List" }, resolver());
    expect(text).toBe("{ value: number; next?: unknown; }");
    expect(typeSyntaxErrors(text)).toEqual([]);
  });

  // Regression test, fixed (then generator/model/schema-type.ts, parenthesize; now targets/typescript/type-code.ts): a union or intersection that starts with
  // `{` is not parenthesized, so it binds wrongly as array items or inside allOf:
  //   items: { oneOf: [{type:object, properties:{a:string}}, {type:object, properties:{b:number}}] }
  //     gives `{ a?: string; } | { b?: number; }[]`  (an object OR an array), not `({ a?: string; } | { b?: number; })[]`
  //   items: { type: ["object","null"], properties: {a:string} }  gives `{ a?: string; } | null[]`
  //   allOf: [{ type: ["object","null"], properties:{a} }, { type: object, properties:{b} }]
  //     gives `{ a?: string; } | null & { b?: string; }`, i.e. `A | (null & B)`.
  const precedence: Row[] = [
    [
      "array of a oneOf of objects",
      {
        given: {
          type: "array",
          items: {
            oneOf: [
              { type: "object", properties: { a: { type: "string" } } },
              { type: "object", properties: { b: { type: "number" } } },
            ],
          },
        },
        want: "({ a?: string; } | { b?: number; })[]",
      },
    ],
    [
      "array of nullable objects",
      { given: { type: "array", items: { type: ["object", "null"], properties: { a: { type: "string" } } } }, want: "({ a?: string; } | null)[]" },
    ],
    [
      "allOf with a nullable object",
      {
        given: {
          allOf: [
            { type: ["object", "null"], properties: { a: { type: "string" } } },
            { type: "object", properties: { b: { type: "string" } } },
          ],
        },
        want: "({ a?: string; } | null) & { b?: string; }",
      },
    ],
  ];
  for (const [name, { given, want }] of precedence) {
    test(`${name}`, () => {
      expect(schemaType(given as JsonSchema, resolver())).toBe(want);
    });
  }

  // Regression test, fixed (generator/ir/schema-type.ts, schemaType): recursion is bounded by depth (32) only, not
  // by the $refs already being expanded, so a schema that refers to itself from k properties
  // expands to about k^16 copies. With two (`Tree` above) the text is 1,441,777 characters; with
  // three, the generator throws `RangeError: Invalid string length` after ~25 s.
  test("a schema referring to itself twice stays small", () => {
    expect(schemaType({ $ref: "#/$defs/Tree" }, resolver()).length).toBeLessThan(10_000);
  });
});
