// The aggregated traffic of a PoT world drawn ahead of time on a worker thread. An epoch's draws
// (traffic/aggregateEpoch: per-node task counts and sizes, ~a fifth of a long aggregated run) depend
// only on the traffic model, the epoch's bounds, the online set at the epoch's end and the draws of
// earlier epochs, never on the chain: the online set follows churn (its own stream) and the planned
// outages. So a worker rebuilds the same model, streams, churn and outages from the seed, steps them
// epoch by epoch exactly as the world does (OnlineTimeline) and leaves each epoch's aggregate in a
// ring of shared memory; the world takes them in order instead of drawing. The numbers are the same
// ones: the world only checks that the worker's online set is its own (a mismatch is a bug and throws).
// A performance option (PotWorldOptions.trafficThread): the CLI's `sim run` and the benchmark use it.
//
// Reports too (spec.reports): when an epoch's honest volume report is a function of its traffic alone
// (no Sybil wallets, coalitions, settlement fraction or node capacity; the world checks at run time
// that users' ozone covered the whole demand and the ozone sold covers the total), the report's list is
// the epoch's node volumes floored, in node order. The worker then also encodes it (list lines and
// tx_data: the meta nodes' encoding work) and the world uses that instead of encoding it again. Same
// functions, same inputs: the same bytes (a test compares whole runs with and without the thread).
// May import: kernel, traffic, protocols/pot, ../config (never ../traffic, which takes its epochs from here).

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { RngTree, type Stream } from "../../../kernel/index.js";
import { encodeLists, ListEncoder } from "../../../protocols/pot/index.js";
import { type AggregateScratch, aggregateEpoch, Churn, TrafficModel } from "../../../traffic/index.js";
import { type TrafficSection, trafficConfigOf } from "../config.js";

/** A planned outage: `nodes` are forced offline over [at, until) (as the world's outage events). */
export interface PlannedOutage {
  readonly nodes: readonly number[];
  readonly at: number;
  readonly until: number;
}

/** What the worker needs to draw the same epochs as the world (structured-cloneable). */
export interface TrafficFeedSpec {
  readonly seed: number | string;
  readonly section: TrafficSection;
  readonly nodeCount: number;
  readonly epochLength: number;
  readonly epochs: number;
  readonly outages: readonly PlannedOutage[];
  /** Encode each epoch's honest report too (only when it depends on the traffic alone: see the header). */
  readonly reports?: FedReportSpec;
}

/** What the worker needs to encode honest reports as the meta nodes do. */
export interface FedReportSpec {
  /** Wallet of each node, in node order (the reports' list order). */
  readonly wallets: readonly string[];
  /** Each meta node's address and owner; epoch e's reporter is meta node (e − 1) mod count. */
  readonly metas: readonly { readonly address: string; readonly owner: string }[];
}

/** An epoch's honest report as the worker encoded it: views of the ring, valid until the next take. */
export interface FedReport {
  /** The reporting meta node. */
  readonly reporter: number;
  /** Σ volumes (noz). */
  readonly total: number;
  /** Listed nodes (volume ≥ 1), in node order, and their volumes. */
  readonly nodes: Int32Array;
  readonly volumes: Float64Array;
  /** Sign bytes after the header, and sha256 of the whole sign bytes. */
  readonly lines: Uint8Array;
  readonly txData: string;
}

/** Epochs the worker may run ahead of the world (2 MB with 1,000 nodes): slack for when it loses its core for a while. */
const RING = 256;
/**
 * A worker with a full ring looks for room again after this long. The world never wakes it: a
 * notify that wakes a thread costs the notifier ~0.2 ms (more than drawing an epoch).
 */
const ROOM_POLL_MS = 2;
/** Per slot, before the node volumes: t1, requests, unserved. */
const HEADER = 3;
// Control words (Int32): epochs produced, epochs consumed, set when the worker failed, set when the world closed the feed.
const PRODUCED = 0;
const CONSUMED = 1;
const FAILED = 2;
const CLOSED = 3;
/** A world waiting this long for one epoch gives up (the worker died without saying so). */
const STALL_MS = 120_000;

