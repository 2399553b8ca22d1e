/**
 * The two checkers of generated code (`compile.ts`): tsgo, the native TypeScript compiler,
 * in a child process (the default where its binary is installed), and the TypeScript
 * compiler in-process. Both report a type error alike (code, Arazzo location, message,
 * hint) and emit the same `dist/`, byte for byte; the native one leaves no temporary folder behind, and
 * a tsgo that fails is an `error checker` diagnostic, not an exception.
 *
 * `execFile` and `mkdtemp` are wrapped in spies (they still run) to see which checker ran
 * and which folder it used. The fallback when tsgo is not installed: `checker-fallback.test.ts`.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as childProcess from "node:child_process";
import * as fsPromises from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { generate, type GenerateOptions } from "../../generator/generate.ts";
import { NATIVE_CHECK_PREFIX, checkNative, nativeChecker, parseDiagnostics } from "../../generator/targets/typescript/check-native.ts";
import { compilePackages, createProject } from "../../generator/targets/typescript/compile.ts";
import { isolatedDeclarations } from "../../generator/targets/typescript/declarations.ts";
import { ts } from "ts-morph";
import type { PackageToCompile } from "../../generator/targets/typescript/check-result.ts";
import { runCli, workspace, type Workspace } from "../helpers/workspace.ts";

vi.mock("node:child_process", async (original) => {
  const actual = await original<typeof import("node:child_process")>();
  return { ...actual, execFile: vi.fn(actual.execFile) };
});
vi.mock("node:fs/promises", async (original) => {
  const actual = await original<typeof import("node:fs/promises")>();
  return { ...actual, mkdtemp: vi.fn(actual.mkdtemp) };
});

const tsgo = nativeChecker();
const execFile = vi.mocked(childProcess.execFile);
const mkdtemp = vi.mocked(fsPromises.mkdtemp);

/** The folders the native checker made during `run` (it makes them with `mkdtemp` under `os.tmpdir()`). */
async function checkFolders<T>(run: () => Promise<T>): Promise<{ result: T; folders: string[] }> {
  mkdtemp.mockClear();
  const result = await run();
  const made = await Promise.all(mkdtemp.mock.results.map((r) => r.value as Promise<string>));
  return { result, folders: made.filter((dir) => path.basename(dir).startsWith(NATIVE_CHECK_PREFIX)) };
}

let ws: Workspace | undefined;
afterEach(() => ws?.remove());
beforeEach(() => {
  execFile.mockClear();
});

const ARAZZO = "order.arazzo.yaml";
const options = (dir: string, extra: Partial<GenerateOptions> = {}): GenerateOptions => ({
  inputs: [path.join(dir, ARAZZO)],
  outDir: path.join(dir, "out"),
  write: false,
  ...extra,
});

/**
 * The native compiler's version: arazzo-ts's optional dependencies `@typescript/typescript-<platform>-<arch>`
 * (TypeScript 7's binaries), each pinned to it.
 */
