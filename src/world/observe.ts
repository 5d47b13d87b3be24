// The world's observer: one typed event sink that a world calls as things happen, so traces,
// coverage counters and other watchers live outside the protocol code (which only emits pure
// Observation values) and outside the kernel (which knows no events by name).
//
// Ordering contract: calls arrive in processing order, with the simulated time of the event being
// processed. Within one kernel event: a message's `delivered` comes before anything its receiver
// does with it; a replica's observations, timers and sends come in the order its effects are
// drained; a violation comes right after the call during which a checker detected it (so "the
// last event before the violation" is where it was detected). `begin` is called once, before any
// other call. Observers only watch: they must not send, schedule, draw random numbers or mutate
// what they are given, so a run with observers is the same run as one without.
//
// Cost contract: with no observer the worlds pay one null check per call site; all allocation for
// observers (HostEvent, EconomicEvent objects) happens only when one is attached.
// May import: net (types), protocols/pbft (types), check (types).

import type { Violation } from "../check/index.js";
import type { DropReason, NetObserver, PartitionSource } from "../net/index.js";
import type { ClientObservation, Observation } from "../protocols/pbft/index.js";

/** Why a message copy never reached its receiver's protocol: the network's reasons, or the receiving host's Byzantine input filter. */
export type TraceDropReason = DropReason | "byzantine";

/** What a network node is: a replica host, the second copy of a twinned replica, or a PBFT client (in the pot model: a meta node or a gateway). */
export type NodeRole = "replica" | "twin" | "client" | "meta" | "gateway";

export interface NodeInfo {
  /** Network node id. */
  readonly node: number;
  readonly role: NodeRole;
  /** Replica id (replica, twin) or index within the role (client, meta, gateway). */
  readonly index: number;
  /** Short name for lanes and logs: r0 (replica 0), r0' (its twin), c0 (client 0), m0 (meta node 0), g0 (gateway 0). */
  readonly label: string;
}

/** The facts a trace shows about a message; −1 and "" when the message has no such field. Reused by `describe` (no allocation). */
export interface MessageFacts {
  view: number;
  seq: number;
  digest: string;
}

/** A world as its observers see it: known from the scenario alone, before the world is built. */
export interface WorldDescription {
  readonly model: "pbft" | "pot";
  /** Replicas and faults tolerated. */
  readonly n: number;
  readonly f: number;
  /** Every network node, by node id. */
  readonly nodes: readonly NodeInfo[];
  /** Message kinds the nodes send (messages.csv's `kind`). */
  readonly messageKinds: readonly string[];
  /** Fills `out` with a message's view, sequence number and digest. */
  describe(msg: unknown, out: MessageFacts): void;
}

/** Node-level events the hosts and the network see (the protocol state machines do not). */
export type HostEvent =
  /**
   * Once, while the world is built (time 0, before any other event): the replicas the fault plan makes
   * faulty (Byzantine behaviours, twins, amnesia), random faults drawn. The checkers judge only the
   * others (crashed replicas count as correct).
   */
  | { readonly type: "faultPlan"; readonly faulty: readonly number[] }
  /** The replica's host crashed: it neither sends nor receives until it recovers. */
  | { readonly type: "crash"; readonly node: number; readonly replica: number }
  /** It recovered, with its persisted log (`kept`) or empty (`lost`). */
  | { readonly type: "recover"; readonly node: number; readonly replica: number; readonly log: "kept" | "lost" }
  /** A partition started or healed; `sides[node]` is the node's side (nodes on different sides cannot talk). */
  | {
      readonly type: "partitionStart" | "partitionHeal";
      readonly source: PartitionSource;
      readonly sides: readonly number[];
      readonly symmetric: boolean;
    };

