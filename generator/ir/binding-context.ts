/**
 * The binding context, one type at three levels (document, workflow, step), and what the
 * step builders share (Arazzo 1.0.1 §"Step Object"): the context `buildStep` (`step.ts`)
 * passes to the builder for its kind of step (`operation-step.ts`, `workflow-step.ts`), and
 * what that builder gives back. In a module of its own so that the builders and `step.ts` do
 * not import each other.
 */
import type { DiagnosticBag } from "../diagnostics.ts";
import type { ArazzoDocument, Step, Workflow } from "../load/arazzo-document.ts";
import type { DataPath, LoadedDocument } from "../load/document.ts";
import type { LoadedAsyncSource, LoadedSource } from "../openapi/sources.ts";
import type { SchemaResolver } from "./access-plan.ts";
import type { CriterionModel, SourceModel, StepModel, WorkflowModel } from "./types.ts";

/**
 * What binding knows throughout a document: the document, its sources and the names of its
 * workflows. The workflow and step contexts below extend it, so the three levels share one
 * definition of each field.
 */
export interface BindingContext {
  readonly arazzo: LoadedDocument;
  readonly raw: ArazzoDocument;
  readonly sources: readonly SourceModel[];
  readonly loadedSources: readonly LoadedSource[];
  /** AsyncAPI sources (Arazzo 1.1), for message steps. */
  readonly asyncSources: readonly LoadedAsyncSource[];
  /** Declared sources that could not be loaded: errors about their operations would only repeat that. */
  readonly unavailableSources: ReadonlySet<string>;
  readonly diagnostics: DiagnosticBag;
  /** `run<Name>` function and module of each workflow of the document, by workflow id. */
  readonly workflowNames: ReadonlyMap<string, { readonly typeName: string; readonly moduleName: string }>;
  /** Workflows already built (the ones a workflow runs come before it). */
  readonly builtWorkflows: ReadonlyMap<string, WorkflowModel>;
}

/** Binding one workflow (`ir/build.ts`): its generated names. */
export interface WorkflowContext extends BindingContext {
  readonly workflowTypeName: string;
  readonly moduleName: string;
}

/** Binding one step of a workflow (`step.ts` and the builder for its kind). */
export interface StepContext extends WorkflowContext {
  readonly workflowId: string;
  readonly inputsTypeName: string;
  readonly inputNames: ReadonlySet<string>;
  readonly rawSteps: readonly Step[];
  /** The workflow the step belongs to, for its workflow-level actions and parameters. */
  readonly workflow: Workflow;
  readonly workflowAt: DataPath;
  /** Position of this step in `rawSteps`. */
  readonly index: number;
  /** Steps built so far (the ones before this step). */
  readonly built: readonly StepModel[];
  readonly varName: string;
  /** The step's own type name (`<Step>Outputs`). */
  readonly typeName: string;
  /** Filled in by `buildStep` for the kind-specific builders. */
  readonly successCriteria: readonly CriterionModel[];
  readonly allCriteria: readonly CriterionModel[];
}

/**
 * What checking a step's references needs (`step-scope.ts`): part of the step's context, and
 * the workflows whose outputs the step may read.
 */
export type ReferenceContext = Pick<StepContext, "raw" | "diagnostics" | "workflowId" | "inputNames" | "rawSteps" | "index"> & {
  /** A message step (Arazzo 1.1 `action`): `$message` is its message, and there is no HTTP exchange. */
  readonly messageStep?: "send" | "receive";
  /** For a step that runs a workflow: that workflow, whose outputs `$outputs.<name>` reads. */
  readonly calledWorkflow?: Workflow;
  /** Workflows the current one `dependsOn`, whose outputs `$workflows.<id>.outputs.<name>` reads. */
  readonly dependsOn: readonly string[];
};

/** Fields `buildStep` fills in for every kind of step. */
export type StepShared = Pick<
  StepModel,
  | "stepId"
  | "varName"
  | "typeName"
  | "description"
  | "location"
  | "successCriteria"
  | "onSuccess"
  | "onFailure"
  | "inputTargets"
  | "outputTargets"
  | "consumedOutputs"
  | "readsSteps"
>;

/** How a step's outputs are typed: what `$response.body`, `$request.body` and `$outputs` are. */
export interface OutputTyping {
  /** `$message.payload` of a message step: a described JSON payload (`json`), or undescribed. */
  readonly message?: "json";
  readonly messageSchema?: unknown;
  /** `$response.body`: the documented JSON body (`json`), a text body (`text`), or undocumented. */
  readonly response?: "json" | "text";
  readonly responseSchema?: unknown;
  /** The success criteria accept exactly the statuses whose JSON bodies `responseSchema` types (one, or several read as one): that body is what came back. */
  readonly responseChecked?: boolean;
  /** `$request.body` is typed by the documented request body. */
  readonly requestBody?: boolean;
  readonly requestSchema?: unknown;
  readonly resolve: SchemaResolver;
  /** `$outputs.<name>` are the outputs of the workflow the step runs. */
  readonly calledOutputs?: boolean;
  /** The workflow a workflow step runs (its outputs are also `$workflows.<id>.outputs`). */
  readonly calledWorkflowId?: string;
  /** Outputs of that workflow that have no static type (`WorkflowOutputModel.untyped`): read as `unknown`. */
  readonly calledUntyped?: ReadonlySet<string>;
  /** Why a body output cannot be typed, for the diagnostic. */
  readonly noBody: string;
  /** How the bodies are named in diagnostics: "the HTTP 200 response body of `getPet`". */
  readonly bodyNames?: { readonly response: string; readonly request: string };
}

/** What a kind-specific builder returns: the parts only that kind of step has, and how its outputs are typed. */
export interface BoundStep<Parts> {
  readonly parts: Parts;
  readonly typing: OutputTyping;
  /** Replaces the step's success criteria (a workflow step drops `$statusCode` ones). */
  readonly successCriteria?: readonly CriterionModel[];
}
