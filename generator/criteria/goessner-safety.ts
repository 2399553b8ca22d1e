/**
 * Goessner JSONPath (`draft-goessner-dispatch-jsonpath-00`) lets filter and script
 * expressions (`?(...)`, `(...)`) hold JavaScript, which jsonpath-plus evaluates in its
 * "safe" evaluator at run time, inside the service that imports the generated package. The
 * expression comes from the Arazzo document, so a hostile document must not be able to reach
 * anything through it, whatever that evaluator's own escapes (its 11.0 releases fixed two).
 *
 * So only the data subset is accepted, checked at generation time: paths on `@`/`$`
 * (`@.price`, `@['a b']`, `@.items[0]`, `@.length`), string/number/boolean/null literals,
 * comparison, arithmetic and logical operators, and parentheses. No calls, no other
 * identifiers, no member names that lead to the prototype chain.
 */

const LITERAL_STRING = /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g;
const FORBIDDEN_NAMES = /(?:^|[^\w$])(?:constructor|__proto__|prototype|__defineGetter__|__defineSetter__|__lookupGetter__|__lookupSetter__)(?![\w$])/;

/** The reason a Goessner query's scripts are not plain data expressions, or undefined when they are. */
export function unsafeGoessnerScript(query: string): string | undefined {
  if (/\[\s*\?(?!\()/.test(query.replace(LITERAL_STRING, "''"))) return "a filter must be written `[?(…)]`";
  for (const script of scripts(query)) {
    const strings = script.match(LITERAL_STRING) ?? [];
    if (strings.some((s) => FORBIDDEN_NAMES.test(s.slice(1, -1)))) return `\`${script}\` names a member of the prototype chain`;
    const code = script.replace(LITERAL_STRING, "''");
    if (FORBIDDEN_NAMES.test(code)) return `\`${script}\` names a member of the prototype chain`;
    // No assignment, arrow, template, statement or block: `=` only inside comparison operators.
    if (/[=`;{}\\]/.test(code.replace(/===|!==|==|!=|<=|>=/g, " "))) return `\`${script}\` is not a plain comparison`;
    // Identifiers: only after `.` (a member) or as `@`, `$`, true, false, null, length.
    const identifier = /(^|[^\w$.@])([A-Za-z_$][\w$]*)/g;
    for (const match of code.matchAll(identifier)) {
      if (!["true", "false", "null", "$", "undefined"].includes(match[2]!)) return `\`${script}\` uses \`${match[2]}\`, which is not a path on \`@\` or \`$\``;
    }
    // A call: a name, `]` or `)` followed by `(`.
    if (/[\w$\])]\s*\(/.test(code)) return `\`${script}\` calls a function`;
  }
  return undefined;
}

/** The script parts of a query: the text of `[?(` … `)]` and `[(` … `)]`, with anything between `)` and `]`. */
function scripts(query: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < query.length; i++) {
    if (query[i] !== "[") continue;
    let j = i + 1;
    if (query[j] === "?") j++;
    if (query[j] !== "(") continue;
    let depth = 0;
    let quote: string | undefined;
    for (let k = j; k < query.length; k++) {
      const ch = query[k]!;
      if (quote) {
        if (ch === "\\") k++;
        else if (ch === quote) quote = undefined;
      } else if (ch === "'" || ch === '"') quote = ch;
      else if (ch === "(") depth++;
      else if (ch === ")" && --depth === 0) {
        // Up to the closing `]`: anything after the parentheses is part of what is evaluated.
        const close = query.indexOf("]", k);
        const end = close < 0 ? query.length : close;
        found.push(query.slice(j + 1, k) + query.slice(k + 1, end));
        i = end;
        break;
      }
    }
  }
  return found;
}
