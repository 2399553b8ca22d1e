/**
 * One scenario per Fintecture Arazzo workflow (`specs/fintecture/arazzo/`), run against the
 * generic OpenAPI mock (`openapi-mock.ts`) by `test/e2e/fintecture-workflows.test.ts` and by
 * `npm run demo -- <workflowId>`.
 *
 * A scenario holds the inputs (sandbox-looking values), the mock overrides that make the
 * workflow take its interesting path (polls that reach a terminal status, a payment that is
 * refundable or editable…), and what should happen: the requests (`METHOD /path?query`, query
 * decoded) and the outputs. `variants` cover the other branches: a failure status that takes
 * the `goto` to the failure-reporting step, a status that never becomes terminal (stopped by
 * `maxSteps`), a payment that is not refundable or no longer editable.
 *
 * Ids the workflows pass along (`session-0001`, `customer-0001`…) come from the mock's
 * counters, so a fresh mock always answers with the same ones.
 *
 * Each scenario is written against the generated package's own types (`<Name>Inputs`,
 * `<Name>Outputs`), so an input or expected output the API does not allow does not compile.
 */
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { Middleware } from "openapi-fetch";
import type { MockOverride, MockReply, OverrideContext, RecordedRequest } from "./openapi-mock.ts";
import * as accountHoldersIdentity from "../../generated/fintecture-account-holders-identity-workflow/dist/index.js";
import * as connectAccountsTransactions from "../../generated/fintecture-connect-accounts-transactions-workflow/dist/index.js";
import * as customerOnboardPayment from "../../generated/fintecture-customer-onboard-payment-workflow/dist/index.js";
import * as customerVerificationPoll from "../../generated/fintecture-customer-verification-poll-workflow/dist/index.js";
import * as decoupledAuthAccounts from "../../generated/fintecture-decoupled-auth-accounts-workflow/dist/index.js";
import * as listProvidersInitiatePayment from "../../generated/fintecture-list-providers-initiate-payment-workflow/dist/index.js";
import * as paymentRefund from "../../generated/fintecture-payment-refund-workflow/dist/index.js";
import * as paymentStatusPoll from "../../generated/fintecture-payment-status-poll-workflow/dist/index.js";
import * as requestToPayStatus from "../../generated/fintecture-request-to-pay-status-workflow/dist/index.js";
import * as sandboxTestPayment from "../../generated/fintecture-sandbox-test-payment-workflow/dist/index.js";
import * as settlementReconciliation from "../../generated/fintecture-settlement-reconciliation-workflow/dist/index.js";
import * as tokenThenPayment from "../../generated/fintecture-token-then-payment-workflow/dist/index.js";
import * as updatePaymentCommunication from "../../generated/fintecture-update-payment-communication-workflow/dist/index.js";

/** The first `servers` entry of every Fintecture OpenAPI document. */
export const FINTECTURE_BASE_URL = "https://api.fintecture.com";

const openapi = (api: string): string => fileURLToPath(new URL(`../../specs/fintecture/openapi/fintecture-${api}-api-openapi.yml`, import.meta.url));

/** The options every scenario run passes (a subset of each workflow's `RunOptions`). */
export interface ScenarioRunOptions {
  fetch: (input: Request) => Promise<Response>;
  middleware?: readonly Middleware[];
  maxSteps?: number;
  signal?: AbortSignal;
}

/** One way a workflow can go: the mock's overrides and what should happen. */
export interface ScenarioCase<Outputs = Readonly<Record<string, unknown>>> {
  name: string;
  overrides: Readonly<Record<string, MockOverride>>;
  /** `options.maxSteps` for the run (default: the generated default). */
  maxSteps?: number;
  /** Every request, in order, as `METHOD /path?query` (query decoded). */
  requests: readonly string[];
  /** The workflow's outputs, when the run succeeds. */
  outputs?: Outputs;
  /** The `ArazzoStepError` the run fails with, when it fails. */
  error?: { stepId: string; reason: "criteria" | "missing-output" | "request" | "not-run" | "step-budget"; status?: number };
  /** Poll workflows: the `status` of every answer of the polled operation, in order. */
  pollStatuses?: readonly string[];
}

export interface Scenario {
  workflowId: string;
  /** The generated package, `generated/<document>/`. */
  document: string;
  summary: string;
  /** The OpenAPI documents the mock serves. */
  documents: readonly string[];
  inputs: Readonly<Record<string, unknown>>;
  /** The bearer token every request but the token mint must carry. */
  bearer: string;
  /** Poll workflows: the polled operation and its terminal statuses. */
  poll?: { operationId: string; stepId: string; success: readonly string[]; failure: readonly string[] };
  /** The interesting path. */
  main: ScenarioCase;
  /** Other branches. */
  variants: readonly ScenarioCase[];
  /** Runs the generated workflow with the scenario's inputs. */
  run(options: ScenarioRunOptions): Promise<Readonly<Record<string, unknown>>>;
}

