/**
 * Validates an Arazzo document against the official JSON Schema of its version (draft
 * 2020-12, beside this file, from the specification repository): `arazzo-1.0.schema.yaml`
 * for `arazzo: 1.0.x`, `arazzo-1.1.schema.yaml` for `1.1.x`, with Ajv, a maintained
 * validator that implements 2020-12 (including `unevaluatedProperties`, which both rely on).
 * A version arazzo-ts does not read is one `unsupported-version` error.
 *
 * Ajv reports every branch of a failed `oneOf`/`anyOf`; only the errors at the deepest
 * failing location are kept, one per location and kind, and each becomes a diagnostic
 * at the YAML position of the offending value.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { parse } from "yaml";
import type { DiagnosticBag } from "../diagnostics.ts";
import { pointerToPath, type DataPath, type LoadedDocument } from "../load/document.ts";
import { rewriteSelectors } from "./selectors.ts";
import { rewriteSpacedStepIds } from "./step-ids.ts";

/** The Arazzo versions arazzo-ts reads, by the minor version `arazzo` names. */
export type ArazzoVersion = "1.0" | "1.1";

const SCHEMA_FILES: Record<ArazzoVersion, string> = { "1.0": "./arazzo-1.0.schema.yaml", "1.1": "./arazzo-1.1.schema.yaml" };

/** The minor version of a document's `arazzo` field (`1.1.0`, `1.0.1-rc1`), or undefined for one arazzo-ts does not read. */
export function arazzoVersion(data: unknown): ArazzoVersion | undefined {
  const version = (data as { arazzo?: unknown } | null)?.arazzo;
  const match = typeof version === "string" ? /^1\.([01])\.\d+(-.+)?$/.exec(version) : null;
  return match ? (`1.${match[1]}` as ArazzoVersion) : undefined;
}

const compiled = new Map<string, ValidateFunction>();
const require = createRequire(import.meta.url);

export type ValidatorKind = "full" | "withoutUniqueItems";

/** Where `npm run build` puts a validator's standalone code: beside the compiled module, in `dist/validate/`. */
export const precompiledFile = (version: ArazzoVersion, kind: ValidatorKind): URL => new URL(`./arazzo-${version}.${kind}.validator.cjs`, import.meta.url);

export const AJV_OPTIONS = { allErrors: true, strict: false, validateFormats: false };

/**
 * Once per process, and only when needed: the schemas never change while the generator runs.
 * The installed package loads Ajv's standalone code of each, written by `npm run build`
 * (`precompile.ts`): compiling the schema takes about 100 ms, a tenth of generating the seed.
 * From the sources (no such file) it compiles the schema.
 */
function schemaValidator(version: ArazzoVersion, kind: ValidatorKind): ValidateFunction {
  let validator = compiled.get(`${version} ${kind}`);
  if (!validator) {
    const file = fileURLToPath(precompiledFile(version, kind));
    validator = existsSync(file) ? (require(file) as ValidateFunction) : new Ajv2020(AJV_OPTIONS).compile(validatorSchema(version, kind));
    compiled.set(`${version} ${kind}`, validator);
  }
  return validator;
}

/** The schema a validator checks: the version's, aligned with the 1.0.1 text, `uniqueItems` left out for `withoutUniqueItems`. */
export function validatorSchema(version: ArazzoVersion, kind: ValidatorKind): Record<string, any> {
  const schema = parse(readFileSync(fileURLToPath(new URL(SCHEMA_FILES[version], import.meta.url)), "utf8")) as Record<string, any>;
  const aligned = version === "1.0" ? alignWithSpecText(schema) : schema;
  return kind === "full" ? aligned : withoutKeyword(aligned, "uniqueItems");
}

/**
 * Ajv checks `uniqueItems` with fast-deep-equal, which calls an object's own `valueOf` or
 * `toString` when it has one: a document with an output named `valueOf` would crash it. Such
 * a document is validated without `uniqueItems` (duplicate ids are still reported later).
 *
 * Ajv compares every pair of items (1,000 workflows: half a million deep comparisons), so a
 * document in which no array holds two equal items (`mayRepeatItems`) is validated without
 * `uniqueItems` too: the keyword could only add errors, and there are none to add.
 */
function validateSafely(data: unknown, version: ArazzoVersion): ValidateFunction {
  if (!mayRepeatItems(data)) {
    const withoutUniqueItems = schemaValidator(version, "withoutUniqueItems");
    withoutUniqueItems(data);
    return withoutUniqueItems;
  }
  const full = schemaValidator(version, "full");
  try {
    full(data);
    return full;
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const withoutUniqueItems = schemaValidator(version, "withoutUniqueItems");
    withoutUniqueItems(data);
    return withoutUniqueItems;
  }
}

