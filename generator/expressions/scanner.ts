/**
 * What the hand-written parsers share: syntax errors thrown as `SyntaxFailure` inside and
 * returned as a `ParseResult` outside (runtime expressions, `parse.ts`; conditions); and for
 * the condition parsers (`criteria/simple.ts`, `criteria/jsonpath-lenient.ts`) a cursor over
 * the text with whitespace and tokens.
 */
import type { ParseResult } from "../expressions/ast.ts";

/** A reading failure at `offset` (0-based) in the text. */
export class SyntaxFailure extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function fail(message: string, offset: number): never {
  throw new SyntaxFailure(message, offset);
}

/** Runs a reader that throws `SyntaxFailure`, giving its value or the failure as a `ParseResult`. */
export function parseResult<T>(read: () => T): ParseResult<T> {
  try {
    return { ok: true, value: read() };
  } catch (error) {
    if (error instanceof SyntaxFailure) return { ok: false, error: { message: error.message, offset: error.offset } };
    throw error;
  }
}

const OPERATOR_HINTS: Readonly<Record<string, string>> = { "=": "; did you mean `==`?", "&": "; did you mean `&&`?", "|": "; did you mean `||`?" };

/** The cursor over a condition's text that both parsers move. */
export abstract class ConditionScanner {
  protected pos = 0;

  constructor(protected readonly text: string) {}

  /** Skips whitespace, then consumes `token` if it comes next. */
  protected accept(token: string): boolean {
    this.skipWhitespace();
    if (!this.text.startsWith(token, this.pos)) return false;
    this.pos += token.length;
    return true;
  }

  protected skipWhitespace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  /** Fails at the current position, naming the word or character found and what was expected. */
  protected unexpected(expected: string): never {
    const ch = this.text[this.pos]!;
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos))?.[0] ?? ch;
    return fail(`unexpected \`${word}\`; expected ${expected}${OPERATOR_HINTS[ch] ?? ""}`, this.pos);
  }
}
