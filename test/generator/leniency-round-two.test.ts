/**
 * The warnings of the issue-22 fixtures (test/conformance/untyped-values, undeclared-parameters,
 * open-schemas, other-runners): each kind of document that bends the spec is read
 * as meant and said so exactly once, at its place, with the correct form. The conformance suite
 * runs the same fixtures end to end; this pins what the author is told.
 */
import path from "node:path";
import { describe, expect, test } from "vitest";
import { validate } from "../../generator/analyze.ts";

const CONFORMANCE = path.resolve(import.meta.dirname, "../conformance");

async function warnings(fixture: string): Promise<string[]> {
  const result = await validate({ inputs: [path.join(CONFORMANCE, fixture, `${fixture}.arazzo.yaml`)], types: false });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result.diagnostics.map((d) => `${path.basename(d.file ?? "")}:${d.line}:${d.col} ${d.code}: ${d.message}${d.hint ? ` | ${d.hint}` : ""}`);
}

describe("documents that bend the spec, round two (issue 22)", () => {
  test("kind 1 and 8f: untyped values take the field's type, each use said once", async () => {
    const list = await warnings("untyped-values");
    expect(list.filter((w) => w.includes(" untyped-field: `$steps.ticket.outputs.reference`")).map((w) => w.split(" ")[0])).toEqual([
      "untyped-values.arazzo.yaml:32:20",
      "untyped-values.arazzo.yaml:33:20",
      "untyped-values.arazzo.yaml:42:47",
      "untyped-values.arazzo.yaml:178:42",
    ]);
    expect(list).toContainEqual(
      expect.stringContaining(
        "untyped-values.arazzo.yaml:33:20 untyped-field: `$steps.ticket.outputs.reference` has no type (the API description does not say what it holds); it is sent into field `/count` of the request body of step `note`",
      ),
    );
    expect(list).toContainEqual(expect.stringContaining("untyped-values.arazzo.yaml:34:20 untyped-field: `$steps.ticket.outputs.whole#/owner/name`"));
    expect(list).toContainEqual(
      expect.stringContaining(
        "untyped-values.arazzo.yaml:72:20 untyped-field: `$inputs.customer#/firstName` has no type (the input's schema does not type it for every value it allows",
      ),
    );
  });

  test("kind 1 across workflows, into one field, and where a field has no type to give", async () => {
    const list = (await warnings("untyped-values")).filter((w) => /:(1[0-9]{2}):\d+ /.test(w));
    expect(list).toEqual([
      // Through a step that runs the workflow; sent into one field only, so typed as it (said all the same).
      "untyped-values.arazzo.yaml:123:47 untyped-field: `$steps.sub.outputs.reference` has no type (it comes from workflow `ticketReference`, which does not type it); it is sent into path parameter `orderId` of step `order` as that field's type, unchecked | describe the value in the API description to have it checked",
      "untyped-values.arazzo.yaml:131:20 untyped-field: `$workflows.ticketReference.outputs.reference` has no type (workflow `ticketReference` does not type its output `reference`); it is sent into field `/title` of the request body of step `note` as that field's type, unchecked | describe the value in the API description to have it checked",
      "untyped-values.arazzo.yaml:133:20 untyped-field: `$workflows.ticketReference.outputs.whole#/owner/name` has no type (workflow `ticketReference` does not type its output `whole`); it is sent into field `/owner` of the request body of step `note` as that field's type, unchecked | describe the value in the API description to have it checked",
      // An undeclared parameter and an undocumented body have no type to give: their own warnings only.
      "untyped-values.arazzo.yaml:166:13 undeclared-parameter: operation `closeTicket` declares no query parameter `by`, and some of its parameters are `$ref`s that do not resolve; it is sent untyped | fix the operation's parameter `$ref`s",
      "untyped-values.arazzo.yaml:167:9 undocumented-request-body: `closeTicket` documents no request body; the step's payload is sent as written, without types | document the request body in the OpenAPI description to type it",
      // The input of the workflow an action goes to (Arazzo 1.1 `parameters`).
      "untyped-values.arazzo.yaml:178:42 untyped-field: `$steps.ticket.outputs.reference` has no type (the API description does not say what it holds); it is sent into input `ticketId` of workflow `ticketReference` (started by action `readReference`) of step `close` as that field's type, unchecked | describe the value in the API description to have it checked",
    ]);
  });

  test("kind 2: parameters the description leaves out are sent, with the declaration to add", async () => {
    const list = (await warnings("undeclared-parameters")).filter((w) => w.includes("undeclared-parameter"));
    expect(list).toEqual([
      "undeclared-parameters.arazzo.yaml:21:13 undeclared-parameter: operation `getTicket` declares no path parameter `ticket_id`, but its path `/tickets/{ticket_id}` names it; it is sent as text, unchecked | declare `ticket_id` in the operation's `parameters` (in: path, required: true)",
      "undeclared-parameters.arazzo.yaml:22:13 undeclared-parameter: operation `getTicket` declares no query parameter `expand`, and some of its parameters are `$ref`s that do not resolve; it is sent untyped | fix the operation's parameter `$ref`s",
      "undeclared-parameters.arazzo.yaml:30:13 undeclared-parameter: operation `getPet` declares no path parameter `petId`, but its path `/pets/{petId}` names it; it is sent as text, unchecked | declare `petId` in the operation's `parameters` (in: path, required: true)",
      "undeclared-parameters.arazzo.yaml:34:13 undeclared-parameter: operation `getUser` declares no path parameter `userId`, but its path `/users/{userId}` names it; it is sent as text, unchecked | declare `userId` in the operation's `parameters` (in: path, required: true)",
    ]);
  });

  test("kind 3: fields an open schema does not list are read untyped", async () => {
    expect(await warnings("open-schemas")).toEqual([
      "open-schemas.arazzo.yaml:27:20 undeclared-field: output `success` reads `/success`, which the HTTP 200 response body of `getJob` does not declare (its schema lists `result` and allows others); it is read untyped, as `unknown` | declare `success` in the schema to type it (or add `additionalProperties: false` if the body has no other fields)",
      "open-schemas.arazzo.yaml:28:22 undeclared-field: output `requestId` reads `/meta`, which the HTTP 200 response body of `getJob` does not declare (its schema lists `result` and allows others); it is read untyped, as `unknown` | declare `meta` in the schema to type it (or add `additionalProperties: false` if the body has no other fields)",
    ]);
  });

  test("kinds 5 and 8: other runners' forms, each with the spec's", async () => {
    expect(await warnings("other-runners")).toEqual([
      "other-runners.arazzo.yaml:17:9 input-type-mismatch: input `orderNumber` is declared `string`, but it is sent into path parameter `orderId` of step `read`, which is `integer`; a parameter is sent as text, so the value goes as given | declare `orderNumber` as `type: integer`, as the API takes it",
      'other-runners.arazzo.yaml:19:17 step-id-with-spaces: step id "Create Order" has whitespace, which a runtime expression cannot name; it is read as `Create_Order`, and `$steps.Create Order.` as `$steps.Create_Order.` | rename the step `Create_Order` (a stepId SHOULD match [A-Za-z0-9_-]+)',
      "other-runners.arazzo.yaml:30:22 plural-header: `$response.headers.X-Request-Id`: runtime expressions read a header as `header.<name>`; it is read as `$response.header.X-Request-Id` | write `$response.header.X-Request-Id`",
      'other-runners.arazzo.yaml:31:19 constant-output: output `source` is the constant "shop", not a runtime expression; it is that value in every run | outputs are runtime expressions (`$response.body#/status`); for a value the caller chooses, declare an input with a `default`',
      "other-runners.arazzo.yaml:32:20 constant-output: output `attempt` is the constant 1, not a runtime expression; it is that value in every run | outputs are runtime expressions (`$response.body#/status`); for a value the caller chooses, declare an input with a `default`",
      "other-runners.arazzo.yaml:42:11 step-output-without-outputs: `$steps.Create_Order.id` leaves out `.outputs`, which runtime expressions need; it is read as `$steps.Create_Order.outputs.id` | write `$steps.Create_Order.outputs.id`",
      "other-runners.arazzo.yaml:44:18 step-output-without-outputs: `$steps.Create_Order.requestId` leaves out `.outputs`, which runtime expressions need; it is read as `$steps.Create_Order.outputs.requestId` | write `$steps.Create_Order.outputs.requestId`",
      "other-runners.arazzo.yaml:47:14 step-output-without-outputs: `$steps.read.state` leaves out `.outputs`, which runtime expressions need; it is read as `$steps.read.outputs.state` | write `$steps.read.outputs.state`",
      'other-runners.arazzo.yaml:48:13 constant-output: workflow output `kind` is the constant "order", not a runtime expression; it is that value in every run | outputs are runtime expressions (`$response.body#/status`); for a value the caller chooses, declare an input with a `default`',
    ]);
  });
});
