import { describe, expect, test } from "vitest";
import { jsonPathMatches } from "../../generator/runtime/jsonpath.ts";
import { valueFor } from "../../generator/targets/typescript/mock-data.ts";
import { satisfyFilter } from "../../generator/targets/typescript/mock-filter.ts";

/** The filter holds on the changed body, as the generated code reads it (applied to the context itself). */
function holds(filter: string, body: unknown): boolean {
  return jsonPathMatches(body, filter, true);
}

describe("mock replies meet RFC 9535 filter criteria", () => {
  test.each([
    ["$[?@.success == true]", { success: "example" }],
    ["$[?@.state == 'done' && @.meta.count >= 3]", { state: "open", meta: { count: 1 } }],
    ["$[?@['x y'] != 'q']", { "x y": "q" }],
    ["$[?@['x y'][0] != 'q']", { "x y": ["q"] }],
    ["$[?@.items[1].status == 'done']", { items: [{ status: "open" }, { status: "open" }] }],
    ["$[?@.a == 1 && @.b == 2 && @.c == 3]", { a: 1, b: 2 }],
    ["$[?count(@.pets) > 0]", {}],
    ["$[?count(@.pets[*]) >= 2]", { pets: [] }],
    ["$[?length(@.items) == 2]", { items: [{ id: 1 }] }],
    ["$[?3 < @.n]", { n: 1 }],
    ["$[?(@.a == 1) || @.b == 2]", {}],
  ])("%s", (filter, body) => {
    expect(holds(filter, body)).toBe(false);
    const changed = satisfyFilter(filter, [], body, valueFor);
    expect(holds(filter, changed), JSON.stringify(changed)).toBe(true);
  });

  test("a context below the body: the fields are set under it", () => {
    expect(satisfyFilter("$[?@.ready == true]", ["data"], { data: { ready: false } }, valueFor)).toEqual({ data: { ready: true } });
  });

  test("what it cannot read is left as it was", () => {
    for (const filter of ["$[?match(@.id, 'a.*')]", "$.items[?@.x == 1]", "$[?@.a == @.b]", "not jsonpath ["])
      expect(satisfyFilter(filter, [], { a: 1 }, valueFor)).toEqual({ a: 1 });
  });
});
