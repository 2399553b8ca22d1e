/**
 * Every document of the real-world corpus generates and type-checks, or is rejected with
 * a located diagnostic that names the rule and the fix; none crashes. See `corpus.ts`.
 */
import { afterAll, describe, expect, test } from "vitest";
import { CORPUS, UPDATE, corpusDocuments, generateCorpusDocument, readExpected, writeExpected } from "./corpus.ts";

const documents = corpusDocuments();
const expected = readExpected();
const results = new Map<string, string>();

// CI always has ../shared beside the clone; a checkout without it skips this file.
if (process.env.CI && documents.length === 0) throw new Error(`the corpus is missing: ${CORPUS}`);

describe.skipIf(documents.length === 0)("real-world corpus", () => {
  afterAll(() => {
    if (UPDATE && results.size === documents.length) writeExpected(results);
  });

  test.each(documents)("%s", async (document) => {
    const { result } = await generateCorpusDocument(document);
    results.set(document, result);
    expect(result).not.toMatch(/internal error/);
    if (result !== "generated") {
      // Located, with a rule code: `file:line:col - error CODE: message`.
      expect(result).toMatch(/^[^:]+:\d+:\d+ - error [\w-]+: /);
    }
    if (!UPDATE) expect(result).toBe(expected.get(document));
  });

  test("at least 92 of the 96 documents generate", () => {
    const generated = [...(UPDATE ? results : expected).values()].filter((r) => r === "generated").length;
    expect(documents.length).toBe(96);
    expect(generated).toBeGreaterThanOrEqual(92);
  });
});
