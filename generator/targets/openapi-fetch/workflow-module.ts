/**
 * Emits one workflow as a TypeScript module, assembled from ts-morph structures:
 * exported `<Name>Inputs`, `<Name>Outputs`, `<Name>Options` and `run<Name>`, plus one
 * small function per step (`step-function.ts`).
 *
 * A workflow without actions reads as straight-line code: one awaited step after the
 * other. A workflow with `onSuccess` / `onFailure` actions becomes a state machine: a
 * `switch` over step ids inside a loop bounded by `options.maxSteps`.
 */
import type { FunctionDeclarationStructure, InterfaceDeclarationStructure, OptionalKind, PropertySignatureStructure, StatementStructures } from "ts-morph";
import { docText, memberAccess, NameScope, objectKey, propertyKey, stringLiteral } from "../../shared/names.ts";
import { readMember } from "../typescript/code.ts";
import { carries, schemeCarrier } from "../../ir/security.ts";
import type { CredentialNeedModel, ParameterModel, SourceModel, WorkflowModel, WorkflowOutputModel } from "../../ir/types.ts";
import { Imports, type RuntimeModule } from "../typescript/imports.ts";
import type { SourceMapEntry } from "../typescript/source-map.ts";
import { accessReadCode, accessTypeCode, dataTypeCode } from "../typescript/type-code.ts";
import { untypedSegments } from "../../ir/access-plan.ts";
import { readStepOutputs, stepCall } from "./journal.ts";
import { stepStatements, type StepEmitContext } from "./step-function.ts";
import { typeIn } from "./type-names.ts";
import { StructureKind } from "../typescript/ts-morph.ts";

export interface EmittedModule {
  readonly statements: StatementStructures[];
  /** Lines of generated code that came from a place in the Arazzo document, for mapping type errors back. */
  readonly sourceMap: SourceMapEntry[];
  /** Runtime modules the workflow's code imports. */
  readonly runtimeModules: RuntimeModule[];
}

/** The workflows of the document, for `goto`/`retry` actions that name another workflow. */
export type WorkflowIndex = ReadonlyMap<string, WorkflowModel>;

/** How a workflow module is emitted. */
export interface WorkflowModuleOptions {
  /**
   * For durable targets: `run<Workflow>` takes a `Journal` (`runtime/durable.ts`) that runs
   * each operation step as one journaled unit and keeps the run's waits; the step functions
   * are the same. Steps run one after the other (a durable engine replays in order), and the
   * step-id union is exported for options that name steps.
   */
  readonly durable?: boolean;
  /** The sources whose clients apply credentials (their operations name security schemes): they take `credentialsCarried`. */
  readonly securedClients?: ReadonlySet<string>;
}

