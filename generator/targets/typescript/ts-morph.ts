/**
 * ts-morph, loaded with `require`. It is a CommonJS package, and an `import` of one makes
 * Node 20 read its 0.9 MB entry twice more before running it, to tell its module format and to
 * find its exports (about 90 ms of every generation there; nothing measurable on Node 24).
 * Types come from `import type … from "ts-morph"` as usual; values from here.
 */
import { createRequire } from "node:module";
import type * as TsMorph from "ts-morph";

export const tsMorph = createRequire(import.meta.url)("ts-morph") as typeof TsMorph;
/** The TypeScript compiler ts-morph bundles (not the `typescript` package openapi-typescript uses). */
export const ts: typeof TsMorph.ts = tsMorph.ts;
export const { StructureKind } = tsMorph;
