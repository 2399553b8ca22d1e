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
import type { PackageModel } from "../../ir/types.ts";
import { lowerFirst } from "../../shared/names.ts";
import type { DiagnosticBag } from "../../diagnostics.ts";
import { licenseText } from "../typescript/license.ts";
import { pathsTypes } from "../typescript/paths-types.ts";
import { specNamer } from "../typescript/spec-paths.ts";
import type { GeneratedFile, PackageMetadata } from "../target.ts";

export type { GeneratedFile, PackageMetadata };
import { render } from "../typescript/templates.ts";
import { RUNTIME_MODULES, type RuntimeModule } from "../typescript/imports.ts";
import { workflowModule } from "./workflow-module.ts";
import { formatTypeScript } from "../typescript/format.ts";
import { formatPool } from "../typescript/format-pool.ts";
import { printSourceFile } from "../typescript/print.ts";
import { inputsTable, outputsTable, workflowFlowchart } from "../typescript/workflow-docs.ts";
import { responseValidatorsModule } from "../typescript/response-validators.ts";
import { mocksModule, mswModule } from "./mocks.ts";
import { allModels } from "../../ir/operation-uses.ts";
import { clientModuleParts } from "./client-module.ts";
import { credentialNeedsText, exampleAuth, sourceSection } from "./source-docs.ts";
import { optionsRequired } from "./workflow-module.ts";

const RUNTIME_DIR = fileURLToPath(new URL("../../runtime/", import.meta.url));
const require = createRequire(import.meta.url);

/** The optional peer range of `msw` for `<package>/mocks/msw`: the 2.x API it is written against (tested with the generator's own copy). */
const MSW_RANGE = "^2.0.0";

/**
 * The optional peer range of `@opentelemetry/api` for traces and metrics (`runtime-telemetry.ts`):
 * 1.3 is the first with the metrics API; tested with the generator's own copy.
 */
const OPENTELEMETRY_RANGE = "^1.3.0";

/** The version range a generated package depends on: the version the generator was built and tested with. */
export function dependencyRange(name: string): string {
  const { version } = require(`${name}/package.json`) as { version: string };
  return `^${version}`;
}

/**
 * What another target adds to this package (the restate target, `targets/restate/`): durable
 * workflow modules, more runtime modules and dependencies, and files rendered from the same
 * template data.
 */
export interface PackageExtension {
  /** Workflow modules take a `Journal` (`workflow-module.ts`). */
  readonly durable: boolean;
  readonly runtimeModules: readonly RuntimeModule[];
  readonly dependencies: readonly string[];
  /** Lowest Node version the package's code runs on, when higher than the plain package's. */
  readonly node?: string;
  /** Extra template data (for `package.json`, `README.md`): the restate target sets `restate`. */
  readonly templateData: object;
  /** More files, from the template data (with `header`: the do-not-edit header naming every spec). */
  files(data: { readonly header: string; readonly name: string }): GeneratedFile[];
}

