// Economic metrics of the PoT world, recorded at the first correct replica that executes each
// transaction (all correct replicas compute the same thing): one `epochs` row per executed report
// attempt (accepted or rejected) and per epoch without traffic; cumulative rewards per resource
// wallet (exact wei, from the ledger's memoised reward plan), per meta node and per class; prepays;
// attacker costs and rewards. Tables: epochs, resource_rewards, meta_rewards, attackers.
// May import: metrics, protocols/pot.

import type { Cell, Table } from "../../metrics/index.js";
import { grownF64, grownU8, round } from "../../metrics/index.js";
import {
  formatRaw,
  fromLimbs,
  LIMB_BASE,
  LIMB_LIMIT,
  limbHi,
  limbLo,
  LimbVec,
  type OpResult,
  type PotLedger,
  type PotSharedCache,
  prepareReport,
  type VolumeReportOp,
} from "../../protocols/pot/index.js";
import { weiToStos } from "./config.js";
import type { EpochTraffic } from "./traffic.js";

export const EPOCH_COLUMNS = [
  "epoch",
  "time_s",
  "stage",
  "total_mined_wei",
  "mining_validators_wei",
  "mining_meta_wei",
  "mining_resource_wei",
  "traffic_validators_wei",
  "traffic_meta_wei",
  "traffic_resource_wei",
  "ozone_price",
  "S_wei",
  "P_wei",
  "L_noz",
  "community_pool_wei",
  "gini_resource",
  "accepted",
  // extra columns (after the ones the report module reads)
  "report_kind",
  "reporter",
  "result",
  "volume_noz",
  "entries",
  "signers",
  "delay_s",
  "prepaid_wei",
  "purchased_noz",
  "demand_noz",
  "served_noz",
  "requests",
  "unserved_requests",
  "online_nodes",
  "suspended_nodes",
] as const;

const OZONE_PRICE_COLUMN = EPOCH_COLUMNS.indexOf("ozone_price");

/** Gini coefficient of non-negative amounts (0 = equal, → 1 = concentrated). */
export function gini(values: ArrayLike<number>): number {
  return giniSorted(Float64Array.from(values).sort());
}

/** Gini of amounts already in ascending order. */
function giniSorted(x: ArrayLike<number>, order?: Int32Array): number {
  const n = order ? order.length : x.length;
  if (n === 0) return 0;
  let sum = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    const v = order ? x[order[i]!]! : x[i]!;
    sum += v;
    weighted += (i + 1) * v;
  }
  if (!(sum > 0)) return 0;
  return (2 * weighted) / (n * sum) - (n + 1) / n;
}

/**
 * Gini of values that only grow a little between calls: keeps a permutation sorted by value and
 * restores the order by insertion sort (linear when few values overtake others).
 */
export class IncrementalGini {
  private order = new Int32Array(0);

  compute(values: Float64Array, n: number): number {
    if (this.order.length !== n) {
      const o = new Int32Array(n);
      o.set(this.order.subarray(0, Math.min(n, this.order.length)));
      for (let i = this.order.length; i < n; i++) o[i] = i;
      this.order = o;
    }
    insertionSort(this.order, values);
    return giniSorted(values, this.order);
  }
}

/**
 * Sorts the permutation `o` by `values` (stable). Its own function: V8 compiles the long loop on stack
 * replacement, and OSR code of a function that goes on to a call it has no feedback for deopts there
 * again and again (139 deopts in 10,000 epochs, ~0.5 ms each).
 */
function insertionSort(o: Int32Array, values: Float64Array): void {
  for (let i = 1; i < o.length; i++) {
    const key = o[i]!;
    const v = values[key]!;
    let j = i - 1;
    while (j >= 0 && values[o[j]!]! > v) {
      o[j + 1] = o[j]!;
      j--;
    }
    o[j + 1] = key;
  }
}

/** Kind of a resource-reward wallet, for the table. */
export type WalletKind = "honest" | "sybil" | "coalition" | "other";

export interface ReportAttempt {
  epoch: number;
  kind: "honest" | "inflated";
  coalition: number;
  reporter: number;
  entries: number;
  signers: number;
  totalVolume: bigint;
  epochEnd: number;
}

interface Split {
  validators: bigint;
  meta: bigint;
  resource: bigint;
}

/** Cell tags of CompactRows. Big: a bigint 0 ≤ v < 2^93 as limbs hi·2^40 + lo (negated for BigNeg); BigObj: any other bigint, kept as is. */
const Tag = { Null: 0, Num: 1, True: 2, False: 3, Str: 4, Big: 5, BigNeg: 6, BigObj: 7 } as const;

