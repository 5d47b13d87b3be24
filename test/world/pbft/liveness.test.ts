// LIV-1 in a full world: after the declared stabilisation time every correct client's request
// completes within the bound. It must fire when more than f replicas are gone for good, and stay
// silent once faults have healed.

import { describe, expect, it } from "vitest";
import { invariants, range, replica, runPbft } from "./support.js";

const F = "test/fixtures/pbft";

describe("LIV-1 liveness checker", () => {
  it("fires when f + 1 replicas crash forever (and nothing else is reported: crashes cannot break safety)", () => {
    const r = runPbft(`${F}/liv-stall.yaml`);
    expect(invariants(r)).toEqual(["LIV-1"]);
    const v = r.world.violations[0]!;
    expect(v.detail).toMatch(/still pending; deadline was 6\.\d+s \(stabilisation 1s \+ bound 5s\)/);
    expect(v.time).toBeGreaterThan(6);
    expect(v.time).toBeLessThan(6 + 5 / 4 + 0.5); // found by the periodic poll, not only at the end
    // the two survivors are stuck at what was committed before the crash
    expect(replica(r, 0).lastExecuted).toBe(replica(r, 1).lastExecuted);
    expect(r.rec.accepted.every((a) => a.every((x) => x.time < 1.1))).toBe(true);
  });

  it("stays silent after a primary crash–restart, a partition and a latency spike have healed", () => {
    const r = runPbft(`${F}/liv-heal.yaml`);
    expect(invariants(r)).toEqual([]);
    expect(r.rec.accepted.map((a) => a.length)).toEqual([50, 50]);
    for (const i of range(0, 3)) expect(replica(r, i).lastExecuted).toBe(100);
    // requests did stall during the faults: the same run with stabilisation at 0 and a 1 s bound fails
    const strict = runPbft(`${F}/liv-heal.yaml`, ["check.stabilization=0", "check.livenessBound=1"]);
    expect(invariants(strict)).toEqual(["LIV-1"]);
  });

  it("is off when the scenario says so (the stalled run then reports nothing)", () => {
    const r = runPbft(`${F}/liv-stall.yaml`, ["check.liveness=false"]);
    expect(invariants(r)).toEqual([]);
    expect(r.world.liveness).toBeNull();
  });
});
