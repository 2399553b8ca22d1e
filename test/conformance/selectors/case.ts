/** Arazzo 1.1 Selector Objects that are plain paths, in step outputs, a parameter value and workflow outputs: read as the expressions they are. */
import type { Scenario } from "../harness.ts";

const url = (name: string) => `https://api.example.test/v1/steps/${name}`;

export const scenarios: Scenario[] = [
  {
    name: "each selector reads the value its path names",
    run: "runSelect",
    exchanges: [
      {
        request: { method: "GET", url: url("list") },
        response: { status: 200, json: { pets: [{ name: "rex", type: "dog" }, { name: "tom", type: "cat" }] } },
      },
      { request: { method: "GET", url: url("rex") }, response: { status: 200, json: { label: "found rex" } } },
    ],
    expect: { outputs: { firstPet: "rex", secondType: "cat", label: "found rex" } },
  },
];
