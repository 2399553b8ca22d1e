/**
 * Watch mode with real file changes in a temporary folder: an Arazzo edit regenerates that
 * document only, an OpenAPI edit every document that reads it, a save by rename is seen, a
 * broken save prints the error and a later fix regenerates, unchanged files are not
 * rewritten, a config change reloads it, and close() stops everything (no watcher left
 * open). The last test runs the real `arazzo-ts generate --watch` and stops it with SIGINT.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { watch, type Watcher, type WatchRun } from "../../generator/watch.ts";
import { workspace, type Workspace } from "../helpers/workspace.ts";

let ws: Workspace | undefined;
let watcher: Watcher | undefined;
afterEach(async () => {
  await watcher?.close();
  watcher = undefined;
  ws?.remove();
  ws = undefined;
});

const SUMMARY = /^\[\d\d:\d\d:\d\d\] (.+): generated in \d+ ms, (\d+) file\(s\) changed\.$/;

/** Two documents (order, second) over one OpenAPI description, watched. */
async function start(extra: Partial<Parameters<typeof watch>[0]> = {}) {
  ws ??= workspace("mini");
  ws.write("second.arazzo.yaml", readFileSync(ws.file("order.arazzo.yaml"), "utf8"));
  const out: string[] = [];
  const err: string[] = [];
  watcher = watch({
    options: { inputs: [ws.file("order.arazzo.yaml"), ws.file("second.arazzo.yaml")], outDir: ws.file("out") },
    io: { out: (l) => out.push(l), err: (l) => err.push(l), cwd: ws.dir },
    debounceMs: 50,
    ...extra,
  });
  await watcher.ready;
  return { ws, watcher, out, err };
}

/** The next run, or a failure after `ms` instead of a hanging test. */
function nextRun(w: Watcher, ms = 20_000): Promise<WatchRun> {
  return Promise.race([w.nextRun(), new Promise<WatchRun>((_, reject) => setTimeout(() => reject(new Error(`no run within ${ms} ms`)), ms).unref())]);
}

function mtimes(dir: string): Map<string, number> {
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isFile());
  return new Map(files.map((f) => [f, statSync(f).mtimeMs]));
}

