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
import { runBasic, runCodeOnly, runCombined, runEither, runKeys, runReadItems, runStepSupplied, type ApiCredentials } from "./credentials/dist/index.js";
import { runBare, runRegional } from "./servers/dist/index.js";
import { runStripeCharge, type StripeChargeInputs } from "./form-bodies/dist/index.js";
import type { PlaceOrderOutputs } from "./other-runners/dist/index.js";
import type { ReadLabelOutputs } from "./json-body-any-type/dist/index.js";

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

// Credentials (issue 20). A workflow whose operations need credentials its steps do not send
// does not compile without them: the options are required, and so is each scheme.
// @ts-expect-error the options, which carry the credentials, are required
void runKeys({});
// @ts-expect-error \`auth\` is required
void runKeys({}, {});
// @ts-expect-error \`apiKeyCookie\` is missing
void runKeys({}, { auth: { api: { apiKeyHeader: "k", apiKeyQuery: "q" } } });
void runKeys({}, { auth: { api: { apiKeyHeader: "k", apiKeyQuery: () => "q", apiKeyCookie: async () => "c" } } });
// @ts-expect-error an API key is a string, or a function that gives one
void runKeys({}, { auth: { api: { apiKeyHeader: 1, apiKeyQuery: "q", apiKeyCookie: "c" } } });
// HTTP Basic takes a user name and a password.
// @ts-expect-error \`password\` is missing
void runBasic({}, { auth: { api: { basicAuth: { username: "u" } } } });
// @ts-expect-error a token is not Basic credentials
void runBasic({}, { auth: { api: { basicAuth: "token" } } });
void runBasic({}, { auth: { api: { basicAuth: { username: "u", password: "p" } } } });
// Alternatives: any one complete alternative type-checks.
void runEither({}, { auth: { api: { bearerAuth: "b" } } });
void runEither({}, { auth: { api: { apiKeyHeader: () => Promise.resolve("k") } } });
// @ts-expect-error neither alternative is given
void runEither({}, { auth: { api: { basicAuth: { username: "u", password: "p" } } } });
// Both schemes of one requirement, with the alternatives and the declared Authorization of the others.
void runCombined({}, { auth: { api: { apiKeyHeader: "k", basicAuth: { username: "u", password: "p" }, bearerAuth: "b" } } });
// @ts-expect-error \`basicAuth\` goes with \`apiKeyHeader\` for \`GET /both\`
void runCombined({}, { auth: { api: { apiKeyHeader: "k", bearerAuth: "b" } } });
// OAuth2 with a client credentials flow takes a client (or a token); without one, only a token.
void runReadItems({}, { auth: { api: { oauth: { clientId: "id", clientSecret: "secret", scopes: ["items:read"] } } } });
void runReadItems({}, { auth: { api: { oauth: async () => "token" } } });
// @ts-expect-error \`clientSecret\` is missing
void runReadItems({}, { auth: { api: { oauth: { clientId: "id" } } } });
// @ts-expect-error the description gives \`codeOnly\` no client credentials flow
void runCodeOnly({}, { auth: { api: { codeOnly: { clientId: "id", clientSecret: "secret" } } } });
// A step that sends its own token needs none; credentials may still be given.
void runStepSupplied({ token: "t" });
void runStepSupplied({ token: "t" }, { auth: { api: { bearerAuth: "b" } } });
// The credentials type names every scheme the client's operations use.
export const schemes: Equals<keyof ApiCredentials, "apiKeyHeader" | "apiKeyQuery" | "apiKeyCookie" | "appId" | "basicAuth" | "bearerAuth" | "tokenAuth" | "oauth" | "oidc" | "otherIdp" | "realm" | "codeOnly"> = true;

// Servers: variables typed from the description (an enum is a union), a server by index or URL.
void runRegional({ id: "1" }, { servers: { regional: { variables: { region: "us", version: "v9" } } } });
void runRegional({ id: "1" }, { servers: { regional: { server: "https://sandbox.example.test" } } });
// @ts-expect-error "ap" is not a value of variable \`region\`
void runRegional({ id: "1" }, { servers: { regional: { variables: { region: "ap" } } } });
// @ts-expect-error the description lists two servers
void runRegional({ id: "1" }, { servers: { regional: { server: 2 } } });
// @ts-expect-error the sandbox server has no variables
void runRegional({ id: "1" }, { servers: { regional: { server: 1, variables: { region: "us" } } } });
// A workflow that calls no secured operation takes no credentials.
// @ts-expect-error no \`auth\` option
void runBare({}, { baseUrls: { bare: "https://x.test" }, auth: {} });

// Form bodies: a field written in bracket notation (\`shipping[method]\`) is typed as the nested field it names.
export const bracketField: Equals<StripeChargeInputs["method"], "standard" | "express"> = true;
// @ts-expect-error "teleport" is not a value of \`shipping.method\`
void runStripeCharge({ orderId: "o", quantity: 1, city: "c", method: "teleport" });

// Two success statuses with different bodies, read as one: a field both require is there, one only one has may be absent.
export const inEveryBody: Equals<PlaceOrderOutputs["id"], string> = true;
export const inOneBody: Equals<PlaceOrderOutputs["existing"], boolean | undefined> = true;
// A body documented as text is text whole, even when the response says it is JSON (its pointers read that JSON).
export const wholeTextBody: Equals<ReadLabelOutputs["raw"], string | undefined> = true;
`;

/** Type-checks the consumer; returns its diagnostics as `TS<code>: message` (none when every type is as expected). */
export function typeCheckConsumer(): string[] {
  return typeCheckStrictConsumer(path.join(OUT_DIR, "consumer.ts"), CONSUMER);
}
