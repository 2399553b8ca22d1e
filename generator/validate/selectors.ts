/**
 * Arazzo 1.1 Selector Objects (§"Selector Object": `{ context, selector, type }`) that say
 * what a runtime expression can say, rewritten into that expression before the document is
 * bound, so they are typed and read exactly as the expression would be:
 *
 * - `type: jsonpointer` (or `{ type: jsonpointer, version: rfc6901 }`): `context` + `#` +
 *   the pointer (`$response.body` and `/data/0/id` → `$response.body#/data/0/id`); a context
 *   that already ends in a pointer gets the selector's tokens appended;
 * - `type: jsonpath` with a singular query, names and non-negative indexes only (`$.data[0].id`,
 *   `$['a b']`): the same pointer.
 *
 * Where 1.1 allows them: workflow and step `outputs`, a Parameter Object's `value` (steps,
 * components and action parameters), a Payload Replacement Object's `value`, and anywhere in
 * a Request Body's `payload`. A JSONPath query that may match several nodes, and XPath, are
 * kept in a step's outputs, which read them at run time (`ir/step.ts`); anywhere else they,
 * and a selector that does not parse, are an `unsupported-selector` error at the selector,
 * which says what to write instead; the rest of the document is still bound.
 *
 * Only 1.1 documents have Selector Objects: the 1.0 schema rejects them where 1.1 allows
 * them, except in a payload, where `{ context, selector, type }` in a 1.0 document is data.
 */
import { jsonpath } from "json-p3";
import type { DiagnosticBag } from "../diagnostics.ts";
import type { DataPath, LoadedDocument } from "../load/document.ts";
import { selectorTokens, soleSelector } from "../shared/jsonpath-ast.ts";

interface SelectorObject {
  readonly context: string;
  readonly selector: string;
  readonly type: string | { readonly type?: unknown; readonly version?: unknown };
}

/** `doc` with its Selector Objects rewritten where they are plain paths; the others are reported. */
export function rewriteSelectors(doc: LoadedDocument, diagnostics: DiagnosticBag): LoadedDocument {
  const data = doc.data as Record<string, any> | null;
  if (!data || typeof data !== "object") return doc;
  let changed = false;
  /** `selects`: a step output, where a selector that is no plain path is kept and read at run time (`ir/step.ts`). */
  const rewrite = (value: unknown, at: DataPath, selects = false): unknown => {
    if (!isSelector(value)) return value;
    const expression = selectorExpression(value);
    if (typeof expression === "string") {
      changed = true;
      return expression;
    }
    if (selects && expression.selects) return value;
    diagnostics.error("unsupported-selector", expression.message, doc.locate([...at, "selector"]), expression.hint);
    return value;
  };
  const copy = structuredClone(data);
  const parametersAt = (list: unknown, at: DataPath) => {
    if (!Array.isArray(list)) return;
    list.forEach((p, i) => {
      if (p && typeof p === "object" && "value" in p) p.value = rewrite(p.value, [...at, i, "value"]);
    });
  };
  const outputsAt = (outputs: unknown, at: DataPath, selects = false) => {
    if (!outputs || typeof outputs !== "object") return;
    for (const [name, value] of Object.entries(outputs)) (outputs as Record<string, unknown>)[name] = rewrite(value, [...at, name], selects);
  };
  const actionsAt = (list: unknown, at: DataPath) => {
    if (!Array.isArray(list)) return;
    list.forEach((a, i) => {
      parametersAt(a?.parameters, [...at, i, "parameters"]);
    });
  };
  const payloadAt = (value: unknown, at: DataPath): unknown => {
    if (isSelector(value)) return rewrite(value, at);
    if (Array.isArray(value)) return value.map((v, i) => payloadAt(v, [...at, i]));
    if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) (value as Record<string, unknown>)[k] = payloadAt(v, [...at, k]);
    }
    return value;
  };
  (copy.workflows ?? []).forEach((w: any, wi: number) => {
    const wAt = ["workflows", wi];
    outputsAt(w?.outputs, [...wAt, "outputs"]);
    parametersAt(w?.parameters, [...wAt, "parameters"]);
    actionsAt(w?.successActions, [...wAt, "successActions"]);
    actionsAt(w?.failureActions, [...wAt, "failureActions"]);
    (w?.steps ?? []).forEach((s: any, si: number) => {
      const sAt = [...wAt, "steps", si];
      outputsAt(s?.outputs, [...sAt, "outputs"], true);
      parametersAt(s?.parameters, [...sAt, "parameters"]);
      actionsAt(s?.onSuccess, [...sAt, "onSuccess"]);
      actionsAt(s?.onFailure, [...sAt, "onFailure"]);
      const body = s?.requestBody;
      if (body && typeof body === "object") {
        if ("payload" in body) body.payload = payloadAt(body.payload, [...sAt, "requestBody", "payload"]);
        if (Array.isArray(body.replacements)) {
          body.replacements.forEach((r: any, ri: number) => {
            if (r && typeof r === "object") r.value = rewrite(r.value, [...sAt, "requestBody", "replacements", ri, "value"]);
          });
        }
      }
    });
  });
  const components = copy.components;
  if (components?.parameters && typeof components.parameters === "object") {
    for (const [name, p] of Object.entries<any>(components.parameters)) {
      if (p && typeof p === "object" && "value" in p) p.value = rewrite(p.value, ["components", "parameters", name, "value"]);
    }
  }
  for (const kind of ["successActions", "failureActions"] as const) {
    for (const [name, a] of Object.entries<any>(components?.[kind] ?? {})) parametersAt(a?.parameters, ["components", kind, name, "parameters"]);
  }
  return changed ? { ...doc, data: copy, locate: doc.locate } : doc;
}

