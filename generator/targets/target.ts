/**
 * What every target produces. A target turns the IR (`ir/types.ts`) into the files of one
 * package; each target owns naming and layout in its output.
 */
import type { SourceMapEntry } from "./typescript/source-map.ts";

/** One generated file: `path` is relative to the package directory, with `/` separators. */
export interface GeneratedFile {
  readonly path: string;
  readonly text: string;
  /** For workflow modules: where their code came from in the Arazzo document. */
  readonly sourceMap?: readonly SourceMapEntry[];
}
