/**
 * Mutation fuzzing (issue 22): real documents broken at random, checked with `validate()`.
 *
 * The documents are the Fintecture ones (`specs/fintecture/`), `specs/examples/`, the
 * Arazzo documents of `test/fixtures/`, and the real-world corpus (`../shared/corpus/`)
 * when it is beside the checkout. A case takes one of them, parses it (and its local
 * source descriptions) with `yaml`, applies one to three mutations to the data (a key
 * removed or renamed, a value replaced by a hostile or wrongly typed one, a reference to
 * an operation, step, workflow, source or `$ref` broken, a `goto` sent elsewhere, an
 * expression broken; now and then one of its OpenAPI or AsyncAPI documents mutated the
 * same ways, near the operations the document uses, or its text cut), and writes the
 * result into a folder that mirrors the document's own: the mutated files written, every
 * other entry a symbolic link to the original, so relative `url`s and `$ref`s still reach
 * their files.
 *
 * The property (`checkCase`): `validate()` resolves (a throw is what the CLI reports as an
 * internal error, exit 3), every diagnostic has a file that exists, a line and a column,
 * a kebab-case code, a message without a stack trace, and no case takes more CPU time than
 * `SLOW_MS`. Optionally, a case that validates is also generated in memory (emit and
 * type-check), with the same checks.
 *
 * Every case is a pure function of (fuzz seed, case index, the set of seed documents): a
 * small seeded generator (mulberry32), no clock and no global randomness, so a failure is
 * reproduced by its seed and index (`node --import tsx bench/fuzz.mjs --seed S --case I --keep`).
 * Used by `mutated-documents.test.ts` (a bounded count in `npm test`) and `bench/fuzz.mjs` (the long run).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse, stringify } from "yaml";
import type { Diagnostic } from "../../generator/diagnostics.ts";
import { validate } from "../../generator/analyze.ts";
import { CORPUS } from "../helpers/shared.mjs";

export { CORPUS, CORPUS_MISSING, warnWithoutCorpus } from "../helpers/shared.mjs";

const ROOT = path.resolve(import.meta.dirname, "../..");
/**
 * A case that takes more CPU time than this is a failure (a blow-up on a hostile value). CPU
 * time of this process, not the clock: a busy machine makes cases slower, not failures.
 */
export const SLOW_MS = 20_000;

// ---------------------------------------------------------------------------------------------
// Seeded randomness
// ---------------------------------------------------------------------------------------------

