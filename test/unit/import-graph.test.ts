/**
 * The import graph of `generator/` runs one way (docs ARCHITECTURE.md, issue 11):
 *
 *   load → validate → openapi → expressions (and criteria) → ir → targets → cli/API
 *
 * Each file may import only from its own stage and the stages before it, plus the
 * cross-cutting modules (`diagnostics.ts`, `shared/`). And no two files import each other,
 * directly or round a longer loop, whatever their stages.
 *
 * What counts as an import: every relative module specifier of a static `import … from`,
 * `export … from`, side-effect `import "…"`, and a dynamic `import("…")` with a string
 * literal. Type-only imports (`import type`, `import { type X }`, `typeof import("…")`)
 * count too: they vanish from the JavaScript, but they are still a dependency of the
 * design. A later stage's type in an earlier stage (an IR type that names the loaded
 * OpenAPI document, say) means the earlier stage cannot be understood, tested or reused
 * without the later one, and two modules whose types refer to each other are one module in
 * two files. The files are parsed with the TypeScript compiler (no regex over the text), so
 * comments, strings and template literals that look like imports are not mistaken for them.
 *
 * `generator/runtime/` is excluded: it is shipped inside each generated package (emit reads
 * it as text), nothing in the generator imports it, and it imports nothing from the generator.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, test } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../generator");

/**
 * The stage of each file, by its path under `generator/`: the first row whose prefix
 * matches (a folder ends with `/`; a file is named in full). A file no row matches fails the
 * test, so a new folder has to be given a place in the pipeline.
 */
const STAGES: readonly (readonly [prefix: string, stage: Stage])[] = [
  // Cross-cutting: every stage may use these; they import only each other.
  ["diagnostics.ts", "shared"],
  ["diagnostic-codes.ts", "shared"],
  ["shared/", "shared"],
  // 1. Read files (YAML/JSON with positions, source descriptions): nothing else.
  ["load/", "load"],
  // 2. JSON Schema validation of the Arazzo document.
  ["validate/", "validate"],
  // 3. OpenAPI: operation index, `$ref`s, schema pointers, pruning, source binding.
  ["openapi/", "openapi"],
  // 4. Runtime expressions and the conditions (criteria) written with them.
  ["expressions/", "expressions"],
  ["criteria/", "expressions"],
  // 5. The IR and its builders.
  ["ir/", "ir"],
  // 6. Targets: IR → files. What every TypeScript target shares comes first; a target
  // never imports another target.
  ["targets/typescript/", "targets-shared"],
  ["targets/target.ts", "targets-shared"],
  ["targets/", "targets"],
  // 7. The programmatic API and the command line.
  ["config/", "cli"],
  ["analyze.ts", "cli"],
  ["analyze-document.ts", "cli"],
  ["generate.ts", "cli"],
  ["watch.ts", "cli"],
  ["cli.ts", "cli"],
  ["init.ts", "cli"],
  // `arazzo-ts run`: generates, imports and runs packages, and reports (`run/command.ts`).
  ["run/", "cli"],
  ["index.ts", "cli"],
  ["version.ts", "cli"],
];

type Stage = (typeof ORDER)[number];
const ORDER = ["shared", "load", "validate", "openapi", "expressions", "ir", "targets-shared", "targets", "cli"] as const;

function stageOf(file: string): Stage | undefined {
  return STAGES.find(([prefix]) => (prefix.endsWith("/") ? file.startsWith(prefix) : file === prefix))?.[1];
}

/** `from` may import `to` when `to` is cross-cutting or comes no later in the pipeline. */
function allowed(from: Stage, to: Stage): boolean {
  return to === "shared" || ORDER.indexOf(to) <= ORDER.indexOf(from);
}

/** Every `.ts` file under `generator/` except the shipped runtime, as `/`-separated paths relative to it. */
function generatorFiles(dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full === path.join(root, "runtime") ? [] : generatorFiles(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path.relative(root, full).split(path.sep).join("/")] : [];
  });
}

interface Import {
  readonly to: string;
  readonly line: number;
}

/** The relative imports in the text of `file`, resolved to paths under `generator/`. */
function importsIn(file: string, text: string): Import[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: Import[] = [];
  const add = (specifier: ts.Expression | undefined) => {
    if (!specifier || !ts.isStringLiteralLike(specifier) || !specifier.text.startsWith(".")) return;
    const to = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier.text));
    found.push({ to, line: source.getLineAndCharacterOfPosition(specifier.getStart()).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node.moduleReference.expression);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0]);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const files = generatorFiles().sort();
const graph = new Map(files.map((f) => [f, importsIn(f, readFileSync(path.join(root, f), "utf8"))]));

