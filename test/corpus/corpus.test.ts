/**
 * Every document of the real-world corpus generates and type-checks, or is rejected with
 * a located diagnostic that names the rule and the fix; none crashes. See `corpus.ts`.
 * Every workflow of every package that generates runs to the end on the package's own
 * mocks with its example inputs (issue 12).
 */
import { afterAll, describe, expect, test } from "vitest";
import { loadPackage } from "../helpers/generated-package.ts";
import { CORPUS, CORPUS_MISSING, UPDATE, corpusDocuments, generateCorpusDocument, readExpected, writeExpected, warnWithoutCorpus } from "./corpus.ts";

const documents = corpusDocuments();
const expected = readExpected();
const results = new Map<string, string>();

// A checkout without the corpus skips this file, saying why; under CI the helper throws instead.
warnWithoutCorpus("the real-world corpus suite (test/corpus/) is skipped");
describe.skipIf(!CORPUS)(CORPUS ? "real-world corpus" : `real-world corpus — skipped: ${CORPUS_MISSING}`, () => {
  afterAll(() => {
    if (UPDATE && results.size === documents.length) writeExpected(results);
  });

  test.each(documents)("%s", async (document) => {
    const { result, packageDir } = await generateCorpusDocument(document);
    results.set(document, result);
    if (packageDir) {
      const { mocks, runner } = await loadPackage(packageDir);
      for (const [id, inputs] of Object.entries(mocks.exampleInputs)) {
        const fetch = mocks.createMockFetch();
        // With credentials for every scheme (issue 20): each request carries those its operation needs, recorded by name only.
        await expect(runner(id)(inputs, { fetch, auth: mocks.exampleAuth }), `${id} on its mocks`).resolves.toBeTypeOf("object");
        expect(JSON.stringify(fetch.requests), `${id}: no credential value in the mock's records`).not.toMatch(
          /mock-(credential|password|client-secret|access-token)/,
        );
      }
    }
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
