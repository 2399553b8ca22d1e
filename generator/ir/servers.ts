/**
 * Servers of a source description as the model has them (OpenAPI 3.1 §4.8.5 Server Object,
 * §4.8.6 Server Variable Object), and the base URL a run uses when it is given none: Respect's
 * `x-serverUrl` on the source description, else the first server with its variables at their
 * defaults, resolved against where the description is served when it is relative (OpenAPI
 * 3.1 §4.8.5.1: "relative to the location where the document containing the Server Object
 * is being served").
 */
import type { DiagnosticBag } from "../diagnostics.ts";
import type { LoadedDocument } from "../load/document.ts";
import { serverUrl, type ServerInfo } from "../openapi/servers.ts";
import type { ServerModel } from "./types.ts";

export function serverModels(servers: readonly ServerInfo[]): ServerModel[] {
  return servers.map((s) => ({
    url: s.url,
    ...(s.description === undefined ? {} : { description: s.description }),
    variables: s.variables.map((v) => ({ ...v })),
  }));
}

/** Problems a run would meet with these servers, as warnings at the description: a variable without a default, a default its `enum` does not list. */
export function reportServerProblems(
  servers: readonly ServerInfo[],
  description: LoadedDocument,
  source: string,
  diagnostics: DiagnosticBag,
  /** The option that chooses among them: the document's, or an operation's. */
  option = `options.servers.${source}`,
): void {
  for (const server of servers) {
    for (const v of server.variables) {
      if (v.default === undefined) {
        diagnostics.warning(
          "server-variable-default",
          `server \`${server.url}\` of source \`${source}\`: variable \`${v.name}\` has no \`default\`, which OpenAPI requires`,
          description.locate([...server.at, "url"]),
          `a run must set it: \`${option}.variables.${v.name}\` (or give \`options.baseUrls.${source}\`)`,
        );
      } else if (v.enum && !v.enum.includes(v.default)) {
        diagnostics.warning(
          "server-variable-default",
          `server \`${server.url}\` of source \`${source}\`: the default of variable \`${v.name}\`, ${JSON.stringify(v.default)}, is not in its \`enum\``,
          description.locate([...server.at, "variables", v.name, "default"]),
          "the default is used as written; add it to the enum",
        );
      }
    }
  }
}

/**
 * The absolute URL `url` stands for: itself when absolute, else resolved against `base`
 * (an http(s) URL), else undefined. A trailing slash is dropped, as openapi-fetch does.
 */
export function absoluteUrl(url: string, base: string | undefined): string | undefined {
  const trimmed = (u: string) => u.replace(/\/+$/, "");
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return trimmed(url);
  if (!base) return undefined;
  try {
    return trimmed(new URL(url, base).href);
  } catch {
    return undefined;
  }
}

/** The default base URL: `x-serverUrl` when absolute, else the first server with its defaults, made absolute; undefined when there is none. */
export function defaultBaseUrl(
  servers: readonly ServerInfo[] | undefined,
  descriptionUrl: string | undefined,
  xServerUrl: string | undefined,
): string | undefined {
  if (xServerUrl !== undefined && /^https?:\/\//i.test(xServerUrl)) return absoluteUrl(xServerUrl, undefined);
  // No servers: OpenAPI's default is `/`, relative to where the description is served.
  const first = servers?.[0];
  const url = first ? serverUrl(first) : "/";
  return url === undefined ? undefined : absoluteUrl(url, descriptionUrl);
}

/** Where a description is served, when its `url` (resolved against Arazzo 1.1's `$self`) is http(s). */
export function descriptionUrl(url: unknown, self: unknown): string | undefined {
  if (typeof url !== "string") return undefined;
  try {
    const base = typeof self === "string" && /^https?:\/\//i.test(self) ? self : undefined;
    const resolved = new URL(url, base);
    return /^https?:$/.test(resolved.protocol) ? resolved.href : undefined;
  } catch {
    return undefined;
  }
}
