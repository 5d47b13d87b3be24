import { describe, expect, it } from "vitest";
import { EventQueue, Simulation } from "../../src/kernel/index.js";

function drain(q: EventQueue): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  while (q.pop()) out.push([q.popTime, q.popTarget]);
  return out;
}

describe("EventQueue", () => {
  it("orders by time, then by insertion sequence on ties", () => {
    const q = new EventQueue(4);
    q.push(2, 0, 0, null);
    q.push(1, 1, 0, null);
    q.push(2, 2, 0, null);
    q.push(1, 3, 0, null);
    q.push(0.5, 4, 0, null);
    q.push(2, 5, 0, null);
    expect(drain(q)).toEqual([
      [0.5, 4],
      [1, 1],
      [1, 3],
      [2, 0],
      [2, 2],
      [2, 5],
    ]);
  });

  it("keeps FIFO order among many equal-time events across growth", () => {
    const q = new EventQueue(16);
    for (let i = 0; i < 1000; i++) q.push(7, i, 0, null);
    const out = drain(q).map(([, t]) => t);
    expect(out).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it("matches a reference sort on random input", () => {
    const q = new EventQueue(16);
    const ref: Array<[number, number]> = [];
    let x = 12345;
    for (let i = 0; i < 5000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const t = (x % 1000) / 10;
      q.push(t, i, 0, null);
      ref.push([t, i]);
    }
    ref.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(drain(q)).toEqual(ref);
  });

  it("cancels pending events without disturbing the rest", () => {
    const q = new EventQueue(16);
    const handles: number[] = [];
    for (let i = 0; i < 100; i++) handles.push(q.push(i % 10, i, 0, null));
    for (let i = 0; i < 100; i += 3) expect(q.cancel(handles[i]!)).toBe(true);
    expect(q.size).toBe(100 - 34);
    const out = drain(q);
    const expected = Array.from({ length: 100 }, (_, i) => i)
      .filter((i) => i % 3 !== 0)
      .map((i) => [i % 10, i] as [number, number])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(out).toEqual(expected);
  });

  it("rejects stale handles after the event ran or its slot was reused", () => {
    const q = new EventQueue(16);
    const h = q.push(1, 1, 0, null);
    expect(q.cancel(h)).toBe(true);
    expect(q.cancel(h)).toBe(false);
    const h2 = q.push(1, 2, 0, null); // reuses the slot with a new generation
    expect(h2).not.toBe(h);
    expect(q.cancel(h)).toBe(false);
    expect(q.size).toBe(1);
    q.pop();
    expect(q.cancel(h2)).toBe(false);
  });

  it("matches a reference model under interleaved push, pop, cancel and peek", () => {
    // Covers the vacant root a pop leaves for the next push, and every path that refills it.
    const q = new EventQueue(16);
    const ref: Array<{ t: number; seq: number; target: number; h: number }> = [];
    let x = 777;
    const rnd = (m: number) => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return (x >>> 8) % m;
    };
    let seq = 0;
    let now = 0;
    for (let step = 0; step < 20000; step++) {
      const op = rnd(10);
      if (op < 4) {
        const t = now + rnd(50) / 4; // coarse times, so ties are common
        ref.push({ t, seq, target: seq, h: q.push(t, seq, 0, null) });
        seq++;
      } else if (op < 8) {
        ref.sort((a, b) => a.t - b.t || a.seq - b.seq);
        const e = ref.shift();
        expect(q.pop()).toBe(e !== undefined);
        if (e) {
          expect([q.popTime, q.popTarget]).toEqual([e.t, e.target]);
          now = e.t;
        }
      } else if (op === 8 && ref.length > 0) {
        const [e] = ref.splice(rnd(ref.length), 1);
        expect(q.cancel(e!.h)).toBe(true);
      } else {
        const min = ref.reduce((m, e) => Math.min(m, e.t), Number.POSITIVE_INFINITY);
        expect(q.peekTime()).toBe(min);
      }
      expect(q.size).toBe(ref.length);
    }
  });

  it("pops in (time, sequence) order from a heap deep enough for the branchy levels", () => {
    // Over 21845 entries, the sink switches from the branch-free tournament to plain compares.
    const q = new EventQueue(16);
    let x = 99;
    const rnd = (m: number) => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return (x >>> 8) % m;
    };
    let seq = 0;
    for (; seq < 60000; seq++) q.push(rnd(400) / 8, seq, 0, null); // many equal times
    let last: [number, number] = [-1, -1];
    let popped = 0;
    const check = () => {
      const cur: [number, number] = [q.popTime, q.popTarget];
      expect(cur[0] > last[0] || (cur[0] === last[0] && cur[1] > last[1])).toBe(true);
      last = cur;
      popped++;
    };
    for (let k = 0; k < 60000; k++) {
      expect(q.pop()).toBe(true);
      check();
      q.push(q.popTime + rnd(400) / 8, seq++, 0, null); // hold: the push fills the vacant root
    }
    while (q.pop()) check();
    expect(popped).toBe(seq);
  });

  it("renumbers sequence numbers when they run out, keeping the order of ties", () => {
    const q = new EventQueue(16);
    const internals = q as unknown as { nextSeq: number };
    internals.nextSeq = 2 ** 29 - 40; // the limit of exact keys (sequence·2^24 + slot)
    const ref: Array<[number, number]> = [];
    for (let i = 0; i < 100; i++) {
      q.push(i % 3, i, 0, null);
      ref.push([i % 3, i]);
      if (i % 10 === 9) {
        // pops leave the root vacant across the renumbering
        expect(q.pop()).toBe(true);
        ref.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect([q.popTime, q.popTarget]).toEqual(ref.shift());
      }
    }
    expect(internals.nextSeq).toBeLessThan(100);
    ref.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(drain(q)).toEqual(ref);
  });

  it("stays under 64 bytes per pending event", () => {
    const q = new EventQueue(1 << 20);
    for (let i = 0; i < 1 << 20; i++) q.push(i, 0, 0, null);
    expect(q.bytesAllocated / q.size).toBeLessThan(64);
  });
});

