/**
 * Indexes the operations of one OpenAPI 3.x document (OpenAPI 3.1 §4.8.8 Path Item,
 * §4.8.10 Operation), resolving the document-local `$ref`s the generator needs to
 * read: parameters, request bodies and responses.
 */
import type { LoadedDocument } from "../load/document.ts";
import type { SourceLocation } from "../diagnostics.ts";
import { pointerTokens } from "./refs.ts";
import { readServers, type ServerInfo } from "./servers.ts";
import { readRequirements, readSecuritySchemes, type SecurityRequirement, type SecuritySchemeInfo } from "./security.ts";

/** Where the schema of one response body lives in an OpenAPI document: `/paths/<path>/<method>/responses/<status>/content/<media type>/schema`. */
export function responseSchemaPointer(operation: { readonly path: string; readonly method: string }, status: string, mediaType: string): string[] {
  return ["paths", operation.path, operation.method, "responses", status, "content", mediaType, "schema"];
}

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface OperationParameter {
  readonly name: string;
  readonly in: "path" | "query" | "header" | "cookie";
  readonly required: boolean;
  readonly schema: unknown;
  /** Serialization (OpenAPI 3.1 §4.8.12.4): `style` defaults by location, `explode` to `style == form`. */
  readonly style: string;
  readonly explode: boolean;
  readonly location: SourceLocation;
}

/**
 * An Encoding Object (OpenAPI 3.1 §4.8.15) of a form body's property, the fields that say how
 * it is serialized, as written (defaults are applied where it is used).
 */
export interface EncodingInfo {
  readonly contentType?: string;
  readonly style?: string;
  readonly explode?: boolean;
  readonly allowReserved?: boolean;
}

export interface OperationInfo {
  readonly operationId?: string;
  readonly method: HttpMethod;
  /** The path template exactly as in the document, e.g. `/pis/v2/payments/{payment_id}`. */
  readonly path: string;
  readonly parameters: readonly OperationParameter[];
  /** Some of its parameters are `$ref`s that do not resolve (left out of `parameters`): the description is incomplete there. */
  readonly unresolvedParameters?: boolean;
  readonly requestBody?: {
    readonly required: boolean;
    /** Media type → schema (resolved one level). */
    readonly content: ReadonlyMap<string, unknown>;
    /** Media type → its `encoding` (OpenAPI 3.1 §4.8.14 Media Type Object), by property name; only media types that have one. */
    readonly encoding?: ReadonlyMap<string, ReadonlyMap<string, EncodingInfo>>;
  };
  /** Status code (`"200"`, `"4XX"`, `"default"`) → media type → schema. */
  readonly responses: ReadonlyMap<string, ReadonlyMap<string, unknown>>;
  /**
   * The security requirements that apply (the operation's `security`, else the document's):
   * alternatives, the first one met is enough; empty when the operation needs no credentials.
   */
  readonly security: readonly SecurityRequirement[];
  /** Where they are written: the operation's `security`, the document's, or undefined when neither is. */
  readonly securityAt?: readonly (string | number)[];
  /** The operation's own servers (its `servers`, else its Path Item's), which replace the document's for it. */
  readonly servers?: readonly ServerInfo[];
  readonly location: SourceLocation;
}

export interface OperationIndex {
  readonly byId: ReadonlyMap<string, OperationInfo>;
  /** Key: `${method} ${path}`. */
  readonly byPathAndMethod: ReadonlyMap<string, OperationInfo>;
  /** The document's `servers`; undefined when it has none (OpenAPI's default is then `/`). */
  readonly servers?: readonly ServerInfo[];
  /** `components.securitySchemes`, by name. */
  readonly securitySchemes: ReadonlyMap<string, SecuritySchemeInfo>;
  /** Resolves a document-local `$ref` (`#/components/schemas/X`), following chains. */
  resolve(value: unknown): unknown;
}

export function indexOperations(doc: LoadedDocument): OperationIndex {
  // A description shared by many documents of one run (`DocumentCache`) is indexed once.
  const known = indexed.get(doc);
  if (known) return known;
  const index = buildIndex(doc);
  indexed.set(doc, index);
  return index;
}

const indexed = new WeakMap<LoadedDocument, OperationIndex>();

