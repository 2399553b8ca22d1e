/**
 * Warnings for the `$ref`s the workflows' operations need but that cannot be followed
 * (OpenAPI 3.1 §4.8.23): each is located at the `$ref` in the OpenAPI file, names the
 * steps that use it and says what took its place in the types. Broken references in
 * parts no step uses are not reported: they do not reach the generated package.
 */
import path from "node:path";
import type { DiagnosticBag } from "../diagnostics.ts";
import type { DocumentModel, SourceModel } from "./types.ts";
import type { Position } from "../openapi/copy-for-types.ts";
import { pruneDocument, type Replacement } from "../openapi/prune.ts";
import { lastSegment, pointerTokens, type RefProblem } from "../openapi/refs.ts";
import { operationUses, type OperationUse } from "./operation-uses.ts";

/** Reports the broken references in the used parts of every source of `doc` (and of the Arazzo documents it names). */
export function reportUnresolvedRefs(doc: DocumentModel, diagnostics: DiagnosticBag): void {
  // One report per OpenAPI file, naming the steps of every document that uses it.
  const byFile = new Map<string, { source: SourceModel; uses: OperationUse[] }>();
  for (const { source, uses } of operationUses(doc)) {
    const entry = byFile.get(source.document.file) ?? { source, uses: [] };
    entry.uses.push(...uses);
    byFile.set(source.document.file, entry);
  }
  for (const { source, uses } of byFile.values()) {
    if (!uses.length) continue;
    const { replacements } = pruneDocument(source.document, uses);
    for (const r of replacements) {
      if (!r.usedBy.length) continue;
      const { message, hint } = describe(r, path.basename(source.document.file), path.dirname(source.document.file));
      diagnostics.warning("unresolved-reference", message, source.document.locate([...r.at, "$ref"]), hint);
    }
  }
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
