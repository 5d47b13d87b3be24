// Actors of the PoT world that are not PBFT nodes: resource nodes (online state from churn and
// outages, the meta nodes' view of who is suspended), users (prepay policy, STOS and ozone
// balances), Sybil groups (prepay a budget, then download their own files), and the meta-node
// committee (observes served bytes per wallet per epoch, builds the true report, and — for an
// inflating coalition — the inflated one). Transactions are handed to the world, which submits
// them through the PBFT clients; nothing here touches the network.
// May import: kernel, protocols/pot, faults, traffic, ./feed (types), ./app, ./config, ./list-memory (where
// the lists live: the committee keeps to the rules).

import { type CoalitionPlan, coalitionOf, coalitionSigners, inflateVolumes } from "../../faults/index.js";
import {
  buildVolumeReportOp,
  buildVolumeReportOpFromLists,
  type EncodedLists,
  listLines,
  type PotSharedCache,
  prepareReport,
  reportQuorum,
  type VolumeReportOp,
} from "../../protocols/pot/index.js";
import type { FedReport } from "./feed/index.js";
import type { Churn } from "../../traffic/index.js";
import type { PackedReportOp, ReportCodec } from "./app.js";
import { addr, type SybilSpec, stosToWei } from "./config.js";
import { compactListed, ListMemory } from "./list-memory.js";

// ─────────────────────────────── resource nodes ───────────────────────────────

export class ResourceNodes {
  /** Overlapping outages per node (0 = not forced offline). */
  readonly forcedOff: Uint8Array;
  /** Consecutive epoch ends the meta nodes saw the node offline. */
  readonly offlineEpochs: Int32Array;
  /** The meta nodes' record: 1 once a suspension executed, 0 again once restored. */
  readonly suspended: Uint8Array;
  /** A suspend/restore transaction is in flight. */
  readonly busy: Uint8Array;
  /** The online set as of the last refreshOnline() (1 = online). */
  readonly onlineMask: Uint8Array;
  readonly wallets: string[];
  readonly addresses: string[];
  churn: Churn | undefined;
  readonly online = (j: number): boolean => this.forcedOff[j] === 0 && (this.churn === undefined || this.churn.isUp(j));

  constructor(readonly count: number) {
    this.forcedOff = new Uint8Array(count);
    this.offlineEpochs = new Int32Array(count);
    this.suspended = new Uint8Array(count);
    this.busy = new Uint8Array(count);
    this.onlineMask = new Uint8Array(count);
    this.wallets = Array.from({ length: count }, (_, j) => addr.resourceWallet(j));
    this.addresses = Array.from({ length: count }, (_, j) => addr.resourceNode(j));
  }

  onlineCount(): number {
    let n = 0;
    for (let j = 0; j < this.count; j++) if (this.online(j)) n++;
    return n;
  }

  /** Fills onlineMask (1 = online) with the current online set and returns how many are online. */
  refreshOnline(): number {
    const mask = this.onlineMask;
    const churn = this.churn;
    let n = 0;
    for (let j = 0; j < this.count; j++) {
      const up = this.forcedOff[j] === 0 && (churn === undefined || churn.isUp(j)) ? 1 : 0;
      mask[j] = up;
      n += up;
    }
    return n;
  }

  suspendedCount(): number {
    let n = 0;
    for (let j = 0; j < this.count; j++) n += this.suspended[j]!;
    return n;
  }
}

// ─────────────────────────────── users ───────────────────────────────

export class Users {
  readonly addresses: string[];
  readonly balance: bigint[];
  readonly pending: Uint8Array;
  /** Prepay when ozone falls below this (noz). */
  readonly threshold: Float64Array;
  prepays = 0;
  prepaidWei = 0n;
  purchasedNoz = 0n;
  refused = 0;

  constructor(
    readonly count: number,
    initialWei: bigint,
    readonly prepayWei: bigint,
    meanDemandPerEpoch: (u: number) => number,
    refillEpochs: number,
  ) {
    this.addresses = Array.from({ length: count }, (_, u) => addr.user(u));
    this.balance = new Array<bigint>(count).fill(initialWei);
    this.pending = new Uint8Array(count);
    this.threshold = new Float64Array(count);
    for (let u = 0; u < count; u++) this.threshold[u] = refillEpochs * meanDemandPerEpoch(u);
  }

