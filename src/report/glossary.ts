// report/glossary: the plain words the report and `sim run`'s outcome use — what each invariant id
// means, what each key figure measures, what each run chart shows. docs/results.md is the one source:
// every text here is a copy of its entry there (backticks and link targets dropped), and
// test/report/glossary.test.ts fails when the two drift apart. Change the document, then this table.
// May import: nothing.

/** An invariant as docs/results.md names it under "### <id>": `<name>: <meaning>`. */
export interface InvariantWords {
  readonly name: string;
  readonly meaning: string;
}

export const INVARIANTS: Readonly<Record<string, InvariantWords>> = {
  "SAF-1": { name: "Agreement", meaning: "two correct replicas executed different batches at the same sequence number." },
  "SAF-2": { name: "Order", meaning: "a correct replica executed a sequence number other than the next one (state transfer aside)." },
  "SAF-3": { name: "Exactly once", meaning: "a correct replica executed the same client request (client, timestamp) twice." },
  "SAF-4": {
    name: "Validity",
    meaning: "a correct replica executed a request no client issued with that content, or executed requests in a null slot.",
  },
  "SAF-5": { name: "Client consistency", meaning: "a client accepted a result different from what the correct replicas computed." },
  "INV-P": {
    name: "Prepared uniqueness",
    meaning: "two correct replicas were prepared on different batches for the same view and sequence number.",
  },
  "INV-K": {
    name: "Checkpoint agreement",
    meaning:
      "correct replicas took, adopted or hold different checkpoint digests or states for one sequence number, or a state no correct execution produced.",
  },
  "LIV-1": {
    name: "Liveness",
    meaning: "after the stabilisation time, a correct client's request did not complete within check.livenessBound seconds.",
  },
  "LIV-2": {
    name: "Convergence",
    meaning:
      "after the stabilisation time, the correct replicas that are up were not converged — all in normal mode in the group's view, each having executed what some correct replica had executed one liveness poll earlier — at any poll for longer than check.convergence seconds",
  },
  ALARM: { name: "Replica alarm", meaning: "a correct replica raised its own alarm (the detail names the reason)." },
  "ECON-SUPPLY": {
    name: "Supply conservation",
    meaning: "pools and balances no longer add up to the genesis supply (± what RestoreTotalSupply minted or burned).",
  },
  "ECON-REPORT": {
    name: "Report accounting",
    meaning:
      "an accepted volume report moved money inconsistently: the prepay pool, foundation, total mined or ozone limit did not change by exactly the amounts the report paid and consumed.",
  },
  "ECON-REFUSED": { name: "Refusal changes nothing", meaning: "a refused transaction changed the ledger's state." },
  "ECON-INV": { name: "Ledger invariant", meaning: "one of the ledger's own invariants failed." },
};

/**
 * Which violation a verdict leads with: what users of the system would see broken first (agreement,
 * then what clients accept, order, exactly-once, validity, the money), then the replicas' internal
 * invariants, alarms, and liveness last. Unknown ids rank after these.
 */
export const SEVERITY: readonly string[] = [
  "SAF-1",
  "SAF-5",
  "SAF-2",
  "SAF-3",
  "SAF-4",
  "ECON-SUPPLY",
  "ECON-REPORT",
  "ECON-REFUSED",
  "ECON-INV",
  "INV-P",
  "INV-K",
  "ALARM",
  "LIV-1",
  "LIV-2",
];

/** The invariant's words, or a neutral phrase for an id this version does not know. */
export function invariantWords(id: string): InvariantWords {
  return INVARIANTS[id] ?? { name: id, meaning: "an invariant this version of potsim does not describe (see docs/results.md)." };
}

/** Which invariants a run of each model checks (LIV-1 and LIV-2 only when check.liveness is on). */
export function checkedInvariants(model: string, liveness: boolean): string[] {
  const pbft = ["SAF-1", "SAF-2", "SAF-3", "SAF-4", "SAF-5", "INV-P", "INV-K", "ALARM", ...(liveness ? ["LIV-1", "LIV-2"] : [])];
  if (model === "pbft") return pbft;
  if (model === "pot") return [...pbft, "ECON-SUPPLY", "ECON-REPORT", "ECON-REFUSED", "ECON-INV"];
  return [];
}

