/**
 * Checks a config against `arazzo-ts.config.schema.json` (draft 2020-12, beside this file)
 * with Ajv, and turns each violation into one `config` diagnostic at the offending value
 * (a JSON config) or at the file (`.mjs`/`.ts`: no positions), with "did you mean" for
 * misspelt field names and warning codes. Ajv is loaded only when a config is.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import type { Diagnostic, SourceLocation } from "../diagnostics.ts";
import { pointerToPath, type DataPath } from "../load/document.ts";
import { closest } from "../shared/suggest.ts";

/** Where a value of the config is: `file:line:col` for JSON, the file alone for `.mjs`/`.ts`. */
export type ConfigLocator = (path: DataPath, target?: "key" | "value") => Partial<SourceLocation> & { readonly file: string };

let compiled: ValidateFunction | undefined;

/** The config schema as data (also what `$schema` in a JSON config can point at). */
export function configSchema(): Record<string, any> {
  return JSON.parse(readFileSync(fileURLToPath(new URL("./arazzo-ts.config.schema.json", import.meta.url)), "utf8")) as Record<string, any>;
}

function validator(): ValidateFunction {
  compiled ??= new Ajv2020({ allErrors: true, strict: false, verbose: true }).compile(configSchema());
  return compiled;
}

/** Diagnostics for every way `data` breaks the config schema; empty when it fits. */
export function checkConfigSchema(data: unknown, locate: ConfigLocator): Diagnostic[] {
  const validate = validator();
  if (validate(data)) return [];
  return relevant(validate.errors ?? []).map((error) => {
    const path = pointerToPath(error.instancePath);
    const { message, hint, at, key } = describe(error, path);
    return { severity: "error", code: "config", message, ...locate(at, key ? "key" : "value"), ...(hint ? { hint } : {}) };
  });
}

/**
 * One error per problem: wrappers (`if`, `propertyNames`) dropped, and where a value has
 * the wrong type, that alone (the `else` branch of a "string or object" would also say
 * "must be an object").
 */
function relevant(all: readonly ErrorObject[]): ErrorObject[] {
  const concrete = all.filter((e) => e.keyword !== "if" && e.keyword !== "propertyNames");
  const mistyped = new Set(concrete.filter((e) => e.keyword === "type").map((e) => e.instancePath));
  const seen = new Set<string>();
  return concrete.filter((e) => {
    const key =
      mistyped.has(e.instancePath) && e.propertyName === undefined
        ? `${e.instancePath}|type`
        : `${e.instancePath}|${e.keyword}|${e.propertyName ?? ""}|${JSON.stringify(e.params)}`;
    if (mistyped.has(e.instancePath) && e.propertyName === undefined && e.keyword !== "type") return false;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function describe(error: ErrorObject, path: DataPath): { message: string; hint?: string; at: DataPath; key?: boolean } {
  const where = path.length ? `\`${path.join(".")}\`` : "the config";
  const params = error.params as Record<string, any>;
  const schema = (error.parentSchema ?? {}) as Record<string, any>;
  if (error.propertyName !== undefined) {
    // `propertyNames` failed: an unknown warning code.
    const name = error.propertyName;
    const suggestion = closest(name, (schema.enum as string[] | undefined) ?? []);
    return {
      message: `${where} has unknown warning code \`${name}\``,
      hint: suggestion ? `did you mean \`${suggestion}\`?` : "the codes are the ones printed after `warning` (`unbraced-expression`, …)",
      at: [...path, name],
      key: true,
    };
  }
  switch (error.keyword) {
    case "required":
      return { message: `${where} is missing required field \`${String(params.missingProperty)}\``, at: path };
    case "additionalProperties": {
      const name = String(params.additionalProperty);
      const suggestion = closest(name, Object.keys(schema.properties ?? {}));
      const known = Object.keys(schema.properties ?? {}).map((k) => `\`${k}\``);
      return {
        message: `${where} has unknown field \`${name}\``,
        hint: suggestion ? `did you mean \`${suggestion}\`?` : known.length ? `allowed: ${known.join(", ")}` : undefined,
        at: [...path, name],
        key: true,
      };
    }
    case "type": {
      const types = String(params.type).split(",");
      return { message: `${where} must be ${types.map((t) => `${/^[aeiou]/.test(t) ? "an" : "a"} ${t}`).join(" or ")}`, at: path };
    }
    case "enum":
      return { message: `${where} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`, at: path };
    case "minLength":
      return { message: `${where} must not be empty`, at: path };
    case "minItems":
      return { message: `${where} must list at least one document`, at: path };
    case "maxLength":
      return { message: `${where} must be at most ${String(params.limit)} characters long`, at: path };
    case "pattern": {
      const last = path[path.length - 1];
      if (last === "name")
        return {
          message: `${where} is not a valid npm package name`,
          hint: "lowercase letters, digits, `-`, `.`, `_`, `~`; a scope is allowed: `@acme/payments`",
          at: path,
        };
      if (last === "version") return { message: `${where} is not a semantic version`, hint: "like `1.2.3` or `2.0.0-beta.1` (https://semver.org)", at: path };
      return { message: `${where} must match \`${String(params.pattern)}\``, at: path };
    }
    default:
      return { message: `${where} ${error.message ?? "is invalid"}`, at: path };
  }
}
