// Coverage counters (src/coverage): a scenario built to reach every PBFT path reaches each on the
// seeds below; one that cannot reaches none; the PoT paths of byzantine.yaml; the counter reads only
// the observation stream (a run with it is the same run: same trace hash) and counts replica paths
// at correct replicas only; its list of report rejection reasons is the ledger's.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COVERAGE_PATHS, CoverageCounter, pathsOf, REPORT_REJECTION_REASONS, rejectionPath, tallyCoverage } from "../../src/coverage/index.js";
import { loadScenario } from "../../src/scenario/index.js";
import { executeTask } from "../../src/sweep/execute.js";
import type { WorldDescription } from "../../src/world/observe.js";
import { runScenario } from "../../src/world/run.js";

const root = join(import.meta.dirname, "..", "..");
const fixture = (name: string) => join(root, "test", "fixtures", "coverage", name);
const PBFT = pathsOf("pbft").map((p) => p.name);

function counts(file: string, seed: number, until?: number): Record<string, number> {
  const counter = new CoverageCounter();
  runScenario(loadScenario(file), { seed, observer: counter, until });
  return counter.result();
}

describe("coverage counters on constructed scenarios", () => {
  // every-pbft-path.yaml reaches each path by a rule on protocol fields or a scheduled fault (its
  // header), not by a race of the drawn latencies: all ten on every seed of 1..500 (`sim check
  // test/fixtures/coverage/every-pbft-path.yaml --seeds 1..500`). The suite runs a few of them.
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`every-pbft-path.yaml seed ${seed} reaches each PBFT path`, () => {
      const c = counts(fixture("every-pbft-path.yaml"), seed);
      expect(Object.keys(c)).toEqual(PBFT);
      for (const p of PBFT) expect(c[p], p).toBeGreaterThan(0);
      // one crash-recovery of each kind is scheduled, one each is counted
      expect(c["recover-kept"]).toBe(1);
      expect(c["recover-lost"]).toBe(1);
    });
  }

  it("no-path.yaml (no faults, no stable checkpoint) reaches none, on several seeds", () => {
    for (const seed of [1, 2, 3]) expect(counts(fixture("no-path.yaml"), seed), `seed ${seed}`).toEqual(Object.fromEntries(PBFT.map((p) => [p, 0])));
  });

  it("byzantine.yaml (pot) reaches the PoT paths its coalition and outages produce, and none of the malformed-report ones", () => {
    const c = counts(join(root, "scenarios", "byzantine.yaml"), 1);
    expect(Object.keys(c)).toEqual(COVERAGE_PATHS.map((p) => p.name));
    expect(c["report-rejected-bls-quorum-not-reached"]).toBeGreaterThan(0);
    expect(c.suspension).toBeGreaterThan(0);
    expect(c.maturity).toBeGreaterThan(0);
    for (const r of ["invalid_reporter_address", "empty_wallet_volumes", "tx_data_mismatch", "zero_total_volume"]) expect(c[rejectionPath(r)], r).toBe(0);
  });

  it("a run with the counter is the same run (same trace hash and summary)", () => {
    const s = loadScenario(fixture("every-pbft-path.yaml"));
    const plain = runScenario(s, { seed: 2 });
    const counted = runScenario(s, { seed: 2, observer: new CoverageCounter() });
    expect(counted.traceHash).toBe(plain.traceHash);
    expect(counted.summary).toEqual(plain.summary);
  });

  it("check tasks carry the counts; sweep tasks do not; a phold run has no paths", () => {
    const s = loadScenario(fixture("no-path.yaml"));
    const check = executeTask({ index: 0, point: 0, replicate: 0, seed: 1, scenario: s, check: true });
    expect(check.check?.coverage).toEqual(Object.fromEntries(PBFT.map((p) => [p, 0])));
    expect(check.check?.violation).toBeNull();
    expect(executeTask({ index: 0, point: 0, replicate: 0, seed: 1, scenario: s }).check).toBeUndefined();
    const phold = executeTask({ index: 0, point: 0, replicate: 0, seed: 1, scenario: loadScenario(join(root, "scenarios", "phold.yaml")), check: true });
    expect(phold.status).toBe("ok");
    expect(phold.check?.coverage).toEqual({});
    expect(pathsOf("phold")).toEqual([]);
  });
});

