import { describe, expect, it } from "vitest";
import { run, table } from "./support.js";

// biome-ignore lint/suspicious/noExplicitAny: summaries are JSON-like records
type Summary = Record<string, any>;

describe("shipped PBFT scenarios", () => {
  it("baseline: every request commits in view 0 with no view change", () => {
    const r = run("scenarios/baseline.yaml");
    expect(r.violations).toEqual([]);
    expect(r.summary.allCompleted).toBe(true);
    expect(r.summary.requestsCompleted).toBe(200);
    expect(r.summary.viewChanges).toBe(0);
    expect(r.summary.finalView).toBe(0);
    const replicas = table(r, "replicas");
    expect(new Set(replicas.map((x) => x.state_digest)).size).toBe(1);
    expect(replicas.every((x) => x.last_executed === 200)).toBe(true);
  });

  it("byzantine: equivocating primary + silent backup → view change, all committed, no violation", () => {
    const r = run("scenarios/byzantine.yaml");
    const s = r.summary as Summary;
    expect(r.violations).toEqual([]);
    expect(s.model).toBe("pot");
    expect(s.consensus.allCommitted).toBe(true);
    expect(s.consensus.requestsCompleted).toBeGreaterThan(200);
    expect(s.consensus.viewChanges).toBeGreaterThanOrEqual(1);
    expect(s.consensus.finalView).toBeGreaterThanOrEqual(2);
    // correct replicas (2..6) agree on the final state: the ledger digests are equal
    const correct = table(r, "replicas").filter((x) => x.correct === true);
    expect(correct.map((x) => x.replica)).toEqual([2, 3, 4, 5, 6]);
    expect(new Set(correct.map((x) => x.last_executed)).size).toBe(1);
    expect(new Set(correct.map((x) => x.state_digest)).size).toBe(1);
    expect(s.ledgerDigestsAgree).toBe(true);
  });

  it("byzantine: the coalition's inflated reports are rejected; every epoch settles; supply is conserved", () => {
    const r = run("scenarios/byzantine.yaml");
    const s = r.summary as Summary;
    expect(s.supplyOk).toBe(true);
    expect(s.economicChecks).toBeGreaterThan(1000);
    expect(s.reports.accepted).toBe(28);
    expect(s.reports.pending).toBe(0);
    expect(s.reports.inflated.coalition0.submitted).toBeGreaterThan(0);
    expect(s.reports.inflated.coalition0.accepted).toBe(0);
    expect(s.reports.rejectedByReason).toEqual({ bls_quorum_not_reached: s.reports.inflated.coalition0.submitted });
    const epochs = table(r, "epochs");
    const inflated = epochs.filter((e) => e.report_kind === "inflated");
    expect(inflated.length).toBe(s.reports.inflated.coalition0.submitted);
    expect(inflated.every((e) => e.accepted === false && e.result === "err:bls_quorum_not_reached")).toBe(true);
    expect(new Set(epochs.filter((e) => e.accepted === true).map((e) => e.epoch)).size).toBe(28);
    expect(s.resourceNodes.suspensions).toBe(2);
    expect(s.resourceNodes.restorations).toBe(2);
    // Users prepaid, nodes served, reports were accepted, the coalition and the outage fired: no warning.
    expect(s.warnings).toEqual([]);
  });

  it("byzantine: golden trace hash (determinism across machines and versions)", () => {
    const a = run("scenarios/byzantine.yaml");
    const b = run("scenarios/byzantine.yaml");
    expect(a.traceHash).toBe(b.traceHash);
    expect(a.traceHash).toBe("1f0621af1ce1d98f");
    expect(table(a, "epochs")).toEqual(table(b, "epochs"));
    const c = run("scenarios/byzantine.yaml", [], { seed: 2 });
    expect(c.traceHash).not.toBe(a.traceHash);
  });

  it("partition: the majority side keeps committing; no violation", () => {
    const r = run("scenarios/partition.yaml");
    expect(r.violations).toEqual([]);
    expect(r.summary.allCompleted).toBe(true);
    expect(r.summary.viewChanges).toBeGreaterThanOrEqual(1);
    expect(r.summary.warnings).toEqual([]);
  });

  it("beyond-f: f+1 colluding twins make two correct replicas commit different requests (SAF-1)", () => {
    const r = run("scenarios/beyond-f.yaml");
    const kinds = new Set(r.violations.map((v) => v.invariant));
    expect(kinds.has("SAF-1")).toBe(true);
    expect(kinds.has("INV-P")).toBe(true);
    const saf1 = r.violations.find((v) => v.invariant === "SAF-1")!;
    expect(saf1.seq).toBe(1);
    expect([...saf1.replicas!].sort()).toEqual([2, 3]);
  });

  it("beyond-f with one twin only (f faults) is safe", () => {
    const r = run("scenarios/beyond-f.yaml", ["pbft.faults.0.replicas=[0]", "pbft.faults.0.sides=[[2, 1], [3]]"]);
    expect(r.violations.filter((v) => v.invariant === "SAF-1")).toEqual([]);
  });
});
