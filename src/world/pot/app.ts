// The validators' PBFT application in the PoT world: a PotApplication (one per replica, all sharing
// one PotSharedCache) behind a thin envelope that (1) decodes "packed" volume reports, (2) moves the
// ledger into the request's block (ending the previous batch's block, EndBlockers included) before the
// world looks at it, and (3) lets the world observe every execution (economic checker, first-execution
// metrics). Blocks follow PBFT batches; see PotApplication.
//
// Why packed reports: PBFT digests a request by canonicalising its whole op. A report with a thousand
// {wallet, volume} objects costs ~0.7 ms to canonicalise. The packed op carries the list as its sign
// bytes' lines (`wallet=volume\n` per entry) in one byte array, which canonical text covers by its
// sha256 (a few µs, computed natively); the byte array lives off the JS heap, so the garbage collector
// does not copy it while PBFT keeps the request until a stable checkpoint (two comma-joined strings,
// the previous form, cost ~0.05 ms to hash per report and were copied by every scavenge they survived).
// The packed op carries exactly the report's fields (list, signers, BLS signature, tx_data), so the
// request digest still covers all of it; decoding is a pure function of those fields and is memoised
// per op object (like the ledger's own shared cache), so every replica executes the very same
// VolumeReportOp without re-parsing it.
// May import: protocols/pbft (types), protocols/pot, ../pbft (host types).

import type { Application, ExecContext } from "../../protocols/pbft/index.js";
import type { ReplicaHost } from "../pbft/index.js";
import {
  type OpResult,
  type PotApplication,
  type PotLedger,
  parseListLines,
  resultText,
  type VolumeReportOp,
  type WalletVolume,
} from "../../protocols/pot/index.js";

export const PACKED_REPORT = "volumeReportPacked";

/** A volume report as a PBFT op: the wallet and volume list as the lines of its sign bytes. */
export interface PackedReportOp {
  readonly type: typeof PACKED_REPORT;
  readonly reporter: string;
  readonly reporterOwner: string;
  readonly epoch: number;
  readonly reportReference: string;
  /** `wallet=volume\n` per entry, volumes (noz) in canonical decimal, UTF-8: the sign bytes after the header. */
  readonly lines: Uint8Array;
  readonly signers: readonly string[];
  readonly signature: string;
  readonly txData: string;
  /** Number of entries (for simulated sizes). */
  readonly entries: number;
}

/** Packs ledger report ops and decodes packed ones (memoised by op identity). */
export class ReportCodec {
  private readonly full = new WeakMap<object, VolumeReportOp>();

  /** The packed form of `op` (`entries` long), whose list lines the caller already encoded. */
  pack(op: VolumeReportOp, lines: Uint8Array, entries: number): PackedReportOp {
    const packed: PackedReportOp = {
      type: PACKED_REPORT,
      reporter: op.reporter,
      reporterOwner: op.reporterOwner,
      epoch: Number(op.epoch),
      reportReference: op.reportReference,
      lines,
      signers: op.signers,
      signature: op.signature,
      txData: op.txData ?? "",
      entries,
    };
    this.full.set(packed, op);
    return packed;
  }

  /** Forgets the decoded form of a packed op (it is decoded again if executed later). */
  release(op: object): void {
    this.full.delete(op);
  }

  /** The ledger op for a PBFT op: packed reports become VolumeReportOps; anything else is returned as is. */
  decode(op: unknown): unknown {
    if (typeof op !== "object" || op === null || (op as { type?: unknown }).type !== PACKED_REPORT) return op;
    const hit = this.full.get(op);
    if (hit) return hit;
    const p = op as PackedReportOp;
    const { wallets, volumes } = p.lines instanceof Uint8Array ? parseListLines(p.lines) : { wallets: [], volumes: [] };
    const walletVolumes: WalletVolume[] = wallets.map((wallet, i) => ({ wallet, volume: volumes[i] ?? "" }));
    const full: VolumeReportOp = {
      type: "volumeReport",
      reporter: p.reporter,
      reporterOwner: p.reporterOwner,
      epoch: p.epoch,
      reportReference: p.reportReference,
      walletVolumes,
      signers: Array.isArray(p.signers) ? p.signers : [],
      signature: p.signature,
      txData: p.txData,
    };
    this.full.set(op, full);
    return full;
  }
}

/** Called around every execution at every replica (the world filters by correctness), inside the request's block. */
export interface PotExecHook {
  before(replica: number, ledger: PotLedger, ledgerOp: unknown): void;
  /** `result` is the typed result; `text` its canonical form, the reply this replica sends. */
  after(replica: number, ledger: PotLedger, op: unknown, ledgerOp: unknown, result: OpResult, text: string, ctx: ExecContext): void;
}

export class PotChainApp implements Application {
  constructor(
    readonly replicaId: number,
    readonly pot: PotApplication,
    private readonly codec: ReportCodec,
    private readonly hook?: PotExecHook,
  ) {}

  get ledger(): PotLedger {
    return this.pot.ledger;
  }

  execute(op: unknown, ctx: ExecContext): string {
    const ledgerOp = this.codec.decode(op);
    // The previous block's EndBlocker (maturity, unbonding completion, supply restore) runs here, so the
    // hook's before/after pair sees the request's own effects only.
    this.pot.enterBlock(ctx);
    this.hook?.before(this.replicaId, this.pot.ledger, ledgerOp);
    const result = this.pot.run(ledgerOp, ctx);
    const text = resultText(result);
    this.hook?.after(this.replicaId, this.pot.ledger, op, ledgerOp, result, text, ctx);
    return text;
  }

  stateDigest(): string {
    return this.pot.stateDigest();
  }

  snapshot(): unknown {
    return this.pot.snapshot();
  }

  restore(snapshot: unknown): void {
    this.pot.restore(snapshot);
  }

  snapshotSize(): number {
    return this.pot.snapshotSize();
  }
}

/** The PoT ledger of one of the PoT world's replica hosts (their application is always a PotChainApp). */
export function ledgerOf(host: ReplicaHost): PotLedger {
  return (host.replica.application as PotChainApp).ledger;
}
