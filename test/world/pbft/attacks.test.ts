// The design schedules that need per-message control, written as YAML (scenarios/attacks/): protocol-field
// network rules, holds until an event, crashes on an event and scripted Byzantine replicas. Each test runs
// the shipped file and asserts the outcome pbft-scenarios.md states; the mutation schedules (M1–M4, M8, M10)
// also run with their mutant, which the checker must catch, while the correct replica stays clean.

import { describe, expect, it } from "vitest";
import type { Application, DigestMemo, PbftConfig, Replica } from "../../../src/protocols/pbft/index.js";
import { loadScenario } from "../../../src/scenario/index.js";
import {
  M1ExecuteOnPrepared,
  M2CommitQuorum2f,
  M3PrimaryPrepareCounted,
  M4Quorum2f1,
  M8NoLowWatermark,
  M10OutOfOrder,
} from "../../protocols/pbft/mutants.js";
import { invariants, nv, type PbftRun, repoRoot, replica, runPbft, sent, spyFactory } from "./support.js";

const A = "scenarios/attacks";
type ReplicaClass = new (id: number, config: PbftConfig, app: Application, digests?: DigestMemo) => Replica;

/** Seq → "client:timestamp" of every request replica r executed (null slots as "null"). */
function slots(r: PbftRun, i: number): string[] {
  return r.rec.executed[i]!.map((e) => `${e.seq}=${e.requests.map((q) => `${q.client}:${q.timestamp}`).join("+") || (e.digest === "null" ? "null" : "-")}`);
}

function table(r: PbftRun, name: string): Array<Record<string, unknown>> {
  const t = r.world.finish().tables.find((x) => x.name === name)!;
  return t.rows.map((row) => Object.fromEntries(t.columns.map((c, k) => [c, row[k]])));
}

describe("scenarios/attacks: every file validates", () => {
  it("loads all of them", async () => {
    const { readdirSync } = await import("node:fs");
    const files = readdirSync(`${repoRoot}/${A}`).filter((f) => f.endsWith(".yaml"));
    expect(files.length).toBeGreaterThanOrEqual(16);
    for (const f of files) expect(() => loadScenario(`${repoRoot}/${A}/${f}`)).not.toThrow();
  });
});

describe("mutation schedules as YAML: the mutant is caught, the correct replica is clean", () => {
  const cases: Array<{ file: string; cls: ReplicaClass; expected: string; correct: (r: PbftRun) => void }> = [
    {
      file: "m1-execute-on-prepared",
      cls: M1ExecuteOnPrepared,
      expected: "SAF-1",
      correct: (r) => {
        // B (client 1) at 1 everywhere, A (client 0) later at 2
        for (const i of [1, 2, 3]) expect(slots(r, i)).toEqual(["1=1:1", "2=0:1"]);
        expect(r.rec.prepared[2]!.map((p) => [p.view, p.seq])).toContainEqual([0, 1]); // R2 was prepared on A in view 0
        expect(replica(r, 1).view).toBe(1);
      },
    },
    {
      file: "m2-commit-quorum-2f",
      cls: M2CommitQuorum2f,
      expected: "SAF-1",
      correct: (r) => {
        for (const i of [1, 2, 3]) expect(slots(r, i)).toEqual(["1=1:1", "2=0:1"]);
        expect(r.rec.prepared[3]!.map((p) => [p.view, p.seq])).toContainEqual([0, 1]);
      },
    },
    {
      file: "m3-primary-prepare-counted",
      cls: M3PrimaryPrepareCounted,
      expected: "INV-P",
      correct: (r) => {
        // only B's certificate exists in view 0 (R2, R3); R1 is never prepared on A there
        expect(r.rec.prepared[1]!.filter((p) => p.view === 0)).toEqual([]);
        expect(r.rec.prepared[2]!.filter((p) => p.view === 0).map((p) => p.seq)).toEqual([1]);
        for (const i of [2, 3]) expect(slots(r, i)[0]).toBe("1=1:1");
      },
    },
    {
      file: "m4-quorum-n5",
      cls: M4Quorum2f1,
      expected: "SAF-1",
      correct: (r) => {
        // neither version prepares in view 0 (two backup PREPAREs each, three needed)
        for (const i of [1, 2, 3, 4]) expect(r.rec.prepared[i]!.filter((p) => p.view === 0)).toEqual([]);
        expect(replica(r, 1).view).toBeGreaterThanOrEqual(1);
      },
    },
    {
      file: "m8-below-low-watermark",
      cls: M8NoLowWatermark,
      expected: "SAF-1",
      correct: (r) => {
        for (const i of [1, 2]) expect(slots(r, i).slice(0, 2)).toEqual(["1=0:1", "2=0:2"]);
        // R3 never prepares the forged slot 1
        expect(r.rec.prepared[3]!.filter((p) => p.seq === 1 && p.view === 0)).toEqual([]);
        expect(r.rec.executed[3]!.find((e) => e.seq === 1 && e.requests.some((q) => q.client === 1))).toBeUndefined();
      },
    },
    {
      file: "m10-out-of-order",
      cls: M10OutOfOrder,
      expected: "SAF-2",
      correct: (r) => {
        for (const i of [0, 1, 2, 3]) expect(slots(r, i)).toEqual(["1=0:1", "2=1:1"]);
      },
    },
  ];
  for (const c of cases) {
    it(`${c.file}: ${c.expected} with the mutant; clean and as designed with the correct replica`, () => {
      const ok = runPbft(`${A}/${c.file}.yaml`);
      expect(invariants(ok)).toEqual([]);
      c.correct(ok);
      const bad = runPbft(`${A}/${c.file}.yaml`, [], { replicaFactory: (id, cfg, app, d) => new c.cls(id, cfg, app, d) });
      const found = invariants(bad);
      expect(found).toContain(c.expected);
      const v = bad.world.violations.find((x) => x.invariant === c.expected)!;
      for (const r of v.replicas ?? []) expect(bad.world.faultyReplicas.has(r)).toBe(false);
    });
  }

  it("m1: the script sent exactly the declared pre-prepare (to R2 and R3)", () => {
    const r = runPbft(`${A}/m1-execute-on-prepared.yaml`);
    expect(table(r, "script")).toEqual([{ time_s: 0.01, replica: 0, step: 1, kind: "pre-prepare", to: "2 3", outcome: "sent", detail: "" }]);
  });
});

