/**
 * Formats generated TypeScript: dprint's TypeScript plugin (a WebAssembly build of
 * dprint-plugin-typescript, run in-process), 120 columns, two-space indent, double quotes,
 * then doc and line comments wrapped to the same width (formatters leave comments alone).
 *
 * Why dprint rather than prettier (both measured on the 13 Fintecture workflow modules,
 * 180 kB, the seed's among them): dprint formats a module in 2–5 ms warm against 10–15 ms
 * for prettier; all 13 take 30–50 ms warm against 160–220 ms, and 110–180 ms in the first
 * round of a process against ~500 ms. It loads in ~20 ms (one wasm module, compiled on
 * first use) and is pure wasm: nothing native to install, no install script. prettier
 * also cannot break a long indexed-access type (`Paths["/a"]["get"]["responses"]…`), so
 * lines over 120 columns would stay. dprint is deterministic for a given plugin version,
 * which is pinned exactly in package.json, since CI regenerates `generated/` and diffs it.
 *
 * Formatting changes layout only: import, export and named-specifier order are kept as the
 * emitter wrote them (`maintain`), strings keep their quotes; dprint also drops parentheses
 * that change nothing. Workflow modules are formatted as soon as they are printed, before
 * the type-check (`package.ts`), so the check, `dist/` and its declaration maps all use the
 * text that ships, and the program is checked once; `source-map.ts` finds the emitters'
 * fragments in the formatted text by comparing both without whitespace, parentheses and
 * trailing separators.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Formatter, GlobalConfiguration } from "@dprint/formatter";
import { stringLiteral } from "../../shared/names.ts";

/** The widest line of a generated module. */
export const LINE_WIDTH = 120;

/** dprint's settings: with {@link dprintPlugin}, all a worker thread needs to format alike (`format-pool.ts`). */
export const DPRINT_CONFIG: { readonly global: GlobalConfiguration; readonly plugin: Record<string, unknown> } = {
  global: { lineWidth: LINE_WIDTH, indentWidth: 2, useTabs: false, newLineKind: "lf" },
  plugin: {
    quoteStyle: "alwaysDouble",
    "module.sortImportDeclarations": "maintain",
    "module.sortExportDeclarations": "maintain",
    "importDeclaration.sortNamedImports": "maintain",
    "exportDeclaration.sortNamedExports": "maintain",
  },
};

const require = createRequire(import.meta.url);
let plugin: WebAssembly.Module | undefined;
let formatter: Formatter | undefined;

/** dprint's TypeScript plugin, compiled once per process: worker threads are given the compiled module. */
export function dprintPlugin(): WebAssembly.Module {
  const { getPath } = require("@dprint/typescript") as { getPath(): string };
  plugin ??= new WebAssembly.Module(readFileSync(getPath()));
  return plugin;
}

function dprint(): Formatter {
  if (formatter) return formatter;
  const { createFromWasmModule } = require("@dprint/formatter") as typeof import("@dprint/formatter");
  const created = createFromWasmModule(dprintPlugin());
  created.setConfig(DPRINT_CONFIG.global, DPRINT_CONFIG.plugin);
  const problems = created.getConfigDiagnostics();
  if (problems.length) throw new Error(`dprint configuration: ${problems.map((p) => `${p.propertyName}: ${p.message}`).join("; ")}`);
  formatter = created;
  return created;
}

/**
 * `text` (a TypeScript module) formatted to {@link LINE_WIDTH} columns, comments included.
 * dprint throws on text it cannot parse, and when it runs out of memory (a type nested twenty
 * deep takes gigabytes: its layout search doubles with each level); the formatter is then made
 * anew, since a WebAssembly instance that ran out of memory fails every later call too.
 */
export function formatTypeScript(filePath: string, text: string): string {
  let formatted: string;
  try {
    formatted = dprint().formatText({ filePath, fileText: text });
  } catch (error) {
    formatter = undefined;
    throw error;
  }
  return wrapComments(formatted);
}

