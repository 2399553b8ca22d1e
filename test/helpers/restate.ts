/**
 * A real Restate server and Restate services for durable-execution tests.
 *
 * The server is the `restate-server` binary of the npm package `@restatedev/restate-server`
 * (a dev dependency), found in its platform package `@restatedev/restate-server-<os>-<arch>`
 * (`bin/restate-server`; npm does not need to run any install script for it). Each start runs
 * a private single-node server with its own temporary base directory, TCP only (no Unix
 * sockets), ingress, admin and node-to-node (fabric) ports on free loopback ports, and waits
 * until its admin and ingress health endpoints answer.
 *
 * Services run on Node 24 (the SDK needs Node 22+), from `.cache/node/24`, installed by
 * `node test/helpers/node-versions.mjs 24`; nothing is installed or downloaded here.
 *
 * Servers and services still running when the test process exits are killed.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { binaryPackage, CACHE_DIR } from "./node-versions.mjs";
import { accepts, executable, freePort, ProcessExited, spawnTracked, waitUntil } from "./processes.ts";

const START_DEADLINE_MS = 30_000;
const STOP_DEADLINE_MS = 5_000;
/** Tries with new ports when the server exits at start, e.g. because another process took a port in between. */
const START_ATTEMPTS = 3;

/** The `restate-server` binary of this platform's npm package, `undefined` when it is not installed. */
export function restateServerBinary(): string | undefined {
  const pkg = `@restatedev/restate-server-${process.platform}-${process.arch}`;
  try {
    const manifest = createRequire(import.meta.url).resolve(`${pkg}/package.json`);
    const binary = path.join(path.dirname(manifest), "bin", process.platform === "win32" ? "restate-server.exe" : "restate-server");
    return executable(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

/** The Node 24 binary in `.cache/node/24`, `undefined` when it is missing (never installs it). */
export function node24Binary(): string | undefined {
  const binary = path.join(CACHE_DIR, "24", "node_modules", binaryPackage(), "bin", process.platform === "win32" ? "node.exe" : "node");
  if (!executable(binary)) return undefined;
  try {
    return execFileSync(binary, ["--version"], { encoding: "utf8", timeout: 30_000 }).startsWith("v24.") ? binary : undefined;
  } catch {
    return undefined;
  }
}

export interface RestateServer {
  /** `http://127.0.0.1:<port>`: invoke services here. */
  readonly ingressUrl: string;
  /** `http://127.0.0.1:<port>`: register deployments here. */
  readonly adminUrl: string;
  readonly pid: number;
  /** The server's temporary directory (config and base dir; removed by `stop`). */
  readonly dir: string;
  /** Everything the server printed so far. */
  output(): string;
  /** Stops the server (SIGTERM, SIGKILL after 5 s), waits for it to exit and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

/**
 * The server's configuration: every listener on loopback, short shutdown and retry intervals
 * for tests, one partition (a single node needs no more), no telemetry.
 */
function restateConfig(ports: { ingress: number; admin: number; fabric: number }): string {
  return [
    `cluster-name = "arazzo-ts-test"`,
    `bind-address = "127.0.0.1:${ports.fabric}"`,
    `advertised-address = "http://127.0.0.1:${ports.fabric}/"`,
    "default-num-partitions = 1",
    `shutdown-timeout = "2s"`,
    "disable-telemetry = true",
    `rocksdb-total-memory-size = "256 MiB"`,
    `log-filter = "warn,restate=info"`,
    `log-format = "compact"`,
    "log-disable-ansi-codes = true",
    "",
    "[default-retry-policy]",
    `initial-interval = "100ms"`,
    "exponentiation-factor = 2.0",
    `max-interval = "1s"`,
    "",
    "[admin]",
    `bind-address = "127.0.0.1:${ports.admin}"`,
    "disable-web-ui = true",
    "",
    "[ingress]",
    `bind-address = "127.0.0.1:${ports.ingress}"`,
    "",
  ].join("\n");
}

/** The environment without `RESTATE_*` variables (they would override the configuration file). */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("RESTATE_")) env[key] = value;
  return { ...env, ...extra };
}

/** Starts a private single-node Restate server; resolves once its admin and ingress answer. */
export async function startRestate(): Promise<RestateServer> {
  const binary = restateServerBinary();
  if (!binary)
    throw new Error(
      `restate-server is not installed (npm i -D @restatedev/restate-server; its binary is in @restatedev/restate-server-${process.platform}-${process.arch})`,
    );
  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const ports = { ingress: await freePort(), admin: await freePort(), fabric: await freePort() };
    const dir = mkdtempSync(path.join(tmpdir(), "arazzo-ts-restate-"));
    const config = path.join(dir, "restate.toml");
    writeFileSync(config, restateConfig(ports));
    const args = ["--config-file", config, "--base-dir", path.join(dir, "data"), "--node-name", "test-node", "--listen-mode", "tcp", "--no-logo"];
    const server = spawnTracked(binary, args, { cwd: dir, dir, env: cleanEnv({ DO_NOT_TRACK: "1" }), stopDeadlineMs: STOP_DEADLINE_MS });
    const adminUrl = `http://127.0.0.1:${ports.admin}`;
    const ingressUrl = `http://127.0.0.1:${ports.ingress}`;
    try {
      await waitUntil(server, async () => (await answers(`${adminUrl}/health`)) && (await answers(`${ingressUrl}/restate/health`)), START_DEADLINE_MS);
      if (server.child.pid === undefined) throw new Error("no pid");
      return { ingressUrl, adminUrl, pid: server.child.pid, dir, output: server.output, stop: () => server.stop() };
    } catch (error) {
      await server.stop();
      lastError = new Error(`restate-server did not start (${(error as Error).message}); its output:\n${server.output().trim() || "(none)"}`);
      if (!(error instanceof ProcessExited)) break;
    }
  }
  throw lastError;
}

export interface RestateService {
  /** `http://127.0.0.1:<port>`: the deployment URI to register. */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Everything the service printed so far. */
  output(): string;
  /** Stops the service (SIGTERM, SIGKILL after 5 s) and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
  /** Kills the service at once (SIGKILL), as a crash would, and waits for it to exit. */
  kill(): Promise<void>;
}

/**
 * Runs `file` (a module calling `restate.serve({ services, port: Number(process.env.PORT) })`)
 * on Node 24 with `env` added to the environment and `PORT` set: to `port` when given (to
 * restart a service at its registered address), else to a free port. Resolves once the port
 * accepts connections on 127.0.0.1.
 */
export async function startService(file: string, env: Record<string, string> = {}, port?: number): Promise<RestateService> {
  const node = node24Binary();
  if (!node) throw new Error(`Node 24 is not installed in ${path.join(CACHE_DIR, "24")}; run node test/helpers/node-versions.mjs 24`);
  let lastError: unknown;
  for (let attempt = 1; attempt <= (port === undefined ? START_ATTEMPTS : 1); attempt++) {
    const servicePort = port ?? (await freePort());
    const service = spawnTracked(node, [file], {
      cwd: path.dirname(file),
      env: cleanEnv({ ...env, PORT: String(servicePort) }),
      stopDeadlineMs: STOP_DEADLINE_MS,
    });
    try {
      await waitUntil(service, () => accepts(servicePort), START_DEADLINE_MS);
      if (service.child.pid === undefined) throw new Error("no pid");
      return {
        url: `http://127.0.0.1:${servicePort}`,
        port: servicePort,
        pid: service.child.pid,
        output: service.output,
        stop: () => service.stop(),
        kill: () => service.stop("SIGKILL"),
      };
    } catch (error) {
      await service.stop();
      lastError = new Error(`${file} did not start on port ${servicePort} (${(error as Error).message}); its output:\n${service.output().trim() || "(none)"}`);
      if (!(error instanceof ProcessExited)) break;
    }
  }
  throw lastError;
}

/** Registers the service deployment at `serviceUrl` with the server (`force` replaces an earlier registration). Resolves with the admin answer. */
export async function register(adminUrl: string, serviceUrl: string): Promise<unknown> {
  const response = await fetch(`${adminUrl}/deployments`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ uri: serviceUrl, force: true }),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`registering ${serviceUrl} at ${adminUrl}: HTTP ${response.status} ${text}`);
  return JSON.parse(text);
}