/** The ring's shared memory (the report areas only with spec.reports). */
export interface Shared {
  readonly control: SharedArrayBuffer;
  readonly values: SharedArrayBuffer;
  readonly masks: SharedArrayBuffer;
  /** Per slot: [listed, lines length, reporter] then the listed nodes. listed = −1: no report encoded. */
  readonly reportInts?: SharedArrayBuffer;
  /** Per slot: [total] then the listed volumes. */
  readonly reportValues?: SharedArrayBuffer;
  /** Per slot: tx_data (64 hex digits) then the lines. */
  readonly reportBytes?: SharedArrayBuffer;
}

/** Report area sizes per ring slot, for n nodes and the spec's wallet names (no report areas without a spec). */
function reportLayout(n: number, spec: FedReportSpec | undefined) {
  let name = 0;
  for (const w of spec?.wallets ?? []) name = Math.max(name, w.length);
  return { ints: 3 + n, values: 1 + n, bytes: 64 + n * (name + 18) };
}

/** The aggregate of one epoch as the world uses it (traffic/EpochAggregate's fields it reads). */
export interface FedEpoch {
  requests: number;
  unserved: number;
  /** Bytes per node: a view of the ring, valid (and writable) until the next take. */
  perNodeVolume: Float64Array;
  /** The epoch's honest report, when the feed encodes reports and could (volumes are safe integers). */
  report?: FedReport;
}

/**
 * The online set at each epoch's end, stepped forward as the world steps it: churn advanced to the
 * epoch's end (traffic/Churn.advanceTo on the "pot.churn" stream, after initAll at 0), and the outage
 * events at or before it applied in their scheduling order (the kernel runs them before the epoch
 * event of the same time, which is scheduled later).
 */
export class OnlineTimeline {
  readonly mask: Uint8Array;
  private readonly forcedOff: Uint8Array;
  private readonly events: { time: number; nodes: readonly number[]; delta: number }[];
  private nextEvent = 0;

  constructor(
    nodeCount: number,
    private readonly churn: Churn | undefined,
    private readonly churnRng: Stream,
    outages: readonly PlannedOutage[],
  ) {
    this.mask = new Uint8Array(nodeCount);
    this.forcedOff = new Uint8Array(nodeCount);
    churn?.initAll(0, churnRng);
    const events = outages.flatMap((o) => [
      { time: o.at, nodes: o.nodes, delta: 1 },
      { time: o.until, nodes: o.nodes, delta: -1 },
    ]);
    // Stable: events of one time keep their scheduling order.
    this.events = events.sort((a, b) => a.time - b.time);
  }

  /** The online set at time t (non-decreasing from call to call). */
  advanceTo(t: number): Uint8Array {
    const ev = this.events;
    while (this.nextEvent < ev.length && ev[this.nextEvent]!.time <= t) {
      const e = ev[this.nextEvent++]!;
      for (const j of e.nodes) this.forcedOff[j]! += e.delta;
    }
    this.churn?.advanceTo(t, this.churnRng);
    const churn = this.churn;
    for (let j = 0; j < this.mask.length; j++) this.mask[j] = this.forcedOff[j] === 0 && (churn === undefined || churn.isUp(j)) ? 1 : 0;
    return this.mask;
  }
}

/** The world's side: starts the worker, then hands out its epochs in order. */
export class TrafficFeed {
  private readonly worker: Worker;
  private readonly control: Int32Array;
  private readonly values: Float64Array;
  private readonly masks: Uint8Array;
  /** Each slot's node volumes, as views made once. */
  private readonly slotVolumes: Float64Array[];
  private readonly n: number;
  private next = 1;
  private readonly reportInts: Int32Array | undefined;
  private readonly reportValues: Float64Array | undefined;
  private readonly reportBytes: Uint8Array | undefined;
  private readonly layout: ReturnType<typeof reportLayout>;

