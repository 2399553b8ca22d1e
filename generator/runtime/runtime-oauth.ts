/**
 * The OAuth2 client credentials grant (RFC 6749 §4.4) for `runtime-auth.ts`: access tokens
 * fetched from a token endpoint, directly or found through OpenID Connect discovery (OpenID
 * Connect Discovery 1.0 §4), and kept until shortly before they expire.
 *
 * Tokens are cached by token endpoint, client and scopes, shared by every run in the process
 * (the package's mock fetch has a cache of its own: a mock's token never reaches an API, nor
 * an API's a mock); runs that need one at once wait for one request. A refused request is not
 * kept, and a run that stops waiting (its timeout, its abort) leaves the next run to ask anew.
 * The client secret is a key in memory only as part of a hash.
 */
import { abortable, base64, CredentialsError, redactUrl, requestFailure, shownCause } from "./runtime.js";
import { onMocks } from "./runtime-servers.js";

type FetchLike = (input: Request) => Promise<Response>;

/** What a token is asked with (RFC 6749 §4.4.2). */
export interface TokenRequest {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes: readonly string[];
  /** How the client authenticates (RFC 6749 §2.3.1): HTTP Basic, or in the body. */
  readonly method: "client_secret_basic" | "client_secret_post";
}

/** An access token, and how to forget it (after a 401 from the API). */
export interface FetchedToken {
  readonly accessToken: string;
  readonly forget: () => void;
}

interface Token {
  readonly accessToken: string;
  /** `Date.now()` after which it is fetched anew: shortly before it expires; Infinity when the server gives no lifetime. */
  readonly renewAt: number;
}

/** What a provider's discovery document says of its token endpoint. */
export interface TokenEndpoint {
  readonly url: string;
  /** The provider lists `client_secret_post` and not `client_secret_basic`. */
  readonly postOnly: boolean;
}

/** Per fetch: one of the package's mocks has its own cache; every other fetch shares one. */
function cacheFor<V>(caches: WeakMap<object, Map<string, V>>, fetch: FetchLike): Map<string, V> {
  const owner = onMocks(fetch) ? fetch : caches;
  const cache = caches.get(owner) ?? new Map<string, V>();
  caches.set(owner, cache);
  return cache;
}

/**
 * A promise kept in `cache` under `key` while it is pending or fulfilled: started by the first
 * caller, awaited by the others until `signal` aborts. A rejected one is dropped, and so is a
 * pending one a caller stops waiting for, so one request that hangs does not hold up later runs.
 */
function shared<V>(
  cache: Map<string, Promise<V>>,
  key: string,
  start: () => Promise<V>,
  signal: AbortSignal,
): { value: Promise<V>; fresh: boolean; entry: Promise<V> } {
  let entry = cache.get(key);
  const fresh = !entry;
  if (!entry) {
    const started = start();
    entry = started;
    cache.set(key, started);
    started.catch(() => {
      if (cache.get(key) === started) cache.delete(key);
    });
  }
  const current = entry;
  const value = abortable(current, signal).catch((error: unknown) => {
    if (signal.aborted && cache.get(key) === current) cache.delete(key);
    throw error;
  });
  return { value, fresh, entry: current };
}

const tokens = new WeakMap<object, Map<string, Promise<Token>>>();

/** A token for `request`: the cached one while it is fresh, else a new one. */
export async function clientCredentialsToken(fetch: FetchLike, request: TokenRequest, signal: AbortSignal): Promise<FetchedToken> {
  const cache = cacheFor(tokens, fetch);
  const key = await digest(JSON.stringify([request.tokenUrl, request.clientId, request.clientSecret, [...request.scopes].sort(), request.method]));
  for (;;) {
    const { value, fresh, entry } = shared(cache, key, () => requestToken(fetch, request), signal);
    const token = await value;
    const forget = () => {
      if (cache.get(key) === entry) cache.delete(key);
    };
    if (fresh || Date.now() < token.renewAt) return { accessToken: token.accessToken, forget };
    forget();
  }
}

