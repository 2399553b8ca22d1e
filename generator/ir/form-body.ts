/**
 * Form bodies (`application/x-www-form-urlencoded`, `multipart/form-data`): a payload key
 * in bracket notation, `metadata[order_id]` or `line_items[0][price]` (Stripe's convention,
 * what OpenAPI's `style: deepObject` writes), names the nested field `/metadata/order_id`,
 * `/line_items/0/price` of the body schema. The payload is unfolded into that nested value,
 * so it is checked, typed and sent like any other; and each top-level field gets the
 * encoding the runtime writes it with (OpenAPI 3.1 §4.8.15 Encoding Object).
 *
 * Not obvious: a key is taken as written when the schema declares a property of that exact
 * name (`filter[status]` as one property); `a[]: v` (Stripe's `expand[]`) is the list `a: [v]`,
 * with a warning (one YAML key holds one value), and `[]` anywhere but at the end is refused;
 * a field set both whole and in brackets is merged,
 * and setting one value twice is an error. Without an `encoding` entry, OpenAPI sends an
 * object field as JSON (3.0.4, 3.1.1, 3.2.0; 3.0.0-3.0.3 and 3.1.0 said `style: form`), so bracket
 * notation on a field the description does not declare `deepObject` is sent as written,
 * with a `bracket-form-field` warning naming the `encoding` the description lacks.
 */
import type { DiagnosticBag, SourceLocation } from "../diagnostics.ts";
import { formatJsonPointer } from "../expressions/json-pointer.ts";
import type { EncodingInfo } from "../openapi/operations.ts";
import { walkSchemaPointer, type SchemaResolver } from "../openapi/schema-pointer.ts";
import type { FormBodyModel, FormFieldEncoding, ValueModel } from "./types.ts";

/** The form media type `mediaType` is, if any. */
export function formMediaType(mediaType: string): "urlencoded" | "multipart" | undefined {
  const essence = mediaType.split(";")[0]!.trim().toLowerCase();
  if (essence === "application/x-www-form-urlencoded") return "urlencoded";
  if (essence === "multipart/form-data") return "multipart";
  return undefined;
}

const BRACKET_KEY = /^([^[\]]+)((?:\[[^[\]]*\])+)$/;

/** `a[b][0][c]` → `["a", "b", "0", "c"]`; undefined when the key is not bracket notation. */
export function parseBracketKey(key: string): string[] | undefined {
  const match = BRACKET_KEY.exec(key);
  if (!match) return undefined;
  return [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!)];
}

/** A pointer in bracket notation: `["a", "b", "0"]` → `a[b][0]`. */
export function bracketName(pointer: readonly string[]): string {
  const [head = "", ...rest] = pointer;
  return head + rest.map((s) => `[${s}]`).join("");
}

export interface FormPayloadContext {
  readonly schema: unknown;
  readonly resolve: SchemaResolver;
  readonly diagnostics: DiagnosticBag;
  /** Where a top-level payload key is written. */
  readonly locateKey: (key: string) => SourceLocation;
  /** The payload as messages name it: "the payload of step `charge`". */
  readonly use: string;
}

export interface UnfoldedPayload {
  readonly payload: ValueModel;
  /** Top-level fields some key writes in bracket notation → the first such key, as written. */
  readonly bracketed: ReadonlyMap<string, string>;
}

type Tree = Branch | { readonly kind: "leaf"; readonly value: ValueModel };
interface Branch {
  readonly kind: "object" | "array";
  readonly children: Map<string, Tree>;
  readonly location: SourceLocation;
}

