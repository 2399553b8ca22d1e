/**
 * Compiles model values, runtime expressions and criteria to TypeScript expressions.
 * What can be plain TypeScript is (`$statusCode == 200` → `result.response.status === 200`,
 * `$response.body#/id` → `result.data?.id`); Arazzo's loose, case-insensitive comparisons,
 * regex, JSONPath and XPath call small runtime helpers.
 */
import type { ConditionNode, ParsedExpression, TemplatePart } from "../../expressions/ast.ts";
import { formatJsonPointer } from "../../expressions/json-pointer.ts";
import { untypedSegments } from "../../ir/access-plan.ts";
import { untypedReadKey } from "../../ir/untyped-reads.ts";
import { INHERITED_NAMES, memberAccess, objectKey, propertyKey, stringLiteral } from "../../shared/names.ts";
import type { CriterionModel, StepModel, ValueModel } from "../../ir/types.ts";
import { accessReadCode } from "./type-code.ts";
import type { Imports } from "./imports.ts";
import type { SourceMapEntry } from "./source-map.ts";
import { longStringLiteral } from "./format.ts";

/** Where an expression is evaluated: which variables hold the step's result and the earlier outputs. */
export interface CodeScope {
  /** The step being emitted, when there is one. */
  readonly step?: StepModel;
  /** Variable holding the openapi-fetch result, when the response exists (criteria, outputs). */
  readonly result?: string;
  /** Variable holding a called workflow's outputs (`$outputs.<name>` in a workflow step). */
  readonly called?: string;
  /** Variable holding the message a message step sent or received (`$message`). */
  readonly message?: string;
  /**
   * How `$response.body` is read: `typed` from openapi-fetch's `data` (the documented
   * success body; success criteria, success actions, outputs), or `any` whichever body came
   * back, through the runtime (failure actions, where the response is often an error).
   */
  readonly body?: "typed" | "any";
  /**
   * Local variable that holds the documented JSON success body (typed by the step's
   * `Response` alias), declared by the step function only when some code reads it.
   */
  readonly typedBody?: { readonly name: string; used: boolean };
  /** Workflow inputs that may be absent (not required). */
  readonly optionalInputs?: ReadonlySet<string>;
  /** Receives the runtime helpers and modules the emitted code uses. */
  readonly imports: Imports;
  /** Receives where each emitted object entry came from, for mapping type errors back. */
  readonly sourceMap?: SourceMapEntry[];
  /** What an object entry at a pointer into the value is sent as ("field `/a` of the request body of `op`"), for type errors. */
  readonly fieldNote?: (at: readonly string[]) => string;
}

/**
 * `json`: the value is read as JSON (a JSONPath query's context): a body the step reads as
 * text (`OperationStepModel.parseAs`) is then the JSON the response holds, as its pointers are.
 */
