/**
 * Type-level conformance: a strict consumer, type-checked with ts-morph against the
 * generated packages' `.d.ts` (they exist only once `generateAll` has run, so this is not a
 * `*.test-d.ts`). Each line fails the check with a TypeScript error when a type is wrong.
 */
import path from "node:path";
import { typeCheckStrictConsumer } from "../helpers/strict-consumer.ts";
import { OUT_DIR } from "./harness.ts";

const CONSUMER = `
import type { EndEarlyOutputs, GotoForwardOutputs } from "./success-actions/dist/index.js";
import { runParams, type ParamsInputs } from "./parameters/dist/index.js";
import type { ShipOrderOutputs, ReadOrderOutputs } from "./honest-outputs/dist/index.js";

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

// An output of a step an \`end\` action can skip may be absent; one of a step every run passes is not.
export const skippable: Equals<EndEarlyOutputs["secondStatus"], number | undefined> = true;
export const alwaysRuns: Equals<EndEarlyOutputs["firstStatus"], number> = true;
// A step a \`goto\` can jump over (its body field is optional anyway).
export const jumpedOver: Equals<GotoForwardOutputs["second"], "pending" | "done" | "failed" | undefined> = true;

// Honest outputs: required by the schema after a status check, pinned by a criterion, or really optional.
export const requiredId: Equals<ShipOrderOutputs["id"], string> = true;
export const pinnedState: Equals<ShipOrderOutputs["state"], "shipped"> = true;
export const optionalNote: Equals<ShipOrderOutputs["note"], string | undefined> = true;
export const nullableTotal: Equals<ShipOrderOutputs["total"], number | null | undefined> = true;
export const nestedRequired: Equals<ShipOrderOutputs["customer"], string> = true;
export const nestedOptional: Equals<ShipOrderOutputs["email"], string | undefined> = true;
export const unchecked: Equals<ReadOrderOutputs["id"], string | undefined> = true;
export const uncheckedState: Equals<ReadOrderOutputs["state"], "pending" | "packed" | "shipped" | "cancelled" | undefined> = true;

// An input declared \`string\` that flows into an enum query parameter is narrowed to the enum.
export const narrowed: Equals<NonNullable<ParamsInputs["color"]>, "red" | "green"> = true;
// @ts-expect-error "blue" is not a value of the \`color\` query parameter
void runParams({ id: "1", q: "", trace: "t", color: "blue" });
`;

/** Type-checks the consumer; returns its diagnostics as `TS<code>: message` (none when every type is as expected). */
export function typeCheckConsumer(): string[] {
  return typeCheckStrictConsumer(path.join(OUT_DIR, "consumer.ts"), CONSUMER);
}
