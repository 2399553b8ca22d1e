/**
 * The README's per-workflow docs (`targets/typescript/workflow-docs.ts`): the Mermaid
 * flowchart of steps and actions, the inputs and outputs tables, and that text from the
 * document cannot break out of either.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { analyzeDocument } from "../../generator/analyze-document.ts";
import { DiagnosticBag } from "../../generator/diagnostics.ts";
import type { WorkflowModel } from "../../generator/ir/types.ts";
import { inputsTable, outputsTable, typeSummary, workflowFlowchart } from "../../generator/targets/typescript/workflow-docs.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const workflowsOf = async (file: string) => (await analyzeDocument(path.join(ROOT, file), new DiagnosticBag()))!.document.workflows;
const failureActions = await workflowsOf("test/conformance/failure-actions/failure-actions.arazzo.yaml");
const mini = (await workflowsOf("test/fixtures/mini/order.arazzo.yaml"))[0]!;

describe("flowchart", () => {
  test("steps in order, retries as dotted self-loops, a goto to its step, and the failure no action handles", () => {
    const chart = workflowFlowchart(failureActions.find((w) => w.workflowId === "retryLimit")!);
    expect(chart.split("\n")).toEqual([
      "```mermaid",
      "flowchart TD",
      '  start(["start"])',
      '  s0["flaky<br/>GET /steps/#123;name#125;"]',
      '  s1["fallback<br/>GET /steps/#123;name#125;"]',
      '  done(["end"])',
      "  start --> s0",
      '  s0 -->|"done: end"| done',
      '  s0 -.->|"retryUnavailable: retry ≤2×, 0.05s apart if $statusCode == 503"| s0',
      "  s0 -.->|\"fallBack: goto if $response.header.X-Fallback == 'yes'\"| s1",
      '  s0 -.->|"no action applies"| fail',
      "  s1 --> done",
      '  fail(["rejects with ArazzoStepError"])',
      "```",
    ]);
  });

  test("a straight-line workflow is a chain", () => {
    expect(workflowFlowchart(mini)).toContain("  start --> s0\n  s0 --> s1\n  s1 --> done\n```");
  });

  test("a `#` in the text cannot start a Mermaid entity", () => {
    const step = { ...mini.steps[0]!, stepId: "a#lt;b#gt;" };
    const chart = workflowFlowchart({ ...mini, steps: [step, mini.steps[1]!] } as WorkflowModel);
    expect(chart).toContain('s0["a#35;lt;b#35;gt;<br/>POST /orders"]');
  });

  test("hostile step ids and criteria stay inside their quoted labels", () => {
    const hostile = 'x"] --> evil\n```\n<script>|{}';
    const step = { ...mini.steps[0]!, stepId: hostile };
    const chart = workflowFlowchart({ ...mini, steps: [step, mini.steps[1]!] } as WorkflowModel);
    const lines = chart.split("\n");
    expect(lines.filter((l) => l.startsWith("```"))).toEqual(["```mermaid", "```"]);
    expect(lines.find((l) => l.startsWith("  s0["))).toBe('  s0["x#quot;#93; --#gt; evil #96;#96;#96; #lt;script#gt;#124;#123;#125;<br/>POST /orders"]');
  });
});

describe("tables", () => {
  test("inputs: name, type from the JSON Schema as the API fields narrow it, required, description", () => {
    expect(inputsTable(mini).split("\n")).toEqual([
      "| input | type | required | description |",
      "| --- | --- | --- | --- |",
      "| <code>quantity</code> | <code>number</code> | yes |  |",
      '| <code>size</code> | <code>"S" &#124; "M" &#124; "L"</code> | yes | Declared <code>string</code>, narrowed to the type of request body field <code>/size</code> of step <code>create</code>. |',
      "| <code>key</code> | <code>string</code> | yes |  |",
      "| <code>note</code> | <code>string</code> | no |  |",
    ]);
  });

  test("outputs: the type the API gives, optional where the run or the body may lack it (not when a later step needed it), and where it is read", () => {
    expect(outputsTable(mini).split("\n")).toEqual([
      "| output | type | from |",
      "| --- | --- | --- |",
      "| <code>orderId</code> | <code>string</code> | <code>$steps.create.outputs.orderId</code> = <code>$response.body#/id</code> |",
      '| <code>state</code> | <code>"open" &#124; "paid" &#124; "shipped" &#124; undefined</code> | <code>$steps.read.outputs.state</code> = <code>$response.body#/state</code> |',
      "| <code>firstSku</code> | <code>string &#124; undefined</code> | <code>$steps.read.outputs.firstSku</code> = <code>$response.body#/lines/0/sku</code> |",
    ]);
  });

  test("a description with pipes, backticks, markup and line breaks stays in its cell", () => {
    const workflow = { ...mini, inputs: [{ ...mini.inputs[0]!, description: "a | b\n`c` <img src=x> __x__ [l](u)" }] } as WorkflowModel;
    expect(inputsTable(workflow).split("\n")[2]).toBe(
      "| <code>quantity</code> | <code>number</code> | yes | a &#124; b &#96;c&#96; &lt;img src=x&gt; &#95;&#95;x&#95;&#95; &#91;l&#93;(u) |",
    );
  });

  test("type summaries: literals and unions in full, objects as `object`, long ones whole", () => {
    expect(typeSummary({ kind: "array", items: { kind: "union", members: [{ kind: "string" }, { kind: "null" }] } })).toBe("(string | null)[]");
    expect(typeSummary({ kind: "object", properties: [] })).toBe("object");
    const values = Array.from({ length: 30 }, (_, i) => `value-${i}`);
    const long = typeSummary({ kind: "union", members: values.map((value) => ({ kind: "literal" as const, value })) });
    expect(long).toBe(values.map((v) => `"${v}"`).join(" | "));
  });

  test("a long type is folded in its cell, whole inside", () => {
    const values = Array.from({ length: 30 }, (_, i) => `value-${i}`);
    const input = {
      ...mini.inputs[0]!,
      narrowTo: [],
      schema: { kind: "union" as const, members: values.map((value) => ({ kind: "literal" as const, value })) },
    };
    const row = inputsTable({ ...mini, inputs: [input] } as WorkflowModel).split("\n")[2]!;
    expect(row).toMatch(
      /^\| <code>quantity<\/code> \| <details><summary><code>"value-0" &#124; .* …<\/code> \(a union of 30 types\)<\/summary><code>(.*)<\/code><\/details> \| yes \|/,
    );
    expect(row).toContain(`<code>${values.map((v) => `"${v}"`).join(" &#124; ")}</code></details>`);
  });
});
