/**
 * The quick way to read a JSON file with positions: `JSON.parse` for the data, and one pass
 * over the text that records where each object and array starts and ends; an object's or
 * array's members are listed the first time `locate` goes through it. A YAML tree of a 10 MB
 * description takes seconds and hundreds of MB; this takes tens of milliseconds, and keeps
 * the text and eight bytes per object and array.
 *
 * It answers only when the result is certainly the one the YAML reader (`document.ts`) gives
 * (the same data, the same offsets), and otherwise returns undefined so that reader runs, with
 * its diagnostics: text `JSON.parse` rejects, duplicate keys (YAML reports them, `JSON.parse`
 * keeps the last), nesting deeper than {@link MAX_DEPTH} (YAML may run out of stack), an
 * integer longer than 15 digits (YAML's `parseInt` and `JSON.parse` may round differently), and
 * the characters YAML reads differently or may reject: a CR that does not end a line, a byte
 * order mark, DEL, C1 controls, U+2028 and U+2029. `test/unit/document.test.ts` holds both
 * readers to the same data and offsets on generated documents.
 */

/** Nesting depth up to which the YAML reader is known to have stack to spare (it fails near 1,000). */
const MAX_DEPTH = 200;

/** A property name or array index, like a JSON Pointer's tokens (`DataPath` in `document.ts`). */
type Segment = string | number;

export interface JsonText {
  readonly data: unknown;
  /**
   * The offset of the value at `path` (of its key with `"key"`, for an object member), or of
   * the deepest value on the path that exists, as the YAML reader's `locate` finds it.
   */
  offsetOf(path: readonly Segment[], target: "key" | "value"): number;
}

/** `text` read as JSON, or undefined when the YAML reader must read it (see the header). */
export function readJson(text: string): JsonText | undefined {
  const start = skipSpace(text, 0);
  const first = text.charCodeAt(start);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) return undefined;
  if (/[\u007f-\u009f\u2028\u2029\ufeff]|\r(?!\n)/.test(text)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  const shape = scan(text);
  if (!shape || shape.members !== countKeys(data)) return undefined;
  return { data, offsetOf: positions(text, start, shape) };
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;

/**
 * What one pass over valid JSON `text` finds: the number of object members (its colons outside
 * strings), and where each object and array starts and ends (`starts` ascending), for `locate`
 * to step over a value without reading it again.
 */
interface Shape {
  readonly members: number;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

/** The {@link Shape} of `text`, or undefined when it nests deeper than {@link MAX_DEPTH} or has an integer of more than 15 digits. */
function scan(text: string): Shape | undefined {
  let members = 0;
  let digits = 0;
  let integer = true;
  let starts = new Int32Array(1024);
  let ends = new Int32Array(1024);
  let containers = 0;
  const open: number[] = []; // indexes of the containers not closed yet
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      digits++;
      continue;
    }
    if (digits > 15 && integer) return undefined;
    if (c === 0x2e || c === 0x65 || c === 0x45) {
      integer = false; // `.`, `e`, `E`: only ever inside a number outside strings
      continue;
    }
    digits = 0;
    integer = true;
    if (c === QUOTE) i = stringEnd(text, i);
    else if (c === COLON) members++;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (open.length === MAX_DEPTH) return undefined;
      if (containers === starts.length) {
        starts = grow(starts);
        ends = grow(ends);
      }
      starts[containers] = i;
      open.push(containers++);
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) ends[open.pop()!] = i + 1;
  }
  if (digits > 15 && integer) return undefined;
  return { members, starts: starts.subarray(0, containers), ends: ends.subarray(0, containers) };
}

function grow(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(array.length * 2);
  grown.set(array);
  return grown;
}

/** The number of keys of every object in `value`; less than the members in the text when a key repeats. */
function countKeys(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) count += countKeys(item);
    return count;
  }
  for (const key of Object.keys(value)) count += 1 + countKeys((value as Record<string, unknown>)[key]);
  return count;
}

/** An object's members by name (key and value offsets), or an array's item offsets. */
type Members = Map<string, readonly [key: number, value: number]> | number[];

/** `offsetOf` for valid JSON `text` whose root value starts at `root`. */
function positions(text: string, root: number, shape: Shape): JsonText["offsetOf"] {
  const listed = new Map<number, Members>();
  /** The offset just after the value that starts at `i`. */
  const valueEnd = (i: number): number => {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return stringEnd(text, i) + 1;
    if (c === OPEN_BRACE || c === OPEN_BRACKET) return shape.ends[containerAt(shape.starts, i)]!;
    let j = i;
    while (j < text.length && !isDelimiter(text.charCodeAt(j))) j++;
    return j;
  };
  const membersAt = (offset: number): Members | undefined => {
    const c = text.charCodeAt(offset);
    if (c !== OPEN_BRACE && c !== OPEN_BRACKET) return undefined;
    let members = listed.get(offset);
    if (!members) {
      members = c === OPEN_BRACE ? objectMembers(text, offset, valueEnd) : arrayItems(text, offset, valueEnd);
      listed.set(offset, members);
    }
    return members;
  };
  return (path, target) => {
    let value = root;
    let key: number | undefined;
    for (const segment of path) {
      const members = membersAt(value);
      if (!members) break;
      if (Array.isArray(members)) {
        // Like the YAML reader: only a number indexes an array.
        const item = typeof segment === "number" ? members[segment] : undefined;
        if (item === undefined) break;
        value = item;
        key = undefined;
      } else {
        const member = members.get(String(segment));
        if (!member) break;
        [key, value] = member;
      }
    }
    return target === "key" && key !== undefined ? key : value;
  };
}

/** The index in `starts` (ascending) of `offset`, which is there. */
function containerAt(starts: Int32Array, offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (starts[mid]! < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

function objectMembers(text: string, open: number, valueEnd: (i: number) => number): Members {
  const members = new Map<string, readonly [number, number]>();
  let i = skipSpace(text, open + 1);
  while (text.charCodeAt(i) === QUOTE) {
    const keyEnd = stringEnd(text, i);
    const raw = text.slice(i + 1, keyEnd);
    const name = raw.includes("\\") ? (JSON.parse(text.slice(i, keyEnd + 1)) as string) : raw;
    const value = skipSpace(text, skipSpace(text, keyEnd + 1) + 1); // past the colon
    members.set(name, [i, value]);
    i = skipSpace(text, valueEnd(value));
    if (text.charCodeAt(i) !== COMMA) break;
    i = skipSpace(text, i + 1);
  }
  return members;
}

function arrayItems(text: string, open: number, valueEnd: (i: number) => number): number[] {
  const items: number[] = [];
  let i = skipSpace(text, open + 1);
  if (text.charCodeAt(i) === CLOSE_BRACKET) return items;
  for (;;) {
    items.push(i);
    i = skipSpace(text, valueEnd(i));
    if (text.charCodeAt(i) !== COMMA) return items;
    i = skipSpace(text, i + 1);
  }
}

/** The offset of the quote that closes the string opening at `open`. */
function stringEnd(text: string, open: number): number {
  let from = open + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    from = quote + 1;
  }
}

function isDelimiter(c: number): boolean {
  return c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}
