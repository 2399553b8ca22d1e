/**
 * Parameters a description leaves out (issue 22, kind 2): a path parameter its template names
 * behind a `$ref` that does not resolve, one that refers to itself, one not declared at all
 * (each sent as text, `undeclared-parameter`), and a query parameter of an operation whose
 * parameter `$ref`s do not all resolve (sent untyped).
 */
import type { Scenario } from "../harness.ts";

const API = "https://support.example.test";

export const scenarios: Scenario[] = [
  {
    name: "each parameter is sent where the template and the step put it",
    run: "runReadTicket",
    inputs: { ticketId: "T-100" },
    exchanges: [
      { request: { method: "GET", url: `${API}/tickets/T-100?expand=comments` }, response: { status: 200, json: { subject: "Printer" } } },
      { request: { method: "GET", url: `${API}/pets/7` }, response: { status: 204 } },
      { request: { method: "GET", url: `${API}/users/u%201` }, response: { status: 204 } },
    ],
    expect: { outputs: { subject: "Printer" } },
  },
];