describe("S-schedules as YAML", () => {
  it("S04: PP(0,1) lost at R3 — R3 executes nothing past the gap, then takes checkpoint 2 and executes 3, 4; no view change", () => {
    const r = runPbft(`${A}/s04-lost-preprepare.yaml`);
    expect(invariants(r)).toEqual([]);
    for (const i of [0, 1, 2]) expect(r.rec.seqs(i)).toEqual([1, 2, 3, 4]);
    expect(r.rec.transferred[3]!.map((t) => [t.fromSeq, t.toSeq])).toEqual([[0, 2]]);
    expect(r.rec.seqs(3)).toEqual([3, 4]);
    expect(r.rec.executed[3]![0]!.time).toBeGreaterThan(r.rec.transferred[3]![0]!.time);
    expect(sent(r, "view-change")).toBe(0);
    expect(new Set([0, 1, 2, 3].map((i) => replica(r, i).application.stateDigest())).size).toBe(1);
  });

  it("S05: COMMITs of views 0 and 1 reach R1 only — final view 2; R0–R2 executed A–D at 1–4; R1 executed A once; R3 nothing", () => {
    const r = runPbft(`${A}/s05-commits-withheld.yaml`);
    expect(invariants(r)).toEqual([]);
    expect(r.rec.executed[1]![0]!.view).toBe(0);
    for (const i of [0, 1, 2]) {
      expect(r.rec.requests(i)).toEqual(["0:1", "0:2", "0:3", "0:4"]);
      expect(r.rec.seqs(i)).toEqual([1, 2, 3, 4]);
      expect(replica(r, i).view).toBe(2);
    }
    for (const i of [0, 2]) expect(r.rec.executed[i]![0]!.view).toBe(2);
    expect(r.rec.newViews[1]!.map((v) => v.view)).toEqual([1, 2]);
    expect(r.rec.seqs(3)).toEqual([]);
  });

  it("S07: R0 crashes right after PP(0,4) — NV(1) has min-s 2, max-s 4, O = {3 → r3, 4 → r4}; r4 executes in view 1, r5 gets 5", () => {
    const r = runPbft(`${A}/s07-newview-contents.yaml`, [], { replicaFactory: spyFactory });
    expect(invariants(r)).toEqual([]);
    const w = nv(r, 1)!;
    const d3 = r.rec.digestAt(1, 3)!;
    const d4 = r.rec.digestAt(1, 4)!;
    expect([w.view, w.minS, w.maxS]).toEqual([1, 2, 4]);
    expect(w.prePrepares.map((p) => [p.seq, p.digest])).toEqual([
      [3, d3],
      [4, d4],
    ]);
    for (const i of [1, 2, 3]) {
      expect(r.rec.seqs(i)).toEqual([1, 2, 3, 4, 5]);
      expect(r.rec.executed[i]!.map((e) => e.view)).toEqual([0, 0, 0, 1, 1]);
    }
    expect(r.rec.seqs(0)).toEqual([1, 2, 3]);
    expect(r.world.hosts.hostsOf(0)[0]!.up).toBe(false);
  });

  it("S07 (state-transfer variant): R3 missed PP 1-3 — it takes checkpoint 2 by transfer; NV(1) has min-s 2, O = {3}; all end identical in view 1", () => {
    const r = runPbft(`${A}/s07c-view-change-state-transfer.yaml`, [], { replicaFactory: spyFactory });
    expect(invariants(r)).toEqual([]);
    expect(r.rec.transferred[3]!.map((t) => [t.fromSeq, t.toSeq])).toEqual([[0, 2]]);
    for (const i of [0, 1, 2]) expect(r.rec.transferred[i]).toEqual([]);
    const w = nv(r, 1)!;
    expect([w.view, w.minS, w.maxS]).toEqual([1, 2, 3]);
    expect(w.prePrepares.map((p) => [p.seq, p.digest])).toEqual([[3, r.rec.digestAt(1, 3)]]);
    const views = (i: number) => r.rec.executed[i]!.map((e) => [e.seq, e.view]);
    for (const i of [0, 1, 2]) expect(views(i)).toEqual([[1, 0], [2, 0], [3, 0], [4, 1], [5, 1]]);
    expect(r.rec.seqs(3)).toEqual([3, 4, 5]);
    for (const s of [3, 4, 5]) expect(new Set([0, 1, 2, 3].map((i) => r.rec.digestAt(i, s))).size).toBe(1);
    for (const i of [0, 1, 2, 3]) expect(replica(r, i).view).toBe(1);
    expect(new Set([0, 1, 2, 3].map((i) => replica(r, i).application.stateDigest())).size).toBe(1);
  });

  for (const [file, seq] of [
    ["s11a-above-window", 1000],
    ["s11b-below-window", 1],
  ] as const) {
    it(`S11: a pre-prepare of the third request at ${seq} gets no PREPARE; view 1 orders it at 3`, () => {
      const r = runPbft(`${A}/${file}.yaml`);
      expect(invariants(r)).toEqual([]);
      expect(table(r, "script").map((x) => [x.kind, x.outcome])).toEqual([["pre-prepare", "sent"]]);
      for (const i of [0, 1, 2, 3]) {
        expect(slots(r, i)).toEqual(["1=0:1", "2=0:2", "3=0:3"]);
        expect(r.rec.executed[i]![2]!.view).toBe(1);
        expect(r.rec.prepared[i]!.some((p) => p.view === 0 && p.seq === seq && seq !== 1)).toBe(false);
      }
      expect(r.rec.prepared.flat().filter((p) => p.view === 0 && p.seq === 3)).toEqual([]);
    });
  }

  it("S11 (c): CKPT(1 000 000) from one Byzantine replica moves nothing", () => {
    const r = runPbft(`${A}/s11c-far-checkpoint.yaml`);
    expect(invariants(r)).toEqual([]);
    expect(table(r, "script").map((x) => x.outcome)).toEqual(["sent"]);
    for (const i of [0, 1, 2]) {
      expect(r.rec.seqs(i)).toEqual([1, 2, 3, 4]);
      expect(r.rec.transferred[i]).toEqual([]);
      expect(replica(r, i).lowWatermark).toBe(4);
    }
  });

  it("S13 (b): VC(1) ×10, VC(2), VC(5), VC(9) from R3 — no correct replica changes view", () => {
    const r = runPbft(`${A}/s13b-view-change-spam.yaml`);
    expect(invariants(r)).toEqual([]);
    expect(sent(r, "view-change")).toBe(3 * 13);
    for (const i of [0, 1, 2]) {
      expect(r.rec.viewChanges[i]).toEqual([]);
      expect(replica(r, i).lastExecuted).toBe(20);
    }
  });

  it("S14: the next primary is crashed — VC(1), no NV(1), VC(2) with 2T, NV(2) by R2; A once in view 2; timer back to T", () => {
    const r = runPbft(`${A}/s14-next-primary-faulty.yaml`);
    expect(invariants(r)).toEqual([]);
    for (const i of [0, 2, 3]) {
      expect(r.rec.viewChanges[i]!.map((v) => v.view)).toEqual([1, 2]);
      expect(r.rec.newViews[i]!.map((v) => v.view)).toEqual([2]);
      expect(r.rec.executed[i]!.map((e) => [e.seq, e.view])).toEqual([[1, 2]]);
      expect(replica(r, i).newViewTimeoutDuration).toBe(1);
    }
  });

  it("S21: R3 misses everything of seq 1 — it state-transfers and then executes normally; all identical in view 0", () => {
    const r = runPbft(`${A}/s21-fallen-behind.yaml`);
    expect(invariants(r)).toEqual([]);
    expect(r.rec.transferred[3]!.length).toBeGreaterThanOrEqual(1);
    expect(r.rec.seqs(3)).not.toContain(1);
    for (const i of [0, 1, 2, 3]) {
      expect(replica(r, i).lastExecuted).toBe(9);
      expect(replica(r, i).view).toBe(0);
    }
    expect(new Set([0, 1, 2, 3].map((i) => replica(r, i).application.stateDigest())).size).toBe(1);
  });

  it("S26 (c): R0 crashes once A is prepared — the view change re-proposes A at 1; A executes once, no fresh number", () => {
    const r = runPbft(`${A}/s26c-crash-after-prepared.yaml`);
    expect(invariants(r)).toEqual([]);
    for (const i of [1, 2, 3]) {
      expect(r.rec.executed[i]!.map((e) => [e.seq, e.view, e.requests.map((q) => q.timestamp)])).toEqual([[1, 1, [1]]]);
      expect(r.rec.prepared[i]!.filter((p) => p.view === 0).map((p) => p.seq)).toEqual([1]);
    }
    expect(r.rec.seqs(0)).toEqual([]);
  });
});
