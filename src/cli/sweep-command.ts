// `sim sweep <spec>`: runs a parameter sweep (grid/zip/random/LHS × replicates) over worker
// threads into results/<scenario>/sweep-<spechash8>/ (or --out), with progress on stderr,
// --resume after an interruption, and --shard I/N (or Slurm / Indexed Job environment) for clusters.
// Exit codes: 0 all runs ok, 1 some run failed (invalid point, error or violation), 2 usage or
// scenario error (also: a sweep that sweeps nothing, a swept key that is not a scenario key, an
// output or partial folder that cannot be used, a point too large for the machine without --force),
// 130 interrupted (partial results kept for --resume). Points whose runs carry warnings (a declared
// actor that never acted: summary.json `warnings`) are counted on stderr, even with --quiet.
// May import: everything.

import { estimateRunSize, type ResolvedScenario, ScenarioError } from "../scenario/index.js";
import {
  inShard,
  progressPrinter,
  ResumeMismatchError,
  resolveShard,
  runSweep,
  ShardError,
  type ShardInfo,
  type SweepPlan,
  sweepWarningsLine,
  type TaskFailure,
  WorkDirError,
} from "../sweep/index.js";
import { EXIT_INTERRUPTED, EXIT_OK, EXIT_VIOLATION, UsageError } from "./exit-codes.js";
import { gcMode, RESPAWN_MIN_SECONDS, RespawnRequest, respawnWithSingleThreadedGc } from "./gc-respawn.js";
import { checkRunSize, estimatedSeconds } from "./size-guard.js";


export interface SweepCommandOptions {
  workers?: number;
  out?: string;
  resume?: boolean;
  /** `I/N`. */
  shard?: string;
  /** Shard count when the index comes from the environment. */
  shards?: number;
  set?: string[];
  charts?: boolean;
  quiet?: boolean;
  /** Run points over the machine's estimated size; replace an output folder that is not a potsim result. */
  force?: boolean;
  /**
   * Run the sweep again in a child with single-threaded GC (gc-respawn.ts) if, once planned, its tasks
   * come to at least RESPAWN_MIN_SECONDS of estimated work. Nothing is written before that decision.
   */
  respawnIfLong?: boolean;
}

/** Estimated single-thread seconds of the sweep's (shard's) valid tasks. */
function sweepSeconds(plan: SweepPlan, shard: ShardInfo | undefined): number {
  const perPoint = plan.points.map((p) =>
    p.scenario === undefined ? 0 : estimatedSeconds(p.scenario.model, estimateRunSize(p.scenario as unknown as ResolvedScenario).events),
  );
  let s = 0;
  for (const t of plan.tasks) if (inShard(t.index, shard)) s += perPoint[t.point]!;
  return s;
}

/**
 * The size guard for the sweep: every valid point with as many worlds at once as there are workers
 * (and the results of all tasks kept until the end), and the events of all tasks together.
 */
function checkPointSizes(specFile: string, force: boolean, shard: ShardInfo | undefined) {
  return (plan: SweepPlan, workers: number) => {
    if (force) return;
    const tasks = plan.tasks.filter((t) => inShard(t.index, shard) && plan.points[t.point]!.scenario !== undefined).length;
    if (tasks === 0) return;
    // Each point as if every task were that point: an upper bound on the sweep's events.
    for (const p of plan.points) {
      if (p.scenario === undefined) continue;
      const label = `${specFile} point ${p.index}${p.overrides.length > 0 ? ` (${p.overrides.join(" ")})` : ""}`;
      checkRunSize(p.scenario as unknown as ResolvedScenario, { label, concurrent: workers, tasks, points: plan.points.length });
    }
  };
}

export function reportFailures(failures: readonly TaskFailure[], max = 20): void {
  for (const f of failures.slice(0, max)) {
    process.stderr.write(`${f.status} point ${f.point} replicate ${f.replicate} (seed ${f.seed}): ${f.error}\n`);
  }
  if (failures.length > max) process.stderr.write(`… and ${failures.length - max} more failed runs (see runs.csv)\n`);
}

export async function sweepCommand(specFile: string, o: SweepCommandOptions): Promise<number> {
  let shard: ReturnType<typeof resolveShard>;
  try {
    shard = resolveShard({ shard: o.shard, shards: o.shards, env: process.env });
  } catch (e) {
    if (e instanceof ShardError) throw new UsageError(e.message);
    throw e;
  }
  const label = shard ? `sweep ${specFile} shard ${shard.index}/${shard.count}` : `sweep ${specFile}`;
  const printer = o.quiet ? undefined : progressPrinter(label);
  const abort = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT_INTERRUPTED);
    process.stderr.write("\ninterrupted: waiting for running tasks (Ctrl-C again to quit now); resume with --resume\n");
    abort.abort();
  };
  process.on("SIGINT", onSigint);
  let last = { done: 0, total: 0, failed: 0, skipped: 0 };
  try {
    const outcome = await runSweep(specFile, {
      workers: o.workers,
      out: o.out,
      resume: o.resume === true,
      shard,
      charts: o.charts !== false,
      set: o.set ?? [],
      signal: abort.signal,
      force: o.force === true,
      gc: gcMode(),
      beforeRun: (plan, workers) => {
        checkPointSizes(specFile, o.force === true, shard)(plan, workers);
        if (o.respawnIfLong === true && workers > 1 && sweepSeconds(plan, shard) >= RESPAWN_MIN_SECONDS) throw new RespawnRequest();
      },
      beforePoints: (base, points, replicates, workers) => {
        // Before resolving every point: the base scenario stands for them (a huge design stops here).
        if (o.force === true) return;
        const tasks = shard ? Math.ceil((points * replicates) / shard.count) : points * replicates;
        checkRunSize(base as unknown as ResolvedScenario, { label: `${specFile} (${points} points × ${replicates} replicates)`, concurrent: workers, tasks, points });
      },
      onNote: (m) => process.stderr.write(`${m}\n`),
      onProgress: (p) => {
        last = p;
        printer?.update(p);
      },
    });
    printer?.finish(last);
    if (outcome.interrupted) {
      process.stderr.write(`partial results kept in ${outcome.dir}.partial; rerun with --resume to continue\n`);
      return EXIT_INTERRUPTED;
    }
    reportFailures(outcome.failures);
    // Runs that finished but never saw a declared actor act: said even with --quiet, like failures.
    const warned = sweepWarningsLine(outcome.warnings);
    if (warned !== undefined) process.stderr.write(`${warned}\n`);
    if (!o.quiet) {
      const s = outcome.status;
      process.stdout.write(
        `${outcome.name} sweep ${outcome.specHash}: tasks=${outcome.total} ok=${s.ok} invalid=${s.invalid} ` +
          `error=${s.error} violation=${s.violation} resumed=${outcome.resumed} -> ${outcome.dir}\n`,
      );
    }
    return outcome.failed > 0 ? EXIT_VIOLATION : EXIT_OK;
  } catch (e) {
    if (e instanceof RespawnRequest) {
      process.off("SIGINT", onSigint);
      return await respawnWithSingleThreadedGc();
    }
    if (e instanceof ScenarioError || e instanceof ResumeMismatchError || e instanceof WorkDirError) throw new UsageError(e.message);
    throw e;
  } finally {
    process.off("SIGINT", onSigint);
  }
}
