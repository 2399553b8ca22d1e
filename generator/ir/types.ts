/**
 * The IR: the one contract between understanding an Arazzo document and writing code for
 * it. Plain data — no closures, no loaded documents, no target-language text — with
 * everything resolved: steps bound to operations, values and expressions parsed, criteria
 * compiled to conditions, types as access paths, identifiers made safe. Targets
 * (`targets/`) read only this; the builders are `ir/build.ts` and the modules it calls.
 *
 * | node | models (Arazzo 1.0.1) |
 * | --- | --- |
 * | `PackageModel` | what a target receives: a `DocumentModel` and the `ApiTypeInput` of each source |
 * | `DocumentModel` | §"Arazzo Specification" (the document: `info`, `sourceDescriptions`, `workflows`); `externals` are §"Source Description Object" `type: arazzo` |
 * | `SourceModel` | §"Source Description Object" `type: openapi` |
 * | `WorkflowModel` | §"Workflow Object" (`inputs` → `InputModel`, `dependsOn`, `outputs` → `WorkflowOutputModel`; `flow` is derived) |
 * | `OperationStepModel`, `WorkflowStepModel` | §"Step Object" with `operationId`/`operationPath`, or `workflowId` |
 * | `MessageStepModel` | Arazzo 1.1 §"Step Object" with `action` on an AsyncAPI source (`operationId` or `channelPath`) |
 * | `ParameterModel` | §"Parameter Object" (bound to the operation's parameter) |
 * | `OperationStepModel.requestBody` | §"Request Body Object" with §"Payload Replacement Object"s applied |
 * | `CriterionModel` | §"Criterion Object" (`simple`, `regex`, `jsonpath`, `xpath`) |
 * | `ActionModel` | §"Success Action Object", §"Failure Action Object" (`components` references resolved) |
 * | `StepOutputModel` | §"Step Object" `outputs` |
 * | `ValueModel` | a value written in the document: literal, §"Runtime Expressions" expression, `{$…}` template, object, array |
 * | `DataType` | the JSON Schema of `inputs` (a §"Schema Object") |
 * | `TypeRef`, `AccessPlan` | the type of an API field or output, and how a JSON Pointer (RFC 6901) into a body is read |
 */
import type { SourceLocation } from "../diagnostics.ts";
import type { ConditionNode, JsonPointer, ParsedExpression, TemplatePart } from "../expressions/ast.ts";
import type { HttpMethod } from "../openapi/operations.ts";
import type { LenientCondition } from "../criteria/jsonpath-lenient.ts";

export interface DocumentModel {
  /** File-name stem of the Arazzo document, used as package and folder name. */
  readonly name: string;
  /** The Arazzo file (absolute path), named in generated headers. */
  readonly file: string;
  readonly title: string;
  readonly summary?: string;
  readonly description?: string;
  readonly version: string;
  readonly sources: readonly SourceModel[];
  readonly workflows: readonly WorkflowModel[];
  /** Arazzo documents named as sources (`type: arazzo`), emitted into the same package. */
  readonly externals: readonly { readonly name: string; readonly model: DocumentModel }[];
}

