/**
 * `parseLoadedDocument`: YAML/JSON text to data plus `locate(path)` source positions, and
 * `invalid-yaml` diagnostics; the quick JSON reader held to the YAML reader's results;
 * `formatDiagnostic` / `sortDiagnostics` as the CLI prints them.
 */
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { DiagnosticBag, formatDiagnostic, sortDiagnostics, type Diagnostic } from "../../generator/diagnostics.ts";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import {
  parseJsonDocument,
  parseLoadedDocument,
  parseYamlDocument,
  parseYamlQuickly,
  loadDocument,
  type DataPath,
  type DocumentCache,
  type LoadedDocument,
} from "../../generator/load/document.ts";
import { CORPUS, CORPUS_MISSING, warnWithoutCorpus } from "../helpers/shared.mjs";

const FILE = "/specs/flow.arazzo.yaml";

// Line numbers on the right; columns are 1-based.
const YAML = [
  "arazzo: 1.0.1", //                1
  "info:", //                        2
  "  title: T", //                   3
  "  version: '1'", //               4
  "workflows:", //                   5
  "  - workflowId: w", //            6
  "    steps:", //                   7
  "      - stepId: a", //            8
  "        operationId: op", //      9
  "      - stepId: b", //            10
  "        empty:", //               11
  "        tags: [x, y]", //         12
  "        200: ok", //              13
  "",
].join("\n");

const JSON_TEXT = [
  "{", //                             1
  '  "a": {', //                      2
  '    "b": [1, {"c": true}]', //     3
  "  },", //                          4
  '  "1": "num"', //                  5
  "}", //                             6
  "",
].join("\n");

function load(text: string, file = FILE): LoadedDocument {
  const diagnostics = new DiagnosticBag();
  const doc = parseLoadedDocument(file, text, diagnostics);
  expect(diagnostics.items).toEqual([]);
  if (!doc) throw new Error("expected a document");
  return doc;
}

describe("parseLoadedDocument: data", () => {
  test("YAML data as plain values", () => {
    const doc = load(YAML);
    expect(doc.file).toBe(FILE);
    expect(doc.text).toBe(YAML);
    expect(doc.data).toEqual({
      arazzo: "1.0.1",
      info: { title: "T", version: "1" },
      workflows: [
        {
          workflowId: "w",
          steps: [
            { stepId: "a", operationId: "op" },
            { stepId: "b", empty: null, tags: ["x", "y"], "200": "ok" },
          ],
        },
      ],
    });
  });

  test("JSON data", () => {
    expect(load(JSON_TEXT).data).toEqual({ a: { b: [1, { c: true }] }, "1": "num" });
  });

  test("an empty file is null", () => {
    expect(load("").data).toBeNull();
  });

  test("aliases are expanded", () => {
    expect(load("a: &x {b: 1}\nc: *x\n").data).toEqual({ a: { b: 1 }, c: { b: 1 } });
  });

  // Regression test, fixed (generator/load/document.ts, parseLoadedDocument): `LoadedDocument.data` is documented as
  // "plain JSON values", but an alias to its own ancestor is accepted: `x: &a [*a]` gives
  // `data.x[0] === data.x`, a cyclic structure (JSON.stringify throws "Converting circular
  // structure to JSON"; any stage walking the data recursively never ends). No diagnostic.
  test("a recursive alias is reported, not turned into cyclic data", () => {
    const diagnostics = new DiagnosticBag();
    const doc = parseLoadedDocument(FILE, "x: &a [*a]\n", diagnostics);
    expect(doc).toBeUndefined();
    expect(diagnostics.items.map((d) => d.code)).toEqual(["invalid-yaml"]);
  });
});

