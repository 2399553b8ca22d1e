/**
 * Runtime expression parser (Arazzo 1.0.1 §"Runtime Expressions"): every ABNF alternative,
 * the NamedValue extension (`path`, `pointer`), error messages and offsets, `scanExpression`,
 * `knownRootAt`, and every expression used in the Fintecture and example Arazzo documents.
 */
import { describe, expect, test } from "vitest";
import type { JsonPointer, RuntimeExpression } from "../../generator/expressions/ast.ts";
import { formatJsonPointer } from "../../generator/expressions/json-pointer.ts";
import { knownRootAt, parseExpression, scanExpression } from "../../generator/expressions/parse.ts";

type Expr = RuntimeExpression;
const inputs = (name: string, path: string[] = [], pointer: JsonPointer = []): Expr => ({ kind: "inputs", name, path, pointer });
const outputs = (name: string, path: string[] = [], pointer: JsonPointer = []): Expr => ({ kind: "outputs", name, path, pointer });
const steps = (stepId: string, name: string, path: string[] = [], pointer: JsonPointer = []): Expr => ({
  kind: "steps",
  stepId,
  field: "outputs",
  name,
  path,
  pointer,
});
const workflows = (workflowId: string, field: "inputs" | "outputs", name: string, path: string[] = [], pointer: JsonPointer = []): Expr => ({
  kind: "workflows",
  workflowId,
  field,
  name,
  path,
  pointer,
});
const components = (type: string, name: string, path: string[] = [], pointer: JsonPointer = []): Expr => ({ kind: "components", type, name, path, pointer });
const source = (name: string, reference: string): Expr => ({ kind: "sourceDescriptions", name, reference });
const body = (kind: "request" | "response", pointer: JsonPointer): Expr => ({ kind, source: { in: "body", pointer } });
const message = (kind: "request" | "response", where: "header" | "query" | "path", name: string): Expr => ({ kind, source: { in: where, name } });

/** Test-only inverse of the parser, for the round-trip property. */
function format(e: Expr): string {
  const named = (v: { name: string; path: readonly string[]; pointer: JsonPointer }) =>
    [v.name, ...v.path].join(".") + (v.pointer.length > 0 ? `#${formatJsonPointer(v.pointer)}` : "");
  switch (e.kind) {
    case "url":
    case "method":
    case "statusCode":
      return `$${e.kind}`;
    case "request":
    case "response":
      return (
        `$${e.kind}.` +
        (e.source.in === "body"
          ? `body${e.source.pointer.length > 0 ? `#${formatJsonPointer(e.source.pointer)}` : ""}`
          : `${e.source.in}${e.source.in === "header" && e.source.plural ? "s" : ""}.${e.source.name}`)
      );
    case "message":
      return `$message.${e.source.in === "body" ? `payload${e.source.pointer.length > 0 ? `#${formatJsonPointer(e.source.pointer)}` : ""}` : `header.${e.source.name}`}`;
    case "inputsObject":
      return "$inputs";
    case "inputs":
    case "outputs":
      return `$${e.kind}.${named(e)}`;
    case "steps":
      return `$steps.${e.stepId}.${e.bare ? "" : "outputs."}${named(e)}`;
    case "workflows":
      return `$workflows.${e.workflowId}.${e.field}.${named(e)}`;
    case "sourceDescriptions":
      return `$sourceDescriptions.${e.name}${e.reference ? `.${e.reference}` : ""}`;
    case "components":
      return `$components.${e.type}.${named(e)}`;
    case "literal":
      throw new Error("a constant is never parsed");
  }
}

