/**
 * The `html` report (`generator/run/report-html.ts`, `flowchart-svg.ts`), written from the
 * fixtures `fixtures/html-report-*.json` (a poll loop, a failing run, a straight line, a retry
 * and a hand-over to another workflow; bodies that hold `</script><img …>`; secrets masked as
 * `[masked]` by the caller) and opened in a real headless Chromium: Debian's `/usr/bin/chromium`
 * driven by playwright-core, nothing downloaded. Every request the page makes is routed and
 * counted (there must be none but the file), and screenshots of the pages go to
 * `test/run/.out/html-report/` to be looked at.
 *
 * Without Chromium the browser suite is skipped, except when `CI` is set: then it fails. The
 * checks on the page's source run without it.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { flowchartModel, flowchartSvg } from "../../generator/run/flowchart-svg.ts";
import { htmlReport } from "../../generator/run/report-html.ts";
import type { RunReport } from "../../generator/run/report.ts";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
/** Markup in the API's data: it must stay text. (Masking happens before a report is written: test/run/run-command.test.ts checks every report kind for secrets.) */
const XSS = "</script><img src=x onerror=alert(1)>";
const OUT = path.join(import.meta.dirname, ".out", "html-report");
const FIXTURES = path.join(import.meta.dirname, "fixtures");

const fixture = (name: string) => JSON.parse(readFileSync(path.join(FIXTURES, `html-report-${name}.json`), "utf8")) as RunReport;
const run = (report: RunReport, workflowId: string) => report.documents.flatMap((d) => d.workflows).find((w) => w.workflowId === workflowId)!;
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("base64");

describe("fixtures", () => {
  const files = readdirSync(FIXTURES).filter((f) => /^html-report-.*\.json$/.test(f));

  test.each(files)("%s is a valid run report that holds the XSS payload and masked values", (file) => {
    const text = readFileSync(path.join(FIXTURES, file), "utf8");
    const schema = JSON.parse(readFileSync(path.join(import.meta.dirname, "../../generator/run/run-report.schema.json"), "utf8"));
    const validate = new Ajv2020({ allErrors: true, strict: true, validateFormats: false }).compile(schema);
    expect(validate(JSON.parse(text)), JSON.stringify(validate.errors)).toBe(true);
    expect(text).toContain(JSON.stringify(XSS).slice(1, -1));
    expect(text).toContain("[masked]");
  });
});

