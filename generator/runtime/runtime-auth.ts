/**
 * Credentials for the security schemes of an OpenAPI description (OpenAPI 3.1 §4.8.27
 * Security Scheme Object, §4.8.30 Security Requirement Object), applied to each request a
 * generated client sends by an openapi-fetch middleware.
 *
 * For each operation the client knows its requirements (alternatives). The first alternative
 * whose schemes all have credentials (given in `options.auth.<source>`, or already carried by
 * the request, as a step that sends its own `Authorization` header does) is applied; an
 * operation whose every alternative lacks one fails its step before anything is sent
 * (`missing-credentials`). API keys go in their header, query parameter or cookie; HTTP Basic
 * and Bearer credentials, OAuth2 and OpenID Connect access tokens in `Authorization`.
 *
 * OAuth2 client credentials (RFC 6749 §4.4), directly or through OpenID Connect discovery
 * (OpenID Connect Discovery 1.0 §4): the token is fetched by the runtime and kept until
 * shortly before it expires, in a cache shared by every run in the process that uses the same
 * token endpoint, client and scopes (a mock fetch of the package has a cache of its own); runs
 * that need it at once wait for one request.
 * A 401 from the API makes `send` (`runtime.ts`) forget it and send the request once more.
 *
 * Nothing here puts a credential in an error message; fetched tokens live only in memory.
 */
import type { Middleware } from "openapi-fetch";
import { base64, basicCredentials, CredentialsError, markCredentialQuery, redactUrl, requestWithUrl, retryUnauthorized } from "./runtime.js";
import { onMocks } from "./runtime-servers.js";

/** A credential: the value, or a function that gives it (called for each request, so it may rotate). */
export type Secret = string | (() => string | Promise<string>);

/** HTTP Basic credentials (RFC 7617). */
export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

/** An OAuth2 client (RFC 6749 §4.4): the runtime fetches and renews its access tokens. */
export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The scopes to ask for; default: those the operation's security requirement names. */
  readonly scopes?: readonly string[];
  /**
   * How the client authenticates at the token endpoint (RFC 6749 §2.3.1): HTTP Basic
   * (`client_secret_basic`, the default; for OpenID Connect, unless the provider's discovery
   * document lists only `client_secret_post`), or in the request body (`client_secret_post`).
   */
  readonly clientAuthentication?: "client_secret_basic" | "client_secret_post";
  /** The token endpoint, when not the one the description gives (a sandbox's); for OpenID Connect, instead of discovery. */
  readonly tokenUrl?: string;
}

/** A TLS client certificate (`mutualTLS`), PEM text or bytes. */
export interface ClientCertificate {
  readonly cert: string | Uint8Array;
  readonly key: string | Uint8Array;
  /** The CAs the server's certificate is checked against, when not the system's. */
  readonly ca?: string | Uint8Array | readonly (string | Uint8Array)[];
  readonly passphrase?: string;
}

/** A security scheme as a generated client holds it. */
export type SchemeDescription =
  | { readonly type: "apiKey"; readonly in: "header" | "query" | "cookie"; readonly name: string }
  | { readonly type: "http"; readonly scheme: string }
  /** `tokenUrl`: the description's client credentials flow (absent: a token must be given). */
  | { readonly type: "oauth2"; readonly tokenUrl?: string }
  | { readonly type: "openIdConnect"; readonly openIdConnectUrl: string }
  | { readonly type: "mutualTLS" };

/** A source's schemes and the requirements of the operations its client sends. */
export interface SourceSecurity {
  readonly source: string;
  readonly schemes: Readonly<Record<string, SchemeDescription>>;
  /** Distinct requirement lists, as the description writes them: alternatives of `{ scheme: scopes }`. */
  readonly requirements: readonly (readonly Readonly<Record<string, readonly string[]>>[])[];
  /** `METHOD /path` → its requirements' index; an operation not listed needs no credentials. */
  readonly operations: Readonly<Record<string, number>>;
}

/** `Credentials` with those of `Names` required: the `auth` a workflow that needs them takes. */
export type Requires<Credentials, Names extends keyof Credentials> = Credentials & {
  readonly [K in Names]-?: Exclude<Credentials[K], undefined>;
};

type FetchLike = (input: Request) => Promise<Response>;

