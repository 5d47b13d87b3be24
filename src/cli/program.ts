// The command-line program (`sim` / `potsim`): argument parsing and the mapping of every outcome to
// an exit code, for the entry in main.ts and for tests that run it in-process. Usage problems
// (a bad scenario, argument, output folder or sweep folder) are one message and exit 2; anything
// else unexpected is exit 3 with one line and a crash report (crash.ts), never a stack trace.
// May import: everything.

import { availableParallelism } from "node:os";
import { Command, CommanderError, Option } from "commander";
import { OutputError } from "../metrics/index.js";
import { ScenarioError } from "../scenario/index.js";
import { reportInternalError } from "./crash.js";
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, UsageError } from "./exit-codes.js";
import { respawnWithSingleThreadedGc, shouldRespawn } from "./gc-respawn.js";
import { version } from "./version.js";

// Each command's module (and through it the scenario loader, the worlds, Piscina or vega) is loaded
// only when that command runs: `sim --help` stays instant, and a sweep that runs itself again with
// single-threaded GC does not load the simulator twice before its first task.

/** Most worker threads a command starts (more only queue for the same cores and memory). */
export const MAX_WORKERS = 256;

/** A non-negative integer option in [0, max]. */
function parseCount(name: string, max: number) {
  return (text: string): number => {
    const v = Number(text);
    if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(v) || v > max) {
      throw new UsageError(`${name} must be an integer from 0 to ${max}, got ${JSON.stringify(text)}`);
    }
    return v;
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

const FORCE_HELP =
  "run even when the estimated size exceeds this machine, and replace an output folder that is not a potsim result";

export function buildProgram(setCode: (code: number) => void, name = "sim"): Command {
  const program = new Command(name)
    .description("potsim: deterministic simulation of Proof-of-Traffic rewards settled by a PBFT chain")
    .version(version, "-V, --version")
    .showHelpAfterError()
    .exitOverride();

  program
    .command("run")
    .description("run one seeded scenario and write results/<scenario>/<run-id>/")
    .argument("<scenario>", "scenario YAML file")
    .option("--seed <n>", "seed (default: the scenario's seed)")
    .option("--out <dir>", "output folder (default: results/<scenario>/<run-id>)")
    .option("--until <t>", "simulated seconds to run (default: the scenario's until)")
    .option("--set <key=value>", "override a scenario value (repeatable)", collect, [])
    .option("--force", FORCE_HELP)
    .addOption(new Option("--no-charts", "skip chart rendering (and trace.html)"))
    .option("--trace", "write the event trace trace.jsonl (and trace.html next to report.html)")
    .option("--trace-kinds <list>", "trace only these message kinds and event names (implies --trace)")
    .option("--trace-nodes <list>", "trace only events of these nodes: ids, ranges A..B or labels (implies --trace)")
    .option("--trace-window <t0..t1>", "trace only events in this simulated-time window, seconds (implies --trace)")
    .option("--trace-max-events <n>", "stop tracing after this many events (default 1000000; implies --trace)")
    .action(async (file: string, o) => {
      const { loadScenarioForCli } = await import("./scenario-io.js");
      const { runCommand } = await import("./run-command.js");
      const loaded = loadScenarioForCli(file, o.set, { seed: o.seed, until: o.until });
      const traceRaw = { kinds: o.traceKinds, nodes: o.traceNodes, window: o.traceWindow, maxEvents: o.traceMaxEvents };
      const traced = o.trace === true || Object.values(traceRaw).some((v) => v !== undefined);
      const trace = traced ? (await import("./trace-command.js")).checkTraceOptions(loaded.scenario, traceRaw) : undefined;
      setCode(
        await runCommand(loaded.scenario, {
          seed: loaded.seed,
          out: o.out,
          until: loaded.until,
          charts: o.charts,
          force: o.force === true,
          file,
          sets: o.set,
          trace,
        }),
      );
    });

  const trace = program.command("trace").description("work with the event trace of a run folder (sim run --trace)");
  trace
    .command("export")
    .description("export a run's trace for Perfetto / chrome://tracing (perfetto) or ShiViz (shiviz)")
    .argument("<run-dir>", "run folder written with --trace")
    .addOption(new Option("--format <format>", "output format").choices(["perfetto", "shiviz"]).makeOptionMandatory())
    .option("--out <file>", "output file (default: <run-dir>/trace.perfetto.json or <run-dir>/trace.shiviz.log)")
    .option("--force", "shiviz: export even above its size limits; replace an --out file that is not an export")
    .action(async (dir: string, o) => {
      const { traceExportCommand } = await import("./trace-command.js");
      setCode(traceExportCommand(dir, { format: o.format, out: o.out, force: o.force === true }));
    });

  program
    .command("validate")
    .description("check scenario files without running them")
    .argument("<files...>", "scenario YAML files")
    .action(async (files: string[]) => {
      const { validateCommand } = await import("./scenario-io.js");
      setCode(validateCommand(files));
    });

  program
    .command("check")
    .description("run many seeds of safety scenarios; exit 1 and print replay commands on any violation")
    .argument("<scenarios...>", "scenario YAML files")
    .option("--seeds <list>", "seeds: N, A..B or a comma list", "1..20")
    .option("--check-determinism", "run every seed twice and fail if the trace hashes differ")
    .option("--workers <n>", "worker threads; 0/1 = in-process (default: all cores)", parseCount("--workers", MAX_WORKERS))
    .option("--set <key=value>", "override a scenario value (repeatable)", collect, [])
    .option("--junit <file>", "write JUnit XML: a testsuite per scenario, a testcase per seed, coverage as properties")
    .option("--out <dir>", "write a check folder: manifest.json and coverage.csv (seeds that reached each path)")
    .option("--require-coverage <paths>", "fail (exit 1) when no seed reaches one of these paths (comma list, e.g. view-change,state-transfer)")
    .option("--force", "run even when the estimated size exceeds this machine, and replace a --junit file or --out folder that is not a check's")
    .option("--replica <module#export>", "run every PBFT replica as this class (a compiled ES module's export extending Replica): checker self-tests with deliberately broken replicas")
    .option("--shrink <dir>", "shrink the first 3 violating seeds into minimal scenarios under this folder and attach them to the failures (JUnit, job summary)")
    .option("--shrink-budget <time>", "wall time of each shrink (e.g. 90s, 5m)", "2m")
    .action(async (files: string[], o) => {
      const { checkCommand, parseReplicaOption, parseRequiredPaths, parseSeeds } = await import("./check-command.js");
      setCode(
        await checkCommand(files, {
          seeds: parseSeeds(o.seeds),
          replica: o.replica === undefined ? undefined : parseReplicaOption(o.replica),
          checkDeterminism: o.checkDeterminism === true,
          workers: o.workers,
          set: o.set,
          respawn: true,
          force: o.force === true,
          junit: o.junit,
          out: o.out,
          requireCoverage: o.requireCoverage === undefined ? undefined : parseRequiredPaths(o.requireCoverage),
          shrink: o.shrink,
          shrinkBudgetMs: o.shrink === undefined ? undefined : (await import("./shrink-command.js")).parseBudget(o.shrinkBudget),
        }),
      );
    });

  program
    .command("shrink")
    .description("shrink a violating seed to a minimal standalone scenario (capsule.yaml) that violates the same invariant")
    .argument("<scenario>", "scenario YAML file")
    .requiredOption("--seed <n>", "the violating seed")
    .option("--budget <time>", "wall-time budget, e.g. 90s, 10m, 1h (default 10m); a rerun continues from the saved state")
    .option("--out <dir>", "output folder (default: results/<scenario>/shrink-seed<N>-<id8>)")
    .option("--invariant <id>", "the invariant to keep violating (default: the run's first violation)")
    .option("--set <key=value>", "override a scenario value (repeatable)", collect, [])
    .option("--replica <module#export>", "run every PBFT replica as this class (a compiled ES module's export extending Replica), as sim check --replica")
    .option("--force", FORCE_HELP)
    .action(async (file: string, o) => {
      const { shrinkCommand } = await import("./shrink-command.js");
      const { parseReplicaOption } = await import("./check-command.js");
      setCode(
        await shrinkCommand(file, {
          seed: o.seed,
          budget: o.budget,
          out: o.out,
          invariant: o.invariant,
          set: o.set,
          force: o.force === true,
          replica: o.replica === undefined ? undefined : parseReplicaOption(o.replica),
        }),
      );
    });

  program
    .command("report")
    .description("regenerate charts/ and report.html of a run, sweep or tune folder from its CSV files")
    .argument("<dirs...>", "run, sweep or tune folders")
    .action(async (dirs: string[]) => {
      const { reportCommand } = await import("./report-command.js");
      setCode(await reportCommand(dirs));
    });

  program
    .command("sweep")
    .description("run a parameter sweep (a scenario's sweep: block, or a sweep file that extends one)")
    .argument("<spec>", "scenario/sweep YAML file")
    .option(
      "--workers <n>",
      "worker threads; 0/1 = in-process (default: all cores, or fewer when the sweep's estimated work is too short to pay for another worker's start-up)",
      parseCount("--workers", MAX_WORKERS),
    )
    .option("--out <dir>", "output folder (default: results/<scenario>/sweep-<spechash8>)")
    .option("--resume", "reuse finished tasks from <out>.partial/")
    .option("--shard <i/n>", "run only tasks with index % n == i")
    .option(
      "--shards <n>",
      "shard count when the index comes from SLURM_ARRAY_TASK_ID / JOB_COMPLETION_INDEX",
      parseCount("--shards", 1_000_000),
    )
    .option("--set <key=value>", "override (sweep.* edits the sweep block; others apply to every point)", collect, [])
    .option("--force", FORCE_HELP)
    .addOption(new Option("--no-charts", "skip chart rendering"))
    .action(async (spec: string, o) => {
      // Respawned with single-threaded GC only if, once planned, the sweep is long (gc-respawn.ts).
      const { sweepCommand } = await import("./sweep-command.js");
      setCode(
        await sweepCommand(spec, {
          workers: o.workers,
          out: o.out,
          resume: o.resume,
          shard: o.shard,
          shards: o.shards,
          set: o.set,
          charts: o.charts,
          force: o.force === true,
          respawnIfLong: shouldRespawn(o.workers ?? availableParallelism()),
        }),
      );
    });

  program
    .command("tune")
    .description("search a scenario's tune: block parameters with CMA-ES for the best objective under constraints")
    .argument("<spec>", "tuning YAML file (a scenario with a tune: block, or a file that extends one)")
    .option("--workers <n>", "worker threads; 0/1 = in-process (default: all cores)", parseCount("--workers", MAX_WORKERS))
    .option("--out <dir>", "output folder (default: results/<scenario>/tune-<spechash8>)")
    .option("--resume", "reuse finished runs from <out>.partial/")
    .option("--set <key=value>", "override (tune.* edits the tune block; others apply to every candidate)", collect, [])
    .addOption(new Option("--no-charts", "skip the convergence chart and report.html"))
    .option("--force", "run even when the estimated size of the candidates exceeds this machine")
    .action(async (spec: string, o) => {
      if (shouldRespawn(o.workers ?? availableParallelism())) {
        setCode(await respawnWithSingleThreadedGc());
        return;
      }
      const { tuneCommand } = await import("./tune-command.js");
      setCode(await tuneCommand(spec, { workers: o.workers, out: o.out, resume: o.resume, set: o.set, charts: o.charts, force: o.force === true }));
    });

  program
    .command("merge")
    .description("merge sweep shard folders into one sweep folder")
    .argument("<dirs...>", "shard folders")
    .option("--out <dir>", "output folder (default: results/<scenario>/sweep-<spechash8>)")
    .option("--force", "replace an output folder that is not a potsim result")
    .addOption(new Option("--no-charts", "skip chart rendering"))
    .action(async (dirs: string[], o) => {
      const { mergeCommand } = await import("./merge-command.js");
      setCode(await mergeCommand(dirs, { out: o.out, charts: o.charts, force: o.force === true }));
    });

  return program;
}

/** The message of an error that is the user's to fix (exit 2), or undefined for an internal error. */
export function usageMessage(e: unknown): string | undefined {
  if (e instanceof UsageError || e instanceof ScenarioError || e instanceof OutputError) return e.message;
  const name = (e as { constructor?: { name?: string } })?.constructor?.name;
  // Sweep folder problems (resume, merge, shard) are usage errors too; matched by class name so
  // that this module need not load the sweep code for commands that do not use it.
  if (e instanceof Error && ["ResumeMismatchError", "WorkDirError", "MergeError", "ShardError"].includes(name ?? "")) return e.message;
  return undefined;
}

/**
 * Runs the program on `argv` (as process.argv: node, script, args...) and returns the exit code.
 * Never throws: internal errors are reported (one line, crash report) as exit 3.
 */
export async function runCli(argv: readonly string[], name = "sim"): Promise<number> {
  let code: number | undefined;
  const program = buildProgram((c) => {
    code = c;
  }, name);
  try {
    await program.parseAsync([...argv]);
    return code ?? EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.exitCode === 0) return EXIT_OK;
      return EXIT_USAGE;
    }
    const usage = usageMessage(e);
    if (usage !== undefined) {
      process.stderr.write(`${usage}\n`);
      return EXIT_USAGE;
    }
    reportInternalError(e, argv);
    return EXIT_INTERNAL;
  }
}
