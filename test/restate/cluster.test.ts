/**
 * The restate target on a Restate cluster that loses a node: three restate-server nodes on
 * loopback (test/helpers/restate-cluster.ts: replicated metadata and log, partitions on two
 * nodes each), the generated Fintecture services on Node 24 registered with it, the Fintecture
 * mock over loopback HTTP.
 *
 * - The seed and the poll workflow through the ingress of one node: the outputs and requests of
 *   the plain functions.
 * - The node that leads the poll run's partition is killed in a poll wait: the run completes
 *   through the other two, each POST sent once, the outputs of an uninterrupted run; a second
 *   run started while the node is down completes too.
 * - Two runs of the same workflow key started at once, through two nodes: one run.
 * - An upgrade while a run is in flight, as docs/deploying-on-restate.md says to do it: the new
 *   version registered at a new address takes new runs, the run in flight finishes on the old
 *   one, which is then removed.
 * - Two replicas of the service behind a TCP load balancer, registered as one deployment: the
 *   replica serving a run is killed in a poll wait, the other finishes the run.
 *
 * The cluster has one partition (replicated on two nodes), so every run is on the partition whose
 * leader the failover test kills. The cluster and the service start once for the file. Needs the `@restatedev/restate-server`
 * and `@restatedev/restatectl` dev dependencies and Node 24 in `.cache/node/24`; without them
 * the tests are skipped, or fail on CI.
 */
import { createConnection, createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import path from "node:path";
import * as clients from "@restatedev/restate-sdk-clients";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachPaymentStatusPoll, startPaymentStatusPoll } from "../../generated/restate/fintecture-payment-status-poll-workflow/dist/restate-client.js";
import { startTokenThenPayment as startSeed } from "../../generated/restate/fintecture-token-then-payment-workflow/dist/restate-client.js";
import { serveFetch, type FetchServer } from "../helpers/fetch-server.ts";
import {
  adminQuery,
  journalEntries,
  node24Binary,
  register,
  restateServerBinary,
  type RestateService,
  startService,
  stopAll,
  waitUntilTrue,
} from "../helpers/restate.ts";
import { type ClusterNode, type RestateCluster, restatectlBinary, startRestateCluster } from "../helpers/restate-cluster.ts";
import { describeRequest, fakeSigning, findScenario } from "../mocks/fintecture-scenarios.ts";
import { createOpenApiMock, type MockOverride, type OpenApiMockOptions } from "../mocks/openapi-mock.ts";

const SERVICES = path.join(import.meta.dirname, "fixtures", "fintecture-services.mjs");
/** The poll workflow's wait between polls: long enough to kill a node inside one. */
const POLL_DELAY_MS = 1_500;

const missing = [
  restateServerBinary() ? undefined : "restate-server (npm i -D @restatedev/restate-server)",
  restatectlBinary() ? undefined : "restatectl (npm i -D @restatedev/restatectl)",
  node24Binary() ? undefined : "Node 24 (node test/helpers/node-versions.mjs 24)",
].filter((reason): reason is string => reason !== undefined);
const skipReason = missing.length ? `missing ${missing.join(" and ")}` : undefined;

const seed = findScenario("token-then-payment")!;
const poll = findScenario("payment-status-poll")!;
const seedInputs = seed.inputs as unknown as Parameters<typeof startSeed>[2];
const pollInputs = poll.inputs as unknown as Parameters<typeof startPaymentStatusPoll>[2];

