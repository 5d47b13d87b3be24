// What runScenario takes from the scenario and from its options: check.stopOnViolation, and an
// --until override that reaches the world (an economy plans its epochs from it).
import { describe, expect, it } from "vitest";
import { formatOutcome } from "../../src/cli/outcome.js";
import { run, scenario } from "./support.js";

describe("runScenario options", () => {
  it("check.stopOnViolation stops the run at its first violation; without it the run goes on", () => {
    const all = run("scenarios/beyond-f.yaml");
    expect(all.simTime).toBe(30);
    expect(all.violations.length).toBeGreaterThan(1);
    const stopped = run("scenarios/beyond-f.yaml", ["check.stopOnViolation=true"]);
    expect(stopped.violations).toHaveLength(1);
    expect(stopped.simTime).toBe(all.violations[0]!.time);
    expect(stopped.violations[0]).toEqual(all.violations[0]);
    // an explicit option wins over the scenario
    expect(run("scenarios/beyond-f.yaml", ["check.stopOnViolation=true"], { stopOnViolation: false }).simTime).toBe(30);
  });

  it("the outcome says a run ended early at its first violation, not at maxEvents", () => {
    const s = scenario("scenarios/beyond-f.yaml", ["check.stopOnViolation=true"]);
    const r = run("scenarios/beyond-f.yaml", ["check.stopOnViolation=true"]);
    const manifest = { scenario: s, seed: r.seed, until: r.until, simTime: r.simTime, events: r.events };
    const summary = { ...r.summary, simTime: r.simTime, violations: r.violations };
    const text = formatOutcome({ firstLine: "x", dir: "d", summary, manifest, charts: false });
    expect(text).toContain("at its first violation (check.stopOnViolation)");
    expect(text).not.toContain("maxEvents");
  });

  it("--until reaches the economy: the run equals one of a scenario whose until is that time", () => {
    const overridden = run("scenarios/tokenomics.yaml", [], { until: 600 * 40 });
    const edited = run("scenarios/tokenomics.yaml", [`until=${600 * 40}`]);
    expect(overridden.summary.epochs).toBe(40);
    expect(overridden.summary).toEqual(edited.summary);
    expect(overridden.tables).toEqual(edited.tables);
    expect(overridden.traceHash).toBe(edited.traceHash);
  });
});
