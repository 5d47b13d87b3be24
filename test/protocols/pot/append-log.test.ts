// The reward history's append-only log: clones (snapshots) share its array until one of them appends.

import { describe, expect, it } from "vitest";
import { AppendLog } from "../../../src/protocols/pot/state.js";
import { createSharedCache } from "../../../src/protocols/pot/index.js";
import { activeLedger, expectOk, report } from "./helpers.js";

const itemsOf = (l: AppendLog<unknown>): unknown[] => (l as unknown as { items: unknown[] }).items;

describe("AppendLog", () => {
  it("keeps every clone's view when several append to a shared array", () => {
    const a = new AppendLog<number>();
    for (let i = 0; i < 5; i++) a.push(i);
    const b = a.clone();
    const c = a.clone();
    a.push(5);
    b.push(50);
    c.push(500);
    c.push(501);
    const items = (l: AppendLog<number>) => Array.from({ length: l.length }, (_, i) => l.at(i));
    expect(items(a)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(items(b)).toEqual([0, 1, 2, 3, 4, 50]);
    expect(items(c)).toEqual([0, 1, 2, 3, 4, 500, 501]);
    expect(() => b.at(6)).toThrow(RangeError);
  });

  it("ledger snapshots keep their reward history while the ledger and a restored copy move on", () => {
    const l = activeLedger();
    expectOk(l.volumeReport(report(1, { rw1: 100, rw2: 50 })));
    const snap = l.snapshot();
    const digest = l.stateDigest();
    expectOk(l.volumeReport(report(2, { rw1: 10 })));
    const other = activeLedger();
    other.restore(snap);
    expect(other.stateDigest()).toBe(digest);
    expectOk(other.volumeReport(report(2, { rw2: 999 })));
    expect(l.totalReward(2)).not.toEqual(other.totalReward(2));
    expect(l.totalReward(1)).toEqual(other.totalReward(1));
    const again = activeLedger();
    again.restore(snap);
    expect(again.stateDigest()).toBe(digest);
    expect(again.totalReward(2)).toBeUndefined();
  });

  it("clones appending equal values keep sharing one array; a different value copies, leaving the others as they were", () => {
    const root = new AppendLog<bigint>();
    const a = root.clone();
    const b = root.clone();
    const c = root.clone();
    for (const l of [a, b, c]) for (const v of [5n, 7n, 9n]) l.push(v);
    expect(itemsOf(a)).toBe(itemsOf(b));
    expect(itemsOf(a)).toBe(itemsOf(c));
    expect(root.length).toBe(0);
    b.push(11n);
    c.push(12n); // differs from b's 11n at index 3: c takes its own copy of 5, 7, 9
    a.push(11n); // equals b's: a keeps sharing
    const items = (l: AppendLog<bigint>) => Array.from({ length: l.length }, (_, i) => l.at(i));
    expect(items(a)).toEqual([5n, 7n, 9n, 11n]);
    expect(items(b)).toEqual([5n, 7n, 9n, 11n]);
    expect(items(c)).toEqual([5n, 7n, 9n, 12n]);
    expect(itemsOf(a)).toBe(itemsOf(b));
    expect(itemsOf(c)).not.toBe(itemsOf(a));
    // A fresh clone of the root sees nothing of them, and shares again when it appends the same.
    const d = root.clone();
    expect(d.length).toBe(0);
    d.push(5n);
    expect(items(d)).toEqual([5n]);
    expect(itemsOf(d)).toBe(itemsOf(a));
  });

  it("ledgers on one shared cache hold one reward history while they agree, and their own once they differ", () => {
    const cache = createSharedCache();
    const a = activeLedger({ shared: cache });
    const b = activeLedger({ shared: cache });
    const solo = activeLedger();
    for (let e = 1; e <= 4; e++) for (const l of [a, b, solo]) expectOk(l.volumeReport(report(e, { rw1: 100 * e, rw2: 50 })));
    const hist = (l: typeof a) => (l as unknown as { st: { rewardMining: AppendLog<bigint> } }).st.rewardMining;
    expect(itemsOf(hist(a))).toBe(itemsOf(hist(b)));
    expect(itemsOf(hist(a))).not.toBe(itemsOf(hist(solo)));
    expectOk(b.volumeReport(report(5, { rw1: 1 })));
    expectOk(a.volumeReport(report(5, { rw1: 2, rw2: 3 })));
    for (let e = 1; e <= 4; e++) expect(a.totalReward(e)).toEqual(solo.totalReward(e));
    expect(a.totalReward(5)).not.toEqual(b.totalReward(5));
    expectOk(solo.volumeReport(report(5, { rw1: 2, rw2: 3 })));
    expect(a.totalReward(5)).toEqual(solo.totalReward(5));
    expect(a.stateDigest()).toBe(solo.stateDigest());
  });
});