describe("parseLoadedDocument: locate", () => {
  const rows: [string, { given: { text: string; path: DataPath; target?: "key" | "value" }; want: [line: number, col: number] }][] = [
    ["root", { given: { text: YAML, path: [] }, want: [1, 1] }],
    ["root as key", { given: { text: YAML, path: [], target: "key" }, want: [1, 1] }],
    ["scalar value", { given: { text: YAML, path: ["arazzo"] }, want: [1, 9] }],
    ["scalar key", { given: { text: YAML, path: ["arazzo"], target: "key" }, want: [1, 1] }],
    ["mapping value starts at its first key", { given: { text: YAML, path: ["info"] }, want: [3, 3] }],
    ["mapping key", { given: { text: YAML, path: ["info"], target: "key" }, want: [2, 1] }],
    ["nested value", { given: { text: YAML, path: ["info", "title"] }, want: [3, 10] }],
    ["nested key", { given: { text: YAML, path: ["info", "title"], target: "key" }, want: [3, 3] }],
    ["quoted value", { given: { text: YAML, path: ["info", "version"] }, want: [4, 12] }],
    ["sequence", { given: { text: YAML, path: ["workflows"] }, want: [6, 3] }],
    ["sequence item", { given: { text: YAML, path: ["workflows", 0] }, want: [6, 5] }],
    ["sequence item has no key: its value", { given: { text: YAML, path: ["workflows", 0], target: "key" }, want: [6, 5] }],
    ["nested sequence item", { given: { text: YAML, path: ["workflows", 0, "steps", 1] }, want: [10, 9] }],
    ["value in a nested sequence", { given: { text: YAML, path: ["workflows", 0, "steps", 1, "stepId"] }, want: [10, 17] }],
    ["key in a nested sequence", { given: { text: YAML, path: ["workflows", 0, "steps", 1, "stepId"], target: "key" }, want: [10, 9] }],
    ["flow sequence item", { given: { text: YAML, path: ["workflows", 0, "steps", 1, "tags", 1] }, want: [12, 19] }],
    ["empty value: just after the colon", { given: { text: YAML, path: ["workflows", 0, "steps", 1, "empty"] }, want: [11, 15] }],
    ["empty value as key", { given: { text: YAML, path: ["workflows", 0, "steps", 1, "empty"], target: "key" }, want: [11, 9] }],
    ["numeric key by number", { given: { text: YAML, path: ["workflows", 0, "steps", 1, 200] }, want: [13, 14] }],
    ["numeric key by string", { given: { text: YAML, path: ["workflows", 0, "steps", 1, "200"] }, want: [13, 14] }],
    // a path beyond the document: the deepest node that exists
    ["missing key: the enclosing value", { given: { text: YAML, path: ["info", "nope"] }, want: [3, 3] }],
    ["missing key as key: the last key found", { given: { text: YAML, path: ["info", "nope"], target: "key" }, want: [2, 1] }],
    ["index past the end", { given: { text: YAML, path: ["workflows", 0, "steps", 9] }, want: [8, 7] }],
    ["deeper than a scalar", { given: { text: YAML, path: ["info", "title", "x", 0] }, want: [3, 10] }],
    ["missing path deep in a sequence", { given: { text: YAML, path: ["workflows", 0, "steps", 1, "nope", "deeper"] }, want: [10, 9] }],
    ["string index into a sequence stops there", { given: { text: YAML, path: ["workflows", "0"] }, want: [6, 3] }],
    ["missing top-level key", { given: { text: YAML, path: ["components"] }, want: [1, 1] }],
    // JSON
    ["JSON root", { given: { text: JSON_TEXT, path: [] }, want: [1, 1] }],
    ["JSON object value", { given: { text: JSON_TEXT, path: ["a"] }, want: [2, 8] }],
    ["JSON key", { given: { text: JSON_TEXT, path: ["a"], target: "key" }, want: [2, 3] }],
    ["JSON array", { given: { text: JSON_TEXT, path: ["a", "b"] }, want: [3, 10] }],
    ["JSON array item", { given: { text: JSON_TEXT, path: ["a", "b", 0] }, want: [3, 11] }],
    ["JSON value in an array item", { given: { text: JSON_TEXT, path: ["a", "b", 1, "c"] }, want: [3, 20] }],
    ["JSON key in an array item", { given: { text: JSON_TEXT, path: ["a", "b", 1, "c"], target: "key" }, want: [3, 15] }],
    ["JSON numeric key", { given: { text: JSON_TEXT, path: [1] }, want: [5, 8] }],
    ["JSON path beyond the document", { given: { text: JSON_TEXT, path: ["a", "b", 5] }, want: [3, 10] }],
  ];
  for (const [name, { given, want }] of rows) {
    test(name, () => {
      const doc = load(given.text);
      const at = given.target ? doc.locate(given.path, given.target) : doc.locate(given.path);
      expect(at).toEqual({ file: FILE, line: want[0], col: want[1] });
    });
  }

  test("CRLF line endings count lines the same", () => {
    const doc = load(YAML.replace(/\n/g, "\r\n"));
    expect(doc.locate(["workflows", 0, "steps", 1, "stepId"])).toEqual({ file: FILE, line: 10, col: 17 });
  });
});

