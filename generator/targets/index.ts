/**
 * The targets generation can emit, by the name users choose them with. Adding one is a
 * folder under `targets/` with a `Target` and a row here.
 */
import { openapiFetchTarget } from "./openapi-fetch/index.ts";
import { restateTarget } from "./restate/index.ts";
import type { Target } from "./target.ts";

export const TARGETS: ReadonlyMap<string, Target> = new Map([
  [openapiFetchTarget.name, openapiFetchTarget],
  [restateTarget.name, restateTarget],
]);

export const DEFAULT_TARGET = openapiFetchTarget.name;
