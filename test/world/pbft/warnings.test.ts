// The PBFT world's warnings: a declared fault, partition or spike that starts at or after the end of
// the run, and clients whose requests never completed, are named in summary.warnings with a stable
// code; a run where all of them happened has none.

import { describe, expect, it } from "vitest";
import type { RunWarning } from "../../../src/world/index.js";
import { pbftWarnings } from "../../../src/world/pbft/index.js";
import { run } from "../support.js";

const codes = (ws: readonly { code: string }[]) => ws.map((w) => w.code);

describe("PBFT world warnings", () => {
  it("partition.yaml as shipped: none; its partition moved past the end of the run: fault-never-triggered", () => {
    expect(run("scenarios/partition.yaml").summary.warnings).toEqual([]);
    const late = run("scenarios/partition.yaml", ["until=4"]);
    expect(late.summary.warnings).toEqual([
      { code: "fault-never-triggered", message: "network partition 0 starts at t=5 s, at or after the end of the run (t=4 s)" },
    ]);
  });

  it("a crash and a Byzantine fault that start after the end are named; one that started is not", () => {
    const r = run("scenarios/baseline.yaml", ["until=10", "pbft.faults=[{type: crash, replica: 3, at: 12}, {type: silent, replica: 2, at: 5}]"]);
    expect(r.summary.warnings).toEqual([{ code: "fault-never-triggered", message: "fault crash of replica 3 starts at t=12 s, at or after the end of the run (t=10 s)" }]);
  });

  it("clients that start after the end: no-request-completed, none issued", () => {
    const ws = run("scenarios/baseline.yaml", ["until=3", "pbft.clients.start=5"]).summary.warnings as RunWarning[];
    expect(codes(ws)).toEqual(["no-request-completed"]);
    expect(ws[0]!.message).toMatch(/planned \d+ requests and none completed: none was issued \(clients start at t=5 s; the run ended at t=3 s\)/);
  });

  it("issued but never committed, spikes and random partitions (the pure function)", () => {
    const ws = pbftWarnings({
      faults: [{ type: "twins", at: 9, replicas: [0], sides: [[1], [2]], clientSides: [] }],
      network: { partitions: [], spikes: [{ at: 20, until: 30, extra: 1 }], randomPartitions: { mode: "isolate", meanInterval: 1, meanDuration: 1, start: 8 } },
      endTimeSec: 8,
      requestsPlanned: 10,
      requestsIssued: 4,
      requestsCompleted: 0,
      clientsStartSec: 0,
    });
    expect(ws).toEqual([
      { code: "fault-never-triggered", message: "fault twins of replicas 0 starts at t=9 s, at or after the end of the run (t=8 s)" },
      { code: "fault-never-triggered", message: "latency spike 0 starts at t=20 s, at or after the end of the run (t=8 s)" },
      { code: "fault-never-triggered", message: "random partitions start at t=8 s, at or after the end of the run (t=8 s)" },
      { code: "no-request-completed", message: "the clients planned 10 requests and none completed: 4 issued, none committed" },
    ]);
  });
});
