/**
 * The part of an OpenAPI document that openapi-typescript needs to type the operations a
 * workflow uses: the OpenAPI Object's `openapi`, `info`, `jsonSchemaDialect`, `servers`,
 * `security` (OpenAPI 3.1 §4.8.1) and `components.securitySchemes`; each used Path Item
 * (§4.8.9) with its path-level fields and only the used operations (§4.8.10); and exactly
 * the components (§4.8.7) reachable from those by local `$ref` (§4.8.23), whatever their
 * kind. A reference deeper than `#/components/<type>/<name>` keeps that whole component; a
 * reference into `#/paths/…` keeps that path item's operation.
 *
 * Real provider documents carry broken references in parts no workflow touches; those are
 * simply not copied. Inside what is kept, a reference that cannot be followed (`refs.ts`)
 * becomes a placeholder (`copy-for-types.ts`) and is reported back as data, with the used
 * operations that reach it. The "whole document" mode keeps every path, webhook and typed
 * component, with the same placeholders. The input document is never changed.
 */
import type { DataPath, LoadedDocument } from "../load/document.ts";
import { copyObject, copyPathItem, DROPPED, PLACEHOLDERS, type OnRef, type Position } from "./copy-for-types.ts";
import { HTTP_METHODS, type HttpMethod } from "./operations.ts";
import { followRef, isRef, type RefProblem, type RefTarget } from "./refs.ts";

export interface UsedOperation {
  readonly method: HttpMethod;
  /** The path template as the document writes it. */
  readonly path: string;
}

/** A `$ref` that could not be followed and what took its place. */
export interface Replacement<Op extends UsedOperation = UsedOperation> {
  readonly ref: string;
  /** The object holding the `$ref` in the original document (append `"$ref"` to locate the reference itself). */
  readonly at: DataPath;
  readonly position: Position;
  readonly placeholder: "unknown" | "no-content" | "dropped";
  readonly problem: RefProblem;
  /** The used operations whose types reach it (empty for parts only the whole-document mode keeps). */
  readonly usedBy: readonly Op[];
}

/** A value where an OpenAPI object (or a list or map of them) belongs that is none: `schema: 0`, `parameters: {}`. */
export interface Malformed<Op extends UsedOperation = UsedOperation> {
  /** Where the value is in the original document. */
  readonly at: DataPath;
  /** What belongs there: one `position`, or a list or map of them. */
  readonly position: Position;
  readonly container?: "list" | "map";
  /** The used operations whose types reach it. */
  readonly usedBy: readonly Op[];
}

export interface PrunedDocument<Op extends UsedOperation = UsedOperation> {
  readonly document: Record<string, unknown>;
  readonly replacements: readonly Replacement<Op>[];
  readonly malformed: readonly Malformed<Op>[];
}

/** Component types openapi-typescript turns into types (its `transform/components-object`), and how each is read. */
const COMPONENT_POSITIONS: Readonly<Record<string, Exclude<Position, "mapping">>> = {
  schemas: "schema",
  responses: "response",
  parameters: "parameter",
  requestBodies: "requestBody",
  headers: "header",
  pathItems: "pathItem",
  securitySchemes: "securityScheme",
};

const TOP_LEVEL = ["openapi", "info", "jsonSchemaDialect", "servers", "security"];

type Found = Omit<Replacement, "usedBy"> & { readonly unit: string };

/** A piece of the document copied as a whole: one operation, a path item's shared fields, one component, … */
interface Unit {
  readonly path: DataPath;
  readonly position: Exclude<Position, "mapping">;
  /** For `shell` units: the path item without its operations. */
  readonly shell?: boolean;
  readonly edges: Set<string>;
  copy?: unknown;
}

/**
 * `used` are the operations to keep (each reported back in `usedBy`, the same objects);
 * `whole` keeps every path, webhook and typed component as well.
 */
