// report/units: numbers and their units for people, in one place for the run, sweep and tune reports
// and `sim run`'s outcome.
// - Formatting: thousands separators, significant digits, durations in the unit that fits, the time
//   unit of a chart axis from the run's span, the ozone price as STOS per a byte unit that gives
//   readable numbers, byte amounts with a decimal prefix. Written out here (no Intl/locale) so
//   report.html and `sim run`'s output are the same bytes on every machine.
// - Names: the unit of a swept parameter (a scenario key path) or a metric (a summary name), for axis
//   titles. potsim names carry their units (`latency.p50_s`, `minedStos`, `amount_wei`); the rest are
//   listed here by their last name segment. What is still unknown is "unitless". A quantity with a
//   unit other than "unitless" cannot be negative (amounts, times, counts, fractions, indices of views
//   and epochs), which is how sweep charts know to keep intervals ≥ 0.
// May import: nothing.

// ---- Formatting numbers ----

/** "1,234,567" for an integer part given as digits. */
function groupDigits(digits: string): string {
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ",";
    out += digits[i];
  }
  return out;
}

/** A number with `significant` digits (integers of more digits kept whole) and thousands separators. */
export function formatNumber(v: number, significant = 4): string {
  if (!Number.isFinite(v)) return String(v);
  const neg = v < 0;
  const a = Math.abs(v);
  let text: string;
  if (a >= 10 ** significant) text = String(Math.round(a));
  else {
    text = String(Number(a.toPrecision(significant)));
    if (/e/.test(text)) return `${neg ? "-" : ""}${text}`;
  }
  const [int, frac] = text.split(".");
  return `${neg ? "-" : ""}${groupDigits(int!)}${frac === undefined ? "" : `.${frac}`}`;
}

/** An integer count with separators ("26,197"). */
export function formatCount(v: number): string {
  return Number.isInteger(v) ? formatNumber(v, 1) : formatNumber(v, 4);
}

export interface TimeUnit {
  /** Axis label unit: s, min, h or days. */
  unit: "s" | "min" | "h" | "days";
  /** Seconds per unit. */
  seconds: number;
}

const TIME_UNITS: TimeUnit[] = [
  { unit: "s", seconds: 1 },
  { unit: "min", seconds: 60 },
  { unit: "h", seconds: 3_600 },
  { unit: "days", seconds: 86_400 },
];

/**
 * The unit for a time axis spanning `spanSeconds`: seconds up to 5 minutes, minutes up to 5 hours,
 * hours up to 3 days, days beyond — so an axis reads 0…300 s, 0…300 min, 0…72 h or 3…365 days.
 */
export function timeUnitFor(spanSeconds: number): TimeUnit {
  if (!(spanSeconds > 300)) return TIME_UNITS[0]!;
  if (spanSeconds <= 5 * 3_600) return TIME_UNITS[1]!;
  if (spanSeconds <= 3 * 86_400) return TIME_UNITS[2]!;
  return TIME_UNITS[3]!;
}

/** A duration in the unit timeUnitFor picks for it, 3 significant digits: "0.0642 s", "200 s", "12.5 min", "10 days". */
export function formatDuration(seconds: number): string {
  const u = timeUnitFor(Math.abs(seconds));
  return `${formatNumber(seconds / u.seconds, 3)} ${u.unit}`;
}

const BYTE_PREFIXES = [
  { name: "bytes", bytes: 1 },
  { name: "kB", bytes: 1e3 },
  { name: "MB", bytes: 1e6 },
  { name: "GB", bytes: 1e9 },
  { name: "TB", bytes: 1e12 },
  { name: "PB", bytes: 1e15 },
  { name: "EB", bytes: 1e18 },
];

/** The decimal byte unit in which `maxBytes` reads between 1 and 1000. */
export function byteUnit(maxBytes: number): { unit: string; bytes: number } {
  let pick = BYTE_PREFIXES[0]!;
  for (const p of BYTE_PREFIXES) if (Math.abs(maxBytes) >= p.bytes) pick = p;
  return { unit: pick.name, bytes: pick.bytes };
}

/**
 * The ozone price (wei per noz; 1 noz is charged per byte) as STOS per the smallest decimal byte
 * unit (kB … EB) in which it reaches 1 STOS: 10^6 wei/noz reads "1 STOS per TB". `factor` converts
 * wei/noz to that unit.
 */
export function ozonePriceUnit(weiPerNoz: number): { unit: string; factor: number } {
  let pick = BYTE_PREFIXES[1]!;
  for (const p of BYTE_PREFIXES.slice(1)) {
    pick = p;
    if ((weiPerNoz * p.bytes) / 1e18 >= 1) break;
  }
  return { unit: `STOS per ${pick.name}`, factor: pick.bytes / 1e18 };
}

// ---- Units of parameter and metric names ----

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
