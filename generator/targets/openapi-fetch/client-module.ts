/**
 * The parts of `src/<source>.client.ts` (`templates/client.ts.hbs`) that come from the
 * description's servers and security schemes (OpenAPI 3.1 §4.8.5 Server Object, §4.8.27
 * Security Scheme Object, §4.8.30 Security Requirement Object): the servers as data and the
 * `servers` option typed from them (an `enum` variable is a union of its values), the
 * credentials each scheme takes, and the requirements and own servers of each operation the
 * client sends (`PackageModel.clientOperations`), which its middleware applies.
 */
import type { ClientOperationModel, SecuritySchemeModel, ServerModel, SourceModel } from "../../ir/types.ts";
import { docText, objectKey, propertyKey, stringLiteral } from "../../shared/names.ts";

export interface ClientModuleParts {
  /** The `SourceServers` literal: the description's servers, and where it is served. */
  readonly serversLiteral: string;
  /** The type of `servers` (`<Source>ServerOptions`). */
  readonly serverOptionsType: string;
  /** Every operation the client sends has servers of its own: the document's servers are not needed. */
  readonly documentServerUnused: boolean;
  /** The schemes the client's operations name, with the credentials each takes; empty: no `auth` option. */
  readonly credentials: readonly { readonly key: string; readonly type: string; readonly docs: string }[];
  /** The `SourceSecurity` literal, when there are credentials. */
  readonly securityLiteral?: string;
  /** Operations with servers of their own: the `Record<string, ServerDescription[]>` literal. */
  readonly operationServersLiteral?: string;
  /** A scheme is `mutualTLS`: the client may present a certificate (`runtime-mtls.ts`, undici). */
  readonly mutualTls: boolean;
  /** Query parameters the schemes carry (API keys): `onStep` redacts them whatever their names. */
  readonly credentialQuery: readonly string[];
  /** Runtime types the credentials use (`Secret`, `BasicCredentials`, …). */
  readonly credentialTypes: readonly string[];
}

/** Parts already worked out, by source and operations (the client, the README, the mocks and `index.ts` each ask). */
const computed = new WeakMap<SourceModel, WeakMap<readonly ClientOperationModel[], ClientModuleParts>>();

export function clientModuleParts(source: SourceModel, operations: readonly ClientOperationModel[]): ClientModuleParts {
  const bySource = computed.get(source) ?? new WeakMap<readonly ClientOperationModel[], ClientModuleParts>();
  computed.set(source, bySource);
  const known = bySource.get(operations);
  if (known) return known;
  const parts = workOut(source, operations);
  bySource.set(operations, parts);
  return parts;
}

function workOut(source: SourceModel, operations: readonly ClientOperationModel[]): ClientModuleParts {
  const named = new Set(operations.flatMap((o) => o.security.flatMap((r) => r.map((s) => s.scheme))));
  const schemes = source.securitySchemes.filter((s) => named.has(s.name));
  // Each scheme also takes `fromMiddleware`: a middleware of the run adds its credentials.
  const credentials = schemes.map((s) => ({ key: propertyKey(s.name), type: `${credentialType(s)} | FromMiddleware`, docs: credentialDocs(s) }));
  const credentialTypes = [...new Set(credentials.flatMap((c) => c.type.split(" | ")))].sort();
  const withServers = operations.filter((o) => o.servers?.length);
  return {
    serversLiteral: serversLiteral(source),
    serverOptionsType: serverOptionsType(source, operations),
    documentServerUnused: operations.length > 0 && operations.every((o) => o.servers?.length),
    credentials,
    ...(schemes.length ? { securityLiteral: securityLiteral(source, schemes, operations) } : {}),
    ...(withServers.length
      ? {
          operationServersLiteral: `{\n${withServers.map((o) => `  ${stringLiteral(operationKey(o))}: ${serverList(o.servers!)},`).join("\n")}\n}`,
        }
      : {}),
    mutualTls: schemes.some((s) => s.type === "mutualTLS"),
    credentialQuery: [...new Set(schemes.flatMap((s) => (s.type === "apiKey" && s.in === "query" ? [s.paramName] : [])))].sort(),
    credentialTypes,
  };
}