/** Unfolds the bracket-notation keys of a form payload into the nested fields they name (see the header). */
export function unfoldBracketKeys(payload: ValueModel, ctx: FormPayloadContext): UnfoldedPayload {
  const bracketed = new Map<string, string>();
  if (payload.kind !== "object" || !payload.entries.some(([key]) => parseBracketKey(key))) {
    return { payload, bracketed };
  }
  const root: Branch = { kind: "object", children: new Map(), location: payload.location };
  for (const [key, value] of payload.entries) {
    const path = declares(ctx, [key]) ? undefined : parseBracketKey(key);
    if (!path) {
      insert(root, [], [key], value, key, ctx);
      continue;
    }
    // `expand[]: customer` (Stripe's list notation): the list `expand: [customer]`.
    if (path.length > 1 && path.at(-1) === "" && !path.slice(1, -1).includes("")) {
      const field = path.slice(0, -1);
      const list: ValueModel = value.kind === "array" ? value : { kind: "array", items: [value], location: value.location };
      ctx.diagnostics.warning(
        "bracket-form-field",
        `${ctx.use} sets \`${key}\`, a list in bracket notation; it is read as the list \`${bracketName(field)}\`${value.kind === "array" ? "" : " with this one item"}`,
        ctx.locateKey(key),
        `write the list, \`${bracketName(field)}: [...]\` (YAML keys are unique, so \`${key}\` can only ever give one item)`,
      );
      if (field.length > 1 && !bracketed.has(field[0]!)) bracketed.set(field[0]!, key);
      insert(root, [], field, list, key, ctx);
      continue;
    }
    if (path.slice(1).some((s) => s === "")) {
      ctx.diagnostics.error(
        "invalid-form-field",
        `${ctx.use} sets \`${key}\`, with an empty index \`[]\`; one key holds one value, so it cannot add items to a list`,
        ctx.locateKey(key),
        `write the item's index, \`${bracketName(path.map((s, i) => (i > 0 && s === "" ? "0" : s)))}\`, or the whole list, \`${path[0]}: [...]\``,
      );
      continue;
    }
    if (!bracketed.has(path[0]!)) bracketed.set(path[0]!, key);
    insert(root, [], path, value, key, ctx);
  }
  return { payload: toValue(root, [], ctx), bracketed };
}

/** The schema declares a property at exactly this pointer (not an `additionalProperties` value). */
function declares(ctx: FormPayloadContext, pointer: readonly string[]): boolean {
  const walk = walkSchemaPointer(ctx.schema, pointer, ctx.resolve);
  return walk.kind === "typed" && !walk.additional;
}

/** The schema says an array is at `pointer`: `child` is an index into it. */
function arrayAt(ctx: FormPayloadContext, pointer: readonly string[], child: string): boolean {
  const walk = walkSchemaPointer(ctx.schema, [...pointer, child], ctx.resolve);
  const n = pointer.length;
  if (walk.kind === "untyped" && walk.from <= n) return false;
  if (walk.kind === "missing" && walk.at <= n) return false;
  return walk.segments[n]?.index === true;
}

function insert(branch: Branch, at: readonly string[], path: readonly string[], value: ValueModel, key: string, ctx: FormPayloadContext): void {
  const [head, ...rest] = path as [string, ...string[]];
  const here = [...at, head];
  let child = branch.children.get(head);
  if (rest.length === 0) {
    if (!child) {
      branch.children.set(head, { kind: "leaf", value });
      return;
    }
    // The same field given whole and in brackets: merged, when both are objects or both arrays.
    const into = child.kind === "leaf" ? asBranch(child.value) : child;
    if (into && (value.kind === "object" || value.kind === "array") && into.kind === value.kind) {
      branch.children.set(head, into);
      const parts = value.kind === "object" ? value.entries : value.items.map((item, i) => [String(i), item] as const);
      for (const [k, v] of parts) insert(into, here, [k], v, key, ctx);
      return;
    }
    conflict(here, key, ctx);
    return;
  }
  if (!child) {
    child = { kind: arrayAt(ctx, here, rest[0]!) ? "array" : "object", children: new Map(), location: value.location };
    branch.children.set(head, child);
  } else if (child.kind === "leaf") {
    const converted = asBranch(child.value);
    if (!converted) {
      conflict(here, key, ctx);
      return;
    }
    child = converted;
    branch.children.set(head, child);
  }
  if (child.kind === "array" && !/^(0|[1-9]\d*)$/.test(rest[0]!)) {
    ctx.diagnostics.error(
      "invalid-form-field",
      `${ctx.use} sets \`${key}\`, but \`${bracketName(here)}\` is an array: its items are numbered, \`${bracketName([...here, "0"])}\``,
      ctx.locateKey(key),
    );
    return;
  }
  insert(child, here, rest, value, key, ctx);
}