/** One column of CompactRows: a tag and a double per row, and a second double for the rows with limbs. */
class CompactColumn {
  tags = new Uint8Array(0);
  a = new Float64Array(0);
  /** Low limbs; allocated when the column first holds a limb bigint. */
  b: Float64Array | undefined;

  grow(rows: number): void {
    this.tags = grownU8(this.tags, rows);
    this.a = grownF64(this.a, rows);
    if (this.b) this.b = grownF64(this.b, rows);
  }

  lows(rows: number): Float64Array {
    this.b ??= new Float64Array(rows);
    return this.b;
  }
}

/**
 * Table rows as typed columns (a tag and a double per cell, a second double for bigint limbs;
 * strings and huge bigints aside): a year of epochs is 52,560 rows of 33 cells, and as arrays of
 * bigints and boxed numbers they would be hundreds of thousands of long-lived objects for the GC to
 * trace. Columns listed as `decimals` take a raw 18-decimal bigint (or null) and give back its decimal
 * text (formatRaw): the ozone price as 16 bytes instead of a string per row. toCells() and eachRow()
 * give back equal cells (test/world/pot/compact-rows.equiv.test.ts).
 */
export class CompactRows {
  private readonly cols: CompactColumn[];
  private readonly decimal: boolean[];
  private readonly objs: (string | bigint)[] = [];
  /** Index in `objs` of each distinct string pushed. */
  private readonly strings = new Map<string, number>();
  private capacity = 0;
  private n = 0;

  /** @param capacity rows to make room for up front (more are added by doubling). */
  constructor(
    private readonly width: number,
    capacity = 0,
    decimals: readonly number[] = [],
  ) {
    this.cols = Array.from({ length: width }, () => new CompactColumn());
    this.decimal = Array.from({ length: width }, (_, j) => decimals.includes(j));
    if (capacity > 0) this.grow(capacity);
  }

  private grow(rows: number): void {
    for (const c of this.cols) c.grow(rows);
    this.capacity = rows;
  }

  push(row: readonly Cell[]): void {
    if (this.n + 1 > this.capacity) this.grow(Math.max(1024, 2 * (this.n + 1)));
    const r = this.n;
    for (let j = 0; j < this.width; j++) {
      const c = row[j];
      const col = this.cols[j]!;
      switch (typeof c) {
        case "number":
          col.tags[r] = Tag.Num;
          col.a[r] = c;
          break;
        case "boolean":
          col.tags[r] = c ? Tag.True : Tag.False;
          break;
        case "string": {
          // Strings are interned: an epochs row repeats a few texts (report kind, result), and a pointer per cell grows with every epoch.
          let k = this.strings.get(c);
          if (k === undefined) {
            k = this.objs.length;
            this.objs.push(c);
            this.strings.set(c, k);
          }
          col.tags[r] = Tag.Str;
          col.a[r] = k;
          break;
        }
        case "bigint": {
          const a = c < 0n ? -c : c;
          if (a < LIMB_LIMIT) {
            // toLimbs(a), without its [hi, lo] array.
            col.tags[r] = c < 0n ? Tag.BigNeg : Tag.Big;
            col.a[r] = limbHi(a);
            col.lows(this.capacity)[r] = limbLo(a);
          } else {
            col.tags[r] = Tag.BigObj;
            col.a[r] = this.objs.length;
            this.objs.push(c);
          }
          break;
        }
        default:
          col.tags[r] = Tag.Null;
      }
    }
    this.n++;
  }

  toCells(): Cell[][] {
    const out: Cell[][] = new Array(this.n);
    for (let r = 0; r < this.n; r++) out[r] = this.row(r, new Array(this.width));
    return out;
  }

  /** Every row in order, built one at a time into one reused array (the CSV writer streams them). */
  eachRow(visit: (row: readonly Cell[]) => void): void {
    const row: Cell[] = new Array(this.width);
    for (let r = 0; r < this.n; r++) visit(this.row(r, row));
  }

  /** Row r's cells, written into `row`. */
  private row(r: number, row: Cell[]): Cell[] {
    for (let j = 0; j < this.width; j++) {
      const col = this.cols[j]!;
      const v = col.a[r]!;
      let cell: Cell;
      switch (col.tags[r]) {
        case Tag.Num:
          cell = v;
          break;
        case Tag.True:
          cell = true;
          break;
        case Tag.False:
          cell = false;
          break;
        case Tag.Str:
        case Tag.BigObj:
          cell = this.objs[v]!;
          break;
        case Tag.Big:
          cell = fromLimbs(v, col.b![r]!);
          break;
        case Tag.BigNeg:
          cell = -fromLimbs(v, col.b![r]!);
          break;
        default:
          cell = null;
      }
      row[j] = this.decimal[j] && typeof cell === "bigint" ? formatRaw(cell) : cell;
    }
    return row;
  }
}

