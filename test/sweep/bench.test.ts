// bench/sweep.ts: `sim sweep` with 1 worker, with 2, and as 2 single-worker shard processes side by
// side (the ceiling), as separate processes: identical folders, and one line with every figure.

import { join } from "node:path";
import { expect, it } from "vitest";
import { runSweepBench } from "../../bench/sweep.js";
import { ensureWorkerBuilt, FIXTURES } from "./support.js";

it("runSweepBench reports a line with speedup, ceiling, CPU, bytes per event and identical=true", async () => {
  ensureWorkerBuilt();
  const line = await runSweepBench({ points: 16, workers: 2, scenario: join(FIXTURES, "phold-bench.yaml") });
  expect(line).toMatch(
    /^sweep points=16 epochs=scenario workers=2 rounds=1 wall_1_worker_s=\d+\.\d{3} wall_s=\d+\.\d{3} wall_ceiling_s=\d+\.\d{3} speedup=\d+\.\d{2} ceiling=\d+\.\d{2} of_ceiling=\d+\.\d{2} cpu_1_worker_s=\S+ cpu_s=\S+ cpu_ceiling_s=\S+ cpu_ratio=\S+ cpu_ratio_ceiling=\S+ bytes_per_event=\d+ identical=true$/,
  );
}, 120_000);
