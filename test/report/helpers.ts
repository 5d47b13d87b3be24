// Test helpers for report/: fixture locations and throwaway copies of fixture folders.

import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const RUN_FIXTURE = join(here, "..", "fixtures", "report", "run");
export const SWEEP_FIXTURE = join(here, "..", "fixtures", "report", "sweep");

const made: string[] = [];

/** A fresh temporary folder, optionally pre-filled with a copy of `from`. */
export function tempDir(from?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "potsim-report-"));
  made.push(dir);
  if (from) cpSync(from, dir, { recursive: true });
  return dir;
}

/** Removes every folder made by tempDir (call from afterAll). */
export function cleanTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * `sim run` of a scenario in scenarios/ in-process (stdout quiet, stderr swallowed), into a fresh
 * temporary folder; the scenario file is named as on a command line run from the repository.
 */
export async function runFolder(
  file: string,
  opts: { until?: number; charts?: boolean; sets?: string[]; trace?: boolean } = {},
): Promise<{ dir: string; code: number }> {
  const { runCommand } = await import("../../src/cli/run-command.js");
  const { checkTraceOptions } = await import("../../src/cli/trace-command.js");
  const { loadScenario } = await import("../../src/scenario/index.js");
  const root = join(here, "..", "..");
  const scenario = loadScenario(join(root, file), { overrides: opts.sets ?? [] });
  const dir = join(tempDir(), "run");
  const trace = opts.trace ? checkTraceOptions(scenario, {}) : undefined;
  const saved = process.stderr.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    const code = await runCommand(scenario, { out: dir, until: opts.until, charts: opts.charts ?? false, quiet: true, trace, file, sets: opts.sets });
    return { dir, code };
  } finally {
    process.stderr.write = saved;
  }
}