export function expressionCode(parsed: ParsedExpression, scope: CodeScope, json = false): string {
  const e = parsed.expression;
  const access = (base: string, name: string, path: readonly string[], pointer: readonly string[]) =>
    pointerAccessCode(pointerAccessCode(readMember(base, name, scope.imports), path, scope), pointer, scope);
  switch (e.kind) {
    case "literal":
      return typeof e.value === "string" ? stringLiteral(e.value) : String(e.value);
    case "statusCode":
      return `${requireResult(scope, parsed)}.response.status`;
    case "url":
      return `${requireResult(scope, parsed)}.response.url`;
    case "method": {
      const step = requireStep(scope, parsed);
      if (step.kind !== "operation") break;
      return stringLiteral(step.operation.method.toUpperCase());
    }
    case "outputs":
      if (!scope.called) break;
      if (untypedField(parsed, scope)) return untypedRead(readMember(scope.called, e.name, scope.imports), [...e.path, ...e.pointer], scope);
      return access(scope.called, e.name, e.path, e.pointer);
    case "workflows": {
      // In the step that ran the workflow, its outputs are that step's result.
      const ran = scope.called && e.field === "outputs" && scope.step?.kind === "workflow" && scope.step.workflowId === e.workflowId;
      const base = ran ? scope.called! : `run.workflows${memberAccess(e.workflowId)}.${e.field}`;
      if (untypedField(parsed, scope)) return untypedRead(readMember(base, e.name, scope.imports), [...e.path, ...e.pointer], scope);
      return access(base, e.name, e.path, e.pointer);
    }
    case "inputs":
      if (untypedField(parsed, scope)) return untypedRead(readMember("inputs", e.name, scope.imports), [...e.path, ...e.pointer], scope);
      return access("inputs", e.name, e.path, e.pointer);
    case "inputsObject":
      return "inputs";
    case "steps":
      if (untypedField(parsed, scope))
        return untypedRead(readMember(`steps${memberAccess(e.stepId)}`, e.name, scope.imports), [...e.path, ...e.pointer], scope);
      return access(`steps${memberAccess(e.stepId)}`, e.name, e.path, e.pointer);
    case "response":
      if (e.source.in === "header") return `(${requireResult(scope, parsed)}.response.headers.get(${stringLiteral(e.source.name)}) ?? undefined)`;
      if (e.source.in === "body") {
        const result = requireResult(scope, parsed);
        // A body read as text (documented as another media type than JSON) stays text whole; its
        // pointers and JSONPath read the JSON the response holds (`responseJson`, `step.jsonBody`).
        const textAsJson = scope.step?.kind === "operation" && scope.step.parseAs === "text" && (json || e.source.pointer.length > 0);
        if (scope.body === "any" || textAsJson) {
          const body = `${scope.imports.use(RUNTIME, textAsJson ? "responseJson" : "responseBody")}(${result})`;
          if (e.source.pointer.length === 0) return body;
          return `${scope.imports.use(RUNTIME, "readPointer")}(${body}, [${e.source.pointer.map(stringLiteral).join(", ")}])`;
        }
        let data = `${result}.data`;
        if (scope.typedBody) {
          scope.typedBody.used = true;
          data = scope.typedBody.name;
        }
        const step = scope.step?.kind === "operation" ? scope.step : undefined;
        const plan = step?.responseAccess[formatJsonPointer(e.source.pointer)] ?? { read: untypedSegments(e.source.pointer), rest: [] };
        return noteHelpers(accessReadCode(data, plan), scope);
      }
      break;
    case "message": {
      // Arazzo 1.1: the message the step sent or received (`AsyncMessage`).
      if (!scope.message) throw new Error(`\`${parsed.text}\` needs a message`);
      if (e.source.in === "header") return `${scope.imports.use(MESSAGES, "messageHeader")}(${scope.message}, ${stringLiteral(e.source.name)})`;
      const step = scope.step?.kind === "message" ? scope.step : undefined;
      const plan = step?.payloadAccess[formatJsonPointer(e.source.pointer)];
      if (plan && scope.typedBody) {
        scope.typedBody.used = true;
        return noteHelpers(accessReadCode(scope.typedBody.name, plan), scope);
      }
      const payload = `${scope.message}.payload`;
      if (e.source.pointer.length === 0) return payload;
      return `${scope.imports.use(RUNTIME, "readPointer")}(${payload}, [${e.source.pointer.map(stringLiteral).join(", ")}])`;
    }
  }
  throw new Error(`expression \`${parsed.text}\` cannot be compiled here`);
}

function requireStep(scope: CodeScope, parsed: ParsedExpression): StepModel {
  if (!scope.step) throw new Error(`\`${parsed.text}\` needs a step`);
  return scope.step;
}

function requireResult(scope: CodeScope, parsed: ParsedExpression): string {
  if (!scope.result) throw new Error(`\`${parsed.text}\` needs a response`);
  return scope.result;
}

const RUNTIME = "./runtime.js";
const MESSAGES = "./runtime-messages.js";

/**
 * Reads `name` from an object the caller provides and that may lack it (the inputs, the
 * base URLs): a name every object inherits goes through `ownProperty`, so a missing
 * `constructor` input is undefined, not Object.
 */
export function readMember(base: string, name: string, imports: Imports, optional = false): string {
  if (INHERITED_NAMES.has(name)) return `${imports.use(RUNTIME, "ownProperty")}(${base}, ${stringLiteral(name)})`;
  const access = memberAccess(name);
  return optional ? `${base}?.${access.replace(/^\./, "")}` : `${base}${access}`;
}

/** A read the model found untyped (`StepModel.uncheckedReads`) with a pointer or path into it. */
function untypedField(parsed: ParsedExpression, scope: CodeScope): boolean {
  const e = parsed.expression;
  if ((e.kind !== "steps" && e.kind !== "inputs" && e.kind !== "workflows" && e.kind !== "outputs") || (e.path.length === 0 && e.pointer.length === 0))
    return false;
  return isUntypedRead(parsed, scope);
}

function isUntypedRead(parsed: ParsedExpression, scope: CodeScope): boolean {
  const key = untypedReadKey(parsed);
  return key !== undefined && scope.step?.uncheckedReads?.includes(key) === true;
}