export interface SourceModel {
  /** `name` from `sourceDescriptions`, the key of `options.baseUrls` (of `options.transports` for an AsyncAPI source). */
  readonly name: string;
  /** An AsyncAPI description (Arazzo 1.1): message steps, no HTTP client. Absent: OpenAPI. */
  readonly kind?: "asyncapi";
  /** Identifier stem: `oauthApi` → `OauthApi` in `createOauthApiClient`, `OauthApiPaths`. */
  readonly pascalName: string;
  /** Module stem: `oauth-api` → `oauth-api.paths.ts`, `oauth-api.client.ts`; unique in the package, the key of its `ApiTypeInput`. */
  readonly moduleName: string;
  /** The OpenAPI file (absolute path), named in generated headers. */
  readonly file: string;
  readonly title: string;
  /**
   * The base URL a run uses when given none: Respect's `x-serverUrl` on the source description,
   * else the document's first server with each variable at its default, resolved against
   * `descriptionUrl` when relative. Absent when there is no absolute one: a run then needs
   * `options.baseUrls` for this source (or runs on the package's mocks).
   */
  readonly defaultBaseUrl?: string;
  /** The description's servers (OpenAPI 3.1 §4.8.5), in its order; empty when it has none. */
  readonly servers: readonly ServerModel[];
  /** Where the description is served, when its `url` is http(s): relative server URLs resolve against it. */
  readonly descriptionUrl?: string;
  /** Respect's `x-serverUrl` on the source description, when absolute: the base URL when a run chooses no server. */
  readonly serverUrl?: string;
  /** The description's security schemes (OpenAPI 3.1 §4.8.27) that can be applied, in its order. */
  readonly securitySchemes: readonly SecuritySchemeModel[];
}

/** A Server Object (OpenAPI 3.1 §4.8.5) with its variables (§4.8.6). */
export interface ServerModel {
  /** The URL template: `{protocol}://{hostname}/api/v3`. */
  readonly url: string;
  readonly description?: string;
  readonly variables: readonly {
    readonly name: string;
    /** Absent when the description gives none: a run must then set it (`options.servers`). */
    readonly default?: string;
    readonly enum?: readonly string[];
    readonly description?: string;
  }[];
}

/** A Security Scheme Object (OpenAPI 3.1 §4.8.27) the generated runtime can apply, by its name in `components.securitySchemes`. */
export type SecuritySchemeModel = { readonly name: string; readonly description?: string } & (
  | { readonly type: "apiKey"; readonly in: "header" | "query" | "cookie"; readonly paramName: string }
  /** `scheme` lower-cased: `bearer`, `basic`, or another HTTP authentication scheme; `authScheme` as the description writes it. */
  | { readonly type: "http"; readonly scheme: string; readonly authScheme: string; readonly bearerFormat?: string }
  | {
      readonly type: "oauth2";
      readonly flows: readonly string[];
      /** The client credentials flow, when the description has one: the runtime fetches tokens itself. */
      readonly clientCredentials?: { readonly tokenUrl: string; readonly scopes: readonly string[] };
    }
  | { readonly type: "openIdConnect"; readonly openIdConnectUrl: string }
  | { readonly type: "mutualTLS" }
);

/**
 * A Security Requirement Object (OpenAPI 3.1 §4.8.30): every scheme in it applies to the
 * request. An operation's requirements are alternatives; an empty one means none is needed.
 */
export type SecurityRequirementModel = readonly { readonly scheme: string; readonly scopes: readonly string[] }[];

/** What a source's client applies to one operation (its path and method): security requirements, and servers of its own. */
export interface ClientOperationModel {
  readonly method: HttpMethod;
  readonly path: string;
  /** Alternatives; empty when the operation needs no credentials. */
  readonly security: readonly SecurityRequirementModel[];
  /** The operation's own servers (its `servers`, else its Path Item's), which replace the document's for it. */
  readonly servers?: readonly ServerModel[];
}

/**
 * The credentials a workflow's run must be given for one source: for each operation it (or a
 * workflow it starts) calls whose requirements its steps do not meet themselves, the scheme
 * names of each alternative. `needs` is empty when every secured operation's credentials are
 * sent by the steps (credentials may still be given).
 */
export interface CredentialNeedModel {
  readonly source: SourceModel;
  readonly needs: readonly (readonly (readonly string[])[])[];
}

/**
 * What a package's API types are generated from, per OpenAPI file: the document cut down
 * to the operations the workflows call and what those reach by `$ref` (or whole, with
 * `allOperations`), with placeholders where a `$ref` cannot be followed. Plain JSON, handed
 * unchanged to a type generator (openapi-typescript); targets never read it to make a decision:
 * everything they decide on is in the model.
 */
