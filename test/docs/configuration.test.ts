/**
 * docs/configuration.md's table of options is the config's JSON Schema in prose: every
 * option the schema has, with the schema's own description, and none it does not have.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const schema = JSON.parse(readFileSync(path.join(ROOT, "generator/config/arazzo-ts.config.schema.json"), "utf8"));
const doc = readFileSync(path.join(ROOT, "docs/configuration.md"), "utf8");

type Property = { description?: string };
const row = (key: string, p: Property) => `| \`${key}\` | ${(p.description ?? "").replaceAll("|", "\\|")} |`;

function expectedRows(): string[] {
  const rows = Object.entries(schema.properties as Record<string, Property>).map(([k, p]) => row(k, p));
  for (const [k, p] of Object.entries(schema.$defs.document.properties as Record<string, Property>)) if (p.description) rows.push(row(`documents[].${k}`, p));
  for (const [k, p] of Object.entries(schema.$defs.package.properties as Record<string, Property>)) rows.push(row(`documents[].package.${k}`, p));
  return rows;
}

test("every option of the config schema has its row, with the schema's description", () => {
  const table = doc.slice(doc.indexOf("## Every option"));
  const documented = table.split("\n").filter((l) => l.startsWith("| `"));
  expect(documented, "rows of docs/configuration.md's `Every option` table").toEqual(expectedRows());
});
