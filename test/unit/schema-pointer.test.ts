/**
 * `walkSchemaPointer`: what the compiler sees at the end of a JSON Pointer into an OpenAPI
 * schema, the way openapi-typescript types it — typed (and whether the field is required or
 * an `additionalProperties` value), untyped from some segment, or missing (a closed object
 * without that property, or a scalar), with the names it does have.
 */
import { describe, expect, test } from "vitest";
import { walkSchemaPointer, type PointerWalk } from "../../generator/openapi/schema-pointer.ts";

const components: Record<string, unknown> = {
  Pet: {
    type: "object",
    required: ["id"],
    properties: { id: { type: "string" }, name: { type: "string" }, tags: { type: "array", items: { type: "string" } } },
  },
  Loop: { type: "object", properties: { next: { $ref: "#/components/schemas/Loop" }, value: { type: "integer" } } },
  SelfAllOf: { allOf: [{ $ref: "#/components/schemas/SelfAllOf" }] },
  PingOneOf: { oneOf: [{ $ref: "#/components/schemas/PongOneOf" }] },
  PongOneOf: { oneOf: [{ $ref: "#/components/schemas/PingOneOf" }] },
};
const resolve = (schema: unknown): unknown => {
  const ref = (schema as { $ref?: unknown } | undefined)?.$ref;
  return typeof ref === "string" ? components[ref.replace("#/components/schemas/", "")] : schema;
};

type Want =
  | { kind: "typed"; required: boolean; additional?: boolean }
  | { kind: "untyped"; from: number }
  | { kind: "missing"; at: number; known: string[]; actual?: string };

