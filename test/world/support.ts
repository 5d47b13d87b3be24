// Loads scenario files and runs them in-process for scenario tests.

import { join } from "node:path";
import { loadScenario, type ResolvedScenario } from "../../src/scenario/index.js";
import { type RunOptions, type RunResult, runScenario } from "../../src/world/run.js";

export const repoRoot = join(import.meta.dirname, "..", "..");

export function scenario(file: string, overrides: string[] = []): ResolvedScenario {
  return loadScenario(join(repoRoot, file), { overrides });
}

export function run(file: string, overrides: string[] = [], opts: RunOptions = {}): RunResult {
  return runScenario(scenario(file, overrides), opts);
}

export function table(r: RunResult, name: string): Record<string, unknown>[] {
  const t = r.tables.find((x) => x.name === name);
  if (!t) throw new Error(`no table ${name}`);
  return t.rows.map((row) => Object.fromEntries(t.columns.map((c, i) => [c, row[i]])));
}