interface ScenarioDefinition<Inputs, Outputs> extends Omit<Scenario, "inputs" | "main" | "variants" | "run"> {
  inputs: Inputs;
  runWorkflow: (inputs: Inputs, options: ScenarioRunOptions) => Promise<Outputs>;
  main: ScenarioCase<Outputs>;
  variants?: readonly ScenarioCase<Outputs>[];
}

/** Checks a scenario against the workflow's generated types, then erases them. */
function scenario<Inputs extends object, Outputs extends object>(definition: ScenarioDefinition<Inputs, Outputs>): Scenario {
  const { runWorkflow, variants = [], ...rest } = definition;
  return {
    ...rest,
    variants,
    run: (options: ScenarioRunOptions) => runWorkflow(definition.inputs, options),
  } as unknown as Scenario;
}

/**
 * Stands in for the HTTP-signature middleware the README describes: the PIS endpoints require
 * `Signature`, `Digest` and `Date`, which no workflow can express. Fixed values, a real digest.
 */
export const fakeSigning: Middleware = {
  async onRequest({ request }) {
    if (!new URL(request.url).pathname.startsWith("/pis/")) return undefined;
    const body = request.body ? await request.clone().text() : "";
    request.headers.set("Date", "Fri, 02 Jan 2026 03:04:05 GMT");
    request.headers.set("Digest", `SHA-256=${createHash("sha256").update(body).digest("base64")}`);
    request.headers.set("Signature", 'keyId="sandbox-app",algorithm="rsa-sha256",headers="date digest x-request-id",signature="bW9jaw=="');
    return request;
  },
};

// ---------------------------------------------------------------------------------------------
// Shared values and overrides

const ACCESS_TOKEN = "sandbox-at-7d1e0c2b9f4a";
const REQUEST_ID = "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b";
const CUSTOMER_ID = "cus_8f2c41d7";
const PROVIDER_ID = "cmcifrpp";
const PAYMENT_ID = "3f1c9e27-a1b8-4c0d-9e2f-5a6b1c3d4e5f";

const ACCOUNTS = [
  {
    id: "acc_4a1b9d",
    iban: "FR7630006000011234567890189",
    bic: "AGRIFRPPXXX",
    currency: "EUR",
    type: "CACC" as const,
    balances: [{ type: "available" as const, amount: "2450.31", currency: "EUR", timestamp: "2026-01-31T23:59:59.000Z" }],
  },
  {
    id: "acc_7c2e40",
    iban: "FR7630004000031234567890143",
    bic: "BNPAFRPPXXX",
    currency: "EUR",
    type: "SVGS" as const,
    balances: [{ type: "available" as const, amount: "12000.00", currency: "EUR", timestamp: "2026-01-31T23:59:59.000Z" }],
  },
];

/** The connect URL a PIS/AIS session answer carries, built from the session id the mock issued. */
function withConnectUrl({ body }: OverrideContext): MockReply {
  const sessionId = (body as { meta?: { session_id?: string } }).meta?.session_id ?? "";
  return { patch: { meta: { url: `https://connect.fintecture.com/?session_id=${sessionId}` } } };
}

/** A payment read answering `status` (and its own id, which the mock echoes from the path). */
const paymentStatus = (status: string): MockReply => ({ patch: { status } });

// ---------------------------------------------------------------------------------------------
// The scenarios, one per Arazzo document

const accountHolders = scenario({
  workflowId: "account-holders-identity",
  document: "fintecture-account-holders-identity-workflow",
  summary: "List a connection's accounts, read the first account's holders, verify the holder's identity",
  documents: [openapi("ais")],
  inputs: {
    accessToken: ACCESS_TOKEN,
    customerId: CUSTOMER_ID,
    providerId: PROVIDER_ID,
    expectedName: "Jeanne Martin",
  } satisfies accountHoldersIdentity.AccountHoldersIdentityInputs,
  bearer: ACCESS_TOKEN,
  runWorkflow: accountHoldersIdentity.runAccountHoldersIdentity,
  main: {
    name: "verifies the first account's holder",
    overrides: {
      getAisV1CustomerAccounts: { body: { data: ACCOUNTS } },
      getAisV1CustomerAccountHolders: {
        body: { data: [{ name: "Jeanne Martin", address: "12 rue de la Paix, 75002 Paris", email: "jeanne.martin@example.com", phone: "+33612345678" }] },
      },
      createAisV1Verification: { patch: { status: "verified", match_score: 0.97 } },
    },
    requests: [`GET /ais/v1/customer/${CUSTOMER_ID}/accounts`, `GET /ais/v1/customer/${CUSTOMER_ID}/account/acc_4a1b9d/holders`, "POST /ais/v1/verification"],
    outputs: {
      holders: [{ name: "Jeanne Martin", address: "12 rue de la Paix, 75002 Paris", email: "jeanne.martin@example.com", phone: "+33612345678" }],
      verificationId: "verification-0001",
      verificationStatus: "verified",
    },
  },
});

