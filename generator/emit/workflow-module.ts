/**
 * Emits one workflow as a TypeScript module, assembled from ts-morph structures:
 * exported `<Name>Inputs`, `<Name>Outputs`, `<Name>Options` and `run<Name>`, plus one
 * small async function per step that sends its request, checks its success criteria and
 * returns its outputs. A workflow without jumps reads as straight-line code.
 */
import path from "node:path";
import {
  StructureKind,
  type FunctionDeclarationStructure,
  type ImportDeclarationStructure,
  type InterfaceDeclarationStructure,
  type OptionalKind,
  type PropertySignatureStructure,
  type StatementStructures,
  type TypeAliasDeclarationStructure,
} from "ts-morph";
import { docText, lineCommentText, memberAccess, NameScope, propertyKey, stringLiteral } from "../model/names.ts";
import type { ParameterModel, SourceModel, StepModel, WorkflowModel } from "../model/types.ts";
import { conditionCode, expressionCode, valueCode, type CodeScope } from "./code.ts";
import type { SourceMapEntry } from "./source-map.ts";

export interface EmittedModule {
  readonly statements: StatementStructures[];
  /** Lines of generated code that came from a place in the Arazzo document, for mapping type errors back. */
  readonly sourceMap: SourceMapEntry[];
}

export function workflowModule(workflow: WorkflowModel): EmittedModule {
  const sourceMap: SourceMapEntry[] = [];
  const helpers = new Set<string>(["send", "assertCriterion"]);
  const names = new NameScope(["inputs", "options", "run", "steps", "result", "step"]);
  const stepFunctions = new Map(workflow.steps.map((s) => [s.stepId, names.name(`${s.stepId} step`)]));

  const stepDeclarations = workflow.steps.flatMap((step) => stepStatements(workflow, step, stepFunctions.get(step.stepId)!, helpers, sourceMap));
  const typeImports = new Set<string>(["RunOptions"]);
  if (workflow.inputs.some((i) => i.narrowTo.length)) typeImports.add("Narrow");

  const statements: StatementStructures[] = [
    ...sourceImports(workflow.sources),
    {
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: "./runtime.js",
      namedImports: [...[...typeImports].sort().map((name) => ({ name, isTypeOnly: true })), ...[...helpers].sort().map((name) => ({ name }))],
    },
    inputsInterface(workflow, sourceMap),
    outputsInterface(workflow, sourceMap),
    {
      kind: StructureKind.TypeAlias,
      name: `${workflow.typeName}Options`,
      isExported: true,
      docs: [`Options of {@link run${workflow.typeName}}: base URLs keyed by source description, fetch, signal, middleware.`],
      type: `RunOptions<${workflow.sources.map((s) => stringLiteral(s.name)).join(" | ") || "never"}>`,
    },
    runInterface(workflow),
    runFunction(workflow, stepFunctions),
    ...stepDeclarations,
  ];
  return { statements, sourceMap };
}

function sourceImports(sources: readonly SourceModel[]): ImportDeclarationStructure[] {
  return sources.flatMap((s): ImportDeclarationStructure[] => [
    {
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: `./${s.moduleName}.client.js`,
      namedImports: [{ name: `create${s.pascalName}Client` }, { name: `${s.pascalName}Client`, isTypeOnly: true }],
    },
    {
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: `./${s.moduleName}.paths.js`,
      isTypeOnly: true,
      namedImports: [{ name: "paths", alias: `${s.pascalName}Paths` }],
    },
  ]);
}

