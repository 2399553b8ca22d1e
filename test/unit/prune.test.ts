/**
 * `pruneDocument`: what is kept for openapi-typescript (the used operations and what they
 * reach by `$ref`, or the whole document), what a `$ref` that cannot be followed becomes,
 * and what is reported back about it. Table-driven: `[name, { given, want }]`.
 */
import path from "node:path";
import { describe, expect, test } from "vitest";
import { pruneDocument, type PrunedDocument, type UsedOperation } from "../../generator/openapi/prune.ts";

/** Refs to files resolve next to this (imaginary) document: `tag.schema.yaml` exists there, `missing.yaml` does not. */
const FILE = path.resolve(import.meta.dirname, "../fixtures/broken-openapi/unit.openapi.yaml");

type Doc = Record<string, unknown>;

const op = (method: UsedOperation["method"], p: string): UsedOperation => ({ method, path: p });
const ok = (schema: unknown = { type: "string" }) => ({ "200": { description: "ok", content: { "application/json": { schema } } } });
const ref = ($ref: string) => ({ $ref });
const openapi = (rest: Doc): Doc => ({ openapi: "3.1.0", info: { title: "t", version: "1" }, ...rest });

/** What was kept: each path with its keys, each component type with its names. */
function shape(document: Doc): { paths: Record<string, string[]>; components: Record<string, string[]> } {
  const keys = (value: unknown) => Object.keys((value ?? {}) as object);
  const paths = Object.fromEntries(Object.entries((document.paths ?? {}) as Record<string, object>).map(([p, item]) => [p, keys(item)]));
  const components = Object.fromEntries(Object.entries((document.components ?? {}) as Record<string, object>).map(([t, map]) => [t, keys(map)]));
  return { paths, components };
}

/** The replacements, short: `ref @ data/path (position → placeholder, problem) used by: get /a`. */
function replacements(pruned: PrunedDocument): string[] {
  return pruned.replacements.map(
    (r) =>
      `${r.ref} @ ${r.at.join("/")} (${r.position} → ${r.placeholder}, ${r.problem.kind}) used by: ${r.usedBy.map((u) => `${u.method} ${u.path}`).join(", ")}`,
  );
}

function at(document: unknown, ...tokens: (string | number)[]): unknown {
  return tokens.reduce<unknown>((node, t) => (node as Record<string | number, unknown> | undefined)?.[t], document);
}

interface Row {
  given: { doc: Doc; used: UsedOperation[]; whole?: boolean };
  want: {
    shape?: ReturnType<typeof shape>;
    replacements?: string[];
    /** Values at data paths of the output document (`undefined`: absent). */
    values?: [(string | number)[], unknown][];
  };
}