const NATIVE_PINS = Object.entries(
  (JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../package.json"), "utf8")) as { optionalDependencies?: Record<string, string> })
    .optionalDependencies ?? {},
).filter(([name]) => name.startsWith("@typescript/typescript-"));
const NATIVE_VERSION = NATIVE_PINS[0]?.[1] ?? "none";
const NATIVE_VERSION_PATTERN = NATIVE_VERSION.replaceAll(".", "\\.");

test("the native compiler is TypeScript 7's, one exact version for every platform", () => {
  expect(NATIVE_VERSION).toMatch(/^7\.\d+\.\d+$/);
  expect(NATIVE_PINS.filter(([, version]) => version !== NATIVE_VERSION)).toEqual([]);
  expect(NATIVE_PINS.map(([name]) => name)).toEqual(
    expect.arrayContaining(["linux-x64", "linux-arm64", "darwin-arm64", "darwin-x64", "win32-x64"].map((p) => `@typescript/typescript-${p}`)),
  );
});

describe.skipIf(!tsgo)("native and in-process checkers", () => {
  test("tsgo is installed for this platform and runs without install scripts", () => {
    expect(tsgo).toMatch(/[/\\]@typescript[/\\]typescript-[a-z0-9]+-[a-z0-9]+[/\\]lib[/\\]tsc(\.exe)?$/);
    expect(childProcess.execFileSync(tsgo!, ["--version"], { encoding: "utf8" }).trim()).toBe(`Version ${NATIVE_VERSION}`);
    const manifest = JSON.parse(readFileSync(path.join(path.dirname(tsgo!), "../package.json"), "utf8")) as { version: string; scripts?: unknown };
    expect(manifest).toMatchObject({ version: NATIVE_VERSION });
    expect(manifest.scripts).toBeUndefined();
  });

  test("a wiring type error is reported identically by both (code, Arazzo file:line:col, message, hint)", async () => {
    ws = workspace("mini").patch(ARAZZO, "quantity: $inputs.quantity", "quantity: true");
    const native = await generate(options(ws.dir, { checker: "native" }));
    expect(execFile).toHaveBeenCalledTimes(1);
    const inProcess = await generate(options(ws.dir, { checker: "typescript" }));
    expect(execFile).toHaveBeenCalledTimes(1);
    expect(native.ok).toBe(false);
    expect(native.diagnostics).toEqual(inProcess.diagnostics);
    // At the Arazzo value (other generated code, like the mocks' example inputs, may fail too: without a location).
    expect(native.diagnostics.filter((d) => d.file && d.severity === "error")).toEqual([
      {
        severity: "error",
        code: "TS2322",
        message: "Type 'boolean' is not assignable to type 'number'.",
        file: ws.file(ARAZZO),
        line: 30,
        col: 23,
        hint: "sent as field `/quantity` of the request body of `POST /orders` (`createOrder`)\n  generated src/place-order.ts:139: quantity: true,",
      },
    ]);
  });

  test("by default the native checker runs, and both give the same files (dist/ included)", async () => {
    ws = workspace("mini");
    const { result: byDefault, folders } = await checkFolders(() => generate(options(ws!.dir)));
    expect(byDefault.ok, JSON.stringify(byDefault.diagnostics)).toBe(true);
    expect(execFile).toHaveBeenCalledTimes(1);
    expect(execFile.mock.calls[0]![0]).toBe(tsgo);
    expect(execFile.mock.calls[0]![1]).toEqual(["-p", path.join(folders[0]!, "0", "tsconfig.json"), "--pretty", "false"]);

    const inProcess = await generate(options(ws.dir, { checker: "typescript" }));
    expect(execFile).toHaveBeenCalledTimes(1);
    const files = (r: typeof byDefault) => Object.fromEntries(r.packages.flatMap((p) => p.files).map((f) => [f.path, f.text]));
    const [native, typescript] = [files(byDefault), files(inProcess)];
    expect(Object.keys(native)).toEqual(Object.keys(typescript));
    expect(Object.keys(native).filter((f) => f.startsWith("dist/"))).toContain("dist/place-order.d.ts");
    // Byte for byte, `.d.ts` and declaration maps included (issue 23): they come from each module's
    // isolated declarations, not from the checker (tsgo orders the members of an inferred type and
    // maps positions its own way).
    for (const file of Object.keys(native)) expect(native[file], file).toBe(typescript[file]);
  });

  // Issue 23: switching checkers made `generate --check` report stale `.d.ts` files.
  test("generated with one checker, `generate --check` with the other passes (plain and restate targets)", async () => {
    ws = workspace("mini");
    const shared = path.resolve(import.meta.dirname, "../fixtures/mock-shared");
    for (const file of ["shared.arazzo.yaml", "orders.openapi.yaml"]) ws.write(file, readFileSync(path.join(shared, file), "utf8"));
    const docs = [ARAZZO, "shared.arazzo.yaml"];
    for (const [first, second] of [
      ["native", "typescript"],
      ["typescript", "native"],
    ] as const) {
      for (const target of ["openapi-fetch", "restate"]) {
        const out = `out-${first}-${target}`;
        const args = [...docs, "--out", out, "--target", target, "--no-cache", "-q"];
        const generated = await runCli(["generate", ...args, "--checker", first], ws.dir);
        expect(generated.code, generated.stderr).toBe(0);
        const checked = await runCli(["generate", ...args, "--checker", second, "--check"], ws.dir);
        expect(checked.code, `${first} then ${second} (${target}): ${checked.stdout}${checked.stderr}`).toBe(0);
      }
    }
  }, 240_000);

  test("message chains, columns after non-ASCII text, odd line breaks and errors outside a source map are read back alike", async () => {
    const dir = path.join(tmpdir(), "arazzo-ts-checker-test");
    const text = [
      "// header",
      // Columns count UTF-16 code units: were they bytes, the error at `n` would land in the
      // second fragment (`= "s"`), 11 bytes further.
      'const naïve: string = "é😀😀😀😀😀"; export const n: number = "s";',
      // TypeScript breaks lines at U+2028 and at a lone `\r` too (the hint counts `\n`).
      "// a\u2028b = 1;\rdeclare function f(o: { k: { m: number }[] }): void;",
      'const v = { k: [{ m: "a" }] };',
      "f(v);",
      "import { missing } from './nowhere.js';",
      "",
    ].join("\n");
    const at = (line: number) => ({ file: "/x/doc.arazzo.yaml", line, col: 9 });
    const pkg: PackageToCompile = {
      dir,
      files: [
        {
          path: "src/a.ts",
          text,
          sourceMap: [
            { fragment: "n: number", location: at(7), note: "a note" },
            { fragment: '= "s"', location: at(8) },
          ],
        },
      ],
    };
    const native = await compilePackages(createProject(), [pkg], "native");
    const inProcess = await compilePackages(createProject(), [pkg], "typescript");
    expect(native.diagnostics).toEqual(inProcess.diagnostics);
    expect(native.diagnostics.map((d) => [d.code, d.line, d.message.split("\n").length, d.hint])).toEqual([
      ["TS2322", 7, 1, 'a note\n  generated src/a.ts:2: const naïve: string = "é😀😀😀😀😀"; export const n: number = "s";'],
      ["TS2304", undefined, 1, "generated src/a.ts:3: // a\u2028b = 1;\rdeclare function f(o: { k: { m: number }[] }): void;"],
      // Six lines of message chain, cut to four and "…".
      ["TS2345", undefined, 5, "generated src/a.ts:5: f(v);"],
      ["TS2307", undefined, 1, "generated src/a.ts:6: import { missing } from './nowhere.js';"],
    ]);
    expect(native.diagnostics[2]!.message).toBe(
      [
        "Argument of type '{ k: { m: string; }[]; }' is not assignable to parameter of type '{ k: { m: number; }[]; }'.",
        "  Types of property 'k' are incompatible.",
        "    Type '{ m: string; }[]' is not assignable to type '{ m: number; }[]'.",
        "      Type '{ m: string; }' is not assignable to type '{ m: number; }'.",
        "…",
      ].join("\n"),
    );
  });

  test("both check against TypeScript 5.9's lib files: the DOM's iterables are not in `dom` (tsgo's own lib has them)", async () => {
    const text = "export const headers = Object.fromEntries(new Headers());\nexport const at = [1].at(-1);\n";
    const pkg: PackageToCompile = { dir: path.join(tmpdir(), "arazzo-ts-checker-lib"), files: [{ path: "src/a.ts", text }] };
    const native = await compilePackages(createProject(), [pkg], "native");
    const inProcess = await compilePackages(createProject(), [pkg], "typescript");
    const where = (r: typeof native) => r.diagnostics.map((d) => [d.code, d.hint, d.message.split("\n")[0]]);
    expect(where(native)).toEqual(where(inProcess));
    expect(where(native)).toEqual([
      ["TS2769", "generated src/a.ts:1: export const headers = Object.fromEntries(new Headers());", "No overload matches this call."],
    ]);
    // tsgo explains a failed overload call with the last overload only; TypeScript 5.9 with each.
    expect(inProcess.diagnostics[0]!.message).toContain("Overload 1 of 2,");
    expect(native.diagnostics[0]!.message).toContain("The last overload gave the following error.");
  });

  test("the temporary folder is removed, after a success and after errors", async () => {
    ws = workspace("mini");
    const ok = await checkFolders(() => generate(options(ws!.dir)));
    expect(ok.result.ok).toBe(true);
    ws.patch(ARAZZO, "quantity: $inputs.quantity", "quantity: true");
    const failed = await checkFolders(() => generate(options(ws!.dir)));
    expect(failed.result.ok).toBe(false);
    expect([...ok.folders, ...failed.folders]).toHaveLength(2);
    for (const folder of [...ok.folders, ...failed.folders]) {
      expect(path.dirname(folder)).toBe(tmpdir());
      expect(existsSync(folder)).toBe(false);
    }
  });

  test("--checker on the command line and `checker` in the config choose the checker", async () => {
    ws = workspace("mini");
    expect((await runCli(["validate", ARAZZO, "--checker", "typescript"], ws.dir)).code).toBe(0);
    expect(execFile).not.toHaveBeenCalled();
    expect((await runCli(["validate", ARAZZO, "--checker", "native"], ws.dir)).code).toBe(0);
    expect(execFile).toHaveBeenCalledTimes(1);

    ws.write("arazzo-ts.config.json", JSON.stringify({ documents: [ARAZZO], checker: "typescript" }));
    expect((await runCli(["validate"], ws.dir)).code).toBe(0);
    expect(execFile).toHaveBeenCalledTimes(1);
    // The command line wins over the config.
    expect((await runCli(["validate", "--checker", "native"], ws.dir)).code).toBe(0);
    expect(execFile).toHaveBeenCalledTimes(2);
  });
});

describe("choosing a checker: wrong values", () => {
  test("--checker takes native or typescript", async () => {
    ws = workspace("mini");
    const result = await runCli(["generate", ARAZZO, "--out", "out", "--checker", "tsc"], ws.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: --checker takes native or typescript, not "tsc"');
  });

  test("the config's `checker` is native or typescript", async () => {
    ws = workspace("mini").write("arazzo-ts.config.json", '{\n  "documents": ["order.arazzo.yaml"],\n  "checker": "tsgo"\n}\n');
    const result = await runCli(["validate"], ws.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('arazzo-ts.config.json:3:14 - error config: `checker` must be one of "native", "typescript"');
  });
});

describe.skipIf(process.platform === "win32")("a tsgo that fails is an `error checker` diagnostic, and the folder is still removed", () => {
  let bin: string;
  beforeEach(() => {
    bin = mkdtempSync(path.join(tmpdir(), "arazzo-ts-fake-tsgo-"));
  });
  afterEach(() => rmSync(bin, { recursive: true, force: true }));

  const pkg: PackageToCompile = { dir: "/nowhere/pkg", files: [{ path: "src/a.ts", text: "export const a = 1;\n" }] };
  const fake = (name: string, script: string) => {
    const file = path.join(bin, name);
    writeFileSync(file, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
    return file;
  };
  const cases: [string, string | undefined, RegExp][] = [
    [
      "it crashes",
      'echo "panic: runtime error: index out of range" >&2\necho "goroutine 1 [running]:" >&2\nexit 2',
      /exited with code 2:\npanic: runtime error/,
    ],
    ["it prints what is not a diagnostic", 'echo "something unexpected"\nexit 0', /exited with code 0:\nsomething unexpected$/],
    ["it exits with an error and prints nothing", "exit 1", /exited with code 1 and printed nothing$/],
    ["it is killed", "kill -9 $$", /stopped by SIGKILL/],
    ["it does not exist", undefined, /did not run \(.*ENOENT/],
  ];
  for (const [name, script, symptom] of cases) {
    test(name, async () => {
      const exe = script === undefined ? path.join(bin, "missing-tsgo") : fake("tsgo", script);
      const { result, folders } = await checkFolders(() => checkNative(exe, [pkg]));
      expect(result.dist.size).toBe(0);
      expect(result.diagnostics).toHaveLength(1);
      const [d] = result.diagnostics;
      expect(d).toMatchObject({ severity: "error", code: "checker" });
      expect(d!.message).toMatch(new RegExp(`^the native TypeScript checker \\(tsc ${NATIVE_VERSION_PATTERN}\\) failed: `));
      expect(d!.message).toMatch(symptom);
      expect(d!.hint).toContain("--checker typescript");
      expect(folders).toHaveLength(1);
      expect(existsSync(folders[0]!)).toBe(false);
    });
  }

  test("type errors printed before a crash are kept", async () => {
    const exe = fake("tsgo", "echo \"0/src/a.ts(1,14): error TS2322: Type 'number' is not assignable to type 'string'.\"\necho \"panic: boom\" >&2\nexit 2");
    const result = await checkNative(exe, [pkg]);
    expect(result.diagnostics.map((d) => `${d.code} ${d.message.split("\n")[0]}`)).toEqual([
      `checker the native TypeScript checker (tsc ${NATIVE_VERSION}) failed: it exited with code 2:`,
      "TS2322 Type 'number' is not assignable to type 'string'.",
    ]);
    expect(result.diagnostics[1]!.hint).toBe("generated src/a.ts:1: export const a = 1;");
  });
});

test("tsgo's output: diagnostics with and without a file, message chains, and what is neither", () => {
  const stdout = [
    "0/src/a.ts(2,14): error TS2322: Type '{ x: string; }' is not assignable to type 'A'.",
    "  The types of 'x' are incompatible between these types.",
    "    Type 'string' is not assignable to type 'number'.",
    "error TS6053: File '/tmp/x.ts' not found.",
    "  The file is in the program because:",
    "dir (1)/b.ts(10,1): error TS1005: ';' expected.",
    "Found 3 errors.",
    "",
  ].join("\r\n");
  expect(parseDiagnostics(stdout)).toEqual({
    errors: [
      {
        file: "0/src/a.ts",
        line: 2,
        col: 14,
        code: 2322,
        message:
          "Type '{ x: string; }' is not assignable to type 'A'.\n  The types of 'x' are incompatible between these types.\n    Type 'string' is not assignable to type 'number'.",
      },
      { code: 6053, message: "File '/tmp/x.ts' not found.\n  The file is in the program because:" },
      { file: "dir (1)/b.ts", line: 10, col: 1, code: 1005, message: "';' expected." },
    ],
    unparsed: ["Found 3 errors."],
  });
});

describe("declarations that do not depend on the checker", () => {
  // Each module's `.d.ts` comes from TypeScript's isolated declaration emit (`declarations.ts`),
  // which needs the type of every export written out; a module without one would fall back to
  // the checker's declarations, which differ between checkers.
  test("every module of the committed packages declares the types of its exports (--isolatedDeclarations)", () => {
    const generated = path.resolve(import.meta.dirname, "../../generated");
    const modules = readdirSync(generated, { recursive: true, encoding: "utf8" }).filter((f) => /(^|\/)src\/[^/]+\.ts$/.test(f));
    expect(modules.length).toBeGreaterThan(300);
    const undeclared = modules.flatMap((file) => {
      const text = readFileSync(path.join(generated, file), "utf8");
      const own = ts.transpileDeclaration(text, { fileName: file, reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.NodeNext } });
      return (own.diagnostics ?? []).map(
        (d) => `${file}:${d.file?.getLineAndCharacterOfPosition(d.start ?? 0).line}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`,
      );
    });
    expect(undeclared).toEqual([]);
  });

  test("a module that does not declare an export's type keeps the checker's declarations", () => {
    expect(isolatedDeclarations("/p/src/a.ts", "export const f = (x: number) => x + 1;\n")).toBeUndefined();
    expect(isolatedDeclarations("/p/src/b.ts", "export const f = (x: number): number => x + 1;\n")).toEqual({
      dts: "export declare const f: (x: number) => number;\n//# sourceMappingURL=b.d.ts.map",
      map: expect.stringContaining('"sources":["b.ts"]'),
    });
  });
});
