// The network section: latency models and the cross-field checks (node ids, regions,
// partitions, windows).

import { describe, expect, it } from "vitest";
import { loadScenario, parseScenarioText, resolveScenario } from "../../src/scenario/index.js";
import { errorLines, fixture } from "./helpers.js";

const F = "n.yaml";
const resolve = (text: string) => resolveScenario(parseScenarioText(text, F));
const bad = (text: string) => errorLines(() => resolve(text));

describe("network section", () => {
  it("checks node ids against phold.lps", () => {
    const f = fixture("node-range.yaml");
    expect(errorLines(() => loadScenario(f))).toEqual([
      `${f}:7:20 network.partitions[0].groups[0][1]: node 4 does not exist (phold.lps is 4, so ids are 0..3)`,
      `${f}:10:17 network.rules[0].from[1]: node 9 does not exist (phold.lps is 4, so ids are 0..3)`,
    ]);
  });

  it("checks node ids against the selected model's node count (pbft: replicas + clients)", () => {
    const ok = resolve("model: pbft\nnetwork:\n  partitions: [{at: 1, isolate: 5}]\npbft: {n: 4, clients: {count: 2}}\nphold: {lps: 2}\n");
    expect(ok.network.partitions[0]!.isolate).toBe(5);
    expect(bad("model: pbft\nnetwork:\n  partitions: [{at: 1, isolate: 6}]\npbft: {n: 4, clients: {count: 2}}\n")).toHaveLength(1);
  });

  it("latency: lognormal by median or mu, not both", () => {
    expect(resolve("model: phold\nnetwork: {latency: {model: lognormal, mu: -3, sigma: 0.2}}").network.latency).toEqual({
      model: "lognormal",
      mu: -3,
      sigma: 0.2,
    });
    expect(bad("model: phold\nnetwork:\n  latency: {model: lognormal, mu: -3, median: 0.05, sigma: 0.2}")).toEqual([
      "n.yaml:3:47 network.latency.median: give either \"mu\" or \"median\", not both",
    ]);
    expect(bad("model: phold\nnetwork:\n  latency: {model: lognormal, sigma: 0.2}")).toEqual([
      'n.yaml:3:12 network.latency: needs either "mu" or "median"',
    ]);
  });

  it("latency: uniform max >= min, pareto and normal bounds", () => {
    expect(bad("model: phold\nnetwork:\n  latency: {model: uniform, min: 0.2, max: 0.1}")).toEqual([
      "n.yaml:3:44 network.latency.max: must be >= min (0.2), got 0.1",
    ]);
    expect(bad("model: phold\nnetwork:\n  latency: {model: pareto, scale: 0, shape: 1.5}")).toEqual([
      "n.yaml:3:35 network.latency.scale: must be > 0, got 0",
    ]);
    expect(bad("model: phold\nnetwork:\n  latency: {model: normal, mean: 0.1}")).toEqual([
      'n.yaml:3:12 network.latency.stddev: missing required key "stddev"',
    ]);
  });

  it("latency: region matrix must match the regions, assignment must name known regions per node", () => {
    const text = [
      "model: phold",
      "phold: {lps: 3}",
      "network:",
      "  latency:",
      "    model: regions",
      "    regions: [eu, us]",
      "    matrix: [[0.01, 0.1], [0.1]]",
      "    assignment: [eu, uss]",
    ].join("\n");
    expect(bad(text)).toEqual([
      "n.yaml:7:27 network.latency.matrix[1]: must have 2 entries (one per region), got 1",
      'n.yaml:8:22 network.latency.assignment[1]: unknown region "uss" (did you mean "us"?)',
    ]);
    const fixed = text.replace("[0.1]]", "[0.1, 0.01]]").replace("uss]", "us]");
    expect(bad(fixed)).toEqual([
      "n.yaml:8:17 network.latency.assignment: must name one region per node: phold.lps is 3, got 2",
    ]);
    const ok = resolve(fixed.replace("assignment: [eu, us]", "jitter: {model: constant, value: 0.001}"));
    expect(ok.network.latency).toMatchObject({ model: "regions", assignment: "roundRobin", jitter: { model: "constant" } });
  });

  it("partitions: groups or isolate, heal after at", () => {
    expect(bad("model: phold\nnetwork:\n  partitions:\n    - {at: 3, heal: 3, isolate: 1, groups: [[0]]}")).toEqual([
      "n.yaml:4:21 network.partitions[0].heal: must be > at (3), got 3",
      'n.yaml:4:33 network.partitions[0].isolate: give either "groups" or "isolate", not both',
    ]);
  });

  it("random partitions and rules: windows, delay only for delay rules", () => {
    const text = [
      "model: phold",
      "network:",
      "  randomPartitions: {meanInterval: 5, meanDuration: 1, start: 10, end: 10}",
      "  rules:",
      "    - {action: delay, kind: [prepare]}",
      "    - {action: drop, delay: 1}",
      "    - {action: dup}",
    ].join("\n");
    expect(bad(text)).toEqual([
      "n.yaml:3:72 network.randomPartitions.end: must be > start (10), got 10",
      'n.yaml:5:7 network.rules[0].delay: missing required key "delay"',
      'n.yaml:6:22 network.rules[1].delay: unknown key "delay"',
      'n.yaml:7:16 network.rules[2].action: must be one of "drop", "delay", "duplicate", "hold", "redirect", got "dup"',
    ]);
    const s = resolve("model: phold\nnetwork:\n  randomPartitions: {meanInterval: 5, meanDuration: 1}");
    expect(s.network.randomPartitions).toEqual({ mode: "isolate", meanInterval: 5, meanDuration: 1, start: 0 });
  });

  it("spikes need until after at and positive extra latency", () => {
    expect(bad("model: phold\nnetwork:\n  spikes: [{at: 5, until: 4, extra: 0.1}]")).toEqual([
      "n.yaml:3:27 network.spikes[0].until: must be > at (5), got 4",
    ]);
  });

  it("bandwidth is positive or null", () => {
    expect(resolve("model: phold\nnetwork: {bandwidth: 1e6}").network.bandwidth).toBe(1e6);
    expect(bad("model: phold\nnetwork: {bandwidth: 0}")).toEqual(["n.yaml:2:22 network.bandwidth: must be >= 1, got 0"]);
  });
});
