/**
 * `arazzo-ts generate --watch`: generates once, then watches every file the documents were
 * read from (the Arazzo documents, the OpenAPI and Arazzo source descriptions they load)
 * and the config file, and regenerates the documents a change affects.
 *
 * Folders are watched, not files (`fs.watch` on each containing folder, events filtered by
 * file name): editors that save by writing a temporary file and renaming it over the
 * original replace the file, and a watch on the file itself would lose track of it.
 * Changes are debounced (100 ms); runs never overlap (changes during a run are regenerated
 * after it). A run that fails prints its diagnostics and the watch goes on: the next save
 * that fixes the document regenerates it. Files are only rewritten when their content
 * changes (`generate()` does that), so a change that does not change the output writes nothing.
 *
 * `watch()` returns at once; `ready` resolves after the first generation. Each run prints
 * its diagnostics and a one-line summary, and is emitted as a `run` event (tests wait on it).
 * `close()` stops watching and waits for a run in progress.
 */
import { EventEmitter } from "node:events";
import { watch as watchFolder, type FSWatcher } from "node:fs";
import path from "node:path";
import { formatDiagnostic, type Diagnostic } from "./diagnostics.ts";
import { generate, type GenerateOptions, type GenerateResult } from "./generate.ts";

export interface WatchIo {
  out(line: string): void;
  err(line: string): void;
  /** Paths are printed relative to it. */
  readonly cwd: string;
}

export interface WatchOptions {
  /** What to generate; `inputs` are the documents to watch. */
  readonly options: GenerateOptions;
  /** A config file to watch as well: when it changes, `reload` gives the new options. */
  readonly configFile?: string;
  /** Re-reads the config; undefined when it is broken (it prints why), and the previous options stay. */
  readonly reload?: () => Promise<GenerateOptions | undefined>;
  /** Quiet period after the last change before regenerating; default 100 ms. */
  readonly debounceMs?: number;
  /** Print errors only: no warnings, no summary of a successful run. */
  readonly quiet?: boolean;
  readonly io: WatchIo;
}

/** One regeneration. */
export interface WatchRun {
  /** The documents regenerated (absolute paths). */
  readonly inputs: readonly string[];
  /** Undefined when the run could not start (a broken config) or threw (`error`). */
  readonly result?: GenerateResult;
  readonly error?: unknown;
  /** Whether the config was reloaded first (and whether that worked). */
  readonly config?: "reloaded" | "broken";
  readonly ms: number;
}

export interface Watcher extends EventEmitter {
  /** Resolves once the first generation is done and the files are watched. */
  readonly ready: Promise<void>;
  /** The files being watched, sorted. */
  files(): string[];
  /** The next run's report. */
  nextRun(): Promise<WatchRun>;
  /** Stops watching (closes every folder watcher) and waits for a run in progress. */
  close(): Promise<void>;
}

