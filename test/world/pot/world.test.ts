// The PoT world end to end on small scenarios: reports settled through PBFT every epoch, ledgers
// agreeing across replicas, supply conserved, metrics tables with the columns the report module
// reads, determinism, and the two traffic modes agreeing in expectation.

import { describe, expect, it } from "vitest";
import { mainnetGenesis } from "../../../src/protocols/pot/index.js";
import { EPOCH_COLUMNS, gini, IncrementalGini } from "../../../src/world/pot/metrics.js";
import { columns, potWorld, runPot, type Summary, table } from "./support.js";

/** The mainnet preset's stage-1 mining reward per report (80 STOS). */
const STAGE1_REWARD_WEI = mainnetGenesis().params.miningRewardParams[0]!.rewardWei;

const REPORT_COLUMNS = [
  "epoch",
  "time_s",
  "stage",
  "total_mined_wei",
  "mining_validators_wei",
  "mining_meta_wei",
  "mining_resource_wei",
  "traffic_validators_wei",
  "traffic_meta_wei",
  "traffic_resource_wei",
  "ozone_price",
  "S_wei",
  "P_wei",
  "L_noz",
  "community_pool_wei",
  "gini_resource",
  "accepted",
];

describe("PoT world", () => {
  it("settles one report per epoch through PBFT; correct replicas agree; supply is conserved", () => {
    const r = runPot();
    const s = r.summary as Summary;
    expect(r.violations).toEqual([]);
    expect(s.model).toBe("pot");
    expect(s.reports.accepted).toBe(12);
    expect(s.reports.rejected).toBe(0);
    expect(s.reports.pending).toBe(0);
    expect(s.consensus.allCommitted).toBe(true);
    expect(s.supplyOk).toBe(true);
    expect(s.ledgerDigestsAgree).toBe(true);
    expect(s.correctReplicasInSync).toBe(true);
    expect(s.economicChecks).toBeGreaterThan(4 * 12);
    const replicas = table(r, "replicas");
    expect(new Set(replicas.map((x) => x.state_digest)).size).toBe(1);
    // stage 1 on a mainnet genesis: 80 STOS mined per accepted report (less truncation dust)
    expect(s.issuance.minedStos).toBeGreaterThan(12 * 80 - 1e-9 * 12);
    expect(s.issuance.minedStos).toBeLessThanOrEqual(12 * 80 + 1e-6);
    expect(s.users.prepays).toBeGreaterThan(40);
  });

  it("emits epochs.csv with the report module's columns first, and the reward tables", () => {
    const r = runPot();
    expect(columns(r, "epochs").slice(0, REPORT_COLUMNS.length)).toEqual(REPORT_COLUMNS);
    expect(columns(r, "epochs")).toEqual([...EPOCH_COLUMNS]);
    expect(columns(r, "resource_rewards").slice(0, 4)).toEqual(["wallet", "mining_wei", "traffic_wei", "total_wei"]);
    expect(columns(r, "meta_rewards")).toContain("total_wei");
    expect(columns(r, "attackers").slice(0, 4)).toEqual(["group", "cost_wei", "rewards_wei", "return_on_cost"]);
    const epochs = table(r, "epochs");
    expect(epochs.map((e) => e.epoch)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    // per-class mining adds up to the stage reward (± share rounding: 48 STOS × 1e-18 per entry, spec §4 E),
    // and total mined grows by it
    for (const e of epochs) {
      const mined = (e.mining_validators_wei as bigint) + (e.mining_meta_wei as bigint) + (e.mining_resource_wei as bigint);
      const off = mined - STAGE1_REWARD_WEI;
      expect((off < 0n ? -off : off) <= 48n * BigInt(e.entries as number) + 7n).toBe(true);
    }
    for (let i = 1; i < epochs.length; i++) {
      const d = (epochs[i]!.total_mined_wei as bigint) - (epochs[i - 1]!.total_mined_wei as bigint);
      const e = epochs[i]!;
      expect(d).toBe((e.mining_validators_wei as bigint) + (e.mining_meta_wei as bigint) + (e.mining_resource_wei as bigint));
    }
    // resource rewards: one row per resource wallet, total = mining + traffic, adding up to the epochs
    const res = table(r, "resource_rewards");
    expect(res).toHaveLength(30);
    let sumMining = 0n;
    for (const w of res) {
      expect(w.total_wei).toBe((w.mining_wei as bigint) + (w.traffic_wei as bigint));
      sumMining += w.mining_wei as bigint;
    }
    expect(sumMining).toBe(epochs.reduce((a, e) => a + (e.mining_resource_wei as bigint), 0n));
    const meta = table(r, "meta_rewards");
    expect(new Set(meta.map((m) => m.total_wei)).size).toBe(1); // equal split
  });

  it("is deterministic: same seed, same trace and tables; another seed differs", () => {
    const a = runPot();
    const b = runPot();
    expect(a.traceHash).toBe(b.traceHash);
    expect(table(a, "epochs")).toEqual(table(b, "epochs"));
    const c = runPot({ seed: 8 });
    expect(c.traceHash).not.toBe(a.traceHash);
  });

  it("per-request and aggregated traffic give the same expected volumes", () => {
    // Plenty of ozone so that payment never binds; compare total served bytes over 30 epochs.
    const over = (mode: string, seed: number) => ({
      seed,
      until: 1810,
      economics: { epochs: 30, users: { initialStos: 10, prepayStos: 1 } },
      traffic: { mode, users: [{ count: 40, arrival: { model: "poisson", rate: 0.02 } }], sizes: { model: "constant", bytes: 1_000_000 } },
    });
    let agg = 0;
    let per = 0;
    for (const seed of [1, 2, 3]) {
      agg += (runPot(over("aggregated", seed)).summary as Summary).users.servedNoz;
      per += (runPot(over("perRequest", seed)).summary as Summary).users.servedNoz;
    }
    // expected: 40 users × 0.02/s × 1800 s × 1 MB × (0.9 + 0.1·3) per seed = 1.728e9 noz
    const expected = 3 * 40 * 0.02 * 1800 * 1e6 * 1.2;
    expect(Math.abs(agg / expected - 1)).toBeLessThan(0.05);
    expect(Math.abs(per / expected - 1)).toBeLessThan(0.05);
  });

  it("never reports more ozone than users bought", () => {
    const { world, out } = potWorld({ economics: { users: { initialStos: 1, prepayStos: 0.00002, refillEpochs: 1 } } });
    const s = out.summary as Summary;
    expect(s.users.unservedRequests).toBeGreaterThan(0); // ozone runs out between prepays
    expect(out.violations).toEqual([]);
    const epochs = table(out, "epochs");
    const reported = epochs.filter((e) => e.accepted === true).reduce((a, e) => a + (e.volume_noz as bigint), 0n);
    expect(reported <= world.users.purchasedNoz).toBe(true);
    expect(world.committee.outstandingNoz >= 0n).toBe(true);
  });

  it("gini: 0 for equal amounts, near 1 when one holds everything; incremental agrees", () => {
    expect(gini([5, 5, 5, 5])).toBe(0);
    expect(gini([0, 0, 0, 100])).toBeCloseTo(0.75, 12);
    const g = new IncrementalGini();
    const v = new Float64Array([3, 1, 2, 0, 9]);
    expect(g.compute(v, 5)).toBeCloseTo(gini(v), 12);
    v[3] = 20;
    expect(g.compute(v, 5)).toBeCloseTo(gini(v), 12);
  });
});
