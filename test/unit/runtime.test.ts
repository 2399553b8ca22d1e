/**
 * The runtime that ships inside every generated package: Arazzo's `==` and ordering
 * operators, own-property reads, the step error (and what it must never leak), and the
 * helpers compiled steps call (`assertCriterion`, `requireOutput`, `send`).
 */
import { execFileSync } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import util from "node:util";
import createClient from "openapi-fetch";
import { describe, expect, test, vi } from "vitest";
import {
  ArazzoConfigError,
  ArazzoStepError,
  redactUrl,
  assertCriterion,
  compare,
  looseEquals,
  ownProperty,
  requireOutput,
  responseJson,
  retryUnauthorized,
  send,
  stepFailed,
  type FetchResultLike,
  type StepErrorDetails,
} from "../../generator/runtime/runtime.ts";

const RUNTIME = path.resolve(import.meta.dirname, "../../generator/runtime/runtime.ts");
const step = { workflowId: "tokenThenPayment", stepId: "mintToken" } as const;
const SECRET = "TOP-SECRET-access-token-3f9a";

function result(status: number, data?: unknown, error?: unknown): FetchResultLike {
  return { response: new Response(null, { status }), data, error };
}

/** Runs `fn`, expecting it to throw; returns what it threw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

async function rejected(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("looseEquals", () => {
  const sameObject = { a: 1 };
  const sameArray = [1];
  const rows: [string, { given: [unknown, unknown]; want: boolean }][] = [
    // strings: case-insensitive (Arazzo 1.0.1: "String comparisons MUST be case insensitive")
    ["equal strings", { given: ["active", "active"], want: true }],
    ["strings differing in case", { given: ["ACTIVE", "active"], want: true }],
    ["strings differing in case, other side", { given: ["active", "AcTiVe"], want: true }],
    ["token type in any case", { given: ["Bearer", "bEARER"], want: true }],
    ["non-ASCII strings differing in case", { given: ["ÉTÉ", "été"], want: true }],
    ["accents are not case", { given: ["resume", "résumé"], want: false }],
    ["different strings", { given: ["a", "b"], want: false }],
    ["prefix", { given: ["ab", "abc"], want: false }],
    ["empty strings", { given: ["", ""], want: true }],
    ["empty vs space", { given: ["", " "], want: false }],
    ["digits as strings compare as text", { given: ["200", "200.0"], want: false }],
    // numbers
    ["equal numbers", { given: [200, 200], want: true }],
    ["different numbers", { given: [200, 201], want: false }],
    ["zero and negative zero", { given: [0, -0], want: true }],
    ["NaN is not NaN", { given: [NaN, NaN], want: false }],
    // number vs numeric string: compared as numbers
    ["number and numeric string", { given: [200, "200"], want: true }],
    ["numeric string and number", { given: ["200", 200], want: true }],
    ["number and decimal string", { given: [200, "200.0"], want: true }],
    ["number and padded string", { given: [200, " 200 "], want: true }],
    ["number and other numeric string", { given: [200, "201"], want: false }],
    ["zero and empty string", { given: [0, ""], want: false }],
    ["empty string and zero", { given: ["", 0], want: false }],
    ["zero and blank string", { given: [0, "  "], want: false }],
    ["number and non-numeric string", { given: [1, "1a"], want: false }],
    ["NaN and text", { given: [NaN, "abc"], want: false }],
    // null / undefined
    ["null and null", { given: [null, null], want: true }],
    ["undefined and undefined", { given: [undefined, undefined], want: true }],
    ["null and undefined", { given: [null, undefined], want: true }],
    ["undefined and null", { given: [undefined, null], want: true }],
    ["null and empty string", { given: [null, ""], want: false }],
    ["null and zero", { given: [null, 0], want: false }],
    ["undefined and false", { given: [undefined, false], want: false }],
    ["the string null and null", { given: ["null", null], want: false }],
    // booleans
    ["true and true", { given: [true, true], want: true }],
    ["false and false", { given: [false, false], want: true }],
    ["true and false", { given: [true, false], want: false }],
    ["true and the string true", { given: [true, "true"], want: false }],
    ["true and 1", { given: [true, 1], want: false }],
    ["false and 0", { given: [false, 0], want: false }],
    // objects: by identity
    ["same object", { given: [sameObject, sameObject], want: true }],
    ["equal but distinct objects", { given: [{ a: 1 }, { a: 1 }], want: false }],
    ["same array", { given: [sameArray, sameArray], want: true }],
    ["equal but distinct arrays", { given: [[1], [1]], want: false }],
    ["array and its string form", { given: [[1], "1"], want: false }],
  ];
  for (const [name, { given, want }] of rows) {
    test(name, () => {
      expect(looseEquals(...given)).toBe(want);
    });
  }

  // Regression test, fixed (generator/runtime/runtime.ts, looseEquals): it uses `localeCompare(…, { sensitivity: "accent" })`,
  // which is collation equality, not case-insensitive equality: Unicode compatibility variants
  // (superscripts, full-width forms, kana) and default-ignorable characters (zero-width joiner,
  // soft hyphen, NUL) compare equal. Each call below returns `true` today.
  const notCaseVariants: [string, { given: [string, string]; want: boolean }][] = [
    ["superscript two is not the digit two", { given: ["x²", "x2"], want: false }],
    ["full-width letter is not ASCII", { given: ["ａ", "a"], want: false }],
    ["zero-width joiner is not nothing", { given: ["ab", "a\u200Db"], want: false }],
    ["soft hyphen is not nothing", { given: ["ab", "a\u00ADb"], want: false }],
    ["NUL is not nothing", { given: ["ab", "a\u0000b"], want: false }],
    ["hiragana is not katakana", { given: ["あ", "ア"], want: false }],
  ];
  for (const [name, { given, want }] of notCaseVariants) {
    test(`${name}`, () => {
      expect(looseEquals(...given)).toBe(want);
    });
  }

  /** `[looseEquals("id", "ID"), compare("i", "<=", "I")]` evaluated in a fresh Node process under `locale`. */
  function underLocale(locale: string): unknown {
    const out = execFileSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "--input-type=module",
        "-e",
        `import { looseEquals, compare } from ${JSON.stringify(RUNTIME)};console.log(JSON.stringify([looseEquals("id", "ID"), compare("i", "<=", "I")]));`,
      ],
      { env: { ...process.env, LC_ALL: locale, LANG: locale }, encoding: "utf8", cwd: path.resolve(import.meta.dirname, "../..") },
    );
    return JSON.parse(out.trim().split("\n").at(-1)!);
  }

  test("is case-insensitive for `i` under an English locale (checks the harness of the next test)", () => {
    expect(underLocale("en_US.UTF-8")).toEqual([true, true]);
  });

  // Regression test, fixed (generator/runtime/runtime.ts, looseEquals and compare): `localeCompare(…, undefined, …)` uses the
  // host's default locale, so the same generated workflow behaves differently per machine. Under
  // LC_ALL=tr_TR.UTF-8, `looseEquals("id", "ID")` is false (Turkish dotted/dotless i) and
  // `compare("i", "<=", "I")` is false; under en_US both are true. (Needs a Node with full ICU.)
  test("does not depend on the host locale", () => {
    expect(underLocale("tr_TR.UTF-8")).toEqual([true, true]);
  });
});