/** Tokens under a value without a static type, read at run time (the compiler rejects property access on `unknown`). */
function untypedRead(base: string, tokens: readonly string[], scope: CodeScope): string {
  return `${scope.imports.use(RUNTIME, "readPointer")}(${base}, [${tokens.map(stringLiteral).join(", ")}])`;
}

function noteHelpers(code: string, scope: CodeScope): string {
  if (code.includes("ownProperty(")) scope.imports.use(RUNTIME, "ownProperty");
  if (code.includes("readPointer(")) scope.imports.use(RUNTIME, "readPointer");
  return code;
}

/** Dotted path segments or pointer tokens read from an object that may be absent. */
function pointerAccessCode(base: string, segments: readonly string[], scope: CodeScope): string {
  return segments.length ? noteHelpers(accessReadCode(base, { read: untypedSegments(segments), rest: [] }), scope) : base;
}

/**
 * The value a parameter or payload field sends, as TypeScript; objects are laid out one
 * entry per line (the formatter indents them, `format.ts`).
 */
export function valueCode(value: ValueModel, scope: CodeScope, at: readonly string[] = []): string {
  switch (value.kind) {
    case "literal":
      return typeof value.value === "string" ? stringLiteral(value.value) : String(value.value);
    case "expression": {
      const code = expressionCode(value.parsed, scope);
      // A value without a static type takes the field's, unchecked (`untyped-field`).
      return isUntypedRead(value.parsed, scope) ? `${code} as never` : code;
    }
    case "template":
      return templateCode(value.parts, scope);
    case "array":
      return value.items.length === 0 ? "[]" : `[${value.items.map((v, i) => valueCode(v, scope, [...at, String(i)])).join(", ")}]`;
    case "object": {
      if (value.entries.length === 0) return "{}";
      const lines = value.entries.map(([key, v]) => {
        const entry = `${objectKey(key)}: ${valueCode(v, scope, [...at, key])}`;
        const note = scope.fieldNote?.([...at, key]);
        scope.sourceMap?.push({ fragment: entry.split("\n")[0]!, location: v.location, ...(note ? { note } : {}) });
        const input = value.additionalKeys?.includes(key) ? optionalInput(v, scope) : undefined;
        // An index signature does not take `undefined`: an absent optional input leaves the key out.
        if (input) return `...(${input} === undefined ? {} : { ${entry} }),`;
        return `${entry},`;
      });
      return `{\n${lines.join("\n")}\n}`;
    }
  }
}

/** The code of a value that is exactly an optional workflow input (`inputs.x`), else undefined. */
function optionalInput(value: ValueModel, scope: CodeScope): string | undefined {
  if (value.kind !== "expression") return undefined;
  const e = value.parsed.expression;
  if (e.kind !== "inputs" || e.path.length || e.pointer.length || !scope.optionalInputs?.has(e.name)) return undefined;
  return expressionCode(value.parsed, scope);
}

/** A template literal; text parts are escaped so `` ` `` and `${` in spec text stay text. */
/** A template whose embedded values are URL-encoded (a `querystring` value: the text around them is the author's). */
export function encodedTemplateCode(parts: readonly TemplatePart[], scope: CodeScope): string {
  return templateCode(parts, scope, (code) => `encodeURIComponent(String(${code}))`);
}