/** What the mocks (`<package>/mocks`) learn of each request: the schemes it carries, and where their values are (to keep them out of its records). */
export interface CredentialsNotice {
  readonly schemes: readonly string[];
  readonly headers: readonly string[];
  readonly query: readonly string[];
  readonly cookies: readonly string[];
}

export interface AuthOptions {
  readonly security: SourceSecurity;
  /** `options.auth.<source>`: credentials by scheme name. */
  readonly credentials: Readonly<Record<string, unknown>> | undefined;
  /** The fetch token requests go through (the client's, resolved when called). */
  readonly fetch: () => FetchLike;
  /** The source's base URL, which relative token URLs are resolved against. */
  readonly baseUrl: string;
}

/** The middleware that gives each request of a client its credentials. */
export function authMiddleware(options: AuthOptions): Middleware {
  const { security } = options;
  const credentials = options.credentials ?? {};
  const given = (name: string) => Object.hasOwn(credentials, name) && credentials[name] !== undefined && credentials[name] !== null;
  // The fetched token each request in flight was sent with, by openapi-fetch's request id.
  const fetchedTokens = new Map<string, () => void>();
  return {
    async onRequest({ request, schemaPath, id }) {
      const index = security.operations[`${request.method} ${schemaPath}`];
      const alternatives = index === undefined ? [] : (security.requirements[index] ?? []);
      const notice: { -readonly [K in keyof CredentialsNotice]: string[] } = { schemes: [], headers: [], query: [], cookies: [] };
      if (!alternatives.length) {
        notify(options.fetch(), notice);
        return undefined;
      }
      const usable = (name: string) => {
        const scheme = security.schemes[name];
        return !!scheme && (given(name) || carried(request, scheme));
      };
      const chosen =
        alternatives.find((a) => Object.keys(a).length > 0 && Object.keys(a).every(usable)) ?? alternatives.find((a) => Object.keys(a).length === 0);
      if (!chosen) throw new CredentialsError("missing-credentials", missingMessage(security, `${request.method} ${schemaPath}`, alternatives));
      let out = request;
      for (const [name, scopes] of Object.entries(chosen)) {
        const scheme = security.schemes[name]!;
        notice.schemes.push(name);
        if (carried(out, scheme) || scheme.type === "mutualTLS") continue;
        const value = await credentialValue(name, scheme, credentials[name], scopes, options, out.signal);
        if (value.forget) fetchedTokens.set(id, value.forget);
        out = await applied(out, scheme, value.text, notice);
      }
      if (notice.query.length) markCredentialQuery(out, notice.query);
      notify(options.fetch(), notice);
      return out;
    },
    onResponse({ response, id }) {
      const forget = fetchedTokens.get(id);
      fetchedTokens.delete(id);
      if (forget && response.status === 401) retryUnauthorized(response, forget);
      return undefined;
    },
    onError({ id }) {
      fetchedTokens.delete(id);
      return undefined;
    },
  };
}

/** The configured client certificate of the source's `mutualTLS` scheme, if any. */
export function clientCertificate(security: SourceSecurity, credentials: Readonly<Record<string, unknown>> | undefined): ClientCertificate | undefined {
  for (const [name, scheme] of Object.entries(security.schemes)) {
    const value = credentials && Object.hasOwn(credentials, name) ? credentials[name] : undefined;
    if (scheme.type === "mutualTLS" && value) return value as ClientCertificate;
  }
  return undefined;
}

function notify(fetch: FetchLike | undefined, notice: CredentialsNotice): void {
  (fetch as { onArazzoCredentials?: (notice: CredentialsNotice) => void } | undefined)?.onArazzoCredentials?.(notice);
}

/** Whether the request already carries the scheme's credentials (the step sends them itself). */
function carried(request: Request, scheme: SchemeDescription): boolean {
  switch (scheme.type) {
    case "apiKey":
      if (scheme.in === "header") return request.headers.has(scheme.name);
      if (scheme.in === "query") return new URL(request.url).searchParams.has(scheme.name);
      return cookieNames(request.headers.get("Cookie")).includes(scheme.name);
    case "mutualTLS":
      return false;
    default:
      return request.headers.has("Authorization");
  }
}

