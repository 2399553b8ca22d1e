/**
 * Diagnostics: problems found in the input, collected as values and printed like `tsc` does.
 *
 *   specs/flow.arazzo.yaml:12:9 - error unknown-operation: operationId `getPet` is not ...
 *     hint: ...
 *
 * Stages push diagnostics into a list instead of throwing; only the CLI decides how to
 * print them and which exit code follows.
 */
import path from "node:path";
import type { DiagnosticCode, ErrorCode, WarningCode } from "./diagnostic-codes.ts";

export type { DiagnosticCode } from "./diagnostic-codes.ts";

export type Severity = "error" | "warning";

/** A position in a source file; `line` and `col` are 1-based like editors show them. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export interface Diagnostic extends Partial<SourceLocation> {
  readonly severity: Severity;
  /** Stable kebab-case code users can search for, e.g. `unknown-operation` (all in `diagnostic-codes.ts`, explained in docs/diagnostics.md). */
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly hint?: string;
}

export class DiagnosticBag {
  readonly items: Diagnostic[] = [];

  error(code: ErrorCode, message: string, at?: SourceLocation, hint?: string): void {
    this.add({ severity: "error", code, message, ...at, ...(hint ? { hint } : {}) });
  }

  warning(code: WarningCode, message: string, at?: SourceLocation, hint?: string): void {
    this.add({ severity: "warning", code, message, ...at, ...(hint ? { hint } : {}) });
  }

  /** Adds a diagnostic once: shared definitions (workflow-level actions) are checked once per step. */
  add(d: Diagnostic): void {
    const key = `${d.severity}|${d.code}|${d.file}|${d.line}|${d.col}|${d.message}`;
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.items.push(d);
  }

  private readonly keys = new Set<string>();

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === "error");
  }
}

/**
 * Thrown by a stage that cannot go on (a file that does not parse, say). It carries the
 * diagnostics; the programmatic API turns it back into a failed result.
 */
export class GenerationFailed extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(`generation failed with ${diagnostics.filter((d) => d.severity === "error").length} error(s)`);
    this.name = "GenerationFailed";
  }
}

/** Orders diagnostics by file, line, column so output is stable. Errors before warnings at the same place. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      (a.file ?? "").localeCompare(b.file ?? "") || (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0) || a.severity.localeCompare(b.severity),
  );
}

/** `file:line:col - error CODE: message` with an indented hint line; `file` shown relative to `cwd`. */
export function formatDiagnostic(d: Diagnostic, cwd: string = process.cwd()): string {
  const where = d.file ? `${toDisplayPath(d.file, cwd)}${d.line ? `:${d.line}:${d.col ?? 1}` : ""} - ` : "";
  const head = `${where}${d.severity} ${d.code}: ${d.message}`;
  return d.hint ? `${head}\n  hint: ${d.hint}` : head;
}

function toDisplayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  const outside = rel === ".." || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
  return rel && !outside ? rel : file;
}

/** What a config's `warnings` sets for a warning code: drop it, keep it (default), or make it an error. */
export type WarningLevel = "off" | "warn" | "error";

/**
 * Applies per-code warning levels (config `warnings`): `off` drops the warning, `error`
 * turns it into an error (so the run fails and nothing is written). Errors are never changed.
 */
export function applyWarningLevels(list: readonly Diagnostic[], levels: Readonly<Record<string, WarningLevel>> | undefined): Diagnostic[] {
  if (!levels) return [...list];
  const result: Diagnostic[] = [];
  for (const d of list) {
    const level = d.severity === "warning" && Object.hasOwn(levels, d.code) ? levels[d.code] : undefined;
    if (level === "off") continue;
    result.push(level === "error" ? { ...d, severity: "error" } : d);
  }
  return result;
}
