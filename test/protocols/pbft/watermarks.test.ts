// Watermarks (R-A4, R-K*), checkpoint stability and garbage collection, S11, S20.

import { describe, expect, it } from "vitest";
import { KvApplication, makeConfig, Replica } from "../../../src/protocols/pbft/index.js";
import { Pump, put } from "./harness.js";
import { broadcasts, ckpt, commitAt, feed, has, pp, req } from "./util.js";

describe("watermarks at a single backup (K=2, L=4)", () => {
  const cfg = makeConfig({ n: 4, checkpointInterval: 2, logWindow: 4 });

  it("rejects PRE-PREPAREs at h and above H; accepts H; window advances after a stable checkpoint", () => {
    const r = new Replica(1, cfg, new KvApplication());
    expect(broadcasts(feed(r, 0, pp(0, 0, [req(100, 1)])), "prepare")).toBe(0); // n = h = 0
    expect(broadcasts(feed(r, 0, pp(0, 5, [req(101, 1)])), "prepare")).toBe(0); // n = H+1
    expect(broadcasts(feed(r, 0, pp(0, 4, [req(102, 1)])), "prepare")).toBe(1); // n = H
    // execute 1 and 2 → own checkpoint 2
    commitAt(r, 4, 1, [req(103, 1)]);
    const e = commitAt(r, 4, 2, [req(104, 1)]);
    expect(has(e, "checkpoint")).toBe(true);
    expect(r.lastExecuted).toBe(2);
    expect(r.lowWatermark).toBe(0);
    const d = r.checkpointDigests().get(2)!;
    expect(has(feed(r, 0, ckpt(2, d, 0)), "checkpointStable")).toBe(false);
    expect(has(feed(r, 3, ckpt(2, "bogus", 3)), "checkpointStable")).toBe(false);
    expect(has(feed(r, 2, ckpt(2, d, 2)), "checkpointStable")).toBe(true);
    expect(r.lowWatermark).toBe(2);
    expect(r.highWatermark).toBe(6);
    // GC: slots ≤ 2 dropped, slot 4 kept
    expect(r.logSeqs()).toEqual([4]);
    expect(r.slotInfo(1)).toBeUndefined();
    // now 2 (= h) is rejected, 6 accepted, 7 rejected
    expect(broadcasts(feed(r, 0, pp(0, 2, [req(105, 1)])), "prepare")).toBe(0);
    expect(broadcasts(feed(r, 0, pp(0, 7, [req(106, 1)])), "prepare")).toBe(0);
    expect(broadcasts(feed(r, 0, pp(0, 6, [req(107, 1)])), "prepare")).toBe(1);
    expect(broadcasts(feed(r, 0, pp(0, 5, [req(108, 1)])), "prepare")).toBe(1);
  });

  it("rejects a pre-prepare whose digest does not match its body, or from a backup (S10 a/b)", () => {
    const r = new Replica(1, cfg, new KvApplication());
    const good = pp(0, 1, [req(100, 1)]);
    expect(broadcasts(feed(r, 0, { ...good, digest: "ffff" }), "prepare")).toBe(0);
    expect(broadcasts(feed(r, 3, { ...good, replica: 3 }), "prepare")).toBe(0);
    const forged = { ...req(100, 1), digest: req(100, 2).digest };
    expect(broadcasts(feed(r, 0, pp(0, 1, [forged])), "prepare")).toBe(0);
    expect(broadcasts(feed(r, 0, good), "prepare")).toBe(1);
    // (c) impersonation: payload names R2, channel says R3
    feed(r, 3, { type: "prepare", view: 0, seq: 1, digest: good.digest, replica: 2 });
    expect(r.slotInfo(1)!.prepareCount).toBe(1);
    // (d) truncated messages are ignored without throwing
    expect(() => feed(r, 2, { type: "prepare" } as never)).not.toThrow();
    expect(() => feed(r, 2, null as never)).not.toThrow();
    expect(() => feed(r, 2, { type: "view-change", view: 1, replica: 2 } as never)).not.toThrow();
    expect(r.view).toBe(0);
  });
});

