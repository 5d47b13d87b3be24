// The estimated size of a run, from the resolved scenario alone (nothing is built): peak memory
// and kernel events, each as a sum of terms that name the scenario keys driving them. The CLI
// refuses a run whose memory estimate exceeds what the machine can hold (unless --force), and
// says up front when a run will take long. The formulas are structural (what the simulator keeps
// per pending event, per request, per node-epoch, ...) with coefficients measured by
// `npm run bench -- size`, which prints estimate / measured for a calibration set; the estimate
// is meant to be at or above the measured peak RSS and event count (within about 3×), never far below.
// Owns: the estimate. May import: ./definition.js (types only).
//
// Memory (bytes) = BASE (80 MB)
//   + 50 · pending kernel events                      (PHOLD: lps × init; queue slots and heap)
//   + 200 · phold.lps                                  (per-LP counters and the lps table)
//   + 200 KB · n + 16 · n² · (logWindow / checkpointInterval + 2)   (replicas; checkpoint votes)
//   pbft:  + 800 · n · clients × requests               (each replica keeps executed requests)
//          + 25 KB · n · clients                        (client tables at every replica)
//   pot:   + 40 MB (the ledger code and the traffic thread) + 6 KB · users
//          + 10 KB · resource nodes (with the traffic feed ring) + 25 KB · n · (meta nodes + gateways)
//          + 12 · catalog files + 4 · files × replicas
//          + 400 · epochs                                        (epoch rows, reserved at build)
//          + 40 · active wallets · min(epochs, matureEpoch)     (pending rewards)
//          + 3 KB · epochs                                       (what grows per epoch: request and
//                                  checker records, reward history, the replica timeline, GC slack)
//          + 4 KB · per-request traffic requests                 (traffic.mode: perRequest)
// Events ≈ PHOLD: lps · init · until / (lookahead + meanDelay)
//          PBFT: requests · (2.5 n² + 25 n + 50) + timers n · until / (4 · requestTimeout)
//          PoT: the same per ordered transaction (one report per epoch, prepays) plus 15 per
//               per-request download and 2 per churn transition.
// maxEvents below the estimate scales the events, and the memory terms that accumulate during the
// run (requests kept, reward logs), by the share of the run it allows. Every run adds
// WORLD_SETUP_EVENTS for building and summarising its world (it matters for sweeps of short tasks).

import type { ResolvedScenario } from "./definition.js";

/** Memory of the process before a world is built, and what a run adds regardless of size. */
const BASE_BYTES = 80e6;
const KB = 1e3;
/** What a PoT run adds before its size matters: the ledger's code and the traffic thread's own heap. */
const POT_BASE_BYTES = 40e6;
/** One row of the PoT `epochs` table, reserved up front: 33 columns × (1 tag + 1 double) + 12 bigint columns' low limbs (393 bytes). */
const EPOCH_ROW_BYTES = 400;
/**
 * What a PoT run's memory grows by per epoch besides its rows, measured on tokenomics.yaml (1,000
 * resource nodes): peak RSS 0.51 GB for one year and 1.67 GB for ten (`/usr/bin/time -v sim run`).
 */
const EPOCH_GROWTH_BYTES = 3 * KB;
/**
 * Building and finishing a world, in kernel-event equivalents (a byzantine.yaml world takes about
 * 50 ms to set up and summarise, ~7,500 of its events): what a sweep of many short tasks costs
 * beyond their events.
 */
export const WORLD_SETUP_EVENTS = 5_000;

/** Kernel events per second, by model, measured on the development machine (rough: notices and task batching). */
const EVENTS_PER_SECOND: Record<string, number> = { phold: 1e6, pbft: 5e5, pot: 1.5e5 };

/** Estimated wall-clock seconds of `events` kernel events of a model, on one thread. */
export function estimatedSeconds(model: string, events: number): number {
  return events / (EVENTS_PER_SECOND[model] ?? 5e5);
}