/**
 * Where a figure's explanation is written in docs/results.md: the table under the heading `section`,
 * its row naming `key` in backticks; `meaning` is (a part of) that row's last cell, `unit` its unit cell.
 */
export interface DocEntry {
  readonly section: string;
  readonly key: string;
  readonly unit: string;
  readonly meaning: string;
}

/** Explanations of the summary keys the key figures show, by their summary path. */
export const FIGURE_DOCS: Readonly<Record<string, DocEntry>> = {
  requestsCompleted: {
    section: "summary.json — pbft",
    key: "requestsCompleted",
    unit: "requests",
    meaning: "requests whose result the client accepted (f + 1 matching replies)",
  },
  "latency.p50_s": {
    section: "summary.json — pbft",
    key: "latency.p50_s",
    unit: "s",
    meaning: "mean and quantiles (linear interpolation, R-7) of submit-to-accept time over completed requests",
  },
  viewChanges: { section: "summary.json — pbft", key: "viewChanges", unit: "views", meaning: "distinct views for which some correct replica installed a NEW-VIEW" },
  executedSeq: {
    section: "summary.json — pbft",
    key: "executedSeq",
    unit: "",
    meaning: "highest sequence number a correct replica executed (or installed by state transfer)",
  },
  messages: { section: "summary.json — pbft", key: "messages", unit: "messages", meaning: "messages handed to the network, all kinds (one per destination)" },
  "reports.accepted": {
    section: "summary.json — pot",
    key: "reports.accepted",
    unit: "reports",
    meaning: "reports the ledger accepted (each pays one epoch's mining and traffic rewards)",
  },
  "issuance.minedStos": { section: "summary.json — pot", key: "issuance.minedStos", unit: "STOS", meaning: "mined during the run (M at the end − M at genesis)" },
  "issuance.trafficPaidStos": {
    section: "summary.json — pot",
    key: "issuance.trafficPaidStos",
    unit: "STOS",
    meaning: "traffic rewards paid: validators + meta + resource nodes + community tax",
  },
  "market.ozonePrice": {
    section: "summary.json — pot",
    key: "market.ozonePrice",
    unit: "wei/noz",
    meaning: "(S + P) / L at the end",
  },
  "consensus.latency.p50_s": {
    section: "summary.json — pbft",
    key: "latency.p50_s",
    unit: "s",
    meaning: "mean and quantiles (linear interpolation, R-7) of submit-to-accept time over completed requests",
  },
  "consensus.viewChanges": {
    section: "summary.json — pbft",
    key: "viewChanges",
    unit: "views",
    meaning: "distinct views for which some correct replica installed a NEW-VIEW",
  },
  "resourceNodes.suspensions": {
    section: "summary.json — pot",
    key: "resourceNodes.suspensions",
    unit: "",
    meaning: "suspensions and restorations the meta nodes executed",
  },
  processed: { section: "summary.json — phold", key: "processed", unit: "", meaning: "events the logical processes handled" },
};

/** What each run chart shows: the "shows" cell of its row in docs/results.md's chart table. */
export const CHART_NOTES: Readonly<Record<string, string>> = {
  timeline: "each replica's status (up, changing view, fetching state, crashed, cut off by a partition) with its view, and its last executed sequence number and stable checkpoint, over time",
  "view-changes": "the view each replica is in or moving to over time, with view-change starts and NEW-VIEW installations marked",
  throughput: "completed requests over time, per second (per minute, hour or day on longer runs)",
  latency: "histogram and ECDF of request latency",
  messages: "messages sent and dropped per kind",
  reports: "volume reports per epoch: accepted, refused by reason, or skipped",
  rewards: "rewards paid to validators, meta and resource nodes, cumulative, mining and traffic apart, STOS",
  economy: "ozone price, effective deposits S and prepay pool P (STOS), remaining ozone limit L (bytes), over time",
  "resource-nodes": "honest resource nodes online, offline and suspended at each epoch's end",
  lorenz: "Lorenz curve and Gini coefficient of total rewards per resource wallet",
};
