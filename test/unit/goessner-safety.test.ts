/**
 * Goessner JSONPath scripts run in jsonpath-plus's "safe" evaluator inside the services that
 * use a generated package; only data expressions (paths on `@`/`$`, literals, operators)
 * are accepted at generation time, so a hostile document cannot reach code through them.
 */
import { describe, expect, test } from "vitest";
import { unsafeGoessnerScript } from "../../generator/criteria/goessner-safety.ts";

const accepted = [
  "$.pets[*].name",
  "$.pets[?(@.price < 10)]",
  "$..book[?(@.isbn)]",
  "$.a[?(@.name == 'x' && @.n >= 2)]",
  "$.a[?(@.x === 'y' || !@.z)]",
  "$.a[(@.length-1)]",
  '$[?(@.tags[0] == "a")]',
  "$.a[?(@['a b'] != null)]",
  "$.a[?(@.total * 2 > $.limit)]",
];

const rejected: [string, RegExp][] = [
  ["$.a[?(@.b.constructor)]", /prototype chain/],
  ["$.a[?(@['constructor'])]", /prototype chain/],
  ["$.a[?(@.__proto__)]", /prototype chain/],
  ["$.a[?(this.x)]", /`this`/],
  ["$.a[?(@.x == process.env.HOME)]", /`process`/],
  ["$.a[?(@.x.toString())]", /calls a function/],
  ["$.a[?((a)=>1)]", /not a plain comparison/],
  ["$.a[?(@.x = 1)]", /not a plain comparison/],
  ["$.a[?(`${1}`)]", /not a plain comparison/],
  ["$.a[?(@.x); globalThis]", /not a plain comparison|globalThis/],
  ["$.a[?(Function('return 1')())]", /`Function`/],
  ["$.a[?@.x]", /\[\?\(…\)\]/],
];

describe("Goessner JSONPath scripts", () => {
  test.each(accepted)("accepts %s", (query) => {
    expect(unsafeGoessnerScript(query)).toBeUndefined();
  });
  test.each(rejected)("rejects %s", (query, reason) => {
    expect(unsafeGoessnerScript(query)).toMatch(reason);
  });
});
