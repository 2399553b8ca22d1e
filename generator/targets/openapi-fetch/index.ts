/**
 * The openapi-fetch target: a plain npm package with one openapi-fetch client per source
 * and one typed `run<Workflow>` function per workflow (`package.ts` lays it out).
 */
import type { Target } from "../target.ts";
import { createProject } from "../typescript/compile.ts";
import { packageSources } from "./package.ts";

export const openapiFetchTarget: Target = {
  name: "openapi-fetch",
  description: "an npm package of openapi-fetch clients and typed run<Workflow> functions",
  emit(pkg, context) {
    // A project of its own to print ts-morph structures in; the check happens later, in `compile.ts`.
    return packageSources(pkg, context.packageDir, createProject(), context.diagnostics, {
      metadata: context.metadata,
      projectRoot: context.projectRoot,
    });
  },
};
