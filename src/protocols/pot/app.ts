// PotApplication: the PoT ledger as a PBFT replicated application (structurally the `Application` of
// protocols/pbft/types.ts, not imported), plus builders for honestly signed, inflated and forged
// volume-report ops for the world's meta nodes and fault models.

import { type LedgerOptions, type LedgerSnapshot, PotLedger } from "./ledger.js";
import { executeOp, type VolumeReportOp } from "./ops.js";
import type { GenesisConfig } from "./params.js";
import type { PotSharedCache } from "./book.js";
import {
  blsAggregate,
  canonicalSignBytes,
  canonicalVolume,
  encodeLists,
  PreparedReport,
  sha256Hex,
  signBytes,
  type WalletVolume,
} from "./report.js";

/** Execution context given by the PBFT replica (unused by the ledger: PoT has no notion of time). */
export interface PotExecContext {
  client: number;
  timestamp: number;
  seq: number;
}

/** Counters of executed operations (observational; not part of the replicated state). */
export interface PotAppStats {
  executed: number;
  refused: number;
  refusedByReason: Map<string, number>;
}

export class PotApplication {
  readonly ledger: PotLedger;
  readonly stats: PotAppStats = { executed: 0, refused: 0, refusedByReason: new Map() };

  /** One replica's ledger. Pass the same `options.shared` to all replicas of a world to share report preparation. */
  constructor(genesis: GenesisConfig, options: LedgerOptions = {}) {
    this.ledger = new PotLedger(genesis, options);
  }

  /** Executes one committed operation; the result string is canonical ("ok:..." or "err:<reason>"). */
  execute(op: unknown, _ctx: PotExecContext): string {
    const res = executeOp(this.ledger, op);
    this.stats.executed++;
    if (res.startsWith("err:")) {
      this.stats.refused++;
      const reason = res.slice(4);
      this.stats.refusedByReason.set(reason, (this.stats.refusedByReason.get(reason) ?? 0) + 1);
    }
    return res;
  }

  /** sha256 hex of the canonical ledger state (memoised between changes). */
  stateDigest(): string {
    return this.ledger.stateDigest();
  }

  /** Immutable copy of the ledger state for state transfer. */
  snapshot(): unknown {
    return this.ledger.snapshot();
  }

  /** Replaces the ledger state with a snapshot from `snapshot()` (possibly from another replica). */
  restore(snapshot: unknown): void {
    this.ledger.restore(snapshot as LedgerSnapshot);
  }

  /** Simulated size in bytes: a compact binary encoding of wallets, nodes, votes, immature rewards and history. */
  snapshotSize(): number {
    const c = this.ledger.sizeCounts();
    return 512 + 80 * c.wallets + 160 * c.nodes + 64 * c.votes + 40 * c.pendingEntries + 32 * c.pendingBlocks + 40 * c.history;
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
  if (cache) cache.prepared.set(op, new PreparedReport(op, { txData, volumes }));
  return op;
}

/**
 * buildVolumeReportOp from parallel lists, for builders that hold volumes as numbers (the world's meta
 * nodes): `volumes` must be non-negative safe integers. Same op, tx_data and signature; the prepared
 * report is built from the lists, and the op's {wallet, volume} objects are only created if something
 * reads `walletVolumes` (the ledger works from the prepared report). `distinctWallets` declares that no
 * wallet appears twice; with it, `handles` may give the wallets' handles in the cache's book. The lists
 * are kept by the op: do not mutate them. Also returns both lists joined by "," (the packed form's fields).
 */
export function buildVolumeReportOpFromLists(
  fields: Omit<VolumeReportFields, "walletVolumes">,
  wallets: readonly string[],
  volumes: ArrayLike<number>,
  signers: readonly string[],
  cache: PotSharedCache | undefined,
  distinctWallets = false,
  handles?: Int32Array,
): { op: VolumeReportOp; walletsJoined: string; volumesJoined: string } {
  const n = wallets.length;
  if (volumes.length !== n) throw new RangeError("wallets and volumes differ in length");
  for (let i = 0; i < n; i++) {
    const v = volumes[i]!;
    if (!(v >= 0 && v <= Number.MAX_SAFE_INTEGER && Number.isInteger(v))) throw new RangeError(`volume ${v} is not a safe non-negative integer`);
  }
  let enc = encodeLists(fields, wallets, volumes);
  if (!enc) {
    const volumeStrings = Array.from(volumes, String);
    enc = { walletsJoined: wallets.join(","), volumesJoined: volumeStrings.join(","), txData: sha256Hex(signBytes(fields, wallets, volumeStrings)) };
  }
  const { walletsJoined, volumesJoined, txData } = enc;
  let entries: WalletVolume[] | undefined;
  const op: VolumeReportOp = {
    type: "volumeReport",
    reporter: fields.reporter,
    reporterOwner: fields.reporterOwner,
    epoch: fields.epoch,
    reportReference: fields.reportReference,
    // An own enumerable getter, so spreads, canonical encodings and JSON see the list as usual.
    get walletVolumes(): WalletVolume[] {
      if (!entries) {
        const vs = n > 0 ? volumesJoined.split(",") : [];
        entries = wallets.map((wallet, i) => ({ wallet, volume: vs[i]! }));
      }
      return entries;
    },
    signers: [...signers],
    txData,
    signature: blsAggregate(txData, signers),
  };
  if (cache) {
    const lists = { wallets, numbers: volumes, distinct: distinctWallets, handles: handles && { book: cache.book, idx: handles } };
    cache.prepared.set(op, new PreparedReport(op, { txData, lists }));
  }
  return { op, walletsJoined, volumesJoined };
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