export function workflowModule(workflow: WorkflowModel, all: WorkflowIndex, options: WorkflowModuleOptions = {}): EmittedModule {
  const durable = options.durable === true;
  const sourceMap: SourceMapEntry[] = [];
  const imports = new Imports();
  if (durable) {
    imports.use("./durable.js", "inProcess");
    imports.use("./durable.js", "Journal", { typeOnly: true });
  }
  for (const s of workflow.sources) {
    if (s.kind === "asyncapi") {
      imports.use(`./${s.moduleName}.messages.js`, "components", { typeOnly: true, alias: `${s.pascalName}Messages` });
      continue;
    }
    imports.use(`./${s.moduleName}.client.js`, `create${s.pascalName}Client`);
    imports.use(`./${s.moduleName}.client.js`, `${s.pascalName}Client`, { typeOnly: true });
    imports.use(`./${s.moduleName}.paths.js`, "paths", { typeOnly: true, alias: `${s.pascalName}Paths` });
  }
  imports.use("./runtime.js", "RunOptions", { typeOnly: true });
  imports.use("./runtime-telemetry.js", "RunTelemetry", { typeOnly: true });
  const flowMode = !workflow.flow.straightLine;
  // Other workflows this one runs: steps, dependsOn, goto/retry actions.
  for (const s of workflow.steps) if (s.kind === "workflow") imports.use(`./${s.moduleName}.js`, s.runFunction);
  for (const d of workflow.dependsOn) imports.use(`./${d.moduleName}.js`, d.runFunction);
  const calledFunctions = [...workflow.steps.flatMap((s) => (s.kind === "workflow" ? [s.runFunction] : [])), ...workflow.dependsOn.map((d) => d.runFunction)];
  // Step functions live beside the step variables of run<Workflow>: none may take another's name.
  const names = new NameScope([
    "inputs",
    "options",
    "run",
    "steps",
    "result",
    "step",
    "outputs",
    "unmet",
    "current",
    "outcome",
    "error",
    "journal",
    `run${workflow.typeName}`,
    ...calledFunctions,
    ...workflow.steps.map((s) => s.varName),
  ]);
  const functionNames = new Map(workflow.steps.map((s) => [s.stepId, names.name(`${s.stepId} step`)]));
  const workflowFunctions = new Map<string, string>();
  for (const target of targetWorkflows(workflow)) {
    const other = all.get(target)!;
    if (other !== workflow) imports.use(`./${other.moduleName}.js`, `run${other.typeName}`);
    workflowFunctions.set(target, `run${other.typeName}`);
  }
  const aliasEntries = new Map<string, SourceMapEntry>();
  const ctx: StepEmitContext = {
    workflow,
    imports,
    sourceMap,
    functionNames,
    stepIdType: `${workflow.typeName}StepId`,
    workflowFunctions,
    aliasEntries,
    durable,
  };
  const stepDeclarations = workflow.steps.flatMap((step) => stepStatements(step, ctx));
  const inputs = inputsInterface(workflow, imports, sourceMap);
  const outputs = outputsInterface(workflow, sourceMap);
  // `inputs` is passed to the step functions that take it.
  const takeInputs = new Set(
    workflow.steps
      .filter((s) =>
        stepDeclarations.some(
          (d) => d.kind === StructureKind.Function && d.name === functionNames.get(s.stepId) && d.parameters?.some((p) => p.name === "inputs"),
        ),
      )
      .map((s) => s.stepId),
  );
  const secured = options.securedClients ?? new Set<string>();
  const run = flowMode
    ? stateMachineFunction(workflow, functionNames, takeInputs, imports, durable, secured)
    : workflow.steps.some((st) => st.dependsOn?.length) && !durable
      ? concurrentFunction(workflow, functionNames, takeInputs, imports, secured)
      : straightLineFunction(workflow, functionNames, takeInputs, imports, durable, secured);

  // Registered before the imports are printed: the options type and the run's channels use them.
  const optionsTypeCode = optionsType(workflow, imports);
  if (receiveChannels(workflow).length) imports.use("./runtime-messages.js", "RunChannels", { typeOnly: true });
  const statements: StatementStructures[] = [
    ...imports.structures(),
    inputs,
    outputs,
    {
      kind: StructureKind.TypeAlias,
      name: `${workflow.typeName}Options`,
      isExported: true,
      docs: [
        `Options of {@link run${workflow.typeName}}: ${workflow.credentials.length ? "base URLs, servers and credentials" : "base URLs and servers"} by source description, fetch, signal, middleware, step budget.`,
      ],
      type: optionsTypeCode,
    },
    ...(flowMode ? stateMachineTypes(workflow, durable) : durable ? [stepIdType(workflow, true)] : []),
    runInterface(workflow, flowMode, durable),
    run,
    ...stepDeclarations,
  ];
  // A step's `Parameters` / `RequestBody` / `Response` alias is declared only when something uses it.
  const unused = new Set([...aliasEntries.keys()].filter((name) => !usedOutside(name, statements)));
  const dropped = new Set([...unused].map((name) => aliasEntries.get(name)));
  return {
    statements: statements.filter((s) => !(s.kind === StructureKind.TypeAlias && unused.has(s.name))),
    sourceMap: sourceMap.filter((e) => !dropped.has(e)),
    runtimeModules: imports.runtimeModules(),
  };
}

/** Whether identifier `name` occurs in the code of some statement other than its own declaration (doc comments aside). */
function usedOutside(name: string, statements: readonly StatementStructures[]): boolean {
  const pattern = new RegExp(`(?<![\\w$])${name.replace(/\$/g, "\\$")}(?![\\w$])`);
  const mentions = (value: unknown): boolean =>
    typeof value === "string"
      ? pattern.test(value)
      : typeof value === "object" && value !== null && Object.entries(value).some(([key, v]) => key !== "docs" && mentions(v));
  return statements.some((s) => !(s.kind === StructureKind.TypeAlias && s.name === name) && mentions(s));
}

function targetWorkflows(workflow: WorkflowModel): string[] {
  const ids = workflow.steps.flatMap((s) => [...s.onSuccess, ...s.onFailure].flatMap((a) => (a.target?.kind === "workflow" ? [a.target.workflowId] : [])));
  return [...new Set(ids)];
}