const TRANSACTIONS = [
  {
    id: "txn_0001",
    amount: "-49.90",
    currency: "EUR",
    booking_date: "2026-01-12",
    value_date: "2026-01-12",
    description: "CARTE 11/01 BOULANGERIE",
    type: "debit" as const,
    counterparty: { name: "Boulangerie du Coin", iban: "FR7610107001011234567890129" },
  },
  {
    id: "txn_0002",
    amount: "2300.00",
    currency: "EUR",
    booking_date: "2026-01-28",
    value_date: "2026-01-28",
    description: "VIR SALAIRE JANVIER",
    type: "credit" as const,
    counterparty: { name: "ACME SAS", iban: "FR7630003000701234567890185" },
  },
];

const connectAccounts = scenario({
  workflowId: "connect-accounts-transactions",
  document: "fintecture-connect-accounts-transactions-workflow",
  summary: "Open an AIS connect session, list the accounts, pull the first account's transactions",
  documents: [openapi("ais")],
  inputs: {
    accessToken: ACCESS_TOKEN,
    customerId: CUSTOMER_ID,
    redirectUri: "https://shop.example.com/fintecture/callback",
    state: "order-2026-0042",
    from: "2026-01-01",
    to: "2026-01-31",
  } satisfies connectAccountsTransactions.ConnectAccountsTransactionsInputs,
  bearer: ACCESS_TOKEN,
  runWorkflow: connectAccountsTransactions.runConnectAccountsTransactions,
  main: {
    name: "lists two accounts and the first one's January transactions",
    overrides: {
      getAisV2Connect: withConnectUrl,
      getAisV1CustomerAccounts: { body: { data: ACCOUNTS } },
      getAisV1CustomerAccountTransactions: { body: { data: TRANSACTIONS, meta: { count: 2 } } },
    },
    requests: [
      "GET /ais/v2/connect?redirect_uri=https://shop.example.com/fintecture/callback&state=order-2026-0042",
      `GET /ais/v1/customer/${CUSTOMER_ID}/accounts`,
      `GET /ais/v1/customer/${CUSTOMER_ID}/account/acc_4a1b9d/transactions?from=2026-01-01&to=2026-01-31`,
    ],
    outputs: { sessionId: "session-0001", accounts: ACCOUNTS, transactions: TRANSACTIONS },
  },
});

const customerOnboard = scenario({
  workflowId: "customer-onboard-payment",
  document: "fintecture-customer-onboard-payment-workflow",
  summary: "Register a customer, attach their bank account, open a payment session for them",
  documents: [openapi("customers"), openapi("pis")],
  inputs: {
    accessToken: ACCESS_TOKEN,
    firstName: "Jeanne",
    lastName: "Martin",
    email: "jeanne.martin@example.com",
    iban: "FR7630006000011234567890189",
    holderName: "Jeanne Martin",
    amount: "129.90",
    currency: "EUR",
    communication: "Order 2026-0042",
    requestId: REQUEST_ID,
  } satisfies customerOnboardPayment.CustomerOnboardPaymentInputs,
  bearer: ACCESS_TOKEN,
  runWorkflow: customerOnboardPayment.runCustomerOnboardPayment,
  main: {
    name: "creates the customer and bank account, then a payment linked to the customer",
    overrides: { createPisV2Connect: withConnectUrl },
    requests: ["POST /v1/customers", "POST /v1/customers/customer-0001/bank-accounts", "POST /pis/v2/connect"],
    outputs: {
      customerId: "customer-0001",
      bankAccountId: "customer-bank-account-0001",
      sessionId: "session-0001",
      connectUrl: "https://connect.fintecture.com/?session_id=session-0001",
    },
  },
});

const VERIFICATION_URL = "/v1/customers/customer-0001/verification/customer-verification-0001";
const verificationStatus = (status: string, matchScore = 0.5): MockReply => ({ patch: { status, match_score: matchScore } });

