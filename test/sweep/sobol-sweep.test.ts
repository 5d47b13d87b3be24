// A Sobol' sweep of the real PoT world end to end: sensitivity.csv is written with the folder,
// shards leave it to the merge, and the merged folder equals the unsharded one byte for byte.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { mergeShards, runSweep } from "../../src/sweep/index.js";
import { ROOT, snapshot, tempDir } from "./support.js";

it("writes sensitivity.csv; sharded and merged equals unsharded", { timeout: 120_000 }, async () => {
  const tmp = tempDir("sobol-sweep");
  const spec = join(tmp, "sobol.yaml");
  writeFileSync(
    spec,
    `extends: ${join(ROOT, "scenarios", "tune", "pot-short.yaml")}\n` +
      "sweep:\n  sobol:\n    samples: 4\n    bootstrap: 100\n    params:\n" +
      "      economics.communityTax: { min: 0, max: 0.1 }\n      economics.users.prepayStos: { min: 0.00001, max: 0.001, log: true }\n",
  );
  const whole = join(tmp, "whole");
  const r = await runSweep(spec, { workers: 1, out: whole });
  expect(r.total).toBe(4 * (2 + 2));
  const csv = readFileSync(join(whole, "sensitivity.csv"), "utf8").split("\n");
  expect(csv[0]).toBe("metric,parameter,index,estimate,ci_low,ci_high");
  expect(csv.some((l) => l.startsWith("rewardsByClass.communityTaxStos,economics.communityTax,S1,"))).toBe(true);

  const shards = [0, 1].map((i) => join(tmp, `shard${i}`));
  for (const [i, out] of shards.entries()) await runSweep(spec, { workers: 1, out, shard: { index: i, count: 2 } });
  for (const s of shards) expect(existsSync(join(s, "sensitivity.csv"))).toBe(false);
  const merged = join(tmp, "merged");
  await mergeShards(shards, merged);
  expect(snapshot(merged)).toEqual(snapshot(whole));
});
