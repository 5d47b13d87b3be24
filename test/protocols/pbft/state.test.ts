// Checkpoint-based catch-up: lost pre-prepare (S04), fallen-behind replica (S21), restarts with
// persisted state and with amnesia (S23, S02).

import { describe, expect, it } from "vitest";
import { KvApplication, Replica } from "../../../src/protocols/pbft/index.js";
import { Pump, put } from "./harness.js";

const ops = (k: number, from = 1) => Array.from({ length: k }, (_, i) => put("x", from + i));

function sameState(p: Pump, ids: number[]): void {
  const d = ids.map((i) => p.apps[i]!.stateDigest());
  expect(new Set(d).size).toBe(1);
  const le = ids.map((i) => p.replicas[i]!.lastExecuted);
  expect(new Set(le).size).toBe(1);
}

/** SAF-1 over executed observations: no sequence number executed with two digests. */
function agreement(p: Pump, ids: number[]): void {
  const bySeq = new Map<number, string>();
  for (const i of ids) {
    for (const [s, d] of p.executedSeqs(i)) {
      const prev = bySeq.get(s);
      if (prev !== undefined) expect(d).toBe(prev);
      bySeq.set(s, d);
    }
  }
}

describe("S04 pre-prepare lost at one backup", () => {
  it("R3 cannot execute past the gap until checkpoint 2 is stable, then catches up", () => {
    const p = new Pump({ n: 4, config: { checkpointInterval: 2, logWindow: 4, catchUpDelay: 0.01 } });
    p.filter = (e) => (e.msg.type === "pre-prepare" && e.msg.seq === 1 && e.to === 3 ? "drop" : undefined);
    p.submit(100, put("a", 1));
    expect(p.runUntil(() => p.accepted(100).length === 1, 5)).toBe(true);
    p.run(p.now + 0.1);
    expect(p.replicas[3]!.lastExecuted).toBe(0);
    expect(p.replicas[3]!.slotInfo(1)!.prepared).toBe(false);
    expect(p.runSequential(100, [put("b", 1), put("c", 1), put("d", 1)], 10)).toBe(true);
    p.run(p.now + 2);
    expect(p.ofType(3, "stateTransferred").map((o) => [o.fromSeq, o.toSeq])).toEqual([[0, 2]]);
    expect(p.executedSeqs(3).map(([s]) => s)).toEqual([3, 4]);
    sameState(p, [0, 1, 2, 3]);
    agreement(p, [0, 1, 2, 3]);
    expect(p.replicas.every((r) => r.view === 0)).toBe(true);
    expect(p.count("view-change")).toBe(0);
  });
});

describe("S21 fallen-behind replica and state transfer", () => {
  it("R3 detects f+1 checkpoints above H, fetches state, ends identical; no view change", () => {
    const p = new Pump({ n: 4, config: { checkpointInterval: 2, logWindow: 4 } });
    let isolate = true;
    p.filter = (e) => (isolate && e.to === 3 ? "drop" : undefined);
    p.submit(100, put("x", 1));
    expect(p.runUntil(() => p.accepted(100).length === 1, 5)).toBe(true);
    p.run(p.now + 0.1);
    isolate = false;
    expect(p.runSequential(100, ops(8, 2), 20)).toBe(true);
    p.run(p.now + 2);
    const st = p.ofType(3, "stateTransferred");
    expect(st.length).toBeGreaterThanOrEqual(1);
    expect(st[0]!.fromSeq).toBe(0);
    expect(st.at(-1)!.toSeq % 2).toBe(0);
    expect(p.replicas[3]!.lastExecuted).toBe(9);
    sameState(p, [0, 1, 2, 3]);
    agreement(p, [0, 1, 2, 3]);
    expect(p.count("view-change")).toBe(0);
    expect(p.replicas.every((r) => r.view === 0 && r.lowWatermark === 8)).toBe(true);
    // SAF-2 at R3: executed seqs are contiguous after each transfer point
    const seqs = p.executedSeqs(3).map(([s]) => s);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!);
  });

  it("slow transfer (STATE delayed): R3 still ends consistent at 21", () => {
    const p = new Pump({ n: 4, config: { checkpointInterval: 2, logWindow: 4 } });
    let isolate = true;
    p.filter = (e) => {
      if (isolate && e.to === 3) return "drop";
      if (e.msg.type === "state") return 0.3;
      return undefined;
    };
    p.submit(100, put("x", 1));
    expect(p.runUntil(() => p.accepted(100).length === 1, 5)).toBe(true);
    isolate = false;
    expect(p.runSequential(100, ops(20, 2), 30)).toBe(true);
    p.run(p.now + 3);
    expect(p.ofType(3, "stateTransferred").length).toBeGreaterThanOrEqual(1);
    expect(p.replicas[3]!.lastExecuted).toBe(21);
    sameState(p, [0, 1, 2, 3]);
    agreement(p, [0, 1, 2, 3]);
  });
});

