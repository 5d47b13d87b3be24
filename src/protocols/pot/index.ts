// Public surface of protocols/pot: the Stratos Proof-of-Traffic ledger as a pure state machine
// (Dec arithmetic, parameters and genesis presets, PotLedger with its block lifecycle, the PBFT
// application, op types and their typed results, invariants), and the researcher's conveniences: a
// ledger started at a chosen state (at-state.ts), the stage schedule as data (schedule.ts), one-call
// report submission (submit.ts) and what a caller needs to build reports by hand (sha256Hex). What the replicas of one world share
// (wallet book, memos, typed-array memory) is one PotSharedCache (shared.ts); the float64 fast paths
// and memory live in ./fast, each tested equal to its reference; no state is kept at module level.
// May import: nothing outside protocols/pot, except Node's crypto (sha256: tx_data, the BLS model, digests).

export {
  buildForgedVolumeReportOp,
  buildInflatedVolumeReportOp,
  buildVolumeReportOp,
  buildVolumeReportOpFromLists,
  type PotAppStats,
  PotApplication,
  type PotExecContext,
  type VolumeReportFields,
} from "./app.js";
export { genesisAtState, type LedgerStateSpec, ledgerAtState, stateMetaAddress, stateMetaOwner } from "./at-state.js";
export { WalletBook } from "./book.js";
export { createSharedCache, type PotSharedCache } from "./shared.js";
export { Dec, formatRaw, intToRaw, mulRaw, ONE, ONE_SQ, parseRaw, quoRaw, roundRaw, truncRaw } from "./dec.js";
export { computeStateDigest, StateDigestMemo } from "./digest.js";
export type { ClassReward, RewardsByClass } from "./distribution.js";
export { DEFAULT_RESERVE } from "./genesis.js";
export { fromLimbs, LIMB_BASE, LIMB_LIMIT, LimbVec, limbHi, limbLo, toLimbs } from "./fast/limbs.js";
export * from "./formulas.js";
export { stateViolations, type SupplyCheck, SupplyMemo, supplyCheck } from "./invariants.js";
export {
  type BlockMode,
  type CompletedUnbonding,
  type EndBlockSummary,
  type LedgerOptions,
  type LedgerSnapshot,
  type NodeArgs,
  type Outcome,
  type OzoneMarket,
  PotLedger,
  type PrepayResult,
  type ReportBreakdown,
  type ReportSummary,
  type ReporterArgs,
  type SlashResult,
  type UnbondResult,
  type WalletReward,
} from "./ledger.js";
export type { EndBlockMaturity } from "./maturity.js";
export type * from "./ops.js";
export { executeOp, resultText } from "./ops.js";
export * from "./params.js";
export {
  blsAggregate,
  canonicalSignBytes,
  canonicalVolume,
  type EncodedLists,
  encodeLists,
  listLines,
  parseListLines,
  PreparedReport,
  prepareReport,
  type PlanDetails,
  type ResourcePlan,
  reportSignBytes,
  signBytes,
  type VolumeReportInput,
  type WalletVolume,
} from "./report.js";
export { type ScheduleOptions, type StageSpan, stageSchedule } from "./schedule.js";
export { sha256Hex } from "./sha256.js";
export { type SubmitReportArgs, type SubmittedReport, submitVolumeReport } from "./submit.js";
export { f64Slab, i32Slab, ListEncoder, PotMemory, Slab, u8Slab } from "./fast/index.js";
export type { BondStatus, MetaNode, Pools, ResourceNode, UnbondingEntry, VotePool } from "./state.js";
