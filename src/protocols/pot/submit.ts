// One call that signs and submits a volume report (spec §3.2–§3.4) the way the meta nodes would: the
// reporter and signers default to the bonded meta nodes, the epoch to E_last + 1, and in explicit block
// mode the report runs in a block of its own (beginBlock, the report, endBlock with its maturity).

import { buildVolumeReportOp } from "./app.js";
import type { EndBlockSummary, Outcome, PotLedger, ReportBreakdown, ReportSummary } from "./ledger.js";
import type { VolumeReportOp } from "./ops.js";
import type { WalletVolume } from "./report.js";

export interface SubmitReportArgs {
  /** The list: {wallet, volume} entries in order, or an object wallet → volume (noz). */
  readonly walletVolumes: readonly WalletVolume[] | Readonly<Record<string, bigint | number | string>>;
  /** Default E_last + 1. */
  readonly epoch?: number;
  /** Reporter meta node (network address). Default the first bonded meta node in store order. */
  readonly reporter?: string;
  /** Default the reporter's owner as the ledger knows it ("" for an unknown reporter, which the ledger refuses). */
  readonly reporterOwner?: string;
  /** Signer keys (meta-node network addresses). Default every bonded meta node. */
  readonly signers?: readonly string[];
  /** Default `report-<epoch>`. */
  readonly reportReference?: string;
  /** Explicit block mode: the block's time (s). Default the ledger's current block time. */
  readonly timeSec?: number;
}

export interface SubmittedReport {
  /** The signed op (tx_data and the modelled BLS aggregate over it). */
  readonly op: VolumeReportOp;
  /** The ledger's answer: the report's summary, or why it was refused (state unchanged). */
  readonly outcome: Outcome<ReportSummary>;
  /** The full breakdown (per entry, per meta node) when accepted. */
  readonly breakdown: ReportBreakdown | undefined;
  /** Explicit block mode: what the block's EndBlockers did (maturity, unbondings, RestoreTotalSupply). */
  readonly endBlock: EndBlockSummary | undefined;
}

/**
 * Signs and submits one volume report. In explicit block mode it runs a whole block at `timeSec` and
 * throws if a block is already open (end it first); in implicit mode it is one operation.
 */
export function submitVolumeReport(ledger: PotLedger, args: SubmitReportArgs): SubmittedReport {
  const explicit = ledger.blockMode === "explicit";
  if (explicit && ledger.blockOpen) throw new Error(`submitVolumeReport runs a block of its own: block ${ledger.height} is open, call endBlock() first`);
  const bonded = ledger.bondedMetaNodes();
  const reporter = args.reporter ?? bonded[0]?.networkAddress ?? "";
  const epoch = args.epoch ?? ledger.lastEpoch + 1;
  const walletVolumes = Array.isArray(args.walletVolumes)
    ? (args.walletVolumes as readonly WalletVolume[])
    : Object.entries(args.walletVolumes).map(([wallet, volume]) => ({ wallet, volume }));
  const op = buildVolumeReportOp(
    {
      reporter,
      reporterOwner: args.reporterOwner ?? ledger.metaNode(reporter)?.owner ?? "",
      epoch,
      reportReference: args.reportReference ?? `report-${epoch}`,
      walletVolumes,
    },
    args.signers ?? bonded.map((n) => n.networkAddress),
  );
  if (explicit) ledger.beginBlock(args.timeSec ?? ledger.blockTimeSec);
  const outcome = ledger.volumeReport(op);
  const breakdown = outcome.ok ? ledger.lastReport() : undefined;
  const endBlock = explicit ? ledger.endBlock() : undefined;
  return { op, outcome, breakdown, endBlock };
}
