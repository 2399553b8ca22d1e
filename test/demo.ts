/**
 * `npm run demo`: runs the generated token-then-payment workflow (the built package) against
 * the in-memory Fintecture mock, with made-up credentials, and prints what happened.
 *
 * `npm run demo -- <workflowId>` (e.g. `payment-status-poll`) runs that Fintecture workflow
 * against the generic OpenAPI mock with its scenario (`test/mocks/fintecture-scenarios.ts`)
 * and prints its inputs, the requests made (method + URL) and its outputs. Inputs and outputs
 * named like secret/token/password are redacted, and so is any place their values appear; no
 * header (so no `authorization`) is printed. `npm run demo -- --list` lists the workflow ids.
 *
 * No network access and no real credentials are needed.
 */
import { inspect } from "node:util";
import { runTokenThenPayment } from "../generated/fintecture-token-then-payment-workflow/dist/index.js";
import { createFintectureMock } from "./mocks/fintecture.ts";

/** Inputs and outputs with such names are never printed, nor their values anywhere. */
const SECRET_NAME = /secret|token|password/i;
const REDACTED = "[redacted]";

const argument = process.argv[2];
if (argument === undefined) await runSeed();
else if (argument === "--list") await listWorkflows();
else process.exitCode = await runWorkflow(argument);

/** The seed workflow against the hand-written Fintecture mock, as the demo always did. */
async function runSeed(): Promise<void> {
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
}

async function listWorkflows(): Promise<void> {
  const { scenarios } = await import("./mocks/fintecture-scenarios.ts");
  const width = Math.max(...scenarios.map((s) => s.workflowId.length));
  console.log("Fintecture workflows (npm run demo -- <workflowId>):\n");
  for (const s of scenarios) console.log(`  ${s.workflowId.padEnd(width)}  ${s.summary}`);
}

/** Runs one Fintecture workflow's scenario against the generic mock; the exit code. */
async function runWorkflow(workflowId: string): Promise<number> {
  const [{ findScenario, fakeSigning }, { createOpenApiMock }] = await Promise.all([
    import("./mocks/fintecture-scenarios.ts"),
    import("./mocks/openapi-mock.ts"),
  ]);
  const scenario = findScenario(workflowId);
  if (!scenario) {
    console.error(`Unknown workflow id: ${workflowId}\n`);
    await listWorkflows();
    return 1;
  }

  const mock = createOpenApiMock({ documents: scenario.documents, overrides: scenario.main.overrides });
  let outputs: Readonly<Record<string, unknown>> | undefined;
  let failure: unknown;
  try {
    outputs = await scenario.run({ fetch: mock.fetch, middleware: [fakeSigning] });
  } catch (error) {
    failure = error;
  }

  // Values that must not be printed: inputs and outputs named like secrets.
  const secrets = [...Object.entries(scenario.inputs), ...Object.entries(outputs ?? {})]
    .filter(([name, value]) => SECRET_NAME.test(name) && typeof value === "string" && value !== "")
    .map(([, value]) => value as string);
  const redact = (text: string): string => secrets.reduce((out, secret) => out.split(secret).join(REDACTED), text);
  const show = (value: unknown): string => redact(inspect(value, { depth: null, breakLength: 100, colors: false }));
  const table = (values: Readonly<Record<string, unknown>>): void => {
    const width = Math.max(0, ...Object.keys(values).map((name) => name.length + 1));
    for (const [name, value] of Object.entries(values)) {
      const shown = SECRET_NAME.test(name) && value !== undefined ? REDACTED : show(value);
      console.log(`  ${`${name}:`.padEnd(width)} ${shown.replace(/\n/g, `\n  ${" ".repeat(width)} `)}`);
    }
  };

  console.log(`Fintecture ${scenario.workflowId} workflow (against the generic OpenAPI mock)`);
  console.log(`${scenario.summary}\nScenario: ${scenario.main.name}\n`);
  console.log("Inputs:");
  table(scenario.inputs);
  console.log("\nRequests made:");
  for (const request of mock.requests) {
    const status = (request.response?.body as { status?: unknown } | undefined)?.status;
    const note = typeof status === "string" ? ` (status ${status})` : "";
    console.log(`  ${request.method.padEnd(5)} ${redact(request.url)} → ${request.response?.status ?? "-"}${note}`);
  }
  if (failure !== undefined) {
    // ArazzoStepError messages never hold request or response values; no stack trace.
    console.error(`\nThe workflow failed: ${redact(failure instanceof Error ? failure.message : String(failure))}`);
    return 1;
  }
  console.log("\nOutputs:");
  table(outputs ?? {});
  return 0;
}
