// Numbers for people: the time unit of a chart axis from the run's span, durations, thousands
// separators, the ozone price's byte unit; and units for axis titles, from potsim's naming
// conventions and the table in report/units.ts.

import { describe, expect, it } from "vitest";
import { byteUnit, formatCount, formatDuration, formatNumber, nonNegative, ozonePriceUnit, timeUnitFor, unitOf } from "../../src/report/units.js";

describe("time axes in the unit that fits the span", () => {
  it("seconds up to 5 minutes, minutes up to 5 hours, hours up to 3 days, days beyond", () => {
    const unit = (s: number) => timeUnitFor(s).unit;
    expect([30, 300].map(unit)).toEqual(["s", "s"]);
    expect([301, 1_200, 18_000].map(unit)).toEqual(["min", "min", "min"]);
    expect([18_001, 86_400, 259_200].map(unit)).toEqual(["h", "h", "h"]);
    expect([259_201, 864_000, 31_536_060].map(unit)).toEqual(["days", "days", "days"]);
    expect(timeUnitFor(864_000).seconds).toBe(86_400);
    // a run that reached no time at all still gets an axis
    expect(unit(0)).toBe("s");
  });

  it("durations read in the same units", () => {
    expect(formatDuration(0.06421700452974571)).toBe("0.0642 s");
    expect(formatDuration(200)).toBe("200 s");
    expect(formatDuration(1_200)).toBe("20 min");
    expect(formatDuration(36_000)).toBe("10 h");
    expect(formatDuration(864_000)).toBe("10 days");
    expect(formatDuration(31_536_060)).toBe("365 days");
  });
});

describe("numbers", () => {
  it("thousands separators, significant digits, integers kept whole", () => {
    expect(formatCount(26_197)).toBe("26,197");
    expect(formatCount(1_000_000)).toBe("1,000,000");
    expect(formatNumber(115_120, 4)).toBe("115,120");
    expect(formatNumber(0.003181300, 4)).toBe("0.003181");
    expect(formatNumber(1_001_678.4, 7)).toBe("1,001,678");
    expect(formatNumber(-1234.5678, 6)).toBe("-1,234.57");
  });

  it("the ozone price as STOS per the smallest byte unit where it reaches 1 STOS", () => {
    // 10^6 wei per noz (1 noz pays for 1 byte): 10^6 × 10^12 bytes / 10^18 = 1 STOS per TB
    expect(ozonePriceUnit(1e6)).toEqual({ unit: "STOS per TB", factor: 1e-6 });
    expect(ozonePriceUnit(5e9).unit).toBe("STOS per GB");
    expect(ozonePriceUnit(2e15).unit).toBe("STOS per kB");
    expect(ozonePriceUnit(1).unit).toBe("STOS per EB");
  });

  it("byte amounts with a decimal prefix", () => {
    expect(byteUnit(73.3e15)).toEqual({ unit: "PB", bytes: 1e15 });
    expect(byteUnit(999)).toEqual({ unit: "bytes", bytes: 1 });
    expect(byteUnit(1.07e18).unit).toBe("EB");
  });
});

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
