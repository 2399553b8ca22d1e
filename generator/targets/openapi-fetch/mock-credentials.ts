/**
 * What a package's mocks (`src/mocks.ts`, `src/mocks-msw.ts`) do about credentials, as lines of
 * generated code: they take any credentials, answer the token and discovery requests of OAuth2
 * and OpenID Connect clients, record which security schemes each request carried (the client
 * marks the request; with MSW, which sees a copy of it, the mock tells from what the request
 * carries), and record `[redacted]` wherever a scheme of the package's clients puts a
 * credential: every `Authorization` and API key header, query parameter and cookie, whoever
 * set it. `exampleAuth` holds placeholder credentials for every scheme.
 */
import type { PackageModel, SourceModel } from "../../ir/types.ts";
import { allModels } from "../../ir/operation-uses.ts";
import { objectKey, propertyKey, stringLiteral } from "../../shared/names.ts";
import { type ClientModuleParts, clientModuleParts } from "./client-module.ts";

export interface MockCredentials {
  /** Import lines of `mocks.ts`. */
  readonly imports: readonly string[];
  /** Declarations of `mocks.ts`: the carriers to redact, `recorded()`, `isTokenRequest()`, `isDiscovery()`, `tokenReply()`. */
  readonly declarations: readonly string[];
  /** The `exampleAuth` declaration. */
  readonly exampleAuth: readonly string[];
  /** Routes the MSW handlers add, `[method, RegExp literal]`: token endpoints and discovery documents. */
  readonly routes: readonly (readonly [string, string])[];
}

