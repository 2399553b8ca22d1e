/**
 * Criterion Objects (Arazzo 1.0.1 §"Criterion Object", §"Criterion Expression Type Object")
 * for success criteria and action criteria: `simple` conditions, `regex` against a
 * context, `jsonpath` (RFC 9535 by default, or `draft-goessner-dispatch-jsonpath-00`) and
 * `xpath` (evaluated as XPath 1.0). Each is parsed and validated here, at generation time.
 */
import { jsonpath } from "json-p3";
import type { DiagnosticBag, SourceLocation } from "../diagnostics.ts";
import type { ConditionNode, ParsedExpression } from "../expressions/ast.ts";
import { unsafeGoessnerScript } from "../criteria/goessner-safety.ts";
import { lenientExpressions, lenientPaths, parseLenientJsonPath } from "../criteria/jsonpath-lenient.ts";
import { toRfc9535Filter, toSimpleCondition } from "../criteria/jsonpath-lenient-print.ts";
import { parseCondition, parseConditionNoting, singleQuoted } from "../criteria/simple.ts";
import { parseExpression } from "../expressions/parse.ts";
import type { Criterion } from "../load/arazzo-document.ts";
import type { DataPath, LoadedDocument } from "../load/document.ts";
import type { CriterionModel } from "./types.ts";
import { soleSelector } from "../shared/jsonpath-ast.ts";

export type ReferenceCheck = (parsed: ParsedExpression, at: SourceLocation) => void;

const JSONPATH_VERSIONS = ["draft-goessner-dispatch-jsonpath-00"];
const XPATH_VERSIONS = ["xpath-30", "xpath-20", "xpath-10"];

export function buildCriteria(list: unknown, at: DataPath, doc: LoadedDocument, diagnostics: DiagnosticBag, check: ReferenceCheck): CriterionModel[] {
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
    const parsed = parseConditionNoting(text);
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
    const { condition, doubleQuoted } = parsed.value;
    if (doubleQuoted.length > 0) {
      const strings = doubleQuoted.map((s) => `\`${text.slice(s.start, s.end)}\``).join(", ");
      diagnostics.warning(
        "double-quoted-string",
        `strings in conditions use single quotes; ${strings} ${doubleQuoted.length === 1 ? "is read as the JSON string it spells" : "are read as the JSON strings they spell"}`,
        location,
        `write \`condition: ${singleQuoted(text, doubleQuoted)}\``,
      );
    }
    for (const e of conditionExpressions(condition)) check(e, location);
    return { kind: "simple", text, condition, location };
  }

  // The other types apply to a context.
  const contextText = criterion.context;
  if (typeof contextText !== "string") {
    diagnostics.error("missing-context", `a \`${type}\` criterion needs a \`context\` (e.g. \`$response.body\`)`, doc.locate(at));
    return undefined;
  }
  const contextLocation = doc.locate([...at, "context"]);
  let context: ParsedExpression;
  if (contextText === "$inputs") {
    // The ABNF requires `$inputs.<name>`, but `$inputs` alone can only mean all of them.
    diagnostics.warning(
      "bare-inputs-context",
      "`$inputs` alone is not a runtime expression (the ABNF requires `$inputs.<name>`); it is read as the object of all workflow inputs",
      contextLocation,
      "name the input: `context: $inputs.<name>`, or test it in a simple condition (`condition: $inputs.<name> == …`, no `context`)",
    );
    context = { text: contextText, expression: { kind: "inputsObject" } };
  } else {
    const contextParsed = parseExpression(contextText);
    if (!contextParsed.ok) {
      diagnostics.error("invalid-expression", `context: ${contextParsed.error.message}`, contextLocation);
      return undefined;
    }
    context = contextParsed.value;
    check(context, contextLocation);
  }

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
        const unsafe = unsafeGoessnerScript(text);
        if (unsafe) {
          diagnostics.error(
            "unsafe-jsonpath",
            `${unsafe}: a Goessner JSONPath script runs inside the services that use the generated package, so only paths on \`@\`/\`$\`, literals and operators are accepted`,
            location,
            "compare fields, e.g. `$.items[?(@.status == 'done')]`, or use an RFC 9535 query (no `version`)",
          );
          return undefined;
        }
        return { kind: "jsonpath", text, context, query: text, dialect: "goessner", filtersContext: false, location };
      }
      return rfc9535Criterion(text, context, location, diagnostics, check);
    }
    case "xpath":
      if (version !== undefined && !XPATH_VERSIONS.includes(version)) {
        diagnostics.error("unknown-version", `XPath version \`${version}\` is not one the spec allows (${XPATH_VERSIONS.join(", ")})`, typeLocation);
        return undefined;
      }
      if (version !== "xpath-10") {
        diagnostics.warning(
          "xpath-version",
          `XPath ${version ?? "3.1 (the default)"} is evaluated as XPath 1.0, the version the runtime implements`,
          typeLocation,
          "expressions beyond XPath 1.0 fail at generation time",
        );
      }
      return { kind: "xpath", text, context, expression: text, location };
    default:
      diagnostics.error("unknown-criterion-type", `criterion type \`${String(type)}\` is not simple, regex, jsonpath or xpath`, typeLocation);
      return undefined;
  }
}