function inputsInterface(workflow: WorkflowModel, sourceMap: SourceMapEntry[]): InterfaceDeclarationStructure {
  return {
    kind: StructureKind.Interface,
    name: `${workflow.typeName}Inputs`,
    isExported: true,
    docs: [`Inputs of workflow \`${docText(workflow.workflowId)}\`, from its \`inputs\` JSON Schema.`],
    properties: workflow.inputs.map((input): OptionalKind<PropertySignatureStructure> => {
      let type = input.schemaType;
      for (const target of input.narrowTo) {
        type = `Narrow<${type}, ${target.type}>`;
        sourceMap.push({ fragment: target.type, location: target.location, note: `input \`${input.name}\` flows into ${target.what}` });
      }
      const narrowed = input.narrowTo.map((t) => `Narrowed to the type of ${t.what}.`);
      const docs = [input.description, ...narrowed].filter((d): d is string => !!d).map(docText);
      return {
        name: propertyKey(input.name),
        hasQuestionToken: !input.required,
        isReadonly: false,
        type,
        docs: docs.length ? [docs.join("\n\n")] : [],
      };
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
      const type =
        e.kind === "steps"
          ? `${workflow.steps.find((s) => s.stepId === e.stepId)!.typeName}Outputs[${stringLiteral(e.name)}]`
          : `${workflow.typeName}Inputs[${stringLiteral(e.kind === "inputs" ? e.name : output.name)}]`;
      sourceMap.push({ fragment: `${propertyKey(output.name)}: ${type}`, location: output.location });
      return { name: propertyKey(output.name), type, docs: [`\`${docText(output.parsed.text)}\``] };
    }),
  };
}

/** The per-run state every step function receives. */
function runInterface(workflow: WorkflowModel): InterfaceDeclarationStructure {
  return {
    kind: StructureKind.Interface,
    name: "Run",
    docs: ["What the steps of one run share: the abort signal and one client per source description, created for this run."],
    properties: [
      { name: "signal", isReadonly: true, type: "AbortSignal | undefined" },
      ...workflow.sources.map((s) => ({ name: propertyKey(s.name), isReadonly: true, type: `${s.pascalName}Client` })),
    ],
  };
}

function runFunction(workflow: WorkflowModel, stepFunctions: ReadonlyMap<string, string>): FunctionDeclarationStructure {
  const name = `run${workflow.typeName}`;
  const description = [workflow.summary, workflow.description].filter((d): d is string => !!d).map(docText);
  const order = workflow.steps.map((s) => `\`${docText(s.stepId)}\``).join(" → ");
  const clientLines = workflow.sources.map((s) => {
    const options = `{ baseUrl: options.baseUrls?.${propertyKey(s.name) === s.name ? s.name : `[${stringLiteral(s.name)}]`}, fetch: options.fetch, middleware: options.middleware }`;
    return `  ${propertyKey(s.name)}: create${s.pascalName}Client(${options}),`;
  });
  const calls = workflow.steps.map((step) => {
    const reads = step.readsSteps;
    const args = ["run", "inputs", ...(reads.length ? [`{ ${reads.map((id) => stepVarName(workflow, id, true)).join(", ")} }`] : [])];
    return `const ${step.varName} = await ${stepFunctions.get(step.stepId)}(${args.join(", ")});`;
  });
  const outputLines = workflow.outputs.map((output) => {
    const e = output.parsed.expression;
    const value = e.kind === "steps" ? `${stepVarName(workflow, e.stepId)}${memberAccess(e.name)}` : `inputs${memberAccess(e.kind === "inputs" ? e.name : output.name)}`;
    return `  ${propertyKey(output.name)}: ${value},`;
  });
  return {
    kind: StructureKind.Function,
    name,
    isExported: true,
    isAsync: true,
    docs: [
      [
        [...description, `Steps: ${order}.`].join("\n\n"),
        `@param inputs - the workflow's inputs`,
        `@param options - base URLs, fetch, abort signal and middleware`,
        `@returns the workflow's outputs`,
        `@throws {@link ArazzoStepError} when a step's success criteria are not met or a value a later step needs is missing`,
      ].join("\n"),
    ],
    parameters: [
      { name: "inputs", type: `${workflow.typeName}Inputs` },
      { name: "options", type: `${workflow.typeName}Options`, initializer: "{}" },
    ],
    returnType: `Promise<${workflow.typeName}Outputs>`,
    statements: [
      "// Clients are created per run, so `options.fetch` (or the global fetch at call time) is the one used.",
      `const run: Run = {\n  signal: options.signal,\n${clientLines.join("\n")}\n};`,
      ...calls,
      `return {\n${outputLines.join("\n")}\n};`,
    ],
  };
}

