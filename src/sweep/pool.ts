// sweep/pool: where tasks run — inline in this thread (workers ≤ 1) or on a Piscina pool of
// worker threads, each task one world. Piscina loads compiled JS: the worker is
// dist/src/sweep/worker.js, found next to this file when running compiled, or under the package
// root's dist/ when running from TypeScript sources (tests).
// May import: scenario, world, metrics, report, kernel.

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Piscina } from "piscina";
import { executeTaskLoading } from "./execute.js";
import type { TaskPayload, TaskResult } from "./task.js";
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

export function piscinaRunner(workers: number, workerFile = defaultWorkerFile()): TaskRunner {
  if (!existsSync(workerFile)) {
    throw new Error(`sweep worker ${workerFile} not found; build first (npm run build) or use --workers 1`);
  }
  const pool = new Piscina<TaskPayload | TaskPayload[], TaskResult | TaskResult[]>({
    filename: pathToFileURL(workerFile).href,
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 5_000,
  });
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
  return {
    concurrency: workers,
    run(task) {
      return (pool.run(task) as Promise<TaskResult>).catch((e: unknown) => failed(task, e));
    },
    runBatch(tasks) {
      return (pool.run(tasks) as Promise<TaskResult[]>).catch((e: unknown) => tasks.map((t) => failed(t, e)));
    },
    close: () => pool.destroy(),
  };
}

/** Inline for 0 or 1 workers, else a Piscina pool of `workers` threads. */
export function createRunner(workers: number, workerFile?: string): TaskRunner {
  return workers <= 1 ? inlineRunner() : piscinaRunner(workers, workerFile);
}