function inputsInterface(workflow: WorkflowModel, imports: Imports, sourceMap: SourceMapEntry[]): InterfaceDeclarationStructure {
  const typeCode = typeIn(workflow);
  return {
    kind: StructureKind.Interface,
    name: `${workflow.typeName}Inputs`,
    isExported: true,
    docs: [`Inputs of workflow \`${docText(workflow.workflowId)}\`, from its \`inputs\` JSON Schema.`],
    properties: workflow.inputs.map((input): OptionalKind<PropertySignatureStructure> => {
      const own = dataTypeCode(input.schema);
      const targets = input.narrowTo.map((target) => {
        const targetType = typeCode(target.type);
        sourceMap.push({ fragment: targetType, location: target.location, note: `input \`${input.name}\` flows into ${target.what}` });
        return targetType;
      });
      // One field: `Narrow<Own, Field>`; several: `NarrowAll<Own, [A, B]>`, narrowed by each in turn.
      const type =
        targets.length === 0
          ? own
          : targets.length === 1
            ? `${imports.use("./runtime.js", "Narrow", { typeOnly: true })}<${own}, ${targets[0]}>`
            : `${imports.use("./runtime.js", "NarrowAll", { typeOnly: true })}<${own}, [${targets.join(", ")}]>`;
      const narrowed =
        input.narrowTo.length === 1
          ? [`Narrowed to the type of ${input.narrowTo[0]!.what}.`]
          : input.narrowTo.length > 1
            ? [`Narrowed to the types of the API fields it flows into:\n${input.narrowTo.map((t) => `- ${t.what}`).join("\n")}`]
            : [];
      const docs = [input.description, ...narrowed].filter((d): d is string => !!d).map(docText);
      return { name: propertyKey(input.name), hasQuestionToken: !input.required, type, docs: docs.length ? [docs.join("\n\n")] : [] };
    }),
  };
}

function outputsInterface(workflow: WorkflowModel, sourceMap: SourceMapEntry[]): InterfaceDeclarationStructure {
  return {
    kind: StructureKind.Interface,
    name: `${workflow.typeName}Outputs`,
    isExported: true,
    docs: [`Outputs of workflow \`${docText(workflow.workflowId)}\`, typed from the API responses they are read from.`],
    properties: workflow.outputs.map((output) => {
      const e = output.parsed.expression;
      const guaranteed = e.kind !== "steps" || workflow.flow.guaranteed.has(e.stepId);
      const base =
        e.kind === "literal"
          ? typeof e.value === "string"
            ? stringLiteral(e.value)
            : String(e.value)
          : e.kind === "steps"
            ? `${workflow.steps.find((s) => s.stepId === e.stepId)!.typeName}Outputs[${stringLiteral(e.name)}]`
            : e.kind === "workflows"
              ? `Run["workflows"][${stringLiteral(e.workflowId)}][${stringLiteral(e.field)}][${stringLiteral(e.name)}]`
              : `${workflow.typeName}Inputs[${stringLiteral(e.kind === "inputs" ? e.name : output.name)}]`;
      // A field under the value (`#/id`): typed along it, or `unknown` where nothing types it.
      const under = "path" in e ? [...e.path, ...e.pointer] : [];
      const typed = output.untyped ? "unknown" : under.length ? accessTypeCode(`NonNullable<${base}>`, untypedSegments(under)) : base;
      // A field under the value may be absent even when the value is there.
      const type = (guaranteed && !under.length) || output.untyped ? typed : `${typed} | undefined`;
      sourceMap.push({ fragment: `${propertyKey(output.name)}: ${type}`, location: output.location });
      const note = guaranteed ? "" : ` (absent when the run ends before step \`${docText(e.kind === "steps" ? e.stepId : "")}\` succeeds)`;
      return { name: propertyKey(output.name), type, docs: [`\`${docText(output.parsed.text)}\`${note}`] };
    }),
  };
}

/** The union of the workflow's step ids; exported for durable targets, whose options name steps. */
function stepIdType(workflow: WorkflowModel, exported: boolean): StatementStructures {
  return {
    kind: StructureKind.TypeAlias,
    name: `${workflow.typeName}StepId`,
    isExported: exported,
    docs: [`The steps of workflow \`${docText(workflow.workflowId)}\`.`],
    type: workflow.steps.map((s) => stringLiteral(s.stepId)).join(" | ") || "never",
  };
}

/** The step-id union and the outputs-by-step interface of a state machine. */
function stateMachineTypes(workflow: WorkflowModel, exportStepIds: boolean): StatementStructures[] {
  return [
    stepIdType(workflow, exportStepIds),
    {
      kind: StructureKind.Interface,
      name: `${workflow.typeName}Steps`,
      docs: ["The outputs of each step, once it has succeeded."],
      properties: workflow.steps.map((s) => ({ name: propertyKey(s.stepId), type: `${s.typeName}Outputs` })),
    },
  ];
}

