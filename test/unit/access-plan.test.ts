/**
 * Access plans (`ir/access-plan.ts`) and their TypeScript (`targets/typescript/type-code.ts`):
 * a JSON Pointer into a response planned once from the schema (which segments index arrays,
 * how far it is typed), rendered as an indexed access type and the matching optional-chained
 * read; and `statusKey` for openapi-typescript response keys.
 */
import ts from "typescript";
import { describe, expect, test } from "vitest";
import type { JsonPointer } from "../../generator/expressions/ast.ts";
import { accessPlan, type SchemaResolver } from "../../generator/ir/access-plan.ts";
import { accessReadCode, accessTypeCode, statusKey } from "../../generator/targets/typescript/type-code.ts";

/** The type a plan gives from `base`: the indexed access, or `unknown` where the schema does not type the pointer. */
function pointerType(base: string, pointer: JsonPointer, schema: unknown, resolve: SchemaResolver): string {
  const plan = accessPlan(pointer, schema, resolve);
  return plan.typed ? accessTypeCode(base, plan.read) : "unknown";
}

/** The read a plan gives from `base`. */
function pointerExpression(base: string, pointer: JsonPointer, schema: unknown, resolve: SchemaResolver): string {
  return accessReadCode(base, accessPlan(pointer, schema, resolve));
}

const components: Record<string, unknown> = {
  Item: { type: "object", properties: { id: { type: "string" }, "0": { type: "string" } } },
  List: { type: "array", items: { $ref: "#/components/schemas/Item" } },
  Alias: { $ref: "#/components/schemas/List" },
  Page: { type: "object", properties: { data: { $ref: "#/components/schemas/List" } } },
};

/** Follows `$ref`s into `components` (what a source's resolver does); anything else is returned as is. */
const resolve: SchemaResolver = (schema) => {
  let current = schema as { $ref?: unknown } | undefined;
  for (let i = 0; i < 10 && current && typeof current.$ref === "string"; i++) {
    current = components[current.$ref.replace("#/components/schemas/", "")] as { $ref?: unknown } | undefined;
  }
  return current;
};

