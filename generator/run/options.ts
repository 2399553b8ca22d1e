/**
 * The run options `arazzo-ts run` passes every workflow, from the command line: where requests
 * go (`--server <source>=<url>`, or `=<index>` for a described server; `--server-var
 * <source>.<name>=<value>`), the credentials (`--auth <source>.<scheme>=<value>`, or
 * `<source>.<scheme>.<field>=<value>` for Basic, OAuth2 clients and certificates), and the
 * limits. A value may be `env:<VAR>` (the environment's) or `file:<path>` (a file's text: a
 * PEM certificate or key). Every credential value is a secret the reports mask.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { SourceModel } from "../ir/types.ts";
import { closest } from "../shared/suggest.ts";
import { fromEnvironment, type LimitFlags, parseLimits } from "./flag-values.ts";

export interface OptionFlags extends LimitFlags {
  readonly server: readonly string[];
  readonly serverVar: readonly string[];
  readonly auth: readonly string[];
  readonly validateResponses?: boolean;
}

export interface RunOptionValues {
  readonly baseUrls: Record<string, string>;
  readonly servers: Record<string, { server?: number; variables?: Record<string, string> }>;
  readonly auth: Record<string, Record<string, unknown>>;
  readonly timeoutMs?: number;
  readonly maxSteps?: number;
  readonly pollDelayMs?: number;
  readonly validateResponses?: boolean;
}

export interface ResolvedOptions {
  readonly options: RunOptionValues;
  /** Credential values (and files read for them): masked wherever the run prints or writes. */
  readonly secrets: readonly string[];
  readonly problems: readonly string[];
}

/** Fields a credential object takes, by what the scheme is. */
const FIELDS = {
  basic: ["username", "password"],
  client: ["clientId", "clientSecret", "scopes", "clientAuthentication", "tokenUrl"],
  certificate: ["cert", "key", "ca", "passphrase"],
} as const;

