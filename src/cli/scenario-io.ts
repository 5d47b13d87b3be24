// Scenario loading for the CLI: turns scenario errors into exit code 2 with file:line:col text.
// Values a command line gives for scenario keys (`--seed`, `--until`) are checked with exactly the
// YAML rules (scenario checkCommandLineValues), and reported together with the file's problems.

import { existsSync } from "node:fs";
import {
  type CommandLineKey,
  checkCommandLineValues,
  formatIssue,
  loadScenario,
  type ResolvedScenario,
  ScenarioError,
  validateFiles,
} from "../scenario/index.js";
import { EXIT_OK, EXIT_USAGE, UsageError } from "./exit-codes.js";

export interface CliScenario {
  scenario: ResolvedScenario;
  /** `--seed` / `--until`, checked; undefined when not given. */
  seed?: number;
  until?: number;
}

export function loadScenarioForCli(file: string, sets: string[] = [], values: Partial<Record<CommandLineKey, string>> = {}): CliScenario {
  const problems: string[] = [];
  let checked: Partial<Record<CommandLineKey, number>> = {};
  try {
    checked = checkCommandLineValues(values);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    problems.push(e.message);
  }
  let scenario: ResolvedScenario | undefined;
  if (!existsSync(file)) problems.unshift(`${file}: no such scenario file`);
  else {
    try {
      scenario = loadScenario(file, { overrides: sets });
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      problems.unshift(e.message);
    }
  }
  if (problems.length > 0 || scenario === undefined) throw new UsageError(problems.join("\n"));
  return { scenario, ...checked };
}

export function validateCommand(files: string[]): number {
  let bad = 0;
  for (const file of files) {
    if (!existsSync(file)) {
      process.stderr.write(`${file}: no such scenario file\n`);
      bad++;
      continue;
    }
    const issues = validateFiles([file]);
    if (issues.length === 0) process.stdout.write(`${file}: ok\n`);
    else {
      bad++;
      for (const i of issues) process.stderr.write(`${formatIssue(i)}\n`);
    }
  }
  return bad > 0 ? EXIT_USAGE : EXIT_OK;
}
