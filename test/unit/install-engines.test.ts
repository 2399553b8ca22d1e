/**
 * `npm ci` warns about no dependency that declares it needs a newer Node than the one running
 * (`EBADENGINE`): on Node 20, the oldest the package supports (`engines`), no dependency, dev
 * ones included, may want Node 22. npm checks the lockfile's `engines` in a dry run, which
 * installs and fetches nothing (`--offline`) and reads only package.json and package-lock.json
 * (copied to a temporary folder). `@nats-io/transport-node` (the NATS transport tests) brings
 * `@nats-io/nuid` 3, which declares Node 22: package.json `overrides` pins 2.0.3 (Node 18+, the
 * same `nuid.next()`). The OAuth tests' authorization server is the repository's own
 * (`test/helpers/oauth-server.ts`): oauth2-mock-server 9 declares Node 22.12+.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

test(`npm ci on Node ${process.versions.node} warns about no engine (EBADENGINE)`, () => {
  const engines = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { engines: { node: string } }).engines.node;
  expect(engines).toBe(">=20.19");
  const dir = mkdtempSync(path.join(tmpdir(), "arazzo-ts-engines-"));
  try {
    for (const file of ["package.json", "package-lock.json"]) copyFileSync(path.join(ROOT, file), path.join(dir, file));
    // npm under this Node (first on PATH), and none of the npm settings `npm test` passes down.
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) if (!/^(npm_|NODE_OPTIONS$|INIT_CWD$)/i.test(key)) env[key] = value;
    env.PATH = `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`;
    const run = spawnSync("npm", ["ci", "--dry-run", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"], {
      cwd: dir,
      env,
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const warned = `${run.stdout}\n${run.stderr}`.split("\n").filter((line) => /EBADENGINE/.test(line));
    expect(warned).toEqual([]);
    // It was a dry run of the whole lockfile.
    expect(run.stdout).toMatch(/added \d+ packages/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 150_000);