/** The per-run state every step function receives. */
function runInterface(workflow: WorkflowModel, flowMode: boolean, durable: boolean): InterfaceDeclarationStructure {
  return {
    kind: StructureKind.Interface,
    name: "Run",
    docs: ["What the steps of one run share: the options, the abort signal and one client per source description, created for this run."],
    properties: [
      { name: "options", isReadonly: true, type: `${workflow.typeName}Options` },
      { name: "signal", isReadonly: true, type: "AbortSignal | undefined" },
      { name: "telemetry", isReadonly: true, docs: ["The run's spans and metrics (OpenTelemetry), or none."], type: "RunTelemetry" },
      {
        name: "clients",
        isReadonly: true,
        docs: ["One openapi-fetch client per source description, by its name."],
        type: `{ ${httpSources(workflow.sources)
          .map((s) => `readonly ${propertyKey(s.name)}: ${s.pascalName}Client`)
          .join("; ")} }`,
      },
      ...(receiveChannels(workflow).length
        ? [
            {
              name: "channels",
              isReadonly: true,
              docs: ["The channels the receive steps listen on, subscribed when the run starts (Arazzo 1.1 AsyncAPI steps)."],
              type: "RunChannels",
            },
          ]
        : []),
      ...(flowMode ? [{ name: "flow", isReadonly: true, type: `WorkflowRun<${workflow.typeName}StepId>` }] : []),
      ...(durable
        ? [
            {
              name: "journal",
              isReadonly: true,
              docs: ["Runs the steps and keeps the waits: in this process, or journaled by a durable engine."],
              type: "Journal",
            },
          ]
        : []),
      ...(workflow.dependsOn.length
        ? [
            {
              name: "workflows",
              isReadonly: true,
              docs: ["The workflows this one depends on, run first with the same inputs and options."],
              type: `{ ${workflow.dependsOn
                .map(
                  (d) =>
                    `readonly ${propertyKey(d.workflowId)}: { inputs: Parameters<typeof ${d.runFunction}>[0]; outputs: Awaited<ReturnType<typeof ${d.runFunction}>> }`,
                )
                .join("; ")} }`,
            },
          ]
        : []),
    ],
  };
}

function runDocs(workflow: WorkflowModel, flowMode: boolean, imports: Imports, durable: boolean): string {
  const description = [workflow.summary, workflow.description].filter((d): d is string => !!d).map(docText);
  const order = workflow.steps.map((s) => `\`${docText(s.stepId)}\``).join(flowMode ? ", " : " → ");
  return [
    [...description, flowMode ? `Steps: ${order}, following their success and failure actions.` : `Steps: ${order}.`].join("\n\n"),
    "@param inputs - the workflow's inputs",
    `@param options - base URLs and servers${workflow.credentials.length ? ", credentials" : ""}, fetch, abort signal, middleware and step budget`,
    ...(durable ? ["@param journal - runs each step once and keeps the waits: in this process by default, or a durable engine's (`<package>/restate`)"] : []),
    "@returns the workflow's outputs",
    // A link only to a name in scope: the module imports `ArazzoStepError` only when its code uses it.
    `@throws ${imports.has("./runtime.js", "ArazzoStepError") ? "{@link ArazzoStepError}" : "`ArazzoStepError` (exported by the package)"} when a step fails and no failure action handles it, or a value a later step needs is missing`,
  ].join("\n");
}

