// Full-world PBFT scenarios (pbft-scenarios.md A, E): normal operation, benign faults,
// checkpoints, watermarks and state transfer — real kernel, network model, hosts, faults and the
// continuous checkers, with outcomes asserted per replica.

import { describe, expect, it } from "vitest";
import { faultsTolerated } from "../../../src/protocols/pbft/index.js";
import { invariants, pbftScenario, pbftWorld, range, replica, runPbft, sent, stateDigests } from "./support.js";

const F = "test/fixtures/pbft";

describe("S01 fault-free ordering with checkpoints (K = 4, L = 8)", () => {
  for (const n of [4, 7]) {
    it(`n = ${n}: 10 requests at 1…10 in view 0 everywhere, exact message counts, checkpoints 4 and 8`, () => {
      const r = runPbft(`${F}/s01.yaml`, [`pbft.n=${n}`]);
      expect(invariants(r)).toEqual([]);
      const all = range(0, n - 1);
      for (const i of all) {
        expect(r.rec.seqs(i)).toEqual(range(1, 10));
        expect(r.rec.executed[i]!.every((e) => e.view === 0 && e.requests.length === 1)).toBe(true);
        expect(r.rec.requests(i)).toEqual(range(1, 10).map((t) => `0:${t}`));
        expect(r.rec.viewChanges[i]).toEqual([]);
        expect(r.rec.stable[i]!.map((s) => s.seq)).toEqual([4, 8]);
        const rep = replica(r, i);
        expect(rep.lowWatermark).toBe(8);
        expect(rep.logSeqs()).toEqual([9, 10]);
      }
      // same digest at every replica for each sequence number and each stable checkpoint
      for (const s of range(1, 10)) expect(new Set(all.map((i) => r.rec.digestAt(i, s))).size).toBe(1);
      for (const k of [0, 1]) expect(new Set(all.map((i) => r.rec.stable[i]![k]!.digest)).size).toBe(1);
      expect(new Set(stateDigests(r, all)).size).toBe(1);
      // per request: n−1 PRE-PREPAREs, (n−1)² PREPAREs, n(n−1) COMMITs, n REPLYs; n(n−1) CHECKPOINTs per checkpoint
      expect(sent(r, "pre-prepare")).toBe(10 * (n - 1));
      expect(sent(r, "prepare")).toBe(10 * (n - 1) ** 2);
      expect(sent(r, "commit")).toBe(10 * n * (n - 1));
      expect(sent(r, "reply")).toBe(10 * n);
      expect(sent(r, "checkpoint")).toBe(2 * n * (n - 1));
      expect(sent(r, "request")).toBe(10);
      expect(sent(r, "view-change")).toBe(0);
      expect(r.rec.accepted[0]!.map((a) => a.timestamp)).toEqual(range(1, 10));
    });
  }
});

describe("S02 f silent backups from the start, then restarted", () => {
  for (const [file, n, down] of [
    ["s02.yaml", 4, [3]],
    ["s02-n7.yaml", 7, [5, 6]],
  ] as const) {
    it(`n = ${n}: the other 2f+1 order all 10 requests in view 0; the returning replicas catch up by state transfer`, () => {
      const f = faultsTolerated(n);
      const r = pbftWorld(pbftScenario(`${F}/${file}`), 1).until(4.9);
      const up = range(0, n - 1).filter((i) => !(down as readonly number[]).includes(i));
      for (const i of up) expect(r.rec.seqs(i)).toEqual(range(1, 10));
      for (const i of down) expect(r.rec.executed[i]).toEqual([]);
      expect(sent(r, "reply")).toBe(10 * (2 * f + 1)); // exactly 2f+1 replies per request
      expect(sent(r, "view-change")).toBe(0);
      r.until(10);
      expect(invariants(r)).toEqual([]);
      for (const i of down) {
        expect(r.rec.transferred[i]!.map((t) => [t.fromSeq, t.toSeq])).toEqual([[0, 10]]);
        expect(r.rec.executed[i]).toEqual([]);
        expect(replica(r, i).lastExecuted).toBe(10);
        expect(replica(r, i).view).toBe(0);
      }
      expect(new Set(stateDigests(r, range(0, n - 1))).size).toBe(1);
    });
  }
});

describe("S03 more than f replicas unavailable", () => {
  it("no commit and no runaway views while 2 replicas are down; after the restart A executes exactly once everywhere", () => {
    const r = pbftWorld(pbftScenario(`${F}/s03.yaml`), 1).until(7.99);
    expect(invariants(r)).toEqual([]);
    for (const i of [0, 1]) {
      expect(replica(r, i).lastExecuted).toBe(3);
      // the timed-out replicas ask for view 1 and stay there: 2 < 2f+1 VIEW-CHANGEs, no new-view timer
      expect(replica(r, i).view).toBe(1);
      expect(replica(r, i).mode).toBe("view-changing");
      expect(r.rec.viewChanges[i]!.map((v) => v.view)).toEqual([1]);
      expect(r.world.hosts.hostsOf(i)[0]!.timers.has("newView")).toBe(false);
      expect(r.rec.newViews[i]).toEqual([]);
    }
    expect(r.rec.accepted[0]!.map((a) => a.timestamp)).toEqual([1, 2, 3]);
    r.until(15);
    expect(invariants(r)).toEqual([]);
    const dA = r.rec.digestAt(0, 4);
    expect(dA).toBeDefined();
    for (const i of range(0, 3)) {
      expect(r.rec.seqs(i)).toEqual([1, 2, 3, 4]);
      expect(r.rec.digestAt(i, 4)).toBe(dA);
      expect(r.rec.requests(i).filter((q) => q === "0:4")).toHaveLength(1);
      expect(replica(r, i).view).toBe(1);
      expect(replica(r, i).mode).toBe("normal");
    }
    expect(r.rec.accepted[0]!.map((a) => a.timestamp)).toEqual([1, 2, 3, 4]);
  });
});

