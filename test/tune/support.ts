// Helpers for the tune tests: tuning files in temporary folders, a synthetic task runner that plays
// the world (metrics computed from the candidate's resolved scenario), and a fresh dist/ build for
// child processes.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TaskRunner } from "../../src/sweep/pool.js";
import type { TaskPayload, TaskResult } from "../../src/sweep/task.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `potsim-tune-${label}-`));
}

/** Writes a tuning file that extends scenarios/tune/pot-short.yaml. */
export function tuneFile(dir: string, tuneBlock: string): string {
  const file = join(dir, "tune.yaml");
  writeFileSync(file, `extends: ${join(ROOT, "scenarios", "tune", "pot-short.yaml")}\ntune:\n${tuneBlock}`);
  return file;
}

/** The part of a PoT scenario the synthetic objectives read. */
export interface PotKnobs {
  economics: { communityTax: number; users: { prepayStos: number }; resourceNodes: { count: number } };
}

/** A runner that never simulates: metrics = f(the candidate's scenario, the run's seed). */
export function syntheticRunner(f: (scenario: PotKnobs, seed: number) => Record<string, number>): TaskRunner & { calls: number } {
  const r = {
    calls: 0,
    concurrency: 4,
    async run(task: TaskPayload): Promise<TaskResult> {
      r.calls++;
      await new Promise((resolve) => setImmediate(resolve));
      const metrics = f(task.scenario as unknown as PotKnobs, task.seed);
      return { index: task.index, point: task.point, replicate: task.replicate, seed: task.seed, status: "ok", error: "", warnings: [], traceHash: null, events: null, metrics };
    },
    async close() {},
  };
  return r;
}

function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestMtime(p));
    else if (e.name.endsWith(".ts")) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** Builds dist/ when dist/src/tune is missing or older than the sources. */
export function ensureBuilt(): void {
  const entry = join(ROOT, "dist", "src", "tune", "index.js");
  if (!existsSync(entry) || statSync(entry).mtimeMs < newestMtime(join(ROOT, "src"))) {
    spawnSync("npx", ["tsc", "-p", "tsconfig.json"], { cwd: ROOT, stdio: "ignore" });
  }
  if (!existsSync(entry)) throw new Error(`could not build ${entry}`);
}