export interface SizeTerm {
  /** The scenario keys that drive the term, e.g. `phold.lps × phold.init`. */
  readonly keys: string;
  /** What it is, with the numbers: `pending events (1000 × 16)`. */
  readonly what: string;
  readonly bytes: number;
  readonly events: number;
  /** Memory that accumulates as the run goes (rows per epoch, requests kept), rather than at build time. */
  readonly grows?: boolean;
}

export interface SizeEstimate {
  readonly memoryBytes: number;
  readonly events: number;
  /** Terms in decreasing order of bytes (the largest first), the base excluded. */
  readonly terms: readonly SizeTerm[];
}

export interface EstimateOpts {
  /** `sim run --until`: replaces the scenario's `until` for how long the kernel runs. */
  readonly until?: number;
}

type Pbft = NonNullable<ResolvedScenario["pbft"]>;
type Traffic = NonNullable<ResolvedScenario["traffic"]>;

/** PBFT kernel events per ordered request (messages, deliveries, timers), measured for n = 4..64. */
export function pbftEventsPerRequest(n: number): number {
  return 2.5 * n * n + 25 * n + 50;
}

/** Mean arrival rate of a user (requests per second); a trace's requests are counted whole instead. */
function meanRate(a: Traffic["users"][number]["arrival"]): number {
  switch (a.model) {
    case "poisson":
      return a.rate;
    case "onOff":
      return (a.onRate * a.meanOn + a.offRate * a.meanOff) / (a.meanOn + a.meanOff);
    case "diurnal":
      return a.meanRate;
    case "trace":
      return 0;
  }
}

function replicaTerms(p: Pbft, until: number, out: SizeTerm[]): void {
  const n = p.n;
  const window = (p.logWindow ?? 2 * p.checkpointInterval) / p.checkpointInterval + 2;
  out.push({
    keys: "pbft.n",
    what: `replicas (${n}) with checkpoint votes (${n}² × ${Math.ceil(window)} slots)`,
    bytes: 200 * KB * n + 16 * n * n * window,
    events: (n * until) / (4 * p.requestTimeout),
  });
}

/** The estimate for a validated scenario. */
export function estimateRunSize(s: ResolvedScenario, opts: EstimateOpts = {}): SizeEstimate {
  const until = opts.until ?? s.until;
  const terms: SizeTerm[] = [];
  if (s.model === "phold") {
    const ph = s.phold;
    const pending = ph.lps * ph.init;
    terms.push({
      keys: "phold.lps × phold.init",
      what: `pending events (${ph.lps} × ${ph.init})`,
      bytes: 50 * pending + 200 * ph.lps,
      events: (pending * until) / (ph.lookahead + ph.meanDelay),
    });
  } else if (s.model === "pbft" && s.pbft !== null) {
    const p = s.pbft;
    const n = p.n;
    replicaTerms(p, until, terms);
    const c = p.clients;
    const requests =
      c.workload.model === "poisson" ? Math.min(c.requests, c.workload.rate * until) * c.count : c.requests * c.count;
    terms.push({
      keys: "pbft.clients.count × pbft.clients.requests",
      what: `requests (${c.count} × ${c.requests}) kept by ${n} replicas`,
      bytes: 800 * n * requests + 25 * KB * n * c.count,
      events: requests * pbftEventsPerRequest(n),
      grows: true,
    });
  } else if (s.model === "pot" && s.pbft !== null && s.economics !== null) {
    potTerms(s, s.pbft, s.economics, until, terms);
  }
  let events = 0;
  for (const t of terms) events += t.events;
  // maxEvents stops the run early: memory that accumulates during the run scales with the share run.
  const share = s.maxEvents !== undefined && events > s.maxEvents ? s.maxEvents / events : 1;
  const scaled = terms.map((t) => (t.grows && share < 1 ? { ...t, bytes: t.bytes * share, events: t.events * share } : { ...t, events: t.events * share }));
  let bytes = BASE_BYTES;
  for (const t of scaled) bytes += t.bytes;
  scaled.sort((a, b) => b.bytes - a.bytes);
  return { memoryBytes: bytes, events: events * share + WORLD_SETUP_EVENTS, terms: scaled };
}