const valid: [string, { given: string; want: Expr }][] = [
  // Other runners' `$steps.<id>.<name>`: the output `<name>`, marked `bare` (the IR warns, or errors when there is no such output).
  [
    "steps without outputs (bnpl example)",
    {
      given: "$steps.retrieveFinalizedPaymentPlan.finalizedPaymentPlan",
      want: { ...steps("retrieveFinalizedPaymentPlan", "finalizedPaymentPlan"), bare: true } as Expr,
    },
  ],
  ["steps without outputs, with a path", { given: "$steps.a.inputs.x", want: { ...steps("a", "inputs", ["x"]), bare: true } as Expr }],
  ["response headers (plural)", { given: "$response.headers.X-Id", want: { kind: "response", source: { in: "header", name: "X-Id", plural: true } } }],
  // expression = "$url" / "$method" / "$statusCode"
  ["$url", { given: "$url", want: { kind: "url" } }],
  ["$method", { given: "$method", want: { kind: "method" } }],
  ["$statusCode", { given: "$statusCode", want: { kind: "statusCode" } }],
  // "$request." source / "$response." source
  ["request header", { given: "$request.header.accept", want: message("request", "header", "accept") }],
  ["header with every tchar", { given: "$request.header.!#$%&'*+-.^_`|~09azAZ", want: message("request", "header", "!#$%&'*+-.^_`|~09azAZ") }],
  ["response header", { given: "$response.header.Server", want: message("response", "header", "Server") }],
  ["request query", { given: "$request.query.queryUrl", want: message("request", "query", "queryUrl") }],
  ["query name with dots", { given: "$request.query.filter.status", want: message("request", "query", "filter.status") }],
  ["response query", { given: "$response.query.page", want: message("response", "query", "page") }],
  ["request path", { given: "$request.path.id", want: message("request", "path", "id") }],
  ["response path", { given: "$response.path.id", want: message("response", "path", "id") }],
  ["request body", { given: "$request.body", want: body("request", []) }],
  ["request body pointer", { given: "$request.body#/user/uuid", want: body("request", ["user", "uuid"]) }],
  ["response body pointer", { given: "$response.body#/status", want: body("response", ["status"]) }],
  ["body with empty pointer", { given: "$response.body#", want: body("response", []) }],
  ["body pointer to empty key", { given: "$response.body#/", want: body("response", [""]) }],
  ["body pointer escapes", { given: "$response.body#/a~1b/c~0d/~01", want: body("response", ["a/b", "c~d", "~1"]) }],
  ["body pointer with dots and hashes", { given: "$response.body#/a.b/#c", want: body("response", ["a.b", "#c"]) }],
  // "$inputs." name / "$outputs." name
  ["inputs", { given: "$inputs.username", want: inputs("username") }],
  ["inputs with path", { given: "$inputs.customer.firstName", want: inputs("customer", ["firstName"]) }],
  ["inputs with path and pointer", { given: "$inputs.customer.name#/first", want: inputs("customer", ["name"], ["first"]) }],
  ["inputs with pointer", { given: "$inputs.customer#/firstName", want: inputs("customer", [], ["firstName"]) }],
  ["inputs name with dashes", { given: "$inputs.my-input_1", want: inputs("my-input_1") }],
  ["outputs", { given: "$outputs.bar", want: outputs("bar") }],
  ["outputs with pointer", { given: "$outputs.bar#/0/id", want: outputs("bar", [], ["0", "id"]) }],
  // "$steps." name
  ["steps outputs", { given: "$steps.someStepId.outputs.pets", want: steps("someStepId", "pets") }],
  ["steps outputs pointer", { given: "$steps.someStepId.outputs.pets#/0/id", want: steps("someStepId", "pets", [], ["0", "id"]) }],
  ["steps outputs path", { given: "$steps.a.outputs.pets.first", want: steps("a", "pets", ["first"]) }],
  ["steps id with dashes", { given: "$steps.get-access-token.outputs.access_token", want: steps("get-access-token", "access_token") }],
  // "$workflows." name
  ["workflows inputs", { given: "$workflows.foo.inputs.username", want: workflows("foo", "inputs", "username") }],
  ["workflows outputs", { given: "$workflows.foo.outputs.bar", want: workflows("foo", "outputs", "bar") }],
  ["workflows outputs pointer", { given: "$workflows.foo.outputs.mappedResponse#/name", want: workflows("foo", "outputs", "mappedResponse", [], ["name"]) }],
  // "$sourceDescriptions." name
  ["source description operation", { given: "$sourceDescriptions.petStore.loginUser", want: source("petStore", "loginUser") }],
  ["source description url", { given: "$sourceDescriptions.petStore.url", want: source("petStore", "url") }],
  ["source description without reference", { given: "$sourceDescriptions.petStore", want: source("petStore", "") }],
  ["source description with empty reference", { given: "$sourceDescriptions.petStore.", want: source("petStore", "") }],
  ["source description dotted reference", { given: "$sourceDescriptions.api.pets.list", want: source("api", "pets.list") }],
  // "$components." name / "$components.parameters." parameter-name
  ["components parameters", { given: "$components.parameters.page", want: components("parameters", "page") }],
  ["components inputs", { given: "$components.inputs.x", want: components("inputs", "x") }],
  ["components inputs pointer", { given: "$components.inputs.x#/a", want: components("inputs", "x", [], ["a"]) }],
  ["components successActions", { given: "$components.successActions.notify", want: components("successActions", "notify") }],
  ["components failureActions", { given: "$components.failureActions.retry", want: components("failureActions", "retry") }],
];