const customerVerification = scenario({
  workflowId: "customer-verification-poll",
  document: "fintecture-customer-verification-poll-workflow",
  summary: "Register a customer, start an identity verification, poll it until it resolves",
  documents: [openapi("customers")],
  inputs: {
    accessToken: ACCESS_TOKEN,
    firstName: "Jeanne",
    lastName: "Martin",
    email: "jeanne.martin@example.com",
    providerId: PROVIDER_ID,
    expectedName: "Jeanne Martin",
  } satisfies customerVerificationPoll.CustomerVerificationPollInputs,
  bearer: ACCESS_TOKEN,
  runWorkflow: customerVerificationPoll.runCustomerVerificationPoll,
  poll: { operationId: "getCustomerVerificationById", stepId: "pollVerification", success: ["verified"], failure: ["unverified", "failed"] },
  main: {
    name: "polls pending, pending, verified, then ends",
    overrides: { getCustomerVerificationById: [verificationStatus("pending"), verificationStatus("pending"), verificationStatus("verified", 0.97)] },
    requests: [
      "POST /v1/customers",
      "POST /v1/customers/customer-0001/verification",
      `GET ${VERIFICATION_URL}`,
      `GET ${VERIFICATION_URL}`,
      `GET ${VERIFICATION_URL}`,
    ],
    pollStatuses: ["pending", "pending", "verified"],
    outputs: { customerId: "customer-0001", verificationId: "customer-verification-0001", finalStatus: "verified", failedStatus: undefined },
  },
  variants: [
    {
      name: "unverified: goes to reportFailure, which reads the failing status",
      overrides: { getCustomerVerificationById: [verificationStatus("pending"), verificationStatus("unverified", 0.12)] },
      requests: [
        "POST /v1/customers",
        "POST /v1/customers/customer-0001/verification",
        `GET ${VERIFICATION_URL}`,
        `GET ${VERIFICATION_URL}`,
        `GET ${VERIFICATION_URL}`,
      ],
      pollStatuses: ["pending", "unverified", "unverified"],
      outputs: { customerId: "customer-0001", verificationId: "customer-verification-0001", finalStatus: "unverified", failedStatus: "unverified" },
    },
    {
      name: "stays pending: maxSteps 10 stops the loop",
      overrides: { getCustomerVerificationById: verificationStatus("pending") },
      maxSteps: 10,
      requests: ["POST /v1/customers", "POST /v1/customers/customer-0001/verification", ...Array<string>(8).fill(`GET ${VERIFICATION_URL}`)],
      pollStatuses: Array<string>(8).fill("pending"),
      error: { stepId: "pollVerification", reason: "step-budget" },
    },
  ],
});

const DECOUPLED_URL = `/ais/v1/provider/${PROVIDER_ID}/authorize/decoupled?session_id=session-0001`;
const decoupledStatus = (status: string): MockReply => ({ patch: { status, code: status === "FAILED" ? "psu_timeout" : "ok" } });

const decoupledAuth = scenario({
  workflowId: "decoupled-auth-accounts",
  document: "fintecture-decoupled-auth-accounts-workflow",
  summary: "Read a provider, start a decoupled (mobile app) authentication, poll it, list the accounts",
  documents: [openapi("resources"), openapi("ais")],
  inputs: {
    accessToken: ACCESS_TOKEN,
    providerId: PROVIDER_ID,
    customerId: CUSTOMER_ID,
    psuType: "retail",
  } satisfies decoupledAuthAccounts.DecoupledAuthAccountsInputs,
  bearer: ACCESS_TOKEN,
  runWorkflow: decoupledAuthAccounts.runDecoupledAuthAccounts,
  poll: { operationId: "getAisV1ProviderAuthorizationDecoupled", stepId: "pollDecoupled", success: ["COMPLETED"], failure: ["FAILED"] },
  main: {
    name: "polls PENDING, PENDING, COMPLETED, then lists the accounts",
    overrides: {
      getResV1Provider: { patch: { name: "CIC", country: "FR", auth_models: ["redirect", "decoupled"] } },
      getAisV1ProviderAuthorizationDecoupled: [decoupledStatus("PENDING"), decoupledStatus("PENDING"), decoupledStatus("COMPLETED")],
      getAisV1CustomerAccounts: { body: { data: ACCOUNTS } },
    },
    requests: [
      `GET /res/v1/providers/${PROVIDER_ID}`,
      `GET /ais/v1/provider/${PROVIDER_ID}/authorize?psu_type=retail`,
      `GET ${DECOUPLED_URL}`,
      `GET ${DECOUPLED_URL}`,
      `GET ${DECOUPLED_URL}`,
      `GET /ais/v1/customer/${CUSTOMER_ID}/accounts`,
    ],
    pollStatuses: ["PENDING", "PENDING", "COMPLETED"],
    outputs: { sessionId: "session-0001", accounts: ACCOUNTS, failedStatus: undefined },
  },
  variants: [
    {
      name: "FAILED: goes to reportFailure and lists no accounts",
      overrides: { getAisV1ProviderAuthorizationDecoupled: [decoupledStatus("PENDING"), decoupledStatus("FAILED")] },
      requests: [
        `GET /res/v1/providers/${PROVIDER_ID}`,
        `GET /ais/v1/provider/${PROVIDER_ID}/authorize?psu_type=retail`,
        `GET ${DECOUPLED_URL}`,
        `GET ${DECOUPLED_URL}`,
        `GET ${DECOUPLED_URL}`,
      ],
      pollStatuses: ["PENDING", "FAILED", "FAILED"],
      outputs: { sessionId: "session-0001", accounts: undefined, failedStatus: "FAILED" },
    },
    {
      name: "stays PENDING: maxSteps 10 stops the loop",
      overrides: { getAisV1ProviderAuthorizationDecoupled: decoupledStatus("PENDING") },
      maxSteps: 10,
      requests: [
        `GET /res/v1/providers/${PROVIDER_ID}`,
        `GET /ais/v1/provider/${PROVIDER_ID}/authorize?psu_type=retail`,
        ...Array<string>(8).fill(`GET ${DECOUPLED_URL}`),
      ],
      pollStatuses: Array<string>(8).fill("PENDING"),
      error: { stepId: "pollDecoupled", reason: "step-budget" },
    },
  ],
});

