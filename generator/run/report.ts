/**
 * What `arazzo-ts run` records of a run, as one plain-data value: the `json` report as it is
 * written (its JSON Schema is `run-report.schema.json`, beside this file, version 1), and what
 * the terminal lines, the JUnit, HAR and HTML reports are made from. Values in it are already
 * masked (`secrets.ts`) unless the run was asked not to.
 */

/** The whole run: every document, in the order given. */
export interface RunReport {
  readonly version: 1;
  readonly tool: { readonly name: "arazzo-ts"; readonly version: string };
  /** ISO 8601. */
  readonly startedAt: string;
  readonly durationMs: number;
  /** Against the package's mocks (`--mock`) rather than servers. */
  readonly mock: boolean;
  /** Whether secret values were replaced by `[masked]` (`--no-secrets-masking` turns it off). */
  readonly secretsMasked: boolean;
  readonly documents: readonly DocumentReport[];
  readonly summary: RunSummary;
}

export interface RunSummary {
  readonly workflows: { readonly passed: number; readonly failed: number };
  readonly steps: number;
  readonly requests: number;
}

export interface DocumentReport {
  /** The Arazzo file, relative to the working directory. */
  readonly file: string;
  readonly title: string;
  readonly workflows: readonly WorkflowRunReport[];
}

/** One run of one workflow. */
export interface WorkflowRunReport {
  readonly workflowId: string;
  readonly summary?: string;
  readonly status: "passed" | "failed";
  readonly startedAt: string;
  readonly durationMs: number;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly outputs?: Readonly<Record<string, unknown>>;
  readonly error?: RunError;
  /** The steps as the run took them, in order: a step run again (a retry, a poll) appears again. */
  readonly steps: readonly StepRunReport[];
  /** The workflow's steps and actions as the document writes them: what the flowchart is drawn from. */
  readonly graph: WorkflowGraph;
}

export interface RunError {
  readonly name: string;
  /** The error's message, masked: the runtime's messages name steps, criteria and statuses, not values; another error's may hold one, and is masked like all text. */
  readonly message: string;
  /** `ArazzoStepError`'s: the failing step and why. */
  readonly workflowId?: string;
  readonly stepId?: string;
  readonly reason?: string;
  readonly status?: number;
}

/** One time a step ran. */
export interface StepRunReport {
  /** The workflow the step belongs to: this one, or one it ran (a step that runs a workflow, `dependsOn`). */
  readonly workflowId: string;
  readonly stepId: string;
  /** 1 the first time the step runs in this workflow run, then 2, 3… (retries and polls). */
  readonly attempt: number;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly operation?: {
    readonly method: string;
    /** The path template: `/pis/v2/payments/{payment_id}`. */
    readonly path: string;
    /** Its parameters' values, read from the URL sent. */
    readonly pathParameters: Readonly<Record<string, string>>;
  };
  /** Requests the step sent: usually one; two after a 401 answered by a fresh token. */
  readonly exchanges: readonly Exchange[];
  readonly outcome: "success" | "failure";
  /** The criteria that decided where the run went, with what they gave. */
  readonly criteria: readonly CriterionResult[];
  /** Where the run went next. */
  readonly transition: Transition;
  readonly error?: RunError;
}

export interface Exchange {
  readonly startedAt: string;
  readonly durationMs: number;
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly headers: readonly Header[];
    readonly body?: Body;
  };
  readonly response?: {
    readonly status: number;
    readonly statusText: string;
    readonly headers: readonly Header[];
    readonly body?: Body;
  };
  /** The request got no response: what went wrong (the error's name and code, never a value). */
  readonly error?: string;
}

export interface Header {
  readonly name: string;
  readonly value: string;
}

export interface Body {
  readonly mimeType: string;
  readonly text: string;
  /** The body was longer than a report keeps (1 MiB): `text` is its beginning. */
  readonly truncated?: boolean;
}

/**
 * A criterion and what it gave: `true` or `false`, or `null` when it was not evaluated (an action
 * after the one that applied). Results come from the transition: the action that applied had
 * its criteria hold, the actions before it did not.
 */
export interface CriterionResult {
  readonly kind: "success" | "onSuccess" | "onFailure";
  /** The action's name, for `onSuccess` / `onFailure`. */
  readonly action?: string;
  readonly text: string;
  readonly result: boolean | null;
}

export interface Transition {
  /** `fail`: the step's failure ended the run. */
  readonly type: "next" | "end" | "goto" | "goto-workflow" | "retry" | "fail";
  readonly action?: string;
  /** The step the run goes to. */
  readonly to?: string;
  /** Milliseconds the run waited before going on (a retry's delay, a poll's `pollDelayMs`). */
  readonly waitMs?: number;
}

/** A workflow's steps and their actions, as written. */
export interface WorkflowGraph {
  readonly steps: readonly GraphStep[];
}

export interface GraphStep {
  readonly stepId: string;
  /** `GET /path`, or the workflow it runs, or the message channel. */
  readonly does: string;
  readonly successCriteria: readonly string[];
  readonly onSuccess: readonly GraphAction[];
  readonly onFailure: readonly GraphAction[];
}

export interface GraphAction {
  readonly name: string;
  readonly type: "end" | "goto" | "retry";
  /** A step of this workflow, or `workflow:<id>`. */
  readonly target?: string;
  readonly criteria: readonly string[];
}
