/**
 * OpenAPI documents with broken `$ref`s (`test/fixtures/broken-openapi/`): a broken reference
 * in a part no step uses does not block generation and is not reported; one in a part a
 * step uses is a warning at the `$ref` (naming the step), and the generated package types
 * it `unknown` (or leaves it out) and type-checks. Only the operations the workflows call
 * are typed, unless `allOperations`. openapi-typescript never prints to the console.
 *
 * The former malformed cases `openapi-unresolvable-ref` (a misspelt schema name) and
 * `openapi-circular-schemas` (`Dog` ↔ `Animal`) are rows of the first test now: both generate.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { formatDiagnostic } from "../../generator/diagnostics.ts";
import { generate, type GenerateResult } from "../../generator/generate.ts";
import { runCli } from "../helpers/workspace.ts";

const FIXTURE = path.resolve(import.meta.dirname, "../fixtures/broken-openapi");
// Inside the repository, so the generated package resolves openapi-fetch from its node_modules.
const out = mkdtempSync(path.join(FIXTURE, ".out-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const run = (file: string, options: { allOperations?: boolean } = {}) =>
  generate({ inputs: [path.join(FIXTURE, file)], outDir: out, write: false, ...options });
const shown = (result: GenerateResult) => result.diagnostics.map((d) => formatDiagnostic(d, FIXTURE));
const pathsFile = (result: GenerateResult) => result.packages[0]!.files.find((f) => f.path === "src/pets.paths.ts")!.text;
/** The operation names of the `operations` interface. */
const operationNames = (types: string) =>
  types
    .slice(types.indexOf("export interface operations {"))
    .match(/^ {4}\w+(?=: \{$)/gm)
    ?.map((n) => n.trim());
/** `text` contains `snippet`, whatever the whitespace. */
const has = (text: string, snippet: string) => text.replace(/\s+/g, " ").includes(snippet.replace(/\s+/g, " "));

const WARNINGS = [
  "pets.openapi.yaml:13:17 - warning unresolved-reference: `#/components/parameters/Limit` does not exist in `pets.openapi.yaml`; step `list` uses it, so the parameter is left out there\n  hint: add `Limit` to components.parameters, or fix the $ref",
  "pets.openapi.yaml:48:31 - warning unresolved-reference: `#/components/schemas/Pett` does not exist in `pets.openapi.yaml`; step `read` uses it, so it is typed `unknown` there\n  hint: did you mean `#/components/schemas/Pet`?",
  "pets.openapi.yaml:65:31 - warning unresolved-reference: `#/components/schemas/Animal` is circular: `Animal` → `Dog` → `Animal` never resolves to a schema; step `animal` uses it, so it is typed `unknown` there\n  hint: give one of them a definition instead of a $ref, or fix the $ref",
  "pets.openapi.yaml:71:28 - warning unresolved-reference: `#/components/requestBodies/Rename` does not exist in `pets.openapi.yaml`; step `rename` uses it, so the request body is left out there\n  hint: add `Rename` to components.requestBodies, or fix the $ref",
  "pets.openapi.yaml:73:24 - warning unresolved-reference: `#/components/responses/Renamed` does not exist in `pets.openapi.yaml`; step `rename` uses it, so that response is typed without a body there\n  hint: add `Renamed` to components.responses, or fix the $ref",
  "pets.openapi.yaml:100:24 - warning unresolved-reference: `#/components/schemas/Owner` does not exist in `pets.openapi.yaml`; step `create` uses it, so it is typed `unknown` there\n  hint: add `Owner` to components.schemas, or fix the $ref",
];

let used: GenerateResult;
let all: GenerateResult;
beforeAll(async () => {
  [used, all] = [await run("pets.arazzo.yaml"), await run("pets.arazzo.yaml", { allOperations: true })];
});

describe("an OpenAPI document with broken references", () => {
  test("generates and type-checks, with one warning per broken reference a step uses, at the $ref; nothing about unused parts", () => {
    expect(shown(used).filter((d) => d.startsWith("pets.openapi.yaml"))).toEqual(WARNINGS);
    expect(used.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(used.ok).toBe(true);
  });

  test("a request field with a `default` stays optional (openapi-typescript's defaultNonNullable is off)", () => {
    // The create step sends no `status`: with defaultNonNullable it would be required, and the request would not compile.
    expect(has(pathsFile(used), "/** @default available */ status?: string;")).toBe(true);
  });

  test("what a broken reference stands for is typed `unknown` or left out", () => {
    const types = pathsFile(used);
    // createPet: NewPet.owner refers to a schema that does not exist.
    expect(has(types, "NewPet: { name: string; owner?: unknown; /** @default available */ status?: string; };")).toBe(true);
    // getPet and getAnimal: the response schemas are a misspelling and a loop.
    expect(has(types, `/** @description the pet */ 200: { headers: { [name: string]: unknown; }; content: { "application/json": unknown; }; };`)).toBe(true);
    expect(has(types, `/** @description an animal */ 200: { headers: { [name: string]: unknown; }; content: { "application/json": unknown; }; };`)).toBe(true);
    // listPets: the dangling `Limit` parameter is left out, `Cursor` is kept, no phantom `limit`.
    expect(has(types, `query?: { cursor?: components["parameters"]["Cursor"]; };`)).toBe(true);
    // renamePet: the dangling request body is left out, the dangling 204 response has no content.
    expect(
      has(
        types,
        `renamePet: { parameters: { query?: never; header?: never; path: { petId: string; }; cookie?: never; }; requestBody?: never; responses: { 204: { headers: { [name: string]: unknown; }; content?: never; }; }; };`,
      ),
    ).toBe(true);
    expect(types).not.toMatch(/\blimit\b/);
    // The loop's schemas and example files are not in the output; an existing external file is bundled.
    expect(types).not.toMatch(/\b(Dog|Animal|Owner)\b/);
    expect(has(types, `"tag.schema": "cat" | "dog";`)).toBe(true);
  });

  test("types only the operations the workflows use", () => {
    const types = pathsFile(used);
    expect(types.match(/^ {4}"\/[^"]*": \{$/gm)).toEqual(['    "/pets": {', '    "/pets/{petId}": {', '    "/animals/{id}": {', '    "/pets/{petId}/name": {']);
    expect(operationNames(types)).toEqual(["listPets", "createPet", "getPet", "getAnimal", "renamePet"]);
    expect(has(types, `get: operations["getPet"]; put?: never; post?: never; delete?: never;`)).toBe(true);
  });

  test("with allOperations, every operation is typed, and unused broken parts are still not reported", () => {
    const types = pathsFile(all);
    expect(types.match(/^ {4}"\/[^"]*": \{$/gm)).toEqual([
      '    "/pets": {',
      '    "/pets/{petId}": {',
      '    "/animals/{id}": {',
      '    "/pets/{petId}/name": {',
      '    "/owners": {',
    ]);
    expect(operationNames(types)).toEqual(["listPets", "createPet", "getPet", "deletePet", "getAnimal", "renamePet", "listOwners"]);
    // deletePet: its dangling parameter is left out. listOwners: the missing schema file is `unknown`, the dangling default response has no content.
    expect(has(types, `deletePet: { parameters: { query?: never; header?: never; path: { petId: string; }; cookie?: never; };`)).toBe(true);
    expect(has(types, `"application/json": unknown; }; }; default: { headers: { [name: string]: unknown; }; content?: never; };`)).toBe(true);
    expect(shown(all)).toEqual(shown(used));
    expect(all.ok).toBe(true);
  });

  test("`--all-operations` on the command line", async () => {
    const cli = await runCli(["generate", "pets.arazzo.yaml", "--out", path.relative(FIXTURE, out), "--all-operations"], FIXTURE);
    expect(cli.code).toBe(0);
    expect(readFileSync(path.join(out, "pets/src/pets.paths.ts"), "utf8")).toContain('"/owners"');
  });

  test("`validate` reports the same warnings", async () => {
    const cli = await runCli(["validate", "pets.arazzo.yaml"], FIXTURE);
    expect(cli.code).toBe(0);
    expect(cli.stdout.split("\n").filter((l) => /unresolved-reference|^ {2}hint/.test(l))).toEqual(WARNINGS.flatMap((w) => w.split("\n")));
  });

  test("a step that supplies a parameter whose definition is broken: sent untyped, and the warnings say why", async () => {
    const result = await run("supplies-broken-parameter.arazzo.yaml");
    expect(shown(result)).toEqual([
      "pets.openapi.yaml:13:17 - warning unresolved-reference: `#/components/parameters/Limit` does not exist in `pets.openapi.yaml`; step `first-page` uses it, so the parameter is left out there\n  hint: add `Limit` to components.parameters, or fix the $ref",
      "supplies-broken-parameter.arazzo.yaml:15:13 - warning undeclared-parameter: operation `listPets` declares no query parameter `limit`, and some of its parameters are `$ref`s that do not resolve; it is sent untyped\n  hint: fix the operation's parameter `$ref`s",
    ]);
    expect(result.ok).toBe(true);
  });
});

describe("openapi-typescript's own output", () => {
  test("nothing reaches the console when openapi-typescript rejects a document; its error is a diagnostic", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const result = await run("rejected.arazzo.yaml");
      expect(shown(result)).toEqual([
        "rejected.openapi.yaml:3:1 - error openapi-types: openapi-typescript cannot read this description: Can't resolve $ref at #/paths/~1tags/get/responses/200/content/application~1json/schema",
      ]);
      expect(error).not.toHaveBeenCalled();
      expect(warn).not.toHaveBeenCalled();
      // Restored afterwards.
      expect(console.error).toBe(error);
      expect(console.warn).toBe(warn);
    } finally {
      error.mockRestore();
      warn.mockRestore();
    }
  });
});