export interface ApiTypeInput {
  readonly file: string;
  readonly document: Readonly<Record<string, unknown>>;
  /** The document's root, where a type generator's failure is reported. */
  readonly location: SourceLocation;
}

/** What a target receives: one Arazzo document's model, and the inputs of its API types by source `moduleName`. */
export interface PackageModel {
  readonly document: DocumentModel;
  readonly apiTypes: ReadonlyMap<string, ApiTypeInput>;
  /**
   * Per OpenAPI source `moduleName`: the operations its client knows the security and servers
   * of (those the steps call, or all with `allOperations`).
   */
  readonly clientOperations: ReadonlyMap<string, readonly ClientOperationModel[]>;
}

/** A value from the document as the generated code must produce it; `location` is where it is written. */
export type ValueModel = { readonly location: SourceLocation } & (
  | { readonly kind: "literal"; readonly value: null | boolean | number | string }
  | { readonly kind: "expression"; readonly parsed: ParsedExpression }
  | { readonly kind: "template"; readonly parts: readonly TemplatePart[] }
  | {
      readonly kind: "object";
      readonly entries: readonly (readonly [string, ValueModel])[];
      /**
       * Keys whose API field is an `additionalProperties` value: an index signature, which
       * does not accept `undefined`, so an absent optional input there leaves the key out.
       */
      readonly additionalKeys?: readonly string[];
    }
  | { readonly kind: "array"; readonly items: readonly ValueModel[] }
);

/**
 * A type described by a workflow's `inputs` JSON Schema (Arazzo 1.0.1 §"Workflow Object"
 * `inputs`), in the terms every target language has. `$ref`s are already followed; a
 * recursive one is `unknown` where it refers back to itself.
 */
export type DataType =
  | { readonly kind: "unknown" | "never" | "string" | "number" | "boolean" | "null" }
  | { readonly kind: "literal"; readonly value: string | number | boolean | null }
  | { readonly kind: "array"; readonly items: DataType }
  | {
      readonly kind: "object";
      readonly properties: readonly { readonly name: string; readonly required: boolean; readonly description?: string; readonly type: DataType }[];
      /** Other keys: `any` (any value), a type (each such key may also be absent), or none. */
      readonly additional?: "any" | DataType;
    }
  | { readonly kind: "union" | "intersection"; readonly members: readonly DataType[] };

/** One segment of a JSON Pointer as the generated code reads it: a property, or an array index. */
export interface AccessSegment {
  readonly key: string;
  /** An array index (the schema says an array is there; without a schema, a canonical integer). */
  readonly index: boolean;
}

/**
 * How a JSON Pointer into a body is read, decided from the body's schema: the segments
 * read as typed properties or indexes, then the tokens the schema does not type, read at
 * run time without types.
 */
export interface AccessPlan {
  readonly read: readonly AccessSegment[];
  readonly rest: readonly string[];
  /** The schema types the whole pointer: its type is an indexed access, else `unknown`. */
  readonly typed: boolean;
  /** A body valid against the schema has a non-null value there (required, non-nullable properties all the way). */
  readonly present: boolean;
}

/**
 * Where a type is read from; the target names it. `parameters`, `request-body` and
 * `response` are the step's operation's (the response for the statuses in
 * `successStatuses`); `outputs` the step's outputs; `called-inputs` / `called-outputs`
 * those of the workflow a workflow step runs; `inputs` the workflow's own.
 */
export type TypeRoot =
  | {
      readonly kind: "parameters" | "request-body" | "response" | "outputs" | "called-inputs" | "called-outputs" | "message-payload";
      readonly stepId: string;
    }
  | { readonly kind: "inputs" };

/**
 * A type the model hands to targets: a plain one, or an access path from a root — each
 * segment a property or, for arrays, any index; every segment after the first reads through
 * a value that may be absent.
 */
export type TypeRef =
  | { readonly kind: "unknown" | "string" | "number" }
  | { readonly kind: "literal"; readonly value: string | number | boolean | null }
  | {
      readonly kind: "access";
      readonly root: TypeRoot;
      readonly segments: readonly AccessSegment[];
      /** Every segment is a required, non-null property: nothing on the way may be absent. */
      readonly present?: boolean;
    };

