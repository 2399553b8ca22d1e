/**
 * `src/response-validators.ts` of a generated package: one validator per JSON response
 * body the steps read (keyed `METHOD /path status`), compiled at generation time with Ajv's
 * standalone code from the source's API types input (the cut-down OpenAPI document), so a
 * run that turns `options.validateResponses` on compiles nothing. OpenAPI 3.0's `nullable`
 * is understood; `format` is not checked. A body whose schema Ajv cannot compile (OpenAPI
 * 3.0's boolean `exclusiveMinimum`, say) gets no validator and a warning.
 *
 * Ajv's runtime helpers (`equal`, `ucs2length`) are CommonJS `require`s in its standalone
 * output; they become imports, and the package depends on `ajv` only when it needs them.
 */
import { allModels } from "../../ir/operation-uses.ts";
import { createRequire } from "node:module";
import type { DiagnosticBag } from "../../diagnostics.ts";
import type { PackageModel } from "../../ir/types.ts";
import { stringLiteral } from "../../shared/names.ts";
import { evaluateJsonPointer, formatJsonPointer } from "../../expressions/json-pointer.ts";
import { responseSchemaPointer } from "../../openapi/operations.ts";
import { isRef, pointerTokens } from "../../openapi/refs.ts";

const require = createRequire(import.meta.url);

export interface ValidatorsModule {
  readonly text: string;
  /** `text` with Ajv's code blanked out, which its declarations are made from (`GeneratedFile.declarationsFrom`). */
  readonly declarationsFrom: string;
  /** npm packages the module imports (`ajv`, for its runtime helpers). */
  readonly dependencies: readonly string[];
}

