/**
 * The "Servers and credentials" part of a generated package's README: per OpenAPI source,
 * the servers a run can choose (with their variables), the operations that have servers of
 * their own, and the security schemes with the credentials each takes; per workflow, the
 * credentials its run needs. Markdown, from the IR only; no credential values, ever.
 */
import type { ClientOperationModel, CredentialNeedModel, SecuritySchemeModel, ServerModel, SourceModel } from "../../ir/types.ts";
import { kindText } from "../../ir/security.ts";

/** Text in a Markdown table cell: one line, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\s+/g, " ").replace(/\|/g, "\\|").trim();
}

function code(text: string): string {
  const ticks = text.includes("`") ? "``" : "`";
  return `${ticks}${text}${ticks}`;
}

export function sourceSection(source: SourceModel, operations: readonly ClientOperationModel[]): string {
  const lines = [`### ${code(source.name)}: ${cell(source.title)}`, ""];
  lines.push(...serverLines(source));
  const own = operations.filter((o) => o.servers?.length);
  if (own.length) {
    lines.push(
      "",
      `Operations with servers of their own, which they are sent to instead: the one \`options.servers.${source.name}.operations["METHOD /path"]\` chooses, else the same index as the document's chosen server, with the document's variables where their server has them (a choice that cannot apply to one is an error when the run starts):`,
      "",
      ...own.map((o) => `- ${code(`${o.method.toUpperCase()} ${o.path}`)}: ${o.servers!.map((s) => code(s.url)).join(", ")}`),
    );
  }
  const named = new Set(operations.flatMap((o) => o.security.flatMap((r) => r.map((s) => s.scheme))));
  const schemes = source.securitySchemes.filter((s) => named.has(s.name));
  if (schemes.length) {
    lines.push(
      "",
      `Security schemes: credentials go in \`options.auth.${source.name}.<scheme>\`; each request gets those its operation's security requirement names (the first alternative whose credentials are all given).`,
      "",
      "| scheme | kind | credentials |",
      "| --- | --- | --- |",
      ...schemes.map((s) => `| ${code(s.name)} | ${cell(kindText(s))} | ${cell(credentialText(s))} |`),
    );
  }
  return lines.join("\n");
}

function serverLines(source: SourceModel): string[] {
  const replaced = `\`options.baseUrls.${source.name}\` replaces them all`;
  if (!source.servers.length) {
    return [
      source.defaultBaseUrl
        ? `The description lists no servers; requests go to ${code(source.defaultBaseUrl)} unless ${replaced.replace(" them all", " it")}.`
        : `The description lists no servers: a run needs \`options.baseUrls.${source.name}\` (the package's mocks need none).`,
    ];
  }
  const lines = [
    `Servers (\`options.servers.${source.name}\` chooses one by index or URL and sets its variables; ${replaced}):`,
    "",
    "| server | URL | description | variables |",
    "| --- | --- | --- | --- |",
    ...source.servers.map((s, i) => `| ${i}${i === 0 ? " (default)" : ""} | ${code(s.url)} | ${cell(s.description ?? "")} | ${cell(variablesText(s))} |`),
  ];
  lines.push(
    "",
    source.defaultBaseUrl
      ? `Default base URL: ${code(source.defaultBaseUrl)}.`
      : `No default base URL: the first server's URL is relative and the description's own URL is not known, or a variable has no default; a run needs \`options.baseUrls.${source.name}\` or \`options.servers.${source.name}\` (the package's mocks need neither).`,
  );
  return lines;
}

function variablesText(server: ServerModel): string {
  return server.variables
    .map((v) => {
      const values = v.enum ? `one of ${v.enum.map(code).join(", ")}` : "any text";
      const fallback = v.default === undefined ? "no default" : `default ${code(v.default)}`;
      return `${code(v.name)}: ${values}, ${fallback}`;
    })
    .join("; ");
}

function credentialText(scheme: SecuritySchemeModel): string {
  switch (scheme.type) {
    case "apiKey":
      return "the key, or a function that gives it";
    case "http":
      return scheme.scheme === "basic" ? "`{ username, password }`" : "the token, or a function that gives it";
    case "oauth2":
      return scheme.clientCredentials
        ? `\`{ clientId, clientSecret, scopes? }\` (tokens fetched from ${code(scheme.clientCredentials.tokenUrl)} and renewed), or an access token, or a function that gives one`
        : "an access token, or a function that gives one";
    case "openIdConnect":
      return `\`{ clientId, clientSecret, scopes? }\` (token endpoint from ${code(scheme.openIdConnectUrl)}), or an access token, or a function that gives one`;
    case "mutualTLS":
      return "`{ cert, key, ca? }`: the client certificate (global fetch only)";
  }
}

/** What a workflow's run must be given, for its README section: `auth.<source>.<scheme>` (alternatives with "or"). */
export function credentialNeedsText(needs: readonly CredentialNeedModel[]): string[] {
  return needs.flatMap((need) =>
    need.needs.map((alternatives) => alternatives.map((names) => names.map((name) => code(`auth.${need.source.name}.${name}`)).join(" and ")).join(", or ")),
  );
}

/** A line of the README's example call: credentials for the first alternative of each need, from environment variables. */
export function exampleAuth(needs: readonly CredentialNeedModel[], schemes: (source: SourceModel) => readonly SecuritySchemeModel[]): string | undefined {
  const entries = needs.flatMap((need) => {
    const names = [...new Set(need.needs.flatMap((n) => n[0] ?? []))];
    if (!names.length) return [];
    const values = names.map((name) => {
      const scheme = schemes(need.source).find((s) => s.name === name);
      const env = `process.env.${name.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}`;
      const value =
        scheme?.type === "http" && scheme.scheme === "basic"
          ? `{ username: ${env}_USER!, password: ${env}_PASSWORD! }`
          : scheme?.type === "mutualTLS"
            ? "{ cert, key }"
            : (scheme?.type === "oauth2" && scheme.clientCredentials) || scheme?.type === "openIdConnect"
              ? `{ clientId: ${env}_CLIENT_ID!, clientSecret: ${env}_CLIENT_SECRET! }`
              : `${env}!`;
      return `${/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name)}: ${value}`;
    });
    return [`${/^[A-Za-z_$][\w$]*$/.test(need.source.name) ? need.source.name : JSON.stringify(need.source.name)}: { ${values.join(", ")} }`];
  });
  return entries.length ? `auth: { ${entries.join(", ")} },` : undefined;
}
