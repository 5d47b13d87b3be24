// PotApplication: the PoT ledger as a PBFT replicated application (structurally the `Application` of
// protocols/pbft/types.ts, not imported) in explicit block mode, one block per executed PBFT batch with
// a block time derived from the ordered requests; plus builders for honestly signed, inflated and forged
// volume-report ops for the world's meta nodes and fault models.

import { type EndBlockSummary, type LedgerOptions, type LedgerSnapshot, PotLedger } from "./ledger.js";
import { executeOp, type OpResult, resultText, type VolumeReportOp } from "./ops.js";
import type { GenesisConfig } from "./params.js";
import type { PotSharedCache } from "./shared.js";
import {
  blsAggregate,
  canonicalSignBytes,
  canonicalVolume,
  type EncodedLists,
  encodeLists,
  listLines,
  PreparedReport,
  sha256Hex,
  signBytes,
  type WalletVolume,
} from "./report.js";

/** Execution context given by the PBFT replica: the request's client and timestamp, and the batch's sequence number. */
export interface PotExecContext {
  client: number;
  timestamp: number;
  seq: number;
}

/** Counters of executed operations and blocks (observational; not part of the replicated state). */
export interface PotAppStats {
  executed: number;
  refused: number;
  refusedByReason: Map<string, number>;
  /** Blocks ended (EndBlockers run). */
  blocks: number;
}

/** A PotApplication snapshot: the ledger's and the PBFT sequence number of its open block. */
interface PotAppSnapshot {
  readonly kind: "potsim/pot-app";
  readonly ledger: LedgerSnapshot;
  readonly blockSeq: number;
}

/**
 * One replica's PoT service. Its ledger runs in explicit block mode, and blocks follow PBFT batches:
 * the requests executed under one sequence number form one block, whose height counts the batches that
 * executed at least one request (null requests and batches of only duplicates execute nothing and are
 * not blocks). The replica executes a batch's requests one by one and never signals its end, so a block
 * is ended lazily: the first request of the next sequence number runs the open block's `endBlock()` and
 * then opens the next one. The open block (its sequence number, height and time) is replicated state —
 * covered by `stateDigest()` and carried by snapshots — so checkpoints, state transfer and INV-K see every
 * correct replica in the same place. Block time = max(previous block time, the client timestamp of the
 * block's first request): ordered data every correct replica has, never a local clock, and monotone.
 * In this simulator each PBFT client numbers its requests 1, 2, 3, …, so the block clock is a logical
 * one: it reads the highest request number seen first in a batch, and the 7 d / 180 d / 14 d timers
 * (604,800 / 15,552,000 / 1,209,600 "seconds") count requests of the busiest client, not wall time. A
 * faulty client can push it forward with large timestamps (PBFT does not bound client timestamps).
 */
export class PotApplication {
  readonly ledger: PotLedger;
  readonly stats: PotAppStats = { executed: 0, refused: 0, refusedByReason: new Map(), blocks: 0 };
  /** What the last `endBlock` did (observational). */
  lastEndBlock: EndBlockSummary | undefined;
  /** Sequence number of the open block (−1 before the first request). Replicated. */
  private blockSeq = -1;
  private digestMemo: { ledger: string; seq: number; digest: string } | undefined;

  /**
   * One replica's ledger (always `blockMode: "explicit"`, whatever `options` say). Pass the same
   * `options.shared` to all replicas of a world to share report preparation.
   */
  constructor(genesis: GenesisConfig, options: LedgerOptions = {}) {
    this.ledger = new PotLedger(genesis, { ...options, blockMode: "explicit" });
  }

  /** Sequence number of the open block (−1 before the first request). */
  get openBlockSeq(): number {
    return this.blockSeq;
  }

  /**
   * Makes the block of `ctx.seq` the open one: on a new sequence number, ends the open block (its
   * EndBlockers run) and begins the next at max(previous block time, ctx.timestamp). Idempotent within a
   * batch; `execute` calls it, and a host may call it first to keep the EndBlocker's changes apart from
   * the request's (the PoT world's checker does).
   */
  enterBlock(ctx: PotExecContext): void {
    if (ctx.seq === this.blockSeq) return;
    const l = this.ledger;
    if (l.blockOpen) {
      this.lastEndBlock = l.endBlock();
      this.stats.blocks++;
    }
    const t = Number.isFinite(ctx.timestamp) ? Math.max(l.blockTimeSec, ctx.timestamp) : l.blockTimeSec;
    l.beginBlock(t);
    this.blockSeq = ctx.seq;
  }

