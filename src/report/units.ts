// report/units: the unit of a swept parameter (a scenario key path) or a metric (a summary name),
// for axis titles. potsim names carry their units (`latency.p50_s`, `minedStos`, `amount_wei`);
// the rest are listed here by their last name segment. What is still unknown is "unitless".
// A quantity with a unit other than "unitless" cannot be negative (amounts, times, counts,
// fractions, indices of views and epochs), which is how sweep charts know to keep intervals ≥ 0.
// May import: nothing.

const BY_SUFFIX: Array<[RegExp, string]> = [
  [/PerYearStos$/, "STOS/year"],
  [/Stos$/, "STOS"],
  [/(_wei|Wei)$/, "wei"],
  [/(_noz|Noz)$/, "noz"],
  [/_rps$/, "requests/s"],
  [/(_s|Sec)$/, "s"],
  [/_ms$/, "ms"],
  [/(_bytes|Bytes)$/, "bytes"],
];

const BY_NAME: Record<string, string> = {
  // metrics
  simTime: "s, simulated",
  simulatedYears: "years, simulated",
  inflationPerYear: "fraction of supply per year",
  giniResource: "Gini coefficient, 0–1",
  ozonePrice: "wei/noz",
  stage: "stage number",
  finalView: "view number",
  executedSeq: "sequence number",
  lastAcceptedEpoch: "epoch number",
  n: "replicas",
  f: "replicas",
  lps: "logical processes",
  checksum: "checksum",
  // parameters
  loss: "probability",
  communityTax: "fraction",
  settleFraction: "fraction",
  uploadFraction: "fraction",
  amplitude: "fraction",
  epochLength: "s",
  until: "s, simulated",
  requestTimeout: "s",
  min: "s",
  max: "s",
  median: "s",
  mean: "s",
  meanUp: "s",
  meanDown: "s",
  at: "s",
  duration: "s",
  lookahead: "s",
  livenessBound: "s",
  bandwidth: "bytes/s",
  capacity: "bytes/s",
  rate: "1/s",
  meanRate: "1/s",
  refillEpochs: "epochs",
  graceEpochs: "epochs",
  matureEpoch: "epochs",
  checkpointInterval: "requests",
  maxBatchSize: "requests",
  maxInFlight: "requests",
  seed: "seed",
  peakHour: "hour of day",
  slashNoz: "noz",
};

/** Last segments that count things. */
const COUNT_WORDS = new Set([
  "accepted",
  "rejected",
  "submitted",
  "pending",
  "processed",
  "events",
  "count",
  "epochs",
  "files",
  "replicas",
  "requests",
  "clients",
  "violationCount",
  "economicChecks",
  "prepaysRefused",
  "suspendedAtEnd",
  "clampedToOzoneSold",
  "skippedNoTraffic",
]);

/** Parameters under these sections are sizes in bytes (sizes.median, sizes.max). */
const BYTES_SECTIONS = new Set(["sizes"]);

export const UNITLESS = "unitless";

export function unitOf(name: string): string {
  const parts = name.split(".");
  const last = parts[parts.length - 1] ?? name;
  const section = parts[parts.length - 2];
  if (section !== undefined && BYTES_SECTIONS.has(section) && (last === "median" || last === "max" || last === "min")) return "bytes";
  for (const [re, unit] of BY_SUFFIX) if (re.test(last)) return unit;
  const named = BY_NAME[last];
  if (named !== undefined) return named;
  if (COUNT_WORDS.has(last) || /^requests[A-Z]/.test(last) || /^[a-z][a-zA-Z]*s$/.test(last)) return "count";
  return UNITLESS;
}

/** "name (unit)". */
export function withUnit(name: string, unit = unitOf(name)): string {
  return `${name} (${unit})`;
}

/** True for quantities that cannot be negative (every known unit). */
export function nonNegative(name: string): boolean {
  return unitOf(name) !== UNITLESS;
}