describe("parseLoadedDocument: invalid input", () => {
  const rows: [string, { given: string; want: Diagnostic[] }][] = [
    [
      "unclosed flow sequence",
      {
        given: "a: [1, 2\nb: 3\n",
        want: [
          {
            severity: "error",
            code: "invalid-yaml",
            message: "Flow sequence in block collection must be sufficiently indented and end with a ]",
            file: FILE,
            line: 2,
            col: 1,
          },
        ],
      },
    ],
    [
      "unterminated quote",
      { given: 'key: "unterminated\n', want: [{ severity: "error", code: "invalid-yaml", message: 'Missing closing "quote', file: FILE, line: 2, col: 1 }] },
    ],
    [
      "bad indentation",
      {
        given: "a:\n  b: 1\n   c: 2\n",
        want: [
          { severity: "error", code: "invalid-yaml", message: "Nested mappings are not allowed in compact mappings", file: FILE, line: 2, col: 6 },
          { severity: "error", code: "invalid-yaml", message: "Implicit keys need to be on a single line", file: FILE, line: 2, col: 6 },
        ],
      },
    ],
    [
      "duplicate YAML keys",
      { given: "a: 1\nb: 2\na: 3\n", want: [{ severity: "error", code: "invalid-yaml", message: "Map keys must be unique", file: FILE, line: 3, col: 1 }] },
    ],
    [
      "duplicate keys after number normalisation",
      { given: "1: a\n1.0: b\n", want: [{ severity: "error", code: "invalid-yaml", message: "Map keys must be unique", file: FILE, line: 2, col: 1 }] },
    ],
    [
      "duplicate nested keys",
      {
        given: "info:\n  title: a\n  title: b\n",
        want: [{ severity: "error", code: "invalid-yaml", message: "Map keys must be unique", file: FILE, line: 3, col: 3 }],
      },
    ],
    [
      "duplicate JSON keys",
      { given: '{"a": 1, "a": 2}', want: [{ severity: "error", code: "invalid-yaml", message: "Map keys must be unique", file: FILE, line: 1, col: 10 }] },
    ],
    [
      "several documents",
      {
        given: "a: 1\n---\nb: 2\n",
        want: [
          {
            severity: "error",
            code: "invalid-yaml",
            message: "Source contains multiple documents; please use YAML.parseAllDocuments()",
            file: FILE,
            line: 2,
            col: 1,
          },
        ],
      },
    ],
  ];
  for (const [name, { given, want }] of rows) {
    test(name, () => {
      const diagnostics = new DiagnosticBag();
      expect(parseLoadedDocument(FILE, given, diagnostics)).toBeUndefined();
      expect(diagnostics.items).toEqual(want);
      expect(diagnostics.hasErrors).toBe(true);
      for (const d of diagnostics.items) expect(d.message).not.toContain("\n");
    });
  }

  test("unresolved alias", () => {
    const diagnostics = new DiagnosticBag();
    expect(parseLoadedDocument(FILE, "a: *nope\n", diagnostics)).toBeUndefined();
    expect(diagnostics.items).toMatchObject([
      { severity: "error", code: "invalid-yaml", message: "Unresolved alias (the anchor must be set before the alias): nope", file: FILE },
    ]);
  });
});

