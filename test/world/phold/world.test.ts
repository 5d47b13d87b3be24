// The PHOLD world: events are conserved (every processed event schedules exactly one), its summary
// and per-LP table agree, and the run is a function of the seed.

import { describe, expect, it } from "vitest";
import { buildPholdWorld, type PholdParams } from "../../../src/world/phold/index.js";

const params: PholdParams = { lps: 50, init: 4, remote: 0.5, lookahead: 0.1, meanDelay: 1 };

function run(seed: number, until = 20) {
  const w = buildPholdWorld(params, seed);
  w.sim.run({ until });
  return { out: w.finish(), traceHash: w.sim.traceHash, events: w.sim.eventCount };
}

describe("PHOLD world", () => {
  it("conserves events and reports them per LP", () => {
    const { out, events } = run(1);
    const s = out.summary as { processed: number; pending: number; lps: number; checksum: number };
    expect(s.lps).toBe(50);
    expect(s.pending).toBe(params.lps * params.init);
    expect(s.processed).toBe(events);
    const lps = out.tables.find((t) => t.name === "lps")!;
    expect(lps.rows.reduce((a, r) => a + (r[1] as number), 0)).toBe(events);
    expect(s.checksum).toBe(lps.rows.reduce((a, r) => (a + Math.imul(r[1] as number, r[0] as number)) >>> 0, 0));
    expect(out.violations).toEqual([]);
  });

  it("is a function of the seed", () => {
    expect(run(3)).toEqual(run(3));
    expect(run(3).traceHash).not.toBe(run(4).traceHash);
  });
});