const rows: [string, { schema: unknown; pointer: string[]; want: Want }][] = [
  ["required property", { schema: { $ref: "#/components/schemas/Pet" }, pointer: ["id"], want: { kind: "typed", required: true } }],
  ["optional property", { schema: { $ref: "#/components/schemas/Pet" }, pointer: ["name"], want: { kind: "typed", required: false } }],
  ["array item", { schema: { $ref: "#/components/schemas/Pet" }, pointer: ["tags", "0"], want: { kind: "typed", required: false } }],
  ["misspelt property", { schema: { $ref: "#/components/schemas/Pet" }, pointer: ["nmae"], want: { kind: "missing", at: 0, known: ["id", "name", "tags"] } }],
  [
    "a field of a string",
    { schema: { $ref: "#/components/schemas/Pet" }, pointer: ["name", "first"], want: { kind: "missing", at: 1, known: [], actual: "string" } },
  ],
  [
    "a named field of an array",
    { schema: { $ref: "#/components/schemas/Pet" }, pointer: ["tags", "first"], want: { kind: "missing", at: 1, known: [], actual: "array" } },
  ],
  [
    "recursive schema, followed",
    { schema: { $ref: "#/components/schemas/Loop" }, pointer: ["next", "next", "value"], want: { kind: "typed", required: false } },
  ],
  ["no schema at all", { schema: undefined, pointer: ["a"], want: { kind: "untyped", from: 0 } }],
  ["empty schema at the end", { schema: { type: "object", properties: { a: {} } }, pointer: ["a"], want: { kind: "untyped", from: 1 } }],
  ["below an empty schema", { schema: { type: "object", properties: { a: {} } }, pointer: ["a", "b"], want: { kind: "untyped", from: 1 } }],
  ["object with no declared fields", { schema: { type: "object" }, pointer: ["a"], want: { kind: "untyped", from: 0 } }],
  [
    "additionalProperties with a schema",
    { schema: { type: "object", additionalProperties: { type: "string" } }, pointer: ["anything"], want: { kind: "typed", required: false, additional: true } },
  ],
  [
    "additionalProperties: true",
    { schema: { type: "object", properties: { a: { type: "string" } }, additionalProperties: true }, pointer: ["b"], want: { kind: "untyped", from: 0 } },
  ],
  [
    "additionalProperties: false",
    {
      schema: { type: "object", properties: { a: { type: "string" } }, additionalProperties: false },
      pointer: ["b"],
      want: { kind: "missing", at: 0, known: ["a"] },
    },
  ],
  [
    "patternProperties",
    { schema: { type: "object", properties: { a: {} }, patternProperties: { "^x": { type: "string" } } }, pointer: ["xy"], want: { kind: "untyped", from: 0 } },
  ],
  [
    "allOf: a field of the second member",
    {
      schema: { allOf: [{ $ref: "#/components/schemas/Pet" }, { type: "object", properties: { owner: { type: "string" } } }] },
      pointer: ["owner"],
      want: { kind: "typed", required: false },
    },
  ],
  [
    "allOf: a field of no member",
    {
      schema: { allOf: [{ $ref: "#/components/schemas/Pet" }, { type: "object", properties: { owner: {} } }] },
      pointer: ["ownr"],
      want: { kind: "missing", at: 0, known: ["id", "name", "tags", "owner"] },
    },
  ],
  [
    "oneOf: in every alternative (required in both)",
    {
      schema: {
        oneOf: [
          { type: "object", required: ["k"], properties: { k: { type: "string" } } },
          { type: "object", required: ["k"], properties: { k: { type: "integer" } } },
        ],
      },
      pointer: ["k"],
      want: { kind: "typed", required: true },
    },
  ],
  [
    "anyOf: in one alternative only",
    {
      schema: {
        anyOf: [
          { type: "object", properties: { k: { type: "string" } } },
          { type: "object", properties: { j: { type: "string" } } },
        ],
      },
      pointer: ["k"],
      want: { kind: "untyped", from: 0 },
    },
  ],
  [
    "oneOf: in no alternative",
    {
      schema: {
        oneOf: [
          { type: "object", properties: { k: { type: "string" } } },
          { type: "object", properties: { j: { type: "string" } } },
        ],
      },
      pointer: ["x"],
      want: { kind: "missing", at: 0, known: ["k", "j"] },
    },
  ],
  [
    "nullable object (3.1 type list)",
    { schema: { type: ["object", "null"], properties: { a: { type: "string" } } }, pointer: ["a"], want: { kind: "typed", required: false } },
  ],
  [
    "oneOf with a null alternative",
    { schema: { oneOf: [{ $ref: "#/components/schemas/Pet" }, { type: "null" }] }, pointer: ["id"], want: { kind: "typed", required: true } },
  ],
  ["allOf that contains itself: ends, untyped", { schema: { $ref: "#/components/schemas/SelfAllOf" }, pointer: ["a"], want: { kind: "untyped", from: 0 } }],
  [
    "oneOf cycle through two schemas: ends, untyped",
    { schema: { $ref: "#/components/schemas/PingOneOf" }, pointer: ["a"], want: { kind: "untyped", from: 0 } },
  ],
  [
    "oneOf and anyOf together: one union",
    {
      schema: { oneOf: [{ type: "object", properties: { k: { type: "string" } } }], anyOf: [{ type: "object", properties: { j: { type: "string" } } }] },
      pointer: ["j"],
      want: { kind: "untyped", from: 0 },
    },
  ],
  [
    "a `__proto__` key is not inherited",
    { schema: { type: "object", properties: { a: { type: "string" } } }, pointer: ["__proto__"], want: { kind: "missing", at: 0, known: ["a"] } },
  ],
];

describe("walkSchemaPointer", () => {
  test.each(rows)("%s", (_, { schema, pointer, want }) => {
    const walk: PointerWalk = walkSchemaPointer(schema, pointer, resolve);
    const got =
      walk.kind === "typed"
        ? { kind: walk.kind, required: walk.required, ...(want.kind === "typed" && want.additional ? { additional: walk.additional } : {}) }
        : walk.kind === "untyped"
          ? { kind: walk.kind, from: walk.from }
          : { kind: walk.kind, at: walk.at, known: walk.known, ...(walk.actual ? { actual: walk.actual } : {}) };
    expect(got).toEqual(want);
    expect(walk.segments.map((s) => s.segment)).toEqual(pointer);
  });
});