describe("parseYamlQuickly: the YAML reader's data, its positions on demand", () => {
  const ROOT = path.resolve(import.meta.dirname, "../..");
  /** Every YAML file of the project's specs (Fintecture's among them), the specification's (schemas, schema tests, examples) and the real-world corpus when it is there. */
  const yamlFiles = [
    path.join(ROOT, "specs"),
    path.join(ROOT, "test/fixtures/spec"),
    path.join(ROOT, "test/fixtures/examples"),
    ...(CORPUS ? [CORPUS] : []),
  ].flatMap((dir) =>
    readdirSync(dir, { recursive: true, encoding: "utf8" })
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => path.join(dir, f)),
  );

  warnWithoutCorpus("parseYamlQuickly is compared with the YAML reader without the real-world corpus's files");

  function yamlData(text: string): unknown {
    const diagnostics = new DiagnosticBag();
    const doc = parseYamlDocument(FILE, text, diagnostics);
    return doc ? doc.data : diagnostics.items;
  }

  test(`real documents: the same data as the YAML reader${CORPUS ? "" : ` (the corpus left out: ${CORPUS_MISSING})`}`, () => {
    expect(yamlFiles.length).toBeGreaterThan(CORPUS ? 200 : 100);
    let quick = 0;
    for (const file of yamlFiles) {
      const text = readFileSync(file, "utf8");
      const doc = parseYamlQuickly(file, text);
      if (!doc) continue;
      quick++;
      expect([file, isDeepStrictEqual(doc.data, yamlData(text))]).toEqual([file, true]);
    }
    // All but the few with anchors, tags or explicit keys go the quick way.
    expect(quick).toBeGreaterThan(yamlFiles.length * 0.9);
  });

  test("scalars are resolved by the YAML 1.2 core schema, where YAML 1.1 readers differ", () => {
    const scalars = [
      "1_000",
      "0b101",
      "0o17",
      "0x1F",
      "0X1F",
      "017",
      "-0",
      "+12",
      "1.",
      ".5",
      "-.5",
      "1e3",
      "1E-3",
      "+1.5e+3",
      ".inf",
      "-.Inf",
      "+.INF",
      ".nan",
      ".NaN",
      "~",
      "null",
      "Null",
      "NULL",
      "nULL",
      "true",
      "True",
      "TRUE",
      "tRUE",
      "yes",
      "No",
      "on",
      "Off",
      "y",
      "2024-01-01",
      "2001-12-14t21:59:43.10-05:00",
      "12:30:00",
      "1:20",
      "0.1.2",
      "9007199254740993",
      "'1'",
      '"true"',
      "<<",
      "=",
      "!= 1",
      "a != b",
      "$statusCode != 200",
    ];
    for (const scalar of scalars) {
      const text = `a: ${scalar}\nb: [${scalar}]\n`;
      const doc = parseYamlQuickly(FILE, text);
      // Unread (the YAML reader then runs) or read alike.
      expect([scalar, doc === undefined || isDeepStrictEqual(doc.data, yamlData(text))]).toEqual([scalar, true]);
    }
  });

  test("what only the YAML reader promises goes to it: anchors, duplicate keys, other tags, several documents, explicit keys", () => {
    for (const text of [
      "a: &x 1\nb: *x\n",
      "a: &x [1]\n",
      "base: &b {x: 1}\nc:\n  <<: *b\n",
      "a: 1\na: 2\n",
      "a: !custom 1\n",
      "a: !!binary aGk=\n",
      "a: !!timestamp 2024-01-01\n",
      "a: !!str 12\n",
      "a: !!float 1\n",
      "a: [!!int '7']\n",
      "a: ! 12\n",
      "a: !<tag:yaml.org,2002:str> 12\n",
      "--- 1\n--- 2\n",
      "? [a, b]\n: c\n",
      "%YAML 1.1\n---\nx: yes\nz: 010\n",
      "~: a\n",
      "null: a\n",
      "a:\n  - : x\n",
      "[1, 2]: a\n",
      "{a: 1}: b\n",
      "a: [\n",
      "\ufeffa: 1\n",
      "a: 'x\u2028y'\n",
    ]) {
      expect([text, parseYamlQuickly(FILE, text)]).toEqual([text, undefined]);
    }
  });

  test("positions are the YAML reader's, read on the first locate", () => {
    const quick = parseYamlQuickly(FILE, YAML)!;
    const yaml = parseYamlDocument(FILE, YAML, new DiagnosticBag())!;
    expect(isDeepStrictEqual(quick.data, yaml.data)).toBe(true);
    for (const at of [
      [],
      ["info", "version"],
      ["workflows", 0, "steps", 1, "tags", 1],
      ["workflows", 0, "steps", 1, "200"],
      ["nope", "deeper"],
    ] as DataPath[]) {
      for (const target of ["key", "value"] as const) expect(quick.locate(at, target)).toEqual(yaml.locate(at, target));
    }
    expect(quick.locate(["workflows", 0, "steps", 0, "operationId"])).toEqual({ file: FILE, line: 9, col: 22 });
  });
});

