// The per-replica timeline (replica_timeline.csv): each replica's status (up, crashed, cut off by a
// partition), view, mode (normal, changing view, fetching state), last executed sequence number and
// stable checkpoint over time, recorded on change from the observations the world already routes —
// the protocol gains nothing, and no world observer is attached (that would make the network report
// every message). Twin copies are left out, as in views.csv.
//
// Values come from the observations themselves (`executed` carries its seq), not from the replica's
// fields: the hosts drain effects after a step, so the fields may already be ahead of the observation
// being handed on. Rows are kept in typed columns while the run goes; `table` thins them: every row
// where status, view, mode or stable checkpoint changed is kept, and of the rows where only the last
// executed sequence number moved, the last one of each 1/1000 of the run per replica (so a year-long
// run gives a chart-sized table and a short one keeps every step).
// May import: metrics, protocols/pbft (types).

import type { Cell, Table } from "../../metrics/index.js";
import { grownF64, grownI32, grownU8, round } from "../../metrics/index.js";
import type { Observation } from "../../protocols/pbft/index.js";

const STATUS = ["up", "crashed", "partitioned"] as const;
const MODE = ["normal", "view_change", "state_transfer"] as const;

/** Rows of the last-executed-only kind per replica per run: the run is cut into this many sampling intervals. */
export const TIMELINE_SAMPLES = 1000;

const ST_UP = 0;
const ST_CRASHED = 1;
const ST_PARTITIONED = 2;

/** One replica's current values. */
interface ReplicaState {
  up: boolean;
  cutOff: boolean;
  view: number;
  changingView: boolean;
  fetchingState: boolean;
  lastExecuted: number;
  stable: number;
}

/**
 * Growable typed columns (no per-row objects). Every row keeps its time, replica, last executed
 * sequence number and whether it is structural (19 bytes); only structural rows keep the view, stable
 * checkpoint, status and mode, in columns of their own: between two structural rows of a replica those
 * four never change (every change pushes a structural row), so a last-executed-only row reads them
 * from its replica's latest structural row. A 10-year PoT run records millions of rows (every
 * execution at every replica); 41 bytes each before this layout. The thinned table is the same
 * (test/world/pbft/timeline.test.ts; replica_timeline.csv byte-identical).
 */
class Rows {
  length = 0;
  time = new Float64Array(256);
  replica = new Int32Array(256);
  lastExecuted = new Float64Array(256);
  /** 1 when status, view, mode or stable checkpoint changed with this row (kept by thinning). */
  structural = new Uint8Array(256);
  /** Structural rows' other fields, in order of the structural rows. */
  structuralCount = 0;
  view = new Int32Array(64);
  stable = new Float64Array(64);
  status = new Uint8Array(64);
  mode = new Uint8Array(64);

  push(time: number, replica: number, s: ReplicaState, structural: boolean): void {
    if (this.length === this.time.length) this.grow();
    const i = this.length++;
    this.time[i] = time;
    this.replica[i] = replica;
    this.lastExecuted[i] = s.lastExecuted;
    this.structural[i] = structural ? 1 : 0;
    if (!structural) return;
    if (this.structuralCount === this.view.length) this.growStructural();
    const k = this.structuralCount++;
    this.view[k] = s.view;
    this.stable[k] = s.stable;
    this.status[k] = statusOf(s);
    this.mode[k] = modeOf(s);
  }

  private grow(): void {
    const n = this.time.length * 2;
    this.time = grownF64(this.time, n);
    this.replica = grownI32(this.replica, n);
    this.lastExecuted = grownF64(this.lastExecuted, n);
    this.structural = grownU8(this.structural, n);
  }

  private growStructural(): void {
    const n = this.view.length * 2;
    this.view = grownI32(this.view, n);
    this.stable = grownF64(this.stable, n);
    this.status = grownU8(this.status, n);
    this.mode = grownU8(this.mode, n);
  }
}

function statusOf(s: ReplicaState): number {
  return !s.up ? ST_CRASHED : s.cutOff ? ST_PARTITIONED : ST_UP;
}

function modeOf(s: ReplicaState): number {
  return s.changingView ? 1 : s.fetchingState ? 2 : 0;
}

export class ReplicaTimeline {
  private readonly states: ReplicaState[];
  private readonly rows = new Rows();