describe("Simulation", () => {
  it("dispatches handlers by kind at their times and advances the clock", () => {
    const sim = new Simulation(1);
    const log: string[] = [];
    const a = sim.register("a", (target, payload, now) => {
      log.push(`a${target}@${now}:${String(payload)}`);
      if (target === 1) sim.schedule(0.5, 9, b, "x");
    });
    const b = sim.register("b", (target, payload, now) => log.push(`b${target}@${now}:${String(payload)}`));
    sim.schedule(1, 1, a, "p");
    sim.schedule(1, 2, a, "q");
    sim.schedule(3, 3, b, "r");
    const res = sim.run({ until: 2 });
    expect(res).toEqual({ events: 3, reason: "until" });
    expect(sim.now).toBe(2);
    expect(log).toEqual(["a1@1:p", "a2@1:q", "b9@1.5:x"]);
    sim.run();
    expect(log.at(-1)).toBe("b3@3:r");
    expect(sim.eventCount).toBe(4);
  });

  it("runs until an event count or a stop condition", () => {
    const sim = new Simulation(1);
    let count = 0;
    const k = sim.register("tick", () => {
      count++;
      sim.schedule(1, 0, k);
    });
    sim.schedule(0, 0, k);
    expect(sim.run({ maxEvents: 10 }).reason).toBe("maxEvents");
    expect(count).toBe(10);
    expect(sim.run({ stop: () => count >= 25 }).reason).toBe("stopped");
    expect(count).toBe(25);
    expect(sim.now).toBe(24);
  });

  it("cancelled timers never fire", () => {
    const sim = new Simulation(1);
    const fired: number[] = [];
    const k = sim.register("t", (target) => fired.push(target));
    const hs = [0, 1, 2, 3].map((i) => sim.schedule(i, i, k));
    sim.cancel(hs[1]!);
    sim.cancel(hs[2]!);
    sim.run();
    expect(fired).toEqual([0, 3]);
  });

  it("post and postAt are schedule and scheduleAt without a handle: same order, same trace hash", () => {
    const run = (withHandles: boolean) => {
      const sim = new Simulation(1);
      const log: string[] = [];
      const k = sim.register("e", (target) => {
        log.push(`${target}@${sim.now}`);
        if (target < 50) {
          if (withHandles) sim.schedule(0.25 * (target % 3), target + 10, k);
          else sim.post(0.25 * (target % 3), target + 10, k);
        }
      });
      for (let i = 0; i < 10; i++) {
        if (withHandles) sim.scheduleAt(i % 4, i, k);
        else sim.postAt(i % 4, i, k);
      }
      sim.run();
      return { log, hash: sim.traceHash };
    };
    expect(run(false)).toEqual(run(true));
    const sim = new Simulation(1);
    expect(() => sim.post(-1, 0, 0)).toThrow(RangeError);
    expect(() => sim.postAt(-1, 0, 0)).toThrow(RangeError);
  });

  it("rejects scheduling in the past", () => {
    const sim = new Simulation(1);
    expect(() => sim.schedule(-1, 0, 0)).toThrow(RangeError);
  });

  it("trace hash depends on every processed event", () => {
    const run = (shift: number) => {
      const sim = new Simulation(1);
      const k = sim.register("e", () => {});
      for (let i = 0; i < 100; i++) sim.schedule(i + (i === 50 ? shift : 0), i % 7, k);
      sim.run();
      return sim.traceHash;
    };
    expect(run(0)).toMatch(/^[0-9a-f]{16}$/);
    expect(run(0)).toBe(run(0));
    expect(run(0.25)).not.toBe(run(0));
  });
});

