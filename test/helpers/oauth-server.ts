/**
 * A real OAuth2 / OpenID Connect authorization server over HTTP for tests of generated packages'
 * credentials (discovery document, token endpoint for the client credentials grant, JWKS,
 * RS256-signed JWT access tokens: RFC 6749 §4.4 and §5, RFC 7519, OpenID Connect Discovery
 * 1.0), and an API that accepts only the bearer tokens it issued, its signature checked against
 * the server's JWKS. Both run in the test process, each on a free loopback port (named
 * `127.0.0.1`, never `localhost`), and are stopped by `stop()`. Built on node:http and
 * node:crypto (oauth2-mock-server, used before, declares Node 22+ and made `npm ci` warn on 20).
 *
 * It has registered clients: a wrong client secret gets 401 `invalid_client` (whose
 * `error_description` echoes what was sent, as careless servers do, so tests can check that the
 * client keeps it out of its errors), tokens last as long as their client's `tokenLifetime`
 * says, and every token request is recorded with how the client authenticated, but never the
 * secret itself. Each token gets a random `jti`, so two tokens issued in the same second differ.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject, randomUUID, sign, verify } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A client the authorization server knows. */
export interface RegisteredClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Seconds its tokens last (`expires_in` and the JWT's `exp`); default 3600. */
  readonly tokenLifetime?: number;
}

export type ClientAuthenticationSeen = "client_secret_basic" | "client_secret_post" | "both" | "none";

/** A token request the server received. */
export interface TokenRequestRecord {
  /** The client id it named (in the Basic header or the body), if any. */
  readonly clientId: string | undefined;
  readonly grantType: string;
  readonly scope: string | undefined;
  /** Where the client credentials were: the `Authorization: Basic` header, the body, both, or nowhere. */
  readonly clientAuthentication: ClientAuthenticationSeen;
  /** Whether a token was issued: the client is registered, its secret right, given one way only. */
  readonly accepted: boolean;
  /** The `jti` of the token issued, when accepted. */
  readonly tokenId: string | undefined;
}

export interface AuthorizationServer {
  /** `http://127.0.0.1:<port>`: the issuer (`iss`) of its tokens and the base of its endpoints. */
  readonly issuer: string;
  readonly port: number;
  readonly tokenEndpoint: string;
  /** The OpenID Connect discovery document (`<issuer>/.well-known/openid-configuration`). */
  readonly discoveryUrl: string;
  readonly jwksUrl: string;
  /** Every token request received, in order. */
  readonly tokenRequests: TokenRequestRecord[];
  /** How many times the discovery document was served. */
  discoveryRequests(): number;
  /** Adds a client (or replaces one with the same id). */
  registerClient(client: RegisteredClient): void;
  /** What the discovery document lists as `token_endpoint_auth_methods_supported` (default: basic and post). */
  setTokenEndpointAuthMethods(methods: readonly string[]): void;
  /** Stops listening. Idempotent. */
  stop(): Promise<void>;
}

const DEFAULT_LIFETIME = 3600;

