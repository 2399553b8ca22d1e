/**
 * Temporary workspaces for generator tests: copy a fixture folder, optionally patch its
 * Arazzo text, and run the CLI in-process with captured output.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { main } from "../../generator/cli.ts";

export const FIXTURES = path.resolve(import.meta.dirname, "../fixtures");

export interface Workspace {
  readonly dir: string;
  /** Path of a file in the workspace. */
  file(name: string): string;
  /** Replaces `from` with `to` in a workspace file (the text must occur exactly once). */
  patch(name: string, from: string, to: string): Workspace;
  write(name: string, text: string): Workspace;
  remove(): void;
}

export function workspace(fixture: string): Workspace {
  const dir = mkdtempSync(path.join(tmpdir(), "arazzo-ts-"));
  cpSync(path.join(FIXTURES, fixture), dir, { recursive: true });
  const ws: Workspace = {
    dir,
    file: (name) => path.join(dir, name),
    patch(name, from, to) {
      const text = readFileSync(ws.file(name), "utf8");
      if (text.split(from).length !== 2) throw new Error(`${name}: ${JSON.stringify(from)} must occur exactly once`);
      writeFileSync(ws.file(name), text.replace(from, to));
      return ws;
    },
    write(name, text) {
      writeFileSync(ws.file(name), text);
      return ws;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  return ws;
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `arazzo-ts <args>` in-process with `cwd` as the working directory for relative paths in output. */
export async function runCli(args: readonly string[], cwd: string): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (line) => out.push(line), err: (line) => err.push(line), cwd });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}
