// net/partitions: the lifecycle of partitions — scheduled ones from the config, random ones in
// the style of TigerBeetle's packet simulator (isolate one node, or a uniform two-way split, with
// exponential gaps and durations), and the manual one set through the fault API. Starting and
// healing only edits Reachability; messages are checked against it when sent and again when
// delivered, so a message in flight across a cut that starts before it lands is dropped.
// May import: kernel (Stream), ./config, ./reachability.

import type { Stream } from "../kernel/index.js";
import type { RandomPartitions, ScheduledPartition } from "./config.js";
import { type Cut, type Reachability, sidesFromGroups, sidesIsolating } from "./reachability.js";

export type PartitionSource = "scheduled" | "random" | "manual";

/** Reported to `onChange` listeners whenever a partition starts or heals. */
export interface PartitionEvent {
  type: "start" | "heal";
  source: PartitionSource;
  time: number;
  /** Side of every node (do not modify). */
  side: Int32Array;
  symmetric: boolean;
}

/** A deferred action run by the network's control event kind. */
export interface ControlAction {
  fire(now: number): void;
}

export type ScheduleControl = (time: number, action: ControlAction) => void;

export class PartitionManager {
  private readonly listeners: ((e: PartitionEvent) => void)[] = [];
  private manual: Cut | null = null;

  constructor(
    private readonly reach: Reachability,
    private readonly clock: () => number,
    private readonly at: ScheduleControl,
  ) {}

  onChange(listener: (e: PartitionEvent) => void): void {
    this.listeners.push(listener);
  }

  start(cut: Cut, source: PartitionSource): void {
    this.reach.addPartition(cut);
    this.emit("start", source, cut);
  }

  heal(cut: Cut, source: PartitionSource): void {
    if (this.reach.removePartition(cut)) this.emit("heal", source, cut);
  }

  /** Replaces the manual partition (only one at a time). */
  setManual(groups: readonly (readonly number[])[], symmetric: boolean): void {
    this.healManual();
    this.manual = { side: sidesFromGroups(groups, this.reach.nodeCount), symmetric };
    this.start(this.manual, "manual");
  }

  /** Lifts the manual partition; scheduled and random ones heal on their own schedule. */
  healManual(): void {
    if (this.manual === null) return;
    const cut = this.manual;
    this.manual = null;
    this.heal(cut, "manual");
  }

  /** Installs the config's partitions; one whose start is not in the future starts now. */
  schedule(partitions: readonly ScheduledPartition[]): void {
    const n = this.reach.nodeCount;
    const now = this.clock();
    for (const p of partitions) {
      let side: Int32Array;
      if (p.groups !== undefined) side = sidesFromGroups(p.groups, n);
      else if (p.isolate !== undefined) side = sidesIsolating(p.isolate, n);
      else throw new Error(`partition at ${p.at} needs groups or isolate`);
      const cut: Cut = { side, symmetric: p.symmetric };
      if (p.at <= now) this.start(cut, "scheduled");
      else this.at(p.at, { fire: () => this.start(cut, "scheduled") });
      if (p.heal !== undefined) this.at(Math.max(p.heal, now), { fire: () => this.heal(cut, "scheduled") });
    }
  }

  /**
   * Random partitions: after an exponential gap (mean `meanInterval`) a partition starts and
   * lasts an exponential time (mean `meanDuration`), healing by `end` at the latest; the next gap
   * is measured from the heal. Only starts in [start, end) happen. Always symmetric.
   */
  scheduleRandom(cfg: RandomPartitions, rng: Stream): void {
    const n = this.reach.nodeCount;
    if (n < 2) return;
    const end = cfg.end ?? Number.POSITIVE_INFINITY;
    const next = (from: number): void => {
      const t = from + rng.exponential(cfg.meanInterval);
      if (t < end) this.at(t, startOne);
    };
    const startOne: ControlAction = {
      fire: (now) => {
        const side = cfg.mode === "isolate" ? sidesIsolating(rng.int(n), n) : uniformSides(n, rng);
        const cut: Cut = { side, symmetric: true };
        this.start(cut, "random");
        const healAt = Math.min(now + rng.exponential(cfg.meanDuration), end);
        this.at(healAt, {
          fire: (t) => {
            this.heal(cut, "random");
            next(t);
          },
        });
      },
    };
    next(Math.max(cfg.start, this.clock()));
  }

  private emit(type: "start" | "heal", source: PartitionSource, cut: Cut): void {
    if (this.listeners.length === 0) return;
    const e: PartitionEvent = { type, source, time: this.clock(), side: cut.side, symmetric: cut.symmetric };
    for (const l of this.listeners) l(e);
  }
}

/** Each node to side 0 or 1 by a fair coin, redrawn until neither side is empty (n >= 2). */
function uniformSides(n: number, rng: Stream): Int32Array {
  const side = new Int32Array(n);
  for (;;) {
    let ones = 0;
    for (let i = 0; i < n; i++) ones += side[i] = rng.int(2);
    if (ones > 0 && ones < n) return side;
  }
}