export interface Rng {
  /** In [0, 1). */
  float(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32: small, fast, and the same sequence on every platform. */
export function prng(seed: number): Rng {
  let a = seed >>> 0;
  const float = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(float() * n);
  return { float, int, chance: (p) => float() < p, pick: (items) => items[int(items.length)]! };
}

/** The generator of case `index` under `seed`: independent of every other case. */
export function caseRng(seed: number, index: number): Rng {
  const rng = prng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  rng.float(); // the first value of nearby seeds is correlated
  return rng;
}

// ---------------------------------------------------------------------------------------------
// Seed documents
// ---------------------------------------------------------------------------------------------

export interface SeedDocument {
  /** `fintecture/arazzo/x.yml`, `corpus/asana/arazzo/y.yml`: stable, for reports. */
  readonly label: string;
  /** The folder mirrored into each case (every file the document reaches is under it). */
  readonly base: string;
  /** The Arazzo document, relative to `base` (`/` separators). */
  readonly document: string;
  /** Its source descriptions that are local files under `base`, relative to `base`. */
  readonly sources: readonly string[];
  /** Size of the document and those sources, in bytes. */
  readonly bytes: number;
}

export interface SeedOptions {
  /** Include `../shared/corpus` when it is there (default true). */
  readonly corpus?: boolean;
  /** Leave out documents whose files add up to more than this (the 2 MB provider documents slow a bounded run). */
  readonly maxBytes?: number;
}

/** The documents mutations start from, in a fixed order. */
export function seedDocuments(options: SeedOptions = {}): SeedDocument[] {
  const seeds: SeedDocument[] = [];
  const add = (group: string, base: string, document: string) => {
    const seed = seedDocument(group, base, document);
    if (seed && seed.bytes <= (options.maxBytes ?? Number.POSITIVE_INFINITY)) seeds.push(seed);
  };
  for (const doc of arazzoFilesUnder(path.join(ROOT, "specs/fintecture"))) add("fintecture", path.join(ROOT, "specs/fintecture"), doc);
  for (const doc of arazzoFilesUnder(path.join(ROOT, "specs/examples"))) add("examples", path.join(ROOT, "specs/examples"), doc);
  // Not the specification's schema tests (`test/fixtures/spec/`): a few lines each, 27 of them invalid on purpose (the fuzz set stays what it was).
  for (const doc of arazzoFilesUnder(path.join(ROOT, "test/fixtures")).filter((f) => !f.startsWith("spec/"))) {
    add("fixtures", path.join(ROOT, "test/fixtures"), doc);
  }
  if (options.corpus !== false && CORPUS) {
    const rows = readFileSync(path.join(CORPUS, "index.tsv"), "utf8").trim().split("\n").slice(1);
    for (const row of rows) {
      const [repo, , arazzo] = row.split("\t");
      const vendor = repo!.split("/")[1]!;
      add(`corpus/${vendor}`, path.join(CORPUS, vendor), arazzo!);
    }
  }
  return seeds;
}

/** `.yaml`/`.yml`/`.json` files under `dir` whose data has an `arazzo` key, relative to `dir`, sorted. */
function arazzoFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((f) => f.split(path.sep).join("/"))
    .filter((f) => /\.(ya?ml|json)$/.test(f) && !f.split("/").some((part) => part.startsWith(".")))
    .sort();
  return files.filter((f) => /^arazzo\s*:/m.test(readFileSync(path.join(dir, f), "utf8")) || /"arazzo"\s*:/.test(readFileSync(path.join(dir, f), "utf8")));
}

function seedDocument(group: string, base: string, document: string): SeedDocument | undefined {
  const data = parsed(path.join(base, document));
  if (!isObject(data)) return undefined;
  const sources: string[] = [];
  const list = Array.isArray(data.sourceDescriptions) ? data.sourceDescriptions : [];
  for (const source of list) {
    const url = isObject(source) ? source.url : undefined;
    if (typeof url !== "string" || /^[a-z][a-z0-9+.-]*:/i.test(url)) continue;
    const file = path.resolve(path.dirname(path.join(base, document)), url);
    const rel = path.relative(base, file);
    if (rel.startsWith("..") || path.isAbsolute(rel) || !existsSync(file) || !statSync(file).isFile()) continue;
    const posix = rel.split(path.sep).join("/");
    if (!sources.includes(posix)) sources.push(posix);
  }
  const bytes = [document, ...sources].reduce((sum, f) => sum + statSync(path.join(base, f)).size, 0);
  return { label: `${group}/${document}`, base, document, sources, bytes };
}

const parsedFiles = new Map<string, { text: string; data: Json }>();

/** A file's text and data, parsed once per process (the cases copy what they change). */
function original(file: string): { text: string; data: Json } {
  let entry = parsedFiles.get(file);
  if (!entry) {
    const text = readFileSync(file, "utf8");
    let data: Json;
    try {
      data = parse(text, { uniqueKeys: false, maxAliasCount: -1, prettyErrors: false }) as Json;
    } catch {
      data = null;
    }
    entry = { text, data };
    parsedFiles.set(file, entry);
  }
  return entry;
}

const parsed = (file: string): Json => original(file).data;

// ---------------------------------------------------------------------------------------------
// JSON trees
// ---------------------------------------------------------------------------------------------

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type Key = string | number;
type Path = readonly Key[];

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === "object" && !Array.isArray(v);

/** A deep copy; keys named `__proto__` stay own data properties. */
function clone(value: Json): Json {
  if (Array.isArray(value)) return value.map(clone);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)]));
  return value;
}

function get(tree: Json, at: Path): Json | undefined {
  let node: Json | undefined = tree;
  for (const key of at) {
    if (Array.isArray(node) && typeof key === "number") node = node[key];
    else if (isObject(node) && typeof key === "string" && Object.hasOwn(node, key)) node = node[key];
    else return undefined;
  }
  return node;
}

/** Sets the value at a non-empty path (an own data property, even for `__proto__`); false when the parent is gone. */
function set(tree: Json, at: Path, value: Json): boolean {
  const parent = get(tree, at.slice(0, -1));
  const key = at[at.length - 1]!;
  if (Array.isArray(parent) && typeof key === "number") parent[key] = value;
  else if (isObject(parent) && typeof key === "string") Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
  else return false;
  return true;
}

