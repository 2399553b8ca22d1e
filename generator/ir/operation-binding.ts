/**
 * Finds the operation a step calls (Arazzo 1.0.1 §"Step Object" `operationId`,
 * `operationPath`): by id in one source or all (`$sourceDescriptions.<name>.<id>`), with a
 * warning for an id that differs only in case, or by a JSON Pointer into a source's `paths`.
 */
import type { Step } from "../load/arazzo-document.ts";
import type { DataPath } from "../load/document.ts";
import { parseExpression } from "../expressions/parse.ts";
import { parseJsonPointer } from "../expressions/json-pointer.ts";
import type { OperationInfo } from "../openapi/operations.ts";
import type { LoadedSource } from "../openapi/sources.ts";
import type { StepContext } from "./binding-context.ts";
import { suggestion } from "./step-scope.ts";
import type { SourceModel } from "./types.ts";
import type { SourceLocation } from "../diagnostics.ts";

export type BoundOperation = { source: SourceModel; loaded: LoadedSource; operation: OperationInfo };

/** Finds the operation a step calls: `operationId` (optionally `$sourceDescriptions.<name>.<id>`) or `operationPath`. */
export function bindOperation(step: Step, at: DataPath, ctx: StepContext): BoundOperation | undefined {
  if (typeof step.operationId === "string") return byOperationId(step.operationId, at, ctx);
  if (typeof step.operationPath === "string") return byOperationPath(step.operationPath, at, ctx);
  ctx.diagnostics.error("missing-field", `step \`${step.stepId}\` names no operationId, operationPath or workflowId`, ctx.arazzo.locate(at));
  return undefined;
}

function withSource(ctx: StepContext, loaded: LoadedSource, operation: OperationInfo): BoundOperation {
  return { source: ctx.sources.find((s) => s.name === loaded.name)!, loaded, operation };
}

/** A source that failed to load was reported already; its operations cannot be checked. */
function unknownSource(ctx: StepContext, name: string, where: SourceLocation): undefined {
  if (!ctx.unavailableSources.has(name)) {
    ctx.diagnostics.error(
      "unknown-source",
      `source description \`${name}\` does not exist`,
      where,
      suggestion(
        name,
        ctx.loadedSources.map((s) => s.name),
      ),
    );
  }
  return undefined;
}

function byOperationId(written: string, at: DataPath, ctx: StepContext): BoundOperation | undefined {
  const { arazzo, diagnostics } = ctx;
  const idAt = arazzo.locate([...at, "operationId"]);
  let candidates = ctx.loadedSources;
  let operationId = written;
  if (operationId.startsWith("$")) {
    const parsed = parseExpression(operationId);
    if (!parsed.ok || parsed.value.expression.kind !== "sourceDescriptions") {
      diagnostics.error("invalid-expression", `operationId \`${operationId}\` must be a plain id or $sourceDescriptions.<name>.<operationId>`, idAt);
      return undefined;
    }
    const { name, reference } = parsed.value.expression;
    candidates = ctx.loadedSources.filter((s) => s.name === name);
    if (candidates.length === 0) return unknownSource(ctx, name, idAt);
    operationId = reference;
  } else if (ctx.unavailableSources.size > 0 && !candidates.some((s) => s.operations.byId.has(operationId))) {
    return undefined; // it may be in the source that failed to load
  }
  const matches = candidates.flatMap((s) => {
    const op = s.operations.byId.get(operationId);
    return op ? [withSource(ctx, s, op)] : [];
  });
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    diagnostics.error(
      "ambiguous-operation",
      `operationId \`${operationId}\` exists in several source descriptions (${matches.map((m) => m.source.name).join(", ")})`,
      idAt,
      `write $sourceDescriptions.${matches[0]!.source.name}.${operationId}`,
    );
    return undefined;
  }
  // operationIds are case-sensitive; one that differs only in case is unambiguous enough to use, with a warning.
  const caseInsensitive = candidates.flatMap((s) =>
    [...s.operations.byId].filter(([id]) => id.toLowerCase() === operationId.toLowerCase()).map(([, op]) => withSource(ctx, s, op)),
  );
  if (caseInsensitive.length === 1) {
    const found = caseInsensitive[0]!;
    diagnostics.warning(
      "operation-id-case",
      `operationId \`${operationId}\` does not exist; \`${found.operation.operationId}\` differs only in case and is used`,
      idAt,
      `write \`${written.replace(operationId, found.operation.operationId!)}\``,
    );
    return found;
  }
  diagnostics.error(
    "unknown-operation",
    `operationId \`${operationId}\` does not exist in ${candidates.map((s) => `\`${s.name}\``).join(", ") || "any source description"}`,
    idAt,
    suggestion(
      operationId,
      candidates.flatMap((s) => [...s.operations.byId.keys()]),
    ),
  );
  return undefined;
}

function byOperationPath(operationPath: string, at: DataPath, ctx: StepContext): BoundOperation | undefined {
  const { arazzo, diagnostics } = ctx;
  const pathAt = arazzo.locate([...at, "operationPath"]);
  const match = /^\{\$sourceDescriptions\.([^.}]+)\.url\}#(\/.*)$/.exec(operationPath);
  const pointer = match ? parseJsonPointer(match[2]!) : undefined;
  const form = "{$sourceDescriptions.<name>.url}#/paths/<escaped path>/<method>";
  if (!match || !pointer?.ok || pointer.value.length < 2 || pointer.value.length > 3 || pointer.value[0] !== "paths") {
    diagnostics.error("invalid-operation-path", `operationPath must look like ${form}`, pathAt);
    return undefined;
  }
  const source = ctx.loadedSources.find((s) => s.name === match[1]);
  if (!source) return unknownSource(ctx, match[1]!, pathAt);
  const [, path, method] = pointer.value as [string, string, string | undefined];
  if (method === undefined) {
    // A pointer to a path item (the spec's own LoginAndRetrievePets example) names an
    // operation only when the path has exactly one.
    const operations = [...source.operations.byPathAndMethod.values()].filter((op) => op.path === path);
    if (operations.length !== 1) {
      diagnostics.error(
        "invalid-operation-path",
        `operationPath points at path \`${path}\`, which has ${operations.length} operations; add the method`,
        pathAt,
        `write ${operationPath}/<method>`,
      );
      return undefined;
    }
    const only = operations[0]!;
    diagnostics.warning(
      "operation-path-method",
      `operationPath points at a path item, not an operation; its only operation, ${only.method.toUpperCase()}, is used`,
      pathAt,
      `write '${operationPath}/${only.method}'`,
    );
    return withSource(ctx, source, only);
  }
  const operation = source.operations.byPathAndMethod.get(`${method.toLowerCase()} ${path}`);
  if (!operation) {
    diagnostics.error("unknown-operation", `\`${source.name}\` has no operation ${method.toUpperCase()} ${path}`, pathAt);
    return undefined;
  }
  return withSource(ctx, source, operation);
}
