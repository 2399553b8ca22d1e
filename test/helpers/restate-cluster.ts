/**
 * A Restate cluster on loopback for durable-execution tests: three `restate-server` nodes (the
 * npm package's binary, as `restate.ts` finds it), each with its own base directory and its own
 * node-to-node (fabric), admin and ingress ports, one cluster name, every role on every node,
 * the replicated metadata server and log (Bifrost) on all three, and partitions replicated on
 * two nodes: the cluster keeps working when one node dies.
 *
 * The first node provisions the cluster (`auto-provision`); the others join through the
 * metadata servers' addresses. Cluster state (which node leads which partition) comes from
 * `restatectl` (the `@restatedev/restatectl` dev dependency's binary) and the admin API's SQL.
 *
 * Every node is stopped by `stop()`, and killed with the test process if it exits first.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort, ProcessExited, spawnTracked, type Spawned, waitUntil } from "./processes.ts";
import { adminQuery, answers, cleanEnv, restateServerBinary } from "./restate.ts";

const START_DEADLINE_MS = 60_000;
/** Tries with new ports when a node exits at start, e.g. because another process took a port in between. */
const START_ATTEMPTS = 3;
const STOP_DEADLINE_MS = 5_000;
const run = promisify(execFile);

/** The `restatectl` binary of this platform's npm package, `undefined` when it is not installed. */
export function restatectlBinary(): string | undefined {
  try {
    const manifest = createRequire(import.meta.url).resolve(`@restatedev/restatectl-${process.platform}-${process.arch}/package.json`);
    const binary = path.join(path.dirname(manifest), "bin", "restatectl");
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

export interface ClusterNode {
  /** `n1`, `n2`, `n3`; restatectl and the SQL tables call them `N1`… */
  readonly name: string;
  readonly ingressUrl: string;
  readonly adminUrl: string;
  /** The node-to-node address, which restatectl talks to. */
  readonly fabricUrl: string;
  /** Whether the node's process is running. */
  running(): boolean;
  output(): string;
  /** Kills the node at once (SIGKILL), as a machine failure would; waits for it to exit. Its data stays. */
  kill(): Promise<void>;
  /** Starts the node again on its data, ports and configuration. */
  restart(): Promise<void>;
}

export interface RestateCluster {
  readonly nodes: readonly ClusterNode[];
  /** The cluster's base directory (each node's config and data under it; removed by `stop`). */
  readonly dir: string;
  /** The node that leads the partition of invocation `invocationId`, asked of the running nodes. */
  leaderOf(invocationId: string): Promise<ClusterNode>;
  /**
   * Resolves once the running nodes hold every partition as the configuration asks (one leader
   * and `replication` active processors each) and leadership has not moved for a second.
   */
  settled(replication?: number): Promise<void>;
  /** restatectl's `status`, for messages. */
  status(): Promise<string>;
  /** Stops every node (SIGTERM, SIGKILL after 5 s) and removes the directory. Idempotent. */
  stop(): Promise<void>;
}

interface NodePorts {
  readonly fabric: number;
  readonly admin: number;
  readonly ingress: number;
}

/** One node's configuration: the single-node test server's (`restate.ts`) plus what a cluster needs. */
function nodeConfig(index: number, ports: NodePorts, all: readonly NodePorts[], partitions: number): string {
  return [
    `cluster-name = "arazzo-ts-cluster"`,
    `node-name = "n${index + 1}"`,
    `bind-address = "127.0.0.1:${ports.fabric}"`,
    `advertised-address = "http://127.0.0.1:${ports.fabric}/"`,
    // Exactly one node provisions the cluster; the others join it.
    `auto-provision = ${index === 0}`,
    // Logs and partitions on two nodes: with three, one may fail.
    "default-replication = 2",
    `default-num-partitions = ${partitions}`,
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
    "[metadata-server]",
    `type = "replicated"`,
    "",
    "[metadata-client]",
    `addresses = [${all.map((p) => `"http://127.0.0.1:${p.fabric}/"`).join(", ")}]`,
    "",
    "[bifrost]",
    `default-provider = "replicated"`,
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

/**
 * Starts a cluster of `size` nodes (3 by default) with `partitions` partitions (2 by default:
 * each led by one node, followed by another); resolves once every node answers on its admin
 * and ingress ports and every partition has a leader.
 */
export async function startRestateCluster(options: { size?: number; partitions?: number } = {}): Promise<RestateCluster> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      lastError = error;
      if (!(error instanceof StartFailed && error.exited)) break;
    }
  }
  throw lastError;
}

/** A cluster that did not start; `exited`: a node's process exited (a port taken in between, say), so new ports may do. */
class StartFailed extends Error {
  constructor(
    message: string,
    readonly exited: boolean,
  ) {
    super(message);
  }
}

async function startOnce(options: { size?: number; partitions?: number }): Promise<RestateCluster> {
  const binary = restateServerBinary();
  if (!binary) throw new Error("restate-server is not installed (npm i -D @restatedev/restate-server)");
  const ctl = restatectlBinary();
  if (!ctl) throw new Error("restatectl is not installed (npm i -D @restatedev/restatectl)");
  const size = options.size ?? 3;
  const partitions = options.partitions ?? 2;
  const ports: NodePorts[] = [];
  for (let i = 0; i < size; i++) ports.push({ fabric: await freePort(), admin: await freePort(), ingress: await freePort() });
  const dir = mkdtempSync(path.join(tmpdir(), "arazzo-ts-restate-cluster-"));
  const nodes = ports.map((own, index) => clusterNode(binary, dir, index, own, ports, partitions));
  const cluster: RestateCluster = {
    nodes,
    dir,
    async leaderOf(invocationId) {
      const live = nodes.filter((n) => n.running());
      const key = await partitionKeyOf(live, invocationId);
      const table = await restatectlSql(
        ctl,
        live,
        "SELECT partition_id, CAST(start_key AS VARCHAR) AS start_key, CAST(end_key AS VARCHAR) AS end_key, leader_plain_node_id FROM partitions",
      );
      const partition = table.find((row) => BigInt(String(row.start_key)) <= key && key <= BigInt(String(row.end_key)));
      // Node ids are given in the order the nodes joined, not by name: the nodes table maps them.
      const names = await restatectlSql(ctl, live, "SELECT plain_node_id, name FROM nodes");
      const name = names.find((row) => row.plain_node_id === partition?.leader_plain_node_id)?.name;
      const leader = nodes.find((n) => n.name === name);
      if (!leader) throw new Error(`no leader for partition key ${key}: ${JSON.stringify({ table, names })}`);
      return leader;
    },
    async settled(replication = 2) {
      const deadline = Date.now() + START_DEADLINE_MS;
      let last = "";
      let stableSince = Date.now();
      while (true) {
        const live = nodes.filter((n) => n.running());
        const rows = await restatectlSql(ctl, live, "SELECT partition_id, plain_node_id, effective_mode, replay_status FROM partition_state").catch(() => []);
        const ok = Array.from({ length: partitions }, (_, id) => rows.filter((r) => r.partition_id === id && r.replay_status === "active")).every(
          (replicas) => replicas.length === replication && replicas.filter((r) => r.effective_mode === "Leader").length === 1,
        );
        const leaders = JSON.stringify(
          rows
            .filter((r) => r.effective_mode === "Leader")
            .map((r) => [r.partition_id, r.plain_node_id])
            .sort(),
        );
        if (!ok || leaders !== last) stableSince = Date.now();
        last = leaders;
        if (ok && Date.now() - stableSince >= 1_000) return;
        if (Date.now() > deadline) throw new Error(`the cluster did not settle in ${START_DEADLINE_MS} ms:\n${await cluster.status()}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    async status() {
      const live = nodes.filter((n) => n.running());
      try {
        return (await run(ctl, ["-s", live.map((n) => n.fabricUrl).join(","), "status"], { timeout: 20_000 })).stdout;
      } catch (error) {
        return `restatectl status failed: ${(error as Error).message}`;
      }
    },
    async stop() {
      await Promise.allSettled(nodes.map((n) => (n as InternalNode).stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await Promise.all(nodes.map((n) => (n as InternalNode).start()));
    // Provisioned and placed: every partition has a leader.
    const deadline = Date.now() + START_DEADLINE_MS;
    while (true) {
      const rows = await restatectlSql(ctl, nodes, "SELECT partition_id, leader_plain_node_id FROM partitions").catch(() => []);
      if (rows.length === partitions && rows.every((row) => row.leader_plain_node_id)) break;
      if (Date.now() > deadline) throw new Error(`the cluster's partitions have no leaders after ${START_DEADLINE_MS} ms:\n${await cluster.status()}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return cluster;
  } catch (error) {
    const logs = nodes.map((n) => `--- ${n.name} ---\n${n.output().trim() || "(none)"}`).join("\n");
    await cluster.stop();
    throw new StartFailed(`the Restate cluster did not start (${(error as Error).message})\n${logs}`, error instanceof ProcessExited);
  }
}

interface InternalNode extends ClusterNode {
  start(): Promise<void>;
  stop(): Promise<void>;
}

function clusterNode(binary: string, root: string, index: number, own: NodePorts, all: readonly NodePorts[], partitions: number): InternalNode {
  const name = `n${index + 1}`;
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "restate.toml"), nodeConfig(index, own, all, partitions));
  const ingressUrl = `http://127.0.0.1:${own.ingress}`;
  const adminUrl = `http://127.0.0.1:${own.admin}`;
  let server: Spawned | undefined;
  let earlier = "";
  const start = async () => {
    earlier += server?.output() ?? "";
    const args = ["--config-file", "restate.toml", "--base-dir", "data", "--listen-mode", "tcp", "--no-logo"];
    server = spawnTracked(binary, args, { cwd: dir, env: cleanEnv({ DO_NOT_TRACK: "1" }), stopDeadlineMs: STOP_DEADLINE_MS });
    await waitUntil(server, async () => (await answers(`${adminUrl}/health`)) && (await answers(`${ingressUrl}/restate/health`)), START_DEADLINE_MS);
  };
  return {
    name,
    ingressUrl,
    adminUrl,
    fabricUrl: `http://127.0.0.1:${own.fabric}`,
    running: () => server !== undefined && server.gone() === undefined,
    output: () => earlier + (server?.output() ?? ""),
    kill: async () => server?.stop("SIGKILL"),
    restart: start,
    start,
    stop: async () => server?.stop(),
  };
}

/** The partition key of an invocation, from the admin API's SQL (`sys_invocation_status`) on the first node that answers. */
async function partitionKeyOf(nodes: readonly ClusterNode[], invocationId: string): Promise<bigint> {
  let lastError: unknown;
  for (const node of nodes) {
    try {
      const rows = await adminQuery<{ key: string }>(
        node.adminUrl,
        `SELECT CAST(partition_key AS VARCHAR) AS key FROM sys_invocation_status WHERE id = '${invocationId}'`,
      );
      if (rows[0]) return BigInt(rows[0].key);
      lastError = new Error(`no invocation ${invocationId}`);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/** A `restatectl sql` query against the given nodes, its rows parsed from `--jsonl`. */
async function restatectlSql(ctl: string, nodes: readonly ClusterNode[], query: string): Promise<Record<string, unknown>[]> {
  const { stdout } = await run(ctl, ["-s", nodes.map((n) => n.fabricUrl).join(","), "sql", "--jsonl", query], { timeout: 20_000 });
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
