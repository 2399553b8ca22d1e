/**
 * Arazzo 1.1 step-level `dependsOn`: steps run as soon as what they depend on (declared, and
 * the steps whose outputs they read) is done, independent ones concurrently, which the mock
 * proves by holding one step's response until the other step's request has arrived. The first
 * failure aborts the steps still running and fails the run; a step whose dependency failed
 * never starts.
 */
import type { Scenario } from "../harness.ts";

const url = (name: string) => `https://api.example.test/v1/steps/${name}`;

export const scenarios: Scenario[] = [
  {
    name: "independent steps run concurrently; a step starts once its dependencies are done",
    run: "runFanOut",
    exchanges: [
      // `first` is answered only once `second` was sent: the two were open together.
      { request: { method: "GET", url: url("first") }, response: { status: 200, json: { state: "done" }, heldUntil: `GET ${url("second")}` } },
      { request: { method: "GET", url: url("second") }, response: { status: 200, json: { label: "two" } } },
      { request: { method: "GET", url: url("join"), headers: { authorization: "done" } }, response: { status: 200, json: { state: "pending" } } },
    ],
    expect: { outputs: { first: "done", second: "two", join: "pending" } },
  },
  {
    name: "the first failure fails the run, aborts the step still open, and the step after them never starts",
    run: "runFanOut",
    exchanges: [
      { request: { method: "GET", url: url("first") }, response: { status: 200, json: { state: "done" }, delayMs: 2000 } },
      { request: { method: "GET", url: url("second") }, response: { status: 503, json: { message: "busy" } } },
    ],
    expect: { error: { name: "ArazzoStepError", reason: "criteria", stepId: "second", status: 503 } },
    withinMs: 1500,
  },
];
