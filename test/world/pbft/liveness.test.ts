// LIV-1 and LIV-2 in a full world. LIV-1: after the declared stabilisation time every correct
// client's request completes within the bound. LIV-2 (the VOPR-style liveness mode): after the
// faults heal, every correct replica converges — normal mode, the group's view, everything
// executed — within a bound, with or without client load. Both must fire when more than f replicas
// are gone for good, and stay silent once faults have healed; LIV-2 must name the replicas a broken
// protocol leaves behind.

import { describe, expect, it } from "vitest";
import { type Application, type DigestMemo, type PbftConfig, Replica } from "../../../src/protocols/pbft/index.js";
import { invariants, range, replica, runPbft, sent } from "./support.js";

const F = "test/fixtures/pbft";
const PARTITION = "scenarios/partition.yaml";

/** Broken on purpose: never pushes its stable checkpoint to a lagging peer (R-K7 removed). */
class NoLaggardPush extends Replica {
  protected override watchLaggards(): void {}
}
const noPush = (id: number, c: PbftConfig, app: Application, d: DigestMemo) => new NoLaggardPush(id, c, app, d);

describe("LIV-1 liveness checker", () => {
  it("fires when f + 1 replicas crash forever (and nothing else is reported: crashes cannot break safety)", () => {
    const r = runPbft(`${F}/liv-stall.yaml`);
    // LIV-2 too: the two survivors sit in VIEW_CHANGING(1) for good
    expect(invariants(r)).toEqual(["LIV-1", "LIV-2"]);
    expect(r.world.violations[1]).toMatchObject({ invariant: "LIV-2", replicas: [0, 1] });
    expect(r.world.violations[1]!.detail).toContain("replica 0 changing to view 1");
    const v = r.world.violations[0]!;
    expect(v.detail).toMatch(/still pending; deadline was 6\.\d+s \(stabilisation 1s \+ bound 5s\)/);
    expect(v.time).toBeGreaterThan(6);
    expect(v.time).toBeLessThan(6 + 5 / 4 + 0.5); // found by the periodic poll, not only at the end
    // the two survivors are stuck at what was committed before the crash
    expect(replica(r, 0).lastExecuted).toBe(replica(r, 1).lastExecuted);
    expect(r.rec.accepted.every((a) => a.every((x) => x.time < 1.1))).toBe(true);
  });

  it("stays silent after a primary crash–restart, a partition and a latency spike have healed", () => {
    const r = runPbft(`${F}/liv-heal.yaml`);
    expect(invariants(r)).toEqual([]);
    expect(r.rec.accepted.map((a) => a.length)).toEqual([50, 50]);
    for (const i of range(0, 3)) expect(replica(r, i).lastExecuted).toBe(100);
    // requests did stall during the faults: the same run with stabilisation at 0 and a 1 s bound fails
    const strict = runPbft(`${F}/liv-heal.yaml`, ["check.stabilization=0", "check.livenessBound=1"]);
    expect(invariants(strict)).toEqual(["LIV-1", "LIV-2"]);
  });

  it("is off when the scenario says so (the stalled run then reports nothing)", () => {
    const r = runPbft(`${F}/liv-stall.yaml`, ["check.liveness=false"]);
    expect(invariants(r)).toEqual([]);
    expect(r.world.liveness).toBeNull();
  });
});