function remove(tree: Json, at: Path): boolean {
  const parent = get(tree, at.slice(0, -1));
  const key = at[at.length - 1]!;
  if (Array.isArray(parent) && typeof key === "number") parent.splice(key, 1);
  else if (isObject(parent) && typeof key === "string") delete parent[key];
  else return false;
  return true;
}

/** Renames a key in place, keeping the order of the others. */
function renameKey(tree: Json, at: Path, to: string): boolean {
  const parent = get(tree, at.slice(0, -1));
  const from = at[at.length - 1];
  if (!isObject(parent) || typeof from !== "string") return false;
  const entries = Object.entries(parent).map(([k, v]) => [k === from ? to : k, v] as const);
  for (const k of Object.keys(parent)) delete parent[k];
  for (const [k, v] of entries) Object.defineProperty(parent, k, { value: v, enumerable: true, writable: true, configurable: true });
  return true;
}

/** Every path below `at` (not `at` itself), depth first. */
function pathsUnder(tree: Json, at: Path = []): Path[] {
  const out: Path[] = [];
  const walk = (node: Json, here: Path) => {
    const children: [Key, Json][] = Array.isArray(node) ? node.map((v, i) => [i, v]) : isObject(node) ? Object.entries(node) : [];
    for (const [k, v] of children) {
      const next = [...here, k];
      out.push(next);
      walk(v, next);
    }
  };
  const start = get(tree, at);
  if (start !== undefined) walk(start, at);
  return out;
}

/** A path found by a random walk from `at`: cheap on a 2 MB document, where listing every path is not. */
function randomWalk(tree: Json, rng: Rng, at: Path = []): Path | undefined {
  let here = [...at];
  let node = get(tree, here);
  for (;;) {
    const keys: Key[] = Array.isArray(node) ? node.map((_, i) => i) : isObject(node) ? Object.keys(node) : [];
    if (keys.length === 0 || (here.length > at.length && rng.chance(0.25))) break;
    const key = rng.pick(keys);
    here = [...here, key];
    node = get(tree, here);
  }
  return here.length > at.length ? here : undefined;
}

const show = (at: Path) => (at.length ? at.map((k) => (typeof k === "number" ? `[${k}]` : `.${k}`)).join("") : "(root)");
const brief = (value: Json | undefined) => {
  const text = JSON.stringify(value) ?? "undefined";
  return text.length > 60 ? `${text.slice(0, 40)}…(${text.length} chars)` : text;
};

// ---------------------------------------------------------------------------------------------
// Hostile values
// ---------------------------------------------------------------------------------------------

const HOSTILE_STRINGS: readonly string[] = [
  "",
  " ",
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "x".repeat(20_000),
  "a/b/../../c",
  "\u0000",
  "\u202e\u0301",
  "😀",
  "\ud800",
  "日本語",
  "a\nb: c\n- d",
  "*/ /*",
  "${process.exit(1)}",
  "`'\"\\",
  "-1",
  "NaN",
  "1e999",
  "#",
  "#/",
  "~1~0~2",
  "%zz",
  "{",
  "}",
  "{}",
  "{$}",
  "$",
];

/** Runtime expressions that are wrong: unknown sources, missing parts, bad pointers, unbalanced braces. */
const BROKEN_EXPRESSIONS: readonly string[] = [
  "$",
  "$inputs",
  "$inputs.",
  "$inputs.__proto__",
  "$steps",
  "$steps.",
  "$steps.nope.outputs.x",
  "$steps..outputs",
  "$steps.x.outputs",
  "$outputs.nope",
  "$workflows.nope.outputs.x",
  "$workflows.",
  "$response",
  "$response.body#",
  "$response.body#/",
  "$response.body#/~2",
  "$response.body#/a/~",
  "$response.header.",
  "$request.body#/x",
  "$statusCode ==",
  "$statusCode == 200 &&",
  "$statusCode == '2",
  "$url",
  "$method",
  "$message.payload#/x",
  "$sourceDescriptions.nope.op",
  "$sourceDescriptions.",
  "$components.parameters.nope",
  "$components.",
  "$components.successActions.nope",
  "{$inputs.a",
  "{$inputs.a}}",
  "{{$inputs.a}}",
  "$[?@.a ==",
  "$..[",
  "$.a[?(@",
  "a == b == c",
  "$self",
];

