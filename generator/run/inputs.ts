/**
 * The inputs of each workflow `arazzo-ts run` runs, from the command line: `--inputs <file>`
 * (a JSON object of inputs, or of inputs per workflowId), then `--input <name>=<value>` (parsed
 * as JSON unless the input's schema says it is a string), with `env:<VAR>` anywhere a value is
 * written reading the environment (secrets stay out of shell history and files), and on the
 * mocks the package's example inputs under them. Each workflow's inputs are validated against
 * its `inputs` JSON Schema (Arazzo 1.0.1 §"Workflow Object"; JSON Schema 2020-12, Ajv) before
 * anything runs: every problem at once.
 */
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { closest } from "../shared/suggest.ts";
import { fromEnvironment } from "./flag-values.ts";

/** A workflow's inputs schema, as the Arazzo document writes it, and where it is. */
export interface InputsSchema {
  readonly workflowId: string;
  /** The Arazzo document's data (its `$ref`s resolve against it). */
  readonly document: unknown;
  /** The workflow's index in `workflows`. */
  readonly index: number;
  /** Inputs given before any flag (on the mocks, the package's example inputs). */
  readonly example?: Readonly<Record<string, unknown>>;
}

/** What the command line says about inputs. */
export interface InputFlags {
  /** `--input <name>=<value>`, in order. */
  readonly input: readonly string[];
  /** `--inputs <file>`. */
  readonly inputsFile?: string;
}

export interface ResolvedInputs {
  /** The inputs of each run, in the order of the schemas (a workflowId may be in two documents). */
  readonly inputs: readonly Record<string, unknown>[];
  /** Names of inputs whose values came from the environment: treated as secrets. */
  readonly fromEnvironment: ReadonlySet<string>;
  /** Problems, each a line: nothing runs when there are some. */
  readonly problems: readonly string[];
}

export function resolveInputs(
  schemas: readonly InputsSchema[],
  flags: InputFlags,
  options: {
    /** Every workflowId of the documents: the keys a file of inputs per workflow may use (those not run are left). */
    readonly workflowIds: ReadonlySet<string>;
    readonly env?: NodeJS.ProcessEnv;
    readonly cwd: string;
  },
): ResolvedInputs {
  const problems: string[] = [];
  const secret = new Set<string>();
  const properties = (s: InputsSchema) => inputProperties(s);
  const declared = new Set(schemas.flatMap((s) => Object.keys(properties(s))));
  const ids = options.workflowIds;
  const env = options.env ?? process.env;

  // `env:` in a string anywhere in an input's value (the whole input is then a secret).
  const resolveEnv = (value: unknown, where: string, input: string): unknown => {
    if (typeof value === "string") {
      if (value.startsWith("env:")) secret.add(input);
      return fromEnvironment(value, where, problems, env);
    }
    if (Array.isArray(value)) return value.map((v, i) => resolveEnv(v, `${where}[${i}]`, input));
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveEnv(v, `${where}.${k}`, input)]));
    return value;
  };
  const resolveInputsEnv = (values: Record<string, unknown>, where: string): Record<string, unknown> =>
    Object.fromEntries(Object.entries(values).map(([name, value]) => [name, resolveEnv(value, `${where} ${name}`, name)]));

  let shared: Record<string, unknown> = {};
  const perWorkflow = new Map<string, Record<string, unknown>>();
  if (flags.inputsFile !== undefined) {
    let data: unknown;
    let text: string | undefined;
    try {
      text = readFileSync(flags.inputsFile, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      problems.push(`--inputs ${flags.inputsFile}: ${code === "ENOENT" ? "no such file" : `cannot be read (${code ?? "error"})`}`);
    }
    if (text !== undefined) {
      try {
        data = JSON.parse(text);
      } catch (error) {
        // Where, never what: the parser's message quotes the file, which may hold secrets.
        problems.push(`--inputs ${flags.inputsFile}: not JSON${jsonErrorPlace(text, error)}`);
      }
    }
    if (data !== undefined && (typeof data !== "object" || data === null || Array.isArray(data))) {
      problems.push(`--inputs ${flags.inputsFile}: must hold a JSON object (of inputs, or of inputs per workflowId)`);
    } else if (data) {
      const entries = Object.entries(data as Record<string, unknown>);
      const byWorkflow = entries.length > 0 && entries.every(([k, v]) => ids.has(k) && v !== null && typeof v === "object" && !Array.isArray(v));
      if (byWorkflow) {
        for (const [id, value] of entries) perWorkflow.set(id, resolveInputsEnv(value as Record<string, unknown>, `--inputs ${id}:`));
      } else {
        shared = resolveInputsEnv(data as Record<string, unknown>, "--inputs");
        for (const name of Object.keys(shared)) {
          if (!declared.has(name)) problems.push(`--inputs: no workflow run here has an input \`${name}\`${hint(name, declared)}`);
        }
      }
    }
  }

  const given: [string, string][] = [];
  for (const flag of flags.input) {
    const at = flag.indexOf("=");
    if (at <= 0) {
      problems.push(`--input takes <name>=<value>, not ${JSON.stringify(flag)}`);
      continue;
    }
    const name = flag.slice(0, at);
    if (!declared.has(name)) {
      problems.push(`--input ${name}: no workflow run here has an input \`${name}\`${hint(name, declared)}`);
      continue;
    }
    const raw = fromEnvironment(flag.slice(at + 1), `--input ${name}`, problems, env);
    if (flag.slice(at + 1).startsWith("env:")) secret.add(name);
    if (raw !== undefined) given.push([name, raw]);
  }

  const inputs: Record<string, unknown>[] = [];
  for (const schema of schemas) {
    const props = properties(schema);
    const values: Record<string, unknown> = { ...schema.example };
    for (const [name, value] of Object.entries(shared)) if (Object.hasOwn(props, name)) values[name] = value;
    Object.assign(values, perWorkflow.get(schema.workflowId) ?? {});
    for (const [name, raw] of given) if (Object.hasOwn(props, name)) values[name] = parsed(raw, props[name]);
    inputs.push(values);
    problems.push(...validate(schema, values));
  }
  return { inputs, fromEnvironment: secret, problems };
}