/** Starts an authorization server on a free loopback port, with a new RS256 signing key. */
export async function startAuthorizationServer(): Promise<AuthorizationServer> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomUUID();
  const jwk = { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" };

  const clients = new Map<string, RegisteredClient>();
  const tokenRequests: TokenRequestRecord[] = [];
  let discoveries = 0;
  let authMethods: readonly string[] = ["client_secret_basic", "client_secret_post"];
  let issuer = "";

  /** A signed JWT access token (RS256) with these claims. */
  const token = (claims: Record<string, unknown>) => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const signed = `${encode({ alg: "RS256", typ: "JWT", kid })}.${encode(claims)}`;
    return `${signed}.${sign("RSA-SHA256", Buffer.from(signed), privateKey).toString("base64url")}`;
  };

  const handle = async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const path = new URL(incoming.url ?? "/", issuer).pathname;
    const reply = (status: number, json: unknown) => {
      // RFC 6749 §5.1: token responses are not cached.
      outgoing.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
      outgoing.end(JSON.stringify(json));
    };
    if (incoming.method === "GET" && path === "/.well-known/openid-configuration") {
      discoveries++;
      return reply(200, {
        issuer,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        token_endpoint_auth_methods_supported: [...authMethods],
        grant_types_supported: ["client_credentials"],
        response_types_supported: ["token"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
      });
    }
    if (incoming.method === "GET" && path === "/jwks") return reply(200, { keys: [jwk] });
    if (incoming.method !== "POST" || path !== "/token") return reply(404, { error: "not_found" });

    // RFC 6749 §4.4.2: a form-encoded body.
    const body = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString("utf8")));
    const seen = clientAuthentication(incoming.headers.authorization, body);
    const client = seen.clientId === undefined ? undefined : clients.get(seen.clientId);
    const accepted =
      body.grant_type === "client_credentials" && !!client && seen.method !== "both" && seen.method !== "none" && seen.clientSecret === client.clientSecret;
    const jti = accepted ? randomUUID() : undefined;
    tokenRequests.push({
      clientId: seen.clientId,
      grantType: body.grant_type ?? "",
      scope: body.scope,
      clientAuthentication: seen.method,
      accepted,
      tokenId: jti,
    });
    if (!accepted || !client) {
      if (body.grant_type !== "client_credentials") return reply(400, { error: "unsupported_grant_type" });
      // RFC 6749 §5.2; the description echoes what was sent, on purpose (see the header comment).
      return reply(401, { error: "invalid_client", error_description: `client authentication failed: ${seen.clientId}:${seen.clientSecret}` });
    }
    const lifetime = client.tokenLifetime ?? DEFAULT_LIFETIME;
    const iat = Math.floor(Date.now() / 1000);
    const claims = { iss: issuer, iat, nbf: iat, exp: iat + lifetime, jti, client_id: client.clientId, ...(body.scope ? { scope: body.scope } : {}) };
    reply(200, { access_token: token(claims), token_type: "Bearer", expires_in: lifetime, ...(body.scope ? { scope: body.scope } : {}) });
  };
  const server = createServer((incoming, outgoing) => {
    handle(incoming, outgoing).catch((error: unknown) => {
      if (outgoing.headersSent || outgoing.destroyed) return;
      outgoing.writeHead(500, { "content-type": "text/plain" });
      outgoing.end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  issuer = `http://127.0.0.1:${port}`;

  let stopping: Promise<void> | undefined;
  return {
    issuer,
    port,
    tokenEndpoint: `${issuer}/token`,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    jwksUrl: `${issuer}/jwks`,
    tokenRequests,
    discoveryRequests: () => discoveries,
    registerClient: (client) => void clients.set(client.clientId, client),
    setTokenEndpointAuthMethods: (methods) => {
      authMethods = methods;
    },
    stop: () =>
      (stopping ??= new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })),
  };
}

/** The client id and secret of a token request (RFC 6749 §2.3.1), and where they were. */
function clientAuthentication(
  authorization: string | undefined,
  body: Readonly<Record<string, string>>,
): { method: ClientAuthenticationSeen; clientId?: string; clientSecret?: string } {
  const header = /^Basic (.+)$/i.exec(authorization ?? "")?.[1];
  const inBody = typeof body.client_secret === "string";
  if (header !== undefined) {
    // `client_secret_basic`: id and secret form-encoded, joined by `:`, base64.
    const decoded = Buffer.from(header, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const formDecoded = (text: string) => decodeURIComponent(text.replace(/\+/g, " "));
    const clientId = formDecoded(colon < 0 ? decoded : decoded.slice(0, colon));
    const clientSecret = colon < 0 ? undefined : formDecoded(decoded.slice(colon + 1));
    return { method: inBody ? "both" : "client_secret_basic", clientId, ...(clientSecret === undefined ? {} : { clientSecret }) };
  }
  const clientId = typeof body.client_id === "string" ? body.client_id : undefined;
  if (inBody) return { method: "client_secret_post", ...(clientId === undefined ? {} : { clientId }), clientSecret: body.client_secret! };
  return { method: "none", ...(clientId === undefined ? {} : { clientId }) };
}

// ---------------------------------------------------------------------------------------
// An API that takes the server's bearer tokens.

/** A route of the API: `{name}` path segments match any one segment. */
export interface ApiRoute {
  readonly method: string;
  readonly path: string;
  /** The scope the token must carry (in its `scope` claim). */
  readonly scope: string;
  readonly answer: (request: { readonly params: Readonly<Record<string, string>>; readonly body: unknown }) => { status: number; json: unknown };
}

/** A request the API received. */
export interface ApiRequestRecord {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Whether it carried a valid bearer token for the route: signed by the server's key, its issuer's, not expired, with the scope. */
  readonly authorized: boolean;
  /** Why it was refused: `no-token`, `malformed`, `signature`, `issuer`, `expired`, `scope`, `revoked`, or `told` (`unauthorizedNext`). */
  readonly problem: string | undefined;
  /** The token's `client_id` and `jti`, when it had a valid signature. */
  readonly clientId: string | undefined;
  readonly tokenId: string | undefined;
}

export interface BearerApi {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly requests: ApiRequestRecord[];
  /** The next `count` requests get 401 whatever their token. */
  unauthorizedNext(count: number): void;
  /** Refuses the token with this `jti` from now on (401), as after a revocation. */
  revokeToken(tokenId: string): void;
  /** Stops listening and closes open connections. Idempotent. */
  stop(): Promise<void>;
}

/** Starts the API on a free loopback port; it reads the server's JWKS first. */
export async function startBearerApi(authorization: Pick<AuthorizationServer, "issuer" | "jwksUrl">, routes: readonly ApiRoute[]): Promise<BearerApi> {
  const jwks = (await (await fetch(authorization.jwksUrl)).json()) as { keys: { kid: string; alg?: string }[] };
  const keys = new Map<string, KeyObject>(jwks.keys.map((jwk) => [jwk.kid, createPublicKey({ key: jwk, format: "jwk" })]));
  const requests: ApiRequestRecord[] = [];
  const revoked = new Set<string>();
  let refuseNext = 0;

  const handle = async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const method = incoming.method ?? "GET";
    const path = new URL(incoming.url ?? "/", "http://127.0.0.1").pathname;
    const reply = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      outgoing.writeHead(status, { "content-type": "application/json", ...headers });
      outgoing.end(JSON.stringify(json));
    };
    const matched = routes.map((route) => ({ route, params: matchPath(route.path, path) })).find((m) => m.route.method === method && m.params);
    if (!matched) {
      requests.push({ method, path, status: 404, authorized: false, problem: undefined, clientId: undefined, tokenId: undefined });
      return reply(404, { error: "not_found" });
    }
    const token = checkToken(incoming.headers.authorization, keys, authorization.issuer, matched.route.scope);
    let problem = token.problem ?? (token.tokenId !== undefined && revoked.has(token.tokenId) ? "revoked" : undefined);
    if (!problem && refuseNext > 0) {
      refuseNext--;
      problem = "told";
    }
    const record = { method, path, authorized: !problem, problem, clientId: token.clientId, tokenId: token.tokenId };
    if (problem) {
      requests.push({ ...record, status: 401 });
      // RFC 6750 §3.1.
      return reply(401, { error: "invalid_token" }, { "www-authenticate": `Bearer error="invalid_token"` });
    }
    const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown) : undefined;
    const answer = matched.route.answer({ params: matched.params!, body });
    requests.push({ ...record, status: answer.status });
    reply(answer.status, answer.json);
  };
  const server = createServer((incoming, outgoing) => {
    handle(incoming, outgoing).catch((error: unknown) => {
      if (outgoing.headersSent || outgoing.destroyed) return;
      outgoing.writeHead(500, { "content-type": "text/plain" });
      outgoing.end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    unauthorizedNext: (count) => {
      refuseNext = count;
    },
    revokeToken: (tokenId) => void revoked.add(tokenId),
    stop: () =>
      (stopping ??= new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })),
  };
}