/** What the PoT world's economy did, taken at the first correct replica to execute each transaction (pot model only). */
export type EconomicEvent =
  /** A prepay executed: `node` is the executing replica's node. */
  | {
      readonly type: "prepay";
      readonly node: number;
      readonly payer: "user" | "sybil";
      /** User index or Sybil group. */
      readonly index: number;
      readonly amountWei: bigint;
      readonly accepted: boolean;
      /** The ledger's refusal reason, null when accepted. */
      readonly reason: string | null;
      readonly purchasedNoz: bigint;
    }
  /** A meta node submitted a volume report (`node`: its PBFT client node). */
  | {
      readonly type: "reportSubmitted";
      readonly node: number;
      readonly epoch: number;
      /** Meta-node index. */
      readonly reporter: number;
      readonly kind: "honest" | "inflated";
      readonly entries: number;
      readonly signers: number;
      readonly volumeNoz: bigint;
    }
  /** The ledger accepted or rejected a volume report (`node`: the executing replica's node). */
  | {
      readonly type: "reportExecuted";
      readonly node: number;
      readonly epoch: number;
      readonly reporter: number;
      readonly kind: "honest" | "inflated";
      readonly accepted: boolean;
      readonly reason: string | null;
    }
  /** The meta nodes' transaction suspending (slashing) or restoring an offline resource node executed and was accepted. */
  | { readonly type: "nodeSuspended" | "nodeRestored"; readonly node: number; readonly resourceNode: string }
  /** Reward blocks up to key `epoch` matured (moved from immature to matured wallets). */
  | { readonly type: "rewardMatured"; readonly node: number; readonly epoch: number };

/**
 * The sink a world calls. Message events come from the network (the NetObserver half, ids and drop
 * reasons included); `dropped` also carries the hosts' Byzantine input filter (reason "byzantine",
 * after the network's `delivered` of the same id). Implement what you need on top of NoopObserver.
 */
export interface WorldObserver extends NetObserver {
  begin(world: WorldDescription): void;
  dropped(id: number, from: number, to: number, kind: string, bytes: number, msg: unknown, reason: TraceDropReason, atSend: boolean, now: number): void;
  /** A replica's own observation (`node`: its host's node, which differs from `replica` for a twin). */
  replica(node: number, replica: number, ev: Observation, now: number): void;
  /** A PBFT client's observation (`client`: its index among the clients). */
  client(node: number, client: number, ev: ClientObservation, now: number): void;
  /** A protocol timer fired at a node that is up (replica timers, and the clients' "retransmit"). */
  timer(node: number, timer: string, now: number): void;
  host(ev: HostEvent, now: number): void;
  economic(ev: EconomicEvent, now: number): void;
  violation(v: Violation, now: number): void;
}

/** An observer that ignores everything: extend it and override what you watch. */
export class NoopObserver implements WorldObserver {
  begin(_world: WorldDescription): void {}
  sent(_id: number, _from: number, _to: number, _kind: string, _bytes: number, _msg: unknown, _now: number): void {}
  delivered(_id: number, _from: number, _to: number, _kind: string, _bytes: number, _msg: unknown, _now: number): void {}
  dropped(_id: number, _from: number, _to: number, _kind: string, _bytes: number, _msg: unknown, _reason: TraceDropReason, _atSend: boolean, _now: number): void {}
  replica(_node: number, _replica: number, _ev: Observation, _now: number): void {}
  client(_node: number, _client: number, _ev: ClientObservation, _now: number): void {}
  timer(_node: number, _timer: string, _now: number): void {}
  host(_ev: HostEvent, _now: number): void {}
  economic(_ev: EconomicEvent, _now: number): void {}
  violation(_v: Violation, _now: number): void {}
}

/** One observer that forwards every call to each of `observers`, in order (e.g. a trace and a coverage counter). */
export function fanOut(observers: readonly WorldObserver[]): WorldObserver {
  if (observers.length === 1) return observers[0]!;
  return {
    begin: (w) => {
      for (const o of observers) o.begin(w);
    },
    sent: (id, from, to, kind, bytes, msg, now) => {
      for (const o of observers) o.sent(id, from, to, kind, bytes, msg, now);
    },
    delivered: (id, from, to, kind, bytes, msg, now) => {
      for (const o of observers) o.delivered(id, from, to, kind, bytes, msg, now);
    },
    dropped: (id, from, to, kind, bytes, msg, reason, atSend, now) => {
      for (const o of observers) o.dropped(id, from, to, kind, bytes, msg, reason, atSend, now);
    },
    replica: (node, replica, ev, now) => {
      for (const o of observers) o.replica(node, replica, ev, now);
    },
    client: (node, client, ev, now) => {
      for (const o of observers) o.client(node, client, ev, now);
    },
    timer: (node, timer, now) => {
      for (const o of observers) o.timer(node, timer, now);
    },
    host: (ev, now) => {
      for (const o of observers) o.host(ev, now);
    },
    economic: (ev, now) => {
      for (const o of observers) o.economic(ev, now);
    },
    violation: (v, now) => {
      for (const o of observers) o.violation(v, now);
    },
  };
}
