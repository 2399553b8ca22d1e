// The JUnit and HAR writers of `arazzo-ts run --report`, from run reports in fixtures/ (checked against
// run-report.schema.json): the JUnit XML read back by junit2json (a maintained JUnit XML parser, on xml2js) and
// fast-xml-parser's validator, the HAR checked against the HAR 1.2 JSON Schema of `har-schema`.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Ajv, type AnySchemaObject } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { XMLValidator } from "fast-xml-parser";
import type { Entry, Har } from "har-format";
import { parse, type TestCase, type TestSuite, type TestSuites } from "junit2json";
import { describe, expect, test } from "vitest";
import { harReport, harText } from "../../generator/run/report-har.ts";
import { junitReport, SYSTEM_OUT_MAX_STEPS } from "../../generator/run/report-junit.ts";
import type { RunReport, StepRunReport } from "../../generator/run/report.ts";

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, "../..");
// ajv-formats is CommonJS: its plugin is the module itself or its `default`, depending on the loader.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv | Ajv2020) => void;

function fixture(name: "passing" | "failing" | "special"): RunReport {
  return JSON.parse(readFileSync(path.join(root, "test/run/fixtures", `${name}.json`), "utf8")) as RunReport;
}
const fixtures = { passing: fixture("passing"), failing: fixture("failing"), special: fixture("special") };

describe("fixtures", () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(path.join(root, "generator/run/run-report.schema.json"), "utf8")));

  test.each(Object.keys(fixtures) as (keyof typeof fixtures)[])("%s.json is a valid run report whose summary fits its runs", (name) => {
    const report = fixtures[name];
    expect(validate(report), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const runs = report.documents.flatMap((d) => d.workflows);
    expect(report.summary.workflows).toEqual({
      passed: runs.filter((r) => r.status === "passed").length,
      failed: runs.filter((r) => r.status === "failed").length,
    });
    expect(report.summary.steps).toBe(runs.flatMap((r) => r.steps).length);
    expect(report.summary.requests).toBe(runs.flatMap((r) => r.steps.flatMap((s) => s.exchanges)).length);
  });
});

// ---------------------------------------------------------------- JUnit

/** The XML 1.0 `Char` production (§2.2): anything else makes the document not well-formed. */
const XML_CHARS = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

async function junit(report: RunReport): Promise<{ xml: string; suites: TestSuites }> {
  const xml = junitReport(report);
  expect(XMLValidator.validate(xml)).toBe(true);
  expect(xml).toMatch(XML_CHARS);
  const suites = await parse(xml);
  if (!suites || !("testsuite" in suites)) throw new Error(`no <testsuites> root: ${xml.slice(0, 200)}`);
  return { xml, suites: suites as TestSuites };
}

function onlyCase(suite: TestSuite | undefined): TestCase {
  expect(suite?.testcase).toHaveLength(1);
  return suite!.testcase![0]!;
}

