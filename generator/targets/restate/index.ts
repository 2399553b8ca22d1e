/**
 * The restate target: the openapi-fetch package (same clients, types, step functions and
 * `run<Workflow>` functions, emitted by `targets/openapi-fetch/` with durable workflow
 * modules) plus `<package>/restate`, one Restate workflow service per workflow, and
 * `<package>/restate/client`, typed ingress clients. The journal each service runs with is
 * `runtime/restate.ts`.
 *
 * Restate replays a workflow from its journal, so what a journaled step returns must be
 * plain data. Two things are not, and are errors at their place in the document: message
 * steps (their subscriptions live in the process) and an operation step's action that runs
 * another workflow (the journaled transition would have to hold the call).
 */
import path from "node:path";
import type { DiagnosticBag } from "../../diagnostics.ts";
import type { PackageModel, WorkflowModel } from "../../ir/types.ts";
import { allModels } from "../../ir/operation-uses.ts";
import { lowerFirst, stringLiteral } from "../../shared/names.ts";
import { packageSources, type PackageExtension } from "../openapi-fetch/package.ts";
import { optionsRequired } from "../openapi-fetch/workflow-module.ts";
import type { Target } from "../target.ts";
import { createProject } from "../typescript/compile.ts";
import { packageFolder } from "../typescript/package-folder.ts";
import { formatTypeScript } from "../typescript/format.ts";
import { render } from "../typescript/templates.ts";

/** The SDK packages generated code imports: optional peers of arazzo-ts, needed to type-check it. */
const SDK_PACKAGES = ["@restatedev/restate-sdk", "@restatedev/restate-sdk-clients"];

export const restateTarget: Target = {
  name: "restate",
  description: "the openapi-fetch package plus a Restate workflow service per workflow (durable execution) and typed ingress clients",
  async emit(pkg, context) {
    const ok = sdkInstalled(pkg, context.diagnostics) && supported(pkg, context.diagnostics);
    if (!ok) return [];
    const serviceNames = restateServiceNames(pkg.document.workflows, context.diagnostics);
    const workflows = pkg.document.workflows.map((w) => ({
      workflowId: w.workflowId,
      serviceName: serviceNames.get(w)!,
      typeName: w.typeName,
      moduleName: w.moduleName,
      functionName: `run${w.typeName}`,
      serviceFunction: `${lowerFirst(w.typeName)}Workflow`,
      // Credentials the workflow needs (or message transports) make the options required.
      optionsRequired: optionsRequired(w),
    }));
    const sources = [...new Set(pkg.document.workflows.flatMap((w) => w.optionSources.filter((s) => s.kind !== "asyncapi").map((s) => s.name)))].sort();
    const restate = {
      workflows,
      first: workflows[0] ?? null,
      sourceUnion: sources.map(stringLiteral).join(" | ") || "never",
      optionsRequired: workflows.some((w) => w.optionsRequired),
    };
    const extension: PackageExtension = {
      durable: true,
      runtimeModules: ["./durable.js", "./runtime-restate.js"],
      dependencies: SDK_PACKAGES,
      // The Restate SDK uses `Promise.withResolvers` (Node 22).
      node: "22",
      templateData: { restate },
      files: ({ header, name }) =>
        (["restate.ts", "restate-client.ts"] as const).map((template) => {
          const file = path.join(context.packageDir, "src", template);
          return { path: `src/${template}`, text: formatTypeScript(file, render(template, { header, name, restate })) };
        }),
    };
    return packageSources(pkg, context.packageDir, createProject(), context.diagnostics, {
      metadata: context.metadata,
      projectRoot: context.projectRoot,
      extension,
    });
  },
};

function sdkInstalled(pkg: PackageModel, diagnostics: DiagnosticBag): boolean {
  const missing = SDK_PACKAGES.filter((name) => !packageFolder(name));
  if (!missing.length) return true;
  diagnostics.error(
    "restate-sdk-missing",
    `the restate target needs ${missing.join(" and ")} to type-check the services it generates`,
    { file: pkg.document.file, line: 1, col: 1 },
    `npm install --save-dev ${missing.join(" ")}`,
  );
  return false;
}

