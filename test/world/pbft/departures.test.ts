// The hosts' memory tactics (src/world/pbft/departures.ts): a reused departure carries nothing of
// its previous use, timer handles behave as the Map they replace, and the cached active behaviours
// are exactly the ones whose window holds the time asked about.

import { describe, expect, it } from "vitest";
import type { ActiveBehaviour } from "../../../src/faults/index.js";
import type { ReplicaMessage } from "../../../src/protocols/pbft/index.js";
import { ActiveWindows, DeparturePool, HostTimers } from "../../../src/world/pbft/departures.js";

const prepare = (seq: number): ReplicaMessage => ({ type: "prepare", view: 0, seq, digest: `d${seq}`, replica: 1 });

describe("DeparturePool", () => {
  it("gives back an emptied departure: no host, no entries, no message references from its last use", () => {
    const pool = new DeparturePool<string>();
    const a = pool.take("host-a");
    a.add(2, prepare(1), false, 100);
    a.add(-1, prepare(2), true, 200);
    a.add(3, prepare(3), false, 300);
    pool.release(a);
    expect(pool.idle).toBe(1);
    expect(a.host).toBeNull();
    expect(a.count).toBe(0);
    expect(a.msgs.slice(0, 3)).toEqual([undefined, undefined, undefined]);

    const b = pool.take("host-b");
    expect(b).toBe(a); // reused
    expect(b.host).toBe("host-b");
    expect(b.count).toBe(0);
    b.add(5, prepare(9), true, 50);
    // Only the new entry is live; the leftovers beyond count are never read and hold no message.
    expect(b.count).toBe(1);
    expect([b.to[0], b.msgs[0], b.broadcast[0], b.sizes[0]]).toEqual([5, prepare(9), true, 50]);
    expect(b.msgs[1]).toBeUndefined();
    expect(b.msgs[2]).toBeUndefined();
  });

  it("hands out distinct departures while earlier ones are in flight", () => {
    const pool = new DeparturePool<number>();
    const x = pool.take(1);
    const y = pool.take(2);
    expect(x).not.toBe(y);
    pool.release(x);
    pool.release(y);
    expect(pool.idle).toBe(2);
  });
});

describe("HostTimers", () => {
  it("answers like a Map from timer name to handle", () => {
    const t = new HostTimers();
    const m = new Map<string, number>();
    const ops: Array<[string, "request" | "newView" | "status", number]> = [
      ["set", "request", 17],
      ["set", "newView", 2 ** 40 + 3],
      ["set", "request", 99],
      ["delete", "newView", 0],
      ["set", "status", 5],
      ["delete", "batch" as "status", 0],
    ];
    for (const [op, name, h] of ops) {
      if (op === "set") {
        t.set(name, h);
        m.set(name, h);
      } else expect(t.delete(name)).toBe(m.delete(name));
      for (const n of ["request", "newView", "status", "batch"] as const) {
        expect(t.has(n)).toBe(m.has(n));
        expect(t.get(n)).toBe(m.get(n));
      }
    }
    expect(t.values().sort()).toEqual([...m.values()].sort());
    t.clear();
    expect(t.values()).toEqual([]);
  });
});

describe("ActiveWindows", () => {
  const b = (from: number, until: number): ActiveBehaviour => ({ window: { from, until } as ActiveBehaviour["window"], outgoing: () => {}, incoming: () => true });

  it("equals filtering the behaviours by window at every time asked, in order", () => {
    const all = [b(0, 10), b(5, 7), b(3, Number.POSITIVE_INFINITY), b(20, 30), b(7, 7)];
    let built = 0;
    const w = new ActiveWindows<number>(all, (_set, k) => {
      built++;
      return k;
    });
    const times = [0, 1, 3, 4.5, 5, 6.999, 7, 9, 10, 15, 20, 29.5, 30, 100];
    for (const now of times) {
      const set = w.at(now);
      expect(set.list).toEqual(all.filter((x) => now >= x.window.from && now < x.window.until));
      expect(set.emitters).toEqual(set.list.map((_, k) => k));
    }
    // Emitters are built when the set changes, not per call.
    const before = built;
    w.at(100);
    w.at(150);
    expect(built).toBe(before);
  });
});
