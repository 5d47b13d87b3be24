// The verdict and key figures shared by report.html and `sim run`'s stdout.

import { describe, expect, it } from "vitest";
import { keyFigures, verdictOf } from "../../src/report/outcome.js";

const v = (invariant: string, time: number, extra: Record<string, unknown> = {}) => ({ invariant, time, detail: `${invariant} detail`, ...extra });

describe("verdictOf", () => {
  it("passed: what was checked, over how long", () => {
    const verdict = verdictOf({ model: "pot", simTime: 864_000, violations: [] }, { scenario: { check: { liveness: false } } });
    expect(verdict.passed).toBe(true);
    expect(verdict.headline).toBe("Passed: no invariant was violated in 10 days of simulated time");
    expect(verdict.checked).toContain("SAF-1 agreement");
    expect(verdict.checked).toContain("ECON-SUPPLY supply conservation");
    expect(verdict.checked).not.toContain("LIV-1 liveness");
  });

  it("leads with the most severe invariant violated, not the first in time", () => {
    const summary = {
      model: "pbft",
      violations: [
        v("INV-P", 0.039, { view: 0, seq: 1, replicas: [2, 3] }),
        v("SAF-1", 0.064, { view: 0, seq: 1, replicas: [3, 2] }),
        v("INV-P", 0.11),
        v("LIV-1", 20),
      ],
    };
    const verdict = verdictOf(summary, {});
    expect(verdict.passed).toBe(false);
    expect(verdict.invariant).toEqual({ id: "SAF-1", name: "Agreement", meaning: "two correct replicas executed different batches at the same sequence number." });
    expect(verdict.where).toBe("at t = 0.064 s (view 0, seq 1), replicas 3 and 2");
    expect(verdict.counts).toEqual([
      ["SAF-1", 1],
      ["INV-P", 2],
      ["LIV-1", 1],
    ]);
    expect(verdict.others.map((o) => [o.id, o.count, o.where])).toEqual([
      ["INV-P", 2, "at t = 0.039 s (view 0, seq 1), replicas 2 and 3"],
      ["LIV-1", 1, "at t = 20 s"],
    ]);
    expect(verdict.total).toBe(4);
  });

  it("names an invariant it does not know without inventing a meaning", () => {
    const verdict = verdictOf({ violations: [v("NEW-9", 1)] }, {});
    expect(verdict.invariant?.id).toBe("NEW-9");
    expect(verdict.invariant?.meaning).toContain("does not describe");
  });
});

describe("keyFigures", () => {
  it("pbft: requests, latency, view changes, executed sequence number, messages, with units", () => {
    const f = keyFigures({
      model: "pbft",
      requestsCompleted: 240,
      requestsPlanned: 240,
      latency: { p50_s: 0.1138, p95_s: 0.1321 },
      viewChanges: 1,
      finalView: 3,
      executedSeq: 240,
      messages: 21_966,
    });
    expect(f.map((x) => [x.label, x.value, x.unit, x.extra ?? ""])).toEqual([
      ["Requests completed", "240 of 240", "requests", ""],
      ["Request latency, median", "0.114", "s", "p95 0.132 s"],
      ["View changes", "1", "view", "final view 3"],
      ["Executed sequence number", "240", "", ""],
      ["Messages sent", "21,966", "messages", ""],
    ]);
    expect(f[0]!.explain).toBe("requests whose result the client accepted (f + 1 matching replies)");
  });

  it("pot: the yearly extrapolation only from a day of simulated time on; the ozone price in STOS per TB", () => {
    const base = {
      model: "pot",
      reports: { accepted: 28, submitted: 40, rejected: 12 },
      issuance: { minedStos: 2240, inflationPerYear: 2.35, trafficPaidStos: 0.0031813 },
      market: { ozonePrice: "1000001.016881283759276890" },
      consensus: { viewChanges: 1, finalView: 2, latency: { p50_s: 0.245, p95_s: 0.395 } },
      resourceNodes: { suspensions: 2, restorations: 2 },
    };
    const short = keyFigures({ ...base, simulatedYears: 300 / 31_536_000 });
    expect(short.map((x) => x.key)).toEqual([
      "reports.accepted",
      "issuance.minedStos",
      "issuance.trafficPaidStos",
      "market.ozonePrice",
      "consensus.latency.p50_s",
      "consensus.viewChanges",
      "resourceNodes.suspensions",
    ]);
    expect(short[1]!.extra).toBeUndefined();
    expect(short[3]).toMatchObject({ value: "1", unit: "STOS per TB", extra: "= 1,000,001 wei per noz; 1 noz pays for 1 byte" });
    const year = keyFigures({ ...base, simulatedYears: 1 });
    expect(year[1]!.extra).toBe("235 % per year extrapolated");
  });
});

describe("a run that stopped early", () => {
  it("says where maxEvents stopped it", () => {
    const verdict = verdictOf({ model: "pbft", simTime: 12.5, violations: [] }, { simTime: 12.5, until: 30, events: 5000, scenario: { maxEvents: 5000 } });
    expect(verdict.passed).toBe(true);
    expect(verdict.stoppedEarly).toBe("The run stopped at 12.5 s of the 30 s asked for: the scenario's maxEvents (5,000 events) was reached.");
    expect(verdictOf({ model: "pbft", violations: [] }, { simTime: 30, until: 30 }).stoppedEarly).toBeUndefined();
  });
});
