/**
 * Malformed-input corpus: one folder per broken input (`test/malformed/<case>/`), holding
 * `<case>.arazzo.yaml` (or `.arazzo.json`), any other file it needs, and `expected.txt`: the
 * exact stderr lines (diagnostics and hints, in order) of
 *
 *     arazzo-ts generate <case>.arazzo.yaml --out out
 *
 * run in that folder; the trailing "Found N error(s)…" summary and blank lines are left out.
 * Cases share a valid OpenAPI document as `../_shared/api.openapi.yaml`; `_baseline` is a
 * valid document over it, so each case is broken in exactly the way its name says.
 * Absolute paths of the temporary workspace are written as `<workspace>` in `expected.txt`.
 *
 * Every case must exit 1 with those lines, quickly, with no stack trace and no internal error.
 *
 * Regenerate the expected files after a deliberate change of wording, then review each diff:
 *
 *     UPDATE_MALFORMED=1 npx vitest run test/malformed
 *
 * Cases in KNOWN_BUGS are generator bugs: their `expected.txt` holds the behaviour wanted
 * (the wording there is a proposal) and they run as `test.fails`. Their check compares the
 * exit code and each diagnostic's `file:line:col - error` only, so the mark starts failing
 * once the bug is fixed, whatever wording the fix chooses; then remove the entry and
 * regenerate that case's `expected.txt`. UPDATE_MALFORMED never rewrites a known bug's file.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { runCli, type CliRun } from "../helpers/workspace.ts";

const HERE = import.meta.dirname;
const UPDATE = process.env.UPDATE_MALFORMED === "1";
const STACK_FRAME = /\n\s+at .+:\d+:\d+/;
/** A case that takes longer than this counts as a hang. */
const HANG_MS = 20_000;

/** Case folder → the exact symptom observed (the test then runs as `test.fails`). */
const KNOWN_BUGS: Record<string, string> = {
};

interface Run extends CliRun {
  readonly ms: number;
}

/**
 * Runs the CLI in-process like `bin.js` does: an exception is exit 3 "internal error". Gives
 * up waiting after `giveUpMs` (an asynchronous hang; a synchronous one hits vitest's timeout).
 */
