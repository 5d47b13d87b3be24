// Node churn: alternating exponential up/down periods with up-fraction meanUp/(meanUp+meanDown).

import { describe, expect, it } from "vitest";
import { Churn } from "../../src/traffic/index.js";
import { stream } from "./support.js";

describe("churn", () => {
  const cfg = { meanUp: 100, meanDown: 25 };

  it("event-driven: time-weighted up fraction ≈ meanUp/(meanUp+meanDown)", () => {
    const churn = new Churn(cfg, 1);
    const r = stream("churn");
    churn.initialState(0, r);
    const horizon = 1e6;
    let t = 0;
    let upTime = 0;
    let flips = 0;
    while (t < horizon) {
      const next = Math.min(churn.nextTransition(0, t, r), horizon);
      if (churn.isUp(0)) upTime += next - t;
      t = next;
      if (t < horizon) {
        churn.flip(0);
        flips++;
      }
    }
    expect(churn.upFraction).toBeCloseTo(0.8, 12);
    expect(Math.abs(upTime / horizon - 0.8)).toBeLessThan(0.02);
    expect(Math.abs(flips - (2 * horizon) / 125)).toBeLessThan(0.05 * ((2 * horizon) / 125));
  });

  it("aggregated stepping: fraction of nodes up at sample times ≈ up fraction", () => {
    const churn = new Churn(cfg, 200);
    const r = stream("churn-all");
    churn.initAll(0, r);
    let up = 0;
    let samples = 0;
    for (let t = 600; t <= 600 * 500; t += 600) {
      churn.advanceTo(t, r);
      for (let n = 0; n < 200; n++) if (churn.online(n)) up++;
      samples += 200;
    }
    expect(Math.abs(up / samples - 0.8)).toBeLessThan(0.02);
  });

  it("initial states are stationary and advanceTo needs initAll", () => {
    const churn = new Churn(cfg, 10_000);
    const r = stream("init");
    let up = 0;
    for (let n = 0; n < 10_000; n++) if (churn.initialState(n, r)) up++;
    expect(Math.abs(up / 10_000 - 0.8)).toBeLessThan(0.02);
    expect(() => churn.advanceTo(10, r)).toThrow(/initAll/);
  });

  it("rejects non-positive means", () => {
    expect(() => new Churn({ meanUp: 0, meanDown: 1 }, 1)).toThrow(/meanUp/);
  });
});
