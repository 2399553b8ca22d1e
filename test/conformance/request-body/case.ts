/** Request bodies: JSON payloads with templates and whole-value expressions (types kept), a whole-body expression, `replacements`, form and XML bodies. */
import type { Scenario } from "../harness.ts";

const API = "https://api.example.test/v1";
const created = { status: 201, json: { id: "new-1" } };

export const scenarios: Scenario[] = [
  {
    name: "JSON payload: whole-value expressions keep their type, embedded ones are text",
    run: "runJsonBody",
    inputs: { name: "Lamp", count: 3, price: 9.5, tag: "blue" },
    exchanges: [
      {
        request: {
          method: "POST",
          url: `${API}/items`,
          headers: { "content-type": "application/json" },
          json: {
            name: "Item Lamp",
            count: 3,
            price: 9.5,
            active: true,
            tags: ["blue", "fixed"],
            meta: { label: "Lamp-3", plain: "costs $5, {not an expression}" },
          },
        },
        response: created,
      },
    ],
    expect: { outputs: { id: "new-1" } },
  },
  {
    name: "a payload that is one expression sends the input value as is",
    run: "runWholeBody",
    inputs: { item: { name: "Desk", count: 2 } },
    exchanges: [{ request: { method: "POST", url: `${API}/items`, json: { name: "Desk", count: 2 } }, response: created }],
    expect: { outputs: { id: "new-1" } },
  },
  {
    name: "replacements set values at JSON Pointers (escaped `~1`, array index, new property)",
    run: "runReplaced",
    inputs: { name: "N", tag: "T", count: 4 },
    exchanges: [
      {
        request: {
          method: "POST",
          url: `${API}/items`,
          json: { name: "literal", tags: ["first", "T"], meta: { "a/b": "N", keep: "kept" }, count: 4 },
        },
        response: created,
      },
    ],
    expect: { outputs: { id: "new-1" } },
  },
  {
    name: "application/x-www-form-urlencoded payload is form-encoded",
    run: "runFormBody",
    inputs: { clientId: "a b&c=d/é", count: 2 },
    exchanges: [
      {
        request: {
          method: "POST",
          url: `${API}/tokens`,
          headers: { "content-type": "application/x-www-form-urlencoded" },
          form: { grant_type: "client_credentials", client_id: "a b&c=d/é", count: "2" },
        },
        response: { status: 200, json: { access_token: "tok" } },
      },
    ],
    expect: { outputs: { token: "tok" } },
  },
  {
    name: "an XML payload string is sent as the XML text, with its expressions filled in",
    run: "runXmlBody",
    inputs: { count: 3 },
    exchanges: [
      {
        request: { method: "POST", url: `${API}/notes`, headers: { "content-type": "application/xml" }, text: "<note><count>3</count></note>" },
        response: { status: 204 },
      },
    ],
    expect: { outputs: {} },
  },
];
