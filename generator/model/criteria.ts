/**
 * Criterion Objects (Arazzo 1.0.1 §"Criterion Object", §"Criterion Expression Type Object")
 * for success criteria and action criteria: `simple` conditions, `regex` against a
 * context, `jsonpath` (RFC 9535 by default, or `draft-goessner-dispatch-jsonpath-00`) and
 * `xpath` (evaluated as XPath 1.0). Each is parsed and validated here, at generation time.
 */
import parseJsonPath from "jsonpath-rfc9535/parser";
import type { DiagnosticBag, SourceLocation } from "../diagnostics.ts";
import type { ConditionNode, ParsedExpression } from "../expressions/ast.ts";
import { parseCondition } from "../criteria/simple.ts";
import { parseExpression } from "../expressions/parse.ts";
import type { Criterion } from "../load/arazzo-document.ts";
import type { DataPath, LoadedDocument } from "../load/document.ts";
import type { CriterionModel } from "./types.ts";

export type ReferenceCheck = (parsed: ParsedExpression, at: SourceLocation) => void;

const JSONPATH_VERSIONS = ["draft-goessner-dispatch-jsonpath-00"];
const XPATH_VERSIONS = ["xpath-30", "xpath-20", "xpath-10"];

export function buildCriteria(
  list: unknown,
  at: DataPath,
  doc: LoadedDocument,
  diagnostics: DiagnosticBag,
  check: ReferenceCheck,
): CriterionModel[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    diagnostics.error("invalid-type", "criteria must be a list of Criterion Objects", doc.locate(at));
    return [];
  }
  return list.flatMap((raw, i) => {
    const criterion = buildCriterion(raw as Criterion, [...at, i], doc, diagnostics, check);
    return criterion ? [criterion] : [];
  });
}

