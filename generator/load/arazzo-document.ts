/**
 * The shape of an Arazzo 1.0.x document as parsed from YAML/JSON (Arazzo 1.0.1 §"Schema").
 * Only what the generator reads is typed; every field is optional here because the
 * document has not been validated yet when these types are first applied.
 */

export interface ArazzoDocument {
  arazzo?: string;
  info?: { title?: string; summary?: string; description?: string; version?: string };
  sourceDescriptions?: SourceDescription[];
  workflows?: Workflow[];
  components?: Components;
}

export interface SourceDescription {
  name?: string;
  url?: string;
  type?: "openapi" | "arazzo" | "asyncapi";
}

export interface Workflow {
  workflowId?: string;
  summary?: string;
  description?: string;
  inputs?: JsonSchema;
  dependsOn?: string[];
  steps?: Step[];
  successActions?: unknown[];
  failureActions?: unknown[];
  outputs?: Record<string, string>;
  parameters?: (Parameter | ReusableObject)[];
}

export interface Step {
  stepId?: string;
  description?: string;
  operationId?: string;
  operationPath?: string;
  workflowId?: string;
  parameters?: (Parameter | ReusableObject)[];
  requestBody?: RequestBody;
  successCriteria?: Criterion[];
  onSuccess?: unknown[];
  onFailure?: unknown[];
  outputs?: Record<string, string>;
  /** Arazzo 1.1 AsyncAPI steps: send to or receive from a channel. */
  action?: "send" | "receive";
  channelPath?: string;
  correlationId?: unknown;
  /** Arazzo 1.1: milliseconds the step may take. */
  timeout?: number;
  /** Arazzo 1.1: steps that must complete before this one starts. */
  dependsOn?: string[];
}

export interface Parameter {
  name?: string;
  in?: "path" | "query" | "querystring" | "header" | "cookie";
  value?: unknown;
}

export interface ReusableObject {
  reference?: string;
  value?: unknown;
}

export interface RequestBody {
  contentType?: string;
  payload?: unknown;
  replacements?: { target?: string; value?: unknown }[];
}

export interface Criterion {
  context?: string;
  condition?: string;
  type?: string | { type?: string; version?: string };
}

export interface Components {
  inputs?: Record<string, JsonSchema>;
  parameters?: Record<string, Parameter>;
  successActions?: Record<string, unknown>;
  failureActions?: Record<string, unknown>;
}

/** A JSON Schema object as used for workflow inputs (draft 2020-12 subset the generator types). */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  description?: string;
  title?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  additionalProperties?: boolean | JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
}
