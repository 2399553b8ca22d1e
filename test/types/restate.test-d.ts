/**
 * Type tests for the restate target's seed package (`generated/restate/…`, checked by
 * `vitest --typecheck`): the Restate workflow's `run` handler and the typed ingress client take
 * and give exactly the types of the plain package's `runTokenThenPayment`, and wrong use of
 * them does not compile.
 */
import type { Workflow } from "@restatedev/restate-sdk";
import type * as clients from "@restatedev/restate-sdk-clients";
import { describe, expectTypeOf, test } from "vitest";
import type {
  runTokenThenPayment,
  TokenThenPaymentInputs,
  TokenThenPaymentOutputs,
} from "../../generated/fintecture-token-then-payment-workflow/dist/index.js";
import {
  type TokenThenPaymentService,
  type TokenThenPaymentServiceOptions,
  tokenThenPaymentWorkflow,
} from "../../generated/restate/fintecture-token-then-payment-workflow/dist/restate.js";
import { attachTokenThenPayment, startTokenThenPayment } from "../../generated/restate/fintecture-token-then-payment-workflow/dist/restate-client.js";

/** The handlers of the seed's Restate workflow, as Restate's clients see them. */
type Handlers = Workflow<TokenThenPaymentService>;

declare const ingress: clients.Ingress;
const inputs = {
  clientId: "id",
  clientSecret: "secret",
  amount: "12.34",
  currency: "EUR",
  communication: "Order 42",
  requestId: "0f8fad5b-d9cb-469f-a165-70867728950e",
} satisfies TokenThenPaymentInputs;

describe("the Restate workflow of the seed", () => {
  test("its run handler takes and gives the types of runTokenThenPayment", () => {
    expectTypeOf<Parameters<Handlers["run"]>[1]>().toEqualTypeOf<Parameters<typeof runTokenThenPayment>[0]>();
    expectTypeOf<Parameters<Handlers["run"]>[1]>().toEqualTypeOf<TokenThenPaymentInputs>();
    expectTypeOf<Awaited<ReturnType<Handlers["run"]>>>().toEqualTypeOf<Awaited<ReturnType<typeof runTokenThenPayment>>>();
    expectTypeOf<Awaited<ReturnType<Handlers["run"]>>>().toEqualTypeOf<TokenThenPaymentOutputs>();
  });

  test("rerunSteps names steps of the workflow only", () => {
    tokenThenPaymentWorkflow({ rerunSteps: ["mintToken"] });
    // @ts-expect-error no step `mintTokens`
    tokenThenPaymentWorkflow({ rerunSteps: ["mintTokens"] });
    expectTypeOf<NonNullable<TokenThenPaymentServiceOptions["rerunSteps"]>[number]>().toEqualTypeOf<"mintToken" | "createPayment" | "getPayment">();
  });

  test("its options are the run options, without the signal (Restate's)", () => {
    tokenThenPaymentWorkflow({ baseUrls: { oauthApi: "http://localhost:1", pisApi: "http://localhost:2" }, pollDelayMs: 1_000 });
    // @ts-expect-error no source description `oauth`
    tokenThenPaymentWorkflow({ baseUrls: { oauth: "http://localhost:1" } });
    // @ts-expect-error the signal is Restate's
    tokenThenPaymentWorkflow({ signal: AbortSignal.timeout(1) });
  });
});

describe("the typed ingress client", () => {
  test("starts with the workflow's inputs and awaits its outputs", async () => {
    const run = await startTokenThenPayment(ingress, "order-42", inputs);
    expectTypeOf(run.output).returns.resolves.toEqualTypeOf<TokenThenPaymentOutputs>();
    expectTypeOf(attachTokenThenPayment).returns.resolves.toEqualTypeOf<TokenThenPaymentOutputs>();
    expectTypeOf(startTokenThenPayment).parameter(2).toEqualTypeOf<TokenThenPaymentInputs>();
  });

  test("wrong inputs do not compile", async () => {
    // @ts-expect-error "USD" is not a currency the API accepts
    await startTokenThenPayment(ingress, "order-42", { ...inputs, currency: "USD" });
    const { clientSecret: _omitted, ...withoutSecret } = inputs;
    // @ts-expect-error clientSecret is required
    await startTokenThenPayment(ingress, "order-42", withoutSecret);
  });
});
