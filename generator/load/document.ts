/**
 * Loads a YAML or JSON file (YAML 1.2 reads both) and keeps source positions, so every
 * later stage can point a diagnostic at `file:line:col` through `locate(path)`. JSON goes
 * the quick way (`json.ts`) when that gives the same data and positions as YAML, and YAML
 * too (`yaml-quick.ts`: data first, positions read on the first `locate`).
 */
import { readFile } from "node:fs/promises";
import { LineCounter, isMap, isNode, isPair, isScalar, isSeq, parseDocument, type Node } from "yaml";
import { DiagnosticBag, type SourceLocation } from "../diagnostics.ts";
import { readJson } from "./json.ts";
import { readYamlQuickly } from "./yaml-quick.ts";

/** A path into the parsed data: property names and array indices, like a JSON Pointer's tokens. */
export type DataPath = readonly (string | number)[];

export interface LoadedDocument {
  /** Absolute path of the file. */
  readonly file: string;
  /** Raw text, kept for hashing and for passing on without re-reading. */
  readonly text: string;
  /** The data as plain JSON values. */
  readonly data: unknown;
  /**
   * Where `path` is in the file. `key` points at a mapping key (`operationId:`) rather than
   * its value. A path that goes further than the document points at its deepest existing node.
   */
  locate(path: DataPath, target?: "key" | "value"): SourceLocation;
}

/**
 * Documents already read in one run, by absolute path. A config of many Arazzo documents
 * names the same few descriptions again and again (the shared corpus: 94 documents, 40
 * descriptions, two of them over 2 MB): each is read and parsed once. Only documents read
 * without a diagnostic are kept, so a broken file is reported for each document naming it.
 * Loaded documents are never changed, so sharing them is safe.
 */
export type DocumentCache = Map<string, LoadedDocument>;

/** Reads and parses `file` (or takes it from `cache`); on failure reports diagnostics and returns undefined. */
export async function loadDocument(
  file: string,
  diagnostics: DiagnosticBag,
  referencedFrom?: { readonly location: SourceLocation; readonly as: string },
  cache?: DocumentCache,
): Promise<LoadedDocument | undefined> {
  const cached = cache?.get(file);
  if (cached) return cached;
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "does not exist" : code === "EISDIR" ? "is a directory" : "cannot be read";
    diagnostics.error(
      "file-not-found",
      referencedFrom ? `${JSON.stringify(referencedFrom.as)} (${file}) ${reason}` : `file ${reason}`,
      referencedFrom?.location ?? { file, line: 1, col: 1 },
      referencedFrom ? "source description URLs are resolved relative to the Arazzo document" : undefined,
    );
    return undefined;
  }
  const reported = diagnostics.items.length;
  const document = parseLoadedDocument(file, text, diagnostics);
  if (document && cache && diagnostics.items.length === reported) cache.set(file, document);
  return document;
}

export function parseLoadedDocument(file: string, text: string, diagnostics: DiagnosticBag): LoadedDocument | undefined {
  return parseJsonDocument(file, text) ?? parseYamlQuickly(file, text) ?? parseYamlDocument(file, text, diagnostics);
}

/**
 * YAML read the quick way (`yaml-quick.ts`), or undefined when it cannot promise the YAML
 * reader's data. Positions come from the YAML reader, run when a location's line or column
 * is first read.
 */
export function parseYamlQuickly(file: string, text: string): LoadedDocument | undefined {
  const quick = readYamlQuickly(text);
  if (!quick) return undefined;
  // `false`: the YAML reader rejected what js-yaml read (kept, so it is not read again).
  let positions: LoadedDocument | false | undefined;
  return {
    file,
    text,
    data: quick.data,
    locate(path, target = "value") {
      // Worked out when first read: most locations (of every operation of an API, say) never
      // appear in a diagnostic, and the first costs a full YAML parse.
      let found: SourceLocation | undefined;
      const find = (): SourceLocation => {
        // The YAML reader's own complaints were js-yaml's too, and it answered: none are expected.
        positions ??= parseYamlDocument(file, text, new DiagnosticBag()) ?? false;
        found ??= positions ? positions.locate(path, target) : { file, line: 1, col: 1 };
        return found;
      };
      return {
        file,
        get line() {
          return find().line;
        },
        get col() {
          return find().col;
        },
      };
    },
  };
}

