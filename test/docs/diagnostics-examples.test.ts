/**
 * docs/diagnostics.md shows what arazzo-ts prints: every diagnostic in its examples is one the
 * generator prints for that example, as the page writes it.
 *
 * The page's plain fenced blocks (no language) hold printed output. A diagnostic there is a line
 * `<file>:<line>:<col> - error|warning <code>: <message>` (or `error <code>: <message>`, without a
 * place) and the lines under it, `  hint: …` and `  generated …`. Each must be a diagnostic the
 * runs below print, line for line and with the same lines under it, where `…` in the page stands
 * for any text (an absolute path, a message cut short). Other lines of those blocks (`wrote …`,
 * the closing summary) are not checked.
 *
 * The examples, run in-process, with paths shown relative to the example's folder as the page
 * shows them:
 * - test/docs/diagnostics-examples/: the page's `api.openapi.yaml` and one document per example,
 *   named as the page names it; `asyncapi/` holds the Arazzo 1.1 message-step examples and their
 *   AsyncAPI descriptions, `config/` the config example. Each document is validated without the
 *   type-check (`arazzo-ts validate --no-types <file>`); TYPED with it, RESTATE generated with
 *   `--target restate`, and the command-line examples of `cliRuns` through the CLI;
 * - cases of test/malformed (MALFORMED) and fixtures of test/fixtures the page also quotes:
 *   `broken-openapi`, and `mini` patched as test/generator/servers-and-credentials.test.ts does
 *   (MINI_VARIANTS).
 *
 * NOT_PRODUCIBLE lists the codes no example can make this machine print; their text in the page is
 * checked against the string literals of the generator source that prints them instead.
 *
 * To change an example, change its document here and the page together; to see what it prints:
 * `cd test/docs/diagnostics-examples && node ../../../generator/bin.js validate --no-types <file>`.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { validate } from "../../generator/analyze.ts";
import { type Diagnostic, formatDiagnostic } from "../../generator/diagnostics.ts";
import { generate } from "../../generator/generate.ts";
import { FIXTURES, runCli, workspace } from "../helpers/workspace.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PAGE = "docs/diagnostics.md";
const EXAMPLES = path.join(import.meta.dirname, "diagnostics-examples");
const MALFORMED_DIR = path.join(ROOT, "test/malformed");
/** Where `generate` would write; nothing is written (inside the repository, so generated packages resolve openapi-fetch). */
const OUT = path.join(EXAMPLES, "out");

/** Examples that need the type-check (`arazzo-ts validate <file>`): their codes come from the generated package. */
const TYPED = ["ts-error.arazzo.yaml", "untyped-example-input.arazzo.yaml", "unvalidated-response.arazzo.yaml"];
/** Examples of the restate target (`arazzo-ts generate --target restate`). */
const RESTATE = ["restate-service-name.arazzo.yaml", "restate-unsupported.arazzo.yaml"];
/** Cases of test/malformed whose output the page quotes. */
const MALFORMED = [
  "form-bracket-invalid",
  "input-type-mismatch",
  "json-syntax-error",
  "misspelt-expression-root",
  "openapi-schema-not-an-object",
  "output-unknown-field",
  "parameters-as-object",
  "reads-later-step-output",
  "retrylimit-negative",
  "step-without-stepid",
  "unknown-field",
  "unknown-operationid",
  "workflows-run-each-other",
  "wrong-arazzo-version",
  "yaml-duplicate-key",
];

/**
 * The page's security and server examples: test/fixtures/mini with `shop.openapi.yaml`'s server
 * replaced, a document-level `security` and `components.securitySchemes` added, and
 * `order.arazzo.yaml` patched (the same changes as servers-and-credentials.test.ts makes).
 */
