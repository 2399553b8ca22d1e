/**
 * Builds the `DocumentModel` from a loaded Arazzo document and its loaded OpenAPI
 * sources: binds workflows, inputs and outputs; steps are bound in `step.ts`.
 */
import { documentName } from "../shared/document-name.ts";
import type { DiagnosticBag } from "../diagnostics.ts";
import type { ArazzoDocument, JsonSchema, Workflow } from "../load/arazzo-document.ts";
import type { LoadedDocument } from "../load/document.ts";
import type { LoadedSources } from "../openapi/sources.ts";
import { parseExpression } from "../expressions/parse.ts";
import { NameScope, kebabCase, pascalCase } from "../shared/names.ts";
import { schemaType } from "./schema-type.ts";
import { analyzeFlow } from "./flow.ts";
import { buildOrder, checkCallCycles, withOptionSources } from "./workflow-graph.ts";
import { suggestion, warnBareStepOutput } from "./step-scope.ts";
import type { StepContext, WorkflowContext } from "./binding-context.ts";
import { buildStep } from "./step.ts";
import { defaultBaseUrl, descriptionUrl, reportServerProblems, serverModels } from "./servers.ts";
import { securitySchemeModels } from "./security.ts";
import { withCredentialNeeds } from "./credential-needs.ts";
import type { DocumentModel, InputModel, InputTarget, SourceModel, StepModel, WorkflowModel, WorkflowOutputModel } from "./types.ts";
import { markUntypedReads } from "./untyped-reads.ts";
import { constantOutput } from "./constant-outputs.ts";
import { warnUnusedInputs } from "./unused-inputs.ts";
import { checkInputTypes } from "./input-types.ts";

/** `{ [key]: value }`, or nothing when `value` is undefined (the model leaves absent fields out). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * A module file name short enough for every file system (255 bytes with `.client.d.ts`):
 * a long id is cut and given a hash of the whole, so two long ids stay apart.
 */
function fileStem(stem: string): string {
  if (Buffer.byteLength(stem) <= 100) return stem;
  let hash = 5381;
  for (const ch of stem) hash = ((hash * 33) ^ ch.codePointAt(0)!) >>> 0;
  // At most 80 characters fit in 80 bytes: start there, not at the end of a stem that may be 100,000 long.
  const chars = [...stem].slice(0, 80);
  while (Buffer.byteLength(chars.join("")) > 80) chars.pop();
  return `${chars.join("")}-${hash.toString(36)}`;
}

export { documentName };

/**
 * How names are made unique when an Arazzo document is built as a source of another
 * (`type: arazzo`): its modules are prefixed (`shop--order.ts`) and its exported names too
 * (`runShopPlaceOrder`), so they live beside the including document's in one package.
 */
export interface ModelNaming {
  readonly modulePrefix: string;
  readonly typePrefix: string;
}

/**
 * File stems a generated package uses for its own modules (`src/<stem>.ts`), which no workflow
 * module may take (a source's files end in `.paths`, `.client`, `.messages`: they cannot meet
 * these): the runtime modules, mocks, validators, and the restate target's services, clients
 * and journal. A workflow whose module would take one gets `<stem>-workflow`.
 */
const PACKAGE_MODULE_STEMS = new Set([
  "runtime-flow",
  "runtime-form",
  "runtime-servers",
  "runtime-auth",
  "runtime-oauth",
  "runtime-mtls",
  "runtime-jsonpath",
  "runtime-jsonpath-goessner",
  "runtime-xpath",
  "runtime-messages",
  "runtime-restate",
  "async",
  "transport-mqtt",
  "transport-nats",
  "durable",
  "mocks",
  "mocks-msw",
  "response-validators",
  "restate",
  "restate-client",
]);

