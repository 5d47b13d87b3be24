// `--set key.path=value` overrides.

import { describe, expect, it } from "vitest";
import { applyOverrides, loadScenario, readScenarioDoc, resolveScenario, toPlain } from "../../src/scenario/index.js";
import { errorLines, fixture } from "./helpers.js";

const minimal = () => readScenarioDoc(fixture("minimal.yaml"));

describe("--set overrides", () => {
  it("sets scalars, creating intermediate mappings", () => {
    const s = loadScenario(fixture("minimal.yaml"), {
      overrides: ["network.loss=0.1", "phold.lps=7", "seed=99", "network.reorder.probability=0.2", "network.reorder.maxDelay=0.01"],
    });
    expect(s.network.loss).toBe(0.1);
    expect(s.phold.lps).toBe(7);
    expect(s.seed).toBe(99);
    expect(s.network.reorder).toEqual({ probability: 0.2, maxDelay: 0.01 });
  });

  it("accepts flow values and null", () => {
    const s = loadScenario(fixture("full-network.yaml"), {
      overrides: ["network.latency={model: uniform, min: 0.01, max: 0.03}", "network.bandwidth=null", "network.spikes=[]"],
    });
    expect(s.network.latency).toEqual({ model: "uniform", min: 0.01, max: 0.03 });
    expect(s.network.bandwidth).toBeNull();
    expect(s.network.spikes).toEqual([]);
  });

  it("indexes lists with [i] or .i, and may append at the end", () => {
    const s = loadScenario(fixture("full-network.yaml"), {
      overrides: ["network.partitions[0].heal=25", "network.rules.1.delay=0.5", "network.spikes[1]={at: 60, until: 61, extra: 1}"],
    });
    expect(s.network.partitions[0]!.heal).toBe(25);
    expect(s.network.rules[1]).toMatchObject({ action: "delay", delay: 0.5 });
    expect(s.network.spikes).toHaveLength(2);
  });

  it("later overrides win", () => {
    expect(loadScenario(fixture("minimal.yaml"), { overrides: ["seed=2", "seed=3"] }).seed).toBe(3);
  });

  it("does not modify the document it was given", () => {
    const doc = minimal();
    const before = JSON.stringify(toPlain(doc.root));
    const after = applyOverrides(doc, ["phold.lps=3"]);
    expect(JSON.stringify(toPlain(doc.root))).toBe(before);
    expect(resolveScenario(after).phold.lps).toBe(3);
  });

  it("applyOverrides throws for malformed overrides, naming --set", () => {
    expect(errorLines(() => applyOverrides(minimal(), ["ok=1", "=3", "a.b"]))).toEqual([
      '--set:2:1 expected key.path=value, got "=3"',
      '--set:3:1 expected key.path=value, got "a.b"',
    ]);
  });

  it("reports validation errors of several overrides together with file errors", () => {
    expect(
      errorLines(() => loadScenario(fixture("neg-mean.yaml"), { overrides: ["until=0", "phold.remote=2"] })),
    ).toEqual([
      `${fixture("neg-mean.yaml")}:6:11 network.latency.mean: must be > 0, got -3`,
      "--set:1:7 until: must be > 0, got 0",
      "--set:2:14 phold.remote: must be <= 1, got 2",
    ]);
  });
});