function runStart(
  workflow: WorkflowModel,
  flowMode: boolean,
  imports: Imports,
  durable: boolean,
  secured: ReadonlySet<string>,
  signal = "options.signal",
): string[] {
  const clientLines = httpSources(workflow.sources).map((s) => {
    const fields = [
      `baseUrl: ${readMember("options.baseUrls", s.name, imports, true)}`,
      `servers: ${readMember("options.servers", s.name, imports, true)}`,
      // Credentials only for sources whose secured operations the run calls (the options type has no others).
      ...(workflow.credentials.some((c) => c.source.name === s.name) ? [`auth: ${readMember("options.auth", s.name, imports, true)}`] : []),
      // The operations with servers of their own this run sends: resolved when the run starts.
      ...ownServerOperations(workflow, s),
      "fetch: options.fetch",
      "middleware: options.middleware",
      "trackRequests: !!options.onStep",
      "traced: telemetry.traced",
      // Every request of the run carries its credentials itself: the credentials middleware would do nothing.
      ...(secured.has(s.name) && credentialsCarried(workflow, s) ? ["credentialsCarried: true"] : []),
    ];
    return `${objectKey(s.name)}: create${s.pascalName}Client({ ${fields.join(", ")} }),`;
  });
  const clients = [`clients: {\n${clientLines.join("\n")}\n},`];
  const flow = flowMode
    ? [
        `flow: new ${imports.use("./runtime-flow.js", "WorkflowRun")}<${workflow.typeName}StepId>(${stringLiteral(workflow.workflowId)}, options, { ${durable ? "sleep: journal.sleep, " : ""}telemetry }),`,
      ]
    : [];
  const journal = durable ? ["journal,"] : [];
  // dependsOn: those workflows run first, in order, with the same inputs and options.
  const dependencies = workflow.dependsOn.length
    ? [
        `workflows: {\n${workflow.dependsOn.map((d) => `${objectKey(d.workflowId)}: { inputs, outputs: await ${d.runFunction}(inputs, options${durable ? `, journal.within(${stringLiteral(d.workflowId)})` : ""}) },`).join("\n")}\n},`,
      ]
    : [];
  const run = (channels: string[]) =>
    `const run: Run = {\noptions,\nsignal: ${signal},\ntelemetry,\n${[...clients, ...flow, ...journal, ...channels, ...dependencies].join("\n")}\n};`;
  if (!receiveChannels(workflow).length) return [run([])];
  // Receive steps' channels are subscribed before anything runs, the workflows this one depends
  // on included: a reply is never missed (`functionStructure` closes them however the run ends).
  const list = receiveChannels(workflow)
    .map(([source, channel]) => `[${stringLiteral(source)}, ${stringLiteral(channel)}]`)
    .join(", ");
  return [
    `const channels = await ${imports.use("./runtime-messages.js", "RunChannels")}.open(options.transports, [${list}], options.signal);`,
    run(["channels,"]),
  ];
}

/**
 * Whether every request a run of `workflow` sends on `source` carries, whatever the run's
 * options, the credentials of every scheme its operation's security requirements name: each
 * step sends them itself in the header the scheme's credentials travel in (`Authorization`, an
 * API key's header), as a value that is always there (text, or a template, which is text). A
 * client's credentials middleware applies nothing to such a request, so the run leaves it out.
 */
function credentialsCarried(workflow: WorkflowModel, source: SourceModel): boolean {
  const always = (p: ParameterModel) => p.credential?.basic || p.value.kind === "template" || (p.value.kind === "literal" && p.value.value !== null);
  return workflow.steps.every(
    (step) =>
      step.kind !== "operation" ||
      step.source !== source ||
      step.security.every((alternative) =>
        alternative.every(({ scheme: name }) => {
          const scheme = source.securitySchemes.find((s) => s.name === name);
          const carrier = scheme && schemeCarrier(scheme);
          return carrier?.in === "header" && step.parameters.some((p) => p.in === "header" && carries(carrier, p) && always(p));
        }),
      ),
  );
}

/** `operations: [...]` for a client: the operations with servers of their own the workflow's steps send on source `source`. */
function ownServerOperations(workflow: WorkflowModel, source: SourceModel): string[] {
  const keys = [
    ...new Set(
      workflow.steps.flatMap((st) =>
        st.kind === "operation" && st.source === source && st.servers?.length ? [`${st.operation.method.toUpperCase()} ${st.operation.path}`] : [],
      ),
    ),
  ];
  return keys.length ? [`operations: [${keys.map(stringLiteral).join(", ")}]`] : [];
}

/** The OpenAPI sources: those with an HTTP client. */
function httpSources(sources: readonly SourceModel[]): SourceModel[] {
  return sources.filter((s) => s.kind !== "asyncapi");
}

/** `[source, channel]` of each receive step, once each. */
function receiveChannels(workflow: WorkflowModel): (readonly [string, string])[] {
  const seen = new Map<string, readonly [string, string]>();
  for (const s of workflow.steps)
    if (s.kind === "message" && s.action === "receive") seen.set(`${s.source.name}\u0000${s.channel}`, [s.source.name, s.channel]);
  return [...seen.values()];
}

/**
 * `RunOptions` of the HTTP sources with their `servers`, the credentials of the sources whose
 * secured operations the run calls (required where the steps do not send them), and the
 * message transports of the AsyncAPI sources, required.
 */