const SERVER = "servers:\n  - url: https://shop.example.test/v1\n";
const CREATE_STEP = "      - stepId: create\n        operationId: createOrder\n";
const SECURED = {
  security: "security:\n  - key: []\n",
  schemes: "    key: { type: apiKey, in: header, name: X-Key }\n",
};
const xSecurity = (entry: string): [string, string][] => [[CREATE_STEP, `${CREATE_STEP}        x-security:\n${entry}`]];
const MINI_VARIANTS: { openapi: { servers?: string; security?: string; schemes?: string }; arazzo?: [string, string][] }[] = [
  // server-variable-default
  { openapi: { servers: 'servers:\n  - url: "https://{tenant}.shop.example.test/v1"\n' } },
  // unknown-security-scheme (in the description)
  { openapi: { security: "security:\n  - apiKeys: []\n", schemes: "    apiKey: { type: apiKey, in: header, name: X-Key }\n" } },
  // invalid-security-scheme
  { openapi: { security: "security:\n  - key: []\n", schemes: "    key: { type: apiKey, in: header }\n" } },
  // unknown-security-scheme (in `x-security`)
  { openapi: SECURED, arazzo: xSecurity("          - schemeName: keyy\n            values: { value: $inputs.key }\n") },
  // invalid-x-security
  { openapi: SECURED, arazzo: xSecurity("          - values: { value: $inputs.key }\n") },
  { openapi: SECURED, arazzo: xSecurity("          - schemeName: key\n            values: { token: $inputs.key }\n") },
  // duplicate-credential
  {
    openapi: SECURED,
    arazzo: [
      ...xSecurity("          - schemeName: key\n            values: { value: $inputs.key }\n"),
      ["          - name: Idempotency-Key\n", "          - { name: X-Key, in: header, value: own }\n          - name: Idempotency-Key\n"],
    ],
  },
];

/**
 * Codes no example can make the generator print here, with the source file whose string literals
 * print them. Their lines in the page are checked against those literals (`${…}` is any text).
 */
const NOT_PRODUCIBLE: Record<string, { source: string; why: string; quoted?: string[] }> = {
  checker: {
    source: "generator/targets/typescript/compile.ts",
    why: "the native checker's binary for this platform is installed (an optional dependency of the repository)",
  },
  format: {
    source: "generator/targets/openapi-fetch/package.ts",
    why: "no valid document is known to make dprint fail on a generated module",
    // The page has no block for it; it quotes the message and the hint in its prose.
    quoted: ["the generated module <file> cannot be formatted: <dprint's message>", "this is a bug in arazzo-ts: please report it with the document"],
  },
  "restate-sdk-missing": {
    source: "generator/targets/restate/index.ts",
    why: "the Restate SDK is a dev dependency of the repository",
    quoted: [
      "the restate target needs @restatedev/restate-sdk and @restatedev/restate-sdk-clients to type-check the services it generates",
      "npm install --save-dev @restatedev/restate-sdk @restatedev/restate-sdk-clients",
    ],
  },
};

/** A diagnostic as printed: its first line and the lines under it, trimmed. */
interface Printed {
  readonly lines: readonly string[];
}

/** A diagnostic the page shows, at its line of the page. */
interface Shown extends Printed {
  readonly at: number;
  readonly code: string | undefined;
}

const HEAD = /(?:^| - )(?:error|warning) ([A-Za-z0-9-]+): /;
const UNDER = /^(?:hint: |generated )/;

/** The diagnostics of the page's plain fenced blocks. */
function shownDiagnostics(markdown: string): Shown[] {
  const shown: { at: number; code: string | undefined; lines: string[] }[] = [];
  let fence: string | undefined;
  let last: (typeof shown)[number] | undefined;
  markdown.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line.startsWith("```")) {
      fence = fence === undefined ? line.slice(3) : undefined;
      last = undefined;
      return;
    }
    if (fence !== "") return;
    const head = HEAD.exec(line);
    if (head) {
      last = { at: index + 1, code: head[1], lines: [line] };
      shown.push(last);
    } else if (UNDER.test(line)) {
      if (last) last.lines.push(line);
      else shown.push({ at: index + 1, code: undefined, lines: [line] });
    } else last = undefined;
  });
  return shown;
}