/** One journal entry of an invocation, as the server stores it (`sys_journal`; `bytes`: the protobuf entry, values inside). */
export interface JournalEntry {
  readonly type: string;
  readonly name: string;
  readonly bytes: Buffer;
}

/** The rows of an SQL query through the admin API at `adminUrl` (`/query`). */
export async function adminQuery<Row = Record<string, unknown>>(adminUrl: string, query: string): Promise<Row[]> {
  const response = await fetch(`${adminUrl}/query`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(20_000),
  });
  if (!response.ok) throw new Error(`${query}: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as { rows: Row[] }).rows;
}

/** Every journal entry of invocation `invocationId`, in order, through the admin API's SQL endpoint. */
export async function journalEntries(adminUrl: string, invocationId: string): Promise<JournalEntry[]> {
  const rows = await adminQuery<{ entry_type: string; name?: string; raw: string }>(
    adminUrl,
    `SELECT index, entry_type, name, raw FROM sys_journal WHERE id = '${invocationId}' ORDER BY index`,
  );
  return rows.map((row) => ({ type: row.entry_type, name: row.name ?? "", bytes: Buffer.from(row.raw, "hex") }));
}

/** Waits until `condition` holds (checked every 20 ms); fails after `deadlineMs` with `explain()`. */
export async function waitUntilTrue(condition: () => boolean, deadlineMs: number, explain: () => string): Promise<void> {
  const deadline = performance.now() + deadlineMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${deadlineMs} ms\n${explain()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Stops every server and service given, even when some stops fail; `undefined` entries are skipped. */
export async function stopAll(...processes: ({ stop(): Promise<void> } | undefined)[]): Promise<void> {
  const results = await Promise.allSettled(processes.map((each) => each?.stop()));
  const failed = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failed) throw failed.reason;
}

/** Whether `url` answers 2xx within 2 s. */
export async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}
