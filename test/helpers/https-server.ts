/**
 * A node:https server for mutual TLS tests, on a free loopback port: it requires a client
 * certificate signed by `ca` (`requestCert`, `rejectUnauthorized`), so a client without one,
 * or with one from another CA, fails in the TLS handshake and reaches no handler. Each request
 * is recorded with the subject of the certificate it came with, and answered by `handler`.
 * Node.js closes a connection whose client certificate it refuses without a word to the client
 * (and without a `tlsClientError`), so refusals show as `connections` that never became
 * `secureConnections`.
 */
import { createServer, type Server } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import type { TLSSocket } from "node:tls";

/** A request as the server saw it. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path and query. */
  readonly url: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body, as UTF-8 text ("" when none). */
  readonly body: string;
  /** The common name of the client certificate the request came over. */
  readonly clientSubject: string;
}

export type Answer = { readonly status: number; readonly json: unknown };

export interface HttpsServer {
  /** `https://127.0.0.1:<port>` */
  readonly url: string;
  /** Requests in the order they arrived. */
  readonly requests: ReceivedRequest[];
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** Connections whose TLS handshake succeeded with a client certificate signed by `ca`. */
  readonly secureConnections: number;
  /** Handshakes that failed in OpenSSL (`tlsClientError`: the client gave up, say), as error codes. */
  readonly handshakeErrors: string[];
  /** Stops listening and destroys every open connection. Idempotent. */
  close(): Promise<void>;
}

export interface HttpsServerOptions {
  /** The server's certificate and key (PEM). */
  readonly cert: string;
  readonly key: string;
  /** The CA client certificates must be signed by. */
  readonly ca: string;
  /** Answers each request (default: 200 with `{ ok: true }`). */
  readonly handler?: (request: ReceivedRequest) => Answer;
}

export async function startHttpsServer(options: HttpsServerOptions): Promise<HttpsServer> {
  const requests: ReceivedRequest[] = [];
  const handshakeErrors: string[] = [];
  let connections = 0;
  let secureConnections = 0;
  const sockets = new Set<Socket>();
  const handler = options.handler ?? (() => ({ status: 200, json: { ok: true } }));
  const server: Server = createServer(
    { cert: options.cert, key: options.key, ca: options.ca, requestCert: true, rejectUnauthorized: true },
    (incoming, outgoing) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("end", () => {
        const peer = (incoming.socket as TLSSocket).getPeerCertificate();
        const headers = Object.fromEntries(
          Object.entries(incoming.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : (value ?? "")]),
        );
        const request: ReceivedRequest = {
          method: incoming.method ?? "GET",
          url: incoming.url ?? "/",
          headers,
          body: Buffer.concat(chunks).toString("utf8"),
          clientSubject: String(peer.subject?.CN ?? ""),
        };
        requests.push(request);
        let answer: Answer;
        try {
          answer = handler(request);
        } catch (error) {
          answer = { status: 500, json: { error: String(error) } };
        }
        outgoing.writeHead(answer.status, { "content-type": "application/json" });
        outgoing.end(JSON.stringify(answer.json));
      });
    },
  );
  server.on("connection", (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  server.on("secureConnection", (socket: TLSSocket) => {
    if (socket.authorized) secureConnections++;
  });
  server.on("tlsClientError", (error: Error & { code?: string }) => handshakeErrors.push(error.code ?? error.message));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `https://127.0.0.1:${port}`,
    requests,
    get connections() {
      return connections;
    },
    get secureConnections() {
      return secureConnections;
    },
    handshakeErrors,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      })),
  };
}
