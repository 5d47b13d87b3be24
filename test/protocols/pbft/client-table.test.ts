// ClientTable.copy (protocols/pbft/client-table.ts) copies the records entry by entry (forEach, not
// the Map constructor's iterator walk): same entries and digest, and the copy is independent.

import { describe, expect, it } from "vitest";
import { ClientTable } from "../../../src/protocols/pbft/index.js";

describe("ClientTable.copy", () => {
  it("has the original's entries and digest and does not follow later changes of either", () => {
    const t = new ClientTable();
    for (const c of [5, 1, 9, 3]) t.set(c, { timestamp: c * 10, result: `r${c}` });
    t.set(1, { timestamp: 11, result: "r1b" });
    const copy = t.copy();
    expect(copy.entries()).toEqual(t.entries());
    expect(copy.digest()).toBe(t.digest());
    expect(copy.size).toBe(4);
    const before = t.digest();
    copy.set(7, { timestamp: 70, result: "r7" });
    copy.set(5, { timestamp: 51, result: "r5b" });
    expect(t.digest()).toBe(before);
    expect(t.get(7)).toBeUndefined();
    expect(t.get(5)).toEqual({ timestamp: 50, result: "r5" });
    t.set(9, { timestamp: 91, result: "r9b" });
    expect(copy.get(9)).toEqual({ timestamp: 90, result: "r9" });
    // The same records rebuilt from scratch give the copy's digest.
    expect(ClientTable.fromEntries(copy.entries()).digest()).toBe(copy.digest());
  });
});