describe("flowchart model", () => {
  test("a poll loop: the goto back to the same step taken three times, the other actions not", () => {
    const model = flowchartModel(run(fixture("fintecture"), "payment-status-poll"));
    const edge = (from: string, to: string, action?: string) => model.edges.find((e) => e.from === from && e.to === to && e.action === action)!;
    expect(edge("step:pollPayment", "step:pollPayment", "stillPending")).toMatchObject({ kind: "goto", count: 3 });
    expect(edge("step:pollPayment", "end", "paymentSettled")).toMatchObject({ kind: "end", count: 1 });
    expect(edge("step:pollPayment", "step:reportFailure", "paymentFailed").count).toBe(0);
    expect(edge("step:pollPayment", "step:reportFailure").kind).toBe("next");
    expect(model.nodes.map((n) => [n.key, n.visits, n.failed])).toEqual([
      ["start", 1, false],
      ["step:createPayment", 1, false],
      ["step:pollPayment", 4, false],
      ["step:reportFailure", 0, false],
      ["end", 1, false],
    ]);
    expect(model.edges.filter((e) => e.unexplained)).toEqual([]);
  });

  test("an unconditional end action leaves no edge in document order; the failing step is failed", () => {
    const model = flowchartModel(run(fixture("fintecture"), "payment-refund"));
    expect(model.edges.filter((e) => e.from === "step:listRefunds").map((e) => [e.kind, e.to])).toEqual([["end", "end"]]);
    expect(model.nodes.filter((n) => n.failed).map((n) => n.key)).toEqual(["step:getPayment"]);
    expect(model.edges.filter((e) => e.count > 0).map((e) => e.kind)).toEqual(["start"]);
  });

  test("a retry loops back onto its step; a goto to another workflow reaches its node; that workflow's steps are not in the graph", () => {
    const model = flowchartModel(run(fixture("retry"), "sync-settlements"));
    expect(model.edges.filter((e) => e.count > 0).map((e) => [e.from, e.to, e.kind, e.branch ?? "", e.count])).toEqual([
      ["start", "step:listSettlements", "start", "", 1],
      ["step:listSettlements", "workflow:reconcile-settlement", "goto-workflow", "success", 1],
      ["step:listSettlements", "step:listSettlements", "retry", "failure", 1],
    ]);
    expect(model.nodes.find((n) => n.key === "step:getSettlement")).toBeUndefined();
  });

  test("a run that fails in another workflow: that workflow's node when the run went there, else the step that ran it", () => {
    const sync = run(fixture("retry"), "sync-settlements");
    const error = { name: "ArazzoStepError", message: "failed", workflowId: "reconcile-settlement", stepId: "getSettlement", reason: "status", status: 500 };
    const failedThere = flowchartModel({ ...sync, status: "failed", error });
    expect(failedThere.nodes.filter((n) => n.failed).map((n) => n.key)).toEqual(["workflow:reconcile-settlement"]);
    const ranIt = {
      ...sync,
      status: "failed" as const,
      error,
      steps: sync.steps.map((s, i) => (i === 1 ? { ...s, transition: { type: "next" as const } } : s)),
    };
    expect(
      flowchartModel(ranIt)
        .nodes.filter((n) => n.failed)
        .map((n) => n.key),
    ).toEqual(["step:listSettlements"]);
  });

  test("a transition the graph does not explain gets an edge of its own", () => {
    const straight = run(fixture("fintecture"), "token-then-payment");
    const odd = {
      ...straight,
      steps: straight.steps.map((s, i) => (i === 0 ? { ...s, transition: { type: "goto" as const, action: "skip", to: "getPayment" } } : s)),
    };
    const edge = flowchartModel(odd).edges.find((e) => e.action === "skip");
    expect(edge).toMatchObject({ from: "step:mintToken", to: "step:getPayment", count: 1, unexplained: true });
  });

  test("the SVG is the same for the same run, and carries data-step on each step's node", async () => {
    const poll = run(fixture("fintecture"), "payment-status-poll");
    const one = await flowchartSvg(poll, { idPrefix: "p", standalone: true });
    expect(await flowchartSvg(poll, { idPrefix: "p", standalone: true })).toBe(one);
    expect(one.startsWith(`<svg xmlns="http://www.w3.org/2000/svg" class="flowchart"`)).toBe(true);
    expect([...one.matchAll(/data-step="([^"]*)"/g)].map((m) => m[1])).toEqual(["createPayment", "pollPayment", "reportFailure"]);
  });
});

describe("the page's source", () => {
  test("one page, the same for the same report, with nothing of the report unescaped", async () => {
    const report = fixture("fintecture");
    const html = await htmlReport(report);
    expect(await htmlReport(report)).toBe(html);
    expect(html).not.toContain("<img");
    expect(html).not.toContain("onerror=alert(1)>");
    expect(html).toContain("&#60;/script&#62;&#60;img src=x onerror=alert(1)&#62;");
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html.match(/<\/script>/gi)).toHaveLength(1);
    expect(html.match(/<style\b/g)).toHaveLength(1);
  });

  test("a Content-Security-Policy that allows nothing but the page's own style and script, by hash", async () => {
    const html = await htmlReport(fixture("retry"));
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1]?.replaceAll("&#39;", "'");
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(csp?.split("; ")).toEqual([
      "default-src 'none'",
      `style-src 'sha256-${sha256(style)}'`,
      `script-src 'sha256-${sha256(script)}'`,
      "img-src 'none'",
      "font-src 'none'",
      "connect-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
    ]);
    expect(html).not.toMatch(/\sstyle=/);
  });

  test("no URL the page could load: every link is to an anchor of the page, no url() but to the page's own ids", async () => {
    for (const name of ["fintecture", "retry"]) {
      const html = await htmlReport(fixture(name));
      expect(html).not.toMatch(/<(link|img|iframe|object|embed|audio|video|source|base|form)\b/i);
      expect(html).not.toMatch(/@import/i);
      const references = [...html.matchAll(/\s(href|src|xlink:href|action|formaction|poster|srcset|xmlns)="([^"]*)"/g)];
      expect(references.filter(([, , value]) => !value!.startsWith("#"))).toEqual([]);
      expect([...html.matchAll(/url\(([^)]*)\)/g)].filter(([, value]) => !value!.startsWith("#"))).toEqual([]);
    }
  });

  test("names that are markup stay text; a run that ran no step and a workflow without steps still make a page", async () => {
    const base = fixture("retry");
    const hostile = `x"><script>alert(1)</script>`;
    const sync = base.documents[0]!.workflows[0]!;
    const renamed = JSON.parse(
      JSON.stringify(sync)
        .replaceAll('"listSettlements"', JSON.stringify(hostile))
        .replaceAll('"rateLimited"', JSON.stringify(`${hostile}'`)),
    );
    const empty = { ...sync, workflowId: "<b>empty</b>", status: "failed" as const, steps: [], graph: { steps: [] }, outputs: undefined };
    const html = await htmlReport({ ...base, documents: [{ ...base.documents[0]!, workflows: [renamed, empty] }] });
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html).not.toContain("<b>empty");
    expect(html).toContain(`data-step="x&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;"`);
    expect(html).toContain("No step ran.");
    expect(
      flowchartModel(renamed)
        .edges.filter((e) => e.count > 0)
        .map((e) => e.action ?? e.kind),
    ).toEqual(["start", "reconcile", `${hostile}'`]);
  });

  test("unmasked secrets are said at the top; the page still holds only what the report holds", async () => {
    const html = await htmlReport({ ...fixture("retry"), secretsMasked: false });
    expect(html).toContain("Secrets were not masked");
  });

  test("@dagrejs/dagre is imported only when a flowchart is drawn", () => {
    for (const file of ["flowchart-svg.ts", "report-html.ts"]) {
      const source = readFileSync(path.join(import.meta.dirname, "../../generator/run", file), "utf8");
      expect(source).not.toMatch(/^import[^;]*["']@dagrejs\/dagre["']/m);
    }
    expect(readFileSync(path.join(import.meta.dirname, "../../generator/run/flowchart-svg.ts"), "utf8")).toContain(`await import("@dagrejs/dagre")`);
  });
});

