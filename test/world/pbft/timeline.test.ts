// replica_timeline.csv and schedule.csv from full worlds: crashes with and without their log, drawn
// random faults and partitions, network rules and spikes, PoT outages drawn per seed — and the
// timeline's thinning on its own.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Cell, Table } from "../../../src/metrics/index.js";
import { loadScenario } from "../../../src/scenario/index.js";
import { ReplicaTimeline, TIMELINE_SAMPLES } from "../../../src/world/pbft/index.js";
import { runScenario } from "../../../src/world/run.js";

const tmp = mkdtempSync(join(tmpdir(), "potsim-timeline-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let made = 0;

function run(yaml: string, overrides: string[] = []) {
  const file = join(tmp, `s${++made}.yaml`);
  writeFileSync(file, yaml);
  return runScenario(loadScenario(file, { overrides }));
}

function table(tables: Table[], name: string): Array<Record<string, Cell>> {
  const t = tables.find((x) => x.name === name);
  if (!t) throw new Error(`no ${name} table`);
  return t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]!])));
}

/** The pbft section comes last so that a test can append its faults. */
const BASE = `name: tl
model: pbft
seed: 1
until: 12
check:
  liveness: false
network:
  latency: { model: uniform, min: 0.005, max: 0.02 }
pbft:
  n: 4
  checkpointInterval: 4
  requestTimeout: 0.5
  clients:
    count: 2
    requests: 200
    workload: { model: closed, thinkTime: 0.05 }
`;

describe("replica_timeline.csv", () => {
  it("a crash, then a recovery with an empty log: crashed, back at sequence 0, catching up", () => {
    const r = run(`${BASE}  faults:
    - { type: crash, replica: 2, at: 3 }
    - { type: recover, replica: 2, at: 6, state: lost }
`);
    const rows = table(r.tables, "replica_timeline").filter((x) => x.replica === 2);
    const crash = rows.find((x) => x.status === "crashed")!;
    expect(crash.time_s).toBe(3);
    expect(crash.last_executed).toBeGreaterThan(0);
    expect(rows.filter((x) => x.status === "crashed").every((x) => (x.time_s as number) < 6)).toBe(true);
    const back = rows.find((x) => x.time_s === 6 && x.status === "up")!;
    expect(back).toMatchObject({ view: 0, last_executed: 0, stable_checkpoint: 0 });
    // it catches up with the others by the end (state transfer, then execution)
    const last = rows[rows.length - 1]!;
    const others = table(r.tables, "replicas").filter((x) => x.replica !== 2);
    expect(last.last_executed).toBeGreaterThanOrEqual(Math.min(...others.map((x) => x.last_executed as number)) - 8);
    expect(rows.some((x) => x.mode === "state_transfer")).toBe(true);
    // schedule: one row from the crash to the recovery
    expect(table(r.tables, "schedule")).toEqual([
      { start_s: 3, end_s: 6, kind: "crash", fault: "amnesia", targets: "replica 2", detail: "recovers with an empty log", source: "scenario" },
    ]);
  });

  it("the last row of each replica equals replicas.csv, and rows are in time order", () => {
    const r = run(BASE);
    const rows = table(r.tables, "replica_timeline");
    const times = rows.map((x) => x.time_s as number);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (const end of table(r.tables, "replicas")) {
      const mine = rows.filter((x) => x.replica === end.replica);
      expect(mine[mine.length - 1]).toMatchObject({ view: end.view, last_executed: end.last_executed, stable_checkpoint: end.stable_checkpoint });
    }
    // sampled: at most one execution-only row per replica per 1/1000 of the run, plus the structural ones
    expect(rows.length).toBeLessThan(4 * (TIMELINE_SAMPLES + 200));
  });
});

