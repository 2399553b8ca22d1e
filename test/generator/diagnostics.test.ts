/**
 * Bad input gives `file:line:col - error CODE: message` (with a hint where one helps) and
 * exit code 1, never a stack trace. Each row breaks the `mini` fixture in one way.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, test } from "vitest";
import { runCli, workspace, type Workspace } from "../helpers/workspace.ts";

const ARAZZO = "order.arazzo.yaml";

interface Row {
  /** Edits to the fixture: [file, from, to]. */
  patch?: [string, string, string][];
  write?: [string, string][];
  args?: string[];
  code: number;
  /** Lines stderr must contain (each matched as a line prefix). */
  errors: string[];
  /** How many errors in all, where a cascade of follow-on errors must not happen. */
  count?: number;
}

const rows: [string, Row][] = [
  [
    "missing Arazzo file",
    { args: ["generate", "nope.arazzo.yaml", "--out", "out"], code: 1, errors: ["nope.arazzo.yaml:1:1 - error file-not-found: file does not exist"] },
  ],
  [
    "invalid YAML",
    {
      patch: [[ARAZZO, "  title: Order then read it back", "  title: [unclosed"]],
      code: 1,
      errors: ["order.arazzo.yaml:4:3 - error invalid-yaml: Flow sequence in block collection must be sufficiently indented and end with a ]"],
    },
  ],
  [
    "unknown operationId, with a suggestion",
    {
      patch: [[ARAZZO, "operationId: getOrder", "operationId: getOrdr"]],
      code: 1,
      errors: ["order.arazzo.yaml:38:22 - error unknown-operation: operationId `getOrdr` does not exist in `shop`", "  hint: did you mean `getOrder`?"],
    },
  ],
  [
    "step output referenced but never defined",
    {
      patch: [[ARAZZO, "value: $steps.create.outputs.orderId", "value: $steps.create.outputs.orderNumber"]],
      code: 1,
      errors: ["order.arazzo.yaml:42:20 - error unknown-output: `$steps.create.outputs.orderNumber`: step `create` defines no output `orderNumber`"],
    },
  ],
  [
    "workflow output reading an undefined step output",
    {
      patch: [[ARAZZO, "firstSku: $steps.read.outputs.firstSku", "firstSku: $steps.read.outputs.sku"]],
      code: 1,
      errors: [
        "order.arazzo.yaml:55:17 - error unknown-output: workflow output `firstSku` reads `sku`, which step `read` does not define",
        "  hint: step `read` defines: state, firstSku, odd",
      ],
    },
  ],
  [
    "unparseable runtime expression",
    {
      patch: [[ARAZZO, "orderId: $response.body#/id", "orderId: $response.bod#/id"]],
      code: 1,
      errors: ["order.arazzo.yaml:36:20 - error invalid-expression: output `orderId`: unknown response source `bod`"],
      count: 1,
    },
  ],
  [
    "unknown workflow input",
    {
      patch: [[ARAZZO, "value: $inputs.key", "value: $inputs.kee"]],
      code: 1,
      errors: ["order.arazzo.yaml:26:20 - error unknown-input: `$inputs.kee`: workflow `place-order` has no input `kee`", "  hint: did you mean `key`?"],
    },
  ],
  [
    "step that reads a later step",
    {
      patch: [[ARAZZO, "value: $inputs.key", "value: $steps.read.outputs.state"]],
      code: 1,
      errors: ["order.arazzo.yaml:26:20 - error unknown-step: `$steps.read.outputs.state` reads step `read`, which runs later"],
    },
  ],
  [
    "parameter the operation does not have",
    {
      patch: [[ARAZZO, "- name: expand", "- name: expnd"]],
      code: 1,
      errors: ["order.arazzo.yaml:43:13 - error unknown-parameter: operation `getOrder` has no query parameter `expnd`", "  hint: did you mean `expand`?"],
    },
  ],
  [
    "unparseable condition",
    {
      patch: [[ARAZZO, "condition: $statusCode == 201", "condition: $statusCode = 201"]],
      code: 1,
      errors: ["order.arazzo.yaml:34:24 - error invalid-condition:"],
    },
  ],
  [
    "source description file that does not exist",
    {
      patch: [[ARAZZO, "url: ./shop.openapi.yaml", "url: ./shop.yaml"]],
      code: 1,
      errors: ['order.arazzo.yaml:7:10 - error file-not-found: "./shop.yaml" ('],
    },
  ],
  [
    "a value of the wrong type for the API field (found by the type-check, reported at the payload, naming the field)",
    {
      patch: [[ARAZZO, "quantity: $inputs.quantity", "quantity: true"]],
      code: 1,
      errors: ["order.arazzo.yaml:30:23 - error TS2322: Type 'boolean' is not assignable to type 'number'."],
    },
  ],
  [
    "a payload field the API does not have",
    {
      patch: [[ARAZZO, "            note: $inputs.note", "            notes: $inputs.note"]],
      code: 1,
      errors: [
        "order.arazzo.yaml:32:20 - error unknown-field: the payload of step `create` sets `/notes`, but the request body of `createOrder` has no field `notes`",
        "  hint: did you mean `/note`?",
      ],
    },
  ],
  [
    "an output pointer to a response field that does not exist",
    {
      patch: [[ARAZZO, "state: $response.body#/state", "state: $response.body#/status"]],
      code: 1,
      errors: [
        "order.arazzo.yaml:49:18 - error unknown-field: output `state` reads `/status`, but the HTTP 200 response body of `getOrder` has no field `status`",
        "  hint: did you mean `$response.body#/state`?",
      ],
    },
  ],
  [
    "no arguments",
    {
      args: [],
      code: 2,
      errors: ["Usage:", "  arazzo-ts generate [<arazzo-file>...] [--out <dir>] [--target <name>] [--check | --watch]", "  arazzo-ts run [<arazzo-file>...]"],
    },
  ],
  ["unknown option", { args: ["generate", ARAZZO, "--outt", "x"], code: 2, errors: ["error: unknown option --outt; did you mean --out?"] }],
];

