/**
 * Security Scheme Objects and Security Requirement Objects of an OpenAPI description
 * (OpenAPI 3.1 §4.8.27, §4.8.30; `mutualTLS` is 3.1's). Schemes are read from
 * `components.securitySchemes`, following document-local `$ref`s; one that does not say
 * enough to be applied (an `apiKey` without `name`, an unknown `type`) is kept as `invalid`
 * with the reason, for the IR to report where a step needs it.
 */
import type { DataPath } from "../load/document.ts";

/** OAuth2's client credentials flow (RFC 6749 §4.4): what the runtime needs to fetch a token. */
export interface ClientCredentialsFlow {
  /** As written: absolute, or relative to the API's server (OpenAPI 3.0 §"Relative References in URLs"). */
  readonly tokenUrl: string;
  readonly scopes: readonly string[];
}

export type SecuritySchemeInfo = { readonly description?: string; readonly at: DataPath } & (
  | { readonly type: "apiKey"; readonly name: string; readonly in: "header" | "query" | "cookie" }
  /** `scheme` lower-cased, as HTTP auth schemes are case-insensitive (RFC 9110 §11.1); `authScheme` as written. */
  | { readonly type: "http"; readonly scheme: string; readonly authScheme: string; readonly bearerFormat?: string }
  | {
      readonly type: "oauth2";
      /** The flows the description lists (`clientCredentials`, `authorizationCode`, …). */
      readonly flows: readonly string[];
      readonly clientCredentials?: ClientCredentialsFlow;
    }
  | { readonly type: "openIdConnect"; readonly openIdConnectUrl: string }
  | { readonly type: "mutualTLS" }
  | { readonly type: "invalid"; readonly reason: string }
);

/** One scheme of a requirement, with the scopes it asks for. */
export interface RequiredScheme {
  readonly name: string;
  readonly scopes: readonly string[];
}

/**
 * A Security Requirement Object: every scheme in it applies to the request. An empty one
 * (`{}`) means the request may be sent without credentials.
 */
export type SecurityRequirement = readonly RequiredScheme[];

/** The schemes of `components.securitySchemes`, by name. */
export function readSecuritySchemes(root: Record<string, any>, resolve: (value: unknown) => unknown): Map<string, SecuritySchemeInfo> {
  const out = new Map<string, SecuritySchemeInfo>();
  const raw = root.components?.securitySchemes;
  if (!raw || typeof raw !== "object") return out;
  for (const [name, value] of Object.entries<unknown>(raw)) {
    const at = ["components", "securitySchemes", name];
    const s = resolve(value) as Record<string, any> | undefined;
    out.set(name, s && typeof s === "object" ? readScheme(s, at) : { type: "invalid", reason: "is not an object", at });
  }
  return out;
}

function readScheme(s: Record<string, any>, at: DataPath): SecuritySchemeInfo {
  const description = typeof s.description === "string" ? { description: s.description } : {};
  switch (s.type) {
    case "apiKey":
      if (typeof s.name !== "string" || !s.name) return { type: "invalid", reason: "is an `apiKey` scheme without a `name`", at };
      if (!["header", "query", "cookie"].includes(s.in))
        return { type: "invalid", reason: "is an `apiKey` scheme whose `in` is not header, query or cookie", at };
      return { type: "apiKey", name: s.name, in: s.in, ...description, at };
    case "http":
      if (typeof s.scheme !== "string" || !s.scheme.trim()) return { type: "invalid", reason: "is an `http` scheme without a `scheme`", at };
      return {
        type: "http",
        scheme: s.scheme.trim().toLowerCase(),
        authScheme: s.scheme.trim(),
        ...(typeof s.bearerFormat === "string" ? { bearerFormat: s.bearerFormat } : {}),
        ...description,
        at,
      };
    case "oauth2": {
      const flows = s.flows && typeof s.flows === "object" ? s.flows : {};
      const cc = flows.clientCredentials;
      const clientCredentials =
        cc && typeof cc === "object" && typeof cc.tokenUrl === "string" && cc.tokenUrl
          ? { tokenUrl: cc.tokenUrl, scopes: cc.scopes && typeof cc.scopes === "object" ? Object.keys(cc.scopes) : [] }
          : undefined;
      return { type: "oauth2", flows: Object.keys(flows), ...(clientCredentials ? { clientCredentials } : {}), ...description, at };
    }
    case "openIdConnect":
      if (typeof s.openIdConnectUrl !== "string" || !s.openIdConnectUrl)
        return { type: "invalid", reason: "is an `openIdConnect` scheme without an `openIdConnectUrl`", at };
      return { type: "openIdConnect", openIdConnectUrl: s.openIdConnectUrl, ...description, at };
    case "mutualTLS":
      return { type: "mutualTLS", ...description, at };
    default:
      return { type: "invalid", reason: `has type ${JSON.stringify(s.type)}, which OpenAPI does not define`, at };
  }
}

/**
 * A `security` list: its requirements, or undefined when it is not a list (then the enclosing
 * one applies). An entry that is not an object is no requirement at all (not `{}`, which would
 * make credentials optional).
 */
export function readRequirements(raw: unknown): SecurityRequirement[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  return raw.flatMap((entry): SecurityRequirement[] =>
    entry && typeof entry === "object" && !Array.isArray(entry)
      ? [
          Object.entries<unknown>(entry).map(([name, scopes]) => ({
            name,
            scopes: Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === "string") : [],
          })),
        ]
      : [],
  );
}
