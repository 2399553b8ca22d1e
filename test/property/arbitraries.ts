/**
 * Hostile Arazzo documents for the property tests in `hostile-documents.test.ts`.
 *
 * A document is generated as a small `DocSpec` (what each step sends, what each output
 * reads), which is turned into Arazzo JSON (`arazzoDocument`) and into the requests and
 * outputs a correct run must produce (`expectedRun`). Every string a spec author controls
 * is drawn from `hostileText` / `hostileName`: comment terminators, quotes, backticks,
 * `${`, backslashes, line terminators (U+2028/9 too), `</script>`, NUL, astral characters,
 * reserved words and inherited property names, and code that sets `globalThis.__pwned`
 * if it ever runs.
 */
import fc from "fast-check";
import ts from "typescript";

// ---------------------------------------------------------------------------------------------
// Hostile material
// ---------------------------------------------------------------------------------------------

/** Text that runs code (it sets the sentinel, or exits) if pasted unescaped into a string, template or comment. */
export const INJECTIONS = [
  "${globalThis.__pwned = true}",
  '"; globalThis.__pwned = true; "',
  "'; globalThis.__pwned = true; '",
  "`; globalThis.__pwned = true; `",
  "*/ globalThis.__pwned = true; /*",
  "\nglobalThis.__pwned = true; //",
  "\u2028globalThis.__pwned = true; //",
  "\r\nglobalThis.__pwned = true;\n//",
  "</script><script>globalThis.__pwned = true</script>",
  '"); process.exit(1); ("',
  "*/ process.exit(1) /*",
  "${process.exit(1)}",
  "`+process.exit(1)+`",
  '\\"; globalThis.__pwned = true; //',
  "\\u0022; globalThis.__pwned = true; //",
] as const;

/** Pieces that break out of literals, comments and templates or confuse readers of the text. */
export const FRAGMENTS = [
  "*/",
  "/*",
  "/**",
  "//",
  "`",
  "${",
  "}",
  "{",
  "\\",
  "\\\\",
  "'",
  '"',
  "''",
  "\n",
  "\r",
  "\r\n",
  "\t",
  "\u2028",
  "\u2029",
  "\u0085",
  "</script>",
  "<!--",
  "-->",
  "\0",
  "\x7f",
  "\u00a0",
  "\ufeff",
  "\u200b",
  "\u202e",
  "\ud800",
  "😀",
  "👩‍💻",
  "𝒳",
  "@param",
  "{@link x}",
  " * @deprecated",
  "\\u0000",
  "%s",
  "%00",
  "#",
  "?",
  "&",
  "=",
  "+",
  "%",
  " ",
  "",
] as const;

/** Names that are reserved words, inherited from Object.prototype, or special to promises. */
export const RESERVED_NAMES = [
  "default",
  "class",
  "constructor",
  "__proto__",
  "prototype",
  "toString",
  "then",
  "valueOf",
  "hasOwnProperty",
  "arguments",
  "eval",
  "await",
  "yield",
  "let",
  "enum",
  "undefined",
  "NaN",
  "null",
  "true",
  "new",
  "this",
  "super",
  "import",
  "export",
  "function",
] as const;

/** Names that only identifier mangling can turn into code: digits first, separators, Unicode, empty-ish, long. */
export const ODD_NAMES = [
  "1st",
  "42",
  "0",
  "a-b",
  "aB",
  "a_b",
  "a.b",
  "a b",
  "A-B",
  "x.y",
  "x-y",
  "-",
  "_",
  "__",
  "$",
  "$x",
  "",
  " ",
  "é",
  "ß",
  "ǅ",
  "日本語",
  "Ωmega",
  "𝒳y",
  "a\u200db",
  "\u0870x",
  "\u{11f04}k",
  "\u{31350}",
  "x".repeat(200),
  "Lorem-ipsum-".repeat(16),
] as const;

const fragment = fc.constantFrom(...FRAGMENTS, ...INJECTIONS, ...RESERVED_NAMES, ...ODD_NAMES);

/** Any text a spec author could write in a description, title or literal value. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...INJECTIONS) },
  { weight: 3, arbitrary: fragment },
  { weight: 3, arbitrary: fc.array(fragment, { minLength: 2, maxLength: 4 }).map((parts) => parts.join("")) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 8 }) },
);

/** An id or key: the odd and reserved names, or any hostile text. */
export const hostileName: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...RESERVED_NAMES, ...ODD_NAMES) },
  { weight: 2, arbitrary: hostileText },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...RESERVED_NAMES, ...ODD_NAMES), fc.constantFrom(...FRAGMENTS, ...ODD_NAMES)).map(([a, b]) => a + b) },
);

/** Source description names are limited by the Arazzo schema to `[A-Za-z0-9_-]+`; these are the hostile ones within that. */
export const SOURCE_NAMES = [
  "api",
  "default",
  "class",
  "constructor",
  "__proto__",
  "prototype",
  "toString",
  "then",
  "1api",
  "_",
  "-",
  "a-b",
  "a_b",
  "aB",
  "run",
  "options",
  "signal",
  "flow",
  "workflows",
  "index",
  "runtime",
  "package",
  "x".repeat(200),
] as const;

/**
 * Query parameter names declared in the OpenAPI document. openapi-fetch does not
 * percent-encode query parameter *names*, so names with `&`, `=`, `#`, `+`, `%` or line
 * breaks cannot arrive intact whatever the generator does; these hostile names can.
 * (`constructor`, `toString` and the other `Object.prototype` members are left out: see
 * `PROTOTYPE_QUERY_NAMES`.)
 */