/** `promise`, or a rejection naming `what` after `ms`: a run that hangs fails its test instead of outliving the cluster. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

if (skipReason && process.env.CI) {
  describe("restate target on a cluster", () => {
    it("has restate-server, restatectl and Node 24 on CI", () => {
      throw new Error(`cannot run the Restate cluster tests on CI: ${skipReason}`);
    });
  });
} else {
  describe.skipIf(skipReason !== undefined)(`restate target on a three-node cluster${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
    let cluster: RestateCluster | undefined;
    let service: RestateService | undefined;
    /** The id Restate gave `service`'s deployment. */
    let deploymentId = "";
    let mockServer: FetchServer | undefined;
    let mock = createOpenApiMock({ documents: seed.documents });
    const useMock = (options: Omit<OpenApiMockOptions, "baseUrl">) => {
      mock = createOpenApiMock({ ...options, baseUrl: mockServer!.url });
      return mock;
    };
    const ingress = (node: ClusterNode) => clients.connect({ url: node.ingressUrl });
    const logs = () =>
      [...(cluster?.nodes ?? []).map((n) => `--- ${n.name} ---\n${n.output().slice(-4_000)}`), `--- service ---\n${service?.output() ?? ""}`].join("\n");

    beforeAll(async () => {
      mockServer = await serveFetch((request) => mock.fetch(request));
      cluster = await startRestateCluster({ partitions: 1 });
      service = await startService(SERVICES, { MOCK_URL: mockServer.url, POLL_DELAY_MS: String(POLL_DELAY_MS) });
      // Registered once, through one node's admin API: the cluster's metadata takes it to the others.
      deploymentId = ((await register(cluster.nodes[0]!.adminUrl, service.url)) as { id: string }).id;
      await waitUntilServedBy(deploymentId, ["token-then-payment", "payment-status-poll"]);
    }, 120_000);

    /** Waits until every running node's admin API names `id` as the deployment serving `services`. */
    async function waitUntilServedBy(id: string, services = ["payment-status-poll"]): Promise<void> {
      const serving = async (node: ClusterNode, name: string) => {
        const response = await fetch(`${node.adminUrl}/services/${name}`);
        return response.ok ? ((await response.json()) as { deployment_id?: string }).deployment_id : undefined;
      };
      const all = () => Promise.all(cluster!.nodes.filter((n) => n.running()).flatMap((node) => services.map((name) => serving(node, name))));
      const deadline = Date.now() + 20_000;
      while ((await all()).some((served) => served !== id)) {
        if (Date.now() > deadline) throw new Error(`the nodes do not all serve ${id}: ${JSON.stringify(await all())}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }

    /** Waits until the journal of `invocationId` holds `count` sleeps: the run is in a durable wait. */
    async function waitForSleeps(invocationId: string, count: number): Promise<void> {
      const admin = () => cluster!.nodes.find((n) => n.running())!.adminUrl;
      const deadline = Date.now() + 30_000;
      while ((await journalEntries(admin(), invocationId)).filter((e) => e.type === "Command: Sleep").length < count) {
        if (Date.now() > deadline) throw new Error(`no sleep ${count} in the journal of ${invocationId}\n${logs()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }

    afterAll(async () => {
      try {
        await stopAll(service, cluster);
      } finally {
        await mockServer?.close();
      }
    });

    it("runs the seed and the poll workflow through the ingress of one node, as the plain functions do", async () => {
      const reference = createOpenApiMock({ documents: seed.documents, overrides: seed.main.overrides });
      const expected = await seed.run({ fetch: reference.fetch, middleware: [fakeSigning] });
      useMock({ documents: seed.documents, overrides: seed.main.overrides });
      const started = await startSeed(ingress(cluster!.nodes[1]!), "cluster-seed-1", seedInputs);
      expect(await within(started.output(), 30_000, `seed\n${logs()}`)).toEqual(expected);
      expect(mock.requests.map(describeRequest)).toEqual(reference.requests.map(describeRequest));

      useMock({ documents: poll.documents, overrides: poll.main.overrides as Record<string, MockOverride> });
      const polled = await startPaymentStatusPoll(ingress(cluster!.nodes[2]!), "cluster-poll-1", pollInputs);
      expect(await within(polled.output(), 30_000, "poll")).toEqual(poll.main.outputs);
      expect(mock.requests.map(describeRequest)).toEqual(poll.main.requests);
    }, 60_000);

    it("completes a run whose partition leader dies in a poll wait, each POST sent once; a run started while the node is down completes too", async () => {
      useMock({ documents: poll.documents, overrides: poll.main.overrides as Record<string, MockOverride> });
      const started = await startPaymentStatusPoll(ingress(cluster!.nodes[0]!), "cluster-failover-1", pollInputs);
      // In the first wait: the POST and one poll sent and journaled, the timer for the next one held by the partition's leader.
      await waitUntilTrue(() => mock.requests.filter((r) => r.operationId === "getPaymentSession").length === 1, 30_000, logs);
      await waitForSleeps(started.invocationId, 1);
      const leader = await cluster!.leaderOf(started.invocationId);
      await leader.kill();
      const sentBeforeFailover = mock.requests.length;
      try {
        const survivor = cluster!.nodes.find((n) => n !== leader)!;
        const outputs = await within(attachPaymentStatusPoll(ingress(survivor), "cluster-failover-1"), 60_000, "the run after the failover").catch(
          async (error: unknown) => {
            throw new Error(`${String(error)}\n${await cluster!.status()}\n${logs()}`);
          },
        );
        // Another node leads the partition now.
        const next = await cluster!.leaderOf(started.invocationId);
        expect(next).not.toBe(leader);
        expect(next.running()).toBe(true);
        expect(sentBeforeFailover).toBe(2);
        expect(outputs).toEqual(poll.main.outputs);
        // Exactly the requests of an uninterrupted run: the POST once, three polls.
        expect(mock.requests.map(describeRequest)).toEqual(poll.main.requests);
        expect(mock.requests.filter((r) => r.method === "POST")).toHaveLength(1);

        // With the node still down, a new run (on the same partition, the only one), through another node.
        useMock({ documents: poll.documents, overrides: poll.main.overrides as Record<string, MockOverride> });
        const other = cluster!.nodes.find((n) => n !== leader && n !== survivor)!;
        const second = await startPaymentStatusPoll(ingress(other), "cluster-while-down-1", pollInputs);
        expect(await within(second.output(), 60_000, "the run while a node is down")).toEqual(poll.main.outputs);
        expect(mock.requests.map(describeRequest)).toEqual(poll.main.requests);
      } finally {
        // Back to three nodes, and settled: no leadership moving under the next test's run.
        await leader.restart();
        await cluster!.settled();
      }
    }, 120_000);

    /** The admin API's SQL, on a running node. */
    const query = (sql: string) => adminQuery(cluster!.nodes.find((n) => n.running())!.adminUrl, sql);

    it("runs a workflow key once when two runs of it start at once, through two nodes", async () => {
      useMock({ documents: poll.documents, overrides: poll.main.overrides as Record<string, MockOverride> });
      const [a, b] = await Promise.all([
        startPaymentStatusPoll(ingress(cluster!.nodes[0]!), "cluster-same-key-1", pollInputs),
        startPaymentStatusPoll(ingress(cluster!.nodes[1]!), "cluster-same-key-1", pollInputs),
      ]);
      expect(b.invocationId).toBe(a.invocationId);
      const [first, second] = await within(Promise.all([a.output(), b.output()]), 60_000, "the same key, twice");
      expect(first).toEqual(poll.main.outputs);
      expect(second).toEqual(first);
      expect(mock.requests.map(describeRequest)).toEqual(poll.main.requests);
    }, 60_000);

    it("upgrades while a run is in flight: the run finishes on its deployment, new runs go to the new one, the old one is then removed", async () => {
      useMock({ documents: poll.documents, overrides: poll.main.overrides as Record<string, MockOverride> });
      const inFlight = await startPaymentStatusPoll(ingress(cluster!.nodes[0]!), "cluster-upgrade-1", pollInputs);
      await waitUntilTrue(() => mock.requests.some((r) => r.operationId === "getPaymentSession"), 30_000, logs);
      // The new version at an address of its own, registered beside the old one.
      const next = await startService(SERVICES, { MOCK_URL: mockServer!.url, POLL_DELAY_MS: String(POLL_DELAY_MS) });
      try {
        const nextId = ((await register(cluster!.nodes[1]!.adminUrl, next.url)) as { id: string }).id;
        // The registration reaches every node with the cluster's metadata, in a moment: then new runs go to it.
        await waitUntilServedBy(nextId);
        const fresh = await startPaymentStatusPoll(ingress(cluster!.nodes[2]!), "cluster-upgrade-2", pollInputs);
        // Each run finishes on the deployment it started on.
        expect(await within(inFlight.output(), 60_000, "the run in flight")).toEqual(poll.main.outputs);
        // The mock's second payment session.
        expect(await within(fresh.output(), 60_000, "the new run")).toEqual({ ...poll.main.outputs, sessionId: "session-0002" });
        expect(mock.requests.filter((r) => r.method === "POST")).toHaveLength(2);
        const pinned = async (id: string) => (await query(`SELECT pinned_deployment_id FROM sys_invocation WHERE id = '${id}'`))[0]?.pinned_deployment_id;
        const deployments = { old: deploymentId, next: nextId };
        expect({ inFlight: await pinned(inFlight.invocationId), fresh: await pinned(fresh.invocationId), deployments }).toEqual({
          inFlight: deploymentId,
          fresh: nextId,
          deployments,
        });
        // Nothing in flight on the old deployment any more: it is removed, its process stopped.
        const open = await query(`SELECT id FROM sys_invocation WHERE pinned_deployment_id = '${deploymentId}' AND status != 'completed'`);
        expect(open).toEqual([]);
        // Restate removes a deployment only when forced: it does not check what is pinned to it (the query above did).
        const removed = await fetch(`${cluster!.nodes[0]!.adminUrl}/deployments/${deploymentId}?force=true`, { method: "DELETE" });
        const answer = await removed.text();
        expect(removed.status, answer).toBeLessThan(300);
        const listed = (await (await fetch(`${cluster!.nodes[0]!.adminUrl}/deployments`)).json()) as { deployments: { id: string }[] };
        expect(listed.deployments.map((d) => d.id)).toEqual([nextId]);
        await service!.stop();
        service = next;
        deploymentId = nextId;
      } catch (error) {
        await next.stop();
        throw error;
      }
    }, 90_000);

    it("serves a run from two replicas behind a load balancer: the replica serving it dies in a poll wait, the other finishes it", async () => {
      const env = (replica: string) => ({ MOCK_URL: mockServer!.url, POLL_DELAY_MS: String(POLL_DELAY_MS), REPLICA: replica });
      const replicas: RestateService[] = [];
      let balancer: Awaited<ReturnType<typeof startBalancer>> | undefined;
      try {
        replicas.push(await startService(SERVICES, env("a")), await startService(SERVICES, env("b")));
        balancer = await startBalancer(replicas.map((r) => r.port));
        const registered = (await register(cluster!.nodes[0]!.adminUrl, balancer.url)) as { id: string };
        await waitUntilServedBy(registered.id);
        useMock({ documents: poll.documents, overrides: poll.main.overrides as Record<string, MockOverride> });
        const started = await startPaymentStatusPoll(ingress(cluster!.nodes[1]!), "cluster-replicas-1", pollInputs);
        await waitUntilTrue(() => mock.requests.some((r) => r.operationId === "getPaymentSession"), 30_000, logs);
        await waitForSleeps(started.invocationId, 1);
        // The replica that sent the requests so far (each carries its name) is killed in the wait.
        const serving = mock.requests.find((r) => r.operationId === "getPaymentSession")!.headers["x-replica"];
        expect(["a", "b"]).toContain(serving);
        await replicas[serving === "a" ? 0 : 1]!.kill();
        expect(await within(started.output(), 60_000, "the run after its replica died")).toEqual(poll.main.outputs);
        expect(mock.requests.map(describeRequest)).toEqual(poll.main.requests);
        // The other replica sent the polls after the wait.
        const polls = mock.requests.filter((r) => r.operationId === "getPaymentSession").map((r) => r.headers["x-replica"]);
        expect(polls).toEqual([serving, ...polls.slice(1).map(() => (serving === "a" ? "b" : "a"))]);
      } finally {
        await Promise.allSettled([...replicas.map((r) => r.stop()), balancer?.close()]);
      }
    }, 90_000);
  });
}

