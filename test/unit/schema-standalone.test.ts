/**
 * The installed package validates Arazzo documents with Ajv's standalone code of each schema
 * validator, written by `npm run build` (`validate/precompile.ts`); the sources compile the
 * schema instead. Both must say the same of every document: valid or not, with the same
 * errors in the same order. Checked on the specification's 1.1 schema tests (passing and
 * failing), the official examples and every malformed case of the test suite, against each
 * schema and kind.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { afterAll, describe, expect, test } from "vitest";
import { VALIDATORS, standaloneValidatorCode } from "../../generator/validate/precompile.ts";
import { AJV_OPTIONS, validatorSchema } from "../../generator/validate/schema.ts";

const TEST = path.dirname(fileURLToPath(import.meta.url));
// Inside the project, so the code's `require("ajv/dist/runtime/…")` resolves, as it does from dist/.
const dir = mkdtempSync(path.join(TEST, ".out-standalone-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function yamlFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.arazzo\.ya?ml$|arazzo.*\.ya?ml$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

const documents = [
  ...yamlFiles(path.join(TEST, "../fixtures/spec/schema-tests")),
  ...yamlFiles(path.join(TEST, "../fixtures/examples/original")),
  ...yamlFiles(path.join(TEST, "../malformed")),
].flatMap((file) => {
  try {
    return [{ file: path.relative(TEST, file), data: parse(readFileSync(file, "utf8"), { maxAliasCount: 100 }) as unknown }];
  } catch {
    return []; // not YAML the reader takes (the malformed cases have some): nothing to validate
  }
});

describe("precompiled schema validators", () => {
  test("there are documents of both kinds to compare on", () => {
    expect(documents.length).toBeGreaterThan(100);
  });

  for (const [version, kind] of VALIDATORS) {
    test(`Arazzo ${version}, ${kind}: the standalone code says what the compiled schema says`, () => {
      const file = path.join(dir, `arazzo-${version}.${kind}.validator.cjs`);
      writeFileSync(file, standaloneValidatorCode(version, kind));
      const standalone = createRequire(import.meta.url)(file) as ValidateFunction;
      const compiled = new Ajv2020(AJV_OPTIONS).compile(validatorSchema(version, kind));
      let invalid = 0;
      for (const { file: name, data } of documents) {
        const valid = compiled(data);
        if (!valid) invalid++;
        expect(standalone(data), name).toBe(valid);
        expect(standalone.errors, name).toEqual(compiled.errors);
      }
      expect(invalid).toBeGreaterThan(20);
      expect(invalid).toBeLessThan(documents.length);
    });
  }
});