export async function packageSources(
  pkg: PackageModel,
  packageDir: string,
  project: Project,
  diagnostics: DiagnosticBag,
  options: { readonly metadata?: PackageMetadata; readonly projectRoot?: string; readonly extension?: PackageExtension } = {},
): Promise<GeneratedFile[]> {
  const extension = options.extension;
  const doc = pkg.document;
  const allSpecs = [...new Set(allModels(doc).flatMap((m) => [m.file, ...m.sources.map((s) => s.file)]))];
  const relative = specNamer(doc.file, allSpecs, options.projectRoot);
  const header = (files: readonly string[]) => render("header", { sources: files.map(relative) }).trimEnd();
  const files: GeneratedFile[] = [];
  // The package's name (package.json): its MSW handlers mark it, and only its clients then name their steps on requests.
  const packageName = options.metadata?.name ?? doc.name;

  // This document and the Arazzo documents it names as sources (emitted with prefixed names).
  const models = allModels(doc);
  const allSources = models.flatMap((m) => m.sources);
  // Asked for now, taken once the workflows are printed: on openapi-typescript's worker thread
  // when there is one, the types are made meanwhile (`openapi-typescript-thread.ts`).
  const typeTexts = Promise.all(
    allSources.map((source) => {
      const input = pkg.apiTypes.get(source.moduleName);
      return input ? pathsTypes(input, diagnostics) : undefined;
    }),
  );
  // Every client resolves its servers; clients of descriptions with security schemes apply credentials.
  const runtimeModules = new Set<RuntimeModule>(["./runtime.js", "./runtime-servers.js"]);
  allSources.forEach((source) => {
    if (source.kind === "asyncapi") return; // its messages' types come with the types, below
    files.push({ path: `src/${source.moduleName}.paths.ts`, text: "" }); // filled in below
    const parts = clientModuleParts(source, pkg.clientOperations.get(source.moduleName) ?? []);
    if (parts.securityLiteral) for (const m of ["./runtime-auth.js", "./runtime-oauth.js"] as const) runtimeModules.add(m);
    if (parts.mutualTls) runtimeModules.add("./runtime-mtls.js");
    const clientPath = path.join(packageDir, "src", `${source.moduleName}.client.ts`);
    const client = render("client.ts", {
      header: header([source.file]),
      title: source.title,
      name: source.name,
      moduleName: source.moduleName,
      pascalName: source.pascalName,
      camelName: lowerFirst(source.pascalName),
      defaultBaseUrl: source.defaultBaseUrl ?? null,
      serversLiteral: parts.serversLiteral,
      serverOptionsType: parts.serverOptionsType,
      documentServerUnused: parts.documentServerUnused || null,
      security: parts.securityLiteral ? true : null,
      securityLiteral: parts.securityLiteral ?? null,
      credentials: parts.credentials,
      credentialTypes: parts.credentialTypes,
      mutualTls: parts.mutualTls || null,
      operationServers: parts.operationServersLiteral ?? null,
      credentialQuery: parts.credentialQuery,
      packageName,
    });
    files.push({ path: `src/${source.moduleName}.client.ts`, text: formatTypeScript(clientPath, client) });
  });

  // Formatted before the type-check: the check and `dist/` then use the text that ships. Each
  // module goes to the formatter as soon as it is printed (on worker threads when there are
  // many, `format-pool.ts`) and its formatted text takes its place in `files`.
  const formatter = formatPool(models.reduce((n, m) => n + m.workflows.length, 0));
  const formatted: Promise<void>[] = [];
  try {
    for (const model of models) {
      // The sources whose clients apply credentials (the template's `security`).
      const securedClients = new Set(
        model.sources
          .filter((s) => s.kind !== "asyncapi" && clientModuleParts(s, pkg.clientOperations.get(s.moduleName) ?? []).securityLiteral)
          .map((s) => s.name),
      );
      // Workflows a step or action can run: the document's by id, its sources' by reference.
      const workflowIndex = new Map([
        ...model.workflows.map((w) => [w.workflowId, w] as const),
        ...model.externals.flatMap((e) => e.model.workflows.map((w) => [`$sourceDescriptions.${e.name}.${w.workflowId}`, w] as const)),
      ]);
      for (const workflow of model.workflows) {
        const { statements, sourceMap, runtimeModules: used } = workflowModule(workflow, workflowIndex, { durable: extension?.durable, securedClients });
        for (const m of used) runtimeModules.add(m);
        const filePath = path.join(packageDir, "src", `${workflow.moduleName}.ts`);
        const text = printSourceFile(project, filePath, { statements, leadingTrivia: `${header([model.file, ...workflow.sources.map((s) => s.file)])}\n\n` });
        const file: GeneratedFile = { path: `src/${workflow.moduleName}.ts`, text, sourceMap };
        const at = files.push(file) - 1;
        formatted.push(
          formatter.format(filePath, text).then(
            (result) => {
              files[at] = { ...file, text: result };
            },
            (error: Error) => {
              diagnostics.error(
                "format",
                `the generated module \`${file.path}\` cannot be formatted: ${error.message.split("\n")[0]}`,
                workflow.location,
                "this is a bug in arazzo-ts: please report it with the document",
              );
            },
          ),
        );
      }
    }
    await Promise.all(formatted);
  } finally {
    await formatter.close();
  }

  const typed = await typeTexts;
  allSources.forEach((source, i) => {
    const text = `${header([source.file])}\n\n${typed[i]}`;
    // AsyncAPI: the messages' payloads and headers, typed like OpenAPI schemas (`ir/api-types.ts`); no client.
    if (source.kind === "asyncapi") {
      if (typed[i] !== undefined) files.push({ path: `src/${source.moduleName}.messages.ts`, text });
      return;
    }
    const at = files.findIndex((f) => f.path === `src/${source.moduleName}.paths.ts`);
    files[at] = { path: files[at]!.path, text };
  });

  const dependencies: Record<string, string> = { "openapi-fetch": dependencyRange("openapi-fetch") };
  // Loaded by the runtime only when a run turns `validateResponses` on.
  const validators = responseValidatorsModule(pkg, diagnostics);
  // Test doubles on their own subpath (`<package>/mocks`): production code never loads them.
  const mocks = mocksModule(pkg, header(allSpecs), diagnostics);
  // Formatted like the rest, except when large (thousands of steps): it is then data, one entry a line.
  const mocksPath = path.join(packageDir, "src", "mocks.ts");
  files.push({ path: "src/mocks.ts", text: mocks.length > 256 * 1024 ? mocks : formatTypeScript(mocksPath, mocks) });
  files.push({ path: "src/mocks-msw.ts", text: formatTypeScript(path.join(packageDir, "src", "mocks-msw.ts"), mswModule(pkg, header(allSpecs), packageName)) });
  // Not formatted: machine-written (Ajv's standalone code), and large for large APIs.
  files.push({
    path: "src/response-validators.ts",
    text: `${header(allSpecs)}\n${validators.text}`,
    declarationsFrom: `${header(allSpecs)}\n${validators.declarationsFrom}`,
  });
  for (const name of validators.dependencies) dependencies[name] = dependencyRange(name);
  // Message steps: the transport interface the runtime uses, and the adapters users import.
  const messaging = runtimeModules.has("./runtime-messages.js");
  if (messaging) for (const m of ["./async.js", "./transport-mqtt.js", "./transport-nats.js"] as const) runtimeModules.add(m);
  for (const m of extension?.runtimeModules ?? []) runtimeModules.add(m);
  for (const name of extension?.dependencies ?? []) dependencies[name] = dependencyRange(name);
  for (const m of [...runtimeModules].sort()) {
    files.push(runtimeModuleFile(m));
    for (const name of RUNTIME_MODULES[m].dependencies) dependencies[name] = dependencyRange(name);
  }

  const templateData = {
    header: header(allSpecs),
    name: doc.name,
    title: doc.title,
    summary: doc.summary ?? null,
    description: doc.description ?? null,
    version: doc.version,
    dependencies: Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b))),
    workflows: doc.workflows.map((w) => ({
      ...w,
      functionName: `run${w.typeName}`,
      inputs: w.inputs,
      sourceNames: w.sources.filter((s) => s.kind !== "asyncapi").map((s) => s.name),
      unsupplied: w.steps.flatMap((s) =>
        s.kind === "operation" ? s.unsuppliedParameters.filter((p) => !p.suppliedBy).map((p) => ({ step: s.stepId, ...p })) : [],
      ),
      optionsRequired: optionsRequired(w),
      credentialNeeds: credentialNeedsText(w.credentials),
      exampleAuth: exampleAuth(w.credentials, (s) => s.securitySchemes) ?? null,
      flowchart: workflowFlowchart(w),
      inputsTable: inputsTable(w),
      outputsTable: outputsTable(w),
    })),
    sources: doc.sources
      .filter((s) => s.kind !== "asyncapi")
      .map((s) => ({
        ...s,
        camelName: lowerFirst(s.pascalName),
        defaultBaseUrl: s.defaultBaseUrl ?? null,
        security: clientModuleParts(s, pkg.clientOperations.get(s.moduleName) ?? []).credentials.length > 0 || null,
      })),
    auth: runtimeModules.has("./runtime-auth.js") || null,
    sourceSections: doc.sources.filter((s) => s.kind !== "asyncapi").map((s) => sourceSection(s, pkg.clientOperations.get(s.moduleName) ?? [])),
    messaging,
    node: extension?.node ?? "20.19",
    // The templates' sections for a target's extension are off unless it sets them.
    restate: null,
    ...extension?.templateData,
  };
  const meta = options.metadata ?? {};
  const npm = {
    name: packageName,
    version: meta.version ?? doc.version,
    description: meta.description ?? doc.summary ?? doc.title,
    license: meta.license ?? null,
    author: meta.author ?? null,
    repository: meta.repository === undefined ? null : typeof meta.repository === "string" ? { type: "git", url: meta.repository } : meta.repository,
    // Only as the config says: npm publishes a scoped package as restricted by default, so that
    // an organisation's package (and the API description in it) is not made public by accident.
    access: meta.access ?? null,
  };
  files.push({ path: "src/index.ts", text: render("index.ts", templateData) });
  for (const file of extension?.files({ header: header(allSpecs), name: npm.name }) ?? []) files.push(file);
  files.push({ path: "package.json", text: render("package.json", { ...templateData, ...npm, mswRange: MSW_RANGE, openTelemetryRange: OPENTELEMETRY_RANGE }) });
  files.push({ path: "tsconfig.json", text: render("tsconfig.json", {}) });
  files.push({ path: "README.md", text: render("README.md", { ...templateData, name: npm.name, license: npm.license, specs: allSpecs.map(relative) }) });
  const license = npm.license ? licenseText(npm.license, npm.author) : undefined;
  if (license) files.push({ path: "LICENSE", text: license });
  return files;
}

/** A runtime module as every package ships it: the same text in each (its header names no spec). */
export function runtimeModuleFile(m: RuntimeModule): GeneratedFile {
  const text = readFileSync(path.join(RUNTIME_DIR, RUNTIME_MODULES[m].source), "utf8");
  return { path: `src/${m.slice(2).replace(/\.js$/, ".ts")}`, text: `${render("header", { sources: [] }).trimEnd()}\n${text}` };
}
