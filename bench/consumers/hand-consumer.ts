/**
 * Type-check benchmark (`bench/run.mjs`, "typecheck"): the hand-written counterpart of
 * `generated-consumer.ts`. The same three requests with openapi-fetch, typed by the
 * openapi-typescript `paths` of the two OpenAPI documents (the generated package's
 * `dist/*.paths.d.ts`, openapi-typescript's output unchanged but for the header), and the
 * same outputs read from the responses.
 */
import createClient from "openapi-fetch";
import type { paths as OauthApiPaths } from "../../generated/fintecture-token-then-payment-workflow/dist/oauth-api.paths.js";
import type { paths as PisApiPaths } from "../../generated/fintecture-token-then-payment-workflow/dist/pis-api.paths.js";

type PaymentStatus = NonNullable<PisApiPaths["/pis/v2/payments/{payment_id}"]["get"]["responses"][200]["content"]["application/json"]["status"]>;

export interface Payment {
  accessToken: string;
  sessionId: string;
  connectUrl: string | undefined;
  status: PaymentStatus | undefined;
}

export async function pay(fetch: (input: Request) => Promise<Response>): Promise<Payment> {
  const oauthApi = createClient<OauthApiPaths>({ baseUrl: "https://api-sandbox.fintecture.com", fetch });
  const pisApi = createClient<PisApiPaths>({ baseUrl: "https://api-sandbox.fintecture.com", fetch });

  const token = await oauthApi.POST("/oauth/accesstoken", {
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: { grant_type: "client_credentials", scope: "PIS", client_id: "id", client_secret: "secret" },
  });
  const accessToken = token.data?.access_token;
  if (token.response.status !== 200 || accessToken === undefined) throw new Error(`mintToken failed (HTTP ${token.response.status})`);

  const connect = await pisApi.POST("/pis/v2/connect", {
    params: { header: { "x-request-id": "r-1" } as PisApiPaths["/pis/v2/connect"]["post"]["parameters"]["header"] },
    headers: { Authorization: `Bearer ${accessToken}` },
    body: {
      meta: {},
      data: { type: "PIS", attributes: { amount: "12.34", currency: "EUR", communication: "Order 1234", payment_method: "immediate_transfer" } },
    },
  });
  const sessionId = connect.data?.meta?.session_id;
  if (connect.response.status !== 200 || sessionId === undefined) throw new Error(`createPayment failed (HTTP ${connect.response.status})`);

  const payment = await pisApi.GET("/pis/v2/payments/{payment_id}", {
    params: { path: { payment_id: sessionId } },
    headers: { Authorization: `Bearer ${accessToken}` },
  });
  if (payment.response.status !== 200) throw new Error(`getPayment failed (HTTP ${payment.response.status})`);
  return { accessToken, sessionId, connectUrl: connect.data?.meta?.url, status: payment.data?.status };
}
