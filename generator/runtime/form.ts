/**
 * Form bodies, `application/x-www-form-urlencoded` and `multipart/form-data`, written as
 * OpenAPI's Encoding Object says (OpenAPI 3.2.0 §4.14 "Encoding Usage and Restrictions",
 * 3.1.1 §4.8.15): per top-level field of the body object,
 *
 * - with a `style` (RFC 6570 query styles, without the `?`): `form` (`explode`: one pair per
 *   item or property, else `a=x,y`), `spaceDelimited`, `pipeDelimited`, and `deepObject`:
 *   bracket notation, `metadata[order_id]=…`, carried to every level as Stripe and most
 *   servers read it (`line_items[0][price]=…`; OpenAPI leaves nested levels undefined);
 * - else by content (`contentType`, defaulting by value): a string, number or boolean as its
 *   text, an object as JSON, an array as one pair per item (each item so written).
 *
 * `undefined` and `null` send nothing (RFC 6570's undefined values). A string body is sent as
 * written. Pairs keep the body's key order. Multipart parts are text (JSON text for an object:
 * a part with a Content-Type of its own would need a file name); a `Blob` value is a file part.
 */

/** How one top-level field is written (see the header). */
export type FormEncoding =
  | { readonly style: "form" | "spaceDelimited" | "pipeDelimited" | "deepObject"; readonly explode: boolean }
  | { readonly contentType: string };

type Pair = [string, string | Blob];

/** openapi-fetch body serializer for `application/x-www-form-urlencoded`. */
export function formBody(encoding?: Readonly<Record<string, FormEncoding>>): (body: unknown) => string {
  return encoding ? (body) => formText(body, encoding) : plainFormBody;
}

/** `formBody()`: every field written by content; one serializer for every step that sends such a body. */
const plainFormBody = (body: unknown): string => formText(body, {});

function formText(body: unknown, encoding: Readonly<Record<string, FormEncoding>>): string {
  if (typeof body === "string") return body;
  const form = new URLSearchParams();
  for (const [name, value] of formPairs(body, encoding)) form.append(name, typeof value === "string" ? value : String(value));
  return form.toString();
}

/** openapi-fetch body serializer for `multipart/form-data` (fetch sets the Content-Type with its boundary). */
export function multipartBody(encoding: Readonly<Record<string, FormEncoding>> = {}): (body: unknown) => FormData | string {
  return (body) => {
    if (typeof body === "string") return body;
    const data = new FormData();
    for (const [name, value] of formPairs(body, encoding)) data.append(name, value);
    return data;
  };
}

/** The name/value pairs of a form body, in order. */
export function formPairs(body: unknown, encoding: Readonly<Record<string, FormEncoding>> = {}): Pair[] {
  if (!isRecord(body)) return body === undefined || body === null ? [] : [["", text(body)]];
  const pairs: Pair[] = [];
  for (const [name, value] of Object.entries(body)) {
    if (value === undefined || value === null) continue;
    const e = Object.hasOwn(encoding, name) ? encoding[name] : undefined;
    if (e && "style" in e) styled(pairs, name, value, e);
    else byContent(pairs, name, value, e?.contentType);
  }
  return pairs;
}

function styled(pairs: Pair[], name: string, value: unknown, { style, explode }: Extract<FormEncoding, { style: string }>): void {
  if (style === "deepObject") {
    deep(pairs, name, value);
    return;
  }
  const delimiter = style === "spaceDelimited" ? " " : style === "pipeDelimited" ? "|" : ",";
  if (Array.isArray(value)) {
    const items = value.filter(present).map(text);
    if (explode) for (const item of items) pairs.push([name, item]);
    else pairs.push([name, items.join(delimiter)]);
  } else if (isRecord(value)) {
    const entries = Object.entries(value).filter(([, v]) => present(v));
    if (explode) for (const [k, v] of entries) pairs.push([k, text(v)]);
    else pairs.push([name, entries.flatMap(([k, v]) => [k, text(v)]).join(delimiter)]);
  } else {
    pairs.push([name, text(value)]);
  }
}

/** Bracket notation at every level: `a[b][0][c]=…`. */
function deep(pairs: Pair[], name: string, value: unknown): void {
  if (!present(value)) return;
  if (Array.isArray(value)) for (const [i, item] of value.entries()) deep(pairs, `${name}[${i}]`, item);
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) deep(pairs, `${name}[${k}]`, v);
  else pairs.push([name, text(value)]);
}

function byContent(pairs: Pair[], name: string, value: unknown, contentType: string | undefined): void {
  const json = contentType !== undefined && /[/+]json\b/i.test(contentType);
  const one = (v: unknown): string | Blob => (isBlob(v) ? v : json ? JSON.stringify(v) : text(v));
  if (Array.isArray(value)) for (const item of value.filter(present)) pairs.push([name, one(item)]);
  else pairs.push([name, one(value)]);
}

/** A value as text: strings as they are, objects and arrays as JSON. */
function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !isBlob(value);
}

function isBlob(value: unknown): value is Blob {
  return typeof Blob !== "undefined" && value instanceof Blob;
}
