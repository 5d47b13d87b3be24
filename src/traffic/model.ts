// traffic/model: TrafficModel bundles one scenario's users, sizes, catalog, uploads and churn,
// built from one config and a stream factory. Per-request mode: per-user arrival times and
// request draws, or the merged nextRequest sequence. Every user has its own streams, so adding
// users or draws for one user never changes another user's sequence.
// May import: kernel (Stream), the other traffic modules.

import type { Stream } from "../kernel/index.js";
import { type ArrivalProcess, createArrival } from "./arrival.js";
import { ArrivalMerger } from "./arrival-merger.js";
import { Catalog, type OnlinePredicate } from "./catalog.js";
import { Churn } from "./churn.js";
import type { TrafficConfig } from "./config.js";
import { createSizeModel, type SizeModel } from "./sizes.js";
import { chargeFor, pickUploadTargetsInto } from "./uploads.js";

/** Same shape as RngTree.stream: the same (name, index) always yields the same numbers. */
export type StreamFactory = (name: string, index?: number) => Stream;

/** Stream names the model asks its factory for. */
export const TRAFFIC_STREAMS = {
  placement: "traffic.placement",
  arrival: "traffic.arrival",
  onOff: "traffic.onoff",
  request: "traffic.request",
} as const;

export type RequestKind = "download" | "upload";

export interface TrafficRequest {
  time: number;
  user: number;
  kind: RequestKind;
  /** Catalog file for downloads; -1 for uploads (a new object outside the catalog). */
  file: number;
  /** Download: the serving replica; upload: the first target. Undefined if no node could take it. */
  server: number | undefined;
  /** Nodes credited with `bytes` each: [server] or the upload targets; [] when unserved. */
  nodes: readonly number[];
  /** Object size. */
  bytes: number;
  /** 1 for a served download, replicas written for an upload, 0 when unserved. */
  chargeMultiplier: number;
  /** bytes × chargeMultiplier: noz charged to the user, equal to the volume credited over `nodes`. */
  charged: number;
}

/** A request record that drawRequestInto / nextRequestInto fill in place, `nodes` included. */
export interface TrafficRequestRecord extends TrafficRequest {
  nodes: number[];
}

/** An empty record for drawRequestInto / nextRequestInto. */
export function newTrafficRequestRecord(): TrafficRequestRecord {
  return { time: 0, user: 0, kind: "download", file: -1, server: undefined, nodes: [], bytes: 0, chargeMultiplier: 0, charged: 0 };
}

export class TrafficModel {
  readonly userCount: number;
  readonly nodeCount: number;
  readonly catalog: Catalog;
  readonly sizes: SizeModel;
  readonly uploadFraction: number;
  /** Replicas a new upload writes when enough nodes are online (the catalog's k). */
  readonly uploadReplicas: number;
  readonly churn: Churn | undefined;
  private readonly arrivals: ArrivalProcess[];
  private readonly arrivalRngs: Stream[];
  private readonly requestRngs: Stream[];
  /** One representative process and user count per group, for path-free expected counts. */
  private readonly groups: { count: number; process: ArrivalProcess }[] = [];
  private merger: ArrivalMerger | undefined;
  /** Scratch for the online nodes an upload chooses among. */
  private readonly uploadPool: number[] = [];
  private readonly start: number;

  constructor(
    readonly config: TrafficConfig,
    streams: StreamFactory,
  ) {
    const u = config.uploadFraction;
    if (!(u >= 0 && u <= 1)) throw new Error(`uploadFraction must be in [0, 1], got ${u}`);
    this.uploadFraction = u;
    this.sizes = createSizeModel(config.sizes);
    this.catalog = new Catalog(config.catalog, streams(TRAFFIC_STREAMS.placement));
    this.nodeCount = this.catalog.nodes;
    this.uploadReplicas = this.catalog.replicas;
    this.churn = config.churn ? new Churn(config.churn, this.nodeCount) : undefined;
    this.start = config.start ?? 0;

    this.arrivals = [];
    this.arrivalRngs = [];
    this.requestRngs = [];
    for (const group of config.users) {
      if (!Number.isInteger(group.count) || group.count < 0) throw new Error(`user group count must be an integer >= 0, got ${group.count}`);
      const first = this.arrivals.length;
      for (let i = 0; i < group.count; i++) {
        const user = first + i;
        const modulation = group.arrival.model === "onOff" ? streams(TRAFFIC_STREAMS.onOff, user) : undefined;
        this.arrivals.push(createArrival(group.arrival, modulation));
        this.arrivalRngs.push(streams(TRAFFIC_STREAMS.arrival, user));
        this.requestRngs.push(streams(TRAFFIC_STREAMS.request, user));
      }
      if (group.count > 0) this.groups.push({ count: group.count, process: this.arrivals[first]! });
    }
    this.userCount = this.arrivals.length;
  }

