// bench/sweep.ts: 1 worker vs all cores on the same 16 points gives identical folders.

import { join } from "node:path";
import { expect, it } from "vitest";
import { runSweepBench } from "../../bench/sweep.js";
import { ensureWorkerBuilt, FIXTURES } from "./support.js";

it("runSweepBench reports a line with identical=true", async () => {
  ensureWorkerBuilt();
  const line = await runSweepBench({ points: 16, workers: 2, scenario: join(FIXTURES, "phold-bench.yaml") });
  expect(line).toMatch(/^sweep points=16 workers=2 wall_s=\d+\.\d{3} wall_1_worker_s=\d+\.\d{3} speedup=\d+\.\d{2} identical=true$/);
});