  /** Executes one committed operation in the block of `ctx.seq`: its typed result (see ops.ts). */
  run(op: unknown, ctx: PotExecContext): OpResult {
    this.enterBlock(ctx);
    const res = executeOp(this.ledger, op);
    this.stats.executed++;
    if (!res.ok) {
      this.stats.refused++;
      this.stats.refusedByReason.set(res.reason, (this.stats.refusedByReason.get(res.reason) ?? 0) + 1);
    }
    return res;
  }

  /** `run` as the PBFT Application interface wants it: the result's canonical text (resultText). */
  execute(op: unknown, ctx: PotExecContext): string {
    return resultText(this.run(op, ctx));
  }

  /** sha256 hex of the canonical ledger state and the open block's sequence number (memoised between changes). */
  stateDigest(): string {
    const ledger = this.ledger.stateDigest();
    const m = this.digestMemo;
    if (m?.ledger === ledger && m.seq === this.blockSeq) return m.digest;
    const digest = sha256Hex(`potsim/pot-app|${ledger}|${this.blockSeq}`);
    this.digestMemo = { ledger, seq: this.blockSeq, digest };
    return digest;
  }

  /** Immutable copy of the service state (ledger and open block) for state transfer. */
  snapshot(): unknown {
    const snap: PotAppSnapshot = { kind: "potsim/pot-app", ledger: this.ledger.snapshot(), blockSeq: this.blockSeq };
    return Object.freeze(snap);
  }

  /** Replaces the service state with a snapshot from `snapshot()` (possibly from another replica). */
  restore(snapshot: unknown): void {
    const snap = snapshot as PotAppSnapshot | undefined;
    if (snap?.kind !== "potsim/pot-app") throw new TypeError("not a PoT application snapshot");
    this.ledger.restore(snap.ledger);
    this.blockSeq = snap.blockSeq;
  }

  /** Simulated size in bytes: a compact binary encoding of wallets, nodes, votes, immature rewards, unbondings and history. */
  snapshotSize(): number {
    const c = this.ledger.sizeCounts();
    return (
      512 + 80 * c.wallets + 160 * c.nodes + 64 * c.votes + 40 * c.pendingEntries + 32 * c.pendingBlocks + 40 * c.history + 96 * c.unbonding
    );
  }
}

export interface VolumeReportFields {
  readonly reporter: string;
  readonly reporterOwner: string;
  readonly epoch: number;
  readonly reportReference: string;
  readonly walletVolumes: readonly WalletVolume[];
}

/**
 * A correctly signed report: tx_data over the canonical sign bytes, aggregate signature by `signers`.
 * With `cache` (the world's shared cache) the op is also prepared once for every replica.
 */
export function buildVolumeReportOp(fields: VolumeReportFields, signers: readonly string[], cache?: PotSharedCache): VolumeReportOp {
  const n = fields.walletVolumes.length;
  const volumes: bigint[] | undefined = cache ? new Array(n) : undefined;
  const walletVolumes: { wallet: string; volume: string }[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const w = fields.walletVolumes[i]!;
    const canon = canonicalVolume(w.volume);
    if (volumes) volumes[i] = typeof w.volume === "string" ? BigInt(canon) : BigInt(w.volume);
    walletVolumes[i] = { wallet: w.wallet, volume: canon };
  }
  const f = { ...fields, walletVolumes };
  const txData = sha256Hex(canonicalSignBytes(f));
  const op: VolumeReportOp = { type: "volumeReport", ...f, signers: [...signers], txData, signature: blsAggregate(txData, signers) };
  if (cache) cache.prepared.set(op, new PreparedReport(op, { txData, volumes }, cache.memory));
  return op;
}

/**
 * buildVolumeReportOp from parallel lists, for builders that hold volumes as numbers (the world's meta
 * nodes): `volumes` must be non-negative safe integers. Same op, tx_data and signature; the prepared
 * report is built from the lists, and the op's {wallet, volume} objects are only created if something
 * reads `walletVolumes` (the ledger works from the prepared report). `distinctWallets` declares that no
 * wallet appears twice; with it, `handles` may give the wallets' handles in the cache's book. The lists
 * are kept by the op: do not mutate them. Also returns the list lines of the sign bytes (`wallet=volume\n`
 * per entry, UTF-8), a compact payload for a packed form of the op. `encoded`, when given, must be
 * encodeLists(fields, wallets, volumes, …) computed by the caller (e.g. ahead, on another thread).
 */
