// Turns a scenario's fault declarations (and, per seed, a random fault mix or a generated Twins
// schedule) into one plan: timed crash/recover actions (a crash may also wait for a protocol
// event), Byzantine behaviour windows (fixed behaviours, scripts, message mutation), twins, and the
// set of replicas that count as faulty for the checkers.

import type { Stream } from "../kernel/index.js";
import type { FieldMatch } from "../net/index.js";

export type ByzantineKind =
  | "silent"
  | "equivocate"
  | "wrongDigest"
  | "censor"
  | "delay"
  | "selective"
  | "viewChangeSpam"
  | "replay"
  | "twoFaced"
  | "forge"
  | "fuzz"
  | "badReplies"
  | "script"
  | "mutate";

/** A protocol event a fault can wait for (what the world's trigger table watches; scenario/sections/events.ts). */
export type TriggerSpec =
  | {
      event: "received";
      replica?: number;
      from?: number;
      kind?: string;
      view?: FieldMatch;
      seq?: FieldMatch;
      client?: number;
      count: number;
    }
  | {
      event: "sent";
      replica?: number;
      to?: number;
      kind?: string;
      view?: FieldMatch;
      seq?: FieldMatch;
      client?: number;
      count: number;
    }
  | { event: "viewEntered"; view: number; replica?: number; count: number }
  | { event: "executed"; seq: number; replica?: number; count: number };

/** A client request by its client and timestamp (C1: timestamps 1, 2, … per client). */
export interface RequestRef {
  client: number;
  timestamp: number;
}

/** What a scripted digest stands for: one request (a batch of one), a batch, or a literal digest ("null": the null request). */
export interface DigestChoice {
  request?: RequestRef;
  requests?: RequestRef[];
  digest?: string;
}

/** Common to every scripted message: receivers (default: every other replica) and how many copies each gets. */
interface Addressed {
  to?: number[];
  copies: number;
}

/** One protocol message a script sends, built with the protocol's own constructors (protocols/pbft/messages.ts). */
export type ScriptMessage =
  | ({ type: "pre-prepare"; view: number; seq: number; request?: RequestRef; requests?: RequestRef[] } & Addressed)
  | ({ type: "prepare" | "commit"; view: number; seq: number } & DigestChoice & Addressed)
  | ({ type: "checkpoint"; seq: number; digest?: string } & Addressed)
  | ({
      type: "view-change";
      view: number;
      stable?: { seq: number; digest?: string };
      prepared: Array<{ seq: number; view: number; prepares?: number[] } & DigestChoice>;
    } & Addressed)
  | ({ type: "new-view"; view: number; viewChanges?: number[] } & Addressed)
  | ({ type: "state"; seq: number; kv: Record<string, string>; digest?: string } & Addressed);

/** A scripted step: at a time and/or on an event (not before `at`), send these messages. */
export interface ScriptStep {
  at?: number;
  on?: TriggerSpec;
  send: ScriptMessage[];
}

/** The ByzzFuzz-style message mutations (mutate.ts). */
export type MutationKind = "view" | "seq" | "replay" | "digest";

/** A node of a Twins partition: a replica id (its first copy) or "r'" (the second copy of twinned replica r). */
export type TwinNodeRef = number | string;

/** One phase of a twins schedule: from view `view` (messages of that view and later) or from time `at`, these groups. */
export interface TwinPhase {
  view?: number;
  at?: number;
  /** Groups of nodes; nodes not listed form one more group together. */
  groups: TwinNodeRef[][];
}

/** How a `forge` fault corrupts the replica's ordering messages (pbft-scenarios S10, S11). */
export type ForgeVariant = "badDigest" | "backupPrePrepare" | "impersonate" | "truncate" | "primaryPrepare" | "fixedSeq";

export type FaultSpec =
  | { type: "crash"; replica: number; at: number; on?: TriggerSpec }
  | { type: "recover"; replica: number; at: number; state: "kept" | "lost" }
  | { type: "silent" | "equivocate" | "wrongDigest"; replica: number; at: number; until?: number }
  | { type: "censor"; replica: number; at: number; until?: number; clients: number[] }
  | { type: "delay"; replica: number; at: number; until?: number; delay: number; kinds?: string[] }
  | { type: "selective"; replica: number; at: number; until?: number; to: number[] }
  | { type: "viewChangeSpam"; replica: number; at: number; until?: number; interval: number }
  | { type: "replay"; replica: number; at: number; until?: number; delay: number }
  | { type: "twoFaced" | "fuzz"; replica: number; at: number; until?: number }
  | { type: "forge"; replica: number; at: number; until?: number; variant: ForgeVariant; seq: number }
  | { type: "badReplies"; replica: number; at: number; until?: number; field: "result" | "timestamp" }
  | { type: "script"; replica: number; at: number; until?: number; suppress?: string[]; steps: ScriptStep[] }
  | { type: "mutate"; replica: number; at: number; until?: number; probability: number; mutations: MutationKind[] }
  | {
      type: "twins";
      at: number;
      replicas: number[];
      /** Fixed sides for the whole run (each side hears one copy of each twin)… */
      sides?: number[][];
      clientSides?: number[][];
      /** …or partitions of all nodes, twin copies included, that change per view or per time window. */
      schedule?: TwinPhase[];
    };