export interface InputModel {
  readonly name: string;
  readonly required: boolean;
  readonly description?: string;
  /** The type its JSON Schema describes. */
  readonly schema: DataType;
  /** A value the schema gives as an example (`examples`, `example`, `default` or `const`), as written. */
  readonly example?: unknown;
  /** API fields this input flows into unchanged; the input is narrowed to their types. */
  readonly narrowTo: readonly InputTarget[];
}

/** An API field a workflow input flows into unchanged. */
export interface InputTarget {
  /** The field's type, from a root of the step that sends it. */
  readonly type: TypeRef;
  /** Human description: "request body field `/a/b` of step `x`". */
  readonly what: string;
  /** The API requires the field (a required parameter or property). */
  readonly required: boolean;
  /** The field is a parameter, in this location (else a body field or a workflow's input). */
  readonly parameter?: "path" | "query" | "header" | "cookie";
  /** The field's JSON Schema type, a few levels deep (example inputs pick a value it takes). */
  readonly schema?: DataType;
  /** The field's `type` as its schema writes it (`integer`), for messages. */
  readonly written?: string;
  /** Where the input is used. */
  readonly location: SourceLocation;
}

export interface ParameterModel {
  readonly name: string;
  /** `querystring` (Arazzo 1.1, OpenAPI 3.2): the value is the whole query string. */
  readonly in: "path" | "query" | "querystring" | "header" | "cookie";
  readonly value: ValueModel;
  /** True when the OpenAPI operation declares the parameter (so openapi-fetch types it). */
  readonly declared: boolean;
  /**
   * Credentials of security scheme `scheme` that the step sends itself (Respect's `x-security`).
   * `basic`: `value` is `{ username, password }`, sent as HTTP Basic credentials.
   */
  readonly credential?: { readonly scheme: string; readonly basic?: boolean };
  readonly location: SourceLocation;
}

export interface StepOutputModel {
  readonly name: string;
  /** The expression read (for a `select` output, the selector's context; `text` shows both). */
  readonly parsed: ParsedExpression;
  /** Arazzo 1.1 Selector Object read at run time: a JSONPath query (the list of what it selects) or an XPath expression, on `parsed`. */
  readonly select?: { readonly type: "jsonpath" | "xpath"; readonly query: string };
  readonly type: TypeRef;
  /** The value may be absent (`T | undefined`): a body field or a header, whatever the schema says. */
  readonly optional: boolean;
  /**
   * The response schema requires the field and the step's success criteria check the status
   * it documents: the value is there whenever the server keeps to its description (checked at
   * run time all the same), so its type has no `| undefined`.
   */
  readonly guaranteed?: boolean;
  /** The value's JSON Schema type where the API describes it (a body field), a few levels deep: for docs. */
  readonly schema?: DataType;
  /** A success criterion pins the value (`$response.body#/status == 'shipped'`): `type` is that literal, `pinned` the criterion. */
  readonly pinned?: string;
  /** A later step or the workflow's outputs read it: it must be present, or the step fails. */
  readonly required: boolean;
  /**
   * Has no static type: it reads a part of a response the description does not type (no
   * schema, a `$ref` that does not resolve, a body it does not document), a selector's
   * result, or an untyped output of the workflow the step runs. Read without types.
   */
  readonly untyped?: boolean;
  /** It reads a body the description does not document at all (`untyped-output` says so; `untyped-field` does not repeat it). */
  readonly undocumentedBody?: boolean;
  /**
   * An untyped output a later step sends unchanged into a typed field takes that field's
   * type (`type`), unchecked: this names the field, for the doc comment.
   */
  readonly typedFrom?: string;
  readonly location: SourceLocation;
}