/**
 * Wraps `//` comments and `/** … *\/` doc comments wider than {@link LINE_WIDTH} at spaces,
 * keeping `` `code` `` spans and `{@link …}` tags whole where they fit. Comments are found
 * at the start of a line only: generated code has no multi-line strings or templates, so a
 * line that starts with `//`, `/**` or `*` (inside a doc comment) is a comment.
 */
export function wrapComments(text: string): string {
  const out: string[] = [];
  let inDoc = false;
  for (const line of text.split("\n")) {
    const start = /^(\s*)\/\*\*(?!\/)/.exec(line);
    if (!inDoc && start && !line.includes("*/")) inDoc = true;
    else if (inDoc && line.includes("*/")) {
      inDoc = false;
      out.push(line);
      continue;
    }
    if (line.length <= LINE_WIDTH) {
      out.push(line);
      continue;
    }
    const oneLineDoc = /^(\s*)\/\*\* (.*) \*\/$/.exec(line);
    const docLine = inDoc ? /^(\s*)\* (.*)$/.exec(line) : null;
    const lineComment = !inDoc ? /^(\s*)\/\/ (.*)$/.exec(line) : null;
    if (oneLineDoc) {
      const indent = oneLineDoc[1]!;
      out.push(`${indent}/**`, ...wrapText(oneLineDoc[2]!, `${indent} * `), `${indent} */`);
    } else if (docLine) {
      out.push(...wrapText(docLine[2]!, `${docLine[1]!}* `));
    } else if (lineComment) {
      out.push(...wrapText(lineComment[2]!, `${lineComment[1]!}// `));
    } else {
      out.push(line);
    }
  }
  return out.join("\n");
}

/** `text` as lines that start with `prefix`; a list item or tag continues indented by two. */
function wrapText(text: string, prefix: string): string[] {
  const hanging = /^(?:- |@\w+ )/.test(text) ? `${prefix}  ` : prefix;
  const lines: string[] = [];
  let current = "";
  let linePrefix = prefix;
  for (const unit of units(text, LINE_WIDTH - hanging.length)) {
    if (current && linePrefix.length + current.length + 1 + unit.length > LINE_WIDTH) {
      lines.push(`${linePrefix}${current}`);
      current = unit;
      linePrefix = hanging;
    } else {
      current = current ? `${current} ${unit}` : unit;
    }
  }
  if (current) lines.push(`${linePrefix}${current}`);
  return lines;
}

/**
 * The words of `text`, a `` `code span` `` or `{@link …}` being one word unless it is wider
 * than `room` (then its own words: a code span may break across lines in Markdown).
 */
function units(text: string, room: number): string[] {
  const result: string[] = [];
  const pattern = /`[^`]*`\S*|\{@\w+[^}]*\}\S*|\S+/g;
  for (const [unit] of text.matchAll(pattern)) {
    if (unit.length > room && /\s/.test(unit)) result.push(...unit.split(/\s+/).filter(Boolean));
    else result.push(unit);
  }
  return result;
}

/** Longest run of a string's text on one line before {@link longStringLiteral} splits it. */
const STRING_CHUNK = 80;

/**
 * A string literal that the formatter can break: text longer than {@link STRING_CHUNK}
 * characters becomes `"…" + "…"`, split after a space where there is one, on one line (the
 * source map finds fragments in this text; the formatter lays the `+` out after the check).
 * Only for values typed `string`, never where a literal type matters (paths, discriminants).
 */
export function longStringLiteral(value: string): string {
  const chars = Array.from(value);
  if (chars.length <= STRING_CHUNK) return stringLiteral(value);
  const chunks: string[] = [];
  let rest = chars;
  while (rest.length > STRING_CHUNK) {
    const space = rest.lastIndexOf(" ", STRING_CHUNK - 1);
    const cut = space >= STRING_CHUNK / 2 ? space + 1 : STRING_CHUNK;
    chunks.push(rest.slice(0, cut).join(""));
    rest = rest.slice(cut);
  }
  if (rest.length) chunks.push(rest.join(""));
  return chunks.map(stringLiteral).join(" + ");
}