const PROVIDERS = [
  {
    id: "cmcifrpp",
    name: "CIC",
    country: "FR",
    logo_url: "https://example.com/logos/cic.png",
    auth_models: ["redirect" as const],
    ais: ["Accounts" as const, "Transactions" as const],
    pis: ["SEPA" as const, "iSCT" as const],
    psu_types: ["retail" as const, "corporate" as const],
  },
  {
    id: "agrifrpp",
    name: "Crédit Agricole",
    country: "FR",
    logo_url: "https://example.com/logos/ca.png",
    auth_models: ["redirect" as const, "decoupled" as const],
    ais: ["Accounts" as const],
    pis: ["SEPA" as const],
    psu_types: ["retail" as const],
  },
];

const listProviders = scenario({
  workflowId: "list-providers-initiate-payment",
  document: "fintecture-list-providers-initiate-payment-workflow",
  summary: "List the French banks, open a payment session, read the payment back",
  documents: [openapi("resources"), openapi("pis")],
  inputs: {
    accessToken: ACCESS_TOKEN,
    country: "FR",
    amount: "49.90",
    currency: "EUR",
    communication: "Order 2026-0042",
    psuName: "Jeanne Martin",
    psuEmail: "jeanne.martin@example.com",
  } satisfies listProvidersInitiatePayment.ListProvidersInitiatePaymentInputs,
  bearer: ACCESS_TOKEN,
  runWorkflow: listProvidersInitiatePayment.runListProvidersInitiatePayment,
  main: {
    name: "lists two providers and creates a payment that is payment_created",
    overrides: { getResV1Providers: { body: { data: PROVIDERS } }, createPisV2Connect: withConnectUrl },
    requests: ["GET /res/v1/providers?country=FR", "POST /pis/v2/connect", "GET /pis/v2/payments/session-0001"],
    outputs: {
      providers: PROVIDERS,
      sessionId: "session-0001",
      connectUrl: "https://connect.fintecture.com/?session_id=session-0001",
      status: "payment_created",
    },
  },
});

/** The refund answer echoes what was asked (amount, currency, the original session). */
function refundFromRequest({ json }: OverrideContext): MockReply {
  const request = json as { meta?: { session_id?: string }; data?: { attributes?: { amount?: string; currency?: string } } };
  return {
    patch: {
      amount: request.data?.attributes?.amount,
      currency: request.data?.attributes?.currency,
      status: "refund_created",
      original_payment_id: request.meta?.session_id,
    },
  };
}

/** The refund list holds every refund the mock created so far. */
function refundsSoFar({ requests }: OverrideContext): MockReply {
  const created = requests.filter((r: RecordedRequest) => r.operationId === "createPisV2Refund" && r.response?.status === 200).map((r) => r.response!.body);
  return { body: { data: created } };
}

const REFUND = {
  id: "refund-0001",
  amount: "20.00",
  currency: "EUR",
  status: "refund_created",
  original_payment_id: PAYMENT_ID,
  created_at: "2026-01-02T03:04:05.000Z",
};

const refund = scenario({
  workflowId: "payment-refund",
  document: "fintecture-payment-refund-workflow",
  summary: "Check a payment is completed, refund part of it, list its refunds",
  documents: [openapi("pis")],
  inputs: {
    accessToken: ACCESS_TOKEN,
    paymentId: PAYMENT_ID,
    sessionId: PAYMENT_ID,
    amount: "20.00",
    currency: "EUR",
    communication: "Partial refund, order 2026-0042",
  } satisfies paymentRefund.PaymentRefundInputs,
  bearer: ACCESS_TOKEN,
  runWorkflow: paymentRefund.runPaymentRefund,
  main: {
    name: "payment_completed: refunds and lists the refund",
    overrides: { getPaymentSession: paymentStatus("payment_completed"), createPisV2Refund: refundFromRequest, getPisV2PaymentRefunds: refundsSoFar },
    requests: [`GET /pis/v2/payments/${PAYMENT_ID}`, "POST /pis/v2/refund", `GET /pis/v2/payments/${PAYMENT_ID}/refunds`],
    outputs: { refundId: "refund-0001", refunds: [REFUND], blockingStatus: undefined },
  },
  variants: [
    {
      name: "payment_pending: not refundable, goes to abortNotRefundable",
      overrides: { getPaymentSession: paymentStatus("payment_pending") },
      requests: [`GET /pis/v2/payments/${PAYMENT_ID}`, `GET /pis/v2/payments/${PAYMENT_ID}`],
      outputs: { refundId: undefined, refunds: undefined, blockingStatus: "payment_pending" },
    },
  ],
});