function syntaxErrors(code: string): string[] {
  const file = ts.createSourceFile("x.ts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const diagnostics = (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

const rows: [string, { given: { pointer: JsonPointer; schema?: unknown }; want: { type: string; expression: string } }][] = [
  ["empty pointer", { given: { pointer: [] }, want: { type: "Base", expression: "base" } }],
  ["one property", { given: { pointer: ["status"] }, want: { type: 'Base["status"]', expression: "base?.status" } }],
  [
    "nested properties",
    {
      given: { pointer: ["meta", "links", "self"] },
      want: { type: 'NonNullable<NonNullable<Base["meta"]>["links"]>["self"]', expression: "base?.meta?.links?.self" },
    },
  ],
  // no schema: canonical integers (RFC 6901) index
  [
    "no schema: integer segment indexes",
    {
      given: { pointer: ["meta", "items", "0"] },
      want: { type: 'NonNullable<NonNullable<Base["meta"]>["items"]>[number]', expression: "base?.meta?.items?.[0]" },
    },
  ],
  ["no schema: multi-digit index", { given: { pointer: ["12"] }, want: { type: "Base[number]", expression: "base?.[12]" } }],
  [
    "no schema: leading zero is a property",
    { given: { pointer: ["data", "01"] }, want: { type: 'NonNullable<Base["data"]>["01"]', expression: 'base?.data?.["01"]' } },
  ],
  ["no schema: negative number is a property", { given: { pointer: ["-1"] }, want: { type: 'Base["-1"]', expression: 'base?.["-1"]' } }],
  ["no schema: RFC 6901 `-` is a property", { given: { pointer: ["-"] }, want: { type: 'Base["-"]', expression: 'base?.["-"]' } }],
  ["no schema: decimal is a property", { given: { pointer: ["1.5"] }, want: { type: 'Base["1.5"]', expression: 'base?.["1.5"]' } }],
  // with a schema
  [
    "array schema: integer indexes",
    {
      given: {
        pointer: ["data", "0", "id"],
        schema: { type: "object", properties: { data: { type: "array", items: { type: "object", properties: { id: { type: "string" } } } } } },
      },
      want: { type: 'NonNullable<NonNullable<Base["data"]>[number]>["id"]', expression: "base?.data?.[0]?.id" },
    },
  ],
  [
    "schema with only `items`: integer indexes",
    { given: { pointer: ["1"], schema: { items: { type: "string" } } }, want: { type: "Base[number]", expression: "base?.[1]" } },
  ],
  [
    "nullable array schema: integer indexes",
    {
      given: { pointer: ["data", "1"], schema: { type: "object", properties: { data: { type: ["array", "null"], items: { type: "string" } } } } },
      want: { type: 'NonNullable<Base["data"]>[number]', expression: "base?.data?.[1]" },
    },
  ],
  [
    "object schema: integer segment stays a property",
    {
      given: {
        pointer: ["meta", "0", "url"],
        schema: { type: "object", properties: { meta: { type: "object", properties: { "0": { type: "object", properties: { url: { type: "string" } } } } } } },
      },
      want: { type: 'NonNullable<NonNullable<Base["meta"]>["0"]>["url"]', expression: 'base?.meta?.["0"]?.url' },
    },
  ],
  [
    "array schema: a non-integer segment is no field of it (untyped, read at run time)",
    { given: { pointer: ["length"], schema: { type: "array", items: {} } }, want: { type: "unknown", expression: 'readPointer(base, ["length"])' } },
  ],
  [
    "schema says nothing below a field: the rest is read untyped",
    {
      given: { pointer: ["x", "y", "0"], schema: { type: "object", properties: { x: { type: "object" } } } },
      want: { type: "unknown", expression: 'readPointer(base?.x, ["y", "0"])' },
    },
  ],
  [
    "an object schema that declares no fields: read untyped",
    {
      given: { pointer: ["nope", "0"], schema: { type: "object", properties: {} } },
      want: { type: "unknown", expression: 'readPointer(base, ["nope", "0"])' },
    },
  ],
  [
    "a field only some oneOf alternatives have: read untyped from there",
    {
      given: {
        pointer: ["a", "b"],
        schema: {
          oneOf: [
            { type: "object", properties: { a: { type: "object", properties: { b: { type: "string" } } } } },
            { type: "object", properties: { c: { type: "string" } } },
          ],
        },
      },
      want: { type: "unknown", expression: 'readPointer(base, ["a", "b"])' },
    },
  ],
  [
    "a field every oneOf alternative has, and a null alternative: typed",
    {
      given: {
        pointer: ["a"],
        schema: {
          oneOf: [{ type: "object", properties: { a: { type: "string" } } }, { type: "object", properties: { a: { type: "integer" } } }, { type: "null" }],
        },
      },
      want: { type: 'Base["a"]', expression: "base?.a" },
    },
  ],
  [
    "allOf: a field of any member is typed",
    {
      given: {
        pointer: ["b"],
        schema: {
          allOf: [
            { type: "object", properties: { a: { type: "string" } } },
            { type: "object", properties: { b: { type: "string" } } },
          ],
        },
      },
      want: { type: 'Base["b"]', expression: "base?.b" },
    },
  ],
  [
    "additionalProperties with a schema: typed; open additionalProperties: untyped below",
    {
      given: {
        pointer: ["m", "k", "z"],
        schema: { type: "object", properties: { m: { type: "object", additionalProperties: { type: "object", additionalProperties: true } } } },
      },
      want: { type: "unknown", expression: 'readPointer(base?.m?.k, ["z"])' },
    },
  ],
  // $ref resolution through the resolver
  [
    "$ref to an array",
    {
      given: { pointer: ["data", "0", "id"], schema: { type: "object", properties: { data: { $ref: "#/components/schemas/List" } } } },
      want: { type: 'NonNullable<NonNullable<Base["data"]>[number]>["id"]', expression: "base?.data?.[0]?.id" },
    },
  ],
  [
    "$ref at the root and a $ref chain",
    {
      given: { pointer: ["0", "0"], schema: { $ref: "#/components/schemas/Alias" } },
      want: { type: 'NonNullable<Base[number]>["0"]', expression: 'base?.[0]?.["0"]' },
    },
  ],
  [
    "$ref to an object then through its array",
    {
      given: { pointer: ["data", "2", "0"], schema: { $ref: "#/components/schemas/Page" } },
      want: { type: 'NonNullable<NonNullable<Base["data"]>[number]>["0"]', expression: 'base?.data?.[2]?.["0"]' },
    },
  ],
  // keys that need quoting
  ["dash", { given: { pointer: ["access-token"] }, want: { type: 'Base["access-token"]', expression: 'base?.["access-token"]' } }],
  ["space", { given: { pointer: ["a b"] }, want: { type: 'Base["a b"]', expression: 'base?.["a b"]' } }],
  ["empty key", { given: { pointer: [""] }, want: { type: 'Base[""]', expression: 'base?.[""]' } }],
  [
    "unescaped slash and tilde",
    { given: { pointer: ["a/b", "c~d"] }, want: { type: 'NonNullable<Base["a/b"]>["c~d"]', expression: 'base?.["a/b"]?.["c~d"]' } },
  ],
  ["quote and backslash", { given: { pointer: ['a"b\\'] }, want: { type: 'Base["a\\"b\\u005c"]', expression: 'base?.["a\\"b\\u005c"]' } }],
  ["line separator", { given: { pointer: ["a\u2028"] }, want: { type: 'Base["a\\u2028"]', expression: 'base?.["a\\u2028"]' } }],
  ["$ in a key is an identifier", { given: { pointer: ["$ref"] }, want: { type: 'Base["$ref"]', expression: "base?.$ref" } }],
  ["reserved word is a plain member", { given: { pointer: ["default"] }, want: { type: 'Base["default"]', expression: "base?.default" } }],
  // names every object inherits go through ownProperty
  ["constructor", { given: { pointer: ["constructor"] }, want: { type: 'Base["constructor"]', expression: 'ownProperty(base, "constructor")' } }],
  ["__proto__", { given: { pointer: ["__proto__"] }, want: { type: 'Base["__proto__"]', expression: 'ownProperty(base, "__proto__")' } }],
  ["toString", { given: { pointer: ["toString"] }, want: { type: 'Base["toString"]', expression: 'ownProperty(base, "toString")' } }],
  ["valueOf", { given: { pointer: ["valueOf"] }, want: { type: 'Base["valueOf"]', expression: 'ownProperty(base, "valueOf")' } }],
  ["hasOwnProperty", { given: { pointer: ["hasOwnProperty"] }, want: { type: 'Base["hasOwnProperty"]', expression: 'ownProperty(base, "hasOwnProperty")' } }],
  ["prototype", { given: { pointer: ["prototype"] }, want: { type: 'Base["prototype"]', expression: 'ownProperty(base, "prototype")' } }],
  [
    "inherited name in the middle",
    {
      given: { pointer: ["a-b", "constructor", "name", "0"] },
      want: {
        type: 'NonNullable<NonNullable<NonNullable<Base["a-b"]>["constructor"]>["name"]>[number]',
        expression: 'ownProperty(base?.["a-b"], "constructor")?.name?.[0]',
      },
    },
  ],
  [
    "inherited names nested",
    {
      given: { pointer: ["constructor", "__proto__"] },
      want: { type: 'NonNullable<Base["constructor"]>["__proto__"]', expression: 'ownProperty(ownProperty(base, "constructor"), "__proto__")' },
    },
  ],
];

describe("pointerType and pointerExpression", () => {
  for (const [name, { given, want }] of rows) {
    test(name, () => {
      const type = pointerType("Base", given.pointer, given.schema, resolve);
      const expression = pointerExpression("base", given.pointer, given.schema, resolve);
      expect(type).toBe(want.type);
      expect(expression).toBe(want.expression);
      expect(syntaxErrors(`type T = ${type}; const v = ${expression};`)).toEqual([]);
    });
  }

  test("the expression reads what the pointer names on real data", () => {
    const ownProperty = (value: unknown, key: string) =>
      value !== null && typeof value === "object" && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
    const data = JSON.parse('{ "data": [ { "id": "x", "0": "zero" }, { "id": "y" } ], "a-b": { "constructor": { "name": ["n"] } }, "meta": {} }');
    const read = (pointer: JsonPointer, schema?: unknown): unknown =>
      new Function("base", "ownProperty", `return ${pointerExpression("base", pointer, schema, resolve)};`)(data, ownProperty);
    expect(read(["data", "1", "id"])).toBe("y");
    expect(read(["data", "0", "0"], { $ref: "#/components/schemas/Page" })).toBe("zero");
    expect(read(["a-b", "constructor", "name", "0"])).toBe("n");
    expect(read(["meta", "constructor"])).toBeUndefined();
    expect(read(["meta", "toString"])).toBeUndefined();
    expect(read(["missing", "0", "x"])).toBeUndefined();
  });

  // Regression test, fixed (then generator/model/type-text.ts, pointerExpression; now the plan's `index`): a canonical integer segment beyond
  // Number.MAX_SAFE_INTEGER is emitted as a numeric literal, which rounds: with no schema,
  // pointer ["12345678901234567890"] gives `base?.[12345678901234567890]`, which reads the key
  // "12345678901234567000" (e.g. a map keyed by large numeric ids), not "12345678901234567890".
  test("an integer segment beyond 2^53 reads the exact key", () => {
    const key = "12345678901234567890";
    const expression = pointerExpression("base", [key], undefined, resolve);
    const value = new Function("base", `return ${expression};`)({ [key]: "right", "12345678901234567000": "wrong" });
    expect(value).toBe("right");
  });
});

describe("accessPlan", () => {
  test("is plain data: the segments read with types, the tokens read at run time, whether the type is known", () => {
    const schema = { type: "object", properties: { data: { type: "array", items: { type: "object" } } } };
    expect(accessPlan(["data", "0", "meta", "x"], schema, resolve)).toEqual({
      read: [
        { key: "data", index: false },
        { key: "0", index: true },
      ],
      rest: ["meta", "x"],
      typed: false,
      present: false,
    });
    expect(accessPlan(["data", "0"], schema, resolve)).toEqual({
      read: [
        { key: "data", index: false },
        { key: "0", index: true },
      ],
      rest: [],
      typed: true,
      present: false,
    });
    expect(JSON.parse(JSON.stringify(accessPlan(["a"], undefined, resolve)))).toEqual({
      read: [{ key: "a", index: false }],
      rest: [],
      typed: true,
      present: false,
    });
  });

  test("present: only required, non-null properties all the way", () => {
    const schema = {
      type: "object",
      required: ["a", "n"],
      properties: {
        a: { type: "object", required: ["b"], properties: { b: { type: "string" }, c: { type: "string" } } },
        n: { type: ["object", "null"], required: ["b"], properties: { b: { type: "string" } } },
        list: { type: "array", items: { type: "string" } },
      },
    };
    expect(accessPlan(["a", "b"], schema, resolve).present).toBe(true);
    expect(accessPlan(["a", "c"], schema, resolve).present).toBe(false);
    expect(accessPlan(["n", "b"], schema, resolve).present).toBe(false);
    expect(accessPlan(["list", "0"], schema, resolve).present).toBe(false);
    expect(accessPlan([], { type: "string" }, resolve).present).toBe(true);
    expect(accessPlan([], { type: "string", nullable: true }, resolve).present).toBe(false);
  });
});

describe("statusKey", () => {
  const rows: [string, { given: string; want: string }][] = [
    ["200", { given: "200", want: "200" }],
    ["404", { given: "404", want: "404" }],
    ["599", { given: "599", want: "599" }],
    ["range", { given: "2XX", want: '"2XX"' }],
    ["lower-case range", { given: "4xx", want: '"4xx"' }],
    ["default", { given: "default", want: '"default"' }],
    ["two digits", { given: "20", want: '"20"' }],
    ["four digits", { given: "2000", want: '"2000"' }],
    ["padded", { given: " 200", want: '" 200"' }],
  ];
  for (const [name, { given, want }] of rows) {
    test(name, () => {
      expect(statusKey(given)).toBe(want);
      expect(syntaxErrors(`type T = R[${statusKey(given)}];`)).toEqual([]);
    });
  }
});