/** Doubles recorded per epoch by epochEnded. */
const STATS = 8;

const zeroSplit = (): Split => ({ validators: 0n, meta: 0n, resource: 0n });

export class PotMetrics {
  /** The `epochs` table's rows, stored compactly until the table is taken. */
  private readonly rows: CompactRows;
  /** Cumulative rewards per resource wallet slot (exact). */
  private readonly resMining = new LimbVec();
  private readonly resTraffic = new LimbVec();
  /** Same in STOS (floats) for the Gini coefficient. */
  private resTotal: Float64Array;
  private readonly slotNames: string[] = [];
  private readonly slotKinds: WalletKind[] = [];
  private readonly slotNode: string[] = [];
  /** Scratch of reportExecuted: each entry's slot. */
  private slots = new Int32Array(0);
  /** Wallet-book handle → slot (−1 unknown). */
  private handleSlot = new Int32Array(0);
  private lastGini = 0;
  private readonly giniTracker = new IncrementalGini();
  readonly metaMining = new Map<string, bigint>();
  readonly metaTraffic = new Map<string, bigint>();
  readonly mining: Split = zeroSplit();
  readonly traffic: Split = zeroSplit();
  communityTaxWei = 0n;
  // per epoch traffic (index = epoch)
  /** Per epoch (row e·STATS): recorded flag, requests, unserved (no node, ozone), demand, served, online, suspended. */
  private epochStats = new Float64Array(0);
  private prepaidSinceRow = 0n;
  private purchasedSinceRow = 0n;
  // report counters
  accepted = 0;
  rejected = 0;
  skipped = 0;
  readonly rejectedByReason = new Map<string, number>();
  readonly inflated = new Map<number, { submitted: number; accepted: number; rejected: number; drainedWei: bigint; rewardsWei: bigint }>();
  lastAcceptedEpoch = 0;

  constructor(
    private readonly cache: PotSharedCache,
    slots: readonly { wallet: string; kind: WalletKind; node: string }[],
    /** Wallets each coalition controls (member meta wallets and its own wallet), for its rewards. */
    private readonly coalitionWallets: readonly (readonly string[])[],
    /** Rows the `epochs` table is expected to get (one per epoch, plus any rejected attempts). */
    expectedRows = 0,
  ) {
    this.rows = new CompactRows(EPOCH_COLUMNS.length, expectedRows, [OZONE_PRICE_COLUMN]);
    // Room for every expected epoch up front (doubling would leave up to half unused: 34 MB in 10 years).
    if (expectedRows > 0) this.epochStats = new Float64Array((expectedRows + 1) * STATS);
    this.resTotal = new Float64Array(slots.length);
    for (const s of slots) this.addSlot(s.wallet, s.kind, s.node);
  }

  private addSlot(wallet: string, kind: WalletKind, node: string): number {
    const slot = this.slotNames.length;
    this.slotNames.push(wallet);
    this.slotKinds.push(kind);
    this.slotNode.push(node);
    if (this.resTotal.length <= slot) {
      const t = new Float64Array(Math.max(16, slot * 2));
      t.set(this.resTotal);
      this.resTotal = t;
    }
    this.mapHandle(this.cache.book.intern(wallet), slot);
    return slot;
  }

  private mapHandle(h: number, slot: number): void {
    if (h >= this.handleSlot.length) {
      const t = new Int32Array(Math.max(64, (h + 1) * 2)).fill(-1);
      t.set(this.handleSlot);
      this.handleSlot = t;
    }
    this.handleSlot[h] = slot;
  }

  private slotOfHandle(h: number): number {
    const s = h < this.handleSlot.length ? this.handleSlot[h]! : -1;
    return s >= 0 ? s : this.addSlot(this.cache.book.address(h), "other", "");
  }

  /** Traffic and node state of an epoch (recorded at the epoch's end). */
  epochEnded(epoch: number, t: EpochTraffic, online: number, suspended: number): void {
    // Columns of doubles rather than an object per epoch: a year of epochs stays cheap for the GC.
    if ((epoch + 1) * STATS > this.epochStats.length) {
      this.epochStats = grownF64(this.epochStats, Math.max(1024, 2 * (epoch + 1)) * STATS);
    }
    const o = epoch * STATS;
    const st = this.epochStats;
    st[o] = 1;
    st[o + 1] = t.requests;
    st[o + 2] = t.unservedNoNode;
    st[o + 3] = t.unservedOzone;
    st[o + 4] = t.demandNoz;
    st[o + 5] = t.servedNoz;
    st[o + 6] = online;
    st[o + 7] = suspended;
  }

