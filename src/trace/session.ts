// One traced run from the command line's point of view: the recorder to hand to the run, then the
// trace file, the manifest's `trace` block and the line to print when the limit stopped the trace.

import type { TraceData } from "./data.js";
import { encodeTrace, type TraceFile } from "./files.js";
import type { TraceOptions } from "./filters.js";
import { TraceRecorder } from "./recorder.js";

/** manifest.json's `trace` block (docs/results.md). */
export interface TraceManifest {
  readonly file: string;
  readonly eventsSeen: number;
  readonly eventsWritten: number;
  readonly limit: number;
  readonly truncated: boolean;
  readonly truncatedAt: number | null;
  readonly filters: { kinds: readonly string[] | null; nodes: readonly number[] | null; window: readonly [number, number] | null };
  /** Id of the first view_change event written (null: none). */
  readonly firstViewChange: number | null;
  /** Id of the first violation event written (null: none). */
  readonly firstViolation: number | null;
}

export interface FinishedTrace {
  readonly data: TraceData;
  readonly file: TraceFile;
  readonly manifest: TraceManifest;
  /** For stderr when the limit stopped the trace; null otherwise. */
  readonly warning: string | null;
}

export class TraceSession {
  readonly recorder: TraceRecorder;

  constructor(
    scenario: string,
    seed: number,
    private readonly options: TraceOptions,
  ) {
    this.recorder = new TraceRecorder({ scenario, seed, filters: options.filters, limit: options.limit });
  }

  finish(simTime: number): FinishedTrace {
    const rec = this.recorder;
    const data = rec.data(simTime);
    const file = encodeTrace(data);
    const manifest: TraceManifest = {
      file: file.path,
      eventsSeen: data.end.seen,
      eventsWritten: data.end.written,
      limit: this.options.limit,
      truncated: data.end.truncated,
      truncatedAt: data.end.truncatedAt,
      filters: data.meta.filters,
      firstViewChange: rec.firstViewChange >= 0 ? rec.firstViewChange : null,
      firstViolation: rec.firstViolation >= 0 ? rec.firstViolation : null,
    };
    const warning = data.end.truncated
      ? `trace: stopped at the limit of ${this.options.limit} events (t=${data.end.truncatedAt}; ${data.end.seen} events offered); ` +
        "the run completed. Raise --trace-max-events or narrow it with --trace-kinds, --trace-nodes or --trace-window."
      : null;
    return { data, file, manifest, warning };
  }
}
