/**
 * Where tsgo's binary is not installed (an unsupported platform, `--omit=optional`), as
 * `nativeChecker()` finding none here pretends: by default the generated code is checked
 * in-process, with the same results; `checker: "native"` asked for explicitly is an error.
 */
import * as childProcess from "node:child_process";
import { existsSync } from "node:fs";
import { afterEach, expect, test, vi } from "vitest";
import { generate } from "../../generator/generate.ts";
import { runCli, workspace, type Workspace } from "../helpers/workspace.ts";

vi.mock("../../generator/targets/typescript/check-native.ts", async (original) => ({
  ...(await original<typeof import("../../generator/targets/typescript/check-native.ts")>()),
  nativeChecker: () => undefined,
}));
vi.mock("node:child_process", async (original) => {
  const actual = await original<typeof import("node:child_process")>();
  return { ...actual, execFile: vi.fn(actual.execFile) };
});

let ws: Workspace | undefined;
afterEach(() => ws?.remove());

test("without tsgo, the default checks in-process: the same type error, and dist/ is emitted", async () => {
  ws = workspace("mini");
  const ok = await generate({ inputs: [ws.file("order.arazzo.yaml")], outDir: ws.file("out"), write: false });
  expect(ok.ok, JSON.stringify(ok.diagnostics)).toBe(true);
  expect(ok.packages[0]!.files.map((f) => f.path)).toContain("dist/place-order.d.ts");

  ws.patch("order.arazzo.yaml", "quantity: $inputs.quantity", "quantity: true");
  const result = await runCli(["generate", "order.arazzo.yaml", "--out", "out"], ws.dir);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(
    "order.arazzo.yaml:30:23 - error TS2322: Type 'boolean' is not assignable to type 'number'.\n  hint: sent as field `/quantity` of the request body of `POST /orders` (`createOrder`)\n  generated src/place-order.ts:139: quantity: true,",
  );
  expect(vi.mocked(childProcess.execFile)).not.toHaveBeenCalled();
});

test("without tsgo, `--checker native` is an error that says what is missing", async () => {
  ws = workspace("mini");
  const result = await runCli(["generate", "order.arazzo.yaml", "--out", "out", "--checker", "native"], ws.dir);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(
    `error checker: the native TypeScript checker was asked for, but its binary for this platform (@typescript/typescript-${process.platform}-${process.arch}) is not installed`,
  );
  expect(result.stderr).toContain("--checker typescript");
  expect(existsSync(ws.file("out"))).toBe(false);
});