/**
 * A TCP load balancer on a free loopback port: each connection goes to the next of `ports` in
 * turn (HTTP/2 passes through untouched); a backend that refuses is skipped. Counts connections
 * per backend, in all and open.
 */
async function startBalancer(ports: readonly number[]): Promise<{ url: string; connections(): number[]; open(): number[]; close(): Promise<void> }> {
  const connections = ports.map(() => 0);
  const open = ports.map(() => 0);
  const sockets = new Set<Socket>();
  let next = 0;
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    const connect = (tries: number) => {
      const index = next++ % ports.length;
      const backend = createConnection({ host: "127.0.0.1", port: ports[index]! });
      sockets.add(backend);
      let connected = false;
      backend.once("connect", () => {
        connected = true;
        connections[index]! += 1;
        open[index]! += 1;
        backend.once("close", () => {
          open[index]! -= 1;
          client.destroy();
        });
        client.once("close", () => backend.destroy());
        client.pipe(backend).pipe(client);
      });
      backend.on("error", () => {
        sockets.delete(backend);
        // Refused (a replica that is down): the next one. Broken once connected: the client's connection with it.
        if (!connected && tries < ports.length) connect(tries + 1);
        else client.destroy();
      });
    };
    client.on("error", () => client.destroy());
    connect(1);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => [...connections],
    open: () => [...open],
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
