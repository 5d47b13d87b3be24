// View change: request timer (S06), exact NEW-VIEW contents (S07), numbering after a view change
// (S16), f+1 join, lone replica (S13), doubling new-view timer (S14), re-proposal without
// re-execution (S05).

import { describe, expect, it } from "vitest";
import { NULL_DIGEST, type ReplicaMessage, type ViewChange } from "../../../src/protocols/pbft/index.js";
import { Pump, put } from "./harness.js";
import { req } from "./util.js";

function emptyVC(view: number, replica: number): ViewChange {
  return { type: "view-change", view, replica, stableSeq: 0, stableDigest: "", proof: [], prepared: [] };
}

describe("S06 silent primary", () => {
  it("request timer → exactly one view change → A executes at 1 in view 1; client follows", () => {
    const p = new Pump({ n: 4 });
    p.crash(0);
    p.submit(100, put("a", 1));
    expect(p.runUntil(() => p.accepted(100).length === 1, 20)).toBe(true);
    const acc = p.accepted(100)[0]!;
    expect(acc.view).toBe(1);
    expect(p.now).toBeGreaterThan(2); // T_client + T_req
    for (const i of [1, 2, 3]) {
      expect(p.executedSeqs(i)).toEqual([[1, p.executed(i)[0]!.digest]]);
      expect(p.executed(i)[0]!.view).toBe(1);
      expect(p.ofType(i, "viewChangeStarted").map((o) => o.view)).toEqual([1]);
      expect(p.ofType(i, "newViewInstalled").map((o) => o.view)).toEqual([1]);
    }
    const nv = p.sentOf("new-view");
    expect(nv.length).toBeGreaterThan(0);
    expect(nv[0]!.minS).toBe(0);
    expect(nv[0]!.maxS).toBe(0);
    expect(nv[0]!.prePrepares).toEqual([]);
    const t = p.now;
    p.submit(100, put("a", 2));
    expect(p.runUntil(() => p.accepted(100).length === 2, t + 5)).toBe(true);
    const firstSend = p.sent.find((s) => s.t >= t && s.env.fromKind === "client");
    expect(firstSend!.env.to).toBe(1);
    p.run(p.now + 3);
    expect(p.replicas.slice(1).every((r) => r.view === 1 && r.mode === "normal")).toBe(true);
  });
});

describe("S07 primary crash mid-stream: exact NEW-VIEW contents", () => {
  it("min-s = 2, max-s = 4, O = {3 → r3, 4 → r4}; no re-execution; next request gets 5", () => {
    const p = new Pump({ n: 4, config: { checkpointInterval: 2, logWindow: 4 } });
    expect(p.runSequential(100, [put("r", 1), put("r", 2), put("r", 3)], 10)).toBe(true);
    p.run(p.now + 0.5);
    expect(p.replicas.every((r) => r.lowWatermark === 2 && r.lastExecuted === 3)).toBe(true);
    let crashed = false;
    p.filter = (e) => {
      if (e.msg.type === "pre-prepare" && e.msg.seq === 4 && e.msg.view === 0 && !crashed) {
        crashed = true;
        p.at(p.now, () => p.crash(0));
      }
      if (e.msg.type === "commit" && e.msg.seq === 4 && e.msg.view === 0) return 5; // delayed past T_req
      return undefined;
    };
    p.submit(100, put("r", 4));
    expect(p.runUntil(() => p.accepted(100).length === 4, 30)).toBe(true);
    const r3 = p.executed(1).find((o) => o.seq === 3)!.digest;
    const vcs = p.sentOf("view-change", (e) => e.from !== 0);
    for (const vc of vcs) {
      expect(vc.stableSeq).toBe(2);
      expect(vc.proof).toHaveLength(3);
      expect(vc.prepared.map((c) => [c.seq, c.view])).toEqual([
        [3, 0],
        [4, 0],
      ]);
    }
    const nv = p.sentOf("new-view")[0]!;
    expect(nv.view).toBe(1);
    expect(nv.minS).toBe(2);
    expect(nv.maxS).toBe(4);
    const r4 = vcs[0]!.prepared[1]!.digest;
    expect(nv.prePrepares.map((x) => [x.seq, x.digest])).toEqual([
      [3, r3],
      [4, r4],
    ]);
    for (const i of [1, 2, 3]) {
      expect(p.executedSeqs(i).map(([s]) => s)).toEqual([1, 2, 3, 4]);
      expect(p.executed(i).find((o) => o.seq === 4)!.view).toBe(1);
    }
    const t = p.now;
    p.submit(100, put("r", 5));
    expect(p.runUntil(() => p.accepted(100).length === 5, t + 5)).toBe(true);
    p.run(p.now + 6); // late view-0 COMMITs for slot 4 arrive and are discarded
    for (const i of [1, 2, 3]) expect(p.executedSeqs(i).map(([s]) => s)).toEqual([1, 2, 3, 4, 5]);
    expect(p.alarmsAnywhere()).toEqual([]);
  });
});

