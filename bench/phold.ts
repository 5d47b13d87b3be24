// `npm run bench -- phold`: PHOLD through the kernel's public API; times only the event loop.

import { Simulation } from "../src/kernel/index.js";
import { PholdModel } from "../src/world/phold/model.js";
import { runBareHeap } from "./bare-heap.js";

export interface PholdBenchArgs {
  lps: number;
  init: number;
  events: number;
  remote: number;
  lookahead: number;
  seed: number;
  baseline: boolean;
}

export function runPholdBench(a: PholdBenchArgs): string {
  const sim = new Simulation(a.seed, a.lps * a.init);
  const model = new PholdModel(sim, {
    lps: a.lps,
    init: a.init,
    remote: a.remote,
    lookahead: a.lookahead,
    meanDelay: 1,
  });
  const t0 = process.hrtime.bigint();
  sim.run({ maxEvents: a.events });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const perEvent = sim.queueBytes / Math.max(1, sim.pending);
  const bare = a.baseline ? runBareHeap(a.lps, a.init, a.events, a.remote, a.lookahead, a.seed) : Number.NaN;
  const eps = a.events / wall;
  const baseline = a.baseline ? ` bare_heap_events_per_s=${Math.round(bare)} ratio_to_bare=${(eps / bare).toFixed(2)}` : "";
  return (
    `phold lps=${a.lps} init=${a.init} events=${a.events} wall_s=${wall.toFixed(3)} ` +
    `events_per_s=${Math.round(a.events / wall)} checksum=${model.checksum()} ` +
    `pending=${sim.pending} queue_bytes_per_pending=${perEvent.toFixed(1)}${baseline}`
  );
}