export function buildDocumentModel(
  arazzo: LoadedDocument,
  { loaded: loadedSources, async: asyncSources, arazzo: arazzoSources, unavailable }: LoadedSources,
  diagnostics: DiagnosticBag,
  naming: ModelNaming = { modulePrefix: "", typePrefix: "" },
): DocumentModel {
  const raw = (arazzo.data ?? {}) as ArazzoDocument;
  const moduleNames = new NameScope(["index", "runtime", "package"]);
  const pascalNames = new NameScope();
  const moduleName = (id: string) => `${naming.modulePrefix}${fileStem(kebabCase(id))}`;
  const sourceLocation = (name: string) =>
    arazzo.locate([
      "sourceDescriptions",
      Math.max(
        0,
        (raw.sourceDescriptions ?? []).findIndex((s) => s?.name === name),
      ),
      "name",
    ]);
  const typeName = (id: string) => `${naming.typePrefix}${pascalCase(id)}`;
  const sources: SourceModel[] = loadedSources.map((s) => {
    const info = ((s.document.data as any)?.info ?? {}) as { title?: string };
    const declared = (raw.sourceDescriptions ?? []).find((d) => d?.name === s.name) as Record<string, unknown> | undefined;
    const served = descriptionUrl(declared?.url, (raw as Record<string, unknown>).$self);
    const xServerUrl = typeof declared?.["x-serverUrl"] === "string" ? (declared["x-serverUrl"] as string) : undefined;
    reportServerProblems(s.operations.servers ?? [], s.document, s.name, diagnostics);
    return {
      name: s.name,
      pascalName: pascalNames.name(s.name, typeName, (name, wanted) =>
        diagnostics.warning(
          "renamed-identifier",
          `source \`${s.name}\` is named \`${name}\` in generated code: \`${wanted}\` is taken by another id`,
          sourceLocation(s.name),
        ),
      ),
      moduleName: moduleNames.name(s.name, moduleName),
      file: s.document.file,
      title: typeof info.title === "string" ? info.title : s.name,
      ...optional("defaultBaseUrl", defaultBaseUrl(s.operations.servers, served, xServerUrl)),
      servers: serverModels(s.operations.servers ?? []),
      ...optional("descriptionUrl", served),
      ...optional("serverUrl", xServerUrl !== undefined && /^https?:\/\//i.test(xServerUrl) ? xServerUrl.replace(/\/+$/, "") : undefined),
      securitySchemes: securitySchemeModels(s.operations.securitySchemes),
    };
  });
  // AsyncAPI sources (Arazzo 1.1): message steps, typed messages, no HTTP client.
  for (const a of asyncSources) {
    const info = ((a.document.data as any)?.info ?? {}) as { title?: string };
    sources.push({
      name: a.name,
      kind: "asyncapi",
      pascalName: pascalNames.name(a.name, typeName),
      moduleName: moduleNames.name(a.name, moduleName),
      file: a.document.file,
      title: typeof info.title === "string" ? info.title : a.name,
      servers: [],
      securitySchemes: [],
    });
  }
  // Arazzo documents named as sources, built first: their workflows can be run from this one
  // as `$sourceDescriptions.<name>.<workflowId>`.
  const externals = arazzoSources.map((a) => ({
    name: a.name,
    model: buildDocumentModel(a.document, a.sources, diagnostics, {
      modulePrefix: `${naming.modulePrefix}${moduleNames.name(`source ${a.name}`, kebabCase)}--`,
      typePrefix: `${naming.typePrefix}${pascalNames.name(`source ${a.name}`, () => pascalCase(a.name))}`,
    }),
  }));
  const rawWorkflows = Array.isArray(raw.workflows) ? raw.workflows : [];
  // Names first: steps that run another workflow, and actions that go to one, refer to its names.
  // Exported names must not meet the runtime's (`RunOptions` for a workflow `run`) or a
  // client's (`ApiClientOptions` for a workflow `api-client` beside a source `api`).
  // (`<Source>ServerOptions` for a workflow `<source>-server`, likewise).
  const workflowTypeNames = new NameScope(["Run", ...sources.flatMap((s) => [`${s.pascalName}Client`, `${s.pascalName}Server`])]);
  const workflowNames = new Map<string, { typeName: string; moduleName: string }>();
  const built = new Map<string, WorkflowModel>();
  for (const { name, model } of externals) {
    for (const w of model.workflows) {
      const reference = `$sourceDescriptions.${name}.${w.workflowId}`;
      workflowNames.set(reference, { typeName: w.typeName, moduleName: w.moduleName });
      built.set(reference, w);
    }
  }
  rawWorkflows.forEach((workflow, index) => {
    if (!workflow || typeof workflow.workflowId !== "string") {
      diagnostics.error("missing-field", "workflow has no `workflowId`", arazzo.locate(["workflows", index]));
      return;
    }
    if (workflowNames.has(workflow.workflowId)) {
      diagnostics.error("duplicate-workflow-id", `workflowId \`${workflow.workflowId}\` is used twice`, arazzo.locate(["workflows", index, "workflowId"]));
      return;
    }
    workflowNames.set(workflow.workflowId, {
      typeName: workflowTypeNames.name(workflow.workflowId, typeName, (name, wanted) =>
        diagnostics.warning(
          "renamed-identifier",
          `workflow \`${workflow.workflowId}\` is generated as \`run${name}\`: \`run${wanted}\` is taken by another workflow whose id maps to the same name`,
          arazzo.locate(["workflows", index, "workflowId"]),
        ),
      ),
      moduleName: moduleNames.name(`workflow ${workflow.workflowId}`, () => {
        const stem = moduleName(workflow.workflowId!);
        return PACKAGE_MODULE_STEMS.has(stem) ? `${stem}-workflow` : stem;
      }),
    });
  });
  // Build callees before callers, so a caller sees which inputs its callees finally require.
  for (const index of buildOrder(rawWorkflows)) {
    const workflow = rawWorkflows[index]!;
    const names = typeof workflow?.workflowId === "string" ? workflowNames.get(workflow.workflowId) : undefined;
    if (!names || rawWorkflows.findIndex((w) => w?.workflowId === workflow.workflowId) !== index) continue;
    built.set(
      workflow.workflowId!,
      buildWorkflow(workflow, index, {
        arazzo,
        raw,
        sources,
        loadedSources,
        asyncSources,
        unavailableSources: unavailable,
        diagnostics,
        workflowNames,
        builtWorkflows: built,
        workflowTypeName: names.typeName,
        moduleName: names.moduleName,
      }),
    );
  }
  const workflows = rawWorkflows
    .flatMap((w) => (typeof w?.workflowId === "string" && built.has(w.workflowId) ? [built.get(w.workflowId)!] : []))
    .filter((w, i, all) => all.indexOf(w) === i);
  checkCallCycles(workflows, arazzo, diagnostics);
  return {
    name: documentName(arazzo.file),
    file: arazzo.file,
    title: raw.info?.title ?? documentName(arazzo.file),
    summary: raw.info?.summary,
    description: raw.info?.description,
    version: typeof raw.info?.version === "string" ? raw.info.version : "0.0.0",
    sources,
    workflows: withCredentialNeeds(withOptionSources(workflows, built), built),
    externals,
  };
}

function buildWorkflow(workflow: Workflow, index: number, ctx: WorkflowContext): WorkflowModel {
  const at = ["workflows", index] as const;
  const workflowId = workflow.workflowId!;
  const inputsTypeName = `${ctx.workflowTypeName}Inputs`;
  // Step type names share a scope with the workflow's own exported names.
  // Step type names (`<Step>Outputs`, `<Step>Response`) must not meet the workflow's own
  // (`<Workflow>Outputs`, `<Workflow>Steps`): a step named like its workflow becomes `<Step>Step`.
  const stepTypeNames = new NameScope([ctx.workflowTypeName]);
  const stepTypeName = (stepId: string) => {
    const base = pascalCase(stepId);
    return stepTypeNames.name(stepId, () => (base === ctx.workflowTypeName ? `${base}Step` : base));
  };
  // Step variables live in run<Workflow>, beside the functions it calls.
  const stepVarNames = new NameScope([
    "inputs",
    "options",
    "signal",
    "context",
    "run",
    "steps",
    "workflows",
    // The journal a durable target's run<Workflow> takes.
    "journal",
    ...ctx.sources.map((s) => `create${s.pascalName}Client`),
    ...[...ctx.workflowNames.values()].map((w) => `run${w.typeName}`),
  ]);
  const dependsOn = buildDependsOn(workflow, at, ctx);
  const steps: StepModel[] = [];
  const rawSteps = Array.isArray(workflow.steps) ? workflow.steps : [];
  const stepContext: Omit<StepContext, "index" | "varName" | "typeName" | "successCriteria" | "allCriteria"> = {
    ...ctx,
    workflowId,
    inputsTypeName,
    inputNames: new Set(Object.keys(resolveInputsSchema(workflow.inputs, ctx)?.properties ?? {})),
    rawSteps,
    workflow,
    workflowAt: at,
    built: steps,
  };
  const seen = new Set<string>();
  rawSteps.forEach((rawStep, i) => {
    const stepAt = [...at, "steps", i];
    if (!rawStep || typeof rawStep.stepId !== "string") {
      ctx.diagnostics.error("missing-field", "step has no `stepId`", ctx.arazzo.locate(stepAt));
      return;
    }
    if (seen.has(rawStep.stepId)) {
      ctx.diagnostics.error(
        "duplicate-step-id",
        `stepId \`${rawStep.stepId}\` is used twice in workflow \`${workflowId}\``,
        ctx.arazzo.locate([...stepAt, "stepId"]),
      );
      return;
    }
    seen.add(rawStep.stepId);
    const step = buildStep(rawStep, stepAt, {
      ...stepContext,
      index: i,
      varName: stepVarNames.name(rawStep.stepId),
      typeName: stepTypeName(rawStep.stepId),
    });
    if (step) steps.push(step);
  });

  const inputs = buildInputs(workflow, at, steps, ctx);
  const sources = ctx.sources.filter((s) => steps.some((step) => (step.kind === "operation" || step.kind === "message") && step.source === s));
  const untyped = markUntypedReads(markRequiredOutputs(steps), inputs, buildWorkflowOutputs(workflow, at, steps, ctx), ctx.builtWorkflows, ctx.diagnostics);
  const locateInput = (name: string) => ctx.arazzo.locate([...at, "inputs", ...(workflow.inputs?.$ref ? [] : ["properties", name])], "key");
  const finalSteps = checkInputTypes(untyped.steps, inputs, locateInput, ctx.diagnostics);
  const outputs = untyped.outputs;
  // Only when every step was built: a step that was not would hide the inputs it reads.
  if (steps.length === rawSteps.length) {
    const handsOn = Array.isArray(workflow.dependsOn) && workflow.dependsOn.length > 0;
    warnUnusedInputs(workflowId, inputs, finalSteps, outputs, handsOn, locateInput, ctx.diagnostics);
  }
  const flow = analyzeFlow(finalSteps);
  const dependent = rawSteps.findIndex((s) => Array.isArray(s?.dependsOn) && s.dependsOn.length > 0);
  if (dependent >= 0 && !flow.straightLine) {
    ctx.diagnostics.error(
      "unsupported-feature",
      "a step-level `dependsOn` in a workflow whose steps have success or failure actions (Arazzo 1.1) is not generated by arazzo-ts yet",
      ctx.arazzo.locate([...at, "steps", dependent, "dependsOn"], "key"),
      "steps run concurrently only in a workflow without actions (end, goto, retry)",
    );
  }
  return {
    workflowId,
    typeName: ctx.workflowTypeName,
    moduleName: ctx.moduleName,
    summary: workflow.summary,
    description: workflow.description,
    location: ctx.arazzo.locate([...at, "workflowId"]),
    inputs,
    steps: finalSteps,
    outputs,
    sources,
    optionSources: sources,
    credentials: [],
    dependsOn,
    flow,
  };
}

function resolveInputsSchema(schema: JsonSchema | undefined, ctx: WorkflowContext): JsonSchema | undefined {
  if (schema && typeof schema.$ref === "string") return resolveComponentInput(schema.$ref, ctx);
  return schema;
}

/** `#/components/inputs/X` (JSON Schema style) inside the Arazzo document. */
function resolveComponentInput(ref: string, ctx: WorkflowContext): JsonSchema | undefined {
  const match = /^#\/components\/inputs\/(.+)$/.exec(ref);
  const name = match?.[1]?.replace(/~1/g, "/").replace(/~0/g, "~");
  return name !== undefined ? ctx.raw.components?.inputs?.[name] : undefined;
}

function buildInputs(workflow: Workflow, at: readonly (string | number)[], steps: readonly StepModel[], ctx: WorkflowContext): InputModel[] {
  const schema = resolveInputsSchema(workflow.inputs, ctx);
  if (workflow.inputs && !schema) {
    ctx.diagnostics.error("unresolved-reference", `inputs schema \`${workflow.inputs.$ref}\` cannot be resolved`, ctx.arazzo.locate([...at, "inputs"]));
  }
  const required = new Set(Array.isArray(schema?.required) ? schema.required : []);
  const resolveRef = (ref: string) => resolveComponentInput(ref, ctx);
  return Object.entries(schema?.properties ?? {}).map(([name, prop]) => {
    const narrowTo = steps.flatMap((step) => step.inputTargets.get(name) ?? []);
    // An optional input that a step passes unchanged into a field the API requires: the
    // author forgot `required` (sending nothing there cannot work), so it is made required.
    const requiredBy = narrowTo.find((t) => t.required);
    if (!required.has(name) && requiredBy) {
      ctx.diagnostics.warning(
        "optional-input-required",
        `input \`${name}\` is optional, but it flows into ${requiredBy.what}, which the API requires; it is made required`,
        ctx.arazzo.locate([...at, "inputs", ...(workflow.inputs?.$ref ? [] : ["properties", name])]),
        `add \`${name}\` to the inputs' \`required\` list`,
      );
    }
    return {
      name,
      required: required.has(name) || !!requiredBy,
      description: typeof prop?.description === "string" ? prop.description : undefined,
      schema: schemaType(prop, resolveRef),
      ...exampleOf(prop, resolveRef),
      narrowTo,
    };
  });
}

/** The example a property schema gives: `examples[0]`, `example`, `default` or `const` (after one `$ref`). */
function exampleOf(prop: JsonSchema | undefined, resolveRef: (ref: string) => JsonSchema | undefined): { example?: unknown } {
  const schema = (typeof prop?.$ref === "string" ? resolveRef(prop.$ref) : prop) as Record<string, unknown> | undefined;
  if (!schema || typeof schema !== "object") return {};
  if (Array.isArray(schema.examples) && schema.examples.length) return { example: schema.examples[0] };
  for (const key of ["example", "default", "const"]) if (key in schema) return { example: schema[key] };
  return {};
}

function buildWorkflowOutputs(workflow: Workflow, at: readonly (string | number)[], steps: readonly StepModel[], ctx: WorkflowContext): WorkflowOutputModel[] {
  return Object.entries(workflow.outputs ?? {}).flatMap(([name, text]) => {
    const location = ctx.arazzo.locate([...at, "outputs", name]);
    const constant = constantOutput(text, `workflow output \`${name}\``, location, ctx.diagnostics);
    if (constant === null) return [];
    if (constant) return [{ name, parsed: constant, location }];
    const parsed = typeof text === "string" ? parseExpression(text) : undefined;
    if (!parsed?.ok) {
      ctx.diagnostics.error("invalid-expression", `workflow output \`${name}\`: ${parsed ? parsed.error.message : "must be a runtime expression"}`, location);
      return [];
    }
    const expression = parsed.value.expression;
    if (expression.kind === "steps") {
      const rawStep = workflow.steps?.find((s) => s?.stepId === expression.stepId);
      if (!rawStep) {
        ctx.diagnostics.error(
          "unknown-step",
          `workflow output \`${name}\` reads step \`${expression.stepId}\`, which does not exist in workflow \`${workflow.workflowId}\``,
          location,
        );
        return [];
      }
      const names = Object.keys(rawStep.outputs ?? {});
      if (!names.includes(expression.name)) {
        ctx.diagnostics.error(
          "unknown-output",
          `workflow output \`${name}\` reads \`${expression.name}\`, which step \`${expression.stepId}\` does not define`,
          location,
          names.length ? `step \`${expression.stepId}\` defines: ${names.join(", ")}` : undefined,
        );
        return [];
      }
      if (!steps.some((s) => s.stepId === expression.stepId && s.outputs.some((o) => o.name === expression.name))) return [];
      warnBareStepOutput(parsed.value, location, ctx.diagnostics);
    } else if (expression.kind === "workflows") {
      const known = ctx.raw.workflows?.find((w) => w?.workflowId === expression.workflowId);
      if (!(workflow.dependsOn ?? []).includes(expression.workflowId) || !known) {
        ctx.diagnostics.error(
          "invalid-context",
          `workflow output \`${name}\` reads workflow \`${expression.workflowId}\`, which is not in \`dependsOn\``,
          location,
        );
        return [];
      }
      const names = Object.keys(expression.field === "outputs" ? (known.outputs ?? {}) : (known.inputs?.properties ?? {}));
      if (!names.includes(expression.name)) {
        ctx.diagnostics.error(
          "unknown-output",
          `workflow output \`${name}\`: workflow \`${expression.workflowId}\` has no ${expression.field === "outputs" ? "output" : "input"} \`${expression.name}\``,
          location,
        );
        return [];
      }
    } else if (expression.kind !== "inputs") {
      ctx.diagnostics.error(
        "unsupported-expression",
        `workflow output \`${name}\`: \`${text}\` is not supported here; use $steps.<id>.outputs.<name> or $inputs.<name>`,
        location,
      );
      return [];
    }
    return [{ name, parsed: parsed.value, location }];
  });
}

/** `dependsOn` (Arazzo 1.0.1 §"Workflow Object"): workflows of this document that run first, with the same inputs. */
function buildDependsOn(workflow: Workflow, at: readonly (string | number)[], ctx: WorkflowContext): WorkflowModel["dependsOn"] {
  if (workflow.dependsOn === undefined) return [];
  if (!Array.isArray(workflow.dependsOn)) {
    ctx.diagnostics.error("invalid-type", "`dependsOn` must be a list of workflowIds", ctx.arazzo.locate([...at, "dependsOn"]));
    return [];
  }
  return workflow.dependsOn.flatMap((id, i) => {
    const location = ctx.arazzo.locate([...at, "dependsOn", i]);
    const names = typeof id === "string" ? ctx.workflowNames.get(id) : undefined;
    if (!names) {
      ctx.diagnostics.error(
        "unknown-workflow",
        `\`dependsOn\` names workflow ${JSON.stringify(id)}, which does not exist`,
        location,
        suggestion(String(id), [...ctx.workflowNames.keys()]),
      );
      return [];
    }
    return [{ workflowId: id as string, runFunction: `run${names.typeName}`, moduleName: names.moduleName, location }];
  });
}

/**
 * A step output read by a later step must be present at run time; mark those. An untyped
 * output (the API does not document it) that a later step sends unchanged into a typed
 * field takes that field's type: what the author means, and the only type it can have.
 */
function markRequiredOutputs(steps: StepModel[]): StepModel[] {
  const needed = new Set(steps.flatMap((s) => [...s.consumedOutputs].map((key) => key)));
  // The field an untyped output is sent into; none when it goes into fields of different types
  // (it stays `unknown`, and each of them takes it unchecked: `untyped-reads.ts`).
  const targets = new Map<string, InputTarget | null>();
  for (const s of steps) {
    for (const [key, list] of s.outputTargets) {
      for (const target of list) {
        const known = targets.get(key);
        if (known === undefined) targets.set(key, target);
        else if (known !== null && JSON.stringify(known.type) !== JSON.stringify(target.type)) targets.set(key, null);
      }
    }
  }
  return steps.map((step) => ({
    ...step,
    outputs: step.outputs.map((o) => {
      const target = o.untyped ? (targets.get(`${step.stepId}.${o.name}`) ?? undefined) : undefined;
      return { ...o, required: needed.has(`${step.stepId}.${o.name}`), ...(target ? { type: target.type, optional: false, typedFrom: target.what } : {}) };
    }),
  }));
}