/**
 * An RFC 9535 criterion. A condition that is not an RFC 9535 query but a comparison in
 * the JSONPath-like dialect real documents write (`$.state == "running"`,
 * `$.results.length > 0`: see `criteria/jsonpath-lenient.ts`) is read as what it plainly
 * means, with a warning showing the condition to write instead:
 * - without runtime-expression operands, the RFC 9535 filter on the context
 *   (`$[?@.state == 'running']`);
 * - with them (`$.result.value == $inputs.sslValue`), which RFC 9535 cannot refer to, the
 *   simple condition with the context's paths as JSON pointers
 *   (`$response.body#/result/value == $inputs.sslValue`), compiled as simple conditions are.
 */
function rfc9535Criterion(
  text: string,
  context: ParsedExpression,
  location: SourceLocation,
  diagnostics: DiagnosticBag,
  check: ReferenceCheck,
): CriterionModel | undefined {
  const parsed = tryParse(text);
  if (parsed.ok) {
    return { kind: "jsonpath", text, context, query: text, dialect: "rfc9535", filtersContext: startsWithFilter(parsed.ast), location };
  }
  const lenient = parseLenientJsonPath(text);
  if (!lenient.ok) {
    // Report the reading the author attempted: an RFC 9535 query with a mistake in it (its
    // parser got further, and not just up to a comparison), or a comparison.
    if (parsed.offset > lenient.error.offset && !/[=!<>&|]/.test(text[parsed.offset] ?? "")) {
      diagnostics.error("invalid-jsonpath", `not an RFC 9535 JSONPath query: ${parsed.message} (at character ${parsed.offset + 1})`, location, JSONPATH_HINT);
    } else {
      diagnostics.error(
        "invalid-jsonpath",
        `not an RFC 9535 JSONPath query, nor a comparison arazzo-ts can read: ${lenient.error.message} (at character ${lenient.error.offset + 1} of \`${text}\`)`,
        location,
        JSONPATH_HINT,
      );
    }
    return undefined;
  }
  const node = lenient.value;
  const expressions = [...lenientExpressions(node)];
  if (context.expression.kind === "inputsObject") {
    // On `context: $inputs`, `$.name` reads input `name`: checked like `$inputs.name`.
    for (const path of lenientPaths(node)) {
      const name = path.segments[0];
      if (typeof name === "string") check({ text: `$inputs.${name}`, expression: { kind: "inputs", name, path: [], pointer: [] } }, location);
    }
  }
  if (expressions.length === 0) {
    const filter = toRfc9535Filter(node);
    const check9535 = tryParse(filter);
    if (!check9535.ok) {
      diagnostics.error("invalid-jsonpath", `\`${text}\` reads as \`${filter}\`, which is not RFC 9535 either: ${check9535.message}`, location);
      return undefined;
    }
    diagnostics.warning(
      "jsonpath-comparison",
      `\`${text}\` is not an RFC 9535 JSONPath query; it is read as the filter \`${filter}\`, which holds when the context matches`,
      location,
      `write \`condition: ${filter}\``,
    );
    const paths = [...lenientPaths(node)].map((p) => p.segments.map(String));
    return { kind: "jsonpath", text, context, query: filter, dialect: "rfc9535", filtersContext: true, location, paths, lenient: node };
  }
  const simple = toSimpleCondition(node, context);
  const condition = simple.ok ? parseCondition(simple.value) : undefined;
  if (!simple.ok || !condition?.ok) {
    const why = !simple.ok
      ? `${simple.error.message} (at character ${simple.error.offset + 1} of \`${text}\`)`
      : `\`${simple.value}\`: ${condition && !condition.ok ? condition.error.message : ""}`;
    diagnostics.error(
      "invalid-jsonpath",
      `not an RFC 9535 JSONPath query, and RFC 9535 cannot compare with a runtime expression; it cannot be read as a simple condition either: ${why}`,
      location,
    );
    return undefined;
  }
  for (const e of expressions) check(e, location);
  diagnostics.warning(
    "jsonpath-comparison",
    `\`${text}\` is not an RFC 9535 JSONPath query, and RFC 9535 cannot compare with a runtime expression; it is read as the simple condition \`${simple.value}\``,
    location,
    `write \`condition: ${simple.value}\` (type: simple)`,
  );
  return { kind: "simple", text, condition: condition.value, location };
}