/**
 * Whether some array in `data` may hold two equal items (equal as fast-deep-equal compares
 * them: key order aside). Items are compared by a structural hash, in one pass: equal items
 * hash alike, so "no" is certain; a "yes" may be a collision, and costs only the full check.
 */
function mayRepeatItems(data: unknown): boolean {
  let repeats = false;
  const hash = (value: unknown): number => {
    if (typeof value === "string") return hashString(value, 1);
    if (value === null || typeof value !== "object") return hashString(String(value), typeof value === "number" ? 2 : 3);
    if (Array.isArray(value)) {
      const seen = new Set<number>();
      let h = 4;
      for (const item of value) {
        const itemHash = hash(item);
        if (seen.has(itemHash)) repeats = true;
        seen.add(itemHash);
        h = Math.imul(h ^ itemHash, 0x01000193);
      }
      return h;
    }
    // Members are summed, so the order of keys does not count.
    let sum = 5;
    for (const [key, member] of Object.entries(value)) sum = (sum + Math.imul(hashString(key, 6) ^ hash(member), 0x85ebca6b)) | 0;
    return Math.imul(sum ^ (sum >>> 15), 0x2c1b3c6d);
  };
  try {
    hash(data);
  } catch (error) {
    if (error instanceof RangeError) return true; // nested too deep to walk here: let Ajv decide
    throw error;
  }
  return repeats;
}

/** FNV-1a over the UTF-16 code units of `text`, from a seed per kind of value. */
function hashString(text: string, seed: number): number {
  let h = Math.imul(0x811c9dc5 ^ seed, 0x01000193);
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

function withoutKeyword(value: any, keyword: string): any {
  if (Array.isArray(value)) return value.map((v) => withoutKeyword(v, keyword));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== keyword)
      .map(([k, v]) => [k, withoutKeyword(v, keyword)]),
  );
}

/**
 * Two places where the 2024-08-01 schema disagrees with the 1.0.1 text it describes; the
 * text wins (the 1.1 schema fixed both):
 * - retry actions: the schema requires `retryAfter` and a `stepId` or `workflowId`; the
 *   text makes both optional ("If a stepId or workflowId are specified…"). Only `goto`
 *   requires a target.
 * - a Criterion's `type` may be a Criterion Expression Type Object (`{ type: jsonpath,
 *   version: … }`); the schema applies that object's rules to the criterion itself, so
 *   no criterion with a typed `type` can pass.
 */
function alignWithSpecText(schema: Record<string, any>): Record<string, any> {
  const criterion = schema.$defs?.["criterion-object"];
  if (Array.isArray(criterion?.anyOf)) {
    const simpleTypes = criterion.anyOf[0]?.properties?.type;
    delete criterion.anyOf;
    criterion.properties = { ...criterion.properties, type: { oneOf: [simpleTypes, { $ref: "#/$defs/criterion-expression-type-object" }] } };
  }
  const failure = schema.$defs?.["failure-action-object"];
  if (Array.isArray(failure?.allOf)) {
    failure.allOf = failure.allOf
      .filter((rule: any) => rule?.if?.properties?.type?.const !== "retry")
      .map((rule: any) => {
        const types = rule?.if?.properties?.type?.enum;
        return Array.isArray(types) && types.includes("retry") ? { ...rule, if: { ...rule.if, properties: { type: { const: "goto" } } } } : rule;
      });
  }
  return schema;
}

/**
 * A valid document as the binding reads it: step ids with whitespace, and what names them,
 * rewritten (`step-ids.ts`); a 1.1 document's Selector Objects rewritten into the runtime
 * expressions they are (`selectors.ts`).
 */
export function readableDocument(doc: LoadedDocument, diagnostics: DiagnosticBag): LoadedDocument | undefined {
  const ids = rewriteSpacedStepIds(doc, diagnostics);
  if (arazzoVersion(ids.data) !== "1.1") return ids;
  return rewriteSelectors(ids, diagnostics);
}