describe("compare", () => {
  type Op = "<" | "<=" | ">" | ">=";
  const rows: [string, { given: [unknown, Op, unknown]; want: boolean }][] = [
    // numbers
    ["1 < 2", { given: [1, "<", 2], want: true }],
    ["2 < 2", { given: [2, "<", 2], want: false }],
    ["3 < 2", { given: [3, "<", 2], want: false }],
    ["1 <= 2", { given: [1, "<=", 2], want: true }],
    ["2 <= 2", { given: [2, "<=", 2], want: true }],
    ["3 <= 2", { given: [3, "<=", 2], want: false }],
    ["3 > 2", { given: [3, ">", 2], want: true }],
    ["2 > 2", { given: [2, ">", 2], want: false }],
    ["1 > 2", { given: [1, ">", 2], want: false }],
    ["3 >= 2", { given: [3, ">=", 2], want: true }],
    ["2 >= 2", { given: [2, ">=", 2], want: true }],
    ["1 >= 2", { given: [1, ">=", 2], want: false }],
    ["negative numbers", { given: [-5, "<", -4], want: true }],
    ["fractions", { given: [0.25, ">", 0.2], want: true }],
    ["0 >= -0", { given: [0, ">=", -0], want: true }],
    ["0 > -0", { given: [0, ">", -0], want: false }],
    ["200 <= 299 (status range)", { given: [200, "<=", 299], want: true }],
    ["NaN <= NaN", { given: [NaN, "<=", NaN], want: false }],
    ["NaN >= 1", { given: [NaN, ">=", 1], want: false }],
    ["1 < NaN", { given: [1, "<", NaN], want: false }],
    // strings: case-insensitive
    ["a < b", { given: ["a", "<", "b"], want: true }],
    ["A < b", { given: ["A", "<", "b"], want: true }],
    ["a < B", { given: ["a", "<", "B"], want: true }],
    ["B > a", { given: ["B", ">", "a"], want: true }],
    ["abc < ABC", { given: ["abc", "<", "ABC"], want: false }],
    ["abc > ABC", { given: ["abc", ">", "ABC"], want: false }],
    ["abc <= ABC", { given: ["abc", "<=", "ABC"], want: true }],
    ["abc >= ABC", { given: ["abc", ">=", "ABC"], want: true }],
    ["b <= a", { given: ["b", "<=", "a"], want: false }],
    ["a >= b", { given: ["a", ">=", "b"], want: false }],
    ["strings are not numbers: '10' < '9'", { given: ["10", "<", "9"], want: true }],
    ["empty string < a", { given: ["", "<", "a"], want: true }],
    // mixed types: always false
    ["number < numeric string", { given: [1, "<", "2"], want: false }],
    ["numeric string < number", { given: ["1", "<", 2], want: false }],
    ["number >= equal numeric string", { given: [2, ">=", "2"], want: false }],
    ["null < 1", { given: [null, "<", 1], want: false }],
    ["null <= null", { given: [null, "<=", null], want: false }],
    ["undefined >= undefined", { given: [undefined, ">=", undefined], want: false }],
    ["true > false", { given: [true, ">", false], want: false }],
    ["arrays", { given: [[1], "<", [2]], want: false }],
    ["objects", { given: [{}, "<=", {}], want: false }],
  ];
  for (const [name, { given, want }] of rows) {
    test(name, () => {
      expect(compare(...given)).toBe(want);
    });
  }

  // Regression test, fixed (generator/runtime/runtime.ts, compare): the order is `left - right`, and
  // `Infinity - Infinity` is NaN, so `compare(Infinity, "<=", Infinity)` and
  // `compare(-Infinity, ">=", -Infinity)` return false.
  const infinities: [string, { given: [number, Op, number]; want: boolean }][] = [
    ["Infinity <= Infinity", { given: [Infinity, "<=", Infinity], want: true }],
    ["-Infinity >= -Infinity", { given: [-Infinity, ">=", -Infinity], want: true }],
  ];
  for (const [name, { given, want }] of infinities) {
    test(`${name}`, () => {
      expect(compare(...given)).toBe(want);
    });
  }
});

