/**
 * docs/diagnostics.md is the reference of every diagnostic code: one `### \`code\`` section per
 * code of `DIAGNOSTIC_CODES` (and one for the type-checker's `TS<number>` codes), none for a code
 * the generator does not have, each with its Severity (the one the list gives), What it means,
 * Example and Fix, each linked from the index, and each warning saying how to silence it. The
 * config's JSON Schema takes exactly the codes reported as warnings in its `warnings`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { DIAGNOSTIC_CODES } from "../../generator/diagnostic-codes.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const DOC = readFileSync(path.join(ROOT, "docs/diagnostics.md"), "utf8");
const SCHEMA = JSON.parse(readFileSync(path.join(ROOT, "generator/config/arazzo-ts.config.schema.json"), "utf8"));

/** The type-checker's codes (`TS2322`, …), one section for all of them. */
const TS_CODES = "TS<number>";
const PARTS = ["**Severity**", "**What it means**", "**Example**", "**Fix**"] as const;
type Severity = "error" | "warning" | "both";

const listed = Object.keys(DIAGNOSTIC_CODES).sort();
const severityOf = (code: string): Severity => (code === TS_CODES ? "error" : DIAGNOSTIC_CODES[code as keyof typeof DIAGNOSTIC_CODES]);

/** The sections under `## Codes`, by code: the text from its `###` heading to the next. Code blocks are skipped when splitting. */
function sections(): [byCode: Map<string, string>, duplicates: Map<string, string>, malformed: Map<string, string>] {
  const codes = DOC.slice(DOC.indexOf("\n## Codes\n"));
  const byCode = new Map<string, string>();
  const duplicates = new Map<string, string>();
  const malformed = new Map<string, string>();
  let current: { heading: string; lines: string[] } | undefined;
  let fenced = false;
  const close = () => {
    if (!current) return;
    const match = /^### `([^`]+)`$/.exec(current.heading);
    const body = current.lines.join("\n");
    if (!match) malformed.set(current.heading, body);
    else if (byCode.has(match[1]!)) duplicates.set(match[1]!, body);
    else byCode.set(match[1]!, body);
  };
  for (const line of codes.split("\n")) {
    if (line.trimStart().startsWith("```")) fenced = !fenced;
    if (!fenced && /^#{1,3} /.test(line)) {
      close();
      current = line.startsWith("### ") ? { heading: line, lines: [] } : undefined;
      continue;
    }
    current?.lines.push(line);
  }
  close();
  return [byCode, duplicates, malformed];
}

const [byCode, duplicates, malformed] = sections();

/** GitHub's heading anchor (as test/docs/links.test.ts computes it). */
const anchor = (code: string) =>
  `\`${code}\``
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");

describe("docs/diagnostics.md against generator/diagnostic-codes.ts", () => {
  test("every code has a section, headed exactly ### `code`, once", () => {
    expect([...malformed.keys()], "### headings under ## Codes that are not ### `code`").toEqual([]);
    expect([...duplicates.keys()], "codes with two sections").toEqual([]);
    expect(
      [...listed, TS_CODES].filter((c) => !byCode.has(c)),
      "codes of DIAGNOSTIC_CODES without a section",
    ).toEqual([]);
  });

  test("no section for a code the generator does not report", () => {
    expect(
      [...byCode.keys()].filter((c) => c !== TS_CODES && !Object.hasOwn(DIAGNOSTIC_CODES, c)),
      "sections for codes not in DIAGNOSTIC_CODES",
    ).toEqual([]);
  });

  test("every section has its Severity, What it means, Example and Fix, in that order", () => {
    const incomplete: string[] = [];
    for (const [code, body] of byCode) {
      const at = PARTS.map((part) => body.search(new RegExp(`^${part.replace(/\*/g, "\\*")}`, "m")));
      if (at.some((i) => i < 0)) incomplete.push(`${code}: missing ${PARTS.filter((_, i) => at[i]! < 0).join(", ")}`);
      else if (at.some((i, n) => n > 0 && i < at[n - 1]!)) incomplete.push(`${code}: parts out of order`);
    }
    expect(incomplete).toEqual([]);
  });

  test("the severity each section states is the one the list gives", () => {
    const stated = (body: string): Severity | undefined => {
      const m = /^\*\*Severity\*\*: (error or warning|error|warning)\b/m.exec(body);
      return m ? (m[1] === "error or warning" ? "both" : (m[1] as Severity)) : undefined;
    };
    const differ = [...byCode]
      .filter(([code]) => code === TS_CODES || Object.hasOwn(DIAGNOSTIC_CODES, code))
      .map(([code, body]) => ({ code, stated: stated(body), listed: severityOf(code) }))
      .filter((s) => s.stated !== s.listed);
    expect(differ).toEqual([]);
  });

  test("each warning says how to silence it in the config", () => {
    const silent = listed.filter((c) => severityOf(c) !== "error" && !byCode.get(c)?.includes(`"warnings": { "${c}": "off" }`));
    expect(silent, 'warnings whose section lacks `"warnings": { "<code>": "off" }`').toEqual([]);
  });

  test("the index links every code", () => {
    const index = DOC.slice(DOC.indexOf("\n## Index by stage\n"), DOC.indexOf("\n## Codes\n"));
    expect(index.length).toBeGreaterThan(0);
    expect([...listed, TS_CODES].filter((c) => !index.includes(`[\`${c}\`](#${anchor(c)})`))).toEqual([]);
  });
});

test("the config schema's `warnings` takes exactly the codes reported as warnings", () => {
  const schemaCodes = [...(SCHEMA.properties.warnings.propertyNames.enum as string[])].sort();
  const warnings = listed.filter((c) => severityOf(c) !== "error");
  expect(schemaCodes).toEqual(warnings);
});
