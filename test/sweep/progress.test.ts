import { describe, expect, it, vi } from "vitest";
import { progressPrinter } from "../../src/sweep/progress.js";

function sink(isTTY: boolean) {
  const lines: string[] = [];
  return { lines, stream: { isTTY, write: (s: string) => lines.push(s) } };
}

describe("sweep progress", () => {
  it("prints plain lines every interval when stderr is not a TTY", () => {
    vi.useFakeTimers();
    try {
      const { lines, stream } = sink(false);
      const p = progressPrinter("sweep x", stream, 5_000);
      p.update({ done: 0, total: 10, failed: 0, skipped: 0 });
      vi.advanceTimersByTime(1_000);
      p.update({ done: 1, total: 10, failed: 0, skipped: 0 });
      expect(lines).toEqual([]);
      vi.advanceTimersByTime(5_000);
      p.update({ done: 4, total: 10, failed: 1, skipped: 0 });
      expect(lines).toEqual(["sweep x: 4/10 failed 1 eta 9s\n"]);
      p.finish({ done: 10, total: 10, failed: 1, skipped: 0 });
      expect(lines.at(-1)).toBe("sweep x: 10/10 done, 1 failed, 6.0s\n");
    } finally {
      vi.useRealTimers();
    }
  });

  it("draws a bar on a TTY", () => {
    const { lines, stream } = sink(true);
    const saved = process.env.CI;
    delete process.env.CI;
    try {
      const p = progressPrinter("sweep y", stream);
      p.update({ done: 5, total: 10, failed: 0, skipped: 0 });
      expect(lines[0]).toMatch(/^\rsweep y \[#{15}\.{15}\] 5\/10/);
    } finally {
      if (saved !== undefined) process.env.CI = saved;
    }
  });
});