function cookieNames(header: string | null): string[] {
  return (header ?? "").split(";").map((pair) => pair.split("=")[0]!.trim());
}

/** What to send: the text of the credential, and how to forget a fetched token after a 401. */
interface CredentialValue {
  readonly text: string;
  readonly forget?: () => void;
}

async function credentialValue(
  name: string,
  scheme: SchemeDescription,
  credential: unknown,
  scopes: readonly string[],
  options: AuthOptions,
  signal: AbortSignal,
): Promise<CredentialValue> {
  const where = `\`options.auth.${options.security.source}.${name}\``;
  if (scheme.type === "http" && scheme.scheme === "basic") {
    const basic = credential as Partial<BasicCredentials> | null;
    if (typeof basic?.username !== "string" || typeof basic.password !== "string") {
      throw new CredentialsError("missing-credentials", `${where} must be \`{ username, password }\` (HTTP Basic)`);
    }
    return { text: basicCredentials({ username: basic.username, password: basic.password }) };
  }
  if (typeof credential === "string") return { text: credential };
  if (typeof credential === "function") {
    let value: unknown;
    try {
      value = await (credential as () => unknown)();
    } catch (error) {
      throw new CredentialsError("credentials", `the function given as ${where} failed`, { cause: error });
    }
    if (typeof value !== "string") throw new CredentialsError("credentials", `the function given as ${where} did not give a string`);
    return { text: value };
  }
  const client = credential as Partial<ClientCredentials> | null;
  if ((scheme.type === "oauth2" || scheme.type === "openIdConnect") && typeof client?.clientId === "string" && typeof client.clientSecret === "string") {
    const tokenUrl = typeof client.tokenUrl === "string" ? client.tokenUrl : scheme.type === "oauth2" ? scheme.tokenUrl : undefined;
    const endpoint = tokenUrl
      ? { url: new URL(tokenUrl, `${options.baseUrl}/`).href, postOnly: false }
      : scheme.type === "openIdConnect"
        ? await discovered(scheme.openIdConnectUrl, options, signal)
        : undefined;
    if (!endpoint) {
      throw new CredentialsError(
        "credentials",
        `${where}: the description gives scheme \`${name}\` no client credentials flow (no token URL): give an access token or a function that gives one`,
      );
    }
    const method = client.clientAuthentication ?? (endpoint.postOnly ? "client_secret_post" : "client_secret_basic");
    const request = { tokenUrl: endpoint.url, client: client as ClientCredentials, scopes: client.scopes ?? scopes, method } as const;
    return cachedToken(options.fetch(), request, signal);
  }
  throw new CredentialsError("missing-credentials", `${where} is not a credential this scheme takes (${schemeText(scheme)})`);
}

/** The request with the credential where the scheme says. */
async function applied(
  request: Request,
  scheme: SchemeDescription,
  text: string,
  notice: { headers: string[]; query: string[]; cookies: string[] },
): Promise<Request> {
  switch (scheme.type) {
    case "apiKey":
      if (scheme.in === "header") {
        request.headers.set(scheme.name, text);
        notice.headers.push(scheme.name.toLowerCase());
        return request;
      }
      if (scheme.in === "cookie") {
        const cookie = request.headers.get("Cookie");
        request.headers.set("Cookie", `${cookie ? `${cookie}; ` : ""}${scheme.name}=${encodeURIComponent(text)}`);
        notice.cookies.push(scheme.name);
        return request;
      }
      {
        const url = new URL(request.url);
        url.searchParams.set(scheme.name, text);
        notice.query.push(scheme.name);
        return requestWithUrl(request, url.href);
      }
    case "http":
      request.headers.set("Authorization", scheme.scheme === "basic" ? text : `${httpScheme(scheme.scheme)} ${text}`);
      notice.headers.push("authorization");
      return request;
    default:
      request.headers.set("Authorization", `Bearer ${text}`);
      notice.headers.push("authorization");
      return request;
  }
}

/** `Bearer`, `Basic`, or another scheme as the description names it (HTTP auth schemes are case-insensitive). */
function httpScheme(scheme: string): string {
  return scheme === "bearer" ? "Bearer" : scheme.charAt(0).toUpperCase() + scheme.slice(1);
}