/** The route's parameters when `path` matches its template, `undefined` otherwise. */
function matchPath(template: string, path: string): Record<string, string> | undefined {
  const want = template.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const name = /^\{(.+)\}$/.exec(segment)?.[1];
    if (name) params[name] = decodeURIComponent(got[i]!);
    else if (segment !== got[i]) return undefined;
  }
  return params;
}

/** Checks an `Authorization: Bearer <JWT>` header (RS256, RFC 7519 claims `iss`, `exp`, `nbf`, and `scope`). */
function checkToken(
  header: string | undefined,
  keys: ReadonlyMap<string, KeyObject>,
  issuer: string,
  scope: string,
): { problem?: string; clientId?: string; tokenId?: string } {
  const jwt = /^Bearer (\S+)$/i.exec(header ?? "")?.[1];
  if (!jwt) return { problem: "no-token" };
  const parts = jwt.split(".");
  if (parts.length !== 3) return { problem: "malformed" };
  const [encodedHeader, encodedPayload, signature] = parts as [string, string, string];
  let protectedHeader: { alg?: string; kid?: string };
  let claims: Record<string, unknown>;
  try {
    protectedHeader = JSON.parse(Buffer.from(encodedHeader, "base64url").toString("utf8"));
    claims = JSON.parse(Buffer.from(encodedPayload, "base64url").toString("utf8"));
  } catch {
    return { problem: "malformed" };
  }
  const key = protectedHeader.kid === undefined ? undefined : keys.get(protectedHeader.kid);
  if (protectedHeader.alg !== "RS256" || !key) return { problem: "signature" };
  if (!verify("RSA-SHA256", Buffer.from(`${encodedHeader}.${encodedPayload}`), key, Buffer.from(signature, "base64url"))) return { problem: "signature" };
  const ids = {
    ...(typeof claims.client_id === "string" ? { clientId: claims.client_id } : {}),
    ...(typeof claims.jti === "string" ? { tokenId: claims.jti } : {}),
  };
  const now = Date.now() / 1000;
  if (claims.iss !== issuer) return { problem: "issuer", ...ids };
  if (typeof claims.exp !== "number" || now >= claims.exp || (typeof claims.nbf === "number" && now < claims.nbf)) return { problem: "expired", ...ids };
  if (typeof claims.scope !== "string" || !claims.scope.split(" ").includes(scope)) return { problem: "scope", ...ids };
  return ids;
}

