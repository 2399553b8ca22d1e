/**
 * The inputs of a package's API types (`ApiTypeInput`), one per OpenAPI file its workflows
 * use: each file is cut down once (`openapi/prune.ts`) to the operations the steps call and
 * what they reach by `$ref`, or kept whole with `allOperations`.
 *
 * The same cut finds the `$ref`s those operations need but that cannot be followed (OpenAPI
 * 3.1 §4.8.23): each is a warning located at the `$ref` in the OpenAPI file, naming the steps
 * that use it and saying what took its place in the types. Broken references in parts no
 * step uses are not reported: they do not reach the generated package.
 */
import path from "node:path";
import type { DiagnosticBag } from "../diagnostics.ts";
import type { LoadedDocument } from "../load/document.ts";
import type { Position } from "../openapi/copy-for-types.ts";
import { pruneDocument, type Malformed, type Replacement } from "../openapi/prune.ts";
import { lastSegment, pointerTokens, type RefProblem } from "../openapi/refs.ts";
import type { LoadedSources } from "../openapi/sources.ts";
import { messageTypeKey } from "./message-step.ts";
import { allModels, operationUses, type OperationUse, type SourceUses } from "./operation-uses.ts";
import type { ApiTypeInput, DocumentModel } from "./types.ts";

/**
 * The type inputs of every source of `doc` and of the Arazzo documents it names, by the
 * source's `moduleName` (unique in the package); reports the broken references in their
 * used parts, once per OpenAPI file. `loaded` are the sources `doc` was bound with.
 */
export function apiTypeInputs(
  doc: DocumentModel,
  loaded: LoadedSources,
  diagnostics: DiagnosticBag,
  options: { readonly allOperations?: boolean } = {},
): Map<string, ApiTypeInput> {
  const documents = new Map<string, LoadedDocument>();
  const collect = (sources: LoadedSources): void => {
    for (const s of sources.loaded) documents.set(s.document.file, s.document);
    for (const a of sources.arazzo) collect(a.sources);
  };
  collect(loaded);
  const byFile = new Map<string, SourceUses[]>();
  for (const uses of operationUses(doc)) byFile.set(uses.source.file, [...(byFile.get(uses.source.file) ?? []), uses]);

  const inputs = new Map<string, ApiTypeInput>();
  for (const [file, sources] of byFile) {
    const document = documents.get(file);
    if (!document) continue;
    // The warnings name the steps of every document that uses the file; the common case, one
    // source per file, cuts it once for both.
    const all = pruneDocument(
      document,
      sources.flatMap((s) => s.uses),
    );
    for (const r of all.replacements) {
      if (!r.usedBy.length) continue;
      const { message, hint } = describe(r, path.basename(file), path.dirname(file));
      diagnostics.warning("unresolved-reference", message, document.locate([...r.at, "$ref"]), hint);
    }
    for (const m of all.malformed) {
      if (!m.usedBy.length) continue;
      const { message, hint } = describeMalformed(m, document.data);
      diagnostics.error("invalid-openapi", message, document.locate(m.at), hint);
    }
    for (const { source, uses } of sources) {
      const typed = options.allOperations ? pruneDocument(document, [], { whole: true }) : sources.length === 1 ? all : pruneDocument(document, uses);
      inputs.set(source.moduleName, { file, document: typed.document, location: document.locate([]) });
    }
  }
  for (const input of messageTypeInputs(doc, loaded)) inputs.set(input.moduleName, input.input);
  return inputs;
}

/**
 * The types of the messages of each AsyncAPI source a message step uses (Arazzo 1.1): an
 * OpenAPI document with no paths whose `components.schemas` are the AsyncAPI description's
 * own (so its `#/components/schemas/…` references resolve alike) and one schema per message
 * payload and headers, keyed `<message>/payload` and `<message>/headers`
 * (`ir/message-step.ts`). A type generator types it as it types any OpenAPI schema.
 */
function messageTypeInputs(doc: DocumentModel, loaded: LoadedSources): { moduleName: string; input: ApiTypeInput }[] {
  const asyncByName = new Map<string, LoadedSources["async"][number]>();
  const collect = (sources: LoadedSources): void => {
    for (const s of sources.async) asyncByName.set(s.document.file, s);
    for (const a of sources.arazzo) collect(a.sources);
  };
  collect(loaded);
  const out: { moduleName: string; input: ApiTypeInput }[] = [];
  const steps = allModels(doc).flatMap((m) => m.workflows.flatMap((w) => w.steps));
  for (const source of new Map(steps.flatMap((s) => (s.kind === "message" ? [[s.source.moduleName, s.source] as const] : []))).values()) {
    const found = asyncByName.get(source.file);
    if (!found) continue;
    const data = (found.document.data ?? {}) as Record<string, any>;
    const schemas: Record<string, unknown> = { ...(data.components?.schemas ?? {}) };
    const messages = [
      ...[...found.index.channels.values()].flatMap((c) => c.messages),
      ...[...found.index.operations.values()].flatMap((o) => [...o.messages, ...(o.reply?.messages ?? [])]),
    ];
    for (const message of messages) {
      if (message.payload !== undefined) schemas[messageTypeKey(message, "payload")] = message.payload;
      if (message.headers !== undefined) schemas[messageTypeKey(message, "headers")] = message.headers;
    }
    const document = {
      openapi: "3.1.0",
      info: { title: String(data.info?.title ?? source.name), version: String(data.info?.version ?? "0") },
      paths: {},
      components: { schemas },
    };
    out.push({ moduleName: source.moduleName, input: { file: source.file, document, location: found.document.locate([]) } });
  }
  return out;
}

