/**
 * Run by `npm run build` from `dist/`: writes Ajv's standalone code of each Arazzo schema
 * validator beside the compiled `schema.js`, which then loads it instead of compiling the
 * schema in every process (`schema.ts`). `test/unit/schema-standalone.test.ts` holds the
 * standalone validators to the compiled ones.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { VALIDATORS, precompiledFile, standaloneValidatorCode } from "./schema.ts";

for (const [version, kind] of VALIDATORS) writeFileSync(fileURLToPath(precompiledFile(version, kind)), standaloneValidatorCode(version, kind));
