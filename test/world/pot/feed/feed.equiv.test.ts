// The traffic feed (aggregated traffic drawn on a worker thread, and honest reports encoded there when
// they depend on the traffic alone) changes nothing: the same run with and without it gives equal
// results, with churn, overlapping outages, a capacity cap, and users short of ozone; a feed whose
// online set is not the world's stops the run. The worker is compiled JS (built here if stale).

import { beforeAll, describe, expect, it } from "vitest";
import { ensureWorkerBuilt } from "../../../sweep/support.js";
import { potScenario, potWorld, runPot } from "../support.js";

const OVER = {
  economics: { epochs: 40, resourceNodes: { capacity: 2_000_000 } },
  until: 40 * 60 + 30,
  traffic: { churn: { meanUp: 1800, meanDown: 600 } },
  attacks: {
    offline: [
      { nodes: [3, 4], at: 300, duration: 600 },
      { nodes: [4], at: 600, duration: 120 },
      { count: 5, at: 1200, duration: 300 },
    ],
  },
};

describe("traffic feed", () => {
  beforeAll(() => {
    ensureWorkerBuilt();
  });

  it("gives the same run as drawing in the world's thread", () => {
    const { world } = potWorld(OVER, { trafficThread: true });
    expect(world.trafficThread).toBe(true);
    const threaded = runPot(OVER, { trafficThread: true });
    const inline = runPot(OVER);
    expect(threaded.traceHash).toBe(inline.traceHash);
    expect(threaded.summary).toEqual(inline.summary);
    expect(threaded.tables).toEqual(inline.tables);
    expect((inline.summary as { users: { requests: number } }).users.requests).toBeGreaterThan(0);
  });

  it("encodes honest reports when they depend on the traffic alone, with the same run", () => {
    // No capacity cap: the feed also encodes each epoch's report. With small top-ups users run short
    // of ozone in some epochs: then φ < 1 and the world builds that epoch's report itself.
    for (const [users, short] of [[{}, false], [{ prepayStos: 0.00002, refillEpochs: 0.5 }, true]] as const) {
      const over = { ...OVER, economics: { epochs: 40, users } };
      const { world, out } = potWorld(over, { trafficThread: true });
      const u = (out.summary as { users: { servedNoz: number; demandNoz: number } }).users;
      expect(u.servedNoz < u.demandNoz).toBe(short);
      if (short) expect(world.committee.fedEpochs).toBeGreaterThan(0);
      if (short) expect(world.committee.fedEpochs).toBeLessThan(40);
      else expect(world.committee.fedEpochs).toBe(40);
      const threaded = runPot(over, { trafficThread: true });
      const inline = runPot(over);
      expect(threaded.summary).toEqual(inline.summary);
      expect(threaded.tables).toEqual(inline.tables);
      expect(threaded.traceHash).toBe(inline.traceHash);
    }
    // With a coalition the feed encodes nothing (a report depends on who reports it).
    const { world } = potWorld({ ...OVER, economics: { epochs: 40 }, attacks: { coalitions: [{ members: [0, 1], factor: 2 }] } }, { trafficThread: true });
    expect(world.committee.fedEpochs).toBe(0);
  });

  it("is not used for per-request traffic", () => {
    const { world } = potWorld({ traffic: { mode: "perRequest" } }, { trafficThread: true });
    expect(world.trafficThread).toBe(false);
  });

  it("stops the run when the worker's online set is not the world's", async () => {
    const { PotWorld } = await import("../../../../src/world/pot/world.js");
    const s = potScenario(OVER);
    const world = new PotWorld(s, s.seed, { trafficThread: true });
    world.nodes.forcedOff[7] = 1; // an outage the worker does not know about
    expect(() => world.sim.run({ until: s.until })).toThrow(/traffic feed: epoch 1 .* differs/);
    world.finish();
  });
});