export function resolveOptions(
  flags: OptionFlags,
  sources: readonly SourceModel[],
  context: { readonly cwd: string; readonly env?: NodeJS.ProcessEnv },
): ResolvedOptions {
  const problems: string[] = [];
  const secrets: string[] = [];
  const env = context.env ?? process.env;
  const http = new Map(sources.filter((s) => s.kind !== "asyncapi").map((s) => [s.name, s]));
  const known = (what: string, name: string): SourceModel | undefined => {
    const source = http.get(name);
    if (!source) {
      const close = closest(name, [...http.keys()]);
      problems.push(
        `${what}: no source description \`${name}\`${close ? ` (did you mean \`${close}\`?)` : ""}; the documents have ${[...http.keys()].map((n) => `\`${n}\``).join(", ") || "none"}`,
      );
    }
    return source;
  };
  /** `env:` and `file:` values. */
  const value = (raw: string, what: string, secret: boolean): string | undefined => {
    let text: string | undefined = raw;
    if (raw.startsWith("file:")) {
      try {
        text = readFileSync(path.resolve(context.cwd, raw.slice(5)), "utf8");
      } catch {
        problems.push(`${what}: cannot read ${raw.slice(5)}`);
        return undefined;
      }
    } else {
      text = fromEnvironment(raw, what, problems, env);
    }
    if (secret && text) secrets.push(text);
    return text;
  };
  const split = (flag: string, option: string, form: string): [string, string] | undefined => {
    const at = flag.indexOf("=");
    if (at <= 0) {
      problems.push(`${option} takes ${form}, not ${JSON.stringify(flag)}`);
      return undefined;
    }
    return [flag.slice(0, at), flag.slice(at + 1)];
  };

  const baseUrls: Record<string, string> = {};
  const servers: Record<string, { server?: number; variables?: Record<string, string> }> = {};
  for (const flag of flags.server) {
    const parts = split(flag, "--server", "<source>=<url> (or <source>=<index of a server it describes>)");
    if (!parts || !known(`--server ${parts[0]}`, parts[0])) continue;
    const [name, raw] = parts;
    const text = value(raw, `--server ${name}`, false);
    if (text === undefined) continue;
    if (/^\d+$/.test(text)) {
      const count = http.get(name)!.servers.length;
      if (Number(text) >= count) problems.push(`--server ${name}=${text}: its description lists ${count} server(s)`);
      else servers[name] = { ...servers[name], server: Number(text) };
    } else if (!/^https?:\/\//i.test(text)) {
      problems.push(`--server ${name}: ${JSON.stringify(text)} is neither an http(s) URL nor the index of a server`);
    } else {
      baseUrls[name] = text;
    }
  }
  for (const flag of flags.serverVar) {
    const parts = split(flag, "--server-var", "<source>.<variable>=<value>");
    if (!parts) continue;
    const dot = parts[0].indexOf(".");
    if (dot <= 0) {
      problems.push(`--server-var takes <source>.<variable>=<value>, not ${JSON.stringify(flag)}`);
      continue;
    }
    const [name, variable] = [parts[0].slice(0, dot), parts[0].slice(dot + 1)];
    const source = known(`--server-var ${parts[0]}`, name);
    if (!source) continue;
    const variables = new Set(source.servers.flatMap((s) => s.variables.map((v) => v.name)));
    if (!variables.has(variable)) {
      const close = closest(variable, [...variables]);
      problems.push(`--server-var ${parts[0]}: the servers of \`${name}\` have no variable \`${variable}\`${close ? ` (did you mean \`${close}\`?)` : ""}`);
      continue;
    }
    const text = value(parts[1], `--server-var ${parts[0]}`, false);
    if (text !== undefined) servers[name] = { ...servers[name], variables: { ...servers[name]?.variables, [variable]: text } };
  }

  const auth: Record<string, Record<string, unknown>> = {};
  for (const flag of flags.auth) {
    const parts = split(flag, "--auth", "<source>.<scheme>=<value> or <source>.<scheme>.<field>=<value>");
    if (!parts) continue;
    const [name, scheme, field, ...rest] = parts[0].split(".");
    if (!name || !scheme || rest.length) {
      problems.push(`--auth takes <source>.<scheme>=<value> or <source>.<scheme>.<field>=<value>, not ${JSON.stringify(flag)}`);
      continue;
    }
    const source = known(`--auth ${parts[0]}`, name);
    if (!source) continue;
    const described = source.securitySchemes.find((s) => s.name === scheme);
    if (!described) {
      const close = closest(
        scheme,
        source.securitySchemes.map((s) => s.name),
      );
      problems.push(
        `--auth ${parts[0]}: \`${name}\` has no security scheme \`${scheme}\`${close ? ` (did you mean \`${close}\`?)` : ""}; it has ${source.securitySchemes.map((s) => `\`${s.name}\``).join(", ") || "none"}`,
      );
      continue;
    }
    const shape =
      described.type === "http" && described.scheme === "basic"
        ? "basic"
        : described.type === "mutualTLS"
          ? "certificate"
          : (described.type === "oauth2" && described.clientCredentials) || described.type === "openIdConnect"
            ? "client"
            : undefined;
    const text = value(parts[1], `--auth ${parts[0]}`, field !== "scopes" && field !== "clientAuthentication" && field !== "tokenUrl");
    if (text === undefined) continue;
    if (field === undefined) {
      if (shape === "basic" || shape === "certificate") {
        problems.push(`--auth ${parts[0]}: give its fields: ${FIELDS[shape].map((f) => `${parts[0]}.${f}=…`).join(", ")}`);
        continue;
      }
      auth[name] = { ...auth[name], [scheme]: text };
      continue;
    }
    const fields: readonly string[] = shape ? FIELDS[shape] : [];
    if (!fields.includes(field)) {
      problems.push(
        `--auth ${parts[0]}: ${shape ? `scheme \`${scheme}\` takes ${fields.join(", ")}` : `scheme \`${scheme}\` takes one value: --auth ${name}.${scheme}=<value>`}`,
      );
      continue;
    }
    const credential = {
      ...(auth[name]?.[scheme] as Record<string, unknown> | undefined),
      [field]: field === "scopes" ? text.split(/[\s,]+/).filter(Boolean) : text,
    };
    auth[name] = { ...auth[name], [scheme]: credential };
  }

  const limits = parseLimits(flags, problems);
  return {
    options: {
      baseUrls,
      servers,
      auth,
      ...limits,
      ...(flags.validateResponses ? { validateResponses: true } : {}),
    },
    secrets,
    problems,
  };
}
