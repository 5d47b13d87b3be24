// INV-K's replay half: stable checkpoints must equal what replaying the agreed history on a
// reference copy of the service gives. A service bug shared by every replica keeps them in
// agreement (SAF-1 and pairwise INV-K stay silent) but is caught by the replay.

import { describe, expect, it } from "vitest";
import { type ExecContext, KvApplication } from "../../../src/protocols/pbft/index.js";
import { PbftWorld, pbftScenarioOf } from "../../../src/world/pbft/world.js";
import { scenario } from "../support.js";

/** Loses every fifth write, identically at every replica. */
class LossyKv extends KvApplication {
  private writes = 0;
  override execute(op: unknown, ctx: ExecContext): string {
    if (++this.writes % 5 === 0) return "ok";
    return super.execute(op, ctx);
  }
}

function runWith(makeApp?: () => KvApplication, makeReferenceApp?: () => KvApplication) {
  const s = pbftScenarioOf(scenario("scenarios/baseline.yaml"));
  const w = new PbftWorld(s, 1, { makeApp, makeReferenceApp });
  w.sim.run({ until: s.until });
  return w.finish().violations;
}

describe("INV-K replay against a reference service", () => {
  it("stays silent for the correct service", () => {
    expect(runWith()).toEqual([]);
  });

  it("flags a service bug that every replica shares", () => {
    const v = runWith(
      () => new LossyKv(),
      () => new KvApplication(),
    );
    expect(v.length).toBeGreaterThan(0);
    expect(v.every((x) => x.invariant === "INV-K")).toBe(true);
    expect(v[0]!.seq).toBe(10);
    expect(v[0]!.detail).toContain("replaying the agreed history");
  });

  it("the shared bug is invisible without the reference (pairwise checks agree)", () => {
    expect(runWith(() => new LossyKv())).toEqual([]);
  });
});