function optionsType(workflow: WorkflowModel, imports: Imports): string {
  // By name: an Arazzo source may describe the same source again.
  const http = [...new Map(httpSources(workflow.optionSources).map((s) => [s.name, s])).values()];
  const base = `RunOptions<${http.map((s) => stringLiteral(s.name)).join(" | ") || "never"}>`;
  const members: string[] = [];
  if (http.length) {
    const entries = http.map(
      (s) => `readonly ${propertyKey(s.name)}?: ${imports.use(`./${s.moduleName}.client.js`, `${s.pascalName}ServerOptions`, { typeOnly: true })}`,
    );
    members.push(
      `/** Which server of each source's OpenAPI description to call, and values for its variables (default: the first, its variables at their defaults); \`baseUrls\` overrides. */\nreadonly servers?: { ${entries.join("; ")} };`,
    );
  }
  if (workflow.credentials.length) {
    const entries = workflow.credentials.map((c) => credentialEntry(c, imports));
    const required = entries.some((e) => e.required);
    members.push(
      `/**\n * Credentials by source description and security scheme: each request gets those its operation's security requirement names.${
        required ? " Those the workflow's operations need and its steps do not send are required." : ""
      }\n */\nreadonly auth${required ? "" : "?"}: { ${entries.map((e) => e.code).join("; ")} };`,
    );
  }
  const async = [...new Map(workflow.optionSources.filter((s) => s.kind === "asyncapi").map((s) => [s.name, s])).values()];
  if (async.length) {
    const transport = imports.use("./runtime-messages.js", "MessageTransport", { typeOnly: true });
    members.push(
      `/** The message transport of each AsyncAPI source (\`<package>/transports/mqtt\`, \`…/nats\`, or your own). */\nreadonly transports: { ${async.map((s) => `readonly ${propertyKey(s.name)}: ${transport}`).join("; ")} };`,
    );
  }
  return members.length ? `${base} & {\n${members.join("\n")}\n}` : base;
}

/** `auth.<source>`: its credentials type, with the schemes the run needs required (alternatives as a union). */
function credentialEntry(need: CredentialNeedModel, imports: Imports): { code: string; required: boolean } {
  const s = need.source;
  const credentials = imports.use(`./${s.moduleName}.client.js`, `${s.pascalName}Credentials`, { typeOnly: true });
  if (!need.needs.length) return { code: `readonly ${propertyKey(s.name)}?: ${credentials}`, required: false };
  const requires = imports.use("./runtime-auth.js", "Requires", { typeOnly: true });
  const names = (list: readonly string[]) => list.map(stringLiteral).join(" | ");
  const single = [...new Set(need.needs.filter((n) => n.length === 1).flatMap((n) => n[0]!))].sort();
  const parts = [
    ...(single.length ? [`${requires}<${credentials}, ${names(single)}>`] : []),
    ...need.needs.filter((n) => n.length > 1).map((n) => `(${n.map((a) => `${requires}<${credentials}, ${names(a)}>`).join(" | ")})`),
  ];
  return { code: `readonly ${propertyKey(s.name)}: ${parts.join(" & ")}`, required: true };
}

/** Whether `run<Workflow>` must be given options: its message transports, or credentials it needs. */
export function optionsRequired(workflow: WorkflowModel): boolean {
  return workflow.optionSources.some((s) => s.kind === "asyncapi") || workflow.credentials.some((c) => c.needs.length > 0);
}

function functionStructure(workflow: WorkflowModel, flowMode: boolean, body: string[], imports: Imports, durable = false): FunctionDeclarationStructure {
  // The channels the run subscribed to are closed however it ends.
  const start = body.findIndex((line) => line.startsWith("const channels = "));
  const inner = start >= 0 ? [...body.slice(0, start + 1), `try {\n${body.slice(start + 1).join("\n")}\n} finally {\nawait channels.close();\n}`] : body;
  // The run in its span, when OpenTelemetry is set up; a durable engine says which attempt replays its journal.
  const statements = [
    "// Traced when OpenTelemetry is set up (`options.tracer`, or an SDK registered with `@opentelemetry/api`).",
    `return ${imports.use("./runtime-telemetry.js", "traceWorkflow")}(${stringLiteral(workflow.workflowId)}, options, async (telemetry) => {\n${inner.join("\n")}\n}${durable ? ", journal.attempt" : ""});`,
  ];
  return {
    kind: StructureKind.Function,
    name: `run${workflow.typeName}`,
    isExported: true,
    isAsync: true,
    docs: [runDocs(workflow, flowMode, imports, durable)],
    parameters: [
      { name: "inputs", type: `${workflow.typeName}Inputs` },
      // With message steps the options carry the transports, with secured operations the credentials: they must be given.
      { name: "options", type: `${workflow.typeName}Options`, ...(optionsRequired(workflow) ? {} : { initializer: "{}" }) },
      ...(durable ? [{ name: "journal", type: "Journal", initializer: "inProcess" }] : []),
    ],
    returnType: `Promise<${workflow.typeName}Outputs>`,
    statements,
  };
}

