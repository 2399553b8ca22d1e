/**
 * Composition across workflows and documents: a step that runs a workflow of another
 * Arazzo document (`type: arazzo` source, `$sourceDescriptions.<name>.<workflowId>`),
 * `dependsOn` and `$workflows.<id>.outputs.<name>`, run end to end against an injected fetch.
 */
import { mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generate } from "../../generator/generate.ts";
import { runCli, workspace } from "../helpers/workspace.ts";

const FIXTURE = path.resolve(import.meta.dirname, "../fixtures/composition");
// Inside the repository, so the generated package resolves openapi-fetch from its node_modules.
const out = mkdtempSync(path.join(FIXTURE, ".out-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

let runCheckout: (inputs: { size: string }, options?: object) => Promise<Record<string, unknown>>;

beforeAll(async () => {
  const result = await generate({ inputs: [path.join(FIXTURE, "checkout.arazzo.yaml")], outDir: out });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  ({ runCheckout } = await import(pathToFileURL(path.join(out, "checkout/dist/index.js")).href));
});

function shopFetch(sent: Sent[]) {
  return async (request: Request): Promise<Response> => {
    sent.push({ method: request.method, url: request.url, headers: Object.fromEntries(request.headers), body: await request.text() });
    const url = new URL(request.url);
    if (request.method === "POST" && url.pathname === "/v1/orders") return Response.json({ id: "ord/1", state: "open" }, { status: 201 });
    if (request.method === "GET" && url.pathname.startsWith("/v1/orders/")) {
      return Response.json({ id: decodeURIComponent(url.pathname.slice("/v1/orders/".length)), state: url.pathname.endsWith("warmup") ? "paid" : "open" });
    }
    return new Response("not found", { status: 404 });
  };
}

describe("composition", () => {
  test("dependsOn runs first; a step runs another document's workflow; outputs flow through", async () => {
    const sent: Sent[] = [];
    const outputs = await runCheckout({ size: "M" }, { fetch: shopFetch(sent) });
    expect(sent.map((r) => `${r.method} ${r.url}`)).toEqual([
      "GET https://shop.example.test/v1/orders/warmup", // dependsOn: prepare
      "POST https://shop.example.test/v1/orders", // orders.place-order, run as a step
      "GET https://shop.example.test/v1/orders/ord%2F1", // read, with the called workflow's output
    ]);
    expect(sent[1]!.headers["idempotency-key"]).toBe("order-M");
    expect(JSON.parse(sent[1]!.body)).toEqual({ quantity: 2, size: "M" });
    expect(outputs).toEqual({ orderId: "ord/1", state: "open", warmState: "paid" });
  });

  test("an Arazzo source that names the document back is an error, not a hang", async () => {
    const ws = workspace("composition").patch(
      "orders.arazzo.yaml",
      "    type: openapi\n",
      "    type: openapi\n  - name: back\n    url: ./checkout.arazzo.yaml\n    type: arazzo\n",
    );
    try {
      const result = await runCli(["generate", "checkout.arazzo.yaml", "--out", "out"], ws.dir);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        "orders.arazzo.yaml:10:10 - error recursive-source: source `back` names an Arazzo document that names this one: checkout.arazzo.yaml → orders.arazzo.yaml → checkout.arazzo.yaml",
      );
    } finally {
      ws.remove();
    }
  });

  test("workflows that run one another in a cycle are an error", async () => {
    const ws = workspace("composition").patch("checkout.arazzo.yaml", "  - workflowId: prepare\n", "  - workflowId: prepare\n    dependsOn: [checkout]\n");
    try {
      const result = await runCli(["generate", "checkout.arazzo.yaml", "--out", "out"], ws.dir);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("error recursive-workflow: workflow `prepare` runs itself: `prepare` → `checkout` → `prepare`");
    } finally {
      ws.remove();
    }
  });
});
