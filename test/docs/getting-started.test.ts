/**
 * docs/getting-started.md runs as written: its commands, in an empty temporary folder, with the
 * arazzo-ts of this checkout (`node generator/bin.js` for `npx arazzo-ts`), print what the page
 * shows; the files it shows are the files written; its edits apply. The conventions of its fenced
 * blocks are in the HTML comment at the top of the page.
 *
 * The install commands (`console not-tested` blocks) need the npm registry and a tarball: each is
 * done here its own way, by a link in the folder's node_modules (EMULATED).
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, test } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PAGE = path.join(ROOT, "docs/getting-started.md");
const CLI = `"${process.execPath}" "${path.join(ROOT, "generator/bin.js")}"`;

/** What each install command of the page does, done without npm: links in node_modules. */
const EMULATED: Record<string, (dir: string) => void> = {
  "mkdir library-app": () => {}, // the temporary folder is the app's folder
  "cd library-app": () => {},
  "npm install --save-dev ../arazzo-ts/arazzo-ts-0.1.0.tgz": (dir) => {
    // The installed package, and openapi-fetch, which npm hoists from its dependencies and the generated package imports.
    link(ROOT, path.join(dir, "node_modules/arazzo-ts"));
    link(path.join(ROOT, "node_modules/openapi-fetch"), path.join(dir, "node_modules/openapi-fetch"));
  },
  "npm install ./generated/lending": (dir) => link(path.join(dir, "generated/lending"), path.join(dir, "node_modules/lending")),
};

function link(target: string, at: string): void {
  mkdirSync(path.dirname(at), { recursive: true });
  symlinkSync(target, at, "dir");
}

type Block =
  | { kind: "console"; line: number; exit: number; tested: boolean; commands: { command: string; output: string }[] }
  | { kind: "file"; line: number; file: string; text: string }
  | { kind: "edit"; line: number; file: string; from: string; to: string }
  | { kind: "listing"; line: number; folder: string; entries: string[] };

/** The page's blocks that the test runs or checks, in order (see the comment at the top of the page). */
function blocks(markdown: string): Block[] {
  const result: Block[] = [];
  const text = markdown.replace(/<!--[\s\S]*?-->/g, (comment) => comment.replace(/[^\n]/g, " ")); // line numbers kept
  for (const match of text.matchAll(/^```([^\n]*)\n([\s\S]*?)^```$/gm)) {
    const [lang = "", ...words] = match[1]!.trim().split(/\s+/);
    const attrs = Object.fromEntries(words.map((w) => [w.split("=")[0], w.includes("=") ? w.slice(w.indexOf("=") + 1) : true]));
    const body = match[2]!;
    const line = text.slice(0, match.index).split("\n").length;
    if (lang === "console") {
      const commands: { command: string; output: string }[] = [];
      for (const l of body.replace(/\n$/, "").split("\n")) {
        if (l.startsWith("$ ")) commands.push({ command: l.slice(2), output: "" });
        else if (commands.length) commands.at(-1)!.output += `${l}\n`;
        else throw new Error(`getting-started.md:${line}: a console block must start with a "$ " command`);
      }
      result.push({ kind: "console", line, exit: Number(attrs.exit ?? 0), tested: !attrs["not-tested"], commands });
    } else if (typeof attrs.file === "string") {
      result.push({ kind: "file", line, file: attrs.file, text: body });
    } else if (lang === "diff" && typeof attrs.edit === "string") {
      const lines = body.replace(/\n$/, "").split("\n");
      const side = (keep: string) =>
        lines
          .filter((l) => l[0] === " " || l[0] === keep)
          .map((l) => l.slice(1))
          .join("\n");
      result.push({ kind: "edit", line, file: attrs.edit, from: side("-"), to: side("+") });
    } else if (typeof attrs.listing === "string") {
      result.push({
        kind: "listing",
        line,
        folder: attrs.listing,
        entries: body
          .replace(/\n$/, "")
          .split("\n")
          .map((l) => l.split(/\s{2,}/)[0]!),
      });
    }
  }
  return result;
}

/** Output as the page shows it: durations as <time>, no trailing spaces, no final newlines. */
function normalize(output: string, dir: string): string {
  return output
    .split(dir)
    .join("<folder>")
    .replace(/\bduration_ms \d+(\.\d+)?/g, "duration_ms <time>")
    .replace(/\b\d+(\.\d+)? ?(ms|s)\b/g, "<time>")
    .replace(/[ \t]+$/gm, "")
    .replace(/\n+$/, "");
}

const run = promisify(execFile);

async function shell(command: string, dir: string): Promise<{ code: number; output: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}` };
  delete env.FORCE_COLOR;
  delete env.NODE_OPTIONS;
  const script = `{ ${command.replace(/^npx arazzo-ts\b/, CLI)}\n} 2>&1`;
  try {
    const { stdout } = await run("bash", ["-c", script], { cwd: dir, env, timeout: 60_000 });
    return { code: 0, output: stdout };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; message: string };
    if (typeof e.code !== "number") throw error;
    return { code: e.code, output: e.stdout ?? "" };
  }
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("docs/getting-started.md", () => {
  const page = readFileSync(PAGE, "utf8");
  const all = blocks(page);

  test("has the blocks the walkthrough needs", () => {
    const commands = all.flatMap((b) => (b.kind === "console" ? b.commands.map((c) => c.command) : []));
    expect(commands).toEqual(
      expect.arrayContaining([
        "npx arazzo-ts init",
        "npx arazzo-ts generate",
        "npm install ./generated/lending",
        "node --test --test-reporter=spec app.test.js",
        "npx arazzo-ts run --mock",
      ]),
    );
    expect(all.filter((b) => b.kind === "console" && b.exit === 1)).toHaveLength(1);
    expect(all.filter((b) => b.kind === "edit")).toHaveLength(2);
  });

  test("runs as written: every command prints what the page shows", { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "arazzo-ts-getting-started-"));
    dirs.push(dir);
    const where = (b: Block) => `getting-started.md:${b.line}`;
    for (const block of all) {
      if (block.kind === "console") {
        for (const { command, output } of block.commands) {
          if (!block.tested) {
            const emulate = EMULATED[command];
            if (!emulate) throw new Error(`${where(block)}: \`${command}\` is not run by the test and it has no emulation of it: add one to EMULATED`);
            emulate(dir);
            continue;
          }
          const result = await shell(command, dir);
          expect(normalize(result.output, dir), `${where(block)}: the output of \`${command}\``).toBe(normalize(output, dir));
          expect(result.code, `${where(block)}: the exit code of \`${command}\`\n${result.output}`).toBe(block.exit);
        }
      } else if (block.kind === "file") {
        const file = path.join(dir, block.file);
        if (existsSync(file)) expect(readFileSync(file, "utf8"), `${where(block)}: ${block.file} as shown`).toBe(block.text);
        else writeFileSync(file, block.text);
      } else if (block.kind === "edit") {
        const file = path.join(dir, block.file);
        const text = readFileSync(file, "utf8");
        expect(text.split(block.from).length - 1, `${where(block)}: the lines to change, once in ${block.file}`).toBe(1);
        writeFileSync(file, text.replace(block.from, block.to));
      } else {
        const entries = readdirSync(path.join(dir, block.folder), { withFileTypes: true }).map((e) => (e.isDirectory() ? `${e.name}/` : e.name));
        expect(block.entries, `${where(block)}: the entries of ${block.folder}`).toEqual(entries.sort());
      }
    }
  });
});