/** An object or array value as a branch bracket keys can add to; undefined for any other value. */
function asBranch(value: ValueModel): Branch | undefined {
  if (value.kind === "object") {
    return { kind: "object", children: new Map(value.entries.map(([k, v]) => [k, { kind: "leaf", value: v }])), location: value.location };
  }
  if (value.kind === "array") {
    return { kind: "array", children: new Map(value.items.map((v, i) => [String(i), { kind: "leaf", value: v }])), location: value.location };
  }
  return undefined;
}

function conflict(pointer: readonly string[], key: string, ctx: FormPayloadContext): void {
  ctx.diagnostics.error(
    "conflicting-fields",
    `${ctx.use} sets \`${bracketName(pointer)}\` twice${key === bracketName(pointer) ? "" : ` (again in \`${key}\`)`}`,
    ctx.locateKey(key),
    `set each field once: a whole \`${pointer[0]}\` and keys in bracket notation, \`${bracketName([pointer[0]!, "…"])}\`, are merged into one \`${pointer[0]}\``,
  );
}

function toValue(tree: Tree, at: readonly string[], ctx: FormPayloadContext): ValueModel {
  if (tree.kind === "leaf") return tree.value;
  if (tree.kind === "object") {
    return { kind: "object", entries: [...tree.children].map(([k, child]) => [k, toValue(child, [...at, k], ctx)] as const), location: tree.location };
  }
  const indices = [...tree.children.keys()].map(Number).sort((a, b) => a - b);
  const gap = indices.findIndex((index, i) => index !== i);
  if (gap >= 0) {
    ctx.diagnostics.error(
      "invalid-form-field",
      `${ctx.use} sets \`${bracketName([...at, String(indices[gap])])}\` but not \`${bracketName([...at, String(gap)])}\`: the items of an array are numbered from 0, without gaps`,
      tree.location,
    );
  }
  return { kind: "array", items: indices.map((i) => toValue(tree.children.get(String(i))!, [...at, String(i)], ctx)), location: tree.location };
}

/**
 * A pointer into a form payload as its author writes it: in bracket notation (`line_items[0][price]`)
 * when that field was written so, else as a JSON Pointer. `written`: the field the pointer stands
 * for (a suggestion for a misspelt one), when it is not the pointer itself.
 */
export function formFieldName(bracketed: ReadonlyMap<string, string>): (pointer: readonly string[], written?: readonly string[]) => string {
  return (pointer, written = pointer) => (written.length > 0 && bracketed.has(written[0]!) ? bracketName(pointer) : formatJsonPointer(pointer));
}

/** A replacement target (a JSON Pointer) into a form payload, its bracket-notation tokens split into the fields they name. */
export function formTarget(target: readonly string[], ctx: Pick<FormPayloadContext, "schema" | "resolve">): string[] {
  const out: string[] = [];
  for (const token of target) {
    const path = parseBracketKey(token);
    const literal = walkSchemaPointer(ctx.schema, [...out, token], ctx.resolve);
    if (path && !path.slice(1).includes("") && !(literal.kind === "typed" && !literal.additional)) out.push(...path);
    else out.push(token);
  }
  return out;
}

const STYLES = new Set(["form", "spaceDelimited", "pipeDelimited", "deepObject"]);

