/**
 * Where the generator's own copies of the packages generated code imports are (openapi-fetch,
 * undici, the Restate SDK...): the type-check resolves them there, and `arazzo-ts run` links
 * them beside the packages it generates. Its own module, light to load: `run` looks them up
 * without loading the compiler.
 */
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

/** Packages only some targets' code imports, resolved when installed. */
export const OPTIONAL_PACKAGES = ["@restatedev/restate-sdk", "@restatedev/restate-sdk-clients"];

/** The folder of the generator's copy of package `name`; `undefined` for an optional package that is not installed. */
export function packageFolder(name: string): string | undefined {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch (error) {
    if (OPTIONAL_PACKAGES.includes(name)) return undefined;
    throw error;
  }
}