function missingMessage(security: SourceSecurity, operation: string, alternatives: SourceSecurity["requirements"][number]): string {
  const option = (name: string) => {
    const scheme = security.schemes[name];
    return `\`options.auth.${security.source}.${name}\`${scheme ? ` (${schemeText(scheme)})` : ""}`;
  };
  const ways = alternatives.map((a) => Object.keys(a).map(option).join(" and "));
  return `\`${operation}\` of source \`${security.source}\` needs ${ways.length > 1 ? `one of: ${ways.join("; or ")}` : ways[0]}`;
}

function schemeText(scheme: SchemeDescription): string {
  switch (scheme.type) {
    case "apiKey":
      return `API key in ${scheme.in} \`${scheme.name}\``;
    case "http":
      return scheme.scheme === "basic" ? "HTTP Basic: `{ username, password }`" : `HTTP ${scheme.scheme}: a token or a function giving one`;
    case "oauth2":
      return scheme.tokenUrl ? "OAuth2: `{ clientId, clientSecret }`, or an access token" : "OAuth2: an access token or a function giving one";
    case "openIdConnect":
      return "OpenID Connect: `{ clientId, clientSecret }`, or an access token";
    case "mutualTLS":
      return "mutual TLS: `{ cert, key }`";
  }
}

/** `application/x-www-form-urlencoded` encoding of one value (RFC 6749 §2.3.1 encodes the client id and secret so). */
function formEncoded(value: string): string {
  return new URLSearchParams([["", value]]).toString().slice(1);
}

// ---------------------------------------------------------------------------------------
// OAuth2 client credentials: tokens fetched once, kept until shortly before they expire.

interface TokenRequest {
  readonly tokenUrl: string;
  readonly client: ClientCredentials;
  readonly scopes: readonly string[];
  readonly method: "client_secret_basic" | "client_secret_post";
}

interface Token {
  readonly accessToken: string;
  /** `Date.now()` after which it is fetched anew: shortly before it expires; Infinity when the server gives no lifetime. */
  readonly renewAt: number;
}

/**
 * Caches per fetch: one the package's mocks use has its own (a mock's token never reaches an
 * API, nor an API's a mock); every other fetch shares one, so runs that each pass their own
 * fetch function still share tokens.
 */
function cacheFor<V>(caches: WeakMap<object, Map<string, V>>, fetch: FetchLike): Map<string, V> {
  const owner = onMocks(fetch) ? fetch : caches;
  const cache = caches.get(owner) ?? new Map<string, V>();
  caches.set(owner, cache);
  return cache;
}

/** Tokens, by a hash of what they were fetched with (the client secret is not a key in memory). */
const tokens = new WeakMap<object, Map<string, Promise<Token>>>();

async function cachedToken(fetch: FetchLike, request: TokenRequest, signal: AbortSignal): Promise<CredentialValue> {
  const cache = cacheFor(tokens, fetch);
  const key = await digest(
    JSON.stringify([request.tokenUrl, request.client.clientId, request.client.clientSecret, [...request.scopes].sort(), request.method]),
  );
  for (;;) {
    let entry = cache.get(key);
    const fresh = !entry;
    if (!entry) {
      const started: Promise<Token> = requestToken(fetch, request);
      entry = started;
      cache.set(key, started);
      // A refused request is not kept: the next run asks again.
      started.catch(() => {
        if (cache.get(key) === started) cache.delete(key);
      });
    }
    const current = entry;
    const token = await untilAborted(current, signal).catch((error: unknown) => {
      // A run that stops waiting (its timeout, its abort) leaves the next run to ask anew: one token request that hangs must not hold up every later run.
      if (signal.aborted && cache.get(key) === current) cache.delete(key);
      throw error;
    });
    const forget = () => {
      if (cache.get(key) === current) cache.delete(key);
    };
    if (fresh || Date.now() < token.renewAt) return { text: token.accessToken, forget };
    forget();
  }
}