describe("S16 sequence numbering continues after a view change", () => {
  it("A at 100, checkpoint 100 stable, NV(1) min-s = 100 and O = ∅, B at 101", () => {
    const p = new Pump({ n: 4, config: { checkpointInterval: 10, logWindow: 40 }, clients: [100, 101] });
    const ops = Array.from({ length: 100 }, (_, i) => put("x", i));
    expect(p.runSequential(100, ops, 100)).toBe(true);
    p.run(p.now + 0.5);
    expect(p.replicas.every((r) => r.lowWatermark === 100 && r.lastExecuted === 100)).toBe(true);
    const t = p.now;
    for (const i of [0, 1]) {
      p.replicas[i]!.suspectPrimary(t);
      p.flushReplica(i);
    }
    expect(p.runUntil(() => p.replicas.every((r) => r.view === 1 && r.mode === "normal"), t + 5)).toBe(true);
    const nv = p.sentOf("new-view")[0]!;
    expect([nv.minS, nv.maxS, nv.prePrepares.length]).toEqual([100, 100, 0]);
    const B = req(101, 1, put("y", 1));
    p.injectRequest(B, 1);
    expect(p.runUntil(() => p.replicas.every((r) => r.lastExecuted === 101), p.now + 5)).toBe(true);
    for (let i = 0; i < 4; i++) {
      const last = p.executed(i).at(-1)!;
      expect(last.seq).toBe(101);
      expect(last.requests.map((r) => r.digest)).toEqual([B.digest]);
      expect(p.executedRequests(i)).toHaveLength(101);
    }
  });
});

describe("f+1 join and lone replicas", () => {
  it("VIEW-CHANGEs from f+1 = 2 replicas make the others join before any timer", () => {
    const p = new Pump({ n: 4 });
    for (const i of [2, 3]) {
      p.replicas[i]!.suspectPrimary(0);
      p.flushReplica(i);
    }
    expect(p.runUntil(() => p.replicas.every((r) => r.view === 1 && r.mode === "normal"), 0.5)).toBe(true);
    for (const i of [0, 1]) expect(p.ofType(i, "viewChangeStarted").map((o) => o.view)).toEqual([1]);
    expect(p.timers.some((t) => t.timer === "request")).toBe(false);
    expect(p.runSequential(100, [put("z", 1)], 5)).toBe(true);
    expect(p.accepted(100)[0]!.view).toBe(1);
  });

  it("S13(a): a lone timed-out replica stays in VIEW_CHANGING, others keep ordering; later f+1 completes it", () => {
    const p = new Pump({ n: 4 });
    p.replicas[2]!.suspectPrimary(0);
    p.flushReplica(2);
    expect(p.runSequential(100, [put("a", 1), put("a", 2), put("a", 3)], 10)).toBe(true);
    p.run(p.now + 3);
    expect(p.replicas[2]!.mode).toBe("view-changing");
    expect(p.replicas[2]!.view).toBe(1);
    for (const i of [0, 1, 3]) {
      expect(p.replicas[i]!.view).toBe(0);
      expect(p.replicas[i]!.lastExecuted).toBe(3);
    }
    expect(p.timers.some((t) => t.id === 2 && t.timer === "newView")).toBe(false);
    expect(p.count("view-change", 0, (e) => e.from === 2)).toBeGreaterThan(3 * 2); // re-sent
    // follow-up: R3 crashes; R0 and R1 alone cannot commit; R1's timer + R2's VC = f+1
    p.crash(3);
    const t = p.now;
    p.submit(100, put("a", 4));
    expect(p.runUntil(() => p.accepted(100).length === 4, t + 20)).toBe(true);
    for (const i of [0, 1, 2]) {
      expect(p.replicas[i]!.view).toBe(1);
      expect(p.replicas[i]!.lastExecuted).toBe(4);
    }
    const e2 = p.executedRequests(2);
    expect(e2).toEqual(p.executedRequests(0));
    expect(p.sentOf("new-view")[0]!.prePrepares.map((x) => x.seq)).toEqual([1, 2, 3]);
  });

  it("S13(b): VIEW-CHANGE spam from one Byzantine replica changes nothing", () => {
    const p = new Pump({ n: 4 });
    for (const j of [0, 1, 2]) {
      for (const v of [1, 2, 5, 9]) p.inject(3, j, emptyVC(v, 3));
      for (let k = 0; k < 10; k++) p.inject(3, j, emptyVC(1, 3));
    }
    p.run(1);
    expect(p.runSequential(100, [put("a", 1), put("a", 2)], 10)).toBe(true);
    for (const i of [0, 1, 2]) {
      expect(p.replicas[i]!.view).toBe(0);
      expect(p.ofType(i, "viewChangeStarted")).toHaveLength(0);
    }
  });
});

