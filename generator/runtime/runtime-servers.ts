/**
 * Base URLs from OpenAPI Server Objects (OpenAPI 3.1 §4.8.5, §4.8.6): which server of a
 * source a run calls, with its `{variables}` filled in from the run's `servers` option or
 * their defaults. A generated client resolves its base URL, and those of its operations that
 * have servers of their own, when a run starts: options that cannot work (no absolute URL, a
 * server or a value the description does not have) fail then, with an error that says which
 * option to set, before any request is sent.
 *
 * An operation with servers of its own (a Path Item's or Operation's `servers`) takes the
 * run's choice for it (`servers.<source>.operations["METHOD /path"]`), else the same index as
 * the document's chosen server and the document's variables where its server has them. An
 * explicit choice that cannot apply to it (an index it does not have, a value its `enum` does
 * not allow) is an error rather than a silent fallback to another server.
 *
 * On the package's own mocks (`<package>/mocks`: the mock fetch, or the MSW handlers while
 * marked) a source with no absolute URL gets a placeholder origin the mocks answer
 * (`https://<source>.mock.arazzo.invalid`, which resolves nowhere else), and a variable with
 * no value gets `mock`.
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

/** Which described server a run calls (its index in the list, or its URL as written), and values for its variables. */
export interface ServerChoice {
  readonly server?: number | string;
  readonly variables?: Readonly<Record<string, string>>;
}

/** `options.servers.<source>`: the document's server, and the servers of operations that have their own, by `METHOD /path`. */
export interface SourceServerChoice extends ServerChoice {
  readonly operations?: Readonly<Record<string, ServerChoice>>;
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

/** What a run gives a client about where to send requests. */
export interface RunServers {
  readonly baseUrl?: string;
  readonly servers?: SourceServerChoice;
  readonly fetch?: unknown;
}

/** Marks a fetch (or, for MSW handlers, the process) as the package's mocks, which answer any origin. */
export const MOCK: unique symbol = Symbol.for("arazzo-ts.mock");

/** Whether requests go to the package's mocks: its mock fetch, or the global fetch while its MSW handlers have marked the process. */
export function onMocks(fetch: unknown): boolean {
  const marked = (value: unknown) => (typeof value === "function" || (typeof value === "object" && value !== null)) && MOCK in value;
  return fetch === undefined ? marked(globalThis) : marked(fetch);
}

/**
 * The base URL of a source for a run: `baseUrl` when given, else the chosen server (the first
 * by default, or `x-serverUrl` when the run chooses none) with its variables filled in, made
 * absolute against where the description is served. `documentServerUnused`: every operation
 * the client sends has servers of its own, so a document without an absolute server is no error.
 */
export function resolveBaseUrl(described: SourceServers, run: RunServers, documentServerUnused = false): string {
  if (run.baseUrl) return run.baseUrl;
  if (!run.servers && described.serverUrl) return described.serverUrl;
  const mocks = onMocks(run.fetch);
  if (run.servers) return chosenBaseUrl(described, run.servers, mocks, documentServerUnused);
  // A run that chooses nothing gets the same URL as every other such run: worked out once.
  const known = defaultBaseUrls.get(described) ?? [];
  const slot = (mocks ? 2 : 0) + (documentServerUnused ? 1 : 0);
  const cached = known[slot];
  if (cached !== undefined) return cached;
  const url = chosenBaseUrl(described, {}, mocks, documentServerUnused);
  known[slot] = url;
  defaultBaseUrls.set(described, known);
  return url;
}

/**
 * The base URLs of runs that choose no server (`resolveBaseUrl`), by source description: off
 * the mocks and on them, each with `documentServerUnused` false and true.
 */
const defaultBaseUrls = new WeakMap<SourceServers, (string | undefined)[]>();

/** The server `choice` names (the first by default) with its variables filled in, made absolute. */
function chosenBaseUrl(described: SourceServers, choice: SourceServerChoice, mocks: boolean, documentServerUnused: boolean): string {
  const { source } = described;
  let server: ServerDescription | undefined = described.servers[0];
  if (choice.server !== undefined) {
    server = pick(described.servers, choice.server);
    if (!server)
      throw new ArazzoConfigError(source, `\`options.servers.${source}.server\` names no server of its description, which has ${listed(described.servers)}`);
  }
  const option = `options.servers.${source}`;
  try {
    const url = server ? fill(source, server, choice.variables ?? {}, { option, mocks }) : "/";
    // Without a trailing slash, as openapi-fetch joins it with the path.
    return absolute(source, url, described.descriptionUrl, mocks).replace(/\/+$/, "");
  } catch (error) {
    // Every request goes to its operation's own server: the document's is not needed.
    if (documentServerUnused && choice.server === undefined && error instanceof ArazzoConfigError)
      return `https://${hostLabel(source)}.operation-servers.arazzo.invalid`;
    throw error;
  }
}

/**
 * The middleware that sends each operation with servers of its own (`own`: by `METHOD /path`)
 * to its base URL instead of the client's `baseUrl`; nothing when the run gave `baseUrl`, which
 * replaces them all. The base URLs of `now` (the operations a run sends) are resolved at once,
 * so options that cannot work fail before anything is sent; others on their first request.
 */
export function operationServers(
  described: SourceServers,
  own: Readonly<Record<string, readonly ServerDescription[]>>,
  baseUrl: string,
  run: RunServers,
  now: readonly string[] = [],
): Middleware {
  const bases = new Map<string, string>();
  const base = (key: string) => {
    const known = bases.get(key);
    if (known !== undefined) return known;
    const found = operationBaseUrl(described, key, own[key]!, run).replace(/\/+$/, "");
    bases.set(key, found);
    return found;
  };
  if (!run.baseUrl) for (const key of now) if (Object.hasOwn(own, key)) base(key);
  const root = baseUrl.replace(/\/+$/, "");
  return {
    async onRequest({ request, schemaPath }) {
      const key = `${request.method} ${schemaPath}`;
      if (run.baseUrl || !Object.hasOwn(own, key) || !request.url.startsWith(root)) return undefined;
      return requestWithUrl(request, base(key) + request.url.slice(root.length));
    },
  };
}

/** The base URL of operation `key` (`METHOD /path`), which has servers `own`. */
function operationBaseUrl(described: SourceServers, key: string, own: readonly ServerDescription[], run: RunServers): string {
  const { source } = described;
  const option = `options.servers.${source}.operations[${JSON.stringify(key)}]`;
  const mocks = onMocks(run.fetch);
  const mine = run.servers?.operations?.[key];
  if (mine) {
    const server = mine.server === undefined ? own[0] : pick(own, mine.server);
    if (!server) throw new ArazzoConfigError(source, `\`${option}.server\` names no server of \`${key}\`, which has ${listed(own)}`);
    return absolute(source, fill(source, server, mine.variables ?? {}, { option, mocks }), described.descriptionUrl, mocks);
  }
  // The document's choice, where it can apply.
  const chosen = run.servers?.server;
  let server = own[0]!;
  if (chosen !== undefined) {
    const index = typeof chosen === "number" ? chosen : described.servers.findIndex((s) => s.url === chosen);
    const found = (typeof chosen === "string" ? own.find((s) => s.url === chosen) : undefined) ?? own[index];
    if (!found) {
      throw new ArazzoConfigError(
        source,
        `\`options.servers.${source}.server\` is server ${JSON.stringify(chosen)} of the description, and \`${key}\` has servers of its own: ${listed(own)}; choose one with \`${option}\``,
      );
    }
    server = found;
  }
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(run.servers?.variables ?? {})) {
    const variable = server.variables?.[name];
    if (!variable) continue;
    if (variable.enum && !variable.enum.includes(value)) {
      throw new ArazzoConfigError(
        source,
        `\`options.servers.${source}.variables.${name}\` is not a value the server of \`${key}\` takes (one of ${variable.enum.map((v) => JSON.stringify(v)).join(", ")}): set it with \`${option}\``,
      );
    }
    values[name] = value;
  }
  return absolute(source, fill(source, server, values, { option, mocks }), described.descriptionUrl, mocks);
}