function potTerms(s: ResolvedScenario, p: Pbft, e: NonNullable<ResolvedScenario["economics"]>, until: number, out: SizeTerm[]): void {
  replicaTerms(p, until, out);
  const n = p.n;
  const epochs = Math.min(e.epochs ?? Math.floor(s.until / e.epochLength + 1e-9), Math.floor(until / e.epochLength) + 1);
  const t = s.traffic;
  const users = t ? t.users.reduce((a, g) => a + g.count, 0) : 0;
  const R = e.resourceNodes.count;
  const sybilWallets = (s.attacks?.sybils ?? []).reduce((a, g) => a + g.wallets, 0);
  // Requests per epoch, and the wallets that serve them (each request reaches one of `replicas` nodes).
  let perEpoch = 0;
  let traceRequests = 0;
  for (const g of t?.users ?? []) {
    if (g.arrival.model === "trace") traceRequests += g.count * g.arrival.times.length;
    else perEpoch += g.count * meanRate(g.arrival) * e.epochLength;
  }
  const trafficSeconds = Math.min(until, epochs * e.epochLength);
  const requests = perEpoch * (trafficSeconds / e.epochLength) + traceRequests;
  const placements = t ? t.catalog.files * t.catalog.replicas : 0;
  const uploadFanout = t ? 1 + t.uploadFraction * (t.catalog.replicas - 1) : 1;
  const active = Math.min(R, placements, Math.ceil(perEpoch * uploadFanout) + 1) + sybilWallets + e.metaNodes.count;
  const matureEpoch = e.matureEpoch ?? 2016;
  // The epochs table is reserved for every epoch when the world is built (~400 bytes a row).
  out.push({
    keys: "economics.epochs (or until / economics.epochLength)",
    what: `epoch rows reserved at the start (${epochs} epochs)`,
    bytes: EPOCH_ROW_BYTES * epochs,
    events: 0,
  });
  out.push({
    keys: "economics.epochs × active wallets",
    what: `epochs (${epochs}) × wallets earning rewards (${active}): pending rewards and what grows per epoch`,
    bytes: 40 * active * Math.min(epochs, matureEpoch) + EPOCH_GROWTH_BYTES * epochs,
    events: 0,
    grows: true,
  });
  const clients = e.metaNodes.count + e.gateways;
  const files = t ? t.catalog.files : 0;
  out.push({
    keys: "economics.resourceNodes.count, traffic.users[].count, traffic.catalog.files",
    what: `resource nodes (${R}), users (${users}), PBFT clients (${clients}) and the catalog (${files} files)`,
    bytes: POT_BASE_BYTES + 10 * KB * (R + sybilWallets) + 6 * KB * users + 25 * KB * n * clients + 12 * files + 4 * placements,
    events: 0,
  });
  // Ordered transactions: one report per epoch, prepays (each user at most initial/prepay times,
  // and at most once per refillEpochs), Sybil prepays per active epoch.
  const prepays = Math.min((users * epochs) / e.users.refillEpochs, users * Math.floor(e.users.initialStos / e.users.prepayStos));
  const ops = epochs + prepays + (s.attacks?.sybils.length ?? 0) * epochs;
  out.push({
    keys: "economics.epochs, economics.users.prepayStos",
    what: `chain transactions (${epochs} reports, about ${Math.round(prepays)} prepays) ordered by ${n} validators`,
    bytes: 0,
    events: ops * pbftEventsPerRequest(n),
  });
  if (t?.mode === "perRequest") {
    out.push({
      keys: "traffic.users[].count × rate × until",
      what: `per-request downloads (about ${requests.toExponential(2)})`,
      bytes: 4 * KB * requests,
      events: 15 * requests,
      grows: true,
    });
    if (t.churn !== null) {
      out.push({
        keys: "economics.resourceNodes.count × traffic.churn",
        what: `churn transitions of ${R} resource nodes`,
        bytes: 0,
        events: (2 * R * trafficSeconds) / (t.churn.meanUp + t.churn.meanDown),
      });
    }
  }
}