function buildCriterion(
  criterion: Criterion,
  at: DataPath,
  doc: LoadedDocument,
  diagnostics: DiagnosticBag,
  check: ReferenceCheck,
): CriterionModel | undefined {
  const location = doc.locate([...at, "condition"]);
  const text = criterion?.condition;
  if (typeof text !== "string") {
    diagnostics.error("missing-field", "criterion has no `condition`", doc.locate(at));
    return undefined;
  }
  const typeField = criterion.type;
  const type = typeof typeField === "object" && typeField !== null ? typeField.type : (typeField ?? "simple");
  const version = typeof typeField === "object" && typeField !== null ? typeField.version : undefined;
  const typeLocation = doc.locate([...at, "type"]);

  if (type === "simple") {
    const parsed = parseCondition(text);
    if (!parsed.ok) {
      const jsonPathLike = /^\$[.[]/.test(text.trim());
      diagnostics.error(
        "invalid-condition",
        `${parsed.error.message} (at character ${parsed.error.offset + 1} of \`${text}\`)`,
        location,
        jsonPathLike ? "a JSONPath condition needs `type: jsonpath` and a `context` such as `$response.body`" : undefined,
      );
      return undefined;
    }
    for (const e of conditionExpressions(parsed.value)) check(e, location);
    return { kind: "simple", text, condition: parsed.value, location };
  }

  // The other types apply to a context.
  const contextText = criterion.context;
  if (typeof contextText !== "string") {
    diagnostics.error("missing-context", `a \`${type}\` criterion needs a \`context\` (e.g. \`$response.body\`)`, doc.locate(at));
    return undefined;
  }
  const contextParsed = parseExpression(contextText);
  if (!contextParsed.ok) {
    diagnostics.error("invalid-expression", `context: ${contextParsed.error.message}`, doc.locate([...at, "context"]));
    return undefined;
  }
  const context = contextParsed.value;
  check(context, doc.locate([...at, "context"]));

  switch (type) {
    case "regex":
      try {
        new RegExp(text);
      } catch (error) {
        diagnostics.error("invalid-regex", `not an ECMAScript regular expression: ${(error as Error).message}`, location);
        return undefined;
      }
      return { kind: "regex", text, context, pattern: text, location };
    case "jsonpath": {
      if (version !== undefined && !JSONPATH_VERSIONS.includes(version)) {
        diagnostics.error("unknown-version", `JSONPath version \`${version}\` is not one the spec allows (${JSONPATH_VERSIONS.join(", ")})`, typeLocation);
        return undefined;
      }
      if (version === "draft-goessner-dispatch-jsonpath-00") {
        return { kind: "jsonpath", text, context, query: text, dialect: "goessner", filtersContext: false, location };
      }
      const query = rfc9535Query(text, location, diagnostics);
      return query && { kind: "jsonpath", text, context, query: query.query, dialect: "rfc9535", filtersContext: query.filtersContext, location };
    }
    case "xpath":
      if (version !== undefined && !XPATH_VERSIONS.includes(version)) {
        diagnostics.error("unknown-version", `XPath version \`${version}\` is not one the spec allows (${XPATH_VERSIONS.join(", ")})`, typeLocation);
        return undefined;
      }
      if (version !== "xpath-10") {
        diagnostics.warning("xpath-version", `XPath ${version ?? "3.1 (the default)"} is evaluated as XPath 1.0, the version the runtime implements`, typeLocation, "expressions beyond XPath 1.0 fail at generation time");
      }
      return { kind: "xpath", text, context, expression: text, location };
    default:
      diagnostics.error("unknown-criterion-type", `criterion type \`${String(type)}\` is not simple, regex, jsonpath or xpath`, typeLocation);
      return undefined;
  }
}

/**
 * Validates an RFC 9535 query. Conditions written as `$.status == "x"` or
 * `$.status in ["a", "b"]` are not JSONPath; where the meaning is plain, they are
 * rewritten to the filter the author meant, with a warning showing it.
 */
function rfc9535Query(text: string, location: SourceLocation, diagnostics: DiagnosticBag): { query: string; filtersContext: boolean } | undefined {
  const parsed = tryParse(text);
  if (parsed.ok) return { query: text, filtersContext: startsWithFilter(parsed.ast) };
  const rewritten = rewriteComparison(text);
  if (rewritten && tryParse(rewritten).ok) {
    diagnostics.warning(
      "jsonpath-comparison",
      `\`${text}\` is not an RFC 9535 JSONPath query; it is read as the filter \`${rewritten}\`, which holds when the context matches`,
      location,
      `write \`condition: ${rewritten}\``,
    );
    return { query: rewritten, filtersContext: true };
  }
  diagnostics.error("invalid-jsonpath", `not an RFC 9535 JSONPath query: ${parsed.message}`, location);
  return undefined;
}

function tryParse(text: string): { ok: true; ast: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, ast: parseJsonPath(text) };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

/** `$[?…]` as the first segment: the filter is meant to test the context itself (as in the spec's examples). */
function startsWithFilter(ast: unknown): boolean {
  const first = (ast as { segments?: { type?: string; node?: { type?: string; selectors?: { type?: string }[] } }[] }).segments?.[0];
  return first?.type === "ChildSegment" && first.node?.type === "BracketedSelection" && first.node.selectors?.length === 1 && first.node.selectors[0]?.type === "FilterSelector";
}

/** `$.a.b == "x"` → `$[?@.a.b == 'x']`; `$.a in ["x", 1]` → `$[?@.a == 'x' || @.a == 1]`. */
export function rewriteComparison(text: string): string | undefined {
  const match = /^\s*\$((?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*(==|!=|in)\s*(.+?)\s*$/.exec(text);
  if (!match) return undefined;
  const [, path, operator, right] = match as unknown as [string, string, string, string];
  const literal = (value: unknown): string | undefined => {
    if (typeof value === "string") return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
    if (typeof value === "number" || typeof value === "boolean" || value === null) return JSON.stringify(value);
    return undefined;
  };
  let value: unknown;
  try {
    value = JSON.parse(right.replace(/^'(.*)'$/, (_, s: string) => JSON.stringify(s)));
  } catch {
    return undefined;
  }
  if (operator === "in") {
    if (!Array.isArray(value) || value.length === 0) return undefined;
    const parts = value.map(literal);
    if (parts.some((p) => p === undefined)) return undefined;
    return `$[?${parts.map((p) => `@${path} == ${p}`).join(" || ")}]`;
  }
  const lit = literal(value);
  return lit === undefined ? undefined : `$[?@${path} ${operator} ${lit}]`;
}

export function* conditionExpressions(node: ConditionNode): Generator<ParsedExpression> {
  switch (node.kind) {
    case "expression":
      yield node.parsed;
      return;
    case "not":
      yield* conditionExpressions(node.operand);
      return;
    case "binary":
      yield* conditionExpressions(node.left);
      yield* conditionExpressions(node.right);
      return;
  }
}

/** Status codes a criterion tests with `$statusCode == N` (any depth under `&&`/`||`). */
export function statusesIn(criterion: CriterionModel): string[] {
  return criterion.kind === "simple" ? statusesInCondition(criterion.condition) : [];
}

function statusesInCondition(node: ConditionNode): string[] {
  if (node.kind !== "binary") return [];
  if (node.operator === "==") {
    const [l, r] = [node.left, node.right];
    if (l.kind === "expression" && l.parsed.expression.kind === "statusCode" && r.kind === "literal") return [String(r.value)];
    if (r.kind === "expression" && r.parsed.expression.kind === "statusCode" && l.kind === "literal") return [String(l.value)];
  }
  return node.operator === "&&" || node.operator === "||" ? [...statusesInCondition(node.left), ...statusesInCondition(node.right)] : [];
}