  /** Users that should prepay now (low on ozone, none in flight, enough STOS); marks them pending. */
  due(ozone: Float64Array, out: number[]): void {
    for (let u = 0; u < this.count; u++) {
      if (this.pending[u] === 0 && ozone[u]! < this.threshold[u]! && this.balance[u]! >= this.prepayWei) {
        this.pending[u] = 1;
        out.push(u);
      }
    }
  }
}

// ─────────────────────────────── Sybil groups ───────────────────────────────

export class SybilGroup {
  readonly funder: string;
  readonly wallets: string[];
  readonly nodes: string[];
  /** Share of the group's downloads each wallet serves (its files / all files). */
  readonly weights: Float64Array;
  readonly budgetWei: bigint;
  readonly toEpoch: number;
  ozone = 0;
  pending = false;
  costWei = 0n;
  purchasedNoz = 0n;
  spentNoz = 0;

  constructor(
    readonly group: number,
    readonly spec: SybilSpec,
    /** Index of its first wallet in the committee's volume counters. */
    readonly firstSlot: number,
    lastEpoch: number,
  ) {
    this.funder = addr.sybilFunder(group);
    this.wallets = Array.from({ length: spec.wallets }, (_, w) => addr.sybilWallet(group, w));
    this.nodes = Array.from({ length: spec.wallets }, (_, w) => addr.sybilNode(group, w));
    this.weights = new Float64Array(spec.wallets);
    for (let f = 0; f < spec.files; f++) this.weights[f % spec.wallets]! += 1 / spec.files;
    this.budgetWei = stosToWei(spec.budgetStos);
    this.toEpoch = Math.min(spec.toEpoch ?? lastEpoch, lastEpoch);
  }

  active(epoch: number): boolean {
    return epoch >= this.spec.fromEpoch && epoch <= this.toEpoch;
  }

  /** Downloads its own files with all the ozone it holds: the bytes are served by its own nodes. */
  selfDownload(vol: Float64Array): void {
    const total = Math.floor(this.ozone);
    if (total <= 0) return;
    for (let w = 0; w < this.weights.length; w++) vol[this.firstSlot + w]! += total * this.weights[w]!;
    this.ozone -= total;
    this.spentNoz += total;
  }
}

// ─────────────────────────────── meta nodes ───────────────────────────────

export interface MetaNodeInfo {
  readonly index: number;
  readonly address: string;
  readonly owner: string;
  /** Reward wallet (the owner: no beneficiary set). */
  readonly wallet: string;
}

/** The true volume list of an epoch: wallets with ≥ 1 noz (distinct) and their volumes (whole noz). */
export interface EpochVolumes {
  readonly wallets: string[];
  readonly volumes: Float64Array;
  /** The wallets' handles in the shared wallet book, when every slot has one. */
  readonly handles?: Int32Array;
  /** The honest report's encoding by `reporter`, when the traffic feed made it (see feed/feed.ts). */
  readonly encoded?: { readonly reporter: number; readonly lists: EncodedLists };
}

export interface BuiltReport {
  readonly packed: PackedReportOp;
  readonly full: VolumeReportOp;
  readonly totalVolume: bigint;
  readonly entries: number;
  readonly signers: number;
}

export class MetaCommittee {
  readonly metas: MetaNodeInfo[];
  /** Bytes (= noz) served this epoch per wallet slot: honest resource nodes (0..count-1), then Sybil wallets. */
  readonly vol: Float64Array;
  /** Ozone sold (credited to buyers) and not yet reported as consumed. Reports never claim more. */
  outstandingNoz = 0n;
  clampedEpochs = 0;
  /** Epochs whose list and encoding came from the traffic feed (see closeEpoch); not an output. */
  fedEpochs = 0;
  private readonly quorum: number;
  /** Wallet slot names are pairwise distinct (so an epoch's list names no wallet twice). */
  private readonly distinctSlots: boolean;
  /** Where the lists live and how they are filled fast (list-memory.ts). */
  private readonly memory: ListMemory;

  /** Noz served but not settled (carried into the next epoch) by the settlement rule, in total. */
  carriedNoz = 0;
  /** The volumes held back for the next epoch (slot-aligned); only when settleFraction < 1. */
  private carry: Float64Array | undefined;