export function mockCredentials(pkg: PackageModel): MockCredentials {
  const sources = allModels(pkg.document)
    .flatMap((m) => m.sources)
    .filter((s) => s.kind !== "asyncapi");
  const secured = sources.flatMap((source): { source: SourceModel; parts: ClientModuleParts }[] => {
    const parts = clientModuleParts(source, pkg.clientOperations.get(source.moduleName) ?? []);
    return parts.credentials.length ? [{ source, parts }] : [];
  });
  const used = new Set(secured.flatMap(({ source, parts }) => parts.credentials.map((c) => `${source.moduleName}\u0000${c.key}`)));
  const schemes = secured.flatMap(({ source }) => source.securitySchemes.filter((s) => used.has(`${source.moduleName}\u0000${propertyKey(s.name)}`)));
  const headers = new Set(
    schemes.flatMap((s) => (s.type === "apiKey" ? (s.in === "header" ? [s.paramName.toLowerCase()] : []) : s.type === "mutualTLS" ? [] : ["authorization"])),
  );
  const query = new Set(schemes.flatMap((s) => (s.type === "apiKey" && s.in === "query" ? [s.paramName] : [])));
  const cookies = new Set(schemes.flatMap((s) => (s.type === "apiKey" && s.in === "cookie" ? [s.paramName] : [])));
  const discovery = [...new Set(schemes.flatMap((s) => (s.type === "openIdConnect" ? [s.openIdConnectUrl] : [])))].sort();
  const tokenUrls = [...new Set(schemes.flatMap((s) => (s.type === "oauth2" && s.clientCredentials ? [s.clientCredentials.tokenUrl] : [])))].sort();
  const list = (values: Iterable<string>) => `[${[...values].sort().map(stringLiteral).join(", ")}]`;

  const exampleAuth = secured.length
    ? [
        "export const exampleAuth = {",
        ...secured.map(
          ({ source, parts }) => `  ${objectKey(source.name)}: { ${parts.credentials.map((c) => `${c.key}: ${exampleCredential(c.type)}`).join(", ")} },`,
        ),
        "};",
        "",
        // A type-level check rather than `satisfies`, so the declaration of `exampleAuth` is its own (`declarations.ts`).
        "/** `exampleAuth` fits the credentials the clients take (a type error here otherwise). */",
        `type CredentialsFit<Auth extends { ${secured.map(({ source: s }) => `readonly ${propertyKey(s.name)}?: ${s.pascalName}Credentials`).join("; ")} }> = Auth;`,
        "export type ExampleAuth = CredentialsFit<typeof exampleAuth>;",
      ]
    : ["export const exampleAuth = {};"];
  if (!secured.length) {
    return {
      imports: [],
      declarations: [
        "/** What the mock records of a request (not the step header the MSW handlers read). */",
        "function recorded(input: Request, body: string | undefined, step: string | undefined, _operation?: MockedOperation): RecordedRequest {",
        "  const headers: Record<string, string> = {};",
        "  input.headers.forEach((value, name) => {",
        "    if (name !== STEP_HEADER) headers[name] = value;",
        "  });",
        "  return { method: input.method, url: input.url, headers, body, step, security: [] };",
        "}",
        "",
        "/** The package's clients fetch no tokens. */",
        "function tokenReply(_input: Request, _body: string | undefined): Response | undefined {",
        "  return undefined;",
        "}",
      ],
      exampleAuth,
      routes: [],
    };
  }
  return {
    imports: [
      ...secured.map(({ source: s }) => `import { type ${s.pascalName}Credentials, ${lower(s.pascalName)}Security } from "./${s.moduleName}.client.js";`),
      'import { CARRIED, type SchemeDescription, type SourceSecurity } from "./runtime-auth.js";',
    ],
    declarations: [
      "/** Where the security schemes of the package's clients put credentials: recorded as `[redacted]`, whoever set them. */",
      `const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set(${list(headers)});`,
      `const CREDENTIAL_QUERY: readonly string[] = ${list(query)};`,
      `const CREDENTIAL_COOKIES: readonly string[] = ${list(cookies)};`,
      "",
      "/** Each client's security schemes and the requirements of its operations, by source module. */",
      "const SECURITY: Readonly<Record<string, SourceSecurity>> = {",
      ...secured.map(({ source: s }) => `  ${stringLiteral(s.moduleName)}: ${lower(s.pascalName)}Security,`),
      "};",
      "",
      "/** What the mock records of a request (not the step header the MSW handlers read): credentials `[redacted]`, and the schemes it carried. */",
      "function recorded(input: Request, body: string | undefined, step: string | undefined, operation?: MockedOperation): RecordedRequest {",
      "  const headers: Record<string, string> = {};",
      "  input.headers.forEach((value, name) => {",
      "    if (name === STEP_HEADER) return;",
      '    headers[name] = CREDENTIAL_HEADERS.has(name) ? "[redacted]" : value;',
      "  });",
      "  if (headers.cookie && CREDENTIAL_COOKIES.length) {",
      "    headers.cookie = headers.cookie",
      '      .split(";")',
      "      .map((pair) => {",
      '        const name = pair.split("=")[0]!.trim();',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a line of generated code, a template literal there
      '        return CREDENTIAL_COOKIES.includes(name) ? `${pair.startsWith(" ") ? " " : ""}${name}=[redacted]` : pair;',
      "      })",
      '      .join(";");',
      "  }",
      "  let url = input.url;",
      "  if (CREDENTIAL_QUERY.length) {",
      "    const parsed = new URL(url);",
      "    const query = parsed.search",
      "      .slice(1)",
      '      .split("&")',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a line of generated code, a template literal there
      '      .map((pair) => (CREDENTIAL_QUERY.includes(decodeURIComponent(pair.split("=")[0]!)) ? `${pair.split("=")[0]}=%5Bredacted%5D` : pair));',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a line of generated code, a template literal there
      '    if (parsed.search) url = `${parsed.origin}${parsed.pathname}?${query.join("&")}`;',
      "  }",
      "  const marked = (input as Request & { [CARRIED]?: readonly string[] })[CARRIED];",
      "  return { method: input.method, url, headers, body, step, security: marked ? [...marked] : operation ? carriedBy(input, operation) : [] };",
      "}",
      "",
      "/** The schemes of the first requirement of `operation` whose credentials `input` all carries. */",
      "function carriedBy(input: Request, operation: MockedOperation): string[] {",
      "  const table = SECURITY[operation.source];",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a line of generated code, a template literal there
      "  const index = table?.operations[`${operation.method} ${operation.path}`];",
      "  const alternatives = table && index !== undefined ? (table.requirements[index] ?? []) : [];",
      "  const found = alternatives.find((a) => Object.keys(a).length > 0 && Object.keys(a).every((name) => carries(input, table!.schemes[name])));",
      "  return found ? Object.keys(found) : [];",
      "}",
      "",
      "function carries(input: Request, scheme: SchemeDescription | undefined): boolean {",
      "  if (!scheme) return false;",
      '  if (scheme.type === "mutualTLS") return true;',
      '  if (scheme.type !== "apiKey") return input.headers.has("Authorization");',
      '  if (scheme.in === "header") return input.headers.has(scheme.name);',
      '  if (scheme.in === "query") return new URL(input.url).searchParams.has(scheme.name);',
      '  return (input.headers.get("Cookie") ?? "").split(";").some((pair) => pair.split("=")[0]!.trim() === scheme.name);',
      "}",
      "",
      "/** The OpenID Connect discovery documents the package's security schemes name. */",
      `const DISCOVERY: readonly string[] = ${list(discovery)};`,
      "",
      "/**",
      " * The answer to a client fetching its own token (an OAuth2 client credentials grant, RFC 6749",
      " * §4.4.2) or its provider's discovery document (OpenID Connect Discovery §4): a placeholder",
      " * token, a document naming the mock's token endpoint; undefined for another request.",
      " */",
      "function tokenReply(input: Request, body: string | undefined): Response | undefined {",
      "  const url = new URL(input.url);",
      '  if (input.method === "POST" && new URLSearchParams(body ?? "").get("grant_type") === "client_credentials") {',
      '    return Response.json({ access_token: "mock-access-token", token_type: "Bearer", expires_in: 3600 });',
      "  }",
      '  const wellKnown = "/.well-known/openid-configuration";',
      '  if (input.method === "GET" && (DISCOVERY.includes(input.url) || url.pathname.endsWith(wellKnown))) {',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a line of generated code, a template literal there
      "    const issuer = url.pathname.endsWith(wellKnown) ? `${url.origin}${url.pathname.slice(0, -wellKnown.length)}` : url.origin;",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a line of generated code, a template literal there
      "    return Response.json({ issuer, token_endpoint: `${url.origin}/mock/token` });",
      "  }",
      "  return undefined;",
      "}",
    ],
    exampleAuth,
    routes: [
      ...tokenUrls.map((u) => ["post", suffixPattern(u)] as const),
      ...discovery.map((u) => ["get", suffixPattern(u)] as const),
      ["post", "/\\/mock\\/token(?:[?#].*)?$/"] as const,
    ],
  };
}

function lower(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** A RegExp literal matching a URL whose path ends with `url`'s path (any origin, any query). */
function suffixPattern(url: string): string {
  let path = url;
  try {
    path = new URL(url, "https://placeholder.invalid").pathname;
  } catch {
    // keep it as written
  }
  return `/${path.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}(?:[?#].*)?$/`;
}

/** A placeholder credential of the type a scheme takes (`client-module.ts`). */
function exampleCredential(type: string): string {
  if (type.startsWith("BasicCredentials")) return `{ username: "mock-user", password: "mock-password" }`;
  if (type.startsWith("ClientCredentials")) return `{ clientId: "mock-client", clientSecret: "mock-client-secret" }`;
  if (type.startsWith("ClientCertificate")) return `{ cert: "mock-certificate", key: "mock-key" }`;
  return `"mock-credential"`;
}
