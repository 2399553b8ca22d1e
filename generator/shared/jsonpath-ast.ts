/**
 * Reading json-p3's parsed RFC 9535 JSONPath queries the way three stages need it: the Arazzo
 * 1.1 selectors (`validate/selectors.ts`), criteria (`ir/criteria.ts`) and the mocks' filters
 * (`targets/typescript/mock-filter.ts`): the one selector of a child segment, and a query of
 * names and non-negative indexes as JSON Pointer tokens.
 */
import { jsonpath } from "json-p3";

/** The selector of a child segment that has exactly one (`.a`, `[0]`, `[?…]`); undefined for a `..` segment or a list (`['a','b']`). */
export function soleSelector(segment: jsonpath.JSONPathSegment): jsonpath.JSONPathSelector | undefined {
  return segment.token.kind !== jsonpath.TokenKind.DDOT && segment.selectors.length === 1 ? segment.selectors[0] : undefined;
}

/** The tokens of selectors that are all names or non-negative indexes, as a JSON Pointer's (`a`, `0`); undefined when one is not. */
export function selectorTokens(selectors: readonly (jsonpath.JSONPathSelector | undefined)[]): string[] | undefined {
  const tokens: string[] = [];
  for (const selector of selectors) {
    if (selector instanceof jsonpath.selectors.NameSelector) tokens.push(selector.name);
    else if (selector instanceof jsonpath.selectors.IndexSelector && selector.index >= 0) tokens.push(String(selector.index));
    else return undefined;
  }
  return tokens;
}
