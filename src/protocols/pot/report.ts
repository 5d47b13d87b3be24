// Volume reports: parsing and ValidateBasic, the sign-bytes digest (tx_data), the BLS model, and the
// resource-node part of the distribution (spec §3.2, §3.4, §4 step E), prepared once per op and memoised.
//
// BLS model: a report's `txData` must equal sha256 of its canonical sign bytes, and its `signature` must
// equal blsAggregate(txData, signers), a deterministic hash of txData and the *multiset* of signer keys
// (aggregation is commutative, and duplicated keys are allowed exactly as on chain).

import type { WalletBook } from "./book.js";
import { ONE } from "./dec.js";
import type { EncodedLists, ListEncoder } from "./fast/encode.js";
import { type RewardLimbs, toLimbs } from "./fast/limbs.js";
import { PotMemory } from "./fast/memory.js";
import { computePlanFast } from "./fast/plan.js";
import { sha256Hex } from "./sha256.js";
import type { RewardBlock } from "./state.js";

export type { EncodedLists } from "./fast/encode.js";
export type { RewardLimbs } from "./fast/limbs.js";
export { sha256Hex } from "./sha256.js";

export interface WalletVolume {
  readonly wallet: string;
  /** noz; a decimal string, a safe non-negative integer, or a bigint. */
  readonly volume: string | number | bigint;
}

/** The payload of MsgVolumeReport plus its BLS part. */
export interface VolumeReportInput {
  readonly reporter: string;
  readonly reporterOwner: string;
  /** Positive safe integer (number or decimal string). */
  readonly epoch: number | string;
  readonly reportReference: string;
  readonly walletVolumes: readonly WalletVolume[];
  /** BLS public keys; here the signers' meta-node network addresses. */
  readonly signers: readonly string[];
  readonly signature: string;
  /** keccak of the sign bytes on chain; here sha256. If omitted it is taken as the correct digest. */
  readonly txData?: string;
}

const VOLUME_RE = /^\d+$/;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Canonical sign bytes of a report (the message with an empty BLS field); volumes as canonical decimals. */
export function reportSignBytes(
  r: Pick<VolumeReportInput, "reporter" | "reporterOwner" | "epoch" | "reportReference"> & {
    readonly walletVolumes: readonly { readonly wallet: string; readonly volume: string | number | bigint }[];
  },
): string {
  return signBytes(
    r,
    r.walletVolumes.map((w) => w.wallet),
    r.walletVolumes.map((w) => BigInt(w.volume).toString()),
  );
}

/** Canonical decimal of a volume; canonical strings are returned as they are. */
export function canonicalVolume(v: string | number | bigint): string {
  if (typeof v === "string" && (v.length === 1 || v[0] !== "0") && VOLUME_RE.test(v)) return v;
  return BigInt(v).toString();
}

/** Sign bytes of a report whose volumes are already canonical decimal strings (no conversion). */
export function canonicalSignBytes(
  r: Pick<VolumeReportInput, "reporter" | "reporterOwner" | "epoch" | "reportReference"> & {
    readonly walletVolumes: readonly { readonly wallet: string; readonly volume: string }[];
  },
): string {
  let s = signBytesHeader(r);
  for (const wv of r.walletVolumes) s += `${wv.wallet}=${wv.volume}\n`;
  return s;
}

/**
 * Sign bytes from parallel lists of wallets and canonical decimal volumes (the reference of
 * fast/encode.ts's one-pass encoder, tested equal by test/protocols/pot/fast/encode.equiv.test.ts).
 */
export function signBytes(
  h: Pick<VolumeReportInput, "reporter" | "reporterOwner" | "epoch" | "reportReference">,
  wallets: readonly string[],
  volumes: readonly string[],
): string {
  let s = signBytesHeader(h);
  for (let i = 0; i < wallets.length; i++) s += `${wallets[i]}=${volumes[i]}\n`;
  return s;
}

function signBytesHeader(h: Pick<VolumeReportInput, "reporter" | "reporterOwner" | "epoch" | "reportReference">): string {
  return `potsim/MsgVolumeReport\n${h.reporter}\n${h.reporterOwner}\n${String(h.epoch)}\n${h.reportReference}\n`;
}