  private constructor(file: string, spec: TrafficFeedSpec) {
    const n = spec.nodeCount;
    this.layout = reportLayout(n, spec.reports);
    const r = spec.reports;
    const shared: Shared = {
      control: new SharedArrayBuffer(4 * 4),
      values: new SharedArrayBuffer(8 * RING * (HEADER + n)),
      masks: new SharedArrayBuffer(RING * n),
      reportInts: r && new SharedArrayBuffer(4 * RING * this.layout.ints),
      reportValues: r && new SharedArrayBuffer(8 * RING * this.layout.values),
      reportBytes: r && new SharedArrayBuffer(RING * this.layout.bytes),
    };
    this.n = n;
    this.reportInts = shared.reportInts && new Int32Array(shared.reportInts);
    this.reportValues = shared.reportValues && new Float64Array(shared.reportValues);
    this.reportBytes = shared.reportBytes && new Uint8Array(shared.reportBytes);
    this.control = new Int32Array(shared.control);
    this.values = new Float64Array(shared.values);
    this.masks = new Uint8Array(shared.masks);
    this.slotVolumes = Array.from({ length: RING }, (_, slot) => this.values.subarray(slot * (HEADER + n) + HEADER, (slot + 1) * (HEADER + n)));
    this.worker = new Worker(file, { workerData: { spec, shared } });
    // The world waits on shared memory, not on events: the worker never keeps the process alive, and
    // its failure reaches the world through the FAILED word (the worker prints the error itself).
    this.worker.unref();
    this.worker.on("error", () => {});
  }

  /** A feed for `spec`, or undefined when the compiled worker is not there (e.g. running from TypeScript sources). */
  static start(spec: TrafficFeedSpec): TrafficFeed | undefined {
    const file = workerFile();
    return existsSync(file) ? new TrafficFeed(file, spec) : undefined;
  }

  /**
   * The next epoch's aggregate, ending at t1, whose online set must equal `online`. Its node volumes
   * stay in the ring until the next take, which hands the slot back to the worker.
   */
  take(t1: number, online: Uint8Array): FedEpoch {
    const e = this.next++;
    const c = this.control;
    this.release(e - 1);
    let waited = 0;
    while (Atomics.load(c, PRODUCED) < e) {
      if (Atomics.load(c, FAILED) !== 0) throw new Error("traffic feed: the worker failed (its error is printed above)");
      if (waited >= STALL_MS) throw new Error(`traffic feed: no epoch ${e} after ${STALL_MS / 1000} s`);
      Atomics.wait(c, PRODUCED, Atomics.load(c, PRODUCED), 1000);
      waited += 1000;
    }
    const slot = e % RING;
    const n = this.n;
    const base = slot * (HEADER + n);
    const v = this.values;
    if (v[base] !== t1 || !sameBytes(this.masks, slot * n, online)) {
      throw new Error(`traffic feed: epoch ${e} (t1=${t1}) differs from the world's (t1=${v[base]} or the online set)`);
    }
    const fed: FedEpoch = { requests: v[base + 1]!, unserved: v[base + 2]!, perNodeVolume: this.slotVolumes[slot]! };
    const ri = this.reportInts;
    if (ri) {
      const L = this.layout;
      const ib = slot * L.ints;
      const listed = ri[ib]!;
      if (listed >= 0) {
        const vb = slot * L.values;
        const bb = slot * L.bytes;
        const bytes = this.reportBytes!;
        fed.report = {
          reporter: ri[ib + 2]!,
          total: this.reportValues![vb]!,
          nodes: ri.subarray(ib + 3, ib + 3 + listed),
          volumes: this.reportValues!.subarray(vb + 1, vb + 1 + listed),
          lines: bytes.subarray(bb + 64, bb + 64 + ri[ib + 1]!),
          txData: latin1(bytes, bb, 64),
        };
      }
    }
    return fed;
  }

  /** Epoch e has been used: its slot is the worker's again (it polls for room). */
  private release(e: number): void {
    if (e >= 1) Atomics.store(this.control, CONSUMED, e);
  }

  /** Stops the worker (it may be ahead of the last epoch taken). */
  close(): void {
    Atomics.store(this.control, CLOSED, 1);
    Atomics.notify(this.control, CONSUMED);
    void this.worker.terminate();
  }
}

function latin1(b: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...b.subarray(offset, offset + length));
}

function sameBytes(a: Uint8Array, offset: number, b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (a[offset + i] !== b[i]) return false;
  return true;
}

/** The compiled worker entry: next to this file when compiled, else under the package's dist/. */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".js")) return fileURLToPath(new URL("./worker.js", import.meta.url));
  return fileURLToPath(new URL("../../../../dist/src/world/pot/feed/worker.js", import.meta.url));
}

