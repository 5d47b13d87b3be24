#!/usr/bin/env node
// `sim`: the command-line entry. Owns argument parsing, exit codes and progress display.
// May import: everything.

import { Command, CommanderError, Option } from "commander";
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, UsageError } from "./exit-codes.js";
import { runCommand } from "./run-command.js";
import { loadScenarioForCli, validateCommand } from "./scenario-io.js";
import { version } from "./version.js";

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
    .addOption(new Option("--no-charts", "skip chart rendering"))
    .action(async (file: string, o) => {
      const scenario = loadScenarioForCli(file, o.set);
      process.exitCode = await runCommand(scenario, {
        seed: o.seed,
        out: o.out,
        until: o.until,
        charts: o.charts,
      });
    });

  program
    .command("validate")
    .description("check scenario files without running them")
    .argument("<files...>", "scenario YAML files")
    .action((files: string[]) => {
      process.exitCode = validateCommand(files);
    });

  return program;
}

async function main(argv: string[]): Promise<number> {
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