export const QUERY_NAMES = [
  "q",
  "__proto__",
  "class",
  "default",
  "then",
  "1st",
  "a-b",
  "a.b",
  "aB",
  "*/",
  "/*",
  "`x`",
  "${x}",
  "'x'",
  '"x"',
  "é",
  "😀",
  "x</script>",
  "a\\b",
  "x y",
  "a:b",
] as const;

/** Query parameter names that are members of `Object.prototype` in TypeScript's lib (a known bug: see the test). */
export const PROTOTYPE_QUERY_NAMES = ["constructor", "toString"] as const;

/** Header names whose meaning HTTP or the generated code fixes (the body's type, the cookie parameter's header). */
const RESERVED_HEADERS = new Set([
  "content-type",
  "content-length",
  "cookie",
  "host",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "expect",
  "te",
  "trailer",
]);

// ---------------------------------------------------------------------------------------------
// The OpenAPI document
// ---------------------------------------------------------------------------------------------

/** The one operation every step calls: the mock echoes the path parameter as `label` and the JSON body as `echo`. */
export function echoOpenApi(baseUrl: string, queryNames: readonly string[]) {
  return {
    openapi: "3.1.0",
    info: { title: "Echo */ API `${x}` </script>", version: "1", description: "*/ globalThis.__pwned = true; /*" },
    servers: [{ url: baseUrl }],
    paths: {
      "/things/{id}": {
        post: {
          operationId: "echo",
          summary: "Echo */ `${globalThis.__pwned = true}`",
          parameters: [
            { name: "id", in: "path", required: true, schema: { type: "string" } },
            ...queryNames.map((name) => ({ name, in: "query", schema: { type: "string" }, description: `query */ ${name}` })),
            { name: "X-Trace", in: "header", schema: { type: "string" } },
            { name: "session", in: "cookie", schema: { type: "string" } },
          ],
          requestBody: { content: { "application/json": { schema: { type: "object", additionalProperties: true } } } },
          responses: {
            "200": {
              description: "the echo",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    required: ["label"],
                    properties: { label: { type: "string" }, echo: { type: "object", additionalProperties: true } },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// What the expression grammar and the value syntax allow
// ---------------------------------------------------------------------------------------------

/** Whether `name` can be written in `$inputs.<name>` / `$steps.<name>.outputs.<name>` (no separators, brackets, braces, whitespace or controls). */
export function referable(name: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what the class excludes.
  return /^[^\s\x00-\x1f{}[\].#]+$/.test(name);
}

const ROOT_WORDS = /\{\$|\$(url|method|statuscode|request|response|inputs|outputs|steps|workflows|sourcedescriptions|components)/i;

/** Whether a string value is read as literal text (not as a runtime expression or `{$…}` template). */
export function literalText(text: string): boolean {
  return !ROOT_WORDS.test(text);
}

// ---------------------------------------------------------------------------------------------
// The document model
// ---------------------------------------------------------------------------------------------

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A value a step sends. */
export type ValueSpec =
  | { readonly kind: "literal"; readonly value: Json }
  | { readonly kind: "input"; readonly name: string }
  | { readonly kind: "template"; readonly parts: readonly (string | { readonly input: string })[] }
  /** `$steps.<step>.outputs.<name>` of an earlier step's label output (always present: the label is the path value). */
  | { readonly kind: "label"; readonly step: number }
  /** An object of literal values or a nested object (payloads only). */
  | { readonly kind: "object"; readonly entries: readonly (readonly [string, ValueSpec])[] }
  | { readonly kind: "array"; readonly items: readonly Json[] };

export interface InputSpec {
  readonly name: string;
  readonly required: boolean;
  readonly description?: string;
  /** String enum values, when the schema is an enum. */
  readonly enum?: readonly string[];
  /** The value the test run passes, when it passes one. */
  readonly runValue?: string;
}

export type CriterionSpec =
  | { readonly kind: "status" }
  /** `^<escaped path value>$` on `$response.body#/label`. */
  | { readonly kind: "regex" }
  /** `$response.body#/label == '<path value>'`. */
  | { readonly kind: "label-equals" }
  /** `'<text>' == '<text>'`: hostile text in a criterion that always holds. */
  | { readonly kind: "literal"; readonly text: string };

export interface StepSpec {
  readonly stepId: string;
  readonly description?: string;
  /** The path parameter: a literal, echoed back by the mock as `label`. */
  readonly pathValue: string;
  readonly query: readonly (readonly [string, ValueSpec])[];
  readonly headers: readonly (readonly [string, ValueSpec])[];
  readonly cookie?: string;
  readonly payload: readonly (readonly [string, ValueSpec])[];
  readonly criteria: readonly CriterionSpec[];
  /** The output that reads `$response.body#/label`. */
  readonly labelOutput: string;
  /** Other outputs: name → top-level payload key read back from the echo (`$response.body#/echo/<key>`). */
  readonly echoOutputs: readonly (readonly [string, string])[];
}

export type WorkflowOutputSpec = { readonly kind: "step"; readonly step: number; readonly output: string } | { readonly kind: "input"; readonly name: string };

export interface WorkflowSpec {
  readonly workflowId: string;
  readonly summary?: string;
  readonly description?: string;
  readonly inputs: readonly InputSpec[];
  readonly steps: readonly StepSpec[];
  readonly outputs: readonly (readonly [string, WorkflowOutputSpec])[];
}

export interface DocSpec {
  readonly title: string;
  readonly summary?: string;
  readonly description?: string;
  readonly version: string;
  readonly source: string;
  readonly workflows: readonly WorkflowSpec[];
}

/** What a test may leave out because it triggers a known generator bug (each is exercised by its own `test.fails`). */
export interface Avoid {
  /** `__proto__` as a key or name (payload keys, parameter, header, input and output names). */
  readonly protoKeys?: boolean;
  /** `valueOf` and `toString` as keys (of outputs, payloads, input properties). */
  readonly methodKeys?: boolean;
  /** Source description names inherited from `Object.prototype` (`constructor`, `toString`, `__proto__`). */
  readonly inheritedSourceNames?: boolean;
  /** Optional inputs named like `Object.prototype` members (`constructor`, `toString`) that the run leaves out. */
  readonly unsuppliedInheritedInputs?: boolean;
  /** Source description names equal to fields of the generated `Run` object. */
  readonly runFieldSources?: boolean;
  /** Workflow ids and source names too long to be file names once mangled (see `fitsFileName`). */
  readonly longFileNames?: boolean;
  /** Strings ending in a backslash (their literal ends in `\\"`). */
  readonly trailingBackslash?: boolean;
  /** Line breaks in the text of a `{$…}` template value. */
  readonly templateLineBreaks?: boolean;
  /** Letters this Node's Unicode tables know but TypeScript's do not (Unicode 16/17 additions such as U+088F). */
  readonly newerLetters?: boolean;
}

/** Whether `text` has a character Node's `\p{ID_Continue}` accepts but TypeScript's scanner does not. */
export function hasNewerLetters(text: string): boolean {
  return [...text].some((ch) => /\p{ID_Continue}/u.test(ch) && !ts.isIdentifierPart(ch.codePointAt(0)!, ts.ScriptTarget.ES2022));
}

/** The hostile strings a document is made of, without what `avoid` leaves out. */
export interface Material {
  readonly avoid: Avoid;
  /** Descriptions, titles, enum values, criterion text. */
  readonly text: fc.Arbitrary<string>;
  /** Literal values: text that is not read as a runtime expression. */
  readonly literal: fc.Arbitrary<string>;
  /** Names and keys: inputs, outputs, payload keys, headers. */
  readonly name: fc.Arbitrary<string>;
  /** Workflow and step ids. */
  readonly id: fc.Arbitrary<string>;
}

export function material(avoid: Avoid = {}): Material {
  const keep = (s: string) => !(avoid.trailingBackslash && s.endsWith("\\")) && !(avoid.newerLetters && hasNewerLetters(s));
  const text = hostileText.filter(keep);
  const id = hostileName.filter(keep);
  return {
    avoid,
    text,
    literal: text.filter(literalText),
    name: id.filter((n) => !(avoid.protoKeys && n === "__proto__") && !(avoid.methodKeys && (n === "valueOf" || n === "toString"))),
    id,
  };
}

/**
 * Whether a workflow id or source name, turned into a module file name (kebab case: one
 * `-` per lower→upper change at most) plus `.client.d.ts`, stays within the 255-byte limit
 * of common file systems.
 */
export function fitsFileName(name: string): boolean {
  const humps = name.match(/[a-z0-9][A-Z]/g)?.length ?? 0;
  return Buffer.byteLength(name) + humps + ".client.d.ts".length + 3 <= 255;
}

const INHERITED = new Set([...Object.getOwnPropertyNames(Object.prototype), "prototype"]);
const RUN_FIELDS = new Set(["options", "signal", "flow", "workflows"]);

export function isInheritedName(name: string): boolean {
  return INHERITED.has(name);
}

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

const uniqueNames = (name: fc.Arbitrary<string>, maxLength: number, minLength = 0, key: (s: string) => string = (s) => s) =>
  fc.uniqueArray(name, { minLength, maxLength, selector: key });

const jsonLiteral = (m: Material): fc.Arbitrary<Json> =>
  fc.oneof(
    { weight: 4, arbitrary: m.literal },
    { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })) },
    { weight: 1, arbitrary: fc.constantFrom<Json>(true, false, null) },
  );

const inputArb = (m: Material): fc.Arbitrary<InputSpec> =>
  fc
    .record({
      name: m.name,
      required: fc.boolean(),
      description: fc.option(m.text, { nil: undefined }),
      enum: fc.option(fc.uniqueArray(m.text, { minLength: 1, maxLength: 3 }), { nil: undefined }),
      supplied: fc.boolean(),
      free: m.text,
      pick: fc.nat(),
    })
    .map(({ name, required, description, enum: values, supplied, free, pick }) => ({
      name,
      required,
      ...(description !== undefined ? { description } : {}),
      ...(values ? { enum: values } : {}),
      ...(required || supplied || (m.avoid.unsuppliedInheritedInputs && isInheritedName(name))
        ? { runValue: values ? values[pick % values.length]! : free }
        : {}),
    }));

interface ValueContext {
  readonly inputs: readonly InputSpec[];
  /** Earlier steps whose label output can be referenced. */
  readonly labels: readonly number[];
}

/** A string-typed value: a literal, `$inputs.x`, a `{$inputs.x}` template, or an earlier step's output. */
function stringValue(ctx: ValueContext, m: Material): fc.Arbitrary<ValueSpec> {
  const refable = ctx.inputs.filter((i) => referable(i.name));
  const inTemplates = ctx.inputs.filter((i) => referable(i.name) && i.runValue !== undefined && i.required);
  const options: fc.Arbitrary<ValueSpec>[] = [m.literal.map((value) => ({ kind: "literal", value }))];
  if (refable.length) options.push(fc.constantFrom(...refable).map((i) => ({ kind: "input", name: i.name })));
  if (inTemplates.length) {
    const text = m.avoid.templateLineBreaks ? m.literal.filter((t) => !/[\r\n]/.test(t)) : m.literal;
    const part = fc.oneof(
      text,
      fc.constantFrom(...inTemplates).map((i) => ({ input: i.name })),
    );
    options.push(
      fc
        .array(part, { minLength: 1, maxLength: 4 })
        .filter((parts) => parts.some((p) => typeof p !== "string") && literalText(parts.map((p) => (typeof p === "string" ? p : "\u0001")).join("")))
        .map((parts) => ({ kind: "template", parts })),
    );
  }
  if (ctx.labels.length) options.push(fc.constantFrom(...ctx.labels).map((step) => ({ kind: "label", step })));
  return fc.oneof(...options);
}

function payloadValue(ctx: ValueContext, m: Material): fc.Arbitrary<ValueSpec> {
  const jsonLiteral_ = jsonLiteral(m);
  return fc.oneof(
    { weight: 3, arbitrary: stringValue(ctx, m) },
    { weight: 1, arbitrary: jsonLiteral_.map((value): ValueSpec => ({ kind: "literal", value })) },
    {
      weight: 1,
      arbitrary: fc
        .uniqueArray(fc.tuple(m.name, jsonLiteral_), { maxLength: 3, selector: ([k]) => k })
        .map((entries): ValueSpec => ({ kind: "object", entries: entries.map(([k, v]) => [k, { kind: "literal", value: v }] as const) })),
    },
    { weight: 1, arbitrary: fc.array(jsonLiteral_, { maxLength: 3 }).map((items): ValueSpec => ({ kind: "array", items })) },
  );
}

function stepArb(
  stepId: string,
  earlier: readonly { stepId: string; labelOutput: string }[],
  inputs: readonly InputSpec[],
  m: Material,
): fc.Arbitrary<StepSpec> {
  const { avoid, name } = m;
  const ctx: ValueContext = {
    inputs,
    labels: earlier.flatMap((s, i) => (referable(s.stepId) && referable(s.labelOutput) ? [i] : [])),
  };
  const headerName = fc
    .oneof(name, fc.constantFrom("X-Trace", "x-trace-2", "X-1st", "x_a.b", "__proto__", "constructor", "then", "a'b", "a`b", "a$b"))
    .filter((n) => !RESERVED_HEADERS.has(n.toLowerCase()) && (!avoid.protoKeys || n !== "__proto__"));
  const queryName = fc.constantFrom(...QUERY_NAMES).filter((n) => !avoid.protoKeys || n !== "__proto__");
  return fc
    .record({
      description: fc.option(m.text, { nil: undefined }),
      // `.` and `..` are dot segments: the URL parser resolves them away, whatever the generator does.
      pathValue: m.literal.filter((v) => v !== "." && v !== ".."),
      query: fc.uniqueArray(fc.tuple(queryName, stringValue(ctx, m)), { maxLength: 3, selector: ([n]) => n }),
      headers: fc.uniqueArray(fc.tuple(headerName, stringValue(ctx, m)), { maxLength: 3, selector: ([n]) => n.toLowerCase() }),
      cookie: fc.option(m.literal, { nil: undefined }),
      payload: fc.uniqueArray(fc.tuple(name, payloadValue(ctx, m)), { maxLength: 4, selector: ([k]) => k }),
      criteria: fc.uniqueArray(
        fc.oneof(
          fc.constant<CriterionSpec>({ kind: "status" }),
          fc.constant<CriterionSpec>({ kind: "regex" }),
          fc.constant<CriterionSpec>({ kind: "label-equals" }),
          m.text.map((text): CriterionSpec => ({ kind: "literal", text })),
        ),
        { minLength: 1, maxLength: 3, selector: (c) => c.kind },
      ),
      outputNames: uniqueNames(name, 3, 1),
      echoPick: fc.array(fc.nat(), { maxLength: 2 }),
    })
    .map(({ outputNames, echoPick, ...rest }) => {
      const [labelOutput, ...others] = outputNames as [string, ...string[]];
      const keys = rest.payload.map(([k]) => k);
      const echoOutputs = keys.length ? others.map((o, i) => [o, keys[(echoPick[i] ?? 0) % keys.length]!] as const) : [];
      return { stepId, ...rest, labelOutput, echoOutputs };
    });
}

function stepsArb(stepIds: readonly string[], inputs: readonly InputSpec[], m: Material): fc.Arbitrary<StepSpec[]> {
  // Each step may read the label output of the steps before it.
  let arb: fc.Arbitrary<StepSpec[]> = fc.constant([]);
  for (const stepId of stepIds) {
    arb = arb.chain((earlier) => stepArb(stepId, earlier, inputs, m).map((step) => [...earlier, step]));
  }
  return arb;
}

function workflowArb(workflowId: string, m: Material): fc.Arbitrary<WorkflowSpec> {
  const { name } = m;
  return fc
    .record({
      summary: fc.option(m.text, { nil: undefined }),
      description: fc.option(m.text, { nil: undefined }),
      inputs: fc.uniqueArray(inputArb(m), { maxLength: 4, selector: (i) => i.name }),
      stepIds: uniqueNames(m.id, 2, 1),
    })
    .chain(({ stepIds, ...w }) =>
      stepsArb(stepIds, w.inputs, m).chain((steps) => {
        const sources: WorkflowOutputSpec[] = [
          ...steps.flatMap((s, i) =>
            [s.labelOutput, ...s.echoOutputs.map(([o]) => o)]
              .filter((o) => referable(s.stepId) && referable(o))
              .map((output): WorkflowOutputSpec => ({ kind: "step", step: i, output })),
          ),
          ...w.inputs.filter((i) => referable(i.name)).map((i): WorkflowOutputSpec => ({ kind: "input", name: i.name })),
        ];
        const outputs = sources.length ? fc.uniqueArray(fc.tuple(name, fc.constantFrom(...sources)), { maxLength: 3, selector: ([n]) => n }) : fc.constant([]);
        return outputs.map((outputs) => ({ workflowId, ...w, steps, outputs }));
      }),
    );
}

/** A valid-shaped document: one OpenAPI source, one or two workflows of one or two steps. */
export function docArb(avoid: Avoid = {}): fc.Arbitrary<DocSpec> {
  const m = material(avoid);
  const source = fc
    .constantFrom(...SOURCE_NAMES)
    .filter((n) => (!avoid.inheritedSourceNames || !isInheritedName(n)) && (!avoid.runFieldSources || !RUN_FIELDS.has(n)));
  const workflowId = avoid.longFileNames ? m.id.filter(fitsFileName) : m.id;
  return fc
    .record({
      title: m.text,
      summary: fc.option(m.text, { nil: undefined }),
      description: fc.option(m.text, { nil: undefined }),
      version: m.text,
      source,
      workflowIds: uniqueNames(workflowId, 2, 1),
    })
    .chain(({ workflowIds, ...doc }) => fc.tuple(...workflowIds.map((id) => workflowArb(id, m))).map((workflows) => ({ ...doc, workflows })));
}

// ---------------------------------------------------------------------------------------------
// Arazzo text
// ---------------------------------------------------------------------------------------------

/** RFC 6901 escaping of one pointer token. */
export function pointerToken(token: string): string {
  return token.replaceAll("~", "~0").replaceAll("/", "~1");
}

function regexEscape(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

/** A simple-condition string literal. */
function conditionString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Builds an object from entries as own data properties (so a `__proto__` key is a key, not the prototype). */
export function objectOf<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  return Object.fromEntries(entries);
}

function valueJson(value: ValueSpec, steps: readonly StepSpec[]): Json {
  switch (value.kind) {
    case "literal":
      return value.value;
    case "input":
      return `$inputs.${value.name}`;
    case "template":
      return value.parts.map((p) => (typeof p === "string" ? p : `{$inputs.${p.input}}`)).join("");
    case "label": {
      const step = steps[value.step]!;
      return `$steps.${step.stepId}.outputs.${step.labelOutput}`;
    }
    case "object":
      return objectOf(value.entries.map(([k, v]) => [k, valueJson(v, steps)] as const));
    case "array":
      return [...value.items];
  }
}

function criterionJson(c: CriterionSpec, step: StepSpec): Json {
  switch (c.kind) {
    case "status":
      return { condition: "$statusCode == 200" };
    case "regex":
      return { context: "$response.body#/label", condition: `^${regexEscape(step.pathValue)}$`, type: "regex" };
    case "label-equals":
      return { condition: `$response.body#/label == ${conditionString(step.pathValue)}` };
    case "literal":
      return { condition: `${conditionString(c.text)} == ${conditionString(c.text)}` };
  }
}

const optional = (key: string, value: string | undefined): [string, Json][] => (value === undefined ? [] : [[key, value]]);

/** The Arazzo document as plain JSON data (own properties only, so hostile keys survive `JSON.stringify`). */
export function arazzoDocument(doc: DocSpec, openapiFile: string): Json {
  return objectOf<Json>([
    ["arazzo", "1.0.1"],
    [
      "info",
      objectOf<Json>([["title", doc.title], ...optional("summary", doc.summary), ...optional("description", doc.description), ["version", doc.version]]),
    ],
    ["sourceDescriptions", [{ name: doc.source, url: openapiFile, type: "openapi" }]],
    [
      "workflows",
      doc.workflows.map((w) =>
        objectOf<Json>([
          ["workflowId", w.workflowId],
          ...optional("summary", w.summary),
          ...optional("description", w.description),
          [
            "inputs",
            {
              type: "object",
              required: w.inputs.filter((i) => i.required).map((i) => i.name),
              properties: objectOf(
                w.inputs.map((i) => [
                  i.name,
                  objectOf<Json>([["type", "string"], ...optional("description", i.description), ...(i.enum ? [["enum", [...i.enum]] as [string, Json]] : [])]),
                ]),
              ),
            },
          ],
          [
            "steps",
            w.steps.map((s) =>
              objectOf<Json>([
                ["stepId", s.stepId],
                ...optional("description", s.description),
                ["operationId", "echo"],
                [
                  "parameters",
                  [
                    { name: "id", in: "path", value: s.pathValue },
                    ...s.query.map(([name, v]) => ({ name, in: "query", value: valueJson(v, w.steps) })),
                    ...s.headers.map(([name, v]) => ({ name, in: "header", value: valueJson(v, w.steps) })),
                    ...(s.cookie !== undefined ? [{ name: "session", in: "cookie", value: s.cookie }] : []),
                  ],
                ],
                ["requestBody", { contentType: "application/json", payload: objectOf(s.payload.map(([k, v]) => [k, valueJson(v, w.steps)] as const)) }],
                ["successCriteria", s.criteria.map((c) => criterionJson(c, s))],
                [
                  "outputs",
                  objectOf([
                    [s.labelOutput, "$response.body#/label"],
                    ...s.echoOutputs.map(([o, key]) => [o, `$response.body#/echo/${pointerToken(key)}`] as const),
                  ]),
                ],
              ]),
            ),
          ],
          [
            "outputs",
            objectOf(
              w.outputs.map(([name, o]) => [name, o.kind === "input" ? `$inputs.${o.name}` : `$steps.${w.steps[o.step]!.stepId}.outputs.${o.output}`] as const),
            ),
          ],
        ]),
      ),
    ],
  ]);
}

// ---------------------------------------------------------------------------------------------
// What a correct run does
// ---------------------------------------------------------------------------------------------

export interface ExpectedRequest {
  readonly stepId: string;
  readonly pathValue: string;
  /** Query parameters sent (absent values left out). */
  readonly query: readonly (readonly [string, string])[];
  /** Headers sent, raw values (the test normalizes them as `Headers` does). */
  readonly headers: readonly (readonly [string, string])[];
  readonly cookie?: string;
  /** The JSON body, serialized (absent values left out, as JSON.stringify does). */
  readonly body: string;
}

export interface ExpectedRun {
  readonly requests: readonly ExpectedRequest[];
  readonly outputs: Readonly<Record<string, unknown>>;
}

/** The inputs the test run passes to a workflow: own properties, so `__proto__` is an input like any other. */
export function runInputs(w: WorkflowSpec): Record<string, string> {
  return objectOf(w.inputs.flatMap((i) => (i.runValue !== undefined ? [[i.name, i.runValue] as const] : [])));
}

/** The requests and outputs of a run in which every request succeeds with the mock's echo. */
export function expectedRun(w: WorkflowSpec): ExpectedRun {
  const inputs = runInputs(w);
  const input = (name: string): string | undefined => (Object.hasOwn(inputs, name) ? inputs[name] : undefined);
  const evaluate = (v: ValueSpec): Json | undefined => {
    switch (v.kind) {
      case "literal":
        return v.value;
      case "input":
        return input(v.name);
      case "template":
        return v.parts.map((p) => (typeof p === "string" ? p : input(p.input))).join("");
      case "label":
        return w.steps[v.step]!.pathValue;
      case "object":
        return objectOf(
          v.entries.flatMap(([k, item]) => {
            const value = evaluate(item);
            return value === undefined ? [] : [[k, value] as const];
          }),
        );
      case "array":
        return [...v.items];
    }
  };
  const present = (entries: readonly (readonly [string, ValueSpec])[]) =>
    entries.flatMap(([name, v]) => {
      const value = evaluate(v);
      return value === undefined ? [] : [[name, value] as const];
    });
  const stepOutputs = w.steps.map((s) => {
    const body = objectOf(present(s.payload));
    return objectOf<unknown>([
      [s.labelOutput, s.pathValue],
      ...s.echoOutputs.map(([o, key]) => [o, Object.hasOwn(body, key) ? body[key] : undefined] as const),
    ]);
  });
  return {
    requests: w.steps.map((s) => ({
      stepId: s.stepId,
      pathValue: s.pathValue,
      query: present(s.query) as [string, string][],
      headers: present(s.headers) as [string, string][],
      ...(s.cookie !== undefined ? { cookie: s.cookie } : {}),
      body: JSON.stringify(objectOf(present(s.payload))),
    })),
    outputs: objectOf(w.outputs.map(([name, o]) => [name, o.kind === "input" ? input(o.name) : stepOutputs[o.step]![o.output]] as const)),
  };
}

// ---------------------------------------------------------------------------------------------
// Broken documents (property 1)
// ---------------------------------------------------------------------------------------------

/** Values a mutation writes somewhere in a document: wrong types, hostile text, broken expressions. */
export const hostileReplacement: fc.Arbitrary<Json | undefined> = fc.oneof(
  hostileText,
  hostileText.map((t) => `$inputs.${t}`),
  hostileText.map((t) => `$steps.${t}.outputs.${t}`),
  hostileText.map((t) => `{$response.body#/${t}}`),
  hostileText.map((t) => `$response.header.${t}`),
  hostileText.map((t) => `${t} == ${t}`),
  fc.constantFrom<Json | undefined>(undefined, null, 0, -1, 1e300, true, [], {}, [null], { "": "" }),
);

/** Every path into a JSON value (object keys and array indices). */
export function jsonPaths(value: Json, at: (string | number)[] = []): (string | number)[][] {
  const here = [at];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => jsonPaths(v, [...at, i]))];
  if (value !== null && typeof value === "object") return [...here, ...Object.keys(value).flatMap((k) => jsonPaths(value[k]!, [...at, k]))];
  return here;
}

/** A copy of `value` with the node at `path` replaced (or removed, for `undefined`). */
export function replaceAtPath(value: Json, path: readonly (string | number)[], replacement: Json | undefined): Json | undefined {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(value)) {
    const copy = [...value];
    const replaced = replaceAtPath(copy[head as number]!, rest, replacement);
    if (replaced === undefined) copy.splice(head as number, 1);
    else copy[head as number] = replaced;
    return copy;
  }
  if (value !== null && typeof value === "object") {
    return objectOf(
      Object.entries(value).flatMap(([k, v]) => {
        if (k !== head) return [[k, v] as const];
        const replaced = replaceAtPath(v, rest, replacement);
        return replaced === undefined ? [] : [[k, replaced] as const];
      }),
    );
  }
  return value;
}

export interface Mutation {
  /** Picks the node to replace, as an index into `jsonPaths` (only string leaves, when `leaf`). */
  readonly pick: number;
  /** Replace a string value (mostly keeps the document schema-valid, so the later checks see it). */
  readonly leaf: boolean;
  readonly replacement: Json | undefined;
}

export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  pick: fc.nat(),
  leaf: fc.boolean(),
  replacement: hostileReplacement,
});

/** Applies mutations one after the other. */
export function mutate(data: Json, mutations: readonly Mutation[]): Json {
  for (const m of mutations) {
    const paths = jsonPaths(data).filter((p) => p.length > 0 && (!m.leaf || typeof valueAt(data, p) === "string"));
    if (paths.length === 0) continue;
    data =
      replaceAtPath(
        data,
        paths[m.pick % paths.length]!,
        m.leaf && m.replacement !== undefined && typeof m.replacement !== "string" ? String(m.replacement) : m.replacement,
      ) ?? data;
  }
  return data;
}

function valueAt(data: Json, path: readonly (string | number)[]): Json | undefined {
  let current: Json | undefined = data;
  for (const key of path) current = current !== null && typeof current === "object" ? (current as Record<string, Json>)[key] : undefined;
  return current;
}

/** Ways to write the document's text: pretty JSON, or JSON with every non-ASCII character escaped. */
export type TextForm = "json" | "ascii-json";

export function documentText(data: Json, form: TextForm): string {
  const text = JSON.stringify(data, null, 2);
  return form === "json" ? text : text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

// ---------------------------------------------------------------------------------------------
// Colliding ids (property 4)
// ---------------------------------------------------------------------------------------------

/**
 * Ids that map to the same identifier or file name (`a-b`, `aB`, `a_b`, `A-B`, …), to a
 * name the generated code uses itself (`run`, `inputs`, `createApiClient`, `ArazzoStepError`),
 * or to each other's derived names (`a` → `aStep`, `run-a-b` → `runAB`).
 */
export const COLLIDING_IDS = [
  "a-b",
  "aB",
  "a_b",
  "a.b",
  "a b",
  "A-B",
  "AB",
  "ab",
  "x.y",
  "x-y",
  "x_y",
  "xY",
  "a",
  "a-step",
  "aStep",
  "a-b-step",
  "aBStep",
  "run",
  "Run",
  "run-a-b",
  "runAB",
  "api",
  "api-client",
  "apiClient",
  "createApiClient",
  "default",
  "constructor",
  "__proto__",
  "toString",
  "then",
  "index",
  "runtime",
  "package",
  "source",
  "send",
  "step",
  "steps",
  "inputs",
  "options",
  "outputs",
  "result",
  "unmet",
  "current",
  "outcome",
  "error",
  "1",
  "_1",
  "",
  "*/",
  "$",
  "ArazzoStepError",
  "RunOptions",
  "Narrow",
  "Promise",
  "Object",
] as const;

/** Source names (limited to `[A-Za-z0-9_-]+` by the schema) whose clients' names collide. */
export const COLLIDING_SOURCES = ["api", "api-client", "api_client", "apiClient", "Api", "run", "options", "index", "runtime", "default"] as const;

export type CollisionStep =
  | { readonly kind: "operation"; readonly stepId: string; readonly source: number; readonly marker: string; readonly output: string }
  | { readonly kind: "workflow"; readonly stepId: string; readonly workflow: number; readonly outputs: readonly (readonly [string, string])[] };

export interface CollisionWorkflow {
  readonly workflowId: string;
  readonly dependsOn: readonly number[];
  readonly steps: readonly CollisionStep[];
  /** Workflow output name → index of the step it reads and that step's output name. */
  readonly outputs: readonly (readonly [string, number, string])[];
}

export interface CollisionDoc {
  readonly sources: readonly string[];
  readonly workflows: readonly CollisionWorkflow[];
}

/** What property 4 leaves out: each is a known bug, tested on its own. */
export interface CollisionAvoid {
  /** Workflow and step ids. */
  readonly ids?: readonly string[];
  /** Source names. */
  readonly sources?: readonly string[];
  /** Step and workflow output names. */
  readonly outputNames?: readonly string[];
  /** Two source names with the same camel-case form (`api-client`, `apiClient`; `api`, `Api`). */
  readonly sameCamelSources?: boolean;
}

/** The camel-case form of a source name (`api-client`, `api_client`, `apiClient` → `apiClient`). */
export function camelForm(name: string): string {
  const joined = name.replace(/[-_]+([A-Za-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/[-_]/g, "");
  return joined.charAt(0).toLowerCase() + joined.slice(1);
}

function collisionWorkflowArb(
  index: number,
  workflowId: string,
  earlier: readonly CollisionWorkflow[],
  sourceCount: number,
  ids: readonly string[],
  avoid: CollisionAvoid,
): fc.Arbitrary<CollisionWorkflow> {
  const idsAndWorkflows = [...new Set([...ids, ...earlier.map((w) => w.workflowId), workflowId])];
  const outputName = ids.filter((id) => referable(id) && !avoid.outputNames?.includes(id));
  const stepKind = earlier.length
    ? fc.oneof(
        { weight: 3, arbitrary: fc.record({ kind: fc.constant("operation" as const), source: fc.nat(sourceCount - 1) }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant("workflow" as const), workflow: fc.nat(earlier.length - 1) }) },
      )
    : fc.record({ kind: fc.constant("operation" as const), source: fc.nat(sourceCount - 1) });
  return fc
    .record({
      stepIds: fc.uniqueArray(fc.constantFrom(...idsAndWorkflows), { minLength: 1, maxLength: 3 }),
      kinds: fc.array(stepKind, { minLength: 3, maxLength: 3 }),
      outputNames: fc.array(fc.constantFrom(...outputName), { minLength: 3, maxLength: 3 }),
      workflowOutputNames: fc.uniqueArray(fc.constantFrom(...outputName), { minLength: 3, maxLength: 3 }),
      dependsOn: fc.subarray(earlier.map((_, i) => i)),
    })
    .map(({ stepIds, kinds, outputNames, workflowOutputNames, dependsOn }) => {
      const steps = stepIds.map((stepId, j): CollisionStep => {
        const kind = kinds[j]!;
        if (kind.kind === "operation") return { kind: "operation", stepId, source: kind.source, marker: `w${index}s${j}`, output: outputNames[j]! };
        const called = earlier[kind.workflow]!;
        return { kind: "workflow", stepId, workflow: kind.workflow, outputs: called.outputs.map(([name]) => [`${name}`, name] as const).slice(0, 1) };
      });
      // Every step whose outputs can be named is read by a workflow output, so the run function keeps its result in a variable.
      const readable = steps.flatMap((s, j) => {
        if (!referable(s.stepId)) return [];
        const names = s.kind === "operation" ? [s.output] : s.outputs.map(([name]) => name);
        return names.filter(referable).map((name) => [j, name] as const);
      });
      const outputs = readable.slice(0, workflowOutputNames.length).map(([j, name], k) => [workflowOutputNames[k]!, j, name] as const);
      return { workflowId, dependsOn, steps, outputs };
    });
}

export function collisionDocArb(avoid: CollisionAvoid = {}): fc.Arbitrary<CollisionDoc> {
  const ids = COLLIDING_IDS.filter((id) => !avoid.ids?.includes(id));
  return fc
    .record({
      sources: fc.uniqueArray(fc.constantFrom(...COLLIDING_SOURCES.filter((s) => !avoid.sources?.includes(s))), {
        minLength: 1,
        maxLength: 2,
        selector: avoid.sameCamelSources ? camelForm : (s) => s,
      }),
      workflowIds: fc.uniqueArray(fc.constantFrom(...ids), { minLength: 1, maxLength: 4 }),
    })
    .chain(({ sources, workflowIds }) => {
      let arb: fc.Arbitrary<CollisionWorkflow[]> = fc.constant([]);
      workflowIds.forEach((id, i) => {
        arb = arb.chain((earlier) => collisionWorkflowArb(i, id, earlier, sources.length, ids, avoid).map((w) => [...earlier, w]));
      });
      return arb.map((workflows) => ({ sources, workflows }));
    });
}

/** The Arazzo document: every operation step calls `echo` with its marker as the path value; the mock answers `label: <marker>`. */
export function collisionDocument(doc: CollisionDoc, openapiFile: string): Json {
  const operation = (source: number) => (doc.sources.length > 1 ? `$sourceDescriptions.${doc.sources[source]}.echo` : "echo");
  return {
    arazzo: "1.0.1",
    info: { title: "Colliding ids", version: "1.0.0" },
    sourceDescriptions: doc.sources.map((name) => ({ name, url: openapiFile, type: "openapi" })),
    workflows: doc.workflows.map((w) =>
      objectOf<Json>([
        ["workflowId", w.workflowId],
        ...(w.dependsOn.length ? [["dependsOn", w.dependsOn.map((i) => doc.workflows[i]!.workflowId)] as [string, Json]] : []),
        [
          "steps",
          w.steps.map(
            (s): Json =>
              s.kind === "operation"
                ? {
                    stepId: s.stepId,
                    operationId: operation(s.source),
                    parameters: [{ name: "id", in: "path", value: s.marker }],
                    successCriteria: [{ condition: "$statusCode == 200" }],
                    outputs: objectOf([[s.output, "$response.body#/label"]]),
                  }
                : {
                    stepId: s.stepId,
                    workflowId: doc.workflows[s.workflow]!.workflowId,
                    outputs: objectOf(s.outputs.map(([name, from]) => [name, `$outputs.${from}`] as const)),
                  },
          ),
        ],
        ["outputs", objectOf(w.outputs.map(([name, j, output]) => [name, `$steps.${w.steps[j]!.stepId}.outputs.${output}`] as const))],
      ]),
    ),
  };
}

/** The outputs a run of workflow `index` returns: each reads the marker of the operation step it ends at. */
export function collisionOutputs(doc: CollisionDoc, index: number): Record<string, string> {
  const w = doc.workflows[index]!;
  const stepOutput = (step: CollisionStep, name: string): string => {
    if (step.kind === "operation") return step.marker;
    const from = step.outputs.find(([n]) => n === name)![1];
    return collisionOutputs(doc, step.workflow)[from]!;
  };
  return objectOf(w.outputs.map(([name, j, output]) => [name, stepOutput(w.steps[j]!, output)] as const));
}

// ---------------------------------------------------------------------------------------------
// Small documents for the known-bug tests
// ---------------------------------------------------------------------------------------------

/** A step that sends nothing but its path value, checks `$statusCode == 200` and reads the label. */
export function plainStep(overrides: Partial<StepSpec> = {}): StepSpec {
  return {
    stepId: "s",
    pathValue: "p",
    query: [],
    headers: [],
    payload: [],
    criteria: [{ kind: "status" }],
    labelOutput: "label",
    echoOutputs: [],
    ...overrides,
  };
}

/** One workflow `w` of the given steps (one plain step by default) over source `api`. */
export function plainDoc(overrides: { source?: string; workflow?: Partial<WorkflowSpec> } = {}): DocSpec {
  return {
    title: "t",
    version: "1.0.0",
    source: overrides.source ?? "api",
    workflows: [{ workflowId: "w", inputs: [], steps: [plainStep()], outputs: [], ...overrides.workflow }],
  };
}

/** The first characters Node's Unicode tables count as letters and TypeScript's do not (empty when both agree). */
export const NEWER_LETTERS: readonly string[] = (() => {
  const found: string[] = [];
  for (let cp = 0x80; cp <= 0x10ffff && found.length < 4; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    if (/\p{ID_Start}/u.test(ch) && !ts.isIdentifierStart(cp, ts.ScriptTarget.ES2022)) found.push(ch);
  }
  return found;
})();
