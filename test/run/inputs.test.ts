/**
 * The inputs `arazzo-ts run` gives each workflow (generator/run/inputs.ts): example inputs, then
 * `--inputs` (shared or per workflow), then `--input`; `env:` values and which inputs they make
 * secret; values parsed by their schema; and validation against the inputs schema.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type InputsSchema, inputProperties, resolveInputs } from "../../generator/run/inputs.ts";

const document = {
  arazzo: "1.0.1",
  components: {
    inputs: {
      login: {
        type: "object",
        required: ["username", "password"],
        properties: { username: { type: "string" }, password: { type: "string", format: "password" } },
      },
    },
  },
  workflows: [
    {
      workflowId: "adoptPet",
      inputs: {
        type: "object",
        required: ["petId"],
        properties: {
          petId: { type: "integer", minimum: 1 },
          tags: { type: "array", items: { type: "string" } },
          note: { type: "string" },
          token: { type: "string" },
        },
      },
    },
    { workflowId: "login", inputs: { $ref: "#/components/inputs/login" } },
  ],
};
const adopt: InputsSchema = { workflowId: "adoptPet", document, index: 0 };
const login: InputsSchema = { workflowId: "login", document, index: 1 };
const workflowIds = new Set(["adoptPet", "login"]);
const cwd = mkdtempSync(path.join(tmpdir(), "arazzo-run-inputs-"));
const file = (name: string, text: string) => {
  writeFileSync(path.join(cwd, name), text);
  return path.join(cwd, name);
};

describe("resolveInputs", () => {
  it("layers examples, --inputs and --input, parsing values by their schema", () => {
    const resolved = resolveInputs(
      [{ ...adopt, example: { petId: 1, note: "example" } }],
      { input: ["petId=7", 'tags=["calm"]', "note=42"], inputsFile: file("shared.json", '{"petId":3,"note":"x"}') },
      { cwd, workflowIds, env: {} },
    );
    expect(resolved.problems).toEqual([]);
    // `note` is a string in its schema: "42" stays text; `petId` and `tags` are JSON.
    expect(resolved.inputs[0]).toEqual({ petId: 7, tags: ["calm"], note: "42" });
  });

  it("reads a file of inputs per workflow, and follows an inputs $ref", () => {
    const resolved = resolveInputs(
      [adopt, login],
      { input: [], inputsFile: file("per.json", '{"adoptPet":{"petId":2},"login":{"username":"u","password":"env:PW"}}') },
      { cwd, workflowIds, env: { PW: "hunter22" } },
    );
    expect(resolved.problems).toEqual([]);
    expect(resolved.inputs[0]).toEqual({ petId: 2 });
    expect(resolved.inputs[1]).toEqual({ username: "u", password: "hunter22" });
    expect([...resolved.fromEnvironment]).toEqual(["password"]);
    expect(Object.keys(inputProperties(login))).toEqual(["username", "password"]);
  });

  it("marks inputs read from the environment, whole, as secrets", () => {
    const resolved = resolveInputs(
      [adopt],
      { input: ["petId=5", "token=env:TOKEN"], inputsFile: file("env.json", '{"tags":["env:TAG"]}') },
      { cwd, workflowIds, env: { TOKEN: "t0ken-value", TAG: "friendly" } },
    );
    expect(resolved.problems).toEqual([]);
    expect(resolved.inputs[0]).toEqual({ petId: 5, token: "t0ken-value", tags: ["friendly"] });
    expect([...resolved.fromEnvironment].sort()).toEqual(["tags", "token"]);
  });

  it("reports every problem at once, naming the input", () => {
    const resolved = resolveInputs(
      [adopt, login],
      { input: ["petid=1", "note", "tags=env:MISSING"], inputsFile: file("bad.json", '{"petId":0,"colour":"red"}') },
      { cwd, workflowIds, env: {} },
    );
    expect(resolved.problems).toEqual([
      "--inputs: no workflow run here has an input `colour`",
      "--input petid: no workflow run here has an input `petid` (did you mean `petId`?)",
      '--input takes <name>=<value>, not "note"',
      "--input tags: environment variable MISSING is not set",
      "workflow `adoptPet`: input `petId` must be >= 1",
      "workflow `login`: input `username` is required (--input or --inputs)",
      "workflow `login`: input `password` is required (--input or --inputs)",
    ]);
  });

  it("gives each run its own inputs when two documents have the same workflowId", () => {
    const other = {
      ...document,
      workflows: [{ workflowId: "adoptPet", inputs: { type: "object", properties: { petId: { type: "integer" }, extra: { type: "string" } } } }],
    };
    const resolved = resolveInputs(
      [
        { ...adopt, example: { petId: 1 } },
        { workflowId: "adoptPet", document: other, index: 0, example: { petId: 2, extra: "x" } },
      ],
      { input: ["extra=y"] },
      {
        cwd,
        workflowIds,
        env: {},
      },
    );
    expect(resolved.problems).toEqual([]);
    expect(resolved.inputs).toEqual([{ petId: 1 }, { petId: 2, extra: "y" }]);
  });

  it("takes a file of inputs per workflow when only some of its workflows run", () => {
    const resolved = resolveInputs(
      [adopt],
      { input: [], inputsFile: file("some.json", '{"adoptPet":{"petId":4},"login":{"username":"u"}}') },
      { cwd, workflowIds, env: {} },
    );
    expect(resolved.problems).toEqual([]);
    expect(resolved.inputs).toEqual([{ petId: 4 }]);
  });

  it("says when the inputs file is missing, not JSON, or not an object, without quoting it", () => {
    const problems = (inputsFile: string) => resolveInputs([adopt], { input: ["petId=1"], inputsFile }, { cwd, workflowIds, env: {} }).problems;
    expect(problems(path.join(cwd, "nope.json"))).toEqual([`--inputs ${path.join(cwd, "nope.json")}: no such file`]);
    expect(problems(file("text.json", "petId: 1"))[0]).toMatch(/: not JSON$/);
    expect(problems(file("cut.json", '{"petId": 1,\n "password": "hunter2-very-secret"'))[0]).toMatch(/: not JSON \((line 2, column \d+|it ends too soon)\)$/);
    expect(problems(file("two.json", '{"petId": 1}\n{"password": "hunter2-very-secret"}'))[0]).toBe(
      `--inputs ${path.join(cwd, "two.json")}: not JSON (line 2, column 1)`,
    );
    expect(problems(cwd)).toEqual([`--inputs ${cwd}: cannot be read (EISDIR)`]);
    expect(problems(file("array.json", "[1]"))).toEqual([
      `--inputs ${path.join(cwd, "array.json")}: must hold a JSON object (of inputs, or of inputs per workflowId)`,
    ]);
  });
});