/** The token request (RFC 6749 §4.4.2) and its answer (§5.1, §5.2). */
async function requestToken(fetch: FetchLike, request: TokenRequest): Promise<Token> {
  const body = new URLSearchParams({ grant_type: "client_credentials" });
  if (request.scopes.length) body.set("scope", request.scopes.join(" "));
  const headers = new Headers({ "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" });
  if (request.method === "client_secret_post") {
    body.set("client_id", request.clientId);
    body.set("client_secret", request.clientSecret);
  } else {
    headers.set("Authorization", `Basic ${base64(`${formEncoded(request.clientId)}:${formEncoded(request.clientSecret)}`)}`);
  }
  const where = `the token endpoint ${redactUrl(request.tokenUrl)}`;
  const started = Date.now();
  let response: Response;
  try {
    response = await fetch(new Request(request.tokenUrl, { method: "POST", headers, body }));
  } catch (error) {
    throw new CredentialsError("credentials", `${where} could not be reached (${requestFailure(error)})`, { cause: shownCause(error, requestFailure(error)) });
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
  // RFC 6749 §7.1: a token of another type (DPoP, MAC) is not a bearer token: sending it as one would fail.
  const type = answer.token_type;
  if (typeof type === "string" && type.toLowerCase() !== "bearer") {
    throw new CredentialsError(
      "credentials",
      `${where} gave a token of type ${/^[\w.-]{1,32}$/.test(type) ? `\`${type}\`` : "other than bearer"}, which is not sent as a bearer token`,
    );
  }
  const lifetime = Number(answer.expires_in);
  // Renewed a tenth of its lifetime before it expires, at most 30 s before.
  const renewAt = Number.isFinite(lifetime) && lifetime > 0 ? started + lifetime * 1000 - Math.min(30_000, lifetime * 100) : Number.POSITIVE_INFINITY;
  return { accessToken: answer.access_token, renewAt };
}

/** `application/x-www-form-urlencoded` encoding of one value (RFC 6749 §2.3.1 encodes the client id and secret so). */
function formEncoded(value: string): string {
  return new URLSearchParams([["", value]]).toString().slice(1);
}

const discoveries = new WeakMap<object, Map<string, Promise<TokenEndpoint>>>();

/** The token endpoint of the provider whose discovery document is at `url`, read once per process. */
export function discoveredTokenEndpoint(fetch: FetchLike, url: string, signal: AbortSignal): Promise<TokenEndpoint> {
  return shared(cacheFor(discoveries, fetch), url, () => discover(fetch, url), signal).value;
}

const WELL_KNOWN = "/.well-known/openid-configuration";

async function discover(fetch: FetchLike, url: string): Promise<TokenEndpoint> {
  const where = `the OpenID Connect discovery document ${redactUrl(url)}`;
  let response: Response;
  try {
    response = await fetch(new Request(url, { headers: { Accept: "application/json" } }));
  } catch (error) {
    throw new CredentialsError("credentials", `${where} could not be read (${requestFailure(error)})`, { cause: shownCause(error, requestFailure(error)) });
  }
  const document = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!response.ok || typeof document?.token_endpoint !== "string") {
    throw new CredentialsError("credentials", `${where} ${response.ok ? "has no `token_endpoint`" : `answered HTTP ${response.status}`}`);
  }
  // OpenID Connect Discovery §3, §4.3: the issuer is required, and is the URL the document was fetched under.
  const path = new URL(url);
  if (path.pathname.endsWith(WELL_KNOWN) && !path.search) {
    const expected = url.slice(0, -WELL_KNOWN.length).replace(/\/+$/, "");
    if (typeof document.issuer !== "string") throw new CredentialsError("credentials", `${where} has no \`issuer\`: it is not used`);
    if (document.issuer.replace(/\/+$/, "") !== expected) {
      throw new CredentialsError("credentials", `${where} names another issuer (${redactUrl(document.issuer)}): it is not used`);
    }
  }
  const methods = Array.isArray(document.token_endpoint_auth_methods_supported) ? document.token_endpoint_auth_methods_supported : undefined;
  const postOnly = !!methods && !methods.includes("client_secret_basic") && methods.includes("client_secret_post");
  return { url: new URL(document.token_endpoint, url).href, postOnly };
}

async function digest(text: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
