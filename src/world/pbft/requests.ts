// The PBFT world's record of client requests (submission, completion, retransmissions), kept in typed
// columns: a 10-year PoT run submits ~390,000 requests, and as a Map of string keys to record objects
// (with boxed times) they were ~250 bytes each and hundreds of thousands of objects for the GC to
// trace; here ~40 bytes. It answers exactly as that Map and array did — the requests table in
// submission order (a repeated submission overwrites its record in place, as Map.set does), the
// completed requests in completion order — and the table is streamed row by row rather than built
// (test/world/pbft/requests.test.ts against the Map it replaces; outputs byte-identical).
// May import: metrics.

import { type Cell, grownF64, grownI32, round, type Table } from "../../metrics/index.js";

const COLUMNS = ["client", "timestamp", "submit_time", "complete_time", "latency_s", "retransmissions"];

/** Timestamps kept in a client's dense index (a Map holds the others: fractions, negatives, huge values). */
function isDense(t: number): boolean {
  return Number.isInteger(t) && t >= 0 && t < 2 ** 24;
}

export class RequestLog {
  /** Per record: client, timestamp, submit time, completion time (−1: not yet), retransmissions. */
  private client = new Int32Array(1024);
  private timestamp = new Float64Array(1024);
  private submit = new Float64Array(1024);
  private complete = new Float64Array(1024);
  private retrans = new Int32Array(1024);
  private records = 0;
  /** Table position (first submission of a key) → its current record. */
  private slotRecord = new Int32Array(1024);
  private slots = 0;
  /** Records in completion order. */
  private done = new Int32Array(1024);
  private doneCount = 0;
  /**
   * Per client: timestamp → table position + 1 (0: none) for timestamps that are small non-negative
   * integers (clients number their requests 1, 2, 3, …), else in a Map.
   */
  private readonly dense: Int32Array[] = [];
  private readonly sparse: Map<number, number>[] = [];

  /** Requests submitted (distinct client and timestamp). */
  get issued(): number {
    return this.slots;
  }

  /** Requests completed. */
  get completed(): number {
    return this.doneCount;
  }

  /** The table position of (client, timestamp), or −1. */
  private slotOf(client: number, timestamp: number): number {
    if (isDense(timestamp)) {
      const d = this.dense[client];
      return d !== undefined && timestamp < d.length ? d[timestamp]! - 1 : -1;
    }
    return this.sparse[client]?.get(timestamp) ?? -1;
  }

  private setSlot(client: number, timestamp: number, slot: number): void {
    if (isDense(timestamp)) {
      let d = this.dense[client] ?? new Int32Array(64);
      if (timestamp >= d.length) d = grownI32(d, Math.max(2 * d.length, timestamp + 1));
      this.dense[client] = d;
      d[timestamp] = slot + 1;
      return;
    }
    let m = this.sparse[client];
    if (m === undefined) {
      m = new Map();
      this.sparse[client] = m;
    }
    m.set(timestamp, slot);
  }

  private record(client: number, timestamp: number): number {
    const slot = this.slotOf(client, timestamp);
    return slot < 0 ? -1 : this.slotRecord[slot]!;
  }

  submitted(client: number, timestamp: number, now: number): void {
    const r = this.records++;
    if (r === this.client.length) {
      const n = 2 * r;
      this.client = grownI32(this.client, n);
      this.timestamp = grownF64(this.timestamp, n);
      this.submit = grownF64(this.submit, n);
      this.complete = grownF64(this.complete, n);
      this.retrans = grownI32(this.retrans, n);
    }
    this.client[r] = client;
    this.timestamp[r] = timestamp;
    this.submit[r] = now;
    this.complete[r] = -1;
    this.retrans[r] = 0;
    const slot = this.slotOf(client, timestamp);
    if (slot >= 0) {
      this.slotRecord[slot] = r;
      return;
    }
    if (this.slots === this.slotRecord.length) this.slotRecord = grownI32(this.slotRecord, 2 * this.slots);
    this.setSlot(client, timestamp, this.slots);
    this.slotRecord[this.slots++] = r;
  }

  retransmitted(client: number, timestamp: number): void {
    const r = this.record(client, timestamp);
    if (r >= 0) this.retrans[r]!++;
  }

  accepted(client: number, timestamp: number, now: number): void {
    const r = this.record(client, timestamp);
    if (r < 0 || this.complete[r]! >= 0) return;
    this.complete[r] = now;
    if (this.doneCount === this.done.length) this.done = grownI32(this.done, 2 * this.doneCount);
    this.done[this.doneCount++] = r;
  }

  /** Completion minus submission of each completed request, in completion order. */
  latencies(): number[] {
    const out = new Array<number>(this.doneCount);
    for (let i = 0; i < this.doneCount; i++) {
      const r = this.done[i]!;
      out[i] = this.complete[r]! - this.submit[r]!;
    }
    return out;
  }

  /** Completion times, in completion order. */
  eachCompletion(visit: (time: number) => void): void {
    for (let i = 0; i < this.doneCount; i++) visit(this.complete[this.done[i]!]!);
  }

  private row(slot: number, out: Cell[]): Cell[] {
    const r = this.slotRecord[slot]!;
    const submit = this.submit[r]!;
    const complete = this.complete[r]!;
    out[0] = this.client[r]!;
    out[1] = this.timestamp[r]!;
    out[2] = round(submit);
    out[3] = complete >= 0 ? round(complete) : null;
    out[4] = complete >= 0 ? round(complete - submit) : null;
    out[5] = this.retrans[r]!;
    return out;
  }

  /** The `requests` table: streamed by the results writer; `rows` builds the cells on first use. */
  table(): Table {
    const log = this;
    let cells: Cell[][] | undefined;
    const table: Table = {
      name: "requests",
      columns: [...COLUMNS],
      get rows(): Cell[][] {
        cells ??= Array.from({ length: log.slots }, (_, s) => log.row(s, new Array(COLUMNS.length)));
        return cells;
      },
    };
    // Not enumerable: two runs' tables compare equal by their names, columns and rows.
    Object.defineProperty(table, "eachRow", {
      enumerable: false,
      value: (visit: (row: readonly Cell[]) => void) => {
        const row: Cell[] = new Array(COLUMNS.length);
        for (let s = 0; s < log.slots; s++) visit(log.row(s, row));
      },
    });
    return table;
  }
}