/** `GET /pets/{id}`: how the client's middleware names an operation (the request's method, openapi-fetch's schema path). */
function operationKey(o: { readonly method: string; readonly path: string }): string {
  return `${o.method.toUpperCase()} ${o.path}`;
}

function serversLiteral(source: SourceModel): string {
  const fields = [`source: ${stringLiteral(source.name)}`, `servers: ${serverList(source.servers)}`];
  if (source.descriptionUrl) fields.push(`descriptionUrl: ${stringLiteral(source.descriptionUrl)}`);
  if (source.serverUrl) fields.push(`serverUrl: ${stringLiteral(source.serverUrl)}`);
  return `{\n  ${fields.join(",\n  ")},\n}`;
}

function serverList(servers: readonly ServerModel[]): string {
  if (!servers.length) return "[]";
  return `[\n${servers.map((s) => `    ${serverLiteral(s)},`).join("\n")}\n  ]`;
}

function serverLiteral(server: ServerModel): string {
  const fields = [`url: ${stringLiteral(server.url)}`];
  if (server.description !== undefined) fields.push(`description: ${stringLiteral(server.description)}`);
  if (server.variables.length) {
    const variables = server.variables.map((v) => {
      const parts = [
        ...(v.default === undefined ? [] : [`default: ${stringLiteral(v.default)}`]),
        ...(v.enum ? [`enum: [${v.enum.map(stringLiteral).join(", ")}]`] : []),
      ];
      return `${objectKey(v.name)}: { ${parts.join(", ")} }`;
    });
    fields.push(`variables: { ${variables.join(", ")} }`);
  }
  return `{ ${fields.join(", ")} }`;
}

/**
 * `servers`: per described server, its index or URL and its variables (each optional: it has a
 * default, else the run must set it), the first server's `server` optional; and `operations`,
 * the same for each operation with servers of its own. No servers: none to choose.
 */
function serverOptionsType(source: SourceModel, operations: readonly ClientOperationModel[]): string {
  const own = operations.filter((o) => o.servers?.length);
  const document = source.servers.length ? choiceType(source.servers) : "{ readonly server?: never; readonly variables?: never }";
  if (!own.length) return document;
  const entries = own.map((o) => `readonly ${stringLiteral(operationKey(o))}?: ${choiceType(o.servers!)};`);
  return `(${document}) & {\n/** Operations with servers of their own (\`METHOD /path\`): which of theirs, and its variables. */\nreadonly operations?: {\n${entries.join("\n")}\n};\n}`;
}

/** The choice among `servers`: a union with a member per server. */
function choiceType(servers: readonly ServerModel[]): string {
  const anyVariables = servers.some((s) => s.variables.length);
  return servers
    .map((server, i) => {
      const which = `${i} | ${stringLiteral(server.url)}`;
      const docs = server.description ? `/** ${docText(server.description).replace(/\n/g, " ")} */\n` : "";
      const fields = [`${docs}readonly server${i === 0 ? "?" : ""}: ${which};`];
      if (server.variables.length) {
        const variables = server.variables.map((v) => {
          const type = v.enum ? v.enum.map(stringLiteral).join(" | ") : "string";
          const about = [
            v.description ? docText(v.description).replace(/\n/g, " ") : "",
            v.default === undefined ? "No default." : `Default: ${JSON.stringify(v.default)}.`,
          ]
            .filter(Boolean)
            .join(" ");
          return `/** ${about.replace(/\*\//g, "*\\/")} */\nreadonly ${propertyKey(v.name)}?: ${type};`;
        });
        fields.push(`readonly variables?: {\n${variables.join("\n")}\n};`);
      } else if (anyVariables) {
        fields.push("readonly variables?: never;");
      }
      return `{\n${fields.join("\n")}\n}`;
    })
    .join(" | ");
}