describe("parseJsonDocument: the same data and positions as the YAML reader", () => {
  /** Every path to a value of `value`, and one step past each (a path beyond the document). */
  function* pathsOf(value: unknown, at: DataPath = []): Generator<DataPath> {
    yield at;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) yield* pathsOf(value[i], [...at, i]);
      yield [...at, value.length];
      yield [...at, "0"];
    } else if (value !== null && typeof value === "object") {
      for (const key of Object.keys(value)) yield* pathsOf((value as Record<string, unknown>)[key], [...at, key]);
      yield [...at, "absent"];
    } else {
      yield [...at, 0];
    }
  }

  /** Whether the quick reader took `text`; when it did, its data and every position are the YAML reader's. */
  function sameAsYaml(text: string): boolean {
    const json = parseJsonDocument(FILE, text);
    if (!json) return false;
    const diagnostics = new DiagnosticBag();
    const yaml = parseYamlDocument(FILE, text, diagnostics);
    expect(diagnostics.items).toEqual([]);
    // isDeepStrictEqual tells -0 from 0
    expect(isDeepStrictEqual(json.data, yaml?.data)).toBe(true);
    for (const at of pathsOf(yaml!.data)) {
      for (const target of ["key", "value"] as const) expect([at, target, json.locate(at, target)]).toEqual([at, target, yaml!.locate(at, target)]);
    }
    return true;
  }

  /** JSON text of `value` with the given spacing between tokens, in turn, and strings escaped more or less. */
  function jsonText(value: unknown, spaces: readonly string[], escapeAll: boolean): string {
    let n = 0;
    const space = () => spaces[n++ % spaces.length] ?? "";
    const string = (s: string) =>
      escapeAll
        ? `"${s
            .split("")
            .map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
            .join("")}"`
        : JSON.stringify(s);
    const write = (v: unknown): string => {
      if (Array.isArray(v)) return `[${space()}${v.map((item) => `${write(item)}${space()}`).join(`,${space()}`)}]`;
      if (v !== null && typeof v === "object") {
        const members = Object.entries(v).map(([k, item]) => `${string(k)}${space()}:${space()}${write(item)}${space()}`);
        return `{${space()}${members.join(`,${space()}`)}}`;
      }
      return typeof v === "string" ? string(v) : Object.is(v, -0) ? "-0" : JSON.stringify(v);
    };
    return `${space()}${write(value)}${space()}`;
  }

  const spacing = fc.array(fc.constantFrom("", " ", "\n", "\r\n", "\t", "\n  ", " \r\n\t"), { minLength: 1, maxLength: 8 });
  // Strings of any code points too: astral characters, lone surrogates, controls (some of them declined).
  const container = fc.constantFrom("grapheme-ascii", "binary").chain((unit) => {
    const value = fc.jsonValue({ maxDepth: 4, stringUnit: unit });
    return fc.oneof(fc.array(value), fc.dictionary(fc.string({ unit }), value));
  });

  test("generated documents, spacing and escapes", () => {
    let taken = 0;
    fc.assert(
      fc.property(container, spacing, fc.boolean(), (value, spaces, escapeAll) => {
        if (sameAsYaml(jsonText(value, spaces, escapeAll))) taken++;
      }),
      { numRuns: 300 },
    );
    expect(taken).toBeGreaterThan(200);
  });

  test("documents as JSON.stringify writes them", () => {
    for (const text of [JSON_TEXT, JSON.stringify(load(YAML).data), JSON.stringify(load(YAML).data, null, 2), JSON.stringify(load(YAML).data, null, "\t")]) {
      expect(sameAsYaml(text)).toBe(true);
    }
  });

  const declined: [string, string][] = [
    ["not an object or array", "1"],
    ["not JSON", "{a: 1}"],
    ["duplicate keys", '{"a": 1, "a": 2}'],
    ["duplicate keys once unescaped", '{"a": 1, "\\u0061": 2}'],
    ["nested duplicate keys", '[{"b": {"a": 1, "a": 2}}]'],
    ["nested deeper than 200", `${"[".repeat(201)}${"]".repeat(201)}`],
    ["an integer of 16 digits", '{"a": 1234567890123456}'],
    ["a CR that does not end a line", '{"a": 1,\r"b": 2}'],
    ["a byte order mark", '\ufeff{"a": 1}'],
    ["U+2028 in a string", '{"a": "x\u2028y"}'],
  ];
  for (const [name, text] of declined) {
    test(`declines: ${name}`, () => {
      expect(parseJsonDocument(FILE, text)).toBeUndefined();
    });
  }

  test("takes: nested 200 deep, an integer of 15 digits, long numbers with a fraction or exponent", () => {
    expect(sameAsYaml(`${"[".repeat(200)}${"]".repeat(200)}`)).toBe(true);
    expect(sameAsYaml('{"a": 123456789012345, "b": 1.23456789012345678, "c": 1e-400, "d": -0}')).toBe(true);
  });
});

