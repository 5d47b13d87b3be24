// Scenario loading for the CLI: turns scenario errors into exit code 2 with file:line:col text.

import { existsSync } from "node:fs";
import { formatIssue, loadScenario, type ResolvedScenario, ScenarioError, validateFiles } from "../scenario/index.js";
import { EXIT_OK, EXIT_USAGE, UsageError } from "./exit-codes.js";

export function loadScenarioForCli(file: string, sets: string[] = []): ResolvedScenario {
  if (!existsSync(file)) throw new UsageError(`${file}: no such scenario file`);
  try {
    return loadScenario(file, { overrides: sets });
  } catch (e) {
    if (e instanceof ScenarioError) throw new UsageError(e.message);
    throw e;
  }
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
