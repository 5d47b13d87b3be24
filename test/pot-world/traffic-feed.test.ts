// The traffic feed (aggregated traffic drawn on a worker thread) changes nothing: the same run with
// and without it gives equal results, with churn, overlapping outages and a capacity cap; a feed
// whose online set is not the world's stops the run. The worker is compiled JS (built here if stale).

import { beforeAll, describe, expect, it } from "vitest";
import { ensureWorkerBuilt } from "../sweep/support.js";
import { potScenario, potWorld, runPot } from "./support.js";

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

  it("is not used for per-request traffic", () => {
    const { world } = potWorld({ traffic: { mode: "perRequest" } }, { trafficThread: true });
    expect(world.trafficThread).toBe(false);
  });

  it("stops the run when the worker's online set is not the world's", async () => {
    const { PotWorld } = await import("../../src/world/pot-world.js");
    const s = potScenario(OVER);
    const world = new PotWorld(s, s.seed, { trafficThread: true });
    world.nodes.forcedOff[7] = 1; // an outage the worker does not know about
    expect(() => world.sim.run({ until: s.until })).toThrow(/traffic feed: epoch 1 .* differs/);
    world.finish();
  });
});
