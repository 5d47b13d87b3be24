// Users' traffic in the PoT world: demand from the traffic model, paid with the users' ozone
// (off-chain credit the meta nodes keep), served by online resource nodes, and observed as bytes
// (= noz) per resource node per epoch. Two modes from the same TrafficModel:
//   perRequest — one kernel event per request: the user pays request.charged noz if it holds that
//                much (else the request is unserved), the serving node(s) are credited its bytes;
//   aggregated — once per epoch, traffic/aggregateEpoch draws the per-node volumes; the epoch's demand
//                is split over users in proportion to their expected request counts, each user pays
//                min(its share, its ozone), and the node volumes are scaled by the paid fraction.
// A node's capacity (bytes per second) bounds what it serves per epoch: per request, a node that has
// served its epoch's capacity counts as unavailable (another holder serves, or nobody); aggregated,
// each node's volume is capped before users pay.
// Both spend only ozone users hold, so reported volumes never exceed ozone bought and not yet reported.
// May import: kernel, traffic, ./config (types), ./feed (types).

import type { Simulation, Stream } from "../../kernel/index.js";
import { type AggregateScratch, aggregateEpoch, newTrafficRequestRecord, type OnlinePredicate, TrafficModel } from "../../traffic/index.js";
import { type TrafficSection, trafficConfigOf } from "./config.js";
import type { FedReport, TrafficFeed } from "./feed/index.js";

/** What happened to users' demand in one epoch. */
export interface EpochTraffic {
  requests: number;
  /** Requests with no online node to serve them. */
  unservedNoNode: number;
  /** Requests (aggregated: request-equivalents) refused for lack of ozone. */
  unservedOzone: number;
  /** Noz the served-able requests would have cost. */
  demandNoz: number;
  /** Noz actually paid (and credited to nodes). */
  servedNoz: number;
}

const WEEK = 7 * 86_400;

export class PotTraffic {
  readonly model: TrafficModel | null;
  readonly userCount: number;
  /** Ozone (noz) each user holds. */
  readonly ozone: Float64Array;
  private readonly groups: { first: number; count: number }[] = [];
  private readonly aggRng: Stream;
  /** Buffers reused by every aggregated epoch. */
  private readonly aggScratch: AggregateScratch = {};
  /** Where the aggregated epochs come from when not drawn here (see useFeed). */
  private feed: TrafficFeed | undefined;
  /**
   * The feed's encoding of this epoch's honest report, kept only when the epoch's served volumes are
   * exactly the fed ones (users paid for all of it: φ = 1, no capacity cap); see takeFedReport.
   */
  private fedReport: FedReport | undefined;
  private stats: EpochTraffic = emptyStats();
  private kRequest = -1;
  /** The per-request mode's request, drawn into in place (TrafficModel.nextRequestInto). */
  private readonly request = newTrafficRequestRecord();
  private end = 0;
  /** Bytes a node can serve per epoch (Infinity: unlimited). */
  private readonly capacityPerEpoch: number;
  /** Per request: online and not yet at its epoch's capacity. */
  private readonly available: OnlinePredicate;

  constructor(
    readonly section: TrafficSection | null,
    readonly nodeCount: number,
    private readonly sim: Simulation,
    /** Bytes served per resource node this epoch (indices 0..nodeCount-1), read and cleared by the meta nodes. */
    private readonly vol: Float64Array,
    private readonly online: OnlinePredicate,
    /** Bytes per second a node can serve (undefined: unlimited). */
    capacity: number | undefined,
    epochLength: number,
  ) {
    this.aggRng = sim.rng.stream("pot.traffic.aggregate");
    this.capacityPerEpoch = capacity === undefined ? Number.POSITIVE_INFINITY : capacity * epochLength;
    const cap = this.capacityPerEpoch;
    this.available = cap === Number.POSITIVE_INFINITY ? online : (j) => online(j) && vol[j]! < cap;
    if (section === null) {
      this.model = null;
      this.userCount = 0;
      this.ozone = new Float64Array(0);
      return;
    }
    this.model = new TrafficModel(trafficConfigOf(section, nodeCount), (name, i) => sim.rng.stream(name, i));
    this.userCount = this.model.userCount;
    this.ozone = new Float64Array(this.userCount);
    let first = 0;
    for (const g of section.users) {
      if (g.count > 0) this.groups.push({ first, count: g.count });
      first += g.count;
    }
  }

  /** A user's mean demand in noz per second (stationary rate × mean size × upload replication). */
  meanDemandPerSecond(user: number): number {
    const m = this.model;
    if (!m) return 0;
    const rate = m.arrival(user).expectedCount(0, WEEK) / WEEK;
    const k = Math.min(m.uploadReplicas, this.nodeCount);
    return rate * m.sizes.mean() * (1 - m.uploadFraction + m.uploadFraction * k);
  }

