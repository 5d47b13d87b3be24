// The reward history's append-only log: clones (snapshots) share its array until one of them appends.

import { describe, expect, it } from "vitest";
import { AppendLog } from "../../../src/protocols/pot/state.js";
import { activeLedger, expectOk, report } from "./helpers.js";

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
});