describe("junitReport", () => {
  test("a passing run: one suite per document, one case per run, counts, times and the steps in system-out", async () => {
    const { xml, suites } = await junit(fixtures.passing);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(xml.endsWith("</testsuites>\n")).toBe(true);
    expect(suites).toMatchObject({ name: "arazzo-ts run", tests: 1, failures: 0, errors: 0, time: 0.413 });
    expect(xml).toContain('timestamp="2025-06-02T09:15:00.000Z"');
    expect(suites.testsuite).toHaveLength(1);
    const suite = suites.testsuite![0]!;
    expect(suite).toMatchObject({
      name: "specs/fintecture/arazzo/fintecture-token-then-payment-workflow.yml",
      tests: 1,
      failures: 0,
      errors: 0,
      time: 0.398,
      timestamp: "2025-06-02T09:15:00.012Z",
    });
    expect(suite.properties).toEqual([
      { name: "title", value: "Fintecture Mint Token then Initiate Payment" },
      { name: "mock", value: "false" },
    ]);
    const testcase = onlyCase(suite);
    expect(testcase).toMatchObject({ name: "token-then-payment", classname: "specs/fintecture/arazzo/fintecture-token-then-payment-workflow", time: 0.398 });
    expect(testcase.failure).toBeUndefined();
    expect(testcase.error).toBeUndefined();
    expect(testcase["system-out"]).toEqual([
      [
        "Steps as the run took them (3):",
        "  1.  mintToken      POST /oauth/accesstoken            200  121.5 ms  next",
        "  2.  createPayment  POST /pis/v2/connect               200  187 ms    next",
        "  3.  getPayment     GET /pis/v2/payments/{payment_id}  200  88.1 ms   end",
      ].join("\n"),
    ]);
  });

  test("a failed run: a failure naming the step, the reason and the status, and the steps the run took", async () => {
    const { suites } = await junit(fixtures.failing);
    expect(suites).toMatchObject({ tests: 2, failures: 2, errors: 0, time: 3.904 });
    const [poll, refund] = suites.testsuite!;
    expect(poll).toMatchObject({
      name: "specs/fintecture/arazzo/fintecture-customer-verification-poll-workflow.yml",
      tests: 1,
      failures: 1,
      errors: 0,
      time: 3.523,
    });
    const testcase = onlyCase(poll);
    expect(testcase).toMatchObject({
      name: "customer-verification-poll",
      classname: "specs/fintecture/arazzo/fintecture-customer-verification-poll-workflow",
      time: 3.523,
    });
    expect(testcase["system-out"]).toBeUndefined();
    expect(testcase.failure).toHaveLength(1);
    const failure = testcase.failure![0]!;
    const message =
      "step pollVerification failed (criteria, HTTP 404): success criterion `$statusCode == 200` not met (HTTP 404), after 2 attempts (1 s waited)";
    expect(failure.message).toBe(message);
    expect(failure.type).toBe("criteria");
    expect(failure.inner).toBe(
      [
        message,
        "",
        "Steps as the run took them (5):",
        "  1.  createCustomer       POST /v1/customers                                              201  140.2 ms  next",
        "  2.  startVerification    POST /v1/customers/{customer_id}/verifications                  201  160.4 ms  next",
        "  3.  pollVerification     GET /v1/customers/{customer_id}/verification/{verification_id}  200  95.3 ms   goto pollVerification (pending) after 2000 ms",
        "  4.  pollVerification #2  GET /v1/customers/{customer_id}/verification/{verification_id}  404  52.8 ms   retry pollVerification (retryNotFound) after 1000 ms",
        "      not met: $statusCode == 200",
        "  5.  pollVerification #3  GET /v1/customers/{customer_id}/verification/{verification_id}  404  61.9 ms   fail (retryNotFound)",
        "      not met: $statusCode == 200",
      ].join("\n"),
    );

    expect(refund).toMatchObject({ name: "specs/fintecture/arazzo/fintecture-payment-refund-workflow.yml", tests: 1, failures: 1, errors: 0, time: 0.361 });
    const noResponse = onlyCase(refund).failure![0]!;
    expect(noResponse.message).toBe("step createRefund failed (request): request failed: TypeError (ECONNREFUSED: connection refused)");
    expect(noResponse.type).toBe("request");
    expect(noResponse.inner).toContain("  1.  getPayment    GET /pis/v2/payments/{payment_id}  401, 200     301.2 ms  goto createRefund (refundable)\n");
    expect(noResponse.inner).toContain("  2.  createRefund  POST /pis/v2/refund                no response  57.6 ms   fail\n");
    expect(noResponse.inner).toContain("no response to POST https://api-sandbox.fintecture.com/pis/v2/refund: TypeError (ECONNREFUSED: connection refused)");
  });

  test("counts agree with the report's summary", async () => {
    for (const report of Object.values(fixtures)) {
      const { suites } = await junit(report);
      const { passed, failed } = report.summary.workflows;
      expect(suites.tests).toBe(passed + failed);
      expect((suites.failures ?? 0) + (suites.errors ?? 0)).toBe(failed);
      expect(suites.testsuite!.map((s) => s.tests)).toEqual(report.documents.map((d) => d.workflows.length));
      const cases = suites.testsuite!.flatMap((s) => s.testcase ?? []);
      expect(cases.filter((c) => c.failure || c.error)).toHaveLength(failed);
    }
  });

  test("XML-special, non-ASCII and characters XML does not allow: escaped, kept, or replaced by U+FFFD", async () => {
    const { xml, suites } = await junit(fixtures.special);
    expect(suites).toMatchObject({ tests: 3, failures: 1, errors: 1 });
    const suite = suites.testsuite![0]!;
    expect(suite).toMatchObject({ name: "specs/boutique/paiements-été.arazzo.yaml", tests: 3, failures: 1, errors: 1 });
    expect(suite.properties![0]).toEqual({ name: "title", value: 'Paiements <été> & "remboursements" 🚀' });
    const [failed, thrown, passed] = suite.testcase!;

    expect(failed).toMatchObject({ name: "créer-paiement", classname: "specs/boutique/paiements-été", time: 0.42 });
    const failure = failed!.failure![0]!;
    expect(failure.message).toBe(
      `step vérifier<&>"' failed (criteria, HTTP 409): success criterion \`$statusCode == 204 && $response.header.x-état != "<refusé>"\` not met (HTTP 409) \uFFFD\uFFFD[31m🚀]]>`,
    );
    expect(failure.inner).toContain(
      `  1.  vérifier<&>"'  POST /paiements/{référence}  409  410 ms  fail\n      not met: $statusCode == 204 && $response.header.x-état != "<refusé>"`,
    );

    // An error that is not a step's failure is an <error>, its line breaks and tabs kept in the attribute.
    expect(thrown!.failure).toBeUndefined();
    const error = thrown!.error![0]!;
    expect(error.type).toBe("TypeError");
    expect(error.message).toBe(
      "workflow récupérer-commande failed (TypeError): Cannot read properties of undefined (reading 'montant')\n\tat « sortie » <&> &amp;",
    );
    expect(error.inner).toContain("  1.  lire]]>commande  GET /commandes/{id}  303  500 ms  end");

    expect(passed!["system-out"]![0]).toContain(`vérifier<&>"'  POST /paiements/{référence}  204  290 ms  end`);
    // What the XML text holds for them.
    expect(xml).not.toContain("\u0001");
    expect(xml).not.toContain("]]>");
    expect(xml).toContain("&lt;refusé&gt;");
    // Line breaks and tabs in an attribute are character references: a conforming parser turns literal ones into spaces (XML 1.0 §3.3.3).
    expect(xml).toContain(`(reading &apos;montant&apos;)&#10;&#9;at « sortie » &lt;&amp;&gt; &amp;amp;" type="TypeError">`);
  });

  test("the same report gives the same bytes", () => {
    for (const report of Object.values(fixtures)) expect(junitReport(structuredClone(report))).toBe(junitReport(report));
  });

  test(`a passed run lists its steps in system-out up to ${SYSTEM_OUT_MAX_STEPS}, then only says how many`, async () => {
    const withSteps = (n: number): RunReport => {
      const report = structuredClone(fixtures.passing) as unknown as { documents: { workflows: { steps: StepRunReport[] }[] }[] };
      const run = report.documents[0]!.workflows[0]!;
      const poll = run.steps[2]!;
      run.steps = Array.from({ length: n }, (_, i) => ({ ...poll, attempt: i + 1 }));
      return report as unknown as RunReport;
    };
    const listed = onlyCase((await junit(withSteps(SYSTEM_OUT_MAX_STEPS))).suites.testsuite![0])["system-out"]![0]!;
    expect(listed.split("\n")).toHaveLength(SYSTEM_OUT_MAX_STEPS + 1);
    expect(listed).toContain(`getPayment #${SYSTEM_OUT_MAX_STEPS}`);
    const summarized = onlyCase((await junit(withSteps(SYSTEM_OUT_MAX_STEPS + 1))).suites.testsuite![0])["system-out"];
    expect(summarized).toEqual([`${SYSTEM_OUT_MAX_STEPS + 1} steps taken (more than ${SYSTEM_OUT_MAX_STEPS}: not listed)`]);
  });

  test("a report without documents is an empty, valid <testsuites>", async () => {
    const empty: RunReport = { ...fixtures.passing, documents: [], summary: { workflows: { passed: 0, failed: 0 }, steps: 0, requests: 0 } };
    const xml = junitReport(empty);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('<testsuites name="arazzo-ts run" tests="0" failures="0" errors="0" time="0.413"');
  });
});