describe("S14 faulty next primary: doubling new-view timer", () => {
  it("T then 2T, NV(2) by R2, A once, timeout reset to T", () => {
    const p = new Pump({ n: 4 });
    p.crash(1);
    p.filter = (e, now) => (e.msg.type === "pre-prepare" && e.from === 0 && now < 5 ? 20 : undefined);
    p.submit(100, put("a", 1));
    expect(p.runUntil(() => p.accepted(100).length === 1, 30)).toBe(true);
    p.run(p.now + 2);
    for (const i of [0, 2, 3]) {
      const r = p.replicas[i]!;
      expect(r.view).toBe(2);
      expect(r.mode).toBe("normal");
      expect(p.executedRequests(i)).toHaveLength(1);
      const nvDelays = p.timers.filter((t) => t.id === i && t.timer === "newView").map((t) => t.delay);
      expect(nvDelays.slice(0, 2)).toEqual([1, 2]);
      expect(r.newViewTimeoutDuration).toBe(1);
    }
    expect(p.sentOf("new-view").map((m) => [m.view, m.replica])[0]).toEqual([2, 2]);
    p.run(p.now + 25); // the delayed view-0 pre-prepare is discarded
    for (const i of [0, 2, 3]) expect(p.executedRequests(i)).toHaveLength(1);
  });
});

describe("S05 commits withheld: re-proposal without re-execution", () => {
  it("ends in view 2; R1 executed A once although slot 1 was re-proposed twice", () => {
    const p = new Pump({ n: 4, clients: [100] });
    p.crash(3);
    // COMMITs below view 2, and their retransmitted form (COMMIT-CERTS), reach only R1
    p.filter = (e) =>
      ((e.msg.type === "commit" && e.msg.view < 2) || (e.msg.type === "commit-certs" && e.msg.certs.every((c) => c.view < 2))) && e.to !== 1
        ? "drop"
        : undefined;
    p.submit(100, put("a", 1));
    expect(p.runUntil(() => p.replicas[0]!.lastExecuted >= 1 && p.replicas[2]!.lastExecuted >= 1, 30)).toBe(true);
    expect(p.runSequential(100, [put("b", 1), put("c", 1), put("d", 1)], 60)).toBe(true);
    p.run(p.now + 1);
    const ref = p.executedRequests(1);
    expect(ref).toHaveLength(4);
    for (const i of [0, 1, 2]) {
      expect(p.replicas[i]!.view).toBe(2);
      expect(p.executedRequests(i)).toEqual(ref);
      expect(p.executedSeqs(i).map(([s]) => s)).toEqual([1, 2, 3, 4]);
    }
    const nvs = p.sentOf("new-view");
    expect(nvs.find((m) => m.view === 1)!.prePrepares.map((x) => x.seq)).toEqual([1]);
    expect(nvs.find((m) => m.view === 2)!.prePrepares.map((x) => x.seq)).toEqual([1]);
    expect(p.executed(1)[0]!.view).toBe(0);
    expect(p.replicas[0]!.newViewTimeoutDuration).toBe(1);
    expect(p.executed(1).filter((o) => o.seq === 1)).toHaveLength(1);
    expect(nvs.find((m) => m.view === 2)!.prePrepares[0]!.digest).not.toBe(NULL_DIGEST);
  });
});

describe("§7.3 a VIEW-CHANGE claims the last stable checkpoint the replica knows, not only the one it reached", () => {
  it("a replica behind a proven checkpoint claims it, with its proof (its P then covers (6, 10], not (0, 4])", () => {
    // K = 2, L = 4. R3 misses everything while 1–6 execute (checkpoints 2, 4, 6 stable at R0–R2);
    // then it hears the CHECKPOINT(6) votes: it knows 6 is stable without having its state.
    const p = new Pump({ n: 4, config: { checkpointInterval: 2, logWindow: 4 } });
    p.filter = (e) => (e.to === 3 && e.toKind === "replica" ? "drop" : undefined);
    expect(p.runSequential(100, [1, 2, 3, 4, 5, 6].map((i) => put(`k${i}`, i)), 10)).toBe(true);
    const votes = p.sent.filter((s) => s.env.msg.type === "checkpoint" && (s.env.msg as { seq: number }).seq === 6 && s.env.to === 3);
    expect(votes.length).toBe(3);
    p.filter = null;
    const r3 = p.replicas[3]!;
    for (const v of votes) r3.step(v.env.from, v.env.msg as ReplicaMessage, p.now);
    expect([r3.lastExecuted, r3.lowWatermark]).toEqual([0, 0]);
    r3.suspectPrimary(p.now);
    const vc = r3
      .drainEffects()
      .map((e) => (e.kind === "broadcast" ? e.msg : null))
      .find((m): m is ViewChange => m?.type === "view-change")!;
    expect(vc.stableSeq).toBe(6);
    expect(vc.stableDigest).toBe((votes[0]!.env.msg as { digest: string }).digest);
    expect(vc.proof.map((c) => c.replica).sort()).toEqual([0, 1, 2]);
    expect(vc.prepared).toEqual([]);
  });
});