function stepStatements(
  workflow: WorkflowModel,
  step: StepModel,
  functionName: string,
  helpers: Set<string>,
  sourceMap: SourceMapEntry[],
): StatementStructures[] {
  const aliases: TypeAliasDeclarationStructure[] = [];
  const alias = (suffix: string, type: string, docs: string) => {
    aliases.push({ kind: StructureKind.TypeAlias, name: `${step.typeName}${suffix}`, type, docs: [docs] });
    sourceMap.push({ fragment: type, location: step.location });
  };
  const operationText = `\`${step.operation.method.toUpperCase()} ${docText(step.operation.path)}\`${step.operation.operationId ? ` (\`${docText(step.operation.operationId)}\`)` : ""}`;
  if (step.parameters.some((p) => p.declared) || step.unsuppliedParameters.length) {
    alias("Parameters", step.aliases.parameters, `Parameters of ${operationText}.`);
  }
  if (step.requestBody && step.aliases.requestBody) {
    alias("RequestBody", step.aliases.requestBody, `Request body of ${operationText} as \`${docText(step.requestBody.contentType)}\`.`);
  }
  if (step.aliases.response) {
    alias("Response", step.aliases.response, `Response body of ${operationText} for HTTP ${step.successStatuses.join(" or ")}.`);
  }

  const outputsInterface: InterfaceDeclarationStructure = {
    kind: StructureKind.Interface,
    name: `${step.typeName}Outputs`,
    docs: [`Outputs of step \`${docText(step.stepId)}\`.`],
    properties: step.outputs.map((o) => {
      const type = o.required ? `NonNullable<${o.type}>` : o.type;
      sourceMap.push({ fragment: `${propertyKey(o.name)}: ${type}`, location: o.location });
      return {
        name: propertyKey(o.name),
        type,
        docs: [`\`${docText(o.parsed.text)}\`${o.required ? " (required: a later step uses it)" : ""}`],
      };
    }),
  };

  const reads = step.readsSteps;
  const earlier = workflow.steps.filter((s) => reads.includes(s.stepId));
  const scope: CodeScope = { resolve: step.source.resolve, step, steps: earlier, helpers, sourceMap };
  const resultScope: CodeScope = { ...scope, result: "result", responseSchema: step.responseSchema };
  const body: string[] = [];
  body.push(`const step = { workflowId: ${stringLiteral(workflow.workflowId)}, stepId: ${stringLiteral(step.stepId)} };`);
  const init = requestInit(step, scope, sourceMap);
  const call = `run${memberAccess(step.source.name)}.${step.operation.method.toUpperCase()}(${stringLiteral(step.operation.path)}, ${init})`;
  body.push(`const result = await send(step, run.signal, () =>\n  ${call.replace(/\n/g, "\n  ")},\n);`);
  for (const criterion of step.successCriteria) {
    const code = conditionCode(criterion.condition, resultScope);
    sourceMap.push({ fragment: code, location: criterion.location });
    body.push(`assertCriterion(${code}, step, result, ${stringLiteral(criterion.text)});`);
  }
  if (step.outputs.length) {
    const lines = step.outputs.map((o) => {
      const code = expressionCode(o.parsed, resultScope);
      if (o.required) helpers.add("requireOutput");
      const value = o.required ? `requireOutput(${code}, step, result, ${stringLiteral(o.parsed.text)})` : code;
      sourceMap.push({ fragment: `${propertyKey(o.name)}: ${value}`, location: o.location });
      return `  ${propertyKey(o.name)}: ${value},`;
    });
    body.push(`return {\n${lines.join("\n")}\n};`);
  } else {
    body.push("return {};");
  }

  const parameters = [
    { name: "run", type: "Run" },
    { name: "inputs", type: `${workflow.typeName}Inputs` },
    ...(earlier.length
      ? [{ name: "steps", type: `{ ${earlier.map((s) => `${propertyKey(s.stepId)}: ${s.typeName}Outputs`).join("; ")} }` }]
      : []),
  ];
  const description = step.description ? `${docText(step.description)}\n\n` : "";
  const fn: FunctionDeclarationStructure = {
    kind: StructureKind.Function,
    name: functionName,
    isAsync: true,
    docs: [`Step \`${docText(step.stepId)}\`: ${operationText} on \`${docText(step.source.name)}\`.\n\n${description}Defined at ${docText(`${path.basename(step.location.file)}:${step.location.line}:${step.location.col}`)}.`.trim()],
    parameters,
    returnType: `Promise<${step.typeName}Outputs>`,
    statements: body,
  };
  return [...aliases, outputsInterface, fn];
}