const JSONPATH_HINT =
  "a condition on the context is an RFC 9535 filter, e.g. `$[?@.status == 'done']`; a comparison with runtime expressions is a simple condition";

/**
 * `text` parsed by the RFC 9535 parser the generated code runs (`json-p3`, whose parser also
 * rejects what RFC 9535 §2.4.3 makes ill-typed, such as `$[?length(@.*) < 3]`); on failure its
 * message without the excerpt it appends, and the 0-based offset it points at.
 */
function tryParse(text: string): { ok: true; ast: jsonpath.JSONPathQuery } | { ok: false; message: string; offset: number } {
  try {
    return { ok: true, ast: jsonpath.compile(text) };
  } catch (error) {
    const { message, token } = error as { message: string; token?: { index?: number } };
    // json-p3 appends ` ('<up to 9 characters around it>':<offset>)`; the diagnostic says where itself.
    return { ok: false, message: message.replace(/ \('[\s\S]{0,9}':\d+\)$/, ""), offset: token?.index ?? 0 };
  }
}

/** `$[?…]` as the first segment: the filter is meant to test the context itself (as in the spec's examples). */
function startsWithFilter(ast: jsonpath.JSONPathQuery): boolean {
  const first = ast.segments[0];
  return first !== undefined && soleSelector(first) instanceof jsonpath.selectors.FilterSelector;
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
/**
 * The statuses a response must have for all `criteria` to hold, when they say (`$statusCode
 * == 201`, also inside `&&`, or on both sides of `||`); undefined when they do not.
 */
export function impliedStatuses(criteria: readonly CriterionModel[]): Set<string> | undefined {
  let implied: Set<string> | undefined;
  for (const c of criteria) {
    const statuses = c.kind === "simple" ? impliedByCondition(c.condition) : undefined;
    if (statuses) implied = implied ? new Set([...implied].filter((s) => statuses.has(s))) : statuses;
  }
  return implied;
}

function impliedByCondition(node: ConditionNode): Set<string> | undefined {
  if (node.kind !== "binary") return undefined;
  if (node.operator === "==") {
    const single = statusesInCondition(node);
    return single.length ? new Set(single) : undefined;
  }
  const [left, right] = [impliedByCondition(node.left), impliedByCondition(node.right)];
  if (node.operator === "&&") return left && right ? new Set([...left].filter((s) => right.has(s))) : (left ?? right);
  if (node.operator === "||") return left && right ? new Set([...left, ...right]) : undefined;
  return undefined;
}

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