describe("diagnostics for bad input", () => {
  let ws: Workspace | undefined;
  afterEach(() => ws?.remove());

  for (const [name, row] of rows) {
    test(name, async () => {
      ws = workspace("mini");
      for (const [file, from, to] of row.patch ?? []) ws.patch(file, from, to);
      for (const [file, text] of row.write ?? []) ws.write(file, text);
      const result = await runCli(row.args ?? ["generate", ARAZZO, "--out", "out"], ws.dir);
      const lines = result.stderr.split("\n");
      for (const expected of row.errors) {
        expect(
          lines.some((line) => line.startsWith(expected)),
          `stderr:\n${result.stderr}`,
        ).toBe(true);
      }
      expect(result.code).toBe(row.code);
      if (row.count !== undefined) expect(lines.filter((line) => / - error /.test(line))).toHaveLength(row.count);
      expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack frames
    });
  }
});

describe("warnings", () => {
  test("required parameters the workflow does not supply are warnings with a location; generation succeeds", async () => {
    const ws = workspace("mini").patch(
      ARAZZO,
      "        parameters:\n          - name: Idempotency-Key\n            in: header\n            value: $inputs.key\n",
      "",
    );
    try {
      const result = await runCli(["generate", ARAZZO, "--out", "out"], ws.dir);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(
        "order.arazzo.yaml:21:17 - warning unsupplied-parameter: step `create` does not supply required header parameter `Idempotency-Key` of `createOrder`",
      );
      expect(result.stdout).toContain("hint: add it at run time with an openapi-fetch middleware");
    } finally {
      ws.remove();
    }
  });

  test("a bare expression inside a string is a warning that shows the braced form", async () => {
    const ws = workspace("mini").patch(ARAZZO, "value: $inputs.key", 'value: "key-$inputs.key"');
    try {
      const result = await runCli(["generate", ARAZZO, "--out", "out"], ws.dir);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("order.arazzo.yaml:26:20 - warning unbraced-expression:");
      expect(result.stdout).toContain('hint: write "key-{$inputs.key}"');
    } finally {
      ws.remove();
    }
  });

  test("two workflow ids that map to the same name: the second is renamed, with a warning", async () => {
    const ws = workspace("mini");
    try {
      const text = readFileSync(ws.file(ARAZZO), "utf8");
      const workflow = text.slice(text.indexOf("  - workflowId: place-order"), text.indexOf("    outputs:\n      orderId"));
      ws.write(ARAZZO, `${text}${workflow.replace("workflowId: place-order", "workflowId: place.order")}    outputs: {}\n`);
      const result = await runCli(["generate", ARAZZO, "--out", "out"], ws.dir);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(
        "order.arazzo.yaml:56:17 - warning renamed-identifier: workflow `place.order` is generated as `runPlaceOrder2`: `runPlaceOrder` is taken by another workflow whose id maps to the same name",
      );
      expect(readFileSync(ws.file("out/order/src/index.ts"), "utf8")).toContain("runPlaceOrder2");
    } finally {
      ws.remove();
    }
  });
});
