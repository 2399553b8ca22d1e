/**
 * The command line's help and its usage errors: each command's help names every option its
 * parser takes (in the synopsis and in the option list, with its short form), and nothing the
 * parser does not take; an unknown option is said in arazzo-ts's words, with the closest option
 * ("did you mean") or the command it belongs to, exit code 2, for every command.
 */
import { describe, expect, test } from "vitest";
import { COMMAND_OPTIONS, main, OPTIONS, USAGE } from "../../generator/cli.ts";
import { RUN_OPTIONS, RUN_USAGE } from "../../generator/run/usage.ts";
import { runCli } from "../helpers/workspace.ts";

type Table = Readonly<Record<string, { readonly type: string; readonly short?: string }>>;

/** The `--long` options a piece of help text names. */
function longOptions(text: string): Set<string> {
  return new Set([...text.matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)].map((m) => m[1]!));
}

/** The synopsis lines of `arazzo-ts <command>` (its first line and the indented lines that continue it). */
function synopsis(usage: string, command: string): string {
  const lines = usage.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`  arazzo-ts ${command} `));
  expect(start, `a synopsis for ${command}`).toBeGreaterThan(0);
  const end = lines.findIndex((l, i) => i > start && !/^ {10,}\[/.test(l));
  return lines.slice(start, end).join("\n");
}

/** The lines of the `Options:` section that introduce an option: `  -x, --name …` or `      --name …`. */
function optionLines(usage: string): Map<string, string | undefined> {
  const section = usage.slice(usage.indexOf("\nOptions:\n"), usage.indexOf("\nExit codes:"));
  const found = new Map<string, string | undefined>();
  for (const m of section.matchAll(/^ {2}(?:-([a-z]), | {4})--([a-z][a-z-]*)/gm)) found.set(m[2]!, m[1]);
  return found;
}

describe("help lists every option each command takes", () => {
  const cases: [string, string, Table, readonly string[]][] = [
    ["generate", USAGE, OPTIONS, COMMAND_OPTIONS.generate],
    ["validate", USAGE, OPTIONS, COMMAND_OPTIONS.validate],
    ["run", RUN_USAGE, RUN_OPTIONS, Object.keys(RUN_OPTIONS).filter((o) => o !== "help")],
  ];
  for (const [command, usage, table, takes] of cases) {
    test(`${command}: the synopsis names exactly the options it takes`, () => {
      expect([...longOptions(synopsis(usage, command))].sort()).toEqual([...takes].sort());
    });

    test(`${command}: the option list names every option of the parser, with its short form, and no other`, () => {
      const listed = optionLines(usage);
      expect([...listed.keys()].sort()).toEqual(Object.keys(table).sort());
      for (const [name, spec] of Object.entries(table)) expect(listed.get(name), `--${name}`).toBe(spec.short);
    });
  }

  test("the options generate and validate do not share are the ones each refuses", () => {
    expect(Object.keys(OPTIONS).filter((o) => !COMMAND_OPTIONS.generate.includes(o) && o !== "help" && o !== "version")).toEqual(["no-types"]);
    expect(Object.keys(OPTIONS).filter((o) => !COMMAND_OPTIONS.validate.includes(o) && o !== "help" && o !== "version")).toEqual(["check", "watch"]);
  });

  test("the run line of the main help names options of run only", () => {
    const runLine = USAGE.split("\n").find((l) => l.startsWith("  arazzo-ts run "))!;
    expect([...longOptions(runLine)].filter((o) => !Object.hasOwn(RUN_OPTIONS, o))).toEqual([]);
  });

  test("--help prints it", async () => {
    expect(await runCli(["--help"], process.cwd())).toEqual({ code: 0, stdout: USAGE, stderr: "" });
    expect(await runCli(["generate", "-h"], process.cwd())).toEqual({ code: 0, stdout: USAGE, stderr: "" });
  });
});

describe("usage errors: in arazzo-ts's words, exit code 2", () => {
  const rows: [args: string[], message: string][] = [
    [["generate", "--tagret", "restate"], "unknown option --tagret; did you mean --target?"],
    [["generate", "x.arazzo.yaml", "--tagret=restate"], "unknown option --tagret; did you mean --target?"],
    [["validate", "--Target", "restate"], "unknown option --Target; did you mean --target?"],
    [["validate", "--max-warning", "0"], "unknown option --max-warning; did you mean --max-warnings?"],
    [["generate", "--no-type"], "unknown option --no-type; did you mean --no-types?"],
    [["generate", "--t", "restate"], "unknown option --t; did you mean --target?"],
    [["generate", "--frobnicate"], "unknown option --frobnicate"],
    [["generate", "-x"], "unknown option -x"],
    [["generate", "--mock"], "--mock is an option of run, not of generate or validate"],
    [["generate", "--out"], "--out needs a value"],
    [["generate", "--out", "--check"], "--out needs a value (one that starts with - is written --out=--check)"],
    [["generate", "--check=yes"], "--check takes no value"],
    [["genrate"], "unknown command `genrate`; did you mean `generate`?"],
    [["-q", "run"], "`run` comes first, before its options: arazzo-ts run [<arazzo-file>...] [<option>...]"],
  ];
  for (const [args, message] of rows) {
    test(`arazzo-ts ${args.join(" ")}`, async () => {
      const result = await runCli(args, process.cwd());
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toBe(`error: ${message}\n\n${USAGE}`);
    });
  }

  const runRows: [args: string[], message: string][] = [
    [["run", "--mokc"], "unknown option --mokc; did you mean --mock?"],
    [["run", "--workflows", "a"], "unknown option --workflows; did you mean --workflow?"],
    [["run", "--target", "restate"], "--target is an option of generate and validate, not run"],
    [["run", "--report"], "--report needs a value"],
    [["run", "--mock=yes"], "--mock takes no value"],
  ];
  for (const [args, message] of runRows) {
    test(`arazzo-ts ${args.join(" ")}`, async () => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd: process.cwd(), run: { out: (t) => out.push(t) } });
      expect(code).toBe(2);
      expect(out).toEqual([]);
      expect(err).toEqual([`error: ${message}\n\n${RUN_USAGE}`]);
    });
  }
});
