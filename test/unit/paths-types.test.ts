/**
 * openapi-typescript on its worker thread (`openapi-typescript-thread.ts`, issue 24) gives the
 * types it gives in-process, byte for byte, and the same diagnostic when it cannot read a
 * description; without the thread (never started, or stopped), the types are made in-process.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { afterEach, describe, expect, test } from "vitest";
import { DiagnosticBag } from "../../generator/diagnostics.ts";
import type { ApiTypeInput } from "../../generator/ir/types.ts";
import {
  startOpenapiTypescriptThread,
  stopOpenapiTypescriptThread,
  typesOnThread,
  WorkerUnavailable,
} from "../../generator/targets/typescript/openapi-typescript-thread.ts";
import { pathsTypes } from "../../generator/targets/typescript/paths-types.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const file = path.join(ROOT, "specs/fintecture/openapi/fintecture-pis-api-openapi.yml");
const input: ApiTypeInput = { file, document: parse(readFileSync(file, "utf8")), location: { file, line: 1, col: 1 } };
// A `$ref` into a file that does not exist: openapi-typescript cannot read it.
const broken: ApiTypeInput = {
  file: path.join(ROOT, "test/fixtures/nowhere.yaml"),
  document: { openapi: "3.1.0", info: { title: "x", version: "1" }, paths: {}, components: { schemas: { A: { $ref: "./missing.yaml#/A" } } } },
  location: { file, line: 1, col: 1 },
};

async function run(given: ApiTypeInput): Promise<{ text?: string; diagnostics: unknown[] }> {
  const bag = new DiagnosticBag();
  const text = await pathsTypes(given, bag);
  return { text, diagnostics: bag.items };
}

describe("openapi-typescript on a worker thread", () => {
  let started = 0;
  afterEach(async () => {
    for (; started > 0; started--) await stopOpenapiTypescriptThread();
  });

  test("gives the in-process types and diagnostics, byte for byte", async () => {
    await expect(typesOnThread(input.document, new URL("file:///x")).catch((e) => e)).resolves.toBeInstanceOf(WorkerUnavailable);
    const inProcess = [await run(input), await run(broken)];
    startOpenapiTypescriptThread();
    started++;
    const onThread = [await run(input), await run(broken)];
    expect(inProcess[0]!.text).toContain("paths");
    expect(inProcess[0]!.text!.length).toBeGreaterThan(10_000);
    expect(inProcess[1]!.diagnostics).toHaveLength(1);
    expect(onThread).toEqual(inProcess);
    // It did run on the thread.
    await expect(typesOnThread(input.document, new URL(`file://${file}`))).resolves.toBe(inProcess[0]!.text);
  }, 60_000);

  test("several at once come back to their callers", async () => {
    startOpenapiTypescriptThread();
    started++;
    const results = await Promise.all([run(broken), run(input), run(broken), run(input), run(broken)]);
    expect(results[1]).toEqual(results[3]);
    expect(results[1]!.text!.length).toBeGreaterThan(10_000);
    for (const i of [0, 2, 4]) expect(results[i]!.diagnostics).toHaveLength(1);
  }, 60_000);
});
