/**
 * Security of an operation step (OpenAPI 3.1 §4.8.27 Security Scheme Object, §4.8.30
 * Security Requirement Object): the requirements that apply to its operation, the schemes
 * whose credentials the step sends itself, and Respect's `x-security` extension (a step's or
 * its workflow's list of `{ schemeName | scheme, values }`: credentials for that step's
 * request, read from runtime expressions), which becomes the parameters that carry them.
 *
 * A requirement that names a scheme the description does not define, or one that cannot be
 * applied (an `apiKey` without a `name`), is left out with a warning at the description:
 * the run could never meet it.
 */
import type { DiagnosticBag } from "../diagnostics.ts";
import type { Step } from "../load/arazzo-document.ts";
import type { DataPath, LoadedDocument } from "../load/document.ts";
import type { OperationInfo } from "../openapi/operations.ts";
import type { SecuritySchemeInfo } from "../openapi/security.ts";
import type { StepContext } from "./binding-context.ts";
import { suggestion, type StepScope } from "./step-scope.ts";
import type { ParameterModel, SecurityRequirementModel, SecuritySchemeModel } from "./types.ts";
import { toValueModel } from "./values.ts";

/** The schemes of a description that can be applied, in its order. */
export function securitySchemeModels(schemes: ReadonlyMap<string, SecuritySchemeInfo>): SecuritySchemeModel[] {
  return [...schemes].flatMap(([name, s]): SecuritySchemeModel[] => {
    const description = s.description === undefined ? {} : { description: s.description };
    switch (s.type) {
      case "apiKey":
        return [{ name, type: "apiKey", in: s.in, paramName: s.name, ...description }];
      case "http":
        return [
          { name, type: "http", scheme: s.scheme, authScheme: s.authScheme, ...(s.bearerFormat ? { bearerFormat: s.bearerFormat } : {}), ...description },
        ];
      case "oauth2":
        return [{ name, type: "oauth2", flows: s.flows, ...(s.clientCredentials ? { clientCredentials: s.clientCredentials } : {}), ...description }];
      case "openIdConnect":
        return [{ name, type: "openIdConnect", openIdConnectUrl: s.openIdConnectUrl, ...description }];
      case "mutualTLS":
        return [{ name, type: "mutualTLS", ...description }];
      default:
        return [];
    }
  });
}

/**
 * The requirements of `operation`, each naming only schemes that can be applied; one that
 * names another is left out, with a warning at the description (once per place).
 */
export function operationSecurity(
  operation: OperationInfo,
  schemes: ReadonlyMap<string, SecuritySchemeInfo>,
  description: LoadedDocument,
  diagnostics: DiagnosticBag,
): SecurityRequirementModel[] {
  const at = operation.securityAt ?? [];
  return operation.security.flatMap((requirement, i): SecurityRequirementModel[] => {
    for (const { name } of requirement) {
      const scheme = schemes.get(name);
      if (!scheme) {
        diagnostics.warning(
          "unknown-security-scheme",
          `a security requirement names scheme \`${name}\`, which \`components.securitySchemes\` does not define: that alternative is left out`,
          description.locate([...at, i, name], "key"),
          suggestion(name, [...schemes.keys()]) ?? "requests that need it get no credentials: add them with a middleware",
        );
        return [];
      }
      if (scheme.type === "invalid") {
        diagnostics.warning(
          "invalid-security-scheme",
          `security scheme \`${name}\` ${scheme.reason}: requirements that name it are left out`,
          description.locate(scheme.at, "key"),
          "requests that need it get no credentials: add them with a middleware",
        );
        return [];
      }
    }
    return [requirement.map((r) => ({ scheme: r.name, scopes: r.scopes }))];
  });
}

/** Which parameter a scheme's credentials travel in: an API key's own, else `Authorization`; none for mutual TLS. */
export function schemeCarrier(scheme: SecuritySchemeModel): { readonly in: "header" | "query" | "cookie"; readonly name: string } | undefined {
  if (scheme.type === "apiKey") return { in: scheme.in, name: scheme.paramName };
  if (scheme.type === "mutualTLS") return undefined;
  return { in: "header", name: "Authorization" };
}

/** Whether parameter `p` is the one `carrier` names (header names are case-insensitive). */
export function carries(carrier: { readonly in: string; readonly name: string }, p: { readonly in: string; readonly name: string }): boolean {
  return carrier.in === p.in && (p.in === "header" ? carrier.name.toLowerCase() === p.name.toLowerCase() : carrier.name === p.name);
}

