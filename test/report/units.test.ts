// Units for axis titles, from potsim's naming conventions and the table in report/units.ts.

import { describe, expect, it } from "vitest";
import { nonNegative, unitOf } from "../../src/report/units.js";

describe("unitOf", () => {
  it.each([
    ["rewardsByClass.meta.miningStos", "STOS"],
    ["issuance.minedPerYearStos", "STOS/year"],
    ["consensus.latency.p50_s", "s"],
    ["users.demandNoz", "noz"],
    ["mining_wei", "wei"],
    ["throughput_rps", "requests/s"],
    ["rewardsByClass.giniResource", "Gini coefficient, 0–1"],
    ["issuance.inflationPerYear", "fraction of supply per year"],
    ["consensus.viewChanges", "count"],
    ["consensus.requestsIssued", "count"],
    ["reports.accepted", "count"],
    ["network.loss", "probability"],
    ["economics.communityTax", "fraction"],
    ["economics.users.prepayStos", "STOS"],
    ["pbft.n", "replicas"],
    ["traffic.sizes.median", "bytes"],
    ["network.latency.median", "s"],
    ["market.ozonePrice", "wei/noz"],
    ["some.unknownRatio", "unitless"],
  ])("%s → %s", (name, unit) => {
    expect(unitOf(name)).toBe(unit);
  });

  it("treats every quantity with a known unit as non-negative, and unknown ones as possibly negative", () => {
    expect(nonNegative("users.prepays")).toBe(true);
    expect(nonNegative("some.unknownRatio")).toBe(false);
  });
});
