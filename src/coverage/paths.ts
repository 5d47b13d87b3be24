// The protocol paths a gate's seeds should reach, by stable kebab-case name (coverage.csv's `path`,
// `sim check --require-coverage`, the JUnit properties). Names are part of the output format:
// docs/results.md lists each with what counts; renaming one is a format change.

/** A model's runs can reach the PBFT paths; pot runs (PBFT underneath) the PoT ones too. */
export type CoverageModel = "pbft" | "pot";

export interface CoveragePath {
  readonly name: string;
  readonly model: CoverageModel;
  /** What one count is (docs/results.md says the same). */
  readonly counts: string;
}

/**
 * Why the ledger may refuse a volume report, in the order it checks (docs/results.md "Rejection
 * reasons"; protocols/pot report.ts ValidateBasic and ledger.ts volumeReport). The coverage test
 * reads both sources and fails when a reason there is missing here.
 */
export const REPORT_REJECTION_REASONS = [
  "invalid_reporter_address",
  "invalid_reporter_owner_address",
  "invalid_epoch",
  "empty_report_reference",
  "empty_wallet_volumes",
  "invalid_wallet_address",
  "invalid_volume",
  "negative_volume",
  "empty_bls_signature",
  "reporter_not_meta_node_owner",
  "epoch_not_increasing",
  "tx_data_mismatch",
  "invalid_bls_signature",
  "bls_quorum_not_reached",
  "noz_supply_exceeded",
  "zero_total_volume",
  "division_by_zero",
  "insufficient_foundation_balance",
  "insufficient_unissued_prepay",
] as const;

/** `report-rejected-<reason>` with the ledger's snake_case reason in kebab case. */
export function rejectionPath(reason: string): string {
  return `report-rejected-${reason.replaceAll("_", "-")}`;
}

const PBFT_PATHS: readonly CoveragePath[] = [
  { name: "view-change", model: "pbft", counts: "a correct replica started a view change (sent its VIEW-CHANGE)" },
  { name: "new-view-o-set", model: "pbft", counts: "a correct replica installed a NEW-VIEW whose set O re-proposes at least one request (not only null fills)" },
  { name: "null-fill", model: "pbft", counts: "a correct replica installed a NEW-VIEW that fills at least one gap with the null request" },
  { name: "state-transfer", model: "pbft", counts: "a correct replica completed a state transfer (installed a fetched checkpoint state)" },
  { name: "checkpoint-gc", model: "pbft", counts: "a checkpoint became stable at a correct replica and garbage-collected at least one log slot" },
  { name: "client-retransmit", model: "pbft", counts: "a client retransmitted a request (its retransmission timer fired)" },
  { name: "body-fetch", model: "pbft", counts: "a correct replica received a request batch body it had to fetch (FETCH-BATCH answered)" },
  { name: "equivocation-seen", model: "pbft", counts: "a correct replica saw a primary send two different pre-prepares for one slot" },
  { name: "recover-kept", model: "pbft", counts: "a crashed replica recovered with its persisted log" },
  { name: "recover-lost", model: "pbft", counts: "a crashed replica recovered without its log" },
];

const POT_PATHS: readonly CoveragePath[] = [
  ...REPORT_REJECTION_REASONS.map((r): CoveragePath => ({ name: rejectionPath(r), model: "pot", counts: `the ledger refused a volume report with ${r}` })),
  { name: "suspension", model: "pot", counts: "a resource node was suspended (the meta nodes' slashing transaction executed and was accepted)" },
  { name: "maturity", model: "pot", counts: "reward blocks matured (moved from immature to matured wallets) at a correct replica" },
];

/** Every path, PBFT ones first, in the order tables list them. */
export const COVERAGE_PATHS: readonly CoveragePath[] = [...PBFT_PATHS, ...POT_PATHS];

const BY_NAME = new Map(COVERAGE_PATHS.map((p) => [p.name, p]));

export function isCoveragePath(name: string): boolean {
  return BY_NAME.has(name);
}

/** The paths runs of `model` can reach: none for models without a protocol (phold). */
export function pathsOf(model: string): readonly CoveragePath[] {
  if (model === "pbft") return PBFT_PATHS;
  if (model === "pot") return COVERAGE_PATHS;
  return [];
}