// ---------------------------------------------------------------------------------------
// A token endpoint that hangs.

export interface HangingProxy {
  /** `http://127.0.0.1:<port>/token` */
  readonly url: string;
  /** Requests received, the unanswered included. */
  requests(): number;
  /** Stops listening and closes open connections (the unanswered requests fail). Idempotent. */
  stop(): Promise<void>;
}

/** A proxy to `target` (a token endpoint) that leaves the first `hang` requests unanswered until it is stopped, and forwards the others. */
export async function startHangingProxy(target: string, hang: number): Promise<HangingProxy> {
  let received = 0;
  const server = createServer((incoming, outgoing) => {
    const forward = async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      if (++received <= hang) return;
      const headers = new Headers();
      for (const name of ["authorization", "content-type", "accept"]) {
        const value = incoming.headers[name];
        if (typeof value === "string") headers.set(name, value);
      }
      const response = await fetch(target, { method: incoming.method ?? "POST", headers, body: Buffer.concat(chunks) });
      outgoing.writeHead(response.status, { "content-type": response.headers.get("content-type") ?? "application/json" });
      outgoing.end(Buffer.from(await response.arrayBuffer()));
    };
    forward().catch(() => outgoing.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/token`,
    requests: () => received,
    stop: () =>
      (stopping ??= new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })),
  };
}
