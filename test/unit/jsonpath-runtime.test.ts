/**
 * The runtime helper generated packages evaluate `jsonpath` criteria and selectors with
 * (generator/runtime/jsonpath.ts), on cases in the form of the JSONPath Compliance Test Suite
 * (selector, document, result): index selectors in the singular queries of a filter, which
 * jsonpath-rfc9535 1.3.0 evaluated as nothing, chains of `&&`, which its parser read as
 * `a && (b || c)`, `match()` on a value that is not a string, which json-p3 2.3.1 reads as
 * its string form, and the reading of a query that starts with a filter as a test of the
 * context itself.
 */
import { describe, expect, test } from "vitest";
import { jsonPathMatches, jsonPathSelect } from "../../generator/runtime/jsonpath.ts";

/** CTS-style: selector, document, the values RFC 9535 selects. */
const selections: [string, unknown, unknown[]][] = [
  ["$[?@.a[0] == 'q']", [{ a: ["q"] }, { a: ["r"] }, { a: [] }], [{ a: ["q"] }]],
  ["$[?@.a.b[1].c == 2]", [{ a: { b: [{ c: 2 }, { c: 2 }] } }, { a: { b: [{ c: 2 }, { c: 3 }] } }], [{ a: { b: [{ c: 2 }, { c: 2 }] } }]],
  ["$[?@.a[-1] == 3]", [{ a: [1, 2, 3] }, { a: [3, 1] }, { a: 3 }], [{ a: [1, 2, 3] }]],
  ["$[?@['x y'][0] != 'q']", [{ "x y": ["q"] }, { "x y": ["r"] }, { "x y": [] }], [{ "x y": ["r"] }, { "x y": [] }]],
  ["$[?@[0] == 5]", [{ "0": 5 }, [5]], [[5]]],
  ["$[?@.absent == @.list[9]]", [{ list: [1] }], [{ list: [1] }]],
  [
    "$.items[?$.wanted[0] == @.id].name",
    {
      wanted: [2],
      items: [
        { id: 1, name: "a" },
        { id: 2, name: "b" },
      ],
    },
    ["b"],
  ],
  [
    "$[?@.a && @.b && @.c]",
    [
      { a: 1, b: 2 },
      { a: 1, c: 3 },
      { a: 1, b: 2, c: 3 },
    ],
    [{ a: 1, b: 2, c: 3 }],
  ],
  ["$[?@.a == 1 && @.b == 2 && @.c == 3 || @.d]", [{ a: 1, b: 2, c: 4 }, { a: 1, b: 2, c: 3 }, { d: 0 }], [{ a: 1, b: 2, c: 3 }, { d: 0 }]],
  ["$.items[-1].id", { items: [{ id: 1 }, { id: 2 }] }, [2]],
  ["$..id", { a: { id: 1 }, b: [{ id: 2 }] }, [1, 2]],
  ["$[?count(@.*) == 2]", [{ x: 1, y: 2 }, { x: 1 }], [{ x: 1, y: 2 }]],
  ["$[?length(@.a[0]) == 2]", [{ a: ["xy"] }, { a: ["x"] }], [{ a: ["xy"] }]],
  // match() and search() are false for a value that is not a string (RFC 9535 §2.4.6, §2.4.7).
  ["$[?match(@.code, '20[0-9]')]", [{ code: 200 }, { code: "201" }, { code: ["200"] }, { code: true }], [{ code: "201" }]],
  ["$[?match(@, 'true')]", [true, "true"], ["true"]],
  ["$[?search(@.code, '0')]", [{ code: 200 }, { code: "201" }], [{ code: "201" }]],
];

describe("jsonPathSelect: RFC 9535 on the context", () => {
  test.each(selections)("%s on %j", (selector, document, result) => {
    expect(jsonPathSelect(document, selector)).toEqual(result);
  });

  test("an undefined context selects nothing", () => {
    expect(jsonPathSelect(undefined, "$")).toEqual([]);
  });
});

describe("jsonPathMatches: a criterion holds when the query selects a node", () => {
  test.each([
    ["$[?@.items[0].status == 'done']", { items: [{ status: "done" }] }, true],
    ["$[?@.items[0].status == 'done']", { items: [{ status: "open" }, { status: "done" }] }, false],
    ["$[?@.a[0] == 'q']", { a: ["q"] }, true],
    ["$[?@.a.b[1].c == 2]", { a: { b: [{}, { c: 2 }] } }, true],
    ["$[?@.a.b[1].c == 2]", { a: { b: [{ c: 2 }] } }, false],
    ["$[?@.a[-1] == 3]", { a: [1, 2, 3] }, true],
    ["$[?@.a[-1] == 3]", { a: [3, 2] }, false],
    ["$[?@.a && @.b && @.c]", { a: 1, b: 2 }, false],
    ["$[?count(@.pets) > 0]", { pets: [] }, true],
    ["$[?count(@.pets[*]) > 0]", { pets: [] }, false],
  ])("%s on %j (the filter tests the context itself) → %s", (query, context, holds) => {
    expect(jsonPathMatches(context, query, true)).toBe(holds);
  });

  test("without the context reading, a leading filter is RFC 9535's: it tests the context's children", () => {
    const body = { status: "done" };
    expect(jsonPathMatches(body, "$[?@.status == 'done']", true)).toBe(true);
    expect(jsonPathMatches(body, "$[?@.status == 'done']", false)).toBe(false);
    expect(jsonPathMatches([body], "$[?@.status == 'done']", false)).toBe(true);
    expect(jsonPathMatches({ list: [{ id: 1 }] }, "$.list[?@.id == 1]", false)).toBe(true);
    expect(jsonPathMatches({ list: [{ id: 2 }] }, "$.list[?@.id == 1]", false)).toBe(false);
  });

  test("an undefined context matches nothing, not even `$`", () => {
    expect(jsonPathMatches(undefined, "$", false)).toBe(false);
    expect(jsonPathMatches(null, "$", false)).toBe(true);
  });
});