/**
 * The lists of a report encoded by `encoder` (fast/encode.ts: one pass over a reused buffer) into its
 * list lines and tx_data: the same bytes as listLines and sha256Hex(signBytes(...)), the reference.
 * `volumes` must be non-negative safe integers; undefined for non-ASCII text.
 */
export function encodeLists(
  h: Pick<VolumeReportInput, "reporter" | "reporterOwner" | "epoch" | "reportReference">,
  wallets: readonly string[],
  volumes: ArrayLike<number>,
  encoder: ListEncoder,
): EncodedLists | undefined {
  return encoder.encode(signBytesHeader(h), wallets, volumes);
}

/**
 * The list lines of sign bytes (`wallet=volume\n` per entry) as UTF-8 bytes: encodeLists' payload, for
 * any text (the reference of fast/encode.ts, with signBytes and sha256Hex).
 */
export function listLines(wallets: readonly string[], volumes: readonly string[]): Uint8Array {
  let s = "";
  for (let i = 0; i < wallets.length; i++) s += `${wallets[i]}=${volumes[i]}\n`;
  return new Uint8Array(Buffer.from(s, "utf8"));
}

/**
 * Parses list lines back into wallets and volume strings (the inverse of listLines for wallets without
 * "=" or newlines). A line without "=" is a wallet with an empty volume; text after the last newline is
 * a line too.
 */
export function parseListLines(lines: Uint8Array): { wallets: string[]; volumes: string[] } {
  const text = Buffer.from(lines.buffer, lines.byteOffset, lines.byteLength).toString("utf8");
  const rows = text.split("\n");
  if (rows[rows.length - 1] === "") rows.pop();
  const wallets: string[] = new Array(rows.length);
  const volumes: string[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const eq = row.lastIndexOf("=");
    wallets[i] = eq < 0 ? row : row.slice(0, eq);
    volumes[i] = eq < 0 ? "" : row.slice(eq + 1);
  }
  return { wallets, volumes };
}

/** The modelled aggregate BLS signature of `txData` by the multiset `signers`. */
export function blsAggregate(txData: string, signers: readonly string[]): string {
  const keys = [...signers].sort();
  return sha256Hex(`potsim/bls-aggregate\n${txData}\n${keys.join("\n")}`);
}

/** Step E totals for one set of pool amounts (pure function of the report and the key). */
export interface ResourcePlan {
  readonly miningToResource: bigint;
  readonly trafficToResource: bigint;
  readonly tauRaw: bigint;
  readonly miningSum: bigint;
  readonly paidSum: bigint;
  readonly taxSumRaw: bigint;
  /** Per distinct wallet (first-appearance order): summed mining and mining + paid traffic as limbs. */
  readonly limbs: RewardLimbs;
}

/** Step E per list entry (Dec raw / wei), computed on demand for metrics and tests. */
export interface PlanDetails {
  readonly shareRaw: readonly bigint[];
  readonly mining: readonly bigint[];
  readonly beforeRaw: readonly bigint[];
  readonly taxRaw: readonly bigint[];
  readonly paid: readonly bigint[];
}

/** What a report builder already computed for the very op it built (used instead of recomputing). */
export interface TrustedReportParts {
  /** sha256 of the op's canonical sign bytes. */
  readonly txData: string;
  /** The volumes as bigints, index-aligned with `op.walletVolumes`. */
  readonly volumes?: readonly bigint[];
  /**
   * The op's list as parallel arrays (then `op.walletVolumes` is not read): wallets, and volumes as safe
   * integers whose canonical strings the op carries. `distinct`: no wallet appears twice; `handles`: the
   * distinct wallets' handles in `book` (what handles(book) would intern).
   */
  readonly lists?: {
    readonly wallets: readonly string[];
    readonly numbers: ArrayLike<number>;
    readonly distinct: boolean;
    readonly handles?: { readonly book: WalletBook; readonly idx: Int32Array };
  };
}

