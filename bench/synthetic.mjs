#!/usr/bin/env node
/**
 * Synthetic inputs for the generation benchmark (`bench/run.mjs`):
 *
 *   <dir>/synthetic.openapi.json              OpenAPI 3.1, `operations` operations
 *   <dir>/synthetic-<n>-workflows.arazzo.json Arazzo 1.0.1, n workflows × `steps` steps
 *
 * Every operation is `POST /r<i>/items/{id}` (operationId `op<i>`) with a path parameter,
 * an optional query and header parameter, a small JSON request body and a small JSON
 * response (plus a shared `Error` component for 400). Step k of a workflow sends the
 * previous step's outputs (`next` → path id, `name` → body) and the workflow inputs; the
 * workflow's outputs are its last step's. Workflow w, step s uses operation
 * `op<(w*steps + s) % operations>`, so 100 workflows of 10 steps cover all 1,000 operations.
 *
 * Usage: node bench/synthetic.mjs [--out <dir>] [--operations 1000] [--steps 10] [--workflows 10,100,1000]
 * The output is deterministic (same arguments, same bytes).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export function openapiDocument(operations) {
  const paths = {};
  for (let i = 0; i < operations; i++) {
    paths[`/r${i}/items/{id}`] = {
      post: {
        operationId: `op${i}`,
        summary: `Operation ${i}`,
        parameters: [
          { name: "id", in: "path", required: true, schema: { type: "string" } },
          { name: "limit", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 100 } },
          { name: "x-trace", in: "header", required: false, schema: { type: "string" } },
        ],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["name", "count"],
                properties: {
                  name: { type: "string" },
                  count: { type: "integer" },
                  tag: { type: "string", enum: ["a", "b", "c"] },
                },
              },
            },
          },
        },
        responses: {
          200: {
            description: "OK",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["id", "name", "next"],
                  properties: {
                    id: { type: "string" },
                    name: { type: "string" },
                    next: { type: "string" },
                    count: { type: "integer" },
                  },
                },
              },
            },
          },
          400: {
            description: "Bad request",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
          },
        },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Synthetic API", version: "1.0.0" },
    servers: [{ url: "https://api.example.com" }],
    paths,
    components: {
      schemas: {
        Error: { type: "object", required: ["code"], properties: { code: { type: "string" }, message: { type: "string" } } },
      },
    },
  };
}

export function arazzoDocument(workflows, { steps = 10, operations = 1000, openapiFile = "./synthetic.openapi.json" } = {}) {
  const list = [];
  for (let w = 0; w < workflows; w++) {
    const stepList = [];
    for (let s = 0; s < steps; s++) {
      const prev = s === 0 ? undefined : `$steps.s${s - 1}.outputs`;
      stepList.push({
        stepId: `s${s}`,
        operationId: `op${(w * steps + s) % operations}`,
        parameters: [
          { name: "id", in: "path", value: prev ? `${prev}.next` : "$inputs.id" },
          { name: "limit", in: "query", value: 10 },
          { name: "x-trace", in: "header", value: "$inputs.trace" },
        ],
        requestBody: {
          contentType: "application/json",
          payload: { name: prev ? `${prev}.name` : "$inputs.name", count: "$inputs.count", tag: "a" },
        },
        successCriteria: [{ condition: "$statusCode == 200" }],
        outputs: { next: "$response.body#/next", name: "$response.body#/name" },
      });
    }
    list.push({
      workflowId: `workflow${w}`,
      summary: `Synthetic workflow ${w}`,
      inputs: {
        type: "object",
        required: ["id", "name", "count"],
        properties: { id: { type: "string" }, name: { type: "string" }, count: { type: "integer" }, trace: { type: "string" } },
      },
      steps: stepList,
      outputs: { next: `$steps.s${steps - 1}.outputs.next`, name: `$steps.s${steps - 1}.outputs.name` },
    });
  }
  return {
    arazzo: "1.0.1",
    info: { title: `Synthetic ${workflows} workflows`, version: "1.0.0" },
    sourceDescriptions: [{ name: "api", url: openapiFile, type: "openapi" }],
    workflows: list,
  };
}

/** Writes the OpenAPI document and one Arazzo document per workflow count; returns their paths. */
/** Writes `text` unless the file already holds it (a benchmark may be reading it in another process). */
function writeIfChanged(file, text) {
  if (existsSync(file) && readFileSync(file, "utf8") === text) return;
  writeFileSync(file, text);
}

export function writeSynthetic(dir, { operations = 1000, steps = 10, workflows = [10, 100, 1000] } = {}) {
  mkdirSync(dir, { recursive: true });
  const openapi = path.join(dir, "synthetic.openapi.json");
  writeIfChanged(openapi, JSON.stringify(openapiDocument(operations), null, 2));
  const arazzo = {};
  for (const n of workflows) {
    const file = path.join(dir, `synthetic-${n}-workflows.arazzo.json`);
    writeIfChanged(file, JSON.stringify(arazzoDocument(n, { steps, operations }), null, 2));
    arazzo[n] = file;
  }
  return { openapi, arazzo };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i === -1 ? fallback : process.argv[i + 1];
  };
  const out = path.resolve(arg("out", "bench/.synthetic"));
  const written = writeSynthetic(out, {
    operations: Number(arg("operations", "1000")),
    steps: Number(arg("steps", "10")),
    workflows: arg("workflows", "10,100,1000").split(",").map(Number),
  });
  console.log(JSON.stringify(written, null, 2));
}
