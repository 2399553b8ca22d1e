/**
 * Step ids with whitespace (`generator/validate/step-ids.ts`, issue 22 kind 8): the id is read
 * with `_` for its whitespace wherever it names the step, and nowhere else.
 */
import { describe, expect, test } from "vitest";
import { DiagnosticBag } from "../../generator/diagnostics.ts";
import { parseLoadedDocument } from "../../generator/load/document.ts";
import { rewriteSpacedStepIds } from "../../generator/validate/step-ids.ts";

const TEXT = `arazzo: 1.1.0
info: { title: t, version: "1" }
sourceDescriptions: [{ name: shop, url: ./shop.yaml, type: openapi }]
workflows:
  - workflowId: place
    failureActions: [{ name: again, type: goto, stepId: Create Order }]
    steps:
      - stepId: Create Order
        operationId: createOrder
        requestBody:
          payload: { stepId: Create Order, note: "made by $steps.Create Order.outputs.id" }
        onSuccess: [{ name: next, type: goto, stepId: Create Order }]
        outputs: { id: $response.body#/id }
      - stepId: read
        operationId: getOrder
        dependsOn: [Create Order]
        parameters: [{ name: id, in: path, value: "$steps.Create Order.outputs.id" }]
        onFailure: [{ reference: $components.failureActions.back }]
components:
  failureActions:
    back: { name: back, type: goto, stepId: Create Order }
`;

describe("step ids with whitespace", () => {
  const diagnostics = new DiagnosticBag();
  const doc = rewriteSpacedStepIds(parseLoadedDocument("/x/flow.arazzo.yaml", TEXT, diagnostics)!, diagnostics);
  const data = doc.data as any;
  const [create, read] = data.workflows[0].steps;

  test("the step, its gotos, dependsOn, reusable actions and `$steps.` expressions use the new id", () => {
    expect(create.stepId).toBe("Create_Order");
    expect(create.onSuccess[0].stepId).toBe("Create_Order");
    expect(data.workflows[0].failureActions[0].stepId).toBe("Create_Order");
    expect(read.dependsOn).toEqual(["Create_Order"]);
    expect(read.parameters[0].value).toBe("$steps.Create_Order.outputs.id");
    expect(create.requestBody.payload.note).toBe("made by $steps.Create_Order.outputs.id");
    expect(data.components.failureActions.back.stepId).toBe("Create_Order");
  });

  test("a payload field called stepId is data: its value is sent as written", () => {
    expect(create.requestBody.payload.stepId).toBe("Create Order");
  });

  test("one warning, at the step", () => {
    expect(diagnostics.items.map((d) => `${d.line}:${d.col} ${d.code}`)).toEqual(["8:17 step-id-with-spaces"]);
  });
});