/** A parsed report. `error` is set when ValidateBasic or parsing fails. Everything else depends only on the op. */
export class PreparedReport {
  readonly error: string | undefined;
  readonly reporter: string;
  readonly reporterOwner: string;
  readonly epoch: number;
  readonly reportReference: string;
  readonly wallets: readonly string[];
  readonly totalVolume: bigint;
  /** Distinct wallets in first-appearance order (the wallets themselves when none repeats). */
  readonly distinct: readonly string[];
  /** Each entry's position among the distinct wallets; undefined while it is the identity. */
  private e2d: Int32Array | undefined;
  readonly signers: readonly string[];
  readonly signature: string;
  /** Every volume as a safe integer, or undefined when some volume is not one (then only bigints are used). */
  private readonly numbers: ArrayLike<number> | undefined;
  private volumesMemo: readonly bigint[] | undefined;
  private volumeStringsMemo: readonly string[] | undefined;
  private readonly claimedTxData: string | undefined;
  private txDataMemo: string | undefined;
  /** "" once the signature verified. */
  private signatureMemo: string | undefined;
  private readonly plans: ResourcePlan[] = [];
  private detailsMemo: { key: [bigint, bigint, bigint]; value: PlanDetails } | undefined;
  private blockMemo: { book: WalletBook; plan: ResourcePlan; sig: string; block: RewardBlock } | undefined;
  private handleBook: WalletBook | undefined;
  private handleMemo: Int32Array | undefined;
  /** Where this report's kept arrays and scratch come from (its world's, or its own). */
  private readonly memory: PotMemory;