function buildIndex(doc: LoadedDocument): OperationIndex {
  const root = (doc.data ?? {}) as Record<string, any>;
  const resolve = (value: unknown): unknown => resolveLocalRef(root, value);
  const byId = new Map<string, OperationInfo>();
  const byPathAndMethod = new Map<string, OperationInfo>();
  const docSecurity = readRequirements(root.security);
  const docServers = readServers(root.servers, ["servers"]);

  for (const [path, rawItem] of Object.entries<any>(root.paths ?? {})) {
    const item = resolve(rawItem) as Record<string, any> | undefined;
    if (!item || typeof item !== "object") continue;
    const shared = parametersOf(item.parameters, ["paths", path, "parameters"]);
    const pathServers = readServers(item.servers, ["paths", path, "servers"]);
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op || typeof op !== "object") continue;
      const own = parametersOf(op.parameters, ["paths", path, method, "parameters"]);
      // Operation-level parameters override path-level ones with the same name and location.
      const merged = [...shared.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in)), ...own];
      const opSecurity = readRequirements(op.security);
      const servers = readServers(op.servers, ["paths", path, method, "servers"]) ?? pathServers;
      const info: OperationInfo = {
        operationId: typeof op.operationId === "string" ? op.operationId : undefined,
        method,
        path,
        parameters: merged,
        ...(unresolvedIn(item.parameters) || unresolvedIn(op.parameters) ? { unresolvedParameters: true } : {}),
        requestBody: requestBodyOf(op.requestBody),
        responses: responsesOf(op.responses),
        security: opSecurity ?? docSecurity ?? [],
        ...(opSecurity ? { securityAt: ["paths", path, method, "security"] } : docSecurity ? { securityAt: ["security"] } : {}),
        ...(servers ? { servers } : {}),
        location: doc.locate(["paths", path, method], "key"),
      };
      if (info.operationId && !byId.has(info.operationId)) byId.set(info.operationId, info);
      byPathAndMethod.set(`${method} ${path}`, info);
    }
  }

  return {
    byId,
    byPathAndMethod,
    ...(docServers ? { servers: docServers } : {}),
    securitySchemes: readSecuritySchemes(root, resolve),
    resolve,
  };

  /** Whether a list of parameters has a `$ref` that does not resolve. */
  function unresolvedIn(list: unknown): boolean {
    return Array.isArray(list) && list.some((raw) => typeof (raw as { $ref?: unknown })?.$ref === "string" && resolve(raw) === undefined);
  }

  function parametersOf(list: unknown, at: (string | number)[]): OperationParameter[] {
    if (!Array.isArray(list)) return [];
    return list.flatMap((raw, i) => {
      const p = resolve(raw) as Record<string, any> | undefined;
      if (!p || typeof p.name !== "string" || !["path", "query", "header", "cookie"].includes(p.in)) return [];
      const ref = typeof (raw as any)?.$ref === "string" ? refPath((raw as any).$ref) : undefined;
      return [
        {
          name: p.name,
          in: p.in,
          required: p.in === "path" || p.required === true,
          schema: resolve(p.schema),
          ...serialization(p),
          location: doc.locate(ref ?? [...at, i]),
        },
      ];
    });
  }

  function requestBodyOf(raw: unknown): OperationInfo["requestBody"] {
    const body = resolve(raw) as Record<string, any> | undefined;
    if (!body || typeof body !== "object") return undefined;
    const encoding = encodingOf(body.content);
    return { required: body.required === true, content: contentOf(body.content), ...(encoding.size ? { encoding } : {}) };
  }

  function encodingOf(raw: unknown): Map<string, Map<string, EncodingInfo>> {
    const out = new Map<string, Map<string, EncodingInfo>>();
    for (const [mediaType, media] of Object.entries<any>((raw as object) ?? {})) {
      if (!media?.encoding || typeof media.encoding !== "object") continue;
      const properties = new Map<string, EncodingInfo>();
      for (const [name, e] of Object.entries<any>(media.encoding)) {
        if (!e || typeof e !== "object") continue;
        properties.set(name, {
          ...(typeof e.contentType === "string" ? { contentType: e.contentType } : {}),
          ...(typeof e.style === "string" ? { style: e.style } : {}),
          ...(typeof e.explode === "boolean" ? { explode: e.explode } : {}),
          ...(typeof e.allowReserved === "boolean" ? { allowReserved: e.allowReserved } : {}),
        });
      }
      if (properties.size) out.set(mediaType, properties);
    }
    return out;
  }

  function responsesOf(raw: unknown): Map<string, Map<string, unknown>> {
    const out = new Map<string, Map<string, unknown>>();
    for (const [status, r] of Object.entries<any>((raw as object) ?? {})) {
      const response = resolve(r) as Record<string, any> | undefined;
      out.set(status, contentOf(response?.content));
    }
    return out;
  }

  function contentOf(raw: unknown): Map<string, unknown> {
    const out = new Map<string, unknown>();
    for (const [mediaType, media] of Object.entries<any>((raw as object) ?? {})) {
      out.set(mediaType, resolve(media?.schema));
    }
    return out;
  }
}

/** A parameter's `style` and `explode`, with the defaults OpenAPI gives them. */
function serialization(p: Record<string, any>): { style: string; explode: boolean } {
  const style = typeof p.style === "string" ? p.style : p.in === "query" || p.in === "cookie" ? "form" : "simple";
  return { style, explode: typeof p.explode === "boolean" ? p.explode : style === "form" };
}

/** `#/components/parameters/X` → `["components", "parameters", "X"]` (unescaping `~1`, `~0`). */
function refPath(ref: string): string[] | undefined {
  return ref.startsWith("#/") ? pointerTokens(ref) : undefined;
}

function resolveLocalRef(root: unknown, value: unknown, seen = new Set<string>()): unknown {
  if (!value || typeof value !== "object" || typeof (value as any).$ref !== "string") return value;
  const ref: string = (value as any).$ref;
  const path = refPath(ref);
  if (!path || seen.has(ref)) return undefined; // external or circular: left to openapi-typescript
  seen.add(ref);
  let node: any = root;
  for (const token of path) {
    node = node !== null && typeof node === "object" && Object.hasOwn(node, token) ? node[token] : undefined;
  }
  return resolveLocalRef(root, node, seen);
}