/** The credential a scheme takes, as a type of `runtime-auth.ts`. */
function credentialType(scheme: SecuritySchemeModel): string {
  switch (scheme.type) {
    case "apiKey":
      return "Secret";
    case "http":
      return scheme.scheme === "basic" ? "BasicCredentials" : "Secret";
    case "oauth2":
      return scheme.clientCredentials ? "ClientCredentials | Secret" : "Secret";
    case "openIdConnect":
      return "ClientCredentials | Secret";
    case "mutualTLS":
      return "ClientCertificate";
  }
}

function credentialDocs(scheme: SecuritySchemeModel): string {
  const what = (() => {
    switch (scheme.type) {
      case "apiKey":
        return `API key, sent in ${scheme.in} \`${scheme.paramName}\`: the key, or a function that gives it (called for each request).`;
      case "http":
        if (scheme.scheme === "basic") return "HTTP Basic authentication: `{ username, password }`.";
        return `HTTP \`${scheme.scheme}\` authentication${scheme.type === "http" && scheme.bearerFormat ? ` (${scheme.bearerFormat})` : ""}: the ${scheme.scheme === "bearer" ? "token" : "credentials after the scheme name"}, or a function that gives ${scheme.scheme === "bearer" ? "it" : "them"} (called for each request).`;
      case "oauth2":
        return scheme.clientCredentials
          ? `OAuth2: \`{ clientId, clientSecret, scopes? }\` to fetch tokens from \`${scheme.clientCredentials.tokenUrl}\` (client credentials flow; kept until shortly before they expire, fetched anew after a 401), or an access token, or a function that gives one.`
          : `OAuth2 (${scheme.flows.join(", ") || "no flow"}): an access token, or a function that gives one (called for each request).`;
      case "openIdConnect":
        return `OpenID Connect (\`${scheme.openIdConnectUrl}\`): \`{ clientId, clientSecret, scopes? }\` to fetch tokens from the token endpoint its discovery document names, or an access token, or a function that gives one.`;
      case "mutualTLS":
        return "Mutual TLS: the client certificate, `{ cert, key, ca? }` (PEM), presented through the global fetch.";
    }
  })();
  return [what, ...(scheme.description ? [scheme.description.trim()] : [])].join("\n\n");
}

function securityLiteral(source: SourceModel, schemes: readonly SecuritySchemeModel[], operations: readonly ClientOperationModel[]): string {
  const schemeEntries = schemes.map((s) => `    ${objectKey(s.name)}: ${schemeLiteral(s)},`);
  // Distinct requirement lists, each written once; operations point at theirs.
  const lists: string[] = [];
  const entries: string[] = [];
  for (const o of operations) {
    if (!o.security.length) continue;
    const list = `[${o.security.map((r) => `{ ${r.map((s) => `${objectKey(s.scheme)}: [${s.scopes.map(stringLiteral).join(", ")}]`).join(", ")} }`).join(", ")}]`;
    let index = lists.indexOf(list);
    if (index < 0) index = lists.push(list) - 1;
    entries.push(`    ${stringLiteral(operationKey(o))}: ${index},`);
  }
  return [
    "{",
    `  source: ${stringLiteral(source.name)},`,
    `  schemes: {\n${schemeEntries.join("\n")}\n  },`,
    `  requirements: [${lists.length ? `\n${lists.map((l) => `    ${l},`).join("\n")}\n  ` : ""}],`,
    `  operations: {${entries.length ? `\n${entries.join("\n")}\n  ` : ""}},`,
    "}",
  ].join("\n");
}

function schemeLiteral(scheme: SecuritySchemeModel): string {
  switch (scheme.type) {
    case "apiKey":
      return `{ type: "apiKey", in: ${stringLiteral(scheme.in)}, name: ${stringLiteral(scheme.paramName)} }`;
    case "http":
      return `{ type: "http", scheme: ${stringLiteral(scheme.authScheme)} }`;
    case "oauth2":
      return scheme.clientCredentials ? `{ type: "oauth2", tokenUrl: ${stringLiteral(scheme.clientCredentials.tokenUrl)} }` : `{ type: "oauth2" }`;
    case "openIdConnect":
      return `{ type: "openIdConnect", openIdConnectUrl: ${stringLiteral(scheme.openIdConnectUrl)} }`;
    case "mutualTLS":
      return `{ type: "mutualTLS" }`;
  }
}
