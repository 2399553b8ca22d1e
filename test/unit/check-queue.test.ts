/**
 * The type-check queue of a run of many documents (`check-queue.ts`, issue 24 item 3):
 * batches start as packages are queued once they are large enough, one check runs at a time,
 * every package's result comes back, and nothing is left running.
 */
import { describe, expect, test } from "vitest";
import type { Compiled, PackageToCompile } from "../../generator/targets/typescript/compile.ts";
import { CheckQueue } from "../../generator/targets/typescript/check-queue.ts";

const pkg = (dir: string, size: number): PackageToCompile => ({
  dir,
  files: [
    { path: "src/a.ts", text: "x".repeat(size) },
    { path: "README.md", text: "y".repeat(1000) },
  ],
});

/** A checker that records its batches and how many ran at once, and finishes when told. */
function recordingChecker() {
  const batches: string[][] = [];
  const pending: (() => void)[] = [];
  let running = 0;
  let most = 0;
  const check = async (packages: readonly PackageToCompile[]): Promise<Compiled> => {
    batches.push(packages.map((p) => p.dir));
    running++;
    most = Math.max(most, running);
    await new Promise<void>((resolve) => pending.push(resolve));
    running--;
    return {
      dist: new Map(packages.map((p) => [p.dir, [{ path: "dist/a.js", text: p.dir }]])),
      diagnostics: packages.filter((p) => p.dir.endsWith("!")).map((p) => ({ severity: "error" as const, code: "TS2322", message: p.dir })),
      cached: [],
    };
  };
  const release = () => {
    while (pending.length) pending.shift()!();
  };
  return { check, batches, pending, release, most: () => most };
}

describe("CheckQueue", () => {
  test("starts a batch once its TypeScript sources reach the size, one check at a time, and merges every result", async () => {
    const c = recordingChecker();
    const queue = new CheckQueue(c.check, true, 100);
    await queue.add(pkg("a", 60));
    expect(c.batches).toEqual([]); // 60 characters of .ts (the README does not count)
    await queue.add(pkg("b", 60));
    expect(c.batches).toEqual([["a", "b"]]); // started while the next documents are emitted
    const adding = queue.add(pkg("c!", 200)); // full: waits for the running check before starting
    await new Promise((r) => setTimeout(r, 10));
    expect(c.batches).toEqual([["a", "b"]]);
    c.release();
    await adding;
    expect(c.batches).toEqual([["a", "b"], ["c!"]]);
    await queue.add(pkg("d", 10));
    const finishing = queue.finish();
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 5));
      c.release();
    }
    const result = await finishing;
    expect(c.batches).toEqual([["a", "b"], ["c!"], ["d"]]);
    expect(c.most()).toBe(1);
    expect([...result.dist.keys()].sort()).toEqual(["a", "b", "c!", "d"]);
    expect(result.diagnostics.map((d) => d.message)).toEqual(["c!"]);
  });

  test("without batches (the in-process checker) everything is checked once, at the end", async () => {
    const c = recordingChecker();
    const queue = new CheckQueue(c.check, false, 1);
    for (const name of ["a", "b", "c"]) await queue.add(pkg(name, 50));
    expect(c.batches).toEqual([]);
    const finishing = queue.finish();
    await new Promise((r) => setTimeout(r, 5));
    c.release();
    expect([...(await finishing).dist.keys()]).toEqual(["a", "b", "c"]);
    expect(c.batches).toEqual([["a", "b", "c"]]);
  });

  test("abandon waits for the running check, and a failed check is not an unhandled rejection", async () => {
    let finished = false;
    const queue = new CheckQueue(
      async () => {
        await new Promise((r) => setTimeout(r, 20));
        finished = true;
        throw new Error("tsgo crashed");
      },
      true,
      1,
    );
    await queue.add(pkg("a", 10));
    await queue.abandon();
    expect(finished).toBe(true);
  });
});
