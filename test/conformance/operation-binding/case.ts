/** Binding steps to operations: `$sourceDescriptions.<name>.<operationId>` across two sources sharing an id, and `operationPath`. */
import type { Scenario } from "../harness.ts";

const exchanges = (store: string, billing: string) => [
  { request: { method: "GET", url: `${store}/items/7` }, response: { status: 200, json: { name: "lamp" } } },
  { request: { method: "GET", url: `${billing}/items/7` }, response: { status: 200, json: { amount: 12.5 } } },
  { request: { method: "GET", url: `${billing}/items/7` }, response: { status: 200, json: { amount: 13 } } },
  { request: { method: "GET", url: `${store}/items/7/history` }, response: { status: 200, json: { events: 3 } } },
];
const outputs = { name: "lamp", amount: 12.5, amountByPath: 13, events: 3 };

export const scenarios: Scenario[] = [
  {
    name: "each step calls the operation of the source it names, at that source's first server",
    run: "runBind",
    inputs: { id: "7" },
    exchanges: exchanges("https://store.example.test/v1", "https://billing.example.test"),
    expect: { outputs },
  },
  {
    name: "options.baseUrls overrides one source and leaves the other at its default",
    run: "runBind",
    inputs: { id: "7" },
    options: { baseUrls: { billing: "http://localhost:8080/billing/" } },
    exchanges: exchanges("https://store.example.test/v1", "http://localhost:8080/billing"),
    expect: { outputs },
  },
];