  arrival(user: number): ArrivalProcess {
    return this.arrivals[user]!;
  }

  /** The user's next request time after `after` (from the user's arrival stream). */
  nextArrival(user: number, after: number): number {
    return this.arrivals[user]!.nextArrival(after, this.arrivalRngs[user]!);
  }

  /** Expected requests from all users in [t0, t1) (on/off users at their stationary mean rate). */
  expectedRequests(t0: number, t1: number): number {
    let sum = 0;
    for (const g of this.groups) sum += g.count * g.process.expectedCount(t0, t1);
    return sum;
  }

  /** Draws what the user asks for at `time` (from the user's request stream); `online` filters servers. */
  drawRequest(user: number, time: number, online?: OnlinePredicate): TrafficRequest {
    const r = newTrafficRequestRecord();
    this.drawRequestInto(r, user, time, online);
    return r;
  }

  /**
   * drawRequest into a reused record (per-request worlds draw one request per kernel event): every
   * field is overwritten, `nodes` included. drawRequest is this on a fresh record, so the draws and
   * values are the same (test/traffic/model.test.ts: a reused record equals fresh ones, request by request).
   */
  drawRequestInto(out: TrafficRequestRecord, user: number, time: number, online?: OnlinePredicate): void {
    const rng = this.requestRngs[user]!;
    // Fixed draw order (kind, size, then placement) keeps streams aligned across configs.
    const upload = rng.bernoulli(this.uploadFraction);
    const bytes = this.sizes.sample(rng);
    out.time = time;
    out.user = user;
    out.bytes = bytes;
    const nodes = out.nodes;
    if (upload) {
      pickUploadTargetsInto(nodes, this.uploadPool, this.uploadReplicas, this.nodeCount, rng, online);
      const m = nodes.length;
      out.kind = "upload";
      out.file = -1;
      out.server = nodes[0];
      out.chargeMultiplier = m;
      out.charged = chargeFor("upload", bytes, m);
      return;
    }
    const file = this.catalog.pickFile(rng);
    const server = this.catalog.pickServer(file, rng, online);
    out.kind = "download";
    out.file = file;
    out.server = server;
    if (server === undefined) {
      nodes.length = 0;
      out.chargeMultiplier = 0;
      out.charged = 0;
      return;
    }
    // By index, then the length: `length = 0` would free the array's backing store (see pickUploadTargetsInto).
    nodes[0] = server;
    nodes.length = 1;
    out.chargeMultiplier = 1;
    out.charged = chargeFor("download", bytes, 1);
  }

  /** Time of the next request over all users (from `config.start`); Infinity if none remain. */
  peekNextTime(): number {
    return this.requests().peekTime();
  }

  /** The next request over all users in time order (ties: lower user first); undefined when none remain. */
  nextRequest(online?: OnlinePredicate): TrafficRequest | undefined {
    const r = newTrafficRequestRecord();
    return this.nextRequestInto(r, online) ? r : undefined;
  }

  /** nextRequest into a reused record (see drawRequestInto); false, `out` untouched, when none remain. */
  nextRequestInto(out: TrafficRequestRecord, online?: OnlinePredicate): boolean {
    const merger = this.requests();
    const user = merger.popUser();
    if (user < 0) return false;
    this.drawRequestInto(out, user, merger.poppedTime, online);
    return true;
  }

  private requests(): ArrivalMerger {
    return this.merger ?? this.startMerger();
  }

  /**
   * Apart from requests(), which runs twice per request: a function creating a closure over `this`
   * allocates that closure's context on every call, whether or not the closure is then created.
   */
  private startMerger(): ArrivalMerger {
    this.merger = new ArrivalMerger(this.userCount, (u, after) => this.nextArrival(u, after), this.start);
    return this.merger;
  }
}