/** A replacement of any type. */
function hostileValue(rng: Rng): Json {
  switch (rng.int(12)) {
    case 0:
      return null;
    case 1:
      return rng.pick([0, -1, 1.5, 1e308, -0, 2 ** 53 + 1]);
    case 2:
      return rng.pick([true, false]);
    case 3:
      return rng.pick<Json>([[], [null], [1, "a"], [[]]]);
    case 4:
      return rng.pick<Json>([{}, { "": "" }, { a: null }, Object.fromEntries([["__proto__", { polluted: true }]])]);
    case 5:
    case 6:
      return rng.pick(BROKEN_EXPRESSIONS);
    default:
      return rng.pick(HOSTILE_STRINGS);
  }
}

/** The same value as another type (string → number, object → array, …). */
function retyped(value: Json | undefined, rng: Rng): Json {
  if (typeof value === "string") return rng.pick<Json>([value.length, [value], { [value]: value }, value === "true", null]);
  if (typeof value === "number" || typeof value === "boolean") return rng.pick<Json>([String(value), [value], { value }]);
  if (Array.isArray(value)) return rng.pick<Json>([Object.fromEntries(value.map((v, i) => [String(i), v])), value.length, JSON.stringify(value).slice(0, 80)]);
  if (isObject(value)) return rng.pick<Json>([Object.values(value), Object.keys(value).join(","), Object.keys(value).length]);
  return rng.pick<Json>(["null", 0, []]);
}

/** A name like `name` that nothing defines. */
function missingName(name: string, rng: Rng): string {
  return rng.pick([
    `${name}-missing`,
    `${name}X`,
    name.toUpperCase() === name ? `${name}_` : name.toUpperCase(),
    name.slice(0, -1),
    `${name} `,
    "__proto__",
    "constructor",
  ]);
}

// ---------------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------------

/** Keys whose string values name something else in the document or its sources. */
const REFERENCE_KEYS = new Set([
  "operationId",
  "operationPath",
  "stepId",
  "workflowId",
  "$ref",
  "reference",
  "dependsOn",
  "name",
  "channelPath",
  "correlationId",
]);
const ACTION_LISTS = new Set(["onSuccess", "onFailure", "successActions", "failureActions"]);

/** One mutation of a tree; returns what it did, or undefined when it found nothing to do. */
type Mutator = (tree: Json, rng: Rng, pick: () => Path | undefined) => string | undefined;

const removeNode: Mutator = (tree, _rng, pick) => {
  const at = pick();
  return at && remove(tree, at) ? `remove ${show(at)}` : undefined;
};

const replaceNode: Mutator = (tree, rng, pick) => {
  const at = pick();
  const value = hostileValue(rng);
  return at && set(tree, at, value) ? `replace ${show(at)} with ${brief(value)}` : undefined;
};

const retypeNode: Mutator = (tree, rng, pick) => {
  const at = pick();
  if (!at) return undefined;
  const value = retyped(get(tree, at), rng);
  return set(tree, at, value) ? `retype ${show(at)} to ${brief(value)}` : undefined;
};

const hostileLeaf: Mutator = (tree, rng, pick) => {
  // A string stays a string: the document often still passes the schema, so the later stages see the value.
  for (let tries = 0; tries < 20; tries++) {
    const at = pick();
    if (at && typeof get(tree, at) === "string") {
      const value = rng.chance(0.5) ? rng.pick(HOSTILE_STRINGS) : rng.pick(BROKEN_EXPRESSIONS);
      set(tree, at, value);
      return `string ${show(at)} to ${brief(value)}`;
    }
  }
  return undefined;
};

const renameNodeKey: Mutator = (tree, rng, pick) => {
  for (let tries = 0; tries < 20; tries++) {
    const at = pick();
    const key = at?.[at.length - 1];
    if (at && typeof key === "string") {
      const to = rng.pick([
        "__proto__",
        "constructor",
        key.slice(0, -1) || "x",
        `${key}s`,
        key.toLowerCase() === key ? key.toUpperCase() : key.toLowerCase(),
        `x-${key}`,
        "",
      ]);
      return renameKey(tree, at, to) ? `rename key ${show(at)} to ${JSON.stringify(to)}` : undefined;
    }
  }
  return undefined;
};

