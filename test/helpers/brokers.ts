/**
 * Real message brokers for transport tests: Mosquitto (MQTT) and nats-server, from the
 * Debian packages `mosquitto` and `nats-server`. Each start spawns a private broker on a
 * free loopback port with its own temporary directory, and waits until it accepts
 * connections. Brokers still running when the test process exits are killed.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export type BrokerName = "mosquitto" | "nats-server";

/** Where each broker binary may be installed, in the order looked at. */
export const BROKER_PATHS: Readonly<Record<BrokerName, readonly string[]>> = {
  mosquitto: ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto", "/usr/local/bin/mosquitto"],
  "nats-server": ["/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/sbin/nats-server", "/usr/local/bin/nats-server"],
};

/** The broker binary's path, `undefined` when none of `BROKER_PATHS` is an executable file. */
export function brokerBinary(name: BrokerName): string | undefined {
  return BROKER_PATHS[name].find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export interface Broker {
  /** `mqtt://127.0.0.1:<port>` or `nats://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** The broker's temporary directory (removed by `stop`). */
  readonly dir: string;
  /** Stops the broker (SIGTERM, SIGKILL after 3 s), waits for it to exit and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

const START_DEADLINE_MS = 10_000;
const STOP_DEADLINE_MS = 3_000;
/** Tries with a new port when the broker exits at start, e.g. because another process took the port in between. */
const START_ATTEMPTS = 3;

/** Starts Mosquitto with anonymous access and no persistence. */
export function startMosquitto(): Promise<Broker> {
  return startBroker("mosquitto", "mqtt", (port, dir) => {
    const config = path.join(dir, "mosquitto.conf");
    writeFileSync(config, [`listener ${port} 127.0.0.1`, "allow_anonymous true", "persistence false", "log_dest stderr", ""].join("\n"));
    return ["-c", config];
  });
}

/** Starts nats-server (core NATS, no JetStream). */
export function startNats(): Promise<Broker> {
  return startBroker("nats-server", "nats", (port) => ["-a", "127.0.0.1", "-p", String(port)]);
}

/** Brokers not yet stopped (child and directory), killed and removed if the test process exits without stopping them. */
const running = new Map<ChildProcess, string>();
let guarded = false;

function guardExit(): void {
  if (guarded) return;
  guarded = true;
  // Only synchronous work runs in an `exit` handler: a kill and a synchronous removal are.
  process.on("exit", () => {
    for (const [child, dir] of running) {
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

async function startBroker(name: BrokerName, scheme: string, args: (port: number, dir: string) => string[]): Promise<Broker> {
  const binary = brokerBinary(name);
  if (!binary) throw new Error(`${name} is not installed (looked at ${BROKER_PATHS[name].join(", ")}); apt-get install ${name}`);
  guardExit();
  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const port = await freePort();
    const dir = mkdtempSync(path.join(tmpdir(), `arazzo-ts-${name}-`));
    const child = spawn(binary, args(port, dir), { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    running.set(child, dir);
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));

    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        // A child that failed to spawn has no pid and never emits `exit`.
        if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
          child.kill("SIGTERM");
          const killer = setTimeout(() => child.kill("SIGKILL"), STOP_DEADLINE_MS);
          await exited;
          clearTimeout(killer);
        }
        rmSync(dir, { recursive: true, force: true });
        running.delete(child);
      })());

    try {
      await waitForPort(port, exited, spawnError);
      if (child.pid === undefined) throw new Error("no pid");
      return { url: `${scheme}://127.0.0.1:${port}`, port, pid: child.pid, dir, stop };
    } catch (error) {
      await stop();
      lastError = new Error(`${name} did not start on 127.0.0.1:${port} (${(error as Error).message}); its output:\n${output.trim() || "(none)"}`);
      // A broker that exited may have lost a race for the port; one that hangs will not do better.
      if (!(error instanceof BrokerExited)) break;
    }
  }
  throw lastError;
}

class BrokerExited extends Error {}

/** A port the OS says is free: listen on port 0, read it, close. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once `port` accepts a connection; rejects when the broker exits, fails to spawn, or the deadline passes. */
async function waitForPort(port: number, exited: Promise<void>, spawnError: Promise<Error>): Promise<void> {
  const deadline = Date.now() + START_DEADLINE_MS;
  let gone: Error | undefined;
  void exited.then(() => (gone ??= new BrokerExited("it exited")));
  void spawnError.then((error) => (gone ??= new BrokerExited(`spawn failed: ${error.message}`)));
  while (true) {
    if (gone) throw gone;
    if (await accepts(port)) return;
    if (Date.now() > deadline) throw new Error(`no connection within ${START_DEADLINE_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => {
      socket.destroy();
      resolve(false);
    });
  });
}
