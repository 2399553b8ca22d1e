/**
 * The official Arazzo 1.0 examples (test/fixtures/examples/README.md): each one either
 * generates, or is rejected with exactly the errors that make it not fit its OpenAPI
 * description; corrected copies generate and their workflow code is snapshot-tested.
 */
import { mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { formatDiagnostic } from "../../generator/diagnostics.ts";
import { generate, type GenerateResult } from "../../generator/generate.ts";

const EXAMPLES = path.resolve(import.meta.dirname, "../fixtures/examples");
const out = mkdtempSync(path.join(EXAMPLES, ".out-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface Example {
  readonly file: string;
  /** `--source` mappings, relative to the examples folder. */
  readonly sources?: Record<string, string>;
  /** Errors it must be rejected with (`file:line:col - error CODE`), or none: it generates. */
  readonly errors: readonly string[];
}

const examples: [string, Example][] = [
  ["ExtendedParametersExample (with the animals.yaml it names)", { file: "original/ExtendedParametersExample.arazzo.yaml", errors: [] }],
  [
    "LoginAndRetrievePets (Petstore passed with --source)",
    { file: "original/LoginAndRetrievePets.arazzo.yaml", sources: { petStoreDescription: "original/petstore.openapi.yaml" }, errors: [] },
  ],
  [
    // `$response.body#/links/self` (line 189) is read from the 201 body, one of the two its
    // criteria accept; `$steps.x.finalizedPaymentPlan` (260) is read as the output it names.
    "bnpl: parameters, outputs and payload fields that do not exist, required fields left out",
    {
      file: "original/bnpl-arazzo.yaml",
      sources: { BnplApi: "original/bnpl-openapi.yaml" },
      errors: [
        "bnpl-arazzo.yaml:133:25 - error unknown-field",
        "bnpl-arazzo.yaml:195:16 - error missing-required-field",
        "bnpl-arazzo.yaml:229:9 - error unknown-parameter",
        "bnpl-arazzo.yaml:242:16 - error unknown-output",
        "bnpl-arazzo.yaml:253:16 - error unknown-output",
        "bnpl-arazzo.yaml:256:16 - error missing-required-field",
        "bnpl-arazzo.yaml:256:32 - error unknown-field",
      ],
    },
  ],
  [
    "FAPI-PAR: a claims object sent as the client_assertion string",
    {
      file: "original/FAPI-PAR.arazzo.yaml",
      errors: ["FAPI-PAR.arazzo.yaml:110:13 - error TS2322", "FAPI-PAR.arazzo.yaml:147:13 - error TS2322", "FAPI-PAR.arazzo.yaml:151:20 - error TS2322"],
    },
  ],
  [
    // Its undocumented `code` (a 302 with no body schema) sent on as a typed form field is read
    // as that field's type (a leniency), so the refresh request is all that is wrong.
    "oauth: a refresh_token field the token request does not have, and no client_id, which it requires",
    { file: "original/oauth.arazzo.yaml", errors: ["oauth.arazzo.yaml:60:13 - error missing-required-field", "oauth.arazzo.yaml:61:28 - error unknown-field"] },
  ],
  [
    "pet-coupons: parameter names the operations do not have",
    {
      file: "original/pet-coupons.arazzo.yaml",
      errors: ["pet-coupons.arazzo.yaml:26:13 - error unknown-parameter", "pet-coupons.arazzo.yaml:40:13 - error unknown-parameter"],
    },
  ],
  ["pet-coupons, corrected", { file: "corrected/pet-coupons.arazzo.yaml", errors: [] }],
  ["oauth, corrected", { file: "corrected/oauth.arazzo.yaml", errors: [] }],
];

async function run(example: Example, write: boolean): Promise<GenerateResult> {
  const sources = Object.fromEntries(Object.entries(example.sources ?? {}).map(([name, file]) => [name, path.join(EXAMPLES, file)]));
  return generate({ inputs: [path.join(EXAMPLES, example.file)], outDir: out, write, sources });
}

describe("official Arazzo examples", () => {
  for (const [name, example] of examples) {
    test(name, async () => {
      const result = await run(example, false);
      const errors = result.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d, path.dirname(path.join(EXAMPLES, example.file))));
      expect([...new Set(errors.map((e) => /^\S+ - error \S+?(?=:)/.exec(e)?.[0] ?? e))]).toEqual([...new Set(example.errors)]);
      expect(result.ok).toBe(example.errors.length === 0);
      if (!result.ok) return;
      // The generated workflow code, for review in diffs: a change to code generation shows here.
      for (const pkg of result.packages) {
        for (const file of pkg.files.filter(
          (f) => f.path.startsWith("src/") && !/(paths|client|runtime.*|mocks.*|response-validators)\.ts$|index\.ts$/.test(f.path),
        )) {
          await expect(file.text).toMatchFileSnapshot(`__snapshots__/examples/${pkg.name}/${path.basename(file.path)}`);
        }
      }
    });
  }
});