describe("ownProperty", () => {
  const rows: [string, { given: [unknown, PropertyKey]; want: unknown }][] = [
    ["own property", { given: [{ a: 1 }, "a"], want: 1 }],
    ["own falsy property", { given: [{ a: 0 }, "a"], want: 0 }],
    ["own null property", { given: [{ a: null }, "a"], want: null }],
    ["missing property", { given: [{ a: 1 }, "b"], want: undefined }],
    ["inherited constructor of {}", { given: [{}, "constructor"], want: undefined }],
    ["inherited toString of {}", { given: [{}, "toString"], want: undefined }],
    ["inherited __proto__ of {}", { given: [{}, "__proto__"], want: undefined }],
    ["inherited hasOwnProperty of {}", { given: [{}, "hasOwnProperty"], want: undefined }],
    ["inherited valueOf of {}", { given: [{}, "valueOf"], want: undefined }],
    ["inherited constructor of JSON.parse output", { given: [JSON.parse('{"a":1}'), "constructor"], want: undefined }],
    ["inherited __proto__ of JSON.parse output", { given: [JSON.parse('{"a":1}'), "__proto__"], want: undefined }],
    ["own __proto__ key from JSON.parse", { given: [JSON.parse('{"__proto__": 1}'), "__proto__"], want: 1 }],
    ["own constructor key from JSON.parse", { given: [JSON.parse('{"constructor": "x"}'), "constructor"], want: "x" }],
    ["own toString key from JSON.parse", { given: [JSON.parse('{"toString": false}'), "toString"], want: false }],
    ["property inherited from a custom prototype", { given: [Object.create({ inherited: 1 }), "inherited"], want: undefined }],
    ["null-prototype object", { given: [Object.assign(Object.create(null), { a: 2 }), "a"], want: 2 }],
    ["array element", { given: [[10, 20], 1], want: 20 }],
    ["array element out of range", { given: [[10, 20], 2], want: undefined }],
    ["array constructor is inherited", { given: [[10], "constructor"], want: undefined }],
    ["null", { given: [null, "a"], want: undefined }],
    ["undefined", { given: [undefined, "a"], want: undefined }],
    ["string primitive", { given: ["abc", "length"], want: undefined }],
    ["number primitive", { given: [42, "toFixed"], want: undefined }],
    ["boolean primitive", { given: [true, "valueOf"], want: undefined }],
    ["function", { given: [() => 1, "name"], want: undefined }],
  ];
  for (const [
    name,
    {
      given: [value, key],
      want,
    },
  ] of rows) {
    test(name, () => {
      expect(ownProperty(value as Record<PropertyKey, unknown>, key)).toBe(want);
    });
  }
});

