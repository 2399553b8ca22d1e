/**
 * The generated package works as a real npm package: plain Node imports its built
 * JavaScript through `exports`, and a strict TypeScript consumer resolving it by name
 * type-checks against its `.d.ts` (and a wrong call does not).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { typeCheckStrictConsumer } from "../helpers/strict-consumer.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PACKAGE_DIR = path.join(ROOT, "generated/fintecture-token-then-payment-workflow");
const PACKAGE_NAME = JSON.parse(readFileSync(path.join(PACKAGE_DIR, "package.json"), "utf8")).name as string;

/** A consumer project outside the repo: node_modules holds the generated package and openapi-fetch, nothing else. */
let consumer: string;
beforeAll(() => {
  consumer = mkdtempSync(path.join(tmpdir(), "arazzo-ts-consumer-"));
  mkdirSync(path.join(consumer, "node_modules"));
  symlinkSync(PACKAGE_DIR, path.join(consumer, "node_modules", PACKAGE_NAME), "dir");
  symlinkSync(path.join(ROOT, "node_modules/openapi-fetch"), path.join(consumer, "node_modules/openapi-fetch"), "dir");
  writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", type: "module", private: true }));
});
afterAll(() => rmSync(consumer, { recursive: true, force: true }));

function typeCheck(code: string): string[] {
  return typeCheckStrictConsumer(path.join(consumer, `consumer-${Math.random().toString(36).slice(2)}.ts`), code);
}

describe("the generated package", () => {
  test("is importable by plain Node through its exports map", () => {
    const script = `import * as pkg from ${JSON.stringify(PACKAGE_NAME)}; console.log(Object.keys(pkg).sort().join(","));`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: consumer, encoding: "utf8" });
    expect(out.trim().split(",")).toEqual(
      [
        "ArazzoConfigError",
        "ArazzoStepError",
        "createOauthApiClient",
        "createPisApiClient",
        "fromMiddleware",
        "oauthApiDefaultBaseUrl",
        "oauthApiServers",
        "pisApiDefaultBaseUrl",
        "pisApiSecurity",
        "pisApiServers",
        "runTokenThenPayment",
      ].sort(),
    );
  });

  test("type-checks in a strict TypeScript consumer", () => {
    const diagnostics = typeCheck(`
      import { runTokenThenPayment, ArazzoStepError, type TokenThenPaymentOutputs } from ${JSON.stringify(PACKAGE_NAME)};
      export async function pay(): Promise<TokenThenPaymentOutputs["status"]> {
        try {
          const outputs = await runTokenThenPayment(
            { clientId: "id", clientSecret: "s", amount: "1.00", currency: "GBP", communication: "c", requestId: "r" },
            { baseUrls: { pisApi: "https://api-sandbox.fintecture.com" } },
          );
          return outputs.status;
        } catch (error) {
          if (error instanceof ArazzoStepError) console.error(error.stepId, error.status);
          throw error;
        }
      }
    `);
    expect(diagnostics).toEqual([]);
  });

  test("rejects a wrong call in a strict consumer", () => {
    const diagnostics = typeCheck(`
      import { runTokenThenPayment } from ${JSON.stringify(PACKAGE_NAME)};
      void runTokenThenPayment({ clientId: "id", clientSecret: "s", amount: "1.00", currency: "USD", communication: "c", requestId: "r" });
    `);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatch(/^TS2322: Type '"USD"' is not assignable to type '"EUR" \| "GBP" \| "PLN"'/);
  });
});
