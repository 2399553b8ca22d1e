/**
 * AST of Arazzo runtime expressions (Arazzo 1.0.1 §"Runtime Expressions").
 *
 * One AST serves two consumers: type derivation (which OpenAPI schema or workflow
 * input a value comes from) and code emission (which variable or property access
 * produces it at run time). Parsers live in `parse.ts` (expressions), `template.ts`
 * (expressions embedded in strings) and `../criteria/` (conditions).
 */

/** A JSON Pointer (RFC 6901) already split and unescaped: `#/a~1b/0` → `["a/b", "0"]`. */
export type JsonPointer = readonly string[];

/** Where a parameter or header value is read from in a request or response. */
export type MessageSource =
  /** `plural`: written `headers.<name>` (Respect's form, not the ABNF's), read as `header.<name>` with a warning. */
  | { readonly in: "header"; readonly name: string; readonly plural?: true }
  | { readonly in: "query"; readonly name: string }
  | { readonly in: "path"; readonly name: string }
  /**
   * `body` alone (`pointer` empty) is the whole body. `dotted`: written `body.a.b` (not in the
   * ABNF, but in the 1.1 specification's own examples), read as `body#/a/b` with a warning.
   */
  | { readonly in: "body"; readonly pointer: JsonPointer; readonly dotted?: true };

/**
 * A named value with an optional way into it.
 *
 * `$inputs.customer.name#/first` → `{ name: "customer", path: ["name"], pointer: ["first"] }`.
 * `path` holds further dot-separated segments (the ABNF `name` rule allows dots);
 * `pointer` holds a trailing `#/json/pointer` (the spec's `$steps.x.outputs.pets#/0/id` form).
 */
export interface NamedValue {
  readonly name: string;
  readonly path: readonly string[];
  readonly pointer: JsonPointer;
}

export type RuntimeExpression =
  | { readonly kind: "url" }
  | { readonly kind: "method" }
  | { readonly kind: "statusCode" }
  | { readonly kind: "request"; readonly source: MessageSource }
  | { readonly kind: "response"; readonly source: MessageSource }
  /**
   * Arazzo 1.1 `$message.header.<name>` and `$message.payload#/…`: the message an AsyncAPI step
   * sent or received. The payload is a `body` source here (`pointer` into it), as it is read alike.
   */
  | {
      readonly kind: "message";
      readonly source:
        | { readonly in: "header"; readonly name: string; readonly plural?: true }
        | { readonly in: "body"; readonly pointer: JsonPointer; readonly dotted?: true };
    }
  | ({ readonly kind: "inputs" } & NamedValue)
  /**
   * `$inputs` alone: the whole workflow inputs object. Not in the ABNF (which requires
   * `$inputs.<name>`) and never produced by `parseExpression`; criteria accept it as a
   * `context`, with a warning (see `ir/criteria.ts`).
   */
  | { readonly kind: "inputsObject" }
  | ({ readonly kind: "outputs" } & NamedValue)
  /**
   * `$steps.<stepId>.outputs.<name>…`; the spec defines only `outputs` under a step. `bare`:
   * written `$steps.<stepId>.<name>` (other runners' form), read as the output `<name>` when
   * the step has one, with a warning (`ir/step-scope.ts`).
   */
  | ({ readonly kind: "steps"; readonly stepId: string; readonly field: "outputs"; readonly bare?: true } & NamedValue)
  /** `$workflows.<workflowId>.inputs|outputs.<name>…` */
  | ({ readonly kind: "workflows"; readonly workflowId: string; readonly field: "inputs" | "outputs" } & NamedValue)
  /**
   * `$sourceDescriptions.<name>.<reference>`: `reference` is an operationId, a workflowId,
   * or `url` (as in `{$sourceDescriptions.petStore.url}#/paths/...`). Empty when absent.
   */
  | { readonly kind: "sourceDescriptions"; readonly name: string; readonly reference: string }
  /** `$components.<type>.<name>`, e.g. `$components.parameters.foo`, `$components.inputs.bar`. */
  | ({ readonly kind: "components"; readonly type: string } & NamedValue)
  /**
   * A constant output value (`status: completed`, `count: 0`): not a runtime expression, but
   * what other runners' documents write; built by the IR (`ir/constant-outputs.ts`), never parsed.
   */
  | { readonly kind: "literal"; readonly value: string | number | boolean | null };

/** A parsed expression with the exact text it came from. */
export interface ParsedExpression {
  readonly text: string;
  readonly expression: RuntimeExpression;
}

/** A parse failure: `offset` is the 0-based character offset in the input where it went wrong. */
export interface ExpressionSyntaxError {
  readonly message: string;
  readonly offset: number;
}

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ExpressionSyntaxError };

/**
 * A string value split into literal text and embedded expressions.
 *
 * `braced` is true for the spec's `{$expr}` form. `false` marks a bare expression inside
 * a longer string (`"Bearer $steps.a.outputs.token"`), which the spec reads as literal
 * text but authors mean as an expression: the generator accepts it with a warning.
 * `start`/`end` are 0-based offsets of the whole segment (braces included) in the string.
 */
export type TemplatePart =
  | { readonly kind: "text"; readonly value: string }
  | {
      readonly kind: "expression";
      readonly parsed: ParsedExpression;
      readonly braced: boolean;
      readonly start: number;
      readonly end: number;
    };

/**
 * How a string value from the document is to be read:
 * - `expression`: the whole string is one runtime expression (`$inputs.x`), keeping the
 *   referenced value's type ("Runtime expressions preserve the type of the referenced value");
 * - `template`: text with embedded expressions, always a string;
 * - `literal`: plain text.
 */
export type ValueSyntax =
  | { readonly kind: "expression"; readonly parsed: ParsedExpression }
  | { readonly kind: "template"; readonly parts: readonly TemplatePart[] }
  | { readonly kind: "literal"; readonly value: string };

/** Simple-condition AST (Arazzo 1.0.1 §"Criterion Object": literals and operators). */
export type ConditionNode =
  | { readonly kind: "literal"; readonly value: string | number | boolean | null }
  /**
   * A runtime expression operand, with trailing `.prop` / `[0]` de-references the spec's
   * operator table allows (`$response.body#/items[0]` is not valid: the pointer already
   * covers it, but `$steps.a.outputs.list[0].id` is).
   */
  | {
      readonly kind: "expression";
      readonly parsed: ParsedExpression;
      readonly accessors: readonly (string | number)[];
    }
  | { readonly kind: "not"; readonly operand: ConditionNode }
  | {
      readonly kind: "binary";
      readonly operator: "<" | "<=" | ">" | ">=" | "==" | "!=" | "&&" | "||";
      readonly left: ConditionNode;
      readonly right: ConditionNode;
    };
