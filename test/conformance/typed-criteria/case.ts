/** Typed criteria: regex on `$statusCode` and a body field, RFC 9535 JSONPath, Goessner JSONPath, XPath 1.0 on an XML body; each matching and not. */
import type { Scenario } from "../harness.ts";

const API = "https://api.example.test/v1";
/** The failure of a typed criterion: its condition, its type and the context it tested (never the value: `excludes`). */
const criteriaError = (criterion: string, on: string, status: number, stepId = "check", excludes: readonly string[] = []) =>
  ({
    error: {
      name: "ArazzoStepError",
      reason: "criteria",
      stepId,
      status,
      message: [`success criterion \`${criterion}\` (${on}) not met`],
      messageExcludes: excludes,
    },
  }) as const;
const hit = (name: string, status: number, json: unknown) => [{ request: { method: "GET", url: `${API}/steps/${name}` }, response: { status, json } }];
const report = (xml: string) => [{ request: { method: "GET", url: `${API}/report` }, response: { status: 200, xml } }];

const pets = [
  { name: "Rex", type: "dog" },
  { name: "Tom", type: "cat" },
];
const goodXml = "<report><status>ok</status><item/><item/></report>";

export const scenarios: Scenario[] = [
  {
    name: "regex: matches a 2xx status and the body field",
    run: "runRegex",
    exchanges: hit("regex", 202, { label: "lab-42" }),
    expect: { outputs: { label: "lab-42" } },
  },
  {
    name: "regex: a 404 does not match `^2\\d\\d$`",
    run: "runRegex",
    exchanges: hit("regex", 404, { message: "no" }),
    expect: criteriaError("^2\\d\\d$", "regex on `$statusCode`", 404),
  },
  {
    name: "regex: a body field that does not match fails",
    run: "runRegex",
    exchanges: hit("regex", 200, { label: "lab-x" }),
    expect: criteriaError("^lab-[0-9]+$", "regex on `$response.body#/label`", 200, "check", ["lab-x"]),
  },

  {
    name: "regex with failure actions, none of which applies: the failure names the context, not the value",
    run: "runRegexActions",
    exchanges: hit("regex-actions", 200, { label: "lab-x" }),
    expect: criteriaError("^lab-[0-9]+$", "regex on `$response.body#/label`", 200, "check", ["lab-x"]),
  },

  {
    name: "jsonpath: `$[?count(@.pets) > 0]` holds with pets",
    run: "runJsonpath",
    exchanges: hit("jsonpath", 200, { pets }),
    expect: { outputs: { firstPet: "Rex" } },
  },
  // RFC 9535 `count()` counts nodes: `count(@.pets)` is 1 for `pets: []` too, so only a body without `pets` fails it.
  {
    name: "jsonpath: `$[?count(@.pets) > 0]` fails without pets",
    run: "runJsonpath",
    exchanges: hit("jsonpath", 200, { label: "none" }),
    expect: criteriaError("$[?count(@.pets) > 0]", "JSONPath on `$response.body`", 200),
  },

  {
    name: "jsonpath: `@.pets[0]`, `@.pets[-1]` and three `&&` terms hold on [dog, cat]",
    run: "runJsonpathIndexed",
    exchanges: hit("jsonpath-indexed", 200, { pets }),
    expect: { outputs: { firstPet: "Rex" } },
  },
  {
    name: "jsonpath: the same fails on [cat, dog]",
    run: "runJsonpathIndexed",
    exchanges: hit("jsonpath-indexed", 200, { pets: [...pets].reverse() }),
    expect: criteriaError("$[?@.pets[0].type == 'dog' && @.pets[-1].type == 'cat' && count(@.pets[*]) == 2]", "JSONPath on `$response.body`", 200),
  },
  {
    name: "jsonpath: the same fails with a third pet (the last `&&` term)",
    run: "runJsonpathIndexed",
    exchanges: hit("jsonpath-indexed", 200, { pets: [pets[0], { name: "Bob", type: "fish" }, pets[1]] }),
    expect: criteriaError("$[?@.pets[0].type == 'dog' && @.pets[-1].type == 'cat' && count(@.pets[*]) == 2]", "JSONPath on `$response.body`", 200),
  },

  {
    name: "goessner jsonpath: a filter selecting a dog holds",
    run: "runGoessner",
    exchanges: hit("goessner", 200, { pets }),
    expect: { outputs: { firstPet: "Rex" } },
  },
  {
    name: "goessner jsonpath: no dog, no match",
    run: "runGoessner",
    exchanges: hit("goessner", 200, { pets: [{ name: "Tom", type: "cat" }] }),
    expect: criteriaError("$.pets[?(@.type == 'dog')]", "JSONPath on `$response.body`", 200),
  },

  { name: "xpath: holds on a matching XML body", run: "runXpath", exchanges: report(goodXml), expect: { outputs: { status: 200 } } },
  {
    name: "xpath: fails on an XML body that does not match",
    run: "runXpath",
    exchanges: report("<report><status>failed</status><item/><item/></report>"),
    expect: criteriaError("/report/status[text()='ok'] and count(//item) >= 2", "XPath on `$response.body`", 200, "report"),
  },
];
