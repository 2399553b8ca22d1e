/**
 * Maps a position in generated code back to the place in the Arazzo document it came
 * from. Emitters record `{ fragment, location }` as they produce code; once the file is
 * printed, each fragment is found in the text (the k-th entry with a given fragment owns
 * its k-th occurrence), and a type error is attributed to the smallest fragment around it.
 */
import type { SourceLocation } from "../diagnostics.ts";

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
  const nextSearch = new Map<string, number>();
  const ranges: MappedRange[] = [];
  for (const entry of entries) {
    if (!entry.fragment) continue;
    const from = nextSearch.get(entry.fragment) ?? 0;
    const start = text.indexOf(entry.fragment, from);
    if (start < 0) continue;
    nextSearch.set(entry.fragment, start + 1);
    ranges.push({ start, end: start + entry.fragment.length, entry });
  }
  return ranges;
}

/** The entry whose fragment most tightly encloses `offset`, if any. */
export function entryAt(ranges: readonly MappedRange[], offset: number): SourceMapEntry | undefined {
  let best: MappedRange | undefined;
  for (const r of ranges) {
    if (offset >= r.start && offset <= r.end && (!best || r.end - r.start < best.end - best.start)) best = r;
  }
  return best?.entry;
}
