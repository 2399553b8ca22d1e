/**
 * Checks JSON Pointers into request and response bodies against their OpenAPI schemas,
 * before any code is emitted: a field the schema does not declare is one `unknown-field`
 * error at the Arazzo value, with "did you mean" from the schema's property names (instead
 * of a TypeScript error per use in generated code), unless it is read from an object schema
 * that allows other fields and is no near-miss of a declared one (`undeclared-field`, read as
 * `unknown`); a field the schema says nothing about is read as `unknown`, with a warning.
 */
import type { DiagnosticBag, SourceLocation } from "../diagnostics.ts";
import type { JsonPointer } from "../expressions/ast.ts";
import { formatJsonPointer } from "../expressions/json-pointer.ts";
import { walkSchemaPointer, type PointerWalk, type SchemaResolver } from "../openapi/schema-pointer.ts";
import { closest } from "../shared/suggest.ts";

export interface BodyPointerUse {
  /** The schema of the body the pointer reads or writes. */
  readonly schema: unknown;
  readonly resolve: SchemaResolver;
  readonly pointer: JsonPointer;
  /** How the body is named in messages: "the 201 response body of `createNote`". */
  readonly body: string;
  /** What uses the pointer: "output `noteId`", "the success criterion". */
  readonly use: string;
  /** What it does with the field: "reads" (default) or "sets". */
  readonly verb?: string;
  /** Writes the pointer back as the author would (`$response.body#/a/b`), for hints. */
  readonly spell: (pointer: JsonPointer) => string;
  /** Names a field in messages (default: its JSON Pointer, `/a/b`; a form payload's `a[b]`). */
  readonly name?: (pointer: JsonPointer) => string;
  readonly location: SourceLocation;
}

/**
 * Reports a pointer the schema rejects (error) or does not type (warning, when `warnUntyped`);
 * returns the walk so the caller can type the value.
 */
export function checkBodyPointer(use: BodyPointerUse, diagnostics: DiagnosticBag, options: { warnUntyped: boolean }): PointerWalk {
  const walk = walkSchemaPointer(use.schema, use.pointer, use.resolve);
  const field = (n: number) => (use.name ?? formatJsonPointer)(use.pointer.slice(0, n)) || "/";
  if (walk.kind === "missing") {
    const name = use.pointer[walk.at]!;
    const parent = walk.at === 0 ? use.body : `\`${field(walk.at)}\` in ${use.body}`;
    // An index into an object: the body is not the list the author thought (no near name for a number).
    const index = /^(0|[1-9]\d*)$/.test(name) && !walk.actual;
    const best = index ? undefined : closest(name, walk.known);
    const withoutIndex = [...use.pointer.slice(0, walk.at), ...use.pointer.slice(walk.at + 1)];
    const hint = index
      ? `${walk.at === 0 ? "the body" : `\`${field(walk.at)}\``} is an object, not a list${withoutIndex.length > walk.at && walk.known.includes(withoutIndex[walk.at]!) ? `: did you mean \`${use.spell(withoutIndex)}\`?` : ""}`
      : best
        ? `did you mean \`${use.spell([...use.pointer.slice(0, walk.at), best, ...use.pointer.slice(walk.at + 1)])}\`?`
        : walk.known.length
          ? `${walk.at === 0 ? "the body" : `\`${field(walk.at)}\``} has: ${walk.known
              .slice(0, 12)
              .map((k) => `\`${k}\``)
              .join(", ")}${walk.known.length > 12 ? ", …" : ""}`
          : undefined;
    // An object schema that does not close itself lists some of the fields a body may have: a
    // read of another is what the author saw come back, unless it is close to a declared name.
    if (!walk.closed && !best && !index && (use.verb ?? "reads") === "reads") {
      diagnostics.warning(
        "undeclared-field",
        `${use.use} reads \`${field(walk.at + 1)}\`, which ${parent} does not declare (its schema lists ${
          walk.known.length
            ? walk.known
                .slice(0, 8)
                .map((k) => `\`${k}\``)
                .join(", ")
            : "no fields"
        }${walk.known.length > 8 ? ", …" : ""} and allows others); it is read untyped, as \`unknown\``,
        use.location,
        `declare \`${name}\` in the schema to type it (or add \`additionalProperties: false\` if the body has no other fields)`,
      );
      return { segments: walk.segments, kind: "untyped", from: walk.at };
    }
    const what = walk.actual ? `${parent} is ${article(walk.actual)} ${walk.actual}, which has no field \`${name}\`` : `${parent} has no field \`${name}\``;
    diagnostics.error("unknown-field", `${use.use} ${use.verb ?? "reads"} \`${field(walk.at + 1)}\`, but ${what}`, use.location, hint);
  } else if (walk.kind === "untyped" && options.warnUntyped) {
    const where = `\`${field(Math.min(walk.from + 1, use.pointer.length))}\``;
    diagnostics.warning(
      "untyped-field",
      `${use.use}: the schema of ${use.body} says nothing about ${where}; it is read untyped, as \`unknown\``,
      use.location,
      "describe the field in the OpenAPI schema to type it",
    );
  }
  return walk;
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}
