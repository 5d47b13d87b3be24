// The safety and liveness checkers on hand-made observation streams: each invariant fires on
// the exact event that breaks it, with the right replicas, and never on faulty replicas.

import { describe, expect, it } from "vitest";
import { LivenessChecker, PbftSafetyChecker } from "../../src/check/index.js";

const req = (client: number, timestamp: number, result = "ok") => ({ client, timestamp, digest: `d${client}.${timestamp}`, result });

function checker(faulty: number[] = []) {
  const c = new PbftSafetyChecker(4, (r) => !faulty.includes(r));
  c.onClient(0, { type: "submitted", timestamp: 1, digest: "d0.1", op: null }, 0);
  c.onClient(1, { type: "submitted", timestamp: 1, digest: "d1.1", op: null }, 0);
  return c;
}

describe("PbftSafetyChecker", () => {
  it("accepts agreeing, ordered, exactly-once executions", () => {
    const c = checker();
    for (const r of [0, 1, 2, 3]) {
      c.onReplica(r, { type: "executed", view: 0, seq: 1, digest: "A", requests: [req(0, 1)] }, 1);
      c.onReplica(r, { type: "executed", view: 0, seq: 2, digest: "B", requests: [req(1, 1)] }, 2);
    }
    c.onClient(0, { type: "accepted", timestamp: 1, digest: "d0.1", result: "ok", view: 0 }, 3);
    expect(c.violations).toEqual([]);
  });

  it("SAF-1: two correct replicas execute different batches at one sequence number", () => {
    const c = checker();
    c.onReplica(0, { type: "executed", view: 0, seq: 1, digest: "A", requests: [req(0, 1)] }, 1);
    c.onReplica(2, { type: "executed", view: 0, seq: 1, digest: "B", requests: [req(1, 1)] }, 2);
    expect(c.violations).toMatchObject([{ invariant: "SAF-1", seq: 1, replicas: [0, 2], time: 2 }]);
  });

  it("ignores faulty replicas", () => {
    const c = checker([2]);
    c.onReplica(0, { type: "executed", view: 0, seq: 1, digest: "A", requests: [req(0, 1)] }, 1);
    c.onReplica(2, { type: "executed", view: 0, seq: 1, digest: "B", requests: [req(1, 1)] }, 2);
    expect(c.violations).toEqual([]);
  });

  it("SAF-2: a gap in execution order; a state transfer legitimately skips ahead", () => {
    const c = checker();
    c.onReplica(0, { type: "executed", view: 0, seq: 2, digest: "B", requests: [] }, 1);
    expect(c.violations).toMatchObject([{ invariant: "SAF-2", seq: 2, replicas: [0] }]);
    const d = checker();
    d.onReplica(1, { type: "stateTransferred", fromSeq: 0, toSeq: 10, stateDigest: "s" }, 1);
    d.onReplica(1, { type: "executed", view: 0, seq: 11, digest: "C", requests: [] }, 2);
    expect(d.violations).toEqual([]);
  });

  it("SAF-3: a request executed twice by one replica", () => {
    const c = checker();
    c.onReplica(0, { type: "executed", view: 0, seq: 1, digest: "A", requests: [req(0, 1)] }, 1);
    c.onReplica(0, { type: "executed", view: 0, seq: 2, digest: "A2", requests: [req(0, 1)] }, 2);
    expect(c.violations.map((v) => v.invariant)).toEqual(["SAF-3"]);
  });

  it("SAF-4: executing a request no client issued (or with a forged digest)", () => {
    const c = checker();
    c.onReplica(0, { type: "executed", view: 0, seq: 1, digest: "A", requests: [req(7, 1)] }, 1);
    c.onReplica(0, { type: "executed", view: 0, seq: 2, digest: "B", requests: [{ ...req(0, 1), digest: "forged" }] }, 2);
    expect(c.violations.map((v) => [v.invariant, v.seq])).toEqual([
      ["SAF-4", 1],
      ["SAF-4", 2],
    ]);
  });

  it("SAF-5: a client accepts a result the correct replicas did not compute (either order)", () => {
    const c = checker();
    c.onReplica(0, { type: "executed", view: 0, seq: 1, digest: "A", requests: [req(0, 1, "x=1")] }, 1);
    c.onClient(0, { type: "accepted", timestamp: 1, digest: "d0.1", result: "x=9", view: 0 }, 2);
    expect(c.violations.map((v) => v.invariant)).toEqual(["SAF-5"]);
    const d = checker();
    d.onClient(1, { type: "accepted", timestamp: 1, digest: "d1.1", result: "bad", view: 0 }, 1);
    d.onReplica(3, { type: "executed", view: 0, seq: 1, digest: "B", requests: [req(1, 1, "good")] }, 2);
    expect(d.violations.map((v) => v.invariant)).toEqual(["SAF-5"]);
  });

  it("SAF-5 still compares an accept that comes between the replicas' executions, and after all of them", () => {
    const c = checker();
    c.onReplica(0, { type: "executed", view: 0, seq: 1, digest: "A", requests: [req(0, 1, "x=1")] }, 1);
    c.onReplica(1, { type: "executed", view: 0, seq: 1, digest: "A", requests: [req(0, 1, "x=1")] }, 2);
    c.onClient(0, { type: "accepted", timestamp: 1, digest: "d0.1", result: "x=9", view: 0 }, 3);
    for (const r of [2, 3]) c.onReplica(r, { type: "executed", view: 0, seq: 1, digest: "A", requests: [req(0, 1, "x=1")] }, 4);
    expect(c.violations).toMatchObject([{ invariant: "SAF-5", replicas: [0], time: 3 }]);
    const d = checker([3]);
    for (const r of [0, 1, 2]) d.onReplica(r, { type: "executed", view: 0, seq: 1, digest: "B", requests: [req(1, 1, "good")] }, 1);
    d.onClient(1, { type: "accepted", timestamp: 1, digest: "d1.1", result: "bad", view: 0 }, 2);
    expect(d.violations).toMatchObject([{ invariant: "SAF-5", replicas: [0], time: 2 }]);
  });

  it("forgets a request's result once it is accepted and every correct replica has executed it", () => {
    const c = new PbftSafetyChecker(4, (r) => r !== 3);
    const results = (c as unknown as { results: { get(a: number, b: number): unknown } }).results;
    for (let t = 1; t <= 3; t++) c.onClient(0, { type: "submitted", timestamp: t, digest: `d0.${t}`, op: null }, 0);
    for (let t = 1; t <= 3; t++) {
      c.onReplica(0, { type: "executed", view: 0, seq: t, digest: `A${t}`, requests: [req(0, t, `r${t}`)] }, t);
      c.onReplica(1, { type: "executed", view: 0, seq: t, digest: `A${t}`, requests: [req(0, t, `r${t}`)] }, t);
    }
    c.onClient(0, { type: "accepted", timestamp: 1, digest: "d0.1", result: "r1", view: 0 }, 4);
    c.onClient(0, { type: "accepted", timestamp: 2, digest: "d0.2", result: "r2", view: 0 }, 4);
    // Replica 2 (correct) has not executed them yet: both kept; replica 3 is faulty and not waited for.
    expect([results.get(0, 1), results.get(0, 2), results.get(0, 3)]).toMatchObject([{ digest: "r1" }, { digest: "r2" }, { digest: "r3" }]);
    c.onReplica(2, { type: "executed", view: 0, seq: 1, digest: "A1", requests: [req(0, 1, "r1")] }, 5);
    c.onReplica(2, { type: "executed", view: 0, seq: 2, digest: "A2", requests: [req(0, 2, "r2")] }, 5);
    c.onReplica(2, { type: "executed", view: 0, seq: 3, digest: "A3", requests: [req(0, 3, "r3")] }, 5);
    // Accepted and executed by 0, 1, 2: gone; t = 3 is not accepted yet, so it stays.
    expect([results.get(0, 1), results.get(0, 2)]).toEqual([undefined, undefined]);
    expect(results.get(0, 3)).toMatchObject({ digest: "r3" });
    c.onClient(0, { type: "accepted", timestamp: 3, digest: "d0.3", result: "r3", view: 0 }, 6);
    expect(results.get(0, 3)).toBeUndefined();
    expect(c.violations).toEqual([]);
  });

  it("INV-P: prepared on different digests at the same (view, seq)", () => {
    const c = checker();
    c.onReplica(1, { type: "prepared", view: 3, seq: 5, digest: "A" }, 1);
    c.onReplica(2, { type: "prepared", view: 3, seq: 5, digest: "A" }, 1);
    c.onReplica(3, { type: "prepared", view: 4, seq: 5, digest: "B" }, 2);
    expect(c.violations).toEqual([]);
    c.onReplica(0, { type: "prepared", view: 3, seq: 5, digest: "B" }, 3);
    expect(c.violations).toMatchObject([{ invariant: "INV-P", view: 3, seq: 5, replicas: [1, 0] }]);
  });

  it("INV-K: stable checkpoints with different state digests", () => {
    const c = checker();
    c.onReplica(0, { type: "checkpointStable", seq: 10, stateDigest: "s1", collected: 0 }, 1);
    c.onReplica(1, { type: "checkpointStable", seq: 10, stateDigest: "s1", collected: 0 }, 1);
    c.onReplica(2, { type: "checkpointStable", seq: 10, stateDigest: "s2", collected: 0 }, 2);
    expect(c.violations).toMatchObject([{ invariant: "INV-K", seq: 10, replicas: [0, 2] }]);
  });

  it("INV-K: a correct replica whose own checkpoint differs from the stable digest, in either order, when it happens", () => {
    const c = checker();
    c.onReplica(0, { type: "checkpoint", seq: 10, stateDigest: "s1" }, 1);
    c.onReplica(0, { type: "checkpointStable", seq: 10, stateDigest: "s1", collected: 0 }, 1.5);
    c.onReplica(3, { type: "checkpoint", seq: 10, stateDigest: "bad" }, 2);
    expect(c.violations).toMatchObject([
      { invariant: "INV-K", seq: 10, replicas: [0, 3], time: 2 },
      { invariant: "INV-K", seq: 10, replicas: [3], time: 2 },
    ]);
    expect(c.violations[1]!.detail).toContain("the stable checkpoint (at replica 0) is s1");
    // the divergent replica took its checkpoint first; the digest becomes stable at another one later
    const d = checker();
    d.onReplica(3, { type: "checkpoint", seq: 10, stateDigest: "bad" }, 1);
    d.onReplica(1, { type: "checkpointStable", seq: 10, stateDigest: "s1", collected: 0 }, 3);
    expect(d.violations).toMatchObject([{ invariant: "INV-K", seq: 10, replicas: [3], time: 3 }]);
    // a faulty replica's checkpoint is nobody's business
    const e = checker([3]);
    e.onReplica(1, { type: "checkpointStable", seq: 10, stateDigest: "s1", collected: 0 }, 1);
    e.onReplica(3, { type: "checkpoint", seq: 10, stateDigest: "bad" }, 2);
    expect(e.violations).toEqual([]);
  });

  it("INV-K: four distinct own checkpoints at one sequence number (no stable checkpoint, no alarm) are flagged at the second", () => {
    const c = checker();
    for (const r of [0, 1, 2, 3]) c.onReplica(r, { type: "checkpoint", seq: 10, stateDigest: `s${r}` }, 1 + r);
    expect(c.violations.map((v) => [v.invariant, v.time, v.replicas])).toEqual([
      ["INV-K", 2, [0, 1]],
      ["INV-K", 3, [0, 2]],
      ["INV-K", 4, [0, 3]],
    ]);
  });

  it("INV-K: a state adopted by transfer is compared with the correct replicas' own checkpoints", () => {
    const c = checker();
    c.onReplica(0, { type: "checkpoint", seq: 10, stateDigest: "s1" }, 1);
    c.onReplica(1, { type: "stateTransferred", fromSeq: 0, toSeq: 10, stateDigest: "s1" }, 2);
    expect(c.violations).toEqual([]);
    c.onReplica(2, { type: "stateTransferred", fromSeq: 0, toSeq: 10, stateDigest: "forged" }, 3);
    expect(c.violations).toMatchObject([{ invariant: "INV-K", seq: 10, replicas: [0, 2], time: 3 }]);
  });

  it("reports each (invariant, seq, replicas) once", () => {
    const c = checker();
    c.onReplica(0, { type: "executed", view: 0, seq: 1, digest: "A", requests: [] }, 1);
    c.onReplica(1, { type: "executed", view: 0, seq: 1, digest: "B", requests: [] }, 2);
    c.onReplica(1, { type: "executed", view: 0, seq: 1, digest: "B", requests: [] }, 3);
    expect(c.violations.filter((v) => v.invariant === "SAF-1")).toHaveLength(1);
  });
});

