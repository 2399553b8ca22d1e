/**
 * The type-check cache (`check-cache.ts`): a package whose generated sources did not change
 * since a run that passed is not checked again (tsgo is not started), and gets the same
 * `dist/`; any change to the sources checks again; failures are never kept; a broken entry
 * is a miss. The command line keeps results in `node_modules/.cache/arazzo-ts` of the
 * project, says when it used them, and `--no-cache` turns it off.
 */
import * as childProcess from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { generate, type GenerateResult } from "../../generator/generate.ts";
import { nativeChecker } from "../../generator/targets/typescript/check-native.ts";
import { runCli, workspace, type Workspace } from "../helpers/workspace.ts";

vi.mock("node:child_process", async (original) => {
  const actual = await original<typeof import("node:child_process")>();
  return { ...actual, execFile: vi.fn(actual.execFile) };
});
const execFile = vi.mocked(childProcess.execFile);

let ws: Workspace;
beforeEach(() => {
  ws = workspace("mini");
  execFile.mockClear();
});
afterEach(() => ws.remove());

const cacheDir = () => ws.file("cache");
const run = (options: { cacheDir?: string; checker?: "native" | "typescript" } = { cacheDir: cacheDir() }) =>
  generate({ inputs: [ws.file("order.arazzo.yaml")], outDir: ws.file("out"), write: false, ...options });
const texts = (result: GenerateResult) => Object.fromEntries(result.packages[0]!.files.map((f) => [f.path, f.text]));
const entries = () => (existsSync(cacheDir()) ? readdirSync(cacheDir()) : []);

test.skipIf(!nativeChecker())("a second run with the same sources is not checked again, and gives the same files", async () => {
  const first = await run();
  expect(first.ok, JSON.stringify(first.diagnostics)).toBe(true);
  expect(first.cached).toEqual([]);
  expect(execFile).toHaveBeenCalledTimes(1);
  expect(entries()).toEqual([expect.stringMatching(/^check-[0-9a-f]{16}\.json$/)]);

  const second = await run();
  expect(second.cached).toEqual([first.packages[0]!.dir]);
  expect(execFile).toHaveBeenCalledTimes(1);
  expect(texts(second)).toEqual(texts(first));
  expect(Object.keys(texts(second))).toContain("dist/place-order.d.ts");
});

test("the files come from the entry: what it holds is what the run returns", async () => {
  await run();
  const [name] = entries();
  const file = path.join(cacheDir(), name!);
  const entry = JSON.parse(readFileSync(file, "utf8"));
  const dts = entry.dist.find((f: { path: string }) => f.path === "dist/place-order.d.ts");
  dts.text = `// from the cache\n${dts.text}`;
  writeFileSync(file, JSON.stringify(entry));
  const again = await run();
  expect(texts(again)["dist/place-order.d.ts"]).toMatch(/^\/\/ from the cache\n/);
});

test("any change to the generated sources, or another checker, checks again", async () => {
  const first = await run();
  ws.patch("order.arazzo.yaml", "quantity: { type: integer }", "quantity: { type: integer, description: How many to order }");
  const changed = await run();
  expect(changed.ok).toBe(true);
  // The input's doc comment changed, and with it the module.
  expect(texts(changed)["src/place-order.ts"]).not.toBe(texts(first)["src/place-order.ts"]);
  expect(changed.cached).toEqual([]);
  // One entry per package folder: the new result replaced the old one.
  expect(entries()).toHaveLength(1);
  const inProcess = await run({ cacheDir: cacheDir(), checker: "typescript" });
  expect(inProcess.cached).toEqual([]);
  expect((await run({ cacheDir: cacheDir(), checker: "typescript" })).cached).toEqual([inProcess.packages[0]!.dir]);
});

test("a run with type errors is not kept, and an unreadable entry is a miss", async () => {
  ws.patch("order.arazzo.yaml", "quantity: $inputs.quantity", "quantity: true");
  const failed = await run();
  expect(failed.ok).toBe(false);
  expect(failed.diagnostics.map((d) => d.code)).toContain("TS2322");
  expect(entries()).toEqual([]);
  // Same failure from the checker on the next run.
  expect((await run()).diagnostics.map((d) => d.code)).toContain("TS2322");

  ws.patch("order.arazzo.yaml", "quantity: true", "quantity: $inputs.quantity");
  await run();
  // With the entry's own key, so only the path makes it a miss.
  const { key } = JSON.parse(readFileSync(path.join(cacheDir(), entries()[0]!), "utf8")) as { key: string };
  const escaping = (p: string) => JSON.stringify({ format: 1, key, dist: [{ path: p, text: "" }] });
  for (const text of ["not json", "{}", escaping("../evil"), escaping("dist/../../evil"), escaping("src/index.ts")]) {
    writeFileSync(path.join(cacheDir(), entries()[0]!), text);
    const result = await run();
    expect([text, result.ok, result.cached]).toEqual([text, true, []]);
  }
});

test("without cacheDir every run checks", async () => {
  await run({});
  const second = await run({});
  expect(second.cached).toEqual([]);
  expect(existsSync(cacheDir())).toBe(false);
});

test("the command line keeps results in node_modules/.cache/arazzo-ts, says when it used them, and --no-cache checks anyway", async () => {
  mkdirSync(ws.file("node_modules"));
  const args = ["generate", "order.arazzo.yaml", "--out", "out"];
  const first = await runCli(args, ws.dir);
  expect(first.code, first.stderr).toBe(0);
  expect(first.stdout).not.toContain("from cache");
  expect(readdirSync(ws.file("node_modules/.cache/arazzo-ts"))).toHaveLength(1);
  const second = await runCli(args, ws.dir);
  expect(second.stdout).toMatch(/Generated 1 package\(s\) in \d+ ms \(type-check of 1 from cache\)\./);
  const check = await runCli([...args, "--check"], ws.dir);
  expect(check.stdout).toContain("(type-check of 1 from cache)");
  const off = await runCli([...args, "--no-cache"], ws.dir);
  expect(off.stdout).not.toContain("from cache");
});

test("config `cache`: a folder relative to the config, or false", async () => {
  ws.write("arazzo-ts.config.json", JSON.stringify({ documents: ["order.arazzo.yaml"], out: "out", cache: "build/check-cache" }));
  await runCli(["generate"], ws.dir);
  expect(readdirSync(ws.file("build/check-cache"))).toHaveLength(1);
  expect((await runCli(["generate"], ws.dir)).stdout).toContain("from cache");
  ws.write("arazzo-ts.config.json", JSON.stringify({ documents: ["order.arazzo.yaml"], out: "out", cache: false }));
  expect((await runCli(["generate"], ws.dir)).stdout).not.toContain("from cache");
});