const PAYMENT_URL = "/pis/v2/payments/session-0001";

const statusPoll = scenario({
  workflowId: "payment-status-poll",
  document: "fintecture-payment-status-poll-workflow",
  summary: "Open a payment session, poll the payment until it is completed or failed",
  documents: [openapi("pis")],
  inputs: {
    accessToken: ACCESS_TOKEN,
    amount: "49.90",
    currency: "EUR",
    communication: "Order 2026-0042",
    requestId: REQUEST_ID,
  } satisfies paymentStatusPoll.PaymentStatusPollInputs,
  bearer: ACCESS_TOKEN,
  runWorkflow: paymentStatusPoll.runPaymentStatusPoll,
  poll: {
    operationId: "getPaymentSession",
    stepId: "pollPayment",
    success: ["payment_completed"],
    failure: ["payment_rejected", "payment_cancelled", "payment_failed"],
  },
  main: {
    name: "polls payment_pending, payment_pending, payment_completed, then ends",
    overrides: {
      createPisV2Connect: withConnectUrl,
      getPaymentSession: [paymentStatus("payment_pending"), paymentStatus("payment_pending"), paymentStatus("payment_completed")],
    },
    requests: ["POST /pis/v2/connect", `GET ${PAYMENT_URL}`, `GET ${PAYMENT_URL}`, `GET ${PAYMENT_URL}`],
    pollStatuses: ["payment_pending", "payment_pending", "payment_completed"],
    outputs: { sessionId: "session-0001", finalStatus: "payment_completed", failedStatus: undefined },
  },
  variants: [
    {
      name: "payment_rejected: goes to reportFailure, which reads the failing status",
      overrides: { getPaymentSession: [paymentStatus("payment_pending"), paymentStatus("payment_rejected")] },
      requests: ["POST /pis/v2/connect", `GET ${PAYMENT_URL}`, `GET ${PAYMENT_URL}`, `GET ${PAYMENT_URL}`],
      pollStatuses: ["payment_pending", "payment_rejected", "payment_rejected"],
      outputs: { sessionId: "session-0001", finalStatus: "payment_rejected", failedStatus: "payment_rejected" },
    },
    {
      name: "stays payment_created: maxSteps 10 stops the loop",
      overrides: {},
      maxSteps: 10,
      requests: ["POST /pis/v2/connect", ...Array<string>(9).fill(`GET ${PAYMENT_URL}`)],
      pollStatuses: Array<string>(9).fill("payment_created"),
      error: { stepId: "pollPayment", reason: "step-budget" },
    },
  ],
});

const requestToPay = scenario({
  workflowId: "request-to-pay-status",
  document: "fintecture-request-to-pay-status-workflow",
  summary: "Send a payment link by email, find its payment, read the payment's status",
  documents: [openapi("pis")],
  inputs: {
    accessToken: ACCESS_TOKEN,
    amount: "75.00",
    currency: "EUR",
    communication: "Invoice INV-2026-0117",
    psuName: "Jeanne Martin",
    psuEmail: "jeanne.martin@example.com",
    requestId: REQUEST_ID,
    statusFilter: "payment_pending",
  } satisfies requestToPayStatus.RequestToPayStatusInputs,
  bearer: ACCESS_TOKEN,
  runWorkflow: requestToPayStatus.runRequestToPayStatus,
  main: {
    name: "creates the link, finds the pending payment, reads payment_pending",
    overrides: {
      createPisV2RequestToPay: withConnectUrl,
      getPisV2Payments: { patch: { data: [{ id: "session-0001", status: "payment_pending" }] } },
      getPaymentSession: paymentStatus("payment_pending"),
    },
    requests: ["POST /pis/v2/request-to-pay", "GET /pis/v2/payments?filter[status]=payment_pending", "GET /pis/v2/payments/session-0001"],
    outputs: { sessionId: "session-0001", linkUrl: "https://connect.fintecture.com/?session_id=session-0001", status: "payment_pending" },
  },
});

const TEST_ACCOUNTS = [
  {
    id: "test-account-cic-1",
    provider_id: "cmcifrpp",
    iban: "FR7630066100410001057380116",
    bic: "CMCIFRPPXXX",
    holder_name: "Jean Dupont",
    balance: "5000.00",
    currency: "EUR",
  },
  {
    id: "test-account-ca-1",
    provider_id: "agrifrpp",
    iban: "FR7618206000576025840255308",
    bic: "AGRIFRPPXXX",
    holder_name: "Marie Durand",
    balance: "750.00",
    currency: "EUR",
  },
];