/** The diagnostics of printed text: a line that starts a diagnostic, and the indented lines after it. */
function printedDiagnostics(text: string): Printed[] {
  const printed: string[][] = [];
  let last: string[] | undefined;
  for (const line of text.split("\n")) {
    if (HEAD.test(line) && !/^\s/.test(line)) {
      last = [line.trim()];
      printed.push(last);
    } else if (/^\s+\S/.test(line)) last?.push(line.trim());
    else last = undefined;
  }
  return printed.map((lines) => ({ lines }));
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** A line of the page as a pattern: `…` is any text. */
const pattern = (line: string) => new RegExp(`^${line.split("…").map(escapeRegExp).join("[^]*")}$`);

/** The shown diagnostic is the printed one: as many lines, each the same (`…` any text). */
const same = (shown: Printed, printed: Printed) =>
  shown.lines.length === printed.lines.length && shown.lines.every((line, i) => pattern(line).test(printed.lines[i]!));

/** A standalone `hint:` line of the page (without its diagnostic) is any printed line under one. */
const found = (shown: Shown, printed: readonly Printed[]) =>
  shown.code === undefined && shown.lines.length === 1
    ? printed.some((p) => p.lines.slice(1).some((l) => pattern(shown.lines[0]!).test(l)))
    : printed.some((p) => same(shown, p));

const format = (diagnostics: readonly Diagnostic[], cwd: string) => diagnostics.map((d) => formatDiagnostic(d, cwd)).join("\n");

const documentsIn = (dir: string) => readdirSync(dir).filter((f) => /\.arazzo\.(yaml|json)$/.test(f));

/** What each example prints, by run. */
const outputs = new Map<string, string>();
let scratch: string;

async function run(label: string, output: () => Promise<string>): Promise<void> {
  outputs.set(label, await output());
}

/** The command-line examples: `arazzo-ts <args>` in `cwd`, stdout and stderr. */
function cliRuns(): [label: string, cwd: string, args: string[]][] {
  return [
    ["duplicate-package", EXAMPLES, ["generate", "ping.arazzo.yaml", "dup/ping.arazzo.yaml", "--out", path.join(scratch, "out")]],
    ["unknown-source-override", EXAMPLES, ["validate", "--no-types", "ping.arazzo.yaml", "--source", "petz=./api.openapi.yaml"]],
    ["file-not-found (a document)", EXAMPLES, ["validate", "--no-types", "missing.arazzo.yaml"]],
    ["config", path.join(EXAMPLES, "config"), ["validate", "--no-types"]],
  ];
}

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), "arazzo-ts-diagnostics-examples-"));
  for (const dir of [EXAMPLES, path.join(EXAMPLES, "asyncapi")]) {
    for (const file of documentsIn(dir)) {
      await run(path.relative(EXAMPLES, path.join(dir, file)), async () =>
        format((await validate({ inputs: [path.join(dir, file)], types: false })).diagnostics, dir),
      );
    }
  }
  await run("typed", async () => format((await validate({ inputs: TYPED.map((f) => path.join(EXAMPLES, f)), outDir: OUT })).diagnostics, EXAMPLES));
  for (const file of RESTATE) {
    await run(`restate ${file}`, async () =>
      format((await generate({ inputs: [path.join(EXAMPLES, file)], outDir: OUT, write: false, target: "restate" })).diagnostics, EXAMPLES),
    );
  }
  await run("unknown-target", async () =>
    format((await generate({ inputs: [path.join(EXAMPLES, "ok.arazzo.yaml")], outDir: OUT, write: false, target: "temporal" })).diagnostics, EXAMPLES),
  );
  for (const [label, cwd, args] of cliRuns()) {
    await run(`cli ${label}`, async () => {
      const { stdout, stderr } = await runCli(args, cwd);
      return `${stdout}\n${stderr}`;
    });
  }
  for (const name of MALFORMED) {
    const dir = path.join(MALFORMED_DIR, name);
    await run(`malformed ${name}`, async () =>
      format((await validate({ inputs: documentsIn(dir).map((f) => path.join(dir, f)), types: false })).diagnostics, dir),
    );
  }
  const broken = path.join(FIXTURES, "broken-openapi");
  await run("broken-openapi", async () => format((await validate({ inputs: [path.join(broken, "pets.arazzo.yaml")], types: false })).diagnostics, broken));
  await run("broken-openapi rejected", async () =>
    format((await validate({ inputs: [path.join(broken, "rejected.arazzo.yaml")], outDir: OUT })).diagnostics, broken),
  );
  for (const [n, variant] of MINI_VARIANTS.entries()) {
    const ws = workspace("mini");
    try {
      const { servers, security, schemes } = variant.openapi;
      ws.patch("shop.openapi.yaml", SERVER, `${servers ?? SERVER}${security ?? ""}`);
      if (schemes) ws.patch("shop.openapi.yaml", "components:\n", `components:\n  securitySchemes:\n${schemes}`);
      for (const [from, to] of variant.arazzo ?? []) ws.patch("order.arazzo.yaml", from, to);
      await run(`mini ${n}`, async () => format((await validate({ inputs: [ws.file("order.arazzo.yaml")], types: false })).diagnostics, ws.dir));
    } finally {
      ws.remove();
    }
  }
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const shown = shownDiagnostics(readFileSync(path.join(ROOT, PAGE), "utf8"));

