// `sim tune <spec>`: searches the parameters of a scenario's `tune:` block with CMA-ES, running
// candidates on worker threads, into results/<scenario>/tune-<spechash8>/ (or --out), with one
// progress line per generation on stderr and --resume after an interruption.
// Exit codes: 0 a feasible best was found, 1 no evaluation met the constraints (or every run
// failed), 2 usage, scenario or expression error, 130 interrupted (runs kept for --resume).
// May import: everything.

import { availableParallelism } from "node:os";
import { type ResolvedScenario, ScenarioError } from "../scenario/index.js";
import { ResumeMismatchError } from "../sweep/index.js";
import { candidateValues, planTune, runTune, scenarioFor, TuneError, type TunePlan } from "../tune/index.js";
import { EXIT_INTERRUPTED, EXIT_OK, EXIT_VIOLATION, UsageError } from "./exit-codes.js";
import { checkRunSize } from "./size-guard.js";

export interface TuneCommandOptions {
  workers?: number;
  out?: string;
  resume?: boolean;
  set?: string[];
  charts?: boolean;
  quiet?: boolean;
  /** Run even when the candidates' estimated size exceeds the machine. */
  force?: boolean;
}

/**
 * The size guard for a tuning study: every candidate lies inside the parameters' bounds, so the
 * guard checks the two corners (every parameter at its lower bound, every one at its upper bound;
 * sizes grow with counts and durations one way or the other) with as many runs at once as workers
 * and budget × replicates runs in all. A corner the scenario rules reject is skipped: candidates
 * there fail as runs, which the study reports. Returns the plan, which the study then uses as it is.
 */
function checkTuneSize(specFile: string, o: TuneCommandOptions): TunePlan {
  const plan = planTune(specFile, { set: o.set ?? [] });
  const tasks = plan.spec.budget * plan.spec.replicates;
  const concurrent = Math.min(o.workers ?? availableParallelism(), tasks);
  for (const [corner, unit] of [["lower", 0], ["upper", 1]] as const) {
    const { overrides } = candidateValues(plan, plan.params.map(() => unit));
    let scenario: ResolvedScenario;
    try {
      scenario = scenarioFor(plan.doc, [...plan.sets, ...overrides]) as unknown as ResolvedScenario;
    } catch (e) {
      if (e instanceof ScenarioError) continue;
      throw e;
    }
    const label = `${specFile} (candidates at the ${corner} bounds, ${plan.spec.budget} evaluations × ${plan.spec.replicates} replicates)`;
    checkRunSize(scenario, { label, concurrent: Math.max(1, concurrent), tasks, force: o.force });
  }
  return plan;
}

export async function tuneCommand(specFile: string, o: TuneCommandOptions): Promise<number> {
  const abort = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    if (++interrupts > 1) process.exit(EXIT_INTERRUPTED);
    process.stderr.write("\ninterrupted: finishing this generation (Ctrl-C again to quit now); resume with --resume\n");
    abort.abort();
  };
  process.on("SIGINT", onSigint);
  const start = Date.now();
  try {
    const plan = checkTuneSize(specFile, o);
    const outcome = await runTune(specFile, {
      plan,
      workers: o.workers,
      out: o.out,
      resume: o.resume === true,
      set: o.set ?? [],
      charts: o.charts !== false,
      signal: abort.signal,
      onProgress: (p) => {
        if (o.quiet) return;
        const b = p.best;
        const best = b === undefined || b.objective === null ? "none" : `${b.objective}${b.feasible ? "" : " (infeasible)"}`;
        process.stderr.write(`tune ${specFile}: generation ${p.generation + 1}, ${p.evaluations}/${p.budget} evaluations, best ${best}\n`);
      },
    });
    if (outcome.stop === "interrupted") {
      process.stderr.write(`partial results kept in ${outcome.dir}.partial; rerun with --resume to continue\n`);
      return EXIT_INTERRUPTED;
    }
    const b = outcome.best;
    if (!o.quiet) {
      const wall = ((Date.now() - start) / 1000).toFixed(1);
      process.stdout.write(
        `${outcome.name} tune ${outcome.specHash}: evaluations=${outcome.evaluations.length} generations=${outcome.generations} ` +
          `stop=${outcome.stop} resumed=${outcome.resumed} best=${b?.objective ?? "none"} feasible=${b?.feasible ?? false} ${wall}s -> ${outcome.dir}\n`,
      );
    }
    return b?.feasible ? EXIT_OK : EXIT_VIOLATION;
  } catch (e) {
    if (e instanceof ScenarioError || e instanceof ResumeMismatchError || e instanceof TuneError) throw new UsageError(e.message);
    throw e;
  } finally {
    process.off("SIGINT", onSigint);
  }
}
