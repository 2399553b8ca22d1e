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
 * OAuth2 client credentials and OpenID Connect: the runtime fetches the tokens itself
 * (`runtime-oauth.ts`); a 401 from the API makes `send` (`runtime.ts`) forget the token and
 * send the request once more. A scheme whose credentials an openapi-fetch middleware of the
 * run adds (a signature) is given `fromMiddleware`: it counts as given, and nothing is applied.
 *
 * Each request is marked with the schemes it carries (`CARRIED`), which the package's mocks
 * record. Nothing here puts a credential in an error message (a value `Headers` refuses
 * included); fetched tokens live only in memory.
 */
import type { Middleware } from "openapi-fetch";
import { basicCredentials, CredentialsError, requestWithUrl, retryUnauthorized } from "./runtime.js";
import { clientCredentialsToken, discoveredTokenEndpoint } from "./runtime-oauth.js";

/** A credential: the value, or a function that gives it (called for each request, so it may rotate). */
export type Secret = string | (() => string | Promise<string>);

/**
 * Given as a scheme's credential: an openapi-fetch middleware of the run adds it (an AWS
 * signature described as an API key, say). The scheme counts as given; nothing is applied.
 */
export const fromMiddleware: unique symbol = Symbol.for("arazzo-ts.from-middleware");
export type FromMiddleware = typeof fromMiddleware;

/** The property of a request that names the schemes whose credentials it carries (read by the package's mocks). */
export const CARRIED: unique symbol = Symbol.for("arazzo-ts.carried-schemes");

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
      if (!alternatives.length) return undefined;
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
        if (carried(out, scheme) || scheme.type === "mutualTLS" || credentials[name] === fromMiddleware) continue;
        const value = await credentialValue(name, scheme, credentials[name], scopes, options, out.signal);
        if (value.forget) fetchedTokens.set(id, value.forget);
        out = await applied(out, name, scheme, value.text, security.source);
      }
      (out as Request & { [CARRIED]?: readonly string[] })[CARRIED] = Object.keys(chosen);
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
    if (scheme.type === "mutualTLS" && value && value !== fromMiddleware) return value as ClientCertificate;
  }
  return undefined;
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
  if (scheme.type === "http" && scheme.scheme.toLowerCase() === "basic") {
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
    const fetch = options.fetch();
    const endpoint = tokenUrl
      ? { url: new URL(tokenUrl, `${options.baseUrl}/`).href, postOnly: false }
      : scheme.type === "openIdConnect"
        ? await discoveredTokenEndpoint(fetch, new URL(scheme.openIdConnectUrl, `${options.baseUrl}/`).href, signal)
        : undefined;
    if (!endpoint) {
      throw new CredentialsError(
        "credentials",
        `${where}: the description gives scheme \`${name}\` no client credentials flow (no token URL): give an access token or a function that gives one`,
      );
    }
    const token = await clientCredentialsToken(
      fetch,
      {
        tokenUrl: endpoint.url,
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        scopes: client.scopes ?? scopes,
        method: client.clientAuthentication ?? (endpoint.postOnly ? "client_secret_post" : "client_secret_basic"),
      },
      signal,
    );
    return { text: token.accessToken, forget: token.forget };
  }
  throw new CredentialsError("missing-credentials", `${where} is not a credential this scheme takes (${schemeText(scheme)})`);
}

/**
 * The request with the credential where the scheme says. A query parameter is appended to the
 * query as openapi-fetch wrote it (which is not parsed and written again: `a,b` stays `a,b`); a
 * cookie value is percent-encoded only where RFC 6265 allows no `cookie-octet` (a base64 key
 * keeps its `+/=`). A value `Headers` refuses (a line break) fails with no trace of the value.
 */
async function applied(request: Request, name: string, scheme: SchemeDescription, text: string, source: string): Promise<Request> {
  const set = (header: string, value: string) => {
    try {
      request.headers.set(header, value);
    } catch {
      throw new CredentialsError("credentials", `\`options.auth.${source}.${name}\` gave a value that is not valid in an HTTP header`);
    }
  };
  switch (scheme.type) {
    case "apiKey":
      if (scheme.in === "header") set(scheme.name, text);
      else if (scheme.in === "cookie") {
        const cookie = request.headers.get("Cookie");
        set("Cookie", `${cookie ? `${cookie}; ` : ""}${scheme.name}=${cookieValue(text)}`);
      } else {
        const url = new URL(request.url);
        const pair = `${encodeURIComponent(scheme.name)}=${encodeURIComponent(text)}`;
        return requestWithUrl(request, `${url.origin}${url.pathname}${url.search ? `${url.search}&` : "?"}${pair}${url.hash}`);
      }
      return request;
    case "http":
      set("Authorization", scheme.scheme.toLowerCase() === "basic" ? text : `${httpScheme(scheme.scheme)} ${text}`);
      return request;
    default:
      set("Authorization", `Bearer ${text}`);
      return request;
  }
}

/** A cookie value (RFC 6265 §4.1.1 `cookie-octet`): other characters percent-encoded. */
function cookieValue(text: string): string {
  return text.replace(/[^\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]/gu, (c) => encodeURIComponent(c));
}

/** `Bearer`, or another scheme as the description names it (HTTP authentication schemes are case-insensitive). */
function httpScheme(scheme: string): string {
  return scheme.toLowerCase() === "bearer" ? "Bearer" : scheme;
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
      return scheme.scheme.toLowerCase() === "basic" ? "HTTP Basic: `{ username, password }`" : `HTTP ${scheme.scheme}: a token or a function giving one`;
    case "oauth2":
      return scheme.tokenUrl ? "OAuth2: `{ clientId, clientSecret }`, or an access token" : "OAuth2: an access token or a function giving one";
    case "openIdConnect":
      return "OpenID Connect: `{ clientId, clientSecret }`, or an access token";
    case "mutualTLS":
      return "mutual TLS: `{ cert, key }`";
  }
}
