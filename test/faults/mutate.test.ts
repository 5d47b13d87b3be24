// Message mutation (faults/mutate.ts): each mutation alters exactly the field it names, only messages
// it applies to, only fields the Byzantine replica signs itself (never a VIEW-CHANGE's certificates),
// with the seeded probability; the same seed mutates the same copies.

import { describe, expect, it } from "vitest";
import { type BehaviourWindow, type MutationKind, MutateBehaviour } from "../../src/faults/index.js";
import { Simulation } from "../../src/kernel/index.js";
import {
  batchDigest,
  makeCheckpoint,
  makeCommit,
  makePrepare,
  makePrePrepare,
  makeRequest,
  makeViewChange,
  type ReplicaMessage,
} from "../../src/protocols/pbft/index.js";

const A = makeRequest(0, 1, { type: "put", key: "a", value: 1 }, 8);
const B = makeRequest(1, 1, { type: "put", key: "b", value: 2 }, 8);

function behaviour(mutations: MutationKind[], probability = 1, seed = 1): MutateBehaviour {
  const window: BehaviourWindow = { replica: 0, spec: { type: "mutate", replica: 0, at: 0, probability, mutations }, from: 0, until: 10 };
  return new MutateBehaviour(window, new Simulation(seed).rng.stream("faults.mutate.0@0"));
}

function out(b: MutateBehaviour, msg: ReplicaMessage, to = 1): ReplicaMessage[] {
  const sent: ReplicaMessage[] = [];
  b.outgoing(to, msg, (_t, m) => sent.push(m));
  return sent;
}

describe("mutate", () => {
  it("view ±1 on ordering messages and VIEW-CHANGEs, nothing else changed", () => {
    const b = behaviour(["view"]);
    const p = makePrepare(3, 5, "d", 0);
    for (let i = 0; i < 20; i++) {
      const [m] = out(b, p) as [typeof p];
      expect(Math.abs(m.view - 3)).toBe(1);
      expect({ ...m, view: 3 }).toEqual(p);
    }
    const vc = makeViewChange(2, 0, 0, "", [], [{ seq: 1, view: 1, digest: "x", prepares: [1, 2] }]);
    const [m] = out(b, vc) as [typeof vc];
    expect(Math.abs(m.view - 2)).toBe(1);
    expect(m.prepared).toBe(vc.prepared); // certificates are never edited
    expect(out(b, makeCheckpoint(2, "c", 0))).toEqual([makeCheckpoint(2, "c", 0)]); // no view to change
    expect(b.applied.view).toBe(21);
  });

  it("seq ±1 on ordering messages and CHECKPOINTs", () => {
    const b = behaviour(["seq"]);
    const [c] = out(b, makeCheckpoint(4, "c", 0)) as [ReturnType<typeof makeCheckpoint>];
    expect([3, 5]).toContain(c.seq);
    const [k] = out(b, makeCommit(0, 7, "d", 0)) as [ReturnType<typeof makeCommit>];
    expect([6, 8]).toContain(k.seq);
    expect(k.digest).toBe("d");
  });

  it("replay: an earlier proposal re-sent in the later view; not before one exists", () => {
    const b = behaviour(["replay"]);
    const early = makePrePrepare(0, 1, [A], 0);
    expect(out(b, early)).toEqual([early]); // nothing earlier to replay
    const later = makePrePrepare(2, 4, [B], 0);
    expect(out(b, later)).toEqual([{ ...early, view: 2 }]);
  });

  it("digest: swapped for another request it has seen (a pre-prepare gets that request as its body)", () => {
    const b = behaviour(["digest"]);
    const pp = makePrePrepare(0, 1, [A], 0);
    expect(out(b, pp)).toEqual([pp]); // no other request known yet
    b.observeIncoming(-1, { type: "request", request: A });
    b.observeIncoming(-1, { type: "request", request: B });
    expect(out(b, pp)).toEqual([makePrePrepare(0, 1, [B], 0)]);
    const [c] = out(b, makeCommit(0, 1, batchDigest([A]), 0)) as [ReturnType<typeof makeCommit>];
    expect(c.digest).toBe(batchDigest([B]));
  });

  it("probability: about p of the copies; the same seed mutates the same copies", () => {
    const msgs = Array.from({ length: 2000 }, (_, i) => makePrepare(1, i + 1, "d", 0));
    const changed = (seed: number, p = 0.25) => {
      const b = behaviour(["view", "seq"], p, seed);
      return msgs.map((m) => out(b, m)[0] !== m);
    };
    const n = changed(9).filter(Boolean).length;
    expect(n).toBeGreaterThan(400);
    expect(n).toBeLessThan(600);
    expect(changed(3)).toEqual(changed(3));
    expect(changed(3)).not.toEqual(changed(4));
    expect(changed(3, 0).some(Boolean)).toBe(false);
  });
});
