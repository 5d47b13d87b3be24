// Worlds share nothing: three different worlds (two PoT economies, one with attacks and per-request
// traffic, and a PBFT world) built in one process and stepped alternately, a few simulated seconds at
// a time, give exactly the outputs each gives when it runs alone (trace hash, event count, summary,
// every table, violations). Protocol memos, scratch buffers and slabs are per world (PotSharedCache,
// DigestMemo); a module-level one shared between worlds could make a world's result depend on its
// neighbour's.

import { describe, expect, it } from "vitest";
import { buildWorld, type RunnableScenario } from "../../src/world/models.js";
import type { World } from "../../src/world/types.js";
import { potScenario } from "./pot/support.js";
import { scenario } from "./support.js";

/** Everything a run outputs, as text (bigints spelt out). */
function outputs(world: World): string {
  const out = world.finish();
  const sim = world.sim;
  return JSON.stringify({ traceHash: sim.traceHash, events: sim.eventCount, now: sim.now, out }, (_k, v) =>
    typeof v === "bigint" ? `${v}n` : v,
  );
}

function alone(s: RunnableScenario): string {
  const w = buildWorld(s, s.seed);
  w.sim.run({ until: s.until });
  return outputs(w);
}

const scenarios: RunnableScenario[] = [
  potScenario(),
  potScenario({
    seed: 11,
    economics: { metaNodes: { count: 5 }, resourceNodes: { count: 12, depositStos: 100, graceEpochs: 2 } },
    traffic: { mode: "perRequest", users: [{ count: 15, arrival: { model: "poisson", rate: 0.02 } }] },
    attacks: {
      coalitions: [{ members: [0, 1], factor: 2 }],
      sybils: [{ wallets: 2, files: 4, budgetStos: 0.001 }],
      offline: [{ nodes: [3], at: 100, duration: 200 }],
    },
  }),
  scenario("scenarios/baseline.yaml", ["until=30"]),
];

describe("worlds in one process", () => {
  it("stepped alternately, each gives its own outputs byte for byte", () => {
    const solo = scenarios.map(alone);
    const worlds = scenarios.map((s) => buildWorld(s, s.seed));
    const until = Math.max(...scenarios.map((s) => s.until));
    const step = 7;
    for (let t = step; t < until + step; t += step) {
      worlds.forEach((w, i) => {
        w.sim.run({ until: Math.min(t, scenarios[i]!.until) });
      });
    }
    const together = worlds.map(outputs);
    // The worlds differ (the comparison is not between copies of one world) and each did real work.
    expect(new Set(solo).size).toBe(scenarios.length);
    for (const w of worlds) expect(w.sim.eventCount).toBeGreaterThan(1000);
    together.forEach((text, i) => {
      expect(text, `world ${i} (${scenarios[i]!.name})`).toBe(solo[i]);
    });
  });
});