/** The server `choice` names: an index, or a URL as written. */
function pick(servers: readonly ServerDescription[], choice: number | string): ServerDescription | undefined {
  return typeof choice === "number" ? servers[choice] : servers.find((s) => s.url === choice);
}

/** `0 (https://…), 1 (https://…)` */
function listed(servers: readonly ServerDescription[]): string {
  return servers.length ? servers.map((s, i) => `${i} (${s.url})`).join(", ") : "none";
}

/** The server's URL with its variables replaced: the run's value (checked against the `enum`), else the default. */
function fill(source: string, server: ServerDescription, values: Readonly<Record<string, string>>, context: { option: string; mocks: boolean }): string {
  return server.url.replace(/\{([^{}]+)\}/g, (_, name: string) => {
    const variable = server.variables?.[name];
    if (Object.hasOwn(values, name)) {
      const value = values[name]!;
      if (variable?.enum && !variable.enum.includes(value)) {
        throw new ArazzoConfigError(source, `\`${context.option}.variables.${name}\` must be one of ${variable.enum.map((v) => JSON.stringify(v)).join(", ")}`);
      }
      return value;
    }
    if (variable?.default !== undefined) return variable.default;
    if (context.mocks) return "mock";
    throw new ArazzoConfigError(
      source,
      `server \`${server.url}\` needs variable \`${name}\`, which has no default: set \`${context.option}.variables.${name}\` (or \`options.baseUrls.${source}\`)`,
    );
  });
}

/** A source name as one DNS label of a placeholder host. */
function hostLabel(source: string): string {
  return source.toLowerCase().replace(/[^a-z0-9-]+/g, "-") || "source";
}

/** `url` made absolute against the description's location, or the mocks' placeholder origin; an error when neither can. */
function absolute(source: string, url: string, descriptionUrl: string | undefined, mocks: boolean): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url;
  if (descriptionUrl) return new URL(url, descriptionUrl).href;
  if (mocks) return new URL(url, `https://${hostLabel(source)}.mock.arazzo.invalid`).href;
  throw new ArazzoConfigError(
    source,
    url === "/"
      ? `its OpenAPI description has no \`servers\`, so there is no URL to send requests to: set \`options.baseUrls.${source}\``
      : `its server URL \`${url}\` is relative, and the description's own URL is not known to resolve it against: set \`options.baseUrls.${source}\``,
  );
}