describe("EventQueue lazy cancellation", () => {
  it("compacts after many cancellations and keeps the order of the survivors", () => {
    const q = new EventQueue(16);
    const handles: number[] = [];
    for (let i = 0; i < 5000; i++) handles.push(q.push((i * 7919) % 5000, i, 0, i));
    for (let i = 0; i < 5000; i++) if (i % 5 !== 0) expect(q.cancel(handles[i]!)).toBe(true);
    expect(q.size).toBe(1000);
    const out: number[] = [];
    while (q.pop()) out.push(q.popPayload as number);
    const expected = Array.from({ length: 5000 }, (_, i) => i)
      .filter((i) => i % 5 === 0)
      .sort((a, b) => (a * 7919) % 5000 - (b * 7919) % 5000 || a - b);
    expect(out).toEqual(expected);
    expect(q.cancel(handles[0]!)).toBe(false);
  });

  it("compacts right after a pop (vacant root) and keeps the order", () => {
    const q = new EventQueue(16);
    const handles: number[] = [];
    for (let i = 0; i < 5000; i++) handles.push(q.push((i * 7919) % 5000, i, 0, i));
    expect(q.pop()).toBe(true);
    const first = q.popPayload as number;
    for (let i = 0; i < 5000; i++) if (i % 5 !== 0 && i !== first) q.cancel(handles[i]!);
    expect(q.size).toBe(first % 5 === 0 ? 999 : 1000);
    const out: number[] = [];
    while (q.pop()) out.push(q.popPayload as number);
    const expected = Array.from({ length: 5000 }, (_, i) => i)
      .filter((i) => i % 5 === 0 && i !== first)
      .sort((a, b) => (a * 7919) % 5000 - (b * 7919) % 5000 || a - b);
    expect(out).toEqual(expected);
  });

  it("peekTime skips cancelled events at the top", () => {
    const q = new EventQueue(16);
    const a = q.push(1, 0, 0, null);
    q.push(2, 0, 0, null);
    q.cancel(a);
    expect(q.peekTime()).toBe(2);
    expect(q.size).toBe(1);
  });
});

describe("trace hash", () => {
  it("the event loop's inlined fold equals TraceHash.fold over (time, target, kind)", async () => {
    const { TraceHash } = await import("../../src/kernel/index.js");
    const sim = new Simulation(9);
    const k0 = sim.register("a", () => {});
    const k1 = sim.register("b", () => {});
    const events: Array<[number, number, number]> = [];
    for (let i = 0; i < 50; i++) {
      const t = (i * 37) % 11 + i / 7;
      const kind = i % 3 === 0 ? k1 : k0;
      sim.schedule(t, i % 5, kind);
      events.push([t, i % 5, kind]);
    }
    sim.run({ until: 5 });
    sim.run();
    const ref = new TraceHash();
    events
      .map((e, i) => ({ e, i }))
      .sort((x, y) => x.e[0] - y.e[0] || x.i - y.i)
      .forEach(({ e }) => {
        ref.fold(e[0], e[1], e[2]);
      });
    expect(sim.traceHash).toBe(ref.hex());
  });
});
