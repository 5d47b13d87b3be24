// Scenario sections of the PoT model (economics, traffic, attacks): validation with positions,
// defaults, the shipped tokenomics scenario on a few epochs, and resource-node capacity.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { STOS } from "../../../src/protocols/pot/index.js";
import { loadScenario, parseScenarioText, resolveScenario } from "../../../src/scenario/index.js";
import { PotWorld } from "../../../src/world/pot/world.js";
import { runScenario } from "../../../src/world/run.js";
import { potScenario, runPot, type Summary, table } from "./support.js";

const root = join(import.meta.dirname, "..", "..", "..");

function errors(text: string): string[] {
  try {
    resolveScenario(parseScenarioText(text, "s.yaml"));
    return [];
  } catch (e) {
    return String((e as Error).message).split("\n");
  }
}

describe("PoT scenario sections", () => {
  it("fills defaults", () => {
    const s = potScenario();
    expect(s.economics).toMatchObject({
      genesis: "mainnet",
      strictSigners: false,
      gateways: 2,
      metaNodes: { count: 7, depositStos: 9900 },
      resourceNodes: { count: 30, depositStos: 100, graceEpochs: 2, slashNoz: 0 },
    });
    expect(s.traffic).toMatchObject({ mode: "aggregated", uploadFraction: 0.1, churn: null, catalog: { files: 100, zipfExponent: 0.8, replicas: 3 } });
    expect(s.attacks).toBeNull();
    const a = potScenario({ attacks: { coalitions: [{ members: [1, 2] }] } });
    expect(a.attacks).toEqual({
      coalitions: [{ members: [1, 2], factor: 2, mode: "scale", padSigners: false, fromEpoch: 1 }],
      sybils: [],
      offline: [],
    });
  });

  it("reports mistakes with file, line, column and key path", () => {
    expect(errors("model: pot\npbft: {n: 4}")).toEqual(['s.yaml:1:1 economics: section is required when model is "pot"']);
    expect(errors("model: pot\npbft: {n: 4}\neconomics: {}\nattacks: {coalitions: [{members: [0], fromEpoch: 5, toEpoch: 2}]}")).toEqual([
      "s.yaml:4:62 attacks.coalitions[0].toEpoch: must be >= fromEpoch (5), got 2",
    ]);
    expect(errors("model: pot\npbft: {n: 4}\neconomics: {}\nattacks: {offline: [{at: 1, duration: 2}]}")[0]).toMatch(
      /attacks\.offline\[0\]: give exactly one of "count" and "nodes"/,
    );
    expect(
      errors("model: pot\npbft: {n: 4}\neconomics: {}\ntraffic: {users: [{count: 1, arrival: {model: poisson, rate: 1}}], sizes: {model: lognormal, sigma: 1}}")[0],
    ).toMatch(/traffic\.sizes: give exactly one of median and mu/);
    expect(errors("model: pot\npbft: {n: 4}\neconomics: {epochLenght: 5}")[0]).toMatch(/economics\.epochLenght: unknown key/);
  });

  it("validation, and the world behind it, refuse coalition members that are not meta nodes", () => {
    expect(() => potScenario({ attacks: { coalitions: [{ members: [7] }] } })).toThrow(
      /attacks\.coalitions\[0\]\.members\[0\]: meta node 7 does not exist \(economics\.metaNodes\.count is 7\)/,
    );
    const s = potScenario({ attacks: { coalitions: [{ members: [6] }] } });
    s.attacks!.coalitions[0]!.members = [7];
    expect(() => new PotWorld(s, 1)).toThrow(/meta node 7 does not exist/);
  });

  it("tokenomics.yaml: a mainnet-like genesis paying 80 STOS per report in stage 1", () => {
    const full = loadScenario(join(root, "scenarios/tokenomics.yaml"));
    expect(full.model).toBe("pot");
    expect(Math.floor(full.until / full.economics!.epochLength)).toBe(52_560);
    const s = loadScenario(join(root, "scenarios/tokenomics.yaml"), { overrides: ["economics.epochs=24", "until=14460"] });
    const r = runScenario(s);
    const sum = r.summary as Summary;
    expect(r.violations).toEqual([]);
    expect(sum.supplyOk).toBe(true);
    expect(sum.reports.accepted).toBe(24);
    expect(sum.issuance.stage).toBe(1);
    expect(sum.issuance.minedStos).toBeCloseTo(24 * 80, 6);
    expect(sum.issuance.totalMinedStos).toBeCloseTo(1_000_000 + 24 * 80, 6);
    expect(sum.resourceNodes.count).toBe(1000);
    const e = table(r, "epochs");
    // S = 7 × 9,900 + 1,000 × 1,000 STOS; the price starts at r = 10^6 wei/noz (prepays then lift it a little)
    expect(e[0]!.S_wei).toBe(1_069_300n * STOS);
    expect(Math.abs(Number(e[0]!.ozone_price) / 1e6 - 1)).toBeLessThan(1e-2);
    expect(Number(e[0]!.entries)).toBeGreaterThan(300);
    // Every declared actor class acted: no warning.
    expect(sum.warnings).toEqual([]);
  });
});

describe("resource-node capacity", () => {
  for (const mode of ["aggregated", "perRequest"]) {
    it(`${mode}: nodes serve at most their capacity per epoch; the rest is unserved`, () => {
      const over = {
        economics: { users: { initialStos: 10, prepayStos: 1 } },
        traffic: { mode, users: [{ count: 40, arrival: { model: "poisson", rate: 0.05 } }], sizes: { model: "constant", bytes: 1_000_000 } },
      };
      const free = runPot(over).summary as Summary;
      const capped = runPot({ ...over, economics: { ...over.economics, resourceNodes: { capacity: 20_000 } } });
      const s = capped.summary as Summary;
      expect(capped.violations).toEqual([]);
      expect(s.users.servedNoz).toBeLessThan(free.users.servedNoz * 0.9);
      expect(s.users.unservedRequests).toBeGreaterThan(free.users.unservedRequests);
      // per epoch: 30 nodes × 20,000 B/s × 60 s (+ one 1 MB request per node in per-request mode)
      const bound = 30 * (20_000 * 60 + (mode === "perRequest" ? 3_000_000 : 0));
      for (const e of table(capped, "epochs")) expect(Number(e.volume_noz)).toBeLessThanOrEqual(bound);
    });
  }
});