export function buildVolumeReportOpFromLists(
  fields: Omit<VolumeReportFields, "walletVolumes">,
  wallets: readonly string[],
  volumes: ArrayLike<number>,
  signers: readonly string[],
  cache: PotSharedCache | undefined,
  distinctWallets = false,
  handles?: Int32Array,
  encoded?: EncodedLists,
): { op: VolumeReportOp; lines: Uint8Array } {
  const n = wallets.length;
  if (volumes.length !== n) throw new RangeError("wallets and volumes differ in length");
  for (let i = 0; i < n; i++) {
    const v = volumes[i]!;
    if (!(v >= 0 && v <= Number.MAX_SAFE_INTEGER && Number.isInteger(v))) throw new RangeError(`volume ${v} is not a safe non-negative integer`);
  }
  // The world's encoder (fast/encode.ts) when there is a world; the reference path otherwise, or for non-ASCII text.
  let enc = encoded ?? (cache ? encodeLists(fields, wallets, volumes, cache.memory.encoder) : undefined);
  if (!enc) {
    const volumeStrings = Array.from(volumes, String);
    enc = { lines: listLines(wallets, volumeStrings), txData: sha256Hex(signBytes(fields, wallets, volumeStrings)) };
  }
  const { lines, txData } = enc;
  let entries: WalletVolume[] | undefined;
  const op: VolumeReportOp = {
    type: "volumeReport",
    reporter: fields.reporter,
    reporterOwner: fields.reporterOwner,
    epoch: fields.epoch,
    reportReference: fields.reportReference,
    // An own enumerable getter, so spreads, canonical encodings and JSON see the list as usual.
    get walletVolumes(): WalletVolume[] {
      // String(v) of a safe non-negative integer is its canonical decimal.
      entries ??= wallets.map((wallet, i) => ({ wallet, volume: String(volumes[i]) }));
      return entries;
    },
    signers: [...signers],
    txData,
    signature: blsAggregate(txData, signers),
  };
  if (cache) {
    const lists = { wallets, numbers: volumes, distinct: distinctWallets, handles: handles && { book: cache.book, idx: handles } };
    cache.prepared.set(op, new PreparedReport(op, { txData, lists }, cache.memory));
  }
  return { op, lines };
}

/**
 * An inflated report that a colluding coalition signs for real: every volume × `factor` (integer) and
 * `extra` entries appended (e.g. Sybil wallets). It passes the signature check; whether it passes the
 * quorum and the noz-supply guard depends on the coalition and the state.
 */
export function buildInflatedVolumeReportOp(
  fields: VolumeReportFields,
  signers: readonly string[],
  inflation: { factor?: bigint | number; extra?: readonly WalletVolume[] } = {},
  cache?: PotSharedCache,
): VolumeReportOp {
  const factor = BigInt(inflation.factor ?? 1);
  const walletVolumes = [
    ...fields.walletVolumes.map((w) => ({ wallet: w.wallet, volume: (BigInt(w.volume) * factor).toString() })),
    ...(inflation.extra ?? []),
  ];
  return buildVolumeReportOp({ ...fields, walletVolumes }, signers, cache);
}

/**
 * A forged report that the ledger must refuse:
 * - "tamperVolumes": volumes × `factor` after signing (tx_data no longer matches the message);
 * - "claimSigners": lists `claimedSigners` while the signature is only by the real `signers`;
 * - "garbageSignature": a signature that is not an aggregate at all.
 */
export function buildForgedVolumeReportOp(
  fields: VolumeReportFields,
  signers: readonly string[],
  forgery:
    | { kind: "tamperVolumes"; factor?: bigint | number }
    | { kind: "claimSigners"; claimedSigners: readonly string[] }
    | { kind: "garbageSignature" },
): VolumeReportOp {
  const honest = buildVolumeReportOp(fields, signers);
  switch (forgery.kind) {
    case "tamperVolumes": {
      const factor = BigInt(forgery.factor ?? 2);
      return { ...honest, walletVolumes: honest.walletVolumes.map((w) => ({ wallet: w.wallet, volume: (BigInt(w.volume) * factor).toString() })) };
    }
    case "claimSigners":
      return { ...honest, signers: [...forgery.claimedSigners] };
    case "garbageSignature":
      return { ...honest, signature: sha256Hex(`forged|${honest.signature}`) };
  }
}
