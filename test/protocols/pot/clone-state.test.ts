// cloneState (protocols/pot/state.ts) copies the state's maps entry by entry (forEach, not the
// iterator protocol): same keys in the same insertion order, node records copied, never shared.

import { describe, expect, it } from "vitest";
import { cloneState, type LedgerState } from "../../../src/protocols/pot/state.js";
import { activeLedger } from "./helpers.js";

const stateOf = (): LedgerState => (activeLedger().snapshot() as unknown as { state: LedgerState }).state;

describe("cloneState", () => {
  it("keeps every map's entries in insertion order, with node records copied", () => {
    const s = stateOf();
    // An insertion order that is not sorted order, and a debt and a vote pool to copy.
    s.resourceNodes.set("rn0-late", { ...s.resourceNodes.get("rn1")!, networkAddress: "rn0-late" });
    s.debts.set(3, 7n);
    s.kickVotes.set("rn2", { approvals: ["m1"], rejections: [], passed: false, expireTimeSec: 9 });
    const c = cloneState(s);
    for (const key of ["metaNodes", "resourceNodes", "debts", "regVotes", "kickVotes"] as const) {
      expect([...c[key].keys()]).toEqual([...s[key].keys()]);
      expect([...c[key].values()]).toEqual([...s[key].values()]);
    }
    expect([...c.resourceNodes.keys()].at(-1)).toBe("rn0-late");
    for (const [k, n] of c.resourceNodes) expect(n).not.toBe(s.resourceNodes.get(k));
    for (const [k, n] of c.metaNodes) expect(n).not.toBe(s.metaNodes.get(k));
    expect(c.kickVotes.get("rn2")).not.toBe(s.kickVotes.get("rn2"));
    // Changing the clone leaves the original as it was.
    c.resourceNodes.get("rn1")!.suspended = !s.resourceNodes.get("rn1")!.suspended;
    c.debts.set(3, 8n);
    c.kickVotes.get("rn2")!.approvals.push("m2");
    expect(c.resourceNodes.get("rn1")!.suspended).not.toBe(s.resourceNodes.get("rn1")!.suspended);
    expect(s.debts.get(3)).toBe(7n);
    expect(s.kickVotes.get("rn2")!.approvals).toEqual(["m1"]);
  });
});