/** The schemes among `names` whose credentials the step's parameters carry. */
export function suppliedSchemes(names: readonly string[], schemes: readonly SecuritySchemeModel[], parameters: readonly ParameterModel[]): string[] {
  return names.filter((name) => {
    const scheme = schemes.find((s) => s.name === name);
    const carrier = scheme && schemeCarrier(scheme);
    return !!carrier && parameters.some((p) => p.credential?.scheme === name || carries(carrier, p));
  });
}

/** An `x-security` entry as written (Respect): a scheme by name or inline, and the values of its credentials. */
interface XSecurityEntry {
  readonly schemeName?: unknown;
  readonly scheme?: unknown;
  readonly values?: unknown;
}

/**
 * The parameters that carry the credentials of the step's `x-security` entries and its
 * workflow's (the step's own win for the same scheme): an API key in its header, query or
 * cookie; `Authorization: Bearer …` for bearer, OAuth2 and OpenID Connect access tokens;
 * HTTP Basic credentials from `username` and `password`.
 */
export function credentialParameters(
  step: Step,
  at: DataPath,
  ctx: StepContext,
  scope: StepScope,
  operation: OperationInfo,
  schemes: readonly SecuritySchemeModel[],
): ParameterModel[] {
  const own = entriesOf((step as Record<string, unknown>)["x-security"], [...at, "x-security"], ctx);
  const inherited = entriesOf((ctx.workflow as Record<string, unknown>)["x-security"], [...ctx.workflowAt, "x-security"], ctx).filter(
    // A workflow's entry by name applies to the steps whose source defines that scheme.
    (e) => typeof e.entry.schemeName !== "string" || schemes.some((s) => s.name === e.entry.schemeName),
  );
  const out: ParameterModel[] = [];
  for (const { entry, path } of [...own, ...inherited]) {
    const scheme = entryScheme(entry, path, ctx, schemes, operation);
    if (!scheme) continue;
    if (out.some((p) => p.credential?.scheme === scheme.name)) continue;
    const parameter = credentialParameter(scheme, entry, path, ctx, scope, operation);
    if (parameter) out.push(parameter);
  }
  return out;
}

function entriesOf(raw: unknown, at: DataPath, ctx: StepContext): { entry: XSecurityEntry; path: DataPath }[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    ctx.diagnostics.error("invalid-x-security", "`x-security` must be a list of `{ schemeName, values }` entries", ctx.arazzo.locate(at));
    return [];
  }
  return raw.flatMap((entry, i) => {
    if (!entry || typeof entry !== "object") {
      ctx.diagnostics.error(
        "invalid-x-security",
        "an `x-security` entry must be an object with `schemeName` (or `scheme`) and `values`",
        ctx.arazzo.locate([...at, i]),
      );
      return [];
    }
    return [{ entry: entry as XSecurityEntry, path: [...at, i] }];
  });
}

/** The scheme an entry names (from the step's source) or defines inline, as a model; undefined after an error. */
function entryScheme(
  entry: XSecurityEntry,
  path: DataPath,
  ctx: StepContext,
  schemes: readonly SecuritySchemeModel[],
  operation: OperationInfo,
): SecuritySchemeModel | undefined {
  const { diagnostics, arazzo } = ctx;
  if ((entry.schemeName === undefined) === (entry.scheme === undefined)) {
    diagnostics.error(
      "invalid-x-security",
      "an `x-security` entry needs one of `schemeName` and `scheme`",
      arazzo.locate(path),
      "name a scheme of the source description with `schemeName`",
    );
    return undefined;
  }
  if (typeof entry.schemeName === "string") {
    const found = schemes.find((s) => s.name === entry.schemeName);
    if (!found) {
      const own = operation.security.flatMap((r) => r.map((s) => s.name));
      diagnostics.error(
        "unknown-security-scheme",
        `\`x-security\` names scheme \`${entry.schemeName}\`, which the source description does not define`,
        arazzo.locate([...path, "schemeName"]),
        suggestion(entry.schemeName, [...new Set([...own, ...schemes.map((s) => s.name)])]),
      );
    }
    return found;
  }
  const inline = entry.scheme as Record<string, unknown> | null;
  const name = `x-security:${path.join("/")}`;
  if (inline && typeof inline === "object") {
    if (inline.type === "apiKey" && typeof inline.name === "string" && ["header", "query", "cookie"].includes(inline.in as string)) {
      return { name, type: "apiKey", in: inline.in as "header", paramName: inline.name };
    }
    if (inline.type === "http" && typeof inline.scheme === "string")
      return { name, type: "http", scheme: inline.scheme.toLowerCase(), authScheme: inline.scheme };
    if (inline.type === "oauth2") return { name, type: "oauth2", flows: [] };
    if (inline.type === "openIdConnect") return { name, type: "openIdConnect", openIdConnectUrl: "" };
  }
  diagnostics.error(
    "invalid-x-security",
    "an inline `x-security` scheme must be an `apiKey` (with `name` and `in`), `http` (with `scheme`), `oauth2` or `openIdConnect` scheme",
    arazzo.locate([...path, "scheme"]),
  );
  return undefined;
}