describe("S04 pre-prepare lost at one backup (K = 2, L = 4)", () => {
  it("R3 executes nothing past the gap, then gets checkpoint 2 by state transfer and executes 3, 4; no view change", () => {
    const r = pbftWorld(pbftScenario(`${F}/s04.yaml`), 1).until(0.4);
    for (const i of [0, 1, 2]) expect(r.rec.seqs(i)).toEqual([1]);
    expect(r.rec.executed[3]).toEqual([]);
    expect(replica(r, 3).slotInfo(1)?.digest ?? null).toBeNull(); // no pre-prepare, no body
    expect(r.rec.accepted[0]!.map((a) => a.timestamp)).toEqual([1]); // 3 replies are enough
    r.until(5);
    expect(invariants(r)).toEqual([]);
    for (const i of [0, 1, 2]) expect(r.rec.seqs(i)).toEqual([1, 2, 3, 4]);
    expect(r.rec.transferred[3]!.map((t) => [t.fromSeq, t.toSeq])).toEqual([[0, 2]]);
    expect(r.rec.seqs(3)).toEqual([3, 4]);
    for (const s of [3, 4]) expect(r.rec.digestAt(3, s)).toBe(r.rec.digestAt(0, s));
    expect(new Set(stateDigests(r, [0, 1, 2, 3])).size).toBe(1);
    expect(sent(r, "view-change")).toBe(0);
    for (const i of range(0, 3)) expect(replica(r, i).lowWatermark).toBe(4);
  });
});

describe("S20 checkpoint stabilisation, GC and the high-watermark stall (K = 2, L = 4)", () => {
  it("with checkpoints 4 and 6 late, 3–6 are ordered but nothing is assigned 7 > H until checkpoint 4 is stable", () => {
    const r = pbftWorld(pbftScenario(`${F}/s20.yaml`), 1).until(0.5);
    expect(invariants(r)).toEqual([]);
    for (const i of range(0, 3)) {
      const rep = replica(r, i);
      expect(r.rec.seqs(i)).toEqual(range(1, 6));
      expect(r.rec.stable[i]!.map((s) => s.seq)).toEqual([2]); // exactly one stable checkpoint
      expect(rep.lowWatermark).toBe(2);
      expect(rep.highWatermark).toBe(6);
      expect(rep.logSeqs()).toEqual([3, 4, 5, 6]); // slots ≤ 2 garbage-collected
    }
    expect(replica(r, 0).lastAssigned).toBe(6); // r7 waits at the primary
    expect(sent(r, "pre-prepare")).toBe(6 * 3); // no PRE-PREPARE for 7
    expect(r.rec.submitted[0]!.map((s) => s.timestamp)).toEqual(range(1, 7));
    r.until(4);
    expect(invariants(r)).toEqual([]);
    const stable4 = r.rec.stable[0]!.find((s) => s.seq === 4)!.time;
    for (const i of range(0, 3)) {
      expect(r.rec.seqs(i)).toEqual(range(1, 7));
      expect(r.rec.stable[i]!.map((s) => s.seq)).toEqual([2, 4, 6]);
      expect(r.rec.executed[i]![6]!.time).toBeGreaterThan(stable4);
    }
    expect(sent(r, "pre-prepare")).toBe(7 * 3);
  });
});

describe("S21 fallen-behind replica and state transfer (K = 2, L = 4)", () => {
  it("R3 misses request 1, learns from f+1 checkpoints above its window that it is behind, fetches checkpoint 8, ends identical", () => {
    const r = runPbft(`${F}/s21.yaml`);
    expect(invariants(r)).toEqual([]);
    for (const i of [0, 1, 2]) expect(r.rec.seqs(i)).toEqual(range(1, 9));
    expect(r.rec.transferred[3]!.map((t) => [t.fromSeq, t.toSeq])).toEqual([[0, 8]]);
    expect(r.rec.seqs(3)).toEqual([9]);
    expect(r.rec.digestAt(3, 9)).toBe(r.rec.digestAt(0, 9));
    for (const i of range(0, 3)) {
      expect(replica(r, i).lastExecuted).toBe(9);
      expect(replica(r, i).view).toBe(0);
    }
    expect(new Set(stateDigests(r, range(0, 3))).size).toBe(1);
    expect(sent(r, "view-change")).toBe(0);
  });

  it("20 requests with a slow transfer (STATE 0.3 s late): R3 still ends consistent at 20, no view change", () => {
    const r = runPbft(`${F}/s21.yaml`, ["pbft.clients.requests=20", "network.rules.1={action: delay, kind: state, delay: 0.3}"]);
    expect(invariants(r)).toEqual([]);
    expect(r.rec.transferred[3]!.length).toBeGreaterThanOrEqual(1);
    const xfer = r.rec.transferred[3]![0]!;
    expect(xfer.fromSeq).toBe(0);
    // while the state was in flight the others moved on; R3 executes the rest itself
    expect(r.rec.seqs(3)).toEqual(range(xfer.toSeq + 1, 20));
    for (const i of range(0, 3)) expect(replica(r, i).lastExecuted).toBe(20);
    expect(new Set(stateDigests(r, range(0, 3))).size).toBe(1);
    expect(sent(r, "view-change")).toBe(0);
  });
});
