/**
 * Form bodies as the runtime writes them (`generator/runtime/form.ts`): each field by its
 * OpenAPI Encoding Object (RFC 6570 styles, `deepObject` in bracket notation at every level)
 * or by content (text, JSON for objects, one pair per array item); and bracket notation as
 * the IR reads it (`generator/ir/form-body.ts`).
 */
import { describe, expect, test } from "vitest";
import { bracketName, formMediaType, parseBracketKey } from "../../generator/ir/form-body.ts";
import { formBody, formPairs, multipartBody, type FormEncoding } from "../../generator/runtime/form.ts";

const deep: FormEncoding = { style: "deepObject", explode: true };

describe("formPairs", () => {
  const cases: [string, unknown, Record<string, FormEncoding>, [string, string][]][] = [
    [
      "scalars as text, in key order",
      { b: "x y", a: 1, c: true, d: false, e: 0 },
      {},
      [
        ["b", "x y"],
        ["a", "1"],
        ["c", "true"],
        ["d", "false"],
        ["e", "0"],
      ],
    ],
    ["undefined and null send nothing", { a: undefined, b: null, c: "" }, {}, [["c", ""]]],
    ["default: an object as JSON", { m: { a: 1, b: "x" } }, {}, [["m", '{"a":1,"b":"x"}']]],
    [
      "default: an array as one pair per item, an object item as JSON",
      { t: ["a", 2, null, { k: 1 }] },
      {},
      [
        ["t", "a"],
        ["t", "2"],
        ["t", '{"k":1}'],
      ],
    ],
    [
      "deepObject: brackets at every level, arrays indexed",
      { m: { a: "1", n: { b: 2, c: [true, { d: "x" }] }, z: null } },
      { m: deep },
      [
        ["m[a]", "1"],
        ["m[n][b]", "2"],
        ["m[n][c][0]", "true"],
        ["m[n][c][1][d]", "x"],
      ],
    ],
    [
      "deepObject on an array and on a scalar",
      { e: ["a", "b"], s: "x" },
      { e: deep, s: deep },
      [
        ["e[0]", "a"],
        ["e[1]", "b"],
        ["s", "x"],
      ],
    ],
    [
      "form, explode: an object's properties flattened, an array repeated",
      { o: { a: 1, b: null, c: "x" }, t: ["a", "b"] },
      { o: { style: "form", explode: true }, t: { style: "form", explode: true } },
      [
        ["a", "1"],
        ["c", "x"],
        ["t", "a"],
        ["t", "b"],
      ],
    ],
    [
      "form, no explode: comma-joined",
      { o: { a: 1, c: "x" }, t: ["a", "b"] },
      { o: { style: "form", explode: false }, t: { style: "form", explode: false } },
      [
        ["o", "a,1,c,x"],
        ["t", "a,b"],
      ],
    ],
    [
      "spaceDelimited and pipeDelimited",
      { s: ["a", "b"], p: ["c", "d"] },
      { s: { style: "spaceDelimited", explode: false }, p: { style: "pipeDelimited", explode: false } },
      [
        ["s", "a b"],
        ["p", "c|d"],
      ],
    ],
    [
      "contentType application/json: a string quoted, each array item JSON",
      { s: "x", t: ["a", 1] },
      { s: { contentType: "application/json" }, t: { contentType: "application/json" } },
      [
        ["s", '"x"'],
        ["t", '"a"'],
        ["t", "1"],
      ],
    ],
    [
      "contentType text/plain: as the default",
      { s: "x", o: { a: 1 } },
      { s: { contentType: "text/plain" }, o: { contentType: "text/plain" } },
      [
        ["s", "x"],
        ["o", '{"a":1}'],
      ],
    ],
    [
      "an encoding for a field the body does not have is ignored; `__proto__` is a field like any other",
      JSON.parse('{"__proto__":"p","a":"b"}'),
      { z: deep },
      [
        ["__proto__", "p"],
        ["a", "b"],
      ],
    ],
  ];
  test.each(cases)("%s", (_, body, encoding, pairs) => {
    expect(formPairs(body, encoding)).toEqual(pairs);
  });
});

describe("formBody: application/x-www-form-urlencoded", () => {
  test("percent-encodes names and values as WHATWG's form serializer does (brackets too, spaces as +)", () => {
    const body = { amount: 2000, metadata: { order_id: "a b&c=d/é" }, line_items: [{ price: "p_1", quantity: 2 }] };
    expect(formBody({ metadata: deep, line_items: deep })(body)).toBe(
      "amount=2000&metadata%5Border_id%5D=a+b%26c%3Dd%2F%C3%A9&line_items%5B0%5D%5Bprice%5D=p_1&line_items%5B0%5D%5Bquantity%5D=2",
    );
  });

  test("a string body is sent as written; no encoding, no pairs", () => {
    expect(formBody()("a=1&b=%5B")).toBe("a=1&b=%5B");
    expect(formBody()({})).toBe("");
  });
});

describe("multipartBody: multipart/form-data", () => {
  test("one part per pair, with the same names; a Blob is a file part", async () => {
    const file = new Blob(["%PDF"], { type: "application/pdf" });
    const data = multipartBody({ metadata: deep })({ purpose: "evidence", tags: ["a", "b"], metadata: { order_id: "o-1" }, file });
    expect(data).toBeInstanceOf(FormData);
    const parts = [...(data as FormData).entries()].map(([name, value]) => [name, typeof value === "string" ? value : `<${value.type}>`]);
    expect(parts).toEqual([
      ["purpose", "evidence"],
      ["tags", "a"],
      ["tags", "b"],
      ["metadata[order_id]", "o-1"],
      ["file", "<application/pdf>"],
    ]);
    // fetch gives it the Content-Type with its boundary.
    const request = new Request("https://x.test", { method: "POST", body: data as FormData });
    expect(request.headers.get("content-type")).toMatch(/^multipart\/form-data; boundary=/);
  });
});

describe("bracket notation in payload keys", () => {
  test.each([
    ["metadata[order_id]", ["metadata", "order_id"]],
    ["line_items[0][price]", ["line_items", "0", "price"]],
    ["a[]", ["a", ""]],
    ["a[b c][d/e]", ["a", "b c", "d/e"]],
  ])("%s names %j", (key, path) => {
    expect(parseBracketKey(key)).toEqual(path);
    if (!path.includes("")) expect(bracketName(path)).toBe(key);
  });

  test.each(["plain", "[a]", "a[b]c", "a[b", "a]b[", "a[[b]]", ""])("%j is not bracket notation", (key) => {
    expect(parseBracketKey(key)).toBeUndefined();
  });

  test("form media types, with parameters and in any case", () => {
    expect(formMediaType("application/x-www-form-urlencoded; charset=utf-8")).toBe("urlencoded");
    expect(formMediaType("Multipart/Form-Data")).toBe("multipart");
    expect(formMediaType("application/json")).toBeUndefined();
    expect(formMediaType("multipart/mixed")).toBeUndefined();
  });
});