/** The parameter carrying one entry's credentials, or undefined after an error. */
function credentialParameter(
  scheme: SecuritySchemeModel,
  entry: XSecurityEntry,
  path: DataPath,
  ctx: StepContext,
  scope: StepScope,
  operation: OperationInfo,
): ParameterModel | undefined {
  const { diagnostics, arazzo } = ctx;
  const values = entry.values && typeof entry.values === "object" ? (entry.values as Record<string, unknown>) : undefined;
  const at = [...path, "values"];
  const location = arazzo.locate(path);
  const value = (keys: readonly string[], what: string) => {
    const key = keys.find((k) => values && Object.hasOwn(values, k));
    if (key === undefined) {
      diagnostics.error(
        "invalid-x-security",
        `\`x-security\` for scheme \`${scheme.name}\` (${kindText(scheme)}) needs \`values.${keys[0]}\`: ${what}`,
        arazzo.locate(values ? at : path),
      );
      return undefined;
    }
    return { raw: values![key], path: [...at, key] };
  };
  const declared = (where: string, name: string) =>
    operation.parameters.some((p) => p.in === where && (where === "header" ? p.name.toLowerCase() === name.toLowerCase() : p.name === name));
  const checked = (raw: unknown, valuePath: DataPath) => {
    const model = toValueModel(raw, arazzo, valuePath, diagnostics);
    scope.checkValue(model);
    return model;
  };
  switch (scheme.type) {
    case "apiKey": {
      const v = value(["value", "apiKey"], "the API key");
      if (!v) return undefined;
      return {
        name: scheme.paramName,
        in: scheme.in,
        value: checked(v.raw, v.path),
        declared: declared(scheme.in, scheme.paramName),
        credential: { scheme: scheme.name },
        location,
      };
    }
    case "mutualTLS":
      diagnostics.error(
        "invalid-x-security",
        `\`x-security\` cannot give a step a TLS client certificate (scheme \`${scheme.name}\`)`,
        location,
        "give it to the run: `options.auth.<source>.<scheme>`",
      );
      return undefined;
    case "http":
      if (scheme.scheme === "basic") {
        const username = value(["username"], "the user name");
        const password = value(["password"], "the password");
        if (!username || !password) return undefined;
        const model = checked({ username: username.raw, password: password.raw }, at);
        return {
          name: "Authorization",
          in: "header",
          value: model,
          declared: declared("header", "Authorization"),
          credential: { scheme: scheme.name, basic: true },
          location,
        };
      }
      if (scheme.scheme === "digest") {
        diagnostics.error(
          "unsupported-feature",
          "HTTP Digest authentication (`x-security`) is not generated by arazzo-ts: it answers a challenge from the server",
          location,
          "compute the `Authorization` header in an openapi-fetch middleware",
        );
        return undefined;
      }
      break;
    default:
      break;
  }
  // Bearer, OAuth2 and OpenID Connect access tokens, and other HTTP schemes: `Authorization: <Scheme> <token>`.
  const token =
    scheme.type === "http" && scheme.scheme === "bearer" ? value(["token", "accessToken"], "the token") : value(["accessToken", "token"], "the access token");
  if (!token) return undefined;
  const prefix = scheme.type === "http" && scheme.scheme !== "bearer" ? scheme.authScheme : "Bearer";
  const text = typeof token.raw === "string" && token.raw.startsWith("$") ? `{${token.raw}}` : String(token.raw);
  return {
    name: "Authorization",
    in: "header",
    value: checked(`${prefix} ${text}`, token.path),
    declared: declared("header", "Authorization"),
    credential: { scheme: scheme.name },
    location,
  };
}

/** `http bearer`, `apiKey in header X-API-Key`, … for messages. */
export function kindText(scheme: SecuritySchemeModel): string {
  switch (scheme.type) {
    case "apiKey":
      return `API key in ${scheme.in} \`${scheme.paramName}\``;
    case "http":
      return `HTTP ${scheme.scheme}`;
    case "oauth2":
      return scheme.clientCredentials ? "OAuth2 client credentials" : "OAuth2";
    case "openIdConnect":
      return "OpenID Connect";
    case "mutualTLS":
      return "mutual TLS";
  }
}