describe("LivenessChecker", () => {
  it("flags a request still pending past stabilisation + bound, once", () => {
    const l = new LivenessChecker(10, 5);
    l.submitted(0, 1, 2);
    l.poll(14.9);
    expect(l.violations).toEqual([]);
    l.poll(15.1);
    expect(l.violations).toMatchObject([{ invariant: "LIV-1" }]);
    l.poll(20);
    expect(l.violations).toHaveLength(1);
  });

  it("LIV-2: converged replicas (normal mode, one view, everything executed one poll earlier) pass", () => {
    const l = new LivenessChecker(10, 5, [], 5);
    const at = (view: number, normal: boolean, exec: number) => (replica: number) => ({ replica, view, normal, lastExecuted: exec });
    for (let t = 0; t <= 40; t += 1) l.pollReplicas(t, [0, 1, 2, 3].map(at(2, true, t * 3)));
    expect(l.violations).toEqual([]);
  });

  it("LIV-2: a replica stuck alone in a later view is named once the bound has passed without convergence", () => {
    const l = new LivenessChecker(10, 5, [], 5);
    const pos = () => [
      { replica: 0, view: 3, normal: false, lastExecuted: 240 },
      ...[1, 2, 3].map((replica) => ({ replica, view: 2, normal: true, lastExecuted: 240 })),
    ];
    for (let t = 0; t <= 15; t += 1) l.pollReplicas(t, pos()); // faults until 10: not checked; 10 + 5 not yet passed
    expect(l.violations).toEqual([]);
    l.pollReplicas(16, pos());
    expect(l.violations).toMatchObject([{ invariant: "LIV-2", time: 16, view: 2, replicas: [0] }]);
    expect(l.violations[0]!.detail).toContain("replica 0 changing to view 3 at seq 240; the group is in view 2");
    l.pollReplicas(30, pos());
    expect(l.violations).toHaveLength(1);
  });

  it("LIV-2: a replica that stopped executing is stuck even in the group's view (with or without client load)", () => {
    const l = new LivenessChecker(0, 5, [], 4);
    for (let t = 1; t <= 10; t++) {
      l.pollReplicas(t, [
        { replica: 0, view: 1, normal: true, lastExecuted: 67 },
        { replica: 1, view: 1, normal: true, lastExecuted: 240 },
        { replica: 2, view: 1, normal: true, lastExecuted: 240 },
      ]);
    }
    // converged at the first poll (nothing executed before it), stuck from the second: reported 5 s > 4 s later
    expect(l.violations).toMatchObject([{ invariant: "LIV-2", time: 6, seq: 240, replicas: [0] }]);
  });

  it("LIV-2: off when its bound is null; a transient lag inside the bound is no violation", () => {
    const off = new LivenessChecker(0, 5);
    off.pollReplicas(100, [{ replica: 0, view: 9, normal: false, lastExecuted: 0 }]);
    expect(off.violations).toEqual([]);
    const l = new LivenessChecker(0, 5, [], 5);
    const up = (replica: number, exec: number, view = 1) => ({ replica, view, normal: true, lastExecuted: exec });
    l.pollReplicas(1, [up(0, 10), up(1, 10)]);
    l.pollReplicas(2, [up(0, 10), up(1, 20, 2)]); // replica 1 moved on alone for a while
    l.pollReplicas(5, [up(0, 10), up(1, 30, 2)]);
    l.pollReplicas(6, [up(0, 30, 2), up(1, 30, 2)]);
    expect(l.violations).toEqual([]);
  });

  it("counts late completions, and requests submitted after stabilisation from their submission", () => {
    const l = new LivenessChecker(10, 5);
    l.submitted(0, 1, 12);
    l.completed(0, 1, 16.9);
    expect(l.violations).toEqual([]);
    l.submitted(0, 2, 20);
    l.completed(0, 2, 25.5);
    expect(l.violations).toMatchObject([{ invariant: "LIV-1" }]);
  });
});
