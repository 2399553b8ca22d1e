/**
 * `arazzo-ts init [<dir>]`: the config it writes (a `$schema` that resolves in a user's project,
 * the documents, `out`), the example it writes in a folder with no Arazzo document (which
 * generates with no warning, and whose package runs on its own mocks), the documents it finds
 * otherwise, never overwriting a file, and its usage.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { EXAMPLE_FILES, INIT_USAGE, SCHEMA_IN_PACKAGE } from "../../generator/init.ts";
import { loadPackage } from "../helpers/generated-package.ts";
import { FIXTURES, runCli } from "../helpers/workspace.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
// Inside the repository, so a generated package's `openapi-fetch` resolves from its node_modules.
const OUT = mkdtempSync(path.join(import.meta.dirname, ".out-init-"));
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

let count = 0;
/** A new empty folder. */
const folder = () => {
  const dir = path.join(OUT, `p${++count}`);
  mkdirSync(dir);
  return dir;
};
/** Every file under `dir`, relative, sorted. */
const files = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .sort();

describe("init in an empty folder", () => {
  test("writes the config and the example, which generates with no warning and runs on its own mocks", async () => {
    const dir = folder();
    const init = await runCli(["init"], dir);
    expect(init.stderr).toBe("");
    expect(init.code).toBe(0);
    expect(files(dir)).toEqual(["arazzo-ts.config.json", "specs/lending.arazzo.yaml", "specs/library.openapi.yaml"]);
    expect(readFileSync(path.join(dir, "arazzo-ts.config.json"), "utf8")).toBe(
      `{\n  "$schema": "./node_modules/arazzo-ts/${SCHEMA_IN_PACKAGE}",\n  "documents": [\n    "specs/lending.arazzo.yaml"\n  ],\n  "out": "generated"\n}\n`,
    );
    for (const [to, from] of Object.entries(EXAMPLE_FILES))
      expect(readFileSync(path.join(dir, to), "utf8")).toBe(readFileSync(path.join(ROOT, "templates/init", from), "utf8"));
    expect(init.stdout).toMatch(/^Wrote arazzo-ts\.config\.json\nWrote specs\/library\.openapi\.yaml .*\nWrote specs\/lending\.arazzo\.yaml .*\n\nNext:\n/);
    // The next commands, in order: generate, import and call, the mocks.
    const next = ["npx arazzo-ts generate", 'import { runBorrowBook } from "lending";', 'import { createMockFetch, exampleInputs } from "lending/mocks";'];
    const at = next.map((line) => init.stdout.indexOf(line));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(init.stdout).toContain('await runBorrowBook(exampleInputs["borrow-book"], { fetch: createMockFetch() });');

    // `generate` with the config it wrote: no warning (--max-warnings 0 would exit 1), nothing on stderr.
    const generate = await runCli(["generate", "--max-warnings", "0"], dir);
    expect(generate.stderr).toBe("");
    expect(generate.code).toBe(0);
    expect(generate.stdout).not.toContain("warning");
    expect(generate.stdout).toMatch(/^wrote generated\/lending\/ \(\d+ files, \d+ changed\)\nGenerated 1 package\(s\) in \d+ ms\.$/);

    // The package's run function on its own mocks: the search, then the loan of the book it found.
    const { mocks, runner } = await loadPackage(path.join(dir, "generated/lending"));
    expect(mocks.exampleInputs).toEqual({ "borrow-book": { title: "Dune", memberId: "m-7" } });
    const fetch = mocks.createMockFetch();
    const outputs = await runner("borrow-book")(mocks.exampleInputs["borrow-book"], { fetch });
    expect(outputs).toEqual({ loanId: "ln-42", dueDate: "2030-01-31" });
    expect(fetch.requests.map((r) => [r.step, r.method, r.url, (r as { body?: string }).body])).toEqual([
      ["borrow-book/findBook", "GET", "https://library.example.com/v1/books?title=Dune", undefined],
      ["borrow-book/borrow", "POST", "https://library.example.com/v1/loans", '{"bookId":"bk-dune","memberId":"m-7"}'],
    ]);
    // A failing step: the loan refused.
    const refused = mocks.createMockFetch({ responses: { borrowBook: { status: 409 } } });
    await expect(runner("borrow-book")(mocks.exampleInputs["borrow-book"], { fetch: refused })).rejects.toMatchObject({
      name: "ArazzoStepError",
      stepId: "borrow",
      status: 409,
      reason: "criteria",
    });
  });

  test("init <dir> makes the folder; paths are shown from the working directory and the next commands start with cd", async () => {
    const dir = folder();
    const result = await runCli(["init", "apps/library"], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(files(dir)).toEqual(["apps/library/arazzo-ts.config.json", "apps/library/specs/lending.arazzo.yaml", "apps/library/specs/library.openapi.yaml"]);
    expect(result.stdout).toContain("Wrote apps/library/arazzo-ts.config.json\n");
    expect(result.stdout).toContain("Next:\n  cd apps/library\n  npx arazzo-ts generate\n");
  });
});

describe("$schema", () => {
  test("names the config schema where the package ships it", () => {
    // npm run build copies generator/<path> of every data file to dist/<path>; package.json ships dist/ and templates/.
    expect(SCHEMA_IN_PACKAGE).toBe("dist/config/arazzo-ts.config.schema.json");
    expect(existsSync(path.join(ROOT, "generator", SCHEMA_IN_PACKAGE.replace(/^dist\//, "")))).toBe(true);
    const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { files: string[] };
    expect(manifest.files).toEqual(expect.arrayContaining(["dist/", "templates/"]));
  });

  test("points at the arazzo-ts installed in the nearest node_modules above the folder, and resolves from it", async () => {
    const project = folder();
    // An installed arazzo-ts as the build lays it out: the schema at dist/config/.
    const installed = path.join(project, "node_modules/arazzo-ts");
    mkdirSync(path.join(installed, "dist/config"), { recursive: true });
    writeFileSync(path.join(installed, "package.json"), '{ "name": "arazzo-ts" }\n');
    cpSync(path.join(ROOT, "generator/config/arazzo-ts.config.schema.json"), path.join(installed, SCHEMA_IN_PACKAGE));

    const result = await runCli(["init", "packages/api"], project);
    expect(result.code, result.stderr).toBe(0);
    const config = JSON.parse(readFileSync(path.join(project, "packages/api/arazzo-ts.config.json"), "utf8")) as { $schema: string };
    expect(config.$schema).toBe("../../node_modules/arazzo-ts/dist/config/arazzo-ts.config.schema.json");
    expect(existsSync(path.join(project, "packages/api", config.$schema))).toBe(true);

    // In the project's own folder: ./node_modules/….
    const top = folder();
    symlinkSync(path.join(project, "node_modules"), path.join(top, "node_modules"));
    expect((await runCli(["init"], top)).code).toBe(0);
    const topConfig = JSON.parse(readFileSync(path.join(top, "arazzo-ts.config.json"), "utf8")) as { $schema: string };
    expect(topConfig.$schema).toBe("./node_modules/arazzo-ts/dist/config/arazzo-ts.config.schema.json");
    expect(existsSync(path.join(top, topConfig.$schema))).toBe(true);
  });
});

describe("a folder that has Arazzo documents", () => {
  test("the config lists them, and no example is written", async () => {
    const dir = folder();
    cpSync(path.join(FIXTURES, "mini"), path.join(dir, "flows"), { recursive: true });
    // Not documents: a YAML file without a top-level `arazzo` version, and one under node_modules.
    writeFileSync(path.join(dir, "flows/notes.yaml"), "title: arazzo notes\nitems:\n  - arazzo: 1.0.1\n");
    mkdirSync(path.join(dir, "node_modules/dep"), { recursive: true });
    writeFileSync(path.join(dir, "node_modules/dep/x.arazzo.yaml"), "arazzo: 1.0.1\n");
    // Nor test fixtures and build output (often broken on purpose, or copies).
    for (const folder of ["test/fixtures", "generated/order"]) {
      mkdirSync(path.join(dir, folder), { recursive: true });
      writeFileSync(path.join(dir, folder, "broken.arazzo.yaml"), "arazzo: 1.0.1\n");
    }
    writeFileSync(path.join(dir, "flows/second.arazzo.json"), '{\n  "arazzo": "1.0.1"\n}\n');

    const result = await runCli(["init"], dir);
    expect(result.code, result.stderr).toBe(0);
    const config = JSON.parse(readFileSync(path.join(dir, "arazzo-ts.config.json"), "utf8")) as Record<string, unknown>;
    expect(config.documents).toEqual(["flows/order.arazzo.yaml", "flows/second.arazzo.json"]);
    expect(config.out).toBe("generated");
    expect(existsSync(path.join(dir, "specs"))).toBe(false);
    expect(result.stdout).toMatch(
      /^Wrote arazzo-ts\.config\.json, for the 2 Arazzo document\(s\) found here:\n {2}flows\/order\.arazzo\.yaml\n {2}flows\/second\.arazzo\.json\n\nNext:\n/,
    );
    expect(result.stdout).toContain("generated/order/, generated/second/");

    // The config it wrote works: validate reads the documents from it (the JSON one is not a whole document).
    rmSync(path.join(dir, "flows/second.arazzo.json"));
    writeFileSync(
      path.join(dir, "arazzo-ts.config.json"),
      readFileSync(path.join(dir, "arazzo-ts.config.json"), "utf8").replace(',\n    "flows/second.arazzo.json"', ""),
    );
    const validate = await runCli(["validate", "--no-types"], dir);
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toContain("1 document(s) checked: 0 error(s)");
  });
});

describe("never overwrites a file", () => {
  test("an existing config is left byte-identical, nothing else is written, exit 1", async () => {
    const dir = folder();
    const text = '{ "out": "mine",\n  "documents": ["x.arazzo.yaml"] }'; // no final newline, unusual spacing: kept as it is
    writeFileSync(path.join(dir, "arazzo-ts.config.json"), text);
    const result = await runCli(["init"], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe("arazzo-ts.config.json already exists: left as it is.\n\nNothing was written: init never overwrites a file.");
    expect(readFileSync(path.join(dir, "arazzo-ts.config.json"), "utf8")).toBe(text);
    expect(files(dir)).toEqual(["arazzo-ts.config.json"]);
  });

  test("a config of another format is in the way too (two would make every command fail)", async () => {
    const dir = folder();
    writeFileSync(path.join(dir, "arazzo-ts.config.mjs"), "export default {};\n");
    const result = await runCli(["init"], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("arazzo-ts.config.mjs already exists: left as it is.");
    expect(files(dir)).toEqual(["arazzo-ts.config.mjs"]);
  });

  test("a file of the example in the way: nothing is written", async () => {
    const dir = folder();
    mkdirSync(path.join(dir, "specs"));
    writeFileSync(path.join(dir, "specs/library.openapi.yaml"), "mine: true\n");
    const result = await runCli(["init"], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("specs/library.openapi.yaml already exists: left as it is.\n\nNothing was written: init never overwrites a file.");
    expect(files(dir)).toEqual(["specs/library.openapi.yaml"]);
    expect(readFileSync(path.join(dir, "specs/library.openapi.yaml"), "utf8")).toBe("mine: true\n");
  });
});

describe("usage", () => {
  test("init --help prints its usage, exit 0; arazzo-ts --help names init", async () => {
    const dir = folder();
    for (const args of [
      ["init", "--help"],
      ["init", "-h"],
    ]) {
      const result = await runCli(args, dir);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe("");
      expect(result.stdout).toBe(INIT_USAGE);
    }
    expect(INIT_USAGE).toMatch(/^Usage:\n {2}arazzo-ts init \[<dir>\]\n/);
    expect(INIT_USAGE).toContain("Exit codes: 0 written, 1 a file it would write exists (nothing written), 2 wrong usage.");
    expect(files(dir)).toEqual([]);
    const main = await runCli(["--help"], dir);
    expect(main.stdout).toContain("  arazzo-ts init [<dir>]\n");
  });

  test("wrong usage: exit 2 with the usage, nothing written", async () => {
    const dir = folder();
    writeFileSync(path.join(dir, "a-file"), "");
    const cases: [string[], string][] = [
      [["init", "--force"], "error: unknown option --force\n\n"],
      [["init", "one", "two"], "error: init takes one folder, not 2 (one, two)\n\n"],
      [["init", "a-file"], "error: a-file is a file, not a folder\n\n"],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, dir);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`${message}${INIT_USAGE}`);
    }
    expect(files(dir)).toEqual(["a-file"]);
  });
});