/** Reports schema violations; returns whether the document is valid. */
export function validateAgainstSchema(doc: LoadedDocument, diagnostics: DiagnosticBag): boolean {
  const version = arazzoVersion(doc.data);
  const root = doc.data;
  if (!version && root !== null && typeof root === "object" && !Array.isArray(root) && "arazzo" in root) {
    const given = (root as { arazzo: unknown }).arazzo;
    diagnostics.error(
      "unsupported-version",
      `\`arazzo: ${typeof given === "string" ? given : JSON.stringify(given)}\` is not a version arazzo-ts reads`,
      doc.locate(["arazzo"]),
      "arazzo-ts reads Arazzo 1.0.x and 1.1.x, written as a string with its patch number: `arazzo: 1.1.0`",
    );
    return false;
  }
  // No `arazzo` field at all (or not an object): the current schema says what is missing.
  const validate = validateSafely(doc.data, version ?? "1.1");
  // Constant outputs (`count: 0`) are read as meant, with a warning (`ir/constant-outputs.ts`).
  const errors = relevantErrors(validate.errors ?? []).filter((e) => !isConstantOutputValue(doc.data, pointerToPath(e.instancePath)));
  if (!errors.length) return true;
  for (const error of errors) {
    const path = pointerToPath(error.instancePath);
    const { message, hint, at } = describe(error, path);
    diagnostics.error(
      "schema",
      message,
      doc.locate(at, error.keyword === "unevaluatedProperties" || error.keyword === "additionalProperties" ? "key" : "value"),
      hint,
    );
  }
  return false;
}

/** Whether `path` is a step's or workflow's output whose value is a number, a boolean or null. */
function isConstantOutputValue(data: unknown, path: DataPath): boolean {
  const text = path.map(String);
  const isOutput =
    (text.length === 4 && text[0] === "workflows" && text[2] === "outputs") ||
    (text.length === 6 && text[0] === "workflows" && text[2] === "steps" && text[4] === "outputs");
  if (!isOutput) return false;
  let value: unknown = data;
  for (const key of path) value = value !== null && typeof value === "object" ? (value as Record<string | number, unknown>)[key] : undefined;
  return value === null || typeof value === "number" || typeof value === "boolean";
}

/**
 * The errors worth showing: where a value failed every branch of a `oneOf`/`anyOf` (an
 * action that is neither a valid action nor a valid reference), only the branch that came
 * closest (fewest errors) is reported; then the errors at the deepest failing locations,
 * without the summaries Ajv adds above them.
 */
function relevantErrors(all: readonly ErrorObject[]): ErrorObject[] {
  let errors = [...all];
  for (const choice of all.filter((e) => e.keyword === "oneOf" || e.keyword === "anyOf")) {
    const prefix = `${choice.schemaPath.replace(/\/(oneOf|anyOf)$/, "")}/${choice.keyword}/`;
    const branches = new Map<string, ErrorObject[]>();
    for (const e of errors) {
      if (!e.schemaPath.startsWith(prefix)) continue;
      const branch = e.schemaPath.slice(prefix.length).split("/")[0]!;
      branches.set(branch, [...(branches.get(branch) ?? []), e]);
    }
    if (branches.size < 2) continue;
    const closest = [...branches.values()].sort((a, b) => a.length - b.length)[0]!;
    errors = errors.filter((e) => !e.schemaPath.startsWith(prefix) || closest.includes(e));
  }
  const concrete = errors.filter((e) => !["oneOf", "anyOf", "if", "not", "allOf"].includes(e.keyword));
  const deepest = concrete.filter((e) => !concrete.some((other) => other !== e && other.instancePath.startsWith(`${e.instancePath}/`)));
  const seen = new Set<string>();
  return (deepest.length ? deepest : errors.slice(0, 1)).filter((e) => {
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function describe(error: ErrorObject, path: DataPath): { message: string; hint?: string; at: DataPath } {
  const where = path.length ? `\`${path.join(".")}\`` : "the document";
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return { message: `${where} is missing required field \`${String(params.missingProperty)}\``, at: path };
    case "unevaluatedProperties":
    case "additionalProperties": {
      const name = String(params.unevaluatedProperty ?? params.additionalProperty);
      return { message: `${where} has unknown field \`${name}\``, hint: "extension fields must start with `x-`", at: [...path, name] };
    }
    case "type":
      return { message: `${where} must be of type ${String(params.type)}`, at: path };
    case "enum":
      return { message: `${where} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`, at: path };
    case "const":
      return { message: `${where} must be ${JSON.stringify(params.allowedValue)}`, at: path };
    case "pattern":
      return { message: `${where} must match \`${String(params.pattern)}\``, at: path };
    default:
      return { message: `${where} ${error.message ?? "is invalid"}`, at: path };
  }
}
