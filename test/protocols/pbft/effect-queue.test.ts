// EffectQueue (src/protocols/pbft/effect-queue.ts): the batches a host takes hold exactly the effects
// produced since the last take, in order; a released batch, when reused, carries nothing of its last
// use; effects produced while a batch is out (a nested take, as when a PoT client submits on
// acceptance) land in another batch; drain() is the plain array of the same effects.

import { describe, expect, it } from "vitest";
import { type Effect, EffectQueue } from "../../../src/protocols/pbft/index.js";

const timer = (delay: number): Effect => ({ kind: "setTimer", timer: "request", delay });
const live = (b: { items: readonly (Effect | undefined)[]; count: number }) => b.items.slice(0, b.count);

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
    expect(a.items.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    q.push(timer(4));
    const b = q.take();
    q.release(b);
    q.push(timer(5));
    const c = q.take();
    expect(c).toBe(a); // batches are reused…
    expect(live(c)).toEqual([timer(5)]); // …with nothing of their earlier uses
    expect(c.items[1]).toBeUndefined();
    q.release(c);
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