describe("S11 watermark abuse through the network", () => {
  it("out-of-window proposals get no PREPARE, then the request is ordered after a view change", () => {
    const p = new Pump({ n: 4, config: { checkpointInterval: 2, logWindow: 4 }, clients: [100, 101] });
    expect(p.runSequential(100, [put("a", 1), put("a", 2)], 10)).toBe(true);
    p.run(p.now + 0.5);
    expect(p.replicas.every((r) => r.lowWatermark === 2)).toBe(true);
    const A = req(101, 1, put("b", 1));
    // R0 turns Byzantine: it only proposes A out of the window
    p.crash(0);
    const t0 = p.now;
    for (const j of [1, 2, 3]) {
      p.inject(0, j, pp(0, 1000, [A]));
      p.inject(0, j, pp(0, 1, [A]));
      p.injectRequest(A, j);
    }
    p.run(t0 + 0.1);
    expect(p.count("prepare", t0)).toBe(0);
    // CKPT(1 000 000, junk) from one replica is ignored
    for (const j of [1, 2]) p.inject(3, j, ckpt(1_000_000, "junk", 3));
    p.run(t0 + 0.2);
    expect(p.replicas[1]!.lowWatermark).toBe(2);
    expect(p.replicas[1]!.stateTransferInProgress).toBe(false);
    expect(p.runUntil(() => [1, 2, 3].every((i) => p.executedRequests(i).includes(A.digest)), t0 + 20)).toBe(true);
    for (const i of [1, 2, 3]) {
      expect(p.replicas[i]!.view).toBe(1);
      const ex = p.executed(i).find((o) => o.requests.some((r) => r.digest === A.digest))!;
      expect(ex.seq).toBe(3);
      expect(p.executedSeqs(i).filter(([s]) => s === 1)).toHaveLength(1);
    }
  });
});

describe("S20 checkpoint stabilisation and high-watermark stall", () => {
  it("orders 3–6 while execution is paused, holds back 7, then finishes", () => {
    const p = new Pump({
      n: 4,
      config: { checkpointInterval: 2, logWindow: 4, maxInFlight: 8, requestTimeout: 100 },
      clients: [100, 101, 102, 103, 104, 105, 106],
    });
    expect(p.runSequential(100, [put("k", 1), put("k", 2)], 10)).toBe(true);
    p.run(p.now + 0.5);
    for (const r of p.replicas) {
      expect(r.lowWatermark).toBe(2);
      expect([...r.checkpointDigests().keys()]).toEqual([2]);
      expect(r.logSeqs()).toEqual([]);
    }
    for (const r of p.replicas) r.setExecutionPaused(true, p.now);
    for (let c = 101; c <= 105; c++) p.submit(c, put(`c${c}`, c));
    p.run(p.now + 2);
    const pps = p.sentOf("pre-prepare").map((m) => m.seq);
    expect(Math.max(...pps)).toBe(6);
    expect(p.replicas[0]!.lastAssigned).toBe(6);
    for (const r of p.replicas) {
      expect(r.lastExecuted).toBe(2);
      for (const s of [3, 4, 5, 6]) expect(r.slotInfo(s)!.committedDigest).not.toBeNull();
    }
    for (let i = 0; i < 4; i++) {
      p.replicas[i]!.setExecutionPaused(false, p.now);
      p.flushReplica(i);
    }
    expect(p.runUntil(() => p.replicas.every((r) => r.lastExecuted === 7), p.now + 10)).toBe(true);
    p.run(p.now + 1);
    for (let i = 0; i < 4; i++) {
      expect(p.executedRequests(i)).toHaveLength(7);
      expect(p.ofType(i, "checkpointStable").map((o) => o.seq)).toEqual([2, 4, 6]);
    }
  });
});
