// report/outcome: a finished run's verdict (passed, or which invariant broke — in plain words —, when
// and at which replicas) and its key figures (value, unit, explanation), computed from summary.json and
// manifest.json alone. report.html's banner and figure cards and `sim run`'s outcome on stdout both
// come from here, so the page and the terminal never disagree. Loads no charting library.
// May import: nothing outside report/.

import { checkedInvariants, FIGURE_DOCS, type InvariantWords, invariantWords, SEVERITY } from "./glossary.js";
import { formatCount, formatDuration, formatNumber, ozonePriceUnit } from "./units.js";

export interface ViolationRecord {
  invariant: string;
  time: number;
  view?: number;
  seq?: number;
  replicas?: number[];
  detail: string;
}

export interface Verdict {
  passed: boolean;
  /** One line: "Passed: …" or "Violated: SAF-1 (Agreement) …". */
  headline: string;
  /** The first violation's invariant in plain words; undefined when passed. */
  invariant?: InvariantWords & { id: string };
  /** The first violation of that invariant (the most severe one violated: glossary SEVERITY). */
  first?: ViolationRecord;
  /** "at t = 0.064 s (view 0, seq 1), replicas 3 and 2" for that violation. */
  where?: string;
  /** Violations per invariant, most severe first. */
  counts: Array<[string, number]>;
  /** The other invariants violated, each with where it was first violated. */
  others: Array<{ id: string; name: string; count: number; where: string }>;
  total: number;
  /** The invariants the run checked, as "SAF-1 agreement" phrases (for a passed run). */
  checked: string[];
  /** Set when the run stopped before the time it was asked to reach (scenario maxEvents). */
  stoppedEarly?: string;
}

export interface KeyFigure {
  /** Summary key the figure reads (FIGURE_DOCS). */
  key: string;
  label: string;
  /** Display value, e.g. "234 of 234". */
  value: string;
  unit: string;
  /** A second value shown smaller, e.g. "p95 0.395 s". */
  extra?: string;
  /** From docs/results.md (glossary.ts). */
  explain: string;
}

