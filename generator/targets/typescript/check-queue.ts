/**
 * Type-checks the packages of a run of many documents in batches, while the next documents
 * are still being analysed and emitted, instead of all of them at the end in one program.
 *
 * Why: the native checker (tsgo) runs in another process, so a batch is checked on another
 * core while this thread emits the next one; and tsgo's memory grows with its program, so a
 * bounded batch bounds it (the shared corpus, 94 packages in one program: tsgo alone peaked at
 * about 1.9 GB). A batch is started once its sources reach {@link BATCH_CHARS}; at most
 * {@link IN_FLIGHT} checks run at once (the oldest is awaited before another starts).
 *
 * The in-process checker keeps one program for the whole run (`compile.ts`), so a batch
 * would check the earlier ones again: with it, everything is one batch, checked at the end,
 * as before. The result is the same either way: each package is checked on its own sources
 * (generated packages do not import each other), and diagnostics are sorted afterwards.
 */
import type { GeneratedFile } from "../target.ts";
import type { Compiled, PackageToCompile } from "./compile.ts";

/** Sources per batch, in characters: a few medium packages, or one large one on its own. */
export const BATCH_CHARS = 2 ** 20;
/** Checks running at once: one tsgo beside this thread. */
const IN_FLIGHT = 1;

export class CheckQueue {
  private batch: PackageToCompile[] = [];
  private size = 0;
  private readonly running: Promise<Compiled>[] = [];
  private readonly done: Compiled[] = [];

  /** `check` type-checks one batch; with `batches: false`, everything is one batch. */
  constructor(
    private readonly check: (packages: readonly PackageToCompile[]) => Promise<Compiled>,
    private readonly batches: boolean,
    private readonly batchChars = BATCH_CHARS,
  ) {}

  /** Queues a package; starts a check when the batch is full (waiting for the oldest running one first). */
  async add(pkg: PackageToCompile): Promise<void> {
    this.batch.push(pkg);
    this.size += pkg.files.reduce((n, f) => n + (f.path.endsWith(".ts") ? f.text.length : 0), 0);
    if (this.batches && this.size >= this.batchChars) await this.start();
  }

  /** Checks what is left and gives every batch's results together. */
  async finish(): Promise<Compiled> {
    await this.start();
    this.done.push(...(await Promise.all(this.running.splice(0))));
    const dist = new Map<string, GeneratedFile[]>();
    for (const c of this.done) for (const [dir, files] of c.dist) dist.set(dir, files);
    // A checker that cannot run says so once, not once per batch.
    const seen = new Set<string>();
    const diagnostics = this.done
      .flatMap((c) => c.diagnostics)
      .filter((d) => {
        const key = JSON.stringify(d);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    return { dist, diagnostics, cached: this.done.flatMap((c) => c.cached ?? []) };
  }

  /** Waits for the checks already running, when their results are not wanted (the run failed): none is left behind. */
  async abandon(): Promise<void> {
    await Promise.allSettled(this.running.splice(0));
  }

  private async start(): Promise<void> {
    if (!this.batch.length) return;
    while (this.running.length >= IN_FLIGHT) this.done.push(await this.running.shift()!);
    const checking = this.check(this.batch);
    checking.catch(() => {}); // awaited later; not an unhandled rejection meanwhile
    this.running.push(checking);
    this.batch = [];
    this.size = 0;
  }
}
