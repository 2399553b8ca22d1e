/**
 * openapi-typescript on a worker thread, started when a generation starts: loading it (with
 * the TypeScript compiler it `require`s, 9 MB) takes 250 to 400 ms, which the worker spends
 * while this thread loads ts-morph and analyses the documents, instead of in line; and it turns
 * descriptions into types while this thread prints the workflows.
 *
 * The worker is plain JavaScript given as text (no loader is needed under tsx or vitest), as in
 * `format-pool.ts`. It silences `console` while openapi-typescript runs (its bundler prints what
 * it then throws). A worker that fails or exits rejects what it was asked, and the caller does
 * it in-process: the worker never decides the output. Started by the first `start()`, ended a
 * few seconds after as many `stop()`s have come; an idle worker does not keep the process alive.
 */
import module, { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

// CommonJS: the worker is evaluated as a script.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
// Node's compile cache is per thread: the worker uses the process's (bin.js enables it).
if (workerData.compileCache) require("node:module").enableCompileCache?.(workerData.compileCache);
const { default: openapiTS, astToString } = require(workerData.module);
// One at a time: each silences \`console\` while it runs.
let queue = Promise.resolve();
parentPort.on("message", ({ id, document, cwd }) => {
  queue = queue.then(async () => {
    const { error, warn } = console;
    console.error = console.warn = () => {};
    try {
      const nodes = await openapiTS(document, { ...workerData.options, cwd: new URL(cwd) });
      parentPort.postMessage({ id, text: astToString(nodes) });
    } catch (failure) {
      parentPort.postMessage({ id, error: failure instanceof Error ? failure.message : String(failure) });
    } finally {
      console.error = error;
      console.warn = warn;
    }
  });
});
`;

/** The options `paths-types.ts` gives openapi-typescript in-process, and the worker too. */
export const OPENAPI_TS_OPTIONS = { silent: true, defaultNonNullable: false, emptyObjectsUnknown: true } as const;

interface Task {
  resolve(text: string): void;
  reject(error: Error): void;
}

/** Thrown when the worker could not do it (it failed, or is gone): do it in-process. */
export class WorkerUnavailable extends Error {}

let thread: { worker: Worker; tasks: Map<number, Task>; alive: boolean } | undefined;
let users = 0;
let nextId = 0;

/** Starts the worker (once for concurrent generations); it starts loading openapi-typescript at once. */
export function startOpenapiTypescriptThread(): void {
  users++;
  clearTimeout(idle);
  if (thread) return;
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        module: createRequire(import.meta.url).resolve("openapi-typescript"),
        options: OPENAPI_TS_OPTIONS,
        compileCache: (module as { getCompileCacheDir?: () => string | undefined }).getCompileCacheDir?.(),
      },
    });
  } catch {
    return;
  }
  const started = { worker, tasks: new Map<number, Task>(), alive: true };
  thread = started;
  worker.unref();
  const fail = () => {
    if (!started.alive) return;
    started.alive = false;
    if (thread === started) thread = undefined;
    for (const task of started.tasks.values()) task.reject(new WorkerUnavailable("the openapi-typescript worker stopped"));
    started.tasks.clear();
    void worker.terminate();
  };
  worker.on("message", (answer: { id: number; text?: string; error?: string }) => {
    const task = started.tasks.get(answer.id);
    if (!task) return;
    started.tasks.delete(answer.id);
    if (started.tasks.size === 0) worker.unref();
    if (answer.text !== undefined) task.resolve(answer.text);
    else task.reject(new Error(answer.error));
  });
  worker.on("error", fail);
  worker.on("exit", fail);
}

/**
 * Ends the worker a few seconds after every `start` has had its `stop`, unless another
 * generation starts meanwhile (watch mode, a test suite, a service generating on request): the
 * next one then finds openapi-typescript loaded.
 */
export async function stopOpenapiTypescriptThread(): Promise<void> {
  users = Math.max(0, users - 1);
  if (users > 0 || !thread) return;
  clearTimeout(idle);
  idle = setTimeout(() => {
    if (users > 0 || !thread) return;
    const { worker, tasks } = thread;
    thread = undefined;
    for (const task of tasks.values()) task.reject(new WorkerUnavailable("the openapi-typescript worker was stopped"));
    tasks.clear();
    void worker.terminate();
  }, IDLE_MS);
  idle.unref();
}

/**
 * `work` with the worker started (before it, so that the worker loads openapi-typescript while
 * `work` loads the generator) and stopped after it, however it ends.
 */
export async function withOpenapiTypescriptThread<T>(work: () => Promise<T>): Promise<T> {
  startOpenapiTypescriptThread();
  try {
    return await work();
  } finally {
    await stopOpenapiTypescriptThread();
  }
}

/** How long an unused worker is kept for the next generation. */
const IDLE_MS = 5_000;
let idle: ReturnType<typeof setTimeout> | undefined;

/**
 * openapi-typescript's output for `document` (its `$ref`s to other files relative to `cwd`),
 * from the worker; rejects with its error, or with `WorkerUnavailable` when there is no worker.
 */
export function typesOnThread(document: unknown, cwd: URL): Promise<string> {
  const current = thread;
  if (!current?.alive) return Promise.reject(new WorkerUnavailable("no openapi-typescript worker"));
  return new Promise((resolve, reject) => {
    const id = nextId++;
    current.tasks.set(id, { resolve, reject });
    current.worker.ref();
    try {
      current.worker.postMessage({ id, document, cwd: cwd.href });
    } catch (error) {
      // A document that cannot be copied to the worker (it is plain data, so: never).
      current.tasks.delete(id);
      reject(new WorkerUnavailable(String(error)));
    }
  });
}
