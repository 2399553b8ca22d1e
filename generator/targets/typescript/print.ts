/**
 * The text of a ts-morph source-file structure: exactly what `project.createSourceFile(path,
 * structure).getFullText()` gives, without creating the file. Creating it has TypeScript parse
 * the printed text into a syntax tree that only its text was wanted from: more than half the
 * cost of printing (1,000 workflow modules: ~2.5 s of ~4 s), and garbage.
 *
 * `createSourceFile` prints with the structure printer of the project's context, which ts-morph
 * does not export; it is used through that context (ts-morph is pinned to a minor version). If a
 * ts-morph version has no such printer, the file is created and removed as before.
 */
import type { CodeBlockWriter, OptionalKind, Project, SourceFileStructure } from "ts-morph";

/** ts-morph's internals used here: `Project._context.structurePrinterFactory` (ts-morph 27). */
interface ProjectInternals {
  readonly _context?: {
    readonly structurePrinterFactory?: {
      forSourceFile?(options: { isAmbient: boolean }): { printText(writer: CodeBlockWriter, structure: OptionalKind<SourceFileStructure>): void };
    };
  };
}

export function printSourceFile(project: Project, filePath: string, structure: OptionalKind<SourceFileStructure>): string {
  const printers = (project as unknown as ProjectInternals)._context?.structurePrinterFactory;
  if (typeof printers?.forSourceFile === "function") {
    const writer = project.createWriter();
    printers.forSourceFile({ isAmbient: filePath.endsWith(".d.ts") }).printText(writer, structure);
    return writer.toString();
  }
  const file = project.createSourceFile(filePath, structure, { overwrite: true });
  const text = file.getFullText();
  project.removeSourceFile(file);
  return text;
}
