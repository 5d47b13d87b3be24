// Turns a scenario's fault declarations (and, per seed, a random fault mix) into one plan:
// timed crash/recover actions, Byzantine behaviour windows, twins, and the set of replicas
// that count as faulty for the checkers.

import type { Stream } from "../kernel/index.js";

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
  | "badReplies";

/** How a `forge` fault corrupts the replica's ordering messages (pbft-scenarios S10, S11). */
export type ForgeVariant = "badDigest" | "backupPrePrepare" | "impersonate" | "truncate" | "primaryPrepare" | "fixedSeq";

export type FaultSpec =
  | { type: "crash"; replica: number; at: number }
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
  | { type: "twins"; at: number; replicas: number[]; sides: number[][]; clientSides: number[][] };

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
  /** Crash and recover actions in time order (ties in declaration order). */
  actions: Array<{ at: number; replica: number; action: "crash" | "recover"; state?: "kept" | "lost" }>;
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
        plan.actions.push({ at: spec.at, replica: spec.replica, action: "crash" });
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
