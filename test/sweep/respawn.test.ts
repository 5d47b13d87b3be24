// `sim sweep` with worker threads runs itself again under `node --single-threaded-gc` when its tasks
// add up to RESPAWN_MIN_SECONDS of estimated work (src/cli/gc-respawn.ts), and not for a short sweep
// (timing.json records which GC ran): same bytes as an in-process sweep either way, and a parent
// killed with SIGKILL takes the respawned child with it (so --resume sees what a plain kill -9 leaves).

import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { ensureWorkerBuilt, FIXTURES, ROOT, snapshot, tempDir } from "./support.js";

const CLI = join(ROOT, "dist", "src", "cli", "main.js");

function taskFiles(dir: string): number {
  const d = join(`${dir}.partial`, "tasks");
  return existsSync(d) ? readdirSync(d).filter((f) => f.endsWith(".json") && !f.startsWith(".")).length : 0;
}

const gcOf = (dir: string): unknown => (JSON.parse(readFileSync(join(dir, "timing.json"), "utf8")) as { gc?: unknown }).gc;

function runSweep(spec: string, workers: number, out: string, env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [CLI, "sweep", spec, "--workers", String(workers), "--out", out, "--no-charts"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
}

it("a short 2-worker CLI sweep is not respawned and writes the bytes of a 1-worker sweep", () => {
  ensureWorkerBuilt();
  const tmp = tempDir("respawn");
  const spec = join(FIXTURES, "phold-grid.yaml");
  const one = runSweep(spec, 1, join(tmp, "one"));
  const two = runSweep(spec, 2, join(tmp, "two"));
  for (const r of [one, two]) expect(r.status, r.stderr).toBe(0);
  expect(gcOf(join(tmp, "two"))).toBe("parallel");
  expect(two.stdout.match(/ sweep [0-9a-f]+: tasks=/g)).toHaveLength(1);
  expect(snapshot(join(tmp, "two"))).toEqual(snapshot(join(tmp, "one")));
});

it("a long 2-worker CLI sweep is respawned with single-threaded GC and writes the bytes of a 1-worker sweep", () => {
  ensureWorkerBuilt();
  const tmp = tempDir("respawn-long");
  const spec = join(FIXTURES, "phold-long.yaml");
  const one = runSweep(spec, 1, join(tmp, "one"));
  const two = runSweep(spec, 2, join(tmp, "two"));
  const parallelGc = runSweep(spec, 2, join(tmp, "parallel-gc"), { POTSIM_PARALLEL_GC: "1" });
  for (const r of [one, two, parallelGc]) expect(r.status, r.stderr).toBe(0);
  expect(gcOf(join(tmp, "two"))).toBe("single-threaded");
  expect(gcOf(join(tmp, "parallel-gc"))).toBe("parallel");
  // The summary line is printed once (by the child), not twice.
  expect(two.stdout.match(/ sweep [0-9a-f]+: tasks=/g)).toHaveLength(1);
  expect(snapshot(join(tmp, "two"))).toEqual(snapshot(join(tmp, "one")));
  expect(snapshot(join(tmp, "parallel-gc"))).toEqual(snapshot(join(tmp, "one")));
});

it("killing the parent with SIGKILL stops the respawned sweep", async () => {
  ensureWorkerBuilt();
  const out = join(tempDir("respawn-kill"), "killed");
  const spec = join(FIXTURES, "phold-long.yaml");
  const parent = spawn(process.execPath, [CLI, "sweep", spec, "--workers", "2", "--out", out, "--no-charts"], {
    cwd: ROOT,
    stdio: "ignore",
  });
  const exited = new Promise<void>((resolve) => parent.on("exit", () => resolve()));
  const t0 = Date.now();
  while (taskFiles(out) < 3 && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 10));
  parent.kill("SIGKILL");
  await exited;
  // Give an orphaned child time to notice; it must not finish the remaining tasks.
  await new Promise((r) => setTimeout(r, 300));
  const kept = taskFiles(out);
  await new Promise((r) => setTimeout(r, 1500));
  expect(taskFiles(out)).toBe(kept);
  expect(kept).toBeLessThan(40);
  expect(existsSync(out)).toBe(false);
});
