/**
 * The packages `arazzo-ts run` runs (generator/run/prepare.ts, run-cache.ts): generated into a
 * folder named by their content; taken as they are, without generating, while no file they
 * were generated from changed; generated again when one did; and their dependencies linked to
 * arazzo-ts's own copies, a stale link replaced.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { preparePackages } from "../../generator/run/prepare.ts";
import { packageFolder } from "../../generator/targets/typescript/package-folder.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const work = mkdtempSync(path.join(tmpdir(), "arazzo-run-prepare-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
cpSync(path.join(ROOT, "test/fixtures/mini"), path.join(work, "specs"), { recursive: true });
const arazzo = path.join(work, "specs/order.arazzo.yaml");
const openapi = path.join(work, "specs/shop.openapi.yaml");
const root = path.join(work, "run");
const prepare = () => preparePackages({ inputs: [arazzo], cacheDir: path.join(work, "check-cache") }, root);

describe("preparePackages", () => {
  test("generates once, then takes the same packages while nothing changed, and again when a description changed", async () => {
    const first = await prepare();
    expect(first).toMatchObject({ ok: true, generated: true });
    const [document] = first.documents;
    expect(document!.file).toBe(arazzo);
    expect(existsSync(path.join(document!.packageDir, "dist/index.js"))).toBe(true);
    expect(document!.model.document.workflows.map((w) => w.workflowId)).toEqual(["place-order"]);

    // Nothing changed: nothing generated, the same folder, the same model.
    const second = await prepare();
    expect(second).toMatchObject({ ok: true, generated: false });
    expect(second.documents[0]!.packageDir).toBe(document!.packageDir);
    expect(second.documents[0]!.model).toEqual(document!.model);
    expect(second.diagnostics).toEqual(first.diagnostics);

    // The OpenAPI document changed (the Arazzo file did not): generated again, into a new folder.
    const original = readFileSync(openapi, "utf8");
    writeFileSync(openapi, original.replace(/title: .*/, "title: Shop, renamed"));
    const third = await prepare();
    expect(third).toMatchObject({ ok: true, generated: true });
    expect(third.documents[0]!.packageDir).not.toBe(document!.packageDir);
    expect(third.documents[0]!.model.document.sources[0]!.title).toBe("Shop, renamed");

    // Back as it was: the first folder, complete, is used again.
    writeFileSync(openapi, original);
    const fourth = await prepare();
    expect(fourth.documents[0]!.packageDir).toBe(document!.packageDir);
    expect((await prepare()).generated).toBe(false);
  }, 120_000);

  test("generates again when the package folder is gone, and replaces a stale dependency link", async () => {
    const first = await prepare();
    rmSync(path.dirname(first.documents[0]!.packageDir), { recursive: true, force: true });
    const link = path.join(root, "node_modules", "openapi-fetch");
    rmSync(link, { force: true });
    mkdirSync(path.join(work, "moved"), { recursive: true });
    symlinkSync(path.join(work, "moved/openapi-fetch"), link);

    const again = await prepare();
    expect(again.generated).toBe(true);
    expect(existsSync(path.join(again.documents[0]!.packageDir, "dist/index.js"))).toBe(true);
    expect(path.resolve(path.dirname(link), readlinkSync(link))).toBe(packageFolder("openapi-fetch"));
  }, 120_000);

  test("runs at once on a new root: each gets the whole folder, one copy is kept, no temporary folder is left", async () => {
    const fresh = path.join(work, "concurrent");
    const results = await Promise.all(Array.from({ length: 6 }, () => preparePackages({ inputs: [arazzo] }, fresh)));
    expect(results.map((r) => r.ok)).toEqual(Array(6).fill(true));
    expect(new Set(results.map((r) => r.documents[0]!.packageDir)).size).toBe(1);
    expect(existsSync(path.join(results[0]!.documents[0]!.packageDir, "dist/index.js"))).toBe(true);
    expect(readdirSync(fresh).filter((name) => name.startsWith(".tmp-"))).toEqual([]);
  }, 120_000);

  test("a document that does not generate: its diagnostics, nothing cached", async () => {
    const broken = path.join(work, "specs/broken.arazzo.yaml");
    writeFileSync(broken, readFileSync(arazzo, "utf8").replace("operationId: createOrder", "operationId: createOrdr"));
    const result = await preparePackages({ inputs: [broken] }, root);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.some((d) => d.severity === "error")).toBe(true);
    expect((await preparePackages({ inputs: [broken] }, root)).generated).toBe(true);
  }, 120_000);
});
