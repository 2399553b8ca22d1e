/**
 * `npm run demo`: runs the generated token-then-payment workflow (the built package) against
 * the in-memory Fintecture mock, with made-up credentials, and prints what happened.
 * No network access and no real credentials are needed.
 */
import { runTokenThenPayment } from "../generated/fintecture-token-then-payment-workflow/dist/index.js";
import { createFintectureMock } from "./mocks/fintecture.ts";

const credentials = { clientId: "demo-client", clientSecret: "demo-secret-not-real" };
const mock = createFintectureMock(credentials);

const outputs = await runTokenThenPayment(
  { ...credentials, amount: "42.00", currency: "EUR", communication: "Demo order #1", requestId: "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b" },
  { fetch: mock.fetch },
);

console.log("Fintecture token-then-payment workflow (against the in-memory mock)\n");
console.log("Requests made:");
for (const request of mock.requests) console.log(`  ${request.method.padEnd(4)} ${request.url}`);
console.log(`\nSession id:  ${outputs.sessionId}`);
console.log(`Connect URL: ${outputs.connectUrl}`);
console.log(`Status:      ${outputs.status}`);