/** A copy of an array element beside it (duplicate ids), or moved into another array of the same name (a step into another workflow). */
const duplicateElement: Mutator = (tree, rng) => {
  const elements = pathsUnder(tree).filter((at) => typeof at[at.length - 1] === "number");
  if (elements.length === 0) return undefined;
  const at = rng.pick(elements);
  const value = clone(get(tree, at)!);
  const list = get(tree, at.slice(0, -1)) as Json[];
  const arrayKey = at[at.length - 2];
  const others = pathsUnder(tree).filter((p) => p[p.length - 1] === arrayKey && Array.isArray(get(tree, p)) && show(p) !== show(at.slice(0, -1)));
  if (others.length > 0 && rng.chance(0.5)) {
    const into = rng.pick(others);
    (get(tree, into) as Json[]).push(value);
    remove(tree, at);
    return `move ${show(at)} to ${show(into)}`;
  }
  list.splice(at[at.length - 1] as number, 0, value);
  return `duplicate ${show(at)}`;
};

/** A node replaced by a copy of another node of the same document: plausible shapes in the wrong place (a step where a parameter belongs). */
const spliceNode: Mutator = (tree, _rng, pick) => {
  const at = pick();
  const from = pick();
  if (!at || !from || show(at) === show(from)) return undefined;
  const value = get(tree, from);
  if (value === undefined) return undefined;
  return set(tree, at, clone(value)) ? `copy ${show(from)} to ${show(at)}` : undefined;
};

/** A string that names something (an operation, step, workflow, source, component, `$ref`) changed to a name nothing defines. */
const breakReference: Mutator = (tree, rng, pick) => {
  const candidates = pathsUnder(tree).filter((at) => {
    const value = get(tree, at);
    if (typeof value !== "string") return false;
    const key = at[at.length - 1];
    const owner = typeof key === "number" ? at[at.length - 2] : key;
    return REFERENCE_KEYS.has(String(owner)) || /^\$(sourceDescriptions|components|steps|workflows|inputs|outputs)\./.test(value) || value.includes("{$");
  });
  const at = candidates.length > 0 ? rng.pick(candidates) : pick();
  const value = at && get(tree, at);
  if (!at || typeof value !== "string") return undefined;
  let broken: string;
  if (at[at.length - 1] === "$ref") {
    broken = rng.pick([`${value}-missing`, "#/components/schemas/Nope", "#", "#/", "nope.yaml#/x", `${value}/~2`, value.split("#")[0]!, "#/paths"]);
  } else if (/^\$\w+\./.test(value) || value.includes("{$")) {
    // One segment of the expression renamed: `$steps.a.outputs.b` → `$steps.a-missing.outputs.b`.
    const parts = value.split(".");
    const i = 1 + rng.int(Math.max(1, parts.length - 1));
    if (i < parts.length) parts[i] = missingName(parts[i]!, rng);
    broken = parts.join(".");
  } else {
    broken = missingName(value, rng);
  }
  set(tree, at, broken);
  return `break reference ${show(at)}: ${brief(value)} → ${brief(broken)}`;
};

/** Every step id and workflow id of an Arazzo tree. */
function ids(tree: Json): { steps: string[]; workflows: string[] } {
  const steps: string[] = [];
  const workflows: string[] = [];
  const list = isObject(tree) && Array.isArray(tree.workflows) ? tree.workflows : [];
  for (const w of list) {
    if (!isObject(w)) continue;
    if (typeof w.workflowId === "string") workflows.push(w.workflowId);
    for (const s of Array.isArray(w.steps) ? w.steps : []) if (isObject(s) && typeof s.stepId === "string") steps.push(s.stepId);
  }
  return { steps, workflows };
}