  /**
   * `settleFraction` < 1 is the whitepaper's settlement rule (top 80% with 0.8): each epoch only the
   * wallets that together served the largest `settleFraction` of its traffic are reported; the rest
   * carries over to the next epoch. The chain pays whatever list it gets, so this lives here, with
   * the meta nodes (whose real code is closed).
   */
  constructor(
    count: number,
    readonly walletNames: readonly string[],
    readonly coalitions: readonly CoalitionPlan[],
    private readonly cache: PotSharedCache,
    private readonly codec: ReportCodec,
    private readonly settleFraction = 1,
  ) {
    this.metas = Array.from({ length: count }, (_, i) => ({
      index: i,
      address: addr.metaAddress(i),
      owner: addr.metaOwner(i),
      wallet: addr.metaOwner(i),
    }));
    this.vol = new Float64Array(walletNames.length);
    this.quorum = reportQuorum(count);
    this.distinctSlots = new Set(walletNames).size === walletNames.length;
    this.memory = new ListMemory(cache, walletNames);
  }

  /** The rotating reporter of an epoch. */
  reporterOf(epoch: number): number {
    return (epoch - 1) % this.metas.length;
  }

  /** The coalition that inflates this epoch's report, or -1. */
  inflatingCoalition(epoch: number): number {
    return coalitionOf(this.coalitions, this.reporterOf(epoch), epoch);
  }

  /** The first meta node after the reporter that is not inflating this epoch (the honest fallback), or -1. */
  honestReporter(epoch: number): number {
    const m = this.metas.length;
    const r = this.reporterOf(epoch);
    for (let k = 0; k < m; k++) {
      const i = (r + k) % m;
      if (coalitionOf(this.coalitions, i, epoch) < 0) return i;
    }
    return -1;
  }

  /**
   * Closes the epoch: the served bytes per wallet become the true volume list (floored to whole noz,
   * scaled down if they would exceed the ozone sold and not yet reported), and the counters are reset
   * — except, under a settlement fraction below 1, the wallets left out, whose volume carries over.
   * Returns null when nothing was settled.
   */
  closeEpoch(fed?: FedReport): EpochVolumes | null {
    // The feed's list is the one below when the served volumes were exactly its node volumes (the
    // caller's guarantee) and nothing else changes it: no settlement rule and no scaling to the ozone sold.
    if (fed && this.settleFraction >= 1 && fed.total <= Number(this.outstandingNoz) && this.memory.slotHandles()) return this.closeFed(fed);
    const vol = this.vol;
    const n = vol.length;
    let total = 0;
    let count = 0;
    // Branch-free counting: whether a node served this epoch is close to a coin flip.
    for (let i = 0; i < n; i++) {
      const v = Math.floor(vol[i]!);
      vol[i] = v;
      total += v;
      count += +(v >= 1);
    }
    if (count > 0 && this.settleFraction < 1) {
      const settled = this.holdBackTail(total, count);
      total = settled.total;
      count = settled.count;
    }
    if (count === 0) {
      vol.fill(0);
      return null;
    }
    const cap = Number(this.outstandingNoz);
    const scale = total > cap ? cap / total : 1;
    if (scale < 1) this.clampedEpochs++;
    // Sized up front (no regrowth), with one spare entry each for compactListed.
    const wallets: string[] = new Array(count + 1);
    const volumes = this.memory.volumes(count + 1);
    const slotHandles = this.memory.slotHandles();
    const handles = slotHandles ? this.memory.handles(count + 1) : undefined;
    let k = 0;
    if (scale === 1 && handles) k = compactListed(vol, this.walletNames, slotHandles!, volumes, handles, wallets);
    else {
      for (let i = 0; i < n; i++) {
        const v = scale === 1 ? vol[i]! : Math.floor(vol[i]! * scale);
        if (v >= 1) {
          volumes[k] = v;
          if (handles) handles[k] = slotHandles![i]!;
          wallets[k++] = this.walletNames[i]!;
        }
      }
    }
    if (this.carry) {
      vol.set(this.carry);
      this.carry.fill(0);
    } else vol.fill(0);
    wallets.length = k;
    return k > 0 ? { wallets, volumes: volumes.subarray(0, k), handles: handles?.subarray(0, k) } : null;
  }

