/**
 * Type-check benchmark (`bench/run.mjs`, "typecheck"): a small consumer of the generated
 * seed package. It calls `runTokenThenPayment` and reads every output. Its counterpart,
 * `hand-consumer.ts`, makes the same three calls by hand with openapi-fetch.
 */
import { ArazzoStepError, runTokenThenPayment, type TokenThenPaymentOutputs } from "../../generated/fintecture-token-then-payment-workflow/dist/index.js";

export interface Payment {
  accessToken: string;
  sessionId: string;
  connectUrl: string | undefined;
  status: TokenThenPaymentOutputs["status"];
}

export async function pay(fetch: (input: Request) => Promise<Response>): Promise<Payment> {
  try {
    const outputs = await runTokenThenPayment(
      { clientId: "id", clientSecret: "secret", amount: "12.34", currency: "EUR", communication: "Order 1234", requestId: "r-1" },
      { baseUrls: { oauthApi: "https://api-sandbox.fintecture.com", pisApi: "https://api-sandbox.fintecture.com" }, fetch },
    );
    return { accessToken: outputs.accessToken, sessionId: outputs.sessionId, connectUrl: outputs.connectUrl, status: outputs.status };
  } catch (error) {
    if (error instanceof ArazzoStepError) console.error(error.stepId, error.status);
    throw error;
  }
}
