/**
 * Type tests for the generated seed package (checked by `vitest --typecheck`): inputs
 * narrowed to the API, outputs typed from the response schemas, wrong use rejected.
 */
import { describe, expectTypeOf, test } from "vitest";
import {
  runTokenThenPayment,
  type PisApiComponents,
  type TokenThenPaymentInputs,
  type TokenThenPaymentOptions,
  type TokenThenPaymentOutputs,
} from "../../generated/fintecture-token-then-payment-workflow/dist/index.js";

const inputs = {
  clientId: "id",
  clientSecret: "secret",
  amount: "12.34",
  currency: "EUR",
  communication: "Order 42",
  requestId: "0f8fad5b-d9cb-469f-a165-70867728950e",
} satisfies TokenThenPaymentInputs;

describe("inputs", () => {
  test("are typed from the workflow's JSON Schema and narrowed to the API fields they flow into", () => {
    expectTypeOf<TokenThenPaymentInputs["currency"]>().toEqualTypeOf<"EUR" | "GBP" | "PLN">();
    expectTypeOf<TokenThenPaymentInputs["amount"]>().toEqualTypeOf<string>();
    expectTypeOf<TokenThenPaymentInputs["requestId"]>().toEqualTypeOf<string>();
    expectTypeOf(runTokenThenPayment).parameter(0).toEqualTypeOf<TokenThenPaymentInputs>();
  });

  test("required inputs are required", () => {
    const { currency: _omitted, ...withoutCurrency } = inputs;
    // @ts-expect-error currency is required
    void runTokenThenPayment(withoutCurrency);
  });

  test("a currency the API does not accept does not compile", () => {
    // @ts-expect-error "USD" is not in the PaymentAttributes.currency enum
    void runTokenThenPayment({ ...inputs, currency: "USD" });
  });

  test("an input of the wrong type does not compile", () => {
    // @ts-expect-error amount is a string in both the workflow and the API
    void runTokenThenPayment({ ...inputs, amount: 12.34 });
  });
});

describe("outputs", () => {
  test("are typed from the OpenAPI response schemas", () => {
    expectTypeOf<TokenThenPaymentOutputs["status"]>().toEqualTypeOf<PisApiComponents["schemas"]["Payment"]["status"]>();
    expectTypeOf<NonNullable<TokenThenPaymentOutputs["status"]>>().toEqualTypeOf<
      "payment_created" | "payment_pending" | "payment_initiated" | "payment_completed" | "payment_rejected" | "payment_cancelled" | "payment_failed"
    >();
    // A later step needs these, so the run fails rather than resolve without them.
    expectTypeOf<TokenThenPaymentOutputs["accessToken"]>().toEqualTypeOf<string>();
    expectTypeOf<TokenThenPaymentOutputs["sessionId"]>().toEqualTypeOf<string>();
    // Nothing needs it: typed as the schema says, optional.
    expectTypeOf<TokenThenPaymentOutputs["connectUrl"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf(runTokenThenPayment).returns.resolves.toEqualTypeOf<TokenThenPaymentOutputs>();
  });

  test("reading an output that does not exist does not compile", async () => {
    const outputs = await runTokenThenPayment(inputs);
    // @ts-expect-error the workflow has no `paymentUrl` output
    void outputs.paymentUrl;
  });
});

describe("options", () => {
  test("base URLs are keyed by source description name", () => {
    expectTypeOf<keyof NonNullable<TokenThenPaymentOptions["baseUrls"]>>().toEqualTypeOf<"oauthApi" | "pisApi">();
    // @ts-expect-error `aisApi` is not a source of this workflow
    void runTokenThenPayment(inputs, { baseUrls: { aisApi: "https://example.test" } });
  });
});