describe("formatDiagnostic", () => {
  const cwd = path.resolve("/work/project");
  const rows: [string, { given: Diagnostic; want: string }][] = [
    [
      "error inside cwd: relative path",
      {
        given: {
          severity: "error",
          code: "unknown-operation",
          message: "operationId `getPet` does not exist",
          file: path.join(cwd, "specs/flow.yaml"),
          line: 12,
          col: 9,
        },
        want: "specs/flow.yaml:12:9 - error unknown-operation: operationId `getPet` does not exist",
      },
    ],
    [
      "with a hint",
      {
        given: {
          severity: "error",
          code: "unknown-operation",
          message: "m",
          file: path.join(cwd, "a.yaml"),
          line: 1,
          col: 2,
          hint: "did you mean `getOrder`?",
        },
        want: "a.yaml:1:2 - error unknown-operation: m\n  hint: did you mean `getOrder`?",
      },
    ],
    [
      "warning",
      {
        given: { severity: "warning", code: "unused-input", message: "m", file: path.join(cwd, "a.yaml"), line: 3, col: 4 },
        want: "a.yaml:3:4 - warning unused-input: m",
      },
    ],
    [
      "outside cwd: absolute path",
      {
        given: { severity: "error", code: "schema", message: "m", file: "/elsewhere/b.yaml", line: 3, col: 4 },
        want: "/elsewhere/b.yaml:3:4 - error schema: m",
      },
    ],
    [
      "sibling directory with the same prefix: absolute path",
      {
        given: { severity: "error", code: "schema", message: "m", file: "/work/project-2/b.yaml", line: 1, col: 1 },
        want: "/work/project-2/b.yaml:1:1 - error schema: m",
      },
    ],
    [
      "parent of cwd: absolute path",
      { given: { severity: "error", code: "schema", message: "m", file: "/work/b.yaml", line: 1, col: 1 }, want: "/work/b.yaml:1:1 - error schema: m" },
    ],
    [
      "cwd itself: absolute path",
      { given: { severity: "error", code: "schema", message: "m", file: cwd, line: 1, col: 1 }, want: `${cwd}:1:1 - error schema: m` },
    ],
    [
      "line without col: col 1",
      { given: { severity: "error", code: "schema", message: "m", file: path.join(cwd, "a.yaml"), line: 7 }, want: "a.yaml:7:1 - error schema: m" },
    ],
    ["file without line", { given: { severity: "error", code: "schema", message: "m", file: path.join(cwd, "a.yaml") }, want: "a.yaml - error schema: m" }],
    ["no file", { given: { severity: "error", code: "schema", message: "m" }, want: "error schema: m" }],
    ["no file, with hint", { given: { severity: "warning", code: "schema", message: "m", hint: "h" }, want: "warning schema: m\n  hint: h" }],
  ];
  for (const [name, { given, want }] of rows) {
    test(name, () => {
      expect(formatDiagnostic(given, cwd)).toBe(want);
    });
  }

  test("defaults to process.cwd()", () => {
    const file = path.join(process.cwd(), "specs", "x.yaml");
    expect(formatDiagnostic({ severity: "error", code: "schema", message: "m", file, line: 1, col: 1 })).toBe(
      `${path.join("specs", "x.yaml")}:1:1 - error schema: m`,
    );
  });

  // Regression test, fixed (generator/diagnostics.ts, toDisplayPath): "inside cwd" is tested with
  // `rel.startsWith("..")`, so a file inside cwd whose name starts with two dots is shown
  // absolute: file "/work/project/..hidden.yaml", cwd "/work/project" prints
  // "/work/project/..hidden.yaml:1:1 - error schema: m" instead of "..hidden.yaml:1:1 - error schema: m".
  test("a file inside cwd whose name starts with `..` is shown relative", () => {
    expect(formatDiagnostic({ severity: "error", code: "schema", message: "m", file: path.join(cwd, "..hidden.yaml"), line: 1, col: 1 }, cwd)).toBe(
      "..hidden.yaml:1:1 - error schema: m",
    );
  });
});