/** A `goto` or `retry` sent to another step (of any workflow) or workflow, or a new one added to a step. */
const swapGoto: Mutator = (tree, rng) => {
  const { steps, workflows } = ids(tree);
  const target = (): JsonObject => {
    const r = rng.int(6);
    if (r < 3 && steps.length) return { stepId: rng.pick(steps) };
    if (r < 5 && workflows.length) return { workflowId: rng.pick(workflows) };
    return rng.pick<JsonObject>([{ stepId: "nowhere" }, { workflowId: "nowhere" }, { stepId: steps[0] ?? "a", workflowId: workflows[0] ?? "b" }, {}]);
  };
  const actions = pathsUnder(tree).filter((at) => ACTION_LISTS.has(String(at[at.length - 2])) && isObject(get(tree, at)));
  if (actions.length > 0 && rng.chance(0.5)) {
    const at = rng.pick(actions);
    const action = get(tree, at) as JsonObject;
    delete action.stepId;
    delete action.workflowId;
    const to = target();
    Object.assign(action, to);
    return `send action ${show(at)} to ${brief(to)}`;
  }
  const stepPaths = pathsUnder(tree).filter((at) => at.length === 4 && at[0] === "workflows" && at[2] === "steps" && isObject(get(tree, at)));
  if (stepPaths.length === 0) return undefined;
  const at = rng.pick(stepPaths);
  const step = get(tree, at) as JsonObject;
  const list = rng.pick(["onSuccess", "onFailure"]);
  const action: JsonObject = { name: `fuzz-${rng.int(100)}`, type: rng.pick(["goto", "goto", "retry", "end"]), ...target() };
  if (action.type === "retry") action.retryLimit = rng.pick<Json>([1, 0, -1, "3"]);
  if (rng.chance(0.3)) action.criteria = [{ condition: rng.pick(["$statusCode == 200", ...BROKEN_EXPRESSIONS]) }];
  step[list] = [...(Array.isArray(step[list]) ? step[list] : []), action];
  return `add ${list} action ${brief(action)} to ${show(at)}`;
};

/** An expression broken: replaced by a wrong one, cut, or given an extra character. */
const breakExpression: Mutator = (tree, rng, pick) => {
  const candidates = pathsUnder(tree).filter((at) => {
    const value = get(tree, at);
    return typeof value === "string" && (value.startsWith("$") || value.includes("{$"));
  });
  if (candidates.length === 0) return hostileLeaf(tree, rng, pick);
  const at = rng.pick(candidates);
  const value = get(tree, at) as string;
  const cut = 1 + rng.int(Math.max(1, value.length - 1));
  const broken = rng.pick([
    rng.pick(BROKEN_EXPRESSIONS),
    value.slice(0, cut),
    value.slice(0, cut) + rng.pick(["{", "}", "#", "/", ".", " ", "==", "'", "\u0000"]) + value.slice(cut),
  ]);
  set(tree, at, broken);
  return `break expression ${show(at)}: ${brief(value)} → ${brief(broken)}`;
};

const ARAZZO_MUTATORS: readonly (readonly [Mutator, number])[] = [
  [removeNode, 14],
  [replaceNode, 14],
  [retypeNode, 8],
  [hostileLeaf, 10],
  [breakReference, 20],
  [swapGoto, 12],
  [breakExpression, 12],
  [renameNodeKey, 5],
  [duplicateElement, 5],
  [spliceNode, 8],
];

const SOURCE_MUTATORS: readonly (readonly [Mutator, number])[] = [
  [removeNode, 25],
  [replaceNode, 20],
  [retypeNode, 15],
  [hostileLeaf, 10],
  [breakReference, 20],
  [renameNodeKey, 10],
  [spliceNode, 10],
];

function weighted<T>(items: readonly (readonly [T, number])[], rng: Rng): T {
  let r = rng.float() * items.reduce((sum, [, w]) => sum + w, 0);
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  return items[items.length - 1]![0];
}

/** Where an OpenAPI document's mutation lands: mostly within the operations the Arazzo document calls, where it matters. */
function sourcePicker(tree: Json, arazzo: Json, rng: Rng): () => Path | undefined {
  const wanted = new Set<string>();
  for (const at of pathsUnder(arazzo)) {
    const value = get(arazzo, at);
    if (at[at.length - 1] === "operationId" && typeof value === "string") wanted.add(value.split(".").pop()!);
  }
  const operations: Path[] = [];
  const pathsObject = isObject(tree) ? tree.paths : undefined;
  if (isObject(pathsObject)) {
    for (const [p, item] of Object.entries(pathsObject)) {
      if (!isObject(item)) continue;
      for (const [method, op] of Object.entries(item))
        if (isObject(op) && typeof op.operationId === "string" && wanted.has(op.operationId)) operations.push(["paths", p, method]);
    }
  }
  // The operations' own nodes and those of the components they `$ref` (one level: enough to reach their schemas).
  const near = operations.flatMap((op) => [op, ...pathsUnder(tree, op)]);
  for (const at of [...near]) {
    const ref = at[at.length - 1] === "$ref" ? get(tree, at) : undefined;
    if (typeof ref !== "string" || !ref.startsWith("#/")) continue;
    const target = ref
      .slice(2)
      .split("/")
      .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
    if (get(tree, target) !== undefined && near.length < 20_000) near.push(target, ...pathsUnder(tree, target));
  }
  return () => {
    const r = rng.float();
    if (r < 0.7 && near.length) return rng.pick(near);
    if (r < 0.85 && isObject(tree) && isObject(tree.components)) return randomWalk(tree, rng, ["components"]);
    return randomWalk(tree, rng);
  };
}

