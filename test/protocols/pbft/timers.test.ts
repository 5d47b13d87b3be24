// The replica's timer set: arming emits setTimer, cancelling emits cancelTimer only for an armed timer,
// a firing counts once, stale firings are refused, and names are independent.

import { describe, expect, it } from "vitest";
import { TimerSet } from "../../../src/protocols/pbft/timers.js";

describe("TimerSet", () => {
  it("tracks each name and emits exactly the effects the host needs", () => {
    const log: string[] = [];
    const t = new TimerSet({ setTimer: (n, d) => log.push(`set ${n} ${d}`), cancelTimer: (n) => log.push(`cancel ${n}`) });
    t.disarm("request"); // not armed: nothing to cancel
    t.arm("request", 1);
    t.arm("status", 2);
    expect([t.isArmed("request"), t.isArmed("status"), t.isArmed("batch")]).toEqual([true, true, false]);
    expect(t.fired("request")).toBe(true);
    expect(t.fired("request")).toBe(false); // stale: fired once already
    t.arm("request", 3);
    t.drop("request"); // no effect, and a later firing is stale
    expect(t.fired("request")).toBe(false);
    t.disarm("status");
    t.disarm("status");
    expect(t.isArmed("status")).toBe(false);
    expect(log).toEqual(["set request 1", "set status 2", "set request 3", "cancel status"]);
  });
});