describe("sortDiagnostics", () => {
  const d = (
    file: string | undefined,
    line: number | undefined,
    col: number | undefined,
    severity: "error" | "warning" = "error",
    code: Diagnostic["code"] = "schema",
  ): Diagnostic => ({
    severity,
    code,
    message: `${file}:${line}:${col}:${severity}:${code}`,
    ...(file === undefined ? {} : { file }),
    ...(line === undefined ? {} : { line }),
    ...(col === undefined ? {} : { col }),
  });
  const rows: [string, { given: Diagnostic[]; want: Diagnostic[] }][] = [
    ["by file", { given: [d("/b.yaml", 1, 1), d("/a.yaml", 9, 9)], want: [d("/a.yaml", 9, 9), d("/b.yaml", 1, 1)] }],
    ["by line", { given: [d("/a.yaml", 10, 1), d("/a.yaml", 9, 5)], want: [d("/a.yaml", 9, 5), d("/a.yaml", 10, 1)] }],
    ["line numerically, not as text", { given: [d("/a.yaml", 10, 1), d("/a.yaml", 2, 1)], want: [d("/a.yaml", 2, 1), d("/a.yaml", 10, 1)] }],
    ["by column", { given: [d("/a.yaml", 3, 12), d("/a.yaml", 3, 4)], want: [d("/a.yaml", 3, 4), d("/a.yaml", 3, 12)] }],
    [
      "errors before warnings at the same place",
      { given: [d("/a.yaml", 3, 4, "warning"), d("/a.yaml", 3, 4, "error")], want: [d("/a.yaml", 3, 4, "error"), d("/a.yaml", 3, 4, "warning")] },
    ],
    [
      "position before severity",
      { given: [d("/a.yaml", 3, 5, "error"), d("/a.yaml", 3, 4, "warning")], want: [d("/a.yaml", 3, 4, "warning"), d("/a.yaml", 3, 5, "error")] },
    ],
    [
      "without a file first",
      { given: [d("/a.yaml", 1, 1), d(undefined, undefined, undefined)], want: [d(undefined, undefined, undefined), d("/a.yaml", 1, 1)] },
    ],
    [
      "without a line first in a file",
      { given: [d("/a.yaml", 1, 1), d("/a.yaml", undefined, undefined)], want: [d("/a.yaml", undefined, undefined), d("/a.yaml", 1, 1)] },
    ],
    [
      "ties keep their order",
      {
        given: [d("/a.yaml", 1, 1, "error", "unknown-step"), d("/a.yaml", 1, 1, "error", "schema")],
        want: [d("/a.yaml", 1, 1, "error", "unknown-step"), d("/a.yaml", 1, 1, "error", "schema")],
      },
    ],
    ["empty", { given: [], want: [] }],
  ];
  for (const [name, { given, want }] of rows) {
    test(name, () => {
      const before = [...given];
      expect(sortDiagnostics(given)).toEqual(want);
      expect(given).toEqual(before); // the input list is not sorted in place
    });
  }
});

describe("documents shared by the documents of one run (DocumentCache)", () => {
  test("a description is read once; a file that cannot be read, or reads with a diagnostic, is reported for each document naming it", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "arazzo-ts-document-cache-"));
    try {
      const good = path.join(dir, "api.yaml");
      const broken = path.join(dir, "broken.yaml");
      writeFileSync(good, "openapi: 3.1.0\ninfo: { title: A, version: '1' }\npaths: {}\n");
      writeFileSync(broken, "a: 1\na: 2\n");
      const cache: DocumentCache = new Map();
      const bag = new DiagnosticBag();
      const first = await loadDocument(good, bag, undefined, cache);
      writeFileSync(good, "changed on disk: the run keeps what it read\n");
      expect(await loadDocument(good, bag, undefined, cache)).toBe(first);
      expect(first?.data).toEqual({ openapi: "3.1.0", info: { title: "A", version: "1" }, paths: {} });

      for (const file of [broken, path.join(dir, "missing.yaml")]) {
        const once = new DiagnosticBag();
        await loadDocument(file, once, undefined, cache);
        const twice = new DiagnosticBag();
        await loadDocument(file, twice, undefined, cache);
        expect(once.items.length).toBeGreaterThan(0);
        expect(twice.items).toEqual(once.items);
      }
      expect([...cache.keys()]).toEqual([good]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
