/**
 * Names and escaping: ids from a spec turned into identifiers and file names, and spec text
 * made safe for string literals, property keys, doc comments and line comments.
 */
import ts from "typescript";
import { describe, expect, test } from "vitest";
import {
  NameScope,
  camelCase,
  docText,
  isIdentifierName,
  kebabCase,
  lineCommentText,
  memberAccess,
  pascalCase,
  propertyKey,
  stringLiteral,
} from "../../generator/shared/names.ts";

/** Parses `code` as TypeScript and returns its syntax errors (no evaluation). */
function syntaxErrors(code: string): string[] {
  const file = ts.createSourceFile("x.ts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const diagnostics = (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

/** Whether `name` is usable as a binding name (`const name = 1;`) in a module. */
function isBindingName(name: string): boolean {
  return syntaxErrors(`export {}; const ${name} = 1;`).length === 0;
}

/** The value of a string literal as TypeScript reads it, without evaluating anything. */
function readStringLiteral(literal: string): string | undefined {
  const file = ts.createSourceFile("x.ts", `const x = ${literal};`, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const statement = file.statements[0];
  if (file.statements.length !== 1 || !statement || !ts.isVariableStatement(statement)) return undefined;
  const init = statement.declarationList.declarations[0]?.initializer;
  return init && ts.isStringLiteral(init) ? init.text : undefined;
}

const LINE_TERMINATORS = /[\n\r\u2028\u2029]/;

describe("pascalCase", () => {
  const rows: [string, { given: string; want: string }][] = [
    ["kebab id", { given: "token-then-payment", want: "TokenThenPayment" }],
    ["camel id", { given: "mintToken", want: "MintToken" }],
    ["lower compound", { given: "oauthApi", want: "OauthApi" }],
    ["acronyms and version", { given: "getPISPayment-v2", want: "GetPISPaymentV2" }],
    ["snake id", { given: "a_b", want: "AB" }],
    ["dots and spaces", { given: "my.op id", want: "MyOpId" }],
    ["leading digit", { given: "2fa", want: "_2fa" }],
    ["only a digit", { given: "1", want: "_1" }],
    ["empty", { given: "", want: "_" }],
    ["only separators", { given: "---", want: "_" }],
    ["reserved word is fine capitalized", { given: "default", want: "Default" }],
    ["__proto__", { given: "__proto__", want: "Proto" }],
    ["dollar prefix dropped", { given: "$x", want: "X" }],
    ["Unicode letters", { given: "Über-straße", want: "ÜberStraße" }],
    ["accented words", { given: "déjà vu", want: "DéjàVu" }],
    ["uppercase acronym run", { given: "getHTTPResponse", want: "GetHTTPResponse" }],
  ];
  for (const [name, { given, want }] of rows) {
    test(name, () => {
      expect(pascalCase(given)).toBe(want);
      expect(isBindingName(pascalCase(given))).toBe(true);
    });
  }
});

describe("camelCase", () => {
  const rows: [string, { given: string; want: string }][] = [
    ["kebab id", { given: "mint-token", want: "mintToken" }],
    ["longer kebab id", { given: "get-access-token", want: "getAccessToken" }],
    ["already camel", { given: "oauthApi", want: "oauthApi" }],
    ["pascal id", { given: "TokenThenPayment", want: "tokenThenPayment" }],
    ["acronyms and version", { given: "getPISPayment-v2", want: "getPISPaymentV2" }],
    ["uppercase acronym run", { given: "getHTTPResponse", want: "getHTTPResponse" }],
    ["digit inside", { given: "v2Api", want: "v2Api" }],
    ["snake id", { given: "a_b", want: "aB" }],
    ["dots", { given: "payment.init", want: "paymentInit" }],
    ["dots and spaces", { given: "my.op id", want: "myOpId" }],
    ["dashes and spaces mixed", { given: "  create - order  ", want: "createOrder" }],
    ["leading digit", { given: "2fa", want: "_2fa" }],
    ["only digits", { given: "123", want: "_123" }],
    ["empty", { given: "", want: "_" }],
    ["only separators", { given: "---", want: "_" }],
    ["Unicode letters", { given: "Über-straße", want: "überStraße" }],
    ["accented words", { given: "déjà vu", want: "déjàVu" }],
    ["Greek", { given: "λόγος-όνομα", want: "λόγοςΌνομα" }],
    ["CJK", { given: "支付-状态", want: "支付状态" }],
    // reserved words and names every object has get a trailing underscore
    ["default", { given: "default", want: "default_" }],
    ["Default (lower-cased first)", { given: "Default", want: "default_" }],
    ["class", { given: "class", want: "class_" }],
    ["constructor", { given: "constructor", want: "constructor_" }],
    ["prototype", { given: "prototype", want: "prototype_" }],
    ["await", { given: "await", want: "await_" }],
    ["yield", { given: "yield", want: "yield_" }],
    ["let", { given: "let", want: "let_" }],
    ["enum", { given: "enum", want: "enum_" }],
    ["undefined", { given: "undefined", want: "undefined_" }],
    ["arguments", { given: "arguments", want: "arguments_" }],
    ["eval", { given: "eval", want: "eval_" }],
    ["separators stripped into a reserved word", { given: "_private", want: "private_" }],
    ["__proto__ loses its underscores", { given: "__proto__", want: "proto" }],
  ];
  for (const [name, { given, want }] of rows) {
    test(name, () => {
      expect(camelCase(given)).toBe(want);
      expect(isBindingName(camelCase(given))).toBe(true);
    });
  }

  // Regression test, fixed (generator/model/names.ts, words/camelCase/pascalCase): ids are split on
  // `[^\p{L}\p{N}]`, but `\p{N}` includes "other numbers" (No: ², ½, ①) that are not
  // ID_Continue, so `camelCase("x²")` returns `x²` and `pascalCase("x²")` returns `X²`,
  // which are not valid identifiers (`const x² = 1` is a syntax error).
  test('camelCase("x²") is a valid identifier', () => {
    expect(isBindingName(camelCase("x²"))).toBe(true);
  });
  test('pascalCase("amount½") is a valid identifier', () => {
    expect(isBindingName(pascalCase("amount½"))).toBe(true);
  });
});

describe("kebabCase", () => {
  const rows: [string, { given: string; want: string }][] = [
    ["camel id", { given: "oauthApi", want: "oauth-api" }],
    ["pascal id with acronyms", { given: "OAuthAPI", want: "o-auth-api" }],
    ["acronyms and version", { given: "getPISPayment-v2", want: "get-pis-payment-v2" }],
    ["already kebab", { given: "token-then-payment", want: "token-then-payment" }],
    ["spaces", { given: "Token then Payment", want: "token-then-payment" }],
    ["snake and dots", { given: "Fintecture_PIS.v2", want: "fintecture-pis-v2" }],
    ["leading and trailing separators", { given: "--api--", want: "api" }],
    ["digits", { given: "2fa", want: "2fa" }],
    ["Unicode letters", { given: "Überweisung-API", want: "überweisung-api" }],
    ["empty falls back to `source`", { given: "", want: "source" }],
    ["only separators fall back to `source`", { given: "../..", want: "source" }],
  ];
  for (const [name, { given, want }] of rows) {
    test(name, () => {
      expect(kebabCase(given)).toBe(want);
      expect(kebabCase(given)).toMatch(/^[\p{Ll}\p{Lo}\p{N}]+(-[\p{Ll}\p{Lo}\p{N}]+)*$/u);
    });
  }
});

describe("isIdentifierName", () => {
  const rows: [string, { given: string; want: boolean }][] = [
    ["letters", { given: "name", want: true }],
    ["underscore", { given: "_", want: true }],
    ["dollar", { given: "$", want: true }],
    ["$ref", { given: "$ref", want: true }],
    ["letters and digits", { given: "a1", want: true }],
    ["camel", { given: "accessToken", want: true }],
    ["snake", { given: "access_token", want: true }],
    ["Unicode letters", { given: "straße", want: true }],
    ["Unicode then digit", { given: "ä1", want: true }],
    ["reserved word (valid as a property name)", { given: "default", want: true }],
    ["__proto__", { given: "__proto__", want: true }],
    ["empty", { given: "", want: false }],
    ["leading digit", { given: "1a", want: false }],
    ["digits only", { given: "0", want: false }],
    ["dash", { given: "a-b", want: false }],
    ["space", { given: "a b", want: false }],
    ["dot", { given: "a.b", want: false }],
    ["at sign", { given: "@type", want: false }],
    ["quote", { given: "a'b", want: false }],
    ["line separator", { given: "a\u2028", want: false }],
  ];
  for (const [name, { given, want }] of rows) {
    test(name, () => {
      expect(isIdentifierName(given)).toBe(want);
      // whatever it says must hold for TypeScript: `{ name: 1 }` parses exactly when it is an identifier name
      if (want) expect(syntaxErrors(`const o = { ${given}: 1 }; o.${given};`)).toEqual([]);
    });
  }

  // Regression test, fixed (generator/model/names.ts, isIdentifierName): `/^[\p{L}_$][\p{L}\p{N}_$]*$/u` is not
  // ID_Start/ID_Continue. It accepts "other numbers" (`\p{No}`: ², ½) and Pattern_Syntax letters
  // (U+2E2F VERTICAL TILDE is `\p{Lm}` but not ID_Start), so `propertyKey("x²")` emits the bare
  // key `x²` and `memberAccess("x²")` emits `.x²`, both syntax errors in generated code.
  const notIdentifiers: [string, { given: string; want: boolean }][] = [
    ["superscript digit", { given: "x²", want: false }],
    ["vulgar fraction", { given: "a½", want: false }],
    ["vertical tilde (Lm, Pattern_Syntax)", { given: "\u2E2F", want: false }],
  ];
  for (const [name, { given, want }] of notIdentifiers) {
    test(`${name}`, () => {
      expect(isIdentifierName(given)).toBe(want);
    });
  }
  test('propertyKey("x²") parses', () => {
    expect(syntaxErrors(`const o = { ${propertyKey("x²")}: 1 };`)).toEqual([]);
  });
});

describe("stringLiteral", () => {
  const rows: [string, { given: string; want: string }][] = [
    ["plain", { given: "abc", want: '"abc"' }],
    ["empty", { given: "", want: '""' }],
    ["double quotes", { given: 'say "hi"', want: '"say \\"hi\\""' }],
    ["single quote and backtick", { given: "it's `x`", want: '"it\'s `x`"' }],
    ["template placeholder stays text", { given: "${secret}", want: '"${secret}"' }],
    ["backslash (written \\u005c, which ts-morph's writer reads right)", { given: "a\\b", want: '"a\\u005cb"' }],
    ["backslash before quote", { given: '\\"', want: '"\\u005c\\""' }],
    ["newline", { given: "a\nb", want: '"a\\nb"' }],
    ["carriage return", { given: "a\rb", want: '"a\\rb"' }],
    ["tab", { given: "a\tb", want: '"a\\tb"' }],
    ["NUL", { given: "a\u0000b", want: '"a\\u0000b"' }],
    ["line separator", { given: "a\u2028b", want: '"a\\u2028b"' }],
    ["paragraph separator", { given: "a\u2029b", want: '"a\\u2029b"' }],
    ["closing script tag", { given: "</script>", want: '"</script>"' }],
    ["comment terminator", { given: "*/", want: '"*/"' }],
    ["non-ASCII stays", { given: "été €", want: '"été €"' }],
    ["lone surrogate escaped", { given: "\uD800", want: '"\\ud800"' }],
  ];
  for (const [name, { given, want }] of rows) {
    test(name, () => {
      const literal = stringLiteral(given);
      expect(literal).toBe(want);
      expect(literal).not.toMatch(LINE_TERMINATORS);
      expect(JSON.parse(literal)).toBe(given);
      expect(readStringLiteral(literal)).toBe(given);
    });
  }
});

describe("propertyKey and memberAccess", () => {
  const rows: [string, { given: string; want: { key: string; access: string } }][] = [
    ["identifier", { given: "access_token", want: { key: "access_token", access: ".access_token" } }],
    ["$ref", { given: "$ref", want: { key: "$ref", access: ".$ref" } }],
    ["reserved word", { given: "default", want: { key: "default", access: ".default" } }],
    ["Unicode identifier", { given: "straße", want: { key: "straße", access: ".straße" } }],
    ["dash", { given: "a-b", want: { key: '"a-b"', access: '["a-b"]' } }],
    ["space", { given: "x y", want: { key: '"x y"', access: '["x y"]' } }],
    ["numeric", { given: "0", want: { key: '"0"', access: '["0"]' } }],
    ["empty", { given: "", want: { key: '""', access: '[""]' } }],
    ["quote", { given: 'a"b', want: { key: '"a\\"b"', access: '["a\\"b"]' } }],
    ["line separator", { given: "a\u2028", want: { key: '"a\\u2028"', access: '["a\\u2028"]' } }],
    ["HTTP header name", { given: "X-Request-ID", want: { key: '"X-Request-ID"', access: '["X-Request-ID"]' } }],
  ];
  for (const [name, { given, want }] of rows) {
    test(name, () => {
      expect(propertyKey(given)).toBe(want.key);
      expect(memberAccess(given)).toBe(want.access);
      expect(syntaxErrors(`const o = { ${propertyKey(given)}: 1 }; o${memberAccess(given)};`)).toEqual([]);
    });
  }
});

describe("docText", () => {
  const rows: [string, { given: string; want: string }][] = [
    ["plain", { given: "The access token.", want: "The access token." }],
    ["comment terminator", { given: "ends */ here", want: "ends *\\/ here" }],
    ["terminator at the end", { given: "a */", want: "a *\\/" }],
    ["double star terminator", { given: "**/", want: "**\\/" }],
    ["repeated terminators", { given: "*/*/", want: "*\\/*\\/" }],
    ["nested comment", { given: "/* x */", want: "/* x *\\/" }],
    ["CRLF and CR become LF", { given: "a\r\nb\rc", want: "a\nb\nc" }],
    ["surrounding whitespace trimmed", { given: "  padded \n", want: "padded" }],
    ["star and slash across a CRLF stay apart", { given: "*\r\n/", want: "*\n/" }],
  ];
  for (const [name, { given, want }] of rows) {
    test(name, () => {
      const text = docText(given);
      expect(text).toBe(want);
      expect(text).not.toContain("*/");
      // the comment it goes into ends exactly where the emitter ends it
      expect(syntaxErrors(`/** ${text} */ export const x = 1;`)).toEqual([]);
    });
  }
});

describe("lineCommentText", () => {
  const rows: [string, { given: string; want: string }][] = [
    ["plain", { given: "Mint a token", want: "Mint a token" }],
    ["LF", { given: "a\nb", want: "a b" }],
    ["CRLF", { given: "a\r\nb", want: "a b" }],
    ["CR", { given: "a\rb", want: "a b" }],
    ["line separator", { given: "a\u2028b", want: "a b" }],
    ["paragraph separator", { given: "a\u2029b", want: "a b" }],
    ["run of blank lines", { given: "a\n\n\r\n\u2028b", want: "a b" }],
    ["leading and trailing newlines", { given: "\n x \n", want: "x" }],
    ["comment markers are harmless here", { given: "*/ /* //", want: "*/ /* //" }],
  ];
  for (const [name, { given, want }] of rows) {
    test(name, () => {
      const text = lineCommentText(given);
      expect(text).toBe(want);
      expect(text).not.toMatch(LINE_TERMINATORS);
      expect(syntaxErrors(`// ${text}\nexport const x = 1;`)).toEqual([]);
    });
  }
});

describe("NameScope", () => {
  type Ask = string | [id: string, make: (id: string) => string];
  const rows: [string, { given: { reserved?: string[]; ask: Ask[] }; want: string[] }][] = [
    ["distinct ids", { given: { ask: ["mint-token", "init-payment"] }, want: ["mintToken", "initPayment"] }],
    ["same id, same name", { given: { ask: ["mint-token", "mint-token", "mint-token"] }, want: ["mintToken", "mintToken", "mintToken"] }],
    ["colliding ids numbered in first-asked order", { given: { ask: ["a-b", "aB", "a_b"] }, want: ["aB", "aB2", "aB3"] }],
    ["other first-asked order", { given: { ask: ["a_b", "a-b", "aB"] }, want: ["aB", "aB2", "aB3"] }],
    ["repeat after collisions stays stable", { given: { ask: ["a-b", "aB", "a-b", "aB"] }, want: ["aB", "aB2", "aB", "aB2"] }],
    ["a suffixed name is itself taken", { given: { ask: ["aB", "a-b", "aB2"] }, want: ["aB", "aB2", "aB22"] }],
    ["reserved names avoided", { given: { reserved: ["inputs", "options"], ask: ["inputs", "options", "other"] }, want: ["inputs2", "options2", "other"] }],
    ["reserved numbered names skipped", { given: { reserved: ["client", "client2"], ask: ["client"] }, want: ["client3"] }],
    [
      "custom make",
      {
        given: {
          ask: [
            ["token-then-payment", pascalCase],
            ["tokenThenPayment", pascalCase],
          ],
        },
        want: ["TokenThenPayment", "TokenThenPayment2"],
      },
    ],
    ["reserved words already suffixed by camelCase", { given: { reserved: ["default_"], ask: ["default"] }, want: ["default_2"] }],
  ];
  for (const [name, { given, want }] of rows) {
    test(name, () => {
      const scope = new NameScope(given.reserved);
      expect(given.ask.map((ask) => (typeof ask === "string" ? scope.name(ask) : scope.name(...ask)))).toEqual(want);
    });
  }

  test("scopes are independent", () => {
    const a = new NameScope();
    const b = new NameScope();
    expect([a.name("x"), a.name("X"), b.name("X"), b.name("x")]).toEqual(["x", "x2", "x", "x2"]);
  });
});