export function watch(settings: WatchOptions): Watcher {
  const { io } = settings;
  const debounceMs = settings.debounceMs ?? 100;
  const configFile = settings.configFile && path.resolve(settings.configFile);
  let options: GenerateOptions = { ...settings.options, inputs: settings.options.inputs.map((f) => path.resolve(f)) };
  /** Input → the files it was read from. */
  const reads = new Map<string, Set<string>>();
  const folders = new Map<string, FSWatcher>();
  let pending = new Set<string>();
  let configChanged = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let closed = false;

  const emitter = new EventEmitter() as Watcher;

  const watchedFiles = (): Set<string> => {
    const files = new Set<string>(options.inputs);
    for (const input of options.inputs) for (const f of reads.get(input) ?? []) files.add(f);
    if (configFile) files.add(configFile);
    return files;
  };

  /** Watches the folders of the current files, and stops watching folders no longer needed. */
  const updateFolders = () => {
    if (closed) return;
    const wanted = new Set([...watchedFiles()].map((f) => path.dirname(f)));
    for (const [dir, watcher] of folders) {
      if (!wanted.has(dir)) {
        watcher.close();
        folders.delete(dir);
      }
    }
    for (const dir of wanted) {
      if (folders.has(dir)) continue;
      try {
        const watcher = watchFolder(dir, (_event, name) => changed(dir, name ? String(name) : undefined));
        watcher.on("error", () => {
          watcher.close();
          folders.delete(dir);
        });
        folders.set(dir, watcher);
      } catch {
        // The folder does not exist (a document that names a missing folder): nothing to watch there.
      }
    }
  };

  const changed = (dir: string, name: string | undefined) => {
    if (closed) return;
    const hit = (file: string) => (name === undefined ? path.dirname(file) === dir : file === path.join(dir, name));
    if (configFile && hit(configFile)) configChanged = true;
    for (const input of options.inputs) {
      if (hit(input) || [...(reads.get(input) ?? [])].some(hit)) pending.add(input);
    }
    if (!pending.size && !configChanged) return;
    clearTimeout(timer);
    timer = setTimeout(flush, debounceMs);
  };

  const flush = () => {
    timer = undefined;
    if (running || closed) return; // picked up when the current run ends
    const inputs = [...pending];
    const config = configChanged;
    pending = new Set();
    configChanged = false;
    running = runOnce(inputs, config).finally(() => {
      running = undefined;
      if ((pending.size || configChanged) && !timer && !closed) flush();
    });
  };

  const runOnce = async (requested: readonly string[], reloadConfig: boolean): Promise<void> => {
    const started = performance.now();
    let inputs = requested;
    let config: WatchRun["config"];
    if (reloadConfig && settings.reload) {
      const next = await settings.reload().catch((error: unknown) => {
        io.err(`internal error while reading the config: ${(error as Error)?.message ?? String(error)}`);
        return undefined;
      });
      if (next) {
        options = { ...next, inputs: next.inputs.map((f) => path.resolve(f)) };
        inputs = options.inputs; // everything: the output folder, sources or warnings may have changed
        config = "reloaded";
      } else {
        config = "broken";
        io.err(`${stamp()} ${display(configFile!)} has errors; the previous configuration stays in use.`);
      }
    }
    inputs = options.inputs.filter((f) => inputs.includes(f));
    if (!inputs.length) {
      updateFolders();
      emitter.emit("run", { inputs, ms: Math.round(performance.now() - started), ...(config ? { config } : {}) } satisfies WatchRun);
      return;
    }
    let result: GenerateResult | undefined;
    let error: unknown;
    try {
      result = await generate({ ...options, inputs });
    } catch (e) {
      error = e;
    }
    const ms = Math.round(performance.now() - started);
    if (result) {
      for (const input of inputs) {
        const now = new Set(result.reads[input] ?? [input]);
        // A failed run may have stopped before reading everything: keep watching what the document read before.
        if (!result.ok) for (const f of reads.get(input) ?? []) now.add(f);
        reads.set(input, now);
      }
      report(inputs, result, ms);
    } else {
      io.err(
        `${stamp()} internal error: ${(error as Error)?.message ?? String(error)} (a bug in arazzo-ts; set ARAZZO_TS_DEBUG=1 for details); still watching.`,
      );
      if (process.env.ARAZZO_TS_DEBUG) io.err(String((error as Error)?.stack ?? error));
    }
    updateFolders();
    emitter.emit("run", { inputs, ...(result ? { result } : { error }), ...(config ? { config } : {}), ms } satisfies WatchRun);
  };

  const report = (inputs: readonly string[], result: GenerateResult, ms: number) => {
    const printed: Diagnostic[] = settings.quiet ? result.diagnostics.filter((d) => d.severity === "error") : [...result.diagnostics];
    for (const d of printed) (d.severity === "error" ? io.err : io.out)(formatDiagnostic(d, io.cwd));
    const errors = result.diagnostics.filter((d) => d.severity === "error").length;
    const warnings = result.diagnostics.length - errors;
    const what = inputs.length > 3 ? `${inputs.length} documents` : inputs.map((f) => path.basename(f)).join(", ");
    if (!result.ok) {
      io.err(`${stamp()} ${what}: ${errors} error(s), ${warnings} warning(s); nothing written, still watching.`);
    } else if (!settings.quiet) {
      io.out(`${stamp()} ${what}: generated in ${ms} ms, ${result.written.length} file(s) changed${warnings ? `, ${warnings} warning(s)` : ""}.`);
    }
  };

  const display = (file: string) => {
    const rel = path.relative(io.cwd, file);
    return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
  };

  const ready = (async () => {
    running = runOnce(options.inputs, false);
    await running;
    running = undefined;
    if (!closed && !settings.quiet) io.out(`Watching ${watchedFiles().size} file(s) for changes; press Ctrl-C to stop.`);
    if ((pending.size || configChanged) && !timer && !closed) flush();
  })();

  Object.assign(emitter, {
    ready,
    files: () => [...watchedFiles()].sort(),
    nextRun: () => new Promise<WatchRun>((resolve) => emitter.once("run", resolve)),
    async close() {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      for (const watcher of folders.values()) watcher.close();
      folders.clear();
      await ready.catch(() => undefined);
      await running;
    },
  });
  return emitter;
}

/** `[14:03:27]`: when a run happened, for the one-line summaries. */
function stamp(): string {
  return `[${new Date().toTimeString().slice(0, 8)}]`;
}