function straightLineFunction(
  workflow: WorkflowModel,
  functionNames: ReadonlyMap<string, string>,
  takeInputs: ReadonlySet<string>,
  imports: Imports,
  durable: boolean,
  secured: ReadonlySet<string>,
): FunctionDeclarationStructure {
  // Durable: the outputs something reads, which the journal keeps.
  const read = durable ? readStepOutputs(workflow) : undefined;
  const calls = workflow.steps.map((step) => {
    const reads = workflow.steps.filter((s) => step.readsSteps.includes(s.stepId));
    const args = [
      "run",
      ...(takeInputs.has(step.stepId) ? ["inputs"] : []),
      ...(reads.length ? [`{ ${reads.map((s) => (objectKey(s.stepId) === s.varName ? s.varName : `${objectKey(s.stepId)}: ${s.varName}`)).join(", ")} }`] : []),
    ];
    const used =
      workflow.steps.some((s) => s.readsSteps.includes(step.stepId)) ||
      workflow.outputs.some((o) => o.parsed.expression.kind === "steps" && o.parsed.expression.stepId === step.stepId);
    return `${used ? `const ${step.varName} = ` : ""}${stepCall(step, `${functionNames.get(step.stepId)}(${args.join(", ")})`, read, false)};`;
  });
  const outputs = workflow.outputs.map(
    (o) => `${objectKey(o.name)}: ${outputValue(workflow, o, (stepId) => workflow.steps.find((s) => s.stepId === stepId)!.varName, imports)},`,
  );
  return functionStructure(
    workflow,
    false,
    [
      "// Clients are created per run, so `options.fetch` (or the global fetch at call time) is the one used.",
      ...runStart(workflow, false, imports, durable, secured),
      ...calls,
      `return {\n${outputs.join("\n")}\n};`,
    ],
    imports,
    durable,
  );
}

/**
 * A workflow whose steps declare `dependsOn` (Arazzo 1.1): each step starts when the steps it
 * depends on and those whose outputs it reads are done, independent steps concurrently, in a
 * `StepGraph` whose first failure aborts the rest and fails the run.
 */
function concurrentFunction(
  workflow: WorkflowModel,
  functionNames: ReadonlyMap<string, string>,
  takeInputs: ReadonlySet<string>,
  imports: Imports,
  secured: ReadonlySet<string>,
): FunctionDeclarationStructure {
  const awaited = (stepId: string) => workflow.steps.find((st) => st.stepId === stepId)!.varName;
  const starts = workflow.steps.map((step) => {
    const reads = workflow.steps.filter((s) => step.readsSteps.includes(s.stepId));
    const waits = workflow.steps.filter((s) => step.dependsOn?.includes(s.stepId) && !step.readsSteps.includes(s.stepId));
    const args = [
      "run",
      ...(takeInputs.has(step.stepId) ? ["inputs"] : []),
      ...(reads.length ? [`{ ${reads.map((s) => `${objectKey(s.stepId)}: await ${s.varName}`).join(", ")} }`] : []),
    ];
    // The step's span starts once what it waits for and reads is done.
    const traced = `run.telemetry.step(${stringLiteral(step.stepId)}, ${reads.length ? "async " : ""}() => ${functionNames.get(step.stepId)}(${args.join(", ")}))`;
    const before = [...waits, ...reads];
    const body = before.length
      ? `async () => {\nawait ${before.length === 1 ? before[0]!.varName : `Promise.all([${before.map((s) => s.varName).join(", ")}])`};\nreturn ${traced};\n}`
      : `() => ${traced}`;
    const used =
      workflow.steps.some((s) => s.readsSteps.includes(step.stepId) || s.dependsOn?.includes(step.stepId)) ||
      workflow.outputs.some((o) => o.parsed.expression.kind === "steps" && o.parsed.expression.stepId === step.stepId);
    return `${used ? `const ${step.varName} = ` : ""}steps.start(${body});`;
  });
  const outputs = workflow.outputs.map((o) => `${objectKey(o.name)}: ${outputValue(workflow, o, (stepId) => `(await ${awaited(stepId)})`, imports)},`);
  return functionStructure(
    workflow,
    false,
    [
      "// Each step starts when the steps it depends on are done; the first failure stops the others.",
      `const steps = new ${imports.use("./runtime.js", "StepGraph")}(options.signal);`,
      "// Clients are created per run, so `options.fetch` (or the global fetch at call time) is the one used.",
      ...runStart(workflow, false, imports, false, secured, "steps.signal"),
      ...starts,
      "await steps.done();",
      `return {\n${outputs.join("\n")}\n};`,
    ],
    imports,
  );
}