/** A Criterion Object; `text` is the condition as written, for messages. */
export type CriterionModel = { readonly text: string; readonly location: SourceLocation } & (
  | { readonly kind: "simple"; readonly condition: ConditionNode }
  | { readonly kind: "regex"; readonly context: ParsedExpression; readonly pattern: string }
  | {
      readonly kind: "jsonpath";
      readonly context: ParsedExpression;
      /** The query to run (a lenient condition already rewritten to RFC 9535). */
      readonly query: string;
      readonly dialect: "rfc9535" | "goessner";
      /** The query starts with a filter `$[?…]`, which is applied to the context itself. */
      readonly filtersContext: boolean;
      /** For a comparison read leniently (`$.status == 'x'`): the paths it reads from the context, to check against its schema. */
      readonly paths?: readonly JsonPointer[];
      /** That comparison as read (operands and operators), for tools that reason about it (mocks). */
      readonly lenient?: LenientCondition;
    }
  | { readonly kind: "xpath"; readonly context: ParsedExpression; readonly expression: string }
);

/** A Success or Failure Action Object (Arazzo 1.0.1 §"Success Action Object", §"Failure Action Object"). */
export interface ActionModel {
  readonly name: string;
  readonly type: "end" | "goto" | "retry";
  /** `goto` target, or what a `retry` runs first. */
  readonly target?: { readonly kind: "step"; readonly stepId: string } | { readonly kind: "workflow"; readonly workflowId: string };
  /** Seconds to wait before a retry (a `Retry-After` response header overrules it). */
  readonly retryAfter?: number;
  /** Retries allowed before later failure actions are considered; 1 when absent. */
  readonly retryLimit: number;
  readonly criteria: readonly CriterionModel[];
  /**
   * Arazzo 1.1 `parameters`: the inputs the workflow it goes to is started with. Absent: that
   * workflow gets this workflow's inputs, as in 1.0.
   */
  readonly inputs?: readonly { readonly name: string; readonly value: ValueModel; readonly location: SourceLocation }[];
  readonly location: SourceLocation;
}

/** What every step has, whether it calls an operation or a workflow. */
interface StepBase {
  readonly stepId: string;
  /** Identifier for the step's variables: `mintToken`. */
  readonly varName: string;
  /** Identifier stem for the step's types: `MintToken` → `MintTokenResponse`. */
  readonly typeName: string;
  readonly description?: string;
  readonly location: SourceLocation;
  /** Arazzo 1.1 §"Step Object" `timeout`: milliseconds the step may take before it fails (and its failure actions apply). */
  readonly timeoutMs?: number;
  /**
   * Arazzo 1.1 §"Step Object" `dependsOn`: steps of this workflow (listed before it) that must
   * complete before it starts. A workflow where some step has them runs each step as soon as
   * those and the steps whose outputs it reads are done, independent steps concurrently.
   */
  readonly dependsOn?: readonly string[];
  readonly successCriteria: readonly CriterionModel[];
  /** Step actions first, then the workflow's not overridden by name; the first whose criteria hold runs. */
  readonly onSuccess: readonly ActionModel[];
  readonly onFailure: readonly ActionModel[];
  readonly outputs: readonly StepOutputModel[];
  /** Workflow inputs passed unchanged into an API field → the types of those fields (for narrowing). */
  readonly inputTargets: ReadonlyMap<string, readonly InputTarget[]>;
  /** Earlier steps' outputs (`stepId.output`) passed unchanged into an API field → those fields. */
  readonly outputTargets: ReadonlyMap<string, readonly InputTarget[]>;
  /** Outputs of earlier steps this step sends in its request, as `stepId.outputName`. */
  readonly consumedOutputs: ReadonlySet<string>;
  /** Earlier steps whose outputs this step reads anywhere (request, criteria, outputs), in first-use order. */
  readonly readsSteps: readonly string[];
  /**
   * Reads the step sends unchecked, by key (`steps.<id>.<output>`, `inputs.<name>#/pointer`):
   * values without a static type (`untyped-reads.ts`; read at run time when a pointer goes into
   * them), and inputs whose declared type a parameter does not take (`input-types.ts`). Sent
   * whole into a field, each takes the field's type.
   */
  readonly uncheckedReads?: readonly string[];
}

