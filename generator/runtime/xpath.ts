/**
 * XPath criteria (Arazzo 1.0.1 §"Criterion Object", type `xpath`), evaluated as XPath 1.0
 * by `xpath` over a DOM parsed by `@xmldom/xmldom`. The context is XML text (a response
 * body read as text). The criterion holds when the expression is true: a non-empty node
 * set, a non-empty string, a non-zero number or the boolean `true`.
 */
import { DOMParser } from "@xmldom/xmldom";
import xpath from "xpath";

export function xPathMatches(context: unknown, expression: string): boolean {
  const document = xmlDocument(context);
  if (!document) return false;
  const result = xpath.select(expression, document as unknown as Node);
  if (Array.isArray(result)) return result.length > 0;
  if (typeof result === "string") return result.length > 0;
  if (typeof result === "number") return result !== 0 && !Number.isNaN(result);
  return result === true;
}

/**
 * An Arazzo 1.1 Selector Object of type `xpath` read at run time: the expression's string,
 * number or boolean value, or the text of the first node it selects (undefined for none, or
 * for a context that is not XML text).
 */
export function xPathSelect(context: unknown, expression: string): string | number | boolean | undefined {
  const document = xmlDocument(context);
  if (!document) return undefined;
  const result = xpath.select(expression, document as unknown as Node);
  if (Array.isArray(result)) return result.length ? ((result[0] as Node).textContent ?? undefined) : undefined;
  return result as string | number | boolean;
}

/** The context as an XML document: undefined for what is not XML text. */
function xmlDocument(context: unknown): Document | undefined {
  if (typeof context !== "string" || context.trim() === "") return undefined;
  try {
    return new DOMParser({ onError: () => undefined }).parseFromString(context, "text/xml") as unknown as Document;
  } catch {
    return undefined;
  }
}