describe.skipIf(!hasChromium && !process.env.CI)(`in Chromium (${hasChromium ? CHROMIUM : `${CHROMIUM} missing: apt-get install chromium`})`, () => {
  let context: BrowserContext | undefined;
  let profile: string | undefined;
  /** Every request any page made, and those that were not the page's own file. */
  const requests: string[] = [];
  const pages: Record<string, string> = {};

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`${CHROMIUM} is not installed (CI is set): apt-get install chromium`);
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    for (const name of ["fintecture", "retry"]) {
      const file = path.join(OUT, `${name}.html`);
      writeFileSync(file, await htmlReport(fixture(name)));
      pages[name] = pathToFileURL(file).href;
    }
    profile = mkdtempSync(path.join(os.tmpdir(), "arazzo-ts-chromium-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      viewport: { width: 1280, height: 900 },
      serviceWorkers: "block",
    });
    context.on("request", (request) => {
      requests.push(request.url());
    });
    const own = new Set(Object.values(pages));
    await context.route("**/*", (route) => (own.has(route.request().url()) ? route.continue() : route.abort("blockedbyclient")));
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  /** The page, with what it logged, threw and asked (dialogs) collected. */
  async function open(name: string, options: { javaScript?: boolean } = {}) {
    const page = await context!.newPage();
    const problems: string[] = [];
    const dialogs: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    if (options.javaScript === false) {
      const cdp = await context!.newCDPSession(page);
      await cdp.send("Emulation.setScriptExecutionDisabled", { value: true });
    }
    await page.goto(pages[name]!, { waitUntil: "load" });
    return { page, problems, dialogs };
  }

  const classes = (page: Page, selector: string) => page.locator(selector).evaluateAll((els) => els.map((e) => e.getAttribute("class")));
  const inViewport = (page: Page, selector: string) =>
    page.locator(selector).evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= -1 && r.bottom > 0 && r.top < window.innerHeight - 40;
    });

  test("the flowcharts render, with the path each run took highlighted", async () => {
    const { page, problems, dialogs } = await open("fintecture");
    try {
      // Every flowchart and every node has a box on the screen.
      const sizes = await page.locator("svg.flowchart, svg.flowchart .node").evaluateAll((els) =>
        els.map((e) => {
          const b = (e as SVGGraphicsElement).getBBox();
          return { width: b.width, height: b.height };
        }),
      );
      expect(sizes.length).toBeGreaterThan(10);
      for (const box of sizes) expect(box.width * box.height).toBeGreaterThan(0);
      const boxes = await page.locator("svg.flowchart").evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
      expect(boxes).toHaveLength(3);
      for (const h of boxes) expect(h).toBeGreaterThan(150);

      // The poll run: visited steps filled, the loop drawn thick and blue with its count, untaken edges grey.
      const poll = "#run-1-1 svg.flowchart";
      expect(await classes(page, `${poll} .node.step`)).toEqual(["node step visited", "node step visited", "node step"]);
      const loop = page.locator(`${poll} .edge[data-from="step:pollPayment"][data-to="step:pollPayment"]`);
      expect(await loop.getAttribute("class")).toBe("edge goto taken");
      expect(await loop.getAttribute("data-count")).toBe("3");
      expect(await loop.locator(".edge-label text").textContent()).toBe("stillPending ×3");
      const stroke = (selector: string) =>
        page.locator(`${poll} ${selector} path`).evaluate((p) => [getComputedStyle(p).stroke, getComputedStyle(p).strokeWidth]);
      expect(await stroke(`.edge[data-from="step:pollPayment"][data-to="step:pollPayment"]`)).toEqual(["rgb(37, 99, 235)", "3px"]);
      expect(await stroke(`.edge[data-action="paymentFailed"]`)).toEqual(["rgb(148, 163, 184)", "1.5px"]);
      expect(
        await page.locator(`${poll} .edge.taken`).evaluateAll((els) => els.map((e) => e.getAttribute("data-action") ?? e.getAttribute("data-kind"))),
      ).toEqual(["start", "next", "paymentSettled", "stillPending"]);
      expect(await page.locator(`${poll} .edge:not(.taken)`).count()).toBe(3);
      expect(await page.locator(`${poll} [data-step="pollPayment"] .badge`).textContent()).toBe("×4");
      const fill = (selector: string) => page.locator(selector).evaluate((g) => getComputedStyle(g.querySelector("rect")!).fill);
      expect(await fill(`${poll} [data-step="pollPayment"]`)).toBe("rgb(219, 234, 254)");
      expect(await fill(`${poll} [data-step="reportFailure"]`)).toBe("rgb(255, 255, 255)");
      expect(await classes(page, `${poll} .node.end, ${poll} .node.start`)).toEqual(["node start visited", "node end visited"]);

      // The failing run: its first step is red, nothing after it is visited, the end is not reached.
      const refund = "#run-2-1 svg.flowchart";
      expect(await page.locator(`${refund} .node.failed`).evaluateAll((els) => els.map((e) => e.getAttribute("data-step")))).toEqual(["getPayment"]);
      expect(await fill(`${refund} [data-step="getPayment"]`)).toBe("rgb(254, 226, 226)");
      expect(await page.locator(`${refund} [data-step="getPayment"] .badge`).textContent()).toBe("failed");
      expect(await page.locator(`${refund} .node.visited`).count()).toBe(2); // start, getPayment
      expect(await page.locator(`${refund} .edge.taken`).count()).toBe(1);
      expect(await classes(page, `${refund} .node.end`)).toEqual(["node end"]);

      // The straight line: every node visited, every edge taken once.
      const straight = "#run-3-1 svg.flowchart";
      expect(await page.locator(`${straight} .node:not(.visited)`).count()).toBe(0);
      expect(
        await page.locator(`${straight} .edge`).evaluateAll((els) => els.map((e) => `${e.getAttribute("class")} ${e.getAttribute("data-count")}`)),
      ).toEqual(["edge start taken 1", "edge next taken 1", "edge next taken 1", "edge next taken 1"]);

      // The timeline: the waits, hatched, as long as they lasted against the steps' bars.
      const timeline = "#run-1-1 svg.timeline";
      expect(await page.locator(`${timeline} .wait`).evaluateAll((els) => els.map((e) => e.getAttribute("data-wait-ms")))).toEqual(["1000", "1000", "1000"]);
      const bar = await page.locator(`${timeline} .row[data-step="createPayment"] .bar`).evaluate((e) => (e as SVGGraphicsElement).getBBox().width);
      const wait = await page
        .locator(`${timeline} .wait`)
        .first()
        .evaluate((e) => (e as SVGGraphicsElement).getBBox().width);
      expect(wait / bar).toBeCloseTo(1000 / 142, 0);

      await page.screenshot({ path: path.join(OUT, "fintecture.png"), fullPage: true });
      expect(problems).toEqual([]);
      expect(dialogs).toEqual([]);
    } finally {
      await page.close();
    }
  });

  test("a click on a node opens every panel of its step and scrolls to the first; a timeline row opens its own", async () => {
    const { page, problems } = await open("fintecture");
    try {
      const panels = '#run-1-1 details.step[data-step="pollPayment"]';
      expect(await page.locator(panels).evaluateAll((els) => els.map((e) => (e as HTMLDetailsElement).open))).toEqual([false, false, false, false]);
      await page.locator('#run-1-1 svg.flowchart [data-step="pollPayment"]').click();
      expect(await page.locator(panels).evaluateAll((els) => els.map((e) => (e as HTMLDetailsElement).open))).toEqual([true, true, true, true]);
      expect(await inViewport(page, "#run-1-1-step-2")).toBe(true);
      expect(await page.locator("#run-1-1-step-1").evaluate((e) => (e as HTMLDetailsElement).open)).toBe(false);
      // What the panel shows: the operation, its parameter, the criteria and the transition, the response pretty-printed.
      const panel = page.locator("#run-1-1-step-2");
      expect(await panel.locator("> summary .op").textContent()).toBe("GET /pis/v2/payments/{payment_id}");
      expect(await panel.locator("> summary .transition").textContent()).toBe("→ goto pollPayment (stillPending) after 1000 ms");
      expect(await panel.locator("table.params").textContent()).toContain("7f2c9a10e5b04c0f9d3e6a8b1c2d3e4f");
      const cells = await panel
        .locator("table.criteria tbody tr")
        .evaluateAll((rows) => rows.map((r) => [...(r as HTMLTableRowElement).cells].map((c) => c.textContent)));
      expect(cells).toEqual([
        ["✓ true", "successCriteria", "$statusCode == 200"],
        ["✗ false", "onSuccess paymentSettled", '$.status == "payment_completed"'],
        ["✗ false", "onSuccess paymentFailed", '$.status in ["payment_rejected","payment_cancelled","payment_failed"]'],
        ["✓ true", "onSuccess stillPending applied", '$.status in ["payment_created","payment_pending","payment_initiated"]'],
      ]);
      await panel.locator("details.response > summary").click();
      expect(await panel.locator("details.response pre").textContent()).toContain('\n  "status": "payment_created",\n');
      await page.screenshot({ path: path.join(OUT, "fintecture-node-clicked.png") });

      // A row of the failing run's timeline: its panel (open from the start, as the step that failed the run).
      expect(await page.locator("#run-2-1-step-1").evaluate((e) => (e as HTMLDetailsElement).open)).toBe(true);
      await page.locator('#run-3-1 svg.timeline .row[data-step="getPayment"]').click();
      expect(await page.locator("#run-3-1-step-3").evaluate((e) => (e as HTMLDetailsElement).open)).toBe(true);
      expect(await inViewport(page, "#run-3-1-step-3")).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  test("expand all opens every panel, collapse all closes them", async () => {
    const { page, problems } = await open("fintecture");
    try {
      const state = () => page.locator("details").evaluateAll((els) => els.map((e) => (e as HTMLDetailsElement).open));
      const total = (await state()).length;
      expect(total).toBeGreaterThan(20);
      await page.getByRole("button", { name: "Expand all" }).click();
      expect((await state()).filter(Boolean)).toHaveLength(total);
      await page.screenshot({ path: path.join(OUT, "fintecture-expanded.png"), fullPage: true });
      await page.getByRole("button", { name: "Collapse all" }).click();
      expect((await state()).filter(Boolean)).toHaveLength(0);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  test("the bodies' markup is text: no element made from it, no dialog; masked values shown as such, no URL the page loads", async () => {
    for (const name of ["fintecture", "retry"]) {
      const { page, problems, dialogs } = await open(name);
      try {
        await page.getByRole("button", { name: "Expand all" }).click();
        expect(await page.locator("img").count()).toBe(0);
        expect(await page.locator("script").count()).toBe(1);
        const text = await page.locator("body").textContent();
        expect(text).toContain(XSS);
        expect(text).toContain("[masked]");
        // No attribute of any element names something outside the page.
        const outside = await page.evaluate(() =>
          [...document.querySelectorAll("*")].flatMap((el) =>
            [...el.attributes]
              .filter((a) => /^(href|src|xlink:href|action|formaction|poster|srcset|background)$/i.test(a.name) || /url\(/i.test(a.value))
              .map((a) => a.value)
              .filter((v) => !/^#|^url\(#/.test(v)),
          ),
        );
        expect(outside).toEqual([]);
        await page.waitForTimeout(200);
        expect(dialogs).toEqual([]);
        expect(problems).toEqual([]);
        if (name === "retry") await page.screenshot({ path: path.join(OUT, "retry-expanded.png"), fullPage: true });
      } finally {
        await page.close();
      }
    }
  });

  test("without JavaScript the page reads: panels open by hand, the flowchart is there, the buttons are not", async () => {
    const { page } = await open("retry", { javaScript: false });
    try {
      expect(await page.getByRole("button", { name: "Expand all" }).isVisible()).toBe(false);
      expect(await page.locator("svg.flowchart .node.visited").count()).toBe(3);
      await page.locator("#run-1-1-step-1 > summary").click();
      expect(await page.locator("#run-1-1-step-1").evaluate((e) => (e as HTMLDetailsElement).open)).toBe(true);
      await page.screenshot({ path: path.join(OUT, "retry-no-javascript.png"), fullPage: true });
    } finally {
      await page.close();
    }
  });

  test("the pages asked for nothing but their own file; a request for anything else would have been seen and refused", async () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((url) => !Object.values(pages).includes(url))).toEqual([]);
    // The guard guards: a page that asks the network for an image is seen asking, and refused.
    const probe = "http://192.0.2.1/probe.png";
    const page = await context!.newPage();
    try {
      const failed = page.waitForEvent("requestfailed");
      await page.setContent(`<img src="${probe}">`);
      expect((await failed).url()).toBe(probe);
      expect(requests).toContain(probe);
    } finally {
      await page.close();
    }
  });
});
