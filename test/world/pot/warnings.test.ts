// The PoT world's warnings: a run in which a declared actor class never acted (no prepay succeeded, no
// traffic was served, no report accepted), an attack never fired or an outage never started names it
// in summary.warnings with a stable code and a plain sentence; a run where everything acted has none.

import { describe, expect, it } from "vitest";
import type { RunWarning } from "../../../src/world/index.js";
import { runPot, type Summary } from "./support.js";

const warningsOf = (over: Record<string, unknown>): RunWarning[] => (runPot(over).summary as Summary).warnings;
const codes = (ws: readonly RunWarning[]) => ws.map((w) => w.code);

describe("PoT world warnings", () => {
  it("a run where users prepay, nodes serve and reports are accepted has none", () => {
    const s = runPot({}).summary as Summary;
    expect(s.users.prepays).toBeGreaterThan(0);
    expect(s.reports.accepted).toBe(12);
    expect(s.warnings).toEqual([]);
  });

  it("users who can afford a prepay but whose gateways are cut off from the chain: nobody prepays, nothing is served or reported", () => {
    // Nodes 11 and 12 are the two gateways (after 4 replicas and 7 meta nodes); the partition never heals.
    const r = runPot({ network: { partitions: [{ at: 0, groups: [[11, 12]] }] }, check: { liveness: false } });
    const s = r.summary as Summary;
    expect(r.violations).toEqual([]);
    expect(s.users.prepays).toBe(0);
    expect(s.warnings).toEqual([
      { code: "users-never-prepaid", message: "none of the 40 users ever prepaid: no prepay reached the chain, 40 submitted" },
      { code: "no-traffic-served", message: `the 30 resource nodes served no traffic: ${s.users.requests} user requests, ${s.users.requests} unserved (no ozone or no node online)` },
      { code: "no-report-accepted", message: "no volume report was accepted: 0 submitted, 0 rejected, 12 epochs without traffic to report" },
    ]);
    expect(s.users.requests).toBeGreaterThan(1000);
  });

  it("a scenario without traffic: the resource nodes serve nothing and no report is made", () => {
    expect(codes(warningsOf({ traffic: null }))).toEqual(["no-traffic-served", "no-report-accepted"]);
  });

  it("declared attacks that never fire and an outage that starts after the end are each named", () => {
    const ws = warningsOf({
      attacks: {
        coalitions: [{ members: [0, 1, 2], fromEpoch: 50 }],
        sybils: [{ wallets: 2, budgetStos: 0.001, fromEpoch: 50 }],
        offline: [{ count: 2, at: 10_000, duration: 10 }],
      },
    });
    expect(ws).toEqual([
      {
        code: "attack-never-fired",
        message: "coalition 0 (meta nodes 0, 1, 2) never submitted an inflated report: its first epoch (50) is after the run's last (12)",
      },
      { code: "attack-never-fired", message: "Sybil group 0 never prepaid, so it never downloaded its own files: its first epoch (50) is after the run's last (12)" },
      { code: "fault-never-triggered", message: "offline outage 0 starts at t=10000 s, at or after the end of the run (t=760 s)" },
    ]);
  });

  it("the same attacks inside the run fire: no warning", () => {
    const ws = warningsOf({
      attacks: {
        coalitions: [{ members: [0, 1, 2] }],
        sybils: [{ wallets: 2, budgetStos: 0.001 }],
        offline: [{ count: 2, at: 100, duration: 60 }],
      },
    });
    expect(ws).toEqual([]);
  });

  it("a run that ends before its first epoch: one warning, not the per-epoch ones", () => {
    const ws = warningsOf({ until: 30 });
    expect(ws).toEqual([
      { code: "no-epoch-completed", message: "the run ended at t=30 s, before its first epoch (60 s) ended: no traffic was settled, no report submitted" },
    ]);
  });

  it("validators' faults that start after the end come first (the PBFT world's warnings)", () => {
    const ws = warningsOf({ pbft: { faults: [{ type: "silent", replica: 3, at: 5000 }] } });
    expect(ws).toEqual([{ code: "fault-never-triggered", message: "fault silent of replica 3 starts at t=5000 s, at or after the end of the run (t=760 s)" }]);
  });
});

describe("the outcome sim run prints", () => {
  it("a pass with warnings says so under the verdict; a pass without none", async () => {
    const { formatOutcome } = await import("../../../src/cli/outcome.js");
    const r = runPot({ traffic: null });
    const text = formatOutcome({ firstLine: "x", dir: "d", summary: { ...r.summary, violations: [] }, manifest: {}, charts: false });
    expect(text.split("\n")[1]).toMatch(/^PASSED: /);
    expect(text.split("\n")[2]).toBe("  but with 2 warnings (each on stderr): no-traffic-served, no-report-accepted");
    const clean = formatOutcome({ firstLine: "x", dir: "d", summary: { ...runPot({}).summary, violations: [] }, manifest: {}, charts: false });
    expect(clean).not.toMatch(/warning/);
  });
});