// ---------------------------------------------------------------- HAR

/**
 * The HAR 1.2 schema of `har-schema` (draft-06), strict: its own keywords made real (`min` is the
 * spec's lower bound of numbers, `unique` and `optional` are notes) and its formats checked.
 */
function harValidator() {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
  ajv.addMetaSchema(require("ajv/dist/refs/json-schema-draft-06.json"));
  addFormats(ajv);
  ajv.addKeyword({ keyword: "min", type: "number", schemaType: "number", validate: (min: number, value: number) => value >= min });
  ajv.addKeyword({ keyword: "optional", schemaType: "boolean" });
  ajv.addKeyword({ keyword: "unique", schemaType: "boolean" });
  const schemas = require("har-schema") as Record<string, AnySchemaObject>;
  for (const schema of Object.values(schemas)) ajv.addSchema(schema);
  return ajv.getSchema("har.json#")!;
}

describe("harReport", () => {
  const validate = harValidator();

  test("the validator is not vacuous: it refuses a HAR with a wrong field", () => {
    const har = structuredClone(harReport(fixtures.passing)) as any;
    expect(validate(har)).toBe(true);
    delete har.log.entries[0].response.status;
    expect(validate(har)).toBe(false);
    const negative = structuredClone(harReport(fixtures.passing)) as any;
    negative.log.entries[0].timings.wait = -5;
    expect(validate(negative)).toBe(false);
  });

  test.each(Object.keys(fixtures) as (keyof typeof fixtures)[])("%s.json: valid HAR 1.2, every exchange an entry of its run's page", (name) => {
    const report = fixtures[name];
    const har = harReport(report);
    expect(validate(har), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(har.log.version).toBe("1.2");
    expect(har.log.creator).toEqual({ name: "arazzo-ts", version: report.tool.version });

    const runs = report.documents.flatMap((d) => d.workflows.map((run) => ({ document: d.file, run })));
    const pages = har.log.pages!;
    expect(pages).toHaveLength(runs.length);
    expect(new Set(pages.map((p) => p.id)).size).toBe(pages.length);
    for (const [i, { run }] of runs.entries()) {
      expect(pages[i]).toMatchObject({ startedDateTime: run.startedAt, pageTimings: { onContentLoad: -1, onLoad: run.durationMs } });
    }

    const exchanges = runs.flatMap(({ run }, page) => run.steps.flatMap((step) => step.exchanges.map((exchange) => ({ page, step, exchange }))));
    expect(har.log.entries).toHaveLength(report.summary.requests);
    har.log.entries.forEach((entry, i) => {
      const { page, step, exchange } = exchanges[i]!;
      expect(entry.pageref).toBe(pages[page]!.id);
      expect(entry.startedDateTime).toBe(exchange.startedAt);
      expect(entry.request.url).toBe(exchange.request.url);
      expect(entry.request.headers).toEqual(exchange.request.headers);
      expect(entry.comment).toContain(`workflow ${step.workflowId}, step ${step.stepId}`);
      // What is known is the whole exchange: it is `wait`, and `time` is the sum of the timings that apply.
      expect(entry.timings).toEqual({ blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: exchange.durationMs, receive: 0 });
      const applying = Object.entries(entry.timings).filter(([k, v]) => k !== "ssl" && typeof v === "number" && v >= 0);
      expect(entry.time).toBe(applying.reduce((sum, [, v]) => sum + (v as number), 0));
      expect(entry.cache).toEqual({});
      expect(entry.request.headersSize).toBe(-1);
      expect(entry.response.headersSize).toBe(-1);
    });
  });

  test("pages: one per workflow run, <document>#<workflowId>#<n>, n counting a workflow's runs in its document", () => {
    const har = harReport(fixtures.special);
    const doc = "specs/boutique/paiements-été.arazzo.yaml";
    expect(har.log.pages!.map((p) => p.id)).toEqual([`${doc}#créer-paiement#1`, `${doc}#récupérer-commande#1`, `${doc}#créer-paiement#2`]);
    expect(har.log.entries.map((e) => e.pageref)).toEqual([`${doc}#créer-paiement#1`, `${doc}#récupérer-commande#1`, `${doc}#créer-paiement#2`]);
    expect(har.log.pages![0]!.title).toBe("créer-paiement: Créer un paiement <en €> & le vérifier");
    expect(har.log.pages![1]!.title).toBe("récupérer-commande");

    const failing = harReport(fixtures.failing);
    expect(failing.log.pages!.map((p) => p.id)).toEqual([
      "specs/fintecture/arazzo/fintecture-customer-verification-poll-workflow.yml#customer-verification-poll#1",
      "specs/fintecture/arazzo/fintecture-payment-refund-workflow.yml#payment-refund#1",
    ]);
    expect(failing.log.entries.map((e) => e.pageref?.split("#")[1])).toEqual([
      ...Array(5).fill("customer-verification-poll"),
      ...Array(3).fill("payment-refund"),
    ]);
    expect(failing.log.pages![0]!.comment).toBe(
      "Fintecture Customer Verification Poll: failed at step pollVerification (criteria, HTTP 404): workflow `customer-verification-poll`, step `pollVerification`: success criterion `$statusCode == 200` not met (HTTP 404), after 2 attempts (1 s waited)",
    );
  });

  test("requests: query string from the URL, cookies from Cookie, postData with its text and MIME type, body sizes", () => {
    const [token, connect, payment] = harReport(fixtures.passing).log.entries as [Entry, Entry, Entry];
    expect(token.request.method).toBe("POST");
    expect(token.request.postData).toEqual({
      mimeType: "application/x-www-form-urlencoded",
      text: "grant_type=client_credentials&app_id=app-4f1c2e&scope=PIS&client_secret=%5Bmasked%5D",
    });
    expect(token.request.bodySize).toBe(84);
    expect(token.request.queryString).toEqual([]);
    expect(token.request.headers).toContainEqual({ name: "authorization", value: "[masked]" });

    expect(connect.request.queryString).toEqual([
      { name: "state", value: "order-0142" },
      { name: "redirect_uri", value: "https://shop.example.com/return" },
      { name: "language", value: "fr" },
    ]);
    expect(connect.request.postData?.mimeType).toBe("application/json");
    expect(JSON.parse(connect.request.postData!.text!)).toMatchObject({ data: { attributes: { amount: "149.90" } } });
    // A masked Cookie header is one nameless cookie (RFC 6265bis), its value as the report has it.
    expect(connect.request.cookies).toEqual([{ name: "", value: "[masked]" }]);

    expect(payment.request.postData).toBeUndefined();
    expect(payment.request.bodySize).toBe(0);

    const [, order, thé] = harReport(fixtures.special).log.entries as [Entry, Entry, Entry];
    expect(order.request.queryString).toEqual([
      { name: "q", value: "café crème" },
      { name: "tag", value: "a" },
      { name: "tag", value: "b" },
      { name: "empty", value: "" },
    ]);
    expect(order.request.cookies).toEqual([
      { name: "lang", value: "fr-FR" },
      { name: "thème", value: "sombre" },
      { name: "", value: "drapeau" },
    ]);
    expect(thé.request.postData).toEqual({ mimeType: "text/plain; charset=utf-8", text: "Thé ✓ <ok>" });
    expect(thé.request.bodySize).toBe(13);
  });

  test("responses: content, Set-Cookie cookies, redirectURL, sizes known and unknown", () => {
    const [token, , payment] = harReport(fixtures.passing).log.entries as [Entry, Entry, Entry];
    // Content-Length tells the size received; the text is shorter, its token masked.
    expect(token.response).toMatchObject({ status: 200, statusText: "OK", redirectURL: "", bodySize: 1187 });
    expect(token.response.content).toEqual({
      size: 1187,
      mimeType: "application/json; charset=utf-8",
      text: '{"access_token":"[masked]","token_type":"Bearer","expires_in":3599,"scope":"PIS"}',
    });
    // gzip without Content-Length: the bytes received are not known, the decoded text's are.
    expect(payment.response.bodySize).toBe(-1);
    expect(payment.response.content.size).toBe(Buffer.byteLength(fixtures.passing.documents[0]!.workflows[0]!.steps[2]!.exchanges[0]!.response!.body!.text));

    const created = harReport(fixtures.failing).log.entries[0]!;
    expect(created.response.redirectURL).toBe("https://api-sandbox.fintecture.com/v1/customers/cus_81f2");

    const [, order, thé] = harReport(fixtures.special).log.entries as [Entry, Entry, Entry];
    expect(order.response).toMatchObject({ status: 303, statusText: "See Other", redirectURL: "/paiements/42?état=ok", bodySize: -1 });
    expect(order.response.cookies).toEqual([
      { name: "session", value: "abc123", path: "/", domain: "boutique.example", expires: "2027-06-09T10:18:14.000Z", httpOnly: true, secure: true },
      { name: "préférences", value: "compact", path: "/commandes", httpOnly: false, secure: false },
    ]);
    expect(order.response.content).toMatchObject({ mimeType: "text/plain; charset=utf-8", text: "Voir l’autre page: ééé", size: 27 });
    expect(order.response.content.comment).toMatch(/^truncated/);
    expect(thé.response).toMatchObject({ status: 204, bodySize: 0, content: { size: 0, mimeType: "x-unknown" } });
    expect(thé.response.content.text).toBeUndefined();
  });

  test("no body after a HEAD request or a 304, whatever Content-Length says", () => {
    const sized = (method: string, status: number) => {
      const report = structuredClone(fixtures.passing) as any;
      const exchange = report.documents[0].workflows[0].steps[2].exchanges[0];
      exchange.request.method = method;
      exchange.response = { status, statusText: "", headers: [{ name: "Content-Length", value: "1234" }] };
      return harReport(report).log.entries[2]!.response;
    };
    expect(sized("HEAD", 200).bodySize).toBe(0);
    expect(sized("GET", 304).bodySize).toBe(0);
    expect(sized("GET", 204).bodySize).toBe(0);
    expect(sized("GET", 200).bodySize).toBe(1234);
  });

  test("a request that got no response: status 0, the error in response._error and the comment, still valid HAR", () => {
    const har = harReport(fixtures.failing);
    expect(validate(har)).toBe(true);
    const entries = har.log.entries;
    const refused = entries[7]!;
    expect(refused.request).toMatchObject({ method: "POST", url: "https://api-sandbox.fintecture.com/pis/v2/refund" });
    expect(refused.request.postData?.mimeType).toBe("application/json");
    expect(refused.response).toEqual({
      status: 0,
      statusText: "",
      httpVersion: "",
      cookies: [],
      headers: [],
      content: { size: 0, mimeType: "x-unknown" },
      redirectURL: "",
      headersSize: -1,
      bodySize: -1,
      _error: "TypeError (ECONNREFUSED: connection refused)",
    });
    expect(refused.time).toBe(55.9);
    expect(refused.comment).toBe("workflow payment-refund, step createRefund: no response (TypeError (ECONNREFUSED: connection refused))");

    // The step before it sent twice (a 401, then a fresh token): both entries, numbered.
    expect(entries[5]!.comment).toBe("workflow payment-refund, step getPayment, request 1 of 2");
    expect(entries[5]!.response.status).toBe(401);
    expect(entries[6]!.comment).toBe("workflow payment-refund, step getPayment, request 2 of 2");
    // A retried step's attempts are named.
    expect(entries[3]!.comment).toBe("workflow customer-verification-poll, step pollVerification (attempt 2)");
    expect(entries[4]!.response.status).toBe(404);
  });

  test("harText: the same HAR as JSON text, the same bytes for the same report, ending with a newline", () => {
    const text = harText(fixtures.special);
    expect(text.endsWith("}\n")).toBe(true);
    expect(JSON.parse(text) as Har).toEqual(harReport(fixtures.special));
    expect(harText(structuredClone(fixtures.special))).toBe(text);
    // A lone surrogate and a NUL in a body stay in the text, escaped by JSON.
    expect(text).toContain("\\ud83d \\u0000 fin");
  });
});
