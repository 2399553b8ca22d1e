/**
 * Groundwork for a Restate (durable execution) target: a real restate-server and a Restate
 * service on Node 24 (test/helpers/restate.ts), a workflow started through the ingress, and
 * a crash of the service while the workflow sleeps, after which the workflow completes with
 * its journaled side effect run exactly once.
 *
 * Needs the `@restatedev/restate-server` dev dependency and Node 24 in `.cache/node/24`
 * (`node test/helpers/node-versions.mjs 24`): without them the tests are skipped, or fail on CI.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  node24Binary,
  type RestateServer,
  type RestateService,
  register,
  restateServerBinary,
  startRestate,
  startService,
  stopAll,
} from "../helpers/restate.ts";

const GREETER = path.join(import.meta.dirname, "fixtures", "greeter.mjs");

const missing = [
  restateServerBinary() ? undefined : "restate-server (npm i -D @restatedev/restate-server)",
  node24Binary() ? undefined : "Node 24 (node test/helpers/node-versions.mjs 24)",
].filter((reason): reason is string => reason !== undefined);
const skipReason = missing.length ? `missing ${missing.join(" and ")}` : undefined;

if (skipReason && process.env.CI) {
  describe("restate smoke", () => {
    it("has a restate-server and Node 24 on CI", () => {
      throw new Error(`cannot run the Restate tests on CI: ${skipReason}`);
    });
  });
} else {
  describe.skipIf(skipReason !== undefined)(`restate smoke${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
    let server: RestateServer | undefined;
    let service: RestateService | undefined;
    let dir: string;
    let env: Record<string, string>;

    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), "arazzo-ts-restate-test-"));
      env = { EFFECTS_FILE: path.join(dir, "effects.log"), PROGRESS_FILE: path.join(dir, "progress.log") };
      server = await startRestate();
      service = await startService(GREETER, env);
      await register(server.adminUrl, service.url);
    });

    afterAll(async () => {
      try {
        await stopAll(service, server);
      } finally {
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
    });

    /** Lines of `file` mentioning workflow `key`. */
    const linesFor = (file: string, key: string) =>
      existsSync(file)
        ? readFileSync(file, "utf8")
            .split("\n")
            .filter((line) => line.endsWith(` ${key}`))
        : [];

    /** Server and service output, to explain a failure. */
    const logs = () => `--- restate-server ---\n${server?.output() ?? ""}\n--- service ---\n${service?.output() ?? ""}`;

    it("runs a workflow through the ingress", async () => {
      const response = await fetch(`${server!.ingressUrl}/greeter/smoke-1/run`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "Ada", sleepMs: 100 }),
        signal: AbortSignal.timeout(20_000),
      });
      const text = await response.text();
      expect(response.status, `${text}\n${logs()}`).toBe(200);
      expect(JSON.parse(text)).toEqual({ greeting: "Hello, Ada!", key: "smoke-1" });
      expect(linesFor(env.EFFECTS_FILE!, "smoke-1")).toHaveLength(1);

      // The workflow's output stays readable once it completed.
      const output = await fetch(`${server!.ingressUrl}/restate/workflow/greeter/smoke-1/output`, { signal: AbortSignal.timeout(10_000) });
      expect(await output.json()).toEqual({ greeting: "Hello, Ada!", key: "smoke-1" });
    });

    it("completes a workflow whose service crashed while it slept, its side effect run once", async () => {
      const key = "crash-1";
      const sent = await fetch(`${server!.ingressUrl}/greeter/${key}/run/send`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "Grace", sleepMs: 2_000 }),
        signal: AbortSignal.timeout(10_000),
      });
      expect(sent.status, logs()).toBe(202);
      const { invocationId } = (await sent.json()) as { invocationId: string };
      expect(invocationId).toMatch(/^inv_/);

      // Wait until the workflow got past its side effect and sleeps, then crash the service.
      const deadline = Date.now() + 10_000;
      while (linesFor(env.PROGRESS_FILE!, key).length === 0) {
        if (Date.now() > deadline) throw new Error(`the workflow did not reach its sleep\n${logs()}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const port = service!.port;
      await service!.kill();
      // Down for a while: the server's attempts to resume the invocation fail and are retried.
      await new Promise((resolve) => setTimeout(resolve, 500));
      service = await startService(GREETER, env, port);

      const attached = await fetch(`${server!.ingressUrl}/restate/workflow/greeter/${key}/attach`, { signal: AbortSignal.timeout(30_000) });
      const text = await attached.text();
      expect(attached.status, `${text}\n${logs()}`).toBe(200);
      expect(JSON.parse(text)).toEqual({ greeting: "Hello, Grace!", key });
      // The side effect ran once; the code after it ran again on the replay after the crash.
      expect(linesFor(env.EFFECTS_FILE!, key)).toHaveLength(1);
      expect(linesFor(env.PROGRESS_FILE!, key).length).toBeGreaterThanOrEqual(2);
    });
  });
}