const invalid: [string, { given: string; want: { message: string; offset: number } }][] = [
  ["empty", { given: "", want: { message: "must start with `$`", offset: 0 } }],
  ["no dollar", { given: "inputs.x", want: { message: "must start with `$`", offset: 0 } }],
  ["dollar alone", { given: "$", want: { message: "unknown runtime expression root `$`; expected one of $url, $method", offset: 0 } }],
  ["unknown root", { given: "$foo", want: { message: "unknown runtime expression root `$foo`; expected one of $url, $method, $statusCode", offset: 0 } }],
  ["unknown dotted root", { given: "$foo.bar", want: { message: "unknown runtime expression root `$foo`", offset: 0 } }],
  ["root in wrong case", { given: "$Inputs.x", want: { message: "did you mean `$inputs`?", offset: 0 } }],
  [
    "misspelt outputs",
    { given: "$steps.a.outptus.id", want: { message: "steps only expose `outputs`, not `outptus` (did you mean `$steps.a.outputs.id`?)", offset: 9 } },
  ],
  ["statusCode in wrong case", { given: "$statuscode", want: { message: "did you mean `$statusCode`?", offset: 0 } }],
  ["jsonpath root", { given: "$.status", want: { message: "unknown runtime expression root `$`", offset: 0 } }],
  ["text after $url", { given: "$url.x", want: { message: "unexpected `.x` after `$url`", offset: 4 } }],
  ["text after $statusCode", { given: "$statusCode#/a", want: { message: "unexpected `#/a` after `$statusCode`", offset: 11 } }],
  ["request without source", { given: "$request", want: { message: "`$request` must be followed by `.header.<name>`", offset: 8 } }],
  ["request with empty source", { given: "$request.", want: { message: "unknown request source a message part", offset: 9 } }],
  [
    "unknown response source",
    { given: "$response.cookie.a", want: { message: "unknown response source `cookie`; expected `header.`, `query.`, `path.` or `body`", offset: 10 } },
  ],
  [
    "response.path with pointer",
    { given: "$response.path#/code", want: { message: "`$response.path` must be followed by `.<path-parameter-name>`, got `#`", offset: 14 } },
  ],
  ["header without dot", { given: "$response.header", want: { message: "`$response.header` must be followed by `.<header-name>`", offset: 16 } }],
  ["empty header name", { given: "$request.header.", want: { message: "expected a header name after `$request.header.`", offset: 16 } }],
  ["header name with space", { given: "$request.header.X Y", want: { message: "invalid character ` ` in header name", offset: 17 } }],
  ["header name with colon", { given: "$request.header.a:b", want: { message: "invalid character `:` in header name", offset: 17 } }],
  ["empty query name", { given: "$request.query.", want: { message: "expected a parameter name after `$request.query.`", offset: 15 } }],
  ["empty path name", { given: "$response.path.", want: { message: "expected a parameter name", offset: 15 } }],
  ["query name with hash", { given: "$request.query.a#/b", want: { message: "`#` is not allowed in a parameter name", offset: 16 } }],
  ["query name with bracket", { given: "$request.query.a[0]", want: { message: "`[` is not allowed in a parameter name", offset: 16 } }],
  [
    // `$response.body.foo` is read leniently (`dotted`); an index after a dot is not.
    "body followed by an index",
    { given: "$response.body.0", want: { message: "unexpected `.0` after `$response.body`; expected `#` and a JSON pointer", offset: 14 } },
  ],
  ["body pointer without slash", { given: "$response.body#foo", want: { message: "must be empty or start with `/`", offset: 15 } }],
  ["body pointer bad escape", { given: "$response.body#/a~2", want: { message: "invalid JSON pointer escape `~2`", offset: 17 } }],
  ["body pointer dangling tilde", { given: "$response.body#/a~", want: { message: "invalid JSON pointer escape end of pointer", offset: 17 } }],
  ["inputs without dot", { given: "$inputs", want: { message: "`$inputs` must be followed by `.<name>`", offset: 7 } }],
  ["inputs with empty name", { given: "$inputs.", want: { message: "expected a name after `$inputs.`", offset: 8 } }],
  ["inputs with only pointer", { given: "$inputs.#/a", want: { message: "expected a name after `$inputs.`", offset: 8 } }],
  ["inputs with empty segment", { given: "$inputs.a..b", want: { message: "empty name segment after `$inputs.a.`", offset: 10 } }],
  ["inputs with trailing dot", { given: "$inputs.a.", want: { message: "empty name segment", offset: 10 } }],
  [
    "inputs with index",
    { given: "$inputs.list[0]", want: { message: "`[` is not allowed in a name; index into a value with a JSON pointer instead (`#/0`)", offset: 12 } },
  ],
  ["inputs with brace", { given: "$inputs.a}", want: { message: "`}` is not allowed in a name", offset: 9 } }],
  ["inputs with whitespace", { given: "$inputs.a b", want: { message: "unexpected whitespace", offset: 9 } }],
  ["inputs with bad pointer", { given: "$inputs.a#x", want: { message: "must be empty or start with `/`", offset: 10 } }],
  ["outputs with empty name", { given: "$outputs.", want: { message: "expected a name after `$outputs.`", offset: 9 } }],
  ["steps without dot", { given: "$steps", want: { message: "`$steps` must be followed by `.<stepId>.outputs.<name>`", offset: 6 } }],
  ["steps with empty id", { given: "$steps..outputs.x", want: { message: "expected a step id after `$steps.`", offset: 7 } }],
  ["steps id only", { given: "$steps.x", want: { message: "`$steps.x` must continue with `.outputs.<name>`: steps only expose `outputs`", offset: 8 } }],
  ["steps id with pointer", { given: "$steps.x#/a", want: { message: "`#` is not allowed in a step id", offset: 8 } }],
  ["steps outputs without name", { given: "$steps.a.outputs", want: { message: "`$steps.a.outputs` must be followed by `.<output-name>`", offset: 16 } }],
  ["steps outputs with pointer only", { given: "$steps.a.outputs#/x", want: { message: "must be followed by `.<output-name>`, got `#`", offset: 16 } }],
  ["steps outputs empty name", { given: "$steps.a.outputs.", want: { message: "expected a name after `$steps.a.outputs.`", offset: 17 } }],
  ["workflows id only", { given: "$workflows.foo", want: { message: "must continue with `.inputs.<name>` or `.outputs.<name>`", offset: 14 } }],
  ["workflows empty id", { given: "$workflows.", want: { message: "expected a workflow id after `$workflows.`", offset: 11 } }],
  ["workflows unknown field", { given: "$workflows.foo.steps.x", want: { message: "workflows only expose `inputs` and `outputs`, not `steps`", offset: 15 } }],
  ["workflows field without name", { given: "$workflows.foo.inputs", want: { message: "`$workflows.foo.inputs` must be followed by `.<name>`", offset: 21 } }],
  ["source description empty name", { given: "$sourceDescriptions.", want: { message: "expected a source description name", offset: 20 } }],
  [
    "source description reference with hash",
    { given: "$sourceDescriptions.a.url#/paths", want: { message: "`#` is not allowed in a source description reference", offset: 25 } },
  ],
  ["components without type", { given: "$components.", want: { message: "expected a component type after `$components.`", offset: 12 } }],
  [
    "components unknown type",
    {
      given: "$components.schemas.Pet",
      want: { message: "unknown component type `schemas`; expected one of `inputs`, `parameters`, `successActions`, `failureActions`", offset: 12 },
    },
  ],
  ["components without name", { given: "$components.parameters", want: { message: "`$components.parameters` must be followed by `.<name>`", offset: 22 } }],
  ["components empty name", { given: "$components.parameters.", want: { message: "expected a name after `$components.parameters.`", offset: 23 } }],
];