describe(`the diagnostics ${PAGE} shows`, () => {
  test("the page shows diagnostics, and every one of them is printed as shown", () => {
    expect(shown.length).toBeGreaterThan(100);
    const printed = [...outputs.values()].flatMap(printedDiagnostics);
    const wrong = shown
      .filter((s) => !(s.code && Object.hasOwn(NOT_PRODUCIBLE, s.code)) && !found(s, printed))
      .map((s) => {
        // What was printed at the same place, or else in the same file with the same code, to compare.
        const place = /^\S+:\d+:\d+ - /.exec(s.lines[0]!)?.[0];
        const file = /^\S+:(?=\d+:\d+ - )/.exec(s.lines[0]!)?.[0] ?? "";
        const atPlace = place ? printed.filter((p) => p.lines[0]!.startsWith(place)) : [];
        const near = atPlace.length ? atPlace : printed.filter((p) => p.lines[0]!.startsWith(file) && p.lines[0]!.includes(` ${s.code}: `));
        return [`${PAGE}:${s.at}:`, ...s.lines.map((l) => `  ${l}`), ...near.flatMap((p) => ["printed:", ...p.lines.map((l) => `  ${l}`)])].join("\n");
      });
    expect(wrong, "diagnostics of the page that the examples do not print (with what they print at that place)").toEqual([]);
  });

  test("no example is an internal error or a stack trace", () => {
    const broken = [...outputs].filter(([, text]) => /internal error|\n\s+at .+:\d+:\d+/.test(text)).map(([label]) => label);
    expect(broken).toEqual([]);
  });
});

/** The string literals of a source file, as patterns: a template's `${…}` is any text. */
function literals(file: string): RegExp[] {
  const source = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.Latest);
  const found: RegExp[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) found.push(new RegExp(`^${escapeRegExp(node.text)}$`));
    else if (ts.isTemplateExpression(node)) {
      found.push(new RegExp(`^${[node.head.text, ...node.templateSpans.map((s) => s.literal.text)].map(escapeRegExp).join("[^]*")}$`));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("the codes no example can print, against the generator's source", () => {
  /** Quoted text of the page, without backticks: `<placeholder>` stands for any text. */
  const sample = (text: string) => text.replace(/<[^>]+>/g, "x").replaceAll("`", "");
  const matches = (text: string, patterns: RegExp[]) => patterns.some((p) => p.test(text) || new RegExp(p.source.replaceAll("`", "")).test(sample(text)));

  for (const [code, { source, why, quoted = [] }] of Object.entries(NOT_PRODUCIBLE)) {
    test(`${code} (not printed here: ${why})`, () => {
      const patterns = literals(source);
      const texts = [
        ...shown
          .filter((s) => s.code === code)
          .flatMap((s) => s.lines.map((l) => l.replace(/^(?:\S+:\d+:\d+ - )?(?:error|warning) [A-Za-z0-9-]+: /, "").replace(/^hint: /, ""))),
        ...quoted,
      ];
      expect(texts.length, `${PAGE} quotes no diagnostic of \`${code}\``).toBeGreaterThan(0);
      const page = readFileSync(path.join(ROOT, PAGE), "utf8");
      expect(
        quoted.filter((q) => !page.includes(q)),
        `quoted in ${PAGE}`,
      ).toEqual([]);
      expect(
        texts.filter((t) => !matches(t, patterns)),
        `not printed by ${source}`,
      ).toEqual([]);
    });
  }
});
