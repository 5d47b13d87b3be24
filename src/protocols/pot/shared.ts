// What the replicas of one world share (PotSharedCache): the wallet book, and every memo and every
// piece of typed-array memory the ledger's work uses. Each memo is keyed on immutable inputs (an op, a
// prepared report, a reward block, a book) or reused only when every input is equal, so sharing never
// changes a result; it saves recomputing the same report, block and digest on every replica. Nothing
// of this lives at module level: two worlds in one process share nothing (a ledger given no cache
// makes its own).
// May import: ./book, ./digest, ./distribution, ./fast (memory), ./maturity, ./report (types).

import { WalletBook } from "./book.js";
import { StateDigestMemo } from "./digest.js";
import { ReportMemo } from "./distribution.js";
import { PotMemory } from "./fast/memory.js";
import { MaturityMemo } from "./maturity.js";
import type { PreparedReportCache } from "./report.js";

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
  };
}