/** Every distinct runtime expression in specs/fintecture/arazzo and the Arazzo 1.0 examples. */
const corpus: [string, Expr][] = [
  ["$components.parameters.page", components("parameters", "page")],
  ["$components.parameters.pageSize", components("parameters", "pageSize")],
  ["$inputs.PARrequestBody", inputs("PARrequestBody")],
  ["$inputs.amount", inputs("amount")],
  ["$inputs.clientId", inputs("clientId")],
  ["$inputs.clientSecret", inputs("clientSecret")],
  ["$inputs.client_assertion", inputs("client_assertion")],
  ["$inputs.client_id", inputs("client_id")],
  ["$inputs.client_secret", inputs("client_secret")],
  ["$inputs.communication", inputs("communication")],
  ["$inputs.country", inputs("country")],
  ["$inputs.coupon_code", inputs("coupon_code")],
  ["$inputs.currency", inputs("currency")],
  ["$inputs.customerId", inputs("customerId")],
  ["$inputs.email", inputs("email")],
  ["$inputs.expectedName", inputs("expectedName")],
  ["$inputs.firstName", inputs("firstName")],
  ["$inputs.from", inputs("from")],
  ["$inputs.holderName", inputs("holderName")],
  ["$inputs.iban", inputs("iban")],
  ["$inputs.lastName", inputs("lastName")],
  ["$inputs.my_client_id", inputs("my_client_id")],
  ["$inputs.my_client_secret", inputs("my_client_secret")],
  ["$inputs.my_pet_tags", inputs("my_pet_tags")],
  ["$inputs.my_redirect_uri", inputs("my_redirect_uri")],
  ["$inputs.password", inputs("password")],
  ["$inputs.paymentId", inputs("paymentId")],
  ["$inputs.pet_id", inputs("pet_id")],
  ["$inputs.providerId", inputs("providerId")],
  ["$inputs.psuEmail", inputs("psuEmail")],
  ["$inputs.psuName", inputs("psuName")],
  ["$inputs.psuType", inputs("psuType")],
  ["$inputs.quantity", inputs("quantity")],
  ["$inputs.redirectUri", inputs("redirectUri")],
  ["$inputs.redirect_uri", inputs("redirect_uri")],
  ["$inputs.requestId", inputs("requestId")],
  ["$inputs.sessionId", inputs("sessionId")],
  ["$inputs.state", inputs("state")],
  ["$inputs.statusFilter", inputs("statusFilter")],
  ["$inputs.to", inputs("to")],
  ["$inputs.username", inputs("username")],
  ["$outputs.refresh_token", outputs("refresh_token")],
  ["$outputs.workflow_order_id", outputs("workflow_order_id")],
  ["$response.body", body("response", [])],
  ["$response.body#/0/id", body("response", ["0", "id"])],
  ["$response.body#/access_token", body("response", ["access_token"])],
  ["$response.body#/amount", body("response", ["amount"])],
  ["$response.body#/attributes/communication", body("response", ["attributes", "communication"])],
  ["$response.body#/auth_models", body("response", ["auth_models"])],
  ["$response.body#/code", body("response", ["code"])],
  ["$response.body#/couponCode", body("response", ["couponCode"])],
  ["$response.body#/data", body("response", ["data"])],
  ["$response.body#/data/0/holder_name", body("response", ["data", "0", "holder_name"])],
  ["$response.body#/data/0/iban", body("response", ["data", "0", "iban"])],
  ["$response.body#/data/0/id", body("response", ["data", "0", "id"])],
  ["$response.body#/data/0/name", body("response", ["data", "0", "name"])],
  ["$response.body#/eligibilityCheckRequired", body("response", ["eligibilityCheckRequired"])],
  ["$response.body#/expires_in", body("response", ["expires_in"])],
  ["$response.body#/id", body("response", ["id"])],
  ["$response.body#/links/self", body("response", ["links", "self"])],
  ["$response.body#/match_score", body("response", ["match_score"])],
  ["$response.body#/meta/count", body("response", ["meta", "count"])],
  ["$response.body#/meta/link_id", body("response", ["meta", "link_id"])],
  ["$response.body#/meta/session_id", body("response", ["meta", "session_id"])],
  ["$response.body#/meta/url", body("response", ["meta", "url"])],
  ["$response.body#/products", body("response", ["products"])],
  ["$response.body#/redirectAuthToken", body("response", ["redirectAuthToken"])],
  ["$response.body#/refresh_token", body("response", ["refresh_token"])],
  ["$response.body#/request_uri", body("response", ["request_uri"])],
  ["$response.body#/settled_at", body("response", ["settled_at"])],
  ["$response.body#/status", body("response", ["status"])],
  ["$response.body#/totalAmount", body("response", ["totalAmount"])],
  ["$response.body#/transactions", body("response", ["transactions"])],
  ["$response.header.Location", message("response", "header", "Location")],
  ["$response.header.X-Expires-After", message("response", "header", "X-Expires-After")],
  ["$response.header.X-Rate-Limit", message("response", "header", "X-Rate-Limit")],
  ["$sourceDescriptions.animals.getRandomAnimal", source("animals", "getRandomAnimal")],
  ["$sourceDescriptions.animals.postAnimal", source("animals", "postAnimal")],
  ["$sourceDescriptions.auth-api.Authorization", source("auth-api", "Authorization")],
  ["$sourceDescriptions.auth-api.PAR", source("auth-api", "PAR")],
  ["$sourceDescriptions.auth-api.Token", source("auth-api", "Token")],
  ["$sourceDescriptions.petStoreDescription.loginUser", source("petStoreDescription", "loginUser")],
  ["$steps.PARStep.outputs.request_uri", steps("PARStep", "request_uri")],
  ["$steps.TokenStep.outputs.tokenResponse", steps("TokenStep", "tokenResponse")],
  ["$steps.abortNotRefundable.outputs.blockingStatus", steps("abortNotRefundable", "blockingStatus")],
  ["$steps.addBankAccount.outputs.bankAccountId", steps("addBankAccount", "bankAccountId")],
  ["$steps.authenticateCustomerAndAuthorizeLoan.outputs.redirectAuthToken", steps("authenticateCustomerAndAuthorizeLoan", "redirectAuthToken")],
  ["$steps.browser-authorize.outputs.code", steps("browser-authorize", "code")],
  ["$steps.confirmPayment.outputs.confirmedCommunication", steps("confirmPayment", "confirmedCommunication")],
  ["$steps.confirmPayment.outputs.confirmedStatus", steps("confirmPayment", "confirmedStatus")],
  ["$steps.createCustomer.outputs.customerId", steps("createCustomer", "customerId")],
  ["$steps.createLink.outputs.linkUrl", steps("createLink", "linkUrl")],
  ["$steps.createLink.outputs.sessionId", steps("createLink", "sessionId")],
  ["$steps.createPayment.outputs.connectUrl", steps("createPayment", "connectUrl")],
  ["$steps.createPayment.outputs.sessionId", steps("createPayment", "sessionId")],
  ["$steps.createRefund.outputs.refundId", steps("createRefund", "refundId")],
  ["$steps.do-the-auth-flow.outputs.my_refresh_token", steps("do-the-auth-flow", "my_refresh_token")],
  ["$steps.do-the-refresh.outputs.access_token", steps("do-the-refresh", "access_token")],
  ["$steps.do-the-refresh.outputs.expires_in", steps("do-the-refresh", "expires_in")],
  ["$steps.do-the-refresh.outputs.refresh_token", steps("do-the-refresh", "refresh_token")],
  ["$steps.find-coupons.outputs.my_coupon_code", steps("find-coupons", "my_coupon_code")],
  ["$steps.find-pet.outputs.my_pet_id", steps("find-pet", "my_pet_id")],
  ["$steps.findPayment.outputs.firstPaymentId", steps("findPayment", "firstPaymentId")],
  ["$steps.get-access-token.outputs.access_token", steps("get-access-token", "access_token")],
  ["$steps.get-access-token.outputs.expires_in", steps("get-access-token", "expires_in")],
  ["$steps.get-access-token.outputs.refresh_token", steps("get-access-token", "refresh_token")],
  ["$steps.get-client-creds-token.outputs.access_token", steps("get-client-creds-token", "access_token")],
  ["$steps.getHolders.outputs.holders", steps("getHolders", "holders")],
  ["$steps.getPayment.outputs.status", steps("getPayment", "status")],
  ["$steps.getPetStep.outputs.availablePets", steps("getPetStep", "availablePets")],
  ["$steps.getSettlement.outputs.amount", steps("getSettlement", "amount")],
  ["$steps.getTransactions.outputs.transactions", steps("getTransactions", "transactions")],
  ["$steps.initiateBnplTransaction.outputs.loanTransactionId", steps("initiateBnplTransaction", "loanTransactionId")],
  ["$steps.listAccounts.outputs.accounts", steps("listAccounts", "accounts")],
  ["$steps.listAccounts.outputs.firstAccountId", steps("listAccounts", "firstAccountId")],
  ["$steps.listProviders.outputs.providers", steps("listProviders", "providers")],
  ["$steps.listRefunds.outputs.refunds", steps("listRefunds", "refunds")],
  ["$steps.listSettlements.outputs.firstSettlementId", steps("listSettlements", "firstSettlementId")],
  ["$steps.listSettlements.outputs.settlements", steps("listSettlements", "settlements")],
  ["$steps.listTestAccounts.outputs.firstHolder", steps("listTestAccounts", "firstHolder")],
  ["$steps.listTransactions.outputs.merchantTransactions", steps("listTransactions", "merchantTransactions")],
  ["$steps.loginStep.outputs.sessionToken", steps("loginStep", "sessionToken")],
  ["$steps.mintToken.outputs.accessToken", steps("mintToken", "accessToken")],
  ["$steps.openConnect.outputs.sessionId", steps("openConnect", "sessionId")],
  ["$steps.place-order.outputs.my_order_id", steps("place-order", "my_order_id")],
  ["$steps.place-order.outputs.step_order_id", steps("place-order", "step_order_id")],
  ["$steps.pollPayment.outputs.status", steps("pollPayment", "status")],
  ["$steps.pollVerification.outputs.status", steps("pollVerification", "status")],
  ["$steps.reportFailure.outputs.failedStatus", steps("reportFailure", "failedStatus")],
  ["$steps.startAuthorization.outputs.sessionId", steps("startAuthorization", "sessionId")],
  ["$steps.startVerification.outputs.verificationId", steps("startVerification", "verificationId")],
  ["$steps.verifyIdentity.outputs.verificationId", steps("verifyIdentity", "verificationId")],
  ["$steps.verifyIdentity.outputs.verificationStatus", steps("verifyIdentity", "verificationStatus")],
];

