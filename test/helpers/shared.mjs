/**
 * The one way tests and benchmarks reach `../shared/` (the folder beside the checkout that
 * CI and the project's developers have, and a fresh clone does not). Only the real-world
 * corpus is read from there: what the tests need from the Arazzo specification is vendored
 * in `test/fixtures/spec/` and `test/fixtures/examples/`. `test/unit/shared-paths.test.ts`
 * fails when a test or bench file names `../shared` other than through this module.
 *
 *   import { CORPUS, CORPUS_MISSING } from "../helpers/shared.mjs";
 *   describe.skipIf(!CORPUS)(`the corpus${CORPUS ? "" : ` — skipped: ${CORPUS_MISSING}`}`, …)
 *
 * Under CI (`CI` set) the corpus must be there: importing this module throws when it is
 * not, so every suite that uses it fails instead of being skipped.
 */
import { existsSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
/** `../shared` from the project root, whether or not it is there. */
const SHARED = path.resolve(ROOT, "../shared");
const CORPUS_DIR = path.join(SHARED, "corpus");

/** Why a suite that needs the corpus is skipped (for its title or `skip(note)`). */
export const CORPUS_MISSING = "needs ../shared/corpus beside the checkout; CI has it";

/** Whether this is a CI run: there, nothing that needs `../shared` is skipped. */
export const CI = Boolean(process.env.CI);

/**
 * The real-world corpus (`../shared/corpus/`, with its `index.tsv`), as an absolute path,
 * or undefined when it is not beside the checkout (a fresh clone).
 */
export const CORPUS = existsSync(path.join(CORPUS_DIR, "index.tsv")) ? CORPUS_DIR : undefined;

if (CI && !CORPUS) {
  throw new Error(`the real-world corpus is missing: ${path.join(CORPUS_DIR, "index.tsv")} does not exist, and CI runs every suite (${CORPUS_MISSING})`);
}

/**
 * Says on stderr, once per call, that `what` goes without the corpus and why (vitest prints it
 * under the test file's name, where a skipped test's title is not shown). Does nothing when
 * the corpus is there.
 */
export function warnWithoutCorpus(what) {
  if (!CORPUS) console.warn(`${what}: ${CORPUS_MISSING}`);
}

/** A file of the corpus (`corpusFile("asana/openapi/asana-openapi.yml")`), or undefined without the corpus. */
export function corpusFile(relative) {
  return CORPUS && path.join(CORPUS, relative);
}
