/**
 * Base URLs from OpenAPI Server Objects (OpenAPI 3.1 §4.8.5, §4.8.6): which server of a
 * source a run calls, with its `{variables}` filled in from the run's `servers` option or
 * their defaults. Every generated client resolves its base URL here when a run starts, so a
 * source that has no absolute server fails then, with an error that says which option to
 * set, before any request is sent.
 *
 * On the package's own mocks (`<package>/mocks`: the mock fetch, or the MSW handlers once
 * created) such a source gets a placeholder origin the mocks answer, so every workflow runs
 * there as it is; the placeholder (`https://<source>.mock.arazzo.invalid`) never resolves
 * anywhere else.
 */
import type { Middleware } from "openapi-fetch";
import { ArazzoConfigError, requestWithUrl } from "./runtime.js";

/** A Server Object as a generated client holds it. */
export interface ServerDescription {
  /** The URL template: `{protocol}://{hostname}/api/v3`. */
  readonly url: string;
  readonly description?: string;
  readonly variables?: Readonly<Record<string, { readonly default?: string; readonly enum?: readonly string[] }>>;
}

/** Which described server a run calls, and values for its variables (`options.servers.<source>`). */
export interface ServerChoice {
  /** Its index in the description's `servers` list, or its URL as written there; default: the first. */
  readonly server?: number | string;
  readonly variables?: Readonly<Record<string, string>>;
}

/** What a client knows of its source's servers. */
export interface SourceServers {
  readonly source: string;
  readonly servers: readonly ServerDescription[];
  /** Where the description is served (http(s)), for relative server URLs. */
  readonly descriptionUrl?: string;
  /** Respect's `x-serverUrl` on the source description: the base URL when the run chooses none. */
  readonly serverUrl?: string;
}

/** Marks a fetch (or, for MSW handlers, the process) as the package's mocks, which answer any origin. */
export const MOCK = Symbol.for("arazzo-ts.mock");

/** Whether requests go to the package's mocks: its mock fetch, or the global fetch while its MSW handlers exist. */
export function onMocks(fetch: unknown): boolean {
  const marked = (value: unknown) => (typeof value === "function" || (typeof value === "object" && value !== null)) && MOCK in value;
  return fetch === undefined ? marked(globalThis) : marked(fetch);
}

/**
 * The base URL of a source for a run: `baseUrl` when given, else the chosen server (the
 * first by default, or `x-serverUrl` when the run chooses none) with its variables filled
 * in, made absolute against where the description is served.
 */
export function resolveBaseUrl(
  described: SourceServers,
  run: { readonly baseUrl?: string; readonly servers?: ServerChoice; readonly fetch?: unknown },
): string {
  if (run.baseUrl) return run.baseUrl;
  if (!run.servers && described.serverUrl) return described.serverUrl;
  const { source } = described;
  const choice = run.servers ?? {};
  let server: ServerDescription | undefined = described.servers[0];
  if (choice.server !== undefined) {
    server = typeof choice.server === "number" ? described.servers[choice.server] : described.servers.find((s) => s.url === choice.server);
    if (!server) {
      const known = described.servers.map((s, i) => `${i} (${s.url})`).join(", ");
      throw new ArazzoConfigError(
        source,
        `\`options.servers.${source}.server\` names no server of its description${known ? `, which has ${known}` : ", which has none"}`,
      );
    }
  }
  const url = server ? fill(source, server, choice.variables ?? {}, true) : "/";
  // Without a trailing slash, as openapi-fetch joins it with the path.
  return absolute(source, url, described.descriptionUrl, run.fetch).replace(/\/+$/, "");
}

/**
 * The base URL of an operation that has servers of its own (a Path Item's or Operation's
 * `servers`), or undefined when the run gave `baseUrl`, which replaces them all. The run's
 * server choice picks the same index when the operation has that many, else its first; its
 * variables apply where the operation's server has them and allows the value, else their
 * defaults do.
 */
export function operationBaseUrl(
  described: SourceServers,
  own: readonly ServerDescription[],
  run: { readonly baseUrl?: string; readonly servers?: ServerChoice; readonly fetch?: unknown },
): string | undefined {
  if (run.baseUrl) return undefined;
  const choice = run.servers?.server;
  const index = typeof choice === "number" ? choice : described.servers.findIndex((s) => s.url === choice);
  const server = own.find((s) => s.url === choice) ?? own[index >= 0 && index < own.length ? index : 0]!;
  const allowed: Record<string, string> = {};
  for (const [name, value] of Object.entries(run.servers?.variables ?? {})) {
    const variable = server.variables?.[name];
    if (variable && (!variable.enum || variable.enum.includes(value))) allowed[name] = value;
  }
  return absolute(described.source, fill(described.source, server, allowed, false), described.descriptionUrl, run.fetch);
}

/**
 * The middleware that sends each operation with servers of its own to its base URL (`own`:
 * by `METHOD /path`) instead of the client's `baseUrl`; none when the run gave `baseUrl`.
 */
export function operationServers(
  described: SourceServers,
  own: Readonly<Record<string, readonly ServerDescription[]>>,
  baseUrl: string,
  run: { readonly baseUrl?: string; readonly servers?: ServerChoice; readonly fetch?: unknown },
): Middleware {
  const bases = new Map<string, string | undefined>();
  return {
    async onRequest({ request, schemaPath }) {
      const key = `${request.method} ${schemaPath}`;
      const servers = Object.hasOwn(own, key) ? own[key] : undefined;
      const root = baseUrl.replace(/\/+$/, "");
      if (!servers?.length || !request.url.startsWith(root)) return undefined;
      if (!bases.has(key)) bases.set(key, operationBaseUrl(described, servers, run)?.replace(/\/+$/, ""));
      const base = bases.get(key);
      return base === undefined ? undefined : requestWithUrl(request, base + request.url.slice(root.length));
    },
  };
}

/** The server's URL with its variables replaced: the run's value, else the default. */
function fill(source: string, server: ServerDescription, values: Readonly<Record<string, string>>, strict: boolean): string {
  return server.url.replace(/\{([^{}]+)\}/g, (_, name: string) => {
    const variable = server.variables?.[name];
    const value = Object.hasOwn(values, name) ? values[name] : variable?.default;
    if (value === undefined) {
      throw new ArazzoConfigError(
        source,
        `server \`${server.url}\` needs variable \`${name}\`, which has no default: set \`options.servers.${source}.variables.${name}\` (or \`options.baseUrls.${source}\`)`,
      );
    }
    if (strict && variable?.enum && Object.hasOwn(values, name) && !variable.enum.includes(value)) {
      throw new ArazzoConfigError(
        source,
        `\`options.servers.${source}.variables.${name}\` must be one of ${variable.enum.map((v) => JSON.stringify(v)).join(", ")}`,
      );
    }
    return value;
  });
}

/** `url` made absolute against the description's location, or the mocks' placeholder origin; an error when neither can. */
function absolute(source: string, url: string, descriptionUrl: string | undefined, fetch: unknown): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url;
  if (descriptionUrl) return new URL(url, descriptionUrl).href;
  if (onMocks(fetch)) return new URL(url, `https://${source.toLowerCase().replace(/[^a-z0-9-]+/g, "-") || "source"}.mock.arazzo.invalid`).href;
  throw new ArazzoConfigError(
    source,
    url === "/"
      ? `its OpenAPI description has no \`servers\`, so there is no URL to send requests to: set \`options.baseUrls.${source}\``
      : `its server URL \`${url}\` is relative, and the description's own URL is not known to resolve it against: set \`options.baseUrls.${source}\``,
  );
}
