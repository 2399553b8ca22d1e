/**
 * The real-world corpus (`../shared/corpus/`, beside the project): 96 Arazzo documents
 * that other people wrote for five public APIs, with the OpenAPI documents they name,
 * unchanged. Each document's result is pinned in `expected.tsv`: `generated`, or the
 * exact first error it is rejected with (`file:line:col - error CODE: message`, paths
 * relative to the corpus).
 *
 * Regenerate the pins after a deliberate change, then review the diff:
 *
 *     UPDATE_CORPUS=1 npx vitest run test/corpus
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { formatDiagnostic } from "../../generator/diagnostics.ts";
import { generate } from "../../generator/generate.ts";
import { CORPUS } from "../helpers/shared.mjs";

export { CORPUS, CORPUS_MISSING, warnWithoutCorpus } from "../helpers/shared.mjs";
const EXPECTED = path.join(import.meta.dirname, "expected.tsv");
export const UPDATE = process.env.UPDATE_CORPUS === "1";

/** Documents listed in the corpus index, as paths relative to the corpus (`asana/arazzo/x.yml`); none without the corpus. */
export function corpusDocuments(): string[] {
  if (!CORPUS) return [];
  const rows = readFileSync(path.join(CORPUS, "index.tsv"), "utf8").trim().split("\n").slice(1);
  return rows.map((row) => {
    const [repo, , arazzo] = row.split("\t");
    return `${repo!.split("/")[1]}/${arazzo}`;
  });
}

export interface CorpusResult {
  /** The written package, when it generated. */
  readonly packageDir?: string;
  /** `generated`, or the first error line. */
  readonly result: string;
  readonly errors: number;
  readonly warnings: number;
}

/** Generated packages go inside the repo (git-ignored), so Node resolves `openapi-fetch` & co. from its node_modules. */
export const OUT_DIR = path.join(import.meta.dirname, ".out");

export async function generateCorpusDocument(document: string): Promise<CorpusResult> {
  if (!CORPUS) throw new Error("the real-world corpus is not beside the checkout");
  const result = await generate({ inputs: [path.join(CORPUS, document)], outDir: OUT_DIR });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  return {
    packageDir: result.packages[0]?.dir,
    result: result.ok ? "generated" : formatDiagnostic(errors[0]!, CORPUS).split("\n")[0]!,
    errors: errors.length,
    warnings: result.diagnostics.length - errors.length,
  };
}

export function readExpected(): Map<string, string> {
  if (!existsSync(EXPECTED)) return new Map();
  return new Map(
    readFileSync(EXPECTED, "utf8")
      .split("\n")
      .filter((line) => line && !line.startsWith("#"))
      .map((line) => line.split("\t") as [string, string]),
  );
}

export function writeExpected(results: ReadonlyMap<string, string>): void {
  const lines = [...results].sort(([a], [b]) => a.localeCompare(b)).map(([doc, result]) => `${doc}\t${result}`);
  writeFileSync(EXPECTED, `# document\tresult (generated, or the first error); see corpus.ts\n${lines.join("\n")}\n`);
}