export interface RandomFaultSpec {
  count: number;
  kinds: string[];
  start: number;
  end: number;
  maxDuration: number;
  /** Replicas the faulty ones are drawn from (default: all). */
  replicas?: number[];
}

export interface BehaviourWindow {
  replica: number;
  spec: Exclude<FaultSpec, { type: "crash" | "recover" | "twins" }>;
  from: number;
  until: number;
}

export interface FaultPlan {
  /** Crash and recover actions in time order (ties in declaration order); a crash with `on` waits, from `at`, for that event. */
  actions: Array<{ at: number; replica: number; action: "crash" | "recover"; state?: "kept" | "lost"; on?: TriggerSpec }>;
  behaviours: BehaviourWindow[];
  twins: Extract<FaultSpec, { type: "twins" }> | null;
  /** Replicas excluded from the safety checkers (Byzantine, amnesiac or twinned). */
  faulty: Set<number>;
  /** Every fault, after random draws, for the manifest and summary. */
  resolved: FaultSpec[];
  /** Time of the last fault start or end (for the default stabilisation time). */
  lastChange: number;
}

export function planFaults(
  n: number,
  f: number,
  declared: readonly FaultSpec[],
  random: RandomFaultSpec | null,
  rng: Stream,
): FaultPlan {
  const all: FaultSpec[] = [...declared];
  if (random) all.push(...drawRandomFaults(n, f, random, rng));
  const plan: FaultPlan = { actions: [], behaviours: [], twins: null, faulty: new Set(), resolved: all, lastChange: 0 };
  for (const spec of all) {
    plan.lastChange = Math.max(plan.lastChange, spec.at);
    switch (spec.type) {
      case "crash":
        plan.actions.push(spec.on === undefined ? { at: spec.at, replica: spec.replica, action: "crash" } : { at: spec.at, replica: spec.replica, action: "crash", on: spec.on });
        break;
      case "recover":
        plan.actions.push({ at: spec.at, replica: spec.replica, action: "recover", state: spec.state });
        if (spec.state === "lost") plan.faulty.add(spec.replica);
        break;
      case "twins":
        if (plan.twins) throw new Error("only one twins fault per scenario");
        plan.twins = spec;
        for (const r of spec.replicas) plan.faulty.add(r);
        break;
      default: {
        const until = spec.until ?? Number.POSITIVE_INFINITY;
        if (Number.isFinite(until)) plan.lastChange = Math.max(plan.lastChange, until);
        plan.behaviours.push({ replica: spec.replica, spec, from: spec.at, until });
        plan.faulty.add(spec.replica);
      }
    }
  }
  plan.actions.sort((a, b) => a.at - b.at);
  return plan;
}

/** VOPR-style: which replicas fail, how and when is a function of the seed (at most f of them). */
export function drawRandomFaults(n: number, f: number, spec: RandomFaultSpec, rng: Stream): FaultSpec[] {
  const count = Math.min(spec.count, f);
  let pool = Array.from({ length: n }, (_, i) => i);
  if (spec.replicas !== undefined) {
    for (const r of spec.replicas) if (!(Number.isInteger(r) && r >= 0 && r < n)) throw new Error(`randomFaults.replicas: replica ${r} does not exist (n is ${n})`);
    pool = [...new Set(spec.replicas)].sort((a, b) => a - b);
  }
  const replicas = rng.shuffle(pool).slice(0, count).sort((a, b) => a - b);
  const out: FaultSpec[] = [];
  for (const replica of replicas) {
    const kind = spec.kinds[rng.int(spec.kinds.length)]!;
    const at = rng.uniform(spec.start, spec.end);
    const until = at + rng.uniform(0, spec.maxDuration);
    switch (kind) {
      case "crash":
        out.push({ type: "crash", replica, at });
        break;
      case "crashRecover":
      case "amnesia":
        out.push({ type: "crash", replica, at });
        out.push({ type: "recover", replica, at: until, state: kind === "amnesia" ? "lost" : "kept" });
        break;
      case "delay":
        out.push({ type: "delay", replica, at, until, delay: rng.uniform(0.05, 1) });
        break;
      case "viewChangeSpam":
        out.push({ type: "viewChangeSpam", replica, at, until, interval: 0.5 });
        break;
      case "replay":
        out.push({ type: "replay", replica, at, until, delay: rng.uniform(0.5, 5) });
        break;
      case "silent":
      case "equivocate":
      case "wrongDigest":
      case "twoFaced":
      case "fuzz":
        out.push({ type: kind, replica, at, until });
        break;
      case "lowSeq":
        out.push({ type: "forge", replica, at, until, variant: "fixedSeq", seq: 1 });
        break;
      default:
        throw new Error(`unknown random fault kind "${kind}"`);
    }
  }
  return out;
}