export function pruneDocument<Op extends UsedOperation>(
  doc: Pick<LoadedDocument, "data" | "file">,
  used: readonly Op[],
  options: { readonly whole?: boolean } = {},
): PrunedDocument<Op> {
  const root = asObject(doc.data);
  const paths = asObject(root.paths);
  const units = new Map<string, Unit>();
  const queue: string[] = [];
  const found: Found[] = [];
  const malformed: (Omit<Malformed, "usedBy"> & { readonly unit: string })[] = [];
  const followed = new Map<string, RefTarget>();

  const want = (unitKey: string, path: DataPath, position: Exclude<Position, "mapping">, shell = false): string => {
    if (!units.has(unitKey)) {
      units.set(unitKey, { path, position, shell, edges: new Set() });
      queue.push(unitKey);
    }
    return unitKey;
  };
  const shellOf = (p: string) => want(key("shell", p), ["paths", p], "pathItem", true);
  const operationOf = (p: string, method: string): string | undefined => {
    const item = lookUp(paths, [p]);
    if (isRef(item)) return shellOf(p); // its operations live where it points
    if (!isObject(item) || !isObject(item[method])) return undefined;
    const opKey = want(key("op", p, method), ["paths", p, method], "operation");
    units.get(opKey)!.edges.add(shellOf(p));
    return opKey;
  };
  /** Every unit a reference to `target` needs (several for a reference to a whole container). */
  const unitsFor = (target: DataPath, position: Exclude<Position, "mapping">): string[] => {
    const [top, a, b] = target.map(String);
    if (top === undefined) return [];
    if (top === "paths") {
      if (a === undefined) return Object.keys(paths).flatMap((p) => pathItemUnits(p));
      if (b === undefined) return pathItemUnits(a);
      return [((HTTP_METHODS as readonly string[]).includes(b) && operationOf(a, b)) || shellOf(a)];
    }
    if (top === "components" && a !== undefined) {
      const kind = COMPONENT_POSITIONS[a] ?? position;
      if (b === undefined)
        return Object.keys(asObject(asObject(root.components)[a])).map((name) => want(key("component", a, name), ["components", a, name], kind));
      return [want(key("component", a, b), ["components", a, b], kind)];
    }
    if (top === "webhooks" && a !== undefined) return [want(key("webhook", a), ["webhooks", a], "pathItem")];
    const unitPath = a === undefined ? [top] : [top, a];
    return [want(key("top", ...unitPath), unitPath, position)];
  };
  const pathItemUnits = (p: string): string[] => {
    const item = lookUp(paths, [p]);
    if (isRef(item) || !isObject(item)) return [shellOf(p)];
    return [shellOf(p), ...HTTP_METHODS.flatMap((m) => operationOf(p, m) ?? [])];
  };

  // Roots.
  const roots = new Map<Op, string>();
  for (const op of used) {
    const rootKey = operationOf(op.path, op.method);
    if (rootKey) roots.set(op, rootKey);
  }
  if (options.whole) {
    for (const p of Object.keys(paths)) pathItemUnits(p);
    for (const name of Object.keys(asObject(root.webhooks))) want(key("webhook", name), ["webhooks", name], "pathItem");
    for (const [type, position] of Object.entries(COMPONENT_POSITIONS)) {
      for (const name of Object.keys(asObject(asObject(root.components)[type]))) want(key("component", type, name), ["components", type, name], position);
    }
    for (const name of Object.keys(asObject(root.$defs))) want(key("top", "$defs", name), ["$defs", name], "schema");
  } else {
    for (const name of Object.keys(asObject(asObject(root.components).securitySchemes)))
      want(key("component", "securitySchemes", name), ["components", "securitySchemes", name], "securityScheme");
  }

  // Copy each unit once, following its references to more units (which join the queue).
  for (let i = 0; i < queue.length; i++) {
    const unitKey = queue[i]!;
    const unit = units.get(unitKey)!;
    const onRef: OnRef = Object.assign(
      (ref: string, at: DataPath, position: Position) => {
        let target = followed.get(ref);
        if (!target) {
          target = followRef(root, doc.file, ref);
          followed.set(ref, target);
        }
        if (target.kind === "broken") {
          found.push({ ref, at, position, placeholder: PLACEHOLDERS[position], problem: target.problem, unit: unitKey });
          return false;
        }
        if (target.kind === "local") for (const next of unitsFor(target.path, position === "mapping" ? "schema" : position)) unit.edges.add(next);
        return true;
      },
      {
        malformed: (at: DataPath, position: Position, container?: "list" | "map") => {
          malformed.push({ at, position, ...(container ? { container } : {}), unit: unitKey });
        },
      },
    );
    const node = lookUp(root, unit.path);
    unit.copy = unit.shell ? copyPathItem(node, unit.path, onRef, []) : copyObject(node, unit.position, unit.path, onRef);
  }

  return { document: assemble(root, units), replacements: withUsers(found, roots, units), malformed: withUsers(malformed, roots, units) };
}

