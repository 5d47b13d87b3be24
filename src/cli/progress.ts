// Progress on stderr for long runs: only when stderr is a TTY and after the first second.

export class Progress {
  private readonly start = Date.now();
  private lastDraw = 0;
  private drawn = false;
  private readonly enabled: boolean;

  constructor(private readonly label: string) {
    this.enabled = process.stderr.isTTY === true && process.env.CI === undefined;
  }

  update(done: number, total: number, detail = ""): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.start < 1000 || now - this.lastDraw < 200) return;
    this.lastDraw = now;
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const width = 30;
    const bar = "#".repeat(Math.round(frac * width)).padEnd(width, ".");
    const elapsed = (now - this.start) / 1000;
    const eta = frac > 0 ? elapsed / frac - elapsed : Number.NaN;
    const etaText = Number.isFinite(eta) ? ` eta ${eta.toFixed(0)}s` : "";
    process.stderr.write(`\r${this.label} [${bar}] ${(frac * 100).toFixed(0)}%${etaText} ${detail}\x1b[K`);
    this.drawn = true;
  }

  done(): void {
    if (this.drawn) process.stderr.write("\r\x1b[K");
  }

  get elapsedSeconds(): number {
    return (Date.now() - this.start) / 1000;
  }
}
