// aggregateEpoch with reused buffers and an online mask draws exactly what the plain call draws.

import { describe, expect, it } from "vitest";
import { type AggregateScratch, aggregateEpoch, type TrafficConfig, TrafficModel } from "../../src/traffic/index.js";
import { stream, streams } from "./support.js";

const EPOCH = 600;
const config: TrafficConfig = {
  users: [
    { count: 40, arrival: { model: "poisson", rate: 0.02 } },
    { count: 10, arrival: { model: "diurnal", meanRate: 0.05, amplitude: 0.5, peakHour: 12 } },
  ],
  sizes: { model: "lognormal", median: 2e6, sigma: 1, max: 1e8 },
  catalog: { files: 300, zipfExponent: 0.9, replicas: 3, nodes: 12 },
  uploadFraction: 0.2,
};

describe("aggregateEpoch buffers and masks", () => {
  it("gives the same epochs with a predicate, a mask and reused buffers", () => {
    const a = new TrafficModel(config, streams(4));
    const b = new TrafficModel(config, streams(4));
    const ra = stream("agg");
    const rb = stream("agg");
    const scratch: AggregateScratch = {};
    const mask = new Uint8Array(12);
    for (let e = 0; e < 60; e++) {
      // The online set changes every few epochs (and is empty once).
      const online = (j: number) => e !== 30 && (j + Math.floor(e / 7)) % 5 !== 0;
      for (let j = 0; j < 12; j++) mask[j] = online(j) ? 1 : 0;
      const x = aggregateEpoch(a, e * EPOCH, (e + 1) * EPOCH, ra, online);
      const y = aggregateEpoch(b, e * EPOCH, (e + 1) * EPOCH, rb, e % 2 === 0 ? mask : online, scratch);
      expect({ ...y, perNodeTasks: Array.from(y.perNodeTasks), perNodeVolume: Array.from(y.perNodeVolume) }).toEqual({
        ...x,
        perNodeTasks: Array.from(x.perNodeTasks),
        perNodeVolume: Array.from(x.perNodeVolume),
      });
    }
  });
});
