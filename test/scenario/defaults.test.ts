// A minimal file resolves to a fully defaulted scenario; valid files resolve as written.

import { describe, expect, expectTypeOf, it } from "vitest";
import { loadScenario, type ResolvedScenario } from "../../src/scenario/index.js";
import { fixture } from "./helpers.js";

describe("defaults", () => {
  it("fills every default for a minimal file", () => {
    const s = loadScenario(fixture("minimal.yaml")) as Record<string, unknown>;
    // Sections of other models default to null; check is always filled.
    expect(s.pbft).toBeNull();
    expect(s.sweep).toBeNull();
    expect(s.check).toEqual({ liveness: true, livenessBound: 30, stopOnViolation: false });
    expect(s).toMatchObject({
      name: "minimal",
      description: "",
      seed: 1,
      model: "phold",
      until: 60,
      network: {
        latency: { model: "constant", value: 0.01 },
        bandwidth: null,
        loss: 0,
        duplicate: 0,
        reorder: null,
        partitions: [],
        randomPartitions: null,
        rules: [],
        spikes: [],
      },
      phold: { lps: 1000, init: 16, remote: 1.0, lookahead: 0.1, meanDelay: 1.0 },
    });
  });

  it("keeps the top-level key order stable", () => {
    const keys = Object.keys(loadScenario(fixture("minimal.yaml")));
    expect(keys.slice(0, 5)).toEqual(["name", "description", "seed", "model", "until"]);
    // then the sections, in alphabetical order
    const sections = keys.slice(5);
    expect(sections).toEqual([...sections].sort());
    expect(sections).toContain("network");
    expect(sections).toContain("phold");
  });

  it("resolves a file that uses every network feature", () => {
    const s = loadScenario(fixture("full-network.yaml"));
    expect(s.name).toBe("full");
    expect(s.maxEvents).toBe(1_000_000);
    expect(s.network).toEqual({
      latency: {
        model: "regions",
        regions: ["eu", "us", "asia"],
        matrix: [
          [0.005, 0.04, 0.12],
          [0.04, 0.005, 0.09],
          [0.12, 0.09, 0.005],
        ],
        jitter: { model: "normal", mean: 0.002, stddev: 0.001, min: 0 },
        assignment: ["eu", "eu", "us", "us", "asia", "asia"],
      },
      bandwidth: 1e9,
      loss: 0.001,
      duplicate: 0.0005,
      reorder: { probability: 0.01, maxDelay: 0.02 },
      partitions: [
        { at: 10, heal: 20, groups: [[0, 1], [2, 3]], symmetric: true },
        { at: 30, isolate: 5, symmetric: false },
      ],
      randomPartitions: { mode: "uniform", meanInterval: 15, meanDuration: 2, start: 40, end: 100 },
      rules: [
        { action: "drop", kind: ["prepare", "commit"], from: 0, to: [1, 2], start: 5, end: 6, probability: 0.5 },
        { action: "delay", kind: "checkpoint", start: 0, probability: 1, delay: 0.3 },
        { action: "duplicate", start: 0, probability: 1 },
      ],
      spikes: [{ at: 50, until: 55, extra: 0.25 }],
    });
  });

  it("gives the resolved scenario a precise static type", () => {
    const s = loadScenario(fixture("minimal.yaml"));
    expectTypeOf(s).toEqualTypeOf<ResolvedScenario>();
    expectTypeOf(s.name).toEqualTypeOf<string>();
    expectTypeOf(s.model).toEqualTypeOf<"phold" | "pbft" | "pot">();
    expectTypeOf(s.maxEvents).toEqualTypeOf<number | undefined>();
    expectTypeOf(s.phold.lps).toEqualTypeOf<number>();
    expectTypeOf(s.network.bandwidth).toEqualTypeOf<number | null>();
    expectTypeOf(s.network.latency.model).toEqualTypeOf<
      "constant" | "uniform" | "normal" | "lognormal" | "pareto" | "regions"
    >();
    const lat = s.network.latency;
    if (lat.model === "lognormal") expectTypeOf(lat).toEqualTypeOf<{ model: "lognormal"; mu: number; sigma: number }>();
    if (lat.model === "regions") expectTypeOf(lat.assignment).toEqualTypeOf<"roundRobin" | string[]>();
    for (const rule of s.network.rules) if (rule.action === "delay") expectTypeOf(rule.delay).toEqualTypeOf<number>();
  });
});
