/**
 * Secrets kept out of what `arazzo-ts run` prints and writes (the terminal, every report):
 * credential values and files given for them, inputs whose schema says `format: password`,
 * whose names look secret (the rule `onStep` uses) or whose values came from the environment,
 * and values a body hands on in a token or secret field (a token step's `access_token`, a
 * `client_secret`), from the moment it arrives. Each is replaced by `[masked]` wherever it
 * appears, as written, URL-encoded, form-encoded or JSON-escaped; the values of credential
 * headers (`Authorization`, `Cookie`, an API key's header) and of headers whose names look
 * secret (`X-Auth-Token`, `X-Session`), of credential and secret-looking query parameters, and
 * of token and secret fields (`access_token`, `authToken`, `client_secret`) are masked whatever
 * they hold. Other fields are kept: a `session_id`, a `code` or a `nextPageToken` in a body is
 * the API's data, not a credential.
 * `--no-secrets-masking` turns it all off.
 */

/** Names that look secret: the runtime's rule for query values in `onStep` (runtime.ts `SECRET_NAME`). */
const SECRET_NAME = /pass|secret|token|key|auth|code|session|sig|credential/i;
/**
 * Body fields that hold tokens and secrets, by how their names end (`access_token`,
 * `authToken`, `client_secret`, `sessionKey`, `jwt`); page and sync tokens are the API's data.
 */
const SECRET_FIELD = /(token|secret|passw(or)?d|passphrase|api_?key|private_?key|session_?key|access_?key|secret_?key|credentials?|jwt)$/i;
const NOT_SECRET_FIELD = /(page|next|prev(ious)?|continuation|sync|cursor|resume)_?token$|token_?type$/i;
const secretField = (name: string) => SECRET_FIELD.test(name) && !NOT_SECRET_FIELD.test(name);
/** Headers that carry credentials whatever the description says. */
const CREDENTIAL_HEADERS = ["authorization", "proxy-authorization", "cookie", "set-cookie"];
/** Header names that look like they carry one (`X-Auth-Token`, `X-Session`, `X-Api-Key`, `Signature`). */
const SECRET_HEADER = /token|secret|passw|auth|session|api-?key|signature|credential|cookie/i;
export const MASK = "[masked]";

export class Masker {
  private readonly values = new Set<string>();
  /** Inputs of the workflow being run that are secrets, by name (masked in the report's inputs whatever their length). */
  private secretInputs = new Set<string>();
  private readonly headers = new Set(CREDENTIAL_HEADERS);
  private readonly query = new Set<string>();

  constructor(readonly enabled: boolean) {}

  /**
   * A value to mask from now on, wherever it appears. `least`: shorter ones are left (masking a
   * short word everywhere would mask the API's data too): 4 for credentials given to the run, 8
   * for values only guessed to be secret (an input's name, a token field of a body).
   */
  secret(value: unknown, least = 4): void {
    if (typeof value === "string" && value.length >= least) this.values.add(value);
    else if (Array.isArray(value)) for (const v of value) this.secret(v, least);
    else if (value && typeof value === "object") for (const v of Object.values(value)) this.secret(v, least);
  }

  /** Headers and query parameters that carry credentials (the security schemes' API keys). */
  carriers(headers: readonly string[], query: readonly string[]): void {
    for (const h of headers) this.headers.add(h.toLowerCase());
    for (const q of query) this.query.add(q);
  }

  /**
   * The inputs of the workflow about to run that are secrets (`format: password`, a
   * secret-looking name, or read from the environment); the inputs as the report shows them.
   */
  inputs(values: Readonly<Record<string, unknown>>, schema: Readonly<Record<string, unknown>>, fromEnvironment: ReadonlySet<string>): Record<string, unknown> {
    this.secretInputs = new Set();
    for (const [name, value] of Object.entries(values)) {
      const format = (schema[name] as { format?: unknown } | undefined)?.format;
      if (format === "password" || SECRET_NAME.test(name) || fromEnvironment.has(name)) {
        this.secretInputs.add(name);
        this.secret(value, format === "password" || fromEnvironment.has(name) ? 4 : 8);
      }
    }
    if (!this.enabled) return { ...values };
    return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, this.secretInputs.has(name) ? MASK : this.json(value)]));
  }

  /** Values a body hands on in token and secret fields (`access_token`, `refresh_token`, `client_secret`). */
  learn(body: unknown): void {
    if (Array.isArray(body)) for (const v of body) this.learn(v);
    else if (body && typeof body === "object") {
      for (const [name, value] of Object.entries(body)) {
        if (secretField(name) && typeof value === "string") this.secret(value, 8);
        else this.learn(value);
      }
    }
  }

  /** `text` with every known secret replaced. */
  text(text: string): string {
    if (!this.enabled || !text) return text;
    let out = text;
    // Longest first, so a secret that contains another is masked whole.
    for (const secret of [...this.values].sort((a, b) => b.length - a.length)) {
      // As written, URL-encoded (a path or query), form-encoded (`+` for a space), JSON-escaped.
      const forms = [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2), JSON.stringify(secret).slice(1, -1)];
      for (const form of new Set(forms)) out = out.split(form).join(MASK);
    }
    return out;
  }

  header(name: string, value: string): string {
    if (!this.enabled) return value;
    return this.headers.has(name.toLowerCase()) || SECRET_HEADER.test(name) ? MASK : this.text(value);
  }

  /** A URL: credential and secret-looking query values masked, user info dropped, known secrets masked. */
  url(url: string): string {
    if (!this.enabled) return url;
    const [base, query] = url.split(/\?(.*)/s, 2) as [string, string | undefined];
    const safeBase = this.text(base.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1"));
    if (!query) return safeBase;
    const parts = query.split("&").map((pair) => {
      const [name = "", value] = pair.split(/=(.*)/s, 2);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // keep it as written
      }
      return value !== undefined && (this.query.has(decoded) || SECRET_NAME.test(decoded)) ? `${name}=${MASK}` : this.text(pair);
    });
    return `${safeBase}?${parts.join("&")}`;
  }

  /** A JSON value: token and secret fields masked, known secrets masked everywhere. */
  json(value: unknown): unknown {
    if (!this.enabled) return value;
    if (typeof value === "string") return this.text(value);
    if (Array.isArray(value)) return value.map((v) => this.json(v));
    if (value && typeof value === "object") {
      return Object.fromEntries(
        Object.entries(value).map(([name, v]) => [name, secretField(name) && (typeof v === "string" || typeof v === "number") ? MASK : this.json(v)]),
      );
    }
    return value;
  }

  /** A body's text: JSON masked field by field (written back compactly), a form field by field, else as text. */
  body(text: string, mimeType: string): string {
    if (!this.enabled || !text) return text;
    if (/[/+]json\b/i.test(mimeType)) {
      try {
        return JSON.stringify(this.json(JSON.parse(text)));
      } catch {
        // not JSON after all
      }
    }
    if (/x-www-form-urlencoded/i.test(mimeType)) {
      // Field by field, on the decoded values: a secret is found however the form encoded it.
      const fields = [...new URLSearchParams(text)].map(([name, value]) => [this.text(name), secretField(name) ? MASK : this.text(value)]);
      return fields.map(([name, value]) => `${formEncode(name!)}=${formEncode(value!)}`).join("&");
    }
    return this.text(text);
  }
}

/** A form field's name or value as `application/x-www-form-urlencoded` writes it, `[masked]` kept readable. */
function formEncode(text: string): string {
  return text
    .split(MASK)
    .map((part) => new URLSearchParams({ s: part }).toString().slice(2))
    .join(MASK);
}
