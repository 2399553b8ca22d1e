/** The path templates of the operations a run sent, and the values their parameters had in the URLs sent. */

/** `/payments/{id}` as `/payments/{id} (id=p-1)`, the values read from the URL path sent. */
export function withParameters(template: string, sent: string): string {
  const list = Object.entries(pathParameters(template, sent) ?? {}).map(([k, v]) => `${k}=${v}`);
  return list.length ? `${template} (${list.join(", ")})` : template;
}

/** The values of a path template's parameters in the path sent (it may have a base path before it); undefined when it does not match. */
export function pathParameters(template: string, sent: string): Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = template
    .split(/(\{[^}]*\})/)
    .map((part) => {
      const name = /^\{(.*)\}$/.exec(part)?.[1];
      if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
      names.push(name);
      return "([^/]*)";
    })
    .join("");
  const match = new RegExp(`${pattern}$`).exec(sent);
  if (!match) return undefined;
  return Object.fromEntries(
    names.map((name, i) => {
      let value = match[i + 1]!;
      try {
        value = decodeURIComponent(value);
      } catch {
        // as sent
      }
      return [name, value];
    }),
  );
}
