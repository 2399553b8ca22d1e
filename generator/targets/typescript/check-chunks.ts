/**
 * How the native checker splits a large set of generated modules into several programs
 * (`check-native.ts`): tsgo's memory grows with the source it holds (a 1,000-workflow package,
 * 31 MB of TypeScript, took 2.4 GB), so above a size the modules are checked in chunks, each
 * chunk against the declarations of the modules it imports from earlier chunks.
 *
 * That is the same check: every generated module declares the type of each export
 * (`isolatedDeclarations`), so its `.d.ts` (`declarations.ts`) gives an importer exactly the
 * types its source would, and each module is still checked once, as a source. Chunks follow
 * the import graph (a module after everything it imports; modules that import each other stay
 * in one chunk), so the declarations a chunk needs are made before it runs.
 */
import path from "node:path";
import type { PackageToCompile } from "./check-result.ts";
import { sourcesToCheck } from "./check-result.ts";

export interface ModuleToCheck {
  /** Absolute path in its package (`<dir>/src/x.ts`), normalized. */
  readonly file: string;
  readonly size: number;
  /** The generated modules it imports (absolute paths as `file`). */
  readonly imports: readonly string[];
}

export interface Chunk {
  /** Checked as sources, in this order. */
  readonly modules: readonly string[];
  /** Given as declarations: what the modules import, directly or through declarations, from earlier chunks. */
  readonly declared: readonly string[];
}

// Generated code imports its package's modules by relative `.js` specifiers (NodeNext).
const RELATIVE_IMPORT = /\b(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)\.js"/g;

/** The generated `src/*.ts` modules of `packages` with their imports between them. */
export function modulesOf(packages: readonly PackageToCompile[]): ModuleToCheck[] {
  const sources = sourcesToCheck(packages);
  return [...sources].map(([file, { file: source }]) => {
    const imports = new Set<string>();
    for (const match of source.text.matchAll(RELATIVE_IMPORT)) {
      const target = path.normalize(path.join(path.dirname(file), `${match[1]}.ts`));
      if (sources.has(target) && target !== file) imports.add(target);
    }
    return { file, size: source.text.length, imports: [...imports] };
  });
}

/**
 * The modules in chunks of about `chunkChars` characters of source: strongly connected
 * groups (Tarjan's algorithm) in an order where each comes after what it imports, cut where a
 * chunk is full; a group is never split.
 */
export function planChunks(modules: readonly ModuleToCheck[], chunkChars: number): Chunk[] {
  const byFile = new Map(modules.map((m) => [m.file, m]));
  const groups = importOrder(modules, byFile);
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const group of groups) {
    const groupSize = group.reduce((n, f) => n + byFile.get(f)!.size, 0);
    if (current.length && size + groupSize > chunkChars) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(...group);
    size += groupSize;
  }
  if (current.length) chunks.push(current);
  return chunks.map((files) => {
    const own = new Set(files);
    const declared = new Set<string>();
    const visit = (file: string) => {
      for (const target of byFile.get(file)!.imports) {
        if (own.has(target) || declared.has(target)) continue;
        declared.add(target);
        visit(target);
      }
    };
    for (const file of files) visit(file);
    return { modules: files, declared: [...declared] };
  });
}

/** Tarjan's strongly connected components, each emitted after every component it imports: an order to check in. */
function importOrder(modules: readonly ModuleToCheck[], byFile: ReadonlyMap<string, ModuleToCheck>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let next = 0;
  // Iterative, so a long chain of imports cannot overflow the call stack.
  for (const root of modules) {
    if (index.has(root.file)) continue;
    const work: { file: string; edge: number }[] = [{ file: root.file, edge: 0 }];
    index.set(root.file, next);
    low.set(root.file, next++);
    stack.push(root.file);
    onStack.add(root.file);
    while (work.length) {
      const frame = work.at(-1)!;
      const imports = byFile.get(frame.file)!.imports;
      if (frame.edge < imports.length) {
        const target = imports[frame.edge++]!;
        if (!index.has(target)) {
          index.set(target, next);
          low.set(target, next++);
          stack.push(target);
          onStack.add(target);
          work.push({ file: target, edge: 0 });
        } else if (onStack.has(target)) low.set(frame.file, Math.min(low.get(frame.file)!, index.get(target)!));
        continue;
      }
      work.pop();
      const parent = work.at(-1);
      if (parent) low.set(parent.file, Math.min(low.get(parent.file)!, low.get(frame.file)!));
      if (low.get(frame.file) === index.get(frame.file)) {
        const group: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          group.push(member);
        } while (member !== frame.file);
        groups.push(group.reverse());
      }
    }
  }
  return groups;
}