describe("ReplicaTimeline thinning", () => {
  it("keeps every structural change and the last execution row of each 1/1000 of the run per replica", () => {
    const t = new ReplicaTimeline(2, 2, () => true);
    // run of 1000 s: buckets of 1 s
    for (let i = 1; i <= 9; i++) t.observe(0, { type: "executed", view: 0, seq: i, digest: "d", requests: [] }, 0.1 * i); // bucket 0 (0.1 … 0.9)
    t.observe(0, { type: "checkpointStable", seq: 4, stateDigest: "x", collected: 0 }, 0.95); // structural, bucket 0
    t.observe(0, { type: "executed", view: 0, seq: 10, digest: "d", requests: [] }, 1.5); // bucket 1
    t.observe(1, { type: "viewChangeStarted", view: 1 }, 2);
    t.observe(1, { type: "executed", view: 0, seq: 1, digest: "d", requests: [] }, 2.5);
    t.observe(1, { type: "executed", view: 0, seq: 2, digest: "d", requests: [] }, 2.6);
    const rows = t.table(1000).rows.map((r) => [r[0], r[1], r[2], r[3], r[4], r[5], r[6]]);
    expect(rows).toEqual([
      [0, 0, "up", 0, "normal", 0, 0],
      [0, 1, "up", 0, "normal", 0, 0],
      [0.95, 0, "up", 0, "normal", 9, 4],
      [1.5, 0, "up", 0, "normal", 10, 4],
      [2, 1, "up", 1, "view_change", 0, 0],
      [2.6, 1, "up", 1, "view_change", 2, 0],
    ]);
  });

  it("a replica is partitioned while fewer than 2f + 1 replicas can reach it both ways", () => {
    let cut = new Set<number>();
    const t = new ReplicaTimeline(4, 3, (a, b) => !(cut.has(a) !== cut.has(b)));
    cut = new Set([0]);
    t.partitionsChanged(5);
    cut = new Set([0, 1]);
    t.partitionsChanged(6);
    cut = new Set();
    t.partitionsChanged(7);
    const rows = t.table(10).rows.filter((r) => (r[0] as number) > 0).map((r) => [r[0], r[1], r[2]]);
    // {0,1} | {2,3}: neither side holds 3 replicas, so all four are cut off
    expect(rows).toEqual([
      [5, 0, "partitioned"],
      [6, 1, "partitioned"],
      [6, 2, "partitioned"],
      [6, 3, "partitioned"],
      [7, 0, "up"],
      [7, 1, "up"],
      [7, 2, "up"],
      [7, 3, "up"],
    ]);
  });
});

