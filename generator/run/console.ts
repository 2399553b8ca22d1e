/**
 * The lines `arazzo-ts run` prints as a run happens: a line per request (step, method, the path
 * template with its parameter values, status, duration), a line per transition of a workflow
 * with actions (next, goto, retry, end, with the wait before it: a live countdown on a
 * terminal, one plain line otherwise), a line per workflow run with its outputs, and a summary.
 * `--quiet` prints the failures only. Everything printed is masked first (`secrets.ts`).
 */
import { styleText } from "node:util";
import type { RawExchange, RawStep, RecorderListener, TransitionEvent } from "./recorder.ts";
import type { RunSummary, WorkflowRunReport } from "./report.ts";
import { pathParameters, withParameters } from "./paths.ts";
import type { Masker } from "./secrets.ts";

export interface ConsoleOptions {
  readonly write: (text: string) => void;
  readonly tty: boolean;
  readonly color: boolean;
  readonly quiet: boolean;
  readonly masker: Masker;
}

type Style = Parameters<typeof styleText>[0];

export class RunConsole {
  private countdown: { timer: ReturnType<typeof setInterval>; text: string; waitMs: number } | undefined;
  /** Lines of the workflow being run, kept for `--quiet`, which prints them only when it fails. */
  private held: string[] = [];

  constructor(private readonly options: ConsoleOptions) {}

  private style(format: Style, text: string): string {
    return this.options.color ? styleText(format, text) : text;
  }

  private line(text: string): void {
    this.stopCountdown();
    if (this.pending && !text.startsWith("    ")) this.flush(undefined);
    if (this.options.quiet) this.held.push(text);
    else this.options.write(`${text}\n`);
  }

  /** The Arazzo file whose workflows run next (under `--quiet`, printed before a failure of one of them). */
  document(file: string): void {
    this.documentLine = this.style("bold", file);
    if (!this.options.quiet) this.line(this.documentLine);
  }

  private documentLine: string | undefined;

  workflowStarted(workflowId: string): void {
    this.currentWorkflow = workflowId;
    this.held = [];
    this.line(`  ${this.style("cyan", "▶")} ${workflowId}`);
  }

  /** The listener the recorder tells as the run goes. */
  get listener(): RecorderListener {
    return {
      exchange: (step, exchange) => this.exchange(step, exchange),
      transition: (step, event) => this.transition(step, event),
    };
  }

  /** The line of the last request, printed once its outcome is known (a transition, the next step, the end). */
  private pending: { step: RawStep; text: string } | undefined;

  private exchange(step: RawStep, exchange: RawExchange): void {
    this.flush("next");
    const { masker } = this.options;
    const id = step.attempt > 1 ? `${this.stepName(step)} #${step.attempt}` : this.stepName(step);
    const url = new URL(exchange.request.url);
    // The step's own request shows its path template; another (a token request) its URL.
    const what = step.path !== undefined && pathParameters(step.path, url.pathname) ? withParameters(step.path, url.pathname) : `${url.origin}${url.pathname}`;
    const target = masker.text(`${exchange.request.method.padEnd(6)} ${what}`);
    const status = exchange.response
      ? this.style(exchange.response.status < 400 ? "green" : "red", String(exchange.response.status))
      : this.style("red", exchange.error ?? "no response");
    this.pending = { step, text: `    ${id.padEnd(22)} ${target.padEnd(56)} ${status}  ${this.style("dim", `${Math.round(exchange.durationMs)} ms`)}` };
  }

  /** Prints the pending request line with `outcome`. */
  private flush(outcome: string | undefined): void {
    const pending = this.pending;
    this.pending = undefined;
    if (pending) this.line(outcome ? `${pending.text}  ${this.style("dim", "→")} ${outcome}` : pending.text);
  }

  private transition(step: RawStep | undefined, event: TransitionEvent): void {
    const name = step ? this.stepName(step) : event.stepId;
    const action = event.action ? ` (${event.action})` : "";
    const where =
      event.type === "next"
        ? "next"
        : event.type === "end"
          ? "end"
          : event.type === "goto"
            ? `goto ${event.to}`
            : event.type === "goto-workflow"
              ? "goto workflow"
              : `retry ${event.to ?? name}`;
    const outcome = `${event.outcome === "failure" ? `${this.style("yellow", "not met")}, ` : ""}${where}${action}`;
    const ownLine = this.pending && step && this.pending.step === step ? this.pending.text : `    ${name.padEnd(22)}`;
    this.pending = undefined;
    const text = `${ownLine}  ${this.style("dim", "→")} ${outcome}`;
    if (event.waitMs <= 0) {
      this.line(text);
      return;
    }
    const wait = (ms: number) => `${text}, waiting ${seconds(ms)}`;
    if (!this.options.tty || this.options.quiet) {
      this.line(wait(event.waitMs));
      return;
    }
    // A live countdown, rewritten in place until the next line.
    this.stopCountdown();
    const until = performance.now() + event.waitMs;
    this.options.write(wait(event.waitMs));
    const timer = setInterval(() => this.options.write(`\r\x1b[2K${wait(Math.max(0, until - performance.now()))}`), 100);
    timer.unref?.();
    this.countdown = { timer, text, waitMs: event.waitMs };
  }

  private stopCountdown(): void {
    if (!this.countdown) return;
    clearInterval(this.countdown.timer);
    this.options.write(`\r\x1b[2K${this.countdown.text}, waited ${seconds(this.countdown.waitMs)}\n`);
    this.countdown = undefined;
  }

  private currentWorkflow = "";

  private stepName(step: RawStep): string {
    return step.workflowId === this.currentWorkflow ? step.stepId : `${step.workflowId}.${step.stepId}`;
  }

  /** A workflow run ended: its outcome, its outputs or error. */
  workflowEnded(report: WorkflowRunReport): void {
    this.flush(report.status === "passed" ? "end" : this.style("red", "failed"));
    const requests = report.steps.reduce((n, s) => n + s.exchanges.length, 0);
    const took = `in ${seconds(report.durationMs)}: ${report.steps.length} step(s), ${requests} request(s)`;
    if (report.status === "passed") {
      this.line(`  ${this.style("green", "✓")} ${report.workflowId} passed ${took}`);
      if (report.outputs && Object.keys(report.outputs).length) this.line(`    outputs: ${JSON.stringify(report.outputs)}`);
      this.held = [];
      return;
    }
    this.line(`  ${this.style("red", "✗")} ${report.workflowId} failed ${took}`);
    if (report.error) this.line(`    ${this.style("red", report.error.message)}`);
    if (this.options.quiet) {
      // The document once, before its first failure.
      if (this.documentLine !== undefined) this.held.unshift(this.documentLine);
      this.documentLine = undefined;
      this.options.write(`${this.held.join("\n")}\n`);
    }
    this.held = [];
  }

  summary(summary: RunSummary, durationMs: number): void {
    this.flush(undefined);
    this.stopCountdown();
    const { passed, failed } = summary.workflows;
    const text = `${passed} workflow(s) passed, ${failed} failed (${summary.steps} steps, ${summary.requests} requests) in ${seconds(durationMs)}`;
    if (failed) this.options.write(`\n${this.style("red", text)}\n`);
    else if (!this.options.quiet) this.options.write(`\n${this.style("green", text)}\n`);
  }

  close(): void {
    this.stopCountdown();
  }
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