/** The worker's loop: every epoch in order, as far ahead of the world as the ring allows. */
export function runTrafficFeed(spec: TrafficFeedSpec, shared: Shared): void {
  const c = new Int32Array(shared.control);
  try {
    produce(spec, shared, c);
  } catch (e) {
    console.error(e);
    Atomics.store(c, FAILED, 1);
    Atomics.notify(c, PRODUCED);
  }
}

function produce(spec: TrafficFeedSpec, shared: Shared, c: Int32Array): void {
  const n = spec.nodeCount;
  const values = new Float64Array(shared.values);
  const masks = new Uint8Array(shared.masks);
  // The world's streams, by the same names under the same root seed.
  const tree = new RngTree(spec.seed);
  const model = new TrafficModel(trafficConfigOf(spec.section, n), (name, i) => tree.stream(name, i));
  const aggRng = tree.stream("pot.traffic.aggregate");
  const churn = spec.section.churn ? new Churn(spec.section.churn, n) : undefined;
  const timeline = new OnlineTimeline(n, churn, tree.stream("pot.churn"), spec.outages);
  const scratch: AggregateScratch = {};
  const len = spec.epochLength;
  const report = spec.reports && reportEncoder(spec.reports, n, shared);
  for (let e = 1; e <= spec.epochs; e++) {
    // Full ring: look again every ROOM_POLL_MS (the world does not notify; close() does).
    while (e - Atomics.load(c, CONSUMED) > RING - 1) {
      if (Atomics.load(c, CLOSED) !== 0) return;
      Atomics.wait(c, CONSUMED, Atomics.load(c, CONSUMED), ROOM_POLL_MS);
    }
    if (Atomics.load(c, CLOSED) !== 0) return;
    const t1 = e * len;
    const mask = timeline.advanceTo(t1);
    const agg = aggregateEpoch(model, t1 - len, t1, aggRng, mask, scratch);
    const slot = e % RING;
    const base = slot * (HEADER + n);
    values[base] = t1;
    values[base + 1] = agg.requests;
    values[base + 2] = agg.unserved;
    values.set(agg.perNodeVolume, base + HEADER);
    masks.set(mask, slot * n);
    if (report) report(e, slot, agg.perNodeVolume);
    Atomics.store(c, PRODUCED, e);
    Atomics.notify(c, PRODUCED);
  }
}

/**
 * The worker's report encoder: epoch e's honest report over node volumes floored (the meta nodes'
 * closeEpoch when nothing but this traffic was served), encoded by encodeLists as the meta nodes'
 * report builder does, written to the slot's report area. Volumes that are not safe integers (or an
 * epoch without traffic) leave the area marked "none": the world then builds the report itself.
 */
function reportEncoder(spec: FedReportSpec, n: number, shared: Shared): (e: number, slot: number, perNode: Float64Array) => void {
  const L = reportLayout(n, spec);
  const ints = new Int32Array(shared.reportInts!);
  const values = new Float64Array(shared.reportValues!);
  const bytes = new Uint8Array(shared.reportBytes!);
  const vols = new Float64Array(n);
  // This thread's encoder (the lines are copied into the ring at once).
  const encoder = new ListEncoder();
  return (e, slot, perNode) => {
    const ib = slot * L.ints;
    const vb = slot * L.values;
    const bb = slot * L.bytes;
    ints[ib] = -1;
    let k = 0;
    let total = 0;
    const names: string[] = [];
    for (let j = 0; j < n; j++) {
      const v = Math.floor(perNode[j]!);
      if (v >= 1) {
        ints[ib + 3 + k] = j;
        values[vb + 1 + k] = v;
        names.push(spec.wallets[j]!);
        vols[k++] = v;
        total += v;
      }
    }
    if (k === 0 || !Number.isSafeInteger(total)) return;
    const reporter = (e - 1) % spec.metas.length;
    const m = spec.metas[reporter]!;
    const enc = encodeLists({ reporter: m.address, reporterOwner: m.owner, epoch: e, reportReference: `e${e}h` }, names, vols.subarray(0, k), encoder);
    if (!enc || enc.lines.length > L.bytes - 64) return;
    for (let i = 0; i < 64; i++) bytes[bb + i] = enc.txData.charCodeAt(i);
    bytes.set(enc.lines, bb + 64);
    values[vb] = total;
    ints[ib + 1] = enc.lines.length;
    ints[ib + 2] = reporter;
    ints[ib] = k;
  };
}
