#!/usr/bin/env node
/**
 * Runtime-overhead benchmark: `runTokenThenPayment` from the generated seed package's
 * `dist/index.js` against a hand-written sequence of the same three openapi-fetch calls
 * (a client per run, the same requests, the same status checks and output reads), both
 * over one in-process fetch stub that answers at once with canned responses. A first run of
 * each checks that both send the same requests (method, URL, headers, body) and return the
 * same outputs.
 *
 * Batches of each are interleaved (A B B A …) so drift hits both alike; prints one JSON
 * object with runs/s per batch (wall and CPU), the medians and the ratio.
 *
 * A third variant, not part of the comparison, explains part of the difference: the
 * hand-written sequence with one no-op `onResponse` middleware on each client, as the
 * generated clients install (`trackRequests`, for `options.onStep`). openapi-fetch does
 * extra work per request when a client has any middleware (an id, a frozen options
 * object, an awaited hook).
 *
 * Usage: node bench/runtime.mjs [--batches 12] [--runs 2000] [--warmup 3000]
 */
import createClient from "openapi-fetch";
import { runTokenThenPayment } from "../generated/fintecture-token-then-payment-workflow/dist/index.js";
import { BASE, batch, INPUTS, median, stubFetch } from "./seed-stub.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const BATCHES = arg("batches", 12);
const RUNS = arg("runs", 2000);
const WARMUP = arg("warmup", 3000);

function generated() {
  return runTokenThenPayment(INPUTS, { fetch: stubFetch });
}

/** What one would write by hand: the same three requests, checks and output reads. */
async function handWritten(middleware, fetch = stubFetch) {
  const oauthApi = createClient({ baseUrl: BASE, fetch });
  const pisApi = createClient({ baseUrl: BASE, fetch });
  if (middleware) {
    oauthApi.use(...middleware);
    pisApi.use(...middleware);
  }
  const token = await oauthApi.POST("/oauth/accesstoken", {
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: { grant_type: "client_credentials", scope: "PIS", client_id: INPUTS.clientId, client_secret: INPUTS.clientSecret },
    // Form-encoded, as the description says and the generated step sends it (openapi-fetch's default is JSON).
    bodySerializer: (body) => new URLSearchParams(body).toString(),
  });
  const accessToken = token.data?.access_token;
  if (token.response.status !== 200 || accessToken == null) throw new Error("mintToken failed");
  const connect = await pisApi.POST("/pis/v2/connect", {
    params: { header: { "x-request-id": INPUTS.requestId } },
    headers: { Authorization: `Bearer ${accessToken}` },
    body: {
      meta: {},
      data: {
        type: "PIS",
        attributes: { amount: INPUTS.amount, currency: INPUTS.currency, communication: INPUTS.communication, payment_method: "immediate_transfer" },
      },
    },
  });
  const sessionId = connect.data?.meta?.session_id;
  if (connect.response.status !== 200 || sessionId == null) throw new Error("createPayment failed");
  const payment = await pisApi.GET("/pis/v2/payments/{payment_id}", {
    params: { path: { payment_id: sessionId } },
    headers: { Authorization: `Bearer ${accessToken}` },
  });
  if (payment.response.status !== 200) throw new Error("getPayment failed");
  return { accessToken, sessionId, connectUrl: connect.data?.meta?.url, status: payment.data?.status };
}

/** The hand-written sequence on clients that carry one no-op `onResponse` middleware (diagnostic). */
const seen = new WeakMap();
const noOpMiddleware = {
  onResponse({ request, response }) {
    seen.set(response, request.url);
    return undefined;
  },
};
async function handWrittenWithMiddleware() {
  return handWritten([noOpMiddleware]);
}

// Same requests and outputs, or the comparison means nothing.
async function sentRequests(run) {
  const sent = [];
  const recording = async (request) => {
    sent.push({ method: request.method, url: request.url, headers: [...request.headers].sort(), body: await request.clone().text() });
    return stubFetch(request);
  };
  const outputs = await run(recording);
  return { outputs, sent };
}
const a = await sentRequests((fetch) => runTokenThenPayment(INPUTS, { fetch }));
const b = await sentRequests((fetch) => handWritten(undefined, fetch));
if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`requests or outputs differ: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);

const VARIANTS = { generated, handWritten: () => handWritten(), handWrittenWithMiddleware };
for (const fn of Object.values(VARIANTS)) await batch(fn, WARMUP);

const ms = { generated: [], handWritten: [], handWrittenWithMiddleware: [] };
const cpu = { generated: [], handWritten: [], handWrittenWithMiddleware: [] };
for (let i = 0; i < BATCHES; i++) {
  const order = i % 2 === 0 ? ["generated", "handWritten", "handWrittenWithMiddleware"] : ["handWrittenWithMiddleware", "handWritten", "generated"];
  for (const name of order) {
    const t = await batch(VARIANTS[name], RUNS);
    ms[name].push(t.wall);
    cpu[name].push(t.cpu);
  }
}
const perSec = (list) => list.map((t) => (RUNS * 1000) / t);
const summary = (name) => {
  const ops = perSec(ms[name]);
  return { opsPerSec: ops, opsPerCpuSec: perSec(cpu[name]), median: median(ops), max: Math.max(...ops), medianUsPerRun: (median(ms[name]) * 1000) / RUNS };
};
const gen = summary("generated");
const hand = summary("handWritten");
const handMw = summary("handWrittenWithMiddleware");
// Per-pair ratios (each pair ran back to back): time(generated) / time(hand-written).
const pairRatios = ms.generated.map((t, i) => t / ms.handWritten[i]);
console.log(
  JSON.stringify({
    batches: BATCHES,
    runsPerBatch: RUNS,
    warmupRuns: WARMUP,
    generated: gen,
    handWritten: hand,
    handWrittenWithMiddleware: handMw,
    // time(generated) / time(hand-written): 1.10 means the generated run is 10% slower.
    ratio: hand.median / gen.median,
    pairRatios,
    // diagnostic: what one no-op middleware per client costs the hand-written sequence
    middlewareRatio: hand.median / handMw.median,
    middlewarePairRatios: ms.handWrittenWithMiddleware.map((t, i) => t / ms.handWritten[i]),
    maxRSSMB: process.resourceUsage().maxRSS / 1024,
  }),
);