async function runGuarded(args: readonly string[], cwd: string, giveUpMs = HANG_MS * 3): Promise<Run> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<CliRun>((resolve) => {
    timer = setTimeout(() => resolve({ code: -1, stdout: "", stderr: `hang: no result after ${giveUpMs} ms` }), giveUpMs);
  });
  try {
    const result = await Promise.race([runCli(args, cwd), hang]);
    return { ...result, ms: performance.now() - started };
  } catch (error) {
    const message = (error as Error)?.message ?? String(error);
    return { code: 3, stdout: "", stderr: `internal error: ${message}\nThis is a bug in arazzo-ts`, ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

/** Copies `folder` and `_shared` side by side into a temporary directory. */
function makeWorkspace(folder: string): { root: string; dir: string } {
  const root = mkdtempSync(path.join(tmpdir(), "arazzo-ts-malformed-"));
  cpSync(path.join(HERE, "_shared"), path.join(root, "_shared"), { recursive: true });
  cpSync(path.join(HERE, folder), path.join(root, folder), { recursive: true });
  return { root, dir: path.join(root, folder) };
}

/** The stderr lines `expected.txt` holds: without blank lines and the closing summary. */
function diagnosticLines(stderr: string, root: string): string[] {
  let text = stderr;
  for (const prefix of new Set([realpathSync(root), root])) text = text.split(prefix).join("<workspace>");
  return text.split("\n").filter((line) => line.trim() !== "" && !/^Found \d+ error\(s\) and \d+ warning\(s\)/.test(line));
}

function readExpected(folder: string): string[] {
  const file = path.join(HERE, folder, "expected.txt");
  if (!existsSync(file)) return ["<expected.txt is missing: run with UPDATE_MALFORMED=1 and review it>"];
  return readFileSync(file, "utf8").split("\n").filter((line) => line.trim() !== "");
}

/** `file:line:col - error` of each diagnostic line (hints left out). */
function locations(lines: readonly string[]): string[] {
  return lines.filter((line) => !line.startsWith(" ")).map((line) => /^(\S+:\d+:\d+ - \w+) /.exec(line)?.[1] ?? line);
}

function expectNoCrash(run: Run): void {
  expect(run.stderr, "stack frames in stderr").not.toMatch(STACK_FRAME);
  expect(run.stderr).not.toMatch(/internal error|Maximum call stack size exceeded|^hang:/m);
  expect(run.ms, "took too long").toBeLessThan(HANG_MS);
}

const cases = readdirSync(HERE, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !entry.name.startsWith("_"))
  .map((entry) => entry.name)
  .sort();

function entryFile(folder: string): string {
  const candidates = [`${folder}.arazzo.yaml`, `${folder}.arazzo.json`].filter((f) => existsSync(path.join(HERE, folder, f)));
  if (candidates.length !== 1) throw new Error(`test/malformed/${folder} needs exactly one ${folder}.arazzo.yaml or ${folder}.arazzo.json`);
  return candidates[0]!;
}

describe("malformed inputs: exact diagnostics, exit 1, no crash", () => {
  test("the corpus is there and every known bug names a case", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    for (const name of Object.keys(KNOWN_BUGS)) expect(cases).toContain(name);
  });

  test("_baseline: the shared setup is valid, so each case fails for its own reason", async () => {
    const ws = makeWorkspace("_baseline");
    try {
      const run = await runGuarded(["generate", "_baseline.arazzo.yaml", "--out", "out"], ws.dir);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
    } finally {
      rmSync(ws.root, { recursive: true, force: true });
    }
  });

  for (const folder of cases) {
    const knownBug = KNOWN_BUGS[folder];
    const body = async () => {
      const ws = makeWorkspace(folder);
      try {
        const run = await runGuarded(["generate", entryFile(folder), "--out", "out"], ws.dir);
        const actual = diagnosticLines(run.stderr, ws.root);
        if (UPDATE && !knownBug) writeFileSync(path.join(HERE, folder, "expected.txt"), actual.join("\n") + "\n");
        const expected = readExpected(folder);
        expectNoCrash(run);
        expect(run.code, run.stderr).toBe(1);
        if (knownBug) expect(locations(actual)).toEqual(locations(expected));
        else expect(actual).toEqual(expected);
      } finally {
        rmSync(ws.root, { recursive: true, force: true });
      }
    };
    if (knownBug) test.fails(`${folder} [known bug: ${knownBug}]`, body);
    else test(folder, body);
  }
});

describe("generated inputs: size and depth", () => {
  /** Writes `files` into a fresh workspace next to `_shared` and runs `generate` on the first. */
  async function generateIn(files: Record<string, string>, giveUpMs?: number): Promise<Run & { lines: string[] }> {
    const root = mkdtempSync(path.join(tmpdir(), "arazzo-ts-malformed-"));
    try {
      cpSync(path.join(HERE, "_shared"), path.join(root, "_shared"), { recursive: true });
      const dir = path.join(root, "case");
      mkdirSync(dir);
      for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
      const run = await runGuarded(["generate", Object.keys(files)[0]!, "--out", "out"], dir, giveUpMs);
      return { ...run, lines: diagnosticLines(run.stderr, root) };
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }

  const header = (title: string) =>
    `arazzo: 1.0.1\ninfo:\n  title: ${title}\n  version: 1.0.0\n` +
    `sourceDescriptions:\n  - name: pets\n    url: ../_shared/api.openapi.yaml\n    type: openapi\n`;
  const readPetWorkflow = (id: string) => `  - workflowId: ${id}
    steps:
      - stepId: read
        operationId: getPet
        parameters:
          - name: petId
            in: path
            value: "1"
        successCriteria:
          - condition: $statusCode == 200
        outputs:
          name: $response.body#/name
    outputs:
      name: $steps.read.outputs.name
`;

  /** Either it generated, or it reported a located, coded error; never a crash. */
  function expectGeneratesOrDiagnoses(run: Run & { lines: string[] }, file: string, boundMs: number): void {
    expect(run.stderr, "stack frames in stderr").not.toMatch(STACK_FRAME);
    expect(run.stderr).not.toMatch(/internal error|Maximum call stack size exceeded|^hang:/m);
    expect(run.ms, "took too long").toBeLessThan(boundMs);
    expect([0, 1], run.stderr).toContain(run.code);
    if (run.code === 1) {
      expect(run.lines[0]).toMatch(new RegExp(`^${file.replace(/\./g, "\\.")}:\\d+:\\d+ - error [a-z0-9-]+: \\S`));
    }
  }

  // Generation is linear but not fast: 2,000 workflows (6,015 files written and type-checked)
  // took 29 s on an idle machine and 40 s under load, hence the bound of 120 s.
  test("2,000 workflows (0.7 MB): generates or diagnoses within 120 s", async () => {
    const text = header("Many workflows") + "workflows:\n" + Array.from({ length: 2000 }, (_, i) => readPetWorkflow(`read-pet-${i}`)).join("");
    const run = await generateIn({ "many.arazzo.yaml": text }, 150_000);
    expectGeneratesOrDiagnoses(run, "many.arazzo.yaml", 120_000);
  }, 240_000);

  test("a 5 MB document (one workflow and a large extension field): generates or diagnoses within 60 s", async () => {
    const padding = Array.from({ length: 80_000 }, (_, i) => `  - { id: item-${i}, note: "padding padding padding padding padding" }\n`).join("");
    const text = header("Big") + "workflows:\n" + readPetWorkflow("read-pet") + "x-padding:\n" + padding;
    expect(text.length).toBeGreaterThan(5_000_000);
    const run = await generateIn({ "big.arazzo.yaml": text });
    expectGeneratesOrDiagnoses(run, "big.arazzo.yaml", 60_000);
  }, 180_000);

  /** A JSON document whose request payload nests `depth` objects: `extra: {"a": {"a": … 1}}`. */
  const deepPayload = (depth: number) =>
    JSON.stringify({
      arazzo: "1.0.1",
      info: { title: "Deep", version: "1.0.0" },
      sourceDescriptions: [{ name: "pets", url: "../_shared/api.openapi.yaml", type: "openapi" }],
      workflows: [{ workflowId: "create-pet", steps: [{ stepId: "create", operationId: "createPet", requestBody: { contentType: "application/json", payload: "PAYLOAD" } }] }],
    }).replace('"PAYLOAD"', `{"name":"Rex","extra":${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}`);

  test("a payload nested 50 levels deep generates", async () => {
    const run = await generateIn({ "deep.arazzo.json": deepPayload(50) });
    expectGeneratesOrDiagnoses(run, "deep.arazzo.json", 60_000);
    expect(run.code, run.stderr).toBe(0);
  });

  // Regression: from 98 levels on, the TypeScript checker failed an internal assertion
  // ("Debug Failure") on the generated object literal; values deeper than 64 levels are
  // now a `too-deep` error.
  test("a payload nested 200 levels deep is a too-deep error", async () => {
    const run = await generateIn({ "deep.arazzo.json": deepPayload(200) });
    expectGeneratesOrDiagnoses(run, "deep.arazzo.json", 60_000);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^deep\.arazzo\.json:\d+:\d+ - error too-deep: the value nests more than 64 levels deep$/m);
  });

  // Regression: the `yaml` parser's stack overflow was reported as `invalid-yaml` for valid JSON.
  test("a payload nested 5,000 levels deep is a too-deep error, not invalid YAML", async () => {
    const run = await generateIn({ "deep.arazzo.json": deepPayload(5000) });
    expectGeneratesOrDiagnoses(run, "deep.arazzo.json", 60_000);
    expect(run.stderr).not.toContain("invalid-yaml"); // the document is valid JSON
    expect(run.stderr).toMatch(/ - error too-deep: the document nests too deeply to read$/m);
  });

  // Regression (issue 22, mutation fuzzing): a package module's file name was cut to 80 bytes
  // one character at a time, each cut copying the rest: a 20,000-character source name took
  // 7 s, and 100,000 characters minutes.
  test("a source name and a workflowId of 100,000 characters generate within 60 s", async () => {
    const text = header("Long ids").replace("name: pets", `name: ${"s".repeat(100_000)}`) + "workflows:\n" + readPetWorkflow("w".repeat(100_000));
    const run = await generateIn({ "long.arazzo.yaml": text });
    expectGeneratesOrDiagnoses(run, "long.arazzo.yaml", 60_000);
    expect(run.code, run.stderr).toBe(0);
  }, 120_000);
});
