// Test helpers for net/: a simulation + network with a delivery log, and a way to run
// callbacks at given virtual times.

import { Simulation } from "../../src/kernel/index.js";
import { defaultNetworkConfig, Network, type NetworkConfig } from "../../src/net/index.js";

export interface Delivery {
  t: number;
  to: number;
  from: number;
  kind: string;
  size: number;
  msg: unknown;
}

export interface Harness {
  sim: Simulation;
  net: Network;
  log: Delivery[];
  /** Runs `fn` at virtual time `time`. */
  at(time: number, fn: () => void): void;
}

export function harness(overrides: Partial<NetworkConfig> = {}, nodeCount = 4, seed: number | string = 1): Harness {
  const sim = new Simulation(seed);
  const net = new Network(sim, { ...defaultNetworkConfig(), ...overrides }, nodeCount);
  const log: Delivery[] = [];
  net.onDeliver((to, from, kind, size, msg, t) => log.push({ t, to, from, kind, size, msg }));
  const callKind = sim.register("test.call", (_t, payload) => (payload as () => void)());
  return { sim, net, log, at: (time, fn) => sim.scheduleAt(time, -1, callKind, fn) };
}

export function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}
