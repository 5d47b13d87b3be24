// The hosts' memory tactics, kept out of their routing rules (host.ts): a replica step's outgoing
// messages in a pooled Departure instead of an array of item objects per step, timer handles in a
// typed array instead of a Map (a handle is a double, which a Map boxes on every set), and each
// host's active Byzantine behaviours remembered until the next window boundary instead of filtered
// per departure. None of it decides what is sent, when or to whom: the PBFT and PoT worlds' outputs
// are byte-identical to the reference build's (scripts/make-baseline comparison in the commit that
// added this file; test/world/pbft/departures.test.ts for the pool and the window cache).
// May import: protocols/pbft (types), faults (types).

import type { ActiveBehaviour } from "../../faults/index.js";
import { type ReplicaMessage, type Reply, TIMER_COUNT, type TimerName, timerSlot } from "../../protocols/pbft/index.js";

/**
 * One replica step's outgoing messages, leaving together when the replica's CPU is done (`size` is
 * the message's simulated size, computed once for the CPU charge and the network). Taken from and
 * returned to a DeparturePool: `count` entries are live, later ones are leftovers of earlier uses
 * and never read.
 */
export class Departure<H> {
  host: H | null = null;
  count = 0;
  readonly to: number[] = [];
  readonly msgs: (ReplicaMessage | Reply | undefined)[] = [];
  readonly broadcast: boolean[] = [];
  readonly sizes: number[] = [];

  add(to: number, msg: ReplicaMessage | Reply, broadcast: boolean, size: number): void {
    const i = this.count++;
    this.to[i] = to;
    this.msgs[i] = msg;
    this.broadcast[i] = broadcast;
    this.sizes[i] = size;
  }
}

/**
 * Departures for reuse: a departure lives from a replica step until the kernel event that sends it
 * (or at once), so the pool holds about as many as there are replica steps in flight. `release`
 * drops the host and message references (nothing outlives its send) and empties the departure.
 */
export class DeparturePool<H> {
  private readonly free: Departure<H>[] = [];

  take(host: H): Departure<H> {
    const d = this.free.pop() ?? new Departure<H>();
    d.host = host;
    return d;
  }

  release(d: Departure<H>): void {
    for (let i = 0; i < d.count; i++) d.msgs[i] = undefined;
    d.count = 0;
    d.host = null;
    this.free.push(d);
  }

  /** Departures waiting for reuse (for tests). */
  get idle(): number {
    return this.free.length;
  }
}

/** A replica host's armed timers: the kernel handle of each, in the timer name's slot (timerSlot; 0: not armed). */
export class HostTimers {
  private readonly handles = new Float64Array(TIMER_COUNT);

  has(t: TimerName): boolean {
    return this.handles[timerSlot(t)] !== 0;
  }

  /** The timer's handle, or undefined when it is not armed. */
  get(t: TimerName): number | undefined {
    const h = this.handles[timerSlot(t)]!;
    return h === 0 ? undefined : h;
  }

  /** Records the handle of an armed timer (kernel handles are > 0). */
  set(t: TimerName, handle: number): void {
    this.handles[timerSlot(t)] = handle;
  }

  delete(t: TimerName): boolean {
    const i = timerSlot(t);
    const was = this.handles[i] !== 0;
    this.handles[i] = 0;
    return was;
  }

  /** Handles of the armed timers (in slot order; cancelling them in any order leaves the same run). */
  values(): number[] {
    return Array.from(this.handles).filter((h) => h !== 0);
  }

  clear(): void {
    this.handles.fill(0);
  }
}

/** Behaviours active over a stretch of time, in declaration order, and one emitter per level. */
export interface ActiveSet<E> {
  readonly list: readonly ActiveBehaviour[];
  readonly emitters: readonly E[];
}

/**
 * A host's behaviours active at a time — those whose window holds it — remembered until the next
 * window boundary (time only moves forward), with one emitter per behaviour level built once per
 * set: the list `behaviours.filter(active at now)` that transmit used to build per departure, and
 * the emitter closures it used to build per message and level.
 */
export class ActiveWindows<E> {
  private set: ActiveSet<E> = { list: [], emitters: [] };
  private validUntil = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly behaviours: readonly ActiveBehaviour[],
    /** Builds level k's emitter of an active set (called when the set changes). */
    private readonly emitterFor: (set: ActiveSet<E>, k: number) => E,
  ) {}

  /** The behaviours active at `now` (the same set until one opens or closes). */
  at(now: number): ActiveSet<E> {
    if (now >= this.validUntil) this.refresh(now);
    return this.set;
  }

  private refresh(now: number): void {
    const list: ActiveBehaviour[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const b of this.behaviours) {
      const { from, until } = b.window;
      if (now >= from && now < until) list.push(b);
      if (now < from) next = Math.min(next, from);
      else if (now < until) next = Math.min(next, until);
    }
    const emitters: E[] = [];
    const set: ActiveSet<E> = { list, emitters };
    for (let k = 0; k < list.length; k++) emitters.push(this.emitterFor(set, k));
    this.set = set;
    this.validUntil = next;
  }
}
