/**
 * Server Objects of an OpenAPI description (OpenAPI 3.1 §4.8.5, §4.8.6 Server Variable
 * Object): at the document, a Path Item or an Operation. Read leniently, as real documents
 * write them: a variable's `default` or `enum` values that are numbers are read as text, and
 * a `{name}` in the URL with no variable declared is a variable without a default (which the
 * run must then be given). Problems are reported by the IR, for the servers a step uses.
 */
import type { DataPath } from "../load/document.ts";

export interface ServerVariableInfo {
  readonly name: string;
  /** Required by OpenAPI; absent when the description leaves it out or does not declare the variable. */
  readonly default?: string;
  /** The values it may take, when the description limits them. */
  readonly enum?: readonly string[];
  readonly description?: string;
}

export interface ServerInfo {
  /** The URL template as written: `{protocol}://{hostname}/api/v3`, `https://api.example.com`, `/v1`. */
  readonly url: string;
  readonly description?: string;
  /** Every variable the URL names, in the order it names them. */
  readonly variables: readonly ServerVariableInfo[];
  /** Where the Server Object is in the description. */
  readonly at: DataPath;
}

/**
 * The servers of a `servers` list at `at`, or undefined when there is none (absent, not a
 * list, or no entry with a `url`): the document's default is then `/`, and a Path Item's or
 * Operation's own list falls back to the enclosing one (OpenAPI 3.1 §4.8.9.1, §4.8.10.1).
 */
export function readServers(raw: unknown, at: DataPath): ServerInfo[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const servers = raw.flatMap((entry, i): ServerInfo[] => {
    if (!entry || typeof entry !== "object" || typeof entry.url !== "string") return [];
    const declared = (entry.variables && typeof entry.variables === "object" ? entry.variables : {}) as Record<string, unknown>;
    const names = [...new Set([...entry.url.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]!))];
    const variables = names.map((name): ServerVariableInfo => {
      const v = Object.hasOwn(declared, name) ? (declared[name] as Record<string, unknown> | null) : undefined;
      const values = Array.isArray(v?.enum) ? v.enum.filter(isText).map(String) : undefined;
      return {
        name,
        ...(isText(v?.default) ? { default: String(v.default) } : {}),
        ...(values?.length ? { enum: [...new Set(values)] } : {}),
        ...(typeof v?.description === "string" ? { description: v.description } : {}),
      };
    });
    return [{ url: entry.url, ...(typeof entry.description === "string" ? { description: entry.description } : {}), variables, at: [...at, i] }];
  });
  return servers.length ? servers : undefined;
}

function isText(value: unknown): value is string | number | boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

/** The URL of `server` with each variable replaced by `values[name]`, else its default; undefined when one has neither. */
export function serverUrl(server: ServerInfo, values: Readonly<Record<string, string>> = {}): string | undefined {
  let missing = false;
  const url = server.url.replace(/\{([^{}]+)\}/g, (_, name: string) => {
    const value = Object.hasOwn(values, name) ? values[name] : server.variables.find((v) => v.name === name)?.default;
    if (value === undefined) missing = true;
    return value ?? "";
  });
  return missing ? undefined : url;
}