const NOUNS: Record<Position, string> = {
  schema: "a schema",
  mediaType: "a schema",
  mapping: "a schema",
  parameter: "a parameter",
  requestBody: "a request body",
  response: "a response",
  header: "a header",
  pathItem: "a path item",
  operation: "an operation",
  securityScheme: "a security scheme",
};

const CONSEQUENCES: Record<Position, string> = {
  schema: "it is typed `unknown` there",
  mediaType: "it is typed `unknown` there",
  response: "that response is typed without a body there",
  parameter: "the parameter is left out there",
  requestBody: "the request body is left out there",
  header: "the header is left out there",
  mapping: "the discriminator mapping entry is left out there",
  pathItem: "it is left out there",
  operation: "it is left out there",
  securityScheme: "it is left out there",
};

/** The message and hint for one replacement, `file` being the OpenAPI file's name and `dir` its folder. */
function describe(r: Replacement<OperationUse>, file: string, dir: string): { message: string; hint: string } {
  const steps = [...new Set(r.usedBy.flatMap((u) => u.steps))];
  const shown = steps.length > 5 ? `${steps.slice(0, 4).map(code).join(", ")} and ${steps.length - 4} more` : steps.map(code).join(", ");
  const who = steps.length === 1 ? `step ${shown} uses it` : `steps ${shown} use it`;
  return { message: `${what(r.problem, file, dir, NOUNS[r.position])}; ${who}, so ${CONSEQUENCES[r.position]}`, hint: hint(r.problem, file) };
}

/** What each position holds, for `invalid-openapi` (OpenAPI 3.1 §4.8). */
const OBJECTS: Record<Position, string> = {
  schema: "Schema Object",
  mediaType: "Media Type Object",
  mapping: "schema name or reference",
  parameter: "Parameter Object",
  requestBody: "Request Body Object",
  response: "Response Object",
  header: "Header Object",
  pathItem: "Path Item Object",
  operation: "Operation Object",
  securityScheme: "Security Scheme Object",
};

/** "`schema` is a number, not a Schema Object; step `read` uses it", with the form it needs. */
function describeMalformed(m: Malformed<OperationUse>, data: unknown): { message: string; hint: string } {
  const steps = [...new Set(m.usedBy.flatMap((u) => u.steps))];
  const shown = steps.length > 5 ? `${steps.slice(0, 4).map(code).join(", ")} and ${steps.length - 4} more` : steps.map(code).join(", ");
  const who = steps.length === 1 ? `step ${shown} uses it` : `steps ${shown} use it`;
  const last = m.at[m.at.length - 1];
  const name = typeof last === "number" ? `${String(m.at[m.at.length - 2] ?? "")}[${last}]` : String(last ?? "");
  const object = OBJECTS[m.position];
  const wanted = m.container ? `a ${m.container} of ${object}s` : `${/^[AEIOU]/.test(object) ? "an" : "a"} ${object}`;
  const value = m.at.reduce<unknown>((node, key) => (node !== null && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), data);
  const found = value === null ? "null" : Array.isArray(value) ? "a list" : typeof value === "object" ? "an object" : `a ${typeof value}`;
  const example = m.position === "schema" && !m.container ? " (an object such as `{ type: string }`, or `true` or `false`)" : "";
  return { message: `${code(name)} is ${found}, not ${wanted}; ${who}`, hint: `write ${wanted} there${example}, or remove it` };
}

function what(problem: RefProblem, file: string, dir: string, noun: string): string {
  const ref = code(problem.ref);
  switch (problem.kind) {
    case "missing":
      return problem.missing === problem.ref
        ? `${ref} does not exist in ${code(file)}`
        : `${ref} leads to ${code(problem.missing)}, which does not exist in ${code(file)}`;
    case "circular": {
      const names = [...problem.cycle, problem.cycle[0]!].map((r) => code(lastSegment(r))).join(" → ");
      if (problem.cycle.length === 1 && problem.cycle[0] === problem.ref) return `${ref} refers to itself`;
      return problem.cycle.includes(problem.ref)
        ? `${ref} is circular: ${names} never resolves to ${noun}`
        : `${ref} leads to a circle: ${names} never resolves to ${noun}`;
    }
    case "no-file": {
      const shown = code(path.relative(dir, problem.file).split(path.sep).join("/"));
      return problem.missing === problem.ref
        ? `${ref} refers to ${shown}, which does not exist`
        : `${ref} leads to ${code(problem.missing)}, whose file ${shown} does not exist`;
    }
  }
}

function hint(problem: RefProblem, file: string): string {
  switch (problem.kind) {
    case "missing": {
      if (problem.suggestion) return `did you mean ${code(problem.suggestion)}?`;
      const tokens = pointerTokens(problem.missing);
      return tokens.length === 3 && tokens[0] === "components"
        ? `add ${code(tokens[2]!)} to components.${tokens[1]}, or fix the $ref`
        : "fix the $ref, or add what it points at";
    }
    case "circular":
      return "give one of them a definition instead of a $ref, or fix the $ref";
    case "no-file":
      return `add the file, or fix the $ref (a relative $ref is resolved against the folder of ${code(file)})`;
  }
}

function code(text: string): string {
  return `\`${text}\``;
}