/** A step that calls an API operation. */
export interface OperationStepModel extends StepBase {
  readonly kind: "operation";
  readonly source: SourceModel;
  readonly operation: {
    readonly method: HttpMethod;
    readonly path: string;
    readonly operationId?: string;
  };
  readonly parameters: readonly ParameterModel[];
  /** How query arrays are written, when not openapi-fetch's default (`form`, exploded). */
  readonly queryArrays?: { readonly style: "form" | "spaceDelimited" | "pipeDelimited"; readonly explode: boolean };
  /**
   * Required OpenAPI parameters the step does not supply: reported as warnings, unless a
   * security scheme of the operation carries them (`suppliedBy`, its name: the run's credentials fill them in).
   */
  readonly unsuppliedParameters: readonly { readonly name: string; readonly in: string; readonly suppliedBy?: string }[];
  /** The operation's security requirements (alternatives; empty: none), with schemes that cannot be applied left out. */
  readonly security: readonly SecurityRequirementModel[];
  /** Schemes whose credentials the step sends itself (an `Authorization` parameter, the API key's parameter, `x-security`). */
  readonly suppliedSchemes: readonly string[];
  /** The operation's own servers, which replace the source's for this request. */
  readonly servers?: readonly ServerModel[];
  readonly requestBody?: {
    readonly contentType: string;
    /** The payload is typed by the body the operation documents for `contentType`. */
    readonly typed: boolean;
    readonly payload: ValueModel;
    /** False when the operation documents no request body: the payload is sent untyped. */
    readonly documented: boolean;
    /** A form body (`application/x-www-form-urlencoded`, `multipart/form-data`): how its fields are encoded (`form-body.ts`). */
    readonly form?: FormBodyModel;
    readonly location: SourceLocation;
  };
  /**
   * Response statuses the step treats as success, used to type `$response.body`:
   * from `$statusCode == N` criteria, else every documented 2xx.
   */
  readonly successStatuses: readonly string[];
  /** The JSON bodies `$response.body` is typed by: a media type per success status that documents one. */
  readonly responseBodies: readonly { readonly status: string; readonly mediaType: string }[];
  /** Other media types the success responses document, which the step does not read. */
  readonly otherResponseMediaTypes?: readonly string[];
  /** How openapi-fetch reads the response: JSON, or text (XML and other non-JSON bodies). */
  readonly parseAs: "json" | "text";
  /** How each `$response.body` pointer the step reads is read, by pointer (`/data/0/id`). */
  readonly responseAccess: Readonly<Record<string, AccessPlan>>;
}

/**
 * How a form body is sent (OpenAPI 3.1 §4.8.15 Encoding Object, "Encoding the
 * x-www-form-urlencoded Media Type"): the payload is the body's object, nested fields
 * included; each top-level field is encoded as `encoding` says, else by OpenAPI's defaults
 * (a string, number or boolean as text, an object as JSON, an array as one pair per item).
 */
export interface FormBodyModel {
  /** `multipart/form-data` (one part per pair) rather than `application/x-www-form-urlencoded`. */
  readonly multipart: boolean;
  /** Top-level field → its encoding, where the description's `encoding` or the payload's bracket notation gives one. */
  readonly encoding: Readonly<Record<string, FormFieldEncoding>>;
}

/**
 * One field's encoding: an RFC 6570 query style (`deepObject`: bracket notation,
 * `metadata[order_id]=…`, at every level), or a media type its value is written as.
 */
export type FormFieldEncoding =
  | { readonly style: "form" | "spaceDelimited" | "pipeDelimited" | "deepObject"; readonly explode: boolean }
  | { readonly contentType: string };