describe("LIV-2 convergence after the faults heal (pbft.md §8.6, §10.1)", () => {
  it("partition.yaml seed 1: replicas 0 and 1 rejoin view 2 after the heal (they used to suspect its primary and wait alone in view 3)", () => {
    const r = runPbft(PARTITION, [], { seed: 1 });
    expect(invariants(r)).toEqual([]);
    for (const i of range(0, 6)) {
      expect([replica(r, i).view, replica(r, i).mode, replica(r, i).lastExecuted]).toEqual([2, "normal", 240]);
    }
    // the two installed view 2 at the heal and never started another view change
    for (const i of [0, 1]) {
      expect(r.rec.newViews[i]!.map((v) => v.view)).toEqual([2]);
      expect(r.rec.viewChanges[i]!.filter((v) => v.time > 25)).toEqual([]);
      // they caught up by state transfer to the group's last stable checkpoint (R-T1 held their timers meanwhile)
      expect(r.rec.transferred[i]!.at(-1)).toMatchObject({ toSeq: 240 });
    }
  });

  it("partition.yaml seed 1: once replicas 0 and 1 have caught up, nobody pushes a STABLE-PROOF any more (R-K7)", () => {
    const r = runPbft(PARTITION, [], { seed: 1, until: 40 });
    const by40 = sent(r, "stable-proof");
    expect(by40).toBeGreaterThan(0); // the pushes of the group to the two cut-off replicas
    // 0 and 1 heard the group only through its STABLE-PROOFs and STATE: they used to take it for lagging
    // and push to all five every 16 s until the end of the run
    r.until(200);
    expect(sent(r, "stable-proof")).toBe(by40);
  });

  it("partition.yaml seed 9: replicas 0 and 1 catch up although no client sends after the heal (R-K7)", () => {
    const r = runPbft(PARTITION, [], { seed: 9 });
    expect(invariants(r)).toEqual([]);
    // every request had completed before the heal: nothing but the protocol itself can wake them up
    expect(Math.max(...r.rec.accepted.flat().map((a) => a.time))).toBeLessThan(25);
    for (const i of range(0, 6)) {
      expect([replica(r, i).view, replica(r, i).mode, replica(r, i).lastExecuted]).toEqual([2, "normal", 240]);
    }
    for (const i of [0, 1]) {
      const t = r.rec.transferred[i]!.at(-1)!;
      expect(t.toSeq).toBe(240);
      expect(t.time).toBeGreaterThan(25);
      expect(t.time).toBeLessThan(25 + 30); // within LIV-2's bound (check.livenessBound)
    }
  });

  it("catches a protocol that leaves the idle laggards behind: LIV-2 names replicas 0 and 1", () => {
    const r = runPbft(PARTITION, [], { seed: 9, replicaFactory: noPush });
    expect(invariants(r)).toEqual(["LIV-2"]);
    const v = r.world.violations[0]!;
    expect(v.replicas).toEqual([0, 1]);
    expect(v.time).toBeGreaterThan(25 + 30);
    expect(v.time).toBeLessThan(25 + 30 + 30 / 4 + 0.01); // the first poll past the bound
    expect(v.detail).toContain("replica 0 in view 0 at seq 67, replica 1 in view 0 at seq 67");
    expect([replica(r, 0).view, replica(r, 0).lastExecuted]).toEqual([0, 67]);
  });

  it("correct replicas pass LIV-2 on partition.yaml seeds 1–20", () => {
    const bad = range(1, 20)
      .map((seed) => ({ seed, inv: invariants(runPbft(PARTITION, [], { seed })) }))
      .filter((x) => x.inv.length > 0);
    expect(bad).toEqual([]);
  });

  it("is configured by check.convergence (default: the liveness bound; 0: off) and off while a fault never heals", () => {
    const off = runPbft(PARTITION, ["check.convergence=0"], { seed: 9, replicaFactory: noPush });
    expect(invariants(off)).toEqual([]);
    const tight = runPbft(PARTITION, ["check.convergence=60"], { seed: 9, replicaFactory: noPush });
    expect(tight.world.violations.map((v) => [v.invariant, v.time > 25 + 60])).toEqual([["LIV-2", true]]);
    // S05's replica 3 is isolated for the whole run: LIV-2 cannot apply (and does not), LIV-1 still does
    const s05 = runPbft(`${F}/s05.yaml`);
    expect(invariants(s05)).toEqual([]);
    expect(replica(s05, 3).lastExecuted).toBe(0);
  });
});