/** Errors for what a journaled step cannot hold; `true` when there are none. */
function supported(pkg: PackageModel, diagnostics: DiagnosticBag): boolean {
  let ok = true;
  const workflows: WorkflowModel[] = allModels(pkg.document).flatMap((m) => m.workflows);
  for (const workflow of workflows) {
    for (const step of workflow.steps) {
      if (step.kind === "message") {
        diagnostics.error(
          "restate-unsupported",
          `step \`${step.stepId}\` is a message step, which the restate target does not run: its subscription lives in the process, and a message that arrives while the service is down would be lost`,
          step.location,
          "generate this document with the openapi-fetch target (the default), or move the message step to a workflow served another way",
        );
        ok = false;
      }
      if (step.kind === "workflow" && step.timeoutMs !== undefined) {
        diagnostics.error(
          "restate-unsupported",
          `step \`${step.stepId}\` runs workflow \`${step.workflowId}\` within a \`timeout\`, which the restate target cannot keep: the called workflow's steps are journaled, its timer would not be, so a replay could take another path`,
          step.location,
          "remove the step's `timeout` (give the called workflow's own steps timeouts instead), or generate with the openapi-fetch target",
        );
        ok = false;
      }
      if (step.kind !== "operation") continue;
      for (const action of [...step.onSuccess, ...step.onFailure]) {
        if (action.target?.kind !== "workflow") continue;
        diagnostics.error(
          "restate-unsupported",
          `action \`${action.name}\` of step \`${step.stepId}\` runs workflow \`${action.target.workflowId}\` from an operation step, which the restate target cannot journal`,
          action.location,
          `run \`${action.target.workflowId}\` from a step of its own (\`workflowId: ${action.target.workflowId}\`) that this action goes to`,
        );
        ok = false;
      }
    }
  }
  return ok;
}

/**
 * What Restate accepts as a service name: restate-server checks names against this pattern,
 * and keeps names that start with `restate` (any case) and `openapi` for itself.
 */
const SERVICE_NAME = /^([a-zA-Z]|_[a-zA-Z0-9])[a-zA-Z0-9._-]*$/;
const RESERVED_SERVICE_NAME = /^(restate|openapi$)/i;

function validServiceName(name: string): boolean {
  return SERVICE_NAME.test(name) && !RESERVED_SERVICE_NAME.test(name);
}

/**
 * Each workflow's Restate service name: its `workflowId`, or where Restate would not take that
 * (`3ds-challenge`, `restate-sync`, a character other than letters, digits, `.`, `_`, `-`), the
 * nearest name it takes, with a warning naming it. Valid ids keep their names; a mapped name
 * that meets one gets a number.
 */
function restateServiceNames(workflows: readonly WorkflowModel[], diagnostics: DiagnosticBag): Map<WorkflowModel, string> {
  const names = new Map<WorkflowModel, string>();
  const taken = new Set(workflows.map((w) => w.workflowId).filter(validServiceName));
  for (const workflow of workflows) {
    if (validServiceName(workflow.workflowId)) {
      names.set(workflow, workflow.workflowId);
      continue;
    }
    const base = `w-${workflow.workflowId.replace(/[^a-zA-Z0-9._-]/g, "-")}`;
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
    taken.add(name);
    names.set(workflow, name);
    diagnostics.warning(
      "restate-service-name",
      `workflow \`${workflow.workflowId}\` is served as Restate service \`${name}\`: Restate service names start with a letter (or \`_\` and a letter or digit), hold only letters, digits, \`.\`, \`_\` and \`-\`, and do not start with \`restate\` or equal \`openapi\``,
      workflow.location,
      `rename the workflow to serve it under its own id (\`workflowId: ${name}\` would be served as is)`,
    );
  }
  return names;
}