const rows: [string, Row][] = [
  [
    "keeps the used operation with its path-level fields, drops unused methods and paths",
    {
      given: {
        doc: openapi({
          servers: [{ url: "https://api.test" }],
          security: [{ key: [] }],
          tags: [{ name: "pets" }],
          paths: {
            "/pets": {
              summary: "pets",
              parameters: [{ name: "x-trace", in: "header", schema: { type: "string" } }],
              get: { operationId: "list", responses: ok() },
              post: { operationId: "create", responses: ok() },
            },
            "/owners": { get: { operationId: "owners", responses: ok() } },
          },
          components: { securitySchemes: { key: { type: "apiKey", in: "header", name: "k" } }, schemas: { Unused: { type: "string" } } },
        }),
        used: [op("get", "/pets")],
      },
      want: {
        shape: { paths: { "/pets": ["summary", "parameters", "get"] }, components: { securitySchemes: ["key"] } },
        values: [
          [["servers", 0, "url"], "https://api.test"],
          [["security", 0], { key: [] }],
          [["tags"], undefined],
        ],
        replacements: [],
      },
    },
  ],
  [
    "keeps the schemas reached transitively, and no others",
    {
      given: {
        doc: openapi({
          paths: { "/pets": { get: { responses: ok(ref("#/components/schemas/Pet")) } } },
          components: {
            schemas: {
              Pet: {
                type: "object",
                properties: { owner: ref("#/components/schemas/Owner"), tags: { type: "array", items: ref("#/components/schemas/Tag") } },
              },
              Owner: { allOf: [ref("#/components/schemas/Person")] },
              Person: { type: "object", additionalProperties: ref("#/components/schemas/Note") },
              Note: { type: "string" },
              Tag: { type: "string" },
              Unused: { type: "object", properties: { x: ref("#/components/schemas/Nowhere") } },
            },
          },
        }),
        used: [op("get", "/pets")],
      },
      want: { shape: { paths: { "/pets": ["get"] }, components: { schemas: ["Pet", "Owner", "Person", "Note", "Tag"] } }, replacements: [] },
    },
  ],
  [
    "keeps components of every kind the operation reaches",
    {
      given: {
        doc: openapi({
          paths: {
            "/pets": {
              parameters: [ref("#/components/parameters/Trace")],
              post: {
                parameters: [ref("#/components/parameters/Limit")],
                requestBody: ref("#/components/requestBodies/NewPet"),
                responses: { "201": ref("#/components/responses/Created"), default: ref("#/components/responses/Problem") },
              },
            },
            "/b": ref("#/components/pathItems/B"),
          },
          components: {
            parameters: {
              Trace: { name: "t", in: "header", schema: ref("#/components/schemas/Id") },
              Limit: { name: "limit", in: "query", schema: { type: "integer" } },
              Other: { name: "o", in: "query" },
            },
            requestBodies: { NewPet: { content: { "application/json": { schema: ref("#/components/schemas/Pet") } } } },
            responses: {
              Created: { description: "created", headers: { Location: ref("#/components/headers/Location") } },
              Problem: { description: "problem" },
              Unused: { description: "unused" },
            },
            headers: { Location: { schema: { type: "string" } } },
            pathItems: { B: { get: { responses: ok(ref("#/components/schemas/B")) } } },
            schemas: { Id: { type: "string" }, Pet: { type: "object" }, B: { type: "string" } },
          },
        }),
        used: [op("post", "/pets"), op("get", "/b")],
      },
      want: {
        shape: {
          paths: { "/pets": ["parameters", "post"], "/b": ["$ref"] },
          components: {
            parameters: ["Trace", "Limit"],
            requestBodies: ["NewPet"],
            responses: ["Created", "Problem"],
            headers: ["Location"],
            pathItems: ["B"],
            schemas: ["Id", "Pet", "B"],
          },
        },
        replacements: [],
      },
    },
  ],
  [
    "a ref deeper than a component keeps the whole component; a ref into #/paths keeps that operation",
    {
      given: {
        doc: openapi({
          paths: {
            "/a": { get: { responses: ok(ref("#/components/schemas/Pet/properties/owner")) } },
            "/b": { get: { responses: ok(ref("#/paths/~1c/get/responses/200/content/application~1json/schema")) } },
            "/c": { get: { responses: ok(ref("#/components/schemas/C")) }, put: { responses: ok() } },
          },
          components: {
            schemas: { Pet: { type: "object", properties: { owner: ref("#/components/schemas/Owner") } }, Owner: { type: "string" }, C: { type: "integer" } },
          },
        }),
        used: [op("get", "/a"), op("get", "/b")],
      },
      want: { shape: { paths: { "/a": ["get"], "/b": ["get"], "/c": ["get"] }, components: { schemas: ["Pet", "Owner", "C"] } }, replacements: [] },
    },
  ],
  [
    "a recursive schema is not a broken reference",
    {
      given: {
        doc: openapi({
          paths: { "/tree": { get: { responses: ok(ref("#/components/schemas/Node")) } } },
          components: { schemas: { Node: { type: "object", properties: { children: { type: "array", items: ref("#/components/schemas/Node") } } } } },
        }),
        used: [op("get", "/tree")],
      },
      want: { shape: { paths: { "/tree": ["get"] }, components: { schemas: ["Node"] } }, replacements: [] },
    },
  ],
  [
    "placeholders: schema → {}, parameter dropped, response without content, request body dropped, header dropped, mapping entry dropped",
    {
      given: {
        doc: openapi({
          paths: {
            "/pets": {
              post: {
                parameters: [ref("#/components/parameters/Gone"), { name: "keep", in: "query" }],
                requestBody: ref("#/components/requestBodies/Gone"),
                responses: {
                  "200": {
                    description: "ok",
                    headers: { "X-Gone": ref("#/components/headers/Gone"), "X-Kept": { schema: { type: "string" } } },
                    content: { "application/json": { schema: { type: "object", properties: { a: ref("#/components/schemas/Gone"), b: { type: "string" } } } } },
                  },
                  "404": ref("#/components/responses/Gone"),
                  default: { description: "pet", content: { "application/json": { schema: ref("#/components/schemas/Pet") } } },
                },
              },
            },
          },
          components: {
            schemas: {
              Pet: {
                oneOf: [ref("#/components/schemas/Cat")],
                discriminator: { propertyName: "kind", mapping: { cat: "#/components/schemas/Cat", dog: "#/components/schemas/Dog" } },
              },
              Cat: { type: "object" },
            },
          },
        }),
        used: [op("post", "/pets")],
      },
      want: {
        values: [
          [["paths", "/pets", "post", "parameters"], [{ name: "keep", in: "query" }]],
          [["paths", "/pets", "post", "requestBody"], undefined],
          [["paths", "/pets", "post", "responses", "200", "headers"], { "X-Kept": { schema: { type: "string" } } }],
          [["paths", "/pets", "post", "responses", "200", "content", "application/json", "schema", "properties"], { a: {}, b: { type: "string" } }],
          [["paths", "/pets", "post", "responses", "404"], { description: "" }],
          [["components", "schemas", "Pet", "discriminator"], { propertyName: "kind", mapping: { cat: "#/components/schemas/Cat" } }],
        ],
        replacements: [
          "#/components/parameters/Gone @ paths//pets/post/parameters/0 (parameter → dropped, missing) used by: post /pets",
          "#/components/requestBodies/Gone @ paths//pets/post/requestBody (requestBody → dropped, missing) used by: post /pets",
          "#/components/headers/Gone @ paths//pets/post/responses/200/headers/X-Gone (header → dropped, missing) used by: post /pets",
          "#/components/schemas/Gone @ paths//pets/post/responses/200/content/application/json/schema/properties/a (schema → unknown, missing) used by: post /pets",
          "#/components/responses/Gone @ paths//pets/post/responses/404 (response → no-content, missing) used by: post /pets",
          "#/components/schemas/Dog @ components/schemas/Pet/discriminator/mapping/dog (mapping → dropped, missing) used by: post /pets",
        ],
      },
    },
  ],
  [
    "a chain of bare references that loops: a schema becomes {}, a parameter is dropped; the loop itself is not kept",
    {
      given: {
        doc: openapi({
          paths: {
            "/pets/{id}": {
              get: { parameters: [ref("#/components/parameters/Id")], responses: ok(ref("#/components/schemas/Pet")) },
            },
          },
          components: {
            parameters: { Id: ref("#/components/parameters/Id") },
            schemas: { Pet: ref("#/components/schemas/Animal"), Animal: ref("#/components/schemas/Pet") },
          },
        }),
        used: [op("get", "/pets/{id}")],
      },
      want: {
        shape: { paths: { "/pets/{id}": ["get"] }, components: {} },
        values: [
          [["paths", "/pets/{id}", "get", "parameters"], []],
          [["paths", "/pets/{id}", "get", "responses", "200", "content", "application/json", "schema"], {}],
        ],
        replacements: [
          "#/components/parameters/Id @ paths//pets/{id}/get/parameters/0 (parameter → dropped, circular) used by: get /pets/{id}",
          "#/components/schemas/Pet @ paths//pets/{id}/get/responses/200/content/application/json/schema (schema → unknown, circular) used by: get /pets/{id}",
        ],
      },
    },
  ],
  [
    "an external ref to a missing file becomes a placeholder; to an existing file it is left for the bundler",
    {
      given: {
        doc: openapi({
          paths: {
            "/pets": {
              get: {
                responses: {
                  "200": {
                    description: "ok",
                    content: {
                      "application/json": { schema: { type: "object", properties: { tag: ref("./tag.schema.yaml"), gone: ref("./missing.yaml#/Gone") } } },
                    },
                  },
                  "500": ref("missing-responses.yaml#/Error"),
                },
              },
            },
          },
        }),
        used: [op("get", "/pets")],
      },
      want: {
        values: [
          [
            ["paths", "/pets", "get", "responses", "200", "content", "application/json", "schema", "properties"],
            { tag: { $ref: "./tag.schema.yaml" }, gone: {} },
          ],
          [["paths", "/pets", "get", "responses", "500"], { description: "" }],
        ],
        replacements: [
          "./missing.yaml#/Gone @ paths//pets/get/responses/200/content/application/json/schema/properties/gone (schema → unknown, no-file) used by: get /pets",
          "missing-responses.yaml#/Error @ paths//pets/get/responses/500 (response → no-content, no-file) used by: get /pets",
        ],
      },
    },
  ],
  [
    "examples, example refs, encoding, links and callbacks are left out; schema examples stay",
    {
      given: {
        doc: openapi({
          paths: {
            "/pets": {
              post: {
                parameters: [
                  { name: "q", in: "query", schema: { type: "string" }, example: ref("#/components/examples/Q"), examples: { a: ref("./missing.json") } },
                ],
                requestBody: {
                  content: {
                    "application/json": {
                      schema: { type: "object", properties: { name: { type: "string", example: "Rex", examples: ["Rex", "Fido"] } } },
                      examples: { one: { externalValue: "./missing.json" }, two: ref("#/components/examples/Gone") },
                      encoding: { name: { headers: { X: ref("#/components/headers/Gone") } } },
                    },
                  },
                },
                callbacks: { onEvent: ref("#/components/callbacks/Gone") },
                responses: {
                  "200": {
                    description: "ok",
                    links: { next: ref("#/components/links/Gone") },
                    headers: { X: { schema: { type: "string" }, examples: { a: ref("./missing.json") } } },
                  },
                },
              },
            },
          },
        }),
        used: [op("post", "/pets")],
      },
      want: {
        values: [
          [["paths", "/pets", "post", "parameters", 0], { name: "q", in: "query", schema: { type: "string" } }],
          [
            ["paths", "/pets", "post", "requestBody", "content", "application/json"],
            { schema: { type: "object", properties: { name: { type: "string", example: "Rex", examples: ["Rex", "Fido"] } } } },
          ],
          [["paths", "/pets", "post", "callbacks"], undefined],
          [["paths", "/pets", "post", "responses", "200"], { description: "ok", headers: { X: { schema: { type: "string" } } } }],
        ],
        replacements: [],
      },
    },
  ],
  [
    "a broken reference in a shared component names every used operation that reaches it",
    {
      given: {
        doc: openapi({
          paths: {
            "/a": { get: { responses: ok(ref("#/components/schemas/Shared")) } },
            "/b": { parameters: [ref("#/components/parameters/Gone")], get: { responses: ok(ref("#/components/schemas/Shared")) }, put: { responses: ok() } },
          },
          components: { schemas: { Shared: { type: "object", properties: { x: ref("#/components/schemas/Gone") } } } },
        }),
        used: [op("get", "/a"), op("get", "/b"), op("put", "/b")],
      },
      want: {
        replacements: [
          "#/components/parameters/Gone @ paths//b/parameters/0 (parameter → dropped, missing) used by: get /b, put /b",
          "#/components/schemas/Gone @ components/schemas/Shared/properties/x (schema → unknown, missing) used by: get /a, get /b",
        ],
      },
    },
  ],
  [
    "whole document: every path, webhook and typed component, broken references in unused parts replaced and used by nothing",
    {
      given: {
        doc: openapi({
          paths: {
            "/a": { get: { responses: ok() }, delete: { responses: { "204": ref("#/components/responses/Gone") } } },
            "/b": { get: { responses: ok(ref("#/components/schemas/Missing")) } },
          },
          webhooks: { ping: { post: { responses: ok() } } },
          components: {
            schemas: { Lonely: { type: "string" }, Loop: ref("#/components/schemas/Loop") },
            parameters: { P: { name: "p", in: "query" } },
            examples: { E: { value: 1 } },
            links: { L: { operationId: "x" } },
            callbacks: { C: {} },
          },
        }),
        used: [op("get", "/a")],
        whole: true,
      },
      want: {
        shape: { paths: { "/a": ["get", "delete"], "/b": ["get"] }, components: { schemas: ["Lonely", "Loop"], parameters: ["P"] } },
        values: [
          [["webhooks", "ping", "post", "responses", "200", "description"], "ok"],
          [["components", "schemas", "Loop"], {}],
        ],
        replacements: [
          "#/components/responses/Gone @ paths//a/delete/responses/204 (response → no-content, missing) used by: ",
          "#/components/schemas/Missing @ paths//b/get/responses/200/content/application/json/schema (schema → unknown, missing) used by: ",
          "#/components/schemas/Loop @ components/schemas/Loop (schema → unknown, circular) used by: ",
        ],
      },
    },
  ],
];