describe("ArazzoStepError", () => {
  const body = { access_token: SECRET };
  const cause = new TypeError("fetch failed");
  const rows: [string, { given: StepErrorDetails; want: { message: string; status: number | undefined } }][] = [
    [
      "criteria with status",
      {
        given: { ...step, reason: "criteria", status: 401, body, detail: "$statusCode == 200" },
        want: { message: "workflow `tokenThenPayment`, step `mintToken`: success criterion `$statusCode == 200` not met (HTTP 401)", status: 401 },
      },
    ],
    [
      "criteria without status",
      {
        given: { ...step, reason: "criteria", detail: "$response.body#/ok == true" },
        want: { message: "workflow `tokenThenPayment`, step `mintToken`: success criterion `$response.body#/ok == true` not met", status: undefined },
      },
    ],
    [
      "criteria of a regex, JSONPath and XPath criterion: with the expression it tested",
      {
        given: { ...step, reason: "criteria", status: 200, body, detail: "^ord_", criterion: { type: "regex", context: "$response.body#/access_token" } },
        want: {
          message: "workflow `tokenThenPayment`, step `mintToken`: success criterion `^ord_` (regex on `$response.body#/access_token`) not met (HTTP 200)",
          status: 200,
        },
      },
    ],
    [
      "criteria of a JSONPath criterion",
      {
        given: { ...step, reason: "criteria", status: 200, body, detail: "$[?@.ok]", criterion: { type: "jsonpath", context: "$response.body" } },
        want: {
          message: "workflow `tokenThenPayment`, step `mintToken`: success criterion `$[?@.ok]` (JSONPath on `$response.body`) not met (HTTP 200)",
          status: 200,
        },
      },
    ],
    [
      "missing output",
      {
        given: { ...step, reason: "missing-output", status: 200, body, detail: "`$response.body#/access_token`" },
        want: { message: "workflow `tokenThenPayment`, step `mintToken`: response has no value for `$response.body#/access_token` (HTTP 200)", status: 200 },
      },
    ],
    [
      "request failure",
      {
        given: { ...step, reason: "request", detail: "TypeError", cause },
        want: { message: "workflow `tokenThenPayment`, step `mintToken`: request failed: TypeError", status: undefined },
      },
    ],
    [
      "step not run",
      {
        given: { ...step, reason: "not-run", detail: "step `initPayment`" },
        want: { message: "workflow `tokenThenPayment`, step `mintToken`: needs the outputs of step `initPayment`, which has not run", status: undefined },
      },
    ],
    [
      "step budget exhausted",
      {
        given: { ...step, reason: "step-budget", detail: "the run took more than 100 steps" },
        want: { message: "workflow `tokenThenPayment`, step `mintToken`: not started: the run took more than 100 steps", status: undefined },
      },
    ],
    [
      "request failure with status zero",
      {
        given: { ...step, reason: "request", status: 0, detail: "SyntaxError" },
        want: { message: "workflow `tokenThenPayment`, step `mintToken`: request failed: SyntaxError (HTTP 0)", status: 0 },
      },
    ],
  ];
  for (const [name, { given, want }] of rows) {
    test(`${name}: message and fields`, () => {
      const error = new ArazzoStepError(given);
      expect(error).toBeInstanceOf(Error);
      expect(error).toBeInstanceOf(ArazzoStepError);
      expect(error.name).toBe("ArazzoStepError");
      expect(error.message).toBe(want.message);
      expect(String(error)).toBe(`ArazzoStepError: ${want.message}`);
      expect(error.workflowId).toBe("tokenThenPayment");
      expect(error.stepId).toBe("mintToken");
      expect(error.reason).toBe(given.reason);
      expect(error.status).toBe(want.status);
      expect(error.body).toBe(given.body);
      expect(error.cause).toBe(given.cause);
    });

    test(`${name}: the body is kept but never printed`, () => {
      const error = new ArazzoStepError(given);
      expect(Object.getOwnPropertyDescriptor(error, "body")).toMatchObject({ value: given.body, enumerable: false });
      // Enumerable own keys, whatever the order: `status` is one even when undefined; `body` never is.
      expect(Object.keys(error).sort()).toEqual(["attempts", "name", "reason", "status", "stepId", "waitedMs", "workflowId"]);
      // `status` undefined is dropped by JSON.stringify; `message`, `cause` and `body` are not enumerable.
      expect(JSON.parse(JSON.stringify(error))).toEqual({
        workflowId: "tokenThenPayment",
        stepId: "mintToken",
        reason: given.reason,
        name: "ArazzoStepError",
        attempts: 1,
        waitedMs: 0,
        ...(want.status === undefined ? {} : { status: want.status }),
      });
      for (const text of [error.message, String(error), JSON.stringify(error), util.inspect(error)]) {
        expect(text).not.toContain(SECRET);
        expect(text).not.toMatch(/\bbody\b["']?:/); // no `body:` / `"body":` listing
      }
    });
  }

  test("a step tried more than once says how often and how long it waited", () => {
    const rows: [number, number, string][] = [
      [2, 10, "after 2 attempts (10 ms waited)"],
      [3, 1500, "after 3 attempts (1.5 s waited)"],
      [5, 90_400, "after 5 attempts (90 s waited)"],
    ];
    for (const [attempts, waitedMs, text] of rows) {
      const error = new ArazzoStepError({ ...step, reason: "criteria", status: 503, detail: "$statusCode == 200", attempts, waitedMs });
      expect(error.message).toBe(`workflow \`tokenThenPayment\`, step \`mintToken\`: success criterion \`$statusCode == 200\` not met (HTTP 503), ${text}`);
      expect([error.attempts, error.waitedMs]).toEqual([attempts, waitedMs]);
    }
  });

  test("status undefined is kept as a field set to undefined, not left out", () => {
    const error = new ArazzoStepError({ ...step, reason: "criteria", detail: "x" });
    expect(Object.hasOwn(error, "status")).toBe(true);
    expect(error.status).toBeUndefined();
  });
});

describe("assertCriterion", () => {
  const rows: [string, { given: { met: boolean; status: number; data?: unknown; error?: unknown }; want: { status: number; body: unknown } | "no throw" }][] = [
    ["met on 200", { given: { met: true, status: 200, data: { ok: true } }, want: "no throw" }],
    ["met on 500", { given: { met: true, status: 500, error: { message: "x" } }, want: "no throw" }],
    [
      "not met on 200: body is data",
      { given: { met: false, status: 200, data: { ok: false }, error: { ignored: 1 } }, want: { status: 200, body: { ok: false } } },
    ],
    ["not met on 204 without data", { given: { met: false, status: 204 }, want: { status: 204, body: undefined } }],
    ["not met on 299: still ok, body is data", { given: { met: false, status: 299, data: "d", error: "e" }, want: { status: 299, body: "d" } }],
    ["not met on 300: body is error", { given: { met: false, status: 300, data: "d", error: "e" }, want: { status: 300, body: "e" } }],
    [
      "not met on 404: body is error",
      { given: { met: false, status: 404, data: { ignored: 1 }, error: { code: "not_found" } }, want: { status: 404, body: { code: "not_found" } } },
    ],
    ["not met on 500: body is error", { given: { met: false, status: 500, error: "Internal" }, want: { status: 500, body: "Internal" } }],
  ];
  for (const [name, { given, want }] of rows) {
    test(name, () => {
      const res = result(given.status, given.data, given.error);
      const criterion = "$statusCode == 200";
      if (want === "no throw") {
        expect(assertCriterion(given.met, step, res, criterion)).toBeUndefined();
        return;
      }
      const error = thrown(() => assertCriterion(given.met, step, res, criterion));
      expect(error).toBeInstanceOf(ArazzoStepError);
      const e = error as ArazzoStepError;
      expect(e.reason).toBe("criteria");
      expect(e.status).toBe(want.status);
      expect(e.body).toEqual(want.body);
      expect(e.message).toBe(`workflow \`tokenThenPayment\`, step \`mintToken\`: success criterion \`$statusCode == 200\` not met (HTTP ${want.status})`);
    });
  }
});

test("assertCriterion and stepFailed: a regex criterion names its context, never the value", () => {
  const res = result(200, { access_token: SECRET });
  const criterion = { condition: "^ord_", type: "regex", context: "$response.body#/access_token" } as const;
  expect(assertCriterion(true, step, res, criterion)).toBeUndefined();
  for (const error of [thrown(() => assertCriterion(false, step, res, criterion)), stepFailed(step, res, criterion)]) {
    expect(error).toBeInstanceOf(ArazzoStepError);
    const e = error as ArazzoStepError;
    expect(e.message).toBe(
      "workflow `tokenThenPayment`, step `mintToken`: success criterion `^ord_` (regex on `$response.body#/access_token`) not met (HTTP 200)",
    );
    expect(e.details).toMatchObject({ detail: "^ord_", criterion: { type: "regex", context: "$response.body#/access_token" } });
    expect(util.inspect(e, { depth: 5 })).not.toContain(SECRET);
  }
});

describe("requireOutput", () => {
  const present: [string, { given: unknown; want: unknown }][] = [
    ["string", { given: "tok", want: "tok" }],
    ["zero", { given: 0, want: 0 }],
    ["negative zero", { given: -0, want: -0 }],
    ["NaN", { given: NaN, want: NaN }],
    ["empty string", { given: "", want: "" }],
    ["false", { given: false, want: false }],
    ["empty array", { given: [], want: [] }],
    ["empty object", { given: {}, want: {} }],
  ];
  for (const [name, { given, want }] of present) {
    test(`returns ${name}`, () => {
      const got = requireOutput(given, step, result(200, { x: given }), "$response.body#/x");
      expect(Object.is(got, given)).toBe(true);
      expect(got).toEqual(want);
    });
  }

  const missing: [string, { given: { value: unknown; status: number; data?: unknown; error?: unknown }; want: { status: number; body: unknown } }][] = [
    ["undefined on 200", { given: { value: undefined, status: 200, data: { other: 1 } }, want: { status: 200, body: { other: 1 } } }],
    ["null on 201", { given: { value: null, status: 201, data: { token: null }, error: "ignored" }, want: { status: 201, body: { token: null } } }],
    [
      "undefined on 400: body is error",
      { given: { value: undefined, status: 400, data: "ignored", error: { code: "bad" } }, want: { status: 400, body: { code: "bad" } } },
    ],
  ];
  for (const [name, { given, want }] of missing) {
    test(`throws missing-output for ${name}`, () => {
      const error = thrown(() => requireOutput(given.value, step, result(given.status, given.data, given.error), "$response.body#/access_token"));
      expect(error).toBeInstanceOf(ArazzoStepError);
      const e = error as ArazzoStepError;
      expect(e.reason).toBe("missing-output");
      expect(e.status).toBe(want.status);
      expect(e.body).toEqual(want.body);
      expect(e.message).toBe(
        `workflow \`tokenThenPayment\`, step \`mintToken\`: response has no value for \`$response.body#/access_token\` (HTTP ${want.status})`,
      );
    });
  }
});

describe("send", () => {
  const ok = result(200, { ok: true });
  const abortReason = new Error("user cancelled");
  const abortError = new DOMException("The operation was aborted.", "AbortError");
  const namedAbort = Object.assign(new Error("aborted by middleware"), { name: "AbortError" });
  const typeError = new TypeError(`fetch failed: Authorization: Bearer ${SECRET}`);
  const syntaxError = new SyntaxError(`Unexpected token in JSON at ${SECRET}`);
  const networkError = new TypeError("fetch failed", {
    cause: Object.assign(new Error(`other side closed ${SECRET}`), { code: "UND_ERR_SOCKET" }),
  });
  const configError = new ArazzoConfigError("api", "server `https://{tenant}.example.test` needs variable `tenant`");
  const oddCode = new TypeError("fetch failed", { cause: Object.assign(new Error("x"), { code: `E ${SECRET}` }) });

  /** A row whose request aborts the run's controller, then fails. */
  function abortedMidRequest(): { given: { signal: () => AbortSignal; request: () => Promise<FetchResultLike> }; want: Want } {
    const controller = new AbortController();
    return {
      given: {
        signal: () => controller.signal,
        request: async () => {
          controller.abort(abortReason);
          throw typeError;
        },
      },
      want: { rethrows: typeError, calls: 1 },
    };
  }

  type Want = { returns: FetchResultLike; calls: number } | { rethrows: unknown; calls: number } | { stepError: string; cause: unknown; calls: number };
  const rows: [string, { given: { signal?: () => AbortSignal; request: () => Promise<FetchResultLike> }; want: Want }][] = [
    ["returns the result", { given: { request: async () => ok }, want: { returns: ok, calls: 1 } }],
    [
      "returns the result with a live signal",
      { given: { signal: () => new AbortController().signal, request: async () => ok }, want: { returns: ok, calls: 1 } },
    ],
    [
      "returns a non-ok result as is",
      { given: { request: async () => result(500, undefined, "x") }, want: { returns: expect.objectContaining({ error: "x" }), calls: 1 } },
    ],
    [
      "already aborted: throws the signal's reason without sending",
      { given: { signal: () => AbortSignal.abort(abortReason), request: async () => ok }, want: { rethrows: abortReason, calls: 0 } },
    ],
    [
      "already aborted without a reason: throws an AbortError without sending",
      {
        given: { signal: () => AbortSignal.abort(), request: async () => ok },
        want: { rethrows: expect.objectContaining({ name: "AbortError" }), calls: 0 },
      },
    ],
    [
      "AbortError DOMException from the request is rethrown as is",
      { given: { request: async () => Promise.reject(abortError) }, want: { rethrows: abortError, calls: 1 } },
    ],
    ["Error named AbortError is rethrown as is", { given: { request: async () => Promise.reject(namedAbort) }, want: { rethrows: namedAbort, calls: 1 } }],
    ["any error after the signal aborted mid-request is rethrown as is", abortedMidRequest()],
    [
      "an ArazzoConfigError (options that cannot work, from a middleware) is rethrown as is",
      { given: { request: async () => Promise.reject(configError) }, want: { rethrows: configError, calls: 1 } },
    ],
    [
      "TypeError becomes a request error",
      { given: { request: async () => Promise.reject(typeError) }, want: { stepError: "TypeError", cause: typeError, calls: 1 } },
    ],
    [
      "SyntaxError becomes a request error",
      { given: { request: async () => Promise.reject(syntaxError) }, want: { stepError: "SyntaxError", cause: syntaxError, calls: 1 } },
    ],
    [
      "a synchronous throw becomes a request error",
      {
        given: {
          request: () => {
            throw typeError;
          },
        },
        want: { stepError: "TypeError", cause: typeError, calls: 1 },
      },
    ],
    [
      "the innermost cause's code says what went wrong (a TLS refusal); a message that may hold a credential is left out",
      {
        given: { request: async () => Promise.reject(networkError) },
        want: {
          stepError: "fetch failed (UND_ERR_SOCKET: the server closed the connection (a server that refuses a TLS client certificate does so))",
          cause: networkError,
          calls: 1,
        },
      },
    ],
    [
      "a cause code that is not a plain code is left out",
      { given: { request: async () => Promise.reject(oddCode) }, want: { stepError: "fetch failed: x", cause: oddCode, calls: 1 } },
    ],
    ...failureRows(),
    [
      "a thrown non-Error becomes `unknown error`",
      { given: { request: async () => Promise.reject(SECRET) }, want: { stepError: "unknown error", cause: SECRET, calls: 1 } },
    ],
  ];
  for (const [name, { given, want }] of rows) {
    test(name, async () => {
      const request = vi.fn(given.request);
      const promise = send(step, given.signal?.(), request);
      if ("returns" in want) {
        await expect(promise).resolves.toEqual(want.returns);
      } else if ("rethrows" in want) {
        const error = await rejected(promise);
        if (want.rethrows instanceof Error) expect(error).toBe(want.rethrows);
        else expect(error).toEqual(want.rethrows);
        expect(error).not.toBeInstanceOf(ArazzoStepError);
      } else {
        const error = await rejected(promise);
        expect(error).toBeInstanceOf(ArazzoStepError);
        const e = error as ArazzoStepError;
        expect(e.reason).toBe("request");
        expect(e.message).toBe(`workflow \`tokenThenPayment\`, step \`mintToken\`: request failed: ${want.stepError}`);
        expect(e.message).not.toContain(SECRET);
        expect(e.status).toBeUndefined();
        expect(e.body).toBeUndefined();
        // The cause kept is what the message says, never the raw error (it can hold credentials).
        expect(e.cause).not.toBe(want.cause);
        expect((e.cause as Error).message).toBe(want.stepError);
        expect(util.inspect(e, { depth: 8 })).not.toContain(SECRET);
      }
      expect(request).toHaveBeenCalledTimes(want.calls);
    });
  }

  test("returns the very object the request resolved to", async () => {
    await expect(send(step, undefined, async () => ok)).resolves.toBe(ok);
  });

  // `jsonBody`: a body read as text (no JSON documented for it) that the step reads into (issue 22, item 7):
  // its pointers and JSONPath read the JSON (`responseJson`); the body itself stays the text its type says.
  const textResult = (contentType: string | undefined, text: string, status = 200): FetchResultLike => {
    const response = new Response(text, { status, headers: contentType ? { "content-type": contentType } : {} });
    return response.ok ? { response, data: text } : { response, error: text };
  };
  const jsonBodyCases: readonly { contentType: string | undefined; text: string; jsonBody?: boolean; json: unknown }[] = [
    { contentType: "application/json", text: '{"a":1}', json: { a: 1 } },
    { contentType: "application/json;charset=UTF-8", text: '{"a":1}', json: { a: 1 } },
    { contentType: "application/json ; charset=utf-8", text: "[1]", json: [1] },
    { contentType: "application/problem+json", text: '{"a":1}', json: { a: 1 } },
    { contentType: "application/vnd.api+json", text: '"x"', json: "x" },
    { contentType: "TEXT/JSON", text: "2", json: 2 },
    // Not JSON: stays text.
    { contentType: "text/plain", text: '{"a":1}', json: '{"a":1}' },
    { contentType: "application/xml", text: "<a>1</a>", json: "<a>1</a>" },
    { contentType: "application/jsonl", text: '{"a":1}', json: '{"a":1}' },
    { contentType: "application/json-seq", text: '{"a":1}', json: '{"a":1}' },
    { contentType: undefined, text: '{"a":1}', json: '{"a":1}' },
    // JSON that does not parse: stays text; a step that does not read into the body: text.
    { contentType: "application/json", text: "{oops", json: "{oops" },
    { contentType: "application/json", text: '{"a":1}', jsonBody: false, json: '{"a":1}' },
  ];
  for (const c of jsonBodyCases) {
    test(`jsonBody: ${c.contentType ?? "no Content-Type"}, ${c.text}${c.jsonBody === false ? " (not set)" : ""} → ${JSON.stringify(c.json)}`, async () => {
      const given = textResult(c.contentType, c.text);
      const sent = await send({ ...step, jsonBody: c.jsonBody ?? true }, undefined, async () => given);
      expect(sent).toBe(given);
      expect(sent.data).toBe(c.text);
      expect(responseJson(sent)).toStrictEqual(c.json);
    });
  }

  test("jsonBody leaves an error body as openapi-fetch read it", async () => {
    const given = textResult("application/json", "not json", 500);
    await expect(send({ ...step, jsonBody: true }, undefined, async () => given)).resolves.toBe(given);
    expect(responseJson(given)).toBe("not json");
  });

  test("responseJson of a step without jsonBody is the body openapi-fetch parsed", () => {
    expect(responseJson(result(200, { a: 1 }))).toStrictEqual({ a: 1 });
    expect(responseJson(result(404, undefined, { code: "missing" }))).toStrictEqual({ code: "missing" });
  });
});

/** Errors as the platform makes them (undici, Node's net and TLS), some holding what must not show. */
function failureRows(): [string, { given: { request: () => Promise<FetchResultLike> }; want: { stepError: string; cause: unknown; calls: number } }][] {
  type Row = [string, { given: { request: () => Promise<FetchResultLike> }; want: { stepError: string; cause: unknown; calls: number } }];
  const row = (name: string, error: unknown, stepError: string): Row => [
    name,
    { given: { request: async () => Promise.reject(error) }, want: { stepError, cause: error, calls: 1 } },
  ];
  const refused = (address: string) => Object.assign(new Error(`connect ECONNREFUSED ${address}`), { code: "ECONNREFUSED" });
  return [
    row(
      "IPv6 and IPv4 both refused (an AggregateError): its first error says why",
      new TypeError("fetch failed", {
        cause: Object.assign(new AggregateError([refused("::1:8080"), refused("127.0.0.1:8080")], ""), { code: "ECONNREFUSED" }),
      }),
      "fetch failed: connect ECONNREFUSED ::1:8080 (ECONNREFUSED: connection refused)",
    ),
    row(
      "a header value Headers refuses (it quotes the value): left out",
      new TypeError(`Headers.append: "${SECRET}\n" is an invalid header value.`),
      "TypeError",
    ),
    row("a body that is not JSON (the SyntaxError quotes it): left out", new SyntaxError(`Unexpected token 'x', "${SECRET}" is not valid JSON`), "SyntaxError"),
    row(
      "a URL in a message: its user info, path and query are left out",
      new TypeError(`Request cannot be constructed from a URL that includes credentials: https://user:${SECRET}@api.example.test/v1/x?q=${SECRET}`),
      "Request cannot be constructed from a URL that includes credentials: https://api.example.test/…",
    ),
    row(
      "a message naming a credential is left out, its cause's is not",
      new Error("middleware: Bearer abc123 rejected", { cause: Object.assign(new Error("getaddrinfo ENOTFOUND api.example.test"), { code: "ENOTFOUND" }) }),
      "getaddrinfo ENOTFOUND api.example.test (ENOTFOUND: host not found)",
    ),
    row("a message over several lines is left out", new Error(`first line\nAuthorization-ish ${SECRET}`), "Error"),
  ];
}

describe("a request that gets no response, on the platform's fetch: what the platform says, credentials left out", () => {
  /** A loopback port nothing listens on: listened on, then closed. */
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    return port;
  }
  /** The step error of a GET through openapi-fetch from `baseUrl`, with a credential in the query. */
  async function failure(baseUrl: string): Promise<ArazzoStepError> {
    const client = createClient<{
      "/orders/{id}": {
        get: { parameters: { path: { id: string }; query: { api_key: string } }; responses: { 200: { content: { "application/json": object } } } };
      };
    }>({ baseUrl });
    const error = await send(step, undefined, (signal) =>
      client.GET("/orders/{id}", { params: { path: { id: "o-1" }, query: { api_key: SECRET } }, signal }),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ArazzoStepError);
    const e = error as ArazzoStepError;
    expect(e.reason).toBe("request");
    expect(e.message).not.toContain(SECRET);
    // Logged whole (cause included), it holds no credential and no path value.
    expect(util.inspect(e, { depth: 8 })).not.toMatch(new RegExp(`${SECRET}|o-1`));
    expect((e.cause as Error).name).toBe("TypeError");
    return e;
  }
  const prefix = "workflow `tokenThenPayment`, step `mintToken`: request failed: ";

  test("a closed loopback port: the connection refused, with the address", async () => {
    const port = await closedPort();
    expect((await failure(`http://127.0.0.1:${port}`)).message).toBe(
      `${prefix}fetch failed: connect ECONNREFUSED 127.0.0.1:${port} (ECONNREFUSED: connection refused)`,
    );
  });

  test("a base URL that is not a URL: Invalid URL, the path and query left out", async () => {
    expect((await failure("not a url")).message).toBe(`${prefix}Failed to parse URL from not a url/…: Invalid URL (ERR_INVALID_URL)`);
  });

  test("a base URL with user info: said, without the user info", async () => {
    const port = await closedPort();
    const error = await failure(`http://user:${SECRET}@127.0.0.1:${port}`);
    expect(error.message).toBe(`${prefix}Request cannot be constructed from a URL that includes credentials: http://127.0.0.1:${port}/…`);
  });

  test("a password with a space in a base URL: none of it is said", async () => {
    const port = await closedPort();
    const error = await failure(`http://user:p4ss%20${SECRET}@127.0.0.1:${port}`);
    expect(error.message).not.toMatch(/p4ss|user/);
  });
});

describe("send, traced (runtime-telemetry.ts)", () => {
  /** A telemetry that records the request spans `send` asks for and runs them. */
  function recordingTelemetry() {
    const spans: { stepId: string; resend: number; ran: number }[] = [];
    const telemetry = {
      traced: true,
      step: <T>(_stepId: string, run: () => Promise<T>) => run(),
      waiting: () => {},
      request(requested: { readonly stepId: string }, resend: number) {
        const span = { stepId: requested.stepId, resend, ran: 0 };
        spans.push(span);
        return {
          onRequest: () => {},
          run<R>(sendIt: () => Promise<R>) {
            span.ran += 1;
            return sendIt();
          },
        };
      },
    };
    return { telemetry, spans };
  }

  test("each request has a span; a request sent again with a fresh token is another, its resend counted", async () => {
    const { telemetry, spans } = recordingTelemetry();
    let calls = 0;
    let forgotten = 0;
    const request = async () => {
      calls += 1;
      const response = new Response(null, { status: calls === 1 ? 401 : 200 });
      if (calls === 1) retryUnauthorized(response, () => (forgotten += 1));
      return { response };
    };
    const sent = await send({ ...step, method: "GET", path: "/items" }, undefined, request, {}, telemetry);
    expect(sent.response.status).toBe(200);
    expect(forgotten).toBe(1);
    expect(spans).toEqual([
      { stepId: "mintToken", resend: 0, ran: 1 },
      { stepId: "mintToken", resend: 1, ran: 1 },
    ]);
  });

  test("an untraced run's telemetry is not asked for spans", async () => {
    const { telemetry, spans } = recordingTelemetry();
    await send(step, undefined, async () => ok(), {}, { ...telemetry, traced: false });
    expect(spans).toEqual([]);
  });

  function ok(): FetchResultLike {
    return result(200, {});
  }
});

describe("redactUrl", () => {
  const rows: [string, { given: string; want: string }][] = [
    ["no query", { given: "https://api.test/a/b", want: "https://api.test/a/b" }],
    ["plain query kept", { given: "https://api.test/a?status=open&page=2", want: "https://api.test/a?status=open&page=2" }],
    [
      "secret-looking names redacted",
      {
        given: "https://api.test/login?username=ann&password=hunter2&api_key=k1&Token=t",
        want: "https://api.test/login?username=ann&password=[redacted]&api_key=[redacted]&Token=[redacted]",
      },
    ],
    ["percent-encoded names are recognised", { given: "https://api.test/x?client%5Fsecret=s", want: "https://api.test/x?client%5Fsecret=[redacted]" }],
    ["user info dropped", { given: "https://user:pass@api.test/x", want: "https://api.test/x" }],
    ["a path template stays as it is", { given: "/pis/v2/payments/{payment_id}", want: "/pis/v2/payments/{payment_id}" }],
  ];
  for (const [name, { given, want }] of rows) {
    test(name, () => expect(redactUrl(given)).toBe(want));
  }
});