  /** Stats of the epoch so far, reset for the next one. */
  takeEpochStats(): EpochTraffic {
    const s = this.stats;
    this.stats = emptyStats();
    return s;
  }

  // ---- aggregated mode ------------------------------------------------------------------------

  /** Draws and settles users' traffic over [t0, t1) (aggregated mode); `online`: the nodes' online mask, if known. */
  aggregated(t0: number, t1: number, online?: Uint8Array): void {
    this.fedReport = undefined;
    const m = this.model;
    if (!m || this.userCount === 0) return;
    // From the feed, the node volumes are a view of its ring, valid until the next epoch (and used before).
    const fed = this.feed && online ? this.feed.take(t1, online) : undefined;
    const agg = fed ?? aggregateEpoch(m, t0, t1, this.aggRng, online ?? this.online, this.aggScratch);
    const s = this.stats;
    s.requests += agg.requests;
    s.unservedNoNode += agg.unserved;
    const perNode = agg.perNodeVolume;
    let demand = 0;
    for (let j = 0; j < perNode.length; j++) demand += perNode[j]!;
    if (!(demand > 0)) return;
    s.demandNoz += demand;
    const fullDemand = demand;
    const cap = this.capacityPerEpoch;
    if (cap !== Number.POSITIVE_INFINITY) {
      let capped = 0;
      for (let j = 0; j < perNode.length; j++) {
        if (perNode[j]! > cap) perNode[j] = cap;
        capped += perNode[j]!;
      }
      s.unservedNoNode += Math.round((agg.requests - agg.unserved) * (1 - capped / demand));
      demand = capped;
      if (!(demand > 0)) return;
    }
    const lambda = m.expectedRequests(t0, t1);
    if (!(lambda > 0)) return;
    // Each user's share of the epoch's demand is its expected share of the requests.
    let paid = 0;
    let short = false;
    const oz = this.ozone;
    for (const g of this.groups) {
      const each = (demand * m.arrival(g.first).expectedCount(t0, t1)) / lambda;
      if (!(each > 0)) continue;
      for (let u = g.first; u < g.first + g.count; u++) {
        const have = oz[u]!;
        if (have >= each) {
          oz[u] = have - each;
          paid += each;
        } else {
          oz[u] = 0;
          paid += have;
          short = true;
        }
      }
    }
    // Served in full when no user was short: exactly 1, not paid/demand (a float sum of the shares,
    // which may land a rounding step below 1 and would scale every node's volume by 1 − 2^−53).
    const phi = short ? Math.min(1, paid / demand) : 1;
    const servedReq = (agg.requests - agg.unserved) * (demand / fullDemand);
    s.unservedOzone += Math.round(servedReq * (1 - phi));
    s.servedNoz += paid;
    const vol = this.vol;
    for (let j = 0; j < perNode.length; j++) vol[j]! += perNode[j]! * phi;
    if (phi === 1 && cap === Number.POSITIVE_INFINITY) this.fedReport = fed?.report;
  }

  /**
   * The feed's encoding of the honest report over exactly this epoch's fed volumes, if it made one
   * and they were served in full (then, with no other traffic, they are what the meta nodes saw).
   */
  takeFedReport(): FedReport | undefined {
    const r = this.fedReport;
    this.fedReport = undefined;
    return r;
  }

  /**
   * Takes the aggregated epochs from `feed` (drawn on a worker thread from the same streams) instead of
   * drawing them: call before the first epoch, and only in aggregated mode with users.
   */
  useFeed(feed: TrafficFeed): void {
    this.feed = feed;
  }

  // ---- per-request mode -----------------------------------------------------------------------

  /** Schedules users' requests one kernel event each, until `end`. */
  startPerRequest(end: number): void {
    const m = this.model;
    if (!m) return;
    this.end = end;
    this.kRequest = this.sim.register("pot.request", () => this.onRequest());
    const t = m.peekNextTime();
    if (t <= end) this.sim.postAt(t, 0, this.kRequest);
  }

  private onRequest(): void {
    const m = this.model!;
    const req = this.request;
    if (m.nextRequestInto(req, this.available)) {
      const s = this.stats;
      s.requests++;
      if (req.nodes.length === 0) s.unservedNoNode++;
      else {
        s.demandNoz += req.charged;
        const u = req.user;
        if (this.ozone[u]! >= req.charged) {
          this.ozone[u]! -= req.charged;
          s.servedNoz += req.charged;
          for (const j of req.nodes) this.vol[j]! += req.bytes;
        } else s.unservedOzone++;
      }
    }
    const next = m.peekNextTime();
    if (next <= this.end) this.sim.postAt(next, 0, this.kRequest);
  }
}

function emptyStats(): EpochTraffic {
  return { requests: 0, unservedNoNode: 0, unservedOzone: 0, demandNoz: 0, servedNoz: 0 };
}