/** Cycles between files: one per strongly connected component, as a shortest loop through it. */
function cycles(): string[][] {
  const found: string[][] = [];
  const edges = (f: string) => [...new Set((graph.get(f) ?? []).map((i) => i.to).filter((t) => graph.has(t)))];
  // Tarjan's algorithm for the strongly connected components.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges(v)) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || edges(v).includes(v)) components.push(component);
    }
  };
  for (const f of files) if (!index.has(f)) connect(f);
  // A shortest loop through the component's first file (breadth-first inside the component).
  for (const component of components) {
    const members = new Set(component);
    const start = [...component].sort()[0]!;
    const previous = new Map<string, string>();
    const queue = [start];
    let last: string | undefined;
    while (queue.length > 0 && last === undefined) {
      const v = queue.shift()!;
      for (const w of edges(v).filter((t) => members.has(t))) {
        if (w === start) {
          last = v;
          break;
        }
        if (!previous.has(w)) {
          previous.set(w, v);
          queue.push(w);
        }
      }
    }
    const loop = [start];
    for (let v = last!; v !== start; v = previous.get(v)!) loop.splice(1, 0, v);
    const others = component.filter((f) => !loop.includes(f)).sort();
    found.push([...loop, others.length > 0 ? `${start} (${others.join(", ")} in the same loop too)` : start]);
  }
  return found;
}

describe("import extraction", () => {
  test.each([
    ["static import", `import { a } from "./a.ts";`, ["model/a.ts"]],
    ["type-only import", `import type { A } from "../load/a.ts";`, ["load/a.ts"]],
    ["inline type import", `import { type A, b } from "./a.ts";`, ["model/a.ts"]],
    ["side-effect import", `import "./a.ts";`, ["model/a.ts"]],
    ["re-export", `export { a } from "./a.ts";\nexport * from "../emit/b.ts";`, ["model/a.ts", "emit/b.ts"]],
    ["type re-export", `export type { A } from "./a.ts";`, ["model/a.ts"]],
    ["dynamic import", `async function f() { return (await import("../emit/b.ts")).b; }`, ["emit/b.ts"]],
    ["import type node", `let x: typeof import("./a.ts");\ntype B = import("../cli.ts").B;`, ["model/a.ts", "cli.ts"]],
    ["package imports are not relative", `import ts from "typescript";\nimport path from "node:path";`, []],
    ["comments and strings are not imports", `// import { a } from "./a.ts";\nconst s = 'import("./b.ts")';\nconst t = \`from "./c.ts"\`;`, []],
    ["a dynamic import of a computed name is not followed", `const m = await import(name);`, []],
  ])("%s", (_, text, want) => {
    expect(importsIn("model/x.ts", text).map((i) => i.to)).toEqual(want);
  });
});

describe("generator/ import graph", () => {
  test("finds the files and their imports", () => {
    // Guards against the test passing because it reads nothing.
    expect(files.length).toBeGreaterThan(40);
    expect(graph.get("generate.ts")?.length).toBeGreaterThan(0);
  });

  test("every file has a stage", () => {
    expect(
      files.filter((f) => stageOf(f) === undefined),
      "add the file's folder to STAGES in this test",
    ).toEqual([]);
  });

  test("every relative import names a file that exists (runtime/ only as text)", () => {
    const missing = [...graph].flatMap(([from, imports]) =>
      imports.filter((i) => !graph.has(i.to)).map((i) => `generator/${from}:${i.line} imports generator/${i.to}, which is not a generator module`),
    );
    expect(missing).toEqual([]);
  });

  test("imports run one way: no stage imports a later one", () => {
    const backward = [...graph].flatMap(([from, imports]) => {
      const fromStage = stageOf(from);
      return imports.flatMap((i) => {
        const toStage = stageOf(i.to);
        if (!fromStage || !toStage || allowed(fromStage, toStage)) return [];
        return [`generator/${from}:${i.line} (${fromStage}) imports generator/${i.to} (${toStage}), a later stage`];
      });
    });
    expect(backward, `pipeline order: ${ORDER.join(" → ")} (shared: anyone)`).toEqual([]);
  });

  test("the shipped runtime imports only itself", () => {
    const runtime = path.join(root, "runtime");
    const outside = readdirSync(runtime)
      .filter((f) => f.endsWith(".ts"))
      .flatMap((f) =>
        importsIn(`runtime/${f}`, readFileSync(path.join(runtime, f), "utf8"))
          .filter((i) => !i.to.startsWith("runtime/"))
          .map((i) => `generator/runtime/${f}:${i.line} imports generator/${i.to}`),
      );
    expect(outside).toEqual([]);
  });

  test("no import cycles", () => {
    expect(cycles().map((loop) => loop.map((f) => `generator/${f}`).join(" → "))).toEqual([]);
  });
});
