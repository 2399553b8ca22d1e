/**
 * Run by `npm run build` from `dist/`: writes Ajv's standalone code of each Arazzo schema
 * validator beside the compiled `schema.js`, which then loads it instead of compiling the
 * schema in every process (`schema.ts`). `test/unit/schema-standalone.test.ts` holds the
 * standalone validators to the compiled ones. Writes only when run as a script: from the
 * sources, importing it writes nothing (the sources always compile the schema).
 */
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { AJV_OPTIONS, precompiledFile, validatorSchema, type ArazzoVersion, type ValidatorKind } from "./schema.ts";

export const VALIDATORS: readonly (readonly [ArazzoVersion, ValidatorKind])[] = [
  ["1.0", "full"],
  ["1.0", "withoutUniqueItems"],
  ["1.1", "full"],
  ["1.1", "withoutUniqueItems"],
];

/** Ajv's standalone code (a CommonJS module exporting the validate function) of the validator the sources compile. */
export function standaloneValidatorCode(version: ArazzoVersion, kind: ValidatorKind): string {
  const standaloneCode = (createRequire(import.meta.url)("ajv/dist/standalone") as { default: (ajv: Ajv2020, validate: ValidateFunction) => string }).default;
  const ajv = new Ajv2020({ ...AJV_OPTIONS, code: { source: true } });
  return standaloneCode(ajv, ajv.compile(validatorSchema(version, kind)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [version, kind] of VALIDATORS) writeFileSync(fileURLToPath(precompiledFile(version, kind)), standaloneValidatorCode(version, kind));
}