describe("watch()", () => {
  test("generates once, then watches the Arazzo and OpenAPI files of every document", async () => {
    const { ws, watcher, out } = await start();
    expect(watcher.files()).toEqual([ws.file("order.arazzo.yaml"), ws.file("second.arazzo.yaml"), ws.file("shop.openapi.yaml")]);
    expect(readdirSync(ws.file("out")).sort()).toEqual(["order", "second"]);
    expect(out.some((l) => SUMMARY.exec(l)?.[1] === "order.arazzo.yaml, second.arazzo.yaml")).toBe(true);
    expect(out.at(-1)).toBe("Watching 3 file(s) for changes; press Ctrl-C to stop.");
  });

  test("an Arazzo edit regenerates that document only, and rewrites only the files that change", async () => {
    const { ws, watcher, out } = await start();
    const before = mtimes(ws.file("out"));
    const run = nextRun(watcher);
    ws.patch("order.arazzo.yaml", "summary: Place an order and read it back.", "summary: Place an order, then read it back.");
    const { inputs, result } = await run;
    expect(inputs).toEqual([ws.file("order.arazzo.yaml")]);
    expect(result?.ok).toBe(true);
    const written = new Set(result!.written);
    expect(written.size).toBeGreaterThan(0);
    expect([...written].every((f) => f.startsWith(ws.file("out/order") + path.sep))).toBe(true);
    const after = mtimes(ws.file("out"));
    const touched = [...after].filter(([f, t]) => before.get(f) !== t).map(([f]) => f);
    expect(touched.sort()).toEqual([...written].sort());
    expect(touched.length).toBeLessThan(after.size / 4);
    expect(SUMMARY.exec(out.at(-1)!)?.slice(1)).toEqual(["order.arazzo.yaml", String(written.size)]);
  });

  test("an OpenAPI edit regenerates every document that reads it", async () => {
    const { ws, watcher } = await start();
    const run = nextRun(watcher);
    ws.patch("shop.openapi.yaml", "operationId: getOrder", "operationId: getOrder\n      description: Reads an order.");
    expect((await run).inputs).toEqual([ws.file("order.arazzo.yaml"), ws.file("second.arazzo.yaml")]);
  });

  test("an editor that saves by renaming a temporary file over the document", async () => {
    const { ws, watcher } = await start();
    const run = nextRun(watcher);
    const text = readFileSync(ws.file("order.arazzo.yaml"), "utf8");
    writeFileSync(ws.file(".order.arazzo.yaml.swp"), text.replace("Place an order and read it back.", "Saved by rename."));
    renameSync(ws.file(".order.arazzo.yaml.swp"), ws.file("order.arazzo.yaml"));
    const { inputs, result } = await run;
    expect(inputs).toEqual([ws.file("order.arazzo.yaml")]);
    expect(readFileSync(ws.file("out/order/README.md"), "utf8")).toContain("Saved by rename.");
    expect(result?.ok).toBe(true);
  });

  test("a broken save prints the error and keeps watching; the fix regenerates", async () => {
    const { ws, watcher, err, out } = await start();
    const good = readFileSync(ws.file("order.arazzo.yaml"), "utf8");
    let run = nextRun(watcher);
    ws.patch("order.arazzo.yaml", "operationId: getOrder", "operationId: getOrdr");
    const broken = await run;
    expect(broken.result?.ok).toBe(false);
    expect(err, err.join("\n")).toContain(
      "order.arazzo.yaml:38:22 - error unknown-operation: operationId `getOrdr` does not exist in `shop`\n  hint: did you mean `getOrder`?",
    );
    expect(err.at(-1)).toMatch(/^\[\d\d:\d\d:\d\d\] order\.arazzo\.yaml: 1 error\(s\), 0 warning\(s\); nothing written, still watching\.$/);

    run = nextRun(watcher);
    writeFileSync(ws.file("order.arazzo.yaml"), "arazzo: 1.0.1\ninfo: [\n");
    expect((await run).result?.ok).toBe(false);
    expect(err.some((l) => /^order\.arazzo\.yaml:\d+:\d+ - error invalid-yaml: /.test(l))).toBe(true);

    run = nextRun(watcher);
    writeFileSync(ws.file("order.arazzo.yaml"), good);
    const fixed = await run;
    expect(fixed.result?.ok).toBe(true);
    expect(SUMMARY.exec(out.at(-1)!)?.[1]).toBe("order.arazzo.yaml");
  });

  test("a config change reloads it and regenerates every document", async () => {
    let outDir = "out";
    ws = workspace("mini");
    ws.write("arazzo-ts.config.json", "{}");
    const w = await start({
      configFile: ws.file("arazzo-ts.config.json"),
      reload: async () => ({ inputs: [ws!.file("order.arazzo.yaml")], outDir: ws!.file(outDir) }),
    });
    expect(w.watcher.files()).toContain(w.ws.file("arazzo-ts.config.json"));
    const run = nextRun(w.watcher);
    outDir = "elsewhere";
    w.ws.write("arazzo-ts.config.json", '{ "out": "elsewhere" }');
    const reloaded = await run;
    expect([reloaded.config, reloaded.inputs]).toEqual(["reloaded", [w.ws.file("order.arazzo.yaml")]]);
    expect(readdirSync(w.ws.file("elsewhere"))).toEqual(["order"]);
    // second.arazzo.yaml is no longer a document: no longer watched.
    expect(w.watcher.files()).not.toContain(w.ws.file("second.arazzo.yaml"));
  });

  test("close() stops watching and leaves no watcher open", async () => {
    const open = () => process.getActiveResourcesInfo().filter((r) => r === "FSEventWrap").length;
    for (let i = 0; i < 50 && open() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(open()).toBe(0);
    const { ws, watcher } = await start();
    expect(open()).toBeGreaterThan(0);
    await watcher.close();
    // libuv frees a closed handle on a later turn of the event loop.
    for (let i = 0; i < 50 && open() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(open()).toBe(0);
    let ran = false;
    watcher.once("run", () => (ran = true));
    ws.patch("order.arazzo.yaml", "summary: Place an order and read it back.", "summary: Changed after close.");
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(ran).toBe(false);
  });
});

describe("arazzo-ts generate --watch", () => {
  test("regenerates on a change and exits 0 on Ctrl-C (SIGINT)", async () => {
    ws = workspace("mini");
    const child = spawn(
      process.execPath,
      [path.resolve(import.meta.dirname, "../../generator/bin.js"), "generate", "order.arazzo.yaml", "--out", "out", "--watch"],
      { cwd: ws.dir },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    /** Waits for `pattern` in what the process prints from now on. */
    const waitFor = (pattern: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const from = stdout.length;
        const timer = setTimeout(() => reject(new Error(`no ${pattern} in:\n${stdout}\n${stderr}`)), 30_000);
        const check = () => {
          if (!pattern.test(stdout.slice(from))) return;
          clearTimeout(timer);
          child.stdout.off("data", check);
          resolve();
        };
        child.stdout.on("data", check);
      });
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    await waitFor(
      /^\[\d\d:\d\d:\d\d\] order\.arazzo\.yaml: generated in \d+ ms, \d+ file\(s\) changed\.\nWatching 2 file\(s\) for changes; press Ctrl-C to stop\.\n$/,
    );
    ws.patch("order.arazzo.yaml", "summary: Place an order and read it back.", "summary: Edited while watching.");
    await waitFor(/^\[\d\d:\d\d:\d\d\] order\.arazzo\.yaml: generated in \d+ ms, [1-9]\d* file\(s\) changed\.\n$/);
    expect(readFileSync(ws.file("out/order/README.md"), "utf8")).toContain("Edited while watching.");
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/Stopped watching\.\n$/);
    expect(stderr).toBe("");
  });
});