/** JSON read the quick way, or undefined when `json.ts` cannot promise YAML's result. */
export function parseJsonDocument(file: string, text: string): LoadedDocument | undefined {
  const json = readJson(text);
  if (!json) return undefined;
  let lineCounter: LineCounter | undefined;
  return {
    file,
    text,
    data: json.data,
    locate(path, target = "value") {
      // Lines are counted on the first call: many documents are read without one.
      lineCounter ??= countLines(text);
      const { line, col } = lineCounter.linePos(json.offsetOf(path, target));
      return { file, line, col };
    },
  };
}

/** The line starts the YAML parser records: the start of the text and after each line feed. */
function countLines(text: string): LineCounter {
  const counter = new LineCounter();
  counter.addNewLine(0);
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) counter.addNewLine(i + 1);
  return counter;
}

/** The general reader; exported for the test that holds the JSON reader to its results. */
export function parseYamlDocument(file: string, text: string, diagnostics: DiagnosticBag): LoadedDocument | undefined {
  const lineCounter = new LineCounter();
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col };
  };
  // The parser recurses once per nesting level: a document nested hundreds of levels deep
  // exhausts the stack. That is the document's shape, not a syntax error: say so.
  const tooDeep = (error: unknown, offset = 0) => {
    if (!(error instanceof RangeError) && !/Maximum call stack/.test(String((error as Error)?.message))) return false;
    diagnostics.error(
      "too-deep",
      "the document nests too deeply to read",
      at(offset),
      "flatten the structure; arazzo-ts reads documents up to a few hundred levels deep",
    );
    return true;
  };
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    if (tooDeep(error)) return undefined;
    throw error;
  }
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      if (/Maximum call stack/.test(e.message)) tooDeep(new RangeError(e.message), e.pos[0]);
      else diagnostics.error("invalid-yaml", firstLine(e.message), at(e.pos[0]));
    }
    return undefined;
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    if (tooDeep(error)) return undefined;
    diagnostics.error("invalid-yaml", firstLine((error as Error).message), at(0));
    return undefined;
  }
  if (isCyclic(data)) {
    diagnostics.error("invalid-yaml", "an alias refers to a node that contains it; the document is not plain JSON data", at(0));
    return undefined;
  }
  return {
    file,
    text,
    data,
    locate(path, target = "value") {
      let node: unknown = doc.contents;
      let keyNode: unknown;
      for (const segment of path) {
        const next = childOf(node, segment);
        if (!next) break;
        node = next.value;
        keyNode = next.key;
      }
      const chosen = target === "key" && isNode(keyNode) ? keyNode : node;
      return at(isNode(chosen) && chosen.range ? chosen.range[0] : 0);
    },
  };
}

function childOf(node: unknown, segment: string | number): { key?: unknown; value: Node | null } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && scalarValue(p.key) === String(segment));
    return pair ? { key: pair.key, value: (pair.value as Node | null) ?? (pair.key as Node) } : undefined;
  }
  if (isSeq(node) && typeof segment === "number") {
    const item = node.items[segment];
    return isNode(item) ? { value: item } : undefined;
  }
  return undefined;
}

/** Whether a value contains itself (a YAML alias to an enclosing node). */
function isCyclic(value: unknown, ancestors: Set<object> = new Set()): boolean {
  if (value === null || typeof value !== "object") return false;
  if (ancestors.has(value)) return true;
  ancestors.add(value);
  const children = Array.isArray(value) ? value : Object.values(value);
  const cyclic = children.some((child) => isCyclic(child, ancestors));
  ancestors.delete(value);
  return cyclic;
}

function scalarValue(node: unknown): string | undefined {
  return isScalar(node) ? String(node.value) : undefined;
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.trim();
}

/** A JSON Pointer as a data path (numbers for array indexes), e.g. an Ajv `instancePath`: `/workflows/0/steps/1` → `["workflows", 0, "steps", 1]`. */
export function pointerToPath(pointer: string): DataPath {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((t) => (/^(0|[1-9]\d*)$/.test(t) ? Number(t) : t));
}
