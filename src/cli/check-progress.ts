// `sim check`'s progress on stderr (never stdout, which scripts and tests parse). On a terminal:
// one line redrawn in place (at most five times a second, from half a second on) with runs done,
// failures and the time left. Otherwise (CI logs, pipes, CI set): a plain line each time another
// tenth of the runs is done, so a log shows at most ten lines however many seeds run. Wall-clock
// time is for display only.

interface Writable {
  write(s: string): unknown;
  isTTY?: boolean;
}

export interface CheckProgressOptions {
  stream?: Writable;
  /** Redraw in place (default: the stream is a terminal and CI is not set). */
  tty?: boolean;
  /** Milliseconds (default Date.now). */
  now?: () => number;
}

export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "";
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, "0")}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.round((seconds % 3600) / 60)).padStart(2, "0")}m`;
}

export class CheckProgress {
  private readonly stream: Writable;
  private readonly tty: boolean;
  private readonly now: () => number;
  private readonly start: number;
  private lastDraw = 0;
  private drawn = false;
  private decile = 0;

  constructor(
    private readonly label: string,
    o: CheckProgressOptions = {},
  ) {
    this.stream = o.stream ?? process.stderr;
    this.tty = o.tty ?? (this.stream.isTTY === true && process.env.CI === undefined);
    this.now = o.now ?? Date.now;
    this.start = this.now();
  }

  private eta(done: number, total: number, now: number): string {
    if (done <= 0 || done >= total) return "";
    const text = formatEta((((now - this.start) / done) * (total - done)) / 1000);
    return text === "" ? "" : `, eta ${text}`;
  }

  update(done: number, total: number, failed: number): void {
    const now = this.now();
    const fails = failed > 0 ? `, ${failed} failing` : "";
    if (this.tty) {
      if (done < total && (now - this.start < 500 || now - this.lastDraw < 200)) return;
      this.lastDraw = now;
      const frac = total > 0 ? done / total : 1;
      const bar = "#".repeat(Math.round(frac * 30)).padEnd(30, ".");
      this.stream.write(`\r${this.label} [${bar}] ${done}/${total}${fails}${this.eta(done, total, now)}\x1b[K`);
      this.drawn = true;
      return;
    }
    const d = total > 0 ? Math.floor((done * 10) / total) : 10;
    if (d <= this.decile) return;
    this.decile = d;
    this.stream.write(`${this.label}: ${Math.floor((done * 100) / Math.max(1, total))}% (${done}/${total} runs${fails}${this.eta(done, total, now)})\n`);
  }

  /** Clears a redrawn line (plain lines stay). */
  finish(): void {
    if (this.drawn) this.stream.write("\r\x1b[K");
    this.drawn = false;
  }
}