describe("pruneDocument", () => {
  test.each(rows)("%s", (_name, { given, want }) => {
    const pruned = pruneDocument({ data: given.doc, file: FILE }, given.used, { whole: given.whole });
    if (want.shape) expect(shape(pruned.document)).toEqual(want.shape);
    for (const [tokens, value] of want.values ?? []) expect(at(pruned.document, ...tokens), tokens.join("/")).toEqual(value);
    if (want.replacements) expect(replacements(pruned)).toEqual(want.replacements);
  });

  test("usedBy holds the very objects passed in (so callers can carry step names along)", () => {
    const use = { ...op("get", "/a"), steps: ["read"] };
    const doc = openapi({ paths: { "/a": { get: { responses: ok(ref("#/components/schemas/Gone")) } } } });
    const [replacement] = pruneDocument({ data: doc, file: FILE }, [use]).replacements;
    expect(replacement?.usedBy[0]).toBe(use);
  });

  test("a misspelt local reference carries the closest name", () => {
    const doc = openapi({ paths: { "/a": { get: { responses: ok(ref("#/components/schemas/Pett")) } } }, components: { schemas: { Pet: {} } } });
    const [replacement] = pruneDocument({ data: doc, file: FILE }, [op("get", "/a")]).replacements;
    expect(replacement?.problem).toEqual({
      kind: "missing",
      ref: "#/components/schemas/Pett",
      missing: "#/components/schemas/Pett",
      suggestion: "#/components/schemas/Pet",
    });
  });

  test.each([false, true])("the input document is not changed, nor shared with the output (whole: %s)", (whole) => {
    const doc = rows.find(([name]) => name.startsWith("placeholders"))![1].given.doc;
    const before = structuredClone(doc);
    const frozen = deepFreeze(structuredClone(doc));
    const pruned = pruneDocument({ data: frozen, file: FILE }, [op("post", "/pets")], { whole });
    expect(frozen).toEqual(before);
    // Changing the output (the bundler does) leaves the input alone.
    const schema = at(pruned.document, "components", "schemas", "Pet", "discriminator") as Record<string, unknown>;
    schema.propertyName = "changed";
    expect(at(frozen, "components", "schemas", "Pet", "discriminator", "propertyName")).toBe("kind");
  });
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