  /** A prepay executed (first correct replica). */
  prepayExecuted(amountWei: bigint, result: OpResult): void {
    if (!result.ok || result.type !== "prepay") return;
    this.prepaidSinceRow += amountWei;
    this.purchasedSinceRow += result.value.purchasedNoz;
  }

  /** An epoch without traffic: no report; a row with the state at the epoch's end. */
  epochSkipped(epoch: number, ledger: PotLedger, now: number): void {
    this.skipped++;
    this.pushRow(epoch, now, ledger, ledger.stage().stage, zeroSplit(), zeroSplit(), false, ["none", "", "skipped:no_traffic", 0n, 0, 0, 0]);
  }

  /** A report attempt executed (first correct replica), with the ledger right after it. */
  reportExecuted(a: ReportAttempt, op: VolumeReportOp, ledger: PotLedger, result: OpResult, text: string, now: number): void {
    const ok = result.ok && result.type === "volumeReport";
    const stats = a.kind === "inflated" ? this.inflatedStats(a.coalition) : undefined;
    const extra: Cell[] = [a.kind, a.reporter, ok ? "accepted" : text, a.totalVolume, a.entries, a.signers, round(now - a.epochEnd)];
    if (!result.ok) {
      this.rejected++;
      const reason = result.reason;
      this.rejectedByReason.set(reason, (this.rejectedByReason.get(reason) ?? 0) + 1);
      if (stats) stats.rejected++;
      this.pushRow(a.epoch, now, ledger, ledger.stage().stage, zeroSplit(), zeroSplit(), false, extra);
      return;
    }
    this.accepted++;
    this.lastAcceptedEpoch = a.epoch;
    const b = ledger.lastReport();
    if (!b) {
      // No breakdown (the ledger was restored from a snapshot since): a row without the split.
      this.pushRow(a.epoch, now, ledger, ledger.stage().stage, zeroSplit(), zeroSplit(), true, extra);
      return;
    }
    const prep = prepareReport(op, this.cache);
    const plan = prep.plan(b.miningSplit.resource, b.trafficSplit.resource, ledger.params.communityTaxRaw);
    const handles = prep.handles(this.cache.book);
    const { minHi, minLo, totHi, totLo } = plan.limbs;
    const n = handles.length;
    const resMining = this.resMining;
    const resTraffic = this.resTraffic;
    resMining.ensure(this.slotNames.length + n);
    resTraffic.ensure(this.slotNames.length + n);
    if (this.slots.length < n) this.slots = new Int32Array(2 * n);
    const slots = this.slots;
    for (let d = 0; d < n; d++) slots[d] = this.slotOfHandle(handles[d]!);
    // Slots only grow by this report's handles (capacity ensured above); each wallet appears once.
    // One pass per wallet: its mining, its paid traffic and its STOS total.
    const total = this.resTotal; // (read after slotOfHandle, which may grow it)
    for (let d = 0; d < n; d++) {
      const s = slots[d]!;
      const mHi = minHi[d]!;
      const mLo = minLo[d]!;
      // Paid traffic = total − mining, as limbs (normalised, so exactly the traffic amount's limbs).
      const dl = totLo[d]! - mLo;
      const b = +(dl < 0); // branch-free borrow: low limbs are random (see limbs.ts)
      const lo = dl + b * LIMB_BASE;
      const hi = totHi[d]! - mHi - b;
      resMining.add(s, mHi, mLo);
      resTraffic.add(s, hi, lo);
      total[s]! += (mHi + hi) * 2 ** 40 * 1e-18 + (mLo + lo) * 1e-18;
    }
    const coalitionSet = stats ? new Set(this.coalitionWallets[a.coalition]) : undefined;
    let coalitionRewards = 0n;
    if (coalitionSet) {
      for (let d = 0; d < n; d++) if (coalitionSet.has(this.slotNames[slots[d]!]!)) coalitionRewards += fromLimbs(totHi[d]!, totLo[d]!);
    }
    const k = BigInt(b.meta.wallets.length);
    for (const w of b.meta.wallets) {
      this.metaMining.set(w, (this.metaMining.get(w) ?? 0n) + b.meta.mining);
      this.metaTraffic.set(w, (this.metaTraffic.get(w) ?? 0n) + b.meta.paid);
      if (coalitionSet?.has(w)) coalitionRewards += b.meta.mining + b.meta.paid;
    }
    const mining: Split = { validators: b.foundationToFeeCollector, meta: b.meta.mining * k, resource: plan.miningSum };
    const traffic: Split = { validators: b.prepayToFeeCollector, meta: b.meta.paid * k, resource: plan.paidSum };
    for (const key of ["validators", "meta", "resource"] as const) {
      this.mining[key] += mining[key];
      this.traffic[key] += traffic[key];
    }
    this.communityTaxWei += b.communityTaxWei;
    if (stats) {
      stats.accepted++;
      stats.drainedWei += b.trafficTotal;
      stats.rewardsWei += coalitionRewards;
    }
    this.lastGini = this.giniTracker.compute(this.resTotal, this.slotNames.length);
    this.pushRow(a.epoch, now, ledger, b.stage, mining, traffic, true, extra);
  }