export interface FuzzCase {
  readonly seed: number;
  readonly index: number;
  readonly document: SeedDocument;
  /** What was done, in order: `document: remove .workflows[0].steps[1].operationId`. */
  readonly mutations: readonly string[];
  /** Mutated files, relative to the document's `base`, and their text. */
  readonly files: ReadonlyMap<string, string>;
}

/** Case `index` of the run with `seed`: which document, which mutations, the files written. */
export function makeCase(seeds: readonly SeedDocument[], seed: number, index: number): FuzzCase {
  const rng = caseRng(seed, index);
  const document = rng.pick(seeds);
  const arazzo = clone(parsed(path.join(document.base, document.document)));
  const trees = new Map<string, Json>([[document.document, arazzo]]);
  const mutations: string[] = [];
  const count = 1 + rng.int(rng.chance(0.2) ? 6 : 3);
  for (let m = 0; m < count; m++) {
    if (document.sources.length > 0 && rng.chance(0.3)) {
      const file = rng.pick(document.sources);
      if (!trees.has(file)) trees.set(file, clone(parsed(path.join(document.base, file))));
      const tree = trees.get(file)!;
      const done = weighted(SOURCE_MUTATORS, rng)(tree, rng, sourcePicker(tree, arazzo, rng));
      if (done) mutations.push(`${file}: ${done}`);
    } else {
      const all = pathsUnder(arazzo);
      const done = weighted(ARAZZO_MUTATORS, rng)(arazzo, rng, () => (all.length ? rng.pick(pathsUnder(arazzo)) : undefined));
      if (done) mutations.push(`${document.document}: ${done}`);
    }
  }
  const files = new Map<string, string>();
  for (const [file, tree] of trees) {
    const big = original(path.join(document.base, file)).text.length > 300_000;
    // JSON is YAML too; stringifying 2 MB as YAML would cost more than validating it.
    const asYaml = !big && rng.chance(0.6);
    let text = asYaml ? stringify(tree, { lineWidth: 0 }) : JSON.stringify(tree, null, big ? undefined : 2);
    if (rng.chance(0.05)) {
      // Now and then a text-level cut or splice: YAML and JSON syntax errors at real positions.
      const at = rng.int(text.length + 1);
      const insert = rng.pick(["", "\0", "\t", ":", "- ", "{", "[", "&a", "*a", "\ufeff", "'"]);
      text = text.slice(0, at) + insert + text.slice(at + (insert ? 0 : Math.floor((text.length - at) / 2)));
      mutations.push(`${file}: text ${insert ? `insert ${JSON.stringify(insert)}` : "cut"} at ${at}`);
    }
    files.set(file, text);
  }
  return { seed, index, document, mutations, files };
}

// ---------------------------------------------------------------------------------------------
// Writing a case
// ---------------------------------------------------------------------------------------------

/**
 * Mirrors `base` into `dir`: the mutated files written, every other entry a symbolic link
 * to the original (only the folders on the way to a mutated file are real folders).
 */
export function writeCase(c: FuzzCase, dir: string): string {
  overlay(
    c.document.base,
    dir,
    [...c.files].map(([file, text]) => [file.split("/"), text] as const),
  );
  return path.join(dir, c.document.document);
}

function overlay(from: string, to: string, files: readonly (readonly [readonly string[], string])[]): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    const mine = files.filter(([parts]) => parts[0] === entry);
    if (mine.length === 0) {
      symlinkSync(path.join(from, entry), path.join(to, entry));
      continue;
    }
    const own = mine.find(([parts]) => parts.length === 1);
    if (own) writeFileSync(path.join(to, entry), own[1]);
    else
      overlay(
        path.join(from, entry),
        path.join(to, entry),
        mine.map(([parts, text]) => [parts.slice(1), text] as const),
      );
  }
}

