import { describe, expect, it } from "vitest";
import type { NetworkConfig } from "../../src/net/index.js";
import { harness } from "./helpers.js";

const noisy: Partial<NetworkConfig> = {
  latency: { model: "lognormal", mu: -3, sigma: 0.6 },
  bandwidth: 10_000_000,
  loss: 0.02,
  duplicate: 0.02,
  reorder: { probability: 0.1, maxDelay: 0.05 },
  randomPartitions: { mode: "uniform", meanInterval: 0.5, meanDuration: 0.2, start: 0, end: 5 },
  rules: [{ action: "delay", kind: "echo", probability: 0.3, delay: 0.01 }],
};

/** A small closed-loop gossip: every delivery of a "gossip" may trigger echoes, so timing feeds back. */
function run(seed: number) {
  const n = 8;
  const h = harness(noisy, n, seed);
  const all = Array.from({ length: n }, (_, i) => i);
  let echoes = 0;
  h.net.onDeliver((to, from, kind, size, msg, t) => {
    h.log.push({ t, to, from, kind, size, msg });
    if (kind === "gossip" && echoes < 5000) {
      echoes++;
      h.net.send(to, from, "echo", 64, msg);
    }
  });
  for (let r = 0; r < 40; r++) h.at(r * 0.1, () => h.net.broadcast(r % n, all, "gossip", 2000, r));
  h.sim.run();
  return {
    trace: h.log.map((d) => `${d.t}|${d.to}|${d.from}|${d.kind}|${String(d.msg)}`),
    hash: h.sim.traceHash,
    stats: h.net.stats(),
  };
}

describe("determinism", () => {
  it("same seed: identical delivery sequence, trace hash and stats", () => {
    const a = run(123);
    const b = run(123);
    expect(a.trace.length).toBeGreaterThan(300);
    expect(b.trace).toEqual(a.trace);
    expect(b.hash).toBe(a.hash);
    expect(b.stats).toEqual(a.stats);
  });

  it("different seed: different delivery sequence", () => {
    const a = run(123);
    const c = run(124);
    expect(c.trace).not.toEqual(a.trace);
    expect(c.hash).not.toBe(a.hash);
  });
});
