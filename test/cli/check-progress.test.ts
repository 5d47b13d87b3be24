// CheckProgress (cli/check-progress.ts): on a terminal one redrawn line with the time left; otherwise
// a plain line per tenth of the runs, at most ten lines however many runs.

import { describe, expect, it } from "vitest";
import { CheckProgress, formatEta } from "../../src/cli/check-progress.js";

function fake(tty: boolean) {
  const out: string[] = [];
  let t = 0;
  const p = new CheckProgress("check", { stream: { write: (s: string) => out.push(s) }, tty, now: () => t });
  return { out, p, advance: (ms: number) => (t += ms) };
}

describe("check progress", () => {
  it("terminal: redraws in place with done/total, failures and an ETA from the rate so far; clears at the end", () => {
    const { out, p, advance } = fake(true);
    advance(100);
    p.update(1, 100, 0); // too early: nothing drawn in the first half second
    expect(out).toEqual([]);
    advance(900); // 1 s for 10 runs: 90 left ≈ 9 s
    p.update(10, 100, 1);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^\rcheck \[#{3}\.{27}\] 10\/100, 1 failing, eta 9s\x1b\[K$/);
    advance(50);
    p.update(11, 100, 1); // within 200 ms of the last draw
    expect(out).toHaveLength(1);
    advance(9000);
    p.update(100, 100, 1); // the last update always draws, without an ETA
    expect(out[1]).toMatch(/^\rcheck \[#{30}\] 100\/100, 1 failing\x1b\[K$/);
    p.finish();
    expect(out[2]).toBe("\r\x1b[K");
  });

  it("not a terminal: one line per tenth, at most ten, never a carriage return", () => {
    const { out, p, advance } = fake(false);
    for (let i = 1; i <= 1000; i++) {
      advance(10);
      p.update(i, 1000, i > 500 ? 2 : 0);
    }
    p.finish();
    expect(out).toHaveLength(10);
    expect(out[0]).toBe("check: 10% (100/1000 runs, eta 9s)\n");
    expect(out[5]).toBe("check: 60% (600/1000 runs, 2 failing, eta 4s)\n");
    expect(out[9]).toBe("check: 100% (1000/1000 runs, 2 failing)\n");
    expect(out.join("")).not.toContain("\r");
    const few = fake(false);
    for (let i = 1; i <= 3; i++) few.p.update(i, 3, 0);
    expect(few.out.map((l) => l.split(" (")[0])).toEqual(["check: 33%", "check: 66%", "check: 100%"]);
  });

  it("formats the time left", () => {
    expect([formatEta(0.2), formatEta(59.5), formatEta(61), formatEta(3725), formatEta(Number.NaN)]).toEqual(["1s", "60s", "1m01s", "1h02m", ""]);
  });
});