describe("parseExpression", () => {
  test.each(valid)("%s", (_name, { given, want }) => {
    expect(parseExpression(given)).toEqual({ ok: true, value: { text: given, expression: want } });
  });

  test.each(invalid)("rejects %s", (_name, { given, want }) => {
    const result = parseExpression(given);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toContain(want.message);
    expect(result.error.offset).toBe(want.offset);
  });

  test.each(corpus)("document expression %s", (given, want) => {
    expect(parseExpression(given)).toEqual({ ok: true, value: { text: given, expression: want } });
  });

  test.each([...valid.map(([, { given }]) => given), ...corpus.map(([given]) => given)].filter((given) => !given.endsWith("#") && !given.endsWith(".")))(
    "round-trips %s",
    (given) => {
      const result = parseExpression(given);
      if (!result.ok) throw new Error(result.error.message);
      expect(format(result.value.expression)).toBe(given);
    },
  );

  test("error offsets point inside the input", () => {
    for (const [, { given }] of invalid) {
      const result = parseExpression(given);
      if (!result.ok) expect(result.error.offset).toBeLessThanOrEqual(given.length);
    }
  });
});

const isConditionStop = (ch: string) => "=!<>&|()[]".includes(ch);
const isTemplateStop = (ch: string) => `"',;)}]`.includes(ch);

