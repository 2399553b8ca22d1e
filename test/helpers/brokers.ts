/**
 * Real message brokers for transport tests: Mosquitto (MQTT) and nats-server, from the
 * Debian packages `mosquitto` and `nats-server`. Each start spawns a private broker on a
 * free loopback port with its own temporary directory, and waits until it accepts
 * connections. Brokers still running when the test process exits are killed.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { accepts, executable, freePort, ProcessExited, spawnTracked, waitUntil } from "./processes.ts";

export type BrokerName = "mosquitto" | "nats-server";

/** Where each broker binary may be installed, in the order looked at. */
export const BROKER_PATHS: Readonly<Record<BrokerName, readonly string[]>> = {
  mosquitto: ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto", "/usr/local/bin/mosquitto"],
  "nats-server": ["/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/sbin/nats-server", "/usr/local/bin/nats-server"],
};

/** The broker binary's path, `undefined` when none of `BROKER_PATHS` is an executable file. */
export function brokerBinary(name: BrokerName): string | undefined {
  return BROKER_PATHS[name].find(executable);
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

async function startBroker(name: BrokerName, scheme: string, args: (port: number, dir: string) => string[]): Promise<Broker> {
  const binary = brokerBinary(name);
  if (!binary) throw new Error(`${name} is not installed (looked at ${BROKER_PATHS[name].join(", ")}); apt-get install ${name}`);
  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const port = await freePort();
    const dir = mkdtempSync(path.join(tmpdir(), `arazzo-ts-${name}-`));
    const broker = spawnTracked(binary, args(port, dir), { cwd: dir, dir, stopDeadlineMs: STOP_DEADLINE_MS });
    try {
      await waitUntil(broker, () => accepts(port), START_DEADLINE_MS, 20);
      if (broker.child.pid === undefined) throw new Error("no pid");
      return { url: `${scheme}://127.0.0.1:${port}`, port, pid: broker.child.pid, dir, stop: () => broker.stop() };
    } catch (error) {
      await broker.stop();
      lastError = new Error(`${name} did not start on 127.0.0.1:${port} (${(error as Error).message}); its output:\n${broker.output().trim() || "(none)"}`);
      // A broker that exited may have lost a race for the port; one that hangs will not do better.
      if (!(error instanceof ProcessExited)) break;
    }
  }
  throw lastError;
}
