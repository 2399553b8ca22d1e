/**
 * What the run-time benchmarks (bench/runtime.mjs, bench/telemetry.mjs) share: the seed's
 * inputs, a fetch stub that answers its three requests at once with canned responses, and
 * the timing of a batch of runs.
 */
export const BASE = "https://api.fintecture.com";
const JSON_HEADERS = { "content-type": "application/json" };
const TOKEN = JSON.stringify({ access_token: "token-123", token_type: "Bearer", expires_in: 3600 });
const CONNECT = JSON.stringify({ meta: { session_id: "session-1", status: 200, code: "ok", url: "https://pay.example/connect/session-1" } });
const PAYMENT = JSON.stringify({ meta: { session_id: "session-1" }, data: { id: "session-1" }, status: "payment_created" });

/** Answers at once: the three canned responses, by path. */
export async function stubFetch(request) {
  const url = request.url;
  if (url.endsWith("/oauth/accesstoken")) return new Response(TOKEN, { status: 200, headers: JSON_HEADERS });
  if (url.endsWith("/pis/v2/connect")) return new Response(CONNECT, { status: 200, headers: JSON_HEADERS });
  if (url.includes("/pis/v2/payments/")) return new Response(PAYMENT, { status: 200, headers: JSON_HEADERS });
  return new Response("{}", { status: 404, headers: JSON_HEADERS });
}

export const INPUTS = { clientId: "id", clientSecret: "secret", amount: "12.34", currency: "EUR", communication: "Order 1234", requestId: "r-1" };

/** Wall and CPU milliseconds of `runs` sequential runs. */
export async function batch(fn, runs) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) await fn();
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000 };
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
