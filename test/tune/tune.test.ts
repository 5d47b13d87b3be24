// `sim tune` through runTune: the search finds a planted optimum within its budget, ranks
// constraints before objective, is a function of its seed, and writes a runnable best.yaml.
// The synthetic runner stands in for the world at the task-runner seam (the same interface the
// Piscina pool implements); everything else — spec parsing, candidate → scenario resolution,
// CMA-ES, ranking, outputs — is the production path.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../src/scenario/index.js";
import { runTune } from "../../src/tune/index.js";
import { type PotKnobs, syntheticRunner, tempDir, tuneFile } from "./support.js";

const TAX = 0.123;
const PREPAY = 0.00042;
const NODES = 37;

/** A bowl with its minimum at (TAX, PREPAY, NODES) plus seeded noise of ±0.0005. */
function planted(s: PotKnobs, seed: number): Record<string, number> {
  const e = s.economics;
  const loss =
    ((e.communityTax - TAX) / 0.2) ** 2 +
    ((Math.log10(e.users.prepayStos) - Math.log10(PREPAY)) / 3) ** 2 +
    ((e.resourceNodes.count - NODES) / 40) ** 2 +
    ((seed % 1000) / 1000 - 0.5) * 0.001;
  return { "synthetic.loss": loss, "synthetic.tax": e.communityTax };
}

const PLANTED = `  params:
    economics.communityTax: { min: 0, max: 0.2 }
    economics.users.prepayStos: { min: 0.00001, max: 0.01, log: true }
    economics.resourceNodes.count: { min: 10, max: 50, integer: true }
  objective:
    minimize: synthetic.loss
  replicates: 2
  budget: 420
  seed: 11
`;

describe("sim tune (synthetic objective)", () => {
  it("finds the planted optimum within its budget, with a runnable best.yaml", async () => {
    const dir = tempDir("planted");
    const file = tuneFile(dir, PLANTED);
    const runner = syntheticRunner(planted);
    const out = join(dir, "out");
    const r = await runTune(file, { out, runner });
    expect(r.evaluations.length).toBeLessThanOrEqual(420);
    expect(runner.calls).toBe(r.evaluations.length * 2);
    const [tax, prepay, nodes] = r.best!.values;
    expect(Math.abs(tax! - TAX)).toBeLessThan(0.01);
    expect(Math.abs(Math.log10(prepay!) - Math.log10(PREPAY))).toBeLessThan(0.1);
    expect(Math.abs(nodes! - NODES)).toBeLessThanOrEqual(1);
    const best = loadScenario(join(out, "best.yaml"));
    expect(best.economics?.communityTax).toBe(tax);
    expect(best.economics?.resourceNodes.count).toBe(nodes);
    expect(best.seed).toBe(r.best!.runs[0]!.seed);
    expect(readFileSync(join(out, "best.yaml"), "utf8")).toMatch(/sim run best\.yaml --seed \d+ {4}# replicate 1/);
    const csv = readFileSync(join(out, "tune.csv"), "utf8").split("\n");
    expect(csv[0]).toBe(
      "evaluation,generation,replicate,seed,economics.communityTax,economics.users.prepayStos,economics.resourceNodes.count,status,error,objective,feasible,violation,synthetic.loss,synthetic.tax",
    );
    expect(csv.length - 2).toBe(r.evaluations.length * 2);
  });

  it("is deterministic for a seed and differs for another", async () => {
    const dir = tempDir("det");
    const file = tuneFile(dir, PLANTED.replace("budget: 420", "budget: 60"));
    const csv = async (seed?: number) => {
      const out = join(dir, `out-${seed ?? "spec"}-${Math.random()}`);
      await runTune(file, { out, runner: syntheticRunner(planted), set: seed === undefined ? [] : [`tune.seed=${seed}`] });
      return readFileSync(join(out, "tune.csv"), "utf8");
    };
    const a = await csv();
    expect(await csv()).toBe(a);
    expect(await csv(12)).not.toBe(a);
  });

  it("ranks feasible candidates first: the best meets the constraint even where the objective is lower outside it", async () => {
    const dir = tempDir("constraint");
    const file = tuneFile(
      dir,
      PLANTED.replace("minimize: synthetic.loss", "minimize: synthetic.loss\n  constraints:\n    - synthetic.tax >= 0.16").replace("budget: 420", "budget: 240"),
    );
    const r = await runTune(file, { out: join(dir, "out"), runner: syntheticRunner(planted) });
    expect(r.best!.feasible).toBe(true);
    expect(r.best!.values[0]).toBeGreaterThanOrEqual(0.16);
    expect(r.best!.values[0]).toBeLessThan(0.17);
    expect(r.evaluations.some((e) => !e.feasible && e.objective! < r.best!.objective!)).toBe(true);
  });

  it("explains an objective that names no metric", async () => {
    const dir = tempDir("badexpr");
    const file = tuneFile(dir, PLANTED.replace("minimize: synthetic.loss", "minimize: synthetic.los"));
    await expect(runTune(file, { out: join(dir, "out"), runner: syntheticRunner(planted) })).rejects.toThrow(/synthetic\.los/);
  });

  it("rejects a constraint that is not a comparison, at its line", async () => {
    const dir = tempDir("badconstraint");
    const file = tuneFile(dir, PLANTED.replace("minimize: synthetic.loss", "minimize: synthetic.loss\n  constraints:\n    - synthetic.tax + 1"));
    await expect(runTune(file, { out: join(dir, "out"), runner: syntheticRunner(planted) })).rejects.toThrow(
      /tune\.yaml:\d+:\d+ tune\.constraints\[0\]: .*must be a comparison/,
    );
  });
});