  /**
   * `n` replicas; `quorum` = 2f + 1; `connected(a, b)`: whether a message from replica a's node can
   * currently reach replica b's node (the network's reachability, partitions included).
   */
  constructor(
    private readonly n: number,
    private readonly quorum: number,
    private readonly connected: (a: number, b: number) => boolean,
  ) {
    this.states = Array.from({ length: n }, () => ({
      up: true,
      cutOff: false,
      view: 0,
      changingView: false,
      fetchingState: false,
      lastExecuted: 0,
      stable: 0,
    }));
    for (let r = 0; r < n; r++) this.rows.push(0, r, this.states[r]!, true);
  }

  /** A replica's observation (not its twin copy's). */
  observe(replica: number, ev: Observation, now: number): void {
    const s = this.states[replica]!;
    switch (ev.type) {
      case "executed":
        if (ev.seq > s.lastExecuted) {
          s.lastExecuted = ev.seq;
          this.rows.push(now, replica, s, false);
        }
        return;
      case "stateTransferred":
        s.fetchingState = false;
        s.lastExecuted = ev.toSeq;
        this.rows.push(now, replica, s, true);
        return;
      case "stateTransferStarted":
        s.fetchingState = true;
        this.rows.push(now, replica, s, true);
        return;
      case "stateTransferEnded":
        s.fetchingState = false;
        this.rows.push(now, replica, s, true);
        return;
      case "checkpointStable":
        if (ev.seq !== s.stable) {
          s.stable = ev.seq;
          this.rows.push(now, replica, s, true);
        }
        return;
      case "viewChangeStarted":
        s.view = ev.view;
        s.changingView = true;
        this.rows.push(now, replica, s, true);
        return;
      case "newViewInstalled":
        s.view = ev.view;
        s.changingView = false;
        this.rows.push(now, replica, s, true);
        return;
      default:
        return;
    }
  }

  crashed(replica: number, now: number): void {
    const s = this.states[replica]!;
    if (!s.up) return;
    s.up = false;
    this.rows.push(now, replica, s, true);
  }

  /** Recovered with these values (its persisted log's, or an empty replica's). */
  recovered(replica: number, view: number, changingView: boolean, lastExecuted: number, stable: number, now: number): void {
    const s = this.states[replica]!;
    s.up = true;
    s.view = view;
    s.changingView = changingView;
    s.fetchingState = false;
    s.lastExecuted = lastExecuted;
    s.stable = stable;
    this.rows.push(now, replica, s, true);
  }

  /**
   * A partition started or healed: a replica is cut off while fewer than 2f + 1 replicas (itself
   * included) can exchange messages with it both ways — it cannot make progress on its side.
   */
  partitionsChanged(now: number): void {
    for (let r = 0; r < this.n; r++) {
      let reach = 0;
      for (let o = 0; o < this.n; o++) if (o === r || (this.connected(r, o) && this.connected(o, r))) reach++;
      const s = this.states[r]!;
      const cutOff = reach < this.quorum;
      if (cutOff !== s.cutOff) {
        s.cutOff = cutOff;
        this.rows.push(now, r, s, true);
      }
    }
  }

  /** replica_timeline.csv for a run that ended at `end` (see the header for the thinning). */
  table(end: number): Table {
    const rows = this.rows;
    const bucket = end > 0 ? end / TIMELINE_SAMPLES : 1;
    const keep = new Uint8Array(rows.length);
    // Backwards: the bucket of each replica's next row.
    const nextBucket = new Float64Array(this.n).fill(Number.NaN);
    for (let i = rows.length - 1; i >= 0; i--) {
      const r = rows.replica[i]!;
      const b = Math.floor(rows.time[i]! / bucket);
      const next = nextBucket[r]!;
      keep[i] = rows.structural[i] === 1 || Number.isNaN(next) || next !== b ? 1 : 0;
      nextBucket[r] = b;
    }
    const out: Cell[][] = [];
    // Each replica's latest structural row (its view, stable checkpoint, status and mode).
    const latest = new Int32Array(this.n).fill(-1);
    let k = 0;
    for (let i = 0; i < rows.length; i++) {
      const r = rows.replica[i]!;
      if (rows.structural[i] === 1) latest[r] = k++;
      if (keep[i] === 0) continue;
      const st = latest[r]!;
      out.push([
        round(rows.time[i]!),
        r,
        STATUS[rows.status[st]!]!,
        rows.view[st]!,
        MODE[rows.mode[st]!]!,
        rows.lastExecuted[i]!,
        rows.stable[st]!,
      ]);
    }
    return {
      name: "replica_timeline",
      columns: ["time_s", "replica", "status", "view", "mode", "last_executed", "stable_checkpoint"],
      rows: out,
    };
  }
}
