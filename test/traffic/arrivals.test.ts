// Arrival processes: Poisson counts, diurnal integral and hourly shape, on/off mean rate and
// burstiness, trace replay, determinism.

import { describe, expect, it } from "vitest";
import type { Stream } from "../../src/kernel/index.js";
import { type ArrivalProcess, createArrival, DEFAULT_DIURNAL_PERIOD, DiurnalArrival, OnOffArrival } from "../../src/traffic/index.js";
import { moments, relErr, stream } from "./support.js";

/** Arrival times in [0, horizon). */
function arrivals(p: ArrivalProcess, rng: Stream, horizon: number): number[] {
  const out: number[] = [];
  for (let t = p.nextArrival(0, rng); t < horizon; t = p.nextArrival(t, rng)) out.push(t);
  return out;
}

function countsPerWindow(times: number[], width: number, windows: number): Float64Array {
  const c = new Float64Array(windows);
  for (const t of times) c[Math.floor(t / width)]!++;
  return c;
}

describe("poisson arrivals", () => {
  it("window counts have mean and variance rate·width", () => {
    const p = createArrival({ model: "poisson", rate: 2 });
    const windows = 5000;
    const c = countsPerWindow(arrivals(p, stream("poisson"), windows * 10), 10, windows);
    const m = moments(c);
    expect(Math.abs(m.mean - 20)).toBeLessThan(0.3);
    expect(Math.abs(m.variance - 20)).toBeLessThan(2);
    expect(p.expectedCount(5, 15)).toBe(20);
    expect(p.rate(123)).toBe(2);
  });

  it("zero rate never arrives", () => {
    expect(createArrival({ model: "poisson", rate: 0 }).nextArrival(0, stream(1))).toBe(Number.POSITIVE_INFINITY);
  });

  it("arrivals are strictly increasing", () => {
    const ts = arrivals(createArrival({ model: "poisson", rate: 5 }), stream("inc"), 1000);
    expect(ts.every((t, i) => i === 0 || t > ts[i - 1]!)).toBe(true);
  });
});

describe("diurnal arrivals", () => {
  const cfg = { model: "diurnal", meanRate: 0.2, amplitude: 0.6, peakHour: 14 } as const;

  it("expectedCount is the exact integral of rate", () => {
    const p = new DiurnalArrival(cfg);
    expect(relErr(p.expectedCount(0, 86_400), 0.2 * 86_400)).toBeLessThan(1e-12);
    expect(relErr(p.expectedCount(3600, 3600 + 5 * 86_400), 0.2 * 5 * 86_400)).toBeLessThan(1e-12);
    // Simpson's rule on an arbitrary window.
    const [a, b, n] = [1234.5, 98_765.4, 20_000];
    const h = (b - a) / n;
    let s = p.rate(a) + p.rate(b);
    for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * p.rate(a + i * h);
    expect(relErr(p.expectedCount(a, b), (s * h) / 3)).toBeLessThan(1e-10);
    expect(p.expectedCount(10, 10)).toBe(0);
    expect(p.rate(14 * 3600)).toBeCloseTo(0.32, 12);
    expect(p.rate(2 * 3600)).toBeCloseTo(0.08, 12);
  });

  it("honours a custom period", () => {
    const p = new DiurnalArrival({ ...cfg, period: 3600 });
    expect(p.rate((14 / 24) * 3600)).toBeCloseTo(0.32, 12);
    expect(relErr(p.expectedCount(0, 3600), 0.2 * 3600)).toBeLessThan(1e-12);
  });

  it("hourly counts follow the sinusoid (peak hour busier than trough)", () => {
    const p = new DiurnalArrival(cfg);
    const days = 20;
    const ts = arrivals(p, stream("diurnal"), days * DEFAULT_DIURNAL_PERIOD);
    const byHour = new Float64Array(24);
    for (const t of ts) byHour[Math.floor((t % DEFAULT_DIURNAL_PERIOD) / 3600)]!++;
    for (let h = 0; h < 24; h++) {
      const expected = days * p.expectedCount(h * 3600, (h + 1) * 3600);
      expect(Math.abs(byHour[h]! - expected)).toBeLessThan(5 * Math.sqrt(expected));
    }
    expect(byHour[14]! / byHour[2]!).toBeGreaterThan(3);
    expect(relErr(ts.length, p.expectedCount(0, days * DEFAULT_DIURNAL_PERIOD))).toBeLessThan(0.02);
  });
});