/** An Encoding Object's serialization: RFC 6570 style when it has `style`, `explode` or `allowReserved`, else its `contentType`. */
function fieldEncoding(info: EncodingInfo | undefined): FormFieldEncoding | undefined {
  if (!info) return undefined;
  if (info.style !== undefined || info.explode !== undefined || info.allowReserved !== undefined) {
    const style = info.style ?? "form";
    // A style queries do not have (`matrix`, `simple`) says nothing a form can follow: OpenAPI's defaults apply.
    if (!STYLES.has(style)) return undefined;
    return { style: style as "form", explode: info.explode ?? style === "form" };
  }
  return info.contentType !== undefined ? { contentType: info.contentType } : undefined;
}

/**
 * How each top-level field of a form body is encoded: the description's `encoding`, else
 * `deepObject` for a field the payload writes in bracket notation (warned: the description
 * does not say so); bracket notation on a field the description encodes otherwise is an error.
 */
export function formBodyModel(
  multipart: boolean,
  unfolded: UnfoldedPayload,
  declared: ReadonlyMap<string, EncodingInfo> | undefined,
  mediaType: string,
  body: string,
  ctx: FormPayloadContext,
): FormBodyModel {
  const { payload, bracketed } = unfolded;
  // Only the fields the payload sets (all of them when it is sent whole from an expression).
  const names = payload.kind === "object" ? payload.entries.map(([k]) => k) : [...(declared?.keys() ?? [])];
  const encoding: Record<string, FormFieldEncoding> = {};
  for (const name of names) {
    const given = fieldEncoding(declared?.get(name));
    const key = bracketed.get(name);
    const field = walkSchemaPointer(ctx.schema, [name], ctx.resolve);
    // A field the schema does not have, or a string, number or boolean, is an `unknown-field` already.
    if (key !== undefined && field.kind !== "missing" && !(field.kind === "typed" && isScalarSchema(field.schema, ctx.resolve))) {
      if (!given) {
        const isArray = field.kind === "typed" && isArraySchema(field.schema, ctx.resolve);
        const byDefault = isArray ? `an array as one \`${name}=…\` per item, an object item as JSON` : "an object as JSON";
        ctx.diagnostics.warning(
          "bracket-form-field",
          `${ctx.use} writes \`${key}\` in bracket notation, which ${body} does not declare for \`${name}\` (without \`encoding.${name}\`, OpenAPI sends ${byDefault}); it is read as the field \`${formatJsonPointer(parseBracketKey(key)!)}\` and sent as written`,
          ctx.locateKey(key),
          `declare it in the OpenAPI description, under \`${mediaType}\`: \`encoding: { ${name}: { style: deepObject, explode: true } }\``,
        );
        encoding[name] = { style: "deepObject", explode: true };
        continue;
      }
      if (!("style" in given) || given.style !== "deepObject") {
        const how = "style" in given ? `\`style: ${given.style}, explode: ${given.explode}\`` : `\`${given.contentType}\``;
        ctx.diagnostics.error(
          "invalid-form-field",
          `${ctx.use} writes \`${key}\` in bracket notation, but ${body} sends \`${name}\` as ${how} (\`encoding.${name}\`), not in brackets`,
          ctx.locateKey(key),
          `set the field whole, \`${name}: { ... }\`: it is then sent as the description says`,
        );
        continue;
      }
    }
    if (given) encoding[name] = given;
  }
  return { multipart, encoding };
}

function isScalarSchema(raw: unknown, resolve: SchemaResolver): boolean {
  const schema = resolve(raw) as { type?: unknown } | undefined;
  const types = typeof schema?.type === "string" ? [schema.type] : Array.isArray(schema?.type) ? schema.type : [];
  return types.length > 0 && types.every((t) => ["string", "number", "integer", "boolean", "null"].includes(t as string));
}

function isArraySchema(raw: unknown, resolve: SchemaResolver): boolean {
  const schema = resolve(raw) as { type?: unknown; items?: unknown } | undefined;
  if (!schema || typeof schema !== "object") return false;
  return schema.type === "array" || (Array.isArray(schema.type) && schema.type.includes("array")) || schema.items !== undefined;
}
