/**
 * Reads a config file and checks it against the config schema (`schema.ts`):
 *
 * - `.json`: with the project's YAML/JSON loader, which keeps positions, so every problem
 *   is reported at `arazzo-ts.config.json:line:col`;
 * - `.mjs`: imported; its default export is the config (problems reported at the file);
 * - `.ts`: Node 20 cannot import TypeScript, and tsx is not a run-time dependency, so it is
 *   transpiled with the `typescript` package (`ts.transpileModule`, types are not checked)
 *   into a temporary `.mjs` beside it (so its relative and package imports resolve), imported,
 *   and the temporary file removed. It can import packages and `.mjs`/`.js` files, not other `.ts`.
 *
 * Each load imports the file afresh (watch mode reloads a changed config).
 */
import { randomBytes } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { DiagnosticBag, type Diagnostic } from "../diagnostics.ts";
import { loadDocument } from "../load/document.ts";
import { checkConfigSchema, type ConfigLocator } from "./schema.ts";
import type { ArazzoTsConfig } from "./types.ts";

export interface LoadedConfig {
  /** Absolute path of the config file. */
  readonly file: string;
  /** Its folder: relative paths in the config are relative to it, and it is the generated packages' `projectRoot`. */
  readonly dir: string;
  readonly config: ArazzoTsConfig;
  readonly locate: ConfigLocator;
}

export type ConfigLoad = { readonly ok: true; readonly loaded: LoadedConfig } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

let imports = 0;

export async function loadConfig(configFile: string): Promise<ConfigLoad> {
  const file = path.resolve(configFile);
  const ext = path.extname(file);
  let data: unknown;
  let locate: ConfigLocator = () => ({ file });
  if (ext === ".json") {
    const bag = new DiagnosticBag();
    const document = await loadDocument(file, bag);
    if (!document) return { ok: false, diagnostics: bag.items.map((d) => ({ ...d, code: "config" })) };
    data = document.data;
    locate = (at, target) => document.locate(at, target);
  } else if (ext === ".mjs" || ext === ".js" || ext === ".ts" || ext === ".mts") {
    const imported = ext === ".ts" || ext === ".mts" ? await importTypeScript(file) : await importModule(file, pathToFileURL(file).href);
    if (!imported.ok) return imported;
    data = imported.value;
  } else {
    return { ok: false, diagnostics: [fileError(file, `a config file must be .json, .mjs or .ts, not \`${path.basename(file)}\``)] };
  }
  const problems = checkConfigSchema(data, locate);
  if (problems.length) return { ok: false, diagnostics: problems };
  return { ok: true, loaded: { file, dir: path.dirname(file), config: data as ArazzoTsConfig, locate } };
}

type Imported = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

async function importModule(file: string, url: string): Promise<Imported> {
  let module: { default?: unknown };
  try {
    // A fresh URL each time: the module cache would otherwise return the first version.
    module = (await import(url.startsWith("file:") ? `${url}?load=${++imports}` : url)) as { default?: unknown };
  } catch (error) {
    if (
      !(await readFile(file).then(
        () => true,
        () => false,
      ))
    )
      return { ok: false, diagnostics: [fileError(file, "file does not exist")] };
    return { ok: false, diagnostics: [fileError(file, `loading it failed: ${firstLine(error)}`)] };
  }
  if (!("default" in module))
    return { ok: false, diagnostics: [fileError(file, 'the module has no default export; write `export default { documents: [...], out: "..." }`')] };
  return { ok: true, value: module.default };
}

async function importTypeScript(file: string): Promise<Imported> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return { ok: false, diagnostics: [fileError(file, "file does not exist")] };
  }
  const { default: ts } = await import("typescript");
  const output = ts.transpileModule(text, {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false, verbatimModuleSyntax: false },
  });
  const syntax = (output.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (syntax.length) {
    return {
      ok: false,
      diagnostics: syntax.map((d): Diagnostic => {
        const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
        const message = `cannot compile it: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
        return { severity: "error", code: "config", message, file, ...(at ? { line: at.line + 1, col: at.character + 1 } : {}) };
      }),
    };
  }
  // Beside the config, so `import … from "./shared.mjs"` and package imports resolve as written.
  const temporary = path.join(path.dirname(file), `.${path.basename(file, path.extname(file))}.${process.pid}-${randomBytes(4).toString("hex")}.mjs`);
  try {
    await writeFile(temporary, output.outputText);
  } catch {
    // A folder we cannot write to: a data: URL works for configs that import only node: modules.
    return importModule(file, `data:text/javascript;base64,${Buffer.from(output.outputText).toString("base64")}`);
  }
  try {
    return await importModule(file, pathToFileURL(temporary).href);
  } finally {
    await rm(temporary, { force: true });
  }
}

function fileError(file: string, message: string): Diagnostic {
  return { severity: "error", code: "config", message, file };
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split("\n")[0]!;
}
