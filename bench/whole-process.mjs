/**
 * One command measured as a whole process, the way a user waits for it: wall time from
 * spawning it to its exit (measured here, in the parent), CPU time and peak memory of the
 * process and of every process it starts (the generator runs `tsgo` as a child for the
 * type-check; under tsx there is also esbuild's service process).
 *
 * Memory, three figures:
 *   peakMB          the largest peak RSS of any one process of the tree: GNU time's `%M`,
 *                   which is `ru_maxrss` of the waited-for child with RUSAGE_BOTH semantics
 *                   (the maximum over the process and its waited-for descendants). Exact
 *                   (kernel accounting), but a maximum, not a sum.
 *   childrenPeakMB  the largest RSS of any descendant of the measured process (tsgo, esbuild),
 *                   sampled every `sampleMs` from /proc.
 *   treePeakMB      the largest sum of RSS over the whole tree at one sample: what the machine
 *                   must hold while the generator waits for tsgo. Sampled, so a short spike
 *                   can be missed; RSS counts shared pages once per process.
 * CPU: GNU time's `%U + %S`, which includes waited-for children (tsgo's threads too).
 *
 * Without /usr/bin/time (or off Linux) only the wall time and the sampled figures remain
 * (`timeTool: null`); the /proc sampling needs Linux. The process tree is found by scanning
 * /proc/<pid>/stat for parent ids (about 100 small reads per sample here), since
 * /proc/<pid>/task/<tid>/children is not available on every kernel.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const TIME = process.platform === "linux" && existsSync("/usr/bin/time") ? "/usr/bin/time" : null;
const PROC = process.platform === "linux" && existsSync("/proc/self/stat");
const PAGE = 4096; // x64 Linux; `getconf PAGESIZE`

/** pid → { ppid, rssBytes, name } for every process, from /proc/<pid>/stat. */
function processTable() {
  const table = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited between readdir and read
    }
    const close = stat.lastIndexOf(")");
    const fields = stat.slice(close + 2).split(" "); // fields[0] is field 3 (state)
    table.set(Number(entry), { ppid: Number(fields[1]), rssBytes: Number(fields[21]) * PAGE, name: stat.slice(stat.indexOf("(") + 1, close) });
  }
  return table;
}

/** Samples the tree under `rootPid` (or under its first child, the command behind `skipWrapper`) every `sampleMs`. */
function treeSampler(rootPid, { sampleMs, skipWrapper }) {
  const peaks = { treePeakBytes: 0, childrenPeakBytes: 0, childrenSeen: new Set(), samples: 0 };
  if (!PROC) return { stop: () => peaks };
  const sample = () => {
    const table = processTable();
    const kids = new Map();
    for (const [pid, p] of table) {
      if (!kids.has(p.ppid)) kids.set(p.ppid, []);
      kids.get(p.ppid).push(pid);
    }
    // With /usr/bin/time in front, the measured process is the wrapper's child (the wrapper is left out).
    const measured = skipWrapper ? (kids.get(rootPid) ?? [])[0] : rootPid;
    if (measured === undefined) return;
    let sum = 0;
    const walk = (pid, depth) => {
      const p = table.get(pid);
      if (!p) return;
      sum += p.rssBytes;
      if (depth > 0) {
        peaks.childrenPeakBytes = Math.max(peaks.childrenPeakBytes, p.rssBytes);
        peaks.childrenSeen.add(p.name);
      }
      for (const k of kids.get(pid) ?? []) walk(k, depth + 1);
    };
    walk(measured, 0);
    peaks.treePeakBytes = Math.max(peaks.treePeakBytes, sum);
    peaks.samples++;
  };
  const timer = setInterval(sample, sampleMs);
  return {
    stop: () => {
      clearInterval(timer);
      return peaks;
    },
  };
}

let seq = 0;

/**
 * Runs `command args` (cwd, env) to its exit. Resolves { wallMs, stdout, stderr, peakMB,
 * childrenPeakMB, treePeakMB, processCpuMs, children, timeTool }; rejects when the command
 * fails, with its stderr.
 */
export function measureProcess(command, args, { cwd, env, sampleMs = 50, tmpDir = os.tmpdir() } = {}) {
  const timeFile = path.join(tmpDir, `whole-process-${process.pid}-${seq++}.txt`);
  const [cmd, argv] = TIME ? [TIME, ["-f", "%e %M %U %S", "-o", timeFile, command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, argv, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    const sampler = treeSampler(child.pid, { sampleMs, skipWrapper: Boolean(TIME) });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
    let wallMs;
    let exit;
    child.on("exit", (code, signal) => {
      wallMs = performance.now() - started;
      exit = { code, signal };
    });
    child.on("error", (error) => {
      sampler.stop();
      reject(error);
    });
    child.on("close", () => {
      const peaks = sampler.stop();
      let time;
      if (TIME && existsSync(timeFile)) {
        // A failing command adds a "Command exited with non-zero status" line first.
        const [elapsedS, maxRSSKB, userS, systemS] = readFileSync(timeFile, "utf8").trim().split("\n").at(-1).split(" ").map(Number);
        time = { elapsedS, maxRSSKB, userS, systemS };
        rmSync(timeFile, { force: true });
      }
      if (exit.code !== 0) {
        reject(new Error(`${[command, ...args].join(" ")} failed (${exit.code ?? exit.signal}):\n${stderr}\n${stdout}`.slice(0, 4000)));
        return;
      }
      resolve({
        wallMs,
        stdout,
        stderr,
        peakMB: time ? time.maxRSSKB / 1024 : undefined,
        processCpuMs: time ? (time.userS + time.systemS) * 1000 : undefined,
        childrenPeakMB: PROC ? peaks.childrenPeakBytes / 2 ** 20 : undefined,
        treePeakMB: PROC ? peaks.treePeakBytes / 2 ** 20 : undefined,
        children: [...peaks.childrenSeen].sort(),
        samples: peaks.samples,
        timeTool: time ? TIME : null,
      });
    });
  });
}