/** A step that runs another workflow of the document (Arazzo 1.0.1 §"Step Object" `workflowId`). */
export interface WorkflowStepModel extends StepBase {
  readonly kind: "workflow";
  /** The workflow it runs. */
  readonly workflowId: string;
  /** `run<Name>` of that workflow and the module it lives in. */
  readonly runFunction: string;
  readonly moduleName: string;
  /** Its parameters, which map to the called workflow's inputs. */
  readonly inputs: readonly { readonly name: string; readonly value: ValueModel; readonly location: SourceLocation }[];
}

/**
 * A step that sends a message to, or receives one from, a channel of an AsyncAPI description
 * (Arazzo 1.1 §"Step Object" `action`, `correlationId`; §"Defining Success for Asynchronous
 * Steps"). `$message.payload` and `$message.header.<name>` read the message sent or received.
 */
export interface MessageStepModel extends StepBase {
  readonly kind: "message";
  /** The AsyncAPI source (`kind: "asyncapi"`). */
  readonly source: SourceModel;
  readonly action: "send" | "receive";
  /** The AsyncAPI operation, when the step names one (else it names a channel). */
  readonly operationId?: string;
  /** The channel's address: where the message goes, or where the step listens. */
  readonly channel: string;
  /** Keys of the messages' payload and headers types in the source's types (`<name>/payload`), one per message the channel carries. */
  readonly messageTypes: readonly { readonly name: string; readonly payload?: string; readonly headers?: string }[];
  /** `send`: the message's headers (parameters `in: header`) and payload (`requestBody.payload`). */
  readonly headers: readonly { readonly name: string; readonly value: ValueModel; readonly location: SourceLocation }[];
  readonly payload?: ValueModel;
  /** `receive` with `correlationId`: only a message whose correlation id (at `location`, from the AsyncAPI message) equals `value` is taken. */
  readonly correlation?: { readonly location: string; readonly value: ValueModel; readonly at: SourceLocation };
  /** How each `$message.payload` pointer the step reads is read, by pointer. */
  readonly payloadAccess: Readonly<Record<string, AccessPlan>>;
}

export type StepModel = OperationStepModel | WorkflowStepModel | MessageStepModel;

export interface WorkflowOutputModel {
  readonly name: string;
  readonly parsed: ParsedExpression;
  /** It reads a value without a static type (`untyped-reads.ts`): typed `unknown`, read at run time. */
  readonly untyped?: boolean;
  readonly location: SourceLocation;
}

export interface WorkflowModel {
  readonly workflowId: string;
  /** `TokenThenPayment` → `runTokenThenPayment`, `TokenThenPaymentInputs`. */
  readonly typeName: string;
  /** Module stem: `token-then-payment.ts`. */
  readonly moduleName: string;
  readonly summary?: string;
  readonly description?: string;
  readonly location: SourceLocation;
  readonly inputs: readonly InputModel[];
  readonly steps: readonly StepModel[];
  readonly outputs: readonly WorkflowOutputModel[];
  /** Sources whose clients the workflow uses, in document order. */
  readonly sources: readonly SourceModel[];
  /** Sources `options.baseUrls` covers: its own and those of every workflow it can start, by name. */
  readonly optionSources: readonly SourceModel[];
  /** Per HTTP source whose secured operations it (or a workflow it starts) calls: the credentials a run needs, by name. */
  readonly credentials: readonly CredentialNeedModel[];
  /** Workflows that run before this one (`dependsOn`), with the same inputs and options. */
  readonly dependsOn: readonly { readonly workflowId: string; readonly runFunction: string; readonly moduleName: string; readonly location: SourceLocation }[];
  /** Straight-line or with jumps, and whose outputs every run that returns has. */
  readonly flow: FlowAnalysis;
}

/** Control flow of a workflow, from `analyzeFlow` (`flow.ts`). */
export interface FlowAnalysis {
  readonly straightLine: boolean;
  /** Step ids whose outputs exist whenever the run returns normally. */
  readonly guaranteed: ReadonlySet<string>;
}

export type { JsonPointer };
