/**
 * Maps a position in generated code back to the place in the Arazzo document it came
 * from. Emitters record `{ fragment, location }` as they produce code; once the file is
 * printed and formatted, each fragment is found in the text (the k-th entry with a given
 * fragment owns its k-th occurrence), and a type error is attributed to the smallest
 * fragment around it.
 *
 * The formatter changes layout only, so fragments are matched on a layout-free form of both
 * texts: no whitespace, no trailing `,` or `;` before a closing bracket (which the formatter
 * adds when it breaks a list over lines), no parentheses (it drops those that change
 * nothing, as in `k: (a ?? b)`). Offsets are mapped back to the formatted text.
 */
import type { SourceLocation } from "../../diagnostics.ts";

export interface SourceMapEntry {
  /** Exact text the emitter produced (one line or less). */
  readonly fragment: string;
  readonly location: SourceLocation;
  /** Extra context for the diagnostic, e.g. which API field an input flows into. */
  readonly note?: string;
}

export interface MappedRange {
  readonly start: number;
  readonly end: number;
  readonly entry: SourceMapEntry;
}

export function locateFragments(text: string, entries: readonly SourceMapEntry[]): MappedRange[] {
  const { compact, offsets } = layoutFree(text);
  const nextSearch = new Map<string, number>();
  const ranges: MappedRange[] = [];
  for (const entry of entries) {
    const fragment = layoutFree(entry.fragment).compact;
    if (!fragment) continue;
    const from = nextSearch.get(fragment) ?? 0;
    const start = compact.indexOf(fragment, from);
    if (start < 0) continue;
    nextSearch.set(fragment, start + 1);
    ranges.push({ start: offsets[start]!, end: offsets[start + fragment.length - 1]! + 1, entry });
  }
  return ranges;
}

/**
 * `text` without whitespace, parentheses, and a `,` or `;` that only whitespace separates
 * from a closing bracket, with the offset in `text` of each character kept.
 */
function layoutFree(text: string): { compact: string; offsets: number[] } {
  let compact = "";
  const offsets: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (/[\s()]/.test(c)) continue;
    if ((c === "," || c === ";") && /^\s*[)\]}>]/.test(text.slice(i + 1, i + 200))) continue;
    compact += c;
    offsets.push(i);
  }
  return { compact, offsets };
}

/** The entry whose fragment most tightly encloses `offset`, if any. */
export function entryAt(ranges: readonly MappedRange[], offset: number): SourceMapEntry | undefined {
  let best: MappedRange | undefined;
  for (const r of ranges) {
    if (offset >= r.start && offset <= r.end && (!best || r.end - r.start < best.end - best.start)) best = r;
  }
  return best?.entry;
}