const scans: [string, { given: [text: string, start: number, stop: (ch: string) => boolean]; want: number }][] = [
  ["whole text", { given: ["$inputs.x", 0, isConditionStop], want: 9 }],
  ["stops at whitespace", { given: ["$statusCode == 200", 0, isConditionStop], want: 11 }],
  ["stops at tab", { given: ["$url\t", 0, isConditionStop], want: 4 }],
  ["stops at operator", { given: ["$statusCode==200", 0, isConditionStop], want: 11 }],
  ["stops at bracket", { given: ["$steps.a.outputs.list[0].id", 0, isConditionStop], want: 21 }],
  ["starts mid-text", { given: ["x && $inputs.a)", 5, isConditionStop], want: 14 }],
  ["keeps a pointer", { given: ["$response.body#/data/0/id != null", 0, isConditionStop], want: 25 }],
  ["pointer with escapes", { given: ["$response.body#/a~1b/c.d", 0, isConditionStop], want: 24 }],
  ["drops trailing full stop", { given: ["see $inputs.url.", 4, isTemplateStop], want: 15 }],
  ["drops several trailing dots", { given: ["$inputs.url...", 0, isTemplateStop], want: 11 }],
  ["template quote", { given: ["'$inputs.a'", 1, isTemplateStop], want: 10 }],
  ["template brace", { given: ["{$inputs.a}", 1, isTemplateStop], want: 10 }],
  ["template comma", { given: ["$inputs.a, $inputs.b", 0, isTemplateStop], want: 9 }],
  ["the first character never stops", { given: ["$", 0, () => true], want: 1 }],
  ["at the end", { given: ["ab", 2, isTemplateStop], want: 2 }],
];

