// What the replicas of one world share (PotSharedCache): the wallet book, and every memo and every
// piece of typed-array memory the ledger's work uses. Each memo is keyed on immutable inputs (an op, a
// prepared report, a reward block, a book) or reused only when every input is equal, so sharing never
// changes a result; it saves recomputing the same report, block and digest on every replica. Nothing
// of this lives at module level: two worlds in one process share nothing (a ledger given no cache
// makes its own).
// May import: ./book, ./digest, ./distribution, ./fast (memory), ./formulas, ./invariants, ./maturity, ./report, ./state.

import { WalletBook } from "./book.js";
import { StateDigestMemo } from "./digest.js";
import { ReportMemo } from "./distribution.js";
import { PotMemory } from "./fast/memory.js";
import { PurchaseMemo } from "./formulas.js";
import { SupplyMemo } from "./invariants.js";
import { MaturityMemo } from "./maturity.js";
import type { PreparedReportCache } from "./report.js";
import { type HistoryRoots, historyRoots, type LedgerState } from "./state.js";

/**
 * Snapshots of equal states are one object: the replicas of a world reach each checkpoint with equal
 * ledgers, and each takes an immutable snapshot there (PBFT keeps them for state transfer), so the
 * first one's deep copy serves all. A snapshot is reused for a ledger on the same book whose state
 * digest (just computed for the checkpoint, memoised per version) equals the one it was taken with;
 * the digest covers the whole state except its running totals, which are compared as well. Snapshots
 * are never mutated (restore copies them), so sharing one cannot carry one ledger's later changes into
 * another (test/protocols/pot/snapshot-share.test.ts). Equal to a fresh deep copy per call, which a
 * ledger takes whenever its digest is not current.
 */
export class SnapshotShare<S extends { readonly state: LedgerState } = { readonly state: LedgerState }> {
  private digest: string | undefined;
  private snap: S | undefined;

  /** The remembered snapshot if it was taken of a state equal to `state` (whose digest is `digest`). */
  find(digest: string | undefined, state: LedgerState): S | undefined {
    const snap = this.snap;
    if (digest === undefined || digest !== this.digest || snap === undefined) return undefined;
    const t = snap.state;
    const same = t.balanceTotal === state.balanceTotal && t.immatureTotal === state.immatureTotal && t.matureTotal === state.matureTotal;
    return same ? snap : undefined;
  }

  remember(digest: string | undefined, snap: S): void {
    if (digest === undefined) return;
    this.digest = digest;
    this.snap = snap;
  }
}

export interface PotSharedCache extends PreparedReportCache {
  readonly book: WalletBook;
  /** Prepared volume reports (parsing, sign-bytes digest, step E), keyed by the op object (identity). */
  readonly prepared: WeakMap<object, unknown>;
  /** Report distributions, totals and the history step (distribution.ts). */
  readonly reports: ReportMemo;
  /** Reward blocks' entries in address order and their counts (maturity.ts). */
  readonly maturity: MaturityMemo;
  /** The state digest's per-wallet lines (digest.ts). */
  readonly digest: StateDigestMemo;
  /** Slabs and scratch of the fast paths (fast/memory.ts). */
  readonly memory: PotMemory;
  /** The last snapshot taken with a current digest, for ledgers with an equal state (SnapshotShare). */
  readonly snapshots: SnapshotShare;
  /** The last supply sums (invariants.ts) and prepay purchase (formulas.ts), for replicas reaching equal values. */
  readonly supply: SupplyMemo;
  readonly purchase: PurchaseMemo;
  /** The empty reward-history logs every ledger on this cache starts from (state.ts HistoryRoots). */
  readonly history: HistoryRoots;
}

/** A fresh cache: give the same one to every replica of a world (LedgerOptions.shared). Ops must not be mutated after execution. */
export function createSharedCache(): PotSharedCache {
  const memory = new PotMemory();
  return {
    book: new WalletBook(),
    prepared: new WeakMap(),
    reports: new ReportMemo(),
    maturity: new MaturityMemo(memory.marks),
    digest: new StateDigestMemo(),
    memory,
    snapshots: new SnapshotShare(),
    supply: new SupplyMemo(),
    purchase: new PurchaseMemo(),
    history: historyRoots(),
  };
}