/** The token request (RFC 6749 §4.4.2) and its answer (§5.1, §5.2). */
async function requestToken(fetch: FetchLike, request: TokenRequest): Promise<Token> {
  const body = new URLSearchParams({ grant_type: "client_credentials" });
  if (request.scopes.length) body.set("scope", request.scopes.join(" "));
  const headers = new Headers({ "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" });
  if (request.method === "client_secret_post") {
    body.set("client_id", request.client.clientId);
    body.set("client_secret", request.client.clientSecret);
  } else {
    headers.set("Authorization", `Basic ${base64(`${formEncoded(request.client.clientId)}:${formEncoded(request.client.clientSecret)}`)}`);
  }
  const where = `the token endpoint ${redactUrl(request.tokenUrl)}`;
  const started = Date.now();
  let response: Response;
  try {
    response = await fetch(new Request(request.tokenUrl, { method: "POST", headers, body }));
  } catch (error) {
    throw new CredentialsError("credentials", `${where} could not be reached (${error instanceof Error ? error.name : "error"})`, { cause: error });
  }
  const answer = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!response.ok) {
    // The OAuth error code only (`invalid_client`): a description may echo what was sent.
    const code = typeof answer?.error === "string" && /^[\x21-\x7E]{1,64}$/.test(answer.error) ? ` (${answer.error})` : "";
    throw new CredentialsError("credentials", `${where} answered HTTP ${response.status}${code}`);
  }
  if (typeof answer?.access_token !== "string" || !answer.access_token) {
    throw new CredentialsError("credentials", `${where} answered without an \`access_token\``);
  }
  const lifetime = Number(answer.expires_in);
  // Renewed a tenth of its lifetime before it expires, at most 30 s before.
  const renewAt = Number.isFinite(lifetime) && lifetime > 0 ? started + lifetime * 1000 - Math.min(30_000, lifetime * 100) : Number.POSITIVE_INFINITY;
  return { accessToken: answer.access_token, renewAt };
}

/** OpenID Connect discovery documents by URL: the token endpoint, and whether it takes only `client_secret_post`. */
const discoveries = new WeakMap<object, Map<string, Promise<{ url: string; postOnly: boolean }>>>();

async function discovered(openIdConnectUrl: string, options: AuthOptions, signal: AbortSignal): Promise<{ url: string; postOnly: boolean }> {
  const fetch = options.fetch();
  const cache = cacheFor(discoveries, fetch);
  const url = new URL(openIdConnectUrl, `${options.baseUrl}/`).href;
  let entry = cache.get(url);
  if (!entry) {
    const started = discover(fetch, url);
    entry = started;
    cache.set(url, started);
    started.catch(() => {
      if (cache.get(url) === started) cache.delete(url);
    });
  }
  const current = entry;
  return untilAborted(current, signal).catch((error: unknown) => {
    // As for tokens: a discovery request that hangs is not waited for by every later run.
    if (signal.aborted && cache.get(url) === current) cache.delete(url);
    throw error;
  });
}

async function discover(fetch: FetchLike, url: string): Promise<{ url: string; postOnly: boolean }> {
  const where = `the OpenID Connect discovery document ${redactUrl(url)}`;
  let response: Response;
  try {
    response = await fetch(new Request(url, { headers: { Accept: "application/json" } }));
  } catch (error) {
    throw new CredentialsError("credentials", `${where} could not be read (${error instanceof Error ? error.name : "error"})`, { cause: error });
  }
  const document = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!response.ok || typeof document?.token_endpoint !== "string") {
    throw new CredentialsError("credentials", `${where} ${response.ok ? "has no `token_endpoint`" : `answered HTTP ${response.status}`}`);
  }
  // OpenID Connect Discovery §4.3: the issuer must be the URL the document was fetched under.
  const expected = url.endsWith("/.well-known/openid-configuration") ? url.slice(0, -"/.well-known/openid-configuration".length) : undefined;
  if (expected !== undefined && typeof document.issuer === "string" && document.issuer.replace(/\/+$/, "") !== expected.replace(/\/+$/, "")) {
    throw new CredentialsError("credentials", `${where} names another issuer (${redactUrl(document.issuer)}): it is not used`);
  }
  const methods = Array.isArray(document.token_endpoint_auth_methods_supported) ? document.token_endpoint_auth_methods_supported : undefined;
  const postOnly = !!methods && !methods.includes("client_secret_basic") && methods.includes("client_secret_post");
  return { url: new URL(document.token_endpoint, url).href, postOnly };
}

/** A shared promise, awaited by one run: its abort rejects for it alone. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener("abort", abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", abort);
        reject(error);
      },
    );
  });
}

async function digest(text: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