  /** closeEpoch from the feed's list (slots = nodes): copies of its lists, and its encoding. */
  private closeFed(fed: FedReport): EpochVolumes {
    const k = fed.nodes.length;
    const wallets: string[] = new Array(k);
    const volumes = this.memory.volumes(k);
    const handles = this.memory.handles(k);
    const sh = this.memory.slotHandles()!;
    for (let d = 0; d < k; d++) {
      const j = fed.nodes[d]!;
      wallets[d] = this.walletNames[j]!;
      handles[d] = sh[j]!;
    }
    volumes.set(fed.volumes);
    const lines = this.memory.copyLines(fed.lines);
    this.vol.fill(0);
    this.fedEpochs++;
    return { wallets, volumes, handles, encoded: { reporter: fed.reporter, lists: { lines, txData: fed.txData } } };
  }

  /**
   * The settlement rule: ranks the wallets that served traffic by volume (largest first, ties by slot),
   * keeps the shortest prefix that covers settleFraction of `total`, and moves the rest from `vol`
   * into `carry`. Returns the settled total and wallet count.
   */
  private holdBackTail(total: number, count: number): { total: number; count: number } {
    const vol = this.vol;
    const n = vol.length;
    this.carry ??= new Float64Array(n);
    const rank = this.memory.rank(count);
    let k = 0;
    for (let i = 0; i < n; i++) if (vol[i]! >= 1) rank[k++] = i;
    rank.sort((a, b) => vol[b]! - vol[a]! || a - b);
    const target = this.settleFraction * total;
    let settledTotal = 0;
    let settledCount = 0;
    while (settledCount < count && settledTotal < target) settledTotal += vol[rank[settledCount++]!]!;
    for (let r = settledCount; r < count; r++) {
      const i = rank[r]!;
      this.carry[i] = vol[i]!;
      this.carriedNoz += vol[i]!;
      vol[i] = 0;
    }
    return { total: settledTotal, count: settledCount };
  }

  /** The true report, reported by `reporter`, co-signed by every meta node. */
  honest(epoch: number, reporter: number, v: EpochVolumes): BuiltReport {
    const signers = this.metas.map((m) => m.address);
    // closeEpoch lists each wallet slot at most once, and slot names are distinct.
    const { op, lines } = buildVolumeReportOpFromLists(
      this.header(epoch, reporter, "h"),
      v.wallets,
      v.volumes,
      signers,
      this.cache,
      this.distinctSlots,
      this.distinctSlots ? v.handles : undefined,
      v.encoded?.reporter === reporter ? v.encoded.lists : undefined,
    );
    return this.finish(op, lines, v.wallets.length, signers);
  }

  /** Coalition `c`'s inflated report, reported by `reporter` and signed by the coalition alone. */
  inflated(epoch: number, reporter: number, c: number, v: EpochVolumes): BuiltReport {
    const plan = this.coalitions[c]!;
    const inf = inflateVolumes(v.wallets, Array.from(v.volumes, String), plan, addr.coalitionWallet(c));
    const keys = plan.members.map((i) => this.metas[i]!.address);
    const signers = coalitionSigners(keys, this.quorum, plan.padSigners);
    const walletVolumes = inf.wallets.map((wallet, i) => ({ wallet, volume: inf.volumes[i]! }));
    const op = buildVolumeReportOp({ ...this.header(epoch, reporter, `i${c}`), walletVolumes }, signers, this.cache);
    return this.finish(op, listLines(inf.wallets, inf.volumes), inf.wallets.length, signers);
  }

  private header(epoch: number, reporter: number, tag: string) {
    const m = this.metas[reporter]!;
    return { reporter: m.address, reporterOwner: m.owner, epoch, reportReference: `e${epoch}${tag}` };
  }

  private finish(full: VolumeReportOp, lines: Uint8Array, entries: number, signers: readonly string[]): BuiltReport {
    const packed = this.codec.pack(full, lines, entries);
    const totalVolume = prepareReport(full, this.cache).totalVolume;
    return { packed, full, totalVolume, entries, signers: signers.length };
  }
}
