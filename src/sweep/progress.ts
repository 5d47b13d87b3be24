// sweep/progress: progress of a sweep on stderr. On a TTY: a redrawn bar with done/total,
// failures and ETA; otherwise a plain line about every 5 seconds. Wall-clock time is used for
// display only (never for results).
// May import: scenario, world, metrics, report, kernel.

export interface SweepProgress {
  /** Tasks finished, including those resumed from an earlier attempt and invalid points. */
  done: number;
  total: number;
  failed: number;
  /** Of `done`, how many were taken from the partial folder or needed no run. */
  skipped: number;
}

export interface ProgressPrinter {
  update(p: SweepProgress): void;
  /** Clears the bar and prints a final line. */
  finish(p: SweepProgress): void;
}

interface Writable {
  write(s: string): unknown;
  isTTY?: boolean;
}

export function progressPrinter(label: string, stream: Writable = process.stderr, intervalMs = 5_000): ProgressPrinter {
  const tty = stream.isTTY === true && process.env.CI === undefined;
  const start = Date.now();
  let last = 0;
  let drawn = false;
  let first: SweepProgress | undefined;
  const eta = (p: SweepProgress, now: number): string => {
    const base = first?.done ?? 0;
    const ran = p.done - base;
    if (ran <= 0 || p.done >= p.total) return "";
    const s = (((now - start) / ran) * (p.total - p.done)) / 1000;
    return s < 60 ? ` eta ${s.toFixed(0)}s` : ` eta ${(s / 60).toFixed(1)}m`;
  };
  const text = (p: SweepProgress, now: number) =>
    `${p.done}/${p.total}${p.failed > 0 ? ` failed ${p.failed}` : ""}${eta(p, now)}`;
  return {
    update(p) {
      first ??= p;
      const now = Date.now();
      if (tty) {
        if (now - last < 200 && p.done < p.total) return;
        last = now;
        const frac = p.total > 0 ? p.done / p.total : 1;
        const width = 30;
        const bar = "#".repeat(Math.round(frac * width)).padEnd(width, ".");
        stream.write(`\r${label} [${bar}] ${text(p, now)}\x1b[K`);
        drawn = true;
      } else if (now - last >= intervalMs) {
        if (last === 0) {
          last = now;
          return;
        }
        last = now;
        stream.write(`${label}: ${text(p, now)}\n`);
      }
    },
    finish(p) {
      if (drawn) stream.write("\r\x1b[K");
      const wall = ((Date.now() - start) / 1000).toFixed(1);
      stream.write(`${label}: ${p.done}/${p.total} done, ${p.failed} failed, ${wall}s\n`);
    },
  };
}
