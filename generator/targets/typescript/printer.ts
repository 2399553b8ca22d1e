/**
 * Prints ts-morph structures (`addFunctions([...])`, `addInterfaces([...])`) to TypeScript
 * text, in memory: two-space indentation, double quotes, trailing commas, LF. What is
 * printed is then formatted (`format.ts`) and type-checked (`compile.ts`).
 */
import { IndentationText, NewLineKind, Project, QuoteKind, type StatementStructures } from "ts-morph";

export interface Printer {
  /** The text of a module made of `statements`, after `leadingTrivia` (its header comment). */
  print(fileName: string, statements: readonly StatementStructures[], leadingTrivia: string): string;
}

export function createPrinter(): Printer {
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: {
      indentationText: IndentationText.TwoSpaces,
      quoteKind: QuoteKind.Double,
      newLineKind: NewLineKind.LineFeed,
      useTrailingCommas: true,
    },
  });
  return {
    print(fileName, statements, leadingTrivia) {
      const file = project.createSourceFile(`/${fileName}`, { statements: [...statements], leadingTrivia }, { overwrite: true });
      const text = file.getFullText();
      project.removeSourceFile(file);
      return text;
    },
  };
}