describe("S23 crash–restart", () => {
  it("(a) R0 and R1 restart from persisted state and continue in view 0", () => {
    const p = new Pump({ n: 4, config: { checkpointInterval: 2, logWindow: 4 } });
    expect(p.runSequential(100, ops(1), 5)).toBe(true);
    p.run(p.now + 0.1);
    for (const i of [0, 1]) {
      const st = structuredClone(p.replicas[i]!.persist());
      p.crash(i);
      const app = new KvApplication();
      p.restart(i, Replica.fromPersisted(st, p.config, app, p.now), app);
    }
    expect(p.runSequential(100, ops(2, 2), 10)).toBe(true);
    p.run(p.now + 0.5);
    for (let i = 0; i < 4; i++) {
      expect(p.replicas[i]!.lastExecuted).toBe(3);
      expect(p.replicas[i]!.view).toBe(0);
      expect(p.executedRequests(i)).toHaveLength(3);
    }
    sameState(p, [0, 1, 2, 3]);
  });

  it("(b)+(c) persisted h survives restart; an empty R3 state-transfers during the view change", () => {
    const p = new Pump({ n: 4, config: { checkpointInterval: 2, logWindow: 4 } });
    p.crash(3);
    expect(p.runSequential(100, ops(8), 20)).toBe(true);
    p.run(p.now + 0.5);
    expect([0, 1, 2].every((i) => p.replicas[i]!.lowWatermark === 8)).toBe(true);
    const persisted = [0, 1].map((i) => p.replicas[i]!.persist());
    for (const i of [0, 1, 2]) p.crash(i);
    p.run(p.now + 1);
    for (const i of [0, 1]) {
      const app = new KvApplication();
      const r = Replica.fromPersisted(persisted[i]!, p.config, app, p.now);
      expect(r.lowWatermark).toBe(8); // (c)
      expect(r.lastExecuted).toBe(8);
      expect(app.read("x")).toBe(8);
      p.restart(i, r, app);
    }
    const app3 = new KvApplication();
    p.restart(3, new Replica(3, p.config, app3), app3);
    expect(p.runSequential(100, [put("x", 9)], p.now + 30)).toBe(true);
    p.run(p.now + 1);
    for (const i of [0, 1, 3]) {
      expect(p.replicas[i]!.view).toBe(1);
      expect(p.replicas[i]!.lastExecuted).toBe(9);
      expect(p.apps[i]!.read("x")).toBe(9);
    }
    expect(p.ofType(3, "stateTransferred").map((o) => o.toSeq)).toContain(8);
    expect(p.replicas[2]!.lastExecuted).toBe(8);
    sameState(p, [0, 1, 3]);
  });

  it("S02/amnesia: a replica restarted with empty state catches up by state transfer", () => {
    const p = new Pump({ n: 4, config: { checkpointInterval: 2, logWindow: 4 } });
    p.crash(3);
    expect(p.runSequential(100, ops(6), 20)).toBe(true);
    expect(p.executed(3)).toHaveLength(0);
    const app = new KvApplication();
    p.restart(3, new Replica(3, p.config, app), app);
    expect(p.runSequential(100, ops(6, 7), 40)).toBe(true);
    p.run(p.now + 1);
    expect(p.ofType(3, "stateTransferred").length).toBeGreaterThanOrEqual(1);
    sameState(p, [0, 1, 2, 3]);
    agreement(p, [0, 1, 2, 3]);
    expect(p.replicas[3]!.lastExecuted).toBe(12);
  });
});
