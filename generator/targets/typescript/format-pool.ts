/**
 * Formats many generated modules at once on worker threads; formatting is most of the time
 * of emitting a large document (1,000 workflows: ~10 s of dprint on one thread). Each worker
 * runs dprint with the same compiled plugin and settings as `format.ts` (the plugin is compiled
 * once and handed over), so the text is the same as in-process; the comment wrapping stays on
 * this thread. Tasks are handed out as they are printed, each to the worker with the fewest
 * characters still to format, and results are matched by task, so the output does not depend
 * on timing.
 *
 * Below {@link MIN_MODULES} modules, or on one CPU, it formats in-process: starting workers
 * costs more than it saves. The workers are plain JavaScript given as text (no loader is needed
 * for a `.ts` worker file under tsx or vitest), and a worker that fails or exits leaves its tasks
 * to this thread: a worker never decides the output or ends the process. `close()` ends them.
 */
import { availableParallelism } from "node:os";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { DPRINT_CONFIG, dprintPlugin, formatTypeScript, wrapComments } from "./format.ts";

/** Fewest modules for which workers pay off (each takes ~0.1 s to start and warm up). */
export const MIN_MODULES = 32;
/** Most workers: with more, memory grows (each has its own dprint) for little gain. */
const MAX_WORKERS = 4;

export interface FormatPool {
  /** `formatTypeScript(filePath, text)`, possibly on another thread; rejects with dprint's error (`formatError`). */
  format(filePath: string, text: string): Promise<string>;
  /** Ends the workers; formats still pending finish in-process. */
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);

// CommonJS: the worker is evaluated as a script. It answers each task with the text or dprint's
// error, and after an error starts again from the compiled plugin (see `formatTypeScript`).
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { createFromWasmModule } = require(workerData.formatter);
const create = () => {
  const created = createFromWasmModule(workerData.plugin);
  created.setConfig(workerData.config.global, workerData.config.plugin);
  return created;
};
let formatter = create();
parentPort.on("message", ({ id, filePath, text }) => {
  let answer;
  try {
    answer = { id, text: formatter.formatText({ filePath, fileText: text }) };
  } catch (error) {
    answer = { id, error: error instanceof Error && error.name === "Error" ? error.message : String(error) };
    formatter = create(); // after running out of memory the instance fails every call
  }
  parentPort.postMessage(answer);
});
`;

interface Task {
  readonly id: number;
  readonly filePath: string;
  readonly text: string;
  resolve(text: string): void;
  reject(error: Error): void;
}

interface Thread {
  readonly worker: Worker;
  readonly tasks: Map<number, Task>;
  /** Characters handed to it and not formatted yet. */
  load: number;
  alive: boolean;
}

/** A pool for `modules` modules: workers when there are enough of them and more than one CPU. */
export function formatPool(modules: number): FormatPool {
  const count = Math.min(MAX_WORKERS, availableParallelism(), Math.floor(modules / (MIN_MODULES / 2)));
  if (modules < MIN_MODULES || count < 2) return inProcess;
  const threads: Thread[] = [];
  let nextId = 0;

  const inProcessTask = (task: Task) => {
    try {
      task.resolve(formatTypeScript(task.filePath, task.text));
    } catch (error) {
      task.reject(formatError(error));
    }
  };
  const settle = (thread: Thread, task: Task) => {
    thread.tasks.delete(task.id);
    thread.load -= task.text.length;
    if (thread.tasks.size === 0) thread.worker.unref(); // an idle worker does not keep the process alive
  };
  const fail = (thread: Thread) => {
    if (!thread.alive) return;
    thread.alive = false;
    const orphans = [...thread.tasks.values()];
    thread.tasks.clear();
    thread.load = 0;
    void thread.worker.terminate();
    for (const task of orphans) inProcessTask(task);
  };
  const start = (): Thread | undefined => {
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { formatter: require.resolve("@dprint/formatter"), plugin: dprintPlugin(), config: DPRINT_CONFIG },
      });
    } catch {
      return undefined;
    }
    const thread: Thread = { worker, tasks: new Map(), load: 0, alive: true };
    worker.unref();
    worker.on("message", (answer: { id: number; text?: string; error?: string }) => {
      const task = thread.tasks.get(answer.id);
      if (!task) return;
      settle(thread, task);
      if (answer.text !== undefined) task.resolve(wrapComments(answer.text));
      else task.reject(new Error(answer.error));
    });
    worker.on("error", () => fail(thread));
    worker.on("exit", () => fail(thread));
    return thread;
  };

  return {
    format(filePath, text) {
      return new Promise((resolve, reject) => {
        const task: Task = { id: nextId++, filePath, text, resolve, reject };
        if (threads.length < count) {
          const started = start();
          if (started) threads.push(started);
        }
        const live = threads.filter((t) => t.alive);
        if (live.length === 0) return inProcessTask(task);
        const thread = live.reduce((least, t) => (t.load < least.load ? t : least));
        thread.tasks.set(task.id, task);
        thread.load += text.length;
        thread.worker.ref();
        thread.worker.postMessage({ id: task.id, filePath, text });
      });
    },
    async close() {
      const closing = threads.map((thread) => {
        const pending = thread.alive ? [...thread.tasks.values()] : [];
        thread.alive = false;
        thread.tasks.clear();
        for (const task of pending) inProcessTask(task);
        return thread.worker.terminate();
      });
      await Promise.all(closing);
    },
  };
}

const inProcess: FormatPool = {
  format: async (filePath, text) => {
    try {
      return formatTypeScript(filePath, text);
    } catch (error) {
      throw formatError(error);
    }
  },
  close: async () => {},
};

/** dprint's error as the workers report it: its message, with the kind when it is not a plain Error (`RuntimeError: unreachable`). */
function formatError(error: unknown): Error {
  return new Error(error instanceof Error && error.name === "Error" ? error.message : String(error));
}