/** ` (line L, column C)` of a JSON syntax error, when the parser says where. */
function jsonErrorPlace(text: string, error: unknown): string {
  const message = (error as Error).message;
  const at = /position (\d+)/.exec(message);
  const line = /line (\d+) column (\d+)/.exec(message);
  if (line) return ` (line ${line[1]}, column ${line[2]})`;
  if (!at) return /end of JSON input/.test(message) ? " (it ends too soon)" : "";
  const before = text.slice(0, Number(at[1])).split("\n");
  return ` (line ${before.length}, column ${before.at(-1)!.length + 1})`;
}

function hint(name: string, known: ReadonlySet<string>): string {
  const close = closest(name, [...known]);
  return close ? ` (did you mean \`${close}\`?)` : "";
}

/** The `properties` of a workflow's inputs schema (one `$ref` to `components.inputs` followed). */
export function inputProperties(schema: InputsSchema): Record<string, unknown> {
  const workflow = (schema.document as { workflows?: { inputs?: Record<string, unknown> }[] })?.workflows?.[schema.index];
  let inputs = workflow?.inputs as Record<string, unknown> | undefined;
  const ref = typeof inputs?.$ref === "string" ? /^#\/components\/inputs\/(.+)$/.exec(inputs.$ref) : null;
  if (ref)
    inputs = (schema.document as { components?: { inputs?: Record<string, Record<string, unknown>> } })?.components?.inputs?.[
      ref[1]!.replace(/~1/g, "/").replace(/~0/g, "~")
    ];
  const props = inputs?.properties;
  return props && typeof props === "object" ? (props as Record<string, unknown>) : {};
}

/** A command-line value: text when the input's schema says string (or nothing), else the JSON it spells. */
function parsed(raw: string, schema: unknown): unknown {
  const type = (schema as { type?: unknown } | undefined)?.type;
  const types = Array.isArray(type) ? type : type === undefined ? [] : [type];
  if (types.length === 0 || (types.length === 1 && types[0] === "string")) return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Problems of `values` against the workflow's inputs schema, one line each, naming the input. */
function validate(schema: InputsSchema, values: Record<string, unknown>): string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(schema.document as object, "arazzo");
  let check: ReturnType<typeof ajv.compile>;
  try {
    check = ajv.compile({ $ref: `arazzo#/workflows/${schema.index}/inputs` });
  } catch (error) {
    return [`workflow \`${schema.workflowId}\`: its inputs schema cannot be used to check the inputs (${(error as Error).message})`];
  }
  if (check(values)) return [];
  return (check.errors ?? []).map((e) => {
    const missing = e.keyword === "required" ? (e.params as { missingProperty?: string }).missingProperty : undefined;
    const where = missing !== undefined ? `input \`${missing}\`` : e.instancePath ? `input \`${e.instancePath.slice(1).replace(/\//g, ".")}\`` : "the inputs";
    const what = missing !== undefined ? "is required (--input or --inputs)" : (e.message ?? "is not valid");
    return `workflow \`${schema.workflowId}\`: ${where} ${what}`;
  });
}