const sandboxPayment = scenario({
  workflowId: "sandbox-test-payment",
  document: "fintecture-sandbox-test-payment-workflow",
  summary: "Pick a sandbox test account, pay with it, poll the payment to a terminal status",
  documents: [openapi("resources"), openapi("pis")],
  inputs: {
    accessToken: ACCESS_TOKEN,
    amount: "10.00",
    currency: "EUR",
    communication: "Sandbox test payment",
    requestId: REQUEST_ID,
  } satisfies sandboxTestPayment.SandboxTestPaymentInputs,
  bearer: ACCESS_TOKEN,
  runWorkflow: sandboxTestPayment.runSandboxTestPayment,
  poll: {
    operationId: "getPaymentSession",
    stepId: "pollPayment",
    success: ["payment_completed"],
    failure: ["payment_rejected", "payment_cancelled", "payment_failed"],
  },
  main: {
    name: "polls payment_pending, payment_initiated, payment_completed, then ends",
    overrides: {
      getResV1TestAccounts: { body: { data: TEST_ACCOUNTS } },
      createPisV2Connect: withConnectUrl,
      getPaymentSession: [paymentStatus("payment_pending"), paymentStatus("payment_initiated"), paymentStatus("payment_completed")],
    },
    requests: ["GET /res/v1/test-accounts", "POST /pis/v2/connect", `GET ${PAYMENT_URL}`, `GET ${PAYMENT_URL}`, `GET ${PAYMENT_URL}`],
    pollStatuses: ["payment_pending", "payment_initiated", "payment_completed"],
    outputs: { sessionId: "session-0001", finalStatus: "payment_completed", failedStatus: undefined },
  },
  variants: [
    {
      name: "payment_cancelled: goes to reportFailure, which reads the failing status",
      overrides: {
        getResV1TestAccounts: { body: { data: TEST_ACCOUNTS } },
        getPaymentSession: [paymentStatus("payment_initiated"), paymentStatus("payment_cancelled")],
      },
      requests: ["GET /res/v1/test-accounts", "POST /pis/v2/connect", `GET ${PAYMENT_URL}`, `GET ${PAYMENT_URL}`, `GET ${PAYMENT_URL}`],
      pollStatuses: ["payment_initiated", "payment_cancelled", "payment_cancelled"],
      outputs: { sessionId: "session-0001", finalStatus: "payment_cancelled", failedStatus: "payment_cancelled" },
    },
    {
      name: "stays payment_pending: maxSteps 10 stops the loop",
      overrides: { getResV1TestAccounts: { body: { data: TEST_ACCOUNTS } }, getPaymentSession: paymentStatus("payment_pending") },
      maxSteps: 10,
      requests: ["GET /res/v1/test-accounts", "POST /pis/v2/connect", ...Array<string>(8).fill(`GET ${PAYMENT_URL}`)],
      pollStatuses: Array<string>(8).fill("payment_pending"),
      error: { stepId: "pollPayment", reason: "step-budget" },
    },
  ],
});

const SETTLEMENT = {
  id: "stl_2026_01_31",
  amount: "1520.40",
  currency: "EUR",
  status: "paid",
  settled_at: "2026-01-31T16:00:00.000Z",
  beneficiary_iban: "FR7630006000011234567890189",
  transactions: ["mtx_0001", "mtx_0002"],
};
const MERCHANT_TRANSACTIONS = [
  {
    id: "mtx_0001",
    amount: "1020.40",
    currency: "EUR",
    type: "credit" as const,
    status: "settled",
    booking_date: "2026-01-30",
    value_date: "2026-01-30",
    description: "Order 2026-0040",
    related_payment_id: "pay_0040",
    related_settlement_id: SETTLEMENT.id,
  },
  {
    id: "mtx_0002",
    amount: "500.00",
    currency: "EUR",
    type: "credit" as const,
    status: "settled",
    booking_date: "2026-01-30",
    value_date: "2026-01-30",
    description: "Order 2026-0041",
    related_payment_id: "pay_0041",
    related_settlement_id: SETTLEMENT.id,
  },
];

const settlement = scenario({
  workflowId: "settlement-reconciliation",
  document: "fintecture-settlement-reconciliation-workflow",
  summary: "List settlements, read the first one, list January's merchant transactions",
  documents: [openapi("pis"), openapi("transactions")],
  inputs: { accessToken: ACCESS_TOKEN, from: "2026-01-01", to: "2026-01-31" } satisfies settlementReconciliation.SettlementReconciliationInputs,
  bearer: ACCESS_TOKEN,
  runWorkflow: settlementReconciliation.runSettlementReconciliation,
  main: {
    name: "reads the settlement and the two transactions it covers",
    overrides: {
      getPisV2Settlements: { body: { data: [SETTLEMENT] } },
      getSettlementById: { body: SETTLEMENT },
      listAllTransactions: { body: { data: MERCHANT_TRANSACTIONS } },
    },
    requests: ["GET /pis/v2/settlements", `GET /pis/v2/settlements/${SETTLEMENT.id}`, "GET /v1/transactions?filter[from]=2026-01-01&filter[to]=2026-01-31"],
    outputs: { settlements: [SETTLEMENT], settlementAmount: "1520.40", merchantTransactions: MERCHANT_TRANSACTIONS },
  },
});

