// sweep/run-sweep: runs a sweep end to end — plan, resume from `<out>.partial/`, run the
// (shard's) tasks inline or on Piscina, store each result as it completes, then write the folder
// atomically and drop the partial folder. Failed runs (invalid point, error, violation) are
// recorded and the sweep goes on. Results are byte-identical for any worker count, completion
// order, interruption and resume (timing.json aside).
// May import: scenario, world, metrics, report, kernel.

import { availableParallelism } from "node:os";
import { assertReplaceable, outputError } from "../metrics/index.js";
import { buildManifest } from "./manifest.js";
import { failuresOf, type ShardInfo, statusCounts, type SweepWarnings, sweepWarnings, type TaskFailure, writeSweepFolder } from "./outputs.js";
import { defaultOutDir, planSweep, type SweepPlan } from "./plan.js";
import { createRunner, runBatch, type TaskRunner } from "./pool.js";
import type { SweepProgress } from "./progress.js";
import { inShard } from "./shard.js";
import { canonicalResult, estimatedTaskSeconds, type TaskPayload, type TaskResult, type TaskStatus } from "./task.js";
import type { RunnableScenario } from "../world/models.js";
import { WorkDir } from "./work-dir.js";

export interface SweepOptions {
  /** Worker threads; 0 or 1 runs inline. Default: os.availableParallelism(). */
  workers?: number;
  /** Output folder. Default: results/<scenario>/sweep-<spechash8>[-shard<I>of<N>]. */
  out?: string;
  /** Reuse finished tasks from `<out>.partial/`. */
  resume?: boolean;
  shard?: ShardInfo;
  /** Render charts and report.html into the folder. */
  charts?: boolean;
  /** `--set` overrides (`sweep.*` edit the sweep block, the rest apply to every point). */
  set?: string[];
  onProgress?: (p: SweepProgress) => void;
  /** Stops launching tasks; the partial folder is kept for --resume and no output is written. */
  signal?: AbortSignal;
  /** Compiled worker entry (default: dist/src/sweep/worker.js). */
  workerFile?: string;
  /** Replace an output folder that is not a potsim result. */
  force?: boolean;
  /** Called with the plan and the worker count before any task runs (the CLI checks sizes here); may throw. */
  beforeRun?: (plan: SweepPlan, workers: number) => void;
  /** Called with the base scenario and the sweep's size before its points are resolved; may throw. */
  beforePoints?: (base: RunnableScenario, points: number, replicates: number, workers: number) => void;
  /** Told about tasks run again and leftovers removed from the partial folder. */
  onNote?: (message: string) => void;
  /** How this process collects garbage ("single-threaded" after the CLI's respawn), recorded in timing.json. */
  gc?: string;
}

export interface SweepOutcome {
  dir: string;
  name: string;
  specHash: string;
  /** Tasks of this sweep (or shard). */
  total: number;
  /** Tasks run now / taken from the partial folder. */
  ran: number;
  resumed: number;
  failed: number;
  status: Record<TaskStatus, number>;
  /** The failed tasks (in task order) with their status and message. */
  failures: TaskFailure[];
  /** Points whose runs carry warnings (summary.json `warnings`), overall and per code. */
  warnings: SweepWarnings;
  interrupted: boolean;
  wallSeconds: number;
}

export async function runSweep(specPath: string, opts: SweepOptions = {}): Promise<SweepOutcome> {
  const start = Date.now();
  // A given output folder that cannot be used is refused before any planning.
  if (opts.out !== undefined) assertReplaceable(opts.out, { force: opts.force === true });
  const plan = planSweep(specPath, {
    set: opts.set ?? [],
    beforePoints: (base, points, replicates) => opts.beforePoints?.(base, points, replicates, opts.workers ?? availableParallelism()),
  });
  const manifest = buildManifest(plan);
  const shard = opts.shard;
  const dir = opts.out ?? defaultOutDir(plan, shard);
  const tasks = plan.tasks.filter((t) => inShard(t.index, shard));
  // Refuse a foreign output folder now, not after the sweep has run.
  assertReplaceable(dir, { force: opts.force === true });
  const pendingCount = tasks.filter((t) => plan.points[t.point]!.scenario !== undefined).length;
  opts.beforeRun?.(plan, Math.min(opts.workers ?? availableParallelism(), Math.max(1, pendingCount)));
  const work = WorkDir.forOutput(dir, opts.onNote);
  let results: Map<number, TaskResult>;
  try {
    results = work.open({ specHash: plan.specHash, shard: shard ?? null }, opts.resume === true, tasks);
  } catch (e) {
    throw outputError(work.dir, e);
  }
  const resumed = results.size;

  const pending: TaskPayload[] = [];
  for (const t of tasks) {
    if (results.has(t.index)) continue;
    const point = plan.points[t.point]!;
    if (point.scenario === undefined) {
      results.set(t.index, {
        ...t,
        status: "invalid",
        error: point.error ?? "invalid point",
        warnings: [],
        traceHash: null,
        events: null,
        metrics: {},
      });
    } else pending.push({ ...t, scenario: point.scenario });
  }
  const skipped = results.size;
  let failed = 0;
  for (const r of results.values()) if (r.status !== "ok") failed++;
  const progress = (): SweepProgress => ({ done: results.size, total: tasks.length, failed, skipped });
  opts.onProgress?.(progress());

  const workSeconds = estimatedWork(pending);
  const workers = startedWorkers(opts.workers, pending, availableParallelism(), workSeconds);
  let interrupted = false;
  if (pending.length > 0) {
    const runner = createRunner(workers, opts.workerFile);
    try {
      interrupted = await drain(batches(pending, workers, workSeconds), runner, opts.signal, (r) => {
        const c = canonicalResult(r);
        try {
          work.save(c);
        } catch (e) {
          throw outputError(work.dir, e);
        }
        results.set(c.index, c);
        if (c.status !== "ok") failed++;
        opts.onProgress?.(progress());
      });
    } finally {
      await runner.close();
    }
  }

  const wallSeconds = (Date.now() - start) / 1000;
  const ordered = tasks.map((t) => results.get(t.index)).filter((r): r is TaskResult => r !== undefined);
  const outcome: SweepOutcome = {
    dir,
    name: plan.name,
    specHash: plan.specHash,
    total: tasks.length,
    ran: results.size - skipped,
    resumed,
    failed,
    status: statusCounts(ordered),
    failures: failuresOf(ordered),
    warnings: sweepWarnings(ordered),
    interrupted,
    wallSeconds,
  };
  if (interrupted) return outcome;
  await writeSweepFolder(dir, {
    manifest,
    results: ordered,
    shard,
    charts: opts.charts === true,
    force: opts.force === true,
    timing: {
      wallSeconds: Number(wallSeconds.toFixed(3)),
      workers,
      tasks: tasks.length,
      tasksRun: outcome.ran,
      tasksResumed: resumed,
      ...(opts.gc !== undefined ? { gc: opts.gc } : {}),
      finishedAt: new Date().toISOString(),
    },
  });
  work.remove();
  return outcome;
}

