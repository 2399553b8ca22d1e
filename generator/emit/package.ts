/**
 * Lays out the generated package for one Arazzo document:
 *
 *   <out>/<name>/package.json, tsconfig.json, README.md
 *   <out>/<name>/src/index.ts, runtime.ts, <source>.paths.ts, <source>.client.ts, <workflow>.ts
 *
 * TypeScript sources only; `compile.ts` type-checks them and adds `dist/`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Project } from "ts-morph";
import { camelCase } from "../model/names.ts";
import type { DocumentModel } from "../model/types.ts";
import { pathsTypes } from "./paths-types.ts";
import type { SourceMapEntry } from "./source-map.ts";
import { render } from "./templates.ts";
import { workflowModule } from "./workflow-module.ts";

/** One generated file: `path` is relative to the package directory, with `/` separators. */
export interface GeneratedFile {
  readonly path: string;
  readonly text: string;
  /** For workflow modules: where their code came from in the Arazzo document. */
  readonly sourceMap?: readonly SourceMapEntry[];
}

const RUNTIME_SOURCE = fileURLToPath(new URL("../runtime/runtime.ts", import.meta.url));
const require = createRequire(import.meta.url);

/** The openapi-fetch version range generated packages depend on: the one the generator was built and tested with. */
export function openapiFetchRange(): string {
  const { version } = require("openapi-fetch/package.json") as { version: string };
  return `^${version}`;
}

export async function packageSources(doc: DocumentModel, packageDir: string, project: Project): Promise<GeneratedFile[]> {
  const relative = (file: string) => path.relative(packageDir, file).split(path.sep).join("/");
  const header = (files: readonly string[]) => render("header", { sources: files.map(relative) }).trimEnd();
  const allSpecs = [doc.arazzo.file, ...doc.sources.map((s) => s.document.file)];
  const files: GeneratedFile[] = [];

  files.push({ path: "src/runtime.ts", text: `${header([])}\n${readFileSync(RUNTIME_SOURCE, "utf8")}` });

  const typeTexts = await Promise.all(doc.sources.map((s) => pathsTypes(s)));
  doc.sources.forEach((source, i) => {
    const sourceHeader = header([source.document.file]);
    files.push({ path: `src/${source.moduleName}.paths.ts`, text: `${sourceHeader}\n\n${typeTexts[i]}` });
    files.push({
      path: `src/${source.moduleName}.client.ts`,
      text: render("client.ts", {
        header: sourceHeader,
        title: source.title,
        name: source.name,
        moduleName: source.moduleName,
        pascalName: source.pascalName,
        camelName: camelCase(source.name),
        defaultBaseUrl: source.defaultBaseUrl ?? null,
      }),
    });
  });

  for (const workflow of doc.workflows) {
    const { statements, sourceMap } = workflowModule(workflow);
    const file = project.createSourceFile(
      path.join(packageDir, "src", `${workflow.moduleName}.ts`),
      { statements, leadingTrivia: `${header([doc.arazzo.file, ...workflow.sources.map((s) => s.document.file)])}\n\n` },
      { overwrite: true },
    );
    files.push({ path: `src/${workflow.moduleName}.ts`, text: file.getFullText(), sourceMap });
    project.removeSourceFile(file);
  }

  const templateData = {
    header: header(allSpecs),
    name: doc.name,
    title: doc.title,
    summary: doc.summary ?? null,
    description: doc.description ?? null,
    version: doc.version,
    openapiFetchRange: openapiFetchRange(),
    workflows: doc.workflows.map((w) => ({
      ...w,
      functionName: `run${w.typeName}`,
      inputs: w.inputs,
      sourceNames: w.sources.map((s) => s.name),
      unsupplied: w.steps.flatMap((s) => s.unsuppliedParameters.map((p) => ({ step: s.stepId, ...p }))),
    })),
    sources: doc.sources.map((s) => ({ ...s, camelName: camelCase(s.name), defaultBaseUrl: s.defaultBaseUrl ?? null })),
  };
  files.push({ path: "src/index.ts", text: render("index.ts", templateData) });
  files.push({ path: "package.json", text: render("package.json", { ...templateData, description: doc.summary ?? doc.title }) });
  files.push({ path: "tsconfig.json", text: render("tsconfig.json", {}) });
  files.push({ path: "README.md", text: render("README.md", { ...templateData, specs: allSpecs.map(relative) }) });
  return files;
}