function templateCode(parts: readonly TemplatePart[], scope: CodeScope, wrap: (code: string) => string = (code) => code): string {
  const body = parts
    .map((p) =>
      p.kind === "text"
        ? // Escaped, line breaks included: a raw line break would be re-indented with the code around it.
          p.value
            .replace(/\\/g, "\\u005c")
            .replace(/`/g, "\\`")
            .replace(/\$\{/g, "\\${")
            .replace(/\r/g, "\\r")
            .replace(/\n/g, "\\n")
            .replace(/\u2028/g, "\\u2028")
            .replace(/\u2029/g, "\\u2029")
        : `\${${wrap(expressionCode(p.parsed, scope))}}`,
    )
    .join("");
  return `\`${body}\``;
}

/** A simple condition as a boolean TypeScript expression. */
export function conditionCode(node: ConditionNode, scope: CodeScope): string {
  switch (node.kind) {
    case "literal":
      return literalCode(node.value);
    case "expression": {
      const base = expressionCode(node.parsed, scope);
      return node.accessors.reduce<string>(
        (code, a) =>
          typeof a === "number"
            ? `${code}?.[${a}]`
            : INHERITED_NAMES.has(a)
              ? `${scope.imports.use(RUNTIME, "ownProperty")}(${code}, ${stringLiteral(a)})`
              : `${code}${propertyKey(a) === a ? `?.${a}` : `?.[${stringLiteral(a)}]`}`,
        base,
      );
    }
    case "not":
      return `!${node.operand.kind === "binary" ? `(${conditionCode(node.operand, scope)})` : conditionCode(node.operand, scope)}`;
    case "binary": {
      const left = conditionCode(node.left, scope);
      const right = conditionCode(node.right, scope);
      switch (node.operator) {
        case "&&":
        case "||": {
          // Comparisons bind tighter than both; only `a || b` inside `&&` needs parentheses.
          const group = (operand: ConditionNode, code: string) =>
            node.operator === "&&" && operand.kind === "binary" && operand.operator === "||" ? `(${code})` : code;
          return `${group(node.left, left)} ${node.operator} ${group(node.right, right)}`;
        }
        case "==":
        case "!=":
          if (isNumeric(node.left) && isNumeric(node.right)) return `${left} ${node.operator}= ${right}`;
          scope.imports.use(RUNTIME, "looseEquals");
          return `${node.operator === "!=" ? "!" : ""}looseEquals(${left}, ${right})`;
        default:
          if (isNumeric(node.left) && isNumeric(node.right)) return `${left} ${node.operator} ${right}`;
          scope.imports.use(RUNTIME, "compare");
          return `compare(${left}, ${stringLiteral(node.operator)}, ${right})`;
      }
    }
  }
}

/** Operands known to be numbers at generation time: number literals and `$statusCode`. */
function isNumeric(node: ConditionNode): boolean {
  return (
    (node.kind === "literal" && typeof node.value === "number") ||
    (node.kind === "expression" && node.parsed.expression.kind === "statusCode" && node.accessors.length === 0)
  );
}

function literalCode(value: string | number | boolean | null): string {
  return typeof value === "string" ? stringLiteral(value) : String(value);
}

/** A criterion as a boolean TypeScript expression. */
export function criterionCode(criterion: CriterionModel, scope: CodeScope): string {
  switch (criterion.kind) {
    case "simple":
      return conditionCode(criterion.condition, scope);
    case "regex":
      return `${scope.imports.use(RUNTIME, "matchesPattern")}(${expressionCode(criterion.context, scope)}, ${longStringLiteral(criterion.pattern)})`;
    case "jsonpath":
      if (criterion.dialect === "goessner") {
        return `${scope.imports.use("./runtime-jsonpath-goessner.js", "goessnerJsonPathMatches")}(${expressionCode(criterion.context, scope, true)}, ${longStringLiteral(criterion.query)})`;
      }
      return `${scope.imports.use("./runtime-jsonpath.js", "jsonPathMatches")}(${expressionCode(criterion.context, scope, true)}, ${longStringLiteral(criterion.query)}, ${criterion.filtersContext})`;
    case "xpath":
      return `${scope.imports.use("./runtime-xpath.js", "xPathMatches")}(${expressionCode(criterion.context, scope)}, ${longStringLiteral(criterion.expression)})`;
  }
}

/**
 * The negation of a criterion, as a reader would write it: `a !== b` for `!(a === b)`,
 * `!looseEquals(a, b)` for a loose `==`, `!(…)` around anything else that has operators.
 */
export function negatedCriterionCode(criterion: CriterionModel, scope: CodeScope): string {
  if (criterion.kind !== "simple") return `!${criterionCode(criterion, scope)}`;
  const c = criterion.condition;
  if (c.kind === "binary" && (c.operator === "==" || c.operator === "!=")) return conditionCode({ ...c, operator: c.operator === "==" ? "!=" : "==" }, scope);
  return c.kind === "binary" || c.kind === "not" ? `!(${conditionCode(c, scope)})` : `!${conditionCode(c, scope)}`;
}

/** All criteria of a list as one condition (`true` for none). */
export function allCriteriaCode(criteria: readonly CriterionModel[], scope: CodeScope): string {
  if (criteria.length === 0) return "true";
  const needsGroup = (c: CriterionModel) => criteria.length > 1 && c.kind === "simple" && c.condition.kind === "binary" && c.condition.operator === "||";
  return criteria.map((c) => (needsGroup(c) ? `(${criterionCode(c, scope)})` : criterionCode(c, scope))).join(" && ");
}
