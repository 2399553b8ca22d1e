/**
 * Server processes for tests (brokers, Restate): spawned with their output kept, stopped with
 * SIGTERM then SIGKILL after a deadline, their temporary directory removed, and killed if the
 * test process exits without stopping them. Also: a free loopback port, and waiting until a
 * process is ready. Used by `brokers.ts` and `restate.ts`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants, rmSync } from "node:fs";
import net from "node:net";

/** Processes not yet stopped (child and directory to remove), killed if the test process exits without stopping them. */
const running = new Map<ChildProcess, string | undefined>();
let guarded = false;

function guardExit(): void {
  if (guarded) return;
  guarded = true;
  // Only synchronous work runs in an `exit` handler: a kill and a synchronous removal are.
  process.on("exit", () => {
    for (const [child, dir] of running) {
      child.kill("SIGKILL");
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** A process that exited or failed to spawn while it was being started: starting again (on new ports) may help. */
export class ProcessExited extends Error {}

export interface Spawned {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  /** Set once the process exited or failed to spawn. */
  gone(): ProcessExited | undefined;
  output(): string;
  /** Sends `signal` (SIGKILL after the deadline), waits for the exit, removes `dir`. Idempotent. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function spawnTracked(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; dir?: string; stopDeadlineMs: number },
): Spawned {
  guardExit();
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
  running.set(child, options.dir);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  let gone: ProcessExited | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      gone ??= new ProcessExited(`it exited (${signal ?? `code ${code}`})`);
      resolve();
    }),
  );
  child.once("error", (error) => (gone ??= new ProcessExited(`spawn failed: ${error.message}`)));
  let stopping: Promise<void> | undefined;
  const stop = (signal: NodeJS.Signals = "SIGTERM") =>
    (stopping ??= (async () => {
      // A child that failed to spawn has no pid and never emits `exit`.
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const killer = setTimeout(() => child.kill("SIGKILL"), options.stopDeadlineMs);
        await exited;
        clearTimeout(killer);
      }
      if (options.dir) rmSync(options.dir, { recursive: true, force: true });
      running.delete(child);
    })());
  return { child, exited, gone: () => gone, output: () => output, stop };
}

/** Resolves once `ready()` is true; rejects when the process exits, fails to spawn, or the deadline passes. */
export async function waitUntil(process: Spawned, ready: () => Promise<boolean>, deadlineMs: number, pollMs = 50): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (true) {
    const gone = process.gone();
    if (gone) throw gone;
    if (await ready()) return;
    if (Date.now() > deadline) throw new Error(`not ready within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** A port the OS says is free: listen on port 0, read it, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether `port` on 127.0.0.1 accepts a connection now. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