describe("schedule.csv", () => {
  it("random faults: drawn rows, the same faults the summary lists, reproducible per seed", () => {
    const yaml = `${BASE}  randomFaults: { count: 1, kinds: [crashRecover, silent], start: 1, end: 4, maxDuration: 3 }
`;
    const a = run(yaml);
    const b = run(yaml);
    const rows = table(a.tables, "schedule");
    expect(rows).toEqual(table(b.tables, "schedule"));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.source).toBe("drawn");
    const faults = a.summary.faults as Array<{ type: string; replica: number; at: number }>;
    expect(rows[0]!.start_s).toBeCloseTo(faults[0]!.at, 9);
    expect(rows[0]!.targets).toBe(`replica ${faults[0]!.replica}`);
  });

  it("random partitions as they happened, network rules and latency spikes", () => {
    const r = run(
      `${BASE}  faults: []
`.replace(
        "network:\n",
        `network:
  randomPartitions: { mode: isolate, meanInterval: 2, meanDuration: 1, end: 10 }
  rules:
    - { action: drop, kind: [prepare, commit], from: 1, to: [2, 3, 4], probability: 0.3, start: 2, end: 4 }
  spikes:
    - { at: 8, until: 9, extra: 0.05 }
`,
      ),
    );
    const rows = table(r.tables, "schedule");
    const parts = rows.filter((x) => x.kind === "partition");
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(p.source).toBe("drawn");
      expect(p.targets).toMatch(/^nodes \d+ \| [\d, -]+$/);
      expect(p.end_s as number).toBeGreaterThan(p.start_s as number);
    }
    expect(rows.find((x) => x.kind === "network_rule")).toEqual({
      start_s: 2,
      end_s: 4,
      kind: "network_rule",
      fault: "drop",
      targets: "from nodes 1 to nodes 2-4",
      detail: "drops prepare, commit with probability 0.3",
      source: "scenario",
    });
    expect(rows.find((x) => x.kind === "latency_spike")).toMatchObject({ start_s: 8, end_s: 9, targets: "every link", detail: "+0.05 s one-way latency" });
    const starts = rows.map((x) => x.start_s as number);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    // each isolated replica is cut off from the partition's start
    const timeline = table(r.tables, "replica_timeline");
    for (const p of parts) {
      const isolated = Number(/^nodes (\d+) \|/.exec(p.targets as string)![1]);
      if (isolated >= 4) continue; // a client
      expect(timeline.some((x) => x.replica === isolated && x.time_s === p.start_s && x.status === "partitioned")).toBe(true);
    }
  });

  it("a PoT outage drawn per seed lists the nodes it took down; churn is one row", () => {
    const r = run(
      `name: pot-sched
model: pot
seed: 4
until: 100
network:
  latency: { model: uniform, min: 0.005, max: 0.02 }
pbft:
  n: 4
  requestTimeout: 1
economics:
  epochLength: 10
  resourceNodes: { count: 20, graceEpochs: 2 }
traffic:
  mode: aggregated
  users:
    - count: 10
      arrival: { model: poisson, rate: 0.1 }
  churn: { meanUp: 864000, meanDown: 3600 }
attacks:
  sybils:
    - { wallets: 2, budgetStos: 0.001, fromEpoch: 3, toEpoch: 5 }
  offline:
    - { count: 3, at: 20, duration: 40 }
`,
    );
    const rows = table(r.tables, "schedule");
    expect(rows.map((x) => [x.start_s, x.end_s, x.kind, x.fault, x.source])).toEqual([
      [0, null, "churn", "churn", "drawn"],
      [20, 50, "sybil", "sybil0", "scenario"],
      [20, 60, "outage", "offline0", "drawn"],
    ]);
    const outage = rows.find((x) => x.kind === "outage")!;
    expect(outage.targets).toMatch(/^resource nodes \d+, \d+, \d+$/);
    expect(rows[0]!.targets).toBe("all 20 resource nodes");
  });
});

describe("schedule.csv of the adversary language", () => {
  const runFile = (file: string) => runScenario(loadScenario(join(import.meta.dirname, "..", "..", "..", file)));

  it("a crash on an event, rules on protocol fields and a hold until an event say what they wait for", () => {
    expect(table(runFile("scenarios/attacks/s07-newview-contents.yaml").tables, "schedule").map((r) => r.detail)).toEqual([
      "when sent (replica 0, kind pre-prepare, seq 4, count 1); stays down",
      "delays by 2 s commit (view 0 seq 4)",
    ]);
    const m1 = table(runFile("scenarios/attacks/m1-execute-on-prepared.yaml").tables, "schedule");
    expect(m1.map((r) => [r.fault, r.detail])).toEqual([
      ["script", "sends a scripted schedule of 1 step (script.csv)"],
      ["drop", "drops prepare (view 0 seq 1)"],
      ["drop", "drops prepare (view 0 seq 1)"],
      ["hold", "holds until viewEntered (view 1, replica 1, count 1) view-change (view 1)"],
    ]);
  });

  it("mutation and twins partitioned per phase", () => {
    const fuzz = table(runFile("scenarios/attacks/mutation-fuzz.yaml").tables, "schedule");
    expect(fuzz[0]).toMatchObject({ kind: "byzantine", fault: "mutate", detail: "mutates its messages (view, seq, replay, digest) with probability 0.3" });
    const twins = table(runFile("scenarios/attacks/twins-mutation.yaml").tables, "schedule").filter((r) => r.kind === "twins");
    expect(twins).toHaveLength(1);
    expect(String(twins[0]!.detail)).toMatch(/^each runs twice, partitioned per phase: from 0 s: \[0 2\] \/ \[1\] \/ \[3 0'\]; from 0.37 s: /);
    expect(String(twins[0]!.detail)).toMatch(/; from 4.946 s: no partition$/);
  });
});
