// EffectQueue (src/protocols/pbft/effect-queue.ts): the batches a host takes hold exactly the effects
// produced since the last take, in order; a released batch, when reused, carries nothing of its last
// use; effects produced while a batch is out (a nested take, as when a PoT client submits on
// acceptance) land in another batch; drain() is the plain array of the same effects, each shaped as
// the Effect type declares it, whether pushed as an object or through the typed methods.

import { describe, expect, it } from "vitest";
import { type Effect, type EffectBatch, EffectQueue, type Observation, type ReplicaMessage, type Reply } from "../../../src/protocols/pbft/index.js";

const timer = (delay: number): Effect => ({ kind: "setTimer", timer: "request", delay });
const live = (b: EffectBatch<Effect>) => Array.from({ length: b.count }, (_, i) => b.effect(i));

const prepare = { type: "prepare", view: 1, seq: 2, digest: "d", replica: 3 } as ReplicaMessage;
const commit = { type: "commit", view: 1, seq: 2, digest: "d", replica: 3 } as ReplicaMessage;
const reply = { type: "reply", view: 1, timestamp: 4, client: 5, replica: 3, result: "ok" } as Reply;
const event = { type: "prepared", view: 1, seq: 2, digest: "d" } as Observation;
// One effect of every kind, as objects (the shapes Effect declares).
const every: Effect[] = [
  { kind: "send", to: 6, msg: prepare },
  { kind: "broadcast", msg: commit },
  { kind: "reply", client: 5, msg: reply },
  { kind: "setTimer", timer: "status", delay: 0.25 },
  { kind: "cancelTimer", timer: "batch" },
  { kind: "observe", event },
];
const pushTyped = (q: EffectQueue) => {
  q.send(6, prepare);
  q.broadcast(commit);
  q.reply(5, reply);
  q.setTimer("status", 0.25);
  q.cancelTimer("batch");
  q.observe(event);
};

describe("EffectQueue", () => {
  it("a reused batch holds only the new effects and no references from its last use", () => {
    const q = new EffectQueue();
    q.push(timer(1));
    q.push(timer(2));
    q.push(timer(3));
    const a = q.take();
    expect(live(a)).toEqual([timer(1), timer(2), timer(3)]);
    expect(q.count).toBe(0);
    q.release(a);
    expect(a.count).toBe(0);
    expect(a.refs.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    q.push(timer(4));
    const b = q.take();
    q.release(b);
    q.push(timer(5));
    const c = q.take();
    expect(c).toBe(a); // batches are reused…
    expect(live(c)).toEqual([timer(5)]); // …with nothing of their earlier uses
    expect(c.refs[1]).toBeUndefined();
    q.release(c);
  });

  it("typed pushes and object pushes give the same effects; a reused entry keeps no field of another kind", () => {
    const q = new EffectQueue();
    pushTyped(q);
    expect(q.drain()).toStrictEqual(every);
    for (const e of every) q.push(e);
    expect(q.drain()).toStrictEqual(every);
    // Every kind written over every other kind's entry in a reused batch: reversed order, then rotated.
    for (let shift = 0; shift < every.length; shift++) {
      const order = [...every].reverse().map((_, i, r) => r[(i + shift) % r.length]!);
      for (const e of order) q.push(e);
      const batch = q.take();
      expect(live(batch)).toStrictEqual(order);
      q.release(batch);
      expect(batch.refs.slice(0, every.length).every((r) => r === undefined)).toBe(true);
    }
  });

  it("effects pushed while a batch is out go to the next batch, nested takes included", () => {
    const q = new EffectQueue();
    q.push(timer(1));
    const outer = q.take();
    q.push(timer(2)); // produced while the host applies `outer`
    const inner = q.take();
    expect(inner).not.toBe(outer);
    q.push(timer(3));
    expect(live(inner)).toEqual([timer(2)]);
    q.release(inner);
    expect(live(outer)).toEqual([timer(1)]);
    q.release(outer);
    expect(q.drain()).toEqual([timer(3)]);
    expect(q.drain()).toEqual([]);
  });

  it("drain gives a fresh array each time", () => {
    const q = new EffectQueue();
    q.push(timer(1));
    const x = q.drain();
    q.push(timer(2));
    const y = q.drain();
    expect(x).toEqual([timer(1)]);
    expect(y).toEqual([timer(2)]);
    expect(x).not.toBe(y);
  });
});
