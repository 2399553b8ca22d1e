/**
 * Outputs written as constants (`status: completed`, `count: 0`, `done: true`): not runtime
 * expressions, which the spec requires, but what documents written for other runners do.
 * Each is a constant output of that literal's type, with a warning; text that is an expression
 * missing its `$` (`steps.a.outputs.id`) is an error that says so, not a constant.
 */
import type { DiagnosticBag, SourceLocation } from "../diagnostics.ts";
import type { ParsedExpression } from "../expressions/ast.ts";
import { EXPRESSION_ROOTS } from "../expressions/parse.ts";

/** Expression roots as written without their `$`: `steps.`, `statusCode`... */
const ROOTS = EXPRESSION_ROOTS.map((r) => r.slice(1));

/**
 * The constant an output value is, as an expression (`kind: "literal"`); `undefined` when it is
 * meant as a runtime expression (parse it); `null` when it is neither (reported).
 */
export function constantOutput(value: unknown, what: string, location: SourceLocation, diagnostics: DiagnosticBag): ParsedExpression | undefined | null {
  if (typeof value === "string") {
    if (value.startsWith("$") || value.includes("{$")) return undefined;
    const root = ROOTS.find((r) => (r.endsWith(".") ? value.startsWith(r) : value === r));
    if (root) {
      diagnostics.error("invalid-expression", `${what}: \`${value}\` is a runtime expression without its \`$\``, location, `write \`$${value}\``);
      return null;
    }
  } else if (typeof value !== "number" && typeof value !== "boolean" && value !== null) {
    return undefined;
  }
  const literal = value as string | number | boolean | null;
  const text = JSON.stringify(literal);
  diagnostics.warning(
    "constant-output",
    `${what} is the constant ${text}, not a runtime expression; it is that value in every run`,
    location,
    "outputs are runtime expressions (`$response.body#/status`); for a value the caller chooses, declare an input with a `default`",
  );
  return { text, expression: { kind: "literal", value: literal } };
}
