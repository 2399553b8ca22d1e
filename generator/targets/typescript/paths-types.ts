/**
 * The `paths`/`components`/`operations` types of one OpenAPI document, produced by
 * openapi-typescript from the model's `ApiTypeInput` (no second read of the file; `cwd`
 * lets it resolve relative external `$ref`s): only the operations the workflows use and
 * what they reach, or with `allOperations` the whole document; `$ref`s that cannot be
 * followed are placeholders there (reported, as warnings, by `ir/api-types.ts`).
 *
 * `defaultNonNullable: false`: with openapi-typescript's default, every property with a
 * `default` becomes required, in request bodies and parameters too (openapi-typescript
 * issues 1741, 1944, 2012), so a request that leaves such a field out would not compile.
 * `emptyObjectsUnknown: true`: `type: object` with no properties is any object (JSON Schema),
 * `Record<string, unknown>`, not openapi-typescript's default `Record<string, never>`, which
 * no payload could fill and whose fields read as `never`.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import type * as OpenapiTypescript from "openapi-typescript";
import type { OpenAPI3 } from "openapi-typescript";
import type { DiagnosticBag } from "../../diagnostics.ts";
import type { ApiTypeInput } from "../../ir/types.ts";
import { OPENAPI_TS_OPTIONS, WorkerUnavailable, typesOnThread } from "./openapi-typescript-thread.ts";

/**
 * openapi-typescript's CommonJS build, loaded on first use. Its ES module build imports the
 * TypeScript compiler (CommonJS, 9 MB) with `import`, and Node then reads that file twice
 * more before running it, to tell its module format and to find its exports: 350 to 500 ms on
 * Node 20, 80 to 240 ms on Node 22 and 24 (with the compile cache), a fifth of generating a
 * one-workflow package from a large description. Loaded with `require`, the two builds are the
 * same code (openapi-typescript ships both).
 */
let loaded: typeof OpenapiTypescript | undefined;
const openapiTypescript = () => (loaded ??= createRequire(import.meta.url)("openapi-typescript") as typeof OpenapiTypescript);

/**
 * The types, or a diagnostic when openapi-typescript cannot read the document anyway (an
 * external file with broken references, say). On the worker thread when a generation started
 * one (`openapi-typescript-thread.ts`), else in-process, one at a time: it replaces
 * `console.error`/`console.warn` while openapi-typescript runs.
 */
export async function pathsTypes(input: ApiTypeInput, diagnostics: DiagnosticBag): Promise<string | undefined> {
  const cwd = pathToFileURL(input.file);
  try {
    try {
      return await typesOnThread(input.document, cwd);
    } catch (error) {
      if (!(error instanceof WorkerUnavailable)) throw error;
    }
    const run = inProcess.then(() => {
      const { default: openapiTS, astToString } = openapiTypescript();
      return quietly(() => openapiTS(input.document as unknown as OpenAPI3, { ...OPENAPI_TS_OPTIONS, cwd })).then(astToString);
    });
    inProcess = run.catch(() => undefined);
    return await run;
  } catch (error) {
    diagnostics.error("openapi-types", `openapi-typescript cannot read this description: ${firstLine(error)}`, input.location);
    return undefined;
  }
}

let inProcess: Promise<unknown> = Promise.resolve();

/**
 * Runs `work` with `console.error` and `console.warn` silenced: openapi-typescript prints
 * the problems its bundler finds (` ✘  Can't resolve $ref…`) even when `silent`, and then
 * throws the same message, which becomes the diagnostic.
 */
async function quietly<T>(work: () => Promise<T>): Promise<T> {
  const { error, warn } = console;
  console.error = console.warn = () => {};
  try {
    return await work();
  } finally {
    console.error = error;
    console.warn = warn;
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error))
    .split("\n")[0]!
    .replace(/^\s*✘\s*/, "")
    .trim();
}
