// The trace as columns: one row per event, the fields every viewer needs in typed arrays (time,
// event code, lane, message id, endpoints, kind, view, sequence number, digest, bytes, drop reason)
// and the rest of an event's fields as a small ordered object. The recorder fills it during a run;
// trace.jsonl is written from it and read back into it (jsonl.ts), and trace.html and the exporters
// read it. Absent values: −1 (integers), 0 (message id), "" (digest), undefined (extra).

import type { NodeInfo } from "../world/observe.js";

/** Values of the `meta` line (the trace's first line). */
export interface TraceMeta {
  readonly model: string;
  readonly scenario: string;
  readonly seed: number;
  readonly n: number;
  readonly f: number;
  readonly nodes: readonly NodeInfo[];
  /** Message kinds the world's nodes may send. */
  readonly kinds: readonly string[];
  readonly filters: TraceFilterSummary;
  /** Row limit (--trace-max-events). */
  readonly limit: number;
}

export interface TraceFilterSummary {
  readonly kinds: readonly string[] | null;
  readonly nodes: readonly number[] | null;
  readonly window: readonly [number, number] | null;
}

/** Values of the `end` line (the trace's last line). */
export interface TraceEnd {
  /** Events the run offered the trace (ids 0 … seen−1), filtered or not. */
  readonly seen: number;
  /** Event lines written. */
  readonly written: number;
  /** Whether the row limit stopped the trace. */
  readonly truncated: boolean;
  /** Simulated time of the first event not written because of the limit (null when not truncated). */
  readonly truncatedAt: number | null;
  /** Simulated time at the end of the run. */
  readonly simTime: number;
}

export type Extra = Record<string, unknown>;

export class TraceColumns {
  count = 0;
  /** Message kind names (the `kind` column holds indexes into it). */
  readonly kinds: string[] = [];
  private readonly kindIndex = new Map<string, number>();
  // one-entry cache: broadcasts send runs of one kind
  private lastKind = "";
  private lastKindIndex = -1;
  id: Float64Array;
  t: Float64Array;
  ev: Uint8Array;
  node: Int32Array;
  msg: Float64Array;
  from: Int32Array;
  to: Int32Array;
  kind: Int16Array;
  view: Int32Array;
  seq: Int32Array;
  bytes: Float64Array;
  /** Drop reason code (DROP_REASON_NAMES), −1 none. */
  reason: Int8Array;
  /** 1: dropped at send time; 0: at arrival. */
  atSend: Uint8Array;
  digest: string[];
  extra: Array<Extra | undefined>;

  constructor(capacity = 1024) {
    this.id = new Float64Array(capacity);
    this.t = new Float64Array(capacity);
    this.ev = new Uint8Array(capacity);
    this.node = new Int32Array(capacity);
    this.msg = new Float64Array(capacity);
    this.from = new Int32Array(capacity);
    this.to = new Int32Array(capacity);
    this.kind = new Int16Array(capacity);
    this.view = new Int32Array(capacity);
    this.seq = new Int32Array(capacity);
    this.bytes = new Float64Array(capacity);
    this.reason = new Int8Array(capacity);
    this.atSend = new Uint8Array(capacity);
    this.digest = [];
    this.extra = [];
  }

  get capacity(): number {
    return this.t.length;
  }

  kindOf(name: string): number {
    if (name === this.lastKind) return this.lastKindIndex;
    let k = this.kindIndex.get(name);
    if (k === undefined) {
      k = this.kinds.length;
      this.kinds.push(name);
      this.kindIndex.set(name, k);
    }
    this.lastKind = name;
    this.lastKindIndex = k;
    return k;
  }

  /** Writes the common fields of row `count` (not yet counted) and clears the others. */
  open(id: number, t: number, ev: number, node: number): number {
    const r = this.count;
    if (r === this.t.length) this.grow();
    this.id[r] = id;
    this.t[r] = t;
    this.ev[r] = ev;
    this.node[r] = node;
    this.msg[r] = 0;
    this.from[r] = -1;
    this.to[r] = -1;
    this.kind[r] = -1;
    this.view[r] = -1;
    this.seq[r] = -1;
    this.bytes[r] = 0;
    this.reason[r] = -1;
    this.atSend[r] = 0;
    this.digest[r] = "";
    this.extra[r] = undefined;
    return r;
  }

  /** Writes every field of a message row at `count` (not yet counted): one store per column. */
  openMessage(
    id: number,
    t: number,
    ev: number,
    node: number,
    msg: number,
    from: number,
    to: number,
    kind: number,
    bytes: number,
    view: number,
    seq: number,
    digest: string,
    reason: number,
    atSend: number,
  ): number {
    const r = this.count;
    if (r === this.t.length) this.grow();
    this.id[r] = id;
    this.t[r] = t;
    this.ev[r] = ev;
    this.node[r] = node;
    this.msg[r] = msg;
    this.from[r] = from;
    this.to[r] = to;
    this.kind[r] = kind;
    this.view[r] = view;
    this.seq[r] = seq;
    this.bytes[r] = bytes;
    this.reason[r] = reason;
    this.atSend[r] = atSend;
    this.digest[r] = digest;
    this.extra[r] = undefined;
    return r;
  }

  private grow(): void {
    const c = this.t.length * 2;
    const g = <T extends Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(c);
      b.set(a);
      return b;
    };
    this.id = g(this.id, (n) => new Float64Array(n));
    this.t = g(this.t, (n) => new Float64Array(n));
    this.ev = g(this.ev, (n) => new Uint8Array(n));
    this.node = g(this.node, (n) => new Int32Array(n));
    this.msg = g(this.msg, (n) => new Float64Array(n));
    this.from = g(this.from, (n) => new Int32Array(n));
    this.to = g(this.to, (n) => new Int32Array(n));
    this.kind = g(this.kind, (n) => new Int16Array(n));
    this.view = g(this.view, (n) => new Int32Array(n));
    this.seq = g(this.seq, (n) => new Int32Array(n));
    this.bytes = g(this.bytes, (n) => new Float64Array(n));
    this.reason = g(this.reason, (n) => new Int8Array(n));
    this.atSend = g(this.atSend, (n) => new Uint8Array(n));
  }
}

/** A complete trace: its meta line, its event rows and its end line. */
export interface TraceData {
  readonly meta: TraceMeta;
  readonly rows: TraceColumns;
  readonly end: TraceEnd;
}