  inflatedStats(c: number) {
    let s = this.inflated.get(c);
    if (!s) this.inflated.set(c, (s = { submitted: 0, accepted: 0, rejected: 0, drainedWei: 0n, rewardsWei: 0n }));
    return s;
  }

  private pushRow(epoch: number, now: number, l: PotLedger, stage: number, mining: Split, traffic: Split, accepted: boolean, extra: Cell[]): void {
    const st = this.epochStats;
    const o = epoch * STATS;
    const t = o + STATS <= st.length && st[o] === 1;
    this.rows.push([
      epoch,
      round(now),
      stage,
      l.M,
      mining.validators,
      mining.meta,
      mining.resource,
      traffic.validators,
      traffic.meta,
      traffic.resource,
      l.priceRaw() ?? null, // ozone_price: formatted from the raw value when read (CompactRows decimals)
      l.S,
      l.P,
      l.L,
      l.pools().communityPool,
      round(this.lastGini, 9),
      accepted,
      ...extra,
      this.prepaidSinceRow,
      this.purchasedSinceRow,
      t ? Math.round(st[o + 4]!) : null,
      t ? Math.round(st[o + 5]!) : null,
      t ? st[o + 1]! : null,
      t ? st[o + 2]! + st[o + 3]! : null,
      t ? st[o + 6]! : null,
      t ? st[o + 7]! : null,
    ]);
    this.prepaidSinceRow = 0n;
    this.purchasedSinceRow = 0n;
  }

  /** The `epochs` table: written by streaming its compact rows; `rows` builds the cells on first use. */
  epochsTable(): Table {
    const compact = this.rows;
    let cells: Cell[][] | undefined;
    const table: Table = {
      name: "epochs",
      columns: [...EPOCH_COLUMNS],
      get rows(): Cell[][] {
        cells ??= compact.toCells();
        return cells;
      },
    };
    // Not enumerable: two runs' tables compare equal by their names, columns and rows.
    Object.defineProperty(table, "eachRow", { value: (visit: (row: readonly Cell[]) => void) => compact.eachRow(visit), enumerable: false });
    return table;
  }

  /** Cumulative mining + traffic reward of a resource wallet (exact). */
  walletRewards(wallet: string): { mining: bigint; traffic: bigint } {
    const h = this.cache.book.find(wallet);
    const s = h >= 0 && h < this.handleSlot.length ? this.handleSlot[h]! : -1;
    if (s < 0) return { mining: 0n, traffic: 0n };
    return { mining: this.resMining.get(s), traffic: this.resTraffic.get(s) };
  }

  resourceTable(): Table {
    const rows: Cell[][] = [];
    for (let s = 0; s < this.slotNames.length; s++) {
      const m = this.resMining.get(s);
      const t = this.resTraffic.get(s);
      rows.push([this.slotNames[s]!, m, t, m + t, this.slotKinds[s]!, this.slotNode[s]!]);
    }
    return { name: "resource_rewards", columns: ["wallet", "mining_wei", "traffic_wei", "total_wei", "kind", "node"], rows };
  }

  /** Per-class totals and the Gini coefficient of resource rewards (final). */
  finalGini(): number {
    return gini(this.resTotal.subarray(0, this.slotNames.length));
  }

  /** Sum of mining+traffic over resource slots of a kind (STOS). */
  kindTotalStos(kind: WalletKind): number {
    let t = 0n;
    for (let s = 0; s < this.slotNames.length; s++) if (this.slotKinds[s] === kind) t += this.resMining.get(s) + this.resTraffic.get(s);
    return weiToStos(t);
  }
}
