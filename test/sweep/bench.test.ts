// bench/sweep.ts: `sim sweep` with 1 worker and with 2, as separate processes, gives identical folders.

import { join } from "node:path";
import { expect, it } from "vitest";
import { runSweepBench } from "../../bench/sweep.js";
import { ensureWorkerBuilt, FIXTURES } from "./support.js";

it("runSweepBench reports a line with identical=true", () => {
  ensureWorkerBuilt();
  const line = runSweepBench({ points: 16, workers: 2, scenario: join(FIXTURES, "phold-bench.yaml") });
  expect(line).toMatch(/^sweep points=16 workers=2 wall_s=\d+\.\d{3} wall_1_worker_s=\d+\.\d{3} speedup=\d+\.\d{2} identical=true$/);
});
