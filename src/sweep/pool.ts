// sweep/pool: where tasks run — inline in this thread (workers ≤ 1) or on a Piscina pool of
// worker threads, each task one world. Piscina loads compiled JS: the worker is
// dist/src/sweep/worker.js, found next to this file when running compiled, or under the package
// root's dist/ when running from TypeScript sources (tests). A pool is watched by a StallWatch
// (stall-guard.ts): tasks that get no result for far longer than their estimate are run again on a
// new thread, and once more stalled become error results, so a run never waits forever on a thread.
// May import: scenario, world, metrics, report, kernel.

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Piscina } from "piscina";
import { executeTaskLoading } from "./execute.js";
import { type StallReport, StallWatch } from "./stall-guard.js";
import { estimatedTaskSeconds, type TaskPayload, type TaskResult } from "./task.js";
import { packageRoot } from "./version.js";

export interface TaskRunner {
  /** How many tasks run at once. */
  readonly concurrency: number;
  run(task: TaskPayload): Promise<TaskResult>;
  /** Runs several tasks one after the other in one message round trip; results in the tasks' order. */
  runBatch?(tasks: TaskPayload[]): Promise<TaskResult[]>;
  close(): Promise<void>;
}

/** `tasks` on `runner` in one round trip when it can batch, else task by task (results in order). */
export function runBatch(runner: TaskRunner, tasks: TaskPayload[]): Promise<TaskResult[]> {
  if (tasks.length === 1) return runner.run(tasks[0]!).then((r) => [r]);
  return runner.runBatch ? runner.runBatch(tasks) : Promise.all(tasks.map((t) => runner.run(t)));
}

/** The compiled worker entry. */
export function defaultWorkerFile(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".js")) return join(dirname(here), "worker.js");
  return join(packageRoot, "dist", "src", "sweep", "worker.js");
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export function inlineRunner(): TaskRunner {
  return {
    concurrency: 1,
    async run(task) {
      await nextTurn(); // let progress output and signals through between worlds
      return executeTaskLoading(task);
    },
    async close() {},
  };
}

export interface PoolOptions {
  /** Told of each stall (default: one line on stderr). */
  onStall?: (r: StallReport) => void;
  /** Seconds without a result before the estimate-based allowance (tests shorten it; default STALL_FLOOR_SEC). */
  stallFloorSec?: number;
}

/** The default stall report: one line on stderr (the outputs are unchanged by a rerun). */
function printStall(r: StallReport): void {
  const what = r.tasks === 1 ? "1 task" : `${r.tasks} tasks`;
  const then = r.retried ? "restarted on new worker threads" : "given up as errors (stalled twice)";
  process.stderr.write(`warning: the worker threads returned no result for ${r.seconds.toFixed(0)} s; ${what} ${then}\n`);
}

/** Seconds a pool close may take before the run goes on without it (threads left are terminated by the process's exit). */
const CLOSE_LIMIT_SEC = 10;

export function piscinaRunner(workers: number, workerFile = defaultWorkerFile(), opts: PoolOptions = {}): TaskRunner {
  if (!existsSync(workerFile)) {
    throw new Error(`sweep worker ${workerFile} not found; build first (npm run build) or use --workers 1`);
  }
  const pool = new Piscina<TaskPayload | TaskPayload[], TaskResult | TaskResult[]>({
    filename: pathToFileURL(workerFile).href,
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 5_000,
  });
  const watch = new StallWatch(opts.onStall ?? printStall, opts.stallFloorSec);
  const failed = (task: TaskPayload, e: unknown): TaskResult => ({
    index: task.index,
    point: task.point,
    replicate: task.replicate,
    seed: task.seed,
    status: "error" as const,
    error: `worker failed: ${e instanceof Error ? e.message : String(e)}`.replace(/\s*\n\s*/g, " | "),
    warnings: [],
    traceHash: null,
    events: null,
    metrics: {},
  });
  /** Runs `payload` under the watch: a first stall submits it again, a second rejects with the stall's reason. */
  const watched = <R>(payload: TaskPayload | TaskPayload[], estimatedSec: number, retry = true): Promise<R> => {
    const entry = watch.start(estimatedSec, retry);
    return (pool.run(payload, { signal: entry.signal }) as Promise<R>).then(
      (r) => {
        watch.done(entry);
        return r;
      },
      (e: unknown) => {
        watch.done(entry);
        if (!entry.stalled) throw e;
        if (retry) return watched<R>(payload, estimatedSec, false);
        throw entry.signal.reason;
      },
    );
  };
  return {
    concurrency: workers,
    run(task) {
      return watched<TaskResult>(task, estimatedTaskSeconds(task)).catch((e: unknown) => failed(task, e));
    },
    runBatch(tasks) {
      const sec = tasks.reduce((sum, t) => sum + estimatedTaskSeconds(t), 0);
      return watched<TaskResult[]>(tasks, sec).catch((e: unknown) => tasks.map((t) => failed(t, e)));
    },
    async close() {
      watch.stop();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const limit = new Promise<"late">((resolve) => {
        timer = setTimeout(() => resolve("late"), CLOSE_LIMIT_SEC * 1000);
        timer.unref();
      });
      const closed = await Promise.race([pool.destroy(), limit]).finally(() => clearTimeout(timer));
      if (closed === "late") process.stderr.write(`warning: the worker threads did not stop within ${CLOSE_LIMIT_SEC} s; going on without them\n`);
    },
  };
}

/** Inline for 0 or 1 workers, else a Piscina pool of `workers` threads. */
export function createRunner(workers: number, workerFile?: string): TaskRunner {
  return workers <= 1 ? inlineRunner() : piscinaRunner(workers, workerFile);
}
