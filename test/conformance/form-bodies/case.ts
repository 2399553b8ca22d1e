/**
 * Form bodies (issue 22 item 4): payload keys in bracket notation (`metadata[order_id]`,
 * `line_items[0][price]`, Stripe's convention) name nested fields of the body schema and are
 * sent as the description's `encoding` says (`style: deepObject`: in brackets, at every
 * level); whole values by OpenAPI's defaults (an object as JSON, an array one pair per item)
 * or their `style`; `multipart/form-data` with the same names, one part each.
 */
import type { Scenario } from "../harness.ts";

const API = "https://api.example.test/v1";
const created = { status: 200, json: { id: "ch_1" } };
const form = { "content-type": "application/x-www-form-urlencoded" };

export const scenarios: Scenario[] = [
  {
    name: "bracket keys are sent in bracket notation, percent-encoded, in payload order",
    run: "runStripeCharge",
    inputs: { orderId: "o 1", quantity: 2, city: "Zürich", method: "express" },
    exchanges: [
      {
        request: {
          method: "POST",
          url: `${API}/charges`,
          headers: form,
          text: [
            "amount=2000",
            "currency=eur",
            "metadata%5Border_id%5D=o+1",
            "metadata%5Bnote%5D=a+b%26c%3Dd%2F%C3%A9",
            "line_items%5B0%5D%5Bprice%5D=price_1",
            "line_items%5B0%5D%5Bquantity%5D=2",
            "line_items%5B1%5D%5Bprice%5D=price_2",
            "shipping%5Bmethod%5D=express",
            "shipping%5Baddress%5D%5Bcity%5D=Z%C3%BCrich",
            "expand%5B0%5D=customer",
            // A property whose name is itself `filter[status]` is sent under that name.
            "filter%5Bstatus%5D=open",
          ].join("&"),
        },
        response: created,
      },
    ],
    expect: { outputs: { id: "ch_1" } },
  },
  {
    name: "a field given whole and in brackets is merged; a replacement targets `/metadata[plan]`; absent optional inputs are left out",
    run: "runMergedCharge",
    inputs: { orderId: "o-2" },
    exchanges: [
      {
        request: {
          method: "POST",
          url: `${API}/charges`,
          headers: form,
          text: [
            "amount=500",
            "metadata%5Bplan%5D=team",
            "metadata%5Border_id%5D=o-2",
            "shipping%5Bname%5D=Jo",
            "shipping%5Baddress%5D%5Bline1%5D=1+Main+St",
            "shipping%5Baddress%5D%5Bcity%5D=Paris",
            "line_items%5B0%5D%5Bprice%5D=price_1",
            "line_items%5B0%5D%5Bquantity%5D=3",
          ].join("&"),
        },
        response: created,
      },
    ],
    expect: { outputs: { id: "ch_1" } },
  },
  {
    name: "without `encoding`: bracket keys as written; a whole object as JSON, an array as one pair per item",
    run: "runUndeclared",
    exchanges: [
      {
        request: { method: "POST", url: `${API}/orders`, headers: form, text: "amount=100&metadata%5Border_id%5D=o-1&line_items%5B0%5D%5Bprice%5D=price_1" },
        response: created,
      },
      {
        request: {
          method: "POST",
          url: `${API}/orders`,
          headers: form,
          text: [
            "amount=100",
            "metadata=%7B%22order_id%22%3A%22o-1%22%7D",
            "line_items=%7B%22price%22%3A%22price_1%22%2C%22quantity%22%3A2%7D",
            "line_items=%7B%22price%22%3A%22price_2%22%7D",
            "expand=customer",
            "expand=invoice",
          ].join("&"),
        },
        response: created,
      },
    ],
    expect: { outputs: {} },
  },
  {
    name: "`style: form` flattens an object (explode) or joins a list with commas; `pipeDelimited` with `|`; `contentType: application/json` quotes a string",
    run: "runStyles",
    exchanges: [
      {
        request: { method: "POST", url: `${API}/subscriptions`, headers: form, text: "name=Jo&city=Paris&tags=a%2Cb&codes=x%7Cy&plan=%22pro%22" },
        response: created,
      },
    ],
    expect: { outputs: {} },
  },
  {
    name: "multipart/form-data: one part per pair, bracket names for `deepObject`, the Content-Type with its boundary",
    run: "runUpload",
    inputs: { orderId: "o-3" },
    exchanges: [
      {
        request: {
          method: "POST",
          url: `${API}/files`,
          multipart: [
            ["purpose", "dispute_evidence"],
            ["tags", "a"],
            ["tags", "b"],
            ["metadata[order_id]", "o-3"],
            ["file_link_data[create]", "true"],
          ],
        },
        response: created,
      },
    ],
    expect: { outputs: { id: "ch_1" } },
  },
];