/** A Selector Object's `type` (`jsonpath`, `xpath`, `jsonpointer`), written as a string or an Expression Type Object. */
export function selectorType(selector: { readonly type?: unknown } | null | undefined): string {
  const type = selector?.type;
  return typeof type === "string" ? type : String((type as { type?: unknown } | null | undefined)?.type);
}

function isSelector(value: unknown): value is SelectorObject {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value).filter((k) => !k.startsWith("x-"));
  const v = value as Record<string, unknown>;
  return (
    keys.length === 3 &&
    typeof v.context === "string" &&
    typeof v.selector === "string" &&
    (typeof v.type === "string" || (!!v.type && typeof v.type === "object"))
  );
}

/**
 * The runtime expression a selector is, or why there is none; `selects` when a step output can
 * read it at run time instead (a JSONPath query that may match several values, or XPath).
 */
function selectorExpression(selector: SelectorObject): string | { message: string; hint: string; selects?: boolean } {
  const type = selectorType(selector);
  const context = selector.context.trim();
  // A context a pointer can go into: a body, a payload, an input or an output (a header is a string).
  if (!/^\$(?:response\.body|request\.body|message\.payload|inputs\.|outputs\.|steps\.|workflows\.)/.test(context)) {
    return {
      message: `unsupported selector: its context \`${context}\` is not a runtime expression of structured data`,
      hint: "use a body, payload, input or output as the context: `$response.body`, `$message.payload`, `$steps.<id>.outputs.<name>`",
    };
  }
  const pointer = type === "jsonpointer" ? pointerTokens(selector.selector) : type === "jsonpath" ? singularPath(selector.selector) : undefined;
  if (pointer === undefined) {
    const what =
      type === "jsonpointer"
        ? `\`${selector.selector}\` is not a JSON Pointer (RFC 6901: empty, or tokens each after a \`/\`)`
        : type === "jsonpath"
          ? `the JSONPath \`${selector.selector}\` is not a path to one value (names and non-negative indexes only), which is what arazzo-ts reads`
          : `${type} selectors are not read by arazzo-ts yet`;
    const selects = (type === "jsonpath" && singularPath(selector.selector) === undefined && parses(selector.selector)) || type === "xpath";
    return {
      message: `unsupported selector: ${what}`,
      hint: selects
        ? "select it in a step output (read at run time there), and use that output here"
        : "write the value as a runtime expression with a JSON Pointer, e.g. `$response.body#/data/0/id`, or a selector of type jsonpointer",
      selects,
    };
  }
  const tail = pointer.map((t) => `/${t.replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
  return context.includes("#") ? `${context}${tail}` : tail ? `${context}#${tail}` : context;
}

function parses(query: string): boolean {
  try {
    jsonpath.compile(query);
    return true;
  } catch {
    return false;
  }
}

/** RFC 6901 tokens of `pointer`, unescaped; undefined when it is not a pointer. */
function pointerTokens(pointer: string): string[] | undefined {
  if (pointer === "") return [];
  if (!pointer.startsWith("/") || /~[^01]|~$/.test(pointer)) return undefined;
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** The member names and indexes of a singular JSONPath query (RFC 9535 §2.3.5.1, without negative indexes), or undefined. */
function singularPath(query: string): string[] | undefined {
  let ast: jsonpath.JSONPathQuery;
  try {
    ast = jsonpath.compile(query);
  } catch {
    return undefined;
  }
  return selectorTokens(ast.segments.map(soleSelector));
}
