// INV-K on divergent checkpoints (pbft.md INV-K, R-K6): a replica counted as correct whose own
// checkpoint differs from the stable one is a safety violation at that moment, not only a protocol
// alarm; and when correct replicas compute different digests for one checkpoint (four of them here,
// so none can ever become stable), the checker reports it as soon as the second appears instead of
// leaving the run to stall into LIV-1.

import { describe, expect, it } from "vitest";
import { type ExecContext, KvApplication } from "../../../src/protocols/pbft/index.js";
import { PbftWorld, pbftScenarioOf } from "../../../src/world/pbft/world.js";
import { scenario } from "../support.js";

/** Loses every fifth write (a service bug at one replica only). */
class LossyKv extends KvApplication {
  private writes = 0;
  override execute(op: unknown, ctx: ExecContext): string {
    if (++this.writes % 5 === 0) return "ok";
    return super.execute(op, ctx);
  }
}

/** A service whose state depends on where it runs: non-deterministic across replicas. */
class LocalKv extends KvApplication {
  constructor(private readonly where: number) {
    super();
  }
  override stateDigest(): string {
    return `${super.stateDigest()}@${this.where}`;
  }
}

function run(makeApp: (id: number) => KvApplication) {
  const s = pbftScenarioOf(scenario("scenarios/baseline.yaml"));
  const w = new PbftWorld(s, 1, { makeApp });
  w.sim.run({ until: s.until });
  w.finish();
  return w;
}

describe("INV-K: a correct replica's checkpoint diverges", () => {
  it("one replica's own checkpoint differs from the stable digest: INV-K naming it at its first checkpoint", () => {
    const w = run((id) => (id === 3 ? new LossyKv() : new KvApplication()));
    const invk = w.violations.filter((v) => v.invariant === "INV-K");
    expect(invk.length).toBeGreaterThan(0);
    // first against another correct replica's checkpoint, then against the stable digest, naming replica 3 alone
    expect(invk[0]!.seq).toBe(10);
    expect(invk[0]!.replicas).toContain(3);
    const vsStable = invk.find((v) => v.seq === 10 && v.replicas!.length === 1)!;
    expect(vsStable.replicas).toEqual([3]);
    expect(vsStable.detail).toMatch(/^checkpoint 10: correct replica 3 has state \S+ but the stable checkpoint \(at replica [012]\) is \S+$/);
    // its alarm (R-K6) still fires, and comes no earlier than the violation
    const alarm = w.violations.find((v) => v.invariant === "ALARM" && v.detail.includes("checkpoint-divergence"))!;
    expect(alarm.replicas).toEqual([3]);
    expect(vsStable.time).toBeLessThanOrEqual(alarm.time);
    // replicas 0, 1, 2 agree among themselves: no violation names one of them alone
    expect(invk.every((v) => v.replicas!.includes(3))).toBe(true);
  });

  it("four distinct digests at checkpoint 10: INV-K at the second, R-K6's checkpoint-split alarm at the third", () => {
    const w = run((id) => new LocalKv(id));
    const first = w.violations[0]!;
    expect(first.invariant).toBe("INV-K");
    expect(first.seq).toBe(10);
    expect(first.replicas!.length).toBe(2);
    expect(first.detail).toMatch(/^checkpoint 10: correct replica \d has state \S+ but correct replica \d has \S+$/);
    expect(w.violations.filter((v) => v.invariant === "INV-K" && v.seq === 10)).toHaveLength(3);
    expect(w.violations.some((v) => v.invariant === "ALARM" && v.detail.endsWith("checkpoint-split"))).toBe(true);
  });
});
