/**
 * Mutation fuzzing (issue 22): real documents broken at random (`mutations.ts`: keys removed,
 * values replaced by hostile or wrongly typed ones, references broken, gotos redirected,
 * expressions broken, sometimes their OpenAPI documents mutated too) must give located
 * diagnostics from `validate()`, never an internal error. A fixed seed and a bounded count
 * here; `node bench/fuzz.mjs` runs 10,000 and more (BENCHMARKS.md, "Mutation fuzzing").
 *
 * The documents: Fintecture, `specs/examples/`, `test/fixtures/`, and `../shared/corpus/`
 * when it is beside the checkout (always in CI), each at most 1 MB with its sources (the
 * 2 MB provider documents are in the long run only). The few cases that validate are also
 * generated in memory (emit and type-check), up to `GENERATE`.
 *
 * `FUZZ_COUNT=<n>` and `FUZZ_SEED=<n>` run other cases. A failure names its case; reproduce
 * it with `node bench/fuzz.mjs --set small --seed <seed> --case <index> --keep`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { CORPUS_MISSING, checkCase, describeCase, makeCase, seedDocuments, warnWithoutCorpus } from "./mutations.ts";

const SEED = Number(process.env.FUZZ_SEED ?? 2209);
const COUNT = Number(process.env.FUZZ_COUNT ?? 400);
/** How many cases that validate are also generated in memory (each a type-check, about a second). */
const GENERATE = 3;

const seeds = seedDocuments({ maxBytes: 1_000_000 });
const withCorpus = seeds.some((s) => s.label.startsWith("corpus/"));
// The corpus is used when it is beside the checkout; under CI it always is (the helper throws otherwise).
warnWithoutCorpus("the mutated documents leave out the real-world corpus");

const ROOT = mkdtempSync(path.join(tmpdir(), "arazzo-ts-mutated-"));
afterAll(() => rmSync(ROOT, { recursive: true, force: true }));

describe("mutated real documents", () => {
  test("the seed documents are there", () => {
    expect(seeds.filter((s) => s.label.startsWith("fintecture/")).length).toBe(13);
    expect(seeds.length).toBeGreaterThanOrEqual(withCorpus ? 100 : 30);
  });

  test(`${COUNT} mutated documents (seed ${SEED}${withCorpus ? ", corpus included" : `, no corpus: ${CORPUS_MISSING}`}): validate() resolves, every diagnostic located`, async () => {
    const failures: string[] = [];
    let generated = 0;
    let valid = 0;
    for (let index = 0; index < COUNT; index++) {
      const c = makeCase(seeds, SEED, index);
      const dir = path.join(ROOT, `case-${index}`);
      const result = await checkCase(c, dir, { generate: generated < GENERATE });
      if (result.generated) generated++;
      if (result.valid) valid++;
      if (result.failures.length) failures.push(describeCase(c, result.failures));
      rmSync(dir, { recursive: true, force: true });
    }
    expect(failures, `reproduce: node bench/fuzz.mjs --set small --seed ${SEED} --case <index> --keep`).toEqual([]);
    // The mutations leave some documents valid, so the later stages and generation are reached too.
    expect(valid).toBeGreaterThan(COUNT / 20);
    expect(generated).toBe(GENERATE);
  }, 180_000);
});