// ---------------------------------------------------------------------------------------------
// The property
// ---------------------------------------------------------------------------------------------

export interface CaseResult {
  /** What breaks the property; empty when it holds. */
  readonly failures: readonly string[];
  /** `validate()` found no error. */
  readonly valid: boolean;
  readonly codes: readonly string[];
  readonly ms: number;
  /** Generated in memory too (it validated and `generate` was asked for). */
  readonly generated: boolean;
}

const STACK_FRAME = /\n\s+at .+:\d+:\d+/;

/** What is wrong with one diagnostic: unlocated, a file that is not there, a bad code, a stack trace. */
export function diagnosticProblems(d: Diagnostic): string[] {
  const problems: string[] = [];
  const text = `${d.file ?? "?"}:${d.line ?? "?"}:${d.col ?? "?"} ${d.severity} ${d.code}: ${d.message}`;
  if (typeof d.file !== "string" || d.file === "") problems.push(`unlocated (no file): ${text}`);
  else if (!existsSync(d.file)) problems.push(`located in a file that does not exist: ${text}`);
  if (!Number.isInteger(d.line) || d.line! < 1 || !Number.isInteger(d.col) || d.col! < 1) problems.push(`unlocated (no line or column): ${text}`);
  if (!/^(?:[a-z0-9]+(?:-[a-z0-9]+)*|TS\d+)$/.test(d.code)) problems.push(`bad code: ${text}`);
  if (typeof d.message !== "string" || d.message.trim() === "" || STACK_FRAME.test(d.message) || STACK_FRAME.test(d.hint ?? ""))
    problems.push(`bad message: ${text}`);
  return problems;
}

/**
 * Writes the case into `dir` (which must not exist) and checks it: `validate({ types: false })`,
 * then, with `generate`, `generate({ write: false })` when it validated.
 */
export async function checkCase(c: FuzzCase, dir: string, options: { generate?: boolean } = {}): Promise<CaseResult> {
  const file = writeCase(c, dir);
  const failures: string[] = [];
  const started = performance.now();
  const cpu = process.cpuUsage();
  let diagnostics: readonly Diagnostic[] = [];
  let valid = false;
  try {
    const result = await validate({ inputs: [file], types: false });
    diagnostics = result.diagnostics;
    valid = result.ok;
  } catch (error) {
    failures.push(`validate threw (internal error): ${describeError(error)}`);
  }
  for (const d of diagnostics) failures.push(...diagnosticProblems(d).map((p) => `validate: ${p}`));
  let generated = false;
  if (valid && options.generate) {
    const { generate } = await import("../../generator/generate.ts");
    generated = true;
    try {
      const result = await generate({ inputs: [file], outDir: path.join(dir, ".out"), write: false });
      for (const d of result.diagnostics) failures.push(...diagnosticProblems(d).map((p) => `generate: ${p}`));
    } catch (error) {
      failures.push(`generate threw (internal error): ${describeError(error)}`);
    }
  }
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  if (cpuMs > SLOW_MS) failures.push(`slow: ${Math.round(cpuMs)} ms of CPU time (${Math.round(ms)} ms)`);
  return { failures, valid, codes: [...new Set(diagnostics.map((d) => d.code))], ms, generated };
}

/** The message and the first frames inside the generator: enough to find the line that threw. */
function describeError(error: unknown): string {
  const e = error as Error | undefined;
  const frames = (e?.stack ?? "")
    .split("\n")
    .filter((line) => /^\s+at /.test(line) && line.includes("/generator/"))
    .slice(0, 3)
    .map((line) => line.trim().replace(`${ROOT}/`, ""));
  const message = String(e?.message ?? error);
  return [`${e?.name ?? "Error"}: ${message.length > 200 ? `${message.slice(0, 200)}…` : message}`, ...frames].join(" | ");
}

/** A failure as a report line, with what reproduces it. */
export function describeCase(c: FuzzCase, failures: readonly string[]): string {
  return [
    `case ${c.index} (seed ${c.seed}) of ${c.document.label}:`,
    ...c.mutations.map((m) => `  mutation: ${m}`),
    ...failures.map((f) => `  FAIL ${f}`),
  ].join("\n");
}
