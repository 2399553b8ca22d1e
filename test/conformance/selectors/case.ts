/**
 * Arazzo 1.1 Selector Objects: plain paths in step outputs, a parameter value and workflow
 * outputs, read as the expressions they are; a JSONPath query that may select several values
 * and an XPath expression in step outputs, read at run time.
 */
import type { Scenario } from "../harness.ts";

const url = (name: string) => `https://api.example.test/v1/steps/${name}`;

export const scenarios: Scenario[] = [
  {
    name: "each selector reads the value its path names",
    run: "runSelect",
    exchanges: [
      {
        request: { method: "GET", url: url("list") },
        response: {
          status: 200,
          json: {
            pets: [
              { name: "rex", type: "dog" },
              { name: "tom", type: "cat" },
            ],
          },
        },
      },
      { request: { method: "GET", url: url("rex") }, response: { status: 200, json: { label: "found rex" } } },
      { request: { method: "GET", url: "https://api.example.test/v1/report" }, response: { status: 200, xml: "<report><status>ok</status></report>" } },
    ],
    expect: { outputs: { names: ["rex", "tom"], status: "ok", firstPet: "rex", secondType: "cat", label: "found rex" } },
  },
];
