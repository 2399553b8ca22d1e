/**
 * Handlebars templates for the generated package's file skeletons (`templates/*.hbs`).
 * Output is code, not HTML: nothing is HTML-escaped, and the helpers below are the only
 * way spec text reaches a template: `ts` (a string literal), `json` (a JSON value) and
 * `doc` (text safe in a doc comment).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";
import { docText, stringLiteral } from "../../shared/names.ts";

const TEMPLATE_DIR = fileURLToPath(new URL("../../../templates/", import.meta.url));

const handlebars = Handlebars.create();
handlebars.registerHelper("ts", (value: unknown) => (typeof value === "string" ? stringLiteral(value) : "undefined"));
handlebars.registerHelper("json", (value: unknown) => JSON.stringify(value ?? null));
/** Pretty JSON whose lines after the first are indented by `indent` spaces, to sit inside a JSON template. */
handlebars.registerHelper("jsonBlock", (value: unknown, indent: unknown) =>
  JSON.stringify(value ?? null, null, 2).replace(/\n/g, `\n${" ".repeat(Number(indent))}`),
);
handlebars.registerHelper("doc", (value: unknown) => docText(String(value ?? "")).replace(/\n/g, "\n * "));

export type TemplateName = "header" | "client.ts" | "index.ts" | "package.json" | "tsconfig.json" | "README.md" | "restate.ts" | "restate-client.ts";

const compiled = new Map<TemplateName, Handlebars.TemplateDelegate>();

/** Renders `templates/<name>.hbs`; templates are compiled once per process. */
export function render(name: TemplateName, data: object): string {
  let template = compiled.get(name);
  if (!template) {
    template = handlebars.compile(readFileSync(`${TEMPLATE_DIR}${name}.hbs`, "utf8"), { noEscape: true, strict: true });
    compiled.set(name, template);
  }
  return template(data);
}