describe("the counter's rules", () => {
  const world = (model: "pbft" | "pot"): WorldDescription => ({ model, n: 4, f: 1, nodes: [], messageKinds: [], describe: () => {} });

  it("replica paths count at correct replicas only; recoveries at any replica; each rejection reason has its path", () => {
    const c = new CoverageCounter();
    c.begin(world("pot"));
    c.host({ type: "faultPlan", faulty: [3] }, 0);
    c.replica(3, 3, { type: "viewChangeStarted", view: 1 }, 1);
    c.replica(3, 3, { type: "equivocation", view: 0, seq: 1, digest: "a", other: "b", primary: 0 }, 1);
    c.replica(1, 1, { type: "viewChangeStarted", view: 1 }, 1);
    c.replica(1, 1, { type: "newViewInstalled", view: 1, oSet: 2, nullFills: 2 }, 1);
    c.replica(2, 2, { type: "newViewInstalled", view: 1, oSet: 3, nullFills: 1 }, 1);
    c.replica(1, 1, { type: "checkpointStable", seq: 4, stateDigest: "d", collected: 0 }, 1);
    c.host({ type: "recover", node: 3, replica: 3, log: "lost" }, 2);
    c.client(4, 0, { type: "retransmitted", timestamp: 1 }, 2);
    for (const r of REPORT_REJECTION_REASONS) c.economic({ type: "reportExecuted", node: 0, epoch: 1, reporter: 0, kind: "honest", accepted: false, reason: r }, 3);
    c.economic({ type: "reportExecuted", node: 0, epoch: 2, reporter: 0, kind: "honest", accepted: true, reason: null }, 3);
    c.economic({ type: "nodeRestored", node: 0, resourceNode: "x" }, 3);
    const r = c.result();
    expect(r["view-change"]).toBe(1);
    expect(r["equivocation-seen"]).toBe(0);
    expect(r["new-view-o-set"]).toBe(1); // O of replica 1's NEW-VIEW held only null fills
    expect(r["null-fill"]).toBe(2);
    expect(r["checkpoint-gc"]).toBe(0);
    expect(r["recover-lost"]).toBe(1);
    expect(r["client-retransmit"]).toBe(1);
    for (const reason of REPORT_REJECTION_REASONS) expect(r[rejectionPath(reason)], reason).toBe(1);
    expect(r.suspension).toBe(0);
    c.economic({ type: "reportExecuted", node: 0, epoch: 3, reporter: 0, kind: "honest", accepted: false, reason: "some_new_reason" }, 4);
    expect(Object.keys(c.result()).at(-1)).toBe("report-rejected-some-new-reason");
  });

  it("the rejection reasons are exactly those the ledger and the report's checks can return", () => {
    const report = readFileSync(join(root, "src", "protocols", "pot", "report.ts"), "utf8");
    const ledger = readFileSync(join(root, "src", "protocols", "pot", "ledger.ts"), "utf8");
    const volumeReport = ledger.slice(ledger.indexOf("  volumeReport("), ledger.indexOf("// G: bookkeeping"));
    const found = new Set([
      ...[...report.matchAll(/(?:\berror =|entryError \?\?=|signatureMemo =) "([a-z_]+)"/g)].map((m) => m[1]!),
      ...[...volumeReport.matchAll(/fail\("([a-z_]+)"\)/g)].map((m) => m[1]!),
    ]);
    expect(found.size).toBeGreaterThan(15);
    expect([...found].sort()).toEqual([...REPORT_REJECTION_REASONS].sort());
    expect(new Set(COVERAGE_PATHS.map((p) => p.name)).size).toBe(COVERAGE_PATHS.length);
    for (const p of COVERAGE_PATHS) expect(p.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it("tally: seeds that reached each path and the total count, model paths first, unknown ones after", () => {
    const t = tallyCoverage("pbft", [{ "view-change": 2 }, { "view-change": 0, "null-fill": 1 }, { "report-rejected-x": 1 }]);
    expect(t.slice(0, 3)).toEqual([
      { path: "view-change", seeds: 3, seedsReached: 1, count: 2 },
      { path: "new-view-o-set", seeds: 3, seedsReached: 0, count: 0 },
      { path: "null-fill", seeds: 3, seedsReached: 1, count: 1 },
    ]);
    expect(t.at(-1)).toEqual({ path: "report-rejected-x", seeds: 3, seedsReached: 1, count: 1 });
  });
});