const tokenPayment = scenario({
  workflowId: "token-then-payment",
  document: "fintecture-token-then-payment-workflow",
  summary: "Mint a client-credentials token, open a payment session, read the payment",
  documents: [openapi("oauth"), openapi("pis")],
  inputs: {
    clientId: "sandbox-app-3f9a",
    clientSecret: "sandbox-secret-not-real",
    amount: "42.00",
    currency: "EUR",
    communication: "Order 2026-0042",
    requestId: REQUEST_ID,
  } satisfies tokenThenPayment.TokenThenPaymentInputs,
  bearer: "access-token-0001",
  runWorkflow: tokenThenPayment.runTokenThenPayment,
  main: {
    name: "mints a token and uses it for the payment calls",
    overrides: { createAccessToken: { patch: { expires_in: 3600 } }, createPisV2Connect: withConnectUrl },
    requests: ["POST /oauth/accesstoken", "POST /pis/v2/connect", "GET /pis/v2/payments/session-0001"],
    outputs: {
      accessToken: "access-token-0001",
      sessionId: "session-0001",
      connectUrl: "https://connect.fintecture.com/?session_id=session-0001",
      status: "payment_created",
    },
  },
});

/** The payment as stored: `payment_pending`, with the communication of the last PATCH, if any. */
function editablePayment({ requests }: OverrideContext): MockReply {
  const patched = requests.filter((r) => r.operationId === "patchPisV2PaymentSession" && r.response?.status === 200).at(-1);
  const communication = patched
    ? (JSON.parse(patched.body) as { data: { attributes: { communication: string } } }).data.attributes.communication
    : "Order 2026-0042";
  return { patch: { status: "payment_pending", attributes: { communication } } };
}

/** A PATCH answers the payment with the new communication. */
function patchedPayment({ json }: OverrideContext): MockReply {
  const communication = (json as { data?: { attributes?: { communication?: string } } }).data?.attributes?.communication;
  return { patch: { status: "payment_pending", attributes: { communication } } };
}

const updateCommunication = scenario({
  workflowId: "update-payment-communication",
  document: "fintecture-update-payment-communication-workflow",
  summary: "Read a payment, patch its communication while it is pending, read it back",
  documents: [openapi("pis")],
  inputs: {
    accessToken: ACCESS_TOKEN,
    paymentId: PAYMENT_ID,
    communication: "Order 2026-0042 (gift wrap)",
  } satisfies updatePaymentCommunication.UpdatePaymentCommunicationInputs,
  bearer: ACCESS_TOKEN,
  runWorkflow: updatePaymentCommunication.runUpdatePaymentCommunication,
  main: {
    name: "payment_pending: patches the communication and confirms it",
    overrides: { getPaymentSession: editablePayment, patchPisV2PaymentSession: patchedPayment },
    requests: [`GET /pis/v2/payments/${PAYMENT_ID}`, `PATCH /pis/v2/payments/${PAYMENT_ID}`, `GET /pis/v2/payments/${PAYMENT_ID}`],
    outputs: { initialStatus: "payment_pending", confirmedStatus: "payment_pending", confirmedCommunication: "Order 2026-0042 (gift wrap)" },
  },
  variants: [
    {
      name: "payment_completed: locked, ends without patching",
      overrides: { getPaymentSession: paymentStatus("payment_completed") },
      requests: [`GET /pis/v2/payments/${PAYMENT_ID}`],
      outputs: { initialStatus: "payment_completed", confirmedStatus: undefined, confirmedCommunication: undefined },
    },
  ],
});

/** Every scenario, by workflow id, in the order of the Arazzo documents' names. */
export const scenarios: readonly Scenario[] = [
  accountHolders,
  connectAccounts,
  customerOnboard,
  customerVerification,
  decoupledAuth,
  listProviders,
  refund,
  statusPoll,
  requestToPay,
  sandboxPayment,
  settlement,
  tokenPayment,
  updateCommunication,
];

export function findScenario(workflowId: string): Scenario | undefined {
  return scenarios.find((s) => s.workflowId === workflowId);
}

/** `METHOD /path?query` of a recorded request, the query decoded, as scenarios list them. */
export function describeRequest(request: Pick<RecordedRequest, "method" | "url">): string {
  const url = new URL(request.url);
  return `${request.method} ${url.pathname}${decodeURIComponent(url.search)}`;
}