/** The output document, in the order of the original (built from entries: a `__proto__` key stays a plain key). */
function assemble(root: Record<string, unknown>, units: ReadonlyMap<string, Unit>): Record<string, unknown> {
  const kept = (unitKey: string): unknown => {
    const copy = units.get(unitKey)?.copy;
    return copy === DROPPED ? undefined : copy;
  };
  const section = (container: unknown, ...prefix: string[]): [string, unknown][] =>
    Object.keys(asObject(container)).flatMap((name) => {
      const copy = kept(key(...prefix, name));
      return copy === undefined ? [] : [[name, copy]];
    });

  const out: [string, unknown][] = TOP_LEVEL.filter((field) => Object.hasOwn(root, field)).map((field) => [field, structuredClone(root[field])]);
  const paths = Object.entries(asObject(root.paths)).flatMap(([p, item]): [string, unknown][] => {
    const shell = kept(key("shell", p));
    if (!isObject(shell)) return [];
    const methods = isObject(item) && !isRef(item) ? section(Object.fromEntries(Object.keys(item).map((m) => [m, null])), "op", p) : [];
    return [[p, Object.fromEntries([...Object.entries(shell), ...methods])]];
  });
  out.push(["paths", Object.fromEntries(paths)]);
  const webhooks = section(root.webhooks, "webhook");
  if (webhooks.length) out.push(["webhooks", Object.fromEntries(webhooks)]);
  const components = Object.entries(asObject(root.components)).flatMap(([type, map]): [string, unknown][] => {
    const entries = section(map, "component", type);
    return entries.length ? [[type, Object.fromEntries(entries)]] : [];
  });
  if (components.length) out.push(["components", Object.fromEntries(components)]);

  // Anything else a reference pointed at (`#/$defs/X`, `#/x-schemas/Y`).
  const others = new Map<string, [string, unknown][] | unknown>();
  for (const [name, unit] of units) {
    if (!name.startsWith(key("top", "")) || unit.copy === undefined || unit.copy === DROPPED) continue;
    const [top, entry] = unit.path.map(String) as [string, string | undefined];
    if (entry === undefined) others.set(top, unit.copy);
    else if (!others.has(top) || Array.isArray(others.get(top)))
      others.set(top, [...((others.get(top) as [string, unknown][] | undefined) ?? []), [entry, unit.copy]]);
  }
  for (const [top, value] of others) out.push([top, Array.isArray(value) ? Object.fromEntries(value as [string, unknown][]) : value]);
  return Object.fromEntries(out);
}

/** Each replacement (or malformed value) with the used operations whose units reach it. */
function withUsers<Op extends UsedOperation, F extends { readonly unit: string }>(
  found: readonly F[],
  roots: ReadonlyMap<Op, string>,
  units: ReadonlyMap<string, Unit>,
): (Omit<F, "unit"> & { usedBy: Op[] })[] {
  const reach = new Map<string, Op[]>();
  if (found.length) {
    for (const [op, rootKey] of roots) {
      const seen = new Set([rootKey]);
      const stack = [rootKey];
      for (let current = stack.pop(); current !== undefined; current = stack.pop()) {
        for (const next of units.get(current)?.edges ?? []) {
          if (!seen.has(next)) {
            seen.add(next);
            stack.push(next);
          }
        }
      }
      for (const unitKey of seen) reach.set(unitKey, [...(reach.get(unitKey) ?? []), op]);
    }
  }
  return found.map(({ unit, ...r }) => ({ ...r, usedBy: reach.get(unit) ?? [] }));
}

/** A unit's identity: its kind and where it is (NUL-separated, so no name can run into the next). */
function key(...parts: string[]): string {
  return parts.join("\u0000");
}

function lookUp(root: unknown, path: DataPath): unknown {
  let node = root;
  for (const token of path)
    node = node !== null && typeof node === "object" && Object.hasOwn(node, token) ? (node as Record<string | number, unknown>)[token] : undefined;
  return node;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function asObject(value: unknown): Record<string, unknown> {
  return isObject(value) ? value : {};
}