/**
 * Estimated single-thread seconds of work (the size guard's estimate) each worker must have before a
 * sweep given no --workers starts it. A worker pays its start-up and the JIT's warm-up of the world's
 * code (V8 compiles per thread): ~0.4 s for byzantine.yaml alone, 0.7–2 s when every core is busy
 * (`npm run bench -- points`). The estimate is an upper bound (byzantine.yaml's 16 default points
 * are estimated at 15 s and take about 1 s of CPU), so this only catches sweeps that are short even
 * by it — scenarios/sweeps/pbft-loss.yaml, estimated at 2.6 s, ran in 1.1 s on one worker and 1.5 s
 * on two; it now takes one. An explicit --workers N is obeyed.
 */
const SECONDS_PER_WORKER = 4;

/** Workers to start for `pending`: `requested` when given, else as many as the estimated work pays for (at most the cores). */
export function startedWorkers(
  requested: number | undefined,
  pending: readonly TaskPayload[],
  cores = availableParallelism(),
  work = estimatedWork(pending),
): number {
  const most = Math.max(1, pending.length);
  if (requested !== undefined) return Math.min(requested, most);
  const byWork = Math.floor(work / SECONDS_PER_WORKER);
  return Math.max(1, Math.min(cores, most, byWork));
}

/** The size guard's estimate of each task's seconds on one thread, summed. */
function estimatedWork(pending: readonly TaskPayload[]): number {
  let total = 0;
  for (const t of pending) total += estimatedTaskSeconds(t);
  return total;
}

/** Estimated seconds of work per message round trip to a worker thread: shorter tasks go several at a time. */
const BATCH_SECONDS = 0.1;
/** At least this many batches per worker, so the last ones still spread over the workers. */
const BATCHES_PER_WORKER = 4;
const MAX_BATCH = 64;

/**
 * The pending tasks in order, cut into batches of equal size: one task each inline, or when tasks are
 * long; several when a task is estimated (size guard) well under BATCH_SECONDS, so a sweep of
 * millisecond tasks is not a sweep of message round trips. Results do not depend on the batching.
 */
export function batches(pending: readonly TaskPayload[], workers: number, work?: number): TaskPayload[][] {
  let size = 1;
  if (workers > 1 && pending.length > 0) {
    const total = work ?? estimatedWork(pending);
    const byTime = Math.floor(BATCH_SECONDS / Math.max(total / pending.length, 1e-6));
    const byBalance = Math.floor(pending.length / (workers * BATCHES_PER_WORKER));
    size = Math.max(1, Math.min(byTime, byBalance, MAX_BATCH));
  }
  const out: TaskPayload[][] = [];
  for (let i = 0; i < pending.length; i += size) out.push(pending.slice(i, i + size));
  return out;
}

/**
 * Runs batches of tasks with at most 2 × concurrency batches in flight (so large sweeps do not queue
 * every scenario at once). Returns true when stopped by the signal; results arriving after that are
 * dropped.
 */
function drain(
  work: readonly TaskPayload[][],
  runner: TaskRunner,
  signal: AbortSignal | undefined,
  onResult: (r: TaskResult) => void,
): Promise<boolean> {
  const limit = Math.max(1, runner.concurrency * 2);
  return new Promise<boolean>((resolve, reject) => {
    let next = 0;
    let inFlight = 0;
    let stopped = false;
    let failedWith: unknown;
    const settle = () => {
      if (inFlight > 0) return;
      if (failedWith !== undefined) reject(failedWith);
      else resolve(stopped);
    };
    const pump = () => {
      if (signal?.aborted) stopped = true;
      while (!stopped && failedWith === undefined && inFlight < limit && next < work.length) {
        const batch = work[next++]!;
        inFlight++;
        runBatch(runner, batch).then(
          (results) => {
            inFlight--;
            for (const r of results) {
              if (stopped || failedWith !== undefined) break;
              try {
                onResult(r);
              } catch (e) {
                failedWith = e;
              }
            }
            pump();
          },
          (e: unknown) => {
            inFlight--;
            failedWith ??= e;
            pump();
          },
        );
      }
      if (stopped || failedWith !== undefined || next >= work.length) settle();
    };
    signal?.addEventListener("abort", () => pump(), { once: true });
    pump();
  });
}
