#!/usr/bin/env node
// `sim`: the command-line entry. Owns argument parsing, exit codes and progress display.
// May import: everything.

import { availableParallelism } from "node:os";
import { Command, CommanderError, Option } from "commander";
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, UsageError } from "./exit-codes.js";
import { followParent, respawnWithSingleThreadedGc, shouldRespawn } from "./gc-respawn.js";
import { version } from "./version.js";

// Each command's module (and through it the scenario loader, the worlds, Piscina or vega) is loaded
// only when that command runs: `sim --help` stays instant, and a sweep that runs itself again with
// single-threaded GC does not load the simulator twice before its first task.

function parseNumber(name: string, integer: boolean) {
  return (text: string): number => {
    const v = Number(text);
    if (text.trim() === "" || !Number.isFinite(v) || (integer && (!Number.isInteger(v) || v < 0))) {
      throw new UsageError(`${name} must be ${integer ? "a non-negative integer" : "a number"}, got "${text}"`);
    }
    return v;
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function buildProgram(): Command {
  const program = new Command("sim")
    .description("potsim: deterministic simulation of Proof-of-Traffic rewards settled by a PBFT chain")
    .version(version, "-V, --version")
    .showHelpAfterError()
    .exitOverride();

  program
    .command("run")
    .description("run one seeded scenario and write results/<scenario>/<run-id>/")
    .argument("<scenario>", "scenario YAML file")
    .option("--seed <n>", "seed (default: the scenario's seed)", parseNumber("--seed", true))
    .option("--out <dir>", "output folder (default: results/<scenario>/<run-id>)")
    .option("--until <t>", "simulated seconds to run (default: the scenario's until)", parseNumber("--until", false))
    .option("--set <key=value>", "override a scenario value (repeatable)", collect, [])
    .addOption(new Option("--no-charts", "skip chart rendering (and trace.html)"))
    .option("--trace", "write the event trace trace.jsonl (and trace.html next to report.html)")
    .option("--trace-kinds <list>", "trace only these message kinds and event names (implies --trace)")
    .option("--trace-nodes <list>", "trace only events of these nodes: ids, ranges A..B or labels (implies --trace)")
    .option("--trace-window <t0..t1>", "trace only events in this simulated-time window, seconds (implies --trace)")
    .option("--trace-max-events <n>", "stop tracing after this many events (default 1000000; implies --trace)")
    .action(async (file: string, o) => {
      const { loadScenarioForCli } = await import("./scenario-io.js");
      const { runCommand } = await import("./run-command.js");
      const scenario = loadScenarioForCli(file, o.set);
      const traceRaw = { kinds: o.traceKinds, nodes: o.traceNodes, window: o.traceWindow, maxEvents: o.traceMaxEvents };
      const traced = o.trace === true || Object.values(traceRaw).some((v) => v !== undefined);
      const trace = traced ? (await import("./trace-command.js")).checkTraceOptions(scenario, traceRaw) : undefined;
      process.exitCode = await runCommand(scenario, {
        seed: o.seed,
        out: o.out,
        until: o.until,
        charts: o.charts,
        trace,
      });
    });

  const trace = program.command("trace").description("work with the event trace of a run folder (sim run --trace)");
  trace
    .command("export")
    .description("export a run's trace for Perfetto / chrome://tracing (perfetto) or ShiViz (shiviz)")
    .argument("<run-dir>", "run folder written with --trace")
    .addOption(new Option("--format <format>", "output format").choices(["perfetto", "shiviz"]).makeOptionMandatory())
    .option("--out <file>", "output file (default: <run-dir>/trace.perfetto.json or <run-dir>/trace.shiviz.log)")
    .option("--force", "shiviz: export even above its size limits")
    .action(async (dir: string, o) => {
      const { traceExportCommand } = await import("./trace-command.js");
      process.exitCode = traceExportCommand(dir, { format: o.format, out: o.out, force: o.force === true });
    });

  program
    .command("validate")
    .description("check scenario files without running them")
    .argument("<files...>", "scenario YAML files")
    .action(async (files: string[]) => {
      const { validateCommand } = await import("./scenario-io.js");
      process.exitCode = validateCommand(files);
    });

  program
    .command("check")
    .description("run many seeds of safety scenarios; exit 1 and print replay commands on any violation")
    .argument("<scenarios...>", "scenario YAML files")
    .option("--seeds <list>", "seeds: N, A..B or a comma list", "1..20")
    .option("--check-determinism", "run every seed twice and fail if the trace hashes differ")
    .option("--workers <n>", "worker threads; 0/1 = in-process (default: all cores)", parseNumber("--workers", true))
    .option("--set <key=value>", "override a scenario value (repeatable)", collect, [])
    .action(async (files: string[], o) => {
      const { checkCommand, parseSeeds } = await import("./check-command.js");
      process.exitCode = await checkCommand(files, {
        seeds: parseSeeds(o.seeds),
        checkDeterminism: o.checkDeterminism === true,
        workers: o.workers,
        set: o.set,
        respawn: true,
      });
    });

  program
    .command("report")
    .description("regenerate charts/ and report.html of a run or sweep folder from its CSV files")
    .argument("<dirs...>", "run or sweep folders")
    .action(async (dirs: string[]) => {
      const { reportCommand } = await import("./report-command.js");
      process.exitCode = await reportCommand(dirs);
    });

  program
    .command("sweep")
    .description("run a parameter sweep (a scenario's sweep: block, or a sweep file that extends one)")
    .argument("<spec>", "scenario/sweep YAML file")
    .option("--workers <n>", "worker threads; 0/1 = in-process (default: all cores)", parseNumber("--workers", true))
    .option("--out <dir>", "output folder (default: results/<scenario>/sweep-<spechash8>)")
    .option("--resume", "reuse finished tasks from <out>.partial/")
    .option("--shard <i/n>", "run only tasks with index % n == i")
    .option(
      "--shards <n>",
      "shard count when the index comes from SLURM_ARRAY_TASK_ID / JOB_COMPLETION_INDEX",
      parseNumber("--shards", true),
    )
    .option("--set <key=value>", "override (sweep.* edits the sweep block; others apply to every point)", collect, [])
    .addOption(new Option("--no-charts", "skip chart rendering"))
    .action(async (spec: string, o) => {
      if (shouldRespawn(o.workers ?? availableParallelism())) {
        process.exitCode = await respawnWithSingleThreadedGc();
        return;
      }
      const { sweepCommand } = await import("./sweep-command.js");
      process.exitCode = await sweepCommand(spec, {
        workers: o.workers,
        out: o.out,
        resume: o.resume,
        shard: o.shard,
        shards: o.shards,
        set: o.set,
        charts: o.charts,
      });
    });

  program
    .command("tune")
    .description("search a scenario's tune: block parameters with CMA-ES for the best objective under constraints")
    .argument("<spec>", "tuning YAML file (a scenario with a tune: block, or a file that extends one)")
    .option("--workers <n>", "worker threads; 0/1 = in-process (default: all cores)", parseNumber("--workers", true))
    .option("--out <dir>", "output folder (default: results/<scenario>/tune-<spechash8>)")
    .option("--resume", "reuse finished runs from <out>.partial/")
    .option("--set <key=value>", "override (tune.* edits the tune block; others apply to every candidate)", collect, [])
    .addOption(new Option("--no-charts", "skip the convergence chart and report.html"))
    .action(async (spec: string, o) => {
      if (shouldRespawn(o.workers ?? availableParallelism())) {
        process.exitCode = await respawnWithSingleThreadedGc();
        return;
      }
      const { tuneCommand } = await import("./tune-command.js");
      process.exitCode = await tuneCommand(spec, { workers: o.workers, out: o.out, resume: o.resume, set: o.set, charts: o.charts });
    });

  program
    .command("merge")
    .description("merge sweep shard folders into one sweep folder")
    .argument("<dirs...>", "shard folders")
    .option("--out <dir>", "output folder (default: results/<scenario>/sweep-<spechash8>)")
    .addOption(new Option("--no-charts", "skip chart rendering"))
    .action(async (dirs: string[], o) => {
      const { mergeCommand } = await import("./merge-command.js");
      process.exitCode = await mergeCommand(dirs, { out: o.out, charts: o.charts });
    });

  return program;
}

async function main(argv: string[]): Promise<number> {
  followParent();
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.exitCode === 0) return EXIT_OK;
      return EXIT_USAGE;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT_INTERNAL;
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`internal error: ${String(e)}\n`);
    process.exitCode = EXIT_INTERNAL;
  },
);