/** The object passed to the openapi-fetch call: params, headers, body, serializer hints, signal. */
function requestInit(step: StepModel, scope: CodeScope, sourceMap: SourceMapEntry[]): string {
  const fields: string[] = [];
  const declared = step.parameters.filter((p) => p.declared && p.in !== "cookie");
  const groups = (["path", "query", "header"] as const).flatMap((location) => {
    const params = declared.filter((p) => p.in === location);
    const missing = step.unsuppliedParameters.filter((p) => p.in === location);
    if (!params.length && !missing.length) return [];
    const object = objectCode(params, scope, "    ", sourceMap);
    if (!missing.length) return [`    ${location}: ${object},`];
    // Required parameters the workflow does not supply: typed as a deliberate gap that a middleware fills.
    const omitted = missing.map((p) => stringLiteral(p.name)).join(" | ");
    const type = `${step.typeName}Parameters[${stringLiteral(location)}]`;
    return [
      `    // Required by the API but not supplied by the workflow: ${lineCommentText(missing.map((p) => p.name).join(", "))}. Add them with a middleware.`,
      `    ${location}: ${object} satisfies Omit<${type}, ${omitted}> as ${type},`,
    ];
  });
  if (groups.length) fields.push(`  params: {\n${groups.join("\n")}\n  },`);

  const headers: string[] = [];
  const undeclared = step.parameters.filter((p) => !p.declared && p.in === "header");
  for (const p of undeclared) headers.push(entryCode(p, scope, "    ", sourceMap));
  const cookies = step.parameters.filter((p) => p.in === "cookie");
  if (cookies.length) {
    const parts = cookies.map((p) => `\${encodeURIComponent(String(${valueCode(p.value, scope)}))}`.replace(/^/, `${p.name}=`));
    headers.push(`    Cookie: \`${parts.join("; ")}\`,`);
  }
  if (step.requestBody && !/^application\/json\b/i.test(step.requestBody.contentType)) {
    headers.push(`    "Content-Type": ${stringLiteral(step.requestBody.contentType)},`);
  }
  if (headers.length) fields.push(`  headers: {\n${headers.join("\n")}\n  },`);
  if (step.requestBody) {
    const code = valueCode(step.requestBody.payload, scope, "  ");
    sourceMap.push({ fragment: `body: ${code.split("\n")[0]}`, location: step.requestBody.location });
    fields.push(`  body: ${code},`);
  }
  fields.push("  signal: run.signal,");
  return `{\n${fields.join("\n")}\n}`;
}

function objectCode(params: readonly ParameterModel[], scope: CodeScope, indent: string, sourceMap: SourceMapEntry[]): string {
  if (!params.length) return "{}";
  return `{\n${params.map((p) => entryCode(p, scope, `${indent}  `, sourceMap)).join("\n")}\n${indent}}`;
}

function entryCode(p: ParameterModel, scope: CodeScope, indent: string, sourceMap: SourceMapEntry[]): string {
  const line = `${propertyKey(p.name)}: ${valueCode(p.value, scope, indent)}`;
  sourceMap.push({ fragment: line.split("\n")[0]!, location: p.location });
  return `${indent}${line},`;
}

function stepVarName(workflow: WorkflowModel, stepId: string, asShorthand = false): string {
  const step = workflow.steps.find((s) => s.stepId === stepId)!;
  if (!asShorthand) return step.varName;
  return propertyKey(stepId) === step.varName ? step.varName : `${propertyKey(stepId)}: ${step.varName}`;
}