function stateMachineFunction(
  workflow: WorkflowModel,
  functionNames: ReadonlyMap<string, string>,
  takeInputs: ReadonlySet<string>,
  imports: Imports,
  durable: boolean,
  secured: ReadonlySet<string>,
): FunctionDeclarationStructure {
  // Durable: the outputs something reads, which the journal keeps.
  const read = durable ? readStepOutputs(workflow) : undefined;
  const cases = workflow.steps.map((step, i) => {
    const reads = workflow.steps.filter((s) => step.readsSteps.includes(s.stepId));
    const readArg = reads.length
      ? `, { ${reads.map((s) => `${objectKey(s.stepId)}: run.flow.outputsOf(steps, ${stringLiteral(s.stepId)}, ${stringLiteral(step.stepId)})`).join(", ")} }`
      : "";
    const following = workflow.steps[i + 1];
    return [
      `case ${stringLiteral(step.stepId)}: {`,
      `const outcome = ${stepCall(step, `${functionNames.get(step.stepId)}(run${takeInputs.has(step.stepId) ? ", inputs" : ""}${readArg})`, read, true)};`,
      `if (outcome.outputs) steps${memberAccess(step.stepId)} = outcome.outputs;`,
      `current = await run.flow.follow(${stringLiteral(step.stepId)}, outcome, ${following ? stringLiteral(following.stepId) : "undefined"});`,
      "break;",
      "}",
    ].join("\n");
  });
  const outputs = workflow.outputs.map((o) => `${objectKey(o.name)}: ${outputValue(workflow, o, (stepId) => `steps${memberAccess(stepId)}`, imports, true)},`);
  const first = workflow.steps[0];
  return functionStructure(
    workflow,
    true,
    [
      "// Clients are created per run, so `options.fetch` (or the global fetch at call time) is the one used.",
      ...runStart(workflow, true, imports, durable, secured),
      // No prototype: a step id such as `constructor` or `__proto__` is an ordinary key here.
      `const steps: Partial<${workflow.typeName}Steps> = Object.create(null);`,
      `let current: ${workflow.typeName}StepId | undefined = ${first ? stringLiteral(first.stepId) : "undefined"};`,
      // A step that fails after retries says how often it was tried (`ArazzoStepError.attempts`).
      `while (current !== undefined) {\nrun.flow.enter(current);\ntry {\nswitch (current) {\n${cases.join("\n")}\n}\n} catch (error) {\nthrow run.flow.failed(current, error);\n}\n}`,
      `return {\n${outputs.join("\n")}\n};`,
    ],
    imports,
    durable,
  );
}

function outputValue(workflow: WorkflowModel, output: WorkflowOutputModel, stepRef: (stepId: string) => string, imports: Imports, optional = false): string {
  const e = output.parsed.expression;
  const under = (code: string) => fieldUnder(code, "path" in e ? [...e.path, ...e.pointer] : [], output.untyped === true, imports);
  if (e.kind === "literal") return typeof e.value === "string" ? stringLiteral(e.value) : String(e.value);
  if (e.kind === "workflows") return under(`run.workflows${memberAccess(e.workflowId)}.${e.field}${memberAccess(e.name)}`);
  if (e.kind !== "steps") return under(readMember("inputs", e.kind === "inputs" ? e.name : output.name, imports));
  const guaranteed = workflow.flow.guaranteed.has(e.stepId);
  if (!optional) return under(`${stepRef(e.stepId)}${memberAccess(e.name)}`);
  return under(
    guaranteed
      ? `run.flow.outputsOf(steps, ${stringLiteral(e.stepId)}, ${stringLiteral(e.stepId)})${memberAccess(e.name)}`
      : `${stepRef(e.stepId)}?.${memberAccess(e.name).replace(/^\./, "")}`,
  );
}

/** The field at `tokens` under a value: a typed read, or one at run time when the value has no static type. */
function fieldUnder(code: string, tokens: readonly string[], untyped: boolean, imports: Imports): string {
  if (tokens.length === 0) return code;
  if (untyped) return `${imports.use("./runtime.js", "readPointer")}(${code}, [${tokens.map(stringLiteral).join(", ")}])`;
  const read = accessReadCode(code, { read: untypedSegments(tokens), rest: [] });
  if (read.includes("ownProperty(")) imports.use("./runtime.js", "ownProperty");
  return read;
}
