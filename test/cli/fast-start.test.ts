/**
 * Fast start: `arazzo-ts --help` and `--version` must not load the heavy dependencies
 * (ts-morph, openapi-typescript, typescript, ajv, yaml, handlebars). The real `bin.js`
 * runs with a preloaded module recorder (`record-loads.mjs`: an ES module resolve hook and
 * the CommonJS require cache), and a control run of `validate` shows the recorder sees
 * those packages when they are loaded. The wall time of `--version` against `node -e 0`
 * is printed, not asserted (machines differ).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { FIXTURES } from "../helpers/workspace.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(ROOT, "generator/bin.js");
const RECORDER = path.join(import.meta.dirname, "record-loads.mjs");
const HEAVY = ["ts-morph", "openapi-typescript", "typescript", "ajv", "yaml", "handlebars", "@dagrejs/dagre", "undici"];
const logs = mkdtempSync(path.join(tmpdir(), "arazzo-ts-loads-"));
afterAll(() => rmSync(logs, { recursive: true, force: true }));

let runs = 0;
/** Runs the CLI and returns its output and the packages (under node_modules) it loaded. */
function runRecorded(args: string[], cwd = ROOT) {
  const log = path.join(logs, `${++runs}.log`);
  const run = spawnSync(process.execPath, ["--import", RECORDER, BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, ARAZZO_TS_LOAD_LOG: log } });
  const lines = readFileSync(log, "utf8").split("\n");
  const packages = new Set(lines.map((l) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(l)?.[1]).filter((p): p is string => p !== undefined));
  return { ...run, lines, packages };
}

describe("arazzo-ts starts fast", () => {
  for (const args of [["--version"], ["--help"], ["generate", "--version"], ["run", "--help"], ["init", "--help"]]) {
    test(`${args.join(" ")} loads none of ${HEAVY.join(", ")}`, () => {
      const run = runRecorded(args);
      expect(run.status, run.stderr).toBe(0);
      expect(
        run.lines.some((l) => /\/generator\/cli\.(ts|js)$/.test(l)),
        "the recorder saw the CLI module",
      ).toBe(true);
      expect(HEAVY.filter((p) => run.packages.has(p))).toEqual([]);
    });
  }

  test(`init (writing the config and the example) loads none of ${HEAVY.join(", ")}`, () => {
    const dir = mkdtempSync(path.join(tmpdir(), "arazzo-ts-init-"));
    try {
      const run = runRecorded(["init"], dir);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain("Wrote arazzo-ts.config.json");
      expect(HEAVY.filter((p) => run.packages.has(p))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("--version prints the version of package.json", () => {
    const run = runRecorded(["--version"]);
    expect(run.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version);
  });

  test("control: the recorder sees the heavy packages when a command loads them", () => {
    const run = runRecorded(["validate", "--no-types", "order.arazzo.yaml"], path.join(FIXTURES, "mini"));
    expect(run.status, run.stderr).toBe(0);
    expect(["yaml", "ajv"].filter((p) => !run.packages.has(p))).toEqual([]);
    // `validate --no-types` loads no emitter and no compiler: identifier rules decide ASCII ids
    // without TypeScript (`shared/names.ts` loads it for the first other character).
    expect(["typescript", "ts-morph"].filter((p) => run.packages.has(p))).toEqual([]);
  });

  test("timing: --version against node -e 0 (printed, not asserted)", () => {
    const time = (args: string[]) => {
      const samples: number[] = [];
      for (let i = 0; i < 7; i++) {
        const started = performance.now();
        spawnSync(process.execPath, args, { cwd: ROOT });
        samples.push(performance.now() - started);
      }
      return samples.sort((a, b) => a - b)[3]!;
    };
    const bare = time(["-e", "0"]);
    const version = time([BIN, "--version"]);
    console.log(`arazzo-ts --version: ${version.toFixed(0)} ms (median of 7), node -e 0: ${bare.toFixed(0)} ms: ${(version / bare).toFixed(1)}×`);
    expect(version).toBeGreaterThan(0);
  });
});