  /**
   * @param trusted what the report builder already computed for this very op (see TrustedReportParts).
   * @param memory the world's typed-array memory (default: this report's own).
   */
  constructor(op: VolumeReportInput, trusted?: TrustedReportParts, memory?: PotMemory) {
    this.memory = memory ?? new PotMemory(false);
    this.txDataMemo = trusted?.txData;
    this.reporter = typeof op.reporter === "string" ? op.reporter : "";
    this.reporterOwner = typeof op.reporterOwner === "string" ? op.reporterOwner : "";
    this.reportReference = typeof op.reportReference === "string" ? op.reportReference : "";
    this.signature = typeof op.signature === "string" ? op.signature : "";
    this.claimedTxData = typeof op.txData === "string" ? op.txData : undefined;
    this.signers = Array.isArray(op.signers) ? op.signers.filter((k): k is string => typeof k === "string") : [];
    const ep = typeof op.epoch === "string" && /^\d+$/.test(op.epoch) ? Number(op.epoch) : op.epoch;
    this.epoch = typeof ep === "number" && Number.isSafeInteger(ep) ? ep : 0;

    const lists = trusted?.lists;
    const list = lists ? [] : Array.isArray(op.walletVolumes) ? op.walletVolumes : [];
    const n = lists ? lists.wallets.length : list.length;
    let wallets: readonly string[];
    let entryError: string | undefined;
    let total: bigint;
    if (lists) {
      // Builder's lists: the op's volumes are the canonical strings of these safe integers; nothing to parse.
      const nums = lists.numbers;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        if (!lists.wallets[i]) entryError ??= "invalid_wallet_address";
        sum += nums[i]!;
      }
      wallets = lists.wallets;
      this.numbers = nums;
      if (sum <= Number.MAX_SAFE_INTEGER) total = BigInt(sum);
      else {
        total = 0n;
        for (let i = 0; i < n; i++) total += BigInt(nums[i]!);
      }
    } else {
      const hint = trusted?.volumes;
      const parsed: string[] = new Array(n);
      const volumes: bigint[] = new Array(n);
      const volumeStrings: string[] = new Array(n);
      let nums: Float64Array | undefined = new Float64Array(n);
      total = 0n;
      for (let i = 0; i < n; i++) {
        const wv = list[i];
        const w = wv && typeof wv.wallet === "string" ? wv.wallet : "";
        const raw = wv?.volume;
        let v: bigint | undefined;
        let canon: string;
        if (typeof raw === "string" && VOLUME_RE.test(raw)) {
          v = hint ? hint[i]! : BigInt(raw);
          // Sign bytes use canonical decimals; a canonical input string is reused as is.
          canon = raw.length === 1 || raw.charCodeAt(0) !== 48 ? raw : v.toString();
        } else {
          v = parseVolume(raw);
          canon = v === undefined ? "0" : v.toString();
        }
        if (!w) entryError ??= "invalid_wallet_address";
        if (v === undefined) entryError ??= "invalid_volume";
        else if (v < 0n) entryError ??= "negative_volume";
        const vol = v !== undefined && v > 0n ? v : 0n;
        parsed[i] = w;
        volumes[i] = vol;
        volumeStrings[i] = canon;
        total += vol;
        if (nums) {
          if (vol <= MAX_SAFE) nums[i] = Number(vol);
          else nums = undefined;
        }
      }
      wallets = parsed;
      this.numbers = nums;
      this.volumesMemo = volumes;
      this.volumeStringsMemo = volumeStrings;
    }
    // Distinct wallets (a list may name a wallet twice; rewards then add up).
    let distinct: readonly string[] = wallets;
    if (!lists?.distinct) {
      const e2d = new Int32Array(n);
      const found: string[] = [];
      const pos = new Map<string, number>();
      for (let i = 0; i < n; i++) {
        const w = wallets[i]!;
        let d = pos.get(w);
        if (d === undefined) {
          d = found.length;
          found.push(w);
          pos.set(w, d);
        }
        e2d[i] = d;
      }
      if (found.length !== n) {
        distinct = found;
        this.e2d = e2d;
      }
    }
    // ValidateBasic, in the chain's spirit: addresses, positive epoch, non-empty list and BLS fields.
    let error: string | undefined;
    if (!this.reporter) error = "invalid_reporter_address";
    else if (!this.reporterOwner) error = "invalid_reporter_owner_address";
    else if (this.epoch <= 0) error = "invalid_epoch";
    else if (!this.reportReference) error = "empty_report_reference";
    else if (n === 0) error = "empty_wallet_volumes";
    else if (entryError !== undefined) error = entryError;
    else if (this.signers.length === 0 || !this.signature || this.claimedTxData === "") error = "empty_bls_signature";
    this.error = error;
    this.wallets = wallets;
    this.totalVolume = total;
    this.distinct = distinct;
    if (lists?.handles && distinct === wallets) {
      this.handleBook = lists.handles.book;
      this.handleMemo = lists.handles.idx;
    }
  }

  /** Each entry's position among the distinct wallets. */
  get entryToDistinct(): Int32Array {
    this.e2d ??= Int32Array.from(this.wallets, (_, i) => i);
    return this.e2d;
  }

  /** The volumes (noz), index-aligned with `wallets`; negative or invalid volumes count as 0. */
  get volumes(): readonly bigint[] {
    if (!this.volumesMemo) {
      const nums = this.numbers!;
      const v: bigint[] = new Array(nums.length);
      for (let i = 0; i < v.length; i++) v[i] = BigInt(nums[i]!);
      this.volumesMemo = v;
    }
    return this.volumesMemo;
  }

  /** Canonical decimal form of each volume (as signed). */
  get volumeStrings(): readonly string[] {
    this.volumeStringsMemo ??= this.volumes.map((v) => v.toString());
    return this.volumeStringsMemo;
  }

  /** sha256 of the canonical sign bytes (memoised). */
  get txData(): string {
    this.txDataMemo ??= sha256Hex(signBytes(this, this.wallets, this.volumeStrings));
    return this.txDataMemo;
  }

  /** Check 3 of §3.4: the claimed tx_data matches the message and the aggregate signature verifies (memoised). */
  signatureError(): string | undefined {
    if (this.signatureMemo === undefined) {
      if (this.claimedTxData !== undefined && this.claimedTxData !== this.txData) this.signatureMemo = "tx_data_mismatch";
      else if (this.signature !== blsAggregate(this.txData, this.signers)) this.signatureMemo = "invalid_bls_signature";
      else this.signatureMemo = "";
    }
    return this.signatureMemo || undefined;
  }

  /** Handles of the distinct wallets in `book` (interned on first use; cached for one book). */
  handles(book: WalletBook): Int32Array {
    if (this.handleBook !== book || !this.handleMemo) {
      // Kept by reward blocks until maturity, like the reward limbs.
      const h = this.memory.handles.take(this.distinct.length);
      for (let i = 0; i < h.length; i++) h[i] = book.intern(this.distinct[i]!);
      this.handleBook = book;
      this.handleMemo = h;
    }
    return this.handleMemo;
  }

  /** The reward block a ledger built from this report, if another ledger with the same book, plan and meta part did. */
  cachedBlock(book: WalletBook, plan: ResourcePlan, sig: string): RewardBlock | undefined {
    const m = this.blockMemo;
    return m && m.book === book && m.plan === plan && m.sig === sig ? m.block : undefined;
  }

  cacheBlock(book: WalletBook, plan: ResourcePlan, sig: string, block: RewardBlock): void {
    this.blockMemo = { book, plan, sig, block };
  }

  /** Step E totals for these pool amounts (memoised per key). Requires totalVolume > 0. */
  plan(miningToResource: bigint, trafficToResource: bigint, tauRaw: bigint): ResourcePlan {
    for (const p of this.plans) {
      if (p.miningToResource === miningToResource && p.trafficToResource === trafficToResource && p.tauRaw === tauRaw) return p;
    }
    const p = this.computeFast(miningToResource, trafficToResource, tauRaw) ?? computePlan(this, miningToResource, trafficToResource, tauRaw, undefined);
    if (this.plans.length >= 4) this.plans.shift();
    this.plans.push(p);
    return p;
  }

  /** The float64 path of `plan` (same integers), when the volumes and amounts are in its exact domain. */
  private computeFast(mR: bigint, tR: bigint, tauRaw: bigint): ResourcePlan | undefined {
    if (!this.numbers) return undefined;
    const dup = this.distinct.length !== this.wallets.length;
    const f = computePlanFast(this.numbers, this.totalVolume, dup ? this.entryToDistinct : undefined, this.distinct.length, mR, tR, tauRaw, this.memory);
    if (!f) return undefined;
    const limbs: RewardLimbs = { minHi: f.minHi, minLo: f.minLo, totHi: f.totHi, totLo: f.totLo };
    return { miningToResource: mR, trafficToResource: tR, tauRaw, miningSum: f.miningSum, paidSum: f.paidSum, taxSumRaw: f.taxSumRaw, limbs };
  }

  /**
   * Step E per entry. Not kept with the plan, so the per-entry bigints of every report die young;
   * the last request is memoised (metrics usually ask for the latest report on several replicas).
   */
  details(miningToResource: bigint, trafficToResource: bigint, tauRaw: bigint): PlanDetails {
    const d = this.detailsMemo;
    if (d && d.key[0] === miningToResource && d.key[1] === trafficToResource && d.key[2] === tauRaw) return d.value;
    const value: PlanDetails = { shareRaw: [], mining: [], beforeRaw: [], taxRaw: [], paid: [] };
    computePlan(this, miningToResource, trafficToResource, tauRaw, value as MutableDetails);
    this.detailsMemo = { key: [miningToResource, trafficToResource, tauRaw], value };
    return value;
  }
}