describe("scanExpression", () => {
  test.each(scans)("%s", (_name, { given: [text, start, stop], want }) => {
    expect(scanExpression(text, start, stop)).toEqual({ end: want });
  });
});

const roots: [string, { given: [string, number]; want: string | undefined }][] = [
  ["$url", { given: ["$url", 0], want: "$url" }],
  ["$method mid-text", { given: ["x $method y", 2], want: "$method" }],
  ["$statusCode", { given: ["$statusCode==1", 0], want: "$statusCode" }],
  ["$url followed by a letter", { given: ["$urls", 0], want: undefined }],
  ["$url followed by a dash", { given: ["$url-encoded", 0], want: "$url" }],
  ["$request.", { given: ["$request.body", 0], want: "$request." }],
  ["$response.", { given: ["$response.body", 0], want: "$response." }],
  ["$inputs.", { given: ["$inputs.a", 0], want: "$inputs." }],
  ["$inputs without dot", { given: ["$inputs", 0], want: undefined }],
  ["$outputs.", { given: ["$outputs.a", 0], want: "$outputs." }],
  ["$steps.", { given: ["$steps.a", 0], want: "$steps." }],
  ["$workflows.", { given: ["$workflows.a", 0], want: "$workflows." }],
  ["$sourceDescriptions.", { given: ["$sourceDescriptions.a", 0], want: "$sourceDescriptions." }],
  ["$components.", { given: ["$components.a", 0], want: "$components." }],
  ["wrong case", { given: ["$Inputs.a", 0], want: undefined }],
  ["price", { given: ["$5", 0], want: undefined }],
  ["not a dollar", { given: ["inputs.a", 0], want: undefined }],
];

describe("knownRootAt", () => {
  test.each(roots)("%s", (_name, { given: [text, start], want }) => {
    expect(knownRootAt(text, start)).toBe(want);
  });
});