describe("on/off arrivals", () => {
  const cfg = { model: "onOff", onRate: 5, offRate: 0.5, meanOn: 10, meanOff: 40 } as const;
  const meanRate = (5 * 10 + 0.5 * 40) / 50;

  it("long-run rate is the stationary mean; counts are over-dispersed", () => {
    const p = new OnOffArrival(cfg, stream("path"));
    expect(p.meanRate).toBeCloseTo(meanRate, 12);
    expect(p.expectedCount(0, 100)).toBeCloseTo(meanRate * 100, 10);
    const horizon = 200_000;
    const ts = arrivals(p, stream("draws"), horizon);
    expect(relErr(ts.length / horizon, meanRate)).toBeLessThan(0.05);
    const m = moments(countsPerWindow(ts, 60, horizon / 60));
    expect(m.variance / m.mean).toBeGreaterThan(3); // Poisson would give 1
  });

  it("spends meanOn/(meanOn+meanOff) of the time on and reports its state rate", () => {
    const p = new OnOffArrival(cfg, stream("path2"));
    let on = 0;
    let badRate = 0;
    const samples = 100_000;
    for (let i = 0; i < samples; i++) {
      const t = i * 5;
      const r = p.rate(t);
      if (p.isOn(t) ? r !== 5 : r !== 0.5) badRate++;
      if (p.isOn(t)) on++;
    }
    expect(badRate).toBe(0);
    expect(Math.abs(on / samples - 0.2)).toBeLessThan(0.02);
    expect(p.rate(-1)).toBeCloseTo(meanRate, 12);
    expect(() => p.isOn(-1)).toThrow(/no longer known/);
  });

  it("offRate defaults to 0 (no arrivals while off)", () => {
    const p = new OnOffArrival({ model: "onOff", onRate: 2, meanOn: 5, meanOff: 20 }, stream("p3"));
    const r = stream("d3");
    let n = 0;
    let off = 0;
    for (let t = p.nextArrival(0, r); t < 50_000; t = p.nextArrival(t, r)) {
      n++;
      if (!p.isOn(t)) off++;
    }
    expect(off).toBe(0);
    expect(relErr(n / 50_000, 2 * 0.2)).toBeLessThan(0.08);
  });

  it("needs its own stream", () => {
    expect(() => createArrival(cfg)).toThrow(/modulation/);
  });
});

describe("trace arrivals", () => {
  it("replays sorted times, duplicates included, then stops", () => {
    const p = createArrival({ model: "trace", times: [30, 10, 20, 20, 50] });
    const r = stream(1);
    const got: number[] = [];
    for (let t = p.nextArrival(0, r); t !== Number.POSITIVE_INFINITY; t = p.nextArrival(t, r)) got.push(t);
    expect(got).toEqual([10, 20, 20, 30, 50]);
    expect(p.expectedCount(10, 30)).toBe(3);
    expect(p.expectedCount(0, 100)).toBe(5);
    expect(p.rate(25)).toBeCloseTo(5 / 40, 12);
    expect(p.rate(60)).toBe(0);
  });

  it("skips times before the first query", () => {
    const p = createArrival({ model: "trace", times: [1, 2, 3] });
    expect(p.nextArrival(2.5, stream(1))).toBe(3);
  });
});

describe("determinism", () => {
  it("same seed, same arrivals; another seed, other arrivals", () => {
    const cfgs = [
      { model: "poisson", rate: 1 },
      { model: "diurnal", meanRate: 1, amplitude: 0.5, peakHour: 3 },
      { model: "onOff", onRate: 3, meanOn: 5, meanOff: 5 },
    ] as const;
    for (const c of cfgs) {
      const run = (seed: number) => arrivals(createArrival(c, stream(seed, "mod")), stream(seed), 200);
      expect(run(7)).toEqual(run(7));
      expect(run(7)).not.toEqual(run(8));
    }
  });
});