type MutableDetails = { [K in keyof PlanDetails]: bigint[] };

function parseVolume(v: unknown): bigint | undefined {
  if (typeof v === "bigint") return v;
  if (typeof v === "number") return Number.isSafeInteger(v) ? BigInt(v) : undefined;
  if (typeof v === "string") {
    if (VOLUME_RE.test(v)) return BigInt(v);
    if (v.startsWith("-") && VOLUME_RE.test(v.slice(1))) return -BigInt(v.slice(1));
  }
  return undefined;
}

const HALF = ONE / 2n;

const gcd = (a: bigint, b: bigint): bigint => {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
};

/**
 * Step E in bigints (~15 operations per entry): the general path behind computePlanFast (fast/plan.ts, its
 * optimised twin for reports in its exact domain, tested equal by test/protocols/pot/fast/plan.equiv.test.ts), and
 * the per-entry details. Same results as `resourceEntryReward` per entry:
 * the LegacyDec roundings are inlined, and q(before·τ) is computed as round(before·num/den) with
 * τ/10^18 = num/den in lowest terms (equal rationals, equal half-to-even ties). Per-entry values are
 * written to `out` only when asked for.
 */
function computePlan(r: PreparedReport, mR: bigint, tR: bigint, tauRaw: bigint, out: MutableDetails | undefined): ResourcePlan {
  const n = r.volumes.length;
  const Y = r.totalVolume;
  const vols = r.volumes;
  const nd = r.distinct.length;
  const dup = nd !== n;
  const e2d = r.entryToDistinct;
  // Per distinct wallet sums (entries of a duplicated wallet add up).
  const aggMin: bigint[] = new Array(nd);
  const aggPaid: bigint[] = new Array(nd);
  // ⌊q(m·1e18·s)⌋ = ⌊m·s/1e18⌋; when m is a whole number of STOS this is a single multiplication.
  const mWhole = mR % ONE === 0n ? mR / ONE : -1n;
  const g = tauRaw === 0n ? ONE : gcd(tauRaw, ONE);
  const tNum = tauRaw / g;
  const tDen = ONE / g;
  let miningSum = 0n;
  let paidSum = 0n;
  let taxSum = 0n;
  const smallY = Y <= HALF;
  for (let i = 0; i < n; i++) {
    // q(v/Y) rounds t = trunc(v·1e36/Y) at 18 decimals. With s = ⌊v·1e18/Y⌋, rem = v·1e18 − s·Y and
    // d = 2·rem − Y: t's dropped digits exceed one half iff d > 0 and HALF·d ≥ Y (always so when
    // Y ≤ HALF), and equal it (a tie, judged after truncation) iff d ≥ 0 otherwise.
    const nv = vols[i]! * ONE;
    let s = nv / Y;
    const d = (nv - s * Y) * 2n - Y;
    if (d >= 0n && ((d > 0n && (smallY || HALF * d >= Y)) || (s & 1n) === 1n)) s += 1n;
    const m = mWhole >= 0n ? mWhole * s : (mR * s) / ONE;
    const before = tR * s;
    const x = tNum === 1n ? before : before * tNum;
    let tax = x / tDen;
    const r2 = (x - tax * tDen) * 2n;
    if (r2 > tDen || (r2 === tDen && (tax & 1n) === 1n)) tax += 1n;
    const p = (before - tax) / ONE;
    miningSum += m;
    paidSum += p;
    taxSum += tax;
    if (dup) {
      const d = e2d[i]!;
      aggMin[d] = aggMin[d] === undefined ? m : aggMin[d] + m;
      aggPaid[d] = aggPaid[d] === undefined ? p : aggPaid[d] + p;
    } else {
      aggMin[i] = m;
      aggPaid[i] = p;
    }
    if (out) {
      out.shareRaw.push(s);
      out.mining.push(m);
      out.beforeRaw.push(before);
      out.taxRaw.push(tax);
      out.paid.push(p);
    }
  }
  const limbs: RewardLimbs = {
    minHi: new Float64Array(nd),
    minLo: new Float64Array(nd),
    totHi: new Float64Array(nd),
    totLo: new Float64Array(nd),
  };
  for (let d = 0; d < nd; d++) {
    const m = aggMin[d]!;
    [limbs.minHi[d], limbs.minLo[d]] = toLimbs(m);
    [limbs.totHi[d], limbs.totLo[d]] = toLimbs(m + aggPaid[d]!);
  }
  return { miningToResource: mR, trafficToResource: tR, tauRaw, miningSum, paidSum, taxSumRaw: taxSum, limbs };
}

/** What report preparation uses of a world's shared cache (shared.ts's PotSharedCache has it). */
export interface PreparedReportCache {
  /** Prepared reports by op (identity). */
  readonly prepared: WeakMap<object, unknown>;
  readonly memory: PotMemory;
}

/** Prepared form of a report op, memoised in the shared cache by op identity. */
export function prepareReport(op: VolumeReportInput, cache: PreparedReportCache | undefined): PreparedReport {
  if (cache && typeof op === "object" && op !== null) {
    const hit = cache.prepared.get(op);
    if (hit instanceof PreparedReport) return hit;
    const p = new PreparedReport(op, undefined, cache.memory);
    cache.prepared.set(op, p);
    return p;
  }
  return new PreparedReport(op);
}