export function responseValidatorsModule(pkg: PackageModel, diagnostics: DiagnosticBag): ValidatorsModule {
  const Ajv2020 = (require("ajv/dist/2020") as { default: new (options: object) => AjvLike }).default;
  const standaloneCode = (require("ajv/dist/standalone") as { default: (ajv: AjvLike, refs: Record<string, string>) => string }).default;
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: false, code: { source: true, esm: true, lines: true } });
  const added = new Map<string, string>();
  const exports: Record<string, string> = {};
  const compiled = new Map<string, string>();
  // Validator ids are never reused: a schema Ajv failed to compile keeps its id registered.
  let nextId = 0;
  const broken = new Set<string>();
  // Property names the schemas declare: the only pointer tokens an error may name (a key of
  // an `additionalProperties` map is data, an IBAN say, and is shown as `*`).
  const propertyNames = new Set<string>();
  const owner = new Map<string, string>();
  const clashes = new Set<string>();
  const models = allModels(pkg.document);
  for (const step of models.flatMap((m) => m.workflows.flatMap((w) => w.steps))) {
    if (step.kind !== "operation" || step.parseAs !== "json") continue;
    const input = pkg.apiTypes.get(step.source.moduleName);
    if (!input) continue;
    // Ajv keys its schemas in a plain object: a key of our own, not a name from the document.
    const schemaKey = added.get(step.source.moduleName) ?? `source${added.size}`;
    if (!added.has(step.source.moduleName)) {
      added.set(step.source.moduleName, schemaKey);
      try {
        ajv.addSchema(input.document, schemaKey);
        collectPropertyNames(input.document, propertyNames);
      } catch (error) {
        // Two schemas with one `$id`, say: this source's responses are not validated.
        diagnostics.warning(
          "unvalidated-response",
          `the responses of source \`${step.source.name}\` cannot be validated: ${(error as Error).message.split("\n")[0]}`,
          input.location,
          "options.validateResponses skips them",
        );
        broken.add(schemaKey);
      }
    }
    if (broken.has(schemaKey)) continue;
    for (const body of step.responseBodies) {
      const key = `${step.operation.method.toUpperCase()} ${step.operation.path} ${body.status}`;
      const schemaPointer = followedPointer(input.document, responseSchemaPointer(step.operation, body.status, body.mediaType));
      const ref = `${schemaKey}#${formatJsonPointer(schemaPointer)}`;
      const previous = owner.get(key);
      if (previous !== undefined) {
        if (previous !== ref) clashes.add(key);
        continue;
      }
      owner.set(key, ref);
      // Responses with the same schema text in one document share a validator (a large API
      // repeats the same inline schema or `$ref` across many operations).
      const same = `${step.source.moduleName} ${JSON.stringify(evaluateJsonPointer(input.document, schemaPointer))}`;
      const shared = compiled.get(same);
      if (shared) {
        exports[key] = shared;
        continue;
      }
      const id = `v${nextId++}`;
      try {
        ajv.compile({ $id: id, $ref: ref });
        exports[key] = id;
        compiled.set(same, id);
      } catch (error) {
        // A `$ref` into another file is not in the cut-down document Ajv has: such bodies are not validated (README).
        if (/can't resolve reference (?!#)/.test((error as Error).message)) continue;
        diagnostics.warning(
          "unvalidated-response",
          `the ${body.status} response of \`${key.split(" ").slice(0, 2).join(" ")}\` cannot be validated: ${(error as Error).message.split("\n")[0]}`,
          step.location,
          "options.validateResponses skips this response; fix its schema to have it checked",
        );
      }
    }
  }
  // Two sources with the same method and path: a key would not say which one answered.
  for (const key of clashes) delete exports[key];
  const ids = [...new Set(Object.values(exports))];
  const code = ids.length ? standaloneCode(ajv, Object.fromEntries(ids.map((id) => [id, id]))) : "";
  const helpers = [...new Set([...code.matchAll(/require\("(ajv\/dist\/runtime\/[a-z0-9]+)"\)/gi)].map((m) => m[1]!))];
  // Ajv exports each validator (`export const v0 = validate20;`); only `validators` uses them, and the
  // module's declarations are then its own (`declarations.ts`), not the inferred types of Ajv's functions.
  const body = helpers.reduce(
    (text, helper, i) => text.replaceAll(`require("${helper}")`, `ajvRuntime${i}`),
    code.replace(/^"use strict";/, "").replace(/^export const (\w+) = /gm, "const $1 = "),
  );
  const head = [
    "// @ts-nocheck: Ajv's standalone code, compiled from the API descriptions' response schemas.",
    ...helpers.map((helper, i) => `import ajvRuntime${i} from ${stringLiteral(`${helper}.js`)};`),
  ].join("\n");
  const tail = [
    "",
    "/** The validator of each JSON response body the workflows read, by `METHOD /path status`. */",
    `const validators: Record<string, ((body: unknown) => boolean) & { errors?: { instancePath: string; keyword: string; message?: string }[] | null }> = {`,
    ...Object.entries(exports).map(([key, id]) => `  ${stringLiteral(key)}: ${id},`),
    "};",
    "",
    "/** Property names the schemas declare; any other token of a pointer is data and shown as `*`. */",
    `const NAMES = new Set<string>(${JSON.stringify([...propertyNames].sort())});`,
    "",
    "/** What `validateResponse` returns for a response it has no validator for. */",
    'export const NO_VALIDATOR = "no validator";',
    "",
    "/** Why `body` does not fit the schema of the response `key`: the JSON pointer and the rule, never the value; undefined when it fits. */",
    "export function validateResponse(key: string, body: unknown): string | undefined {",
    "  const validate = Object.hasOwn(validators, key) ? validators[key] : undefined;",
    "  if (!validate) return NO_VALIDATOR;",
    "  if (validate(body)) return undefined;",
    "  const error = validate.errors?.[0];",
    "  const pointer = error?.instancePath",
    '    .split("/")',
    '    .map((token, i) => (i === 0 || /^\\d+$/.test(token) || NAMES.has(token.replace(/~1/g, "/").replace(/~0/g, "~")) ? token : "*"))',
    '    .join("/");',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a line of generated code, a template literal there
    '  return error ? `\\`${pointer || "/"}\\` ${error.message ?? "is invalid"} (${error.keyword})` : "the body does not fit its schema";',
    "}",
    "",
  ].join("\n");
  // Nothing exported reads Ajv's code (the validators' type is written out): the declarations
  // come the same from the text without it, and Ajv's code is most of a large API's module.
  const blank = body.replace(/[^\n]/g, " ");
  return { text: `${head}\n${body}\n${tail}`, declarationsFrom: `${head}\n${blank}\n${tail}`, dependencies: helpers.length ? ["ajv"] : [] };
}

interface AjvLike {
  addSchema(schema: object, key: string): void;
  compile(schema: object): unknown;
}

/**
 * Where `pointer` leads in `document` once the local `$ref`s on its way are followed (a
 * response shared through `components/responses`, a media type by `$ref`): Ajv follows none
 * in the middle of a pointer. A `$ref` at its end is left to Ajv.
 */
function followedPointer(document: unknown, pointer: readonly string[]): string[] {
  let at: string[] = [];
  let node = document;
  for (const token of pointer) {
    for (let hops = 0; isRef(node) && node.$ref.startsWith("#/") && hops < 32; hops++) {
      at = pointerTokens(node.$ref);
      node = evaluateJsonPointer(document, at);
    }
    at = [...at, token];
    node = evaluateJsonPointer(node, [token]);
  }
  return at;
}

/** Every key of a `properties` object anywhere in a JSON document. */
function collectPropertyNames(node: unknown, names: Set<string>, depth = 0): void {
  if (node === null || typeof node !== "object" || depth > 200) return;
  if (Array.isArray(node)) {
    for (const item of node) collectPropertyNames(item, names, depth + 1);
    return;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === "properties" && value !== null && typeof value === "object" && !Array.isArray(value)) for (const name of Object.keys(value)) names.add(name);
    collectPropertyNames(value, names, depth + 1);
  }
}
