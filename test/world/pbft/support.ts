// Full-world PBFT test support: load a scenario, build a PbftWorld (real kernel, network, hosts,
// faults and checkers), record every replica and client observation, run it in steps and read
// the outcome (executions per replica, views, state digests, message counts).

import { join } from "node:path";
import type { Application, DigestMemo, Message, NewView, Observation, PbftConfig } from "../../../src/protocols/pbft/index.js";
import { Replica } from "../../../src/protocols/pbft/index.js";
import { loadScenario } from "../../../src/scenario/index.js";
import type { ReplicaFactory } from "../../../src/world/pbft/host.js";
import { type PbftScenario, PbftWorld, pbftScenarioOf } from "../../../src/world/pbft/world.js";

export const repoRoot = join(import.meta.dirname, "..", "..", "..");

export type Executed = Extract<Observation, { type: "executed" }> & { time: number };
export type Transferred = Extract<Observation, { type: "stateTransferred" }> & { time: number };

export interface Accepted {
  timestamp: number;
  digest: string;
  result: string;
  view: number;
  time: number;
}

/** Everything the replicas and clients of one run reported, in order. */
export class Recorder {
  readonly executed: Executed[][];
  readonly transferred: Transferred[][];
  /** (time, view) of every VIEW-CHANGE a replica started. */
  readonly viewChanges: Array<Array<{ time: number; view: number; nvTimeout: number }>>;
  /** (time, view) of every NEW-VIEW a replica installed. */
  readonly newViews: Array<Array<{ time: number; view: number }>>;
  readonly stable: Array<Array<{ time: number; seq: number; digest: string }>>;
  readonly prepared: Array<Array<{ time: number; view: number; seq: number; digest: string }>>;
  readonly accepted: Accepted[][];
  readonly submitted: Array<Array<{ timestamp: number; digest: string; time: number }>>;

  constructor(n: number, clients: number) {
    const per = <T>(k: number) => Array.from({ length: k }, () => [] as T[]);
    this.executed = per(n);
    this.transferred = per(n);
    this.viewChanges = per(n);
    this.newViews = per(n);
    this.stable = per(n);
    this.prepared = per(n);
    this.accepted = per(clients);
    this.submitted = per(clients);
  }

  /** Sequence numbers replica r executed, in execution order. */
  seqs(r: number): number[] {
    return this.executed[r]!.map((e) => e.seq);
  }

  /** Digest replica r executed at seq (undefined if it did not execute it). */
  digestAt(r: number, seq: number): string | undefined {
    return this.executed[r]!.find((e) => e.seq === seq)?.digest;
  }

  /** (client:timestamp) of every request replica r executed, in execution order. */
  requests(r: number): string[] {
    return this.executed[r]!.flatMap((e) => e.requests.map((q) => `${q.client}:${q.timestamp}`));
  }
}

export interface PbftRun {
  world: PbftWorld;
  rec: Recorder;
  scenario: PbftScenario;
  /** Runs the kernel up to simulated time t. */
  until(t: number): PbftRun;
}

/** Loads a scenario file (repo-relative) with `key=value` overrides, as the CLI does. */
export function pbftScenario(file: string, overrides: string[] = []): PbftScenario & { readonly seed: number } {
  return pbftScenarioOf(loadScenario(join(repoRoot, file), { overrides }));
}

