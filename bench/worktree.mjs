/**
 * Another commit of the project checked out beside this one, for before/after benchmarks
 * (`node bench/run.mjs --compare <git-ref>`): `git worktree add --detach` into the system's
 * temporary folder, with this checkout's node_modules symlinked in, removed again with
 * `git worktree remove --force` when the work is done, fails or is interrupted.
 *
 * Not inside the project (bench/.tmp/): tsconfig.json includes all of bench/, so the other
 * checkout's generator/ and test/ sources would join the project's own type-check while it
 * exists. The main checkout's HEAD, index and files are untouched; git records the
 * worktree in .git/worktrees/ until it is removed.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";

function git(root, args) {
  const r = spawnSync("git", args, { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")} failed:\n${r.stderr}`);
  return r.stdout.trim();
}

/** Runs `fn({ dir, commit, ref })` with `ref` checked out in a temporary worktree; always removes it. */
export async function withWorktree(root, ref, fn) {
  const commit = git(root, ["rev-parse", "--short", `${ref}^{commit}`]);
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), `arazzo-ts-bench-${commit}-`)), "checkout");
  let added = false;
  const remove = () => {
    if (added) {
      spawnSync("git", ["worktree", "remove", "--force", dir], { cwd: root, encoding: "utf8" });
      added = false;
    }
    rmSync(path.dirname(dir), { recursive: true, force: true });
  };
  const onSignal = (signal) => {
    remove();
    process.kill(process.pid, signal);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    git(root, ["worktree", "add", "--detach", "--quiet", dir, commit]);
    added = true;
    symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
    return await fn({ dir, commit, ref });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    remove();
  }
}