function rec(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** summary[path] for a dotted path. */
export function at(obj: unknown, path: string): unknown {
  let v: unknown = obj;
  for (const k of path.split(".")) v = rec(v)?.[k];
  return v;
}

function numAt(obj: unknown, path: string): number | undefined {
  const v = at(obj, path);
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

function boolAt(obj: unknown, path: string): boolean | undefined {
  const v = at(obj, path);
  return typeof v === "boolean" ? v : undefined;
}

function violationsOf(summary: unknown): ViolationRecord[] {
  const v = at(summary, "violations");
  if (!Array.isArray(v)) return [];
  return v.filter((x): x is ViolationRecord => rec(x) !== undefined && typeof (x as ViolationRecord).invariant === "string");
}

/** "replica 3", "replicas 3 and 2", "replicas 1, 2 and 4". */
export function replicaList(replicas: readonly number[] | undefined): string {
  if (!replicas || replicas.length === 0) return "";
  if (replicas.length === 1) return `replica ${replicas[0]}`;
  return `replicas ${replicas.slice(0, -1).join(", ")} and ${replicas[replicas.length - 1]}`;
}

/** "at t = 0.0642 s (view 0, seq 1), replicas 3 and 2". */
function whereOf(v: ViolationRecord): string {
  const coords = [v.view !== undefined ? `view ${v.view}` : "", v.seq !== undefined ? `seq ${v.seq}` : ""].filter(Boolean).join(", ");
  const reps = replicaList(v.replicas);
  return `at t = ${formatDuration(v.time)}${coords ? ` (${coords})` : ""}${reps ? `, ${reps}` : ""}`;
}

export function verdictOf(summary: unknown, manifest: unknown): Verdict {
  const violations = violationsOf(summary);
  const model = String(at(summary, "model") ?? at(manifest, "scenario.model") ?? "");
  const liveness = at(manifest, "scenario.check.liveness") !== false;
  const checked = checkedInvariants(model, liveness).map((id) => `${id} ${invariantWords(id).name.toLowerCase()}`);
  const counts = new Map<string, number>();
  const firstOf = new Map<string, ViolationRecord>();
  for (const v of violations) {
    counts.set(v.invariant, (counts.get(v.invariant) ?? 0) + 1);
    if (!firstOf.has(v.invariant)) firstOf.set(v.invariant, v);
  }
  const rank = (id: string) => {
    const i = SEVERITY.indexOf(id);
    return i < 0 ? SEVERITY.length : i;
  };
  const ids = [...firstOf.keys()].sort((a, b) => rank(a) - rank(b) || firstOf.get(a)!.time - firstOf.get(b)!.time);
  const first = ids.length > 0 ? firstOf.get(ids[0]!) : undefined;
  const reached = numAt(manifest, "simTime") ?? numAt(summary, "simTime");
  const asked = numAt(manifest, "until");
  // A run ends early for one of two reasons: the scenario asked to stop at the first violation
  // (check.stopOnViolation), or its maxEvents was reached.
  const stopAtViolation = violations.length > 0 && boolAt(manifest, "scenario.check.stopOnViolation") === true;
  const stoppedEarly =
    reached !== undefined && asked !== undefined && reached < asked
      ? stopAtViolation
        ? `The run stopped at ${formatDuration(reached)} of the ${formatDuration(asked)} asked for, at its first violation (check.stopOnViolation).`
        : `The run stopped at ${formatDuration(reached)} of the ${formatDuration(asked)} asked for: the scenario's maxEvents (${formatCount(numAt(manifest, "scenario.maxEvents") ?? numAt(manifest, "events") ?? 0)} events) was reached.`
      : undefined;
  if (!first) {
    const simTime = numAt(summary, "simTime");
    const span = simTime === undefined ? "" : ` in ${formatDuration(simTime)} of simulated time`;
    return {
      passed: true,
      headline: `Passed: no invariant was violated${span}`,
      counts: [],
      others: [],
      total: 0,
      checked,
      stoppedEarly,
    };
  }
  const words = invariantWords(first.invariant);
  return {
    passed: false,
    headline: `Violated: ${first.invariant} (${words.name}) — ${words.meaning}`,
    invariant: { id: first.invariant, ...words },
    first,
    where: whereOf(first),
    counts: ids.map((id) => [id, counts.get(id)!]),
    others: ids.slice(1).map((id) => ({ id, name: invariantWords(id).name, count: counts.get(id)!, where: whereOf(firstOf.get(id)!) })),
    total: violations.length,
    checked,
    stoppedEarly,
  };
}

function explain(key: string): string {
  const d = FIGURE_DOCS[key];
  if (!d) throw new Error(`no explanation for key figure ${key}`);
  return d.meaning;
}

function seconds(v: number | undefined): string {
  return v === undefined ? "–" : formatNumber(v, 3);
}

function pbftFigures(s: unknown, prefix: "" | "consensus."): KeyFigure[] {
  const out: KeyFigure[] = [];
  const p50 = numAt(s, `${prefix}latency.p50_s`);
  const p95 = numAt(s, `${prefix}latency.p95_s`);
  if (prefix === "") {
    const done = numAt(s, "requestsCompleted");
    const planned = numAt(s, "requestsPlanned");
    if (done !== undefined)
      out.push({
        key: "requestsCompleted",
        label: "Requests completed",
        value: planned !== undefined ? `${formatCount(done)} of ${formatCount(planned)}` : formatCount(done),
        unit: "requests",
        explain: explain("requestsCompleted"),
      });
  }
  const latencyKey = `${prefix}latency.p50_s`;
  if (at(s, latencyKey) !== undefined)
    out.push({
      key: latencyKey,
      label: prefix === "" ? "Request latency, median" : "Transaction latency, median",
      value: seconds(p50),
      unit: "s",
      extra: p95 === undefined ? undefined : `p95 ${seconds(p95)} s`,
      explain: explain(latencyKey),
    });
  const vc = numAt(s, `${prefix}viewChanges`);
  const finalView = numAt(s, `${prefix}finalView`);
  if (vc !== undefined)
    out.push({
      key: `${prefix}viewChanges`,
      label: "View changes",
      value: formatCount(vc),
      unit: vc === 1 ? "view" : "views",
      extra: finalView === undefined ? undefined : `final view ${formatCount(finalView)}`,
      explain: explain(`${prefix}viewChanges`),
    });
  if (prefix === "") {
    const seq = numAt(s, "executedSeq");
    if (seq !== undefined) out.push({ key: "executedSeq", label: "Executed sequence number", value: formatCount(seq), unit: "", explain: explain("executedSeq") });
    const msgs = numAt(s, "messages");
    if (msgs !== undefined) out.push({ key: "messages", label: "Messages sent", value: formatCount(msgs), unit: "messages", explain: explain("messages") });
  }
  return out;
}

function potFigures(s: unknown): KeyFigure[] {
  const out: KeyFigure[] = [];
  const accepted = numAt(s, "reports.accepted");
  const submitted = numAt(s, "reports.submitted");
  const rejected = numAt(s, "reports.rejected");
  if (accepted !== undefined)
    out.push({
      key: "reports.accepted",
      label: "Volume reports accepted",
      value: submitted !== undefined ? `${formatCount(accepted)} of ${formatCount(submitted)}` : formatCount(accepted),
      unit: "reports",
      extra: rejected ? `${formatCount(rejected)} refused` : undefined,
      explain: explain("reports.accepted"),
    });
  const mined = numAt(s, "issuance.minedStos");
  // A yearly rate extrapolated from less than a day says little: shown from a day on.
  const years = numAt(s, "simulatedYears") ?? 0;
  const inflation = years >= 1 / 365 ? numAt(s, "issuance.inflationPerYear") : undefined;
  if (mined !== undefined)
    out.push({
      key: "issuance.minedStos",
      label: "STOS mined",
      value: formatNumber(mined, 4),
      unit: "STOS",
      extra: inflation === undefined ? undefined : `${formatNumber(inflation * 100, 3)} % per year extrapolated`,
      explain: explain("issuance.minedStos"),
    });
  const traffic = numAt(s, "issuance.trafficPaidStos");
  if (traffic !== undefined)
    out.push({ key: "issuance.trafficPaidStos", label: "Traffic rewards paid", value: formatNumber(traffic, 4), unit: "STOS", explain: explain("issuance.trafficPaidStos") });
  const price = at(s, "market.ozonePrice");
  const weiPerNoz = typeof price === "string" ? Number(price) : typeof price === "number" ? price : Number.NaN;
  if (Number.isFinite(weiPerNoz) && weiPerNoz > 0) {
    const u = ozonePriceUnit(weiPerNoz);
    out.push({
      key: "market.ozonePrice",
      label: "Ozone price at the end",
      value: formatNumber(weiPerNoz * u.factor, 4),
      unit: u.unit,
      extra: `= ${formatNumber(weiPerNoz, 7)} wei per noz; 1 noz pays for 1 byte`,
      explain: explain("market.ozonePrice"),
    });
  }
  out.push(...pbftFigures(s, "consensus."));
  const susp = numAt(s, "resourceNodes.suspensions");
  if (susp !== undefined) {
    const restored = numAt(s, "resourceNodes.restorations");
    out.push({
      key: "resourceNodes.suspensions",
      label: "Resource nodes suspended",
      value: formatCount(susp),
      unit: "suspensions",
      extra: restored === undefined ? undefined : `${formatCount(restored)} restored`,
      explain: explain("resourceNodes.suspensions"),
    });
  }
  return out;
}

/** The run's key figures, most telling first (the model decides which). */
export function keyFigures(summary: unknown): KeyFigure[] {
  const model = at(summary, "model");
  if (model === "pbft") return pbftFigures(summary, "");
  if (model === "pot") return potFigures(summary);
  if (model === "phold") {
    const processed = numAt(summary, "processed");
    return processed === undefined ? [] : [{ key: "processed", label: "Events processed", value: formatCount(processed), unit: "events", explain: explain("processed") }];
  }
  return [];
}