/** Builds the world of a scenario with a recorder attached (nothing has run yet). */
export function pbftWorld(
  scenario: PbftScenario,
  seed: number,
  replicaFactory?: ReplicaFactory,
  /** Called after recording each replica observation (tests use it to steer the network). */
  onReplica?: (replica: number, ev: Observation, now: number, world: PbftWorld) => void,
): PbftRun {
  const p = scenario.pbft;
  const rec = new Recorder(p.n, p.clients.count);
  const world: PbftWorld = new PbftWorld(scenario, seed, {
    replicaFactory,
    observer: {
      replica(r, host, ev, now) {
        switch (ev.type) {
          case "executed":
            rec.executed[r]!.push({ ...ev, time: now });
            break;
          case "stateTransferred":
            rec.transferred[r]!.push({ ...ev, time: now });
            break;
          case "viewChangeStarted":
            rec.viewChanges[r]!.push({ time: now, view: ev.view, nvTimeout: host.replica.newViewTimeoutDuration });
            break;
          case "newViewInstalled":
            rec.newViews[r]!.push({ time: now, view: ev.view });
            break;
          case "checkpointStable":
            rec.stable[r]!.push({ time: now, seq: ev.seq, digest: ev.stateDigest });
            break;
          case "prepared":
            rec.prepared[r]!.push({ time: now, view: ev.view, seq: ev.seq, digest: ev.digest });
            break;
          default:
            break;
        }
        onReplica?.(r, ev, now, world);
      },
      client(c, ev, now) {
        if (ev.type === "accepted") rec.accepted[c]!.push({ ...ev, time: now });
        else if (ev.type === "submitted") rec.submitted[c]!.push({ timestamp: ev.timestamp, digest: ev.digest, time: now });
      },
    },
  });
  const run: PbftRun = {
    world,
    rec,
    scenario,
    until(t: number) {
      world.sim.run({ until: t });
      return run;
    },
  };
  return run;
}

/** Loads, builds and runs a scenario to its `until` (or `until` given here). */
export function runPbft(
  file: string,
  overrides: string[] = [],
  o: { seed?: number; until?: number; replicaFactory?: ReplicaFactory } = {},
): PbftRun {
  const scenario = pbftScenario(file, overrides);
  const r = pbftWorld(scenario, o.seed ?? scenario.seed, o.replicaFactory);
  return r.until(o.until ?? scenario.until);
}

/** Messages of a kind put on the network (one per receiver of a broadcast). */
export function sent(run: PbftRun, kind: string): number {
  return run.world.net.stats().kinds.find((k) => k.kind === kind)?.sent ?? 0;
}

/** Every violation's invariant name (empty for a clean run), after the world's final liveness poll. */
export function invariants(run: PbftRun): string[] {
  run.world.finish();
  return run.world.violations.map((v) => v.invariant);
}

export function replica(run: PbftRun, r: number): Replica {
  return run.world.hosts.hostsOf(r)[0]!.replica;
}

/** Application state digests of replicas `ids`. */
export function stateDigests(run: PbftRun, ids: number[]): string[] {
  return ids.map((r) => replica(run, r).application.stateDigest());
}

export interface Wire {
  time: number;
  from: number;
  to: number;
  msg: Message;
}

/**
 * Records every message handed to the network from now on (before loss, rules and partitions),
 * by wrapping this world's Network instance. Test-only: the world itself is unchanged.
 */
export function tap(run: PbftRun): Wire[] {
  const net = run.world.net;
  const sim = run.world.sim;
  const log: Wire[] = [];
  const send = net.send.bind(net);
  const broadcast = net.broadcast.bind(net);
  net.send = (from, to, kind, size, msg) => {
    log.push({ time: sim.now, from, to, msg: msg as Message });
    send(from, to, kind, size, msg);
  };
  net.broadcast = (from, tos, kind, size, msg) => {
    for (let i = 0; i < tos.length; i++) log.push({ time: sim.now, from, to: tos[i]!, msg: msg as Message });
    broadcast(from, tos, kind, size, msg);
  };
  return log;
}

/** A correct replica that lets tests read the last NEW-VIEW it sent or installed. */
export class SpyReplica extends Replica {
  get newView(): NewView | null {
    return this.lastNewView;
  }
}

export const spyFactory: ReplicaFactory = (id: number, config: PbftConfig, app: Application, digests: DigestMemo) =>
  new SpyReplica(id, config, app, digests);

export function nv(run: PbftRun, r: number): NewView | null {
  return (replica(run, r) as SpyReplica).newView;
}

export const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);
